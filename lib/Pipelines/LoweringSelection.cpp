//===- LoweringSelection.cpp - the lowering choices of a pipeline -*- C++
//-*-===//
//
// Both pipelines and ssm-compile take the lowering choices as one option
// string and hand it to ssm-select-lowering, whose ODS declares them; so an
// option exists once, and an unknown one is rejected by the pass's own
// parser with the list of the ones it knows.
//
//===----------------------------------------------------------------------===//

#include "ssm/Pipelines/Pipelines.h"
#include "ssm/Transforms/Passes.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::ssm;

FailureOr<PipelineRequest>
mlir::ssm::parsePipelineOptions(StringRef target, StringRef options,
                                PipelineErrorHandler onError) {
  PipelineRequest request;
  request.target = target.str();
  llvm::StringSet<> seen;
  SmallVector<StringRef> tokens;
  options.split(tokens, ' ', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  std::string lowering;
  for (StringRef token : tokens) {
    auto [key, value] = token.split('=');
    if (key.empty() || !token.contains('='))
      return failure(
          failed(onError("option '" + token + "' must be written key=value")));
    if (!seen.insert(key).second)
      return failure(
          failed(onError("option '" + key + "' is given more than once")));
    if (key == "target")
      return failure(failed(onError(
          "option 'target' is fixed by the pipeline (" + target + ")")));
    if (key == "cubin-format" && target == "gpu") {
      if (value != "bin" && value != "isa")
        return failure(failed(onError("cubin-format = '" + value +
                                      "': expected 'bin' or 'isa'")));
      request.cubinIsa = value == "isa";
      continue;
    }
    lowering += (lowering.empty() ? "" : " ") + token.str();
  }
  request.loweringOptions = lowering;
  return request;
}

/// ssm-select-lowering with the request's options parsed.
static FailureOr<std::unique_ptr<Pass>>
createSelection(const PipelineRequest &request, PipelineErrorHandler onError) {
  std::unique_ptr<Pass> pass = createSSMSelectLowering();
  std::string options = "target=" + request.target;
  if (!request.loweringOptions.empty())
    options += " " + request.loweringOptions;
  if (failed(pass->initializeOptions(options, onError)))
    return failure();
  return pass;
}

/// Every option of the selection pass with its value: the pass prints
/// itself as `ssm-select-lowering{key=value ...}` with all of them, defaults
/// included.
static SmallVector<std::pair<std::string, std::string>>
optionValues(Pass &select) {
  std::string text;
  llvm::raw_string_ostream os(text);
  select.printAsTextualPipeline(os);
  StringRef body = StringRef(text).split('{').second.rsplit('}').first;
  SmallVector<StringRef> tokens;
  body.split(tokens, ' ', -1, /*KeepEmpty=*/false);
  SmallVector<std::pair<std::string, std::string>> values;
  for (StringRef token : tokens) {
    auto [key, value] = token.split('=');
    values.emplace_back(key.str(), value.trim("\"{}").str());
  }
  return values;
}

FailureOr<SmallVector<std::pair<std::string, std::string>>>
mlir::ssm::getLoweringOptionValues(const PipelineRequest &request,
                                   PipelineErrorHandler onError) {
  FailureOr<std::unique_ptr<Pass>> pass = createSelection(request, onError);
  if (failed(pass))
    return failure();
  return optionValues(**pass);
}

LogicalResult mlir::ssm::addLoweringSelection(OpPassManager &pm,
                                              const PipelineRequest &request,
                                              PipelineErrorHandler onError) {
  FailureOr<std::unique_ptr<Pass>> select = createSelection(request, onError);
  if (failed(select))
    return failure();
  SSMFuseOptions fuse;
  for (auto &[key, value] : optionValues(**select))
    if (key == "variant")
      fuse.variant = value;
  pm.addPass(createSSMFuse(fuse));
  pm.addPass(std::move(*select));
  return success();
}
