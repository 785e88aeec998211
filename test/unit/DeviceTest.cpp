//===- DeviceTest.cpp - Tests of the device API and the mgpu* ABI ---------===//
//
// Part of the ssm project: an MLIR compiler and runtime for state space models.
//
//===----------------------------------------------------------------------===//
//
// Runs everywhere. Without a GPU (CI) it checks that the runtime says so
// clearly instead of crashing: `available` is false with a reason, the
// device API throws naming what was asked, the mgpu* ABI exits with a
// message, and teardown calls are harmless. With a GPU, the `Gpu` suites
// check the same API against the device, including a kernel launched through
// the mgpu* ABI (the ABI takes cubin or PTX; the test has no compiler, so its
// kernel is a PTX fixture).
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Device.h"
#include "ssmrt/CudaRuntime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace device = ssmrt::device;

/// Whether this machine has a usable GPU; the reason when not.
bool haveGpu(std::string *whyNot = nullptr) {
  std::string reason;
  bool available = device::available(reason);
  if (whyNot)
    *whyNot = reason;
  return available;
}

#define SKIP_WITH_GPU()                                                        \
  do {                                                                         \
    if (haveGpu())                                                             \
      GTEST_SKIP() << "a GPU is available: this test is for machines without"; \
  } while (false)

#define SKIP_WITHOUT_GPU()                                                     \
  do {                                                                         \
    std::string whyNot;                                                        \
    if (!haveGpu(&whyNot))                                                     \
      GTEST_SKIP() << "no GPU: " << whyNot;                                    \
  } while (false)

/// Runs `fn`, expecting std::runtime_error; returns its message.
template <typename Fn> std::string thrownMessage(Fn fn) {
  try {
    fn();
  } catch (const std::runtime_error &error) {
    return error.what();
  }
  ADD_FAILURE() << "expected std::runtime_error";
  return "";
}

//===----------------------------------------------------------------------===//
// Anywhere
//===----------------------------------------------------------------------===//

TEST(Device, AvailableNeverThrowsAndGivesAReason) {
  std::string whyNot;
  bool first = false;
  EXPECT_NO_THROW(first = device::available(whyNot));
  if (!first) {
    EXPECT_FALSE(whyNot.empty());
  }
  // The answer is settled once per process.
  std::string again;
  EXPECT_EQ(device::available(again), first);
  EXPECT_EQ(again, whyNot);
}

TEST(Device, ZeroSizesAndNullPointersAreNoOps) {
  EXPECT_EQ(device::alloc(0), nullptr);
  EXPECT_NO_THROW(device::free(nullptr));
  EXPECT_NO_THROW(device::copyToDevice(nullptr, nullptr, 0));
  EXPECT_NO_THROW(device::copyToHost(nullptr, nullptr, 0));
}

TEST(Device, RequireChipRejectsNamesThatAreNoChip) {
  for (const char *chip : {"gfx90a", "sm_", "sm_9", "sm_90x", "sm90", "90"}) {
    std::string message = thrownMessage([&] { device::requireChip(chip); });
    EXPECT_NE(message.find("not a chip name"), std::string::npos)
        << chip << ": " << message;
    EXPECT_NE(message.find(chip), std::string::npos) << message;
  }
}

TEST(CudaRuntime, TeardownCallsAreHarmless) {
  // What generated code does at exit must never fail the process, whether or
  // not the driver was ever usable.
  mgpuModuleUnload(nullptr);
  mgpuEventDestroy(nullptr);
  mgpuStreamDestroy(nullptr);
  mgpuMemFree(nullptr, nullptr);
  SUCCEED();
}

TEST(CudaRuntime, SettingTheStreamNeedsNoGpu) {
  ssmrtSetStream(nullptr);
  SUCCEED();
}

//===----------------------------------------------------------------------===//
// Without a GPU
//===----------------------------------------------------------------------===//

