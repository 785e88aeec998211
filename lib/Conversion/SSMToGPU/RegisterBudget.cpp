//===- RegisterBudget.cpp - cap the registers of GPU kernels ----*- C++ -*-===//

#include "ssm/Conversion/SSMToGPU/SSMToGPU.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace mlir {
namespace ssm {
#define GEN_PASS_DEF_SSMGPUREGISTERBUDGET
#include "ssm/Conversion/Passes.h.inc"
} // namespace ssm
} // namespace mlir

using namespace mlir;
using namespace mlir::ssm;

namespace {
class SSMGPURegisterBudgetPass
    : public mlir::ssm::impl::SSMGPURegisterBudgetBase<
          SSMGPURegisterBudgetPass> {
public:
  using Base::Base;

  void runOnOperation() override {
    auto kernels = getOperation()->getAttrOfType<DictionaryAttr>(
        SSMDialect::kKernelLoweringsAttrName);
    if (!kernels)
      return;
    // The table is consumed here: what follows (NVVM, LLVM IR) has no use
    // for ssm attributes.
    getOperation()->removeAttr(SSMDialect::kKernelLoweringsAttrName);
    getOperation().walk([&](gpu::GPUFuncOp func) {
      if (!func.isKernel())
        return;
      auto lowering = kernels.getAs<LoweringAttr>(func.getName());
      if (!lowering || lowering.getMaxRegisters() == 0)
        return;
      int64_t budget = lowering.getMaxRegisters();
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
};
} // namespace
