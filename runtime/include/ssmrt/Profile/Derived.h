//===- Derived.h - Figures computed from a kernel's counters ----*- C++ -*-===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// What a kernel's counters mean against the device: the DRAM bandwidth it
// achieved and its fraction of the peak measured in the same run (a
// device-to-device copy), its arithmetic intensity (f32 flops per DRAM
// byte), and its floors: the time its DRAM bytes need at the measured
// bandwidth, the time its flops need at the f32 FMA peak, and the time its
// special-function (XU pipe: exp2, rcp, ...) warp instructions need at the
// XU's rate (16 lanes per SM: half a warp instruction per clock). The
// largest floor binds; `floorFraction` is how close the kernel came to it (1
// would be as fast as the binding unit allows). Pure arithmetic, no GPU.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_PROFILE_DERIVED_H
#define SSMRT_PROFILE_DERIVED_H

#include <optional>
#include <string>
#include <vector>

namespace ssmrt::profile {

/// Bytes per second from bytes moved in `ns` nanoseconds (0 for ns <= 0).
double bandwidth(double bytes, double ns);

/// f32 flops from SASS thread instruction counts: an FMA is two.
double flopsFromCounts(double ffma, double fadd, double fmul);

/// Flops per DRAM byte (0 when no bytes moved).
double arithmeticIntensity(double flops, double bytes);

/// The device's ceilings, measured (bandwidth) or computed (flops).
struct Peaks {
  double bandwidth = 0.0; ///< Bytes per second (reads plus writes).
  double flops = 0.0;     ///< f32 flop per second.
  double xu = 0.0;        ///< XU warp instructions per second.
};

/// The derived figures of one kernel; a figure whose inputs were not
/// collected is absent.
struct Derived {
  double timeNs = 0.0; ///< gpu__time_duration.sum, else the record's.
  std::optional<double> dramBytes;    ///< Read plus written.
  std::optional<double> bandwidth;    ///< Bytes per second.
  std::optional<double> peakFraction; ///< Of Peaks::bandwidth.
  std::optional<double> flops;
  std::optional<double> intensity; ///< Flops per DRAM byte.
  std::optional<double> memoryFloorNs;
  std::optional<double> computeFloorNs;
  std::optional<double> sfuFloorNs;
  std::string binding;                 ///< "memory", "compute", "sfu" or "".
  std::optional<double> floorFraction; ///< Binding floor over time.
};

/// Derives the figures from the counters `values` named `names` (any order;
/// those the figures need are looked up by name), the activity duration
/// `recordNs` (used when gpu__time_duration.sum is absent; <= 0: none) and
/// the peaks (0: unknown, the figures against them absent).
Derived derive(const std::vector<std::string> &names,
               const std::vector<double> &values, double recordNs,
               const Peaks &peaks);

} // namespace ssmrt::profile

#endif // SSMRT_PROFILE_DERIVED_H
