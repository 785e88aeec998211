//===- SSDScan.cpp - Reference Mamba-2 state space dual scan -------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.ssd_scan`, computed per (batch, head) as the
// plain sequential recurrence (the chunked form is only a lowering choice)
//   s_t[p,n] = exp(dt_t * A[h]) * s_{t-1}[p,n] + dt_t * x_t[p] * B_t[n],
//   y_t[p]   = (sum_n C_t[n] * s_t[p,n] + D[h] * x_t[p]) * silu(z_t[p]).
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <cmath>

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

namespace {
/// Sizes of one SSD problem.
struct SSDDims {
  int64_t batch, len, heads, headDim, state, groups;
  /// The group that head `h` reads B and C from.
  int64_t groupOf(int64_t h) const { return h / (heads / groups); }
  /// Elements of one head's state matrix.
  int64_t stateSize() const { return headDim * state; }
};
} // namespace

/// Validates the operands of `op` and returns the problem sizes.
static SSDDims checkInputs(const std::string &op, const SSDScanInputs &in) {
  checkRank(op, "x", in.x, 4);
  SSDDims s{in.x.shape[0], in.x.shape[1], in.x.shape[2], in.x.shape[3], 0, 0};
  checkShape(op, "dt", in.dt, {s.batch, s.len, s.heads});
  checkShape(op, "A", in.A, {s.heads});
  checkRank(op, "B", in.B, 4);
  s.groups = in.B.shape[2];
  s.state = in.B.shape[3];
  checkGroups(op, "B", 2, s.groups, "H", s.heads);
  checkShape(op, "B", in.B, {s.batch, s.len, s.groups, s.state});
  checkShape(op, "C", in.C, {s.batch, s.len, s.groups, s.state});
  checkOptShape(op, "D", in.D, {s.heads});
  checkOptShape(op, "z", in.z, in.x.shape);
  checkOptShape(op, "dt_bias", in.dtBias, {s.heads});
  checkOptShape(op, "initial_state", in.initialState,
                {s.batch, s.heads, s.headDim, s.state});
  return s;
}

/// The pre-softplus time step of (b, t, h): dt plus the optional bias.
static double rawDt(const SSDScanInputs &in, int64_t b, int64_t t, int64_t h) {
  return in.dt.at(b, t, h) + (in.dtBias ? in.dtBias->at(h) : 0.0);
}

/// The time step of (b, t, h) used by the recurrence.
static double effectiveDt(const SSDScanInputs &in, int64_t b, int64_t t,
                          int64_t h) {
  double v = rawDt(in, b, t, h);
  return in.dtSoftplus ? softplus(v) : v;
}

/// Runs the recurrence of head (b, h) and returns every state: block t (of
/// P * N entries, row-major [p,n]) holds s_{t-1}, so block 0 is the initial
/// state and block L the final state.
static std::vector<double> scanHead(const SSDScanInputs &in, const SSDDims &s,
                                    int64_t b, int64_t h) {
  int64_t g = s.groupOf(h), sz = s.stateSize();
  std::vector<double> ss(static_cast<size_t>((s.len + 1) * sz), 0.0);
  if (in.initialState)
    for (int64_t p = 0; p < s.headDim; ++p)
      for (int64_t n = 0; n < s.state; ++n)
        ss[p * s.state + n] = in.initialState->at(b, h, p, n);
  for (int64_t t = 0; t < s.len; ++t) {
    double dt = effectiveDt(in, b, t, h);
    double decay = std::exp(dt * in.A.at(h));
    for (int64_t p = 0; p < s.headDim; ++p)
      for (int64_t n = 0; n < s.state; ++n) {
        int64_t i = p * s.state + n;
        ss[(t + 1) * sz + i] = decay * ss[t * sz + i] +
                               dt * in.x.at(b, t, h, p) * in.B.at(b, t, g, n);
      }
  }
  return ss;
}

/// The ungated output C_t . s_t[p,:] + D * x_t[p] of head (b, h).
static double ungatedOutput(const SSDScanInputs &in, const SSDDims &s,
                            const std::vector<double> &ss, int64_t b, int64_t t,
                            int64_t h, int64_t p) {
  int64_t g = s.groupOf(h);
  double y = in.D ? in.D->at(h) * in.x.at(b, t, h, p) : 0.0;
  for (int64_t n = 0; n < s.state; ++n)
    y += in.C.at(b, t, g, n) * ss[(t + 1) * s.stateSize() + p * s.state + n];
  return y;
}

SSDScanOutputs ssmrt::ref::ssdScanForward(const SSDScanInputs &in) {
  SSDDims s = checkInputs("ssm.ssd_scan", in);
  SSDScanOutputs out{Tensor(in.x.shape),
                     Tensor({s.batch, s.heads, s.headDim, s.state})};
  for (int64_t b = 0; b < s.batch; ++b) {
    for (int64_t h = 0; h < s.heads; ++h) {
      std::vector<double> ss = scanHead(in, s, b, h);
      for (int64_t t = 0; t < s.len; ++t)
        for (int64_t p = 0; p < s.headDim; ++p) {
          double y = ungatedOutput(in, s, ss, b, t, h, p);
          out.y.at(b, t, h, p) = in.z ? y * silu(in.z->at(b, t, h, p)) : y;
        }
      for (int64_t p = 0; p < s.headDim; ++p)
        for (int64_t n = 0; n < s.state; ++n)
          out.finalState.at(b, h, p, n) =
              ss[s.len * s.stateSize() + p * s.state + n];
    }
  }
  return out;
}

