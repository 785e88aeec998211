//===- Inputs.h - The tensors ssm-run feeds and dumps -----------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Host buffers for an entry's tensors, their argument values (seeded random or
// read from .npy files) and the dumps of them. docs/WORKLOAD_BINARY.md
// documents the random distributions and the .npy conventions.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_INPUTS_H
#define SSMRT_RUN_INPUTS_H

#include "ssmrt/Workload.h"

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace ssmrt {

/// A zero-initialised, 64-byte aligned host buffer.
class HostBuffer {
public:
  explicit HostBuffer(size_t bytes);
  uint8_t *data() { return storage.get(); }
  const uint8_t *data() const { return storage.get(); }
  size_t size() const { return bytes; }

private:
  struct FreeDeleter {
    void operator()(uint8_t *p) const;
  };
  std::unique_ptr<uint8_t, FreeDeleter> storage;
  size_t bytes;
};

/// One host buffer per tensor of an entry, in manifest order.
using HostBuffers = std::vector<HostBuffer>;

/// Fills `data` (a dense buffer of `tensor`) with seeded random values drawn
/// from the distribution its name asks for. The values depend only on the
/// seed and the tensor's name, dtype and shape, not on the tensor's position.
/// With `nonNegative`, every value is drawn as the magnitude of the value
/// it would otherwise be (same stream).
void fillRandom(const TensorSpec &tensor, uint64_t seed, void *data,
                bool nonNegative = false);

/// The argument tensors of `entry` that are a scan's step (or step bias)
/// where the op applies no softplus: drawn non-negative, so that exp(dt A)
/// with A < 0 decays. A negative step grows the state without bound, and
/// the result overflows f16 (and, for long sequences, any dtype).
std::set<std::string> stepsWithoutSoftplus(const EntrySpec &entry);

/// The shape of every value of `entry`'s graph that can be derived: entry
/// tensors as the manifest says, op results by their op's shape rule
/// (reshape and fill by their `shape` attribute); values of ops without a
/// rule are absent.
std::map<std::string, std::vector<int64_t>>
inferValueShapes(const EntrySpec &entry);

/// An integer (i32) argument and what it feeds.
struct IntegerInput {
  std::string name;
  bool tokens = false; ///< Feeds ssm.embedding's tokens.
  bool labels = false; ///< Feeds ssm.cross_entropy's labels.
  int64_t vocab = 0;   ///< Its values lie in [0, vocab).
};

/// Every i32 argument of `entry`, with the range of its values: the
/// embedding weight's dim 0 for tokens, the logits' last dim for labels (the
/// smaller where it feeds both). Throws std::runtime_error for an i32
/// argument that feeds neither, or whose vocabulary cannot be derived.
std::vector<IntegerInput> integerInputs(const EntrySpec &entry);

/// Fills `data` (a dense i32 buffer of `tensor`) with seeded uniform integers
/// in [0, vocab).
void fillIntegers(const TensorSpec &tensor, uint64_t seed, void *data,
                  int64_t vocab);

/// Fills every argument buffer of `entry` the way ssm-run does without
/// --inputs: integers by their range, tensors with an init spec by it,
/// everything else by fillRandom.
void fillArguments(const EntrySpec &entry, uint64_t seed, HostBuffers &buffers);

/// Host buffers for every tensor of `entry`; results are poisoned with NaN so
/// that an element the entry never writes fails --check.
HostBuffers allocateBuffers(const EntrySpec &entry);

/// Fills the argument buffers from `inputsDir` (every argument as
/// `<name>.npy`; a .npy naming no tensor is an error) or, when it is empty,
/// with fillRandom and `seed`. Prints the `inputs:` line. Throws
/// std::runtime_error naming the file or directory at fault.
void loadArguments(const std::string &inputsDir, uint64_t seed,
                   const EntrySpec &entry, HostBuffers &buffers,
                   std::ostream &out);

/// Creates the dump directory up front, so a bad one fails before the run.
void prepareDumpDir(const std::string &dir);

/// Writes every result (and with `withArguments` every argument) of `entry`
/// as `dir/<name>.npy`; prints the `dump:` line.
void dumpTensors(const std::string &dir, const EntrySpec &entry,
                 const HostBuffers &buffers, bool withArguments,
                 std::ostream &out);

} // namespace ssmrt

#endif // SSMRT_RUN_INPUTS_H
