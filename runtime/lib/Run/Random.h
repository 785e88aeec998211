//===- Random.h - The seeded generator of ssm-run ---------------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Private to runtime/lib: SplitMix64 and the draws built on it, shared by the
// random arguments, the parameter initialisers, the training batches and the
// gradient check's direction. std:: distributions are implementation-defined;
// these give the same values on every platform.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_LIB_RUN_RANDOM_H
#define SSMRT_LIB_RUN_RANDOM_H

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace ssmrt {

/// SplitMix64: tiny, and the same sequence on every platform.
class Random {
public:
  explicit Random(uint64_t seed) : state(seed) {}

  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
  /// Uniform integer in [0, n), n > 0.
  int64_t below(int64_t n) {
    return std::min<int64_t>(static_cast<int64_t>(uniform(0.0, 1.0) * n),
                             n - 1);
  }
  /// Standard normal (Box-Muller).
  double normal() {
    double u1 = 1.0 - uniform(0.0, 1.0); // (0, 1]: log is finite.
    double u2 = uniform(0.0, 1.0);
    const double twoPi = 6.283185307179586;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(twoPi * u2);
  }
  /// Standard normal clipped to [-3, 3].
  double clippedNormal() { return std::clamp(normal(), -3.0, 3.0); }

private:
  uint64_t state;
};

/// FNV-1a, so that each tensor's stream depends on its name only.
inline uint64_t hashName(const std::string &name) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : name)
    hash = (hash ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return hash;
}

} // namespace ssmrt

#endif // SSMRT_LIB_RUN_RANDOM_H
