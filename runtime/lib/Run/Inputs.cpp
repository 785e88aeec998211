//===- Inputs.cpp - The tensors ssm-run feeds and dumps -------------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Inputs.h"

#include "Random.h"
#include "Text.h"

#include "ssmrt/Npy.h"
#include "ssmrt/Reference.h"
#include "ssmrt/Run/Init.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <ostream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ssmrt {

//===----------------------------------------------------------------------===//
// HostBuffer
//===----------------------------------------------------------------------===//

void HostBuffer::FreeDeleter::operator()(uint8_t *p) const { std::free(p); }

HostBuffer::HostBuffer(size_t bytes) : bytes(bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  storage.reset(static_cast<uint8_t *>(std::aligned_alloc(64, rounded)));
  if (!storage)
    fail("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
  std::memset(storage.get(), 0, rounded);
}

//===----------------------------------------------------------------------===//
// Random argument values
//===----------------------------------------------------------------------===//

namespace {

/// The distribution a tensor is drawn from, chosen by its name.
enum class Init {
  NegativeExp, ///< A: -exp(U(-1,1)), a stable (decaying) scan.
  Step,        ///< delta, dt: 0.5 * U(-1,1).
  Centered,    ///< D, *bias*: U(-0.5,0.5).
  Scale,       ///< rank-0/1 *weight: U(0.5,1.5), a norm's gain.
  FanIn,       ///< rank>=2 *weight: U(-1,1) / sqrt(last dim).
  Normal,      ///< everything else: N(0,1) clipped to [-3,3].
};

} // namespace

static bool endsWith(const std::string &text, const std::string &suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static Init initFor(const TensorSpec &tensor) {
  const std::string &name = tensor.name;
  if (name == "A")
    return Init::NegativeExp;
  if (name == "delta" || name == "dt")
    return Init::Step;
  if (name == "D" || name.find("bias") != std::string::npos)
    return Init::Centered;
  if (endsWith(name, "weight"))
    return tensor.shape.size() <= 1 ? Init::Scale : Init::FanIn;
  return Init::Normal;
}

static double draw(Init init, Random &random, const TensorSpec &tensor) {
  switch (init) {
  case Init::NegativeExp:
    return -std::exp(random.uniform(-1.0, 1.0));
  case Init::Step:
    return 0.5 * random.uniform(-1.0, 1.0);
  case Init::Centered:
    return random.uniform(-0.5, 0.5);
  case Init::Scale:
    return random.uniform(0.5, 1.5);
  case Init::FanIn: {
    double fanIn =
        static_cast<double>(std::max<int64_t>(tensor.shape.back(), 1));
    return random.uniform(-1.0, 1.0) / std::sqrt(fanIn);
  }
  case Init::Normal:
    return random.clippedNormal();
  }
  return 0.0;
}

void fillRandom(const TensorSpec &tensor, uint64_t seed, void *data,
                bool nonNegative) {
  Random random(seed ^ hashName(tensor.name));
  Init init = initFor(tensor);
  for (size_t i = 0, e = tensor.numElements(); i < e; ++i) {
    double value = draw(init, random, tensor);
    storeElement(tensor.dtype, data, i, nonNegative ? std::fabs(value) : value);
  }
}

std::set<std::string> stepsWithoutSoftplus(const EntrySpec &entry) {
  // The step operand and its bias, and the attribute that says whether the
  // op applies softplus to their sum, of every scan op.
  struct Scan {
    const char *op, *step, *bias, *softplus;
  };
  static const Scan scans[] = {
      {"ssm.selective_scan", "delta", "delta_bias", "delta_softplus"},
      {"ssm.selective_scan_grad", "delta", "delta_bias", "delta_softplus"},
      {"ssm.ssd_scan", "dt", "dt_bias", "dt_softplus"},
      {"ssm.ssd_scan_grad", "dt", "dt_bias", "dt_softplus"}};
  std::set<std::string> names;
  for (const OpSpec &op : entry.ops)
    for (const Scan &scan : scans) {
      if (op.op != scan.op)
        continue;
      auto softplus = op.attrs.find(scan.softplus);
      if (softplus != op.attrs.end() && softplus->second == "true")
        continue;
      const ref::OpSignature &sig = ref::opSignature(scan.op);
      for (size_t i = 0; i < sig.operands.size() && i < op.operands.size(); ++i)
        if ((sig.operands[i] == scan.step || sig.operands[i] == scan.bias) &&
            op.operands[i])
          names.insert(*op.operands[i]);
    }
  return names;
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

HostBuffers allocateBuffers(const EntrySpec &entry) {
  HostBuffers buffers;
  for (const TensorSpec &tensor : entry.tensors) {
    buffers.emplace_back(tensor.byteSize());
    if (!tensor.isResult())
      continue;
    for (size_t i = 0, e = tensor.numElements(); i < e; ++i)
      storeElement(tensor.dtype, buffers.back().data(), i,
                   std::numeric_limits<double>::quiet_NaN());
  }
  return buffers;
}

/// Rejects a .npy file in `dir` that names no tensor of the entry.
static void checkNoUnknownInputs(const std::string &dir,
                                 const EntrySpec &entry) {
  std::error_code ec;
  for (const fs::directory_entry &file : fs::directory_iterator(dir, ec)) {
    fs::path path = file.path();
    if (path.extension() != ".npy")
      continue;
    if (entry.findTensor(path.stem().string()))
      continue;
    std::string known;
    for (const TensorSpec &tensor : entry.tensors)
      known += (known.empty() ? "" : ", ") + tensor.name;
    fail(path.string() + ": unknown tensor name '" + path.stem().string() +
         "' (entry '" + entry.name + "' has: " + known + ")");
  }
  if (ec)
    fail("cannot list inputs directory " + dir + ": " + ec.message());
}

static void loadArgumentsFromDir(const std::string &dir, const EntrySpec &entry,
                                 HostBuffers &buffers) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    fail("inputs directory " + dir + " does not exist or is not a directory");
  checkNoUnknownInputs(dir, entry);
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (tensor.isResult())
      continue;
    std::string path = (fs::path(dir) / (tensor.name + ".npy")).string();
    if (!fs::exists(path, ec))
      fail("missing input file " + path + " for " + roleName(tensor.role) +
           " '" + tensor.name + "' (" + describe(tensor) + ")");
    std::vector<uint8_t> bytes = readNpyAs(path, tensor.dtype, tensor.shape);
    std::memcpy(buffers[i].data(), bytes.data(), bytes.size());
  }
}

void fillArguments(const EntrySpec &entry, uint64_t seed,
                   HostBuffers &buffers) {
  std::set<std::string> steps = stepsWithoutSoftplus(entry);
  std::map<std::string, int64_t> vocab;
  for (const IntegerInput &input : integerInputs(entry))
    vocab[input.name] = input.vocab;
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (tensor.isResult())
      continue;
    if (isIntegerDtype(tensor.dtype))
      fillIntegers(tensor, seed, buffers[i].data(), vocab.at(tensor.name));
    else if (!tensor.init.empty())
      fillInit(tensor, seed, buffers[i].data());
    else
      fillRandom(tensor, seed, buffers[i].data(),
                 steps.count(tensor.name) != 0);
  }
}

