//===- BlockScan.h - block-parallel selective scan on the GPU ---*- C++ -*-===//

#ifndef SSM_LIB_CONVERSION_SSMTOGPU_BLOCKSCAN_H
#define SSM_LIB_CONVERSION_SSMTOGPU_BLOCKSCAN_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace ssm {

/// Names of the block-scan kernels (after outlining, the gpu.func names), so
/// that later passes and profiler reports can tell the kernels apart.
constexpr const char kSelectiveScanKernel[] = "ssm_selective_scan_block_scan";
constexpr const char kSelectiveScanGradKernel[] =
    "ssm_selective_scan_grad_block_scan";

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

/// Adds the patterns lowering ssm.selective_scan (and its gradient) with one
/// thread block per (batch, `channelsPerBlock` channels) whose threads split
/// the sequence of their channel:
/// each thread scans `itemsPerThread` consecutive positions in registers,
/// warps combine their (decay, state) pairs with shuffles, warps through
/// shared memory, and the state is carried from one block-wide chunk of the
/// sequence to the next. They take precedence over the thread-per-point
/// lowering and decline shapes they do not cover (L not a multiple of
/// `itemsPerThread`), which then fall back to it.
/// Checks that the tiles fit every selective scan (and gradient) under
/// `root`: whole warps per channel, a channel count that the blocks divide,
/// and shared memory that fits a block; the diagnostic names the tiles and
/// the op.
LogicalResult checkBlockScanTiles(Operation *root, const BlockScanTiles &tiles);

/// `elementwise` maps the zero-fills and conversions of the gradient
/// accumulators.
void populateSelectiveScanBlockScanPatterns(RewritePatternSet &patterns,
                                            const BlockScanTiles &tiles,
                                            ParallelTarget &elementwise);

} // namespace ssm
} // namespace mlir

#endif
