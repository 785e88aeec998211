//===- SSMAttrs.td - ssm dialect attributes ----------------*- tablegen -*-===//

#ifndef SSM_ATTRS_TD
#define SSM_ATTRS_TD

include "mlir/IR/EnumAttr.td"

def SSM_ActivationNone : I32EnumAttrCase<"none", 0>;
def SSM_ActivationSilu : I32EnumAttrCase<"silu", 1>;

def SSM_ActivationAttr : I32EnumAttr<"Activation",
    "activation applied after the causal convolution",
    [SSM_ActivationNone, SSM_ActivationSilu]> {
  let cppNamespace = "::mlir::ssm";
}

#endif // SSM_ATTRS_TD
