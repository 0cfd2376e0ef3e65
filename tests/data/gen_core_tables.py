#!/usr/bin/env python3
"""Generate tests/data/core_tables.json from what PyTorch 1.13 actually does.

Every expected value in the output comes from calling torch; no rule is
re-implemented here.  Run from the repository root:

    /usr/bin/python3 tests/data/gen_core_tables.py

at::Tensor::suggest_memory_format() and TensorImpl::is_non_overlapping_and_dense()
are not bound to Python in 1.13 (torch._prims_common has Python ports, but
they disagree with C++ on some inputs), so the script builds a tiny C++
extension with torch.utils.cpp_extension.load_inline (needs g++ and the
headers shipped with torch; ~30 s on 2 cores, cached in $TMPDIR).  That
extension also cross-checks at::detail::computeStorageNbytes.

Options:
    --out PATH         write somewhere else (default: next to this script).

The output is deterministic (random.Random(1234)); regenerate and `git diff`.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import warnings

import torch
import torch._prims_common as prims_common

warnings.filterwarnings("ignore")  # ComplexHalf "experimental" etc.

SEED = 1234
HERE = os.path.dirname(os.path.abspath(__file__))

NONQ_DTYPES = [
    "bool", "uint8", "int8", "int16", "int32", "int64",
    "float16", "bfloat16", "float32", "float64",
    "complex32", "complex64", "complex128",
]
Q_DTYPES = ["qint8", "quint8", "qint32", "quint4x2", "quint2x4"]
ALL_DTYPES = NONQ_DTYPES + Q_DTYPES

DT = {n: getattr(torch, n) for n in ALL_DTYPES}
DT_NAME = {v: k for k, v in DT.items()}

MF_NAMES = {
    torch.contiguous_format: "contiguous_format",
    torch.channels_last: "channels_last",
    torch.channels_last_3d: "channels_last_3d",
    torch.preserve_format: "preserve_format",
}
MF_BY_NAME = {v: k for k, v in MF_NAMES.items()}
# c10::MemoryFormat enum values (used only to decode the C++ check's ints).
MF_FROM_CPP = {0: "contiguous_format", 1: "preserve_format",
               2: "channels_last", 3: "channels_last_3d"}


def first_line(exc):
    s = str(exc)
    lines = s.splitlines()
    return lines[0] if lines else ""


def dname(dtype):
    return DT_NAME[dtype]


# ---------------------------------------------------------------------------
# C++ helper extension (suggest_memory_format / NOAD / computeStorageNbytes)
# ---------------------------------------------------------------------------

CPP_SRC = r"""
#include <torch/extension.h>
#include <ATen/EmptyTensor.h>
int64_t smf(const at::Tensor& t) { return (int64_t)t.suggest_memory_format(); }
bool noad(const at::Tensor& t) { return t.is_non_overlapping_and_dense(); }
int64_t nbytes(std::vector<int64_t> sizes, std::vector<int64_t> strides,
               int64_t itemsize, int64_t off) {
  return (int64_t)at::detail::computeStorageNbytes(sizes, strides, itemsize, off);
}
PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("smf", &smf);
  m.def("noad", &noad);
  m.def("nbytes", &nbytes);
}
"""


def build_cpp_check():
    try:
        from torch.utils.cpp_extension import load_inline
        bdir = os.path.join(tempfile.gettempdir(), "faketensor_gen_core_tables_ext")
        os.makedirs(bdir, exist_ok=True)
        return load_inline(name="faketensor_gen_core_tables_ext",
                           cpp_sources=[CPP_SRC], build_directory=bdir,
                           verbose=False)
    except Exception as e:  # pragma: no cover - environment dependent
        sys.exit("error: cannot build the C++ helper extension (needs g++ and "
                 "torch headers): %s" % first_line(e))


# ---------------------------------------------------------------------------
# 1. dtypes
# ---------------------------------------------------------------------------

def gen_dtypes():
    out = []
    for n in ALL_DTYPES:
        d = DT[n]
        rec = {"name": n, "repr": str(d)}
        try:
            rec["itemsize"] = torch.empty((), dtype=d).element_size()
        except Exception:
            rec["itemsize"] = None
        assert rec["itemsize"] in (None, torch._utils._element_size(d))
        rec["is_floating_point"] = d.is_floating_point
        rec["is_complex"] = d.is_complex
        try:
            rec["is_signed"] = d.is_signed
        except Exception as e:
            rec["is_signed"] = None
            rec["is_signed_error"] = first_line(e)
        rec["is_quantized"] = n in Q_DTYPES
        out.append(rec)
    return out


# ---------------------------------------------------------------------------
# 2. promote_types
# ---------------------------------------------------------------------------

def gen_promote_types():
    out = []
    for a in ALL_DTYPES:
        for b in ALL_DTYPES:
            rec = {"a": a, "b": b}
            try:
                rec["result"] = dname(torch.promote_types(DT[a], DT[b]))
            except Exception as e:
                rec["error"] = first_line(e)
            out.append(rec)
    return out


# ---------------------------------------------------------------------------
# 3. result_type
# ---------------------------------------------------------------------------

SCALARS = [("bool", True), ("int", 2), ("float", 2.5), ("complex", 1 + 2j)]


def make_operand(desc):
    k = desc["kind"]
    if k == "tensor":
        return torch.empty(2, dtype=DT[desc["dtype"]], device="meta")
    if k == "zero_dim":
        return torch.empty((), dtype=DT[desc["dtype"]], device="meta")
    return dict(SCALARS)[desc["type"]]


def gen_result_type(rng, stats):
    descs = []
    for kind in ("tensor", "zero_dim"):
        for n in NONQ_DTYPES:
            descs.append({"kind": kind, "dtype": n})
    for t, _ in SCALARS:
        descs.append({"kind": "scalar", "type": t})

    out = []
    add_checked = 0
    addcmul_checked = 0
    for d1 in descs:
        for d2 in descs:
            x, y = make_operand(d1), make_operand(d2)
            rec = {"operands": [d1, d2]}
            try:
                r = torch.result_type(x, y)
                rec["result"] = dname(r)
            except Exception as e:
                r = None
                rec["error"] = first_line(e)
            out.append(rec)
            if isinstance(x, torch.Tensor) and isinstance(y, torch.Tensor):
                # Cross-check the 2-operand oracle against real ops.
                try:
                    ad = torch.add(x, y).dtype
                except Exception:
                    ad = None
                if ad is not None:
                    assert r is not None and ad == r, (d1, d2, ad, r)
                    add_checked += 1
                # addcmul(x, y, y) has common dtype promote(x, y): validates
                # addcmul as the oracle for the 3-operand cases below.
                try:
                    cd = torch.addcmul(x, y, y).dtype
                except Exception:
                    cd = None
                if cd is not None:
                    assert r is not None and cd == r, (d1, d2, cd, r)
                    addcmul_checked += 1
    stats["result_type_2op_cases"] = len(out)
    stats["result_type_2op_add_crosschecked"] = add_checked
    stats["result_type_2op_addcmul_crosschecked"] = addcmul_checked

    # Random 3-operand cases via addcmul (its output dtype = common dtype).
    n3 = 0
    skipped = 0
    seen = set()
    attempts = 0
    while n3 < 300 and attempts < 5000:
        attempts += 1
        ops = []
        for _ in range(3):
            ops.append({"kind": rng.choice(["tensor", "zero_dim"]),
                        "dtype": rng.choice(NONQ_DTYPES)})
        key = json.dumps(ops, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        try:
            r = torch.addcmul(*[make_operand(o) for o in ops]).dtype
        except Exception:
            skipped += 1
            continue
        out.append({"operands": ops, "result": dname(r), "via": "addcmul"})
        n3 += 1
    stats["result_type_3op_cases"] = n3
    stats["result_type_3op_skipped_addcmul_raised"] = skipped
    return out


# ---------------------------------------------------------------------------
# 4. devices
# ---------------------------------------------------------------------------

DEVICE_STRINGS = [
    # valid device types (every type torch 1.13's parser accepts)
    "cpu", "cuda", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
    "fpga", "ort", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "ipu",
    "xpu", "privateuseone",
    # with indices
    "cuda:0", "cuda:1", "cuda:15", "cuda:127", "xla:2", "xla:0", "xpu:0",
    "hpu:3", "ort:1", "ipu:7", "ve:1", "lazy:0", "vulkan:0", "mps:0",
    "meta:0", "privateuseone:0", "cpu:0", "cpu:1",
    # index range quirks (DeviceIndex is int8_t)
    "cuda:128", "cuda:255", "cuda:256", "cuda:1000", "cuda:32767",
    "cuda:9223372036854775807", "cuda:99999999999999999999",
    # invalid
    "", "cuda:", "cuda:-1", "cuda:01", "cuda:00", "cuda:x", "gpu", "CUDA",
    "Cpu", " cuda", "cuda ", "cuda:1 ", "cuda:0:1", "cuda: 1", "cuda:1x",
    "cuda:+1", "cuda::1", ":1", ":", "cuda-1", "cuda:0x1", "metal", "mlc",
    "msnpu", "sparse", "quantized", "custom", "cuda\t", "cuda:1.0",
]


def gen_devices():
    out = []
    for s in DEVICE_STRINGS:
        rec = {"input": s}
        try:
            d = torch.device(s)
            rec["type"] = d.type
            rec["index"] = d.index
            rec["str"] = str(d)
        except Exception as e:
            rec["error"] = first_line(e)
        out.append(rec)
    return out


# ---------------------------------------------------------------------------
# 5. broadcast
# ---------------------------------------------------------------------------

BSIZES = [0, 1, 2, 3, 4, 7]


def infer_size_chain(shapes):
    """C++ at::infer_size applied left to right (what expand_outplace does)."""
    acc = torch.Size(shapes[0])
    for s in shapes[1:]:
        acc = torch._C._infer_size(acc, torch.Size(s))
    return list(acc)


def broadcast_record(shapes):
    rec = {"shapes": shapes}
    try:
        rec["result"] = list(torch.broadcast_shapes(*shapes))
    except Exception as e:
        rec["error"] = first_line(e)
    # The C++ rule (at::infer_size); its messages differ from the Python
    # torch.broadcast_shapes of 1.13, and it does not reject negative sizes.
    try:
        rec["infer_size"] = infer_size_chain(shapes)
    except Exception as e:
        rec["infer_size_error"] = first_line(e)
    if all(x >= 0 for s in shapes for x in s):
        # broadcast_tensors on meta tensors must agree with infer_size.
        try:
            r = list(torch.broadcast_tensors(
                *[torch.empty(s, device="meta") for s in shapes])[0].shape)
            assert rec.get("infer_size") == r, (shapes, r, rec)
        except AssertionError:
            raise
        except Exception as e:
            assert rec.get("infer_size_error") == first_line(e), (shapes, e, rec)
        assert ("error" in rec) == ("infer_size_error" in rec), rec
    return rec


def gen_broadcast(rng, stats):
    out = []
    seen = set()

    def add(shapes):
        key = json.dumps(shapes)
        if key in seen:
            return
        seen.add(key)
        out.append(broadcast_record(shapes))

    # Hand-picked edge cases first.
    for shapes in [
        [[], []], [[], [3]], [[0], [1]], [[0], [0]], [[0], [2]], [[1], [0]],
        [[2, 0], [3, 1]], [[5, 1, 3], [2, 1]], [[1, 1], [1]], [[], [], []],
        [[2], [3, 1], [1, 1, 1]], [[3], [4], [1]], [[1, 0], [7, 1], []],
        # negative sizes
        [[-1, 2], [2]], [[2], [-1, 2]], [[-1], [1]], [[1], [-1]], [[-1], [3]],
        [[-1], [-1]], [[-2], [-2]], [[3], [1, -1]], [[-1, 1], [1, 4]],
        [[2, -1], [2, 3]], [[-1], [0]], [[-5, 2], [2], [1, 1, 1]],
    ]:
        add(shapes)

    def candidate(want_error):
        nshapes = rng.choice([2, 2, 3])
        out_rank = rng.randint(0, 5)
        base = [rng.choice(BSIZES) for _ in range(out_rank)]
        shapes = []
        for _ in range(nshapes):
            r = rng.randint(0, out_rank)
            s = base[out_rank - r:]
            s = [1 if rng.random() < 0.35 else x for x in s]
            shapes.append(s)
        if want_error:
            # Mismatch one dim of one shape.
            cand = [(i, j) for i, s in enumerate(shapes) for j in range(len(s))]
            if cand:
                i, j = rng.choice(cand)
                choices = [x for x in BSIZES if x not in (1, shapes[i][j])]
                shapes[i][j] = rng.choice(choices)
        return shapes

    def raises(shapes):
        try:
            torch.broadcast_shapes(*shapes)
            return False
        except RuntimeError:
            return True

    target = 400
    while len(out) < target:
        # ~25% error cases: torch classifies the candidates, retry a few times.
        want_error = rng.random() < 0.2
        for _ in range(20):
            shapes = candidate(want_error)
            if raises(shapes) == want_error:
                break
        add(shapes)
    stats["broadcast_cases"] = len(out)
    stats["broadcast_error_cases"] = sum(1 for r in out if "error" in r)
    return out


# ---------------------------------------------------------------------------
# 6. contiguity
# ---------------------------------------------------------------------------

CSIZES = [0, 1, 2, 3, 4, 5]
CWEIGHTS = [1, 5, 5, 3, 2, 1]


def contiguous_strides(sizes):
    st = [0] * len(sizes)
    m = 1
    for i in reversed(range(len(sizes))):
        st[i] = m
        m *= max(sizes[i], 1)
    return st


def permuted_strides(sizes, perm):
    """Strides of a contiguous tensor with dims in `perm` order, mapped back."""
    psz = [sizes[p] for p in perm]
    pst = contiguous_strides(psz)
    st = [0] * len(sizes)
    for k, p in enumerate(perm):
        st[p] = pst[k]
    return st


def random_case(rng):
    kind = rng.random()
    if kind < 0.15:
        rank, perm = 4, [0, 2, 3, 1]  # channels_last layout
    elif kind < 0.27:
        rank, perm = 5, [0, 2, 3, 4, 1]  # channels_last_3d layout
    else:
        rank = rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5])
        perm = list(range(rank))
        if rng.random() < 0.5:
            rng.shuffle(perm)
    sizes = rng.choices(CSIZES, CWEIGHTS, k=rank)
    strides = permuted_strides(sizes, perm)
    mod = rng.random()
    if mod < 0.15 and rank:
        # gaps: multiply the stride of one dim and all dims "outside" it by 2
        k = rng.randrange(rank)
        for j in perm[:k + 1]:
            strides[j] *= 2
    elif mod < 0.27 and rank:
        # expanded dims
        for j in range(rank):
            if rng.random() < 0.4:
                strides[j] = 0
    elif mod < 0.37 and rank:
        # arbitrary strides on size-0/1 dims, or on one dim
        for j in range(rank):
            if sizes[j] <= 1 or rng.random() < 0.2:
                strides[j] = rng.randint(0, 9)
    elif mod < 0.45 and rank:
        # fully random small strides
        strides = [rng.randint(0, 8) for _ in range(rank)]
    return sizes, strides


HAND_CONTIG = [
    ([], []), ([0], [1]), ([0], [5]), ([1], [7]), ([2], [1]), ([2], [2]), ([2], [0]),
    ([2, 3], [3, 1]), ([2, 3], [1, 2]), ([2, 3], [1, 4]), ([2, 3], [0, 0]),
    ([3, 1], [1, 1]), ([1, 3], [1, 1]), ([2, 2], [1, 1]), ([2, 2], [2, 2]),
    ([2, 3, 1, 1], [3, 1, 1, 1]), ([2, 3, 1, 1], [3, 1, 3, 3]),
    ([1, 3, 1, 1], [3, 1, 3, 3]), ([2, 1, 3, 3], [9, 1, 3, 1]),
    ([2, 1, 3, 3], [9, 9, 3, 1]), ([2, 3, 4, 5], [60, 1, 15, 3]),
    ([2, 3, 4, 5], [60, 20, 5, 1]), ([1, 1, 1, 1], [1, 1, 1, 1]),
    ([1, 1, 1, 1], [0, 0, 0, 0]), ([2, 3, 4, 5], [0, 1, 15, 3]),
    ([2, 3, 4, 5, 6], [360, 1, 90, 18, 3]), ([2, 3, 1, 1, 1], [3, 1, 3, 3, 3]),
    ([2, 3, 4, 5, 6], [360, 120, 30, 6, 1]), ([0, 3, 4, 5], [60, 1, 15, 3]),
    ([2, 0, 4, 5], [0, 1, 0, 0]), ([4, 1, 3, 2], [6, 6, 2, 1]),
    ([1, 2, 1, 2], [4, 1, 4, 2]),
    # torch._prims_common.suggest_memory_format disagrees with C++ on these:
    ([3, 4, 2, 2, 1], [16, 1, 8, 4, 1]), ([2, 1, 4, 1], [4, 1, 1, 1]),
    ([2, 1, 5, 1], [5, 1, 1, 1]),
]


UPSAMPLE_CHECKED = [0]
PRIMS_DISAGREE = {"non_overlapping_and_dense": [], "suggest_memory_format": []}


def upsample_memory_format(t):
    """Observe suggest_memory_format through a pure-Python-reachable op.

    upsample_nearest{2,3}d's meta function allocates its output with
    input.suggest_memory_format(); only usable for rank 4/5 inputs with
    non-zero sizes.  Returns None when not applicable.
    """
    try:
        if t.dim() == 4:
            o = torch._C._nn.upsample_nearest2d(t, [2, 2])
            cand = [torch.contiguous_format, torch.channels_last]
        elif t.dim() == 5:
            o = torch._C._nn.upsample_nearest3d(t, [2, 2, 2])
            cand = [torch.contiguous_format, torch.channels_last_3d]
        else:
            return None
    except Exception:
        return None
    hits = [mf for mf in cand
            if torch.empty(o.shape, memory_format=mf, device="meta").stride() == o.stride()]
    return MF_NAMES[hits[0]] if len(hits) == 1 else None


def contiguity_record(sizes, strides, cpp):
    t = torch.empty_strided(sizes, strides, device="meta")
    # Ground truth straight from C++ (TensorImpl flag / Tensor method).
    noad = bool(cpp.noad(t))
    smf = MF_FROM_CPP[cpp.smf(t)]
    elp = list(torch.empty_like(t, memory_format=torch.preserve_format).stride())
    # Independent checks through ordinary ops:
    # empty_like(preserve) keeps the strides exactly iff NOAD (otherwise it
    # uses infer_dense_strides, whose result is always dense).
    assert (elp == list(t.stride())) == noad, (sizes, strides, elp, noad)
    up = upsample_memory_format(t)
    assert up is None or up == smf, (sizes, strides, up, smf)
    if up is not None:
        UPSAMPLE_CHECKED[0] += 1
    # torch._prims_common is a Python port; note where it disagrees.
    if prims_common.is_non_overlapping_and_dense(t) != noad:
        PRIMS_DISAGREE["non_overlapping_and_dense"].append((sizes, strides))
    if MF_NAMES[prims_common.suggest_memory_format(t)] != smf:
        PRIMS_DISAGREE["suggest_memory_format"].append((sizes, strides))
    return {
        "sizes": sizes,
        "strides": strides,
        "is_contiguous": t.is_contiguous(),
        "is_channels_last_contiguous": t.is_contiguous(memory_format=torch.channels_last),
        "is_channels_last_3d_contiguous": t.is_contiguous(memory_format=torch.channels_last_3d),
        "non_overlapping_and_dense": noad,
        "suggest_memory_format": smf,
        "empty_like_preserve_strides": elp,
    }


def gen_contiguity(rng, cpp, stats):
    out = []
    seen = set()
    cases = list(HAND_CONTIG)
    while len(seen) < 600:
        if cases:
            sizes, strides = cases.pop(0)
        else:
            sizes, strides = random_case(rng)
        key = (tuple(sizes), tuple(strides))
        if key in seen:
            continue
        seen.add(key)
        out.append(contiguity_record(list(sizes), list(strides), cpp))
    stats["contiguity_cases"] = len(out)
    for f in ("is_contiguous", "is_channels_last_contiguous",
              "is_channels_last_3d_contiguous", "non_overlapping_and_dense"):
        stats["contiguity_true_" + f] = sum(1 for r in out if r[f])
    for mf in ("channels_last", "channels_last_3d"):
        stats["contiguity_suggest_" + mf] = sum(
            1 for r in out if r["suggest_memory_format"] == mf)
    return out


# ---------------------------------------------------------------------------
# 7. contiguous_strides
# ---------------------------------------------------------------------------

def gen_contiguous_strides(rng, stats):
    out = []
    seen = set()
    fixed = [[], [0], [2, 3, 4, 5], [2, 3, 4, 5, 6], [1, 1, 1, 1],
             [0, 3, 0, 2], [2, 0, 3, 5, 1]]
    while len(seen) < 150:
        if fixed:
            sizes = fixed.pop(0)
        else:
            rank = rng.choice([0, 1, 2, 3, 4, 4, 4, 5, 5, 5, 6])
            sizes = [rng.choice([0, 1, 1, 2, 2, 3, 3, 5]) for _ in range(rank)]
        if tuple(sizes) in seen:
            continue
        seen.add(tuple(sizes))
        for mfn in ("contiguous_format", "channels_last", "channels_last_3d"):
            rec = {"sizes": sizes, "memory_format": mfn}
            try:
                t = torch.empty(sizes, memory_format=MF_BY_NAME[mfn], device="meta")
                rec["strides"] = list(t.stride())
            except Exception as e:
                rec["error"] = first_line(e)
            out.append(rec)
    stats["contiguous_strides_cases"] = len(out)
    stats["contiguous_strides_errors"] = sum(1 for r in out if "error" in r)
    return out


# ---------------------------------------------------------------------------
# 8. storage_nbytes
# ---------------------------------------------------------------------------

def gen_storage_nbytes(rng, cpp, stats):
    out = []
    seen = set()
    fixed = [([], [], "float32", 0), ([], [], "float64", 3), ([0], [1], "float32", 5),
             ([2, 0, 3], [0, 0, 0], "int64", 7), ([3], [0], "int16", 0),
             ([3], [0], "int16", 4), ([2, 3], [3, 1], "complex128", 0),
             ([2, 3], [1, 2], "bool", 1), ([1, 1], [100, 7], "bfloat16", 2)]
    while len(out) < 200:
        if fixed:
            sizes, strides, dt, off = fixed.pop(0)
        else:
            rank = rng.randint(0, 4)
            sizes = [rng.choice([0, 1, 1, 2, 2, 3, 4]) for _ in range(rank)]
            strides = [rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for _ in range(rank)]
            dt = rng.choice(NONQ_DTYPES)
            off = 0 if rng.random() < 0.4 else rng.randint(1, 20)
        key = (tuple(sizes), tuple(strides), dt, off)
        if key in seen:
            continue
        seen.add(key)
        dtype = DT[dt]
        # Real PyTorch computation: set_() on a fresh empty CPU storage runs
        # resize_impl_cpu_ -> at::detail::computeStorageNbytes(..., offset)
        # and grows the storage to exactly that many bytes.
        st = torch.empty(0, dtype=dtype).storage()
        t = torch.empty(0, dtype=dtype).set_(st, off, sizes, strides)
        nb = t.storage().nbytes()
        assert t.storage_offset() == off
        if off == 0:
            m = torch.empty_strided(sizes, strides, dtype=dtype, device="meta")
            assert m.storage().nbytes() == nb, (key, m.storage().nbytes(), nb)
        itemsize = torch.empty((), dtype=dtype).element_size()
        assert cpp.nbytes(sizes, strides, itemsize, off) == nb, key
        out.append({"sizes": sizes, "strides": strides, "dtype": dt,
                    "storage_offset": off, "nbytes": nb})
    stats["storage_nbytes_cases"] = len(out)
    stats["storage_nbytes_offset_gt0"] = sum(1 for r in out if r["storage_offset"] > 0)
    return out


# ---------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------

def dump(doc, path):
    """Top-level object, one array element per line (diff friendly)."""
    lines = ["{"]
    keys = list(doc.keys())
    for i, k in enumerate(keys):
        v = doc[k]
        comma = "," if i + 1 < len(keys) else ""
        if isinstance(v, list):
            lines.append("  %s: [" % json.dumps(k))
            for j, rec in enumerate(v):
                c = "," if j + 1 < len(v) else ""
                lines.append("    " + json.dumps(rec, ensure_ascii=True) + c)
            lines.append("  ]" + comma)
        else:
            lines.append("  %s: %s%s" % (json.dumps(k), json.dumps(v, indent=None), comma))
    lines.append("}")
    with open(path, "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "core_tables.json"))
    args = ap.parse_args()

    cpp = build_cpp_check()
    rng = random.Random(SEED)
    stats = {}
    doc = {
        "torch_version": torch.__version__,
        "generator": "tests/data/gen_core_tables.py",
        "seed": SEED,
        "stats": stats,
    }
    doc["dtypes"] = gen_dtypes()
    doc["promote_types"] = gen_promote_types()
    doc["result_type"] = gen_result_type(rng, stats)
    doc["devices"] = gen_devices()
    doc["broadcast"] = gen_broadcast(rng, stats)
    doc["contiguity"] = gen_contiguity(rng, cpp, stats)
    doc["contiguous_strides"] = gen_contiguous_strides(rng, stats)
    doc["storage_nbytes"] = gen_storage_nbytes(rng, cpp, stats)
    for k in ("dtypes", "promote_types", "devices"):
        stats[k + "_cases"] = len(doc[k])
    dump(doc, args.out)
    print("wrote %s (%d bytes)" % (args.out, os.path.getsize(args.out)))
    print(json.dumps(stats, indent=1))
    print("suggest_memory_format confirmed via upsample_nearest meta on %d cases"
          % UPSAMPLE_CHECKED[0])
    for k, v in PRIMS_DISAGREE.items():
        print("torch._prims_common.%s disagrees with C++ on %d contiguity cases%s"
              % (k if k != "non_overlapping_and_dense" else "is_" + k, len(v),
                 (", e.g. %s" % (v[:3],)) if v else ""))


if __name__ == "__main__":
    main()
