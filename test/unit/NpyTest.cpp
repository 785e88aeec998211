//===- NpyTest.cpp - Tests of .npy files and dtype conversions ------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Npy.h"
#include "ssmrt/Dtype.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace ssmrt;

namespace {

/// A fresh temporary directory per test, removed afterwards.
class NpyTest : public ::testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/ssmrt-npy-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override {
    std::string command = "rm -rf '" + dir + "'";
    (void)std::system(command.c_str());
  }
  std::string path(const std::string &name) const { return dir + "/" + name; }
  std::string writeBytes(const std::string &name,
                         const std::vector<uint8_t> &bytes) const {
    std::string file = path(name);
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    return file;
  }

  std::string dir;
};

/// The bytes numpy.save writes for a header dict, with `align`-byte padding
/// (64 since NumPy 1.x of recent years, 16 in old releases).
std::vector<uint8_t> numpyFile(const std::string &dict, size_t align,
                               const std::vector<uint8_t> &data,
                               int major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  size_t total = prefix + header.size() + 1;
  header.append((align - total % align) % align, ' ');
  header += '\n';
  std::vector<uint8_t> bytes = {
      0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<uint8_t>(major), 0};
  for (size_t i = 0; i < prefix - 8; ++i)
    bytes.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  bytes.insert(bytes.end(), header.begin(), header.end());
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

template <typename T> std::vector<uint8_t> rawBytes(const std::vector<T> &v) {
  std::vector<uint8_t> bytes(v.size() * sizeof(T));
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return bytes;
}

const std::vector<float> kF32Values = {1.0f,
                                       -2.5f,
                                       0.0f,
                                       -0.0f,
                                       3.14159f,
                                       1e-40f /* subnormal */,
                                       std::numeric_limits<float>::infinity(),
                                       -std::numeric_limits<float>::infinity(),
                                       std::numeric_limits<float>::quiet_NaN(),
                                       65504.0f,
                                       -1e-3f,
                                       7.0f};

//===----------------------------------------------------------------------===//
// Round trips
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, RoundTripF32) {
  std::vector<int64_t> shape = {3, 4};
  writeNpy(path("a.npy"), Dtype::F32, shape, kF32Values.data());
  std::vector<uint8_t> back = readNpyAs(path("a.npy"), Dtype::F32, shape);
  EXPECT_EQ(back, rawBytes(kF32Values));
}

TEST_F(NpyTest, RoundTripF64) {
  std::vector<double> values = {1.0, -1e300, 4.9e-324, 0.1, -0.0, NAN};
  writeNpy(path("a.npy"), Dtype::F64, {6}, values.data());
  EXPECT_EQ(readNpyAs(path("a.npy"), Dtype::F64, {6}), rawBytes(values));
}

TEST_F(NpyTest, RoundTripF16AndBf16) {
  std::vector<uint16_t> bits = {0x0000, 0x8000, 0x0001, 0x03ff, 0x3c00,
                                0x7bff, 0x7c00, 0xfc00, 0x7e00, 0xc248};
  for (Dtype dtype : {Dtype::F16, Dtype::BF16}) {
    writeNpy(path("h.npy"), dtype, {2, 5}, bits.data());
    EXPECT_EQ(readNpyAs(path("h.npy"), dtype, {2, 5}), rawBytes(bits))
        << dtypeName(dtype);
    EXPECT_EQ(readNpy(path("h.npy")).descr,
              dtype == Dtype::F16 ? "<f2" : "<u2");
  }
}

TEST_F(NpyTest, RoundTripScalarAndEmpty) {
  double scalar = 42.0;
  writeNpy(path("s.npy"), Dtype::F64, {}, &scalar);
  NpyArray array = readNpy(path("s.npy"));
  EXPECT_TRUE(array.shape.empty());
  EXPECT_EQ(array.bytes, rawBytes(std::vector<double>{42.0}));
  writeNpy(path("e.npy"), Dtype::F32, {0, 3}, nullptr);
  EXPECT_TRUE(readNpyAs(path("e.npy"), Dtype::F32, {0, 3}).empty());
}

