//===- Matmul.cpp - matrix products of workload binaries (cuBLASLt) -------===//
//
// `ssmrt_matmul_f32`, which GPU workload binaries call for the
// `cublaslt` strategy of ssm.linear and its gradient: C = alpha * op(A) *
// op(B) + beta * C on row-major f32 matrices, computed by cuBLASLt on the
// runtime's stream. cuBLASLt is loaded at run time like the driver, so the
// runtime still builds and starts where it is absent; a binary that calls
// it there fails with a message naming the library.
//
// The arguments are what MLIR's default calling convention makes of three
// `memref<?x?xf32>` operands (allocated and aligned pointers, offset, two
// sizes, two strides each) followed by the scalars.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

#include <cublasLt.h>
#include <dlfcn.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

using namespace ssmrt::cuda;

namespace {

#define SSMRT_CUBLASLT_FUNCTIONS(X)                                            \
  X(cublasLtCreate)                                                            \
  X(cublasLtMatmulDescCreate)                                                  \
  X(cublasLtMatmulDescSetAttribute)                                            \
  X(cublasLtMatrixLayoutCreate)                                                \
  X(cublasLtMatmulPreferenceCreate)                                            \
  X(cublasLtMatmulPreferenceSetAttribute)                                      \
  X(cublasLtMatmulAlgoGetHeuristic)                                            \
  X(cublasLtMatmul)

struct CublasLt {
#define SSMRT_CUBLASLT_MEMBER(name) decltype(&::name) name = nullptr;
  SSMRT_CUBLASLT_FUNCTIONS(SSMRT_CUBLASLT_MEMBER)
#undef SSMRT_CUBLASLT_MEMBER
  cublasLtHandle_t handle = nullptr;
};

/// cuBLASLt, loaded and given a handle once per process; ends the process
/// with the reason where it cannot be.
const CublasLt &cublasLt() {
  static const CublasLt *loaded = [] {
    std::string tried;
    void *library = nullptr;
    for (const char *path : {"libcublasLt.so.13", "libcublasLt.so",
                             "/usr/local/cuda/lib64/libcublasLt.so.13"}) {
      library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
      if (library)
        break;
      const char *why = dlerror();
      tried += std::string(tried.empty() ? "" : "; ") + (why ? why : path);
    }
    if (!library)
      libraryFatal("the binary's matrix products use cuBLASLt "
                   "(matmul-strategy=cublaslt), which cannot be loaded: " +
                   tried + " (compile with --matmul-strategy=generated)");
    auto *api = new CublasLt();
#define SSMRT_CUBLASLT_RESOLVE(name)                                           \
  api->name = reinterpret_cast<decltype(api->name)>(dlsym(library, #name));    \
  if (!api->name)                                                              \
    libraryFatal("cuBLASLt lacks " #name);
    SSMRT_CUBLASLT_FUNCTIONS(SSMRT_CUBLASLT_RESOLVE)
#undef SSMRT_CUBLASLT_RESOLVE
    if (cublasStatus_t status = api->cublasLtCreate(&api->handle))
      libraryFatal("cublasLtCreate failed with status " +
                   std::to_string(status));
    return api;
  }();
  return *loaded;
}

/// A row-major matrix as MLIR passes a memref<?x?xf32>.
struct Matrix {
  float *data;
  int64_t rows, cols, rowStride;
};

/// What cuBLASLt needs for one product shape, built once (descriptors,
/// layouts, the heuristic's algorithm).
struct Plan {
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulAlgo_t algo;
  bool haveAlgo = false;
};

constexpr size_t kWorkspaceBytes = 32 << 20;

std::string statusText(const char *call, cublasStatus_t status) {
  return std::string(call) + " failed with cuBLAS status " +
         std::to_string(static_cast<int>(status));
}

} // namespace

/// C[M,N] = alpha * op(A) * op(B) + beta * C, row-major, as the column-major
/// product C^T = op(B)^T * op(A)^T: cuBLASLt's A is B's memory and its B is
/// A's, each read with its own transpose flag.
/// How a product computes: f32 arithmetic, or TF32 tensor cores.
struct Precision {
  cublasComputeType_t compute;
  const char *name;   ///< The entry point, for messages.
  const char *launch; ///< The launch name timing and profiles show.
};

static void matmul(const Precision &precision, const Matrix &A, const Matrix &B,
                   const Matrix &C, int32_t transA, int32_t transB, float alpha,
                   float beta) {
  int64_t m = C.cols, n = C.rows;
  int64_t k = transA ? A.rows : A.cols;
  if ((transA ? A.cols : A.rows) != n || (transB ? B.rows : B.cols) != m ||
      (transB ? B.cols : B.rows) != k)
    libraryFatal(std::string(precision.name) + ": shapes do not agree");

  const CublasLt &lt = cublasLt();
  static std::mutex mutex;
  static std::map<std::tuple<int64_t, int64_t, int64_t, int, int, int64_t,
                             int64_t, int64_t, bool, int>,
                  Plan>
      plans;
  static CUdeviceptr workspace = 0;
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_tuple(m, n, k, transA, transB, A.rowStride, B.rowStride,
                             C.rowStride, beta != 0.0f,
                             static_cast<int>(precision.compute));
  Plan &plan = plans[key];
  if (!plan.desc) {
    auto require = [](cublasStatus_t status, const char *call) {
      if (status != CUBLAS_STATUS_SUCCESS)
        libraryFatal(statusText(call, status));
    };
    require(
        lt.cublasLtMatmulDescCreate(&plan.desc, precision.compute, CUDA_R_32F),
        "cublasLtMatmulDescCreate");
    cublasOperation_t opA = transB ? CUBLAS_OP_T : CUBLAS_OP_N;
    cublasOperation_t opB = transA ? CUBLAS_OP_T : CUBLAS_OP_N;
    require(lt.cublasLtMatmulDescSetAttribute(
                plan.desc, CUBLASLT_MATMUL_DESC_TRANSA, &opA, sizeof(opA)),
            "cublasLtMatmulDescSetAttribute(TRANSA)");
    require(lt.cublasLtMatmulDescSetAttribute(
                plan.desc, CUBLASLT_MATMUL_DESC_TRANSB, &opB, sizeof(opB)),
            "cublasLtMatmulDescSetAttribute(TRANSB)");
    // Column-major views of the row-major buffers: rows = the row-major
    // columns, leading dimension = the row stride.
    require(lt.cublasLtMatrixLayoutCreate(&plan.a, CUDA_R_32F, B.cols, B.rows,
                                          B.rowStride),
            "cublasLtMatrixLayoutCreate(A)");
    require(lt.cublasLtMatrixLayoutCreate(&plan.b, CUDA_R_32F, A.cols, A.rows,
                                          A.rowStride),
            "cublasLtMatrixLayoutCreate(B)");
    require(lt.cublasLtMatrixLayoutCreate(&plan.c, CUDA_R_32F, C.cols, C.rows,
                                          C.rowStride),
            "cublasLtMatrixLayoutCreate(C)");
    cublasLtMatmulPreference_t preference = nullptr;
    require(lt.cublasLtMatmulPreferenceCreate(&preference),
            "cublasLtMatmulPreferenceCreate");
    size_t workspaceBytes = kWorkspaceBytes;
    require(lt.cublasLtMatmulPreferenceSetAttribute(
                preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                &workspaceBytes, sizeof(workspaceBytes)),
            "cublasLtMatmulPreferenceSetAttribute");
    cublasLtMatmulHeuristicResult_t result = {};
    int found = 0;
    require(lt.cublasLtMatmulAlgoGetHeuristic(lt.handle, plan.desc, plan.a,
                                              plan.b, plan.c, plan.c,
                                              preference, 1, &result, &found),
            "cublasLtMatmulAlgoGetHeuristic");
    if (found < 1)
      libraryFatal("cuBLASLt has no algorithm for a " + std::to_string(m) +
                   "x" + std::to_string(n) + "x" + std::to_string(k) +
                   " f32 product");
    plan.algo = result.algo;
    plan.haveAlgo = true;
  }
  runLibraryLaunch(precision.launch, [&](CUstream stream) {
    if (!workspace) {
      const Session *opened = nullptr;
      std::string whyNot;
      opened = openSession(whyNot);
      if (!opened)
        return "no GPU session: " + whyNot;
      // Counted with the runtime's other memory (peak device memory).
      if (CUresult result = allocateDevice(*opened, kWorkspaceBytes,
                                           /*streamOrdered=*/false, workspace))
        return callFailed("cuMemAlloc (cuBLASLt workspace)", result);
    }
    cublasStatus_t status = lt.cublasLtMatmul(
        lt.handle, plan.desc, &alpha, B.data, plan.a, A.data, plan.b, &beta,
        C.data, plan.c, C.data, plan.c, plan.haveAlgo ? &plan.algo : nullptr,
        reinterpret_cast<void *>(workspace), kWorkspaceBytes, stream);
    return status == CUBLAS_STATUS_SUCCESS
               ? std::string()
               : statusText("cublasLtMatmul", status);
  });
}

#define SSMRT_MATMUL_ENTRY(name, compute, launch)                              \
  extern "C" void name(                                                        \
      float *aAllocated, float *a, int64_t aOffset, int64_t aRows,             \
      int64_t aCols, int64_t aStride0, int64_t aStride1, float *bAllocated,    \
      float *b, int64_t bOffset, int64_t bRows, int64_t bCols,                 \
      int64_t bStride0, int64_t bStride1, float *cAllocated, float *c,         \
      int64_t cOffset, int64_t cRows, int64_t cCols, int64_t cStride0,         \
      int64_t cStride1, int32_t transA, int32_t transB, float alpha,           \
      float beta) {                                                            \
    (void)aAllocated, (void)bAllocated, (void)cAllocated;                      \
    (void)aStride1, (void)bStride1, (void)cStride1;                            \
    matmul({compute, #name, launch}, {a + aOffset, aRows, aCols, aStride0},    \
           {b + bOffset, bRows, bCols, bStride0},                              \
           {c + cOffset, cRows, cCols, cStride0}, transA, transB, alpha,       \
           beta);                                                              \
  }

// The entry points the `cublaslt` and `cublaslt-tf32` strategies call, with
// the memref<?x?xf32> arguments MLIR passes (docs/WORKLOAD_BINARY.md).
SSMRT_MATMUL_ENTRY(ssmrt_matmul_f32, CUBLAS_COMPUTE_32F,
                   "ssmrt_matmul_f32_cublaslt")
SSMRT_MATMUL_ENTRY(ssmrt_matmul_tf32, CUBLAS_COMPUTE_32F_FAST_TF32,
                   "ssmrt_matmul_tf32_cublaslt")
