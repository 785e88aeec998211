//===- Init.h - Parameter initialisers of the manifest ----------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// A manifest tensor may carry `"init": "<spec>"`, how a parameter starts out
// (docs/WORKLOAD_BINARY.md): normal:STD, uniform:LO:HI, zeros, ones, mamba_A
// (A[d, n] = -(n + 1)) and mamba_dt_bias:MIN:MAX (the inverse softplus of a
// log-uniform step). ssm-run uses it for such tensors whenever it generates
// the arguments (no --inputs), --train included.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_INIT_H
#define SSMRT_RUN_INIT_H

#include <cstdint>
#include <string>
#include <vector>

namespace ssmrt {

struct TensorSpec;

/// A parsed init spec.
struct InitSpec {
  enum class Kind { Normal, Uniform, Zeros, Ones, MambaA, MambaDtBias };
  Kind kind = Kind::Zeros;
  double a = 0.0; ///< normal: STD; uniform: LO; mamba_dt_bias: MIN.
  double b = 0.0; ///< uniform: HI; mamba_dt_bias: MAX.
};

/// Parses `text` for a tensor of `shape`. Throws std::invalid_argument with a
/// message saying what is wrong (an unknown spec, a malformed number, a
/// shape the spec cannot fill).
InitSpec parseInitSpec(const std::string &text,
                       const std::vector<int64_t> &shape);

/// Fills `data` (a dense buffer of `tensor`, whose `init` is set) from its
/// init spec; random specs draw from a stream of `seed` and the tensor's name.
void fillInit(const TensorSpec &tensor, uint64_t seed, void *data);

} // namespace ssmrt

#endif // SSMRT_RUN_INIT_H
