// RUN: ssm-compile %s --target=cpu --chunk-len=8 -o %t.c8.so
// RUN: ssm-run %t.c8.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c8.so --entry grad_long --seed 11 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c8.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-run %t.c8.so --entry grad_long_min --seed 11 --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=1 -o %t.c1.so
// RUN: ssm-run %t.c1.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c1.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=5 -o %t.c5.so
// RUN: ssm-run %t.c5.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c5.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=37 -o %t.c37.so
// RUN: ssm-run %t.c37.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c37.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=100 -o %t.c100.so
// RUN: ssm-run %t.c100.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.c100.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN

// RUN: ssm-compile %s --target=cpu --chunk-len=8 --ssd-strategy=recurrence -o %t.r8.so
// RUN: ssm-run %t.r8.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.r8.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=16 --ssd-tile=16 -o %t.t16.so
// RUN: ssm-run %t.t16.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// RUN: ssm-run %t.t16.so --entry grad_long_min --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG-MIN
// RUN: ssm-compile %s --target=cpu --chunk-len=8 --ssd-tile=1 -o %t.t1.so
// RUN: ssm-run %t.t1.so --entry grad_long --check \
// RUN:   | FileCheck %s --check-prefix=GRAD-LONG
// ssm.ssd_scan_grad over L=37 positions with chunk lengths that do not divide
// it (8, 5), that save every state (1), that equal it (37), and that exceed
// it (100); with 16 and 1 positions or states per point (ssd-tile); and
// once with the per-point recurrence instead of the chunked form.

// L=37, everything present, d_final_state, softplus, G=2.
// GRAD-LONG: check dx f32 {{.*}} PASS
// GRAD-LONG: check ddt f32 {{.*}} PASS
// GRAD-LONG: check dA f32 {{.*}} PASS
// GRAD-LONG: check dB f32 {{.*}} PASS
// GRAD-LONG: check dC f32 {{.*}} PASS
// GRAD-LONG: check dD f32 {{.*}} PASS
// GRAD-LONG: check dz f32 {{.*}} PASS
// GRAD-LONG: check ddt_bias f32 {{.*}} PASS
// GRAD-LONG: check d_initial_state f32 {{.*}} PASS
// GRAD-LONG: check: 9 passed, 0 failed
func.func @grad_long(%x: tensor<1x37x4x2xf32>, %dt: tensor<1x37x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x37x2x3xf32>, %C: tensor<1x37x2x3xf32>,
    %D: tensor<4xf32>, %z: tensor<1x37x4x2xf32>, %dtb: tensor<4xf32>,
    %h0: tensor<1x4x2x3xf32>, %dy: tensor<1x37x4x2xf32>,
    %dhT: tensor<1x4x2x3xf32>)
    -> (tensor<1x37x4x2xf32>, tensor<1x37x4xf32>, tensor<4xf32>,
        tensor<1x37x2x3xf32>, tensor<1x37x2x3xf32>, tensor<4xf32>,
        tensor<1x37x4x2xf32>, tensor<4xf32>, tensor<1x4x2x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C D(%D) z(%z) dt_bias(%dtb) initial_state(%h0),
      %dy d_final_state(%dhT) {dt_softplus}
      : tensor<1x37x4x2xf32>, tensor<1x37x4xf32>, tensor<4xf32>,
        tensor<1x37x2x3xf32>, tensor<1x37x2x3xf32>, tensor<4xf32>,
        tensor<1x37x4x2xf32>, tensor<4xf32>, tensor<1x4x2x3xf32>,
        tensor<1x37x4x2xf32>, tensor<1x4x2x3xf32>
      -> tensor<1x37x4x2xf32>, tensor<1x37x4xf32>, tensor<4xf32>,
         tensor<1x37x2x3xf32>, tensor<1x37x2x3xf32> dD tensor<4xf32>
         dz tensor<1x37x4x2xf32> ddt_bias tensor<4xf32>
         d_initial_state tensor<1x4x2x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dD, %dz, %ddtb, %dh0 : tensor<1x37x4x2xf32>,
      tensor<1x37x4xf32>, tensor<4xf32>, tensor<1x37x2x3xf32>,
      tensor<1x37x2x3xf32>, tensor<4xf32>, tensor<1x37x4x2xf32>, tensor<4xf32>,
      tensor<1x4x2x3xf32>
}

// L=37, minimal form.
// GRAD-LONG-MIN: check dx f32 {{.*}} PASS
// GRAD-LONG-MIN: check ddt f32 {{.*}} PASS
// GRAD-LONG-MIN: check dA f32 {{.*}} PASS
// GRAD-LONG-MIN: check dB f32 {{.*}} PASS
// GRAD-LONG-MIN: check dC f32 {{.*}} PASS
// GRAD-LONG-MIN: check: 5 passed, 0 failed
func.func @grad_long_min(%x: tensor<1x37x2x2xf32>, %dt: tensor<1x37x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x37x1x2xf32>, %C: tensor<1x37x1x2xf32>,
    %dy: tensor<1x37x2x2xf32>)
    -> (tensor<1x37x2x2xf32>, tensor<1x37x2xf32>, tensor<2xf32>,
        tensor<1x37x1x2xf32>, tensor<1x37x1x2xf32>) {
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %dy
      : tensor<1x37x2x2xf32>, tensor<1x37x2xf32>, tensor<2xf32>,
        tensor<1x37x1x2xf32>, tensor<1x37x1x2xf32>, tensor<1x37x2x2xf32>
      -> tensor<1x37x2x2xf32>, tensor<1x37x2xf32>, tensor<2xf32>,
         tensor<1x37x1x2xf32>, tensor<1x37x1x2xf32>
  return %dx, %ddt, %dA, %dB, %dC : tensor<1x37x2x2xf32>, tensor<1x37x2xf32>,
      tensor<2xf32>, tensor<1x37x1x2xf32>, tensor<1x37x1x2xf32>
}
