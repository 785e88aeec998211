// The block-scan lowering of the selective scan (threads split the
// sequence, warps combine with shuffles, chunks of threads-per-block x
// items-per-thread positions carry the state), against the float64 oracle:
// one chunk, several chunks, a partial last chunk, N=1, G>1, f32/bf16/f16,
// and the thread-per-point strategy on the same entries for comparison.
// REQUIRES: cuda
// RUN: ssm-compile %s --target=gpu --scan-strategy=block-scan -o %t.so
// RUN: ssm-run %t.so --entry one_chunk --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-run %t.so --entry partial_chunk --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-run %t.so --entry partial_chunk --seed 7 --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-run %t.so --entry many_chunks_bf16 --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-run %t.so --entry n1_groups --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-run %t.so --entry f16_plain --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-compile %s --target=gpu --scan-strategy=block-scan --threads-per-block=64 --items-per-thread=4 -o %t.small.so
// RUN: ssm-run %t.small.so --entry partial_chunk --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-run %t.small.so --entry many_chunks_bf16 --check | FileCheck %s --check-prefix=TWO
// RUN: ssm-compile %s --target=gpu --scan-strategy=thread-per-point -o %t.tpp.so
// RUN: ssm-run %t.tpp.so --entry partial_chunk --check | FileCheck %s --check-prefix=TWO
// TWO: check y {{.*}} PASS
// TWO: check last_state f32 {{.*}} PASS
// TWO: check: 2 passed, 0 failed

func.func @one_chunk(%u: tensor<2x4x1024xf32>, %delta: tensor<2x4x1024xf32>, %A: tensor<4x16xf32>, %B: tensor<2x1x16x1024xf32>, %C: tensor<2x1x16x1024xf32>, %D: tensor<4xf32>, %z: tensor<2x4x1024xf32>, %db: tensor<4xf32>) -> (tensor<2x4x1024xf32>, tensor<2x4x16xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus} : (tensor<2x4x1024xf32>, tensor<2x4x1024xf32>, tensor<4x16xf32>, tensor<2x1x16x1024xf32>, tensor<2x1x16x1024xf32>, tensor<4xf32>, tensor<2x4x1024xf32>, tensor<4xf32>) -> (tensor<2x4x1024xf32>, tensor<2x4x16xf32>)
  return %y, %s : tensor<2x4x1024xf32>, tensor<2x4x16xf32>
}

func.func @partial_chunk(%u: tensor<1x3x1304xf32>, %delta: tensor<1x3x1304xf32>, %A: tensor<3x5xf32>, %B: tensor<1x1x5x1304xf32>, %C: tensor<1x1x5x1304xf32>, %D: tensor<3xf32>) -> (tensor<1x3x1304xf32>, tensor<1x3x5xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) {delta_softplus} : (tensor<1x3x1304xf32>, tensor<1x3x1304xf32>, tensor<3x5xf32>, tensor<1x1x5x1304xf32>, tensor<1x1x5x1304xf32>, tensor<3xf32>) -> (tensor<1x3x1304xf32>, tensor<1x3x5xf32>)
  return %y, %s : tensor<1x3x1304xf32>, tensor<1x3x5xf32>
}

func.func @many_chunks_bf16(%u: tensor<2x4x4096xbf16>, %delta: tensor<2x4x4096xbf16>, %A: tensor<4x16xf32>, %B: tensor<2x1x16x4096xbf16>, %C: tensor<2x1x16x4096xbf16>, %D: tensor<4xf32>, %z: tensor<2x4x4096xbf16>, %db: tensor<4xf32>) -> (tensor<2x4x4096xbf16>, tensor<2x4x16xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db) {delta_softplus} : (tensor<2x4x4096xbf16>, tensor<2x4x4096xbf16>, tensor<4x16xf32>, tensor<2x1x16x4096xbf16>, tensor<2x1x16x4096xbf16>, tensor<4xf32>, tensor<2x4x4096xbf16>, tensor<4xf32>) -> (tensor<2x4x4096xbf16>, tensor<2x4x16xf32>)
  return %y, %s : tensor<2x4x4096xbf16>, tensor<2x4x16xf32>
}

func.func @n1_groups(%u: tensor<2x8x64xf32>, %delta: tensor<2x8x64xf32>, %A: tensor<8x1xf32>, %B: tensor<2x4x1x64xf32>, %C: tensor<2x4x1x64xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C : (tensor<2x8x64xf32>, tensor<2x8x64xf32>, tensor<8x1xf32>, tensor<2x4x1x64xf32>, tensor<2x4x1x64xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>)
  return %y, %s : tensor<2x8x64xf32>, tensor<2x8x1xf32>
}

func.func @f16_plain(%u: tensor<1x2x256xf16>, %delta: tensor<1x2x256xf16>, %A: tensor<2x4xf32>, %B: tensor<1x1x4x256xf16>, %C: tensor<1x1x4x256xf16>) -> (tensor<1x2x256xf16>, tensor<1x2x4xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C {delta_softplus} : (tensor<1x2x256xf16>, tensor<1x2x256xf16>, tensor<2x4xf32>, tensor<1x1x4x256xf16>, tensor<1x1x4x256xf16>) -> (tensor<1x2x256xf16>, tensor<1x2x4xf32>)
  return %y, %s : tensor<1x2x256xf16>, tensor<1x2x4xf32>
}

