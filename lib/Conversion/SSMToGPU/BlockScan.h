//===- BlockScan.h - block-parallel selective scan on the GPU ---*- C++ -*-===//

#ifndef SSM_LIB_CONVERSION_SSMTOGPU_BLOCKSCAN_H
#define SSM_LIB_CONVERSION_SSMTOGPU_BLOCKSCAN_H

#include "ssm/Conversion/SSMKernels/Kernels.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace ssm {

/// Names of the block-scan kernels (after outlining, the gpu.func names), so
/// that later passes and profiler reports can tell the kernels apart.
constexpr const char kSelectiveScanKernel[] = "ssm_selective_scan_block_scan";
constexpr const char kSelectiveScanGradKernel[] =
    "ssm_selective_scan_grad_block_scan";
/// The same kernels with `u` recomputed by the convolution of a
/// fused-conv-scan region.
constexpr const char kFusedConvScanKernel[] = "ssm_fused_conv_scan_block_scan";
constexpr const char kFusedConvScanGradKernel[] =
    "ssm_fused_conv_scan_grad_block_scan";

/// The sum of `value` over the 32 lanes of the warp, given to every lane (a
/// butterfly of `gpu.shuffle xor`); every lane must reach it.
Value warpAllSum(ImplicitLocOpBuilder &b, Value value);

/// Tiles of the block-scan strategy.
struct BlockScanTiles {
  int64_t threadsPerBlock = 128;
  int64_t itemsPerThread = 8;
  /// Channels one block scans side by side, each with threadsPerBlock /
  /// channelsPerBlock threads (whole warps).
  int64_t channelsPerBlock = 1;

  int64_t threadsPerChannel() const {
    return threadsPerBlock / channelsPerBlock;
  }
};

/// The block-scan tiles of a lowering.
BlockScanTiles blockScanTiles(const KernelOptions &options);

/// Checks that the block-scan tiles of every selective scan (and gradient)
/// under `root` lowered with strategy "block-scan" fit a block's shared
/// memory; the diagnostic names the tiles and the op. (Whole warps per
/// channel and channel counts are checked with the lowering itself.)
LogicalResult checkBlockScanTiles(Operation *root);

/// Adds the patterns lowering ssm.selective_scan (and its gradient) whose
/// lowering is (fused-scan, block-scan), and the ssm.fusion regions whose
/// lowering is (fused-conv-scan, block-scan), the same kernels reading `u`
/// through the region's convolution: one thread block per (batch,
/// `channels_per_block` channels) whose threads split the sequence of their
/// channel: each thread scans `items_per_thread` consecutive positions in
/// registers, warps combine their (decay, state) pairs with shuffles, warps
/// through shared memory, and the state is carried from one block-wide
/// chunk of the sequence to the next. `elementwise` maps the zero-fills and
/// conversions of the gradient accumulators, and names the kernels.
void populateSelectiveScanBlockScanPatterns(RewritePatternSet &patterns,
                                            ParallelTarget &elementwise);

} // namespace ssm
} // namespace mlir

#endif
