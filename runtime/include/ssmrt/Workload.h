//===- Workload.h - Loading compiled workload binaries ----------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// A workload binary is a shared object written by `ssm-compile`. It exports a
// JSON self-description, `extern "C" const char ssm_workload_manifest[]`, and
// one `extern "C" void <symbol>(void **buffers)` per entry point. This header
// holds the parsed form of that manifest and the loader that dlopen()s a
// binary and resolves its entries. docs/WORKLOAD_BINARY.md is the contract.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_WORKLOAD_H
#define SSMRT_WORKLOAD_H

#include "ssmrt/Dtype.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssmrt {

/// What a tensor is to an entry: arguments (input, parameter) are read by the
/// entry, results (output, gradient) are written by it.
enum class Role { Input, Parameter, Output, Gradient };

/// The manifest spelling of a role: "input", "parameter", ...
const char *roleName(Role role);
/// Parses a manifest spelling; nullopt when `name` is no known role.
std::optional<Role> parseRole(const std::string &name);
/// True for output and gradient.
bool isResultRole(Role role);

/// One buffer passed to an entry.
struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  Dtype dtype = Dtype::F32;
  Role role = Role::Input;
  /// The manifest's `init` spec (e.g. "normal:0.02"); empty when absent.
  std::string init;

  /// The product of the dimensions (1 for rank 0).
  size_t numElements() const;
  /// The size of the dense row-major buffer in bytes.
  size_t byteSize() const;
  bool isResult() const { return isResultRole(role); }
};

/// One op of an entry's graph, over named tensors. Operands and results are
/// in the op's declaration order; nullopt marks an absent optional.
struct OpSpec {
  std::string op;
  std::map<std::string, std::string> attrs;
  /// The op's own lowering choices (`ops[k].lowering`, optional), e.g.
  /// "variant", "strategy", "chunk_len"; numbers and other non-strings as
  /// their JSON text.
  std::map<std::string, std::string> lowering;
  std::vector<std::optional<std::string>> operands;
  std::vector<std::optional<std::string>> results;
  /// The shape of each result (`ops[k].result_shapes`, optional; aligned
  /// with `results`, nullopt where a result is absent or not recorded).
  std::vector<std::optional<std::vector<int64_t>>> resultShapes;
};

/// One callable entry point of a workload binary.
struct EntrySpec {
  std::string name;
  std::string symbol;
  /// Arguments first, then results; `buffers[i]` is `tensors[i]`'s data.
  std::vector<TensorSpec> tensors;
  /// The entry's op graph in program order.
  std::vector<OpSpec> ops;

  /// The tensor called `tensorName`, or null.
  const TensorSpec *findTensor(const std::string &tensorName) const;
};

/// The parsed `ssm_workload_manifest`.
struct Manifest {
  std::string format; ///< Always "ssm-workload".
  int version = 0;    ///< Always 1.
  std::string target; ///< "cpu" or "gpu".
  std::string chip;   ///< e.g. "sm_90"; empty for target "cpu".
  std::string module;
  std::string pipeline;                       ///< lowering.pipeline
  std::map<std::string, std::string> options; ///< lowering.options
  std::vector<EntrySpec> entries;

  bool isGpu() const { return target == "gpu"; }
  /// The entry called `entryName`, or null.
  const EntrySpec *findEntry(const std::string &entryName) const;
};

/// Parses and validates a manifest. Throws std::runtime_error whose message
/// starts with "manifest: " and names the offending field by its JSON path,
/// e.g. "manifest: entries[0].tensors[2].dtype: unknown dtype 'f8' ...".
Manifest parseManifest(const std::string &json);

/// Reads the text of `ssm_workload_manifest` straight from the ELF file at
/// `path`, without loading it: no code of the binary runs (a GPU binary's
/// constructors load its kernels, which needs a GPU). Returns nullopt when the
/// file is no 64-bit little-endian ELF shared object exporting the symbol in
/// its dynamic symbol table; loading it with WorkloadLibrary then gives the
/// authoritative error.
std::optional<std::string> peekManifest(const std::string &path);

/// Checks, without loading it, that the file at `path` can be handed to
/// dlopen as a workload binary: a regular file, an ELF64 shared object for
/// this machine whose program headers and loadable segments lie within the
/// file (a truncated file would crash dlopen), exporting a manifest that
/// parses and every entry symbol it names. Throws std::runtime_error naming
/// the file otherwise.
void checkWorkloadBinary(const std::string &path);

/// The signature of every entry symbol.
using EntryFunction = void (*)(void **buffers);

/// A loaded workload binary: dlopen()ed with RTLD_NOW | RTLD_LOCAL, its
/// manifest parsed and every entry's symbol resolved. Unloaded on destruction.
class WorkloadLibrary {
public:
  /// Loads `path`. Throws std::runtime_error naming the file when it cannot
  /// be loaded (with dlerror()), is no workload binary, has a malformed
  /// manifest, or lacks an entry's symbol.
  explicit WorkloadLibrary(const std::string &path);
  ~WorkloadLibrary();
  WorkloadLibrary(const WorkloadLibrary &) = delete;
  WorkloadLibrary &operator=(const WorkloadLibrary &) = delete;

  const std::string &path() const { return filePath; }
  const Manifest &manifest() const { return parsed; }
  /// The raw manifest text as embedded in the binary.
  const std::string &manifestText() const { return rawManifest; }
  /// The resolved function of entry `entryName`; throws if there is none.
  EntryFunction entryFunction(const std::string &entryName) const;

private:
  std::string filePath;
  void *handle = nullptr;
  std::string rawManifest;
  Manifest parsed;
  std::map<std::string, EntryFunction> functions;
};

} // namespace ssmrt

#endif // SSMRT_WORKLOAD_H
