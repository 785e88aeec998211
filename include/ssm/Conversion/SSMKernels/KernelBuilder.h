//===- KernelBuilder.h - building blocks of the ssm kernels -----*- C++ -*-===//
//
// The loop bodies of the ssm kernels are the same on every target; what
// differs is how the parallel iteration space is mapped (nested scf.for on
// the CPU, threads of a gpu.launch on the GPU) and whether accumulations
// into shared buffers must be atomic. `ParallelTarget` captures that
// difference, `KernelBuilder` the scalar f32 arithmetic every body uses.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_CONVERSION_SSMKERNELS_KERNELBUILDER_H
#define SSM_CONVERSION_SSMKERNELS_KERNELBUILDER_H

#include "ssm/IR/SSMAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace mlir {
namespace ssm {

/// How a kernel's parallel iteration space and its shared accumulations are
/// realised on one target.
class ParallelTarget {
public:
  using BodyFn = function_ref<void(ImplicitLocOpBuilder &, ValueRange)>;
  virtual ~ParallelTarget() = default;

  /// Builds the iteration space `bounds` (each point independent) and calls
  /// `body` once per point with its induction values.
  virtual void parallelFor(ImplicitLocOpBuilder &b, ArrayRef<int64_t> bounds,
                           BodyFn body) = 0;

  /// True when different points may accumulate into one element at the same
  /// time, so accumulation must be atomic.
  virtual bool concurrentPoints() const = 0;

  /// The block whose start holds the private buffers of a point built at
  /// `b`'s insertion point: the point's own body by default (a GPU thread's
  /// registers or local memory); targets whose points run one after the
  /// other may share one set of buffers between all points.
  virtual Block *privateBufferBlock(ImplicitLocOpBuilder &b) {
    return b.getInsertionBlock();
  }

  /// Emits memref[indices] += value summed over the points of the enclosing
  /// parallelFor that differ only in its innermost index, when the target
  /// can sum those points' values cheaply before the one accumulation (a
  /// warp's lanes); returns false (emitting nothing) otherwise. `indices`
  /// must not depend on the innermost index and every such point must
  /// reach the call (uniform control flow).
  /// With `atomic` false the one addition is a plain load and store: the
  /// caller guarantees that no other group of points adds into the element
  /// at the same time.
  virtual bool accumulateOverInnermost(ImplicitLocOpBuilder &b, Value value,
                                       Value memref, ValueRange indices,
                                       bool atomic = true) {
    return false;
  }

  /// accumulateOverInnermost for a row: memref[indices..., last + i] +=
  /// values[i] for i < values.size() (a power of two up to 32), each summed
  /// over the points that differ only in the innermost index; returns false
  /// (emitting nothing) when the target cannot sum them.
  virtual bool accumulateRowOverInnermost(ImplicitLocOpBuilder &b,
                                          ArrayRef<Value> values, Value memref,
                                          ValueRange indices,
                                          bool atomic = true) {
    return false;
  }

  /// How many neighbouring points (along the innermost index, whose bound
  /// is `innermostBound`) accumulateOverInnermost and
  /// accumulateRowOverInnermost (rows of a power of two up to 32) sum
  /// together before their one addition: 1 where the target does not sum
  /// them. Ordered accumulators size their slots by it.
  virtual int64_t innermostSumWidth(int64_t innermostBound) const { return 1; }

  /// How many neighbouring points of a parallelFor whose innermost bound is
  /// this count cooperate on one row (forEachRow): a warp's 32 lanes on the
  /// GPU, whose loads of consecutive elements then coalesce and whose
  /// partial results combine through shuffles; 1 where points run one
  /// after another.
  virtual int64_t rowLanes() const { return 1; }

  /// `value` combined over the points that share a row (see rowLanes):
  /// their sum, or their maximum; every one of them gets the result.
  /// Uniform control flow required.
  virtual Value combineRowLanes(ImplicitLocOpBuilder &b, Value value,
                                bool maximum) {
    return value;
  }

  /// Whether the op being lowered asked for shared gradients reduced in a
  /// fixed order (#ssm.lowering's `deterministic`); set around each op.
  bool orderedReductions() const { return ordered; }
  void setOrderedReductions(bool value) { ordered = value; }

  /// True when a point should move a row of consecutive elements as one
  /// vector access (a GPU thread: one wide load instead of several).
  virtual bool vectorRows() const { return false; }

  /// Called before the kernels of `op` are emitted, with the op's lowering
  /// (a GPU target takes its threads per block from it).
  virtual void beginOp(Operation *op, LoweringAttr lowering) {}

