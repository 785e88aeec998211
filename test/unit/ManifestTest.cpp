//===- ManifestTest.cpp - Tests of workload manifests and loading ---------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Workload.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <dlfcn.h>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

using namespace ssmrt;
using Json = nlohmann::json;

namespace {

/// The manifest of docs/WORKLOAD_BINARY.md's example.
Json exampleManifest() {
  return Json::parse(R"({
    "format": "ssm-workload", "version": 1, "target": "gpu", "chip": "sm_90",
    "module": "selective_scan_small",
    "lowering": {"pipeline": "gpu", "options": {"chunk-len": "128"}},
    "entries": [
      {"name": "forward", "symbol": "ssm_entry_forward",
       "tensors": [
         {"name": "u", "shape": [2,4,8], "dtype": "f32", "role": "input"},
         {"name": "delta", "shape": [2,4,8], "dtype": "f32", "role": "input"},
         {"name": "A", "shape": [4,3], "dtype": "f32", "role": "parameter"},
         {"name": "B", "shape": [2,1,3,8], "dtype": "bf16", "role": "input"},
         {"name": "C", "shape": [2,1,3,8], "dtype": "f16", "role": "input"},
         {"name": "D", "shape": [4], "dtype": "f64", "role": "parameter"},
         {"name": "y", "shape": [2,4,8], "dtype": "f32", "role": "output"},
         {"name": "last_state", "shape": [2,4,3], "dtype": "f32",
          "role": "output"}],
       "ops": [
         {"op": "ssm.selective_scan", "attrs": {"delta_softplus": "true"},
          "operands": ["u", "delta", "A", "B", "C", "D", null, null],
          "results": ["y", "last_state"]}]}]})");
}

/// Expects parsing `manifest` to fail with a message containing `expected`.
void expectError(const Json &manifest, const std::string &expected) {
  try {
    parseManifest(manifest.dump());
    ADD_FAILURE() << "no error for " << manifest.dump();
  } catch (const std::runtime_error &e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind("manifest: ", 0), 0u) << message;
    EXPECT_NE(message.find(expected), std::string::npos)
        << "message: " << message << "\nexpected: " << expected;
  }
}

Json &firstTensor(Json &manifest) {
  return manifest["entries"][0]["tensors"][0];
}

//===----------------------------------------------------------------------===//
// Valid manifests
//===----------------------------------------------------------------------===//

TEST(ManifestTest, ParsesExample) {
  Manifest manifest = parseManifest(exampleManifest().dump());
  EXPECT_EQ(manifest.format, "ssm-workload");
  EXPECT_EQ(manifest.version, 1);
  EXPECT_TRUE(manifest.isGpu());
  EXPECT_EQ(manifest.chip, "sm_90");
  EXPECT_EQ(manifest.module, "selective_scan_small");
  EXPECT_EQ(manifest.pipeline, "gpu");
  EXPECT_EQ(manifest.options.at("chunk-len"), "128");
  ASSERT_EQ(manifest.entries.size(), 1u);
  const EntrySpec &entry = manifest.entries[0];
  EXPECT_EQ(entry.symbol, "ssm_entry_forward");
  ASSERT_EQ(entry.tensors.size(), 8u);
  EXPECT_EQ(entry.tensors[3].dtype, Dtype::BF16);
  EXPECT_EQ(entry.tensors[5].dtype, Dtype::F64);
  EXPECT_EQ(entry.tensors[2].role, Role::Parameter);
  EXPECT_TRUE(entry.tensors[7].isResult());
  EXPECT_EQ(entry.tensors[3].byteSize(), 2u * 1 * 3 * 8 * 2);
  ASSERT_EQ(entry.ops.size(), 1u);
  const OpSpec &op = entry.ops[0];
  EXPECT_EQ(op.op, "ssm.selective_scan");
  EXPECT_EQ(op.attrs.at("delta_softplus"), "true");
  ASSERT_EQ(op.operands.size(), 8u);
  EXPECT_EQ(op.operands[0], "u");
  EXPECT_FALSE(op.operands[6].has_value());
  EXPECT_EQ(op.results[1], "last_state");
  EXPECT_EQ(manifest.findEntry("forward"), &entry);
  EXPECT_EQ(entry.findTensor("C"), &entry.tensors[4]);
  EXPECT_EQ(entry.findTensor("nope"), nullptr);
}

