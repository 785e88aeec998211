// Files that used to crash or hang ssm-run (issue 15), each refused with
// one `error:` line naming the file, and exit status 1 (`not` without
// --crash fails on a signal too).

// RUN: ssm-compile %s --target=cpu -o %t.so
// RUN: rm -rf %t.in %t.bad && mkdir -p %t.dir
// RUN: ssm-run %t.so --dump %t.in --dump-inputs > /dev/null
// RUN: rm %t.in/y.npy

// A workload binary cut short: dlopen would map segments past the end of
// the file (SIGBUS). Cut in the code, and inside the ELF header.
// RUN: head -c 3000 %t.so > %t.cut.so
// RUN: not ssm-run %t.cut.so 2>&1 | FileCheck %s --check-prefix=CUT
// CUT: error: cannot load {{.*}}.cut.so: it is truncated: segment {{[0-9]+}} needs bytes up to offset {{[0-9]+}} + {{[0-9]+}}, the file has 3000
// RUN: head -c 40 %t.so > %t.cut40.so
// RUN: not ssm-run %t.cut40.so 2>&1 | FileCheck %s --check-prefix=CUT40
// CUT40: error: cannot load {{.*}}.cut40.so: it is not a 64-bit little-endian ELF file

// The binary's program header table past the end of the file.
// RUN: head -c 100 %t.so > %t.cut100.so
// RUN: not ssm-run %t.cut100.so 2>&1 | FileCheck %s --check-prefix=PHDR
// PHDR: error: cannot load {{.*}}.cut100.so: it is truncated: its program header table runs past the end of the file (100 bytes)

// Every one-byte corruption of the ELF header and the program headers (a
// segment dropped, moved, resized, its permissions changed: crashes inside
// dlopen, or when the loaded code runs) is refused or harmless; none kills
// ssm-run with a signal.
// RUN: python3 %S/Inputs/mutate_elf.py ssm-run %t.so %t.mutants | FileCheck %s --check-prefix=MUTANTS
// MUTANTS: {{[0-9]+}} mutants, {{[0-9]+}} refused, 0 crashes

// A device, a pipe and a directory in place of the binary: never read.
// RUN: ln -sf /dev/zero %t.zero.so
// RUN: not ssm-run %t.zero.so 2>&1 | FileCheck %s --check-prefix=DEVICE
// DEVICE: error: cannot load {{.*}}.zero.so: it is not a regular file (a device, pipe or socket)
// RUN: rm -f %t.fifo.so && mkfifo %t.fifo.so
// RUN: not ssm-run %t.fifo.so 2>&1 | FileCheck %s --check-prefix=FIFO
// FIFO: error: cannot load {{.*}}.fifo.so: it is not a regular file
// RUN: not ssm-run %t.dir 2>&1 | FileCheck %s --check-prefix=DIR
// DIR: error: cannot load {{.*}}.dir: it is a directory, not a workload binary

// An input that is an endless device: refused, not read until memory runs
// out.
// RUN: rm -rf %t.bad && cp -r %t.in %t.bad && rm %t.bad/x.npy
// RUN: ln -s /dev/zero %t.bad/x.npy
// RUN: not ssm-run %t.so --inputs %t.bad 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: {{.*}}x.npy: is not a regular file (a device, pipe or socket); a .npy input must be a regular file

// A pipe (which a writer could feed forever).
// RUN: rm -f %t.bad/x.npy && mkfifo %t.bad/x.npy
// RUN: not ssm-run %t.so --inputs %t.bad 2>&1 | FileCheck %s --check-prefix=PIPE
// PIPE: error: {{.*}}x.npy: is not a regular file

// A regular file whose header declares far more data than the tensor (and
// the file) has: refused before anything that size is allocated or read.
// RUN: rm -f %t.bad/x.npy
// RUN: LC_ALL=C sed 's/(1, 4, 8), }             /(1152921504606846976,), }/' %t.in/x.npy > %t.bad/x.npy
// RUN: grep -c 1152921504606846976 %t.bad/x.npy
// RUN: not ssm-run %t.so --inputs %t.bad 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: error: {{.*}}x.npy: shape mismatch: the file holds [1152921504606846976], expected [1,4,8]

// The right files still load.
// RUN: ssm-run %t.so --inputs %t.in --check | FileCheck %s --check-prefix=OK
// OK: check: 1 passed, 0 failed

func.func @conv(%x: tensor<1x4x8xf32>, %w: tensor<4x3xf32>) -> tensor<1x4x8xf32> {
  %y = ssm.causal_conv1d %x, %w activation silu
      : (tensor<1x4x8xf32>, tensor<4x3xf32>) -> tensor<1x4x8xf32>
  return %y : tensor<1x4x8xf32>
}
