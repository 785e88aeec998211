//===- SSMOps.td - ssm dialect operations ------------------*- tablegen -*-===//
//
// Forward and gradient ops of selective state space models. Shapes and
// element types are checked by the verifiers in SSMVerifiers.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_OPS_TD
#define SSM_OPS_TD

include "ssm/IR/SSMDialect.td"
include "ssm/IR/SSMAttrs.td"
include "ssm/IR/SSMInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"

/// `"a", "b"` from a list of names.
class SSM_QuotedList<list<string> names> {
  string text = !interleave(!foreach(n, names, "\"" # n # "\""), ", ");
}

/// The body of a static method returning `names` as an ArrayRef of
/// StringLiteral (an empty list has no array: C++ has no zero-size ones).
class SSM_NameListBody<list<string> names> {
  string text = !if(!empty(names), "  return {};\n",
      "  static constexpr ::llvm::StringLiteral names[] = {"
      # SSM_QuotedList<names>.text # "};\n  return names;\n");
}

/// An ssm op lowered to kernels. Its port names are generated from its ODS
/// `arguments` (attributes excluded) and `results`; the lists below say
/// what ODS cannot: parameter ports, the gradient rule, and which lowering
/// choices apply. They become the static methods of KernelOpInterface.
class SSM_KernelOp<string mnemonic, list<Trait> traits = []>
    : SSM_Op<mnemonic, traits # [SSM_KernelOpInterface]> {
  list<string> parameterPorts = [];
  string gradientOp = "";
  string forwardOp = "";
  list<string> savedForGradient = [];
  list<string> loweringVariants = ["fused"];
  list<string> cpuStrategies = [];
  list<string> gpuStrategies = [];
  // Gradient lowerings ("variant" or "variant/strategy") with a GPU form
  // whose reductions run in a fixed order (see getDeterministicLowerings).
  list<string> deterministicLowerings = [];
  // The op's gradient rule (KernelOpInterface::buildGradient): 0 builds its
  // `gradientOp` from the forward's operands and the results' cotangents
  // (buildGradientOp); 1 means the op defines `buildOpGradient` in C++ (a
  // layout op whose gradient is another forward op).
  bit customGradient = 0;
  // The result's shape is not implied by the operands (a reshape, a fill):
  // the manifest records it as the attribute `shape`, so that the
  // runtime's reference can evaluate the op.
  bit recordsResultShape = 0;

  list<string> operandPortNames = !foreach(i,
      !filter(i, !range(!size(arguments)),
              !not(!initialized(!getdagarg<Attr>(arguments, i)))),
      !getdagname(arguments, i));
  list<string> resultPortNames = !foreach(i, !range(!size(results)),
                                          !getdagname(results, i));

  let extraClassDeclaration =
    "static ::llvm::ArrayRef<::llvm::StringLiteral> getOperandPortNames() {\n"
    # SSM_NameListBody<operandPortNames>.text # "}\n"
    "static ::llvm::ArrayRef<::llvm::StringLiteral> getResultPortNames() {\n"
    # SSM_NameListBody<resultPortNames>.text # "}\n"
    "static ::llvm::ArrayRef<::llvm::StringLiteral> getParameterPortNames() {\n"
    # SSM_NameListBody<parameterPorts>.text # "}\n"
    "static ::llvm::ArrayRef<::llvm::StringLiteral> getSavedForGradient() {\n"
    # SSM_NameListBody<savedForGradient>.text # "}\n"
    "static ::llvm::StringRef getGradientOpName() { return \"" # gradientOp
    # "\"; }\n"
    "static ::llvm::StringRef getForwardOpName() { return \"" # forwardOp
    # "\"; }\n"
    "static ::llvm::ArrayRef<::llvm::StringLiteral> getLoweringVariants() {\n"
    # SSM_NameListBody<loweringVariants>.text # "}\n"
    "static ::llvm::ArrayRef<::llvm::StringLiteral> "
    "getDeterministicLowerings() {\n"
    # SSM_NameListBody<deterministicLowerings>.text # "}\n"
    "static ::llvm::ArrayRef<::llvm::StringLiteral>\n"
    "getLoweringStrategies(::llvm::StringRef target) {\n"
    # !if(!empty(gpuStrategies), "",
          "  static constexpr ::llvm::StringLiteral gpu[] = {"
          # SSM_QuotedList<gpuStrategies>.text # "};\n"
          "  if (target == \"gpu\") return gpu;\n")
    # !if(!empty(cpuStrategies), "",
          "  static constexpr ::llvm::StringLiteral cpu[] = {"
          # SSM_QuotedList<cpuStrategies>.text # "};\n"
          "  if (target == \"cpu\") return cpu;\n")
    # "  return {};\n}\n"
    "static bool recordsResultShape() { return "
    # !if(recordsResultShape, "true", "false") # "; }\n"
    "::mlir::FailureOr<::llvm::SmallVector<::mlir::Value>>\n"
    "buildOpGradient(::mlir::OpBuilder &b, ::mlir::ValueRange cotangents)"
    # !if(customGradient, ";\n",
          " {\n  return ::mlir::ssm::buildGradientOp(getOperation(), b, "
          "cotangents);\n}\n");
}

