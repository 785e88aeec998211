// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-run %t.so --entry grad_small --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-SMALL
// RUN: ssm-run %t.so --entry grad_all --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.so --entry grad_all --seed 8 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-ALL
// RUN: ssm-run %t.so --entry grad_initial_state --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-INITIAL-STATE
// RUN: ssm-run %t.so --entry grad_initial_final --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-INITIAL-FINAL
// RUN: ssm-run %t.so --entry grad_final_only --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-FINAL-ONLY
// RUN: ssm-run %t.so --entry grad_z_bias --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-Z-BIAS
// RUN: ssm-run %t.so --entry grad_l1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-L1
// RUN: ssm-run %t.so --entry grad_n1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-N1
// RUN: ssm-run %t.so --entry grad_p1 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-P1
// RUN: ssm-run %t.so --entry grad_bf16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_bf16 --seed 77 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-BF16
// RUN: ssm-run %t.so --entry grad_f16 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-F16

// Execution of ssm.ssd_scan_grad on the CPU against the float64 oracle, with
// the default chunk length (64 > L). Every cotangent present is checked, and
// the count catches a missing one.

// Minimal form: no optional operand, no d_final_state.
// GRAD-SMALL: check dx f32 {{.*}} PASS
// GRAD-SMALL: check ddt f32 {{.*}} PASS
// GRAD-SMALL: check dA f32 {{.*}} PASS
// GRAD-SMALL: check dB f32 {{.*}} PASS
// GRAD-SMALL: check dC f32 {{.*}} PASS
// GRAD-SMALL: check: 5 passed, 0 failed
func.func @grad_small(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %dy: tensor<1x8x2x4xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x8x2x4xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>
  return %dx, %ddt, %dA, %dB, %dC : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>,
      tensor<2xf32>, tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>
}

// Every optional operand and result, d_final_state, softplus, G=2.
// GRAD-ALL: check dx f32 {{.*}} PASS
// GRAD-ALL: check ddt f32 {{.*}} PASS
// GRAD-ALL: check dA f32 {{.*}} PASS
// GRAD-ALL: check dB f32 {{.*}} PASS
// GRAD-ALL: check dC f32 {{.*}} PASS
// GRAD-ALL: check dD f32 {{.*}} PASS
// GRAD-ALL: check dz f32 {{.*}} PASS
// GRAD-ALL: check ddt_bias f32 {{.*}} PASS
// GRAD-ALL: check d_initial_state f32 {{.*}} PASS
// GRAD-ALL: check: 9 passed, 0 failed
func.func @grad_all(%x: tensor<2x8x4x4xf32>, %dt: tensor<2x8x4xf32>,
    %A: tensor<4xf32>, %B: tensor<2x8x2x3xf32>, %C: tensor<2x8x2x3xf32>,
    %D: tensor<4xf32>, %z: tensor<2x8x4x4xf32>, %dtb: tensor<4xf32>,
    %h0: tensor<2x4x4x3xf32>, %dy: tensor<2x8x4x4xf32>,
    %dhT: tensor<2x4x4x3xf32>)
    -> (tensor<2x8x4x4xf32>, tensor<2x8x4xf32>, tensor<4xf32>,
        tensor<2x8x2x3xf32>, tensor<2x8x2x3xf32>, tensor<4xf32>,
        tensor<2x8x4x4xf32>, tensor<4xf32>, tensor<2x4x4x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0),
      %dy d_final_state(%dhT) {dt_softplus}
      : tensor<2x8x4x4xf32>, tensor<2x8x4xf32>, tensor<4xf32>,
        tensor<2x8x2x3xf32>, tensor<2x8x2x3xf32>, tensor<4xf32>,
        tensor<2x8x4x4xf32>, tensor<4xf32>, tensor<2x4x4x3xf32>,
        tensor<2x8x4x4xf32>, tensor<2x4x4x3xf32>
      -> tensor<2x8x4x4xf32>, tensor<2x8x4xf32>, tensor<4xf32>,
         tensor<2x8x2x3xf32>, tensor<2x8x2x3xf32> dD tensor<4xf32>
         dz tensor<2x8x4x4xf32> ddt_bias tensor<4xf32>
         d_initial_state tensor<2x4x4x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 : tensor<2x8x4x4xf32>,
      tensor<2x8x4xf32>, tensor<4xf32>, tensor<2x8x2x3xf32>,
      tensor<2x8x2x3xf32>, tensor<4xf32>, tensor<2x8x4x4xf32>, tensor<4xf32>,
      tensor<2x4x4x3xf32>
}

