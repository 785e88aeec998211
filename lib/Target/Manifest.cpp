//===- Manifest.cpp - the self-description of a workload binary -*- C++ -*-===//
//
// Names every tensor crossing an entry function's boundary and records the
// entry's ssm op graph, so that the runtime can fill inputs, name outputs
// and evaluate the same graph with its float64 oracle.
//
//===----------------------------------------------------------------------===//

#include "ssm/IR/SSMOps.h"
#include "ssm/Target/WorkloadBinary.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::ssm;

/// Operand and result names of each op in ODS declaration order: the order
/// of the manifest (and of the oracle's evaluateOp).
static std::pair<ArrayRef<StringRef>, ArrayRef<StringRef>>
odsNames(Operation *op) {
  static const StringRef selIn[] = {"u", "delta", "A", "B",
                                    "C", "D",     "z", "delta_bias"};
  static const StringRef selGradIn[] = {"u",  "delta",       "A", "B",
                                        "C",  "D",           "z", "delta_bias",
                                        "dy", "d_last_state"};
  static const StringRef selOut[] = {"y", "last_state"};
  static const StringRef selGradOut[] = {"du", "ddelta", "dA", "dB",
                                         "dC", "dD",     "dz", "ddelta_bias"};
  static const StringRef ssdIn[] = {
      "x", "dt", "A", "B", "C", "D", "z", "dt_bias", "initial_state"};
  static const StringRef ssdGradIn[] = {
      "x",  "dt",           "A", "B", "C", "D", "z", "dt_bias", "initial_state",
      "dy", "d_final_state"};
  static const StringRef ssdOut[] = {"y", "final_state"};
  static const StringRef ssdGradOut[] = {
      "dx", "ddt", "dA", "dB", "dC", "dD", "dz", "ddt_bias", "d_initial_state"};
  static const StringRef convIn[] = {"x", "weight", "bias"};
  static const StringRef convGradIn[] = {"x", "weight", "bias", "dy"};
  static const StringRef convOut[] = {"y"};
  static const StringRef convGradOut[] = {"dx", "dweight", "dbias"};
  static const StringRef rmsIn[] = {"x", "weight", "residual", "z"};
  static const StringRef rmsGradIn[] = {"x", "weight", "residual",
                                        "z", "dy",     "d_residual_out"};
  static const StringRef rmsOut[] = {"y", "residual_out"};
  static const StringRef rmsGradOut[] = {"dx", "dweight", "dresidual", "dz"};
  using Names = std::pair<ArrayRef<StringRef>, ArrayRef<StringRef>>;
  return llvm::TypeSwitch<Operation *, Names>(op)
      .Case<SelectiveScanOp>([](auto) {
        return Names{selIn, selOut};
      })
      .Case<SelectiveScanGradOp>([](auto) {
        return Names{selGradIn, selGradOut};
      })
      .Case<SSDScanOp>([](auto) {
        return Names{ssdIn, ssdOut};
      })
      .Case<SSDScanGradOp>([](auto) {
        return Names{ssdGradIn, ssdGradOut};
      })
      .Case<CausalConv1dOp>([](auto) {
        return Names{convIn, convOut};
      })
      .Case<CausalConv1dGradOp>([](auto) {
        return Names{convGradIn, convGradOut};
      })
      .Case<RMSNormOp>([](auto) {
        return Names{rmsIn, rmsOut};
      })
      .Case<RMSNormGradOp>([](auto) {
        return Names{rmsGradIn, rmsGradOut};
      })
      .Default([](auto) { return Names{}; });
}

/// The value of each ODS operand (null when an optional one is absent).
static SmallVector<Value> odsOperands(Operation *op, size_t count) {
  SmallVector<Value> values;
  DenseI32ArrayAttr segments;
  if (auto props = op->getPropertiesAsAttribute())
    if (auto dict = dyn_cast<DictionaryAttr>(props))
      segments = dict.getAs<DenseI32ArrayAttr>("operandSegmentSizes");
  // Ops without operand segments have at most one optional operand (the
  // convolution's `bias`); it is absent when an operand is missing.
  bool biasAbsent = !segments && op->getNumOperands() < count;
  unsigned next = 0;
  for (size_t i = 0; i < count; ++i) {
    int32_t size = segments ? segments[i] : !(biasAbsent && i == 2);
    values.push_back(size ? op->getOperand(next) : Value());
    next += size;
  }
  return values;
}