/// Activations: f32, bf16 or f16, ranked. Static shapes are checked by the
/// verifier so that the diagnostic can name the operand.
def SSM_ActTensor : RankedTensorOf<[F32, BF16, F16]>;
/// Parameters, biases, states and their cotangents are f32.
def SSM_F32Tensor : RankedTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// Mamba-1 selective scan
//===----------------------------------------------------------------------===//

def SSM_SelectiveScanOp : SSM_KernelOp<"selective_scan", [Pure,
    AttrSizedOperandSegments, InferTypeOpAdaptor]> {
  let parameterPorts = ["A", "D", "delta_bias"];
  let gradientOp = "ssm.selective_scan_grad";
  let loweringVariants = ["fused-scan", "unfused"];
  let cpuStrategies = ["sequential", "chunked-parallel"];
  let gpuStrategies = ["block-scan", "sequential", "chunked-parallel"];
  let summary = "Mamba-1 selective scan (S6)";
  let description = [{
    The selective scan of Mamba-1 over `L` positions, for `B` sequences of
    `D` channels with `N` states per channel. `B` and `C` are shared by `G`
    groups of channels (channel `d` uses group `d / (D / G)`).

    Shapes: `u [B,D,L]`, `delta [B,D,L]`, `A [D,N]`, `B [B,G,N,L]`,
    `C [B,G,N,L]`, optional `D [D]`, `z [B,D,L]`, `delta_bias [D]`.
    Results: `y [B,D,L]` (element type of `u`) and `last_state [B,D,N]`
    (`f32`).

    Semantics, per batch `b`, channel `d`, state `n`, with `h[-1] = 0`:

    ```
    dt[t]   = delta[t] + delta_bias            (delta_bias optional)
    dt[t]   = softplus(dt[t])                  (if delta_softplus)
    h[t]    = exp(dt[t] * A[d,n]) * h[t-1] + dt[t] * B[g,n,t] * u[t]
    y[t]    = sum_n C[g,n,t] * h[t][n] + D[d] * u[t]     (D optional)
    y[t]    = y[t] * silu(z[t])                (z optional)
    last_state = h[L-1]
    ```

    `u`, `delta` and `z` share one element type; `B` and `C` may be any
    activation type. All arithmetic is carried out in `f32`.

    Example:

    ```mlir
    %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z)
        delta_bias(%db) {delta_softplus}
        : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>,
           tensor<2x8x16xf32>, tensor<8xf32>)
        -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
    ```
  }];
  let arguments = (ins SSM_ActTensor:$u, SSM_ActTensor:$delta,
                       SSM_F32Tensor:$A, SSM_ActTensor:$B, SSM_ActTensor:$C,
                       Optional<SSM_F32Tensor>:$D,
                       Optional<SSM_ActTensor>:$z,
                       Optional<SSM_F32Tensor>:$delta_bias,
                       UnitAttr:$delta_softplus);
  let results = (outs SSM_ActTensor:$y, SSM_F32Tensor:$last_state);
  let assemblyFormat = [{
    $u `,` $delta `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`delta_bias` `(` $delta_bias^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def SSM_SelectiveScanGradOp : SSM_KernelOp<"selective_scan_grad", [Pure,
    AttrSizedOperandSegments, AttrSizedResultSegments]> {
  let parameterPorts = ["A", "D", "delta_bias"];
  let forwardOp = "ssm.selective_scan";
  let loweringVariants = ["fused-scan", "unfused"];
  let cpuStrategies = ["sequential", "chunked-parallel"];
  // The chunked-parallel backward measured 1.2-1.6x faster than the block
  // scan's at B8 L2048 and B1 L65536 (docs/PERFORMANCE.md): the default.
  let gpuStrategies = ["chunked-parallel", "block-scan", "sequential"];
  let deterministicLowerings = ["fused-scan/chunked-parallel"];
  let summary = "gradient of ssm.selective_scan";
  let description = [{
    Reverse-mode gradient of `ssm.selective_scan`. Takes the forward's
    operands (same shapes and attribute) and the cotangents of its results,
    `dy [B,D,L]` and optionally `d_last_state [B,D,N]` (taken as zero when
    absent), and returns the cotangent of every differentiable operand:
    `du`, `ddelta`, `dA`, `dB`, `dC`, and `dD`, `dz`, `ddelta_bias` exactly
    when the forward had `D`, `z`, `delta_bias`. Each cotangent has the type
    of its operand; accumulation is in `f32`.

    The op saves nothing from the forward: the lowering recomputes the
    states it needs (from per-chunk saved states, or by rerunning the
    forward recurrence), which is the memory-saving choice Mamba's training
    kernels make.

    Example:

    ```mlir
    %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
        %u, %delta, %A, %B, %C, %dy
        : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
          tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
        -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
           tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$u, SSM_ActTensor:$delta,
                       SSM_F32Tensor:$A, SSM_ActTensor:$B, SSM_ActTensor:$C,
                       Optional<SSM_F32Tensor>:$D,
                       Optional<SSM_ActTensor>:$z,
                       Optional<SSM_F32Tensor>:$delta_bias,
                       SSM_ActTensor:$dy,
                       Optional<SSM_F32Tensor>:$d_last_state,
                       UnitAttr:$delta_softplus);
  let results = (outs SSM_ActTensor:$du, SSM_ActTensor:$ddelta,
                      SSM_F32Tensor:$dA, SSM_ActTensor:$dB,
                      SSM_ActTensor:$dC, Optional<SSM_F32Tensor>:$dD,
                      Optional<SSM_ActTensor>:$dz,
                      Optional<SSM_F32Tensor>:$ddelta_bias);
  let assemblyFormat = [{
    $u `,` $delta `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`delta_bias` `(` $delta_bias^ `)`)? `,` $dy
    (`d_last_state` `(` $d_last_state^ `)`)? attr-dict `:` type(operands)
    `->` type($du) `,` type($ddelta) `,` type($dA) `,` type($dB) `,`
    type($dC) (`dD` type($dD)^)? (`dz` type($dz)^)?
    (`ddelta_bias` type($ddelta_bias)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Mamba-2 SSD scan
//===----------------------------------------------------------------------===//

def SSM_SSDScanOp : SSM_KernelOp<"ssd_scan", [Pure, AttrSizedOperandSegments,
    InferTypeOpAdaptor]> {
  let parameterPorts = ["A", "D", "dt_bias"];
  let gradientOp = "ssm.ssd_scan_grad";
  let loweringVariants = ["phases"];
  let cpuStrategies = ["chunked", "recurrence"];
  let gpuStrategies = ["chunked", "recurrence"];
  let summary = "Mamba-2 state space duality (SSD) scan";
  let description = [{
    The scan of Mamba-2, whose decay is a scalar per head. `H` heads of
    head dimension `P` with `N` states; `B` and `C` are shared by `G` groups
    of heads (head `h` uses group `h / (H / G)`).

    Shapes: `x [B,L,H,P]`, `dt [B,L,H]`, `A [H]`, `B [B,L,G,N]`,
    `C [B,L,G,N]`, optional `D [H]`, `z [B,L,H,P]`, `dt_bias [H]`,
    `initial_state [B,H,P,N]`. Results: `y [B,L,H,P]` (element type of
    `x`) and `final_state [B,H,P,N]` (`f32`).

    Semantics, per batch `b` and head `h`, with the state `s [P,N]` starting
    at `initial_state` (or zero):

    ```
    dt'[t] = softplus?(dt[t] + dt_bias)
    s[t]   = exp(dt'[t] * A[h]) * s[t-1] + dt'[t] * outer(x[t], B[t,g])
    y[t]   = s[t] . C[t,g] + D[h] * x[t]
    y[t]   = y[t] * silu(z[t])                 (z optional)
    final_state = s[L-1]
    ```

    The chunk size of the chunked (dual, quadratic-within-chunk) form is a
    lowering choice, not part of the op's meaning.

    Example:

    ```mlir
    %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) {dt_softplus}
        : (tensor<1x64x4x16xbf16>, tensor<1x64x4xbf16>, tensor<4xf32>,
           tensor<1x64x1x8xbf16>, tensor<1x64x1x8xbf16>, tensor<4xf32>)
        -> (tensor<1x64x4x16xbf16>, tensor<1x4x16x8xf32>)
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_ActTensor:$dt,
                       SSM_F32Tensor:$A, SSM_ActTensor:$B, SSM_ActTensor:$C,
                       Optional<SSM_F32Tensor>:$D,
                       Optional<SSM_ActTensor>:$z,
                       Optional<SSM_F32Tensor>:$dt_bias,
                       Optional<SSM_F32Tensor>:$initial_state,
                       UnitAttr:$dt_softplus);
  let results = (outs SSM_ActTensor:$y, SSM_F32Tensor:$final_state);
  let assemblyFormat = [{
    $x `,` $dt `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`dt_bias` `(` $dt_bias^ `)`)?
    (`initial_state` `(` $initial_state^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def SSM_SSDScanGradOp : SSM_KernelOp<"ssd_scan_grad", [Pure,
    AttrSizedOperandSegments, AttrSizedResultSegments]> {
  let parameterPorts = ["A", "D", "dt_bias"];
  let forwardOp = "ssm.ssd_scan";
  let loweringVariants = ["phases"];
  let cpuStrategies = ["chunked", "recurrence"];
  let gpuStrategies = ["chunked", "recurrence"];
  let deterministicLowerings = ["phases/chunked"];
  let summary = "gradient of ssm.ssd_scan";
  let description = [{
    Reverse-mode gradient of `ssm.ssd_scan`. Takes the forward's operands
    and attribute and the cotangents `dy [B,L,H,P]` and optionally
    `d_final_state [B,H,P,N]` (zero when absent). Returns `dx`, `ddt`, `dA`,
    `dB`, `dC`, and `dD`, `dz`, `ddt_bias`, `d_initial_state` exactly when
    the forward had `D`, `z`, `dt_bias`, `initial_state`. Each cotangent has
    its operand's type; accumulation is in `f32`. Nothing is saved from the
    forward: the lowering recomputes the chunk states it needs.

    Example:

    ```mlir
    %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
        : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
          tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
        -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
           tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_ActTensor:$dt,
                       SSM_F32Tensor:$A, SSM_ActTensor:$B, SSM_ActTensor:$C,
                       Optional<SSM_F32Tensor>:$D,
                       Optional<SSM_ActTensor>:$z,
                       Optional<SSM_F32Tensor>:$dt_bias,
                       Optional<SSM_F32Tensor>:$initial_state,
                       SSM_ActTensor:$dy,
                       Optional<SSM_F32Tensor>:$d_final_state,
                       UnitAttr:$dt_softplus);
  let results = (outs SSM_ActTensor:$dx, SSM_ActTensor:$ddt,
                      SSM_F32Tensor:$dA, SSM_ActTensor:$dB,
                      SSM_ActTensor:$dC, Optional<SSM_F32Tensor>:$dD,
                      Optional<SSM_ActTensor>:$dz,
                      Optional<SSM_F32Tensor>:$ddt_bias,
                      Optional<SSM_F32Tensor>:$d_initial_state);
  let assemblyFormat = [{
    $x `,` $dt `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`dt_bias` `(` $dt_bias^ `)`)?
    (`initial_state` `(` $initial_state^ `)`)? `,` $dy
    (`d_final_state` `(` $d_final_state^ `)`)? attr-dict `:` type(operands)
    `->` type($dx) `,` type($ddt) `,` type($dA) `,` type($dB) `,` type($dC)
    (`dD` type($dD)^)? (`dz` type($dz)^)? (`ddt_bias` type($ddt_bias)^)?
    (`d_initial_state` type($d_initial_state)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Causal depthwise convolution
//===----------------------------------------------------------------------===//

def SSM_CausalConv1dOp : SSM_KernelOp<"causal_conv1d", [Pure,
    InferTypeOpAdaptor]> {
  let parameterPorts = ["weight", "bias"];
  let gradientOp = "ssm.causal_conv1d_grad";
  let loweringVariants = ["fused", "unfused"];
  let summary = "depthwise causal 1-D convolution";
  let description = [{
    The short depthwise convolution in front of the scan of a Mamba block.
    Shapes: `x [B,D,L]`, `weight [D,W]`, optional `bias [D]`; result
    `y [B,D,L]` with the element type of `x`. Positions before the start of
    the sequence are zero (left padding of `W - 1`), so `W` may exceed `L`:

    ```
    y[b,d,l] = act(bias[d] + sum_{k<W} weight[d,k] * x[b,d,l-(W-1)+k])
    ```

    where `act` is `none` (identity) or `silu`.

    Lowering variants: `fused` (default) computes `y` in one kernel;
    `unfused` runs the convolution (+ bias) into a materialised `f32`
    pre-activation, then `silu` as its own kernel. With activation `none`
    the two are the same single kernel.

    Example:

    ```mlir
    %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
        : (tensor<2x8x16xbf16>, tensor<8x4xf32>, tensor<8xf32>)
        -> tensor<2x8x16xbf16>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_F32Tensor:$weight,
                       Optional<SSM_F32Tensor>:$bias,
                       SSM_ActivationAttr:$activation);
  let results = (outs SSM_ActTensor:$y);
  let assemblyFormat = [{
    $x `,` $weight (`bias` `(` $bias^ `)`)? `activation` $activation
    attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_CausalConv1dGradOp : SSM_KernelOp<"causal_conv1d_grad", [Pure]> {
  let parameterPorts = ["weight", "bias"];
  let forwardOp = "ssm.causal_conv1d";
  let loweringVariants = ["fused", "unfused"];
  // dweight and dbias: a thread per (channel, slice of positions) sums its
  // slice into the slice's partial copy; the copies are summed in order.
  let deterministicLowerings = ["fused", "unfused"];
  let summary = "gradient of ssm.causal_conv1d";
  let description = [{
    Reverse-mode gradient of `ssm.causal_conv1d`: takes its operands and
    attribute and `dy [B,D,L]`, and returns `dx [B,D,L]`, `dweight [D,W]`
    and, when the forward had a bias, `dbias [D]`. The activation's input is
    recomputed, not saved.

    Lowering variants: `fused` (default) recomputes the pre-activation
    inside the convolution's backward kernels; `unfused` (activation `silu`)
    recomputes it as its own kernel, runs the `silu` backward as another
    into a materialised `f32` cotangent, then the convolution's backward
    (`dx`; `dweight` and `dbias`). With activation `none` the two are the
    same kernels.

    Example:

    ```mlir
    %dx, %dw = ssm.causal_conv1d_grad %x, %w, %dy activation none
        : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
        -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_F32Tensor:$weight,
                       Optional<SSM_F32Tensor>:$bias, SSM_ActTensor:$dy,
                       SSM_ActivationAttr:$activation);
  let results = (outs SSM_ActTensor:$dx, SSM_F32Tensor:$dweight,
                      Optional<SSM_F32Tensor>:$dbias);
  let assemblyFormat = [{
    $x `,` $weight (`bias` `(` $bias^ `)`)? `,` $dy `activation` $activation
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// RMS normalisation
//===----------------------------------------------------------------------===//

def SSM_RMSNormOp : SSM_KernelOp<"rms_norm", [Pure, AttrSizedOperandSegments,
    InferTypeOpAdaptor]> {
  let parameterPorts = ["weight"];
  let gradientOp = "ssm.rms_norm_grad";
  let loweringVariants = ["fused", "unfused"];
  let summary = "RMS normalisation, with the residual and gated forms";
  let description = [{
    RMS normalisation over the last dimension `D` of `x [...,D]`, scaled by
    `weight [D]`, in one of three forms:

    - plain: `y = x * rsqrt(mean(x^2) + eps) * weight`;
    - fused residual add (Mamba's `Block`): with `residual` (same shape as
      `x`, `f32` or the type of `x`), `r = x + residual` is computed in `f32`,
      `y = r * rsqrt(mean(r^2) + eps) * weight`, and `r` is also returned as
      `residual_out` (`f32`);
    - gated (Mamba-2's `RMSNormGated`): with `z`, `g = x * silu(z)` and
      `y = g * rsqrt(mean(g^2) + eps) * weight`.

    `residual` and `z` are never both given. `y` has the type of `x`.

    Lowering variants: `fused` (default) does the residual add or the gate,
    the reduction and the scaling in one kernel; `unfused` runs them as an
    eager framework does, each its own kernel through memory: the residual
    add into `residual_out` (or the gate into an `f32` buffer), the
    per-row `rsqrt(mean(.^2) + eps)` into an `f32` buffer, then the scaling.

    Example:

    ```mlir
    %y, %r = ssm.rms_norm %x, %w residual(%res) {eps = 1.0e-05 : f32}
        : (tensor<2x16x64xbf16>, tensor<64xf32>, tensor<2x16x64xf32>)
        -> (tensor<2x16x64xbf16>, tensor<2x16x64xf32>)
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_F32Tensor:$weight,
                       Optional<RankedTensorOf<[F32, BF16, F16]>>:$residual,
                       Optional<SSM_ActTensor>:$z,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$eps);
  let results = (outs SSM_ActTensor:$y,
                      Optional<SSM_F32Tensor>:$residual_out);
  let assemblyFormat = [{
    $x `,` $weight (`residual` `(` $residual^ `)`)? (`z` `(` $z^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
}

def SSM_RMSNormGradOp : SSM_KernelOp<"rms_norm_grad", [Pure,
    AttrSizedOperandSegments, AttrSizedResultSegments]> {
  let parameterPorts = ["weight"];
  let forwardOp = "ssm.rms_norm";
  let loweringVariants = ["fused", "unfused"];
  let deterministicLowerings = ["fused", "unfused"];
  let summary = "gradient of ssm.rms_norm";
  let description = [{
    Reverse-mode gradient of `ssm.rms_norm` in any of its forms. Takes its
    operands and `eps`, the cotangent `dy` and, in the residual form,
    optionally `d_residual_out` (zero when absent). Returns `dx`, `dweight`,
    and `dresidual` (residual form) or `dz` (gated form). The normaliser is
    recomputed, not saved.

    Lowering variants: `fused` (default) is one kernel per row (and the
    `dweight` accumulation in it); `unfused` runs the reverse steps as
    separate kernels through memory, recomputing what the forward
    materialised (the residual sum or the gated input, then the per-row
    normaliser): the row dot product, the norm backward into an `f32`
    cotangent, `dweight`, then the residual passthrough or the gate
    backward.

    Example:

    ```mlir
    %dx, %dw = ssm.rms_norm_grad %x, %w, %dy {eps = 1.0e-05 : f32}
        : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
        -> tensor<4x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins SSM_ActTensor:$x, SSM_F32Tensor:$weight,
                       Optional<RankedTensorOf<[F32, BF16, F16]>>:$residual,
                       Optional<SSM_ActTensor>:$z,
                       SSM_ActTensor:$dy,
                       Optional<SSM_F32Tensor>:$d_residual_out,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$eps);
  let results = (outs SSM_ActTensor:$dx, SSM_F32Tensor:$dweight,
                      Optional<RankedTensorOf<[F32, BF16, F16]>>:$dresidual,
                      Optional<SSM_ActTensor>:$dz);
  let assemblyFormat = [{
    $x `,` $weight (`residual` `(` $residual^ `)`)? (`z` `(` $z^ `)`)? `,`
    $dy (`d_residual_out` `(` $d_residual_out^ `)`)? attr-dict `:`
    type(operands) `->` type($dx) `,` type($dweight)
    (`dresidual` type($dresidual)^)? (`dz` type($dz)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused groups
//===----------------------------------------------------------------------===//

def SSM_FusionOp : SSM_Op<"fusion", [RecursiveMemoryEffects,
    RecursivelySpeculatable]> {
  let summary = "ssm ops lowered together as one kernel";
  let description = [{
    A group of ssm ops that one fusion variant lowers as a single kernel,
    so that the values passed between them never reach device memory. The
    region's single block holds the ops and ends in `ssm.yield`, whose
    operands are the op's results. It is formed by `ssm-fuse` and may be
    written by hand; its `variant` says which fused kernel lowers it, and
    the verifier checks that the region has the shape the variant needs.

    Variants:
    - `fused-conv-scan`: an `ssm.causal_conv1d` with `silu` activation whose
      result is the `u` of an `ssm.selective_scan` or
      `ssm.selective_scan_grad` (and of nothing else in the region). The
      convolution is recomputed inside the scan kernel.

    Example:

    ```mlir
    %y, %s = ssm.fusion "fused-conv-scan" -> tensor<2x8x16xf32>, tensor<2x8x4xf32> {
      %u = ssm.causal_conv1d %x, %w activation silu
          : (tensor<2x8x16xf32>, tensor<8x4xf32>) -> tensor<2x8x16xf32>
      %y0, %s0 = ssm.selective_scan %u, %dt, %A, %B, %C
          : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
             tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
          -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
      ssm.yield %y0, %s0 : tensor<2x8x16xf32>, tensor<2x8x4xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$variant);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $variant (`->` type($results)^)? attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Fusion variants a region may name.
    static ::llvm::ArrayRef<::llvm::StringLiteral> getKnownVariants();
    /// The ops of the region, without its terminator.
    auto getFusedOps() {
      return getBody().front().without_terminator();
    }
  }];
}

def SSM_YieldOp : SSM_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"FusionOp">]> {
  let summary = "results of an ssm.fusion region";
  let description = [{
    Ends the region of `ssm.fusion`; its operands become the results of the
    enclosing op, in order and with the same types.

    Example: `ssm.yield %y, %s : tensor<2x8x16xf32>, tensor<2x8x4xf32>`
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

include "ssm/IR/SSMGraphOps.td"

#endif // SSM_OPS_TD
