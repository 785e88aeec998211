#!/usr/bin/env bash
# The GPU check of ssm-run's kernel records and counters (issue 13), in two
# steps:
#   bash scripts/counters_gpu.sh prepare DIR   # here: compile the binaries
#                                              # into DIR, copy ssm-run there
#   bash scripts/counters_gpu.sh run DIR       # on the GPU machine; logs and
#                                              # a few report files in $OUT
# `run` prints what the machine allows (nvidia-smi, the profiling switch,
# ncu), runs what test/GPU/profile.mlir checks (lit is not there), the
# default counters and the report of the Mamba-1 scan (B8 D1536 L2048,
# bf16), fused against unfused side by side, the stall reasons, the failure
# modes that need a GPU (an unknown metric, CUPTI missing), then ncu's DRAM
# bytes and durations of the same binaries for the cross-check.
set -uo pipefail
mode=${1:?usage: counters_gpu.sh prepare|run DIR}
dir=${2:?usage: counters_gpu.sh prepare|run DIR}

if [ "$mode" = prepare ]; then
  cd "$(dirname "$0")/.."
  mkdir -p "$dir"
  compile() { build/bin/ssm-compile "$1" --target=gpu -o "$dir/$2" "${@:3}"; }
  compile test/GPU/profile.mlir profile-lit.so &&
    compile workloads/mamba1_small.mlir small.so &&
    compile workloads/bench/selective_scan_b8_l2048.mlir scan.so &&
    compile workloads/bench/selective_scan_b8_l2048.mlir scan-unfused.so \
      --variant=unfused &&
    cp build/bin/ssm-run "$dir/" && ls -la "$dir"
  exit
fi

[ "$mode" = run ] || { echo "unknown mode '$mode'"; exit 1; }
out=${OUT:-counters-out}
mkdir -p "$out"
r="$dir/ssm-run"
t=$(mktemp -d)
exec > >(tee "$out/log.txt") 2>&1
set -x
date -u
nvidia-smi
grep -i profil /proc/driver/nvidia/params 2>/dev/null
ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
echo "ncu: ${ncu:-none}"
# What test/GPU/profile.mlir runs.
timeout 60 "$r" "$dir/profile-lit.so" --check --repeat 3 --kernels
timeout 60 "$r" "$dir/profile-lit.so" --metrics default --report "$t/lit"
timeout 60 "$r" "$dir/small.so" --entry forward --check --repeat 5 --kernels
# The default counters of the scan, and its report.
timeout 120 "$r" "$dir/scan.so" --entry fwd --check --repeat 5 \
  --metrics default --report "$t/scan"
cp "$t/scan/report.json" "$out/scan-report.json"
cp "$t/scan/kernels.csv" "$out/scan-kernels.csv"
# Fused against unfused.
timeout 150 "$r" --compare "$dir/scan.so" "$dir/scan-unfused.so" --entry fwd \
  --repeat 3 --warmup 1 --metrics default --report "$t/cmp"
cp "$t/cmp/roofline.svg" "$out/compare-roofline.svg"
# Stall reasons; the failure modes.
timeout 60 "$r" "$dir/scan.so" --entry fwd --metrics stalls
timeout 30 "$r" "$dir/scan.so" --entry fwd --metrics dram__bytez_read.sum
echo "rc=$? (1 expected)"
SSMRT_CUPTI_LIBRARY=/nonexistent/libcupti.so timeout 30 "$r" "$dir/scan.so" \
  --entry fwd --repeat 2 --metrics default
echo "rc=$? (0 expected)"
# ncu on the same binaries, one call each, clocks and caches as CUPTI
# leaves them.
if [ -n "$ncu" ]; then
  for so in scan scan-unfused; do
    timeout 120 "$ncu" --clock-control none --cache-control none \
      --metrics dram__bytes_read.sum,dram__bytes_write.sum,gpu__time_duration.sum \
      --csv "$r" "$dir/$so.so" --entry fwd >"$out/ncu-$so.csv" 2>"$t/ncu.err"
    echo "ncu rc=$?"
    grep -E "dram|gpu__time" "$out/ncu-$so.csv" | cut -c1-300
  done
fi
date -u