static SmallVector<Value> odsResults(Operation *op, size_t count) {
  SmallVector<Value> values;
  DenseI32ArrayAttr segments;
  if (auto props = op->getPropertiesAsAttribute())
    if (auto dict = dyn_cast<DictionaryAttr>(props))
      segments = dict.getAs<DenseI32ArrayAttr>("resultSegmentSizes");
  unsigned next = 0;
  for (size_t i = 0; i < count; ++i) {
    int32_t size = segments ? segments[i] : (next < op->getNumResults());
    values.push_back(size ? op->getResult(next) : Value());
    next += size;
  }
  return values;
}

static bool isParameterOperand(StringRef name) {
  return llvm::is_contained(
      {"A", "D", "delta_bias", "dt_bias", "weight", "bias"}, name);
}

static std::string dtypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isF64())
    return "f64";
  if (type.isBF16())
    return "bf16";
  if (type.isF16())
    return "f16";
  return "";
}

static llvm::json::Object opAttributes(Operation *op) {
  llvm::json::Object attrs;
  auto flag = [](bool on) { return on ? "true" : "false"; };
  llvm::TypeSwitch<Operation *>(op)
      .Case<SelectiveScanOp, SelectiveScanGradOp>([&](auto scan) {
        attrs["delta_softplus"] = flag(scan.getDeltaSoftplus());
      })
      .Case<SSDScanOp, SSDScanGradOp>(
          [&](auto scan) { attrs["dt_softplus"] = flag(scan.getDtSoftplus()); })
      .Case<CausalConv1dOp, CausalConv1dGradOp>([&](auto conv) {
        attrs["activation"] = stringifyActivation(conv.getActivation()).str();
      })
      .Case<RMSNormOp, RMSNormGradOp>([&](auto norm) {
        attrs["eps"] =
            llvm::formatv("{0:e9}", norm.getEps().convertToDouble()).str();
      });
  return attrs;
}

namespace {
/// Builds the manifest entry of one function.
class EntryDescriber {
public:
  explicit EntryDescriber(func::FuncOp func) : func(func) {}

  FailureOr<llvm::json::Object> describe();

private:
  LogicalResult nameArguments();
  LogicalResult addTensor(Value value, Location loc, StringRef name,
                          StringRef role, llvm::json::Array &tensors);
  std::string nameOf(Value value);

  func::FuncOp func;
  DenseMap<Value, std::string> names;
  llvm::StringSet<> used;
  unsigned nextTemp = 0;
};
} // namespace

LogicalResult EntryDescriber::nameArguments() {
  // Prefer an explicit `ssm.name`, else the operand name of the first ssm op
  // that uses the argument (u, delta, A, ...), else argN.
  for (BlockArgument arg : func.getArguments()) {
    std::string name;
    if (auto attr =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "ssm.name"))
      name = attr.str();
    for (OpOperand &use : arg.getUses()) {
      if (!name.empty())
        break;
      auto [inNames, outNames] = odsNames(use.getOwner());
      SmallVector<Value> operands = odsOperands(use.getOwner(), inNames.size());
      for (auto [value, operandName] : llvm::zip(operands, inNames))
        if (value == arg) {
          name = operandName.str();
          break;
        }
    }
    if (name.empty() || used.contains(name))
      name = "arg" + std::to_string(arg.getArgNumber());
    if (!used.insert(name).second)
      return func.emitError()
             << "argument " << arg.getArgNumber() << ": tensor name '" << name
             << "' is used twice in the entry";
    names[arg] = name;
  }
  return success();
}

std::string EntryDescriber::nameOf(Value value) {
  auto it = names.find(value);
  if (it != names.end())
    return it->second;
  std::string name = "%" + std::to_string(nextTemp++);
  names[value] = name;
  return name;
}

LogicalResult EntryDescriber::addTensor(Value value, Location loc,
                                        StringRef name, StringRef role,
                                        llvm::json::Array &tensors) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return emitError(loc) << "entry '" << func.getSymName() << "': tensor '"
                          << name
                          << "' must be a statically shaped tensor, got "
                          << value.getType();
  std::string dtype = dtypeName(type.getElementType());
  if (dtype.empty())
    return emitError(loc) << "entry '" << func.getSymName() << "': tensor '"
                          << name << "' has unsupported element type "
                          << type.getElementType();
  llvm::json::Array shape;
  for (int64_t dim : type.getShape())
    shape.push_back(dim);
  // json::Value borrows StringRefs: copy them.
  tensors.push_back(llvm::json::Object{{"name", name.str()},
                                       {"shape", std::move(shape)},
                                       {"dtype", dtype},
                                       {"role", role.str()}});
  return success();
}

