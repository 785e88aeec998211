//===- IntegerInputs.cpp - Value shapes and integer argument ranges -------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Integer (i32) arguments are token ids and labels: their values must lie in
// the vocabulary the graph reads them with, [0, V), with V the embedding
// weight's dim 0 (tokens) or the logits' last dim (labels). The logits are
// usually an intermediate value (a linear layer's result), whose shape the
// manifest does not record, hence the small shape inference over the graph.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Inputs.h"

#include "Random.h"
#include "Text.h"

#include <algorithm>
#include <cstdlib>

namespace ssmrt {

using ShapeMap = std::map<std::string, std::vector<int64_t>>;

/// The integers of a comma-separated attribute, or nullopt.
static std::optional<std::vector<int64_t>> listAttr(const OpSpec &op,
                                                    const std::string &key) {
  auto it = op.attrs.find(key);
  if (it == op.attrs.end())
    return std::nullopt;
  std::vector<int64_t> values;
  const std::string &text = it->second;
  size_t start = 0;
  while (text.find_first_not_of(' ', start) != std::string::npos) {
    size_t comma = text.find(',', start);
    values.push_back(std::atoll(text.substr(start, comma - start).c_str()));
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return values;
}

/// The shape of result `index` of `op` by its shape rule, given the shapes
/// of its operands (null where unknown); nullopt when there is no rule.
static std::optional<std::vector<int64_t>>
resultShape(const OpSpec &op, size_t index,
            const std::vector<const std::vector<int64_t> *> &in) {
  auto operand = [&](size_t i) -> const std::vector<int64_t> * {
    return i < in.size() ? in[i] : nullptr;
  };
  const std::string &name = op.op;
  if (name == "ssm.reshape" || name == "ssm.fill" || name == "ssm.slice_grad")
    return listAttr(op, "shape");
  if (name == "ssm.cross_entropy")
    return std::vector<int64_t>{};
  if (name == "ssm.linear" && operand(0) && operand(1) &&
      !operand(0)->empty() && operand(1)->size() == 2) {
    std::vector<int64_t> shape = *operand(0);
    shape.back() = (*operand(1))[0];
    return shape;
  }
  if (name == "ssm.embedding" && operand(0) && operand(1) &&
      operand(1)->size() == 2) {
    std::vector<int64_t> shape = *operand(0);
    shape.push_back((*operand(1))[1]);
    return shape;
  }
  if (name == "ssm.transpose" && operand(0)) {
    std::optional<std::vector<int64_t>> perm = listAttr(op, "permutation");
    if (!perm || perm->size() != operand(0)->size())
      return std::nullopt;
    std::vector<int64_t> shape;
    for (int64_t p : *perm) {
      if (p < 0 || p >= static_cast<int64_t>(operand(0)->size()))
        return std::nullopt;
      shape.push_back((*operand(0))[p]);
    }
    return shape;
  }
  if (name == "ssm.slice" && operand(0)) {
    std::optional<std::vector<int64_t>> axis = listAttr(op, "axis");
    std::optional<std::vector<int64_t>> size = listAttr(op, "size");
    std::vector<int64_t> shape = *operand(0);
    if (!axis || !size || axis->size() != 1 || size->size() != 1 ||
        (*axis)[0] < 0 || (*axis)[0] >= static_cast<int64_t>(shape.size()))
      return std::nullopt;
    shape[(*axis)[0]] = (*size)[0];
    return shape;
  }
  // Ops whose every result has the shape of the matching operand (the
  // gradients of linear: dx, dweight, dbias), or of the first one.
  if (name == "ssm.linear_grad" || name == "ssm.causal_conv1d_grad")
    return operand(index) ? std::optional(*operand(index)) : std::nullopt;
  if (name == "ssm.embedding_grad")
    return operand(1) ? std::optional(*operand(1)) : std::nullopt;
  if (name == "ssm.add" || name == "ssm.flip" ||
      name == "ssm.cross_entropy_grad" || name == "ssm.causal_conv1d" ||
      (name == "ssm.rms_norm" && index < 2))
    return operand(0) ? std::optional(*operand(0)) : std::nullopt;
  return std::nullopt;
}

std::map<std::string, std::vector<int64_t>>
inferValueShapes(const EntrySpec &entry) {
  ShapeMap shapes;
  for (const TensorSpec &tensor : entry.tensors)
    shapes[tensor.name] = tensor.shape;
  for (const OpSpec &op : entry.ops) {
    std::vector<const std::vector<int64_t> *> in;
    for (const std::optional<std::string> &name : op.operands) {
      auto it = name ? shapes.find(*name) : shapes.end();
      in.push_back(it == shapes.end() ? nullptr : &it->second);
    }
    for (size_t i = 0; i < op.results.size(); ++i) {
      if (!op.results[i] || shapes.count(*op.results[i]))
        continue; // Entry tensors keep the manifest's shape.
      // The compiler records result shapes; the rules cover manifests
      // written without them.
      if (op.resultShapes[i])
        shapes[*op.results[i]] = *op.resultShapes[i];
      else if (std::optional<std::vector<int64_t>> shape =
                   resultShape(op, i, in))
        shapes[*op.results[i]] = *shape;
    }
  }
  return shapes;
}

/// Records that `name` reads values in [0, vocab) as `what`.
static void addUse(std::vector<IntegerInput> &inputs, const std::string &name,
                   bool tokens, int64_t vocab) {
  auto it =
      std::find_if(inputs.begin(), inputs.end(),
                   [&](const IntegerInput &in) { return in.name == name; });
  if (it == inputs.end())
    return; // Not an integer argument.
  (tokens ? it->tokens : it->labels) = true;
  it->vocab = it->vocab ? std::min(it->vocab, vocab) : vocab;
}

std::vector<IntegerInput> integerInputs(const EntrySpec &entry) {
  std::vector<IntegerInput> inputs;
  for (const TensorSpec &tensor : entry.tensors)
    if (!tensor.isResult() && isIntegerDtype(tensor.dtype))
      inputs.push_back({tensor.name, false, false, 0});
  if (inputs.empty())
    return inputs;
  ShapeMap shapes = inferValueShapes(entry);
  auto dimOf = [&](const std::optional<std::string> &value, bool last,
                   const std::string &where) -> int64_t {
    auto it = value ? shapes.find(*value) : shapes.end();
    if (it == shapes.end() || it->second.empty())
      fail("cannot derive the vocabulary size of " + where +
           ": the shape of '" + value.value_or("?") +
           "' is unknown (pass --inputs DIR)");
    return last ? it->second.back() : it->second.front();
  };
  for (const OpSpec &op : entry.ops) {
    bool embedding = op.op == "ssm.embedding" || op.op == "ssm.embedding_grad";
    bool loss =
        op.op == "ssm.cross_entropy" || op.op == "ssm.cross_entropy_grad";
    if (embedding && op.operands.size() >= 2 && op.operands[0])
      addUse(inputs, *op.operands[0], true,
             dimOf(op.operands[1], false, op.op + " tokens"));
    if (loss && op.operands.size() >= 2 && op.operands[1])
      addUse(inputs, *op.operands[1], false,
             dimOf(op.operands[0], true, op.op + " labels"));
  }
  for (const IntegerInput &input : inputs)
    if (input.vocab <= 0)
      fail("i32 argument '" + input.name +
           "' feeds no ssm.embedding tokens or ssm.cross_entropy labels of a "
           "non-empty vocabulary; its value range is unknown (pass --inputs "
           "DIR)");
  return inputs;
}

void fillIntegers(const TensorSpec &tensor, uint64_t seed, void *data,
                  int64_t vocab) {
  Random random(seed ^ hashName(tensor.name));
  for (size_t i = 0, e = tensor.numElements(); i < e; ++i)
    storeElement(tensor.dtype, data, i,
                 static_cast<double>(random.below(vocab)));
}

} // namespace ssmrt