  /// Called after the kernels of `op` are emitted; `created` are the
  /// top-level ops they were built as (a GPU target names the launches
  /// among them and records which lowering each comes from).
  virtual void endOp(Operation *op, LoweringAttr lowering,
                     ArrayRef<Operation *> created) {}

private:
  bool ordered = false;
};

class KernelBuilder;

/// The share of one row of `width` elements that a point of forEachRow
/// owns: elements lane, lane + lanes, lane + 2 lanes, ...
struct RowShare {
  Value lane;
  int64_t lanes;
  int64_t width;
};

/// A gradient buffer that several points accumulate into.
///  - Atomic: one f32 buffer (a zero-filled scratch when the result is not
///    f32, else the result itself); points add into it, atomically where
///    they run concurrently. The order of the additions, and so the bits of
///    the sum, may change from run to run.
///  - Ordered (the op asked for deterministic reductions on a target whose
///    points run concurrently): `slots` zero-filled f32 partial copies
///    [slots, shape...]. Each point adds into the copy its slot names with
///    a plain load and store; the emitter picks slots such that points that
///    may run at the same time never add into the same element of one copy.
///    finishAccumulator sums the copies in a fixed order (a tree of
///    kSlotFanIn-wide sums), so the result has the same bits on every run.
/// On a target whose points run one after the other both are plain adds
/// into one buffer, in program order.
struct Accumulator {
  Value result;
  Value scratch;
  /// Partial copies of an ordered accumulator (0: not ordered).
  int64_t slots = 0;

  Value target() const { return scratch ? scratch : result; }
  bool ordered() const { return slots > 0; }
};

/// Scalar f32 arithmetic and typed memory access for kernel bodies. Loads
/// widen bf16/f16 to f32 and stores narrow back, so that every kernel
/// computes and accumulates in f32 whatever the storage type.
class KernelBuilder {
public:
  /// Private buffers are created at the start of the target's private
  /// buffer block for the point being built, so that buffers asked for
  /// inside loops are allocated once.
  KernelBuilder(ImplicitLocOpBuilder &b, ParallelTarget &target)
      : b(b), target(target), allocaBlock(target.privateBufferBlock(b)) {}

  ImplicitLocOpBuilder &builder() { return b; }
  ParallelTarget &parallel() { return target; }

  Value index(int64_t value);
  Value f32(double value);

  Value load(Value memref, ValueRange indices);
  void store(Value value, Value memref, ValueRange indices);
  /// memref[indices] += value, atomically where points run concurrently.
  void accumulate(Value value, Value memref, ValueRange indices);
  /// acc[indices] += value: into the partial copy `slot` of an ordered
  /// accumulator (an index value; ignored otherwise), else as accumulate.
  void accumulate(const Accumulator &acc, Value value, ValueRange indices,
                  Value slot);
  /// accumulateOverInnermost into an accumulator (see above); `slot` must
  /// be the same for the points summed together.
  void accumulateOverInnermost(const Accumulator &acc, Value value,
                               ValueRange indices, Value slot);
  /// accumulateRowOverInnermost into an accumulator (see above); `slot`
  /// must be the same for the points summed together.
  void accumulateRowOverInnermost(ArrayRef<Value> values,
                                  const Accumulator &acc, ValueRange indices,
                                  Value slot);
  /// The `count` consecutive elements memref[indices..., last .. last +
  /// count) as f32, loaded as one vector where the target prefers it. The
  /// caller guarantees that the last index is a multiple of `count` and
  /// the last dimension too (so that the row is aligned and in bounds).
  SmallVector<Value> loadRow(Value memref, ValueRange indices, int64_t count);
  /// Stores `values` at memref[indices..., last ..), as loadRow reads them.
  void storeRow(ArrayRef<Value> values, Value memref, ValueRange indices);
  /// memref[indices] += value, where the points differing only in the
  /// innermost parallel index all add into the same element (see
  /// ParallelTarget::accumulateOverInnermost): summed across them first
  /// where the target can.
  void accumulateOverInnermost(Value value, Value memref, ValueRange indices);
  /// memref[indices..., last + i] += values[i], each summed over the points
  /// differing only in the innermost parallel index (see
  /// ParallelTarget::accumulateRowOverInnermost), element by element where
  /// the target cannot sum a row at once.
  void accumulateRowOverInnermost(ArrayRef<Value> values, Value memref,
                                  ValueRange indices);

  Value add(Value x, Value y);
  Value sub(Value x, Value y);
  Value mul(Value x, Value y);
  Value div(Value x, Value y);
  Value exp(Value x);
  Value sqrt(Value x);
  Value sigmoid(Value x);
  Value silu(Value x);
  /// d silu(x) / dx = sigmoid(x) * (1 + x * (1 - sigmoid(x))).
  Value siluGrad(Value x);
  /// log(1 + exp(x)), exact for x <= 20 and x itself above, so that exp
  /// never overflows.
  Value softplus(Value x);

  Value addIndex(Value x, int64_t c);
  Value mulIndex(Value x, int64_t c);
  Value subIndex(int64_t c, Value x);
  Value divIndex(Value x, int64_t c);
  Value minIndex(Value x, int64_t c);
  Value cmpIndexLt(Value x, int64_t c);
  Value select(Value cond, Value x, Value y);
  /// The row-major linear index of `ivs` in an iteration space of `bounds`
  /// (0 when empty).
  Value linearIndex(ValueRange ivs, ArrayRef<int64_t> bounds);

