// The `deterministic` choice of ssm-select-lowering: gradient ops on the
// GPU are reduced in a fixed order wherever their lowering has that form
// (auto, the default): the selective scan's chunked-parallel gradient (the
// GPU default), the chunked SSD, RMS norm and conv gradients; not the
// block-scan or sequential scan gradients, which accumulate with atomics
// and say so by the parameter's absence. Forward ops reduce nothing across
// threads and CPU lowerings are deterministic as they are: neither carries
// it. The workload manifest records it per gradient op, and the option.
// RUN: ssm-opt %s --ssm-select-lowering=target=gpu | FileCheck %s --check-prefix=AUTO
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan' \
// RUN:   | FileCheck %s --check-prefix=BLOCK
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu deterministic=false' \
// RUN:   | FileCheck %s --check-prefix=ATOMIC
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=block-scan deterministic=true' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=STRICT
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu deterministic=yes' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=VALUE
// RUN: not ssm-opt %s '--ssm-select-lowering=target=cpu deterministic=true' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ON-CPU
// RUN: ssm-compile %s --target=gpu -o %t.so
// RUN: grep -a -o '"deterministic":"\{0,1\}[a-z]*' %t.so | FileCheck %s --check-prefix=MANIFEST
// RUN: ssm-compile %s --target=gpu --deterministic=false -o %t.atomic.so
// RUN: grep -a -o '"deterministic":"\{0,1\}[a-z]*' %t.atomic.so | FileCheck %s --check-prefix=MANIFEST-ATOMIC

// AUTO-LABEL: func.func @mamba
// AUTO: ssm.selective_scan {{.*}}strategy = "block-scan"
// AUTO-NOT: deterministic
// AUTO-SAME: >}
// AUTO: ssm.selective_scan_grad {{.*}}strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 1, max_registers = 168>}
// AUTO: ssm.rms_norm_grad {{.*}}variant = "fused", threads_per_block = 128, deterministic = true>}
// AUTO: ssm.causal_conv1d_grad {{.*}}variant = "fused", threads_per_block = 128, deterministic = true>}
// AUTO: ssm.selective_scan_grad {{.*}}strategy = "chunked-parallel", chunk_len = 64, threads_per_block = 128, deterministic = true>}
// AUTO-LABEL: func.func @ssd
// AUTO: ssm.ssd_scan_grad {{.*}}strategy = "chunked", chunk_len = 64, ssd_tile = 8, threads_per_block = 128, deterministic = true>}

// BLOCK: ssm.rms_norm_grad {{.*}}deterministic = true>}
// BLOCK: ssm.selective_scan_grad {{.*}}strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, channels_per_block = 1, max_registers = 168>}

// ATOMIC-NOT: deterministic

// The hand-written block scan keeps its own choice (atomics); the one
// chosen by the option has no fixed-order form, so asking for one is an
// error naming the lowerings that have it.
// STRICT: error: 'ssm.selective_scan_grad' op has ssm.lowering deterministic = true, but ssm.selective_scan_grad lowered as variant "fused-scan", strategy "block-scan" on gpu accumulates with atomics; its deterministic lowerings are 'fused-scan/chunked-parallel'
// VALUE: error: ssm-select-lowering: deterministic = 'yes' is unknown: expected 'true', 'false' or 'auto'
// ON-CPU: error: ssm-select-lowering: deterministic applies only to target=gpu (cpu lowerings are always deterministic), not target=cpu

// Gradient ops in function order: selective scan (hand-written block
// scan), rms norm, conv, selective scan (chunked-parallel), SSD.
// MANIFEST: "deterministic":false
// MANIFEST-NEXT: "deterministic":true
// MANIFEST-NEXT: "deterministic":true
// MANIFEST-NEXT: "deterministic":true
// MANIFEST-NEXT: "deterministic":true
// MANIFEST-NEXT: "deterministic":"auto
// MANIFEST-NOT: deterministic
// MANIFEST-ATOMIC-COUNT-5: "deterministic":false
// MANIFEST-ATOMIC-NEXT: "deterministic":"false
// MANIFEST-ATOMIC-NOT: deterministic

func.func @mamba(%u: tensor<2x32x16xf32>, %delta: tensor<2x32x16xf32>, %A: tensor<32x4xf32>,
    %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>, %dy: tensor<2x32x16xf32>,
    %x: tensor<4x32xf32>, %w: tensor<32xf32>, %dn: tensor<4x32xf32>,
    %cw: tensor<32x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      : (tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>)
      -> (tensor<2x32x16xf32>, tensor<2x32x4xf32>)
  %g:5 = ssm.selective_scan_grad %u, %delta, %A, %B, %C, %dy
      {ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "block-scan">}
      : tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x32x16xf32>
      -> tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  %dx, %dw = ssm.rms_norm_grad %x, %w, %dn
      : tensor<4x32xf32>, tensor<32xf32>, tensor<4x32xf32> -> tensor<4x32xf32>, tensor<32xf32>
  %cdx, %cdw = ssm.causal_conv1d_grad %u, %cw, %dy activation none
      : (tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x32x16xf32>) -> (tensor<2x32x16xf32>, tensor<32x4xf32>)
  %h:5 = ssm.selective_scan_grad %u, %delta, %A, %B, %C, %dy
      : tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x32x16xf32>
      -> tensor<2x32x16xf32>, tensor<2x32x16xf32>, tensor<32x4xf32>, tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

func.func @ssd(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>, %A: tensor<4xf32>,
    %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>, %dy: tensor<1x64x4x16xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}
