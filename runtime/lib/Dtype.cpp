//===- Dtype.cpp - Element types of workload tensors ----------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Dtype.h"

#include <climits>
#include <cmath>
#include <cstring>

namespace ssmrt {

size_t dtypeSize(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
  case Dtype::I32:
    return 4;
  case Dtype::F64:
    return 8;
  case Dtype::BF16:
  case Dtype::F16:
    return 2;
  }
  return 0;
}

const char *dtypeName(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
    return "f32";
  case Dtype::F64:
    return "f64";
  case Dtype::BF16:
    return "bf16";
  case Dtype::F16:
    return "f16";
  case Dtype::I32:
    return "i32";
  }
  return "?";
}

bool isIntegerDtype(Dtype dtype) { return dtype == Dtype::I32; }

std::optional<Dtype> parseDtype(const std::string &name) {
  if (name == "f32")
    return Dtype::F32;
  if (name == "f64")
    return Dtype::F64;
  if (name == "bf16")
    return Dtype::BF16;
  if (name == "f16")
    return Dtype::F16;
  if (name == "i32")
    return Dtype::I32;
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Bit conversions
//===----------------------------------------------------------------------===//

uint32_t floatToBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float bitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

uint16_t f32ToBf16(float value) {
  uint32_t bits = floatToBits(value);
  if ((bits & 0x7fffffffu) > 0x7f800000u) // NaN: truncate and force quiet.
    return static_cast<uint16_t>((bits >> 16) | 0x0040u);
  // Adding 0x7fff plus the lowest kept bit rounds to nearest, ties to even;
  // a carry out of the mantissa correctly bumps the exponent (up to inf).
  uint32_t lsb = (bits >> 16) & 1u;
  return static_cast<uint16_t>((bits + 0x7fffu + lsb) >> 16);
}

float bf16ToF32(uint16_t bits) {
  return bitsToFloat(static_cast<uint32_t>(bits) << 16);
}

/// Rounds |x| (float bits, below the smallest normal half 2^-14) to a half
/// subnormal: a count of 2^-24 units, possibly 0x400 (the smallest normal).
static uint16_t f32ToF16Subnormal(uint32_t absBits) {
  if (absBits <= 0x33000000u) // <= 2^-25: rounds (ties to even) to zero.
    return 0;
  uint32_t exponent = absBits >> 23;
  uint32_t mantissa = (absBits & 0x7fffffu) | 0x800000u;
  // value = mantissa * 2^(exponent - 150); in 2^-24 units that is
  // mantissa >> (126 - exponent), with exponent in [102, 112].
  uint32_t shift = 126u - exponent;
  uint32_t result = mantissa >> shift;
  uint32_t rest = mantissa & ((1u << shift) - 1u);
  uint32_t halfway = 1u << (shift - 1u);
  if (rest > halfway || (rest == halfway && (result & 1u)))
    ++result;
  return static_cast<uint16_t>(result);
}

uint16_t f32ToF16(float value) {
  uint32_t bits = floatToBits(value);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  uint32_t absBits = bits & 0x7fffffffu;
  if (absBits > 0x7f800000u) // NaN: keep the top payload bits, force quiet.
    return sign | 0x7e00u | static_cast<uint16_t>((absBits >> 13) & 0x1ffu);
  if (absBits >= 0x477ff000u) // >= 65520 (or inf): rounds to infinity.
    return sign | 0x7c00u;
  if (absBits < 0x38800000u) // Below 2^-14: subnormal half or zero.
    return sign | f32ToF16Subnormal(absBits);
  // Normal: rebias the exponent (127 -> 15) and round the 13 dropped bits.
  uint32_t rebased = absBits - (112u << 23);
  uint32_t lsb = (rebased >> 13) & 1u;
  return sign | static_cast<uint16_t>((rebased + 0xfffu + lsb) >> 13);
}

float f16ToF32(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
  uint32_t exponent = (bits >> 10) & 0x1fu;
  uint32_t mantissa = bits & 0x3ffu;
  if (exponent == 0x1fu) // Inf or NaN (payload kept).
    return bitsToFloat(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0)
    return bitsToFloat(sign | ((exponent + 112u) << 23) | (mantissa << 13));
  if (mantissa == 0)
    return bitsToFloat(sign);
  // Subnormal: mantissa * 2^-24; normalise so the leading one is implicit.
  uint32_t floatExponent = 113;
  while (!(mantissa & 0x400u)) {
    mantissa <<= 1;
    --floatExponent;
  }
  mantissa &= 0x3ffu;
  return bitsToFloat(sign | (floatExponent << 23) | (mantissa << 13));
}

//===----------------------------------------------------------------------===//
// Element access on untyped buffers
//===----------------------------------------------------------------------===//

template <typename T> static T loadAs(const void *data, size_t index) {
  T value;
  std::memcpy(&value, static_cast<const char *>(data) + index * sizeof(T),
              sizeof(T));
  return value;
}

template <typename T> static void storeAs(void *data, size_t index, T value) {
  std::memcpy(static_cast<char *>(data) + index * sizeof(T), &value, sizeof(T));
}

/// Rounds to the nearest int32, saturating; NaN becomes 0.
static int32_t toInt32(double value) {
  if (std::isnan(value))
    return 0;
  double rounded = std::nearbyint(value);
  if (rounded <= -2147483648.0)
    return INT32_MIN;
  if (rounded >= 2147483647.0)
    return INT32_MAX;
  return static_cast<int32_t>(rounded);
}

double loadElement(Dtype dtype, const void *data, size_t index) {
  switch (dtype) {
  case Dtype::F32:
    return loadAs<float>(data, index);
  case Dtype::F64:
    return loadAs<double>(data, index);
  case Dtype::BF16:
    return bf16ToF32(loadAs<uint16_t>(data, index));
  case Dtype::F16:
    return f16ToF32(loadAs<uint16_t>(data, index));
  case Dtype::I32:
    return loadAs<int32_t>(data, index);
  }
  return 0.0;
}

void storeElement(Dtype dtype, void *data, size_t index, double value) {
  switch (dtype) {
  case Dtype::F32:
    return storeAs<float>(data, index, static_cast<float>(value));
  case Dtype::F64:
    return storeAs<double>(data, index, value);
  case Dtype::BF16:
    return storeAs<uint16_t>(data, index, f32ToBf16(static_cast<float>(value)));
  case Dtype::F16:
    return storeAs<uint16_t>(data, index, f32ToF16(static_cast<float>(value)));
  case Dtype::I32:
    return storeAs<int32_t>(data, index, toInt32(value));
  }
}

} // namespace ssmrt
