//===- LibraryCalls.h - ssm ops lowered to runtime library calls -*- C++
//-*-===//

#ifndef SSM_LIB_CONVERSION_SSMTOGPU_LIBRARYCALLS_H
#define SSM_LIB_CONVERSION_SSMTOGPU_LIBRARYCALLS_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace ssm {

/// The `cublaslt` strategy of ssm.linear and ssm.linear_grad: calls of the
/// runtime's ssmrt_matmul_f32 (LibraryCalls.cpp).
void populateLibraryCallPatterns(RewritePatternSet &patterns,
                                 ParallelTarget &target);

} // namespace ssm
} // namespace mlir

#endif