TEST(DeviceWithoutGpu, AvailableSaysWhy) {
  SKIP_WITH_GPU();
  std::string whyNot;
  EXPECT_FALSE(device::available(whyNot));
  // Either no driver at all, or a driver without a device.
  bool namesDriver = whyNot.find("libcuda.so.1 not found") != std::string::npos;
  bool namesCall = whyNot.find("failed: CUDA_ERROR_") != std::string::npos;
  bool namesDevice = whyNot.find("no CUDA device") != std::string::npos;
  EXPECT_TRUE(namesDriver || namesCall || namesDevice) << whyNot;
}

TEST(DeviceWithoutGpu, AllocThrowsNamingBytesAndReason) {
  SKIP_WITH_GPU();
  std::string whyNot;
  device::available(whyNot);
  std::string message = thrownMessage([] { device::alloc(1024); });
  EXPECT_NE(message.find("ssmrt::device::alloc(1024 bytes)"), std::string::npos)
      << message;
  EXPECT_NE(message.find("no usable GPU"), std::string::npos) << message;
  EXPECT_NE(message.find(whyNot), std::string::npos) << message;
}

TEST(DeviceWithoutGpu, EveryOtherCallThrows) {
  SKIP_WITH_GPU();
  float host[4] = {0};
  EXPECT_THROW(device::info(), std::runtime_error);
  EXPECT_THROW(device::copyToDevice(host, host, sizeof(host)),
               std::runtime_error);
  EXPECT_THROW(device::copyToHost(host, host, sizeof(host)),
               std::runtime_error);
  EXPECT_THROW(device::synchronize(), std::runtime_error);
  EXPECT_THROW(device::requireChip("sm_90"), std::runtime_error);
  bool called = false;
  EXPECT_THROW(device::timeMs([&] { called = true; }), std::runtime_error);
  EXPECT_FALSE(called);
  // Freeing what could not have been allocated is still harmless.
  EXPECT_NO_THROW(device::free(host));
}

TEST(CudaRuntimeWithoutGpu, NothingWasLaunched) {
  SKIP_WITH_GPU();
  EXPECT_EQ(ssmrtLaunchCount(), 0u);
}

TEST(CudaRuntimeWithoutGpuDeathTest, GeneratedCodeExitsWithAMessage) {
  SKIP_WITH_GPU();
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(mgpuStreamCreate(), testing::ExitedWithCode(1),
              "ssmrt: fatal error: cannot run GPU code: ");
  static char blob[16];
  EXPECT_EXIT(mgpuModuleLoad(blob, sizeof(blob)), testing::ExitedWithCode(1),
              "cannot run GPU code");
}

//===----------------------------------------------------------------------===//
// With a GPU
//===----------------------------------------------------------------------===//

TEST(DeviceGpu, InfoDescribesTheDevice) {
  SKIP_WITHOUT_GPU();
  device::Info info = device::info();
  EXPECT_FALSE(info.name.empty());
  EXPECT_GE(info.ccMajor, 5);
  EXPECT_GE(info.ccMinor, 0);
  EXPECT_GT(info.smClockMHz, 0);
  EXPECT_GT(info.memClockMHz, 0);
  EXPECT_GT(info.freeMem, 0u);
  EXPECT_LE(info.freeMem, info.totalMem);
}

TEST(DeviceGpu, CopiesRoundTrip) {
  SKIP_WITHOUT_GPU();
  std::vector<uint32_t> in(1 << 18), out(in.size(), 0);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = static_cast<uint32_t>(i * 2654435761u);
  size_t bytes = in.size() * sizeof(uint32_t);
  void *buffer = device::alloc(bytes);
  ASSERT_NE(buffer, nullptr);
  device::copyToDevice(buffer, in.data(), bytes);
  device::copyToHost(out.data(), buffer, bytes);
  device::synchronize();
  device::free(buffer);
  EXPECT_EQ(in, out);
}

