#!/usr/bin/env python3
"""Generate tests/data/schemas.json from PyTorch 1.13's own schema parser.

Every expected value comes from torch._C.parse_schema (c10's FunctionSchema)
or torchgen.model.FunctionSchema; nothing is re-implemented here.  Run from
the repository root:

    /usr/bin/python3 tests/data/gen_schemas.py

Sections:
  registered  every schema of torch._C._jit_get_all_schemas(), as str() prints it
  extra       hand-written inputs that exercise the parser's corners (defaults,
              named constants, escapes, alias annotations, nested types)
  malformed   inputs torch rejects, with torch's message and caret position

Options:
    --out PATH         write somewhere else (default: next to this script).

The output is deterministic (registered schemas sorted by text).
"""

import argparse
import json
import os
import re
import sys

import torch
import torchgen.model as tg

HERE = os.path.dirname(os.path.abspath(__file__))

# Inputs in non-canonical spellings; str(parse_schema(x)) is recorded.
EXTRA = [
    "add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor",
    "transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)",
    "add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)",
    "add.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)",
    "max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)",
    "split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]",
    "sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    "view(Tensor(a) self, SymInt[] size) -> Tensor(a)",
    "gelu(Tensor self, *, str approximate='none') -> Tensor",
    "mylib::foo(Tensor x) -> Tensor",
    "mylib::foo.bar(Tensor(a!) x) -> (Tensor(a!) r, Tensor b)",
    "f(Layout l=strided, int r=Mean, ScalarType s=long, int[] x=[], float[] y=[1,2.5], bool[2] b=[True,False], "
    "bool[2] c=True, Device d=\"cpu\", Tensor t=None, Generator? g=None) -> (Tensor a, Tensor b)",
    "f(Layout? l=None, MemoryFormat? m=contiguous_format, ScalarType? s=float) -> ()",
    "f(str a=None, str b=1, bool c=None, float d=None, int e=None) -> ()",
    "f(float f=-1e10, float g=1e100, float h=123456789.0, float k=0.1, float m=-0.0, float n=1e-5, float o=2, "
    "float p=1.5e3, float q=100000.0, float r=1e16, float s=1e17, float t=0.000123) -> ()",
    "f(float a=9.2e18, float b=9.3e18, float c=-9.2e18, float d=2.2250738585072014e-308, "
    "float e=1.7976931348623157e308, float f=.5e1, float g=1.e2, float h=0.30000000000000004, float i=1E3) -> ()",
    "f(float a=9007199254740993, float b=0.1e1, float c=123.456) -> ()",
    "f(Scalar a=1., Scalar b=1e3, Scalar c=3, int d=2.0, bool e=1.5, float? f=1, float? g=1.0, Scalar? h=2) -> ()",
    "f(Scalar a=True, Scalar b=- 1.5, int c=-0, int d=007, int x=1E3, Scalar z=1E3) -> ()",
    "f(int a=9223372036854775807, int b=-9223372036854775808) -> ()",
    "f(SymInt a=-1, ScalarType b=1, Layout c=strided, MemoryFormat d=contiguous_format, Dimname e=\"x\", "
    "ConstQuantizerPtr q=1, SymInt? g=2) -> ()",
    "f(SymInt[2] b=3, SymInt[] c=[2,2], int[2]? g=4, int[]? h=None, ScalarType[2] i=1, int[1] j=[1, 1], "
    "int[] k=[-1, -1], int[2.5] l=[0, 0], int[0] m=[]) -> ()",
    "f(float[2] a=[1, 2], float[2] b=1, float[1] c=2.5, bool[2] d=False, int[3] e=[1,1,1], int[] f=[1, 1], "
    "int[1] g=[], int[2] h=[1,2,3]) -> ()",
    "f(Device a=\"cuda:1\", Device b=\"meta\", Device c=\"cuda\", Device? d=\"cpu\", Device e='xla:2', "
    "Device f=\"cpu:0\") -> ()",
    "f(str a=\"x\\101y\", str c=\"\"\"tri\"ple\"\"\", str d='a\"b', str e=\"\\'\\\"\\\\\\a\\b\\f\\n\\v\\t\", "
    "str f=\"\u00e9\\001\", str? g='h') -> ()",
    "f(Tensor(a)[](b) self, Tensor(a|b!) x, Tensor! y, Tensor(b!)[] z, Tensor(c -> a|b) w) -> Tensor(a)[]",
    "f(Dict(str, t) self, (str, t) x, Future(t) f, RRef(t) r, Tensor(a)?[] z, QScheme q, Capsule c, None n, "
    "AnyClassType ac, AnyEnumType ae, ConstQuantizerPtr cq, Quantizer qq, NoneType nt) -> ((str,t)[])",
    "f(Tensor(a)[][] a, Tensor(a!)[][] b, Tensor[](a)[] c, (ScalarType, Storage, Stream, Dimname, Device, "
    "ConstQuantizerPtr, SymInt[], Layout?) d, Dict(str, Tensor)(a)[] e, Tensor(a)? f, Tensor(a)?[]? g) -> ()",
    "f(Tensor(a|a) a, Tensor(a -> b|b) b, Tensor(a!)[1] c, Tensor[1](a) d, Tensor(a)[1](b!) e, Tensor[1](a)? f, "
    "Tensor(*)[] g, t(*)[] h, Tensor(a|*) i, Tensor(*) j, Tensor(a! -> a) k, Tensor(a -> a) l) -> ()",
    "f(int(a)? a, t(a!)? b, float! c, int[](a)? d, Dict(str,t)(a) e, Tensor? x=None, Tensor?[] y) -> float!",
    "f(int x, ...) -> ...",
    "f(*, ...) -> ()",
    "f(...) -> (int, ...)",
    "f(*) -> ()",
    "f(*, *, int x) -> ()",
    "f(int x, *) -> ()",
    "f(int x, int x) -> ()",
    "f( int   x ,  * , int y ) ->int",
    "f() -> ((int, int))",
    "f() -> ((int, int) x)",
    "f() -> ((int, int) x, int)",
    "f() -> Tensor(a) x",
    "f() -> ()  # a comment",
    " f(int x\n, int y) -> ()\n\n",
    "f(int from) -> ()",
    "f((int, t) x, () y, Future(Tensor(a)) z, (Tensor(a), int) w) -> (Tensor(a), int)",
    "__and__.Tensor(Tensor self, Tensor other) -> Tensor",
    "__iand__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)",
    "_foreach_add_.List(Tensor(a!)[] self, Tensor[] other, *, Scalar alpha=1) -> ()",
    "_foo.out(Tensor self, *, Tensor(a!) out, Tensor(b!) _scratch_x) -> Tensor(a!)",
    "_fused(Tensor self, Tensor(a!) running, bool flag) -> Tensor",
    "set_data(Tensor(a!) self, Tensor new_data) -> ()",
]

