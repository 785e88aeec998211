#!/usr/bin/env bash
# Time the reference Mamba kernels (mamba_ssm selective scan, Triton SSD) with .anchors/bench_peer.py.
# Run ON THE GPU MACHINE from the repo root; needs .anchors/ (see .anchors/README.md: copy of
# ../shared/anchors plus peer/ written by make_peer.sh), carried with the working tree.
#
# Usage: scripts/bench_anchors.sh [--conv] [--also REGEX] [--dry-run] [-- EXTRA bench_peer.py ARGS...]
#   --conv        also build causal-conv1d and time its rows (needs .anchors/peer/causal-conv1d)
#   --also REGEX  also time cases whose 'group name shape' key matches REGEX (e.g. your --extra rows)
#   --dry-run     print the bench_peer.py command and exit
#   after --: passed to bench_peer.py as is (e.g. --skip-checks, --min-reps 100, --extra FILE)
# Writes ${OUT:-anchors-out}/anchors/{anchors.md,anchors.json,log.txt}; fresh builds (*.so.gz,
# ext_meta.json, triton_cache.tar.gz) also land there: `.anchors/keep_build.sh DIR` keeps them.
#
# Cases timed by default (keys are "<group> <kernel> <shape>" in bench_peer.py):
#   mamba_ssm CUDA selective_scan_fn B8 D1536 L2048 N16                      fwd, fwd+bwd
#   mamba_ssm CUDA selective_scan_fn B1 D1536 L65536 N16                     fwd, fwd+bwd
#   mamba_ssm Triton mamba_chunk_scan_combined B8 L2048 H24 P64 N128 G1 c256  fwd, fwd+bwd
#   mamba_ssm Triton mamba_chunk_scan_combined B1 L65536 H24 P64 N128 G1 c256 fwd, fwd+bwd
# with --conv also:
#   causal-conv1d CUDA causal_conv1d_fn B8 D1536 L2048 W4 / B1 D1536 L65536 W4
set -euo pipefail

conv=0 dry=0 also=""
while [ $# -gt 0 ]; do
  case "$1" in
    --conv) conv=1; shift ;;
    --also) also="${2:?--also needs a regex}"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench_anchors.sh: unknown argument '$1' (bench_peer.py args go after --)" >&2; exit 2 ;;
  esac
done

SS='^mamba_ssm CUDA selective_scan_fn B(8 D1536 L2048|1 D1536 L65536) N16$'
SSD='^mamba_ssm Triton mamba_chunk_scan_combined B(8 L2048|1 L65536) H24 P64 N128 G1 c256$'
only="$SS|$SSD"
conv_args=(--no-conv)
if [ "$conv" = 1 ]; then
  [ -d .anchors/peer/causal-conv1d ] || { echo "bench_anchors.sh: --conv but no .anchors/peer/causal-conv1d" >&2; exit 1; }
  only="$only|^causal-conv1d CUDA causal_conv1d_fn B(8 D1536 L2048|1 D1536 L65536) W4$"
  conv_args=()
fi
[ -n "$also" ] && only="$only|$also"

out="${OUT:-anchors-out}/anchors"
cmd=(python3 .anchors/bench_peer.py --out "$out" "${conv_args[@]}" --only "$only" "$@")
echo "+ ${cmd[*]}"
[ "$dry" = 1 ] && exit 0

[ -f .anchors/bench_peer.py ] || { echo "bench_anchors.sh: no .anchors/bench_peer.py (run from the repo root; carry .anchors)" >&2; exit 1; }
[ -d .anchors/peer/mamba/mamba_ssm ] || { echo "bench_anchors.sh: no .anchors/peer/mamba (run .anchors/make_peer.sh here first)" >&2; exit 1; }
mkdir -p "$out"
export PYTHONUNBUFFERED=1
set +e
"${cmd[@]}" 2>&1 | tee "$out/log.txt"
rc=${PIPESTATUS[0]}
set -e

# Compact summary (ms per call), as in .anchors/README.md's figures table.
if [ -f "$out/anchors.json" ]; then
  python3 - "$out/anchors.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
f = lambda x: "—" if x is None else "%.3f" % x
e = r.get("env", {})
print("\n## anchors summary: %s, torch %s, triton %s; peer %s" % (
    e.get("device"), e.get("torch"), e.get("triton"),
    ", ".join("%s@%s" % (k, v["commit"][:12]) for k, v in r.get("peer", {}).items())))
print("| kernel | shape | fwd gpu-only | fwd median | fwd host | fwd+bwd gpu-only | fwd+bwd median | fwd+bwd host |")
print("|---|---|---|---|---|---|---|---|")
for row in r.get("rows", []):
    a, b = row.get("fwd", {}), row.get("fwdbwd", {})
    print("| %s | %s | %s | %s | %s | %s | %s | %s |%s" % (
        row["kernel"], row["shape"], f(a.get("gpu_only_median_ms")), f(a.get("median_ms")), f(a.get("host_ms_per_call")),
        f(b.get("gpu_only_median_ms")), f(b.get("median_ms")), f(b.get("host_ms_per_call")), " ERROR" if "error" in row else ""))
ch = r.get("checks", [])
print("checks: %d/%d pass%s" % (sum(bool(c.get("pass")) for c in ch), len(ch),
      "".join("\n  FAIL " + c["check"] for c in ch if not c.get("pass"))))
for x in r.get("errors", []):
    print("error:", x.strip().splitlines()[-1])
PY
fi
exit "$rc"