TEST(DeviceGpu, AllocBeyondTheDeviceThrowsNamingBytesAndFreeMemory) {
  SKIP_WITHOUT_GPU();
  size_t huge = size_t(1) << 50;
  std::string message = thrownMessage([&] { device::alloc(huge); });
  EXPECT_NE(message.find("out of GPU memory"), std::string::npos) << message;
  EXPECT_NE(message.find("requested " + std::to_string(huge) + " bytes"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("free of"), std::string::npos) << message;
  // The device is still usable.
  void *small = device::alloc(256);
  EXPECT_NE(small, nullptr);
  device::free(small);
}

TEST(DeviceGpu, RequireChipComparesComputeCapabilities) {
  SKIP_WITHOUT_GPU();
  device::Info info = device::info();
  std::string own =
      "sm_" + std::to_string(info.ccMajor) + std::to_string(info.ccMinor);
  EXPECT_NO_THROW(device::requireChip(own));
  EXPECT_NO_THROW(device::requireChip("compute_75"));
  std::string newer = "sm_" + std::to_string(info.ccMajor + 1) + "0";
  std::string message = thrownMessage([&] { device::requireChip(newer); });
  EXPECT_NE(message.find(newer), std::string::npos) << message;
  EXPECT_NE(message.find(info.name), std::string::npos) << message;
  EXPECT_NE(message.find(own), std::string::npos) << message;
  if (info.ccMajor > 7) {
    EXPECT_THROW(device::requireChip("sm_75"), std::runtime_error);
  }
}

/// out[i] = base + i for i < n, one thread per element.
const char *const fillPtx = R"(
.version 7.8
.target sm_75
.address_size 64
.visible .entry fill(.param .u64 out, .param .f32 base, .param .u32 n)
{
  .reg .pred %p;
  .reg .f32 %f<4>;
  .reg .b32 %r<5>;
  .reg .b64 %rd<4>;
  ld.param.u64 %rd1, [out];
  ld.param.f32 %f1, [base];
  ld.param.u32 %r1, [n];
  mov.u32 %r2, %ctaid.x;
  mov.u32 %r3, %ntid.x;
  mov.u32 %r4, %tid.x;
  mad.lo.s32 %r2, %r2, %r3, %r4;
  setp.ge.u32 %p, %r2, %r1;
  @%p bra done;
  cvta.to.global.u64 %rd1, %rd1;
  cvt.rn.f32.u32 %f2, %r2;
  add.f32 %f3, %f1, %f2;
  mul.wide.u32 %rd2, %r2, 4;
  add.s64 %rd3, %rd1, %rd2;
  st.global.f32 [%rd3], %f3;
done:
  ret;
}
)";

/// What the launch callback saw.
struct Seen {
  int begins = 0;
  int ends = 0;
  std::string name;
  unsigned gridX = 0, blockX = 0, clusterX = 0;
  uint64_t index = 0;
};

void recordLaunch(ssmrtLaunchPhase phase, const ssmrtLaunchInfo *info,
                  void *userData) {
  Seen &seen = *static_cast<Seen *>(userData);
  if (phase == SSMRT_LAUNCH_BEGIN) {
    ++seen.begins;
    seen.name = info->kernelName;
    seen.gridX = info->gridX;
    seen.blockX = info->blockX;
    seen.clusterX = info->clusterX;
    seen.index = info->launchIndex;
  } else {
    ++seen.ends;
  }
}

/// Launches `fill` on `out` as generated code would.
void launchFill(CUfunction fill, void *out, float base, uint32_t n,
                CUstream stream, intptr_t cluster = 1) {
  void *outArg = out;
  void *params[] = {&outArg, &base, &n};
  intptr_t blocks = (n + 127) / 128;
  blocks = (blocks + cluster - 1) / cluster * cluster;
  if (cluster == 1)
    mgpuLaunchKernel(fill, blocks, 1, 1, 128, 1, 1, 0, stream, params, nullptr,
                     3);
  else
    mgpuLaunchClusterKernel(fill, cluster, 1, 1, blocks, 1, 1, 128, 1, 1, 0,
                            stream, params, nullptr);
}

