#!/usr/bin/env python3
"""A seeded mutation fuzzer for the ssm tools.

Compiler side: the functions of the lit suite (test/**/*.mlir, split at
`// -----`) are mutated as text (dimensions, element types, numbers,
attribute names, op names, tokens, lines, truncation; or gently, so that
most still verify) and fed, many to a file with --split-input-file, to
`ssm-opt` (parse and verify), and to the CPU and GPU pipelines (compiler
only, `cubin-format=isa`: no GPU and no ptxas needed), each with mutated
lowering options; a few gentle mutants per batch go through `ssm-compile`
for the CPU and the binary through `ssm-run --check`.

Runtime side: a small workload is compiled for the CPU once; then `ssm-run`
runs over mutated `.npy` inputs (flipped, truncated or rewritten header
bytes, devices and pipes in their place) and mutated binaries (truncated,
ELF header and program header bytes flipped).

A crash (a signal, or LLVM's "Stack dump"), a hang (a timeout) or a
sanitizer report fails the run; the inputs that did it are kept under
--out. A batch that fails is re-run one input at a time to find them.

  python3 scripts/fuzz.py --build build --seed 1 --minutes 4   # CI
  python3 scripts/fuzz.py --build build --seed 7 --minutes 60  # deeper

The last line is `fuzz: N inputs, N crashes, N hangs, N sanitizer reports`.
"""

import argparse
import glob
import os
import random
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SSM_OPS = ["ssm.selective_scan", "ssm.selective_scan_grad", "ssm.ssd_scan",
           "ssm.ssd_scan_grad", "ssm.causal_conv1d", "ssm.causal_conv1d_grad",
           "ssm.rms_norm", "ssm.rms_norm_grad", "ssm.fusion", "ssm.yield"]
ELEMENT_TYPES = ["f32", "f16", "bf16", "f64", "i32", "i1", "index", "f8E4M3FN",
                 "complex<f32>", "vector<4xf32>"]
DIMS = ["0", "1", "2", "3", "5", "7", "8", "16", "31", "64", "127", "1024",
        "65536", "2147483648", "4294967296", "4611686018427387904",
        "9223372036854775807", "?", "-1"]
NUMBERS = ["0", "1", "-1", "2", "3", "7", "8", "32", "33", "64", "1000",
           "65536", "2147483647", "4294967296", "9223372036854775807",
           "1.0e+300", "-0.0", "0x7FC00000", "1.5", "nan"]
ATTRS = ["delta_softplus", "dt_softplus", "delta_sofplus", "eps",
         "activation", "foo", "ssm.lowering", "ssm.name", "ssm.role",
         "ssm.kernels"]
LOWERINGS = [
    '#ssm.lowering<target = "gpu", chip = "sm_90", variant = "fused-scan", '
    'strategy = "block-scan", threads_per_block = 128, items_per_thread = 8, '
    'channels_per_block = 1>',
    '#ssm.lowering<target = "cpu", variant = "fused">',
    '#ssm.lowering<target = "gpu", chip = "", variant = "fused">',
    '#ssm.lowering<target = "gpu", chip = "sm_", variant = "unfused">',
    '#ssm.lowering<target = "cpu", variant = "fused-scan", strategy = '
    '"chunked-parallel", chunk_len = 9223372036854775807>',
    '#ssm.lowering<target = "tpu">', '"not a lowering"', '1 : i64',
]
OPTION_VALUES = {
    "chip": ["", "sm_", "sm_9", "sm_90", "sm_90a", "sm_1000", "sm_x",
             "compute_90", "sm_99999999999999999999"],
    "variant": ["", "fused-scan", "unfused", "fused-conv-scan", "fused", "x"],
    "scan-strategy": ["", "block-scan", "sequential", "chunked-parallel",
                      "thread-per-point", "magic"],
    "ssd-strategy": ["chunked", "recurrence", ""],
    "chunk-len": ["0", "1", "3", "64", "-1", "4294967296",
                  "9223372036854775807", "x"],
    "ssd-tile": ["1", "3", "8", "16", "0"],
    "threads-per-block": ["32", "64", "100", "1024", "2048", "0"],
    "items-per-thread": ["1", "2", "3", "8", "16", "32"],
    "channels-per-block": ["1", "2", "4", "0", "-3"],
    "max-registers": ["0", "15", "64", "255", "300"],
    "scan-backward-max-registers": ["0", "168", "1000"],
    "cubin-format": ["isa", "bin", "x"],
    "bogus": ["1"],
}
CRASH_MARKERS = ["Stack dump", "PLEASE submit a bug report",
                 "Segmentation fault"]
