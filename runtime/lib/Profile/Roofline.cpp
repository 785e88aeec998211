//===- Roofline.cpp - The roofline plot of kernel reports -----------------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// A plain SVG writer: no library, fixed geometry, numbers printed with a
// fixed precision so that the output is reproducible (tests compare it with
// an expected file).
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Profile/Report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace ssmrt::profile;

namespace {
/// One point of the plot.
struct Point {
  double intensity; ///< Flops per byte.
  double flops;     ///< Flop per second.
  std::string label;
};

/// Log-log axes mapped onto the plot area.
struct Axes {
  double xMin, xMax, yMin, yMax; // decades (log10)
  double left = 80, right = 760, top = 40, bottom = 440;
  double x(double value) const {
    return left + (std::log10(value) - xMin) / (xMax - xMin) * (right - left);
  }
  double y(double value) const {
    return bottom - (std::log10(value) - yMin) / (yMax - yMin) * (bottom - top);
  }
};
} // namespace

template <typename... Args>
static std::string format(const char *fmt, Args... args) {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), fmt, args...);
  return buffer;
}

/// Escapes text for SVG.
static std::string escape(const std::string &text) {
  std::string result;
  for (char c : text) {
    if (c == '<')
      result += "&lt;";
    else if (c == '>')
      result += "&gt;";
    else if (c == '&')
      result += "&amp;";
    else
      result += c;
  }
  return result;
}

/// "1e+12" as "10^12" for axis labels.
static std::string decade(int exponent) { return format("1e%d", exponent); }

std::string
ssmrt::profile::rooflineSvg(const std::vector<const Report *> &reports) {
  std::vector<Point> points;
  std::vector<std::string> skipped;
  Peaks peaks;
  for (size_t r = 0; r < reports.size(); ++r) {
    const Report &report = *reports[r];
    if (peaks.bandwidth <= 0 && report.peaks.bandwidth > 0)
      peaks = report.peaks;
    std::string prefix =
        reports.size() > 1 ? std::to_string(r) + ":" : std::string();
    for (const ReportKernel &kernel : report.kernels) {
      std::string label =
          prefix + std::to_string(kernel.position) + " " + kernel.name;
      const Derived &d = kernel.derived;
      if (!d.intensity || !d.flops || *d.intensity <= 0 || *d.flops <= 0 ||
          d.timeNs <= 0) {
        skipped.push_back(label);
        continue;
      }
      points.push_back({*d.intensity, *d.flops / (d.timeNs * 1e-9), label});
    }
  }
  // The axes cover every point and the ridge, whole decades.
  double xLo = 1e-2, xHi = 1e2, yLo = 1e9, yHi = 1e14;
  for (const Point &p : points) {
    xLo = std::min(xLo, p.intensity);
    xHi = std::max(xHi, p.intensity);
    yLo = std::min(yLo, p.flops);
    yHi = std::max(yHi, p.flops);
  }
  if (peaks.flops > 0)
    yHi = std::max(yHi, peaks.flops);
  Axes axes{std::floor(std::log10(xLo)), std::ceil(std::log10(xHi)),
            std::floor(std::log10(yLo)), std::ceil(std::log10(yHi))};

  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\" "
      "font-family=\"sans-serif\" font-size=\"11\">\n";
  svg += "<rect width=\"800\" height=\"500\" fill=\"white\"/>\n";
  std::string title = points.empty()
                          ? "roofline: no kernel has DRAM bytes and f32 "
                            "flops (collect --metrics default)"
                          : "roofline: f32 flop/s against flops per DRAM byte";
  svg += format("<text x=\"400\" y=\"22\" text-anchor=\"middle\" "
                "font-size=\"14\">%s</text>\n",
                escape(title).c_str());
  // Grid and axis labels, one per decade.
  for (int e = int(axes.xMin); e <= int(axes.xMax); ++e) {
    double x = axes.x(std::pow(10.0, e));
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"#ddd\"/>\n",
                  x, axes.top, x, axes.bottom);
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s"
                  "</text>\n",
                  x, axes.bottom + 16, decade(e).c_str());
  }
  for (int e = int(axes.yMin); e <= int(axes.yMax); ++e) {
    double y = axes.y(std::pow(10.0, e));
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"#ddd\"/>\n",
                  axes.left, y, axes.right, y);
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                  axes.left - 6, y + 4, decade(e).c_str());
  }
  svg += format("<text x=\"420\" y=\"480\" text-anchor=\"middle\">f32 flops "
                "per DRAM byte</text>\n");
  svg += "<text x=\"16\" y=\"240\" text-anchor=\"middle\" "
         "transform=\"rotate(-90 16 240)\">f32 flop/s</text>\n";
  // Ceilings: bandwidth x intensity up to the ridge, then the FMA peak.
  if (peaks.bandwidth > 0 && peaks.flops > 0) {
    double x0 = std::pow(10.0, axes.xMin), x1 = std::pow(10.0, axes.xMax);
    double ridge = peaks.flops / peaks.bandwidth;
    double start = std::max(x0, std::pow(10.0, axes.yMin) / peaks.bandwidth);
    double end = std::min(ridge, x1);
    svg +=
        format("<polyline fill=\"none\" stroke=\"#c00\" stroke-width=\"2\" "
               "points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
               axes.x(start), axes.y(start * peaks.bandwidth), axes.x(end),
               axes.y(end * peaks.bandwidth), axes.x(x1), axes.y(peaks.flops));
    svg += format("<text x=\"%.1f\" y=\"%.1f\" fill=\"#c00\">DRAM %.0f GB/s "
                  "(copy)</text>\n",
                  axes.x(start) + 4, axes.y(start * peaks.bandwidth) - 6,
                  peaks.bandwidth * 1e-9);
    svg += format("<text x=\"%.1f\" y=\"%.1f\" fill=\"#c00\" "
                  "text-anchor=\"end\">f32 FMA %.1f TFLOP/s</text>\n",
                  axes.right - 4, axes.y(peaks.flops) - 6, peaks.flops * 1e-12);
  }
  for (const Point &p : points) {
    double x = axes.x(p.intensity), y = axes.y(p.flops);
    svg += format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#036\"/>\n",
                  x, y);
    svg += format("<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 6, y - 4,
                  escape(p.label).c_str());
  }
  if (!skipped.empty()) {
    svg += "<!-- not plotted (no DRAM bytes or f32 flops):";
    for (const std::string &label : skipped)
      svg += " [" + escape(label) + "]";
    svg += " -->\n";
  }
  svg += "</svg>\n";
  return svg;
}