// initial_state alone: d_initial_state is the one optional result.
// GRAD-INITIAL-STATE: check dx f32 {{.*}} PASS
// GRAD-INITIAL-STATE: check ddt f32 {{.*}} PASS
// GRAD-INITIAL-STATE: check dA f32 {{.*}} PASS
// GRAD-INITIAL-STATE: check dB f32 {{.*}} PASS
// GRAD-INITIAL-STATE: check dC f32 {{.*}} PASS
// GRAD-INITIAL-STATE: check d_initial_state f32 {{.*}} PASS
// GRAD-INITIAL-STATE: check: 6 passed, 0 failed
func.func @grad_initial_state(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %h0: tensor<1x2x4x3xf32>, %dy: tensor<1x8x2x4xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C initial_state(%h0), %dy
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>,
        tensor<1x8x2x4xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>
         d_initial_state tensor<1x2x4x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dh0 : tensor<1x8x2x4xf32>,
      tensor<1x8x2xf32>, tensor<2xf32>, tensor<1x8x1x3xf32>,
      tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>
}

// initial_state with d_final_state: the cotangent flows through every step.
// GRAD-INITIAL-FINAL: check dx f32 {{.*}} PASS
// GRAD-INITIAL-FINAL: check ddt f32 {{.*}} PASS
// GRAD-INITIAL-FINAL: check dA f32 {{.*}} PASS
// GRAD-INITIAL-FINAL: check dB f32 {{.*}} PASS
// GRAD-INITIAL-FINAL: check dC f32 {{.*}} PASS
// GRAD-INITIAL-FINAL: check d_initial_state f32 {{.*}} PASS
// GRAD-INITIAL-FINAL: check: 6 passed, 0 failed
func.func @grad_initial_final(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %h0: tensor<1x2x4x3xf32>, %dy: tensor<1x8x2x4xf32>,
    %dhT: tensor<1x2x4x3xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C initial_state(%h0), %dy d_final_state(%dhT)
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>,
        tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>
         d_initial_state tensor<1x2x4x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dh0 : tensor<1x8x2x4xf32>,
      tensor<1x8x2xf32>, tensor<2xf32>, tensor<1x8x1x3xf32>,
      tensor<1x8x1x3xf32>, tensor<1x2x4x3xf32>
}

// d_final_state without initial_state.
// GRAD-FINAL-ONLY: check dx f32 {{.*}} PASS
// GRAD-FINAL-ONLY: check ddt f32 {{.*}} PASS
// GRAD-FINAL-ONLY: check dA f32 {{.*}} PASS
// GRAD-FINAL-ONLY: check dB f32 {{.*}} PASS
// GRAD-FINAL-ONLY: check dC f32 {{.*}} PASS
// GRAD-FINAL-ONLY: check dD f32 {{.*}} PASS
// GRAD-FINAL-ONLY: check: 6 passed, 0 failed
func.func @grad_final_only(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %D: tensor<2xf32>, %dy: tensor<1x8x2x4xf32>, %dhT: tensor<1x2x4x3xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D), %dy d_final_state(%dhT)
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>,
        tensor<1x8x2x4xf32>, tensor<1x2x4x3xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32> dD tensor<2xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>,
      tensor<2xf32>, tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>
}

