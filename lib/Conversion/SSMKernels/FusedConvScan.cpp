//===- FusedConvScan.cpp - a fused-conv-scan region as one scan -*- C++ -*-===//
//
// The pattern of ssm.fusion "fused-conv-scan": the region's values from above
// become buffers, the convolution becomes the scan's source of `u`, and the
// scan's emitter (one per strategy) writes the region's results.
//
//===----------------------------------------------------------------------===//

#include "ssm/Conversion/SSMKernels/FusedConvScan.h"
#include "ssm/IR/SSMLowering.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace mlir::ssm;

std::optional<FusedConvScanOps>
mlir::ssm::getFusedConvScanOps(FusionOp fusion) {
  if (fusion.getVariant() != "fused-conv-scan")
    return std::nullopt;
  auto ops = fusion.getFusedOps();
  if (std::distance(ops.begin(), ops.end()) != 2)
    return std::nullopt;
  auto conv = dyn_cast<CausalConv1dOp>(*ops.begin());
  Operation *scan = &*std::next(ops.begin());
  if (!conv || !isa<SelectiveScanOp, SelectiveScanGradOp>(scan))
    return std::nullopt;
  return FusedConvScanOps{conv, scan};
}

/// `buffers` extended with the scan's results: each to the buffer of the
/// first fusion result that yields it, else to fresh scratch (a result the
/// region drops). `copies` receives (value, result buffer) for the fusion
/// results that another one already holds (a value yielded twice, or one
/// defined above the region).
static IRMapping
mapScanResults(FusionOp fusion, Operation *scan, const IRMapping &buffers,
               ImplicitLocOpBuilder &b,
               SmallVectorImpl<std::pair<Value, Value>> &copies) {
  IRMapping mapping = buffers;
  Operation *yield = fusion.getBody().front().getTerminator();
  for (auto [result, yielded] :
       llvm::zip(fusion.getResults(), yield->getOperands())) {
    Value buffer = buffers.lookup(result);
    if (yielded.getDefiningOp() == scan && !mapping.contains(yielded))
      mapping.map(yielded, buffer);
    else
      copies.emplace_back(yielded, buffer);
  }
  for (Value result : scan->getResults()) {
    if (mapping.contains(result))
      continue;
    auto type = cast<RankedTensorType>(result.getType());
    mapping.map(result, memref::AllocOp::create(
                            b, MemRefType::get(type.getShape(),
                                               type.getElementType())));
  }
  return mapping;
}

LogicalResult FusedConvScanLowering::matchAndRewrite(
    FusionOp fusion, OpAdaptor adaptor,
    ConversionPatternRewriter &rewriter) const {
  LoweringAttr lowering = getOpLowering(fusion);
  if (!lowering)
    return rewriter.notifyMatchFailure(fusion, "has no ssm.lowering");
  if (lowering.getVariant() != "fused-conv-scan" ||
      lowering.getStrategy() != strategy)
    return rewriter.notifyMatchFailure(fusion, "another variant or strategy");
  std::optional<FusedConvScanOps> fused = getFusedConvScanOps(fusion);
  if (!fused)
    return rewriter.notifyMatchFailure(fusion, "not a fused-conv-scan region");

  // The region reads values defined above it; they are its inputs.
  llvm::SetVector<Value> above;
  getUsedValuesDefinedAbove(fusion.getBody(), above);
  SmallVector<Value> inputs(above.begin(), above.end()), converted;
  if (failed(rewriter.getRemappedValues(inputs, converted)))
    return rewriter.notifyMatchFailure(fusion, "an input was not converted");

  KernelOptions options = KernelOptions::fromLowering(lowering);
  CausalConv1dOp conv = fused->conv;
  Operation *scan = fused->scan;
  return lowerOnBuffers(fusion, inputs, converted, rewriter, target, lowering,
                        [&](ImplicitLocOpBuilder &b, const IRMapping &buffers) {
                          SmallVector<std::pair<Value, Value>> copies;
                          IRMapping mapping =
                              mapScanResults(fusion, scan, buffers, b, copies);
                          ConvUSource u(buffers.lookup(conv.getX()),
                                        buffers.lookup(conv.getWeight()),
                                        buffers.lookupOrNull(conv.getBias()));
                          if (auto op = dyn_cast<SelectiveScanOp>(scan))
                            forward(op, mapping, u, b, target, options);
                          else
                            backward(cast<SelectiveScanGradOp>(scan), mapping,
                                     u, b, target, options);
                          for (auto [from, to] : copies)
                            memref::CopyOp::create(b, mapping.lookup(from), to);
                          return success();
                        });
}
