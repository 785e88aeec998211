//===- Npy.cpp - NumPy .npy files for workload tensors --------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//
//
// The format (numpy.lib.format): the magic "\x93NUMPY", a major and minor
// version byte, the header length (2 bytes little-endian in version 1, 4 bytes
// in versions 2 and 3), then the header: a Python dict literal with the keys
// 'descr', 'fortran_order' and 'shape', padded with spaces and ending in '\n'.
// The data follows, C order, tightly packed.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Npy.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>

namespace ssmrt {

static const char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicLen = 6;

size_t shapeNumElements(const std::vector<int64_t> &shape) {
  size_t count = 1;
  for (int64_t dim : shape)
    count *= static_cast<size_t>(dim);
  return count;
}

size_t NpyArray::numElements() const { return shapeNumElements(shape); }

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

const char *npyDescr(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
    return "<f4";
  case Dtype::F64:
    return "<f8";
  case Dtype::F16:
    return "<f2";
  case Dtype::BF16:
    return "<u2";
  case Dtype::I32:
    return "<i4";
  }
  return "?";
}

/// The element size of a supported descriptor, or 0 for an unsupported one.
static size_t descrSize(const std::string &descr) {
  if (descr == "<f4" || descr == "<i4")
    return 4;
  if (descr == "<f8")
    return 8;
  if (descr == "<f2" || descr == "<u2")
    return 2;
  return 0;
}

[[noreturn]] static void fail(const std::string &path,
                              const std::string &problem) {
  throw std::runtime_error(path + ": " + problem);
}

//===----------------------------------------------------------------------===//
// Header dict parsing
//===----------------------------------------------------------------------===//

/// Header text for an error message: quoted, at most 120 characters, with
/// control and non-ASCII bytes shown as '?'.
static std::string quoted(const std::string &text) {
  std::string shown;
  for (char c : text.substr(0, 120))
    shown += std::isprint(static_cast<uint8_t>(c)) ? c : '?';
  return "\"" + shown + (text.size() > 120 ? "...\"" : "\"");
}

namespace {

/// The fields of a .npy header dict.
struct NpyHeader {
  std::optional<std::string> descr;
  std::optional<bool> fortranOrder;
  std::optional<std::vector<int64_t>> shape;
};

/// A recursive-descent parser for the Python dict literal of a .npy header.
/// Every method throws std::runtime_error with a message naming the file.
class HeaderParser {
public:
  HeaderParser(const std::string &path, const std::string &text)
      : path(path), text(text) {}

  NpyHeader parse();

private:
  [[noreturn]] void error(const std::string &what) const {
    fail(path, "bad header: " + what + " at offset " + std::to_string(pos) +
                   " in " + quoted(text));
  }
  void skipSpace() {
    while (pos < text.size() && std::isspace(static_cast<uint8_t>(text[pos])))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!consume(c))
      error(std::string("expected '") + c + "'");
  }
  bool consumeWord(const char *word);
  std::string parseString();
  int64_t parseInt();
  std::vector<int64_t> parseTuple();
  void parseEntry(NpyHeader &header);

  const std::string &path;
  const std::string &text;
  size_t pos = 0;
};

} // namespace

bool HeaderParser::consumeWord(const char *word) {
  skipSpace();
  size_t len = std::strlen(word);
  if (text.compare(pos, len, word) != 0)
    return false;
  pos += len;
  return true;
}

std::string HeaderParser::parseString() {
  skipSpace();
  if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
    error("expected a quoted string");
  char quote = text[pos++];
  size_t end = text.find(quote, pos);
  if (end == std::string::npos)
    error("unterminated string");
  std::string value = text.substr(pos, end - pos);
  pos = end + 1;
  return value;
}

int64_t HeaderParser::parseInt() {
  skipSpace();
  size_t start = pos;
  int64_t value = 0;
  while (pos < text.size() && std::isdigit(static_cast<uint8_t>(text[pos]))) {
    if (value > (std::numeric_limits<int64_t>::max() - 9) / 10)
      error("dimension too large");
    value = value * 10 + (text[pos++] - '0');
  }
  if (pos == start)
    error("expected a non-negative integer dimension");
  if (pos < text.size() && text[pos] == 'L') // Python 2 long suffix.
    ++pos;
  return value;
}

