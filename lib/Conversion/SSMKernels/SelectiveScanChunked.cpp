//===- SelectiveScanChunked.cpp - chunked-parallel scan ---------*- C++ -*-===//
//
// The Mamba-1 selective scan with the sequence split into chunks of Q =
// chunk_len positions, so that a small batch x channels with a long
// sequence still fills the GPU: its long phases have a point per (batch,
// chunk, channel) instead of one per (batch, channel). Per (b, d) and state
// n, with a[t] = exp(dt[t] A[d,n]), x[t] = dt[t] B[n,t] u[t] and the
// recurrence h[t] = a[t] h[t-1] + x[t]:
//
// Forward (three phases):
//   1. chunk ends: each chunk walked from a zero state; its end state e[c]
//      and its total time T[c] = sum of dt over the chunk (its decay is
//      exp(A T[c]), the product of its a[t]).
//   2. passing: S[0] = 0, S[c+1] = exp(A T[c]) S[c] + e[c], a point per
//      (b, d, n) walking the chunks; S[chunks] is last_state.
//   3. output: each chunk walked again from its entering state S[c],
//      writing y (D skip and z gate included).
//
// Backward (three phases). The gradient of h, g[t] = a[t+1] g[t+1] +
// dy'[t] C[t] (dy' the output gradient before the gate; d_last_state at
// the end), runs the other way; G[c] is the carry entering chunk c from its
// right (a[e+1] g[e+1], e its last position). Then G[c-1] = P[c] G[c] +
// R[c], with P[c] = exp(A T[c]) and R[c] = sum over the chunk of
// (prod_{s<=k<=t} a[k]) dy'[t] C[t], what the chunk alone passes on.
//   1. chunk ends: e[c], T[c] and R[c] in one forward walk from zero (R
//      from the running product of the a[t] already computed: no exp).
//   2. passing both ways: S[c] forwards, G[c] backwards.
//   3. chunk gradients: a walk from S[c] saves the state at the start of
//      every row (a private [Q/K, N] buffer); then the rows in reverse,
//      each recomputed from its saved start with its decays kept, and
//      walked backwards from G[c] (emitStateGradient): du, ddelta, dz, and
//      dA, dB, dC, dD, ddelta_bias accumulated.
// exps per (position, state): 2 forward, 3 backward (phase 1 and twice in
// phase 3), as exp2 with A pre-scaled by log2(e) (one MUFU.EX2 on the GPU
// after ssm-gpu-fast-exp2).
//
// Layout, for the GPU's thread per point:
//  - The chunk phases' points are (b, c, g, d in group), the channels of one
//    group innermost: a warp's lanes are neighbouring channels at the same
//    positions, so its B and C loads are one broadcast and dB, dC are summed
//    over the warp (accumulateRowOverInnermost) before one atomic per
//    element. Each point moves its u, delta, z, dy, y, du, ddelta, dz and
//    B, C as rows of K consecutive positions (K, at most 8, divides Q and
//    L, so that rows are aligned and never cross a chunk or the end).
//  - The passing's points are (b, d, n), states innermost: a warp reads
//    two 64-byte segments of the [B, D, chunks, N] scratch per chunk.
//  - In the walks the N states are SSA values (registers), the states
//    unrolled. The backward's last phase holds a row of ten per-position
//    values through its states, so there the states are a loop, with the
//    carry and dA per state in private buffers, next to the row starts
//    (ptxas, B1 D1536 L65536 N16 bf16: 255 registers and spills unrolled,
//    167 and none as a loop).
//
//===----------------------------------------------------------------------===//

#include "ScanCore.h"
#include "ScanKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <numeric>

using namespace mlir;
using namespace mlir::ssm;

/// The largest power of two up to `limit` that divides `n`.
static int64_t largestPow2Divisor(int64_t n, int64_t limit) {
  int64_t size = 1;
  while (size * 2 <= limit && n % (size * 2) == 0)
    size *= 2;
  return size;
}

/// Most positions a point moves as one row.
constexpr int64_t kMaxRow = 8;

/// The positions of the chunk phases' rows: the most, up to kMaxRow, that
/// keep every row aligned and inside one chunk and the sequence.
static int64_t rowLength(int64_t chunk, int64_t length) {
  return largestPow2Divisor(std::gcd(chunk, length), kMaxRow);
}

