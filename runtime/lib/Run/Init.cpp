//===- Init.cpp - Parameter initialisers of the manifest ------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Init.h"

#include "Random.h"

#include "ssmrt/Workload.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace ssmrt {

static const char *const kKnownSpecs =
    "normal:STD, uniform:LO:HI, zeros, ones, mamba_A, mamba_dt_bias:MIN:MAX";

[[noreturn]] static void bad(const std::string &text,
                             const std::string &problem) {
  throw std::invalid_argument("init spec '" + text + "': " + problem);
}

/// Splits "a:b:c" at the colons.
static std::vector<std::string> splitColons(const std::string &text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    if (colon == std::string::npos)
      return parts;
    start = colon + 1;
  }
}

/// Parses a finite number.
static double number(const std::string &text, const std::string &part) {
  const char *begin = part.c_str();
  char *end = nullptr;
  double value = std::strtod(begin, &end);
  if (part.empty() || end != begin + part.size() || !std::isfinite(value))
    bad(text, "'" + part + "' is not a finite number");
  return value;
}

/// Checks the number of ':'-separated arguments of `kind`.
static void expectArgs(const std::string &text,
                       const std::vector<std::string> &parts, size_t count,
                       const char *form) {
  if (parts.size() != count + 1)
    bad(text, std::string("expected ") + form);
}

InitSpec parseInitSpec(const std::string &text,
                       const std::vector<int64_t> &shape) {
  std::vector<std::string> parts = splitColons(text);
  const std::string &kind = parts[0];
  InitSpec spec;
  if (kind == "zeros" || kind == "ones" || kind == "mamba_A") {
    expectArgs(text, parts, 0, kind.c_str());
    spec.kind = kind == "zeros"  ? InitSpec::Kind::Zeros
                : kind == "ones" ? InitSpec::Kind::Ones
                                 : InitSpec::Kind::MambaA;
    if (spec.kind == InitSpec::Kind::MambaA && shape.size() != 2)
      bad(text, "mamba_A fills a [D, N] tensor, this one has rank " +
                    std::to_string(shape.size()));
    return spec;
  }
  if (kind == "normal") {
    expectArgs(text, parts, 1, "normal:STD");
    spec = {InitSpec::Kind::Normal, number(text, parts[1]), 0.0};
    if (spec.a < 0)
      bad(text, "STD must be >= 0");
    return spec;
  }
  if (kind == "uniform") {
    expectArgs(text, parts, 2, "uniform:LO:HI");
    spec = {InitSpec::Kind::Uniform, number(text, parts[1]),
            number(text, parts[2])};
    if (spec.a > spec.b)
      bad(text, "LO must not exceed HI");
    return spec;
  }
  if (kind == "mamba_dt_bias") {
    expectArgs(text, parts, 2, "mamba_dt_bias:MIN:MAX");
    spec = {InitSpec::Kind::MambaDtBias, number(text, parts[1]),
            number(text, parts[2])};
    if (!(spec.a > 0) || spec.a > spec.b)
      bad(text, "needs 0 < MIN <= MAX");
    if (shape.size() != 1)
      bad(text, "mamba_dt_bias fills a [D] tensor, this one has rank " +
                    std::to_string(shape.size()));
    return spec;
  }
  bad(text, std::string("unknown spec (expected ") + kKnownSpecs + ")");
}

/// The value of element `index` of a tensor of `shape` under `spec`.
static double initValue(const InitSpec &spec, const std::vector<int64_t> &shape,
                        size_t index, Random &random) {
  switch (spec.kind) {
  case InitSpec::Kind::Zeros:
    return 0.0;
  case InitSpec::Kind::Ones:
    return 1.0;
  case InitSpec::Kind::Normal:
    return spec.a * random.normal();
  case InitSpec::Kind::Uniform:
    return random.uniform(spec.a, spec.b);
  case InitSpec::Kind::MambaA:
    return -static_cast<double>(index % static_cast<size_t>(shape[1]) + 1);
  case InitSpec::Kind::MambaDtBias: {
    double dt = std::exp(random.uniform(std::log(spec.a), std::log(spec.b)));
    dt = std::max(dt, 1e-4);
    return dt + std::log(-std::expm1(-dt)); // softplus^-1(dt).
  }
  }
  return 0.0;
}

void fillInit(const TensorSpec &tensor, uint64_t seed, void *data) {
  InitSpec spec = parseInitSpec(tensor.init, tensor.shape);
  Random random(seed ^ hashName(tensor.name));
  for (size_t i = 0, e = tensor.numElements(); i < e; ++i)
    storeElement(tensor.dtype, data, i,
                 initValue(spec, tensor.shape, i, random));
}

} // namespace ssmrt