SANITIZER_REPORTS = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                     "UndefinedBehaviorSanitizer:", "runtime error:"]


class Stats:
    def __init__(self):
        self.inputs = {}
        self.crashes = 0
        self.hangs = 0
        self.sanitizer = 0

    def count(self, kind, n=1):
        self.inputs[kind] = self.inputs.get(kind, 0) + n

    def total(self):
        return sum(self.inputs.values())


def run(cmd, timeout, env=None, stdin=None):
    """(verdict, returncode, output): verdict is ok, crash, hang or san."""
    try:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout,
                              env=env, stdin=stdin or subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "hang", None, ""
    err = proc.stderr.decode("utf-8", "replace")
    # Reports, not warnings ("AddressSanitizer failed to allocate" is what
    # allocator_may_return_null=1 prints before malloc returns null).
    if any(m in err for m in SANITIZER_REPORTS):
        return "san", proc.returncode, err
    if proc.returncode < 0 or proc.returncode >= 128 or any(
            m in err for m in CRASH_MARKERS):
        return "crash", proc.returncode, err
    return "ok", proc.returncode, err


# ---------------------------------------------------------------------------
# Compiler side
# ---------------------------------------------------------------------------

def load_corpus():
    """The functions and modules of the lit suite, without comment lines."""
    chunks = []
    for path in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.mlir"),
                                 recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for chunk in re.split(r"^// -----\s*$", text, flags=re.M):
            lines = [l for l in chunk.splitlines()
                     if not l.lstrip().startswith("//")]
            body = "\n".join(lines).strip()
            if "ssm." in body or "func.func" in body:
                chunks.append(body)
    return chunks


def mutate_text(rng, text):
    """One to three random text mutations of an .mlir function."""
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(12)
        if choice == 0:  # a dimension of a shaped type
            spans = [m.span(1) for m in re.finditer(r"(?<=[<x])(\d+)(?=x)",
                                                   text)]
            if spans:
                a, b = rng.choice(spans)
                text = text[:a] + rng.choice(DIMS) + text[b:]
        elif choice == 1:  # an element type
            spans = [m.span() for m in re.finditer(
                r"\b(f32|f16|bf16|f64)\b", text)]
            if spans:
                a, b = rng.choice(spans)
                text = text[:a] + rng.choice(ELEMENT_TYPES) + text[b:]
        elif choice == 2:  # any number
            spans = [m.span() for m in re.finditer(r"-?\b\d+(\.\d+)?\b", text)]
            if spans:
                a, b = rng.choice(spans)
                text = text[:a] + rng.choice(NUMBERS) + text[b:]
        elif choice == 3:  # an op name
            spans = [m.span() for m in re.finditer(r"ssm\.[a-z_0-9]+", text)]
            if spans:
                a, b = rng.choice(spans)
                text = text[:a] + rng.choice(SSM_OPS) + text[b:]
        elif choice == 4:  # an attribute added to an op's dictionary or none
            spans = [m.end() for m in re.finditer(r"ssm\.[a-z_]+ [^\n]*?(?= :)",
                                                  text)]
            if spans:
                at = rng.choice(spans)
                name = rng.choice(ATTRS)
                value = rng.choice(["", " = " + rng.choice(LOWERINGS),
                                    " = 1.0 : f32", " = #ssm<activation silu>",
                                    " = \"x\""])
                text = text[:at] + " {" + name + value + "}" + text[at:]
        elif choice == 5:  # delete a line
            lines = text.splitlines()
            if len(lines) > 1:
                del lines[rng.randrange(len(lines))]
                text = "\n".join(lines)
        elif choice == 6:  # duplicate a line
            lines = text.splitlines()
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(i, lines[i])
                text = "\n".join(lines)
        elif choice == 7:  # swap two tokens
            tokens = re.split(r"(\s+)", text)
            if len(tokens) > 3:
                i, j = rng.randrange(len(tokens)), rng.randrange(len(tokens))
                tokens[i], tokens[j] = tokens[j], tokens[i]
                text = "".join(tokens)
        elif choice == 8:  # delete a span of characters
            if text:
                a = rng.randrange(len(text))
                text = text[:a] + text[a + rng.randint(1, 8):]
        elif choice == 9:  # insert a character
            a = rng.randrange(len(text) + 1)
            text = text[:a] + rng.choice("{}()<>[],:=%@#\"x0-?!") + text[a:]
        elif choice == 10:  # truncate
            if text:
                text = text[:rng.randrange(len(text))]
        else:  # an ssm.lowering value replaced
            spans = [m.span() for m in re.finditer(
                r"#ssm\.lowering<[^>]*>", text)]
            if spans:
                a, b = rng.choice(spans)
                text = text[:a] + rng.choice(LOWERINGS) + text[b:]
    return text.replace("// -----", "//")