//===----------------------------------------------------------------------===//
// Files as NumPy writes them
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, ReadsNumpyWrittenFile) {
  // np.save('a.npy', np.arange(6, dtype=np.float32).reshape(2, 3))
  std::vector<float> values = {0, 1, 2, 3, 4, 5};
  std::vector<uint8_t> file =
      numpyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                64, rawBytes(values));
  ASSERT_EQ(file.size(), 128u + 24u); // NumPy's header is 118 bytes here.
  EXPECT_EQ(file[8], 118);
  NpyArray array = readNpy(writeBytes("a.npy", file));
  EXPECT_EQ(array.descr, "<f4");
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(array.bytes, rawBytes(values));
}

TEST_F(NpyTest, WriterMatchesNumpyBytes) {
  std::vector<float> values = {0, 1, 2, 3, 4, 5};
  std::vector<uint8_t> numpy =
      numpyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                64, rawBytes(values));
  EXPECT_EQ(encodeNpy(Dtype::F32, {2, 3}, values.data()), numpy);
  std::vector<double> one = {1.5};
  EXPECT_EQ(encodeNpy(Dtype::F64, {1}, one.data()),
            numpyFile("{'descr': '<f8', 'fortran_order': False, "
                      "'shape': (1,), }",
                      64, rawBytes(one)));
}

TEST_F(NpyTest, ReadsOldAlignmentAndVersion2) {
  std::vector<double> values = {1.0, 2.0, 3.0};
  std::string dict =
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
  NpyArray old =
      readNpy(writeBytes("old.npy", numpyFile(dict, 16, rawBytes(values))));
  EXPECT_EQ(old.bytes, rawBytes(values));
  NpyArray v2 = readNpy(
      writeBytes("v2.npy", numpyFile(dict, 64, rawBytes(values), /*major=*/2)));
  EXPECT_EQ(v2.shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(v2.bytes, rawBytes(values));
}

TEST_F(NpyTest, Bf16FromF32RoundsToNearestEven) {
  // 1 + 2^-8 is halfway between bf16 1.0 and 1 + 2^-7: ties to even (1.0).
  // 1 + 3 * 2^-8 is halfway between 0x3f81 and 0x3f82: ties to even (0x3f82).
  std::vector<float> values = {1.0f, 1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f,
                               -1.0f - 0x1p-8f - 0x1p-20f};
  std::vector<uint8_t> file =
      numpyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 64,
                rawBytes(values));
  std::vector<uint8_t> bytes =
      readNpyAs(writeBytes("b.npy", file), Dtype::BF16, {4});
  std::vector<uint16_t> expected = {0x3f80, 0x3f80, 0x3f82, 0xbf81};
  EXPECT_EQ(bytes, rawBytes(expected));
}

//===----------------------------------------------------------------------===//
// Malformed files
//===----------------------------------------------------------------------===//

/// Expects reading `file` as f32 [2] to fail with a message naming the file
/// and containing `problem`.
void expectReadError(const std::string &file, const std::string &problem,
                     Dtype dtype = Dtype::F32,
                     std::vector<int64_t> shape = {2}) {
  try {
    readNpyAs(file, dtype, shape);
    ADD_FAILURE() << "reading " << file << " did not fail";
  } catch (const std::runtime_error &e) {
    std::string message = e.what();
    EXPECT_NE(message.find(file), std::string::npos) << message;
    EXPECT_NE(message.find(problem), std::string::npos) << message;
  }
}

std::vector<uint8_t> twoFloats() { return rawBytes(std::vector<float>{1, 2}); }

std::string dictFor(const std::string &descr, const std::string &fortran,
                    const std::string &shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }";
}

TEST_F(NpyTest, BadMagic) {
  std::vector<uint8_t> file =
      numpyFile(dictFor("<f4", "False", "(2,)"), 64, twoFloats());
  file[1] = 'X';
  expectReadError(writeBytes("magic.npy", file), "bad magic");
  expectReadError(writeBytes("tiny.npy", {0x93, 'N'}), "bad magic");
}

