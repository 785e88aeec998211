//===- Manifest.cpp - the self-description of a workload binary -*- C++ -*-===//
//
// Names every tensor crossing an entry function's boundary and records the
// entry's ssm op graph, so that the runtime can fill inputs, name outputs
// and evaluate the same graph with its float64 oracle.
//
//===----------------------------------------------------------------------===//

#include "ssm/IR/SSMLowering.h"
#include "ssm/IR/SSMOps.h"
#include "ssm/Target/WorkloadBinary.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::ssm;

/// The ports of `op` (names and values, absent optional ports as null), or
/// nothing for an op that is not a kernel op.
struct Ports {
  ArrayRef<StringLiteral> operandNames, resultNames;
  SmallVector<Value> operands, results;
};

static std::optional<Ports> portsOf(Operation *op) {
  auto kernel = dyn_cast<KernelOpInterface>(op);
  if (!kernel)
    return std::nullopt;
  return Ports{kernel.getOperandPortNames(), kernel.getResultPortNames(),
               kernel.getOperandPorts(), kernel.getResultPorts()};
}

/// The lowering an op ran with: its own, or its fusion region's.
static llvm::json::Object describeLowering(Operation &op,
                                           LoweringAttr lowering) {
  llvm::json::Object object;
  if (!lowering)
    return object;
  object["target"] = lowering.getTarget().str();
  if (!lowering.getChip().empty())
    object["chip"] = lowering.getChip().str();
  object["variant"] = lowering.getVariant().str();
  if (!lowering.getStrategy().empty())
    object["strategy"] = lowering.getStrategy().str();
  for (LoweringParam param : allLoweringParams())
    if (int64_t value = getLoweringParam(lowering, param))
      object[getLoweringParamName(param)] = value;
  // Whether a gradient op's shared gradients were reduced in a fixed order
  // (the same bits every run) or with atomics on the GPU; CPU lowerings
  // always are, and forward ops reduce nothing across threads.
  auto kernel = dyn_cast<KernelOpInterface>(op);
  if (lowering.getTarget() == "gpu" && kernel &&
      !kernel.getForwardOpName().empty())
    object["deterministic"] = lowering.getDeterministic();
  return object;
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
  if (type.isSignlessInteger(32))
    return "i32";
  return "";
}

namespace {
/// Builds the manifest entry of one function.
class EntryDescriber {
public:
  explicit EntryDescriber(func::FuncOp func) : func(func) {}

  FailureOr<llvm::json::Object> describe();

private:
  LogicalResult nameArguments();
  LogicalResult describeOp(Operation &op, LoweringAttr lowering,
                           llvm::json::Array &ops);
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
      std::optional<Ports> ports = portsOf(use.getOwner());
      if (!ports)
        continue;
      for (auto [value, operandName] :
           llvm::zip(ports->operands, ports->operandNames))
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
  llvm::json::Object tensor{{"name", name.str()},
                            {"shape", std::move(shape)},
                            {"dtype", dtype},
                            {"role", role.str()}};
  // How a parameter is initialised (`ssm.init`): the runtime parses it.
  if (auto arg = dyn_cast<BlockArgument>(value))
    if (auto init =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "ssm.init"))
      tensor["init"] = init.str();
  tensors.push_back(std::move(tensor));
  return success();
}

