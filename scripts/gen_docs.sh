#!/usr/bin/env bash
# Regenerates the reference documentation from ODS (ops, attributes,
# interfaces, dialect, passes)
# with the `mlir-doc` target and copies it into docs/generated/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target mlir-doc
mkdir -p docs/generated
cp build/docs/Dialects/SSMDialect.md build/docs/Dialects/SSMOps.md \
   build/docs/Dialects/SSMAttrs.md build/docs/Dialects/SSMInterfaces.md \
   build/docs/SSMTransformsPasses.md build/docs/SSMConversionPasses.md \
   docs/generated/
echo "docs/generated/ updated"
