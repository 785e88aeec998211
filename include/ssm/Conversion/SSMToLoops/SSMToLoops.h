//===- SSMToLoops.h - ssm to CPU loops --------------------------*- C++ -*-===//

#ifndef SSM_CONVERSION_SSMTOLOOPS_SSMTOLOOPS_H
#define SSM_CONVERSION_SSMTOLOOPS_SSMTOLOOPS_H

#include "ssm/Conversion/SSMKernels/Kernels.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace ssm {

#define GEN_PASS_DECL_CONVERTSSMTOLOOPS
#include "ssm/Conversion/Passes.h.inc"

/// Adds the patterns lowering every ssm op to sequential loops on buffers,
/// as each op's #ssm.lowering says.
void populateSSMToLoopsConversionPatterns(RewritePatternSet &patterns);

} // namespace ssm
} // namespace mlir

#endif
