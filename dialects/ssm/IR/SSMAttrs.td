//===- SSMAttrs.td - ssm dialect attributes ----------------*- tablegen -*-===//

#ifndef SSM_ATTRS_TD
#define SSM_ATTRS_TD

include "ssm/IR/SSMDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def SSM_ActivationNone : I32EnumAttrCase<"none", 0>;
def SSM_ActivationSilu : I32EnumAttrCase<"silu", 1>;

def SSM_ActivationAttr : I32EnumAttr<"Activation",
    "activation applied after the causal convolution",
    [SSM_ActivationNone, SSM_ActivationSilu]> {
  let cppNamespace = "::mlir::ssm";
}

//===----------------------------------------------------------------------===//
// Lowering choices
//===----------------------------------------------------------------------===//

class SSM_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<SSM_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def SSM_LoweringAttr : SSM_Attr<"Lowering", "lowering"> {
  let summary = "How one ssm op (or fused region) is lowered";
  let description = [{
    The lowering choice of one kernel op or `ssm.fusion` region, carried as
    the discardable attribute `ssm.lowering`. `ssm-select-lowering` sets it
    from its options on every op that has none; one written by hand in the
    `.mlir` wins. The conversions, the GPU passes (register budgets) and the
    workload manifest read it, so a binary records what actually ran.

    Parameters that do not apply to the op on its target are left at 0 (or
    empty) and not printed. The dialect verifies every `ssm.lowering`
    against the op it is on: an unknown target, a variant or strategy that
    does not apply, or an impossible tile is an error naming the parameter.

    - `target`: `cpu` or `gpu`; `chip`: the GPU architecture (`sm_90`).
    - `variant`: the fusion variant (`fused-scan`, `unfused`, ...).
    - `strategy`: the algorithm along the sequence (`block-scan`,
      `chunked-parallel`, `sequential`; `chunked`, `recurrence` for SSD).
    - `chunk_len`, `ssd_tile`, `threads_per_block`, `items_per_thread`,
      `channels_per_block`: tiles; `max_registers`: the register budget per
      thread of the op's kernels (0: ptxas decides).
    - `deterministic` (gradient ops on the GPU): the kernels reduce the
      gradients that many threads contribute to (parameters, and operands
      such as `B` and `C` shared by the channels of a group) through
      per-slot partial buffers summed in a fixed order instead of
      floating-point atomics, so that every run gives the same bits. Only
      the lowerings an op lists in `getDeterministicLowerings` have this
      form; absent (false), such gradients accumulate with atomics. CPU
      lowerings run their points one after the other and are deterministic
      without it.

    Example:

    ```mlir
    %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C {ssm.lowering =
        #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan",
                      strategy = "block-scan", threads_per_block = 128,
                      items_per_thread = 8, channels_per_block = 1>}
        : (...) -> (...)
    ```
  }];
  let parameters = (ins
    StringRefParameter<"cpu or gpu">:$target,
    StringRefParameter<"GPU architecture", "\"\"">:$chip,
    StringRefParameter<"fusion variant">:$variant,
    StringRefParameter<"algorithm along the sequence", "\"\"">:$strategy,
    DefaultValuedParameter<"int64_t", "0", "positions per chunk">:$chunk_len,
    DefaultValuedParameter<"int64_t", "0",
                           "states or positions per SSD point">:$ssd_tile,
    DefaultValuedParameter<"int64_t", "0", "GPU threads per block">
        :$threads_per_block,
    DefaultValuedParameter<"int64_t", "0", "positions per thread">
        :$items_per_thread,
    DefaultValuedParameter<"int64_t", "0", "channels per block">
        :$channels_per_block,
    DefaultValuedParameter<"int64_t", "0", "registers per thread">
        :$max_registers,
    DefaultValuedParameter<"bool", "false",
                           "shared gradients reduced in a fixed order">
        :$deterministic
  );
  let assemblyFormat = "`<` struct(params) `>`";
}

#endif // SSM_ATTRS_TD
