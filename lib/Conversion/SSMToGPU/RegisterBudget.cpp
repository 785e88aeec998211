//===- RegisterBudget.cpp - cap the registers of GPU kernels ----*- C++ -*-===//

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
    if (maxRegisters == 0)
      return;
    if (maxRegisters < 16 || maxRegisters > 255) {
      emitError(getOperation().getLoc())
          << "ssm-gpu-register-budget: max-registers = "
          << static_cast<int64_t>(maxRegisters)
          << " is impossible: use 0 or a budget between 16 and 255";
      return signalPassFailure();
    }
    auto attr = IntegerAttr::get(IntegerType::get(&getContext(), 32),
                                 static_cast<int64_t>(maxRegisters));
    getOperation().walk([&](gpu::GPUFuncOp func) {
      if (func.isKernel())
        func->setAttr(NVVM::NVVMDialect::getMaxnregAttrName(), attr);
    });
  }
};
} // namespace
