//===- SSMGraphVerifiers.cpp - shape rules of the graph ops -----*- C++ -*-===//
//
// Shape rules and result types of the ops in SSMGraphOps.td, with the same
// named-dimension diagnostics as the scans (ShapeChecker.h). Ops with a
// variable number of leading dimensions name them R0, R1, ...
//
//===----------------------------------------------------------------------===//

#include "ShapeChecker.h"

using namespace mlir;
using namespace mlir::ssm;
using namespace mlir::ssm::detail;

namespace {

/// Dimension names of a tensor of `rank` whose last dimensions are `tail`
/// and whose leading ones are R0, R1, ... (shared by the ops' operands).
struct DimNames {
  SmallVector<std::string> storage;
  SmallVector<StringRef> names;

  DimNames(int64_t rank, ArrayRef<StringRef> tail) {
    int64_t leading = rank - static_cast<int64_t>(tail.size());
    for (int64_t i = 0; i < leading; ++i)
      storage.push_back("R" + std::to_string(i));
    for (StringRef name : tail)
      storage.push_back(name.str());
    for (const std::string &name : storage)
      names.push_back(name);
  }
};

int64_t rankOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getRank();
}

/// Checks a tensor of rank at least `minRank`, whose last dimensions are
/// named `tail` and the leading ones R0, R1, ...
LogicalResult checkRows(ShapeChecker &c, StringRef operand, Value value,
                        ArrayRef<StringRef> tail, int64_t minRank) {
  int64_t rank = rankOf(value);
  if (rank < minRank)
    return c.error() << "operand `" << operand << "` has rank " << rank
                     << ", expected at least " << minRank;
  DimNames dims(rank, tail);
  return c.check(operand, value.getType(), dims.names);
}

template <typename OpOrAdaptor>
LogicalResult checkLinearOperands(ShapeChecker &c, OpOrAdaptor op) {
  return failure(
      failed(checkRows(c, "x", op.getX(), {"K"}, 2)) ||
      failed(c.check("weight", op.getWeight().getType(), {"N", "K"})) ||
      failed(checkOptional(c, "bias", op.getBias(), {"N"})) ||
      failed(c.checkIndexSpace()));
}

RankedTensorType linearResultType(ShapeChecker &c, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = c.get("N");
  return type.clone(shape);
}

template <typename OpOrAdaptor>
LogicalResult checkEmbeddingOperands(ShapeChecker &c, OpOrAdaptor op) {
  return failure(
      failed(checkRows(c, "tokens", op.getTokens(), {}, 1)) ||
      failed(c.check("weight", op.getWeight().getType(), {"V", "E"})) ||
      failed(c.checkIndexSpace()));
}

RankedTensorType embeddingResultType(ShapeChecker &c, Value tokens) {
  SmallVector<int64_t> shape(
      cast<RankedTensorType>(tokens.getType()).getShape());
  shape.push_back(c.get("E"));
  return RankedTensorType::get(shape, Float32Type::get(c.getContext()));
}

template <typename OpOrAdaptor>
LogicalResult checkCrossEntropyOperands(ShapeChecker &c, OpOrAdaptor op) {
  if (failed(checkRows(c, "logits", op.getLogits(), {"V"}, 2)))
    return failure();
  DimNames rows(rankOf(op.getLogits()) - 1, {});
  return failure(
      failed(c.check("labels", op.getLabels().getType(), rows.names)) ||
      failed(c.checkIndexSpace()));
}

/// Checks that `axis`, `offset` and `size` select a range of `x`'s shape.
LogicalResult checkSliceRange(ShapeChecker &c, Value x, int64_t axis,
                              int64_t offset, int64_t size,
                              StringRef name = "x") {
  DimNames dims(rankOf(x), {});
  if (failed(c.check(name, x.getType(), dims.names)))
    return failure();
  int64_t rank = rankOf(x);
  if (axis < 0 || axis >= rank)
    return c.error() << "attribute `axis` is " << axis
                     << ", expected a dimension of `" << name << "` in [0, "
                     << rank << ")";
  int64_t extent = cast<RankedTensorType>(x.getType()).getDimSize(axis);
  if (offset < 0 || size < 1 || offset + size > extent)
    return c.error() << "attributes `offset` = " << offset
                     << " and `size` = " << size
                     << " must select a non-empty range inside [0, " << extent
                     << ") of `" << name << "` dim " << axis;
  return success();
}