TEST(CudaRuntimeGpu, KernelRunsThroughTheAbi) {
  SKIP_WITHOUT_GPU();
  CUmodule module = mgpuModuleLoadJIT(const_cast<char *>(fillPtx), 2);
  ASSERT_NE(module, nullptr);
  CUfunction fill = mgpuModuleGetFunction(module, "fill");
  ASSERT_NE(fill, nullptr);

  // One shared stream: creating and destroying it per launch costs nothing.
  CUstream stream = mgpuStreamCreate();
  EXPECT_EQ(stream, ssmrtGetStream());
  mgpuStreamDestroy(stream);
  EXPECT_EQ(mgpuStreamCreate(), stream);

  const uint32_t n = 1000;
  // Upper bits set: the generated code passes an unextended i8.
  void *out = mgpuMemAlloc(n * sizeof(float), stream, 0xabcd00u);
  ASSERT_NE(out, nullptr);
  mgpuMemset32(out, 0xffffffffu, n, stream);

  Seen seen;
  ssmrtSetLaunchCallback(recordLaunch, &seen);
  uint64_t before = ssmrtLaunchCount();
  launchFill(fill, out, 0.5f, n, stream);
  ssmrtSetLaunchCallback(nullptr, nullptr);
  EXPECT_EQ(ssmrtLaunchCount(), before + 1);
  EXPECT_EQ(seen.begins, 1);
  EXPECT_EQ(seen.ends, 1);
  EXPECT_EQ(seen.name, "fill");
  EXPECT_EQ(seen.gridX, 8u);
  EXPECT_EQ(seen.blockX, 128u);
  EXPECT_EQ(seen.clusterX, 1u);
  EXPECT_EQ(seen.index, before);

  std::vector<float> host(n, -1.0f);
  mgpuMemcpy(host.data(), out, n * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(host[i], 0.5f + static_cast<float>(i)) << "element " << i;

  // The callback is gone: launches still count.
  launchFill(fill, out, 1.0f, n, nullptr);
  EXPECT_EQ(ssmrtLaunchCount(), before + 2);
  EXPECT_EQ(seen.begins, 1);
  mgpuStreamSynchronize(nullptr);

  mgpuMemFree(out, stream);
  mgpuModuleUnload(module);
}

TEST(CudaRuntimeGpu, ClusterLaunchRunsOnHopper) {
  SKIP_WITHOUT_GPU();
  if (device::info().ccMajor < 9)
    GTEST_SKIP() << "thread block clusters need sm_90 or later";
  CUmodule module = mgpuModuleLoadJIT(const_cast<char *>(fillPtx), 3);
  CUfunction fill = mgpuModuleGetFunction(module, "fill");
  const uint32_t n = 4096;
  void *out = mgpuMemAlloc(n * sizeof(float), nullptr, 0);
  Seen seen;
  ssmrtSetLaunchCallback(recordLaunch, &seen);
  launchFill(fill, out, 2.0f, n, nullptr, /*cluster=*/2);
  ssmrtSetLaunchCallback(nullptr, nullptr);
  EXPECT_EQ(seen.clusterX, 2u);
  std::vector<float> host(n);
  mgpuMemcpy(host.data(), out, n * sizeof(float), nullptr);
  mgpuStreamSynchronize(nullptr);
  for (uint32_t i = 0; i < n; ++i)
    ASSERT_EQ(host[i], 2.0f + static_cast<float>(i)) << "element " << i;
  mgpuMemFree(out, nullptr);
  mgpuModuleUnload(module);
}

TEST(CudaRuntimeGpu, MemsetAndEventsOrderWork) {
  SKIP_WITHOUT_GPU();
  const size_t n = 1 << 16;
  CUstream stream = mgpuStreamCreate();
  void *halves = mgpuMemAlloc(n * 2, stream, 0);
  // Only the low 16 bits of the value count.
  mgpuMemset16(halves, 0xabcd1234u, n, stream);
  CUevent done = mgpuEventCreate();
  mgpuEventRecord(done, stream);
  mgpuStreamWaitEvent(stream, done);
  mgpuEventSynchronize(done);
  mgpuEventDestroy(done);
  std::vector<uint16_t> host(n);
  mgpuMemcpy(host.data(), halves, n * 2, stream);
  mgpuStreamSynchronize(stream);
  for (size_t i = 0; i < n; ++i)
    ASSERT_EQ(host[i], 0x1234u) << "element " << i;
  mgpuMemFree(halves, stream);

  void *shared = mgpuMemAlloc(4096, nullptr, 1);
  ASSERT_NE(shared, nullptr);
  mgpuMemset32(shared, 7, 1024, nullptr);
  mgpuStreamSynchronize(nullptr);
  EXPECT_EQ(static_cast<uint32_t *>(shared)[1023], 7u);
  mgpuMemFree(shared, nullptr);
}

TEST(CudaRuntimeGpu, TimeMsMeasuresWorkOnTheRuntimeStream) {
  SKIP_WITHOUT_GPU();
  CUmodule module = mgpuModuleLoadJIT(const_cast<char *>(fillPtx), 3);
  CUfunction fill = mgpuModuleGetFunction(module, "fill");
  const uint32_t n = 1 << 24;
  void *out = device::alloc(n * sizeof(float));
  double ms = device::timeMs([&] {
    for (int i = 0; i < 10; ++i)
      launchFill(fill, out, 0.0f, n, mgpuStreamCreate());
  });
  EXPECT_GT(ms, 0.0);
  EXPECT_LT(ms, 10000.0);
  device::free(out);
  mgpuModuleUnload(module);
}

TEST(CudaRuntimeGpuDeathTest, FailuresEndTheProcessWithAMessage) {
  SKIP_WITHOUT_GPU();
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(mgpuMemAlloc(uint64_t(1) << 50, nullptr, 0),
              testing::ExitedWithCode(1),
              "ssmrt: fatal error: out of GPU memory: requested "
              "1125899906842624 bytes");
  static char garbage[64] = "not a cubin";
  EXPECT_EXIT(mgpuModuleLoad(garbage, sizeof(garbage)),
              testing::ExitedWithCode(1),
              "cannot load a GPU module of 64 bytes");
  EXPECT_EXIT(
      {
        CUmodule module = mgpuModuleLoadJIT(const_cast<char *>(fillPtx), 2);
        CUfunction fill = mgpuModuleGetFunction(module, "fill");
        mgpuLaunchKernel(fill, 1, 1, 1, 4096, 1, 1, 0, nullptr, nullptr,
                         nullptr, 0);
      },
      testing::ExitedWithCode(1), "cannot launch kernel 'fill' with grid");
  EXPECT_EXIT(
      {
        CUmodule module = mgpuModuleLoadJIT(const_cast<char *>(fillPtx), 2);
        mgpuModuleGetFunction(module, "missing");
      },
      testing::ExitedWithCode(1), "cannot find kernel 'missing'");
  // A kernel that faults is named when its error surfaces.
  EXPECT_EXIT(
      {
        CUmodule module = mgpuModuleLoadJIT(const_cast<char *>(fillPtx), 2);
        CUfunction fill = mgpuModuleGetFunction(module, "fill");
        launchFill(fill, reinterpret_cast<void *>(16), 0.0f, 1024, nullptr);
        mgpuStreamSynchronize(nullptr);
      },
      testing::ExitedWithCode(1),
      "GPU work failed: cuStreamSynchronize failed: "
      "CUDA_ERROR_ILLEGAL_ADDRESS.*the last kernel launched was 'fill'");
}

} // namespace