/// Propagates the output gradient of step t of head (b, h) through the gate,
/// the skip term and the C readout: accumulates dz, dD, dx, dC and adds the
/// readout's contribution to the state gradient `gs`.
static void backwardOutput(const SSDScanInputs &in, const SSDDims &s,
                           const std::vector<double> &ss, const Tensor &dy,
                           int64_t b, int64_t t, int64_t h,
                           std::vector<double> &gs, SSDScanGrads &grads) {
  int64_t g = s.groupOf(h), sz = s.stateSize();
  for (int64_t p = 0; p < s.headDim; ++p) {
    double dyc = dy.at(b, t, h, p), x = in.x.at(b, t, h, p);
    if (in.z) {
      double z = in.z->at(b, t, h, p);
      grads.dz->at(b, t, h, p) =
          dyc * ungatedOutput(in, s, ss, b, t, h, p) * siluGrad(z);
      dyc *= silu(z);
    }
    if (in.D) {
      grads.dD->at(h) += dyc * x;
      grads.dx.at(b, t, h, p) += dyc * in.D->at(h);
    }
    for (int64_t n = 0; n < s.state; ++n) {
      int64_t i = p * s.state + n;
      grads.dC.at(b, t, g, n) += dyc * ss[(t + 1) * sz + i];
      gs[i] += dyc * in.C.at(b, t, g, n);
    }
  }
}

/// Propagates the state gradient `gs` (with respect to s_t) through step t of
/// head (b, h) into dt, A, x and B, and leaves in `gs` the gradient with
/// respect to s_{t-1}.
static void backwardStep(const SSDScanInputs &in, const SSDDims &s,
                         const std::vector<double> &ss, int64_t b, int64_t t,
                         int64_t h, std::vector<double> &gs,
                         SSDScanGrads &grads) {
  int64_t g = s.groupOf(h), sz = s.stateSize();
  double dt = effectiveDt(in, b, t, h), a = in.A.at(h);
  double decay = std::exp(dt * a), ddt = 0.0, dDecay = 0.0;
  for (int64_t p = 0; p < s.headDim; ++p) {
    double x = in.x.at(b, t, h, p);
    for (int64_t n = 0; n < s.state; ++n) {
      int64_t i = p * s.state + n;
      double bv = in.B.at(b, t, g, n);
      dDecay += gs[i] * ss[t * sz + i];
      ddt += gs[i] * x * bv;
      grads.dx.at(b, t, h, p) += gs[i] * dt * bv;
      grads.dB.at(b, t, g, n) += gs[i] * dt * x;
      gs[i] *= decay;
    }
  }
  ddt += dDecay * decay * a;
  grads.dA.at(h) += dDecay * decay * dt;
  double dRaw = in.dtSoftplus ? ddt * softplusGrad(rawDt(in, b, t, h)) : ddt;
  grads.ddt.at(b, t, h) = dRaw;
  if (in.dtBias)
    grads.ddtBias->at(h) += dRaw;
}

/// Back-propagates one head (b, h) into `grads`.
static void backwardHead(const SSDScanInputs &in, const SSDDims &s,
                         const Tensor &dy, const OptTensor &dFinalState,
                         int64_t b, int64_t h, SSDScanGrads &grads) {
  std::vector<double> ss = scanHead(in, s, b, h);
  std::vector<double> gs(static_cast<size_t>(s.stateSize()), 0.0);
  if (dFinalState)
    for (int64_t p = 0; p < s.headDim; ++p)
      for (int64_t n = 0; n < s.state; ++n)
        gs[p * s.state + n] = dFinalState->at(b, h, p, n);
  for (int64_t t = s.len - 1; t >= 0; --t) {
    backwardOutput(in, s, ss, dy, b, t, h, gs, grads);
    backwardStep(in, s, ss, b, t, h, gs, grads);
  }
  if (grads.dInitialState)
    for (int64_t p = 0; p < s.headDim; ++p)
      for (int64_t n = 0; n < s.state; ++n)
        grads.dInitialState->at(b, h, p, n) = gs[p * s.state + n];
}

SSDScanGrads ssmrt::ref::ssdScanBackward(const SSDScanInputs &in,
                                         const Tensor &dy,
                                         const OptTensor &dFinalState) {
  const std::string op = "ssm.ssd_scan_grad";
  SSDDims s = checkInputs(op, in);
  checkShape(op, "dy", dy, in.x.shape);
  checkOptShape(op, "d_final_state", dFinalState,
                {s.batch, s.heads, s.headDim, s.state});
  SSDScanGrads grads;
  grads.dx = Tensor(in.x.shape);
  grads.ddt = Tensor(in.dt.shape);
  grads.dA = Tensor(in.A.shape);
  grads.dB = Tensor(in.B.shape);
  grads.dC = Tensor(in.C.shape);
  if (in.D)
    grads.dD = Tensor(in.D->shape);
  if (in.z)
    grads.dz = Tensor(in.z->shape);
  if (in.dtBias)
    grads.ddtBias = Tensor(in.dtBias->shape);
  if (in.initialState)
    grads.dInitialState = Tensor(in.initialState->shape);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.heads; ++h)
      backwardHead(in, s, dy, dFinalState, b, h, grads);
  return grads;
}
