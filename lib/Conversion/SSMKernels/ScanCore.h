//===- ScanCore.h - one scan point, forward and backward --------*- C++ -*-===//
//
// Both scans are, per independent point, a recurrence over L positions of a
// vector of N f32 states with a per-state decay exp(dt * A[n]):
//   Mamba-1: a point is (batch, channel); u and dt are scalars per position.
//   Mamba-2: a point is (batch, head, head-dim p); dt and A are shared by the
//            P points of a head, B and C by the heads of a group.
// `ScanPoint` describes one point through accessors, so one emitter serves
// both ops; gradients that several points share are accumulated.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_LIB_CONVERSION_SSMKERNELS_SCANCORE_H
#define SSM_LIB_CONVERSION_SSMKERNELS_SCANCORE_H

#include "ssm/Conversion/SSMKernels/KernelBuilder.h"

#include <functional>

namespace mlir {
namespace ssm {

struct ScanPoint {
  int64_t length = 0;    // L
  int64_t numStates = 0; // N
  bool softplus = false;

  // Reads (f32). Optional ones are empty when the operand is absent.
  std::function<Value(Value t)> u, delta, z, dy;
  std::function<Value(Value n)> A, initialState, dFinalState;
  /// When set, A is the same for every state (Mamba-2's scalar decay per
  /// head): exp(dt A) is computed once per position, not once per state.
  Value scalarA;
  std::function<Value(Value n, Value t)> B, C;
  Value deltaBias, D; // f32 scalars of this point, or null

  // Forward writes.
  std::function<void(Value t, Value v)> y;
  std::function<void(Value n, Value v)> finalState;

  // Backward writes: plain stores for per-point values, accumulations for
  // values several points share. Empty when the result is absent.
  std::function<void(Value t, Value v)> du, dz, ddelta;
  std::function<void(Value n, Value v)> dA, dInitialState;
  std::function<void(Value n, Value t, Value v)> dB, dC;
  std::function<void(Value v)> dD, dDeltaBias;

  // Storage of the states saved at chunk starts (backward only).
  std::function<Value(Value chunk, Value n)> loadSaved;
  std::function<void(Value chunk, Value n, Value v)> storeSaved;
};

/// The discretisation step at one position: its pre-activation (delta plus
/// bias, when `deltaBias` is set) and its value (after softplus when
/// enabled).
struct ScanStep {
  Value raw;
  Value dt;
};
ScanStep emitScanStep(KernelBuilder &kb, Value delta, Value deltaBias,
                      bool softplus);

/// Where the backward of one state puts its terms (emitStateGradient calls
/// them in this order).
struct StateGradientSinks {
  function_ref<void(Value)> ddt; // g (A decay hPrev + B u): a share of ddt[t]
  function_ref<void(Value)> dA;  // g dt decay hPrev: a share of dA[n]
  function_ref<void(Value)> dB;  // g dt u: dB[n, t] from this point
  function_ref<void(Value)> du;  // g dt B: a share of du[t]
};

/// The backward of state n at position t of the recurrence h[t] = decay
/// h[t-1] + dt B u (decay = exp(dt A)), shared by every lowering of the
/// scans: given g = dLoss/dh[t][n] (the carry from later positions plus
/// dy' C) and hPrev = h[t-1][n], hands each term to its sink and returns
/// g decay, the carry of position t-1.
Value emitStateGradient(KernelBuilder &kb, Value g, Value b, Value u, Value dt,
                        Value dtU, Value A, Value decay, Value hPrev,
                        const StateGradientSinks &sinks);

/// Emits the forward recurrence of one point.
void emitScanForward(KernelBuilder &kb, const ScanPoint &p);

/// Emits the backward of one point: a forward pass saving the state at every
/// chunk start, then for each chunk from the last, a recomputation of its
/// states followed by the reverse walk.
void emitScanBackward(KernelBuilder &kb, const ScanPoint &p, int64_t chunkLen);

} // namespace ssm
} // namespace mlir

#endif
