// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry fwd_small --check \
// RUN:   | FileCheck %s --check-prefix=FWD-SMALL
// RUN: ssm-run %t.so --entry fwd_all --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.so --entry fwd_all --seed 5 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-ALL
// RUN: ssm-run %t.so --entry fwd_initial_state --check \
// RUN:   | FileCheck %s --check-prefix=FWD-INITIAL-STATE
// RUN: ssm-run %t.so --entry fwd_d_z --check \
// RUN:   | FileCheck %s --check-prefix=FWD-D-Z
// RUN: ssm-run %t.so --entry fwd_bias_softplus --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BIAS-SOFTPLUS
// RUN: ssm-run %t.so --entry fwd_l1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-L1
// RUN: ssm-run %t.so --entry fwd_n1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-N1
// RUN: ssm-run %t.so --entry fwd_p1 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-P1
// RUN: ssm-run %t.so --entry fwd_long --check \
// RUN:   | FileCheck %s --check-prefix=FWD-LONG
// RUN: ssm-run %t.so --entry fwd_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry fwd_bf16 --seed 42 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-BF16
// RUN: ssm-run %t.so --entry fwd_f16 --check \
// RUN:   | FileCheck %s --check-prefix=FWD-F16

// Execution of ssm.ssd_scan on the CPU against the float64 oracle: each entry
// checks y and final_state and the count.

// Minimal form: no optional operand, no softplus.
// FWD-SMALL: check y f32 {{.*}} PASS
// FWD-SMALL: check final_state f32 {{.*}} PASS
// FWD-SMALL: check: 2 passed, 0 failed
func.func @fwd_small(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C
      : (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
}

// Every optional operand, initial_state, softplus, G=2 groups of heads.
// FWD-ALL: check y f32 {{.*}} PASS
// FWD-ALL: check final_state f32 {{.*}} PASS
// FWD-ALL: check: 2 passed, 0 failed
func.func @fwd_all(%x: tensor<2x8x4x4xf32>, %dt: tensor<2x8x4xf32>,
    %A: tensor<4xf32>, %B: tensor<2x8x2x3xf32>, %C: tensor<2x8x2x3xf32>,
    %D: tensor<4xf32>, %z: tensor<2x8x4x4xf32>, %dtb: tensor<4xf32>,
    %h0: tensor<2x4x4x3xf32>) -> (tensor<2x8x4x4xf32>, tensor<2x4x4x3xf32>) {
  %y, %s = ssm.ssd_scan
      %x, %dt, %A, %B,
      %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0) {dt_softplus}
      : (tensor<2x8x4x4xf32>, tensor<2x8x4xf32>, tensor<4xf32>,
         tensor<2x8x2x3xf32>, tensor<2x8x2x3xf32>, tensor<4xf32>,
         tensor<2x8x4x4xf32>, tensor<4xf32>, tensor<2x4x4x3xf32>)
      -> (tensor<2x8x4x4xf32>, tensor<2x4x4x3xf32>)
  return %y, %s : tensor<2x8x4x4xf32>, tensor<2x4x4x3xf32>
}

// initial_state alone.
// FWD-INITIAL-STATE: check y f32 {{.*}} PASS
// FWD-INITIAL-STATE: check final_state f32 {{.*}} PASS
// FWD-INITIAL-STATE: check: 2 passed, 0 failed
func.func @fwd_initial_state(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %h0: tensor<1x2x4x3xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%h0)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
}

// D and z without dt_bias.
// FWD-D-Z: check y f32 {{.*}} PASS
// FWD-D-Z: check final_state f32 {{.*}} PASS
// FWD-D-Z: check: 2 passed, 0 failed
func.func @fwd_d_z(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %D: tensor<2xf32>, %z: tensor<1x8x2x4xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) z(%z)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>,
         tensor<1x8x2x4xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
}

// dt_bias with softplus.
// FWD-BIAS-SOFTPLUS: check y f32 {{.*}} PASS
// FWD-BIAS-SOFTPLUS: check final_state f32 {{.*}} PASS
// FWD-BIAS-SOFTPLUS: check: 2 passed, 0 failed
func.func @fwd_bias_softplus(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %dtb: tensor<2xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C dt_bias(%dtb) {dt_softplus}
      : (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
}

// A single position (L=1).
// FWD-L1: check y f32 {{.*}} PASS
// FWD-L1: check final_state f32 {{.*}} PASS
// FWD-L1: check: 2 passed, 0 failed
func.func @fwd_l1(%x: tensor<2x1x2x4xf32>, %dt: tensor<2x1x2xf32>,
    %A: tensor<2xf32>, %B: tensor<2x1x1x3xf32>, %C: tensor<2x1x1x3xf32>,
    %D: tensor<2xf32>, %h0: tensor<2x2x4x3xf32>)
    -> (tensor<2x1x2x4xf32>, tensor<2x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan
      %x, %dt, %A, %B, %C D(%D) initial_state(%h0) {dt_softplus}
      : (tensor<2x1x2x4xf32>, tensor<2x1x2xf32>, tensor<2xf32>,
         tensor<2x1x1x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>,
         tensor<2x2x4x3xf32>)
      -> (tensor<2x1x2x4xf32>, tensor<2x2x4x3xf32>)
  return %y, %s : tensor<2x1x2x4xf32>, tensor<2x2x4x3xf32>
}

// A single state (N=1).
// FWD-N1: check y f32 {{.*}} PASS
// FWD-N1: check final_state f32 {{.*}} PASS
// FWD-N1: check: 2 passed, 0 failed
func.func @fwd_n1(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x1xf32>, %C: tensor<1x8x1x1xf32>,
    %D: tensor<2xf32>) -> (tensor<1x8x2x4xf32>, tensor<1x2x4x1xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D)
      : (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>, tensor<2xf32>)
      -> (tensor<1x8x2x4xf32>, tensor<1x2x4x1xf32>)
  return %y, %s : tensor<1x8x2x4xf32>, tensor<1x2x4x1xf32>
}

