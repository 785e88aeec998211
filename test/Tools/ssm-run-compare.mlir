// RUN: ssm-compile %s --target=cpu --chunk-len=8 -o %t.c8.so
// RUN: ssm-compile %s --target=cpu --chunk-len=64 -o %t.c64.so
// RUN: ssm-run --compare %t.c8.so %t.c64.so --check --repeat 3 --warmup 1 \
// RUN:   | FileCheck %s

// ssm-run --compare: two builds of one workload that differ in chunk-len run
// in one process on the same inputs, each checked against the reference, then
// timed in interleaved rounds; the table names the choice that differs.

// CHECK:      binary: {{.*}}.c8.so (module module, target cpu, pipeline cpu chunk-len=8 {{.*}})
// CHECK-NEXT: entry: grad (6 arguments, 5 results)
// CHECK-NEXT: binary: {{.*}}.c64.so (module module, target cpu, pipeline cpu chunk-len=64 {{.*}})
// CHECK-NEXT: entry: grad (6 arguments, 5 results)
// CHECK-NEXT: inputs: seeded random (seed 0)
// CHECK-NEXT: check of {{.*}}.c8.so:
// CHECK-NEXT: check du f32 {{.*}} PASS
// CHECK-NEXT: check ddelta f32 {{.*}} PASS
// CHECK-NEXT: check dA f32 {{.*}} PASS
// CHECK-NEXT: check dB f32 {{.*}} PASS
// CHECK-NEXT: check dC f32 {{.*}} PASS
// CHECK-NEXT: check: 5 passed, 0 failed
// CHECK-NEXT: check of {{.*}}.c64.so:
// CHECK-NEXT: check du f32 {{.*}} PASS
// CHECK-NEXT: check ddelta f32 {{.*}} PASS
// CHECK-NEXT: check dA f32 {{.*}} PASS
// CHECK-NEXT: check dB f32 {{.*}} PASS
// CHECK-NEXT: check dC f32 {{.*}} PASS
// CHECK-NEXT: check: 5 passed, 0 failed
// CHECK-NEXT: compare: 2 binaries, 1 warmup call each, then 3 rounds calling each in turn (ms per call)
// CHECK-NEXT: {{^}}binary chunk-len selective_scan_grad.chunk_len median ms min ms max ms spread time/first{{$}}
// CHECK-NEXT: {{^.*}}.c8.so 8 8 {{[0-9]+\.[0-9][0-9][0-9][0-9]}} {{[0-9]+\.[0-9][0-9][0-9][0-9]}} {{[0-9]+\.[0-9][0-9][0-9][0-9]}} {{[0-9]+\.[0-9]%}} 1.00x{{$}}
// CHECK-NEXT: {{^.*}}.c64.so 64 64 {{[0-9]+\.[0-9][0-9][0-9][0-9]}} {{[0-9]+\.[0-9][0-9][0-9][0-9]}} {{[0-9]+\.[0-9][0-9][0-9][0-9]}} {{[0-9]+\.[0-9]%}} {{[0-9]+\.[0-9][0-9]x$}}
// CHECK-NEXT: time/first: median over the first binary's median, above 1.00x is slower
// CHECK-NOT:  {{.}}

// The defaults of --compare (2 warmup calls, 10 rounds), the entry chosen by
// --entry in every binary, and arguments from .npy files given once for all.
// RUN: rm -rf %t.in && ssm-run %t.c8.so --entry conv --dump %t.in --dump-inputs
// RUN: ssm-run --compare %t.c8.so %t.c64.so --entry conv --inputs %t.in \
// RUN:   | FileCheck %s --check-prefix=DEFAULTS
// DEFAULTS:      entry: conv (2 arguments, 1 result)
// DEFAULTS:      entry: conv (2 arguments, 1 result)
// DEFAULTS-NEXT: inputs: from {{.*}}.in
// DEFAULTS-NEXT: compare: 2 binaries, 2 warmup calls each, then 10 rounds calling each in turn (ms per call)
// DEFAULTS-NEXT: binary chunk-len median ms

// Every binary runs its own code: entry wrappers call the workload's
// function through the PLT, so two binaries that both define `conv` must not
// share one. Here the second computes silu: were it to run the first one's
// code, its check would fail. No lowering choice differs.
// RUN: sed 's/activation none/activation silu/' %s > %t.silu.mlir
// RUN: ssm-compile %t.silu.mlir --target=cpu --chunk-len=8 -o %t.silu.so
// RUN: ssm-run --compare %t.c8.so %t.silu.so --entry conv --check --repeat 1 \
// RUN:   --warmup 0 | FileCheck %s --check-prefix=OWN-CODE
// OWN-CODE:      check of {{.*}}.c8.so:
// OWN-CODE-NEXT: check y f32 {{.*}} PASS
// OWN-CODE:      check of {{.*}}.silu.so:
// OWN-CODE-NEXT: check y f32 {{.*}} PASS
// OWN-CODE:      compare: 2 binaries, 0 warmup calls each, then 1 round calling each in turn (ms per call)
// OWN-CODE-NEXT: lowering: every choice is the same in all binaries
// OWN-CODE-NEXT: {{^}}binary median ms min ms max ms spread time/first{{$}}

// A failed check in any binary makes the exit status non-zero; the table is
// still printed.
// RUN: not ssm-run --compare %t.c8.so %t.c64.so --check --tol 1e-30 \
// RUN:   --repeat 1 | FileCheck %s --check-prefix=FAILED
// FAILED: check: 0 passed, 5 failed
// FAILED: check: 0 passed, 5 failed
// FAILED: time/first:
// FAILED-NEXT: check: 2 of 2 binaries failed

func.func @grad(%u: tensor<1x2x37xf32>, %delta: tensor<1x2x37xf32>,
    %A: tensor<2x2xf32>, %B: tensor<1x1x2x37xf32>, %C: tensor<1x1x2x37xf32>,
    %dy: tensor<1x2x37xf32>)
    -> (tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>) {
  %du, %ddelta, %dA, %dB, %dC = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C, %dy
      : tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
        tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>, tensor<1x2x37xf32>
      -> tensor<1x2x37xf32>, tensor<1x2x37xf32>, tensor<2x2xf32>,
         tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>
  return %du, %ddelta, %dA, %dB, %dC : tensor<1x2x37xf32>, tensor<1x2x37xf32>,
      tensor<2x2xf32>, tensor<1x1x2x37xf32>, tensor<1x1x2x37xf32>
}

func.func @conv(%x: tensor<1x4x8xf32>, %w: tensor<4x2xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x4x8xf32>, tensor<4x2xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
