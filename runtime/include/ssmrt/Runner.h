//===- Runner.h - The logic of the ssm-run tool -----------------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// `ssm-run` loads a workload binary, fills its argument tensors (seeded random
// values or .npy files), runs one entry on the CPU or the GPU, and optionally
// dumps the results, checks them against the float64 reference and times the
// entry. The tool itself only calls `runMain`; the pieces are exposed here so
// that unit tests can reach them. docs/WORKLOAD_BINARY.md documents the
// conventions (random distributions, tolerances, the error measure).
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUNNER_H
#define SSMRT_RUNNER_H

#include "ssmrt/Workload.h"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ssmrt {

/// The command line of `ssm-run`.
struct RunOptions {
  std::string binary;        ///< The workload .so.
  std::string entry;         ///< Empty: the manifest's first entry.
  uint64_t seed = 0;         ///< Seed of the random argument values.
  std::string inputsDir;     ///< Read arguments from DIR/<name>.npy.
  std::string dumpDir;       ///< Write results as DIR/<name>.npy.
  bool dumpInputs = false;   ///< Also dump the arguments.
  bool check = false;        ///< Compare results with the reference.
  std::optional<double> tol; ///< Overrides every dtype's tolerance.
  int repeat = 0;            ///< Timed runs after the first run.
  int warmup = 0;            ///< Untimed runs before the timed ones.
  bool targetCheck = false;  ///< Only check that the binary can run here.
};

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
void fillRandom(const TensorSpec &tensor, uint64_t seed, void *data);

/// The --check tolerance of a dtype: f64 1e-9, f32 2e-5, f16 5e-3, bf16 3e-2.
double defaultTolerance(Dtype dtype);

/// max|got - ref| / max(max|ref|, 1e-30); infinity when a value is NaN or an
/// infinity the other side does not share.
double normRelativeError(const std::vector<double> &got,
                         const std::vector<double> &ref);

/// The comparison of one result tensor with the reference.
struct CheckResult {
  std::string name;
  Dtype dtype = Dtype::F32;
  double maxRelErr = 0.0;
  double tolerance = 0.0;
  bool passed = false;
  std::string note; ///< Why it failed beyond the error measure, if so.
};

/// Evaluates `entry`'s op graph with the float64 reference on the argument
/// values in `buffers` and compares every result tensor. `tol` overrides the
/// per-dtype tolerances. Throws std::runtime_error when the graph cannot be
/// evaluated (undefined operand, reference rejects an op, ...).
std::vector<CheckResult> checkEntry(const EntrySpec &entry,
                                    const HostBuffers &buffers,
                                    std::optional<double> tol);

/// Runs `ssm-run` with parsed options; writes the report to `out` and errors
/// (each starting "error:") to `err`. Returns the exit code: 0, or 1 on any
/// error or failed check. Never throws.
int runWorkload(const RunOptions &options, std::ostream &out,
                std::ostream &err);

/// Parses the command line and calls runWorkload on std::cout/std::cerr.
/// Returns the process exit code. Never throws.
int runMain(int argc, char **argv);

} // namespace ssmrt

#endif // SSMRT_RUNNER_H
