// Micro-benchmark: the memory access patterns of the SSD state passing, at
// B1 L65536 H24 P64 N128 with chunks of 64 (1024 chunks): one thread per
// (head, state, p) walks the chunks. Measures the walk in place (load an
// element, overwrite it), into a separate buffer, with the next chunk's load
// issued early, and read-only. Build and run on the GPU machine:
//   nvcc -O3 -arch=sm_90 benchmarks/micro/ssd_state_passing.cu -o pass && ./pass
// Figures in docs/PERFORMANCE.md.
#include <cstdio>
#include <cuda_runtime.h>
constexpr int H = 24, N = 128, P = 64, NC = 1024;
constexpr long HNP = (long)H * N * P;
__global__ void inplace(float *states, const float *decay, float *fin) {
  long id = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (id >= HNP) return;
  long h = id / (N * P), np = id % (N * P);
  float cur = 0;
  for (int c = 0; c < NC; ++c) {
    long idx = (long)c * HNP + h * N * P + np;
    float own = states[idx];
    states[idx] = cur;
    cur = decay[h * NC + c] * cur + own;
  }
  fin[id] = cur;
}
__global__ void separate(const float *__restrict__ states, float *__restrict__ out, const float *__restrict__ decay, float *fin) {
  long id = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (id >= HNP) return;
  long h = id / (N * P), np = id % (N * P);
  float cur = 0;
  for (int c = 0; c < NC; ++c) {
    long idx = (long)c * HNP + h * N * P + np;
    float own = states[idx];
    out[idx] = cur;
    cur = decay[h * NC + c] * cur + own;
  }
  fin[id] = cur;
}
__global__ void prefetch(float *states, const float *decay, float *fin) {
  long id = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (id >= HNP) return;
  long h = id / (N * P), np = id % (N * P);
  float cur = 0;
  float next = states[h * N * P + np];
  for (int c = 0; c < NC; ++c) {
    long idx = (long)c * HNP + h * N * P + np;
    float own = next;
    if (c + 1 < NC) next = states[idx + HNP];
    states[idx] = cur;
    cur = decay[h * NC + c] * cur + own;
  }
  fin[id] = cur;
}
__global__ void readonly(const float *__restrict__ states, const float *__restrict__ decay, float *fin) {
  long id = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (id >= HNP) return;
  long h = id / (N * P), np = id % (N * P);
  float cur = 0;
  for (int c = 0; c < NC; ++c) {
    long idx = (long)c * HNP + h * N * P + np;
    cur = decay[h * NC + c] * cur + states[idx];
  }
  fin[id] = cur;
}
int main() {
  float *s, *o, *d, *f;
  size_t bytes = (size_t)NC * HNP * 4;
  cudaMalloc(&s, bytes); cudaMalloc(&o, bytes); cudaMalloc(&d, H * NC * 4); cudaMalloc(&f, HNP * 4);
  cudaMemset(s, 0, bytes); cudaMemset(d, 0, H * NC * 4);
  cudaMallocAsync((void **)&o, bytes, 0);
  cudaEvent_t a, b; cudaEventCreate(&a); cudaEventCreate(&b);
  int threads = 128, blocks = (HNP + threads - 1) / threads;
  const char *names[] = {"inplace", "separate", "prefetch", "readonly"};
  for (int k = 0; k < 4; ++k) {
    float best = 1e9;
    for (int r = 0; r < 5; ++r) {
      cudaEventRecord(a);
      if (k == 0) inplace<<<blocks, threads>>>(s, d, f);
      if (k == 1) separate<<<blocks, threads>>>(s, o, d, f);
      if (k == 2) prefetch<<<blocks, threads>>>(s, d, f);
      if (k == 3) readonly<<<blocks, threads>>>(s, d, f);
      cudaEventRecord(b); cudaEventSynchronize(b);
      float ms; cudaEventElapsedTime(&ms, a, b); if (ms < best) best = ms;
    }
    printf("%s: %.3f ms (%.0f GB/s moved)\n", names[k], best, (k == 3 ? 1.0 : 2.0) * bytes / best / 1e6);
  }
  printf("err: %s\n", cudaGetErrorString(cudaGetLastError()));
}
