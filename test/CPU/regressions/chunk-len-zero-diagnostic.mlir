// BUG: the chunk-len diagnostic prints the value as a raw byte (the
// Pass::Option<int64_t> is streamed into the diagnostic as a char): for
// chunk-len=0 the message ends in a NUL byte, for -300 in byte 0xD4.
// RUN: not ssm-opt %s --ssm-select-lowering=chunk-len=0 --convert-ssm-to-loops 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not ssm-opt %s --ssm-select-lowering=chunk-len=-300 --convert-ssm-to-loops 2>&1 | FileCheck %s --check-prefix=NEG
// RUN: not ssm-compile %s --target=cpu --chunk-len=0 -o %t.so 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: error: ssm-select-lowering: chunk-len = 0 must be at least 1{{$}}
// NEG: error: ssm-select-lowering: chunk-len = -300 must be at least 1{{$}}
func.func @f(%x: tensor<4x8xf32>, %w: tensor<8xf32>) -> tensor<4x8xf32> {
  %y = ssm.rms_norm %x, %w : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
