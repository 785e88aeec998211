// RUN: ssm-opt %s --split-input-file --verify-diagnostics \
// RUN:   --ssm-build-training-step=functions=f

// The loss must be one tensor<f32>.
// expected-error @+1 {{ssm-build-training-step: function 'f' must return exactly one tensor<f32> (the loss), it returns 'tensor<4xf32>'}}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// Every op on the path to the loss needs a gradient rule.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>, %t: tensor<2xi32>)
    -> tensor<f32> {
  // expected-error @+1 {{'arith.addf' op is on the path to the loss of 'f' but has no gradient rule (not an ssm kernel op)}}
  %s = arith.addf %x, %x : tensor<2x4xf32>
  %l = ssm.linear %s, %w : (tensor<2x4xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  %loss = ssm.cross_entropy %l, %t : (tensor<2x4xf32>, tensor<2xi32>) -> tensor<f32>
  return %loss : tensor<f32>
}

// -----

// The step's name must be free.
// expected-error @+1 {{ssm-build-training-step: the training step of 'f' would be named 'f_step', which the module already defines}}
func.func @f(%l: tensor<2x4xf32>, %t: tensor<2xi32>) -> tensor<f32> {
  %loss = ssm.cross_entropy %l, %t : (tensor<2x4xf32>, tensor<2xi32>) -> tensor<f32>
  return %loss : tensor<f32>
}
func.func @f_step() {
  return
}
