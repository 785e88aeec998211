//===- Dtype.h - Element types of workload tensors --------------*- C++ -*-===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The element types a workload binary's tensors may have, their sizes and
// names, and the bit-exact conversions between float32 and the two 16-bit
// floating-point formats (bfloat16 and IEEE binary16). The conversions are
// written by hand (no compiler intrinsics), round to nearest even and keep
// infinities, NaNs and subnormals.
//
//===----------------------------------------------------------------------===//

#ifndef SSMRT_DTYPE_H
#define SSMRT_DTYPE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace ssmrt {

/// The element type of a tensor.
enum class Dtype { F32, F64, BF16, F16, I32 };

/// True for the integer dtypes (i32): inputs only, compared exactly.
bool isIntegerDtype(Dtype dtype);

/// The size in bytes of one element.
size_t dtypeSize(Dtype dtype);

/// The manifest spelling: "f32", "f64", "bf16", "f16" or "i32".
const char *dtypeName(Dtype dtype);

/// Parses a manifest spelling; nullopt when `name` is no known dtype.
std::optional<Dtype> parseDtype(const std::string &name);

//===----------------------------------------------------------------------===//
// Bit conversions
//===----------------------------------------------------------------------===//

/// The raw bits of a float, and the float with the given bits.
uint32_t floatToBits(float value);
float bitsToFloat(uint32_t bits);

/// float32 -> bfloat16 bits, rounding to nearest even. NaNs stay (quiet) NaNs
/// of the same sign; values past the bf16 range round to infinity.
uint16_t f32ToBf16(float value);
/// bfloat16 bits -> float32 (exact: the bits become the upper half).
float bf16ToF32(uint16_t bits);

/// float32 -> IEEE binary16 bits, rounding to nearest even, with gradual
/// underflow to half subnormals and overflow to infinity. NaNs stay quiet NaNs
/// of the same sign.
uint16_t f32ToF16(float value);
/// IEEE binary16 bits -> float32 (exact, subnormals included).
float f16ToF32(uint16_t bits);

//===----------------------------------------------------------------------===//
// Element access on untyped buffers
//===----------------------------------------------------------------------===//

/// Reads element `index` of a dense buffer of `dtype` as a double (exact for
/// every dtype).
double loadElement(Dtype dtype, const void *data, size_t index);

/// Writes `value` as element `index` of a dense buffer of `dtype`. Narrower
/// types round to nearest even (via float32 for bf16 and f16); i32 rounds to
/// the nearest integer and saturates at its range (NaN becomes 0).
void storeElement(Dtype dtype, void *data, size_t index, double value);

} // namespace ssmrt

#endif // SSMRT_DTYPE_H