# Inputs torch rejects.
MALFORMED = [
    "",
    "add",
    "add(",
    "add(Tensor self",
    "add(Tensor self) ->",
    "add(Tensor self) Tensor",
    "add(Tensor) -> Tensor",
    "add(Tensor self,) -> Tensor",
    "add(Tensor self) -> (Tensor a,)",
    "add(Foo self) -> Tensor",
    "add(_t self) -> Tensor",
    "add(Tensor(a self) -> Tensor",
    "add(Tensor() self) -> Tensor",
    "add(Tensor(!) self) -> Tensor",
    "add(Tensor(*|a) self) -> Tensor",
    "add(Tensor(a)(b) self) -> Tensor",
    "add(int?(a) self) -> Tensor",
    "add(int[2][3] self) -> Tensor",
    "add(int[-1] self) -> Tensor",
    "add(int self=) -> Tensor",
    "add(int self=foo) -> Tensor",
    "add(int self=-True) -> Tensor",
    "add(int self=99999999999999999999) -> Tensor",
    "add(int self=-9223372036854775809) -> Tensor",
    "add(float self=1e400) -> Tensor",
    "add(float self=1e-400) -> Tensor",
    "add(float self=1e-310) -> Tensor",
    "add(Tensor self=foo) -> Tensor",
    "add(Tensor self=1) -> Tensor",
    "add(int[] self=None) -> Tensor",
    "add(int[] self=foo) -> Tensor",
    "add(int[] self=1) -> Tensor",
    "add(int[] self=[1,]) -> Tensor",
    "add(int[]? self=[1]) -> Tensor",
    "add(str[] self=[\"a\"]) -> Tensor",
    "add(Scalar[] self=[1]) -> Tensor",
    "add(Tensor[] self=[]) -> Tensor",
    "add(t self=1) -> Tensor",
    "add(Any self=None) -> Tensor",
    "add(Storage self=None) -> Tensor",
    "add(Device self=None) -> Tensor",
    "add(Device self=\"bogus\") -> Tensor",
    "add(Device self=\"cuda:01\") -> Tensor",
    "add(Device self=\"\") -> Tensor",
    "add(Device self=\"cuda:x\") -> Tensor",
    "add(str self=\"a\\x41\") -> Tensor",
    "add(str self=\"a\\u0041\") -> Tensor",
    "add(str self=\"a\\0\") -> Tensor",
    "add(str self=\"a\\400\") -> Tensor",
    "add(str self=\"a\\r\") -> Tensor",
    "add(str self=\"abc) -> Tensor",
    "add(int True) -> Tensor",
    "add(int def) -> Tensor",
    "add(int if) -> Tensor",
    "add(Tensor NoneType) -> Tensor",
    "add(..., int x) -> Tensor",
    "add() -> (..., int)",
    "a::b::c(int x) -> ()",
    "f.a.b() -> ()",
    "f.1() -> ()",
    "f() -> ()\ng() -> ()",
    "f() -> () g",
    "f(Future x) -> ()",
    "f(Dict(str) x) -> ()",
    "f(__torch__.foo.classes.a.B x) -> ()",
    "f(Tensor x) -> Tensor(a",
    "f(Tensor x) => Tensor",
    "f(Tensor x) -> Tensor;",
]