void loadArguments(const std::string &inputsDir, uint64_t seed,
                   const EntrySpec &entry, HostBuffers &buffers,
                   std::ostream &out) {
  if (!inputsDir.empty()) {
    loadArgumentsFromDir(inputsDir, entry, buffers);
    out << "inputs: from " << inputsDir << "\n";
    return;
  }
  fillArguments(entry, seed, buffers);
  out << "inputs: seeded random (seed " << seed << ")\n";
}

//===----------------------------------------------------------------------===//
// Dumping
//===----------------------------------------------------------------------===//

void prepareDumpDir(const std::string &dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    fail("cannot create dump directory " + dir + ": " + ec.message());
  if (!fs::is_directory(dir, ec))
    fail("dump directory " + dir + " is not a directory");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    fail("dump directory " + dir + " is not writable: " + std::strerror(errno));
}

void dumpTensors(const std::string &dir, const EntrySpec &entry,
                 const HostBuffers &buffers, bool withArguments,
                 std::ostream &out) {
  size_t written = 0;
  for (size_t i = 0; i < entry.tensors.size(); ++i) {
    const TensorSpec &tensor = entry.tensors[i];
    if (!tensor.isResult() && !withArguments)
      continue;
    std::string path = (fs::path(dir) / (tensor.name + ".npy")).string();
    writeNpy(path, tensor.dtype, tensor.shape, buffers[i].data());
    ++written;
  }
  out << "dump: " << countOf(written, "tensor") << " to " << dir << "\n";
}

} // namespace ssmrt