// z and dt_bias with softplus.
// GRAD-Z-BIAS: check dx f32 {{.*}} PASS
// GRAD-Z-BIAS: check ddt f32 {{.*}} PASS
// GRAD-Z-BIAS: check dA f32 {{.*}} PASS
// GRAD-Z-BIAS: check dB f32 {{.*}} PASS
// GRAD-Z-BIAS: check dC f32 {{.*}} PASS
// GRAD-Z-BIAS: check dz f32 {{.*}} PASS
// GRAD-Z-BIAS: check ddt_bias f32 {{.*}} PASS
// GRAD-Z-BIAS: check: 7 passed, 0 failed
func.func @grad_z_bias(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %z: tensor<1x8x2x4xf32>, %dtb: tensor<2xf32>, %dy: tensor<1x8x2x4xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x8x2x4xf32>,
        tensor<2xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dz, %ddtb = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C z(%z) dt_bias(%dtb), %dy {dt_softplus}
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<1x8x2x4xf32>,
        tensor<2xf32>, tensor<1x8x2x4xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32> dz tensor<1x8x2x4xf32>
         ddt_bias tensor<2xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dz, %ddtb : tensor<1x8x2x4xf32>,
      tensor<1x8x2xf32>, tensor<2xf32>, tensor<1x8x1x3xf32>,
      tensor<1x8x1x3xf32>, tensor<1x8x2x4xf32>, tensor<2xf32>
}

// A single position (L=1).
// GRAD-L1: check dx f32 {{.*}} PASS
// GRAD-L1: check ddt f32 {{.*}} PASS
// GRAD-L1: check dA f32 {{.*}} PASS
// GRAD-L1: check dB f32 {{.*}} PASS
// GRAD-L1: check dC f32 {{.*}} PASS
// GRAD-L1: check dD f32 {{.*}} PASS
// GRAD-L1: check dz f32 {{.*}} PASS
// GRAD-L1: check ddt_bias f32 {{.*}} PASS
// GRAD-L1: check d_initial_state f32 {{.*}} PASS
// GRAD-L1: check: 9 passed, 0 failed
func.func @grad_l1(%x: tensor<2x1x2x4xf32>, %dt: tensor<2x1x2xf32>,
    %A: tensor<2xf32>, %B: tensor<2x1x1x3xf32>, %C: tensor<2x1x1x3xf32>,
    %D: tensor<2xf32>, %z: tensor<2x1x2x4xf32>, %dtb: tensor<2xf32>,
    %h0: tensor<2x2x4x3xf32>, %dy: tensor<2x1x2x4xf32>,
    %dhT: tensor<2x2x4x3xf32>)
    -> (tensor<2x1x2x4xf32>, tensor<2x1x2xf32>, tensor<2xf32>,
        tensor<2x1x1x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>,
        tensor<2x1x2x4xf32>, tensor<2xf32>, tensor<2x2x4x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0),
      %dy d_final_state(%dhT) {dt_softplus}
      : tensor<2x1x2x4xf32>, tensor<2x1x2xf32>, tensor<2xf32>,
        tensor<2x1x1x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>,
        tensor<2x1x2x4xf32>, tensor<2xf32>, tensor<2x2x4x3xf32>,
        tensor<2x1x2x4xf32>, tensor<2x2x4x3xf32>
      -> tensor<2x1x2x4xf32>, tensor<2x1x2xf32>, tensor<2xf32>,
         tensor<2x1x1x3xf32>, tensor<2x1x1x3xf32> dD tensor<2xf32>
         dz tensor<2x1x2x4xf32> ddt_bias tensor<2xf32>
         d_initial_state tensor<2x2x4x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 : tensor<2x1x2x4xf32>,
      tensor<2x1x2xf32>, tensor<2xf32>, tensor<2x1x1x3xf32>,
      tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<2x1x2x4xf32>, tensor<2xf32>,
      tensor<2x2x4x3xf32>
}

