//===- ShapeChecks.h - Operand validation for the reference ----*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Private helpers shared by the reference op files: every shape check throws
// std::invalid_argument with a message naming the op, operand and dimension.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_LIB_REFERENCE_SHAPECHECKS_H
#define SSMRT_LIB_REFERENCE_SHAPECHECKS_H

#include "ssmrt/Reference.h"

#include <string>
#include <vector>

namespace ssmrt::ref::detail {

/// Throws std::invalid_argument("<op>: <message>").
[[noreturn]] void fail(const std::string &op, const std::string &message);

/// Checks that `t` has rank `rank` and a data size matching its shape.
void checkRank(const std::string &op, const std::string &name, const Tensor &t,
               int64_t rank);

/// Checks that `t` has exactly the shape `expected`.
void checkShape(const std::string &op, const std::string &name, const Tensor &t,
                const std::vector<int64_t> &expected);

/// Checks `t` against `expected` when `t` is present.
void checkOptShape(const std::string &op, const std::string &name,
                   const OptTensor &t, const std::vector<int64_t> &expected);

/// Checks that the group count `groups` (dimension `dim` of operand `name`)
/// is positive and divides `channels`, named `channelName`.
void checkGroups(const std::string &op, const std::string &name, int64_t dim,
                 int64_t groups, const std::string &channelName,
                 int64_t channels);

} // namespace ssmrt::ref::detail

#endif // SSMRT_LIB_REFERENCE_SHAPECHECKS_H