// The gradient's block scan: saved chunk-start states, the reversed scan of
// the carried gradient, atomics over the channels of a group.
// RUN: ssm-run %t.so --entry grad_partial --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.so --entry grad_partial --seed 3 --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.small.so --entry grad_partial --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.tpp.so --entry grad_partial --check | FileCheck %s --check-prefix=GRAD
// RUN: ssm-run %t.so --entry grad_bf16_groups --check | FileCheck %s --check-prefix=GRADBF
// RUN: ssm-run %t.small.so --entry grad_bf16_groups --check | FileCheck %s --check-prefix=GRADBF
// RUN: ssm-run %t.so --entry grad_plain --check | FileCheck %s --check-prefix=PLAIN
// GRAD-DAG: check du f32 {{.*}} PASS
// GRAD-DAG: check ddelta f32 {{.*}} PASS
// GRAD-DAG: check dA f32 {{.*}} PASS
// GRAD-DAG: check dB f32 {{.*}} PASS
// GRAD-DAG: check dC f32 {{.*}} PASS
// GRAD-DAG: check dD f32 {{.*}} PASS
// GRAD-DAG: check dz f32 {{.*}} PASS
// GRAD-DAG: check ddelta_bias f32 {{.*}} PASS
// GRAD: check: 8 passed, 0 failed
// GRADBF-DAG: check du bf16 {{.*}} PASS
// GRADBF-DAG: check dB bf16 {{.*}} PASS
// GRADBF-DAG: check dC bf16 {{.*}} PASS
// GRADBF: check: 8 passed, 0 failed
// PLAIN: check: 5 passed, 0 failed

func.func @grad_partial(%u: tensor<2x3x1304xf32>, %delta: tensor<2x3x1304xf32>, %A: tensor<3x5xf32>, %B: tensor<2x1x5x1304xf32>, %C: tensor<2x1x5x1304xf32>, %D: tensor<3xf32>, %z: tensor<2x3x1304xf32>, %db: tensor<3xf32>, %dy: tensor<2x3x1304xf32>, %dlast: tensor<2x3x5xf32>) -> (tensor<2x3x1304xf32>, tensor<2x3x1304xf32>, tensor<3x5xf32>, tensor<2x1x5x1304xf32>, tensor<2x1x5x1304xf32>, tensor<3xf32>, tensor<2x3x1304xf32>, tensor<3xf32>) {
  %g:8 = ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db), %dy d_last_state(%dlast) {delta_softplus} : tensor<2x3x1304xf32>, tensor<2x3x1304xf32>, tensor<3x5xf32>, tensor<2x1x5x1304xf32>, tensor<2x1x5x1304xf32>, tensor<3xf32>, tensor<2x3x1304xf32>, tensor<3xf32>, tensor<2x3x1304xf32>, tensor<2x3x5xf32> -> tensor<2x3x1304xf32>, tensor<2x3x1304xf32>, tensor<3x5xf32>, tensor<2x1x5x1304xf32>, tensor<2x1x5x1304xf32> dD tensor<3xf32> dz tensor<2x3x1304xf32> ddelta_bias tensor<3xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6, %g#7 : tensor<2x3x1304xf32>, tensor<2x3x1304xf32>, tensor<3x5xf32>, tensor<2x1x5x1304xf32>, tensor<2x1x5x1304xf32>, tensor<3xf32>, tensor<2x3x1304xf32>, tensor<3xf32>
}

func.func @grad_bf16_groups(%u: tensor<2x8x2048xbf16>, %delta: tensor<2x8x2048xbf16>, %A: tensor<8x16xf32>, %B: tensor<2x2x16x2048xbf16>, %C: tensor<2x2x16x2048xbf16>, %D: tensor<8xf32>, %z: tensor<2x8x2048xbf16>, %db: tensor<8xf32>, %dy: tensor<2x8x2048xbf16>) -> (tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16>, tensor<8xf32>, tensor<2x8x2048xbf16>, tensor<8xf32>) {
  %g:8 = ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db), %dy {delta_softplus} : tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16>, tensor<8xf32>, tensor<2x8x2048xbf16>, tensor<8xf32>, tensor<2x8x2048xbf16> -> tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16> dD tensor<8xf32> dz tensor<2x8x2048xbf16> ddelta_bias tensor<8xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6, %g#7 : tensor<2x8x2048xbf16>, tensor<2x8x2048xbf16>, tensor<8x16xf32>, tensor<2x2x16x2048xbf16>, tensor<2x2x16x2048xbf16>, tensor<8xf32>, tensor<2x8x2048xbf16>, tensor<8xf32>
}

func.func @grad_plain(%u: tensor<1x2x64xf32>, %delta: tensor<1x2x64xf32>, %A: tensor<2x1xf32>, %B: tensor<1x1x1x64xf32>, %C: tensor<1x1x1x64xf32>, %dy: tensor<1x2x64xf32>) -> (tensor<1x2x64xf32>, tensor<1x2x64xf32>, tensor<2x1xf32>, tensor<1x1x1x64xf32>, tensor<1x1x1x64xf32>) {
  %g:5 = ssm.selective_scan_grad %u, %delta, %A, %B, %C, %dy : tensor<1x2x64xf32>, tensor<1x2x64xf32>, tensor<2x1xf32>, tensor<1x1x1x64xf32>, tensor<1x1x1x64xf32>, tensor<1x2x64xf32> -> tensor<1x2x64xf32>, tensor<1x2x64xf32>, tensor<2x1xf32>, tensor<1x1x1x64xf32>, tensor<1x1x1x64xf32>
  return %g#0, %g#1, %g#2, %g#3, %g#4 : tensor<1x2x64xf32>, tensor<1x2x64xf32>, tensor<2x1xf32>, tensor<1x1x1x64xf32>, tensor<1x1x1x64xf32>
}

