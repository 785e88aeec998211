//===- Evaluate.cpp - Evaluate an ssm op by name -------------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The by-name dispatcher of the reference: maps an op name, textual attributes
// and declaration-ordered operands onto the typed forward/backward functions.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <cstdlib>
#include <functional>
#include <optional>
#include <stdexcept>

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

/// Builds a signature from names where a trailing '?' marks an optional one.
static OpSignature makeSignature(const std::vector<std::string> &operands,
                                 const std::vector<std::string> &results) {
  OpSignature sig;
  auto add = [](const std::vector<std::string> &specs,
                std::vector<std::string> &names, std::vector<bool> &optional) {
    for (const std::string &spec : specs) {
      bool opt = !spec.empty() && spec.back() == '?';
      names.push_back(opt ? spec.substr(0, spec.size() - 1) : spec);
      optional.push_back(opt);
    }
  };
  add(operands, sig.operands, sig.optionalOperands);
  add(results, sig.results, sig.optionalResults);
  return sig;
}

/// Every supported op, keyed by name.
static const std::map<std::string, OpSignature> &signatureTable() {
  static const std::map<std::string, OpSignature> table = {
      {"ssm.selective_scan",
       makeSignature({"u", "delta", "A", "B", "C", "D?", "z?", "delta_bias?"},
                     {"y", "last_state"})},
      {"ssm.selective_scan_grad",
       makeSignature(
           {"u", "delta", "A", "B", "C", "D?", "z?", "delta_bias?", "dy",
            "d_last_state?"},
           {"du", "ddelta", "dA", "dB", "dC", "dD?", "dz?", "ddelta_bias?"})},
      {"ssm.ssd_scan", makeSignature({"x", "dt", "A", "B", "C", "D?", "z?",
                                      "dt_bias?", "initial_state?"},
                                     {"y", "final_state"})},
      {"ssm.ssd_scan_grad",
       makeSignature({"x", "dt", "A", "B", "C", "D?", "z?", "dt_bias?",
                      "initial_state?", "dy", "d_final_state?"},
                     {"dx", "ddt", "dA", "dB", "dC", "dD?", "dz?", "ddt_bias?",
                      "d_initial_state?"})},
      {"ssm.causal_conv1d", makeSignature({"x", "weight", "bias?"}, {"y"})},
      {"ssm.causal_conv1d_grad", makeSignature({"x", "weight", "bias?", "dy"},
                                               {"dx", "dweight", "dbias?"})},
      {"ssm.rms_norm", makeSignature({"x", "weight", "residual?", "z?"},
                                     {"y", "residual_out?"})},
      {"ssm.rms_norm_grad",
       makeSignature(
           {"x", "weight", "residual?", "z?", "dy", "d_residual_out?"},
           {"dx", "dweight", "dresidual?", "dz?"})},
      {"ssm.linear", makeSignature({"x", "weight", "bias?"}, {"y"})},
      {"ssm.linear_grad", makeSignature({"x", "weight", "bias?", "dy"},
                                        {"dx", "dweight", "dbias?"})},
      {"ssm.embedding", makeSignature({"tokens", "weight"}, {"y"})},
      {"ssm.embedding_grad",
       makeSignature({"tokens", "weight", "dy"}, {"dweight"})},
      {"ssm.cross_entropy", makeSignature({"logits", "labels"}, {"loss"})},
      {"ssm.cross_entropy_grad",
       makeSignature({"logits", "labels", "dloss"}, {"dlogits"})},
      {"ssm.transpose", makeSignature({"x"}, {"y"})},
      {"ssm.reshape", makeSignature({"x"}, {"y"})},
      {"ssm.slice", makeSignature({"x"}, {"y"})},
      {"ssm.slice_grad", makeSignature({"dy"}, {"dx"})},
      {"ssm.concat", makeSignature({"lhs", "rhs"}, {"y"})},
      {"ssm.flip", makeSignature({"x"}, {"y"})},
      {"ssm.add", makeSignature({"lhs", "rhs"}, {"y"})},
      {"ssm.fill", makeSignature({}, {"y"})},
  };
  return table;
}