TEST_F(NpyTest, BadVersion) {
  std::vector<uint8_t> file =
      numpyFile(dictFor("<f4", "False", "(2,)"), 64, twoFloats());
  file[6] = 9;
  expectReadError(writeBytes("version.npy", file), "unsupported .npy format");
}

TEST_F(NpyTest, BadHeader) {
  expectReadError(
      writeBytes("garbage.npy", numpyFile("{'descr' '<f4'}", 64, twoFloats())),
      "bad header");
  expectReadError(
      writeBytes("nokey.npy", numpyFile("{'descr': '<f4', 'shape': (2,), }", 64,
                                        twoFloats())),
      "bad header");
  expectReadError(
      writeBytes("dim.npy",
                 numpyFile(dictFor("<f4", "False", "(-2,)"), 64, twoFloats())),
      "bad header");
  std::vector<uint8_t> longLen =
      numpyFile(dictFor("<f4", "False", "(2,)"), 64, {});
  longLen[8] = 0xff;
  longLen[9] = 0xff;
  expectReadError(writeBytes("len.npy", longLen), "bad header");
}

TEST_F(NpyTest, FortranOrder) {
  expectReadError(writeBytes("f.npy", numpyFile(dictFor("<f4", "True", "(2,)"),
                                                64, twoFloats())),
                  "fortran_order");
}

TEST_F(NpyTest, UnsupportedDtype) {
  expectReadError(
      writeBytes("i8.npy",
                 numpyFile(dictFor("<i8", "False", "(1,)"), 64, twoFloats())),
      "unsupported dtype '<i8'");
  expectReadError(
      writeBytes("be.npy",
                 numpyFile(dictFor(">f4", "False", "(2,)"), 64, twoFloats())),
      "unsupported dtype '>f4'");
}

TEST_F(NpyTest, TruncatedData) {
  std::vector<uint8_t> file =
      numpyFile(dictFor("<f4", "False", "(2,)"), 64, twoFloats());
  file.pop_back();
  expectReadError(writeBytes("short.npy", file), "truncated data");
}

TEST_F(NpyTest, ShapeMismatch) {
  std::string file =
      writeBytes("shape.npy",
                 numpyFile(dictFor("<f4", "False", "(1, 2)"), 64, twoFloats()));
  expectReadError(file, "shape mismatch");
}

TEST_F(NpyTest, DtypeMismatch) {
  std::string file = writeBytes(
      "dtype.npy", numpyFile(dictFor("<f4", "False", "(2,)"), 64, twoFloats()));
  expectReadError(file, "dtype mismatch", Dtype::F64);
  expectReadError(file, "dtype mismatch", Dtype::F16);
  // f32 data is accepted for a bf16 tensor; u2 data is not for f16.
  EXPECT_NO_THROW(readNpyAs(file, Dtype::BF16, {2}));
  std::vector<uint16_t> bits = {1, 2};
  std::string u2 = writeBytes(
      "u2.npy", numpyFile(dictFor("<u2", "False", "(2,)"), 64, rawBytes(bits)));
  expectReadError(u2, "dtype mismatch", Dtype::F16);
}

TEST_F(NpyTest, RoundTripI32) {
  std::vector<int32_t> values = {0, -1, 7, 2147483647, -2147483647 - 1, 63};
  writeNpy(path("i.npy"), Dtype::I32, {2, 3}, values.data());
  NpyArray array = readNpy(path("i.npy"));
  EXPECT_EQ(array.descr, "<i4");
  EXPECT_EQ(readNpyAs(path("i.npy"), Dtype::I32, {2, 3}), rawBytes(values));
  // An i32 tensor accepts only '<i4'; an f32 one refuses '<i4'.
  expectReadError(path("i.npy"), "dtype mismatch", Dtype::F32);
  std::string f4 = writeBytes(
      "f4.npy", numpyFile(dictFor("<f4", "False", "(2,)"), 64, twoFloats()));
  expectReadError(f4, "dtype mismatch", Dtype::I32);
}

