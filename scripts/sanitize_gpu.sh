#!/usr/bin/env bash
# On the GPU machine: runs every distinct (binary, entry) of the GPU suite
# whose name matches PATTERN (default: all) under compute-sanitizer's
# memcheck and racecheck tools, and prints one line per run and a summary
# "N clean, N with errors". Needs the suite built by scripts/gpu_suite.py.
#   bash scripts/sanitize_gpu.sh [SUITE_DIR] [PATTERN]
set -uo pipefail
suite=${1:-.devbin/gpu-suite}
pattern=${2:-.}
run=$(realpath "${SSM_RUN:-.devbin/ssm-run}")
sanitizer=${SANITIZER:-/usr/local/cuda/bin/compute-sanitizer}
out=${OUT:-sanitize-out}
mkdir -p "$out"
clean=0
dirty=0
while read -r so entry; do
  for tool in memcheck racecheck; do
    log="$out/sanitize-$tool.log"
    if "$sanitizer" --tool "$tool" --error-exitcode 99 --print-limit 20 \
        "$run" "$suite/$so" --entry "$entry" >>"$log" 2>&1; then
      clean=$((clean + 1))
      echo "clean  $tool $so $entry"
    else
      dirty=$((dirty + 1))
      echo "ERRORS $tool $so $entry (see $log)"
    fi
  done
done < <(awk '{print $1, $3}' "$suite/cases.txt" | grep -E "$pattern" | sort -u)
echo "$clean clean, $dirty with errors"
