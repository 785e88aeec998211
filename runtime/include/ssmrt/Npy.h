//===- Npy.h - NumPy .npy files for workload tensors ------------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes NumPy `.npy` files (format versions 1.0 and 2.0; 3.0 is
// read too), little-endian, C order, for the five workload dtypes:
//
//   f32 <-> '<f4'   f64 <-> '<f8'   f16 <-> '<f2'   i32 <-> '<i4'
//   bf16 -> '<u2' holding the raw bfloat16 bits (NumPy has no bfloat16);
//   bf16 <- '<u2' (raw bits) or '<f4' (rounded to nearest even).
//
// Every failure throws std::runtime_error whose message starts with the file
// name and says what is wrong with it.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_NPY_H
#define SSMRT_NPY_H

#include "ssmrt/Dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ssmrt {

/// The contents of a .npy file: its NumPy type descriptor (e.g. "<f4"), its
/// shape and its data bytes exactly as stored.
struct NpyArray {
  std::string descr;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  /// The product of the dimensions (1 for a rank-0 array).
  size_t numElements() const;
};

/// The number of elements of a shape (1 for rank 0).
size_t shapeNumElements(const std::vector<int64_t> &shape);

/// Formats a shape as "[2,4,8]".
std::string formatShape(const std::vector<int64_t> &shape);

/// The descriptor a tensor of `dtype` is written with ('<u2' for bf16).
const char *npyDescr(Dtype dtype);

/// Parses the bytes of a .npy file; `path` only names it in errors. Accepts
/// any of the descriptors '<f4', '<f8', '<f2', '<i4', '<u2'.
NpyArray parseNpy(const std::string &path, const std::vector<uint8_t> &file);

/// Reads and parses a .npy file.
NpyArray readNpy(const std::string &path);

/// Reads a .npy file that must hold a tensor of `dtype` and `shape`, and
/// returns its elements as a dense buffer of `dtype` (converting '<f4' to
/// bf16 when `dtype` is bf16). Throws on a dtype or shape mismatch.
std::vector<uint8_t> readNpyAs(const std::string &path, Dtype dtype,
                               const std::vector<int64_t> &shape);

/// Serialises a dense buffer of `dtype` and `shape` as .npy bytes (version
/// 1.0 unless the header needs 2.0; header padded to 64 bytes as NumPy does).
std::vector<uint8_t> encodeNpy(Dtype dtype, const std::vector<int64_t> &shape,
                               const void *data);

/// Writes a dense buffer of `dtype` and `shape` to a .npy file.
void writeNpy(const std::string &path, Dtype dtype,
              const std::vector<int64_t> &shape, const void *data);

} // namespace ssmrt

#endif // SSMRT_NPY_H