def alias_facts(info):
    if info is None:
        return None
    return {"is_write": bool(info.is_write),
            "before": sorted(info.before_set),
            "after": sorted(info.after_set)}


def default_facts(a):
    if not a.has_default_value():
        return None
    v = a.default_value
    if v is None:
        return {"kind": "none"}
    if isinstance(v, bool):
        return {"kind": "bool", "value": v}
    if isinstance(v, int):
        return {"kind": "int", "value": v}
    if isinstance(v, float):
        return {"kind": "float", "value": v}
    if isinstance(v, str):
        return {"kind": "str", "value": v}
    if isinstance(v, torch.device):
        return {"kind": "device", "value": str(v)}
    if isinstance(v, list):
        kinds = {type(e).__name__ for e in v}
        return {"kind": "list", "element": kinds.pop() if len(kinds) == 1 else None, "value": v}
    raise TypeError(f"unexpected default {v!r} for {a}")


def torchgen_facts(text):
    """kind / is_view / aliased_return_names from torchgen, where torchgen parses it."""
    body = text.split("::", 1)[1] if "::" in text.split("(", 1)[0] else text
    try:
        fs = tg.FunctionSchema.parse(body)
        kind = fs.kind().name
    except Exception:  # torchgen only knows native_functions.yaml's dialect
        return None
    is_view = any(r.annotation is not None and not r.annotation.is_write for r in fs.returns) or any(
        a.annotation is not None and "*" in a.annotation.alias_set_after
        for a in fs.schema_order_arguments())
    try:
        aliased = fs.aliased_return_names()
    except AssertionError:
        aliased = None
    # The first argument (schema order) whose alias set a return shares, from
    # torchgen's annotations (which name the element sets of `Tensor(a)[]`).
    args = list(fs.schema_order_arguments())
    shares = []
    for r in fs.returns:
        found = None
        if r.annotation is not None:
            sets = set(r.annotation.alias_set) - {"*"}
            for a in args:
                if a.annotation is not None and sets & set(a.annotation.alias_set):
                    found = a.name
                    break
        shares.append(found)
    return {"kind": kind, "is_view": is_view, "aliased_return_names": aliased, "shares_alias_set": shares}