int64_t mlir::ssm::chunkedParallelGradPrivateBytes(int64_t length,
                                                   int64_t numStates,
                                                   int64_t chunkLen) {
  int64_t chunk = std::min(chunkLen, length);
  return 4 * (chunk / rowLength(chunk, length) + 2) * numStates;
}

namespace {

/// Most chunks whose loads the passing issues together.
constexpr int64_t kPassingGroup = 16;
/// Most states moved as one row of the scratch.
constexpr int64_t kMaxStateRow = 16;
constexpr double kLog2e = 1.4426950408889634;

/// The gradient op's buffers that the chunk gradients write.
struct GradBuffers {
  Value dy, dLast, du, ddelta, dz;
  const SelectiveScanGradAccumulators *acc;
};

/// Operands, sizes and scratch of one chunked-parallel selective scan,
/// forward or gradient.
class ChunkedParallelScan : private SelectiveScanBuffers {
public:
  template <typename OpTy>
  ChunkedParallelScan(OpTy op, const IRMapping &m, ImplicitLocOpBuilder &b,
                      ParallelTarget &target, int64_t chunkLen)
      : SelectiveScanBuffers(op, m), b(b), target(target) {
    chunk = std::min(chunkLen, length);
    numChunks = (length + chunk - 1) / chunk;
    row = rowLength(chunk, length);
    stateRow = largestPow2Divisor(numStates, kMaxStateRow);
    ends = scratch({batch, channels, numChunks, numStates});
    entering = scratch({batch, channels, numChunks, numStates});
    chunkTime = scratch({batch, channels, numChunks});
  }

  /// y and last_state.
  void emitForward(Value y, Value lastState) {
    emitChunkEnds(/*dy=*/Value(), /*chunkGrads=*/Value());
    emitPassing(lastState, Value(), Value(), Value());
    emitOutput(y);
  }

  /// Partial copies the gradient's ordered accumulators need: every
  /// (batch, chunk) point of a channel adds its dA, dD and ddelta_bias once;
  /// dB and dC are summed over the group's channels in warps (where the
  /// target sums neighbouring points, innermostSumWidth) and each warp, or
  /// each channel, adds into its own copy.
  std::pair<int64_t, int64_t> gradSlots() const {
    return {batch * numChunks, (channels / groups) / sumWidth()};
  }

  /// The gradients (accumulated ones into `g.acc`, zero-filled).
  void emitGrad(const GradBuffers &g) {
    Value chunkGrads = scratch({batch, channels, numChunks, numStates});
    Value carries = scratch({batch, channels, numChunks, numStates});
    emitChunkEnds(g.dy, chunkGrads);
    emitPassing(Value(), chunkGrads, g.dLast, carries);
    emitChunkGrads(g, carries);
  }

private:
  /// Neighbouring channels of a group that the target sums together.
  int64_t sumWidth() const {
    return target.innermostSumWidth(channels / groups);
  }

