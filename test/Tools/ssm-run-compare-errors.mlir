// Bad uses of ssm-run --compare: each fails with one `error:` line and a
// non-zero status before any binary runs (`not` also fails on a crash).

// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: ssm-compile %s --target=cpu --chunk-len=8 -o %t.c8.so

// Fewer than two binaries.
// RUN: not ssm-run --compare %t.so 2>&1 | FileCheck %s --check-prefix=ONE
// ONE: {{^}}error: --compare needs two or more binaries, got 1

// Several binaries without --compare.
// RUN: not ssm-run %t.so %t.c8.so 2>&1 | FileCheck %s --check-prefix=SEVERAL
// SEVERAL: {{^}}error: 2 binaries given; ssm-run runs one, or compares several with --compare

// A binary that does not exist, first or later.
// RUN: not ssm-run --compare %t.so %t.missing.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// RUN: not ssm-run --compare %t.missing.so %t.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// MISSING: {{^}}error: {{.*}}.missing.so: no such file

// The same function at other shapes: x is 1x4x9 instead of 1x4x8.
// RUN: sed 's/1x4x8/1x4x9/g' %s > %t.shape.mlir
// RUN: ssm-compile %t.shape.mlir --target=cpu -o %t.shape.so
// RUN: not ssm-run --compare %t.so %t.shape.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHAPE
// SHAPE: {{^}}error: {{.*}}.shape.so: entry 'conv' does not match entry 'conv' of {{.*}}.so: tensor 'x' is f32[1,4,9], expected f32[1,4,8]

// Another function: the first entry of a binary built from @conv_bias alone
// has a bias where @conv has its result.
// RUN: sed -n '/^func.func @conv_bias/,/^}/p' %s > %t.bias.mlir
// RUN: ssm-compile %t.bias.mlir --target=cpu -o %t.bias.so
// RUN: not ssm-run --compare %t.so %t.bias.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=FUNCTION
// FUNCTION: {{^}}error: {{.*}}.bias.so: entry 'conv_bias' does not match entry 'conv' of {{.*}}.so: tensor 2 is 'bias' (f32[4]), expected 'y' (f32[1,4,8])

// An entry one binary lacks.
// RUN: not ssm-run --compare %t.so %t.bias.so --entry conv 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ENTRY
// ENTRY: {{^}}error: {{.*}}.bias.so has no entry 'conv' (entries: conv_bias)

// A CPU binary against a GPU one (compiling for the GPU needs no GPU; the
// targets are refused before any GPU is looked for).
// RUN: ssm-compile %s --target=gpu -o %t.gpu.so
// RUN: not ssm-run --compare %t.so %t.gpu.so 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TARGETS
// TARGETS: {{^}}error: --compare: {{.*}}.gpu.so targets gpu but {{.*}}.so targets cpu; CPU and GPU binaries cannot be compared

// Options --compare does not combine with.
// RUN: not ssm-run --compare %t.so %t.c8.so --dump %t.dump 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: {{^}}error: --compare cannot be combined with --dump or --dump-inputs
// RUN: not ssm-run --compare %t.so %t.c8.so --target-check 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TARGET-CHECK
// TARGET-CHECK: {{^}}error: --compare cannot be combined with --target-check
// RUN: not ssm-run --compare %t.so %t.c8.so --repeat 0 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REPEAT
// REPEAT: {{^}}error: --compare needs --repeat 1 or more

func.func @conv(%x: tensor<1x4x8xf32>, %w: tensor<4x2xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x4x8xf32>, tensor<4x2xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}

func.func @conv_bias(%x: tensor<1x4x8xf32>, %w: tensor<4x2xf32>,
    %b: tensor<4xf32>) -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<1x4x8xf32>, tensor<4x2xf32>, tensor<4xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
