//===- LibraryCalls.cpp - matrix products through the runtime ---*- C++ -*-===//
//
// The `cublaslt` and `cublaslt-tf32` strategies of ssm.linear and
// ssm.linear_grad: the host code calls the runtime's `ssmrt_matmul_f32` or
// `ssmrt_matmul_tf32` (runtime/lib/CudaRuntime/Matmul.cpp, cuBLASLt) for
// every matrix product, on the buffers as row-major matrices; the bias and
// its gradient stay generated kernels.
// Upstream MLIR has no cuBLAS(Lt) lowering (gpu ops lower to kernels only),
// hence the call.
//
//===----------------------------------------------------------------------===//

#include "LibraryCalls.h"

#include "ssm/Conversion/SSMKernels/Kernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::ssm;

/// The runtime's row-major product, C = alpha * op(A) * op(B) + beta * C,
/// of each strategy: f32 arithmetic, or TF32 tensor cores.
static StringRef matmulFunction(StringRef strategy) {
  return strategy == "cublaslt-tf32" ? "ssmrt_matmul_tf32" : "ssmrt_matmul_f32";
}

/// Calls the runtime's product `kMatmulFunction` on rank-2 f32 buffers.
static void callMatmul(ImplicitLocOpBuilder &b, StringRef kMatmulFunction,
                       Value a, Value bMatrix, Value c, bool transA,
                       bool transB, double beta) {
  auto dynamic = MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                                 b.getF32Type());
  auto module =
      b.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  auto function = module.lookupSymbol<func::FuncOp>(kMatmulFunction);
  if (!function) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    function = func::FuncOp::create(
        b, kMatmulFunction,
        b.getFunctionType({dynamic, dynamic, dynamic, b.getI32Type(),
                           b.getI32Type(), b.getF32Type(), b.getF32Type()},
                          {}));
    function.setPrivate();
  }
  auto cast = [&](Value v) -> Value {
    return memref::CastOp::create(b, dynamic, v);
  };
  func::CallOp::create(
      b, function,
      ValueRange{
          cast(a), cast(bMatrix), cast(c),
          arith::ConstantIntOp::create(b, transA, 32),
          arith::ConstantIntOp::create(b, transB, 32),
          arith::ConstantFloatOp::create(b, b.getF32Type(), APFloat(1.0f)),
          arith::ConstantFloatOp::create(b, b.getF32Type(),
                                         APFloat(float(beta)))});
}

static void emitLinearCublasLt(StringRef function, LinearOp op,
                               const IRMapping &m, ImplicitLocOpBuilder &b,
                               ParallelTarget &target) {
  Value x = collapseRows(b, m.lookup(op.getX()));
  Value y = collapseRows(b, m.lookup(op.getY()));
  Value weight = m.lookup(op.getWeight());
  Value bias = m.lookupOrNull(op.getBias());
  if (bias) {
    // y starts as the bias in every row; the product adds onto it.
    forEachPoint(b, target, shapeOf(y), [&](KernelBuilder &kb, ValueRange iv) {
      kb.store(kb.load(bias, {iv[1]}), y, iv);
    });
  }
  callMatmul(b, function, x, weight, y, /*transA=*/false, /*transB=*/true,
             bias ? 1.0 : 0.0);
}

static void emitLinearGradCublasLt(StringRef function, LinearGradOp op,
                                   const IRMapping &m, ImplicitLocOpBuilder &b,
                                   ParallelTarget &target) {
  Value x = collapseRows(b, m.lookup(op.getX()));
  Value dy = collapseRows(b, m.lookup(op.getDy()));
  Value dx = collapseRows(b, m.lookup(op.getDx()));
  Value weight = m.lookup(op.getWeight());
  Value dweight = m.lookup(op.getDweight());
  Value dbias = m.lookupOrNull(op.getDbias());
  // dx = dy * weight; dweight = dy^T * x.
  callMatmul(b, function, dy, weight, dx, false, false, 0.0);
  callMatmul(b, function, dy, x, dweight, true, false, 0.0);
  if (dbias)
    emitColumnSums(b, target, dy, dbias);
}

void mlir::ssm::populateLibraryCallPatterns(RewritePatternSet &patterns,
                                            ParallelTarget &target) {
  MLIRContext *context = patterns.getContext();
  for (StringRef strategy : {"cublaslt", "cublaslt-tf32"}) {
    StringRef function = matmulFunction(strategy);
    patterns.add<KernelOpLowering<LinearOp>>(
        context, target, "fused", strategy,
        [function](LinearOp op, const IRMapping &m, ImplicitLocOpBuilder &b,
                   ParallelTarget &target, const KernelOptions &) {
          emitLinearCublasLt(function, op, m, b, target);
        });
    patterns.add<KernelOpLowering<LinearGradOp>>(
        context, target, "fused", strategy,
        [function](LinearGradOp op, const IRMapping &m, ImplicitLocOpBuilder &b,
                   ParallelTarget &target, const KernelOptions &) {
          emitLinearGradCublasLt(function, op, m, b, target);
        });
  }
}
