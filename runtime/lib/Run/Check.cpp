//===- Check.cpp - ssm-run --check: results against the reference ---------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Check.h"

#include "Text.h"

#include "ssmrt/Reference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <ostream>

namespace ssmrt {

//===----------------------------------------------------------------------===//
// Checking against the reference
//===----------------------------------------------------------------------===//

double defaultTolerance(Dtype dtype) {
  switch (dtype) {
  case Dtype::F64:
    return 1e-9;
  case Dtype::F32:
    return 2e-5;
  case Dtype::F16:
    return 5e-3;
  case Dtype::BF16:
    return 3e-2;
  case Dtype::I32:
    return 0.0; // Exact.
  }
  return 0.0;
}

double entryTolerance(const EntrySpec &entry, Dtype dtype) {
  bool tf32 = std::any_of(entry.ops.begin(), entry.ops.end(), [](auto &op) {
    auto it = op.lowering.find("strategy");
    return it != op.lowering.end() && it->second == "cublaslt-tf32";
  });
  if (dtype == Dtype::F32 && tf32)
    return defaultTolerance(Dtype::F16);
  return defaultTolerance(dtype);
}

double normRelativeError(const std::vector<double> &got,
                         const std::vector<double> &ref) {
  const double inf = std::numeric_limits<double>::infinity();
  if (got.size() != ref.size())
    return inf;
  double maxErr = 0.0, maxRef = 0.0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isfinite(ref[i]))
      maxRef = std::max(maxRef, std::fabs(ref[i]));
    if (std::isfinite(got[i]) && std::isfinite(ref[i]))
      maxErr = std::max(maxErr, std::fabs(got[i] - ref[i]));
    else if (!(std::isinf(got[i]) && got[i] == ref[i]))
      return inf; // NaN anywhere, or an unmatched infinity.
  }
  return maxErr / std::max(maxRef, 1e-30);
}

/// The elements of a host buffer as a float64 reference tensor.
ref::Tensor toReference(const TensorSpec &tensor, const HostBuffer &buffer) {
  ref::Tensor result;
  result.shape = tensor.shape;
  result.data.resize(tensor.numElements());
  for (size_t i = 0; i < result.data.size(); ++i)
    result.data[i] = loadElement(tensor.dtype, buffer.data(), i);
  return result;
}

using ValueMap = ReferenceValues;

/// The attributes of `op` for the reference: reshape and fill, whose result
/// shape no operand gives, get `shape` from the entry tensor they produce.
static ref::Attrs referenceAttrs(const EntrySpec &entry, const OpSpec &op) {
  ref::Attrs attrs(op.attrs.begin(), op.attrs.end());
  bool needsShape = op.op == "ssm.reshape" || op.op == "ssm.fill";
  if (!needsShape || attrs.count("shape") || op.results.empty() ||
      !op.results[0])
    return attrs;
  if (const TensorSpec *tensor = entry.findTensor(*op.results[0])) {
    std::string text;
    for (size_t i = 0; i < tensor->shape.size(); ++i)
      text += (i ? "," : "") + std::to_string(tensor->shape[i]);
    attrs["shape"] = text;
  }
  return attrs;
}

/// Evaluates op `index` of the graph, adding its named results to `values`.
static void evaluateGraphOp(const EntrySpec &entry, const OpSpec &op,
                            size_t index, ValueMap &values) {
  std::string where = "ops[" + std::to_string(index) + "] (" + op.op + ")";
  std::vector<ref::OptTensor> operands;
  for (const std::optional<std::string> &name : op.operands) {
    if (!name) {
      operands.push_back(std::nullopt);
      continue;
    }
    auto it = values.find(*name);
    if (it == values.end())
      fail("--check: " + where + ": operand '" + *name +
           "' is neither an argument nor an earlier result");
    operands.push_back(it->second);
  }
  std::vector<ref::OptTensor> results;
  try {
    results = ref::evaluateOp(op.op, referenceAttrs(entry, op), operands);
  } catch (const std::exception &e) {
    fail("--check: the reference rejects " + where + ": " + e.what());
  }
  if (results.size() != op.results.size())
    fail("--check: " + where + " names " + std::to_string(op.results.size()) +
         " results, the reference returns " + std::to_string(results.size()));
  for (size_t i = 0; i < results.size(); ++i) {
    if (!op.results[i])
      continue;
    if (!results[i])
      fail("--check: " + where + ": result '" + *op.results[i] +
           "' is absent in the reference (an optional result)");
    values[*op.results[i]] = std::move(*results[i]);
  }
}

/// Compares one result tensor with its reference value, if any.
static CheckResult compareTensor(const TensorSpec &tensor,
                                 const HostBuffer &buffer,
                                 const ValueMap &values, double tolerance) {
  CheckResult result;
  result.name = tensor.name;
  result.dtype = tensor.dtype;
  result.tolerance = tolerance;
  result.maxRelErr = std::numeric_limits<double>::infinity();
  auto it = values.find(tensor.name);
  if (it == values.end()) {
    result.note = "no op of the entry's graph produces it";
    return result;
  }
  if (it->second.shape != tensor.shape) {
    result.note = "the reference has shape " + formatShape(it->second.shape) +
                  ", the manifest " + formatShape(tensor.shape);
    return result;
  }
  result.maxRelErr =
      normRelativeError(toReference(tensor, buffer).data, it->second.data);
  result.passed = result.maxRelErr <= tolerance;
  return result;
}

ReferenceValues referenceArguments(const EntrySpec &entry,
                                   const HostBuffers &buffers) {
  ValueMap values;
  for (size_t i = 0; i < entry.tensors.size(); ++i)
    if (!entry.tensors[i].isResult())
      values[entry.tensors[i].name] = toReference(entry.tensors[i], buffers[i]);
  return values;
}

void evaluateGraph(const EntrySpec &entry, ReferenceValues &values) {
  if (entry.ops.empty())
    fail("--check: entry '" + entry.name +
         "' records no ops graph in its manifest; nothing to evaluate");
  for (size_t i = 0; i < entry.ops.size(); ++i)
    evaluateGraphOp(entry, entry.ops[i], i, values);
}

std::vector<CheckResult> checkEntry(const EntrySpec &entry,
                                    const HostBuffers &buffers,
                                    std::optional<double> tol) {
  ValueMap values = referenceArguments(entry, buffers);
  evaluateGraph(entry, values);
  std::vector<CheckResult> results;
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (tensor.isResult())
      results.push_back(compareTensor(
          tensor, buffers[i], values,
          isIntegerDtype(tensor.dtype)
              ? 0.0 // Integers compare exactly, whatever --tol says.
              : tol.value_or(entryTolerance(entry, tensor.dtype))));
  }
  return results;
}

size_t reportCheck(const std::vector<CheckResult> &results, std::ostream &out) {
  size_t failed = 0;
  for (const CheckResult &result : results) {
    if (!result.line.empty()) {
      out << result.line << (result.passed ? " PASS" : " FAIL") << "\n";
      failed += !result.passed;
      continue;
    }
    out << "check " << result.name << " " << dtypeName(result.dtype)
        << format(" max_rel_err=%.3e tol=%g ", result.maxRelErr,
                  result.tolerance)
        << (result.passed ? "PASS" : "FAIL");
    if (!result.note.empty())
      out << " (" << result.note << ")";
    out << "\n";
    failed += !result.passed;
  }
  out << "check: " << results.size() - failed << " passed, " << failed
      << " failed\n";
  return failed;
}

} // namespace ssmrt
