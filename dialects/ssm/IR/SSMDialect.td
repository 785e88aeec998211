//===- SSMDialect.td - the ssm dialect ---------------------*- tablegen -*-===//
//
// Tensor-level operations of selective state space models (Mamba, Mamba-2).
//
//===----------------------------------------------------------------------===//

#ifndef SSM_DIALECT_TD
#define SSM_DIALECT_TD

include "mlir/IR/OpBase.td"

def SSM_Dialect : Dialect {
  let name = "ssm";
  let summary = "Operations of selective state space models for training.";
  let description = [{
    The `ssm` dialect expresses the building blocks of Mamba-style selective
    state space models at the tensor level: the Mamba-1 selective scan (S6),
    the Mamba-2 state-space-duality (SSD) scan, the depthwise causal
    convolution and RMS normalisation in the forms Mamba blocks use, and one
    gradient op per forward op.

    All ops work on ranked, statically shaped tensors with value semantics.
    Activations are `f32`, `bf16` or `f16`; the parameters `A`, `D` and the
    biases are `f32`; all scan arithmetic, accumulation and returned states
    are `f32`. Layouts follow the Mamba reference implementations, so tensors
    can be exchanged with PyTorch code unchanged.

    How an op is computed (chunk sizes, tiles, what is fused) is not part of
    its meaning: those are lowering choices made by later passes.
  }];
  let cppNamespace = "::mlir::ssm";
  let useDefaultAttributePrinterParser = 1;
  // `ssm.lowering` (a #ssm.lowering) is checked against the op it is on.
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute carrying an op's lowering choice.
    static constexpr ::llvm::StringLiteral kLoweringAttrName = "ssm.lowering";
    /// Module attribute: kernel symbol name -> the #ssm.lowering of the op
    /// it was generated for (set by the GPU conversion).
    static constexpr ::llvm::StringLiteral kKernelLoweringsAttrName =
        "ssm.kernels";

  private:
    void registerAttributes();

  public:
  }];
}

class SSM_Op<string mnemonic, list<Trait> traits = []>
    : Op<SSM_Dialect, mnemonic, traits>;

#endif // SSM_DIALECT_TD
