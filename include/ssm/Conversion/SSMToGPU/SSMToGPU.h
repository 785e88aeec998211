//===- SSMToGPU.h - ssm to GPU kernels --------------------------*- C++ -*-===//

#ifndef SSM_CONVERSION_SSMTOGPU_SSMTOGPU_H
#define SSM_CONVERSION_SSMTOGPU_SSMTOGPU_H

#include "ssm/Conversion/SSMKernels/Kernels.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace ssm {

#define GEN_PASS_DECL_CONVERTSSMTOGPU
#define GEN_PASS_DECL_SSMGPUDEVICEBUFFERS
#define GEN_PASS_DECL_SSMGPUFASTEXP2
#define GEN_PASS_DECL_SSMGPUFREEBUFFERS
#define GEN_PASS_DECL_SSMGPUREGISTERBUDGET
#define GEN_PASS_DECL_SSMGPUSTREAMORDER
#include "ssm/Conversion/Passes.h.inc"

/// Checks the GPU tile sizes against the target's limits; the diagnostic
/// names the offending parameter.
} // namespace ssm
} // namespace mlir

#endif
