//===- Device.h - The GPU as the runner sees it -----------------*- C++ -*-===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// The C++ interface through which the runner finds, fills and times the GPU.
// It shares the driver session, the runtime's stream and the allocator with
// the mgpu* functions that compiled workloads call (ssmrt/CudaRuntime.h).
//
// No function here exits the process: `available` never fails, and the others
// throw std::runtime_error with a message that says what was asked and why it
// could not be done (no GPU, the driver call and its CUDA error, bytes
// requested against bytes free). The driver is loaded at run time, so all of
// this links and runs on a machine without one.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_DEVICE_H
#define SSMRT_DEVICE_H

#include <cstddef>
#include <functional>
#include <string>

namespace ssmrt::device {

/// Whether a GPU can run work: the driver loads, initialises and reports a
/// device. Otherwise returns false and sets `whyNot` ("libcuda.so.1 not found
/// (no NVIDIA driver): ...", "cuInit failed: CUDA_ERROR_NO_DEVICE (...)").
/// Never throws, never exits; cheap after the first call.
bool available(std::string &whyNot);

/// What the runner reports about the GPU.
struct Info {
  std::string name;
  int ccMajor, ccMinor;
  int smClockMHz, memClockMHz;
  size_t totalMem, freeMem;
};

/// Describes the runtime's device (opening it on first use).
Info info();

/// Allocates `bytes` of device memory (null for 0 bytes). Throws, naming the
/// bytes requested and the memory free, when it cannot.
void *alloc(size_t bytes);

/// Frees memory from `alloc` (or from mgpuMemAlloc); null does nothing. Never
/// throws, so it may run in destructors: errors are reported on stderr, and
/// none at all once the driver has shut down at exit.
void free(void *p);

/// Copies host to device in the runtime stream's order and waits for it.
void copyToDevice(void *dst, const void *src, size_t bytes);

/// Copies device to host in the runtime stream's order and waits for it.
void copyToHost(void *dst, const void *src, size_t bytes);

/// Waits for all work on the device; throws if any of it failed.
void synchronize();

/// Times `fn` (which launches work through the runtime's stream) with CUDA
/// events on that stream; returns milliseconds.
double timeMs(const std::function<void()> &fn);

/// Runs `fn` and returns the summed GPU time, in milliseconds, of the kernels
/// it launched through the runtime: an event pair around each launch, so
/// host work and the gaps between launches are left out. Also returns the
/// number of kernels through `launches`.
double kernelTimeMs(const std::function<void()> &fn, size_t *launches);

/// Device memory the runtime has allocated and not freed, counted in the
/// order of its stream (arguments, the entry's buffers, library workspace),
/// as a framework's caching allocator counts it.
struct MemoryUse {
  size_t liveBytes = 0;
  size_t peakBytes = 0; ///< The most live at once since the last reset.
};
MemoryUse memoryUse();

/// Starts a new peak at what is live now.
void resetPeakMemory();

/// One call of a function that launches work through the runtime's stream,
/// captured as a CUDA graph and replayed as one launch. The call must be
/// stream-ordered throughout (allocations from the memory pool, no host
/// waits other than the entry's last one, which the runtime skips while
/// capturing); the buffers it touches must stay where they were.
class Graph {
public:
  /// Captures one call of `fn`; throws, naming the driver's error, when
  /// the driver cannot capture it (no memory pools, an operation that is
  /// not allowed while capturing).
  explicit Graph(const std::function<void()> &fn);
  ~Graph();
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;
  /// Queues one replay on the runtime's stream; does not wait.
  void launch();

private:
  void *graph = nullptr; ///< CUgraph
  void *exec = nullptr;  ///< CUgraphExec
};

/// Checks that the device can run a cubin built for `chip` (e.g. "sm_90"):
/// throws with a message naming both when the GPU's compute capability is
/// older. Also throws where a cubin's binary compatibility ends: a cubin runs
/// only on GPUs of its own major version, and one for an architecture-specific
/// chip ("sm_90a") only on exactly that chip. "compute_90" names PTX, which
/// the driver compiles for any GPU at least that new. Throws on a name that is
/// neither.
void requireChip(const std::string &chip);

} // namespace ssmrt::device

#endif // SSMRT_DEVICE_H
