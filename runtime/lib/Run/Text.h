//===- Text.h - Text helpers shared by the runner's files -------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Private to runtime/lib: the message and number formatting that every part
// of `ssm-run` (inputs, execution, checks, comparison) writes the same way.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_LIB_RUN_TEXT_H
#define SSMRT_LIB_RUN_TEXT_H

#include "ssmrt/Npy.h"
#include "ssmrt/Workload.h"

#include <cstdio>
#include <stdexcept>
#include <string>

namespace ssmrt {

/// printf-style formatting into a std::string (at most 255 characters).
template <typename... Args>
inline std::string format(const char *fmt, Args... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof(buffer), fmt, args...);
  return buffer;
}

/// Every user-facing failure is a std::runtime_error; runWorkload prints it
/// as one `error:` line.
[[noreturn]] inline void fail(const std::string &message) {
  throw std::runtime_error(message);
}

/// "1 tensor", "3 tensors".
inline std::string countOf(size_t n, const char *noun) {
  std::string word = noun;
  // "pass" -> "passes"
  const char *plural = !word.empty() && word.back() == 's' ? "es" : "s";
  return std::to_string(n) + " " + word + (n == 1 ? "" : plural);
}

/// "f32[2,4,8]".
inline std::string describe(const TensorSpec &tensor) {
  return std::string(dtypeName(tensor.dtype)) + formatShape(tensor.shape);
}

} // namespace ssmrt

#endif // SSMRT_LIB_RUN_TEXT_H
