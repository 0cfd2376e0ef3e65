#!/usr/bin/env python3
"""Records PyTorch's computed dispatch tables for custom operators.

For each scenario (a set of dispatch keys, runtime or alias), defines an
operator fakedisp::s<i>(Tensor x) -> Tensor, registers one Python kernel per
key, and records torch._C._dispatch_dump_table: for every runtime key that
resolves to something, the rule's label ("kernel", "default backend kernel",
"nested kernel", "math kernel", "autograd kernel", "backend fallback",
"ambiguous autogradother"), prefixed "fallthrough " for a fallthrough kernel.
An operator without registrations gives the process-wide backend fallbacks.

Run from the repository root:  /usr/bin/python3 tests/data/gen_dispatch_tables.py
Writes tests/data/dispatch_tables.json (deterministic: random.Random(2024)).
"""
import json
import os
import random
import re

import torch

C = torch._C
NS = "fakedisp"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dispatch_tables.json")

# Keys registrations are made for. FuncTorchBatchedDecomposition does not
# parse in 1.13; the C++ tests cover it directly.
KEYS = [
    "CPU", "CUDA", "Meta", "XLA", "Lazy", "HIP", "SparseCPU", "QuantizedCPU", "SparseCsrCPU", "FPGA",
    "NestedTensorCPU", "AutogradCPU", "AutogradCUDA", "AutogradMeta", "AutogradOther", "AutogradNestedTensor",
    "Functionalize", "Python", "ADInplaceOrView",
    "CompositeExplicitAutograd", "CompositeExplicitAutogradNonFunctional", "CompositeImplicitAutograd",
    "CompositeImplicitAutogradNestedTensor", "Autograd",
]

# Hand-picked: each rule of resolve_key on its own and the interactions the
# rules describe; then random subsets.
HAND = [
    [],
    ["CPU"],
    ["CompositeExplicitAutogradNonFunctional"],
    ["CompositeExplicitAutograd"],
    ["CompositeExplicitAutograd", "CompositeExplicitAutogradNonFunctional"],
    ["CompositeImplicitAutograd"],
    ["CompositeImplicitAutograd", "CPU"],
    ["CompositeImplicitAutograd", "CompositeExplicitAutograd"],
    ["CompositeImplicitAutograd", "SparseCPU"],
    ["CompositeImplicitAutograd", "QuantizedCPU"],
    ["CompositeImplicitAutograd", "FPGA"],
    ["CompositeImplicitAutograd", "HIP"],
    ["CompositeImplicitAutograd", "Meta"],
    ["CompositeImplicitAutograd", "AutogradOther", "SparseCPU"],
    ["CompositeImplicitAutograd", "Autograd", "CPU"],
    ["CompositeImplicitAutogradNestedTensor"],
    ["CompositeImplicitAutogradNestedTensor", "CompositeImplicitAutograd"],
    ["Autograd"],
    ["Autograd", "AutogradCPU"],
    ["Autograd", "CompositeExplicitAutograd"],
    ["AutogradOther"],
    ["Python", "Functionalize", "ADInplaceOrView"],
]


def dump(name):
    """{key: (label, fallthrough)} from the computed table."""
    table = {}
    for line in C._dispatch_dump_table(name).splitlines():
        m = re.match(r"^(\w+): (fallthrough )?(.*) \[([^\]]+)\]$", line)
        assert m, line
        table[m.group(1)] = (m.group(4), m.group(2) is not None)
    return table


def main():
    rng = random.Random(2024)
    scenarios = [list(s) for s in HAND]
    seen = {tuple(sorted(s)) for s in scenarios}
    while len(scenarios) < len(HAND) + 80:
        s = sorted(rng.sample(KEYS, rng.randint(1, 5)))
        if tuple(s) not in seen:
            seen.add(tuple(s))
            scenarios.append(s)

    libs = []
    lib = C._dispatch_library("DEF", NS, "", "", 0)
    libs.append(lib)
    records = []
    universe = set()
    for i, keys in enumerate(scenarios):
        op = "s%d" % i
        lib.define(op + "(Tensor x) -> Tensor", "")
        for key in keys:
            impl = C._dispatch_library("IMPL", NS, "", "", 0)
            impl.impl(op, key, lambda x: x)
            libs.append(impl)
        table = dump(NS + "::" + op)
        universe.update(table)
        records.append((keys, table))
    # The empty scenario (first) is the process-wide fallback table.
    fallbacks = records[0][1]
    assert all(kind == "backend fallback" for kind, _ in fallbacks.values()), fallbacks

    def entry(kind, fallthrough):
        return ("fallthrough " if fallthrough else "") + kind

    scenarios = []
    for keys, table in records:
        # Entries equal to the fallback table's are left out: a key absent from
        # "table" resolves to its fallback if it has one, else to nothing.
        scenarios.append({
            "registrations": keys,
            "table": {k: entry(*v) for k, v in sorted(table.items()) if fallbacks.get(k) != v},
        })
    data = {
        "torch_version": torch.__version__,
        "generator": "tests/data/gen_dispatch_tables.py",
        "seed": 2024,
        "fallbacks": {k: entry(*v) for k, v in sorted(fallbacks.items())},
        "universe": sorted(universe),
        "scenarios": scenarios,
    }
    with open(OUT, "w") as f:
        f.write("{\n")
        head = [k for k in data if k != "scenarios"]
        for k in head:
            f.write(" %s: %s,\n" % (json.dumps(k), json.dumps(data[k])))
        f.write(' "scenarios": [\n')
        f.write(",\n".join("  " + json.dumps(s) for s in scenarios))
        f.write("\n ]\n}\n")
    json.load(open(OUT))  # well formed
    print("wrote %s: %d scenarios, %d keys" % (OUT, len(records), len(universe)))


if __name__ == "__main__":
    main()
