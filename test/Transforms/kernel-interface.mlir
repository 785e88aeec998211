// RUN: ssm-opt %s --ssm-test-kernel-interface -verify-diagnostics -split-input-file

// What KernelOpInterface says of each op, against its ODS declaration in
// dialects/ssm/IR/SSMOps.td: operand ports (attributes excluded) and result
// ports in declaration order, absent optional ports in brackets.

func.func @selective_scan(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>,
    %D: tensor<8xf32>) {
  // expected-remark @+1 {{operands u,delta,A,B,C,D,[z],[delta_bias]; results y,last_state; parameters A,D,delta_bias; gradient ssm.selective_scan_grad; forward -; saved -; attrs delta_softplus=true; variants fused-scan,unfused; cpu sequential,chunked-parallel; gpu block-scan,sequential,chunked-parallel}}
  %y, %s = ssm.selective_scan %u, %dt, %A, %B, %C D(%D) {delta_softplus}
      : (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<8xf32>)
      -> (tensor<2x8x16xf32>, tensor<2x8x4xf32>)
  return
}

// -----

func.func @selective_scan_grad(%u: tensor<2x8x16xf32>, %dt: tensor<2x8x16xf32>,
    %A: tensor<8x4xf32>, %B: tensor<2x1x4x16xf32>, %C: tensor<2x1x4x16xf32>) {
  // expected-remark @+1 {{operands u,delta,A,B,C,[D],[z],[delta_bias],dy,[d_last_state]; results du,ddelta,dA,dB,dC,[dD],[dz],[ddelta_bias]; parameters A,D,delta_bias; gradient -; forward ssm.selective_scan; saved -; attrs delta_softplus=false; variants fused-scan,unfused; cpu sequential,chunked-parallel; gpu chunked-parallel,block-scan,sequential}}
  %du, %ddt, %dA, %dB, %dC = ssm.selective_scan_grad %u, %dt, %A, %B, %C, %u
      : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
        tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>, tensor<2x8x16xf32>
      -> tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<8x4xf32>,
         tensor<2x1x4x16xf32>, tensor<2x1x4x16xf32>
  return
}

// -----

func.func @ssd_scan(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>,
    %init: tensor<1x4x16x8xf32>) {
  // expected-remark @+1 {{operands x,dt,A,B,C,[D],[z],[dt_bias],initial_state; results y,final_state; parameters A,D,dt_bias; gradient ssm.ssd_scan_grad; forward -; saved -; attrs dt_softplus=false; variants phases; cpu chunked,recurrence; gpu chunked,recurrence}}
  %y, %s = ssm.ssd_scan %x, %dt, %A, %B, %C initial_state(%init)
      : (tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x4x16x8xf32>)
      -> (tensor<1x64x4x16xf32>, tensor<1x4x16x8xf32>)
  return
}

// -----

func.func @ssd_scan_grad(%x: tensor<1x64x4x16xf32>, %dt: tensor<1x64x4xf32>,
    %A: tensor<4xf32>, %B: tensor<1x64x1x8xf32>, %C: tensor<1x64x1x8xf32>) {
  // expected-remark @+1 {{operands x,dt,A,B,C,[D],[z],[dt_bias],[initial_state],dy,[d_final_state]; results dx,ddt,dA,dB,dC,[dD],[dz],[ddt_bias],[d_initial_state]; parameters A,D,dt_bias; gradient -; forward ssm.ssd_scan; saved -; attrs dt_softplus=true; variants phases; cpu chunked,recurrence; gpu chunked,recurrence}}
  %dx, %ddt, %dA, %dB, %dC = ssm.ssd_scan_grad %x, %dt, %A, %B, %C, %x {dt_softplus}
      : tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
        tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>, tensor<1x64x4x16xf32>
      -> tensor<1x64x4x16xf32>, tensor<1x64x4xf32>, tensor<4xf32>,
         tensor<1x64x1x8xf32>, tensor<1x64x1x8xf32>
  return
}

// -----

func.func @conv(%x: tensor<2x8x16xf32>, %w: tensor<8x4xf32>, %b: tensor<8xf32>) {
  // expected-remark @+1 {{operands x,weight,bias; results y; parameters weight,bias; gradient ssm.causal_conv1d_grad; forward -; saved -; attrs activation=silu; variants fused,unfused; cpu -; gpu -}}
  %y = ssm.causal_conv1d %x, %w bias(%b) activation silu
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<2x8x16xf32>
  // expected-remark @+1 {{operands x,weight,[bias],dy; results dx,dweight,[dbias]; parameters weight,bias; gradient -; forward ssm.causal_conv1d; saved -; attrs activation=none; variants fused,unfused; cpu -; gpu -}}
  %dx, %dw = ssm.causal_conv1d_grad %x, %w, %x activation none
      : (tensor<2x8x16xf32>, tensor<8x4xf32>, tensor<2x8x16xf32>)
      -> (tensor<2x8x16xf32>, tensor<8x4xf32>)
  return
}

// -----

func.func @norm(%x: tensor<4x64xf32>, %w: tensor<64xf32>, %r: tensor<4x64xf32>) {
  // expected-remark @+1 {{operands x,weight,residual,[z]; results y,residual_out; parameters weight; gradient ssm.rms_norm_grad; forward -; saved -; attrs eps=9.999999747e-06; variants fused,unfused; cpu -; gpu -}}
  %y, %ro = ssm.rms_norm %x, %w residual(%r)
      : (tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>)
      -> (tensor<4x64xf32>, tensor<4x64xf32>)
  // expected-remark @+1 {{operands x,weight,[residual],[z],dy,[d_residual_out]; results dx,dweight,[dresidual],[dz]; parameters weight; gradient -; forward ssm.rms_norm; saved -; attrs eps=1.000000047e-03; variants fused,unfused; cpu -; gpu -}}
  %dx, %dw = ssm.rms_norm_grad %x, %w, %x {eps = 1.0e-3 : f32}
      : tensor<4x64xf32>, tensor<64xf32>, tensor<4x64xf32>
      -> tensor<4x64xf32>, tensor<64xf32>
  return
}