GENTLE_DIMS = ["1", "2", "3", "4", "5", "7", "8", "9", "16", "17", "31", "32",
               "33", "64", "96", "100", "128", "257", "1024"]
GENTLE_LOWERINGS = {
    "variant": ['"fused-scan"', '"unfused"', '"fused"', '"fused-conv-scan"'],
    "strategy": ['"block-scan"', '"sequential"', '"chunked-parallel"',
                 '"chunked"', '"recurrence"'],
    "chunk_len": ["1", "2", "3", "8", "16", "64", "100", "4096"],
    "ssd_tile": ["1", "2", "4", "8", "16"],
    "threads_per_block": ["32", "64", "96", "128", "256", "1024"],
    "items_per_thread": ["1", "2", "4", "8", "16"],
    "channels_per_block": ["1", "2", "4"],
    "max_registers": ["0", "32", "64", "168", "255"],
}


def gentle_mutation(rng, text):
    """A mutation that often keeps the function valid: one dimension size
    changed everywhere it occurs, a lowering or unit attribute added or
    changed, an activation or softplus toggled."""
    choice = rng.randrange(4)
    if choice == 0:
        sizes = sorted(set(re.findall(r"(?<=[<x])(\d+)(?=[x>])", text)))
        if sizes:
            old = rng.choice(sizes)
            new = rng.choice(GENTLE_DIMS)
            text = re.sub(r"(?<=[<x])%s(?=[x>])" % old, new, text)
    elif choice == 1:
        target = rng.choice(["cpu", "gpu"])
        fields = ['target = "%s"' % target]
        if target == "gpu":
            fields.append('chip = "sm_90"')
        for key in rng.sample(sorted(GENTLE_LOWERINGS), rng.randint(1, 3)):
            fields.append("%s = %s" % (key, rng.choice(GENTLE_LOWERINGS[key])))
        if not any(f.startswith("variant") for f in fields):
            fields.append('variant = "fused"')
        attr = "ssm.lowering = #ssm.lowering<%s>" % ", ".join(fields)
        spans = [m.end() for m in re.finditer(
            r"= ssm\.[a-z_]+(_grad)? [^\n]*?(?= :| \{|\n)", text)]
        if spans:
            at = rng.choice(spans)
            text = text[:at] + " {" + attr + "}" + text[at:]
    elif choice == 2:
        text = text.replace("activation silu", "activation none") \
            if rng.random() < 0.5 else text.replace("activation none",
                                                    "activation silu")
    else:
        for a, b in (("{delta_softplus}", ""), ("{dt_softplus}", "")):
            if a in text:
                text = text.replace(a, b)
                break
    return text


def random_options(rng, gpu):
    keys = rng.sample(sorted(OPTION_VALUES), rng.randint(0, 3))
    if not gpu:
        keys = [k for k in keys if rng.random() < 0.3 or k not in (
            "chip", "threads-per-block", "items-per-thread",
            "channels-per-block", "max-registers",
            "scan-backward-max-registers", "cubin-format")]
    opts = [k + "=" + rng.choice(OPTION_VALUES[k]) for k in keys]
    if gpu and not any(o.startswith("cubin-format") for o in opts):
        opts.append("cubin-format=isa")
    if rng.random() < 0.05 and opts:
        opts.append(opts[0])  # a duplicated key
    return " ".join(opts)


