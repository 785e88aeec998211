// Bad inputs to ssm-run: each fails with one `error:` line and a non-zero
// status (`not` also fails on a crash). A GPU binary on a machine without a
// GPU is not tested here.

// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: rm -rf %t.in %t.bad %t.file
// RUN: ssm-run %t.so --entry mixed --dump %t.in --dump-inputs > /dev/null

// A binary that does not exist.
// RUN: not ssm-run %t.missing.so 2>&1 | FileCheck %s --check-prefix=NO-FILE
// NO-FILE: error: {{.*}}.missing.so: no such file

// A file that is not a shared object.
// RUN: printf 'not an ELF file' > %t.garbage.so
// RUN: not ssm-run %t.garbage.so 2>&1 | FileCheck %s --check-prefix=NOT-ELF
// NOT-ELF: error: cannot load {{.*}}.garbage.so

// A shared object without a manifest (ssm-compile links with cc as well).
// RUN: cc -shared -fPIC -x c /dev/null -o %t.plain.so
// RUN: not ssm-run %t.plain.so 2>&1 | FileCheck %s --check-prefix=NO-MANIFEST
// NO-MANIFEST: error: {{.*}}.plain.so is not an ssm workload binary (no ssm_workload_manifest symbol)

// An entry the binary does not have: the message lists those it has.
// RUN: not ssm-run %t.so --entry nope 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: error: {{.*}} has no entry 'nope' (entries: mixed, other)

// An --inputs directory that does not exist.
// RUN: not ssm-run %t.so --entry mixed --inputs %t.nodir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-DIR
// NO-DIR: error: inputs directory {{.*}}.nodir does not exist or is not a directory

// An argument without its .npy.
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad && rm %t.bad/B.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// MISSING: error: missing input file {{.*}}B.npy for input 'B' (bf16[1,2,3,8])

// Garbage bytes instead of a .npy.
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad
// RUN: printf 'garbage garbage garbage' > %t.bad/u.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MAGIC
// MAGIC: error: {{.*}}u.npy: not a .npy file (bad magic; expected "\x93NUMPY")

// A .npy cut inside its header.
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad
// RUN: head -c 20 %t.in/u.npy > %t.bad/u.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=HEADER
// HEADER: error: {{.*}}u.npy: bad header: header length 118 runs past the end of the file

// A .npy whose data is shorter than its shape needs (the header of u.npy
// is 128 bytes; u holds 1*4*8 bf16 = 64 bytes).
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad
// RUN: head -c 150 %t.in/u.npy > %t.bad/u.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHORT
// SHORT: error: {{.*}}u.npy: truncated data: shape [1,4,8] of <u2 needs 64 bytes, the file has 22

// The right dtype with the wrong shape: dy (bf16[1,4,8]) as B (bf16[1,2,3,8]).
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad && cp %t.in/dy.npy %t.bad/B.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: {{.*}}B.npy: shape mismatch: the file holds [1,4,8], expected [1,2,3,8]

// The wrong dtype: the bf16 (<u2) u as the f32 A.
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad && cp %t.in/u.npy %t.bad/A.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: {{.*}}A.npy: dtype mismatch: the file holds '<u2', the tensor is f32 (expected '<f4')

// A .npy that names no tensor of the entry.
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad && cp %t.in/D.npy %t.bad/D2.npy
// RUN: not ssm-run %t.so --entry mixed --inputs %t.bad 2>&1 \
// RUN:   | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: {{.*}}D2.npy: unknown tensor name 'D2' (entry 'mixed' has: u, delta, A, B, C, D, dy, du, ddelta, dA, dB, dC, dD)

// Inputs written for another entry: `other` has x and weight, which the
// inputs of `mixed` lack.
// RUN: not ssm-run %t.so --entry other --inputs %t.in 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OTHER
// OTHER: error: {{.*}}: unknown tensor name '{{.*}}' (entry 'other' has: x, weight, y)

// A --dump directory that cannot be created (a path under a regular file),
// refused before the run.
// RUN: touch %t.file
// RUN: not ssm-run %t.so --entry mixed --dump %t.file/sub 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DUMP
// DUMP: error: cannot create dump directory {{.*}}.file/sub: Not a directory

func.func @mixed(%u: tensor<1x4x8xbf16>, %delta: tensor<1x4x8xbf16>,
    %A: tensor<4x3xf32>, %B: tensor<1x2x3x8xbf16>, %C: tensor<1x2x3x8xbf16>,
    %D: tensor<4xf32>, %dy: tensor<1x4x8xbf16>)
    -> (tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
        tensor<1x2x3x8xbf16>, tensor<1x2x3x8xbf16>, tensor<4xf32>) {
  %du, %ddelta, %dA, %dB, %dC, %dD = ssm.selective_scan_grad
      %u, %delta, %A, %B, %C D(%D), %dy
      : tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
        tensor<1x2x3x8xbf16>, tensor<1x2x3x8xbf16>, tensor<4xf32>,
        tensor<1x4x8xbf16>
      -> tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
         tensor<1x2x3x8xbf16>, tensor<1x2x3x8xbf16> dD tensor<4xf32>
  return %du, %ddelta, %dA, %dB, %dC, %dD
      : tensor<1x4x8xbf16>, tensor<1x4x8xbf16>, tensor<4x3xf32>,
        tensor<1x2x3x8xbf16>, tensor<1x2x3x8xbf16>, tensor<4xf32>
}

func.func @other(%x: tensor<1x4x8xf32>, %w: tensor<4x2xf32>)
    -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation none
      : (tensor<1x4x8xf32>, tensor<4x2xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
