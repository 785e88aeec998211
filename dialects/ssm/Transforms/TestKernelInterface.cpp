//===- TestKernelInterface.cpp - print KernelOpInterface answers -*- C++
//-*-===//

#include "ssm/IR/SSMOps.h"
#include "ssm/Transforms/Passes.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMTESTKERNELINTERFACE
#include "ssm/Transforms/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

namespace {
template <typename Range> std::string join(const Range &names) {
  std::string text;
  for (const auto &name : names)
    text += (text.empty() ? "" : ",") + std::string(StringRef(name));
  return text.empty() ? "-" : text;
}

/// Port names, those of absent ports in brackets.
std::string ports(ArrayRef<StringLiteral> names, ArrayRef<Value> values) {
  std::string text;
  for (auto [name, value] : llvm::zip(names, values))
    text += (text.empty() ? "" : ",") +
            (value ? name.str() : "[" + name.str() + "]");
  return text;
}

class SSMTestKernelInterfacePass
    : public mlir::ssm::impl::SSMTestKernelInterfaceBase<
          SSMTestKernelInterfacePass> {
public:
  void runOnOperation() override {
    getOperation().walk(
        [](KernelOpInterface kernel) {
          SmallVector<Value> operands = kernel.getOperandPorts();
          SmallVector<Value> results = kernel.getResultPorts();
          std::string attrs;
          for (auto &[name, value] : kernel.getRecordedAttributes())
            attrs += (attrs.empty() ? "" : ",") + name + "=" + value;
          kernel->emitRemark()
              << "operands " << ports(kernel.getOperandPortNames(), operands)
              << "; results " << ports(kernel.getResultPortNames(), results)
              << "; parameters " << join(kernel.getParameterPortNames())
              << "; gradient "
              << (kernel.getGradientOpName().empty()
                      ? StringRef("-")
                      : kernel.getGradientOpName())
              << "; forward "
              << (kernel.getForwardOpName().empty() ? StringRef("-")
                                                    : kernel.getForwardOpName())
              << "; saved " << join(kernel.getSavedForGradient()) << "; attrs "
              << (attrs.empty() ? "-" : attrs) << "; variants "
              << join(kernel.getLoweringVariants()) << "; cpu "
              << join(kernel.getLoweringStrategies("cpu")) << "; gpu "
              << join(kernel.getLoweringStrategies("gpu"));
        });
  }
};
} // namespace
