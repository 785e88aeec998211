// RUN: ssm-opt %s --ssm-distinct-results | FileCheck %s
// RUN: ssm-opt %s --ssm-cpu-pipeline -o /dev/null
// RUN: ssm-opt %s '--ssm-gpu-pipeline=cubin-format=isa' -o /dev/null

// A tensor returned as several results gets a copy for each repetition, so
// that every result has its own out-parameter: upstream's
// buffer-results-to-out-params crashed on a buffer returned twice (found by
// scripts/fuzz.py, issue 15); both pipelines now run through.

// CHECK-LABEL: func.func @twice(
// CHECK-SAME:    %[[X:.*]]: tensor<4x64xf32>, %[[W:.*]]: tensor<64xf32>)
// CHECK:         %[[Y:.*]] = ssm.rms_norm
// CHECK:         %[[C1:.*]] = bufferization.alloc_tensor() copy(%[[Y]])
// CHECK:         %[[C2:.*]] = bufferization.alloc_tensor() copy(%[[X]])
// CHECK:         %[[C3:.*]] = bufferization.alloc_tensor() copy(%[[Y]])
// CHECK:         return %[[Y]], %[[C1]], %[[X]], %[[C2]], %[[C3]]
func.func @twice(%x: tensor<4x64xf32>, %w: tensor<64xf32>)
    -> (tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>,
        tensor<4x64xf32>) {
  %y = ssm.rms_norm %x, %w : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y, %y, %x, %x, %y : tensor<4x64xf32>, tensor<4x64xf32>,
      tensor<4x64xf32>, tensor<4x64xf32>, tensor<4x64xf32>
}

// Distinct results are left alone.
// CHECK-LABEL: func.func @distinct(
// CHECK-NOT:     bufferization.alloc_tensor
// CHECK:         return
func.func @distinct(%x: tensor<4x64xf32>, %w: tensor<64xf32>)
    -> (tensor<4x64xf32>, tensor<4x64xf32>) {
  %y = ssm.rms_norm %x, %w : (tensor<4x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %y, %x : tensor<4x64xf32>, tensor<4x64xf32>
}
