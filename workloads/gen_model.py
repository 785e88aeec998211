#!/usr/bin/env python3
"""Writes a whole Mamba language model's forward pass + loss as an ssm module.

    python3 workloads/gen_model.py CONFIG.json --batch B --seqlen L \
        [-o OUT.mlir] [--dtype f32|bf16]

CONFIG is a model configuration in the format of the `config.json` files of
the state-spaces Hugging Face checkpoints (mamba_ssm's `MambaConfig`: d_model,
n_layer, vocab_size, ssm_cfg, ...). The output has ONE public function,
`@forward(tokens, labels, <parameters>...) -> loss`, ending in a scalar
cross-entropy loss (`tensor<f32>`): the compiler derives the training step
from it (`ssm-compile --training-step=forward`).

Why the graph looks the way it does:

- It follows mamba_ssm's `MambaLMHeadModel` op for op (the non-fused path of
  `Mamba.forward` / `Mamba2.forward`), so that a model trained here is the
  same model: same parameters (named after the checkpoint's state_dict keys,
  so weights can be mapped one to one), same residual order (mamba_ssm's
  `Block` adds the residual *before* the norm: `ssm.rms_norm ... residual()`
  does exactly that and returns the sum as `residual_out`), same tied
  lm_head, same padded vocabulary.
- The scans want channel-major activations ([B, D, L] for the selective
  scan, conv1d over [B, C, L]) while the projections are token-major
  ([B, L, K] x [N, K]); the explicit `ssm.transpose`s are where mamba_ssm's
  `rearrange`s are.
- Every parameter carries `ssm.init`, mirroring mamba_ssm's initialisation
  (see `Init`), so `ssm-run --train` starts where a PyTorch run would.

Configurations this cannot express with the current ops are refused with a
message naming the key and what is missing (exit status 1), never emitted
approximately.
"""
import argparse
import json
import math
import sys

# --------------------------------------------------------------------------
# Configuration: keys, defaults, validation
# --------------------------------------------------------------------------

# MambaConfig's keys (mamba_ssm/models/config_mamba.py) with their defaults;
# None = required. norm_epsilon is a MambaLMHeadModel keyword that some
# configs carry.
TOP_KEYS = {
    "d_model": None,
    "n_layer": None,
    "vocab_size": None,
    "d_intermediate": 0,
    "ssm_cfg": {},
    "attn_layer_idx": [],
    "attn_cfg": {},
    "rms_norm": True,
    "residual_in_fp32": True,
    "fused_add_norm": True,
    "pad_vocab_size_multiple": 8,
    "tie_embeddings": True,
    "norm_epsilon": 1e-5,
    # Caduceus's bidirectional blocks (BiMambaWrapper): the mixer run
    # forward and on the reversed sequence, the two outputs added.
    "bidirectional": False,
    "bidirectional_strategy": "add",
    "bidirectional_weight_tie": True,
    "rcps": False,
    "complement_map": {},  # used by rcps alone (null or a map)
    # MambaLMHeadModel's _init_weights arguments; the generator writes
    # mamba_ssm's default initialisation, so only these values are taken.
    "initializer_cfg": {},
}

INITIALIZER_DEFAULTS = {
    "initializer_range": 0.02,
    "rescale_prenorm_residual": True,
    "n_residuals_per_layer": 1,
}

# The keyword arguments of mamba_ssm's Mamba (mamba_simple.py) and their
# defaults.
MAMBA1_KEYS = {
    "layer": "Mamba1",
    "d_state": 16,
    "d_conv": 4,
    "expand": 2,
    "dt_rank": "auto",
    "dt_min": 0.001,
    "dt_max": 0.1,
    "dt_init": "random",
    "dt_scale": 1.0,
    "dt_init_floor": 1e-4,
    "conv_bias": True,
    "bias": False,
    "use_fast_path": True,
}

# The keyword arguments of mamba_ssm's Mamba2 (mamba2.py) and their defaults.
MAMBA2_KEYS = {
    "layer": "Mamba2",
    "d_state": 128,
    "d_conv": 4,
    "conv_init": None,
    "expand": 2,
    "headdim": 64,
    "d_ssm": None,
    "ngroups": 1,
    "A_init_range": [1, 16],
    "D_has_hdim": False,
    "rmsnorm": True,
    "norm_before_gate": False,
    "dt_min": 0.001,
    "dt_max": 0.1,
    "dt_init_floor": 1e-4,
    "dt_limit": [0.0, float("inf")],
    "bias": False,
    "conv_bias": True,
    "chunk_size": 256,
    "use_mem_eff_path": True,
}

# The floor of dt that the contract's `mamba_dt_bias` init spec applies.
DT_INIT_FLOOR = 1e-4
# ssm.selective_scan's verifier refuses more states per channel than this.
MAX_SCAN_STATES = 256


class ConfigError(Exception):
    """A configuration problem, reported as `error: CONFIG: key 'K': MSG`."""

    def __init__(self, key, message):
        super().__init__(message)
        self.key = key
        self.message = message


