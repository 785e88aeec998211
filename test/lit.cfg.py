# -*- Python -*-
# The ssm regression suite: dialect, passes, conversions, pipelines, and
# execution on the CPU; GPU execution tests need the `cuda` feature.

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "SSM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ssm_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%ssm_src_root", config.ssm_src_root))
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
tool_dirs = [config.ssm_tools_dir, config.llvm_tools_dir]
tools = ["ssm-opt", "ssm-compile", "ssm-run"]
llvm_config.add_tool_substitutions(
    [t for t in tools if os.path.exists(os.path.join(config.ssm_tools_dir, t))],
    tool_dirs)


def gpu_answers():
    """True only when a CUDA GPU is usable here (as CIRCT gates verilator)."""
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        out = subprocess.run([smi, "-L"], capture_output=True, text=True,
                             timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and "GPU" in out.stdout


if gpu_answers():
    config.available_features.add("cuda")