// Head dimension 1 and one group per head (G=H).
// FWD-P1: check y f32 {{.*}} PASS
// FWD-P1: check final_state f32 {{.*}} PASS
// FWD-P1: check: 2 passed, 0 failed
func.func @fwd_p1(%x: tensor<1x8x4x1xf32>, %dt: tensor<1x8x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x8x4x3xf32>, %C: tensor<1x8x4x3xf32>,
    %z: tensor<1x8x4x1xf32>) -> (tensor<1x8x4x1xf32>, tensor<1x4x1x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C z(%z)
      : (tensor<1x8x4x1xf32>, tensor<1x8x4xf32>, tensor<4xf32>,
         tensor<1x8x4x3xf32>, tensor<1x8x4x3xf32>, tensor<1x8x4x1xf32>)
      -> (tensor<1x8x4x1xf32>, tensor<1x4x1x3xf32>)
  return %y, %s : tensor<1x8x4x1xf32>, tensor<1x4x1x3xf32>
}

// A length that is a multiple of no block size (L=37).
// FWD-LONG: check y f32 {{.*}} PASS
// FWD-LONG: check final_state f32 {{.*}} PASS
// FWD-LONG: check: 2 passed, 0 failed
func.func @fwd_long(%x: tensor<1x37x2x4xf32>, %dt: tensor<1x37x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x37x1x3xf32>, %C: tensor<1x37x1x3xf32>,
    %D: tensor<2xf32>, %z: tensor<1x37x2x4xf32>, %dtb: tensor<2xf32>,
    %h0: tensor<1x2x4x3xf32>) -> (tensor<1x37x2x4xf32>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan
      %x, %dt, %A, %B,
      %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0) {dt_softplus}
      : (tensor<1x37x2x4xf32>, tensor<1x37x2xf32>, tensor<2xf32>,
         tensor<1x37x1x3xf32>, tensor<1x37x1x3xf32>, tensor<2xf32>,
         tensor<1x37x2x4xf32>, tensor<2xf32>, tensor<1x2x4x3xf32>)
      -> (tensor<1x37x2x4xf32>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x37x2x4xf32>, tensor<1x2x4x3xf32>
}

// bf16 activations and B/C, G=2, everything present.
// FWD-BF16: check y bf16 {{.*}} PASS
// FWD-BF16: check final_state f32 {{.*}} PASS
// FWD-BF16: check: 2 passed, 0 failed
func.func @fwd_bf16(%x: tensor<1x8x4x4xbf16>, %dt: tensor<1x8x4xbf16>,
    %A: tensor<4xf32>, %B: tensor<1x8x2x3xbf16>, %C: tensor<1x8x2x3xbf16>,
    %D: tensor<4xf32>, %z: tensor<1x8x4x4xbf16>, %dtb: tensor<4xf32>,
    %h0: tensor<1x4x4x3xf32>) -> (tensor<1x8x4x4xbf16>, tensor<1x4x4x3xf32>) {
  %y, %s = ssm.ssd_scan
      %x, %dt, %A, %B,
      %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0) {dt_softplus}
      : (tensor<1x8x4x4xbf16>, tensor<1x8x4xbf16>, tensor<4xf32>,
         tensor<1x8x2x3xbf16>, tensor<1x8x2x3xbf16>, tensor<4xf32>,
         tensor<1x8x4x4xbf16>, tensor<4xf32>, tensor<1x4x4x3xf32>)
      -> (tensor<1x8x4x4xbf16>, tensor<1x4x4x3xf32>)
  return %y, %s : tensor<1x8x4x4xbf16>, tensor<1x4x4x3xf32>
}

// f16 activations with f32 B/C.
// FWD-F16: check y f16 {{.*}} PASS
// FWD-F16: check final_state f32 {{.*}} PASS
// FWD-F16: check: 2 passed, 0 failed
func.func @fwd_f16(%x: tensor<1x8x2x4xf16>, %dt: tensor<1x8x2xf16>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %D: tensor<2xf32>, %dtb: tensor<2xf32>)
    -> (tensor<1x8x2x4xf16>, tensor<1x2x4x3xf32>) {
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) dt_bias(%dtb) {dt_softplus}
      : (tensor<1x8x2x4xf16>, tensor<1x8x2xf16>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>, tensor<2xf32>)
      -> (tensor<1x8x2x4xf16>, tensor<1x2x4x3xf32>)
  return %y, %s : tensor<1x8x2x4xf16>, tensor<1x2x4x3xf32>
}
