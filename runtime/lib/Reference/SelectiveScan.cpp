//===- SelectiveScan.cpp - Reference Mamba-1 selective scan --------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Forward and backward of `ssm.selective_scan`, computed per (batch, channel)
// as the plain sequential recurrence
//   h_t = exp(dt_t * A[d,:]) * h_{t-1} + dt_t * B_t * u_t,
//   y_t = (C_t . h_t + D[d] * u_t) * silu(z_t).
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

#include <cmath>

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

namespace {
/// Sizes of one selective scan problem.
struct ScanDims {
  int64_t batch, dim, len, state, groups;
  /// The group that channel `d` reads B and C from.
  int64_t groupOf(int64_t d) const { return d / (dim / groups); }
};
} // namespace

/// Validates the operands of `op` and returns the problem sizes.
static ScanDims checkInputs(const std::string &op,
                            const SelectiveScanInputs &in) {
  checkRank(op, "u", in.u, 3);
  ScanDims s{in.u.shape[0], in.u.shape[1], in.u.shape[2], 0, 0};
  checkShape(op, "delta", in.delta, {s.batch, s.dim, s.len});
  checkRank(op, "A", in.A, 2);
  s.state = in.A.shape[1];
  checkShape(op, "A", in.A, {s.dim, s.state});
  checkRank(op, "B", in.B, 4);
  s.groups = in.B.shape[1];
  checkGroups(op, "B", 1, s.groups, "D", s.dim);
  checkShape(op, "B", in.B, {s.batch, s.groups, s.state, s.len});
  checkShape(op, "C", in.C, {s.batch, s.groups, s.state, s.len});
  checkOptShape(op, "D", in.D, {s.dim});
  checkOptShape(op, "z", in.z, {s.batch, s.dim, s.len});
  checkOptShape(op, "delta_bias", in.deltaBias, {s.dim});
  return s;
}

/// The pre-softplus time step of (b, d, t): delta plus the optional bias.
static double rawDt(const SelectiveScanInputs &in, int64_t b, int64_t d,
                    int64_t t) {
  return in.delta.at(b, d, t) + (in.deltaBias ? in.deltaBias->at(d) : 0.0);
}

/// The time step of (b, d, t) used by the recurrence.
static double effectiveDt(const SelectiveScanInputs &in, int64_t b, int64_t d,
                          int64_t t) {
  double v = rawDt(in, b, d, t);
  return in.deltaSoftplus ? softplus(v) : v;
}

/// Runs the recurrence of channel (b, d) and returns every state: entry
/// t * N + n holds h_{t-1}[n], so row 0 is the zero initial state and row L
/// the last state.
static std::vector<double> scanChannel(const SelectiveScanInputs &in,
                                       const ScanDims &s, int64_t b,
                                       int64_t d) {
  int64_t g = s.groupOf(d);
  std::vector<double> hs(static_cast<size_t>((s.len + 1) * s.state), 0.0);
  for (int64_t t = 0; t < s.len; ++t) {
    double dt = effectiveDt(in, b, d, t);
    double u = in.u.at(b, d, t);
    for (int64_t n = 0; n < s.state; ++n) {
      double decay = std::exp(dt * in.A.at(d, n));
      hs[(t + 1) * s.state + n] =
          decay * hs[t * s.state + n] + dt * in.B.at(b, g, n, t) * u;
    }
  }
  return hs;
}

/// The ungated output C_t . h_t + D * u_t of channel (b, d) at step t.
static double ungatedOutput(const SelectiveScanInputs &in, const ScanDims &s,
                            const std::vector<double> &hs, int64_t b, int64_t d,
                            int64_t t) {
  int64_t g = s.groupOf(d);
  double y = in.D ? in.D->at(d) * in.u.at(b, d, t) : 0.0;
  for (int64_t n = 0; n < s.state; ++n)
    y += in.C.at(b, g, n, t) * hs[(t + 1) * s.state + n];
  return y;
}

