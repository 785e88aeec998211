//===- FusedConvScan.h - a fused-conv-scan region as one scan ---*- C++ -*-===//
//
// Lowers `ssm.fusion "fused-conv-scan"`: a silu ssm.causal_conv1d whose
// output is only the `u` of an ssm.selective_scan or ssm.selective_scan_grad.
// The scan's kernels read `u` through a ConvUSource, which recomputes the
// convolution from its input where the scan reads it, so the convolution's
// output never reaches memory. The region's results are the scan's (for the
// gradient `du` too: the convolution's own backward is a separate
// ssm.causal_conv1d_grad outside the region, fed by it).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_CONVERSION_SSMKERNELS_FUSEDCONVSCAN_H
#define SSM_CONVERSION_SSMKERNELS_FUSEDCONVSCAN_H

#include "ssm/Conversion/SSMKernels/Kernels.h"
#include "ssm/Conversion/SSMKernels/ScanUSource.h"
#include "ssm/IR/SSMOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir {
namespace ssm {

/// A selective scan's (or its gradient's) emitter for one strategy, reading
/// `u` through `u`: `buffers` maps every other operand and every result of
/// `scan`.
template <typename ScanOp>
using FusedScanEmitter = void (*)(ScanOp scan, const IRMapping &buffers,
                                  const ScanUSource &u, ImplicitLocOpBuilder &b,
                                  ParallelTarget &target,
                                  const KernelOptions &options);

/// The convolution and the scan of a fused-conv-scan region (the verifier
/// guarantees them: exactly these two ops, the convolution first).
struct FusedConvScanOps {
  CausalConv1dOp conv;
  Operation *scan;
};

/// The ops of `fusion` when it is a fused-conv-scan region, else nullopt.
std::optional<FusedConvScanOps> getFusedConvScanOps(FusionOp fusion);

/// Lowers an ssm.fusion "fused-conv-scan" whose #ssm.lowering has
/// `strategy`: every value the region reads from above enters as a buffer
/// (bufferization.to_buffer), the fusion's results are fresh allocations,
/// and the scan is emitted by `forward` or `backward` with `u` recomputed
/// from the convolution's operands. One pattern per strategy.
class FusedConvScanLowering : public OpConversionPattern<FusionOp> {
public:
  FusedConvScanLowering(MLIRContext *context, ParallelTarget &target,
                        StringRef strategy,
                        FusedScanEmitter<SelectiveScanOp> forward,
                        FusedScanEmitter<SelectiveScanGradOp> backward)
      : OpConversionPattern<FusionOp>(context), target(target),
        strategy(strategy.str()), forward(forward), backward(backward) {}

  LogicalResult
  matchAndRewrite(FusionOp fusion, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override;

private:
  ParallelTarget &target;
  std::string strategy;
  FusedScanEmitter<SelectiveScanOp> forward;
  FusedScanEmitter<SelectiveScanGradOp> backward;
};

} // namespace ssm
} // namespace mlir

#endif // SSM_CONVERSION_SSMKERNELS_FUSEDCONVSCAN_H
