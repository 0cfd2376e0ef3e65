"""Shared by the generators in this folder: the call_function nodes of a
make_fx graph as the tests read them, and writing a reference file."""
import json
import os


def tensor_meta(v):
    return {"sizes": list(v.shape), "strides": list(v.stride()), "dtype": str(v.dtype).replace("torch.", "")}


def call_function_nodes(g):
    """Each call_function node: its FX name, its target ("aten::<name>.<overload>"
    or "getitem") and its outputs' metadata. 1.13 keeps no value on a node with
    several results; its getitem nodes have them."""
    nodes = []
    for n in g.graph.nodes:
        if n.op != "call_function":
            continue
        target = "getitem" if n.target.__name__ == "getitem" else "aten::" + str(n.target.name()).split("::")[-1]
        val = n.meta.get("val", n.meta.get("tensor_meta"))
        vals = [] if val is None else val if isinstance(val, (list, tuple)) else [val]
        nodes.append({"name": n.name, "target": target, "outputs": [tensor_meta(v) for v in vals if hasattr(v, "stride")]})
    return nodes


def write_reference(name, out):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    return path
