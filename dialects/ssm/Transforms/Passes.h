//===- Passes.h - ssm dialect transforms ------------------------*- C++ -*-===//

#ifndef SSM_TRANSFORMS_PASSES_H
#define SSM_TRANSFORMS_PASSES_H

#include "ssm/IR/SSMAttrs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace ssm {

#define GEN_PASS_DECL
#include "ssm/Transforms/Passes.h.inc"

/// Checks the option values of ssm-select-lowering that do not depend on an
/// op (a known target, variant and strategies, tiles in range), with errors
/// at `anchor` naming the option.
LogicalResult verifySelectLoweringOptions(Operation *anchor,
                                          const SSMSelectLoweringOptions &opts);

/// The lowering `options` give `op` (a kernel op outside a fusion region, or
/// ssm.fusion), completing `handWritten` (may be null), whose values win.
/// Fails, with an error at `op`, when `handWritten` names another target.
/// The result is not verified (see verifyLowering).
FailureOr<LoweringAttr> selectLowering(Operation *op, LoweringAttr handWritten,
                                       const SSMSelectLoweringOptions &options);

/// Gives every op under `root` that carries a lowering and has none the
/// default lowering for `target`, and verifies every lowering (complete,
/// and for `target`). The conversions call this, so that they lower ops
/// the selection pass did not see with the defaults it would have chosen.
LogicalResult ensureLowerings(Operation *root, StringRef target);

#define GEN_PASS_REGISTRATION
#include "ssm/Transforms/Passes.h.inc"

} // namespace ssm
} // namespace mlir

#endif // SSM_TRANSFORMS_PASSES_H