FailureOr<llvm::json::Object> EntryDescriber::describe() {
  if (failed(nameArguments()))
    return failure();
  llvm::json::Array tensors;
  llvm::json::Array ops;

  // Roles of arguments: parameters feed parameter operands.
  for (BlockArgument arg : func.getArguments()) {
    std::string role = "input";
    if (auto attr =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "ssm.role"))
      role = attr.str();
    else
      for (OpOperand &use : arg.getUses()) {
        auto [inNames, outNames] = odsNames(use.getOwner());
        SmallVector<Value> operands =
            odsOperands(use.getOwner(), inNames.size());
        for (auto [value, operandName] : llvm::zip(operands, inNames))
          if (value == arg && isParameterOperand(operandName))
            role = "parameter";
      }
    if (failed(addTensor(arg, func.getLoc(), names[arg], role, tensors)))
      return failure();
  }

  // Results: named after `ssm.name`, else the producing op's result name.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    std::string name;
    if (auto attr = func.getResultAttrOfType<StringAttr>(index, "ssm.name"))
      name = attr.str();
    Operation *producer = value.getDefiningOp();
    if (name.empty() && producer) {
      auto [inNames, outNames] = odsNames(producer);
      for (auto [result, resultName] :
           llvm::zip(odsResults(producer, outNames.size()), outNames))
        if (result == value)
          name = resultName.str();
    }
    if (name.empty() || used.contains(name) || names.count(value))
      name = "result" + std::to_string(index);
    if (!used.insert(name).second)
      return ret.emitError() << "result " << index << ": tensor name '" << name
                             << "' is used twice in the entry";
    if (names.count(value))
      return ret.emitError() << "result " << index
                             << " returns a value that is already a tensor "
                                "of the entry; the runtime needs distinct "
                                "output buffers";
    names[value] = name;
    std::string role =
        isa_and_nonnull<SelectiveScanGradOp, SSDScanGradOp, CausalConv1dGradOp,
                        RMSNormGradOp>(producer)
            ? "gradient"
            : "output";
    if (auto attr = func.getResultAttrOfType<StringAttr>(index, "ssm.role"))
      role = attr.str();
    if (failed(addTensor(value, ret.getLoc(), name, role, tensors)))
      return failure();
  }

  for (Operation &op : func.getBody().front()) {
    auto [inNames, outNames] = odsNames(&op);
    if (inNames.empty())
      continue;
    llvm::json::Array operands, results;
    for (Value value : odsOperands(&op, inNames.size()))
      operands.push_back(value ? llvm::json::Value(nameOf(value))
                               : llvm::json::Value(nullptr));
    for (Value value : odsResults(&op, outNames.size()))
      results.push_back(value ? llvm::json::Value(nameOf(value))
                              : llvm::json::Value(nullptr));
    ops.push_back(llvm::json::Object{{"op", op.getName().getStringRef().str()},
                                     {"attrs", opAttributes(&op)},
                                     {"operands", std::move(operands)},
                                     {"results", std::move(results)}});
  }

  return llvm::json::Object{
      {"name", func.getSymName().str()},
      {"symbol", ("ssm_entry_" + func.getSymName()).str()},
      {"tensors", std::move(tensors)},
      {"ops", std::move(ops)}};
}

FailureOr<std::string> mlir::ssm::buildManifest(ModuleOp module,
                                                const CompileOptions &options) {
  llvm::json::Array entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    if (func.getBody().getBlocks().size() != 1)
      return func.emitError("entry functions must have a single block");
    FailureOr<llvm::json::Object> entry = EntryDescriber(func).describe();
    if (failed(entry))
      return failure();
    entries.push_back(std::move(*entry));
  }
  if (entries.empty())
    return emitError(module.getLoc(),
                     "no public function to compile: a workload "
                     "needs at least one public func.func");
  llvm::json::Object lowering;
  for (const auto &[key, value] : options.lowering)
    lowering[key] = value;
  llvm::json::Object manifest{
      {"format", "ssm-workload"},
      {"version", 1},
      {"target", options.target},
      {"module", module.getSymName() ? module.getSymName()->str()
                                     : std::string("module")},
      {"lowering", llvm::json::Object{{"pipeline", options.target},
                                      {"options", std::move(lowering)}}},
      {"entries", std::move(entries)}};
  if (options.target == "gpu")
    manifest["chip"] = "sm_90";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(manifest));
  return text;
}
