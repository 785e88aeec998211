#!/usr/bin/env python3
"""Writes the benchmark workloads of docs/PERFORMANCE.md (bench/*.mlir).

Shapes and options follow the reference kernels they are compared with:
Mamba-1 blocks (D1536 N16, bf16 activations, D, z, delta_bias, softplus)
and Mamba-2 blocks (H24 P64 N128 G1, bf16, D, dt_bias, softplus).
The conv_scan files chain the causal conv1d into the scan (what
fused-conv-scan fuses). Each file has a forward entry `fwd` and a forward + backward entry `fwdbwd`.
"""
import pathlib


def t(shape, dtype):
    return "tensor<" + "x".join(map(str, shape)) + "x" + dtype + ">"


def selective_scan(b, d, l, n, act="bf16"):
    u = t([b, d, l], act)
    a = t([d, n], "f32")
    bc = t([b, 1, n, l], act)
    v = t([d], "f32")
    st = t([b, d, n], "f32")
    ins = [u, u, a, bc, bc, v, u, v]
    sig = ", ".join(f"%{name}: {ty}" for name, ty in zip(
        ["u", "delta", "A", "B", "C", "D", "z", "delta_bias"], ins))
    fwd_op = (f"ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) "
              f"delta_bias(%delta_bias) {{delta_softplus}} : "
              f"({', '.join(ins)}) -> ({u}, {st})")
    grads = [u, u, a, bc, bc]
    grad_op = (f"ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D) z(%z) "
               f"delta_bias(%delta_bias), %dy {{delta_softplus}} : "
               f"{', '.join(ins + [u])} -> {', '.join(grads)} dD {v} dz {u} "
               f"ddelta_bias {v}")
    outs = [u, st] + grads + [v, u, v]
    return f"""// Mamba-1 selective scan, B{b} D{d} L{l} N{n}, {act} activations.
func.func @fwd({sig}) -> ({u}, {st}) {{
  %y, %s = {fwd_op}
  return %y, %s : {u}, {st}
}}

func.func @fwdbwd({sig}, %dy: {u}) -> ({', '.join(outs)}) {{
  %y, %s = {fwd_op}
  %g:8 = {grad_op}
  return %y, %s, %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6, %g#7 : {', '.join(outs)}
}}
"""


def conv_scan(b, d, l, n, w=4, act="bf16"):
    """Mamba-1's causal conv1d (+ bias, silu) feeding the selective scan's u,
    and in fwdbwd its backward: the graph fused-conv-scan fuses."""
    u = t([b, d, l], act)
    wt = t([d, w], "f32")
    a = t([d, n], "f32")
    bc = t([b, 1, n, l], act)
    v = t([d], "f32")
    st = t([b, d, n], "f32")
    names = ["x", "weight", "bias", "delta", "A", "B", "C", "D", "z",
             "delta_bias"]
    ins = [u, wt, v, u, a, bc, bc, v, u, v]
    sig = ", ".join(f"%{name}: {ty}" for name, ty in zip(names, ins))
    conv = (f"ssm.causal_conv1d %x, %weight bias(%bias) activation silu : "
            f"({u}, {wt}, {v}) -> {u}")
    scan_ins = [u, u, a, bc, bc, v, u, v]
    fwd_op = (f"ssm.selective_scan %u, %delta, %A, %B, %C D(%D) z(%z) "
              f"delta_bias(%delta_bias) {{delta_softplus}} : "
              f"({', '.join(scan_ins)}) -> ({u}, {st})")
    grads = [u, u, a, bc, bc]
    grad_op = (f"ssm.selective_scan_grad %u, %delta, %A, %B, %C D(%D) z(%z) "
               f"delta_bias(%delta_bias), %dy {{delta_softplus}} : "
               f"{', '.join(scan_ins + [u])} -> {', '.join(grads)} dD {v} "
               f"dz {u} ddelta_bias {v}")
    conv_grad = (f"ssm.causal_conv1d_grad %x, %weight bias(%bias), %g#0 "
                 f"activation silu : ({u}, {wt}, {v}, {u}) -> ({u}, {wt}, {v})")
    outs = [u, st, u, wt, v] + grads[1:] + [v, u, v]
    return f"""// Mamba-1 conv1d (W{w}, silu) + selective scan, B{b} D{d} L{l} N{n}, {act}.
func.func @fwd({sig}) -> ({u}, {st}) {{
  %u = {conv}
  %y, %s = {fwd_op}
  return %y, %s : {u}, {st}
}}

func.func @fwdbwd({sig}, %dy: {u}) -> ({', '.join(outs)}) {{
  %u = {conv}
  %y, %s = {fwd_op}
  %g:8 = {grad_op}
  %dx, %dw, %db = {conv_grad}
  return %y, %s, %dx, %dw, %db, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6, %g#7 : {', '.join(outs)}
}}
"""


