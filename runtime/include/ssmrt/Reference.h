//===- Reference.h - Float64 reference oracle for ssm ops ------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// An independent, deliberately simple float64 implementation of the forward
// and backward semantics of every `ssm` dialect op. It is the oracle that the
// compiled kernels are checked against, so it computes every scan as the plain
// sequential recurrence and shares no code with the compiler. It includes no
// MLIR or LLVM header.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_REFERENCE_H
#define SSMRT_REFERENCE_H

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ssmrt::ref {

//===----------------------------------------------------------------------===//
// Tensor
//===----------------------------------------------------------------------===//

/// A dense row-major float64 tensor. A rank-0 tensor (empty shape) holds one
/// element.
struct Tensor {
  std::vector<int64_t> shape;
  std::vector<double> data;

  Tensor() = default;
  /// A zero tensor of the given shape.
  explicit Tensor(std::vector<int64_t> shape);
  /// A tensor of the given shape holding `data`; throws std::invalid_argument
  /// when the element count does not match the shape.
  Tensor(std::vector<int64_t> shape, std::vector<double> data);

  /// A tensor of the given shape with every element `value`.
  static Tensor filled(std::vector<int64_t> shape, double value);

  /// The number of dimensions.
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// The size of dimension `i`; a negative `i` counts from the back.
  int64_t dim(int64_t i) const;
  /// The product of the dimensions.
  int64_t numel() const;

  /// The row-major flat offset of a multi-index with one entry per dimension.
  template <typename... Idx> int64_t offset(Idx... idx) const {
    const int64_t ix[] = {0, static_cast<int64_t>(idx)...};
    assert(sizeof...(Idx) == shape.size() && "index rank mismatch");
    int64_t off = 0;
    for (size_t i = 0; i < sizeof...(Idx); ++i) {
      assert(ix[i + 1] >= 0 && ix[i + 1] < shape[i] && "index out of range");
      off = off * shape[i] + ix[i + 1];
    }
    return off;
  }
  /// Element access by multi-index, e.g. `t.at(b, d, l)`.
  template <typename... Idx> double &at(Idx... idx) {
    return data[static_cast<size_t>(offset(idx...))];
  }
  template <typename... Idx> double at(Idx... idx) const {
    return data[static_cast<size_t>(offset(idx...))];
  }
};

using OptTensor = std::optional<Tensor>;

/// Op attributes as text: "true"/"false", decimal numbers, enum keywords.
using Attrs = std::map<std::string, std::string>;

/// Formats a shape as "[2,4,5]".
std::string formatShape(const std::vector<int64_t> &shape);

//===----------------------------------------------------------------------===//
// Scalar helpers
//===----------------------------------------------------------------------===//

/// log(1 + exp(x)), returning x itself for x > 20.
double softplus(double x);
/// d softplus(x) / dx of the function above: sigmoid(x), or 1 for x > 20.
double softplusGrad(double x);
/// 1 / (1 + exp(-x)), evaluated without overflow for either sign of x.
double sigmoid(double x);
/// x * sigmoid(x).
double silu(double x);
/// d silu(x) / dx.
double siluGrad(double x);

//===----------------------------------------------------------------------===//
// ssm.selective_scan / ssm.selective_scan_grad (Mamba-1)
//===----------------------------------------------------------------------===//

/// Operands of the Mamba-1 selective scan. Shapes: u, delta, z [B,D,L];
/// A [D,N]; B, C [B,G,N,L] with G dividing D; D, deltaBias [D].
struct SelectiveScanInputs {
  Tensor u, delta, A, B, C;
  OptTensor D, z, deltaBias;
  bool deltaSoftplus = false;
};

struct SelectiveScanOutputs {
  Tensor y;         ///< [B,D,L]
  Tensor lastState; ///< [B,D,N]
};

/// Gradients of sum(dy*y) + sum(dLastState*lastState); each optional gradient
/// is present iff the matching optional input is.
struct SelectiveScanGrads {
  Tensor du, ddelta, dA, dB, dC;
  OptTensor dD, dz, ddeltaBias;
};

SelectiveScanOutputs selectiveScanForward(const SelectiveScanInputs &in);
SelectiveScanGrads selectiveScanBackward(const SelectiveScanInputs &in,
                                         const Tensor &dy,
                                         const OptTensor &dLastState);

//===----------------------------------------------------------------------===//
// ssm.ssd_scan / ssm.ssd_scan_grad (Mamba-2)
//===----------------------------------------------------------------------===//

/// Operands of the Mamba-2 state space dual scan. Shapes: x, z [B,L,H,P];
/// dt [B,L,H]; A, D, dtBias [H]; B, C [B,L,G,N] with G dividing H;
/// initialState [B,H,P,N].
struct SSDScanInputs {
  Tensor x, dt, A, B, C;
  OptTensor D, z, dtBias, initialState;
  bool dtSoftplus = false;
};

struct SSDScanOutputs {
  Tensor y;          ///< [B,L,H,P]
  Tensor finalState; ///< [B,H,P,N]
};

/// Gradients of sum(dy*y) + sum(dFinalState*finalState); each optional
/// gradient is present iff the matching optional input is.
struct SSDScanGrads {
  Tensor dx, ddt, dA, dB, dC;
  OptTensor dD, dz, ddtBias, dInitialState;
};

SSDScanOutputs ssdScanForward(const SSDScanInputs &in);
SSDScanGrads ssdScanBackward(const SSDScanInputs &in, const Tensor &dy,
                             const OptTensor &dFinalState);

//===----------------------------------------------------------------------===//
// ssm.causal_conv1d / ssm.causal_conv1d_grad
//===----------------------------------------------------------------------===//

enum class Activation { None, Silu };

/// Operands of the depthwise causal convolution. Shapes: x [B,D,L];
/// weight [D,W]; bias [D]. W may exceed L.
struct CausalConv1dInputs {
  Tensor x, weight;
  OptTensor bias;
  Activation activation = Activation::None;
};

struct CausalConv1dGrads {
  Tensor dx, dweight;
  OptTensor dbias; ///< Present iff bias is.
};

/// Returns y [B,D,L].
Tensor causalConv1dForward(const CausalConv1dInputs &in);
CausalConv1dGrads causalConv1dBackward(const CausalConv1dInputs &in,
                                       const Tensor &dy);

//===----------------------------------------------------------------------===//
// ssm.rms_norm / ssm.rms_norm_grad
//===----------------------------------------------------------------------===//

/// Operands of RMS normalization over the last dimension. Shapes: x [...,D]
/// (rank >= 1); weight [D]; residual and z the shape of x. At most one of
/// residual (fused add + norm, Mamba block) and z (gated norm, Mamba-2) is set.
struct RMSNormInputs {
  Tensor x, weight;
  OptTensor residual, z;
  double eps = 1e-5;
};

struct RMSNormOutputs {
  Tensor y;              ///< Shape of x.
  OptTensor residualOut; ///< x + residual; present iff residual is.
};

/// Gradients of sum(dy*y) + sum(dResidualOut*residualOut).
struct RMSNormGrads {
  Tensor dx, dweight;
  OptTensor dresidual; ///< Present iff residual is.
  OptTensor dz;        ///< Present iff z is.
};

RMSNormOutputs rmsNormForward(const RMSNormInputs &in);
RMSNormGrads rmsNormBackward(const RMSNormInputs &in, const Tensor &dy,
                             const OptTensor &dResidualOut);

//===----------------------------------------------------------------------===//
// ssm.linear / ssm.linear_grad
//===----------------------------------------------------------------------===//

/// Operands of a dense layer y[..., n] = sum_k x[..., k] weight[n, k] +
/// bias[n]. Shapes: x [..., K] (rank >= 2); weight [N, K]; bias [N].
struct LinearInputs {
  Tensor x, weight;
  OptTensor bias;
};

struct LinearGrads {
  Tensor dx, dweight;
  OptTensor dbias; ///< Present iff bias is.
};

/// Returns y [..., N].
Tensor linearForward(const LinearInputs &in);
/// Gradients of sum(dy * y).
LinearGrads linearBackward(const LinearInputs &in, const Tensor &dy);

//===----------------------------------------------------------------------===//
// ssm.embedding / ssm.embedding_grad
//===----------------------------------------------------------------------===//

/// y[..., :] = weight[tokens[...], :] for tokens [...] (integers held as
/// exact doubles) and weight [V, E]; a token outside [0, V) gives a zero row.
Tensor embeddingForward(const Tensor &tokens, const Tensor &weight);
/// The gradient of sum(dy * y) with respect to weight (tokens outside
/// [0, V) contribute nothing).
Tensor embeddingBackward(const Tensor &tokens, const Tensor &weight,
                         const Tensor &dy);

//===----------------------------------------------------------------------===//
// ssm.cross_entropy / ssm.cross_entropy_grad
//===----------------------------------------------------------------------===//

/// The mean over rows r with labels[r] in [0, V) of logsumexp(logits[r, :]) -
/// logits[r, labels[r]], as a rank-0 tensor (0 when no row is valid).
/// Shapes: logits [..., V] (rank >= 1); labels the leading dims of logits.
Tensor crossEntropyForward(const Tensor &logits, const Tensor &labels);
/// dlogits = dloss * (softmax(logits[r]) - onehot(labels[r])) / count on
/// valid rows, 0 on ignored rows. dloss is rank 0.
Tensor crossEntropyBackward(const Tensor &logits, const Tensor &labels,
                            const Tensor &dloss);

//===----------------------------------------------------------------------===//
// Layout and elementwise ops
//===----------------------------------------------------------------------===//

/// y.shape[i] = x.shape[perm[i]]; perm must be a permutation of [0, rank).
Tensor transposeForward(const Tensor &x, const std::vector<int64_t> &perm);
/// The same elements in row-major order with another shape of equal size.
Tensor reshapeForward(const Tensor &x, const std::vector<int64_t> &shape);

/// A slice [offset, offset + size) along dimension `axis`.
struct SliceSpec {
  int64_t axis = 0, offset = 0, size = 0;
};
Tensor sliceForward(const Tensor &x, const SliceSpec &spec);
/// Zeros of the shape `xShape` (the sliced operand's) with dy placed at the
/// slice.
Tensor sliceBackward(const std::vector<int64_t> &xShape, const Tensor &dy,
                     const SliceSpec &spec);
/// [lhs | rhs] along dimension `axis`; the other dimensions agree.
Tensor concatForward(const Tensor &lhs, const Tensor &rhs, int64_t axis);
/// x reversed along dimension `axis`.
Tensor flipForward(const Tensor &x, int64_t axis);
/// The elementwise sum of two tensors of the same shape.
Tensor addForward(const Tensor &lhs, const Tensor &rhs);

//===----------------------------------------------------------------------===//
// Dispatch by op name
//===----------------------------------------------------------------------===//

/// The declaration-order operand and result names of one op, and which of
/// them are optional.
struct OpSignature {
  std::vector<std::string> operands;
  std::vector<bool> optionalOperands;
  std::vector<std::string> results;
  std::vector<bool> optionalResults;
};

/// The names of every op `evaluateOp` knows, e.g. "ssm.selective_scan".
std::vector<std::string> supportedOps();

/// The signature of a supported op; throws std::invalid_argument otherwise.
const OpSignature &opSignature(const std::string &opName);

/// Evaluates one `ssm` op by its MLIR name on float64 operands. `operands` has
/// one entry per operand in the op's declaration order (nullopt for an absent
/// optional operand); returns one entry per result in declaration order
/// (nullopt for an absent optional result). `ssm.reshape` and `ssm.fill`
/// take their result shape from the attribute `shape` ("2,1,8", "" for a
/// scalar), which the caller adds from the manifest when it knows it.
/// Attributes not used by the
/// reference semantics (e.g. a chunk size) are ignored. Throws
/// std::invalid_argument on an unknown op name, a wrong operand count, a
/// missing required operand, a malformed attribute, or a shape mismatch (the
/// message names the operand and dimension).
std::vector<OptTensor> evaluateOp(const std::string &opName, const Attrs &attrs,
                                  const std::vector<OptTensor> &operands);

} // namespace ssmrt::ref

#endif // SSMRT_REFERENCE_H
