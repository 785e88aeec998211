#!/usr/bin/env python3
"""Sums the kernel records of `ssm-run --kernels` by kernel family.

  python3 scripts/kernel_families.py KERNELS.log [...]

Reads the per-launch table that `ssm-run --kernels` prints (one row per
launch, the last column its CUPTI duration in microseconds) and prints, per
file, the time and share of each family of the whole-model step: GEMM (the
cuBLASLt kernels and generated products), scan (selective scan, SSD),
conv, norm, embedding + loss, layout + elementwise, other. A library launch
(`ssmrt_matmul_*`) is one row carrying the time of the kernels it ran
(older logs list those kernels as rows of their own and the launch at 0).
"""
import re
import sys

FAMILIES = [
    ("GEMM", r"ssmrt_matmul|sgemm|gemm|cutlass|xmma|nvjet|cublas|^sm\d+_|linear"),
    ("scan", r"selective_scan|ssd"),
    ("conv", r"causal_conv1d"),
    ("norm", r"rms_norm"),
    ("embedding + loss", r"embedding|cross_entropy"),
    ("layout + elementwise", r"transpose|slice|reshape|concat|flip|_add_|add_fused|fill|copy"),
]


def family(name):
    for label, pattern in FAMILIES:
        if re.search(pattern, name):
            return label
    return "other"


def summarise(path):
    rows = []
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*(\d+)\s+(\S+)\s+.*\s([0-9.]+)\s*$", line)
            if m and not line.lstrip().startswith("total"):
                rows.append((m.group(2), float(m.group(3))))
    if not rows:
        print(f"{path}: no kernel records")
        return 1
    sums, counts = {}, {}
    for name, us in rows:
        label = family(name)
        sums[label] = sums.get(label, 0.0) + us
        counts[label] = counts.get(label, 0) + 1
    total = sum(sums.values())
    print(f"{path}: {len(rows)} records, {total / 1000:.1f} ms of kernels")
    order = [label for label, _ in FAMILIES] + ["other"]
    for label in order:
        if label in sums:
            print(f"  {label:22s} {sums[label] / 1000:8.1f} ms {100 * sums[label] / total:5.1f} %"
                  f"  ({counts[label]} kernels)")
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    return max(summarise(p) for p in sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
