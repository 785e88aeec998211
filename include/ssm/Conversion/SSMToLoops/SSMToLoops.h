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

/// Adds the patterns lowering every ssm op to sequential loops on buffers.
void populateSSMToLoopsConversionPatterns(RewritePatternSet &patterns,
                                          const KernelOptions &options);

/// Adds the patterns lowering every ssm op with the given parallel target
/// (shared by the CPU and GPU conversions).
void populateSSMKernelPatterns(RewritePatternSet &patterns,
                               ParallelTarget &target,
                               const KernelOptions &options);

} // namespace ssm
} // namespace mlir

#endif
