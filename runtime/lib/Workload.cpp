//===- Workload.cpp - Loading compiled workload binaries ------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Workload.h"

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
         "unknown dtype '" + dtype + "' (expected f32, f64, bf16 or f16)");
  tensor.dtype = *parsedDtype;
  std::string role = stringMember(value, where, "role");
  std::optional<Role> parsedRole = parseRole(role);
  if (!parsedRole)
    fail(memberPath(where, "role"),
         "unknown role '" + role +
             "' (expected input, parameter, output or gradient)");
  tensor.role = *parsedRole;
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

std::optional<std::string> peekManifest(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  ElfFile elf(std::vector<char>((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>()));
  Elf64_Ehdr header;
  if (!elf.isElf64LittleEndian() || !elf.read(0, header))
    return std::nullopt;
  for (size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr section;
    if (elf.section(header, i, section) && section.sh_type == SHT_DYNSYM)
      return readSymbolString(elf, header, section, "ssm_workload_manifest");
  }
  return std::nullopt;
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
