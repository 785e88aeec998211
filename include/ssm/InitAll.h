//===- InitAll.h - register everything the ssm tools use --------*- C++ -*-===//

#ifndef SSM_INITALL_H
#define SSM_INITALL_H

namespace mlir {
class DialectRegistry;
namespace ssm {

/// Registers the ssm dialect and every upstream dialect (with its interface
/// and translation extensions) that the ssm pipelines produce.
void registerAllDialects(DialectRegistry &registry);

/// Registers the project's passes and pipelines and the upstream passes the
/// pipelines run, so that `ssm-opt` can run every step `ssm-compile` runs.
void registerAllPasses();

} // namespace ssm
} // namespace mlir

#endif // SSM_INITALL_H