def _int(cfg, key, prefix="", minimum=1):
    """An integer value (bools are not integers here) of at least `minimum`."""
    value = cfg[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(prefix + key,
                          f"expected an integer, got {json.dumps(value)}")
    if value < minimum:
        raise ConfigError(prefix + key,
                          f"must be at least {minimum}, got {value}")
    return value


def _float(cfg, key, prefix="", positive=True):
    value = cfg[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(prefix + key,
                          f"expected a number, got {json.dumps(value)}")
    if positive and not value > 0:
        raise ConfigError(prefix + key, f"must be positive, got {value}")
    return float(value)


def _bool(cfg, key, prefix=""):
    value = cfg[key]
    if not isinstance(value, bool):
        raise ConfigError(prefix + key,
                          f"expected true or false, got {json.dumps(value)}")
    return value


def _with_defaults(cfg, known, prefix):
    """Rejects unknown and missing required keys; fills in the defaults."""
    if not isinstance(cfg, dict):
        raise ConfigError(prefix.rstrip(".") or "<top level>",
                          "expected a JSON object")
    for key in cfg:
        if key not in known:
            hint = ""
            if known is MAMBA1_KEYS and key in MAMBA2_KEYS:
                hint = ' (a Mamba2 key: is "layer": "Mamba2" missing?)'
            raise ConfigError(prefix + key, "unknown key" + hint +
                              " (known keys: " + ", ".join(sorted(known)) +
                              ")")
    out = {}
    for key, default in known.items():
        if key in cfg:
            out[key] = cfg[key]
        elif default is None and prefix == "":
            raise ConfigError(key, "required key is missing")
        else:
            out[key] = default
    return out


def _not_supported(key, what, why=None):
    """A valid configuration that the current ops cannot express."""
    raise ConfigError(key, f"{what} is not supported yet" +
                      (f": {why}" if why else ""))


def parse_config(raw):
    """Validates a MambaConfig dict and returns the model's sizes.

    Everything the emitters need is resolved here (defaults, "auto" dt_rank,
    padded vocabulary, Mamba-2 head counts), so that the emitters only build
    ops; every refusal names its key.
    """
    cfg = _with_defaults(raw, TOP_KEYS, "")
    model = {
        "d_model": _int(cfg, "d_model"),
        "n_layer": _int(cfg, "n_layer"),
        "vocab_size": _int(cfg, "vocab_size"),
        "pad": _int(cfg, "pad_vocab_size_multiple"),
        "tie": _bool(cfg, "tie_embeddings"),
        "eps": _float(cfg, "norm_epsilon"),
    }
    for key in ("residual_in_fp32", "fused_add_norm"):
        # Speed/precision switches of the PyTorch kernels: residual_out is
        # always f32 here, which is residual_in_fp32's meaning.
        _bool(cfg, key)
    if not _bool(cfg, "rms_norm"):
        _not_supported("rms_norm", "LayerNorm (rms_norm false)",
                       "no ssm op normalises with a mean and a bias")
    if _int(cfg, "d_intermediate", minimum=0) > 0:
        _not_supported("d_intermediate", "an MLP block (d_intermediate > 0)")
    attn = cfg["attn_layer_idx"]
    if not isinstance(attn, list):
        raise ConfigError("attn_layer_idx", "expected a list of layer indices")
    if attn:
        _not_supported("attn_layer_idx", "an attention layer")
    if not isinstance(cfg["attn_cfg"], dict):
        raise ConfigError("attn_cfg", "expected a JSON object")
    model["bidirectional"] = _bool(cfg, "bidirectional")
    model["weight_tie"] = _bool(cfg, "bidirectional_weight_tie")
    if cfg["bidirectional_strategy"] != "add":
        _not_supported("bidirectional_strategy",
                       f"{json.dumps(cfg['bidirectional_strategy'])}",
                       "only \"add\" (the two directions summed) is written")
    if _bool(cfg, "rcps"):
        _not_supported("rcps", "reverse-complement equivariance (rcps true)")
    init = cfg["initializer_cfg"]
    if not isinstance(init, dict):
        raise ConfigError("initializer_cfg", "expected a JSON object")
    for key, value in init.items():
        if key not in INITIALIZER_DEFAULTS:
            raise ConfigError("initializer_cfg." + key, "unknown key (known "
                              "keys: " + ", ".join(INITIALIZER_DEFAULTS) + ")")
        if value != INITIALIZER_DEFAULTS[key]:
            _not_supported("initializer_cfg." + key,
                           f"{json.dumps(value)}", "the generator writes "
                           f"mamba_ssm's default, {json.dumps(INITIALIZER_DEFAULTS[key])}")

    padded = model["vocab_size"]
    if padded % model["pad"]:
        padded += model["pad"] - padded % model["pad"]
    model["vocab"] = padded

    ssm_cfg = cfg["ssm_cfg"]
    if not isinstance(ssm_cfg, dict):
        raise ConfigError("ssm_cfg", "expected a JSON object")
    layer = ssm_cfg.get("layer", "Mamba1")
    if layer == "Mamba1":
        model.update(_parse_mamba1(ssm_cfg, model["d_model"]))
    elif layer == "Mamba2":
        model.update(_parse_mamba2(ssm_cfg, model["d_model"]))
    else:
        raise ConfigError("ssm_cfg.layer", f"unknown layer {json.dumps(layer)}"
                          " (expected \"Mamba1\" or \"Mamba2\")")
    return model


def _inner_width(s, d_model, prefix):
    """d_inner = expand * d_model (mamba_ssm allows a fractional expand)."""
    expand = _float(s, "expand", prefix)
    d_inner = expand * d_model
    if d_inner != int(d_inner):
        raise ConfigError(prefix + "expand", f"expand * d_model = {d_inner} "
                          "is not an integer")
    return int(d_inner)


def _parse_dt_range(s, prefix):
    dt_min = _float(s, "dt_min", prefix)
    dt_max = _float(s, "dt_max", prefix)
    if dt_max < dt_min:
        raise ConfigError(prefix + "dt_max",
                          f"dt_max = {dt_max} is below dt_min = {dt_min}")
    if _float(s, "dt_init_floor", prefix) != DT_INIT_FLOOR:
        _not_supported(prefix + "dt_init_floor", "a floor other than 1e-4",
                       "the mamba_dt_bias init spec clamps dt at 1e-4")
    return dt_min, dt_max


def _parse_mamba1(raw, d_model):
    p = "ssm_cfg."
    s = _with_defaults(raw, MAMBA1_KEYS, p)
    d_state = _int(s, "d_state", p)
    if d_state > MAX_SCAN_STATES:
        raise ConfigError(p + "d_state", f"{d_state} states per channel: "
                          f"ssm.selective_scan takes at most {MAX_SCAN_STATES}")
    if s["dt_rank"] == "auto":
        dt_rank = math.ceil(d_model / 16)
    else:
        dt_rank = _int(s, "dt_rank", p)
    if s["dt_init"] != "random":
        _not_supported(p + "dt_init", f"dt_init {json.dumps(s['dt_init'])}",
                       "only \"random\"")
    dt_min, dt_max = _parse_dt_range(s, p)
    _bool(s, "use_fast_path", p)
    return {
        "family": "mamba1",
        "d_inner": _inner_width(s, d_model, p),
        "d_state": d_state,
        "d_conv": _int(s, "d_conv", p),
        "dt_rank": dt_rank,
        "dt_scale": _float(s, "dt_scale", p),
        "dt_min": dt_min,
        "dt_max": dt_max,
        "conv_bias": _bool(s, "conv_bias", p),
        "bias": _bool(s, "bias", p),
    }


def _parse_mamba2(raw, d_model):
    p = "ssm_cfg."
    s = _with_defaults(raw, MAMBA2_KEYS, p)
    d_inner = _inner_width(s, d_model, p)
    headdim = _int(s, "headdim", p)
    ngroups = _int(s, "ngroups", p)
    if s["d_ssm"] is not None and _int(s, "d_ssm", p) != d_inner:
        _not_supported(p + "d_ssm", "d_ssm != d_inner",
                       "the gated MLP beside the SSM needs an elementwise "
                       "product and a concat op")
    if d_inner % headdim:
        raise ConfigError(p + "headdim", f"headdim {headdim} does not divide "
                          f"d_inner = expand * d_model = {d_inner}")
    nheads = d_inner // headdim
    if nheads % ngroups:
        raise ConfigError(p + "ngroups", f"ngroups {ngroups} does not divide "
                          f"the {nheads} heads (d_inner {d_inner} / headdim "
                          f"{headdim})")
    a_range = s["A_init_range"]
    if (not isinstance(a_range, list) or len(a_range) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                       for v in a_range)
            or not 0 < a_range[0] <= a_range[1]):
        raise ConfigError(p + "A_init_range", "expected [lo, hi] with "
                          f"0 < lo <= hi, got {json.dumps(a_range)}")
    if _bool(s, "D_has_hdim", p):
        _not_supported(p + "D_has_hdim", "a per-channel D",
                       "ssm.ssd_scan's D is one value per head")
    rmsnorm = _bool(s, "rmsnorm", p)
    if _bool(s, "norm_before_gate", p):
        _not_supported(p + "norm_before_gate", "norm_before_gate",
                       "ssm.rms_norm's gated form is norm(x * silu(z))")
    if rmsnorm and ngroups > 1:
        _not_supported(p + "ngroups", f"ngroups {ngroups} with the gated "
                       "RMS norm", "mamba_ssm normalises each group of "
                       "d_inner / ngroups channels and scales by one weight "
                       "[d_inner], but ssm.rms_norm's weight spans only the "
                       "normalised width (needs a grouped ssm.rms_norm, or a "
                       "concat op)")
    limit = s["dt_limit"]
    if not (isinstance(limit, list) and len(limit) == 2 and limit[0] == 0
            and limit[1] == float("inf")):
        _not_supported(p + "dt_limit", "a dt_limit",
                       "ssm.ssd_scan has no clamp of dt")
    if s["conv_init"] is not None:
        _float(s, "conv_init", p)
    dt_min, dt_max = _parse_dt_range(s, p)
    _int(s, "chunk_size", p)
    _bool(s, "use_mem_eff_path", p)
    return {
        "family": "mamba2",
        "d_inner": d_inner,
        "d_state": _int(s, "d_state", p),
        "d_conv": _int(s, "d_conv", p),
        "conv_init": s["conv_init"],
        "headdim": headdim,
        "nheads": nheads,
        "ngroups": ngroups,
        "A_range": (float(a_range[0]), float(a_range[1])),
        "rmsnorm": rmsnorm,
        "dt_min": dt_min,
        "dt_max": dt_max,
        "conv_bias": _bool(s, "conv_bias", p),
        "bias": _bool(s, "bias", p),
    }


# --------------------------------------------------------------------------
# Initialisation specs (the contract's `ssm.init` strings)
# --------------------------------------------------------------------------

def _num(x):
    return f"{x:.9g}"


class Init:
    """mamba_ssm's initialisation, as init specs.

    - nn.Embedding: N(0, 0.02^2) (`_init_weights`' initializer_range, which
      mamba_ssm applies to the embedding only).
    - nn.Linear weights keep PyTorch's default, kaiming_uniform(a=sqrt(5)),
      i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)); their biases are zeroed.
    - out_proj.weight is re-drawn the same way and divided by
      sqrt(n_layer) (GPT-2's scaled residual init, one residual per layer).
    - nn.Conv1d (depthwise, fan_in = d_conv): weight and bias
      U(-1/sqrt(d_conv), 1/sqrt(d_conv)) (Mamba2: U(-conv_init, conv_init)
      for the weight when conv_init is set).
    - Norm weights: ones. D: ones.
    - Mamba-1: A = -(n + 1) (S4D real, `mamba_A`); dt_proj.weight
      U(-s, s), s = dt_rank^-0.5 * dt_scale; dt_proj.bias = inverse
      softplus of exp(U(log dt_min, log dt_max)) (`mamba_dt_bias`).
    - Mamba-2: A = -exp(A_log) with A_log = log U(lo, hi), i.e. A ~ U(-hi,
      -lo); dt_bias as Mamba-1's.
    The parameters are A itself (not A_log), as the scans take it.
    """

    @staticmethod
    def uniform(bound):
        return f"uniform:{_num(-bound)}:{_num(bound)}"

    @staticmethod
    def linear(fan_in, scale=1.0):
        return Init.uniform(scale / math.sqrt(fan_in))

    EMBEDDING = "normal:0.02"
    ONES = "ones"
    ZEROS = "zeros"
    MAMBA_A = "mamba_A"

    @staticmethod
    def dt_bias(dt_min, dt_max):
        return f"mamba_dt_bias:{_num(dt_min)}:{_num(dt_max)}"


# --------------------------------------------------------------------------
# Graph builder: typed SSA values and one method per op of the contract
# --------------------------------------------------------------------------

class Value:
    """An SSA value with its static shape and element type."""

    def __init__(self, name, shape, dtype):
        self.name = name
        self.shape = list(shape)
        self.dtype = dtype

    @property
    def type(self):
        if not self.shape:
            return f"tensor<{self.dtype}>"
        return "tensor<" + "x".join(map(str, self.shape)) + f"x{self.dtype}>"

    def __str__(self):
        return "%" + self.name


class Graph:
    """Collects the function's arguments and body.

    Each op method checks the shapes it is given (a generator bug fails here,
    with a Python traceback, rather than in the compiler's verifier) and
    returns the result Values with their inferred types.
    """

    def __init__(self, act):
        self.act = act          # activation element type
        self.args = []          # (Value, attribute text)
        self.body = []
        self.used = set()
        self.param_count = 0

    def fresh(self, base):
        name, k = base, 1
        while name in self.used:
            name, k = f"{base}_{k}", k + 1
        self.used.add(name)
        return name

    def input(self, ssa, name, shape, dtype):
        v = Value(self.fresh(ssa), shape, dtype)
        self.args.append((v, f'{{ssm.name = "{name}"}}'))
        return v

    def param(self, ssa, name, shape, init):
        """A trainable f32 parameter, named after its mamba_ssm state_dict
        key so that checkpoints map one to one."""
        v = Value(self.fresh(ssa), shape, "f32")
        self.args.append((v, f'{{ssm.name = "{name}", ssm.init = "{init}"}}'))
        self.param_count += math.prod(shape)
        return v

    def _emit(self, results, op, operands, suffix=""):
        lhs = ", ".join(str(r) for r in results)
        ins = ", ".join(o.type for o in operands)
        outs = ", ".join(r.type for r in results)
        if len(results) > 1:
            outs = f"({outs})"
        self.body.append(f"  {lhs} = {op}{suffix}\n      : ({ins}) -> {outs}")

    def _new(self, base, shape, dtype=None):
        return Value(self.fresh(base), shape, dtype or self.act)

    # -- the graph ops of the contract ------------------------------------

    def embedding(self, tokens, weight, out):
        assert len(tokens.shape) == 2 and len(weight.shape) == 2
        y = self._new(out, tokens.shape + weight.shape[1:], "f32")
        self._emit([y], f"ssm.embedding {tokens}, {weight}", [tokens, weight])
        return y

    def linear(self, x, weight, out, bias=None):
        assert x.shape[-1] == weight.shape[1], (x.shape, weight.shape)
        y = self._new(out, x.shape[:-1] + weight.shape[:1], x.dtype)
        ops = [x, weight] + ([bias] if bias else [])
        text = f"ssm.linear {x}, {weight}" + (f" bias({bias})" if bias else "")
        self._emit([y], text, ops)
        return y

    def transpose(self, x, perm, out):
        assert sorted(perm) == list(range(len(x.shape)))
        y = self._new(out, [x.shape[p] for p in perm], x.dtype)
        self._emit([y], f"ssm.transpose {x} [{', '.join(map(str, perm))}]",
                   [x])
        return y

    def reshape(self, x, shape, out):
        assert math.prod(shape) == math.prod(x.shape), (x.shape, shape)
        y = self._new(out, shape, x.dtype)
        self._emit([y], f"ssm.reshape {x}", [x])
        return y

    def slice(self, x, axis, offset, size, out):
        assert 0 <= offset and offset + size <= x.shape[axis]
        shape = list(x.shape)
        shape[axis] = size
        y = self._new(out, shape, x.dtype)
        self._emit([y], f"ssm.slice {x} axis {axis} offset {offset} "
                   f"size {size}", [x])
        return y

    def flip(self, x, axis, out):
        assert 0 <= axis < len(x.shape)
        y = self._new(out, x.shape, x.dtype)
        self._emit([y], f"ssm.flip {x} axis {axis}", [x])
        return y

    def add(self, a, b, out):
        assert a.shape == b.shape and a.dtype == b.dtype
        y = self._new(out, a.shape, a.dtype)
        self._emit([y], f"ssm.add {a}, {b}", [a, b])
        return y

    def cross_entropy(self, logits, labels, out):
        assert logits.shape[:-1] == labels.shape
        y = self._new(out, [], "f32")
        self._emit([y], f"ssm.cross_entropy {logits}, {labels}",
                   [logits, labels])
        return y

    # -- the existing kernel ops ------------------------------------------

    def rms_norm(self, x, weight, out, residual=None, z=None, eps=1e-5):
        """Returns (y, residual_out); residual_out is None without residual
        (the op then has no second result)."""
        assert weight.shape == x.shape[-1:]
        y = self._new(out, x.shape, x.dtype)
        results, ops = [y], [x, weight]
        text = f"ssm.rms_norm {x}, {weight}"
        r = None
        if residual is not None:
            assert residual.shape == x.shape
            r = self._new(out + "_res", x.shape, "f32")
            results.append(r)
            ops.append(residual)
            text += f" residual({residual})"
        if z is not None:
            assert z.shape == x.shape and residual is None
            ops.append(z)
            text += f" z({z})"
        suffix = "" if eps == 1e-5 else f" {{eps = {eps:e} : f32}}"
        self._emit(results, text, ops, suffix)
        return y, r

    def causal_conv1d(self, x, weight, out, bias=None):
        assert weight.shape[0] == x.shape[1]
        y = self._new(out, x.shape, x.dtype)
        ops = [x, weight] + ([bias] if bias else [])
        text = (f"ssm.causal_conv1d {x}, {weight}" +
                (f" bias({bias})" if bias else "") + " activation silu")
        self._emit([y], text, ops)
        return y

    def selective_scan(self, u, delta, A, B, C, D, z, delta_bias, out):
        b, d, l = u.shape
        n = A.shape[1]
        assert delta.shape == z.shape == u.shape and A.shape == [d, n]
        assert B.shape == C.shape and B.shape[0] == b and B.shape[2:] == [n, l]
        y = self._new(out, u.shape, u.dtype)
        state = self._new(out + "_state", [b, d, n], "f32")
        self._emit([y, state],
                   f"ssm.selective_scan {u}, {delta}, {A}, {B}, {C} D({D}) "
                   f"z({z})\n      delta_bias({delta_bias}) {{delta_softplus}}",
                   [u, delta, A, B, C, D, z, delta_bias])
        return y

    def ssd_scan(self, x, dt, A, B, C, D, dt_bias, out, z=None):
        b, l, h, p = x.shape
        n = B.shape[3]
        assert dt.shape == [b, l, h] and A.shape == D.shape == [h]
        assert B.shape == C.shape and B.shape[:2] == [b, l]
        y = self._new(out, x.shape, x.dtype)
        state = self._new(out + "_state", [b, h, p, n], "f32")
        ops = [x, dt, A, B, C, D] + ([z] if z else []) + [dt_bias]
        self._emit([y, state],
                   f"ssm.ssd_scan {x}, {dt}, {A}, {B}, {C} D({D})" +
                   (f" z({z})" if z else "") +
                   f"\n      dt_bias({dt_bias}) {{dt_softplus}}", ops)
        return y

    def text(self, name, result_attr, result, header):
        sig = ",\n    ".join(f"%{v.name}: {v.type} {attr}"
                             for v, attr in self.args)
        return (header +
                f"func.func @{name}({sig})\n"
                f"    -> ({result.type} {result_attr}) {{\n" +
                "\n".join(self.body) +
                f"\n  return {result} : {result.type}\n}}\n")


# --------------------------------------------------------------------------
# The model: embedding, blocks, final norm, tied lm_head, loss
# --------------------------------------------------------------------------

def out_projection(g, m, pre, t):
    """A mixer's out_proj weight (and bias): d_inner -> d_model, initialised
    as mamba_ssm rescales it for the residual stream (1 / sqrt(n_layer))."""
    dm, E = m["d_model"], m["d_inner"]
    out_w = g.param(t + "out_proj_w", pre + "out_proj.weight", [dm, E],
                    Init.linear(E, 1 / math.sqrt(m["n_layer"])))
    out_b = (g.param(t + "out_proj_b", pre + "out_proj.bias", [dm],
                     Init.ZEROS) if m["bias"] else None)
    return out_w, out_b


def mamba1_mixer(g, m, i, h, batch, seqlen, pre=None, t=None, shared=None):
    """mamba_ssm's Mamba.forward (the path without the fused kernel).

    h [B, L, d_model] -> [B, L, d_model]. x and z come out of one in_proj
    and are split channel-major ([B, 2E, L] -> two [B, E, L]) because both the
    convolution and the scan's z gate want [B, E, L]; x_proj's output is split
    token-major, then dt, B and C are turned channel-major for the scan.
    """
    pre = pre or f"backbone.layers.{i}.mixer."
    dm, E, N, R, W = (m["d_model"], m["d_inner"], m["d_state"], m["dt_rank"],
                      m["d_conv"])
    B_, L = batch, seqlen
    t = t or f"l{i}_"
    if shared:
        in_w, in_b, out_w, out_b = shared
    else:
        in_w = g.param(t + "in_proj_w", pre + "in_proj.weight", [2 * E, dm],
                       Init.linear(dm))
        in_b = (g.param(t + "in_proj_b", pre + "in_proj.bias", [2 * E],
                        Init.ZEROS) if m["bias"] else None)
    conv_w = g.param(t + "conv_w", pre + "conv1d.weight", [E, W],
                     Init.linear(W))
    conv_b = (g.param(t + "conv_b", pre + "conv1d.bias", [E], Init.linear(W))
              if m["conv_bias"] else None)
    xproj_w = g.param(t + "x_proj_w", pre + "x_proj.weight", [R + 2 * N, E],
                      Init.linear(E))
    dtproj_w = g.param(t + "dt_proj_w", pre + "dt_proj.weight", [E, R],
                       Init.uniform(R ** -0.5 * m["dt_scale"]))
    dt_bias = g.param(t + "dt_bias", pre + "dt_proj.bias", [E],
                      Init.dt_bias(m["dt_min"], m["dt_max"]))
    A = g.param(t + "A", pre + "A", [E, N], Init.MAMBA_A)
    D = g.param(t + "D", pre + "D", [E], Init.ONES)
    if not shared:
        out_w, out_b = out_projection(g, m, pre, t)
    g.projections = (in_w, in_b, out_w, out_b)

    xz = g.linear(h, in_w, t + "xz", in_b)                       # [B,L,2E]
    xz = g.transpose(xz, [0, 2, 1], t + "xz_t")                  # [B,2E,L]
    x = g.slice(xz, 1, 0, E, t + "x")                            # [B,E,L]
    z = g.slice(xz, 1, E, E, t + "z")                            # [B,E,L]
    x = g.causal_conv1d(x, conv_w, t + "x_conv", conv_b)         # [B,E,L]
    x_tok = g.transpose(x, [0, 2, 1], t + "x_conv_t")            # [B,L,E]
    x_dbl = g.linear(x_tok, xproj_w, t + "x_dbl")                # [B,L,R+2N]
    dt_r = g.slice(x_dbl, 2, 0, R, t + "dt_r")                   # [B,L,R]
    Bm = g.slice(x_dbl, 2, R, N, t + "B")                        # [B,L,N]
    Cm = g.slice(x_dbl, 2, R + N, N, t + "C")                    # [B,L,N]
    dt = g.linear(dt_r, dtproj_w, t + "dt")                      # [B,L,E]
    dt = g.transpose(dt, [0, 2, 1], t + "dt_t")                  # [B,E,L]
    Bm = g.transpose(Bm, [0, 2, 1], t + "B_t")                   # [B,N,L]
    Bm = g.reshape(Bm, [B_, 1, N, L], t + "B_g")                 # [B,1,N,L]
    Cm = g.transpose(Cm, [0, 2, 1], t + "C_t")
    Cm = g.reshape(Cm, [B_, 1, N, L], t + "C_g")
    y = g.selective_scan(x, dt, A, Bm, Cm, D, z, dt_bias, t + "y")  # [B,E,L]
    y = g.transpose(y, [0, 2, 1], t + "y_t")                     # [B,L,E]
    return g.linear(y, out_w, t + "out", out_b)                  # [B,L,dm]


def mamba2_mixer(g, m, i, h, batch, seqlen, pre=None, t=None, shared=None):
    """mamba_ssm's Mamba2.forward (the path without the fused kernel).

    in_proj gives [z | xBC | dt] token-major; only xBC goes through the
    convolution (channel-major and back); x, B and C are reshaped into
    heads / groups for ssm.ssd_scan, whose y is flattened back to d_inner for
    the gated RMS norm (one group: the norm spans all of d_inner, as
    mamba_ssm's RMSNormGated with group_size = d_inner).
    """
    pre = pre or f"backbone.layers.{i}.mixer."
    dm, E, N, W = m["d_model"], m["d_inner"], m["d_state"], m["d_conv"]
    H, P, G = m["nheads"], m["headdim"], m["ngroups"]
    B_, L = batch, seqlen
    conv_dim = E + 2 * G * N
    t = t or f"l{i}_"
    if shared:
        in_w, in_b, out_w, out_b = shared
    else:
        in_w = g.param(t + "in_proj_w", pre + "in_proj.weight",
                       [2 * E + 2 * G * N + H, dm], Init.linear(dm))
        in_b = (g.param(t + "in_proj_b", pre + "in_proj.bias",
                        [2 * E + 2 * G * N + H], Init.ZEROS)
                if m["bias"] else None)
    conv_init = (Init.uniform(m["conv_init"]) if m["conv_init"] is not None
                 else Init.linear(W))
    conv_w = g.param(t + "conv_w", pre + "conv1d.weight", [conv_dim, W],
                     conv_init)
    conv_b = (g.param(t + "conv_b", pre + "conv1d.bias", [conv_dim],
                      Init.linear(W)) if m["conv_bias"] else None)
    dt_bias = g.param(t + "dt_bias", pre + "dt_bias", [H],
                      Init.dt_bias(m["dt_min"], m["dt_max"]))
    lo, hi = m["A_range"]
    A = g.param(t + "A", pre + "A", [H], f"uniform:{_num(-hi)}:{_num(-lo)}")
    D = g.param(t + "D", pre + "D", [H], Init.ONES)
    norm_w = (g.param(t + "gate_norm_w", pre + "norm.weight", [E], Init.ONES)
              if m["rmsnorm"] else None)
    if not shared:
        out_w, out_b = out_projection(g, m, pre, t)
    g.projections = (in_w, in_b, out_w, out_b)

    zxbcdt = g.linear(h, in_w, t + "zxbcdt", in_b)              # [B,L,2E+2GN+H]
    z = g.slice(zxbcdt, 2, 0, E, t + "z")                        # [B,L,E]
    xbc = g.slice(zxbcdt, 2, E, conv_dim, t + "xBC")             # [B,L,E+2GN]
    dt = g.slice(zxbcdt, 2, E + conv_dim, H, t + "dt")           # [B,L,H]
    xbc = g.transpose(xbc, [0, 2, 1], t + "xBC_t")               # [B,E+2GN,L]
    xbc = g.causal_conv1d(xbc, conv_w, t + "xBC_conv", conv_b)
    xbc = g.transpose(xbc, [0, 2, 1], t + "xBC_conv_t")          # [B,L,E+2GN]
    x = g.slice(xbc, 2, 0, E, t + "x")                           # [B,L,E]
    Bm = g.slice(xbc, 2, E, G * N, t + "B")                      # [B,L,GN]
    Cm = g.slice(xbc, 2, E + G * N, G * N, t + "C")              # [B,L,GN]
    x = g.reshape(x, [B_, L, H, P], t + "x_heads")               # [B,L,H,P]
    Bm = g.reshape(Bm, [B_, L, G, N], t + "B_g")                 # [B,L,G,N]
    Cm = g.reshape(Cm, [B_, L, G, N], t + "C_g")
    # Without the gated norm, z gates the scan output inside the scan.
    z_heads = None if m["rmsnorm"] else g.reshape(z, [B_, L, H, P],
                                                  t + "z_heads")
    y = g.ssd_scan(x, dt, A, Bm, Cm, D, dt_bias, t + "y", z=z_heads)
    y = g.reshape(y, [B_, L, E], t + "y_flat")                   # [B,L,E]
    if m["rmsnorm"]:
        y, _ = g.rms_norm(y, norm_w, t + "y_norm", z=z)      # norm(y*silu(z))
    return g.linear(y, out_w, t + "out", out_b)                  # [B,L,dm]


def block(g, m, i, hidden, residual, batch, seqlen):
    """mamba_ssm's Block: residual = hidden + residual; hidden = mixer(norm(
    residual)). The first block has no residual yet: its norm is the plain
    form (no residual_out), and its input itself is the next residual."""
    w = g.param(f"l{i}_norm_w", f"backbone.layers.{i}.norm.weight",
                [m["d_model"]], Init.ONES)
    normed, res_out = g.rms_norm(hidden, w, f"l{i}_norm", residual=residual,
                                 eps=m["eps"])
    residual = res_out if residual is not None else hidden
    mixer = mamba1_mixer if m["family"] == "mamba1" else mamba2_mixer
    if m["bidirectional"]:
        return bidirectional(g, m, i, mixer, normed, batch, seqlen), residual
    return mixer(g, m, i, normed, batch, seqlen), residual


def bidirectional(g, m, i, mixer, h, batch, seqlen):
    """Caduceus's BiMambaWrapper with strategy "add": mamba_fwd(h) +
    flip(mamba_rev(flip(h))), the sequence reversed along L. With
    bidirectional_weight_tie, mamba_rev uses mamba_fwd's in_proj and
    out_proj (one parameter each, whose gradient sums both directions)."""
    pre = f"backbone.layers.{i}.mixer."
    fwd = mixer(g, m, i, h, batch, seqlen, pre + "mamba_fwd.", f"l{i}_f_")
    shared = g.projections if m["weight_tie"] else None
    h_rev = g.flip(h, 1, f"l{i}_h_rev")
    rev = mixer(g, m, i, h_rev, batch, seqlen, pre + "mamba_rev.", f"l{i}_r_",
                shared)
    rev = g.flip(rev, 1, f"l{i}_rev")
    return g.add(fwd, rev, f"l{i}_bi")


def language_model(m, batch, seqlen, act, source):
    """MambaLMHeadModel.forward + the token-level cross-entropy loss."""
    g = Graph(act)
    V, dm = m["vocab"], m["d_model"]
    tokens = g.input("tokens", "tokens", [batch, seqlen], "i32")
    labels = g.input("labels", "labels", [batch, seqlen], "i32")
    emb_w = g.param("emb_w", "backbone.embedding.weight", [V, dm],
                    Init.EMBEDDING)
    hidden = g.embedding(tokens, emb_w, "h0")                    # [B,L,dm]
    residual = None
    for i in range(m["n_layer"]):
        hidden, residual = block(g, m, i, hidden, residual, batch, seqlen)
    norm_f = g.param("norm_f_w", "backbone.norm_f.weight", [dm], Init.ONES)
    hidden, _ = g.rms_norm(hidden, norm_f, "h_final", residual=residual,
                           eps=m["eps"])
    # tie_embeddings: lm_head.weight is the embedding weight itself.
    head_w = emb_w if m["tie"] else g.param(
        "lm_head_w", "lm_head.weight", [V, dm], Init.linear(dm))
    logits = g.linear(hidden, head_w, "logits")                  # [B,L,V]
    loss = g.cross_entropy(logits, labels, "loss")
    family = "Mamba-1" if m["family"] == "mamba1" else "Mamba-2"
    if m["bidirectional"]:
        family = "bidirectional " + family + (
            " (in/out projections tied)" if m["weight_tie"] else "")
    header = (
        f"// Generated by workloads/gen_model.py from {source}; do not edit.\n"
        f"// {family} language model: d_model {dm}, {m['n_layer']} layers, "
        f"vocab {m['vocab_size']} padded to {V}, batch {batch}, "
        f"seqlen {seqlen}, {act} activations.\n"
        f"// {g.param_count} parameters"
        f"{' (lm_head tied to the embedding)' if m['tie'] else ''}. "
        "Forward pass and mean token cross-entropy loss.\n")
    return g.text("forward", '{ssm.name = "loss"}', loss, header)


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Mamba LM forward + loss as an ssm MLIR module.")
    ap.add_argument("config", help="Hugging Face Mamba config.json")
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--seqlen", type=int, required=True)
    ap.add_argument("-o", "--output", help="output file (default stdout)")
    ap.add_argument("--dtype", choices=["f32", "bf16"], default="f32",
                    help="activation element type (parameters are f32)")
    args = ap.parse_args(argv)

    for flag in ("batch", "seqlen"):
        if getattr(args, flag) < 1:
            fail(f"--{flag}: must be at least 1, got {getattr(args, flag)}")
    if args.dtype == "bf16":
        # Every activation descends from ssm.embedding, whose result the
        # contract makes f32, and every other op keeps its input's type.
        fail("--dtype bf16: not supported yet: ssm.embedding returns f32 and "
             "no op converts f32 to bf16 (needs a cast op, or an embedding "
             "with a bf16 result)")
    try:
        with open(args.config) as f:
            raw = json.load(f)
    except OSError as e:
        fail(f"{args.config}: cannot read: {e.strerror}")
    except json.JSONDecodeError as e:
        fail(f"{args.config}: not valid JSON: {e}")
    try:
        model = parse_config(raw)
    except ConfigError as e:
        fail(f"{args.config}: key '{e.key}': {e.message}")

    text = language_model(model, args.batch, args.seqlen, args.dtype,
                          args.config)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