TEST_F(NpyTest, MissingFile) {
  expectReadError(path("nope.npy"), "cannot open");
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

TEST_F(NpyTest, EndlessFilesAreNotRead) {
  // A device or a pipe could feed bytes without end (issue 15): refused by
  // what they are, before a byte is read.
  expectReadError("/dev/zero",
                  "is not a regular file (a device, pipe or socket)");
  std::string fifo = path("x.npy");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expectReadError(fifo, "is not a regular file");
}

TEST_F(NpyTest, DeclaredDataBeyondTheFileIsNotAllocated) {
  // A header declaring 2^60 floats over a few bytes of data: the size is
  // checked against the file's before anything is allocated or read.
  std::string file = writeBytes(
      "huge.npy", numpyFile("{'descr': '<f4', 'fortran_order': False, "
                            "'shape': (1152921504606846976,), }",
                            64, std::vector<uint8_t>(16)));
  try {
    readNpy(file);
    ADD_FAILURE() << "reading " << file << " did not fail";
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "truncated data: shape [1152921504606846976] of <f4 needs "
                  "4611686018427387904 bytes, the file has 16"),
              std::string::npos)
        << e.what();
  }
  // As a tensor's input, the shape is compared before any data is read.
  expectReadError(file, "shape mismatch: the file holds "
                        "[1152921504606846976], expected [2]");
}

TEST(DtypeTest, NamesAndSizes) {
  for (Dtype dtype :
       {Dtype::F32, Dtype::F64, Dtype::BF16, Dtype::F16, Dtype::I32})
    EXPECT_EQ(parseDtype(dtypeName(dtype)), dtype);
  EXPECT_EQ(std::string(dtypeName(Dtype::I32)), "i32");
  EXPECT_EQ(dtypeSize(Dtype::I32), 4u);
  EXPECT_TRUE(isIntegerDtype(Dtype::I32));
  EXPECT_FALSE(isIntegerDtype(Dtype::F32));
  EXPECT_FALSE(parseDtype("f8").has_value());
  EXPECT_EQ(dtypeSize(Dtype::F64), 8u);
  EXPECT_EQ(dtypeSize(Dtype::BF16), 2u);
}

TEST(DtypeTest, Bf16RoundToNearestEven) {
  EXPECT_EQ(f32ToBf16(1.0f), 0x3f80);
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x3f808000)), 0x3f80); // Tie, even below.
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x3f818000)), 0x3f82); // Tie, even above.
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x3f808001)), 0x3f81); // Past the tie.
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x3f807fff)), 0x3f80); // Below the tie.
  EXPECT_EQ(f32ToBf16(-1.0f), 0xbf80);
  EXPECT_EQ(f32ToBf16(std::numeric_limits<float>::max()), 0x7f80); // -> inf
  EXPECT_EQ(f32ToBf16(std::numeric_limits<float>::infinity()), 0x7f80);
  EXPECT_EQ(f32ToBf16(-std::numeric_limits<float>::infinity()), 0xff80);
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x00008000)), 0x0000); // Subnormal tie.
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x00018000)), 0x0002);
  EXPECT_EQ(f32ToBf16(bitsToFloat(0x80000001)), 0x8000);
  uint16_t nan = f32ToBf16(bitsToFloat(0x7f800001)); // Signalling NaN.
  EXPECT_TRUE(std::isnan(bf16ToF32(nan)));
  EXPECT_TRUE(std::isnan(bf16ToF32(f32ToBf16(-NAN))));
  EXPECT_EQ(bf16ToF32(0x4049), bitsToFloat(0x40490000));
}

TEST(DtypeTest, Bf16RoundTripsEveryValue) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    float value = bf16ToF32(static_cast<uint16_t>(bits));
    if (std::isnan(value))
      EXPECT_TRUE(std::isnan(bf16ToF32(f32ToBf16(value))));
    else
      EXPECT_EQ(f32ToBf16(value), bits);
  }
}

