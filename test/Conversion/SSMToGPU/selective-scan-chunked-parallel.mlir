// The chunked-parallel selective scan (SelectiveScanChunked.cpp) on the
// GPU: B1 D64 L64 N16 bf16, G=2 (32 channels a group), chunk_len=16 (four
// chunks), rows of 8 positions. The chunk phases have a thread per (batch,
// chunk, group, channel in group) = 256 threads, 2 blocks; the passing a
// thread per (batch, channel, state) = 1024 threads, 8 blocks. Positions
// move as 8-element vectors (one 16-byte load of u, delta, a row of B as
// the warp's broadcast), states of the [B,D,chunks,N] scratch as 16-element
// ones; exp(dt A) is exp2 marked afn (one ex2.approx after
// ssm-gpu-fast-exp2). In the gradient's last phase the warp's 32 lanes are
// the channels of one group: each row of dC and dB is summed over the warp
// by a reduce-scatter (9 shuffles for 8 values) before one addition, and
// the state at each of the chunk's 2 row starts is in a private buffer.
// The gradient is deterministic by default: every addition goes into a
// partial copy that no other thread writes at the same time (dA, dD,
// ddelta_bias: a copy per (batch, chunk), 4; dB, dC: a copy per warp of a
// group's channels, 1 here), and the copies are summed in order by one
// kernel each. With deterministic=false they are atomics (ATOMIC).
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=chunked-parallel chunk-len=16' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=chunked-parallel chunk-len=16' \
// RUN:   | FileCheck %s --check-prefix=ATTR
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=chunked-parallel chunk-len=16 deterministic=false' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s --check-prefix=ATOMIC
// A backward whose private buffer would exceed 64 KiB per thread is
// rejected, naming chunk_len: L=1031 (prime) allows only rows of one
// position, so chunk_len=2048 (one chunk of 1031) needs (1031 + 2) x 16
// floats.
// RUN: not ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=chunked-parallel chunk-len=2048' \
// RUN:   --convert-ssm-to-gpu 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: ssm-opt %s '--ssm-select-lowering=target=gpu scan-strategy=chunked-parallel chunk-len=1000' \
// RUN:   --convert-ssm-to-gpu | FileCheck %s --check-prefix=FITS

// The recorded lowering, and the launches named after it.
// ATTR-LABEL: func.func @fwd(
// ATTR: ssm.selective_scan {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 16, threads_per_block = 128>
// ATTR-LABEL: func.func @grad(
// ATTR: ssm.selective_scan_grad {{.*}}ssm.lowering = #ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", strategy = "chunked-parallel", chunk_len = 16, threads_per_block = 128, deterministic = true>

