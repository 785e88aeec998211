//===- Layout.cpp - Reference transpose, reshape, slice and add -----------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The data-movement ops of the graph: `ssm.transpose`, `ssm.reshape`,
// `ssm.slice` and its gradient `ssm.slice_grad`, and the elementwise
// `ssm.add`. Everything is row-major.
//
//===----------------------------------------------------------------------===//

#include "ShapeChecks.h"

using namespace ssmrt::ref;
using namespace ssmrt::ref::detail;

/// Row-major strides of `shape`.
static std::vector<int64_t> stridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

/// Advances the row-major multi-index `idx` within `shape`.
static void increment(std::vector<int64_t> &idx,
                      const std::vector<int64_t> &shape) {
  for (size_t i = idx.size(); i-- > 0;) {
    if (++idx[i] < shape[i])
      return;
    idx[i] = 0;
  }
}

Tensor ssmrt::ref::transposeForward(const Tensor &x,
                                    const std::vector<int64_t> &perm) {
  const std::string op = "ssm.transpose";
  checkRank(op, "x", x, x.rank());
  if (static_cast<int64_t>(perm.size()) != x.rank())
    fail(op, "permutation has " + std::to_string(perm.size()) +
                 " entries, operand 'x' has rank " + std::to_string(x.rank()));
  std::vector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= x.rank() || seen[p])
      fail(op, "permutation " + formatShape(perm) +
                   " is not a permutation of [0, " + std::to_string(x.rank()) +
                   ")");
    seen[p] = true;
  }
  std::vector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x.shape[p]);
  std::vector<int64_t> xStrides = stridesOf(x.shape);
  Tensor y(shape);
  std::vector<int64_t> idx(shape.size(), 0);
  for (int64_t flat = 0; flat < y.numel(); ++flat, increment(idx, shape)) {
    int64_t src = 0;
    for (size_t i = 0; i < perm.size(); ++i)
      src += idx[i] * xStrides[perm[i]];
    y.data[flat] = x.data[src];
  }
  return y;
}

Tensor ssmrt::ref::reshapeForward(const Tensor &x,
                                  const std::vector<int64_t> &shape) {
  const std::string op = "ssm.reshape";
  checkRank(op, "x", x, x.rank());
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0)
      fail(op, "result shape " + formatShape(shape) + " has a negative size");
    count *= dim;
  }
  if (count != x.numel())
    fail(op, "result shape " + formatShape(shape) + " holds " +
                 std::to_string(count) + " elements, operand 'x' of shape " +
                 formatShape(x.shape) + " holds " + std::to_string(x.numel()));
  return Tensor(shape, x.data);
}

/// Validates a slice of `x`; returns the sliced shape.
static std::vector<int64_t> slicedShape(const std::string &op, const Tensor &x,
                                        const SliceSpec &s) {
  checkRank(op, "x", x, x.rank());
  if (s.axis < 0 || s.axis >= x.rank())
    fail(op, "axis " + std::to_string(s.axis) +
                 " is out of range for operand 'x' of rank " +
                 std::to_string(x.rank()));
  int64_t dim = x.shape[s.axis];
  if (s.offset < 0 || s.size < 0 || s.offset + s.size > dim)
    fail(op, "slice [" + std::to_string(s.offset) + ", " +
                 std::to_string(s.offset + s.size) + ") of axis " +
                 std::to_string(s.axis) + " is outside operand 'x' dimension " +
                 std::to_string(s.axis) + " of size " + std::to_string(dim));
  std::vector<int64_t> shape = x.shape;
  shape[s.axis] = s.size;
  return shape;
}

/// `shape` seen as [outer, dim, inner] around dimension `axis`.
struct AxisSplit {
  int64_t outer = 1, dim = 0, inner = 1;
};
static AxisSplit splitAt(const std::vector<int64_t> &shape, int64_t axis) {
  AxisSplit split;
  for (int64_t i = 0; i < axis; ++i)
    split.outer *= shape[i];
  split.dim = shape[axis];
  for (size_t i = axis + 1; i < shape.size(); ++i)
    split.inner *= shape[i];
  return split;
}