RankedTensorType sliceType(Value x, int64_t axis, int64_t size) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = size;
  return type.clone(shape);
}

/// Checks that `actual` is `expected`, naming the operand or result.
LogicalResult checkType(ShapeChecker &c, StringRef what, StringRef name,
                        Type actual, Type expected, StringRef because) {
  if (actual == expected)
    return success();
  return c.error() << what << " `" << name << "` has type " << actual
                   << ", expected " << expected << " " << because;
}

} // namespace

//===----------------------------------------------------------------------===//
// ssm.linear / ssm.linear_grad
//===----------------------------------------------------------------------===//

LogicalResult
LinearOp::inferReturnTypes(MLIRContext *context,
                           std::optional<Location> location, Adaptor adaptor,
                           SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkLinearOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(linearResultType(c, adaptor.getX()));
  return success();
}

LogicalResult LinearGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkLinearOperands(c, *this)) ||
      failed(checkType(c, "operand", "dy", getDy().getType(),
                       linearResultType(c, getX()),
                       "(the type of the forward's `y`)")))
    return failure();
  return failure(
      failed(checkCotangent(c, "dx", getDx(), "x", getX())) ||
      failed(
          checkCotangent(c, "dweight", getDweight(), "weight", getWeight())) ||
      failed(checkCotangent(c, "dbias", getDbias(), "bias", getBias())));
}

//===----------------------------------------------------------------------===//
// ssm.embedding / ssm.embedding_grad
//===----------------------------------------------------------------------===//

LogicalResult
EmbeddingOp::inferReturnTypes(MLIRContext *context,
                              std::optional<Location> location, Adaptor adaptor,
                              SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkEmbeddingOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(embeddingResultType(c, adaptor.getTokens()));
  return success();
}

LogicalResult EmbeddingGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkEmbeddingOperands(c, *this)) ||
      failed(checkType(c, "operand", "dy", getDy().getType(),
                       embeddingResultType(c, getTokens()),
                       "(the type of the forward's `y`)")))
    return failure();
  return checkCotangent(c, "dweight", getDweight(), "weight", getWeight());
}

//===----------------------------------------------------------------------===//
// ssm.cross_entropy / ssm.cross_entropy_grad
//===----------------------------------------------------------------------===//

LogicalResult CrossEntropyOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  if (failed(checkCrossEntropyOperands(c, adaptor)))
    return failure();
  inferredReturnTypes.push_back(
      RankedTensorType::get({}, Float32Type::get(context)));
  return success();
}

LogicalResult CrossEntropyGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(checkCrossEntropyOperands(c, *this)))
    return failure();
  return checkCotangent(c, "dlogits", getDlogits(), "logits", getLogits());
}

//===----------------------------------------------------------------------===//
// Layout and elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult
TransposeOp::inferReturnTypes(MLIRContext *context,
                              std::optional<Location> location, Adaptor adaptor,
                              SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  Value x = adaptor.getX();
  DimNames dims(rankOf(x), {});
  if (failed(c.check("x", x.getType(), dims.names)))
    return failure();
  ArrayRef<int64_t> permutation = adaptor.getPermutation();
  int64_t rank = rankOf(x);
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(permutation.size()) == rank;
  for (int64_t dim : permutation) {
    valid = valid && dim >= 0 && dim < rank && !seen[dim];
    if (valid)
      seen[dim] = true;
  }
  if (!valid)
    return c.error() << "attribute `permutation` [" << permutation
                     << "] must be a permutation of the " << rank
                     << " dimensions of `x`";
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int64_t dim : permutation)
    shape.push_back(type.getDimSize(dim));
  inferredReturnTypes.push_back(type.clone(shape));
  return success();
}

LogicalResult ReshapeOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  auto in = cast<RankedTensorType>(getX().getType());
  auto out = cast<RankedTensorType>(getY().getType());
  DimNames inDims(in.getRank(), {});
  if (failed(c.check("x", in, inDims.names)))
    return failure();
  if (!out.hasStaticShape() || in.getNumElements() != out.getNumElements() ||
      in.getElementType() != out.getElementType())
    return c.error() << "result `y` of type " << out
                     << " must be a static shape with the "
                     << in.getNumElements() << " elements of type "
                     << in.getElementType() << " of `x`";
  return success();
}