def record(text):
    s = torch._C.parse_schema(text)
    printed = str(s)
    try:
        torch._C.parse_schema(printed)
        reparses = True
    except Exception:  # c10 prints some schemas it cannot read back (Tensor($0! -> ), Tensor?(a)[], ...)
        reparses = False
    out = {
        "text": text,
        "printed": printed,
        # c10 keeps alias sets in an unordered_set: with two or more sets in one
        # annotation the printed order is not the source order.
        "unordered_alias_sets": bool(re.search(r"\([^()]*\|[^()]*\)", printed)),
        "reparses": reparses,
        "name": s.name,
        "overload": s.overload_name,
        "is_mutable": bool(s.is_mutable),
        "arguments": [
            {"name": a.name, "N": a.N, "kwarg_only": bool(a.kwarg_only), "is_out": bool(a.is_out),
             "alias": alias_facts(a.alias_info), "default": default_facts(a)}
            for a in s.arguments
        ],
        "returns": [{"name": r.name, "alias": alias_facts(r.alias_info)} for r in s.returns],
        "torchgen": torchgen_facts(text),
    }
    return out


def caret_position(text, message):
    """The 0-based offset torch's ErrorReport marks with ~~~ <--- HERE (single-line inputs)."""
    lines = message.split("\n")
    for i, line in enumerate(lines):
        if "<--- HERE" in line and i > 0 and "\n" not in text:
            src = lines[i - 1]
            start = src.find(text) if text else -1
            col = line.find("~")
            if start >= 0 and col >= 0:
                return col - start
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "schemas.json"))
    args = ap.parse_args()

    texts = sorted({str(s) for s in torch._C._jit_get_all_schemas()})
    registered = [record(t) for t in texts]
    # Self-check: every printed schema parses back to the same text (up to alias-set order).
    for r in registered:
        assert r["printed"] == r["text"] or r["unordered_alias_sets"], r["text"]
    extra = [record(t) for t in EXTRA]

    malformed = []
    for t in MALFORMED:
        try:
            torch._C.parse_schema(t)
        except Exception as e:  # RuntimeError, or IndexError-ish from stoll/stod
            msg = str(e).strip()
            malformed.append({"text": t, "torch_error": msg.split("\n")[0].strip() or msg.split("\n")[1].strip(),
                              "torch_position": caret_position(t, str(e))})
            continue
        raise AssertionError(f"torch accepted a 'malformed' schema: {t!r}")

    doc = {
        "torch_version": torch.__version__,
        "generator": "tests/data/gen_schemas.py",
        "stats": {"registered": len(registered), "extra": len(extra), "malformed": len(malformed),
                  "with_torchgen_facts": sum(r["torchgen"] is not None for r in registered + extra)},
    }
    with open(args.out, "w") as f:
        f.write("{\n")
        for k, v in doc.items():
            f.write(f"  {json.dumps(k)}: {json.dumps(v)},\n")
        for i, (k, rows) in enumerate([("registered", registered), ("extra", extra), ("malformed", malformed)]):
            f.write(f"  {json.dumps(k)}: [\n")
            f.write(",\n".join("    " + json.dumps(r, ensure_ascii=True) for r in rows))
            f.write("\n  ]" + (",\n" if i < 2 else "\n"))
        f.write("}\n")
    print(f"wrote {args.out}: {doc['stats']}", file=sys.stderr)


if __name__ == "__main__":
    main()
