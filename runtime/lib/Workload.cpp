//===- Workload.cpp - Loading compiled workload binaries ------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Workload.h"

#include "ssmrt/Run/Init.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <sys/stat.h>

namespace ssmrt {

using Json = nlohmann::json;

//===----------------------------------------------------------------------===//
// Roles and tensors
//===----------------------------------------------------------------------===//

const char *roleName(Role role) {
  switch (role) {
  case Role::Input:
    return "input";
  case Role::Parameter:
    return "parameter";
  case Role::Output:
    return "output";
  case Role::Gradient:
    return "gradient";
  }
  return "?";
}

std::optional<Role> parseRole(const std::string &name) {
  if (name == "input")
    return Role::Input;
  if (name == "parameter")
    return Role::Parameter;
  if (name == "output")
    return Role::Output;
  if (name == "gradient")
    return Role::Gradient;
  return std::nullopt;
}

bool isResultRole(Role role) {
  return role == Role::Output || role == Role::Gradient;
}

size_t TensorSpec::numElements() const {
  size_t count = 1;
  for (int64_t dim : shape)
    count *= static_cast<size_t>(dim);
  return count;
}

size_t TensorSpec::byteSize() const { return numElements() * dtypeSize(dtype); }

const TensorSpec *EntrySpec::findTensor(const std::string &tensorName) const {
  for (const TensorSpec &tensor : tensors)
    if (tensor.name == tensorName)
      return &tensor;
  return nullptr;
}

const EntrySpec *Manifest::findEntry(const std::string &entryName) const {
  for (const EntrySpec &entry : entries)
    if (entry.name == entryName)
      return &entry;
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Manifest validation helpers
//===----------------------------------------------------------------------===//

/// Throws the error for the field at JSON path `where`.
[[noreturn]] static void fail(const std::string &where,
                              const std::string &problem) {
  throw std::runtime_error("manifest: " + (where.empty() ? "" : where + ": ") +
                           problem);
}

/// The JSON path of member `key` of the object at `where`.
static std::string memberPath(const std::string &where, const char *key) {
  return where.empty() ? key : where + "." + key;
}

/// The JSON path of element `index` of the array at `where`.
static std::string elementPath(const std::string &where, size_t index) {
  return where + "[" + std::to_string(index) + "]";
}

/// The JSON type name of `value`, for messages.
static std::string typeOf(const Json &value) { return value.type_name(); }

static void requireObject(const Json &value, const std::string &where) {
  if (!value.is_object())
    fail(where, "must be an object, found " + typeOf(value));
}

static const Json &requireArray(const Json &value, const std::string &where) {
  if (!value.is_array())
    fail(where, "must be an array, found " + typeOf(value));
  return value;
}

/// Member `key` of the object `obj` at `where`; an error when missing.
static const Json &member(const Json &obj, const std::string &where,
                          const char *key) {
  auto it = obj.find(key);
  if (it == obj.end())
    fail(where, std::string("missing field '") + key + "'");
  return *it;
}

static std::string asString(const Json &value, const std::string &where,
                            bool allowEmpty = false) {
  if (!value.is_string())
    fail(where, "must be a string, found " + typeOf(value));
  std::string text = value.get<std::string>();
  if (!allowEmpty && text.empty())
    fail(where, "must not be empty");
  return text;
}

static std::string stringMember(const Json &obj, const std::string &where,
                                const char *key) {
  return asString(member(obj, where, key), memberPath(where, key));
}

/// A JSON object whose values are all strings, as a map.
static std::map<std::string, std::string>
asStringMap(const Json &value, const std::string &where) {
  requireObject(value, where);
  std::map<std::string, std::string> map;
  for (const auto &item : value.items())
    map[item.key()] = asString(item.value(), where + "." + item.key(),
                               /*allowEmpty=*/true);
  return map;
}

/// A JSON object of lowering choices, as a map: strings as they are, any
/// other value (a number, a boolean) as its JSON text. Lenient on purpose: the
/// runtime only names and compares these values, it never interprets them.
static std::map<std::string, std::string> asTextMap(const Json &value,
                                                    const std::string &where) {
  requireObject(value, where);
  std::map<std::string, std::string> map;
  for (const auto &item : value.items())
    map[item.key()] = item.value().is_string() ? item.value().get<std::string>()
                                               : item.value().dump();
  return map;
}

/// A string or null, for op operands and results.
static std::optional<std::string> asOptionalName(const Json &value,
                                                 const std::string &where) {
  if (value.is_null())
    return std::nullopt;
  return asString(value, where);
}

static bool isCIdentifier(const std::string &text) {
  if (text.empty() || std::isdigit(static_cast<uint8_t>(text[0])))
    return false;
  for (char c : text)
    if (!std::isalnum(static_cast<uint8_t>(c)) && c != '_')
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Manifest parts
//===----------------------------------------------------------------------===//

static std::vector<int64_t> parseShape(const Json &value,
                                       const std::string &where) {
  std::vector<int64_t> shape;
  for (size_t i = 0; i < requireArray(value, where).size(); ++i) {
    const Json &dim = value[i];
    if (!dim.is_number_integer() || dim.get<int64_t>() < 0)
      fail(elementPath(where, i),
           "must be a non-negative integer, found " + dim.dump());
    shape.push_back(dim.get<int64_t>());
  }
  return shape;
}

static TensorSpec parseTensor(const Json &value, const std::string &where) {
  requireObject(value, where);
  TensorSpec tensor;
  tensor.name = stringMember(value, where, "name");
  tensor.shape =
      parseShape(member(value, where, "shape"), memberPath(where, "shape"));
  std::string dtype = stringMember(value, where, "dtype");
  std::optional<Dtype> parsedDtype = parseDtype(dtype);
  if (!parsedDtype)
    fail(memberPath(where, "dtype"),
         "unknown dtype '" + dtype + "' (expected f32, f64, bf16, f16 or i32)");
  tensor.dtype = *parsedDtype;
  std::string role = stringMember(value, where, "role");
  std::optional<Role> parsedRole = parseRole(role);
  if (!parsedRole)
    fail(memberPath(where, "role"),
         "unknown role '" + role +
             "' (expected input, parameter, output or gradient)");
  tensor.role = *parsedRole;
  if (value.contains("init")) {
    std::string at = memberPath(where, "init");
    tensor.init = asString(value["init"], at);
    try {
      parseInitSpec(tensor.init, tensor.shape);
    } catch (const std::invalid_argument &e) {
      fail(at, "tensor '" + tensor.name + "': " + e.what());
    }
  }
  // The runtime allocates byteSize() bytes: a size that does not fit in 63
  // bits would wrap.
  uint64_t bytes = dtypeSize(tensor.dtype);
  for (int64_t dim : tensor.shape)
    if (__builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes) ||
        bytes > (uint64_t(1) << 62))
      fail(memberPath(where, "shape"), "tensor '" + tensor.name +
                                           "' is too large (its byte size does "
                                           "not fit in 62 bits)");
  return tensor;
}

static std::vector<std::optional<std::string>>
parseNameList(const Json &value, const std::string &where) {
  std::vector<std::optional<std::string>> names;
  for (size_t i = 0; i < requireArray(value, where).size(); ++i)
    names.push_back(asOptionalName(value[i], elementPath(where, i)));
  return names;
}

static OpSpec parseOp(const Json &value, const std::string &where) {
  requireObject(value, where);
  OpSpec op;
  op.op = stringMember(value, where, "op");
  if (value.contains("attrs"))
    op.attrs = asStringMap(value["attrs"], memberPath(where, "attrs"));
  if (value.contains("lowering"))
    op.lowering = asTextMap(value["lowering"], memberPath(where, "lowering"));
  op.operands = parseNameList(member(value, where, "operands"),
                              memberPath(where, "operands"));
  op.results = parseNameList(member(value, where, "results"),
                             memberPath(where, "results"));
  op.resultShapes.resize(op.results.size());
  if (value.contains("result_shapes")) {
    std::string at = memberPath(where, "result_shapes");
    const Json &shapes = value["result_shapes"];
    if (requireArray(shapes, at).size() != op.results.size())
      fail(at, "has " + std::to_string(shapes.size()) + " entries, expected " +
                   std::to_string(op.results.size()) + " (one per result)");
    for (size_t i = 0; i < shapes.size(); ++i)
      if (!shapes[i].is_null())
        op.resultShapes[i] = parseShape(shapes[i], elementPath(at, i));
  }
  return op;
}

/// Parses the tensors of an entry: unique names, arguments before results.
static std::vector<TensorSpec> parseTensors(const Json &value,
                                            const std::string &where) {
  std::vector<TensorSpec> tensors;
  std::set<std::string> seen;
  for (size_t i = 0; i < requireArray(value, where).size(); ++i) {
    std::string at = elementPath(where, i);
    TensorSpec tensor = parseTensor(value[i], at);
    if (!seen.insert(tensor.name).second)
      fail(memberPath(at, "name"),
           "duplicate tensor name '" + tensor.name + "'");
    if (!tensors.empty() && tensors.back().isResult() && !tensor.isResult())
      fail(at, "argument tensor '" + tensor.name + "' (role " +
                   roleName(tensor.role) +
                   ") follows a result; arguments must come first");
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

static EntrySpec parseEntry(const Json &value, const std::string &where) {
  requireObject(value, where);
  EntrySpec entry;
  entry.name = stringMember(value, where, "name");
  entry.symbol = stringMember(value, where, "symbol");
  if (!isCIdentifier(entry.symbol))
    fail(memberPath(where, "symbol"),
         "'" + entry.symbol + "' is not a C identifier");
  entry.tensors = parseTensors(member(value, where, "tensors"),
                               memberPath(where, "tensors"));
  std::string opsPath = memberPath(where, "ops");
  const Json &ops = requireArray(member(value, where, "ops"), opsPath);
  for (size_t i = 0; i < ops.size(); ++i)
    entry.ops.push_back(parseOp(ops[i], elementPath(opsPath, i)));
  return entry;
}

/// Parses format, version, target, chip and module.
static void parseHeader(const Json &root, Manifest &manifest) {
  manifest.format = stringMember(root, "", "format");
  if (manifest.format != "ssm-workload")
    fail("format",
         "expected \"ssm-workload\", found \"" + manifest.format + "\"");
  const Json &version = member(root, "", "version");
  if (!version.is_number_integer())
    fail("version", "must be an integer, found " + version.dump());
  manifest.version = version.get<int>();
  if (manifest.version != 1)
    fail("version", "unsupported version " + std::to_string(manifest.version) +
                        " (this runtime reads version 1)");
  manifest.target = stringMember(root, "", "target");
  if (manifest.target != "cpu" && manifest.target != "gpu")
    fail("target",
         "expected \"cpu\" or \"gpu\", found \"" + manifest.target + "\"");
  if (manifest.isGpu())
    manifest.chip = stringMember(root, "", "chip");
  else if (root.contains("chip"))
    manifest.chip = asString(root["chip"], "chip", /*allowEmpty=*/true);
  manifest.module = stringMember(root, "", "module");
}

static void parseLowering(const Json &root, Manifest &manifest) {
  const Json &lowering = member(root, "", "lowering");
  requireObject(lowering, "lowering");
  manifest.pipeline = stringMember(lowering, "lowering", "pipeline");
  manifest.options =
      asStringMap(member(lowering, "lowering", "options"), "lowering.options");
}

static void parseEntries(const Json &root, Manifest &manifest) {
  const Json &entries = requireArray(member(root, "", "entries"), "entries");
  if (entries.empty())
    fail("entries", "must hold at least one entry");
  std::set<std::string> names;
  for (size_t i = 0; i < entries.size(); ++i) {
    std::string at = elementPath("entries", i);
    EntrySpec entry = parseEntry(entries[i], at);
    if (!names.insert(entry.name).second)
      fail(memberPath(at, "name"), "duplicate entry name '" + entry.name + "'");
    manifest.entries.push_back(std::move(entry));
  }
}

Manifest parseManifest(const std::string &json) {
  Json root;
  try {
    root = Json::parse(json);
  } catch (const Json::parse_error &e) {
    fail("", std::string("invalid JSON: ") + e.what());
  }
  if (!root.is_object())
    fail("", "the top level must be an object, found " + typeOf(root));
  Manifest manifest;
  parseHeader(root, manifest);
  parseLowering(root, manifest);
  parseEntries(root, manifest);
  return manifest;
}

//===----------------------------------------------------------------------===//
// Reading the manifest without loading
//===----------------------------------------------------------------------===//

namespace {
/// A bounds-checked view of an ELF64 little-endian file.
class ElfFile {
public:
  explicit ElfFile(std::vector<char> bytes) : bytes(std::move(bytes)) {}

  /// A copy of the `T` at `offset`, or false past the end.
  template <typename T> bool read(uint64_t offset, T &value) const {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T))
      return false;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return true;
  }
  bool isElf64LittleEndian() const {
    return bytes.size() >= EI_NIDENT &&
           std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0 &&
           bytes[EI_CLASS] == ELFCLASS64 && bytes[EI_DATA] == ELFDATA2LSB;
  }
  /// The NUL-terminated string at [offset, end), or nullopt.
  std::optional<std::string> cString(uint64_t offset, uint64_t end) const;
  /// Section `index`, or false.
  bool section(const Elf64_Ehdr &header, size_t index, Elf64_Shdr &out) const {
    return index < header.e_shnum &&
           read(header.e_shoff + index * uint64_t(header.e_shentsize), out);
  }

private:
  std::vector<char> bytes;
};
} // namespace

std::optional<std::string> ElfFile::cString(uint64_t offset,
                                            uint64_t end) const {
  end = std::min<uint64_t>(end, bytes.size());
  for (uint64_t i = offset; i < end; ++i)
    if (bytes[i] == '\0')
      return std::string(bytes.data() + offset, bytes.data() + i);
  return std::nullopt;
}

/// The bytes of the defined symbol `symbol` as a C string, looked up in the
/// dynamic symbol table described by `dynsym`.
static std::optional<std::string> readSymbolString(const ElfFile &elf,
                                                   const Elf64_Ehdr &header,
                                                   const Elf64_Shdr &dynsym,
                                                   const char *symbol) {
  Elf64_Shdr strtab, home;
  if (!elf.section(header, dynsym.sh_link, strtab) || !dynsym.sh_entsize)
    return std::nullopt;
  for (uint64_t i = 0; i < dynsym.sh_size / dynsym.sh_entsize; ++i) {
    Elf64_Sym sym;
    if (!elf.read(dynsym.sh_offset + i * dynsym.sh_entsize, sym))
      return std::nullopt;
    uint64_t nameAt = strtab.sh_offset + sym.st_name;
    if (elf.cString(nameAt, strtab.sh_offset + strtab.sh_size) != symbol)
      continue;
    if (!elf.section(header, sym.st_shndx, home) ||
        home.sh_type == SHT_NOBITS || sym.st_value < home.sh_addr)
      return std::nullopt;
    uint64_t at = home.sh_offset + (sym.st_value - home.sh_addr);
    return elf.cString(at, home.sh_offset + home.sh_size);
  }
  return std::nullopt;
}

/// The bytes of the regular file at `path`, or an error (the file is not
/// regular, cannot be read). A device or a pipe is never read: it could
/// feed bytes without end.
static std::optional<std::vector<char>> readRegularFile(const std::string &path,
                                                        std::string &error) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    error = std::string("cannot be read: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    error = S_ISDIR(info.st_mode) ? "is a directory, not a workload binary"
                                  : "is not a regular file (a device, pipe "
                                    "or socket)";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot be opened: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::vector<char> bytes(static_cast<size_t>(info.st_size));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

/// The dynamic symbol table's section header, or false.
static bool findDynsym(const ElfFile &elf, const Elf64_Ehdr &header,
                       Elf64_Shdr &dynsym) {
  for (size_t i = 0; i < header.e_shnum; ++i)
    if (elf.section(header, i, dynsym) && dynsym.sh_type == SHT_DYNSYM)
      return true;
  return false;
}

std::optional<std::string> peekManifest(const std::string &path) {
  std::string error;
  std::optional<std::vector<char>> bytes = readRegularFile(path, error);
  if (!bytes)
    return std::nullopt;
  ElfFile elf(std::move(*bytes));
  Elf64_Ehdr header;
  Elf64_Shdr dynsym;
  if (!elf.isElf64LittleEndian() || !elf.read(0, header) ||
      !findDynsym(elf, header, dynsym))
    return std::nullopt;
  return readSymbolString(elf, header, dynsym, "ssm_workload_manifest");
}

/// The ELF machine of the code this runtime runs.
static uint16_t hostMachine() {
#if defined(__x86_64__)
  return EM_X86_64;
#elif defined(__aarch64__)
  return EM_AARCH64;
#else
  return EM_NONE;
#endif
}

/// True for the segment types a linker writes into a shared object.
static bool isKnownSegmentType(uint32_t type) {
  switch (type) {
  case PT_NULL:
  case PT_LOAD:
  case PT_DYNAMIC:
  case PT_INTERP:
  case PT_NOTE:
  case PT_PHDR:
  case PT_TLS:
  case PT_GNU_EH_FRAME:
  case PT_GNU_STACK:
  case PT_GNU_RELRO:
  case PT_GNU_PROPERTY:
    return true;
  default:
    return false;
  }
}

/// Why the ELF header `header` is not that of a shared object this process
/// can load, or an empty string.
static std::string elfHeaderProblem(const Elf64_Ehdr &header) {
  if (header.e_ident[EI_VERSION] != EV_CURRENT ||
      header.e_version != EV_CURRENT || header.e_ehsize != sizeof(Elf64_Ehdr))
    return "has a malformed ELF header";
  if (header.e_type != ET_DYN)
    return "is not an ELF shared object (e_type " +
           std::to_string(header.e_type) + ")";
  if (hostMachine() != EM_NONE && header.e_machine != hostMachine())
    return "is an ELF shared object for another machine (e_machine " +
           std::to_string(header.e_machine) + ")";
  if (header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0 ||
      header.e_phnum >= PN_XNUM)
    return "has no valid program header table";
  if (header.e_shentsize != sizeof(Elf64_Shdr) || header.e_shnum == 0)
    return "has no valid section header table";
  return "";
}

/// Why the segment `segment` (number `i`) of a file of `size` bytes cannot
/// be mapped, or an empty string.
static std::string segmentProblem(const Elf64_Phdr &segment, size_t i,
                                  uint64_t size) {
  std::string which = "segment " + std::to_string(i);
  if (!isKnownSegmentType(segment.p_type))
    return "has a segment of unknown type (" + which + ")";
  uint64_t fileEnd, memEnd;
  if (__builtin_add_overflow(segment.p_offset, segment.p_filesz, &fileEnd) ||
      fileEnd > size)
    return "is truncated: " + which + " needs bytes up to offset " +
           std::to_string(segment.p_offset) + " + " +
           std::to_string(segment.p_filesz) + ", the file has " +
           std::to_string(size);
  if (__builtin_add_overflow(segment.p_vaddr, segment.p_memsz, &memEnd) ||
      segment.p_filesz > segment.p_memsz)
    return "has a malformed " + which;
  if (segment.p_type == PT_LOAD &&
      (segment.p_align == 0 || (segment.p_align & (segment.p_align - 1)) ||
       segment.p_offset % segment.p_align != segment.p_vaddr % segment.p_align))
    return "has a malformed " + which + " (alignment)";
  return "";
}

/// The loaded segment whose memory holds [addr, addr + bytes), from the file
/// bytes at `offset` when given; null when there is none.
static const Elf64_Phdr *mappedBy(const std::vector<Elf64_Phdr> &loads,
                                  uint64_t addr, uint64_t bytes,
                                  std::optional<uint64_t> offset) {
  for (const Elf64_Phdr &load : loads) {
    if (addr < load.p_vaddr || addr - load.p_vaddr > load.p_memsz ||
        bytes > load.p_memsz - (addr - load.p_vaddr))
      continue;
    if (!offset)
      return &load;
    uint64_t within = addr - load.p_vaddr;
    bool fromFile = *offset == load.p_offset + within &&
                    within <= load.p_filesz && bytes <= load.p_filesz - within;
    return fromFile ? &load : nullptr;
  }
  return nullptr;
}

/// True when `load`'s permissions allow what `section` needs: reading,
/// executing its code, writing its data (the dynamic loader writes
/// relocations into RELRO data before protecting it, so write is needed
/// there too).
static bool permits(const Elf64_Phdr &load, const Elf64_Shdr &section) {
  if (!(load.p_flags & PF_R))
    return false;
  if ((section.sh_flags & SHF_EXECINSTR) && !(load.p_flags & PF_X))
    return false;
  return !(section.sh_flags & SHF_WRITE) || (load.p_flags & PF_W);
}

/// Why the sections and the non-loaded segments of `elf` disagree with its
/// loaded segments, or an empty string. A linker writes them consistently:
/// a corrupted program header (a segment moved, resized or dropped) makes
/// the dynamic loader touch memory it never mapped.
static std::string layoutProblem(const ElfFile &elf, const Elf64_Ehdr &header,
                                 const std::vector<Elf64_Phdr> &segments) {
  std::vector<Elf64_Phdr> loads;
  for (const Elf64_Phdr &segment : segments)
    if (segment.p_type == PT_LOAD) {
      if (!loads.empty() &&
          segment.p_vaddr < loads.back().p_vaddr + loads.back().p_memsz)
        return "has overlapping or unordered loadable segments";
      loads.push_back(segment);
    }
  if (loads.empty())
    return "has no loadable segment";
  size_t dynamics = 0;
  for (const Elf64_Phdr &segment : segments) {
    if (segment.p_type == PT_LOAD || segment.p_type == PT_GNU_STACK ||
        segment.p_type == PT_NULL || segment.p_memsz == 0)
      continue;
    // The TLS image's bytes are in a loaded segment, its zero-filled tail
    // (.tbss) need not be; RELRO only changes the protection of memory.
    bool tls = segment.p_type == PT_TLS;
    uint64_t bytes = tls ? segment.p_filesz : segment.p_memsz;
    if (bytes != 0 &&
        !mappedBy(loads, segment.p_vaddr, bytes,
                  segment.p_type == PT_GNU_RELRO
                      ? std::nullopt
                      : std::optional<uint64_t>(segment.p_offset)))
      return "has a segment outside its loadable segments";
    dynamics += segment.p_type == PT_DYNAMIC;
  }
  if (dynamics != 1)
    return "has no single dynamic segment (not a shared object)";
  for (size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    if (!elf.section(header, i, section))
      return "is truncated: its section header table runs past the end of "
             "the file";
    if (!(section.sh_flags & SHF_ALLOC) || section.sh_size == 0 ||
        (section.sh_flags & SHF_TLS))
      continue;
    const Elf64_Phdr *load =
        mappedBy(loads, section.sh_addr, section.sh_size,
                 section.sh_type == SHT_NOBITS
                     ? std::nullopt
                     : std::optional<uint64_t>(section.sh_offset));
    if (!load)
      return "has section " + std::to_string(i) +
             " outside its loadable segments (a corrupted program header)";
    if (!permits(*load, section))
      return "has section " + std::to_string(i) +
             " in a segment that does not allow its use (read, write or "
             "execute; a corrupted program header)";
  }
  return "";
}

/// Why the ELF file `elf` of `size` bytes cannot be handed to dlopen, or an
/// empty string. dlopen trusts the program headers: it maps the PT_LOAD
/// segments and touches them, so a segment past the end of a truncated file
/// is a SIGBUS there, and one moved or dropped a SIGSEGV.
static std::string elfLoadProblem(const ElfFile &elf, uint64_t size) {
  Elf64_Ehdr header;
  if (!elf.isElf64LittleEndian() || !elf.read(0, header))
    return "is not a 64-bit little-endian ELF file";
  std::string problem = elfHeaderProblem(header);
  if (!problem.empty())
    return problem;
  std::vector<Elf64_Phdr> segments(header.e_phnum);
  for (size_t i = 0; i < header.e_phnum; ++i) {
    if (!elf.read(header.e_phoff + i * uint64_t(sizeof(Elf64_Phdr)),
                  segments[i]))
      return "is truncated: its program header table runs past the end of "
             "the file (" +
             std::to_string(size) + " bytes)";
    problem = segmentProblem(segments[i], i, size);
    if (!problem.empty())
      return problem;
  }
  return layoutProblem(elf, header, segments);
}

/// True when the dynamic symbol table defines `symbol`.
static bool definesSymbol(const ElfFile &elf, const Elf64_Ehdr &header,
                          const Elf64_Shdr &dynsym, const std::string &symbol) {
  Elf64_Shdr strtab;
  if (!elf.section(header, dynsym.sh_link, strtab) || !dynsym.sh_entsize)
    return false;
  for (uint64_t i = 0; i < dynsym.sh_size / dynsym.sh_entsize; ++i) {
    Elf64_Sym sym;
    if (!elf.read(dynsym.sh_offset + i * dynsym.sh_entsize, sym))
      return false;
    if (sym.st_shndx != SHN_UNDEF &&
        elf.cString(strtab.sh_offset + sym.st_name,
                    strtab.sh_offset + strtab.sh_size) == symbol)
      return true;
  }
  return false;
}

void checkWorkloadBinary(const std::string &path) {
  std::string error;
  std::optional<std::vector<char>> bytes = readRegularFile(path, error);
  if (!bytes)
    throw std::runtime_error("cannot load " + path + ": it " + error);
  uint64_t size = bytes->size();
  ElfFile elf(std::move(*bytes));
  std::string problem = elfLoadProblem(elf, size);
  if (!problem.empty())
    throw std::runtime_error("cannot load " + path + ": it " + problem);
  Elf64_Ehdr header;
  Elf64_Shdr dynsym;
  elf.read(0, header);
  std::optional<std::string> text;
  if (findDynsym(elf, header, dynsym))
    text = readSymbolString(elf, header, dynsym, "ssm_workload_manifest");
  if (!text)
    throw std::runtime_error(path + " is not an ssm workload binary (no "
                                    "ssm_workload_manifest symbol)");
  Manifest manifest;
  try {
    manifest = parseManifest(*text);
  } catch (const std::runtime_error &e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  for (const EntrySpec &entry : manifest.entries)
    if (!definesSymbol(elf, header, dynsym, entry.symbol))
      throw std::runtime_error(path + ": entry '" + entry.name + "': symbol '" +
                               entry.symbol +
                               "' is not exported by the binary");
}

//===----------------------------------------------------------------------===//
// WorkloadLibrary
//===----------------------------------------------------------------------===//

/// The path to hand to dlopen: one without a '/' would be searched for on
/// the library path instead of being taken relative to the working directory.
static std::string dlopenPath(const std::string &path) {
  if (path.find('/') != std::string::npos)
    return path;
  return "./" + path;
}

WorkloadLibrary::WorkloadLibrary(const std::string &path) : filePath(path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw std::runtime_error(path + ": no such file");
  // dlopen trusts the file: check what it would map, and the symbols the
  // runner needs, before handing it over.
  checkWorkloadBinary(path);
  dlerror(); // Clear any stale error.
  // RTLD_LOCAL: an entry wrapper calls its workload function through the
  // PLT, so with RTLD_GLOBAL a second binary defining the same function name
  // (another build of the same workload, as ssm-run --compare loads) would
  // call the first one's. The mgpu* symbols come from the executable, which
  // is searched first either way.
  handle = dlopen(dlopenPath(path).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    throw std::runtime_error("cannot load " + path + ": " +
                             (why ? why : "unknown dlopen error"));
  }
  try {
    const auto *text =
        static_cast<const char *>(dlsym(handle, "ssm_workload_manifest"));
    if (!text)
      throw std::runtime_error(path + " is not an ssm workload binary (no "
                                      "ssm_workload_manifest symbol)");
    rawManifest = text;
    try {
      parsed = parseManifest(rawManifest);
    } catch (const std::runtime_error &e) {
      throw std::runtime_error(path + ": " + e.what());
    }
    for (const EntrySpec &entry : parsed.entries) {
      void *symbol = dlsym(handle, entry.symbol.c_str());
      if (!symbol)
        throw std::runtime_error(path + ": entry '" + entry.name +
                                 "': symbol '" + entry.symbol +
                                 "' is not exported by the binary");
      functions[entry.name] = reinterpret_cast<EntryFunction>(symbol);
    }
  } catch (...) {
    dlclose(handle);
    throw;
  }
}

WorkloadLibrary::~WorkloadLibrary() {
  if (handle)
    dlclose(handle);
}

EntryFunction
WorkloadLibrary::entryFunction(const std::string &entryName) const {
  auto it = functions.find(entryName);
  if (it == functions.end())
    throw std::runtime_error(filePath + ": no entry named '" + entryName + "'");
  return it->second;
}

} // namespace ssmrt
