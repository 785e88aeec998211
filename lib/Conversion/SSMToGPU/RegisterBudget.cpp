//===- RegisterBudget.cpp - cap the registers of GPU kernels ----*- C++ -*-===//

#include "BlockScan.h"
#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMGPUREGISTERBUDGET
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;

namespace {
class SSMGPURegisterBudgetPass
    : public mlir::ssm::impl::SSMGPURegisterBudgetBase<
          SSMGPURegisterBudgetPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    if (failed(check("max-registers", maxRegisters)) ||
        failed(check("scan-backward-max-registers", scanBackwardMaxRegisters)))
      return signalPassFailure();
    getOperation().walk([&](gpu::GPUFuncOp func) {
      if (!func.isKernel())
        return;
      int64_t budget = maxRegisters;
      if (scanBackwardMaxRegisters != 0 &&
          func.getName() == ssm::kSelectiveScanGradKernel)
        budget = scanBackwardMaxRegisters;
      if (budget != 0)
        func->setAttr(
            NVVM::NVVMDialect::getMaxnregAttrName(),
            IntegerAttr::get(IntegerType::get(&getContext(), 32), budget));
    });
  }

private:
  LogicalResult check(StringRef name, int64_t value) {
    if (value == 0 || (value >= 16 && value <= 255))
      return success();
    return emitError(getOperation().getLoc())
           << "ssm-gpu-register-budget: " << name << " = " << value
           << " is impossible: use 0 or a budget between 16 and 255";
  }
};
} // namespace
