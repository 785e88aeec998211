//===- ScanKernels.h - per-op kernel emitters -------------------*- C++ -*-===//

#ifndef SSM_LIB_CONVERSION_SSMKERNELS_SCANKERNELS_H
#define SSM_LIB_CONVERSION_SSMKERNELS_SCANKERNELS_H

#include "ssm/Conversion/SSMKernels/Kernels.h"
#include "ssm/Conversion/SSMKernels/ScanUSource.h"
#include "ssm/IR/SSMOps.h"

namespace mlir {
namespace ssm {

void emitSelectiveScan(SelectiveScanOp op, const IRMapping &buffers,
                       ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitSelectiveScanGrad(SelectiveScanGradOp op, const IRMapping &buffers,
                           ImplicitLocOpBuilder &b, ParallelTarget &target,
                           const KernelOptions &options);
/// The `unfused` variant (SelectiveScanUnfused.cpp): every step of the
/// reference formulas its own parallelFor, intermediates through memory.
void emitSelectiveScanUnfused(SelectiveScanOp op, const IRMapping &buffers,
                              ImplicitLocOpBuilder &b, ParallelTarget &target,
                              const KernelOptions &options);
void emitSelectiveScanGradUnfused(SelectiveScanGradOp op,
                                  const IRMapping &buffers,
                                  ImplicitLocOpBuilder &b,
                                  ParallelTarget &target,
                                  const KernelOptions &options);
/// The chunked-parallel strategy of the selective scan and its gradient
/// (SelectiveScanChunked.cpp): the sequence split into chunks of
/// `options.chunkLen` positions, a point per (batch, chunk, channel) in the
/// long phases and the chunk boundaries passed by a point per (batch,
/// channel, state).
void emitSelectiveScanChunkedParallel(SelectiveScanOp op,
                                      const IRMapping &buffers,
                                      ImplicitLocOpBuilder &b,
                                      ParallelTarget &target,
                                      const KernelOptions &options);
void emitSelectiveScanGradChunkedParallel(SelectiveScanGradOp op,
                                          const IRMapping &buffers,
                                          ImplicitLocOpBuilder &b,
                                          ParallelTarget &target,
                                          const KernelOptions &options);
/// The sequential selective scan (and gradient) reading `u` through `u`
/// rather than from its buffer (which `buffers` need not map).
void emitSelectiveScanWithU(SelectiveScanOp op, const IRMapping &buffers,
                            const ScanUSource &u, ImplicitLocOpBuilder &b,
                            ParallelTarget &target);
void emitSelectiveScanGradWithU(SelectiveScanGradOp op,
                                const IRMapping &buffers, const ScanUSource &u,
                                ImplicitLocOpBuilder &b, ParallelTarget &target,
                                const KernelOptions &options);
void emitSSDScan(SSDScanOp op, const IRMapping &buffers,
                 ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitSSDScanGrad(SSDScanGradOp op, const IRMapping &buffers,
                     ImplicitLocOpBuilder &b, ParallelTarget &target,
                     const KernelOptions &options);
void emitSSDScanChunked(SSDScanOp op, const IRMapping &buffers,
                        ImplicitLocOpBuilder &b, ParallelTarget &target,
                        const KernelOptions &options);
void emitSSDScanGradChunked(SSDScanGradOp op, const IRMapping &buffers,
                            ImplicitLocOpBuilder &b, ParallelTarget &target,
                            const KernelOptions &options);
void emitCausalConv1d(CausalConv1dOp op, const IRMapping &buffers,
                      ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitCausalConv1dGrad(CausalConv1dGradOp op, const IRMapping &buffers,
                          ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitRMSNorm(RMSNormOp op, const IRMapping &buffers,
                 ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitRMSNormGrad(RMSNormGradOp op, const IRMapping &buffers,
                     ImplicitLocOpBuilder &b, ParallelTarget &target);
/// The `unfused` variants (ConvNormUnfused.cpp): each step its own
/// parallelFor, intermediates through f32 buffers in memory.
void emitCausalConv1dUnfused(CausalConv1dOp op, const IRMapping &buffers,
                             ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitCausalConv1dGradUnfused(CausalConv1dGradOp op,
                                 const IRMapping &buffers,
                                 ImplicitLocOpBuilder &b,
                                 ParallelTarget &target);
void emitRMSNormUnfused(RMSNormOp op, const IRMapping &buffers,
                        ImplicitLocOpBuilder &b, ParallelTarget &target);
void emitRMSNormGradUnfused(RMSNormGradOp op, const IRMapping &buffers,
                            ImplicitLocOpBuilder &b, ParallelTarget &target);

} // namespace ssm
} // namespace mlir

#endif