// A single state (N=1).
// GRAD-N1: check dx f32 {{.*}} PASS
// GRAD-N1: check ddt f32 {{.*}} PASS
// GRAD-N1: check dA f32 {{.*}} PASS
// GRAD-N1: check dB f32 {{.*}} PASS
// GRAD-N1: check dC f32 {{.*}} PASS
// GRAD-N1: check dD f32 {{.*}} PASS
// GRAD-N1: check: 6 passed, 0 failed
func.func @grad_n1(%x: tensor<1x8x2x4xf32>, %dt: tensor<1x8x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x1xf32>, %C: tensor<1x8x1x1xf32>,
    %D: tensor<2xf32>, %dy: tensor<1x8x2x4xf32>, %dhT: tensor<1x2x4x1xf32>)
    -> (tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>, tensor<2xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D), %dy d_final_state(%dhT)
      : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
        tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>, tensor<2xf32>,
        tensor<1x8x2x4xf32>, tensor<1x2x4x1xf32>
      -> tensor<1x8x2x4xf32>, tensor<1x8x2xf32>, tensor<2xf32>,
         tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32> dD tensor<2xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD : tensor<1x8x2x4xf32>, tensor<1x8x2xf32>,
      tensor<2xf32>, tensor<1x8x1x1xf32>, tensor<1x8x1x1xf32>, tensor<2xf32>
}

// Head dimension 1 and one group per head (G=H).
// GRAD-P1: check dx f32 {{.*}} PASS
// GRAD-P1: check ddt f32 {{.*}} PASS
// GRAD-P1: check dA f32 {{.*}} PASS
// GRAD-P1: check dB f32 {{.*}} PASS
// GRAD-P1: check dC f32 {{.*}} PASS
// GRAD-P1: check dz f32 {{.*}} PASS
// GRAD-P1: check: 6 passed, 0 failed
func.func @grad_p1(%x: tensor<1x8x4x1xf32>, %dt: tensor<1x8x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x8x4x3xf32>, %C: tensor<1x8x4x3xf32>,
    %z: tensor<1x8x4x1xf32>, %dy: tensor<1x8x4x1xf32>)
    -> (tensor<1x8x4x1xf32>, tensor<1x8x4xf32>, tensor<4xf32>,
        tensor<1x8x4x3xf32>, tensor<1x8x4x3xf32>, tensor<1x8x4x1xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dz = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C z(%z), %dy
      : tensor<1x8x4x1xf32>, tensor<1x8x4xf32>, tensor<4xf32>,
        tensor<1x8x4x3xf32>, tensor<1x8x4x3xf32>, tensor<1x8x4x1xf32>,
        tensor<1x8x4x1xf32>
      -> tensor<1x8x4x1xf32>, tensor<1x8x4xf32>, tensor<4xf32>,
         tensor<1x8x4x3xf32>, tensor<1x8x4x3xf32> dz tensor<1x8x4x1xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dz : tensor<1x8x4x1xf32>, tensor<1x8x4xf32>,
      tensor<4xf32>, tensor<1x8x4x3xf32>, tensor<1x8x4x3xf32>,
      tensor<1x8x4x1xf32>
}