  /// for iv in [lb, ub): body(iv).
  void forRange(int64_t lb, int64_t ub, function_ref<void(Value)> body);
  /// for iv in [lb, ub) where ub is a value.
  void forRange(Value lb, Value ub, function_ref<void(Value)> body);
  /// for iv in [0, n) walking from n-1 down to 0.
  void forRangeReverse(int64_t n, function_ref<void(Value)> body);
  void forRangeReverse(Value n, function_ref<void(Value)> body);
  /// for iv in [lb, ub) carrying `init`: `body(iv, carried)` returns the
  /// next carried values; returns the values after the last iteration.
  SmallVector<Value>
  forRangeCarry(Value lb, Value ub, ValueRange init,
                function_ref<SmallVector<Value>(Value, ValueRange)> body);
  /// The f32 sum of term(iv) over iv in [lb, ub) (0 when empty).
  Value sumOver(Value lb, Value ub, function_ref<Value(Value)> term);
  Value sumOver(int64_t lb, int64_t ub, function_ref<Value(Value)> term);
  /// if (cond) then().
  void ifThen(Value cond, function_ref<void()> then);

  /// The whole row (lane 0 of 1): for emitters whose points own rows.
  RowShare wholeRow(int64_t width);
  /// body(j) for every element j of the row share.
  void forRowShare(const RowShare &share, function_ref<void(Value)> body);
  /// The f32 sum (or maximum) of term(j) over the whole row: each point
  /// its share, then combined over the row's points; every point gets it.
  Value rowSum(const RowShare &share, function_ref<Value(Value)> term);
  Value rowMax(const RowShare &share, function_ref<Value(Value)> term);
  /// then() on the row's first point alone: one write per row.
  void ifFirstOfRow(const RowShare &share, function_ref<void()> then);

  /// A private f32 buffer of the given shape (registers or stack).
  Value privateBuffer(ArrayRef<int64_t> shape);
  /// Fills `memref` (any rank, f32) with zeros, in parallel.
  void zeroFill(Value memref);
  /// Copies the f32 `source` into `dest` (same shape) converting the element
  /// type, in parallel.
  void convertCopy(Value source, Value dest);

private:
  ImplicitLocOpBuilder &b;
  ParallelTarget &target;
  Block *allocaBlock;
};

/// Allocates and zero-fills the accumulation buffer of `result` (may be
/// null: then nothing is done): `slots` partial copies when the target
/// orders reductions and runs points concurrently (see Accumulator), one
/// buffer otherwise. Scratch buffers are freed by the pipeline's
/// deallocation.
Accumulator makeAccumulator(KernelBuilder &kb, Value result, int64_t slots = 1);

/// Writes the accumulated sum into the result buffer: the partial copies
/// summed in slot order (ordered), or the f32 scratch converted.
void finishAccumulator(KernelBuilder &kb, const Accumulator &acc);

/// Most partial copies one point of finishAccumulator sums; more are summed
/// in groups first, each group in slot order.
constexpr int64_t kSlotFanIn = 16;

/// Runs `body` with a KernelBuilder once per point of `bounds` (one
/// parallelFor).
void forEachPoint(ImplicitLocOpBuilder &b, ParallelTarget &target,
                  ArrayRef<int64_t> bounds,
                  function_ref<void(KernelBuilder &, ValueRange)> body);

/// Runs `body` for every row of `rows` (each a row of `width` elements)
/// with ParallelTarget::rowLanes() cooperating points per row, each given
/// its share: a warp per row on the GPU (coalesced loads, shuffle
/// reductions), a point per row elsewhere.
void forEachRow(
    ImplicitLocOpBuilder &b, ParallelTarget &target, ArrayRef<int64_t> rows,
    int64_t width,
    function_ref<void(KernelBuilder &, ValueRange row, const RowShare &)> body);

/// An f32 scratch buffer of `shape`, freed by the pipeline's deallocation.
Value allocScratch(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape);

/// sums[n] = the sum over the rows r of matrix[r, n] (rank 2), a point per
/// column adding the rows in order.
void emitColumnSums(ImplicitLocOpBuilder &b, ParallelTarget &target,
                    Value matrix, Value sums);

/// `memref` (identity layout) seen as [rows, last], its leading dimensions
/// collapsed, or as [rows] when `keepLast` is false: a view, no copy.
Value collapseRows(ImplicitLocOpBuilder &b, Value memref, bool keepLast = true);

/// Shape of a ranked memref or tensor value.
ArrayRef<int64_t> shapeOf(Value value);

} // namespace ssm
} // namespace mlir

#endif // SSM_CONVERSION_SSMKERNELS_KERNELBUILDER_H