TEST(ManifestTest, CpuNeedsNoChipAndScalarsAreRankZero) {
  Json manifest = exampleManifest();
  manifest["target"] = "cpu";
  manifest.erase("chip");
  firstTensor(manifest)["shape"] = Json::array();
  Manifest parsed = parseManifest(manifest.dump());
  EXPECT_FALSE(parsed.isGpu());
  EXPECT_EQ(parsed.entries[0].tensors[0].numElements(), 1u);
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST(ManifestTest, InvalidJson) {
  EXPECT_THROW(parseManifest("{\"format\": "), std::runtime_error);
  try {
    parseManifest("[1, 2");
  } catch (const std::runtime_error &e) {
    EXPECT_NE(std::string(e.what()).find("invalid JSON"), std::string::npos);
  }
  expectError(Json::array(), "the top level must be an object");
}

TEST(ManifestTest, MissingTopLevelFields) {
  for (const char *key : {"format", "version", "target", "chip", "module",
                          "lowering", "entries"}) {
    Json manifest = exampleManifest();
    manifest.erase(key);
    expectError(manifest, std::string("missing field '") + key + "'");
  }
}

TEST(ManifestTest, MissingNestedFields) {
  for (const char *key : {"pipeline", "options"}) {
    Json manifest = exampleManifest();
    manifest["lowering"].erase(key);
    expectError(manifest, std::string("lowering: missing field '") + key);
  }
  for (const char *key : {"name", "symbol", "tensors", "ops"}) {
    Json manifest = exampleManifest();
    manifest["entries"][0].erase(key);
    expectError(manifest, std::string("entries[0]: missing field '") + key);
  }
  for (const char *key : {"name", "shape", "dtype", "role"}) {
    Json manifest = exampleManifest();
    firstTensor(manifest).erase(key);
    expectError(manifest,
                std::string("entries[0].tensors[0]: missing field '") + key);
  }
  for (const char *key : {"op", "operands", "results"}) {
    Json manifest = exampleManifest();
    manifest["entries"][0]["ops"][0].erase(key);
    expectError(manifest,
                std::string("entries[0].ops[0]: missing field '") + key);
  }
}

TEST(ManifestTest, BadDtype) {
  Json manifest = exampleManifest();
  manifest["entries"][0]["tensors"][2]["dtype"] = "f8";
  expectError(manifest, "entries[0].tensors[2].dtype: unknown dtype 'f8'");
  manifest["entries"][0]["tensors"][2]["dtype"] = 32;
  expectError(manifest, "entries[0].tensors[2].dtype: must be a string");
}

TEST(ManifestTest, BadRole) {
  Json manifest = exampleManifest();
  firstTensor(manifest)["role"] = "weights";
  expectError(manifest, "entries[0].tensors[0].role: unknown role 'weights'");
}

TEST(ManifestTest, BadHeaderValues) {
  Json manifest = exampleManifest();
  manifest["format"] = "elf";
  expectError(manifest, "format: expected \"ssm-workload\"");
  manifest = exampleManifest();
  manifest["version"] = 2;
  expectError(manifest, "version: unsupported version 2");
  manifest["version"] = "1";
  expectError(manifest, "version: must be an integer");
  manifest = exampleManifest();
  manifest["target"] = "tpu";
  expectError(manifest, "target: expected \"cpu\" or \"gpu\"");
  manifest = exampleManifest();
  manifest["lowering"]["options"]["chunk-len"] = 128;
  expectError(manifest, "lowering.options.chunk-len: must be a string");
}

TEST(ManifestTest, BadShapes) {
  Json manifest = exampleManifest();
  firstTensor(manifest)["shape"] = Json::parse("[2, -4, 8]");
  expectError(manifest, "entries[0].tensors[0].shape[1]: must be a "
                        "non-negative integer");
  firstTensor(manifest)["shape"] = Json::parse("[2, 4.5]");
  expectError(manifest, "entries[0].tensors[0].shape[1]");
  firstTensor(manifest)["shape"] = "2x4";
  expectError(manifest, "entries[0].tensors[0].shape: must be an array");
}

TEST(ManifestTest, BadEntries) {
  Json manifest = exampleManifest();
  manifest["entries"] = Json::array();
  expectError(manifest, "entries: must hold at least one entry");
  manifest = exampleManifest();
  manifest["entries"].push_back(manifest["entries"][0]);
  expectError(manifest, "entries[1].name: duplicate entry name 'forward'");
  manifest = exampleManifest();
  manifest["entries"][0]["symbol"] = "ssm entry";
  expectError(manifest, "entries[0].symbol: 'ssm entry' is not a C identifier");
}

TEST(ManifestTest, BadTensorLists) {
  Json manifest = exampleManifest();
  manifest["entries"][0]["tensors"][1]["name"] = "u";
  expectError(manifest, "entries[0].tensors[1].name: duplicate tensor name");
  manifest = exampleManifest();
  std::swap(manifest["entries"][0]["tensors"][5],
            manifest["entries"][0]["tensors"][6]);
  expectError(manifest, "entries[0].tensors[6]: argument tensor 'D'");
}

TEST(ManifestTest, BadOps) {
  Json manifest = exampleManifest();
  manifest["entries"][0]["ops"][0]["operands"][1] = 7;
  expectError(manifest, "entries[0].ops[0].operands[1]: must be a string");
  manifest = exampleManifest();
  manifest["entries"][0]["ops"][0]["attrs"]["delta_softplus"] = true;
  expectError(manifest,
              "entries[0].ops[0].attrs.delta_softplus: must be a string");
}

TEST(ManifestTest, OpLoweringIsOptionalAndLenient) {
  Json manifest = exampleManifest();
  EXPECT_TRUE(
      parseManifest(manifest.dump()).entries[0].ops[0].lowering.empty());
  manifest["entries"][0]["ops"][0]["lowering"] =
      Json::parse(R"({"variant": "fused", "chunk_len": 64, "exact": true})");
  Manifest parsed = parseManifest(manifest.dump());
  const std::map<std::string, std::string> &lowering =
      parsed.entries[0].ops[0].lowering;
  ASSERT_EQ(lowering.size(), 3u);
  EXPECT_EQ(lowering.at("variant"), "fused");
  EXPECT_EQ(lowering.at("chunk_len"), "64");
  EXPECT_EQ(lowering.at("exact"), "true");
  manifest["entries"][0]["ops"][0]["lowering"] = "fused";
  expectError(manifest,
              "entries[0].ops[0].lowering: must be an object, found string");
}

TEST(ManifestTest, TensorTooLargeToAllocate) {
  // 2^62 f32 elements: the byte size would wrap to 0 and the runtime would
  // allocate nothing for a tensor the entry writes (issue 15).
  Json manifest = exampleManifest();
  firstTensor(manifest)["shape"] = {4611686018427387904LL};
  expectError(manifest, "entries[0].tensors[0].shape: tensor 'u' is too "
                        "large (its byte size does not fit in 62 bits)");
  firstTensor(manifest)["shape"] = {4294967296LL, 4294967296LL};
  expectError(manifest, "tensor 'u' is too large");
}

//===----------------------------------------------------------------------===//
// WorkloadLibrary
//===----------------------------------------------------------------------===//

/// Expects loading `path` to fail with a message containing `expected`.
void expectLoadError(const std::string &path, const std::string &expected) {
  try {
    WorkloadLibrary library(path);
    ADD_FAILURE() << "loading " << path << " did not fail";
  } catch (const std::runtime_error &e) {
    std::string message = e.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(expected), std::string::npos) << message;
  }
}