// CHECK-LABEL: func.func @fwd(
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<1x64x64xbf16>
// CHECK:         %[[LAST:.*]] = memref.alloc() : memref<1x64x16xf32>
// CHECK:         %[[ENDS:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// CHECK:         %[[ENTERING:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// CHECK:         %[[TIME:.*]] = memref.alloc() : memref<1x64x4xf32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c2{{(_[0-9]+)?}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c128{{(_[0-9]+)?}}, {{.*}}) function(@ssm_selective_scan_chunked_parallel) {
// CHECK:           vector.load {{.*}} : memref<1x64x64xbf16>, vector<8xbf16>
// CHECK:           vector.load {{.*}} : memref<1x64x64xbf16>, vector<8xbf16>
// CHECK:           vector.load {{.*}} : memref<1x2x16x64xbf16>, vector<8xbf16>
// CHECK-COUNT-8:   math.exp2 {{.*}} fastmath<afn> : f32
// CHECK:           vector.store {{.*}}, %[[ENDS]]{{.*}} : memref<1x64x4x16xf32>, vector<16xf32>
// CHECK:           memref.store {{.*}}, %[[TIME]]
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %c8{{(_[0-9]+)?}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c128{{(_[0-9]+)?}}, {{.*}}) function(@ssm_selective_scan_chunked_parallel_0) {
// CHECK:           memref.load %[[TIME]]
// CHECK:           memref.load %[[ENDS]]
// CHECK:           memref.store {{.*}}, %[[ENTERING]]
// CHECK:           memref.store {{.*}}, %[[LAST]]
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_chunked_parallel_1) {
// CHECK:           vector.load %[[ENTERING]]{{.*}} : memref<1x64x4x16xf32>, vector<16xf32>
// CHECK:           vector.store {{.*}}, %[[Y]]{{.*}} : memref<1x64x64xbf16>, vector<8xbf16>
// CHECK-NOT:     gpu.launch
// CHECK:         return

// Zero-filled partial copies: dA [4 (batch, chunk), D, N], dB and dC
// [1 warp, B, G, N, L], dD and ddelta_bias [4, D]; the three phases; each
// accumulator's copies summed in order into its result.
// CHECK-LABEL: func.func @grad(
// CHECK:         %[[DA:.*]] = memref.alloc() : memref<64x16xf32>
// CHECK:         %[[DACOPIES:.*]] = memref.alloc() : memref<4x64x16xf32>
// CHECK:         %[[DBCOPIES:.*]] = memref.alloc() : memref<1x1x2x16x64xf32>
// CHECK:         %[[DCCOPIES:.*]] = memref.alloc() : memref<1x1x2x16x64xf32>
// CHECK:         %[[DDCOPIES:.*]] = memref.alloc() : memref<4x64xf32>
// CHECK:         %[[BIASCOPIES:.*]] = memref.alloc() : memref<4x64xf32>
// CHECK:         %[[CARRIES:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_4) {
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_5) {
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_6) {
// CHECK-NOT:       memref.atomic_rmw
// CHECK-COUNT-9:     gpu.shuffle xor
// CHECK:             %[[OLD:.*]] = memref.load %[[DCCOPIES]][%[[SLOT:[^,]*]], {{.*}}] : memref<1x1x2x16x64xf32>
// CHECK:             %[[SUM:.*]] = arith.addf %[[OLD]]
// CHECK:             memref.store %[[SUM]], %[[DCCOPIES]][%[[SLOT]], {{.*}}] : memref<1x1x2x16x64xf32>
// CHECK-COUNT-9:     gpu.shuffle xor
// CHECK:             memref.store {{.*}}, %[[DBCOPIES]]
// CHECK:           memref.store {{.*}}, %[[DACOPIES]]
// CHECK:           memref.store {{.*}}, %[[DDCOPIES]]
// CHECK:           memref.store {{.*}}, %[[BIASCOPIES]]
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_7) {
// CHECK:           scf.for
// CHECK:             memref.load %[[DACOPIES]]
// CHECK:           memref.store {{.*}}, %[[DA]]
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_8) {
// CHECK:             memref.load %[[DBCOPIES]]
// CHECK:           memref.store {{.*}} : memref<1x2x16x64xbf16>
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_9) {
// CHECK:             memref.load %[[DCCOPIES]]
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_10) {
// CHECK:             memref.load %[[DDCOPIES]]
// CHECK:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_11) {
// CHECK:             memref.load %[[BIASCOPIES]]
// CHECK-NOT:     gpu.launch
// CHECK-NOT:     memref.atomic_rmw
// CHECK:         return

// Fills of dA, dB and dC (f32 scratch for the bf16 results), dD and
// ddelta_bias; the three phases; dB and dC converted to bf16.
// ATOMIC-LABEL: func.func @grad(
// ATOMIC:         %[[ENDS:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// ATOMIC:         %[[ENTERING:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// ATOMIC:         %[[TIME:.*]] = memref.alloc() : memref<1x64x4xf32>
// ATOMIC:         %[[DBACC:.*]] = memref.alloc() : memref<1x2x16x64xf32>
// ATOMIC:         %[[DCACC:.*]] = memref.alloc() : memref<1x2x16x64xf32>
// ATOMIC:         %[[R:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// ATOMIC:         %[[CARRIES:.*]] = memref.alloc() : memref<1x64x4x16xf32>
// ATOMIC:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_4) {
// ATOMIC:           vector.store {{.*}}, %[[ENDS]]
// ATOMIC:           memref.store {{.*}}, %[[TIME]]
// ATOMIC:           vector.store {{.*}}, %[[R]]
// ATOMIC:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_5) {
// ATOMIC:           memref.store {{.*}}, %[[ENTERING]]
// ATOMIC:           memref.store {{.*}}, %[[CARRIES]]
// ATOMIC:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_6) {
// ATOMIC-DAG:       memref.alloca() : memref<16xf32>
// ATOMIC-DAG:       %[[SAVED:.*]] = memref.alloca() : memref<2x16xf32>
// ATOMIC:           memref.store {{.*}}, %[[SAVED]]
// ATOMIC:           vector.load %[[CARRIES]]
// ATOMIC:           scf.for {{.*}} to %c16{{.*}} iter_args
// ATOMIC:             memref.load %[[SAVED]]
// ATOMIC-COUNT-8:     math.exp2 {{.*}} fastmath<afn>
// ATOMIC-COUNT-9:     gpu.shuffle xor
// ATOMIC:             memref.atomic_rmw addf {{.*}}, %[[DCACC]]
// ATOMIC-COUNT-9:     gpu.shuffle xor
// ATOMIC:             memref.atomic_rmw addf {{.*}}, %[[DBACC]]
// ATOMIC:           vector.store {{.*}} : memref<1x64x64xbf16>, vector<8xbf16>
// ATOMIC:           vector.store {{.*}} : memref<1x64x64xbf16>, vector<8xbf16>
// ATOMIC:           vector.store {{.*}} : memref<1x64x64xbf16>, vector<8xbf16>
// ATOMIC:           memref.atomic_rmw addf {{.*}} : (f32, memref<64x16xf32>)
// ATOMIC:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_7) {
// ATOMIC:           memref.load %[[DBACC]]
// ATOMIC:         gpu.launch {{.*}} function(@ssm_selective_scan_grad_chunked_parallel_8) {
// ATOMIC:           memref.load %[[DCACC]]
// ATOMIC-NOT:     gpu.launch
// ATOMIC:         return

// BIG: error: 'ssm.selective_scan_grad' op cannot be lowered on the GPU with chunk_len = 2048: each thread would keep 66112 bytes of scan states (the state at each row start of its chunk, d_state 16 floats each) in local memory, more than 65536; lower chunk-len
// BIG-NOT: gpu.launch
// FITS-LABEL: func.func @grad_long(
// FITS: memref.alloca() : memref<1000x16xf32>

func.func @fwd(%u: tensor<1x64x64xbf16>, %delta: tensor<1x64x64xbf16>,
    %A: tensor<64x16xf32>, %B: tensor<1x2x16x64xbf16>,
    %C: tensor<1x2x16x64xbf16>, %D: tensor<64xf32>, %z: tensor<1x64x64xbf16>,
    %db: tensor<64xf32>)
    -> (tensor<1x64x64xbf16>, tensor<1x64x16xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C
      D(%D) z(%z) delta_bias(%db) {delta_softplus}
      : (tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
         tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
         tensor<1x64x64xbf16>, tensor<64xf32>)
      -> (tensor<1x64x64xbf16>, tensor<1x64x16xf32>)
  return %y, %s : tensor<1x64x64xbf16>, tensor<1x64x16xf32>
}

func.func @grad(%u: tensor<1x64x64xbf16>, %delta: tensor<1x64x64xbf16>,
    %A: tensor<64x16xf32>, %B: tensor<1x2x16x64xbf16>,
    %C: tensor<1x2x16x64xbf16>, %D: tensor<64xf32>, %z: tensor<1x64x64xbf16>,
    %db: tensor<64xf32>, %dy: tensor<1x64x64xbf16>, %dh: tensor<1x64x16xf32>)
    -> (tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
        tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
        tensor<1x64x64xbf16>, tensor<64xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D) z(%z) delta_bias(%db),
      %dy d_last_state(%dh) {delta_softplus}
      : tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
        tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
        tensor<1x64x64xbf16>, tensor<64xf32>, tensor<1x64x64xbf16>,
        tensor<1x64x16xf32>
      -> tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
         tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>
         dD tensor<64xf32> dz tensor<1x64x64xbf16>
         ddelta_bias tensor<64xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD, %dz, %ddb
      : tensor<1x64x64xbf16>, tensor<1x64x64xbf16>, tensor<64x16xf32>,
        tensor<1x2x16x64xbf16>, tensor<1x2x16x64xbf16>, tensor<64xf32>,
        tensor<1x64x64xbf16>, tensor<64xf32>
}

func.func @grad_long(%u: tensor<1x2x1031xf32>,
    %delta: tensor<1x2x1031xf32>, %A: tensor<2x16xf32>,
    %B: tensor<1x1x16x1031xf32>, %C: tensor<1x1x16x1031xf32>,
    %dy: tensor<1x2x1031xf32>)
    -> (tensor<1x2x1031xf32>, tensor<1x2x1031xf32>, tensor<2x16xf32>,
        tensor<1x1x16x1031xf32>, tensor<1x1x16x1031xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x2x1031xf32>, tensor<1x2x1031xf32>, tensor<2x16xf32>,
        tensor<1x1x16x1031xf32>, tensor<1x1x16x1031xf32>, tensor<1x2x1031xf32>
      -> tensor<1x2x1031xf32>, tensor<1x2x1031xf32>, tensor<2x16xf32>,
         tensor<1x1x16x1031xf32>, tensor<1x1x16x1031xf32>
  return %du, %ddelta, %dA, %dB, %dC
      : tensor<1x2x1031xf32>, tensor<1x2x1031xf32>, tensor<2x16xf32>,
        tensor<1x1x16x1031xf32>, tensor<1x1x16x1031xf32>
}
