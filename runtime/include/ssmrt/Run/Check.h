//===- Check.h - ssm-run --check: results against the reference -*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Evaluates an entry's op graph with the float64 reference (ssmrt/Reference.h)
// on the arguments the binary received and compares every result tensor by
// its norm-relative error. docs/WORKLOAD_BINARY.md documents the measure and
// the tolerances.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_CHECK_H
#define SSMRT_RUN_CHECK_H

#include "ssmrt/Reference.h"
#include "ssmrt/Run/Inputs.h"
#include "ssmrt/Workload.h"

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssmrt {

/// The --check tolerance of a dtype: f64 1e-9, f32 2e-5, f16 5e-3, bf16 3e-2,
/// i32 0 (exact; --tol does not change it).
double defaultTolerance(Dtype dtype);

/// The --check tolerance of a `dtype` result of `entry`: defaultTolerance,
/// except that f32 results of an entry whose products ran on TF32 tensor
/// cores (an op lowered with strategy `cublaslt-tf32`) get f16's, TF32
/// having f16's 10-bit mantissa.
double entryTolerance(const EntrySpec &entry, Dtype dtype);

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
  /// When set, the whole line reportCheck prints (other checks than a
  /// tensor comparison, e.g. the finite-difference check of GradCheck.h).
  std::string line;
};

/// Named float64 values of an entry's graph: arguments, op results.
using ReferenceValues = std::map<std::string, ref::Tensor>;

/// The elements of a host buffer of `tensor` as a float64 tensor (integers
/// and narrow floats exactly).
ref::Tensor toReference(const TensorSpec &tensor, const HostBuffer &buffer);

/// Every argument of `entry` in `buffers`, as float64 tensors by name.
ReferenceValues referenceArguments(const EntrySpec &entry,
                                   const HostBuffers &buffers);

/// Evaluates `entry`'s op graph op by op with the reference on `values`
/// (which must hold the arguments), adding every named result. `ssm.reshape`
/// and `ssm.fill` without a `shape` attribute take the shape of the entry
/// tensor they produce. Throws std::runtime_error ("--check: ...") when the
/// graph is empty or cannot be evaluated.
void evaluateGraph(const EntrySpec &entry, ReferenceValues &values);

/// Evaluates `entry`'s op graph with the float64 reference on the argument
/// values in `buffers` and compares every result tensor. `tol` overrides the
/// per-dtype tolerances. Throws std::runtime_error when the graph cannot be
/// evaluated (undefined operand, reference rejects an op, ...).
std::vector<CheckResult> checkEntry(const EntrySpec &entry,
                                    const HostBuffers &buffers,
                                    std::optional<double> tol);

/// Prints one `check <name> ...` line per result and the `check: N passed, M
/// failed` summary; returns the number of failures.
size_t reportCheck(const std::vector<CheckResult> &results, std::ostream &out);

} // namespace ssmrt

#endif // SSMRT_RUN_CHECK_H