SelectiveScanOutputs
ssmrt::ref::selectiveScanForward(const SelectiveScanInputs &in) {
  ScanDims s = checkInputs("ssm.selective_scan", in);
  SelectiveScanOutputs out{Tensor({s.batch, s.dim, s.len}),
                           Tensor({s.batch, s.dim, s.state})};
  for (int64_t b = 0; b < s.batch; ++b) {
    for (int64_t d = 0; d < s.dim; ++d) {
      std::vector<double> hs = scanChannel(in, s, b, d);
      for (int64_t t = 0; t < s.len; ++t) {
        double y = ungatedOutput(in, s, hs, b, d, t);
        out.y.at(b, d, t) = in.z ? y * silu(in.z->at(b, d, t)) : y;
      }
      for (int64_t n = 0; n < s.state; ++n)
        out.lastState.at(b, d, n) = hs[s.len * s.state + n];
    }
  }
  return out;
}

/// Back-propagates one channel (b, d) into `grads`, walking time backwards
/// with `gh` holding the loss gradient with respect to the current state.
static void backwardChannel(const SelectiveScanInputs &in, const ScanDims &s,
                            const Tensor &dy, const OptTensor &dLastState,
                            int64_t b, int64_t d, SelectiveScanGrads &grads) {
  int64_t g = s.groupOf(d);
  std::vector<double> hs = scanChannel(in, s, b, d);
  std::vector<double> gh(static_cast<size_t>(s.state), 0.0);
  if (dLastState)
    for (int64_t n = 0; n < s.state; ++n)
      gh[n] = dLastState->at(b, d, n);
  for (int64_t t = s.len - 1; t >= 0; --t) {
    double u = in.u.at(b, d, t), dt = effectiveDt(in, b, d, t);
    double dyc = dy.at(b, d, t);
    if (in.z) {
      double z = in.z->at(b, d, t);
      grads.dz->at(b, d, t) =
          dyc * ungatedOutput(in, s, hs, b, d, t) * siluGrad(z);
      dyc *= silu(z);
    }
    double du = 0.0, ddt = 0.0;
    if (in.D) {
      grads.dD->at(d) += dyc * u;
      du += dyc * in.D->at(d);
    }
    for (int64_t n = 0; n < s.state; ++n) {
      grads.dC.at(b, g, n, t) += dyc * hs[(t + 1) * s.state + n];
      gh[n] += dyc * in.C.at(b, g, n, t);
      double a = in.A.at(d, n), decay = std::exp(dt * a);
      double hPrev = hs[t * s.state + n], bv = in.B.at(b, g, n, t);
      ddt += gh[n] * (a * decay * hPrev + bv * u);
      grads.dA.at(d, n) += gh[n] * dt * decay * hPrev;
      grads.dB.at(b, g, n, t) += gh[n] * dt * u;
      du += gh[n] * dt * bv;
      gh[n] *= decay;
    }
    grads.du.at(b, d, t) = du;
    double dRaw =
        in.deltaSoftplus ? ddt * softplusGrad(rawDt(in, b, d, t)) : ddt;
    grads.ddelta.at(b, d, t) = dRaw;
    if (in.deltaBias)
      grads.ddeltaBias->at(d) += dRaw;
  }
}

SelectiveScanGrads
ssmrt::ref::selectiveScanBackward(const SelectiveScanInputs &in,
                                  const Tensor &dy,
                                  const OptTensor &dLastState) {
  const std::string op = "ssm.selective_scan_grad";
  ScanDims s = checkInputs(op, in);
  checkShape(op, "dy", dy, {s.batch, s.dim, s.len});
  checkOptShape(op, "d_last_state", dLastState, {s.batch, s.dim, s.state});
  SelectiveScanGrads grads;
  grads.du = Tensor(in.u.shape);
  grads.ddelta = Tensor(in.delta.shape);
  grads.dA = Tensor(in.A.shape);
  grads.dB = Tensor(in.B.shape);
  grads.dC = Tensor(in.C.shape);
  if (in.D)
    grads.dD = Tensor(in.D->shape);
  if (in.z)
    grads.dz = Tensor(in.z->shape);
  if (in.deltaBias)
    grads.ddeltaBias = Tensor(in.deltaBias->shape);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t d = 0; d < s.dim; ++d)
      backwardChannel(in, s, dy, dLastState, b, d, grads);
  return grads;
}
