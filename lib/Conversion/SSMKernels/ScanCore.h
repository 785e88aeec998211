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

/// Emits the forward recurrence of one point.
void emitScanForward(KernelBuilder &kb, const ScanPoint &p);

/// Emits the backward of one point: a forward pass saving the state at every
/// chunk start, then for each chunk from the last, a recomputation of its
/// states followed by the reverse walk.
void emitScanBackward(KernelBuilder &kb, const ScanPoint &p, int64_t chunkLen);

} // namespace ssm
} // namespace mlir

#endif
