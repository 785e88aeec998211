//===- Compare.h - ssm-run --compare: binaries side by side -----*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The pure parts of `ssm-run --compare A.so B.so ...`, which runs one entry of
// several builds of a workload in one process on the same inputs: whether two
// entries have the same signature, which lowering choices tell the builds
// apart, and the table of their times. Runner.cpp does the running.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_RUN_COMPARE_H
#define SSMRT_RUN_COMPARE_H

#include "ssmrt/Run/Execute.h"
#include "ssmrt/Workload.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ssmrt {

/// Lowering choices as (column name, value) pairs, in a stable order.
using LoweringChoices = std::vector<std::pair<std::string, std::string>>;

/// The choices `entry` of a binary was built with: every key of the
/// manifest's `lowering.options` (e.g. "chunk-len"), then every key of each
/// op's `lowering` object as "<op>.<key>" (the op without "ssm.", followed by
/// "[k]", its index in the entry's ops, when the entry has it more than once),
/// e.g. "selective_scan_grad.variant".
LoweringChoices loweringChoices(const Manifest &manifest,
                                const EntrySpec &entry);

/// The names whose values are not the same in every element of `choices` (a
/// name that some lack differs too), in the order they first appear.
std::vector<std::string>
differingKeys(const std::vector<LoweringChoices> &choices);

/// Empty when `other` has the signature of `first`: the same tensors in the
/// same order, each of the same name, role, dtype and shape. Otherwise the
/// first difference, naming the tensor, as `other` against `first`, e.g.
/// "tensor 'u' is f32[1,4,16], expected f32[1,4,37]".
std::string signatureMismatch(const EntrySpec &first, const EntrySpec &other);

/// What the table calls each binary: its file name when no two paths share
/// one, else the paths as given.
std::vector<std::string> shortNames(const std::vector<std::string> &paths);

/// One binary's row of the table.
struct CompareRow {
  std::string name;                    ///< From shortNames.
  LoweringChoices lowering;            ///< From loweringChoices.
  TimeStats time;                      ///< Per call.
  std::optional<TimeStats> kernelTime; ///< The kernels alone (GPU).
  size_t launches = 0;                 ///< Kernel launches per call (GPU).
};

/// The comparison table: a header, one line per row (binary, the value of
/// each of `keys` or "-", median, min and max ms, spread, time/first, and
/// where a row has kernel times: kernel ms, kernel/first and launches), then
/// a line saying what time/first means. Columns are two spaces apart; names
/// and lowering values are left-aligned, numbers right-aligned.
std::string formatCompareTable(const std::vector<std::string> &keys,
                               const std::vector<CompareRow> &rows);

} // namespace ssmrt

#endif // SSMRT_RUN_COMPARE_H
