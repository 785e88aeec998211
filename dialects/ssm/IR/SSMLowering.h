//===- SSMLowering.h - the vocabulary of lowering choices -------*- C++ -*-===//
//
// Which fusion variants, strategies and tiling parameters of #ssm.lowering
// apply to which op on which target, and the one verifier of a lowering
// attribute against the op it is on. The selection pass, the conversions
// and the dialect's attribute verifier all ask here, so a choice is accepted
// or rejected the same way wherever it is made.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_IR_SSMLOWERING_H
#define SSM_IR_SSMLOWERING_H

#include "ssm/IR/SSMAttrs.h"

#include "mlir/IR/Operation.h"

namespace mlir {
namespace ssm {

/// The integer parameters of #ssm.lowering.
enum class LoweringParam {
  ChunkLen,
  SSDTile,
  ThreadsPerBlock,
  ItemsPerThread,
  ChannelsPerBlock,
  MaxRegisters
};

/// Every LoweringParam, in attribute order.
ArrayRef<LoweringParam> allLoweringParams();

/// The parameter's name in #ssm.lowering (`chunk_len`).
StringRef getLoweringParamName(LoweringParam param);

/// The parameter's value in `attr`.
int64_t getLoweringParam(LoweringAttr attr, LoweringParam param);

/// The targets a lowering can name.
ArrayRef<StringLiteral> getLoweringTargets();

/// True for a GPU chip name upstream's NVVM target accepts: `sm_` and two
/// or three digits, optionally `a` or `f` (sm_90, sm_90a, sm_100f). The
/// NVVM target crashes on other names, so every chip is checked with this
/// before a pipeline is built or a lowering accepted.
bool isValidChip(StringRef chip);

/// True for the ops that carry a lowering: kernel ops outside a fusion
/// region, and ssm.fusion.
bool carriesLowering(Operation *op);

/// Fusion variants of `op` (a kernel op or ssm.fusion); the first is the
/// default.
SmallVector<StringRef> getLoweringVariants(Operation *op);

/// Strategies of `op` lowered as `variant` on `target`; the first is the
/// default; empty when the variant has a single algorithm.
/// Whether `strategy` can lower `op` (its operand types allow it): the
/// cuBLASLt products need f32 operands.
bool strategyApplies(Operation *op, StringRef strategy);

SmallVector<StringRef> getLoweringStrategies(Operation *op, StringRef target,
                                             StringRef variant);

/// Every variant any registered op or fusion region knows.
SmallVector<StringRef> getAllLoweringVariants(MLIRContext *context);

/// Whether `param` means something for `op` lowered on `target` as
/// (`variant`, `strategy`).
bool loweringParamApplies(Operation *op, StringRef target, StringRef variant,
                          StringRef strategy, LoweringParam param);

/// Whether `op` lowered on the GPU as (`variant`, `strategy`) has a form
/// whose shared-gradient reductions run in a fixed order (see
/// KernelOpInterface::getDeterministicLowerings); false for forward ops and
/// fusion regions, which reduce nothing across threads.
bool hasDeterministicForm(Operation *op, StringRef variant, StringRef strategy);

/// The `ssm.lowering` attribute of `op`, or null.
LoweringAttr getLowering(Operation *op);

/// Checks `attr` against `op`: a known target and chip, a variant and
/// strategy that apply to the op, and tiling parameters that apply and are
/// possible (threads in whole warps up to 1024, register budgets 16-255,
/// items per thread and SSD tiles powers of two up to 16, block-scan tiles
/// that split the op's channels). With `complete`, every parameter that
/// applies must be set. Diagnostics are located at `op` and name the
/// parameter.
LogicalResult verifyLowering(Operation *op, LoweringAttr attr,
                             bool complete = false);

} // namespace ssm
} // namespace mlir

#endif // SSM_IR_SSMLOWERING_H