class CompilerFuzzer:
    def __init__(self, args, stats, env, out):
        self.args, self.stats, self.env, self.out = args, stats, env, out
        self.ssm_opt = os.path.join(args.build, "bin", "ssm-opt")
        self.ssm_compile = os.path.join(args.build, "bin", "ssm-compile")
        self.ssm_run = os.path.join(args.build, "bin", "ssm-run")
        self.timeout = args.timeout
        self.found = 0
        self.valid = None

    def commands(self, rng, path):
        """(kind, command) for each stage a batch goes through."""
        base = [self.ssm_opt, "--split-input-file", "-o", os.devnull, path]
        stages = [("parse-verify", base)]
        if rng.random() < self.args.pipeline_share:
            stages.append(("cpu-pipeline", base + [
                "--ssm-cpu-pipeline=" + random_options(rng, False)]))
        if rng.random() < self.args.pipeline_share / 2:
            # The passes alone, as ssm-opt users run them.
            stages.append(("passes", base + [rng.choice([
                "--convert-ssm-to-loops", "--convert-ssm-to-gpu",
                "--ssm-fuse=variant=fused-conv-scan",
                "--ssm-select-lowering=" + random_options(rng, False),
                "--ssm-select-lowering=target=gpu " +
                random_options(rng, True).replace("cubin-format=isa", ""),
                "--ssm-distinct-results", "--ssm-test-kernel-interface",
                "--canonicalize"])]))
        if rng.random() < self.args.pipeline_share / 2:
            stages.append(("gpu-pipeline", base + [
                "--ssm-gpu-pipeline=" + random_options(rng, True)]))
        return stages

    def valid_functions(self, corpus, work):
        """The corpus functions that verify as they are: gentle mutations
        start from these."""
        valid = []
        path = os.path.join(work, "corpus.mlir")
        for text in corpus:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            verdict, rc, err = run([self.ssm_opt, path, "-o", os.devnull],
                                   self.timeout, self.env)
            self.stats.count("parse-verify")
            if verdict != "ok":
                self.record("corpus", [self.ssm_opt, path], text, verdict,
                            err)
            elif rc == 0:
                valid.append(text)
        return valid or corpus

    def batch(self, rng, corpus, size, work):
        # Half the batches mutate gently, so that most of their functions
        # still verify and go through the pipelines' later passes.
        gentle = rng.random() < 0.5
        if self.valid is None:
            self.valid = self.valid_functions(corpus, work)
        mutants = [gentle_mutation(rng, rng.choice(self.valid)) if gentle
                   else mutate_text(rng, rng.choice(corpus))
                   for _ in range(size)]
        path = os.path.join(work, "batch.mlir")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n// -----\n".join(mutants))
        for kind, cmd in self.commands(rng, path):
            verdict, rc, err = run(cmd, self.timeout * len(mutants), self.env)
            self.stats.count(kind, len(mutants))
            if verdict != "ok":
                self.bisect(kind, cmd, mutants, work, verdict, err)
        if gentle:
            for text in rng.sample(mutants, min(self.args.compile_per_batch,
                                                len(mutants))):
                self.compile_and_run(rng, text, work)

    def compile_and_run(self, rng, text, work):
        """ssm-compile for the CPU (manifest, LLVM, link), then ssm-run
        --check on what it built: a binary that crashes is a compiler bug."""
        src = os.path.join(work, "entry.mlir")
        binary = os.path.join(work, "entry.so")
        with open(src, "w", encoding="utf-8") as f:
            f.write(text)
        if os.path.exists(binary):
            os.remove(binary)
        opts = ["--" + o for o in random_options(rng, False).split()]
        cmd = [self.ssm_compile, src, "--target=cpu", "-o", binary] + opts
        verdict, rc, err = run(cmd, self.timeout, self.env)
        self.stats.count("ssm-compile")
        if verdict != "ok":
            self.record("ssm-compile", cmd, text, verdict, err)
            return
        if rc != 0 or not os.path.exists(binary):
            return
        cmd = [self.ssm_run, binary, "--check"]
        verdict, rc, err = run(cmd, self.timeout, self.env)
        self.stats.count("ssm-run-compiled")
        if verdict != "ok":
            self.record("ssm-run-compiled", cmd, text, verdict, err)

    def bisect(self, kind, cmd, mutants, work, verdict, err):
        """Re-runs the mutants of a failed batch one at a time."""
        single = os.path.join(work, "single.mlir")
        blamed = False
        for text in mutants:
            with open(single, "w", encoding="utf-8") as f:
                f.write(text)
            one = [single if c.endswith("batch.mlir") else c for c in cmd]
            v, rc, e = run(one, self.timeout, self.env)
            if v != "ok":
                blamed = True
                self.record(kind, one, text, v, e)
        if not blamed:  # Only the batch as a whole: keep it.
            self.record(kind, cmd, "\n// -----\n".join(mutants), verdict, err)

    def record(self, kind, cmd, text, verdict, err):
        self.found += 1
        if verdict == "hang":
            self.stats.hangs += 1
        elif verdict == "san":
            self.stats.sanitizer += 1
        else:
            self.stats.crashes += 1
        base = os.path.join(self.out, "%s-%s-%d" % (kind, verdict, self.found))
        with open(base + ".mlir", "w", encoding="utf-8") as f:
            f.write(text)
        with open(base + ".txt", "w", encoding="utf-8") as f:
            f.write(" ".join(cmd) + "\n" + err[-4000:])
        print("fuzz: %s %s: %s" % (verdict, kind, base + ".mlir"), flush=True)


