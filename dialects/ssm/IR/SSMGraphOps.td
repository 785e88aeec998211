//===- SSMGraphOps.td - ssm graph ops of whole models ------*- tablegen -*-===//
//
// The ops a whole model needs around the scans: projections, embeddings,
// the loss, and the layout ops that move between the token-major layout of
// projections ([B,L,D]) and the channel-major one of the scans ([B,D,L]).
// Each is a kernel op (KernelOpInterface), so the manifest, the reference
// and the training-step pass read it like the scans. Shapes are checked in
// SSMGraphVerifiers.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_GRAPH_OPS_TD
#define SSM_GRAPH_OPS_TD

/// Token ids and class labels.
def SSM_IndexTensor : RankedTensorOf<[I32]>;

//===----------------------------------------------------------------------===//
// Linear layer
//===----------------------------------------------------------------------===//

def SSM_LinearOp : SSM_KernelOp<"linear", [Pure, InferTypeOpAdaptor]> {
  let parameterPorts = ["weight", "bias"];
  // The matrix product: cuBLASLt through the runtime (f32, or TF32 tensor
  // cores with f32 accumulation), or a generated kernel (strategyApplies).
  let gpuStrategies = ["cublaslt", "cublaslt-tf32", "generated"];
  let gradientOp = "ssm.linear_grad";
  let summary = "linear layer: x * weight^T + bias over the last dimension";
  let description = [{
    `y[..., n] = sum_k x[..., k] * weight[n, k] + bias[n]`, the
    `torch.nn.Linear` of Mamba's projections. Shapes: `x [..., K]` (rank at
    least 2, an activation type), `weight [N, K]` and optional `bias [N]`
    (`f32`). `y [..., N]` has the element type of `x`; the sum is in `f32`.

    Example:

    ```mlir
    %y = ssm.linear %x, %w bias(%b)
        : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<32xf32>)
        -> tensor<2x8x32xf32>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_F32Tensor:$weight,
                       Optional<SSM_F32Tensor>:$bias);
  let results = (outs SSM_ActTensor:$y);
  let assemblyFormat = [{
    $x `,` $weight (`bias` `(` $bias^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def SSM_LinearGradOp : SSM_KernelOp<"linear_grad", [Pure]> {
  let parameterPorts = ["weight", "bias"];
  let gpuStrategies = ["cublaslt", "cublaslt-tf32", "generated"];
  let forwardOp = "ssm.linear";
  // Every element of dweight and dbias is summed by one point.
  let deterministicLowerings = ["fused/generated", "fused/cublaslt",
                                "fused/cublaslt-tf32"];
  let summary = "gradient of ssm.linear";
  let description = [{
    Takes the operands of `ssm.linear` and `dy [..., N]`; returns
    `dx = dy * weight`, `dweight = sum over rows of dy^T x` and, when the
    forward had a bias, `dbias = sum over rows of dy`. Each cotangent has
    the type of its operand; sums are in `f32`, each element summed by one
    point in row order.

    Example:

    ```mlir
    %dx, %dw = ssm.linear_grad %x, %w, %dy
        : (tensor<2x8x16xf32>, tensor<32x16xf32>, tensor<2x8x32xf32>)
        -> (tensor<2x8x16xf32>, tensor<32x16xf32>)
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_F32Tensor:$weight,
                       Optional<SSM_F32Tensor>:$bias, SSM_ActTensor:$dy);
  let results = (outs SSM_ActTensor:$dx, SSM_F32Tensor:$dweight,
                      Optional<SSM_F32Tensor>:$dbias);
  let assemblyFormat = [{
    $x `,` $weight (`bias` `(` $bias^ `)`)? `,` $dy attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Token embedding
//===----------------------------------------------------------------------===//

def SSM_EmbeddingOp : SSM_KernelOp<"embedding", [Pure, InferTypeOpAdaptor]> {
  let parameterPorts = ["weight"];
  let gradientOp = "ssm.embedding_grad";
  let summary = "token embedding: rows of a table gathered by token id";
  let description = [{
    `y[b, l, :] = weight[tokens[b, l], :]` for `tokens [B, L]` (`i32`) and
    `weight [V, E]` (`f32`); `y [B, L, E]` is `f32`. A token outside
    `[0, V)` gives a zero row (and no gradient), never a read outside the
    table.

    Example:

    ```mlir
    %y = ssm.embedding %tokens, %w
        : (tensor<2x8xi32>, tensor<64x16xf32>) -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins SSM_IndexTensor:$tokens, SSM_F32Tensor:$weight);
  let results = (outs SSM_F32Tensor:$y);
  let assemblyFormat = [{
    $tokens `,` $weight attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_EmbeddingGradOp : SSM_KernelOp<"embedding_grad", [Pure]> {
  let parameterPorts = ["weight"];
  let forwardOp = "ssm.embedding";
  // One point per column of the table walks the tokens in order.
  let deterministicLowerings = ["fused"];
  let summary = "gradient of ssm.embedding";
  let description = [{
    Takes the operands of `ssm.embedding` and `dy [B, L, E]`; returns
    `dweight [V, E]`, the sum of `dy[b, l, :]` into row `tokens[b, l]`
    (tokens outside `[0, V)` add nothing). Tokens have no cotangent. Each
    column is summed by one point in token order.

    Example:

    ```mlir
    %dw = ssm.embedding_grad %tokens, %w, %dy
        : (tensor<2x8xi32>, tensor<64x16xf32>, tensor<2x8x16xf32>)
        -> tensor<64x16xf32>
    ```
  }];
  let arguments = (ins SSM_IndexTensor:$tokens, SSM_F32Tensor:$weight,
                       SSM_F32Tensor:$dy);
  let results = (outs SSM_F32Tensor:$dweight);
  let assemblyFormat = [{
    $tokens `,` $weight `,` $dy attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Cross-entropy loss
//===----------------------------------------------------------------------===//

def SSM_CrossEntropyOp : SSM_KernelOp<"cross_entropy", [Pure,
    InferTypeOpAdaptor]> {
  let gradientOp = "ssm.cross_entropy_grad";
  let summary = "mean softmax cross-entropy of logits against class labels";
  let description = [{
    `loss = mean over valid rows r of (logsumexp(logits[r, :]) -
    logits[r, labels[r]])` for `logits [..., V]` (an activation type) and
    `labels [...]` (`i32`, the leading dimensions of `logits`). A row whose
    label is outside `[0, V)` (such as PyTorch's `-100`) is ignored; the
    loss is 0 when no row is valid. `loss` is a `tensor<f32>` scalar.

    Example:

    ```mlir
    %loss = ssm.cross_entropy %logits, %labels
        : (tensor<2x8x64xf32>, tensor<2x8xi32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$logits, SSM_IndexTensor:$labels);
  let results = (outs 0DTensorOf<[F32]>:$loss);
  let assemblyFormat = [{
    $logits `,` $labels attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_CrossEntropyGradOp : SSM_KernelOp<"cross_entropy_grad", [Pure]> {
  let forwardOp = "ssm.cross_entropy";
  let summary = "gradient of ssm.cross_entropy";
  let description = [{
    Takes the operands of `ssm.cross_entropy` and `dloss` (`tensor<f32>`);
    returns `dlogits[r, v] = dloss * (softmax(logits[r, :])[v] -
    (v == labels[r])) / count` for the `count` valid rows, 0 in ignored
    rows. Labels have no cotangent.

    Example:

    ```mlir
    %dl = ssm.cross_entropy_grad %logits, %labels, %dloss
        : (tensor<2x8x64xf32>, tensor<2x8xi32>, tensor<f32>)
        -> tensor<2x8x64xf32>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$logits, SSM_IndexTensor:$labels,
                       0DTensorOf<[F32]>:$dloss);
  let results = (outs SSM_ActTensor:$dlogits);
  let assemblyFormat = [{
    $logits `,` $labels `,` $dloss attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Layout and elementwise ops
//===----------------------------------------------------------------------===//

def SSM_TransposeOp : SSM_KernelOp<"transpose", [Pure, InferTypeOpAdaptor]> {
  let customGradient = 1;
  let summary = "permutation of the dimensions of a tensor";
  let description = [{
    `y.shape[i] = x.shape[permutation[i]]` and `y[i] = x[j]` for every
    index tuple `i`, where `j[permutation[k]] = i[k]`: the layout change
    between token-major projections `[B, L, D]` and channel-major scans
    `[B, D, L]`. Its gradient is the transpose by the inverse permutation.

    Example:

    ```mlir
    %y = ssm.transpose %x [0, 2, 1]
        : (tensor<2x8x16xf32>) -> tensor<2x16x8xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$x,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = [{
    $x $permutation attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_ReshapeOp : SSM_KernelOp<"reshape", [Pure]> {
  let customGradient = 1;
  let recordsResultShape = 1;
  let summary = "the same elements in row-major order, another shape";
  let description = [{
    `y` holds the elements of `x` in row-major order with another static
    shape of the same element count and type (Mamba's `B [B, N, L]` seen
    as `[B, 1, N, L]`). Its gradient is the reshape back.

    Example:

    ```mlir
    %y = ssm.reshape %x : (tensor<2x4x8xf32>) -> tensor<2x1x4x8xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$x);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = [{
    $x attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SSM_SliceOp : SSM_KernelOp<"slice", [Pure, InferTypeOpAdaptor]> {
  let gradientOp = "ssm.slice_grad";
  // The gradient takes the cotangent alone (dx's type says x's shape), so
  // the training step does not keep x alive for the backward.
  let customGradient = 1;
  let summary = "a contiguous range of one dimension";
  let description = [{
    `y = x[..., offset : offset + size, ...]` along dimension `axis`: the
    split of a fused projection (Mamba's `x` and `z`, or `dt`, `B`, `C`)
    into its parts.

    Example:

    ```mlir
    %y = ssm.slice %x axis 2 offset 4 size 8
        : (tensor<2x8x16xf32>) -> tensor<2x8x8xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$x,
                       I64Attr:$axis, I64Attr:$offset, I64Attr:$size);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = [{
    $x `axis` $axis `offset` $offset `size` $size attr-dict `:`
    functional-type(operands, results)
  }];
}

def SSM_SliceGradOp : SSM_KernelOp<"slice_grad", [Pure]> {
  let forwardOp = "ssm.slice";
  let recordsResultShape = 1;
  let summary = "gradient of ssm.slice";
  let description = [{
    Takes the cotangent `dy` of `ssm.slice`'s result; returns `dx`, of the
    slice's operand type (the result type says the shape), zero but for
    `dy` at the slice. It does not take the forward's operand: a training
    step would keep that alive until the backward only for its shape.
    Several slices of one tensor each give a full `dx`, which the
    training-step pass adds.

    Example:

    ```mlir
    %dx = ssm.slice_grad %dy axis 2 offset 4 size 8
        : (tensor<2x8x8xf32>) -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$dy,
                       I64Attr:$axis, I64Attr:$offset, I64Attr:$size);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$dx);
  let assemblyFormat = [{
    $dy `axis` $axis `offset` $offset `size` $size attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
  // A slice of the whole dimension: dx is dy.
  let hasFolder = 1;
}

def SSM_ConcatOp : SSM_KernelOp<"concat", [Pure, InferTypeOpAdaptor]> {
  let customGradient = 1;
  let summary = "two tensors joined along one dimension";
  let description = [{
    `y = [lhs | rhs]` along dimension `axis`: every other dimension and the
    element type agree. Its gradient is the two slices of the cotangent.
    The training step also writes it where a tensor's cotangent is the sum
    of its adjacent slices' gradients (Mamba's `x | z` split), instead of
    zero-padded tensors and their sum.

    Example:

    ```mlir
    %y = ssm.concat %a, %b axis 1
        : (tensor<2x8x16xf32>, tensor<2x4x16xf32>) -> tensor<2x12x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$lhs,
                       RankedTensorOf<[F32, BF16, F16]>:$rhs, I64Attr:$axis);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = [{
    $lhs `,` $rhs `axis` $axis attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_FlipOp : SSM_KernelOp<"flip", [Pure, SameOperandsAndResultType]> {
  let customGradient = 1;
  let summary = "reversal along one dimension";
  let description = [{
    `y[..., i, ...] = x[..., n - 1 - i, ...]` along dimension `axis` of
    extent `n`: the reversed sequence a bidirectional block scans (Vision
    Mamba's and Caduceus's backward direction). Its gradient is the same
    reversal of the cotangent.

    Example:

    ```mlir
    %y = ssm.flip %x axis 2 : (tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$x, I64Attr:$axis);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = [{
    $x `axis` $axis attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def SSM_AddOp : SSM_KernelOp<"add", [Pure, SameOperandsAndResultType]> {
  let customGradient = 1;
  // The sum of the gradients of two adjacent slices of one tensor is the
  // gradient of one slice of their concatenation (or the concatenation
  // itself, when they cover the dimension): one write instead of two
  // zero-padded tensors and an addition.
  let hasCanonicalizeMethod = 1;
  let summary = "elementwise sum";
  let description = [{
    `y = lhs + rhs` elementwise (in `f32`), all three of one type. The
    training-step pass also uses it to sum the cotangents of a value with
    several uses.

    Example:

    ```mlir
    %y = ssm.add %a, %b
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, BF16, F16]>:$lhs,
                       RankedTensorOf<[F32, BF16, F16]>:$rhs);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_FillOp : SSM_KernelOp<"fill", [Pure]> {
  let customGradient = 1;
  let recordsResultShape = 1;
  let summary = "a tensor of one value";
  let description = [{
    A tensor of the result type with every element `value`: the seed of
    the loss's cotangent and the zero cotangent of an unused result.

    Example: `%one = ssm.fill 1.0 : tensor<f32>`
  }];
  let arguments = (ins F64Attr:$value);
  let results = (outs RankedTensorOf<[F32, BF16, F16]>:$y);
  let assemblyFormat = "$value attr-dict `:` type($y)";
  let hasVerifier = 1;
}

#endif // SSM_GRAPH_OPS_TD