TEST(WorkloadLibraryTest, PeekFindsNoManifestOutsideWorkloads) {
  Dl_info info;
  double (*cosine)(double) = &std::cos;
  ASSERT_NE(dladdr(reinterpret_cast<void *>(cosine), &info), 0);
  EXPECT_FALSE(peekManifest(info.dli_fname).has_value());
  EXPECT_FALSE(peekManifest("/nonexistent/dir/model.so").has_value());
}

TEST(WorkloadLibraryTest, MissingFile) {
  expectLoadError("/nonexistent/dir/model.so", "no such file");
}

TEST(WorkloadLibraryTest, NotASharedObject) {
  char pattern[] = "/tmp/ssmrt-manifest-test-XXXXXX";
  int fd = mkstemp(pattern);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "not an ELF file", 15), 15);
  close(fd);
  expectLoadError(pattern, "cannot load");
  unlink(pattern);
}

TEST(WorkloadLibraryTest, SharedObjectWithoutManifest) {
  // libm is a real shared object that certainly is no workload binary.
  Dl_info info;
  double (*cosine)(double) = &std::cos;
  ASSERT_NE(dladdr(reinterpret_cast<void *>(cosine), &info), 0);
  ASSERT_NE(info.dli_fname, nullptr);
  expectLoadError(info.dli_fname, "is not an ssm workload binary (no "
                                  "ssm_workload_manifest symbol)");
}

/// The path of the shared object that holds std::cos (libm).
std::string libmPath() {
  Dl_info info;
  double (*cosine)(double) = &std::cos;
  if (dladdr(reinterpret_cast<void *>(cosine), &info) == 0 || !info.dli_fname)
    return "";
  return info.dli_fname;
}

/// A copy of the first `size` bytes of `from` in a fresh temporary file.
std::string truncatedCopy(const std::string &from, size_t size) {
  std::ifstream in(from, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  char pattern[] = "/tmp/ssmrt-truncated-XXXXXX";
  int fd = mkstemp(pattern);
  if (fd < 0)
    return "";
  size = std::min(size, bytes.size());
  bool ok = write(fd, bytes.data(), size) == static_cast<ssize_t>(size);
  close(fd);
  return ok ? pattern : "";
}

TEST(WorkloadLibraryTest, TruncatedSharedObjectIsRefusedBeforeDlopen) {
  // dlopen maps the segments of a file cut short and crashes touching them
  // (SIGBUS): the file is checked first (issue 15). Every cut of a real
  // shared object is refused with the file named, none crashes.
  std::string libm = libmPath();
  ASSERT_FALSE(libm.empty());
  for (size_t size : {0, 16, 63, 64, 100, 200, 1000, 4096, 20000}) {
    std::string cut = truncatedCopy(libm, size);
    ASSERT_FALSE(cut.empty());
    expectLoadError(cut, "cannot load");
    unlink(cut.c_str());
  }
  std::string cut = truncatedCopy(libm, 20000);
  expectLoadError(cut, "it is truncated: segment");
  unlink(cut.c_str());
}

TEST(WorkloadLibraryTest, DeviceIsNotRead) {
  expectLoadError("/dev/zero", "it is not a regular file");
  EXPECT_FALSE(peekManifest("/dev/zero").has_value());
}

} // namespace