def ssd(b, l, h, p, n, g=1, act="bf16"):
    x = t([b, l, h, p], act)
    dt = t([b, l, h], act)
    hv = t([h], "f32")
    bc = t([b, l, g, n], act)
    st = t([b, h, p, n], "f32")
    ins = [x, dt, hv, bc, bc, hv, hv]
    sig = ", ".join(f"%{name}: {ty}" for name, ty in zip(
        ["x", "dt", "A", "B", "C", "D", "dt_bias"], ins))
    fwd_op = (f"ssm.ssd_scan %x, %dt, %A, %B, %C D(%D) dt_bias(%dt_bias) "
              f"{{dt_softplus}} : ({', '.join(ins)}) -> ({x}, {st})")
    grads = [x, dt, hv, bc, bc]
    grad_op = (f"ssm.ssd_scan_grad %x, %dt, %A, %B, %C D(%D) "
               f"dt_bias(%dt_bias), %dy {{dt_softplus}} : "
               f"{', '.join(ins + [x])} -> {', '.join(grads)} dD {hv} "
               f"ddt_bias {hv}")
    outs = [x, st] + grads + [hv, hv]
    return f"""// Mamba-2 SSD scan, B{b} L{l} H{h} P{p} N{n} G{g}, {act} activations.
func.func @fwd({sig}) -> ({x}, {st}) {{
  %y, %s = {fwd_op}
  return %y, %s : {x}, {st}
}}

func.func @fwdbwd({sig}, %dy: {x}) -> ({', '.join(outs)}) {{
  %y, %s = {fwd_op}
  %g:7 = {grad_op}
  return %y, %s, %g#0, %g#1, %g#2, %g#3, %g#4, %g#5, %g#6 : {', '.join(outs)}
}}
"""


def rms_norm(b, l, d, act="bf16"):
    x = t([b, l, d], act)
    r = t([b, l, d], "f32")
    w = t([d], "f32")
    return f"""// RMS norm with the residual add in f32 (pre-norm blocks), B{b} L{l} D{d}, {act}.
func.func @fwd(%x: {x}, %w: {w}, %res: {r}) -> ({x}, {r}) {{
  %y, %r = ssm.rms_norm %x, %w residual(%res) : ({x}, {w}, {r}) -> ({x}, {r})
  return %y, %r : {x}, {r}
}}

func.func @fwdbwd(%x: {x}, %w: {w}, %res: {r}, %dy: {x}, %dro: {r}) -> ({x}, {r}, {x}, {w}, {r}) {{
  %y, %r = ssm.rms_norm %x, %w residual(%res) : ({x}, {w}, {r}) -> ({x}, {r})
  %dx, %dw, %dr = ssm.rms_norm_grad %x, %w residual(%res), %dy d_residual_out(%dro)
      : {x}, {w}, {r}, {x}, {r} -> {x}, {w} dresidual {r}
  return %y, %r, %dx, %dw, %dr : {x}, {r}, {x}, {w}, {r}
}}
"""


def main():
    out = pathlib.Path(__file__).resolve().parent / "bench"
    out.mkdir(exist_ok=True)
    files = {
        "selective_scan_b8_l2048.mlir": selective_scan(8, 1536, 2048, 16),
        "selective_scan_b1_l65536.mlir": selective_scan(1, 1536, 65536, 16),
        "conv_scan_b8_l2048.mlir": conv_scan(8, 1536, 2048, 16),
        "rms_norm_b8_l2048.mlir": rms_norm(8, 2048, 1536),
        "ssd_b8_l2048.mlir": ssd(8, 2048, 24, 64, 128),
        "ssd_b1_l65536.mlir": ssd(1, 65536, 24, 64, 128),
    }
    for name, text in files.items():
        (out / name).write_text(text)
        print("wrote", out / name)


if __name__ == "__main__":
    main()