LogicalResult EntryDescriber::describeOp(Operation &op, LoweringAttr lowering,
                                         llvm::json::Array &ops) {
  std::optional<Ports> ports = portsOf(&op);
  if (!ports)
    return op.emitOpError()
           << "cannot be described in the workload manifest of entry '"
           << func.getSymName()
           << "': an entry holds ssm kernel ops and ssm.fusion regions only "
              "(the runtime's reference evaluates the entry op by op)";
  llvm::json::Array operands, results;
  for (Value value : ports->operands)
    operands.push_back(value ? llvm::json::Value(nameOf(value))
                             : llvm::json::Value(nullptr));
  for (Value value : ports->results)
    results.push_back(value ? llvm::json::Value(nameOf(value))
                            : llvm::json::Value(nullptr));
  llvm::json::Object attrs;
  for (auto &[name, text] : cast<KernelOpInterface>(op).getRecordedAttributes())
    attrs[name] = text;
  // Every result's shape, so that the runtime knows the shape of values
  // that are not entry tensors.
  llvm::json::Array resultShapes;
  for (Value value : ports->results) {
    if (!value) {
      resultShapes.push_back(nullptr);
      continue;
    }
    llvm::json::Array shape;
    for (int64_t dim : cast<ShapedType>(value.getType()).getShape())
      shape.push_back(dim);
    resultShapes.push_back(std::move(shape));
  }
  llvm::json::Object entry{{"op", op.getName().getStringRef().str()},
                           {"attrs", std::move(attrs)},
                           {"operands", std::move(operands)},
                           {"results", std::move(results)},
                           {"result_shapes", std::move(resultShapes)}};
  if (lowering)
    entry["lowering"] = describeLowering(op, lowering);
  ops.push_back(std::move(entry));
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
    else if (isParameterValue(arg))
      role = "parameter";
    if (failed(addTensor(arg, func.getLoc(), names[arg], role, tensors)))
      return failure();
  }

  // Results: named after `ssm.name`, else the producing op's result name.
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (auto [index, value] : llvm::enumerate(ret.getOperands())) {
    std::string name;
    if (auto attr = func.getResultAttrOfType<StringAttr>(index, "ssm.name"))
      name = attr.str();
    // A fused region's result is named after the op inside that makes it.
    Value made = value;
    if (auto fusion = value.getDefiningOp<FusionOp>())
      made = fusion.getBody().front().getTerminator()->getOperand(
          cast<OpResult>(value).getResultNumber());
    Operation *producer = made.getDefiningOp();
    if (std::optional<Ports> ports =
            producer ? portsOf(producer) : std::nullopt;
        name.empty() && ports) {
      for (auto [result, resultName] :
           llvm::zip(ports->results, ports->resultNames))
        if (result == made)
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
    auto kernel = dyn_cast_or_null<KernelOpInterface>(producer);
    std::string role =
        kernel && !kernel.getForwardOpName().empty() ? "gradient" : "output";
    if (auto attr = func.getResultAttrOfType<StringAttr>(index, "ssm.role"))
      role = attr.str();
    if (failed(addTensor(value, ret.getLoc(), name, role, tensors)))
      return failure();
  }

  for (Operation &op : func.getBody().front()) {
    if (isa<func::ReturnOp>(op))
      continue;
    if (auto fusion = dyn_cast<FusionOp>(op)) {
      // The ops of a region are described one by one (the reference
      // evaluates them so), each with the region's lowering; the values
      // the region yields carry the names of the region's results.
      Operation *yield = fusion.getBody().front().getTerminator();
      for (auto [result, yielded] :
           llvm::zip(fusion.getResults(), yield->getOperands()))
        names[yielded] = nameOf(result);
      for (Operation &inner : fusion.getFusedOps())
        if (failed(describeOp(inner, getLowering(fusion), ops)))
          return failure();
      continue;
    }
    if (failed(describeOp(op, getLowering(&op), ops)))
      return failure();
  }

  return llvm::json::Object{
      {"name", func.getSymName().str()},
      {"symbol", ("ssm_entry_" + func.getSymName()).str()},
      {"tensors", std::move(tensors)},
      {"ops", std::move(ops)}};
}

FailureOr<std::string> mlir::ssm::buildManifest(
    ModuleOp module, const CompileOptions &options,
    ArrayRef<std::pair<std::string, std::string>> loweringOptions) {
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
  std::string chip;
  for (const auto &[key, value] : loweringOptions) {
    // Options that do not apply to the target are not choices it made.
    if (options.target == "cpu" &&
        llvm::is_contained({"chip", "threads-per-block", "items-per-thread",
                            "channels-per-block", "max-registers",
                            "scan-backward-max-registers", "deterministic"},
                           key))
      continue;
    // An empty option (no variant, no scan strategy) leaves each op its
    // default: the ops' own lowerings say which.
    if (key == "target" || value.empty())
      continue;
    if (key == "chip")
      chip = value;
    lowering[key] = value;
  }
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
    manifest["chip"] = chip;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(manifest));
  return text;
}
