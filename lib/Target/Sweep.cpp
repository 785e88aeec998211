//===- Sweep.cpp - compile one workload under many lowering choices ------===//

#include "ssm/Target/Sweep.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <chrono>

using namespace mlir;
using namespace mlir::ssm;

FailureOr<std::vector<SweepAxis>> mlir::ssm::parseSweep(StringRef spec,
                                                        std::string &error) {
  std::vector<SweepAxis> axes;
  llvm::StringSet<> keys;
  SmallVector<StringRef> parts;
  spec.split(parts, ';', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    auto [key, list] = part.trim().split('=');
    key = key.trim().ltrim('-');
    if (key.empty() || !part.contains('=')) {
      error = ("sweep axis '" + part.trim() + "' must be key=v1,v2,...").str();
      return failure();
    }
    if (!keys.insert(key).second) {
      error = ("sweep axis '" + key + "' is given twice").str();
      return failure();
    }
    SweepAxis axis{key.str(), {}};
    SmallVector<StringRef> values;
    list.split(values, ',', -1, /*KeepEmpty=*/false);
    for (StringRef value : values)
      if (!value.trim().empty())
        axis.values.push_back(value.trim().str());
    if (axis.values.empty()) {
      error = ("sweep axis '" + key + "' has no values").str();
      return failure();
    }
    axes.push_back(std::move(axis));
  }
  if (axes.empty()) {
    error = "the sweep lists no axis (expected key=v1,v2;key2=v3,...)";
    return failure();
  }
  return axes;
}

std::vector<SweepPoint>
mlir::ssm::sweepPoints(const std::vector<SweepAxis> &axes) {
  std::vector<SweepPoint> points(1);
  for (const SweepAxis &axis : axes) {
    std::vector<SweepPoint> next;
    for (const SweepPoint &point : points)
      for (const std::string &value : axis.values) {
        SweepPoint extended = point;
        extended.emplace_back(axis.key, value);
        next.push_back(std::move(extended));
      }
    points = std::move(next);
  }
  return points;
}

std::string mlir::ssm::sweepFileName(StringRef stem, const SweepPoint &point) {
  std::string name = stem.str();
  for (const auto &[key, value] : point)
    name += "." + key + "-" + value;
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '.' && c != '-' && c != '_')
      c = '_';
  return name + ".so";
}

/// The first error a failed compilation reported, on one line.
static std::string firstLine(const std::string &text) {
  StringRef line = StringRef(text).split('\n').first.trim();
  return line.empty() ? std::string("compilation failed") : line.str();
}

SweepSummary mlir::ssm::runSweep(MLIRContext &context,
                                 function_ref<OwningOpRef<ModuleOp>()> parse,
                                 const CompileOptions &base, StringRef stem,
                                 StringRef outputDir,
                                 const std::vector<SweepAxis> &axes,
                                 raw_ostream &os) {
  SweepSummary summary;
  std::vector<SweepPoint> points = sweepPoints(axes);
  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir)) {
    os << "error: cannot create " << outputDir << ": " << ec.message() << "\n";
    summary.skipped = points.size();
    return summary;
  }
  for (auto [index, point] : llvm::enumerate(points)) {
    CompileOptions options = base;
    std::string choices;
    for (const auto &[key, value] : point) {
      options.loweringOptions +=
          (options.loweringOptions.empty() ? "" : " ") + key + "=" + value;
      choices += (choices.empty() ? "" : " ") + key + "=" + value;
    }
    SmallString<256> path(outputDir);
    llvm::sys::path::append(path, sweepFileName(stem, point));
    options.outputPath = path.str().str();
    os << llvm::formatv("[{0}/{1}] {2}: ", index + 1, points.size(), choices);
    os.flush();

    // An invalid combination is reported on its progress line, not as an
    // error of the sweep.
    std::string diagnostics;
    ScopedDiagnosticHandler collect(&context, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error &&
          diagnostics.empty())
        diagnostics = diag.str();
      return success();
    });
    auto start = std::chrono::steady_clock::now();
    OwningOpRef<ModuleOp> module = parse();
    bool ok = module && succeeded(compileWorkload(*module, options));
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (ok) {
      ++summary.compiled;
      os << llvm::formatv("{0} ({1:f1} s)\n", options.outputPath, seconds);
    } else {
      ++summary.skipped;
      os << "skipped: " << firstLine(diagnostics) << "\n";
    }
  }
  os << llvm::formatv("sweep: {0} compiled, {1} skipped, into {2}\n",
                      summary.compiled, summary.skipped, outputDir);
  return summary;
}