  Value scratch(ArrayRef<int64_t> shape) {
    return memref::AllocOp::create(b, MemRefType::get(shape, b.getF32Type()));
  }
  Value addIndex(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value subIndex(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  /// 2^x (exp(dt A) for x = dt A log2(e)), marked `afn`: one ex2.approx on
  /// the GPU after ssm-gpu-fast-exp2.
  Value exp2(KernelBuilder &kb, Value x) {
    return math::Exp2Op::create(kb.builder(), x, arith::FastMathFlags::afn);
  }

  /// A point of the chunk phases: batch, chunk, group, channel, the chunk's
  /// first position and its number of rows.
  struct ChunkPoint {
    Value bi, c, g, d, dInGroup, start, rows;
  };
  void
  forEachChunk(function_ref<void(KernelBuilder &, const ChunkPoint &)> body);

  /// The step values of the `row` positions from t0.
  struct StepRow {
    Value t0;
    SmallVector<Value> u, raw, dt, dtU;
  };
  StepRow loadSteps(KernelBuilder &kb, const ChunkPoint &pt, Value r,
                    Value bias);
  /// The output gradient of the row at t0: dy, z (if any) and dy' = dy
  /// silu(z), the gradient before the gate.
  struct GradRow {
    SmallVector<Value> dy, z, dyPre;
  };
  GradRow loadGradRow(KernelBuilder &kb, const ChunkPoint &pt, Value t0,
                      Value dy);

  /// A[d, n] log2(e), loaded where it is used (in the loops, so that it
  /// does not hold N registers through them).
  Value scaledA(KernelBuilder &kb, Value d, int64_t n) {
    return kb.mul(kb.load(A, {d, kb.index(n)}), kb.f32(kLog2e));
  }
  /// The N states at memref[prefix..., 0 .. N) as rows.
  SmallVector<Value> loadStates(KernelBuilder &kb, Value memref,
                                ValueRange prefix);
  void storeStates(KernelBuilder &kb, ArrayRef<Value> values, Value memref,
                   ValueRange prefix);

  /// Phase 1: ends, chunkTime and, with `dy`, the chunk carries R into
  /// `chunkGrads`.
  void emitChunkEnds(Value dy, Value chunkGrads);
  /// Phase 2: entering states (and `lastState`), and with `carries` the
  /// gradient carries from `chunkGrads` and `dLast`.
  void emitPassing(Value lastState, Value chunkGrads, Value dLast,
                   Value carries);
  /// Forward phase 3.
  void emitOutput(Value y);
  /// Backward phase 3.
  void emitChunkGrads(const GradBuffers &g, Value carries);

  ImplicitLocOpBuilder &b;
  ParallelTarget &target;
  int64_t chunk, numChunks, row, stateRow;
  Value ends;      // [b,d,chunks,N] each chunk's end state from zero
  Value entering;  // [b,d,chunks,N] the state entering each chunk
  Value chunkTime; // [b,d,chunks] the sum of dt over each chunk
};
} // namespace

void ChunkedParallelScan::forEachChunk(
    function_ref<void(KernelBuilder &, const ChunkPoint &)> body) {
  int64_t perGroup = channels / groups;
  target.parallelFor(b, {batch, numChunks, groups, perGroup},
                     [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
                       KernelBuilder kb(ib, target);
                       ChunkPoint pt;
                       pt.bi = iv[0];
                       pt.c = iv[1];
                       pt.g = iv[2];
                       pt.dInGroup = iv[3];
                       pt.d = addIndex(kb.mulIndex(iv[2], perGroup), iv[3]);
                       pt.start = kb.mulIndex(pt.c, chunk);
                       Value len =
                           kb.minIndex(kb.subIndex(length, pt.start), chunk);
                       pt.rows = kb.divIndex(len, row);
                       body(kb, pt);
                     });
}

ChunkedParallelScan::StepRow
ChunkedParallelScan::loadSteps(KernelBuilder &kb, const ChunkPoint &pt, Value r,
                               Value bias) {
  StepRow s;
  s.t0 = addIndex(pt.start, kb.mulIndex(r, row));
  s.u = kb.loadRow(u, {pt.bi, pt.d, s.t0}, row);
  SmallVector<Value> raw = kb.loadRow(delta, {pt.bi, pt.d, s.t0}, row);
  for (int64_t i = 0; i < row; ++i) {
    ScanStep step = emitScanStep(kb, raw[i], bias, softplus);
    s.raw.push_back(step.raw);
    s.dt.push_back(step.dt);
    s.dtU.push_back(kb.mul(step.dt, s.u[i]));
  }
  return s;
}

ChunkedParallelScan::GradRow
ChunkedParallelScan::loadGradRow(KernelBuilder &kb, const ChunkPoint &pt,
                                 Value t0, Value dy) {
  GradRow gr;
  gr.dy = kb.loadRow(dy, {pt.bi, pt.d, t0}, row);
  gr.dyPre = gr.dy;
  if (z) {
    gr.z = kb.loadRow(z, {pt.bi, pt.d, t0}, row);
    for (int64_t i = 0; i < row; ++i)
      gr.dyPre[i] = kb.mul(gr.dy[i], kb.silu(gr.z[i]));
  }
  return gr;
}

SmallVector<Value> ChunkedParallelScan::loadStates(KernelBuilder &kb,
                                                   Value memref,
                                                   ValueRange prefix) {
  SmallVector<Value> values;
  SmallVector<Value> at(prefix);
  at.push_back(Value());
  for (int64_t n0 = 0; n0 < numStates; n0 += stateRow) {
    at.back() = kb.index(n0);
    llvm::append_range(values, kb.loadRow(memref, at, stateRow));
  }
  return values;
}

void ChunkedParallelScan::storeStates(KernelBuilder &kb, ArrayRef<Value> values,
                                      Value memref, ValueRange prefix) {
  SmallVector<Value> at(prefix);
  at.push_back(Value());
  for (int64_t n0 = 0; n0 < numStates; n0 += stateRow) {
    at.back() = kb.index(n0);
    kb.storeRow(values.slice(n0, stateRow), memref, at);
  }
}

void ChunkedParallelScan::emitChunkEnds(Value dy, Value chunkGrads) {
  const int64_t N = numStates;
  const bool grad = static_cast<bool>(dy);
  forEachChunk([&](KernelBuilder &kb, const ChunkPoint &pt) {
    Value bias = deltaBias ? kb.load(deltaBias, {pt.d}) : Value();
    // Carried: the states, the chunk's time and, for the gradient, the
    // running product of the decays and the chunk carry R.
    SmallVector<Value> init(N, kb.f32(0.0));
    init.push_back(kb.f32(0.0));
    if (grad) {
      init.append(N, kb.f32(1.0));
      init.append(N, kb.f32(0.0));
    }
    SmallVector<Value> out = kb.forRangeCarry(
        kb.index(0), pt.rows, init,
        [&](Value r, ValueRange carried) -> SmallVector<Value> {
          SmallVector<Value> next(carried);
          MutableArrayRef<Value> h(next.data(), N);
          Value &time = next[N];
          MutableArrayRef<Value> prod, acc;
          if (grad) {
            prod = MutableArrayRef<Value>(next.data() + N + 1, N);
            acc = MutableArrayRef<Value>(next.data() + 2 * N + 1, N);
          }
          StepRow s = loadSteps(kb, pt, r, bias);
          for (int64_t i = 0; i < row; ++i)
            time = kb.add(time, s.dt[i]);
          GradRow gr;
          if (grad)
            gr = loadGradRow(kb, pt, s.t0, dy);
          for (int64_t n = 0; n < N; ++n) {
            Value rate = scaledA(kb, pt.d, n);
            SmallVector<Value> at = {pt.bi, pt.g, kb.index(n), s.t0};
            SmallVector<Value> bRow = kb.loadRow(B, at, row);
            SmallVector<Value> cRow;
            if (grad)
              cRow = kb.loadRow(C, at, row);
            for (int64_t i = 0; i < row; ++i) {
              Value a = exp2(kb, kb.mul(s.dt[i], rate));
              h[n] = kb.add(kb.mul(a, h[n]), kb.mul(s.dtU[i], bRow[i]));
              if (grad) {
                prod[n] = kb.mul(prod[n], a);
                acc[n] = kb.add(acc[n],
                                kb.mul(prod[n], kb.mul(gr.dyPre[i], cRow[i])));
              }
            }
          }
          return next;
        });
    SmallVector<Value> at = {pt.bi, pt.d, pt.c};
    storeStates(kb, ArrayRef<Value>(out).take_front(N), ends, at);
    kb.store(out[N], chunkTime, at);
    if (grad)
      storeStates(kb, ArrayRef<Value>(out).take_back(N), chunkGrads, at);
  });
}

void ChunkedParallelScan::emitPassing(Value lastState, Value chunkGrads,
                                      Value dLast, Value carries) {
  // The chunks go in groups whose loads (and decays) come before the
  // group's steps: the compiler cannot move a load above the previous
  // step's store (the buffers may alias for all it knows), so one chunk at
  // a time would wait a memory latency per chunk. Groups of kPassingGroup,
  // then the rest as one group.
  const int64_t group = std::min(kPassingGroup, numChunks);
  const int64_t fullGroups = numChunks / group, rest = numChunks % group;
  target.parallelFor(
      b, {batch, channels, numStates},
      [&](ImplicitLocOpBuilder &ib, ValueRange iv) {
        KernelBuilder kb(ib, target);
        Value bi = iv[0], d = iv[1], n = iv[2];
        Value scaledA = kb.mul(kb.load(A, {d, n}), kb.f32(kLog2e));
        // The `size` chunks from the `first`-th (counted from the last one
        // with `reverse`): value -> decay[c] value + own[c], storing each
        // chunk's entering value in `out`.
        auto passGroup = [&](Value first, int64_t size, Value value, Value own,
                             Value out, bool reverse) {
          SmallVector<Value> cs, decays, owns;
          for (int64_t j = 0; j < size; ++j) {
            Value c = kb.addIndex(first, j);
            if (reverse)
              c = kb.subIndex(numChunks - 1, c);
            cs.push_back(c);
            decays.push_back(
                exp2(kb, kb.mul(kb.load(chunkTime, {bi, d, c}), scaledA)));
            owns.push_back(kb.load(own, {bi, d, c, n}));
          }
          for (int64_t j = 0; j < size; ++j) {
            kb.store(value, out, {bi, d, cs[j], n});
            value = kb.add(kb.mul(decays[j], value), owns[j]);
          }
          return value;
        };
        auto pass = [&](Value init, Value own, Value out, bool reverse) {
          Value value =
              kb.forRangeCarry(
                    kb.index(0), kb.index(fullGroups), {init},
                    [&](Value gi, ValueRange carried) -> SmallVector<Value> {
                      return {passGroup(kb.mulIndex(gi, group), group,
                                        carried[0], own, out, reverse)};
                    })
                  .front();
          if (rest)
            value = passGroup(kb.index(fullGroups * group), rest, value, own,
                              out, reverse);
          return value;
        };
        Value final = pass(kb.f32(0.0), ends, entering, /*reverse=*/false);
        if (lastState)
          kb.store(final, lastState, {bi, d, n});
        if (carries)
          pass(dLast ? kb.load(dLast, {bi, d, n}) : kb.f32(0.0), chunkGrads,
               carries, /*reverse=*/true);
      });
}

void ChunkedParallelScan::emitOutput(Value y) {
  forEachChunk([&](KernelBuilder &kb, const ChunkPoint &pt) {
    Value bias = deltaBias ? kb.load(deltaBias, {pt.d}) : Value();
    Value skip = D ? kb.load(D, {pt.d}) : Value();
    SmallVector<Value> h0 = loadStates(kb, entering, {pt.bi, pt.d, pt.c});
    kb.forRangeCarry(
        kb.index(0), pt.rows, h0,
        [&](Value r, ValueRange carried) -> SmallVector<Value> {
          SmallVector<Value> h(carried);
          StepRow s = loadSteps(kb, pt, r, bias);
          SmallVector<Value> out;
          for (int64_t i = 0; i < row; ++i)
            out.push_back(skip ? kb.mul(skip, s.u[i]) : kb.f32(0.0));
          for (int64_t n = 0; n < numStates; ++n) {
            Value rate = scaledA(kb, pt.d, n);
            SmallVector<Value> at = {pt.bi, pt.g, kb.index(n), s.t0};
            SmallVector<Value> bRow = kb.loadRow(B, at, row);
            SmallVector<Value> cRow = kb.loadRow(C, at, row);
            for (int64_t i = 0; i < row; ++i) {
              Value a = exp2(kb, kb.mul(s.dt[i], rate));
              h[n] = kb.add(kb.mul(a, h[n]), kb.mul(s.dtU[i], bRow[i]));
              out[i] = kb.add(out[i], kb.mul(cRow[i], h[n]));
            }
          }
          if (z) {
            SmallVector<Value> zRow = kb.loadRow(z, {pt.bi, pt.d, s.t0}, row);
            for (int64_t i = 0; i < row; ++i)
              out[i] = kb.mul(out[i], kb.silu(zRow[i]));
          }
          kb.storeRow(out, y, {pt.bi, pt.d, s.t0});
          return h;
        });
  });
}

void ChunkedParallelScan::emitChunkGrads(const GradBuffers &g, Value carries) {
  const int64_t N = numStates;
  const SelectiveScanGradAccumulators &acc = *g.acc;
  forEachChunk([&](KernelBuilder &kb, const ChunkPoint &pt) {
    Value bias = deltaBias ? kb.load(deltaBias, {pt.d}) : Value();
    Value skip = D ? kb.load(D, {pt.d}) : Value();
    SmallVector<Value> chunkAt = {pt.bi, pt.d, pt.c};
    // Ordered slots (see gradSlots): a channel's (batch, chunk) for its own
    // gradients; for dB and dC, the group of channels summed together.
    Value channelSlot = addIndex(kb.mulIndex(pt.bi, numChunks), pt.c);
    Value sharedSlot = kb.divIndex(pt.dInGroup, sumWidth());
    // The state at the start of every row, walking from the entering one
    // (the last row's is all the walk needs, not its end).
    Value saved = kb.privateBuffer({chunk / row, N});
    Value lastRow = kb.addIndex(pt.rows, -1);
    SmallVector<Value> hLast = kb.forRangeCarry(
        kb.index(0), lastRow, loadStates(kb, entering, chunkAt),
        [&](Value r, ValueRange carried) -> SmallVector<Value> {
          SmallVector<Value> h(carried);
          for (int64_t n = 0; n < N; ++n)
            kb.store(h[n], saved, {r, kb.index(n)});
          StepRow s = loadSteps(kb, pt, r, bias);
          for (int64_t n = 0; n < N; ++n) {
            Value rate = scaledA(kb, pt.d, n);
            SmallVector<Value> bRow =
                kb.loadRow(B, {pt.bi, pt.g, kb.index(n), s.t0}, row);
            for (int64_t i = 0; i < row; ++i) {
              Value a = exp2(kb, kb.mul(s.dt[i], rate));
              h[n] = kb.add(kb.mul(a, h[n]), kb.mul(s.dtU[i], bRow[i]));
            }
          }
          return h;
        });
    for (int64_t n = 0; n < N; ++n)
      kb.store(hLast[n], saved, {lastRow, kb.index(n)});

    // The rows from the last, the gradient carried from the chunk's right.
    // Per state, the carry and dA live in private buffers and the states
    // are a loop: its body already holds a row of every per-position value,
    // and N copies of it would not fit in registers.
    Value carry = kb.privateBuffer({N}), dA = kb.privateBuffer({N});
    SmallVector<Value> carryIn = loadStates(kb, carries, chunkAt);
    for (int64_t n = 0; n < N; ++n) {
      kb.store(carryIn[n], carry, {kb.index(n)});
      kb.store(kb.f32(0.0), dA, {kb.index(n)});
    }
    // Carried over the rows: the sums for dD and ddelta_bias.
    SmallVector<Value> sums = kb.forRangeCarry(
        kb.index(0), pt.rows, {kb.f32(0.0), kb.f32(0.0)},
        [&](Value i, ValueRange carried) -> SmallVector<Value> {
          Value dDSum = carried[0], biasSum = carried[1];
          Value r = subIndex(lastRow, i);
          StepRow s = loadSteps(kb, pt, r, bias);
          GradRow gr = loadGradRow(kb, pt, s.t0, g.dy);
          // Per position: ddt, du and (for dz) the output before the gate,
          // summed over the states; the factors that turn the output into
          // dz and ddt into ddelta, formed first so that dy, z and the raw
          // steps need no registers through the states.
          SmallVector<Value> init, dzScale, ddtScale;
          for (int64_t k = 0; k < row; ++k) {
            init.push_back(kb.f32(0.0)); // ddt
            init.push_back(skip ? kb.mul(gr.dyPre[k], skip)
                                : kb.f32(0.0)); // du
            if (z) {
              init.push_back(skip ? kb.mul(skip, s.u[k]) : kb.f32(0.0));
              dzScale.push_back(kb.mul(gr.dy[k], kb.siluGrad(gr.z[k])));
            }
            if (softplus)
              ddtScale.push_back(kb.sigmoid(s.raw[k]));
            if (D)
              dDSum = kb.add(dDSum, kb.mul(gr.dyPre[k], s.u[k]));
          }
          const int64_t perPosition = z ? 3 : 2;
          SmallVector<Value> perPos = kb.forRangeCarry(
              kb.index(0), kb.index(N), init,
              [&](Value n, ValueRange carriedPos) -> SmallVector<Value> {
                SmallVector<Value> next(carriedPos);
                auto ddt = [&](int64_t k) -> Value & {
                  return next[k * perPosition];
                };
                auto du = [&](int64_t k) -> Value & {
                  return next[k * perPosition + 1];
                };
                auto pre = [&](int64_t k) -> Value & {
                  return next[k * perPosition + 2];
                };
                Value an = kb.load(A, {pt.d, n});
                Value rate = kb.mul(an, kb.f32(kLog2e));
                SmallVector<Value> at = {pt.bi, pt.g, n, s.t0};
                SmallVector<Value> bRow = kb.loadRow(B, at, row);
                SmallVector<Value> cRow = kb.loadRow(C, at, row);
                // The row's states, recomputed from its start; hs[k] is
                // the state before position k.
                SmallVector<Value> decay, hs = {kb.load(saved, {r, n})};
                SmallVector<Value> dC;
                for (int64_t k = 0; k < row; ++k) {
                  decay.push_back(exp2(kb, kb.mul(s.dt[k], rate)));
                  hs.push_back(kb.add(kb.mul(decay[k], hs[k]),
                                      kb.mul(s.dtU[k], bRow[k])));
                  if (z)
                    pre(k) = kb.add(pre(k), kb.mul(cRow[k], hs[k + 1]));
                  dC.push_back(kb.mul(gr.dyPre[k], hs[k + 1]));
                }
                kb.accumulateRowOverInnermost(dC, acc.dC, at, sharedSlot);
                Value carried = kb.load(carry, {n});
                Value dASum = kb.load(dA, {n});
                SmallVector<Value> dB(row);
                for (int64_t k = row - 1; k >= 0; --k) {
                  Value gk = kb.add(carried, kb.mul(gr.dyPre[k], cRow[k]));
                  auto ddtSink = [&](Value v) { ddt(k) = kb.add(ddt(k), v); };
                  auto dASink = [&](Value v) { dASum = kb.add(dASum, v); };
                  auto dBSink = [&](Value v) { dB[k] = v; };
                  auto duSink = [&](Value v) { du(k) = kb.add(du(k), v); };
                  StateGradientSinks sinks{ddtSink, dASink, dBSink, duSink};
                  carried =
                      emitStateGradient(kb, gk, bRow[k], s.u[k], s.dt[k],
                                        s.dtU[k], an, decay[k], hs[k], sinks);
                }
                kb.store(carried, carry, {n});
                kb.store(dASum, dA, {n});
                kb.accumulateRowOverInnermost(dB, acc.dB, at, sharedSlot);
                return next;
              });
          SmallVector<Value> rowAt = {pt.bi, pt.d, s.t0};
          SmallVector<Value> ddt, du, dz;
          for (int64_t k = 0; k < row; ++k) {
            ddt.push_back(perPos[k * perPosition]);
            du.push_back(perPos[k * perPosition + 1]);
            if (z)
              dz.push_back(kb.mul(perPos[k * perPosition + 2], dzScale[k]));
            if (softplus)
              ddt[k] = kb.mul(ddt[k], ddtScale[k]);
            if (deltaBias)
              biasSum = kb.add(biasSum, ddt[k]);
          }
          if (z)
            kb.storeRow(dz, g.dz, rowAt);
          kb.storeRow(ddt, g.ddelta, rowAt);
          kb.storeRow(du, g.du, rowAt);
          return {dDSum, biasSum};
        });
    kb.forRange(0, N, [&](Value n) {
      kb.accumulate(acc.dA, kb.load(dA, {n}), {pt.d, n}, channelSlot);
    });
    if (acc.dD.result)
      kb.accumulate(acc.dD, sums[0], {pt.d}, channelSlot);
    if (acc.dDeltaBias.result)
      kb.accumulate(acc.dDeltaBias, sums[1], {pt.d}, channelSlot);
  });
}

void mlir::ssm::emitSelectiveScanChunkedParallel(SelectiveScanOp op,
                                                 const IRMapping &buffers,
                                                 ImplicitLocOpBuilder &b,
                                                 ParallelTarget &target,
                                                 const KernelOptions &options) {
  ChunkedParallelScan scan(op, buffers, b, target, options.chunkLen);
  scan.emitForward(buffers.lookup(op.getY()),
                   buffers.lookup(op.getLastState()));
}

void mlir::ssm::emitSelectiveScanGradChunkedParallel(
    SelectiveScanGradOp op, const IRMapping &buffers, ImplicitLocOpBuilder &b,
    ParallelTarget &target, const KernelOptions &options) {
  KernelBuilder outer(b, target);
  ChunkedParallelScan scan(op, buffers, b, target, options.chunkLen);
  auto [channelSlots, sharedSlots] = scan.gradSlots();
  SelectiveScanGradAccumulators acc(outer, op, buffers, channelSlots,
                                    sharedSlots);
  GradBuffers g;
  g.dy = buffers.lookup(op.getDy());
  g.dLast = buffers.lookupOrNull(op.getDLastState());
  g.du = buffers.lookup(op.getDu());
  g.ddelta = buffers.lookup(op.getDdelta());
  g.dz = buffers.lookupOrNull(op.getDz());
  g.acc = &acc;
  scan.emitGrad(g);
  acc.finish(outer);
}