std::vector<std::string> ssmrt::ref::supportedOps() {
  std::vector<std::string> names;
  for (const auto &entry : signatureTable())
    names.push_back(entry.first);
  return names;
}

const OpSignature &ssmrt::ref::opSignature(const std::string &opName) {
  const auto &table = signatureTable();
  auto it = table.find(opName);
  if (it != table.end())
    return it->second;
  std::string known;
  for (const auto &entry : table)
    known += (known.empty() ? "" : ", ") + entry.first;
  throw std::invalid_argument("unknown op '" + opName +
                              "' (supported: " + known + ")");
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

/// Reads boolean attribute `key` ("true"/"1" or "false"/"0").
static bool boolAttr(const std::string &op, const Attrs &attrs,
                     const std::string &key, bool dflt) {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return dflt;
  if (it->second == "true" || it->second == "1")
    return true;
  if (it->second == "false" || it->second == "0")
    return false;
  fail(op, "attribute '" + key + "' must be true or false, got '" + it->second +
               "'");
}

/// Reads floating-point attribute `key`; a trailing MLIR type annotation such
/// as " : f32" is ignored.
static double floatAttr(const std::string &op, const Attrs &attrs,
                        const std::string &key, double dflt) {
  auto it = attrs.find(key);
  if (it == attrs.end())
    return dflt;
  std::string text = it->second.substr(0, it->second.find(':'));
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  const char *begin = text.c_str();
  char *end = nullptr;
  double value = std::strtod(begin, &end);
  if (text.empty() || end != begin + text.size())
    fail(op,
         "attribute '" + key + "' must be a number, got '" + it->second + "'");
  return value;
}

/// The text of attribute `key`, which must be present.
static const std::string &requiredAttr(const std::string &op,
                                       const Attrs &attrs,
                                       const std::string &key) {
  auto it = attrs.find(key);
  if (it == attrs.end())
    fail(op, "attribute '" + key + "' is missing");
  return it->second;
}

/// Parses one decimal integer (surrounding spaces allowed); nullopt if `text`
/// is anything else.
static std::optional<int64_t> parseInteger(std::string text) {
  while (!text.empty() && text.front() == ' ')
    text.erase(text.begin());
  while (!text.empty() && text.back() == ' ')
    text.pop_back();
  if (text.empty() || text.size() > 18)
    return std::nullopt;
  size_t start = text[0] == '-' ? 1 : 0;
  if (start == text.size() ||
      text.find_first_not_of("0123456789", start) != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

/// Reads the decimal integer attribute `key`, which must be present.
static int64_t intAttr(const std::string &op, const Attrs &attrs,
                       const std::string &key) {
  const std::string &text = requiredAttr(op, attrs, key);
  std::optional<int64_t> value = parseInteger(text);
  if (!value)
    fail(op, "attribute '" + key + "' must be a decimal integer, got '" + text +
                 "'");
  return *value;
}

/// Reads the comma-separated integer list attribute `key` ("0,2,1"; "" is
/// the empty list), which must be present.
static std::vector<int64_t>
intListAttr(const std::string &op, const Attrs &attrs, const std::string &key) {
  const std::string &text = requiredAttr(op, attrs, key);
  std::vector<int64_t> values;
  if (text.find_first_not_of(' ') == std::string::npos)
    return values;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::optional<int64_t> value =
        parseInteger(text.substr(start, comma - start));
    if (!value)
      fail(op, "attribute '" + key +
                   "' must be comma-separated decimal integers, got '" + text +
                   "'");
    values.push_back(*value);
    if (comma == std::string::npos)
      return values;
    start = comma + 1;
  }
}

/// The result shape of an op that cannot infer it (reshape, fill).
static std::vector<int64_t> shapeAttr(const std::string &op,
                                      const Attrs &attrs) {
  if (!attrs.count("shape"))
    fail(op, "the result shape is unknown (attribute 'shape' is missing and "
             "the result is no entry tensor)");
  return intListAttr(op, attrs, "shape");
}

/// Reads the `activation` attribute ("none" or "silu"; absent = none).
static Activation activationAttr(const std::string &op, const Attrs &attrs) {
  auto it = attrs.find("activation");
  if (it == attrs.end() || it->second == "none")
    return Activation::None;
  if (it->second == "silu")
    return Activation::Silu;
  fail(op,
       "attribute 'activation' must be none or silu, got '" + it->second + "'");
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

/// Checks the operand count and that every required operand is present.
static void checkOperands(const std::string &op, const OpSignature &sig,
                          const std::vector<OptTensor> &operands) {
  if (operands.size() != sig.operands.size())
    fail(op, "expected " + std::to_string(sig.operands.size()) +
                 " operands (absent optional ones as nullopt), got " +
                 std::to_string(operands.size()));
  for (size_t i = 0; i < operands.size(); ++i)
    if (!operands[i] && !sig.optionalOperands[i])
      fail(op, "required operand '" + sig.operands[i] + "' is absent");
}

using Operands = std::vector<OptTensor>;
using Results = std::vector<OptTensor>;
using Evaluator = std::function<Results(const std::string &, const Attrs &,
                                        const Operands &)>;

static SelectiveScanInputs selectiveScanInputs(const std::string &op,
                                               const Attrs &attrs,
                                               const Operands &ops) {
  return {*ops[0], *ops[1], *ops[2],
          *ops[3], *ops[4], ops[5],
          ops[6],  ops[7],  boolAttr(op, attrs, "delta_softplus", false)};
}

static SSDScanInputs ssdScanInputs(const std::string &op, const Attrs &attrs,
                                   const Operands &ops) {
  return {*ops[0], *ops[1],
          *ops[2], *ops[3],
          *ops[4], ops[5],
          ops[6],  ops[7],
          ops[8],  boolAttr(op, attrs, "dt_softplus", false)};
}

static CausalConv1dInputs convInputs(const std::string &op, const Attrs &attrs,
                                     const Operands &ops) {
  return {*ops[0], *ops[1], ops[2], activationAttr(op, attrs)};
}

static RMSNormInputs rmsNormInputs(const std::string &op, const Attrs &attrs,
                                   const Operands &ops) {
  return {*ops[0], *ops[1], ops[2], ops[3], floatAttr(op, attrs, "eps", 1e-5)};
}

static LinearInputs linearInputs(const Operands &ops) {
  return {*ops[0], *ops[1], ops[2]};
}

static SliceSpec sliceSpec(const std::string &op, const Attrs &attrs) {
  return {intAttr(op, attrs, "axis"), intAttr(op, attrs, "offset"),
          intAttr(op, attrs, "size")};
}

/// The evaluators of the graph ops (linear, embedding, loss, layout).
static void addGraphEvaluators(std::map<std::string, Evaluator> &table) {
  table["ssm.linear"] = [](const std::string &, const Attrs &,
                           const Operands &ops) {
    return Results{linearForward(linearInputs(ops))};
  };
  table["ssm.linear_grad"] = [](const std::string &, const Attrs &,
                                const Operands &ops) {
    LinearGrads g = linearBackward(linearInputs(ops), *ops[3]);
    return Results{g.dx, g.dweight, g.dbias};
  };
  table["ssm.embedding"] = [](const std::string &, const Attrs &,
                              const Operands &ops) {
    return Results{embeddingForward(*ops[0], *ops[1])};
  };
  table["ssm.embedding_grad"] = [](const std::string &, const Attrs &,
                                   const Operands &ops) {
    return Results{embeddingBackward(*ops[0], *ops[1], *ops[2])};
  };
  table["ssm.cross_entropy"] = [](const std::string &, const Attrs &,
                                  const Operands &ops) {
    return Results{crossEntropyForward(*ops[0], *ops[1])};
  };
  table["ssm.cross_entropy_grad"] = [](const std::string &, const Attrs &,
                                       const Operands &ops) {
    return Results{crossEntropyBackward(*ops[0], *ops[1], *ops[2])};
  };
  table["ssm.transpose"] = [](const std::string &op, const Attrs &attrs,
                              const Operands &ops) {
    return Results{
        transposeForward(*ops[0], intListAttr(op, attrs, "permutation"))};
  };
  table["ssm.reshape"] = [](const std::string &op, const Attrs &attrs,
                            const Operands &ops) {
    return Results{reshapeForward(*ops[0], shapeAttr(op, attrs))};
  };
  table["ssm.slice"] = [](const std::string &op, const Attrs &attrs,
                          const Operands &ops) {
    return Results{sliceForward(*ops[0], sliceSpec(op, attrs))};
  };
  table["ssm.slice_grad"] = [](const std::string &op, const Attrs &attrs,
                               const Operands &ops) {
    return Results{
        sliceBackward(shapeAttr(op, attrs), *ops[0], sliceSpec(op, attrs))};
  };
  table["ssm.concat"] = [](const std::string &op, const Attrs &attrs,
                           const Operands &ops) {
    return Results{concatForward(*ops[0], *ops[1], intAttr(op, attrs, "axis"))};
  };
  table["ssm.flip"] = [](const std::string &op, const Attrs &attrs,
                         const Operands &ops) {
    return Results{flipForward(*ops[0], intAttr(op, attrs, "axis"))};
  };
  table["ssm.add"] = [](const std::string &, const Attrs &,
                        const Operands &ops) {
    return Results{addForward(*ops[0], *ops[1])};
  };
  table["ssm.fill"] = [](const std::string &op, const Attrs &attrs,
                         const Operands &) {
    requiredAttr(op, attrs, "value");
    return Results{
        Tensor::filled(shapeAttr(op, attrs), floatAttr(op, attrs, "value", 0))};
  };
}

/// The evaluator of every supported op, keyed by name.
static const std::map<std::string, Evaluator> &evaluatorTable() {
  static const std::map<std::string, Evaluator> table = [] {
    std::map<std::string, Evaluator> table = {
        {"ssm.selective_scan",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto r = selectiveScanForward(selectiveScanInputs(op, attrs, ops));
           return Results{r.y, r.lastState};
         }},
        {"ssm.selective_scan_grad",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto g = selectiveScanBackward(selectiveScanInputs(op, attrs, ops),
                                          *ops[8], ops[9]);
           return Results{g.du, g.ddelta, g.dA, g.dB,
                          g.dC, g.dD,     g.dz, g.ddeltaBias};
         }},
        {"ssm.ssd_scan",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto r = ssdScanForward(ssdScanInputs(op, attrs, ops));
           return Results{r.y, r.finalState};
         }},
        {"ssm.ssd_scan_grad",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto g =
               ssdScanBackward(ssdScanInputs(op, attrs, ops), *ops[9], ops[10]);
           return Results{g.dx, g.ddt, g.dA,      g.dB,           g.dC,
                          g.dD, g.dz,  g.ddtBias, g.dInitialState};
         }},
        {"ssm.causal_conv1d",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           return Results{causalConv1dForward(convInputs(op, attrs, ops))};
         }},
        {"ssm.causal_conv1d_grad",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto g = causalConv1dBackward(convInputs(op, attrs, ops), *ops[3]);
           return Results{g.dx, g.dweight, g.dbias};
         }},
        {"ssm.rms_norm",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto r = rmsNormForward(rmsNormInputs(op, attrs, ops));
           return Results{r.y, r.residualOut};
         }},
        {"ssm.rms_norm_grad",
         [](const std::string &op, const Attrs &attrs, const Operands &ops) {
           auto g =
               rmsNormBackward(rmsNormInputs(op, attrs, ops), *ops[4], ops[5]);
           return Results{g.dx, g.dweight, g.dresidual, g.dz};
         }},
    };
    addGraphEvaluators(table);
    return table;
  }();
  return table;
}

std::vector<OptTensor>
ssmrt::ref::evaluateOp(const std::string &opName, const Attrs &attrs,
                       const std::vector<OptTensor> &operands) {
  const OpSignature &sig = opSignature(opName);
  checkOperands(opName, sig, operands);
  return evaluatorTable().at(opName)(opName, attrs, operands);
}
