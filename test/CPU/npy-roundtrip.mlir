// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: rm -rf %t.d %t.e %t.f %t.f2 %t.g

// Seeded inputs, dumped with every result...
// RUN: ssm-run %t.so --entry grad_bf16 --seed 3 --dump %t.d --dump-inputs \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: inputs: seeded random (seed 3)
// DUMP: dump: 17 tensors to {{.*}}.d

// ...read back: the same arguments give bit-identical results.
// RUN: ssm-run %t.so --entry grad_bf16 --inputs %t.d --dump %t.e \
// RUN:   --dump-inputs --check | FileCheck %s --check-prefix=READ
// READ: inputs: from {{.*}}.d
// READ: dump: 17 tensors to {{.*}}.e
// READ: check: 8 passed, 0 failed
// RUN: cmp %t.d/u.npy %t.e/u.npy
// RUN: cmp %t.d/delta.npy %t.e/delta.npy
// RUN: cmp %t.d/A.npy %t.e/A.npy
// RUN: cmp %t.d/B.npy %t.e/B.npy
// RUN: cmp %t.d/C.npy %t.e/C.npy
// RUN: cmp %t.d/D.npy %t.e/D.npy
// RUN: cmp %t.d/z.npy %t.e/z.npy
// RUN: cmp %t.d/delta_bias.npy %t.e/delta_bias.npy
// RUN: cmp %t.d/dy.npy %t.e/dy.npy
// RUN: cmp %t.d/du.npy %t.e/du.npy
// RUN: cmp %t.d/ddelta.npy %t.e/ddelta.npy
// RUN: cmp %t.d/dA.npy %t.e/dA.npy
// RUN: cmp %t.d/dB.npy %t.e/dB.npy
// RUN: cmp %t.d/dC.npy %t.e/dC.npy
// RUN: cmp %t.d/dD.npy %t.e/dD.npy
// RUN: cmp %t.d/dz.npy %t.e/dz.npy
// RUN: cmp %t.d/ddelta_bias.npy %t.e/ddelta_bias.npy

// The files of results in the inputs directory are ignored, and an f16
// entry with an f32 residual round-trips too.
// RUN: ssm-run %t.so --entry norm_f16 --seed 9 --dump %t.f --dump-inputs \
// RUN:   | FileCheck %s --check-prefix=DUMP-F16
// DUMP-F16: dump: 5 tensors to {{.*}}.f
// RUN: ssm-run %t.so --entry norm_f16 --inputs %t.f --dump %t.f2 --check \
// RUN:   | FileCheck %s --check-prefix=READ-F16
// READ-F16: check y f16 {{.*}} PASS
// READ-F16: check residual_out f32 {{.*}} PASS
// READ-F16: check: 2 passed, 0 failed
// RUN: cmp %t.f/y.npy %t.f2/y.npy
// RUN: cmp %t.f/residual_out.npy %t.f2/residual_out.npy

// A different seed gives different files (the comparison above is not
// vacuous).
// RUN: ssm-run %t.so --entry norm_f16 --seed 10 --dump %t.g
// RUN: not cmp -s %t.f/y.npy %t.g/y.npy

func.func @grad_bf16(%u: tensor<2x4x8xbf16>, %delta: tensor<2x4x8xbf16>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xbf16>, %C: tensor<2x2x3x8xbf16>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xbf16>, %db: tensor<4xf32>,
    %dy: tensor<2x4x8xbf16>)
    -> (tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16>, tensor<4xf32>,
        tensor<2x4x8xbf16>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db), %dy
      {delta_softplus}
      : tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16>, tensor<4xf32>,
        tensor<2x4x8xbf16>, tensor<4xf32>, tensor<2x4x8xbf16>
      -> tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
         tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16> dD tensor<4xf32>
         dz tensor<2x4x8xbf16> ddelta_bias tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<2x4x8xbf16>, tensor<2x4x8xbf16>, tensor<4x3xf32>,
        tensor<2x2x3x8xbf16>, tensor<2x2x3x8xbf16>, tensor<4xf32>,
        tensor<2x4x8xbf16>, tensor<4xf32>
}

func.func @norm_f16(%x: tensor<3x16xf16>, %w: tensor<16xf32>,
    %res: tensor<3x16xf32>) -> (tensor<3x16xf16>, tensor<3x16xf32>) {
  %y, %r = ssm.rms_norm %x, %w residual(%res)
      : (tensor<3x16xf16>, tensor<16xf32>, tensor<3x16xf32>)
      -> (tensor<3x16xf16>, tensor<3x16xf32>)
  return %y, %r : tensor<3x16xf16>, tensor<3x16xf32>
}