TEST(DtypeTest, F16Cases) {
  EXPECT_EQ(f32ToF16(1.0f), 0x3c00);
  EXPECT_EQ(f32ToF16(-2.0f), 0xc000);
  EXPECT_EQ(f32ToF16(65504.0f), 0x7bff);
  EXPECT_EQ(f32ToF16(65519.0f), 0x7bff);
  EXPECT_EQ(f32ToF16(65520.0f), 0x7c00); // Tie rounds to even: infinity.
  EXPECT_EQ(f32ToF16(1e10f), 0x7c00);
  EXPECT_EQ(f32ToF16(-std::numeric_limits<float>::infinity()), 0xfc00);
  EXPECT_EQ(f32ToF16(0x1p-14f), 0x0400);     // Smallest normal.
  EXPECT_EQ(f32ToF16(0x1p-24f), 0x0001);     // Smallest subnormal.
  EXPECT_EQ(f32ToF16(0x1p-25f), 0x0000);     // Tie to even: zero.
  EXPECT_EQ(f32ToF16(0x1.8p-25f), 0x0001);   // Past the tie.
  EXPECT_EQ(f32ToF16(0x1.8p-24f), 0x0002);   // Tie between 1 and 2 units.
  EXPECT_EQ(f32ToF16(0x1.ffcp-15f), 0x0400); // Carries into the normals.
  EXPECT_EQ(f32ToF16(-0.0f), 0x8000);
  EXPECT_EQ(f32ToF16(1.0f + 0x1p-11f), 0x3c00); // Tie, even below.
  EXPECT_EQ(f32ToF16(1.0f + 0x3p-11f), 0x3c02); // Tie, even above.
  EXPECT_TRUE(std::isnan(f16ToF32(f32ToF16(NAN))));
  EXPECT_EQ(f16ToF32(0x0001), 0x1p-24f);
  EXPECT_EQ(f16ToF32(0x03ff), 0x3ffp-24f);
  EXPECT_EQ(f16ToF32(0x7bff), 65504.0f);
  EXPECT_TRUE(std::isinf(f16ToF32(0x7c00)));
}

TEST(DtypeTest, F16RoundTripsEveryValue) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    float value = f16ToF32(static_cast<uint16_t>(bits));
    if (std::isnan(value))
      EXPECT_TRUE(std::isnan(f16ToF32(f32ToF16(value))));
    else
      EXPECT_EQ(f32ToF16(value), bits);
  }
}

#ifdef __FLT16_MAX__
/// The compiler's own _Float16 conversion is an independent oracle.
TEST(DtypeTest, F16MatchesCompilerConversion) {
  uint32_t state = 12345;
  for (int i = 0; i < 200000; ++i) {
    state = state * 1664525u + 1013904223u;
    // Bias towards the interesting range of exponents around f16's.
    uint32_t bits = (state & 0x80ffffffu) | ((96u + (state >> 24) % 60u) << 23);
    float value = bitsToFloat(i % 2 ? bits : state);
    _Float16 half = static_cast<_Float16>(value);
    uint16_t expected;
    std::memcpy(&expected, &half, 2);
    if (std::isnan(value))
      continue;
    ASSERT_EQ(f32ToF16(value), expected) << std::hexfloat << value;
  }
}
#endif

TEST(DtypeTest, ElementAccess) {
  std::vector<uint16_t> bf(2);
  storeElement(Dtype::BF16, bf.data(), 1, 1.0 + 0x1p-7);
  EXPECT_EQ(bf[1], 0x3f81);
  EXPECT_EQ(loadElement(Dtype::BF16, bf.data(), 1), 1.0 + 0x1p-7);
  std::vector<double> f64(3);
  storeElement(Dtype::F64, f64.data(), 2, 0.1);
  EXPECT_EQ(loadElement(Dtype::F64, f64.data(), 2), 0.1);
  std::vector<int32_t> i32(5);
  storeElement(Dtype::I32, i32.data(), 0, 41.7);
  storeElement(Dtype::I32, i32.data(), 1, -3.2);
  storeElement(Dtype::I32, i32.data(), 2, 1e12);
  storeElement(Dtype::I32, i32.data(), 3, -1e12);
  storeElement(Dtype::I32, i32.data(), 4, NAN);
  EXPECT_EQ(i32,
            (std::vector<int32_t>{42, -3, 2147483647, -2147483647 - 1, 0}));
  EXPECT_EQ(loadElement(Dtype::I32, i32.data(), 3), -2147483648.0);
}

} // namespace