// bf16 activations and B/C, G=2, everything present.
// GRAD-BF16: check dx bf16 {{.*}} PASS
// GRAD-BF16: check ddt bf16 {{.*}} PASS
// GRAD-BF16: check dA f32 {{.*}} PASS
// GRAD-BF16: check dB bf16 {{.*}} PASS
// GRAD-BF16: check dC bf16 {{.*}} PASS
// GRAD-BF16: check dD f32 {{.*}} PASS
// GRAD-BF16: check dz bf16 {{.*}} PASS
// GRAD-BF16: check ddt_bias f32 {{.*}} PASS
// GRAD-BF16: check d_initial_state f32 {{.*}} PASS
// GRAD-BF16: check: 9 passed, 0 failed
func.func @grad_bf16(%x: tensor<1x8x4x4xbf16>, %dt: tensor<1x8x4xbf16>,
    %A: tensor<4xf32>, %B: tensor<1x8x2x3xbf16>, %C: tensor<1x8x2x3xbf16>,
    %D: tensor<4xf32>, %z: tensor<1x8x4x4xbf16>, %dtb: tensor<4xf32>,
    %h0: tensor<1x4x4x3xf32>, %dy: tensor<1x8x4x4xbf16>,
    %dhT: tensor<1x4x4x3xf32>)
    -> (tensor<1x8x4x4xbf16>, tensor<1x8x4xbf16>, tensor<4xf32>,
        tensor<1x8x2x3xbf16>, tensor<1x8x2x3xbf16>, tensor<4xf32>,
        tensor<1x8x4x4xbf16>, tensor<4xf32>, tensor<1x4x4x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0),
      %dy d_final_state(%dhT) {dt_softplus}
      : tensor<1x8x4x4xbf16>, tensor<1x8x4xbf16>, tensor<4xf32>,
        tensor<1x8x2x3xbf16>, tensor<1x8x2x3xbf16>, tensor<4xf32>,
        tensor<1x8x4x4xbf16>, tensor<4xf32>, tensor<1x4x4x3xf32>,
        tensor<1x8x4x4xbf16>, tensor<1x4x4x3xf32>
      -> tensor<1x8x4x4xbf16>, tensor<1x8x4xbf16>, tensor<4xf32>,
         tensor<1x8x2x3xbf16>, tensor<1x8x2x3xbf16> dD tensor<4xf32>
         dz tensor<1x8x4x4xbf16> ddt_bias tensor<4xf32>
         d_initial_state tensor<1x4x4x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 : tensor<1x8x4x4xbf16>,
      tensor<1x8x4xbf16>, tensor<4xf32>, tensor<1x8x2x3xbf16>,
      tensor<1x8x2x3xbf16>, tensor<4xf32>, tensor<1x8x4x4xbf16>, tensor<4xf32>,
      tensor<1x4x4x3xf32>
}

// f16 activations with f32 B/C.
// GRAD-F16: check dx f16 {{.*}} PASS
// GRAD-F16: check ddt f16 {{.*}} PASS
// GRAD-F16: check dA f32 {{.*}} PASS
// GRAD-F16: check dB f32 {{.*}} PASS
// GRAD-F16: check dC f32 {{.*}} PASS
// GRAD-F16: check dD f32 {{.*}} PASS
// GRAD-F16: check ddt_bias f32 {{.*}} PASS
// GRAD-F16: check: 7 passed, 0 failed
func.func @grad_f16(%x: tensor<1x8x2x4xf16>, %dt: tensor<1x8x2xf16>,
    %A: tensor<2xf32>, %B: tensor<1x8x1x3xf32>, %C: tensor<1x8x1x3xf32>,
    %D: tensor<2xf32>, %dtb: tensor<2xf32>, %dy: tensor<1x8x2x4xf16>)
    -> (tensor<1x8x2x4xf16>, tensor<1x8x2xf16>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>,
        tensor<2xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %ddtb = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) dt_bias(%dtb), %dy {dt_softplus}
      : tensor<1x8x2x4xf16>, tensor<1x8x2xf16>, tensor<2xf32>,
        tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32>, tensor<2xf32>, tensor<2xf32>,
        tensor<1x8x2x4xf16>
      -> tensor<1x8x2x4xf16>, tensor<1x8x2xf16>, tensor<2xf32>,
         tensor<1x8x1x3xf32>, tensor<1x8x1x3xf32> dD tensor<2xf32>
         ddt_bias tensor<2xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %ddtb : tensor<1x8x2x4xf16>,
      tensor<1x8x2xf16>, tensor<2xf32>, tensor<1x8x1x3xf32>,
      tensor<1x8x1x3xf32>, tensor<2xf32>, tensor<2xf32>
}
