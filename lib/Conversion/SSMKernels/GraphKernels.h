//===- GraphKernels.h - kernels of the graph ops ----------------*- C++ -*-===//
//
// Emitters of the ops in SSMGraphOps.td (GraphKernels.cpp): projections,
// embeddings, the loss and the layout ops, on any ParallelTarget.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_LIB_CONVERSION_SSMKERNELS_GRAPHKERNELS_H
#define SSM_LIB_CONVERSION_SSMKERNELS_GRAPHKERNELS_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"
#include "ssm/IR/SSMOps.h"

namespace mlir {
namespace ssm {

#define SSM_GRAPH_EMITTER(Op, name)                                            \
  void name(Op op, const IRMapping &buffers, ImplicitLocOpBuilder &b,          \
            ParallelTarget &target);
SSM_GRAPH_EMITTER(LinearOp, emitLinear)
SSM_GRAPH_EMITTER(LinearGradOp, emitLinearGrad)
SSM_GRAPH_EMITTER(EmbeddingOp, emitEmbedding)
SSM_GRAPH_EMITTER(EmbeddingGradOp, emitEmbeddingGrad)
SSM_GRAPH_EMITTER(CrossEntropyOp, emitCrossEntropy)
SSM_GRAPH_EMITTER(CrossEntropyGradOp, emitCrossEntropyGrad)
SSM_GRAPH_EMITTER(TransposeOp, emitTranspose)
SSM_GRAPH_EMITTER(ReshapeOp, emitReshape)
SSM_GRAPH_EMITTER(SliceOp, emitSlice)
SSM_GRAPH_EMITTER(SliceGradOp, emitSliceGrad)
SSM_GRAPH_EMITTER(ConcatOp, emitConcat)
SSM_GRAPH_EMITTER(FlipOp, emitFlip)
SSM_GRAPH_EMITTER(AddOp, emitAdd)
SSM_GRAPH_EMITTER(FillOp, emitFill)
#undef SSM_GRAPH_EMITTER

} // namespace ssm
} // namespace mlir

#endif // SSM_LIB_CONVERSION_SSMKERNELS_GRAPHKERNELS_H
