//===- Sweep.h - compile one workload under many lowering choices -*- C++
//-*-===//
//
// `ssm-compile --sweep 'variant=unfused,fused-scan;chunk-len=64,128'` writes
// one binary per combination of the listed option values, named after its
// choices. Invalid combinations are listed with their reason and skipped.
//
//===----------------------------------------------------------------------===//

#ifndef SSM_TARGET_SWEEP_H
#define SSM_TARGET_SWEEP_H

#include "ssm/Target/WorkloadBinary.h"

#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace ssm {

/// One lowering option and the values a sweep tries.
struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

/// One point of a sweep: a value per axis, in axis order.
using SweepPoint = std::vector<std::pair<std::string, std::string>>;

/// Parses `key=v1,v2;key2=v3` (axes separated by `;`, values by `,`).
/// Fails with a message in `error` on an empty, malformed or repeated axis.
FailureOr<std::vector<SweepAxis>> parseSweep(StringRef spec,
                                             std::string &error);

/// Every combination of the axes' values, the last axis fastest.
std::vector<SweepPoint> sweepPoints(const std::vector<SweepAxis> &axes);

/// The file name of a point's binary: `<stem>.<key>-<value>...so`, with
/// characters that are awkward in file names replaced by `_`.
std::string sweepFileName(StringRef stem, const SweepPoint &point);

/// What a sweep did.
struct SweepSummary {
  unsigned compiled = 0, skipped = 0;
};

/// Compiles every point of `axes` into `outputDir` (created if needed):
/// `parse` gives a fresh module per point, `base` the target and the
/// options every point shares (its outputPath is ignored). Prints one
/// progress line per point to `os` (its index, its choices, the binary or
/// why it was skipped, and the compile time), then a summary line.
SweepSummary runSweep(MLIRContext &context,
                      function_ref<OwningOpRef<ModuleOp>()> parse,
                      const CompileOptions &base, StringRef stem,
                      StringRef outputDir, const std::vector<SweepAxis> &axes,
                      raw_ostream &os);

} // namespace ssm
} // namespace mlir

#endif // SSM_TARGET_SWEEP_H
