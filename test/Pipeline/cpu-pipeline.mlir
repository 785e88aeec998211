// RUN: ssm-opt %s --ssm-cpu-pipeline | FileCheck %s \
// RUN:   --implicit-check-not=ssm. --implicit-check-not=func.func \
// RUN:   --implicit-check-not=func.return --implicit-check-not=func.call \
// RUN:   --implicit-check-not=memref. --implicit-check-not='memref<' \
// RUN:   --implicit-check-not=scf. --implicit-check-not=cf. \
// RUN:   --implicit-check-not=arith. --implicit-check-not=math. \
// RUN:   --implicit-check-not=bufferization. --implicit-check-not='tensor<' \
// RUN:   --implicit-check-not=unrealized_conversion_cast
// RUN: ssm-opt %s --ssm-cpu-pipeline=chunk-len=3 | FileCheck %s \
// RUN:   --implicit-check-not=ssm. --implicit-check-not=memref. \
// RUN:   --implicit-check-not=scf. --implicit-check-not=func.func

// The CPU pipeline leaves only the LLVM dialect: every entry is an
// llvm.func whose arguments are bare pointers, one per operand and then one
// per result (results become caller-provided out-parameters; nothing is
// returned), and no ssm, memref, scf, cf, arith, math, bufferization or
// func op, tensor or memref type, or unrealized cast is left. Math
// functions without an LLVM intrinsic are libm calls; buffers the kernels
// allocate go through malloc/free.

// CHECK-DAG:   llvm.func @malloc(i64) -> !llvm.ptr
// CHECK-DAG:   llvm.func @free(!llvm.ptr)
// CHECK-DAG:   llvm.func @expf(f32) -> f32

// u, delta, A, B, C, D, z, delta_bias; y, last_state.
// CHECK-LABEL: llvm.func @selective_scan_fwd(
// CHECK-SAME:    %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr) {
// CHECK:         llvm.return{{$}}
func.func @selective_scan_fwd(%u: tensor<2x4x8xf32>, %delta: tensor<2x4x8xf32>,
    %A: tensor<4x3xf32>, %B: tensor<2x2x3x8xf32>, %C: tensor<2x2x3x8xf32>,
    %D: tensor<4xf32>, %z: tensor<2x4x8xf32>, %db: tensor<4xf32>)
    -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z)
      delta_bias(%db) {delta_softplus}
      : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<4x3xf32>,
         tensor<2x2x3x8xf32>, tensor<2x2x3x8xf32>, tensor<4xf32>,
         tensor<2x4x8xf32>, tensor<4xf32>)
      -> (tensor<2x4x8xf32>, tensor<2x4x3xf32>)
  return %y, %s : tensor<2x4x8xf32>, tensor<2x4x3xf32>
}

// bf16 (no native host conversion: expanded to integer ops): u, delta, A,
// B, C, D, dy, d_last_state; du, ddelta, dA, dB, dC, dD.
// CHECK-LABEL: llvm.func @selective_scan_grad_bf16(
// CHECK-SAME:    %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr) {
// CHECK:         llvm.return{{$}}
func.func @selective_scan_grad_bf16(%u: tensor<1x4x9xbf16>,
    %delta: tensor<1x4x9xbf16>, %A: tensor<4x2xf32>,
    %B: tensor<1x1x2x9xbf16>, %C: tensor<1x1x2x9xbf16>, %D: tensor<4xf32>,
    %dy: tensor<1x4x9xbf16>, %ds: tensor<1x4x2xf32>)
    -> (tensor<1x4x9xbf16>, tensor<1x4x9xbf16>, tensor<4x2xf32>,
        tensor<1x1x2x9xbf16>, tensor<1x1x2x9xbf16>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy d_last_state(%ds)
      : tensor<1x4x9xbf16>, tensor<1x4x9xbf16>, tensor<4x2xf32>,
        tensor<1x1x2x9xbf16>, tensor<1x1x2x9xbf16>, tensor<4xf32>,
        tensor<1x4x9xbf16>, tensor<1x4x2xf32>
      -> tensor<1x4x9xbf16>, tensor<1x4x9xbf16>, tensor<4x2xf32>,
         tensor<1x1x2x9xbf16>, tensor<1x1x2x9xbf16> dD tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD
      : tensor<1x4x9xbf16>, tensor<1x4x9xbf16>, tensor<4x2xf32>,
        tensor<1x1x2x9xbf16>, tensor<1x1x2x9xbf16>, tensor<4xf32>
}

// x, dt, A, B, C, initial_state, dy; dx, ddt, dA, dB, dC, d_initial_state.
// CHECK-LABEL: llvm.func @ssd_scan_grad(
// CHECK-SAME:    %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr) {
// CHECK:         llvm.return{{$}}
func.func @ssd_scan_grad(%x: tensor<1x6x2x4xf32>, %dt: tensor<1x6x2xf32>,
    %A: tensor<2xf32>, %B: tensor<1x6x1x3xf32>, %C: tensor<1x6x1x3xf32>,
    %h0: tensor<1x2x4x3xf32>, %dy: tensor<1x6x2x4xf32>)
    -> (tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<1x2x4x3xf32>) {
  %dx, %ddt, %dA, %dB, %dC, %dh0 = ssm.ssd_scan_grad
      %x, %dt, %A, %B, %C initial_state(%h0), %dy {dt_softplus}
      : tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<1x2x4x3xf32>,
        tensor<1x6x2x4xf32>
      -> tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
         tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>
         d_initial_state tensor<1x2x4x3xf32>
  return %dx, %ddt, %dA, %dB, %dC, %dh0
      : tensor<1x6x2x4xf32>, tensor<1x6x2xf32>, tensor<2xf32>,
        tensor<1x6x1x3xf32>, tensor<1x6x1x3xf32>, tensor<1x2x4x3xf32>
}

// Two ops in one entry, f16 (the conv output feeds the norm): x, weight,
// bias, norm weight; the conv output and the norm output.
// CHECK-LABEL: llvm.func @conv_norm_f16(
// CHECK-SAME:    %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr, %{{[^:,]+}}: !llvm.ptr) {
// CHECK:         llvm.return{{$}}
func.func @conv_norm_f16(%x: tensor<2x4x8xf16>, %w: tensor<4x3xf32>,
    %b: tensor<4xf32>, %nw: tensor<8xf32>)
    -> (tensor<2x4x8xf16>, tensor<2x4x8xf16>) {
  %c = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x4x8xf16>, tensor<4x3xf32>, tensor<4xf32>)
      -> tensor<2x4x8xf16>
  %y = ssm.rms_norm %c, %nw
      : (tensor<2x4x8xf16>, tensor<8xf32>) -> tensor<2x4x8xf16>
  return %c, %y : tensor<2x4x8xf16>, tensor<2x4x8xf16>
}
