"""Asserts that an `ssm-run --train` log has STEPS finite step losses and
that the last is below FACTOR times the first (argv: LOG STEPS FACTOR)."""
import math
import re
import sys

log, steps, factor = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
losses = [float(m.group(1)) for m in
          re.finditer(r"^step \d+/\d+ loss (\S+)", open(log).read(), re.M)]
if len(losses) != steps or not all(math.isfinite(x) for x in losses):
    sys.exit(f"expected {steps} finite losses, got {losses}")
if not losses[-1] < factor * losses[0]:
    sys.exit(f"loss did not fall: {losses[0]} -> {losses[-1]}")
print(f"loss falls: {losses[0]} -> {losses[-1]}")
