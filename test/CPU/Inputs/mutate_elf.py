#!/usr/bin/env python3
"""Runs ssm-run on every one-byte corruption of a binary's ELF header and
program header table (each byte set to 0x00, 0xff and flipped in its low
bit) and reports how many runs a signal killed. Used by
test/CPU/ssm-run-bad-files.mlir: dlopen trusts the program headers, so the
runtime checks them, against the section headers too, before loading.

  mutate_elf.py SSM_RUN BINARY WORKDIR
"""
import os
import subprocess
import sys


def main():
    ssm_run, binary, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    with open(binary, "rb") as f:
        original = f.read()
    phoff = int.from_bytes(original[32:40], "little")
    phnum = int.from_bytes(original[56:58], "little")
    offsets = list(range(64)) + list(range(phoff, phoff + 56 * phnum))
    mutant = os.path.join(work, "mutant.so")
    runs = crashes = refused = 0
    for at in offsets:
        for value in {0x00, 0xFF, original[at] ^ 1} - {original[at]}:
            data = bytearray(original)
            data[at] = value
            with open(mutant, "wb") as f:
                f.write(data)
            proc = subprocess.run([ssm_run, mutant], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, timeout=60)
            runs += 1
            if proc.returncode < 0 or proc.returncode >= 128:
                crashes += 1
                print("crash: byte %d = 0x%02x: %s" %
                      (at, value, proc.stderr.decode(errors="replace")[-300:]))
            elif proc.returncode != 0:
                refused += 1
                if not proc.stderr.startswith(b"error: "):
                    print("unclear error: byte %d = 0x%02x: %s" %
                          (at, value, proc.stderr[:200]))
                    crashes += 1
    print("%d mutants, %d refused, %d crashes" % (runs, refused, crashes))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