# ---------------------------------------------------------------------------
# Runtime side
# ---------------------------------------------------------------------------

WORKLOAD = """
func.func @scan(%u: tensor<1x4x8xf16>, %delta: tensor<1x4x8xf16>,
    %A: tensor<4x2xf32>, %B: tensor<1x1x2x8xf16>, %C: tensor<1x1x2x8xf16>,
    %D: tensor<4xf32>) -> (tensor<1x4x8xf16>, tensor<1x4x2xf32>) {
  %y, %s = ssm.selective_scan %u, %delta, %A, %B, %C D(%D)
      : (tensor<1x4x8xf16>, tensor<1x4x8xf16>, tensor<4x2xf32>,
         tensor<1x1x2x8xf16>, tensor<1x1x2x8xf16>, tensor<4xf32>)
      -> (tensor<1x4x8xf16>, tensor<1x4x2xf32>)
  return %y, %s : tensor<1x4x8xf16>, tensor<1x4x2xf32>
}
"""


def mutate_bytes(rng, data, lo=0, hi=None):
    data = bytearray(data)
    hi = len(data) if hi is None else min(hi, len(data))
    for _ in range(rng.randint(1, 4)):
        if hi <= lo:
            break
        i = rng.randrange(lo, hi)
        how = rng.randrange(3)
        if how == 0:
            data[i] ^= 1 << rng.randrange(8)
        elif how == 1:
            data[i] = rng.choice([0, 0xff, 0x7f, 0x80, ord("9"), ord("(")])
        else:
            data[i] = rng.randrange(256)
    return bytes(data)


