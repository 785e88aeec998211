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
      if (budget == 0)
        return;
      // A block's threads share the SM's 64K registers: a budget above
      // 65536 / threads-per-block would make the kernel impossible to
      // launch, so it is lowered to what one block can have.
      if (DenseI32ArrayAttr block = func.getKnownBlockSizeAttr()) {
        int64_t threads = 1;
        for (int32_t dim : block.asArrayRef())
          threads *= dim;
        int64_t fits = (65536 / threads) & ~int64_t(7);
        budget = std::max<int64_t>(16, std::min(budget, fits));
      }
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
