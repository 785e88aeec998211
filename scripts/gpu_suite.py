#!/usr/bin/env python3
"""The GPU test suite, for a GPU machine that has no MLIR and no lit.

`build` (on a machine with the compiler) compiles every execution test of
test/CPU and test/GPU for the GPU target, with the options of its RUN lines,
into OUTDIR, and writes OUTDIR/cases.txt: one `ssm-run` command per checked
entry. `run` (on the GPU machine) runs every case with `--check`, prints one
line per case and the summary line `N passed, N failed`; a case passes when
ssm-run exits 0 and reports `check: K passed, 0 failed` with K > 0.

  python3 scripts/gpu_suite.py build --out .devbin/gpu-suite
  python3 scripts/gpu_suite.py run --suite .devbin/gpu-suite --ssm-run .devbin/ssm-run
"""
import argparse
import pathlib
import re
import shlex
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run_lines(path):
    """The RUN commands of a lit test, continuation lines joined."""
    commands, current = [], ""
    for line in path.read_text().splitlines():
        m = re.match(r"\s*//\s*RUN:\s?(.*)$", line)
        if not m:
            continue
        text = m.group(1).rstrip()
        if text.endswith("\\"):
            current += text[:-1] + " "
            continue
        commands.append((current + text).strip())
        current = ""
    return commands


def build(args):
    out = pathlib.Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    compiler = ROOT / "build/bin/ssm-compile"
    cases = []
    sources = sorted((ROOT / "test/CPU").glob("*.mlir")) + sorted(
        (ROOT / "test/GPU").glob("*.mlir"))
    if args.only:
        sources = [s for s in sources if re.search(args.only, s.name)]
    for src in sources:
        # test/CPU/x.mlir and test/GPU/x.mlir must not share a binary.
        stem = src.parent.name + "-" + src.stem
        for cmd in run_lines(src):
            if cmd.startswith("not ") or "FileCheck" in cmd.split("|")[0]:
                continue
            words = shlex.split(cmd.split("|")[0])
            if not words:
                continue
            if words[0] == "ssm-compile" and "%s" in words and (
                    "--target=cpu" in words or "--target=gpu" in words):
                words = [w.replace("--target=cpu", "--target=gpu") for w in words]
                words = [str(src) if w == "%s" else w.replace("%t", str(out / stem))
                         for w in words]
                words[0] = str(compiler)
                print("compile:", " ".join(words[1:]), flush=True)
                subprocess.run(words, check=True)
            elif (words[0] == "ssm-run" and "--check" in words and
                  "--inputs" not in words):
                # Runs reading --inputs depend on files an earlier RUN line
                # dumped; the round trip is a host-side test anyway.
                rel = [w.replace("%t", stem) for w in words[1:]]
                if "/" in rel[0]:
                    continue  # a binary of a split-file test, not compiled
                cases.append(" ".join(shlex.quote(w) for w in rel))
    (out / "cases.txt").write_text("\n".join(cases) + "\n")
    print(f"{len(cases)} cases in {out / 'cases.txt'}")


def run(args):
    suite = pathlib.Path(args.suite).resolve()
    passed = failed = 0
    for line in (suite / "cases.txt").read_text().splitlines():
        if not line.strip():
            continue
        words = shlex.split(line)
        words[0] = str(suite / words[0])
        proc = subprocess.run([args.ssm_run] + words, capture_output=True,
                              text=True)
        m = re.search(r"check: (\d+) passed, (\d+) failed", proc.stdout)
        ok = proc.returncode == 0 and m and int(m.group(1)) > 0 and m.group(2) == "0"
        passed += bool(ok)
        failed += not ok
        print(("PASS " if ok else "FAIL ") + line, flush=True)
        if not ok:
            print(proc.stdout[-2000:] + proc.stderr[-2000:], flush=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", default=".devbin/gpu-suite")
    b.add_argument("--only", default="",
                   help="build only the test files whose name matches REGEX")
    r = sub.add_parser("run")
    r.add_argument("--suite", default=".devbin/gpu-suite")
    r.add_argument("--ssm-run", default=".devbin/ssm-run")
    args = parser.parse_args()
    return build(args) if args.command == "build" else run(args)


if __name__ == "__main__":
    sys.exit(main())