class RuntimeFuzzer:
    def __init__(self, args, stats, env, out, work):
        self.args, self.stats, self.env, self.out = args, stats, env, out
        self.work = work
        self.ssm_run = os.path.join(args.build, "bin", "ssm-run")
        self.found = 0
        src = os.path.join(work, "scan.mlir")
        with open(src, "w") as f:
            f.write(WORKLOAD)
        self.binary = os.path.join(work, "scan.so")
        subprocess.run([os.path.join(args.build, "bin", "ssm-compile"), src,
                        "--target=cpu", "-o", self.binary], check=True,
                       env=env)
        self.inputs = os.path.join(work, "inputs")
        subprocess.run([self.ssm_run, self.binary, "--dump", self.inputs,
                        "--dump-inputs"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        for name in ("y", "last_state"):
            os.remove(os.path.join(self.inputs, name + ".npy"))
        with open(self.binary, "rb") as f:
            self.elf = f.read()

    def record(self, kind, cmd, verdict, err, keep):
        self.found += 1
        if verdict == "hang":
            self.stats.hangs += 1
        elif verdict == "san":
            self.stats.sanitizer += 1
        else:
            self.stats.crashes += 1
        base = os.path.join(self.out, "%s-%s-%d" % (kind, verdict, self.found))
        if os.path.isdir(keep):
            shutil.copytree(keep, base, symlinks=True)
        else:
            shutil.copy(keep, base + ".so")
        with open(base + ".txt", "w") as f:
            f.write(" ".join(cmd) + "\n" + err[-4000:])
        print("fuzz: %s %s: %s" % (verdict, kind, base), flush=True)

    def npy_case(self, rng):
        case = os.path.join(self.work, "case")
        shutil.rmtree(case, ignore_errors=True)
        shutil.copytree(self.inputs, case)
        names = sorted(os.listdir(case))
        victim = os.path.join(case, rng.choice(names))
        how = rng.randrange(10)
        if how == 0:
            os.remove(victim)
            os.symlink("/dev/zero", victim)
        elif how == 1:
            os.remove(victim)
            os.mkfifo(victim)
        elif how == 2:
            os.remove(victim)
            os.mkdir(victim)
        elif how == 3:
            with open(victim, "rb") as f:
                data = f.read()
            with open(victim, "wb") as f:
                f.write(data[:rng.randrange(len(data) + 1)])
        elif how == 4:  # the shape in the header
            with open(victim, "rb") as f:
                data = f.read()
            data = re.sub(rb"\((\d+), ", lambda m: b"(" + rng.choice(
                [b"0", b"4294967296", b"9223372036854775807",
                 b"99999999999999999999", b"-1"]) + b", ", data, count=1)
            with open(victim, "wb") as f:
                f.write(data)
        elif how == 5:
            with open(os.path.join(case, "bogus.npy"), "wb") as f:
                f.write(b"\x93NUMPY")
        else:  # header bytes (most of the interest), sometimes data
            with open(victim, "rb") as f:
                data = f.read()
            hi = 128 if rng.random() < 0.8 else None
            with open(victim, "wb") as f:
                f.write(mutate_bytes(rng, data, 0, hi))
        cmd = [self.ssm_run, self.binary, "--inputs", case, "--check"]
        verdict, rc, err = run(cmd, self.args.timeout, self.env)
        self.stats.count("ssm-run-npy")
        if verdict != "ok":
            self.record("npy", cmd, verdict, err, case)

    def binary_case(self, rng):
        path = os.path.join(self.work, "mutant.so")
        how = rng.randrange(3)
        if how == 0:  # truncated
            data = self.elf[:rng.randrange(len(self.elf))]
        elif how == 1:  # ELF header bytes
            data = mutate_bytes(rng, self.elf, 0, 64)
        else:  # program header table bytes
            phoff = int.from_bytes(self.elf[32:40], "little")
            phnum = int.from_bytes(self.elf[56:58], "little")
            data = mutate_bytes(rng, self.elf, phoff, phoff + 56 * phnum)
        with open(path, "wb") as f:
            f.write(data)
        cmd = [self.ssm_run, path, "--check"]
        verdict, rc, err = run(cmd, self.args.timeout, self.env)
        self.stats.count("ssm-run-binary")
        if verdict != "ok":
            self.record("binary", cmd, verdict, err, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--minutes", type=float, default=4.0,
                        help="wall-clock budget (the last batch finishes)")
    parser.add_argument("--batch", type=int, default=64,
                        help="mutated functions per ssm-opt invocation")
    parser.add_argument("--pipeline-share", type=float, default=0.5,
                        help="share of batches also run through a pipeline")
    parser.add_argument("--compile-per-batch", type=int, default=2,
                        help="gently mutated functions per batch compiled "
                             "with ssm-compile and run with ssm-run --check")
    parser.add_argument("--runtime-share", type=float, default=0.25,
                        help="share of the time spent on ssm-run")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds per input before it counts as a hang")
    parser.add_argument("--out", default=None,
                        help="where failing inputs are kept "
                             "(default BUILD/fuzz-failures)")
    args = parser.parse_args()
    out = args.out or os.path.join(args.build, "fuzz-failures")
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ)
    cuda = env.get("CUDA_HOME", "/usr/local/cuda")
    env["CUDA_HOME"] = cuda
    env["PATH"] = os.path.join(cuda, "bin") + os.pathsep + env.get("PATH", "")
    # As scripts/sanitize.sh: see there for allow_user_poisoning.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0:allocator_may_return_null=1:"
                   "allow_user_poisoning=0")

    rng = random.Random(args.seed)
    stats = Stats()
    corpus = load_corpus()
    deadline = time.time() + args.minutes * 60
    runtime_deadline = time.time() + args.minutes * 60 * args.runtime_share
    with tempfile.TemporaryDirectory(prefix="ssm-fuzz-") as work:
        runtime = RuntimeFuzzer(args, stats, env, out, work)
        while time.time() < runtime_deadline:
            for _ in range(10):
                runtime.npy_case(rng)
                runtime.binary_case(rng)
        compiler = CompilerFuzzer(args, stats, env, out)
        while time.time() < deadline:
            compiler.batch(rng, corpus, args.batch, work)
    for kind in sorted(stats.inputs):
        print("fuzz: %-15s %d inputs" % (kind, stats.inputs[kind]))
    compiler_inputs = sum(n for k, n in stats.inputs.items()
                          if not k.startswith("ssm-run"))
    print("fuzz: seed %d, %d corpus functions, %d compiler inputs, "
          "%d runtime inputs" % (args.seed, len(corpus), compiler_inputs,
                                 stats.total() - compiler_inputs))
    print("fuzz: %d inputs, %d crashes, %d hangs, %d sanitizer reports" %
          (stats.total(), stats.crashes, stats.hangs, stats.sanitizer))
    return 0 if stats.crashes + stats.hangs + stats.sanitizer == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