/// Fails unless `axis` is a dimension of operand `name`.
static void checkAxis(const std::string &op, const std::string &name,
                      const Tensor &t, int64_t axis) {
  if (axis < 0 || axis >= t.rank())
    fail(op, "axis " + std::to_string(axis) +
                 " is not a dimension of operand '" + name + "' (rank " +
                 std::to_string(t.rank()) + ")");
}

/// Calls `visit(sliceIndex, xIndex)` for every element of the slice.
template <typename Visit>
static void forEachSliced(const std::vector<int64_t> &xShape,
                          const SliceSpec &s, Visit visit) {
  AxisSplit x = splitAt(xShape, s.axis);
  for (int64_t o = 0; o < x.outer; ++o)
    for (int64_t a = 0; a < s.size; ++a)
      for (int64_t i = 0; i < x.inner; ++i)
        visit((o * s.size + a) * x.inner + i,
              (o * x.dim + s.offset + a) * x.inner + i);
}

Tensor ssmrt::ref::sliceForward(const Tensor &x, const SliceSpec &spec) {
  Tensor y(slicedShape("ssm.slice", x, spec));
  forEachSliced(x.shape, spec,
                [&](int64_t out, int64_t in) { y.data[out] = x.data[in]; });
  return y;
}

Tensor ssmrt::ref::sliceBackward(const std::vector<int64_t> &xShape,
                                 const Tensor &dy, const SliceSpec &spec) {
  const std::string op = "ssm.slice_grad";
  Tensor dx(xShape); // zeros
  checkShape(op, "dy", dy, slicedShape(op, dx, spec));
  forEachSliced(xShape, spec,
                [&](int64_t out, int64_t in) { dx.data[in] = dy.data[out]; });
  return dx;
}

Tensor ssmrt::ref::concatForward(const Tensor &lhs, const Tensor &rhs,
                                 int64_t axis) {
  const std::string op = "ssm.concat";
  checkAxis(op, "lhs", lhs, axis);
  std::vector<int64_t> rhsShape = lhs.shape;
  rhsShape[axis] = rhs.rank() == lhs.rank() ? rhs.shape[axis] : 0;
  checkShape(op, "rhs", rhs, rhsShape);
  std::vector<int64_t> shape = lhs.shape;
  shape[axis] += rhs.shape[axis];
  // Each operand is a slice of the result.
  Tensor y(shape);
  int64_t split = lhs.shape[axis];
  forEachSliced(shape, {axis, 0, split},
                [&](int64_t in, int64_t out) { y.data[out] = lhs.data[in]; });
  forEachSliced(shape, {axis, split, rhs.shape[axis]},
                [&](int64_t in, int64_t out) { y.data[out] = rhs.data[in]; });
  return y;
}

Tensor ssmrt::ref::flipForward(const Tensor &x, int64_t axis) {
  checkAxis("ssm.flip", "x", x, axis);
  AxisSplit s = splitAt(x.shape, axis);
  Tensor y(x.shape);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t a = 0; a < s.dim; ++a)
      for (int64_t i = 0; i < s.inner; ++i)
        y.data[(o * s.dim + a) * s.inner + i] =
            x.data[(o * s.dim + (s.dim - 1 - a)) * s.inner + i];
  return y;
}

Tensor ssmrt::ref::addForward(const Tensor &lhs, const Tensor &rhs) {
  const std::string op = "ssm.add";
  checkRank(op, "lhs", lhs, lhs.rank());
  checkShape(op, "rhs", rhs, lhs.shape);
  Tensor y(lhs.shape);
  for (size_t i = 0; i < y.data.size(); ++i)
    y.data[i] = lhs.data[i] + rhs.data[i];
  return y;
}