LogicalResult
SliceOp::inferReturnTypes(MLIRContext *context,
                          std::optional<Location> location, Adaptor adaptor,
                          SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  int64_t axis = adaptor.getAxis(), size = adaptor.getSize();
  if (failed(
          checkSliceRange(c, adaptor.getX(), axis, adaptor.getOffset(), size)))
    return failure();
  inferredReturnTypes.push_back(sliceType(adaptor.getX(), axis, size));
  return success();
}

LogicalResult
ConcatOp::inferReturnTypes(MLIRContext *context,
                           std::optional<Location> location, Adaptor adaptor,
                           SmallVectorImpl<Type> &inferredReturnTypes) {
  ShapeChecker c(context, location, getOperationName());
  Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
  int64_t rank = rankOf(lhs), axis = adaptor.getAxis();
  DimNames dims(rank, {});
  if (failed(c.check("lhs", lhs.getType(), dims.names)))
    return failure();
  if (axis < 0 || axis >= rank)
    return c.error() << "attribute `axis` is " << axis
                     << ", expected a dimension of `lhs` in [0, " << rank
                     << ")";
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  SmallVector<int64_t> expected(lhsType.getShape());
  expected[axis] = rhsType.getRank() == rank ? rhsType.getDimSize(axis) : 0;
  if (rhsType.getElementType() != lhsType.getElementType() ||
      rhsType.getShape() != ArrayRef<int64_t>(expected))
    return c.error() << "operand `rhs` has type " << rhsType
                     << ", expected the element type and shape of `lhs` ("
                     << lhsType << ") but for dim " << axis;
  SmallVector<int64_t> shape(lhsType.getShape());
  shape[axis] += rhsType.getDimSize(axis);
  inferredReturnTypes.push_back(lhsType.clone(shape));
  return success();
}

OpFoldResult SliceGradOp::fold(FoldAdaptor) {
  if (getOffset() == 0 && getDy().getType() == getDx().getType())
    return getDy();
  return {};
}

LogicalResult AddOp::canonicalize(AddOp op, PatternRewriter &rewriter) {
  auto first = op.getLhs().getDefiningOp<SliceGradOp>();
  auto second = op.getRhs().getDefiningOp<SliceGradOp>();
  if (!first || !second || first.getAxis() != second.getAxis() ||
      !first->hasOneUse() || !second->hasOneUse())
    return failure();
  if (second.getOffset() + second.getSize() == first.getOffset())
    std::swap(first, second);
  if (first.getOffset() + first.getSize() != second.getOffset())
    return failure(); // Not adjacent.
  Value joined = ConcatOp::create(rewriter, op.getLoc(), first.getDy(),
                                  second.getDy(), first.getAxisAttr());
  // A slice_grad of the whole dimension folds away to `joined`.
  rewriter.replaceOpWithNewOp<SliceGradOp>(
      op, op.getType(), joined, first.getAxisAttr(), first.getOffsetAttr(),
      rewriter.getI64IntegerAttr(first.getSize() + second.getSize()));
  return success();
}

LogicalResult SliceGradOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  if (failed(
          checkSliceRange(c, getDx(), getAxis(), getOffset(), getSize(), "dx")))
    return failure();
  return checkType(c, "operand", "dy", getDy().getType(),
                   sliceType(getDx(), getAxis(), getSize()),
                   "(the slice of `dx`)");
}

LogicalResult FlipOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  int64_t rank = rankOf(getX());
  if (getAxis() < 0 || getAxis() >= rank)
    return c.error() << "attribute `axis` is " << getAxis()
                     << ", expected a dimension of `x` in [0, " << rank << ")";
  return success();
}

LogicalResult FillOp::verify() {
  ShapeChecker c(getContext(), getLoc(), getOperationName());
  auto type = cast<RankedTensorType>(getY().getType());
  if (!type.hasStaticShape())
    return c.error() << "result `y` of type " << type
                     << " must have a static shape";
  if (!std::isfinite(getValue().convertToDouble()))
    return c.error() << "attribute `value` must be finite";
  return success();
}