std::vector<int64_t> HeaderParser::parseTuple() {
  expect('(');
  std::vector<int64_t> dims;
  while (!consume(')')) {
    dims.push_back(parseInt());
    if (consume(')'))
      break;
    expect(',');
  }
  return dims;
}

void HeaderParser::parseEntry(NpyHeader &header) {
  std::string key = parseString();
  expect(':');
  if (key == "descr") {
    header.descr = parseString();
  } else if (key == "fortran_order") {
    if (consumeWord("True"))
      header.fortranOrder = true;
    else if (consumeWord("False"))
      header.fortranOrder = false;
    else
      error("fortran_order must be True or False");
  } else if (key == "shape") {
    header.shape = parseTuple();
  } else {
    error("unexpected key '" + key + "'");
  }
}

NpyHeader HeaderParser::parse() {
  NpyHeader header;
  expect('{');
  while (!consume('}')) {
    parseEntry(header);
    if (consume('}'))
      break;
    expect(',');
  }
  skipSpace();
  if (pos != text.size())
    error("trailing characters after the dict");
  if (!header.descr || !header.fortranOrder || !header.shape)
    fail(path, "bad header: it needs the keys 'descr', 'fortran_order' and "
               "'shape': " +
                   quoted(text));
  return header;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// Reads a little-endian unsigned integer of `size` bytes at `at`.
static uint32_t readLittleEndian(const std::vector<uint8_t> &file, size_t at,
                                 size_t size) {
  uint32_t value = 0;
  for (size_t i = 0; i < size; ++i)
    value |= static_cast<uint32_t>(file[at + i]) << (8 * i);
  return value;
}

/// Checks the magic and version; returns the header text and sets
/// `dataOffset` to where the data begins.
static std::string readHeaderText(const std::string &path,
                                  const std::vector<uint8_t> &file,
                                  size_t &dataOffset) {
  if (file.size() < kMagicLen + 2 ||
      std::memcmp(file.data(), kMagic, kMagicLen) != 0)
    fail(path, "not a .npy file (bad magic; expected \"\\x93NUMPY\")");
  unsigned major = file[6], minor = file[7];
  if (major < 1 || major > 3)
    fail(path, "unsupported .npy format version " + std::to_string(major) +
                   "." + std::to_string(minor));
  size_t lenSize = major == 1 ? 2 : 4;
  if (file.size() < kMagicLen + 2 + lenSize)
    fail(path, "bad header: file ends inside the header length");
  size_t headerLen = readLittleEndian(file, kMagicLen + 2, lenSize);
  size_t headerStart = kMagicLen + 2 + lenSize;
  if (file.size() - headerStart < headerLen)
    fail(path, "bad header: header length " + std::to_string(headerLen) +
                   " runs past the end of the file");
  dataOffset = headerStart + headerLen;
  return std::string(file.begin() + headerStart, file.begin() + dataOffset);
}

namespace {
/// What the header of a .npy file declares: the element type, the shape,
/// where the data starts and how many bytes it has.
struct NpyLayout {
  std::string descr;
  std::vector<int64_t> shape;
  size_t dataOffset = 0;
  size_t dataBytes = 0;
};
} // namespace

/// Parses the magic, version and header dict at the start of `file` (which
/// needs to hold no data) and checks the declared data size fits in size_t.
static NpyLayout parseLayout(const std::string &path,
                             const std::vector<uint8_t> &file) {
  NpyLayout layout;
  std::string text = readHeaderText(path, file, layout.dataOffset);
  NpyHeader header = HeaderParser(path, text).parse();
  if (*header.fortranOrder)
    fail(path, "fortran_order is True; only C-order arrays are supported "
               "(save np.ascontiguousarray(x))");
  size_t itemSize = descrSize(*header.descr);
  if (itemSize == 0)
    fail(path,
         "unsupported dtype '" + *header.descr +
             "' (supported: '<f4', '<f8', '<f2', '<i4', '<u2' for bf16 bits)");
  layout.descr = *header.descr;
  layout.shape = *header.shape;
  size_t needed = itemSize;
  for (int64_t dim : layout.shape) {
    size_t extent = static_cast<size_t>(dim);
    if (extent != 0 && needed > std::numeric_limits<size_t>::max() / extent)
      fail(path,
           "bad header: shape " + formatShape(layout.shape) + " is too large");
    needed *= extent;
  }
  layout.dataBytes = needed;
  return layout;
}

/// The truncated-data error for a file with `available` data bytes.
[[noreturn]] static void failTruncated(const std::string &path,
                                       const NpyLayout &layout,
                                       uint64_t available) {
  fail(path, "truncated data: shape " + formatShape(layout.shape) + " of " +
                 layout.descr + " needs " + std::to_string(layout.dataBytes) +
                 " bytes, the file has " + std::to_string(available));
}

NpyArray parseNpy(const std::string &path, const std::vector<uint8_t> &file) {
  NpyLayout layout = parseLayout(path, file);
  size_t available = file.size() - layout.dataOffset;
  if (available < layout.dataBytes)
    failTruncated(path, layout, available);
  NpyArray array;
  array.descr = layout.descr;
  array.shape = layout.shape;
  array.bytes.assign(file.begin() + layout.dataOffset,
                     file.begin() + layout.dataOffset + layout.dataBytes);
  return array;
}

/// Appends up to `count` bytes of `in` to `bytes`; false when the stream
/// ends first.
static bool readBytes(std::ifstream &in, std::vector<uint8_t> &bytes,
                      size_t count) {
  size_t start = bytes.size();
  bytes.resize(start + count);
  in.read(reinterpret_cast<char *>(bytes.data() + start),
          static_cast<std::streamsize>(count));
  size_t got = static_cast<size_t>(in.gcount());
  bytes.resize(start + got);
  return got == count;
}

/// Reads the .npy file at `path`; `checkLayout` sees what its header
/// declares before the data is read (and may throw).
static NpyArray
readNpyChecked(const std::string &path,
               const std::function<void(const NpyLayout &)> &checkLayout) {
  // Only a regular file has a size that bounds what is read: a device
  // (/dev/zero), a pipe or a socket could feed bytes without end.
  struct stat info;
  if (::stat(path.c_str(), &info) != 0)
    fail(path, std::string("cannot open for reading: ") + std::strerror(errno));
  if (S_ISDIR(info.st_mode))
    fail(path, "is a directory, not a .npy file");
  if (!S_ISREG(info.st_mode))
    fail(path, "is not a regular file (a device, pipe or socket); a .npy "
               "input must be a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail(path, std::string("cannot open for reading: ") + std::strerror(errno));
  // The magic, version and header length; then the header, of the length
  // declared; then exactly the data bytes the header declares.
  std::vector<uint8_t> head;
  readBytes(in, head, kMagicLen + 2);
  if (head.size() == kMagicLen + 2 && head[6] >= 2)
    readBytes(in, head, 4);
  else
    readBytes(in, head, 2);
  if (head.size() >= kMagicLen + 4 &&
      std::memcmp(head.data(), kMagic, kMagicLen) == 0) {
    size_t lenSize = head[6] == 1 ? 2 : 4;
    if (head.size() == kMagicLen + 2 + lenSize) {
      uint64_t headerLen = readLittleEndian(head, kMagicLen + 2, lenSize);
      uint64_t fileSize = static_cast<uint64_t>(info.st_size);
      // The header can be no longer than the file; readHeaderText reports
      // one that runs past its end.
      readBytes(
          in, head,
          static_cast<size_t>(std::min<uint64_t>(
              headerLen, fileSize > head.size() ? fileSize - head.size() : 0)));
    }
  }
  if (in.bad())
    fail(path, "read error");
  NpyLayout layout = parseLayout(path, head);
  if (checkLayout)
    checkLayout(layout);
  uint64_t available = static_cast<uint64_t>(info.st_size) - head.size();
  if (static_cast<uint64_t>(info.st_size) < head.size() ||
      available < layout.dataBytes)
    failTruncated(
        path, layout,
        static_cast<uint64_t>(info.st_size) < head.size() ? 0 : available);
  if (!readBytes(in, head, layout.dataBytes)) {
    if (in.bad())
      fail(path, "read error");
    failTruncated(path, layout, head.size() - layout.dataOffset);
  }
  return parseNpy(path, head);
}

/// Converts '<f4' bytes to bf16 bits, rounding to nearest even.
static std::vector<uint8_t> f32BytesToBf16(const std::vector<uint8_t> &bytes) {
  size_t count = bytes.size() / 4;
  std::vector<uint8_t> out(count * 2);
  for (size_t i = 0; i < count; ++i) {
    float value;
    std::memcpy(&value, bytes.data() + 4 * i, 4);
    uint16_t bits = f32ToBf16(value);
    std::memcpy(out.data() + 2 * i, &bits, 2);
  }
  return out;
}

NpyArray readNpy(const std::string &path) { return readNpyChecked(path, {}); }

std::vector<uint8_t> readNpyAs(const std::string &path, Dtype dtype,
                               const std::vector<int64_t> &shape) {
  // The dtype and shape are checked before the data is read: a file that
  // declares (and holds) far more than the tensor is not loaded whole.
  NpyArray array = readNpyChecked(path, [&](const NpyLayout &layout) {
    bool fromF32 = dtype == Dtype::BF16 && layout.descr == "<f4";
    if (layout.descr != npyDescr(dtype) && !fromF32)
      fail(path, "dtype mismatch: the file holds '" + layout.descr +
                     "', the tensor is " + dtypeName(dtype) + " (expected '" +
                     npyDescr(dtype) + "'" +
                     (dtype == Dtype::BF16 ? " raw bits or '<f4'" : "") + ")");
    if (layout.shape != shape)
      fail(path, "shape mismatch: the file holds " + formatShape(layout.shape) +
                     ", expected " + formatShape(shape));
  });
  bool bf16FromF32 = dtype == Dtype::BF16 && array.descr == "<f4";
  if (bf16FromF32)
    return f32BytesToBf16(array.bytes);
  return std::move(array.bytes);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

/// The header dict for a C-order array, as NumPy writes it.
static std::string headerDict(Dtype dtype, const std::vector<int64_t> &shape) {
  std::ostringstream dict;
  dict << "{'descr': '" << npyDescr(dtype) << "', 'fortran_order': False, "
       << "'shape': (";
  for (size_t i = 0; i < shape.size(); ++i)
    dict << (i ? ", " : "") << shape[i];
  dict << (shape.size() == 1 ? ",), }" : "), }");
  return dict.str();
}

/// Pads `header` with spaces and a final '\n' so that the data, which
/// follows a prefix of `prefixLen` bytes and the header, starts 64-byte
/// aligned.
static void padHeader(std::string &header, size_t prefixLen) {
  size_t unpadded = prefixLen + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
}

std::vector<uint8_t> encodeNpy(Dtype dtype, const std::vector<int64_t> &shape,
                               const void *data) {
  std::string dict = headerDict(dtype, shape);
  std::string header = dict;
  size_t lenSize = 2; // Version 1.0 unless the header needs 2.0.
  padHeader(header, kMagicLen + 2 + lenSize);
  if (header.size() > 0xffff) {
    lenSize = 4;
    header = dict;
    padHeader(header, kMagicLen + 2 + lenSize);
  }
  std::vector<uint8_t> out(kMagic, kMagic + kMagicLen);
  out.push_back(lenSize == 2 ? 1 : 2);
  out.push_back(0);
  for (size_t i = 0; i < lenSize; ++i)
    out.push_back(static_cast<uint8_t>(header.size() >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  const auto *bytes = static_cast<const uint8_t *>(data);
  out.insert(out.end(), bytes,
             bytes + shapeNumElements(shape) * dtypeSize(dtype));
  return out;
}

void writeNpy(const std::string &path, Dtype dtype,
              const std::vector<int64_t> &shape, const void *data) {
  std::vector<uint8_t> bytes = encodeNpy(dtype, shape, data);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    fail(path, std::string("cannot open for writing: ") + std::strerror(errno));
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    fail(path, "write error (disk full?)");
}

} // namespace ssmrt
