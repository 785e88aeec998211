#!/usr/bin/env bash
# Installs the Debian packages the project builds with (LLVM/MLIR 22 and the
# header-only libraries of the runtime). The CUDA toolkit is expected in
# /usr/local/cuda, as on every machine of this project.
set -euo pipefail
pkgs=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
      libcli11-dev nlohmann-json3-dev libgtest-dev cmake ninja-build g++ python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x /usr/local/cuda/bin/nvcc ] && [ ! -f /usr/local/cuda/include/cuda.h ]; then
  echo "error: the CUDA toolkit is not in /usr/local/cuda" >&2
  exit 1
fi
