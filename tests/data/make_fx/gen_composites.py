#!/usr/bin/env python3
"""Writes composites.json: for each CompositeImplicitAutograd op of ATen 1.13
that faketensor decomposes (Note [composites decompose] in
include/faketensor/dispatch/composite.hpp), the ops PyTorch's make_fx records
when the op is called by name, with their names and output metadata. The test
"composite ops decompose as make_fx records them" in
tests/runtime/trace_test.cpp calls each op by name under fake::trace::graph
and compares.

Run with Debian's PyTorch 1.13: /usr/bin/python3 gen_composites.py

Each case: the op's qualified name, its tensor inputs (sizes, strides, dtype;
{"input": i} in the arguments), its other arguments as JSON values (a float
always has a fraction or exponent, so it stays a float), and the nodes. Cases
that 1.13's fake mode cannot trace for reasons of its own (a real constant
tensor made inside the composite), or where its meta kernel differs from the
cpu kernel that faketensor follows, are traced with tracing_mode="real", which
records the same ops; they are marked "mode": "real".
"""
import torch
from torch.fx.experimental.proxy_tensor import make_fx

from make_fx_nodes import call_function_nodes, tensor_meta, write_reference


def t(*sizes, dtype=torch.float32, transpose=None, channels_last=False):
    x = torch.randn(*sizes).to(dtype) if dtype.is_floating_point else torch.randint(0, 3, sizes, dtype=dtype)
    if transpose is not None:
        x = x.transpose(*transpose).contiguous().transpose(*transpose)  # same sizes, transposed strides
    if channels_last:
        x = x.contiguous(memory_format=torch.channels_last)
    return x


def targets(n):
    return torch.randint(0, 10, n)


I = lambda i: {"input": i}  # noqa: E731

# (name, op, tensor inputs, args, kwargs, mode)
CASES = [
    # group_norm: contiguous(memory_format) of the input, native_group_norm
    ("group_norm", "aten::group_norm", [t(2, 6, 5, 5), t(6), t(6)], [I(0), 3, I(1), I(2), 1e-5, True], {}, "fake"),
    ("group_norm_no_affine", "aten::group_norm", [t(2, 6, 5, 5)], [I(0), 2], {}, "fake"),
    ("group_norm_transposed", "aten::group_norm", [t(2, 6, 5, 4, transpose=(2, 3)), t(6), t(6)], [I(0), 3, I(1), I(2)], {}, "fake"),
    ("group_norm_3d", "aten::group_norm", [t(4, 6, 7)], [I(0), 3], {}, "fake"),
    # conv_transpose: convolution(transposed=True), unbatched inputs unsqueezed
    ("conv_transpose2d", "aten::conv_transpose2d.input", [t(2, 6, 5, 5), t(6, 4, 3, 3), t(4)], [I(0), I(1), I(2), [2, 2], [1, 1], [1, 1]], {}, "fake"),
    ("conv_transpose1d_unbatched", "aten::conv_transpose1d", [t(6, 5), t(6, 4, 3)], [I(0), I(1), None, [2], [0], [1]], {}, "fake"),
    ("conv_transpose3d_groups", "aten::conv_transpose3d.input", [t(1, 4, 3, 3, 3), t(4, 2, 2, 2, 2)], [I(0), I(1), None, [1, 1, 1], [0, 0, 0], [0, 0, 0], 2], {}, "fake"),
    # conv with a padding string: _convolution_mode
    ("conv2d_same", "aten::conv2d.padding", [t(2, 6, 5, 5), t(4, 6, 3, 3)], [I(0), I(1), None, [1, 1], "same"], {}, "fake"),
    ("conv2d_same_even_kernel", "aten::conv2d.padding", [t(2, 6, 5, 5), t(4, 6, 2, 2), t(4)], [I(0), I(1), I(2), [1, 1], "same"], {}, "fake"),
    ("conv2d_valid", "aten::conv2d.padding", [t(2, 6, 5, 5), t(4, 6, 3, 3)], [I(0), I(1), None, [1, 1], "valid"], {}, "fake"),
    ("conv1d_same_unbatched_dilated", "aten::conv1d.padding", [t(6, 9), t(4, 6, 2)], [I(0), I(1), None, [1], "same", [3]], {}, "fake"),
    ("conv3d_same_even", "aten::conv3d.padding", [t(1, 2, 4, 4, 4), t(2, 2, 2, 3, 4)], [I(0), I(1), None, [1, 1, 1], "same"], {}, "fake"),
    # losses
    ("nll_loss", "aten::nll_loss", [t(4, 10, dtype=torch.float32), targets((4,))], [I(0), I(1)], {}, "fake"),
    ("nll_loss_1d", "aten::nll_loss", [t(10), targets(())], [I(0), I(1), None, 0], {}, "fake"),
    ("nll_loss2d", "aten::nll_loss2d", [t(2, 10, 3, 3), targets((2, 3, 3))], [I(0), I(1), None, 0], {}, "fake"),
    ("nll_loss_nd_3d_none", "aten::nll_loss_nd", [t(2, 10, 3), targets((2, 3))], [I(0), I(1), None, 0], {}, "fake"),
    ("nll_loss_nd_3d_mean", "aten::nll_loss_nd", [t(2, 10, 3), targets((2, 3))], [I(0), I(1)], {}, "fake"),
    ("nll_loss_nd_5d_none", "aten::nll_loss_nd", [t(2, 10, 3, 2, 2), targets((2, 3, 2, 2))], [I(0), I(1), None, 0], {}, "fake"),
    ("cross_entropy", "aten::cross_entropy_loss", [t(4, 10), targets((4,))], [I(0), I(1)], {}, "fake"),
    ("cross_entropy_weight_sum", "aten::cross_entropy_loss", [t(4, 10), targets((4,)), t(10)], [I(0), I(1), I(2), 2], {}, "fake"),
    ("cross_entropy_4d", "aten::cross_entropy_loss", [t(2, 10, 3, 3), targets((2, 3, 3))], [I(0), I(1)], {}, "fake"),
    ("cross_entropy_5d_none", "aten::cross_entropy_loss", [t(2, 10, 3, 3, 2), targets((2, 3, 3, 2))], [I(0), I(1), None, 0], {}, "fake"),
    ("cross_entropy_1d", "aten::cross_entropy_loss", [t(10), targets(())], [I(0), I(1)], {}, "fake"),
    ("cross_entropy_probs", "aten::cross_entropy_loss", [t(4, 10), t(4, 10)], [I(0), I(1)], {}, "fake"),
    ("cross_entropy_probs_weight_smoothing_none", "aten::cross_entropy_loss", [t(4, 10, 3), t(4, 10, 3), t(10)], [I(0), I(1), I(2), 0, -100, 0.2], {}, "fake"),
    ("cross_entropy_probs_sum", "aten::cross_entropy_loss", [t(4, 10), t(4, 10)], [I(0), I(1), None, 2], {}, "fake"),
    ("cross_entropy_smoothing_sum", "aten::cross_entropy_loss", [t(4, 10), targets((4,))], [I(0), I(1), None, 2, -100, 0.1], {}, "real"),
    ("cross_entropy_smoothing_weight_none", "aten::cross_entropy_loss", [t(4, 10, 2), targets((4, 2)), t(10)], [I(0), I(1), I(2), 0, -100, 0.1], {}, "real"),
    # linear algebra and sorting
    ("outer", "aten::outer", [t(3), t(4)], [I(0), I(1)], {}, "fake"),
    ("argsort_descending", "aten::argsort", [t(3, 4)], [I(0), 0, True], {}, "fake"),
    ("matmul_3d_2d", "aten::matmul", [t(2, 3, 4), t(4, 5)], [I(0), I(1)], {}, "fake"),
    ("matmul_1d_3d", "aten::matmul", [t(4), t(2, 4, 5)], [I(0), I(1)], {}, "fake"),
    ("matmul_batched_broadcast", "aten::matmul", [t(2, 1, 3, 4), t(5, 4, 2)], [I(0), I(1)], {}, "fake"),
    ("linear_3d_bias", "aten::linear", [t(2, 3, 4), t(5, 4), t(5)], [I(0), I(1), I(2)], {}, "fake"),
    ("linear_transposed_input", "aten::linear", [t(3, 2, 4, transpose=(0, 1)), t(5, 4), t(5)], [I(0), I(1), I(2)], {}, "fake"),
    # nn composites already decomposed
    ("layer_norm", "aten::layer_norm", [t(2, 3, 8), t(8), t(8)], [I(0), [8], I(1), I(2)], {}, "fake"),
    ("softmax_dtype", "aten::softmax.int", [t(2, 3, dtype=torch.float16)], [I(0), 1, torch.float32], {}, "fake"),
    ("log_softmax", "aten::log_softmax.int", [t(2, 3)], [I(0), 0], {}, "fake"),
    # on cpu in evaluation, 1.13's meta kernel gives [C] saved statistics where
    # the cpu kernel gives empty ones; faketensor follows the cpu kernel
    # (native_batch_norm_meta in ops/norm.hpp), which the real-mode trace records
    ("batch_norm_eval", "aten::batch_norm", [t(2, 3, 4, 4), t(3), t(3), t(3), t(3)], [I(0), I(1), I(2), I(3), I(4), False, 0.1, 1e-5, True], {}, "real"),
    ("max_pool2d", "aten::max_pool2d", [t(2, 3, 8, 8)], [I(0), [2, 2], [2, 2]], {}, "fake"),
    ("adaptive_avg_pool2d_1x1", "aten::adaptive_avg_pool2d", [t(2, 3, 8, 8)], [I(0), [1, 1]], {}, "fake"),
    ("adaptive_avg_pool2d_2x3", "aten::adaptive_avg_pool2d", [t(2, 3, 8, 8)], [I(0), [2, 3]], {}, "fake"),
    ("conv2d_unbatched", "aten::conv2d", [t(3, 8, 8), t(4, 3, 3, 3), t(4)], [I(0), I(1), I(2), [2, 2], [1, 1]], {}, "fake"),
    ("reshape_copy", "aten::reshape", [t(3, 4, transpose=(0, 1))], [I(0), [12]], {}, "fake"),
    ("flatten", "aten::flatten.using_ints", [t(2, 3, 4)], [I(0), 1], {}, "fake"),
    ("contiguous_channels_last", "aten::contiguous", [t(2, 3, 4, 4)], [I(0)], {"memory_format": torch.channels_last}, "fake"),
    ("to_dtype", "aten::to.dtype", [t(2, 3)], [I(0), torch.float16], {}, "fake"),
]

DTYPES = {torch.float16: "float16", torch.float32: "float32", torch.float64: "float64", torch.bfloat16: "bfloat16"}
FORMATS = {torch.channels_last: "channels_last", torch.contiguous_format: "contiguous_format"}


def encode(v):
    if isinstance(v, torch.dtype):
        return {"dtype": DTYPES[v]}
    if isinstance(v, torch.memory_format):
        return {"memory_format": FORMATS[v]}
    return v


def call_target(op):
    ns, rest = op.split("::")
    name, _, overload = rest.partition(".")
    return getattr(getattr(getattr(torch.ops, ns), name), overload or "default")


def decode(v, xs):
    if isinstance(v, dict) and "input" in v:
        return xs[v["input"]]
    if isinstance(v, dict) and "dtype" in v:
        return next(k for k, s in DTYPES.items() if s == v["dtype"])
    if isinstance(v, dict) and "memory_format" in v:
        return next(k for k, s in FORMATS.items() if s == v["memory_format"])
    return v


def main():
    cases = []
    for name, op, inputs, args, kwargs, mode in CASES:
        target = call_target(op)
        enc_args = [encode(a) for a in args]
        enc_kwargs = {k: encode(v) for k, v in kwargs.items()}

        def fn(*xs):
            return target(*[decode(a, xs) for a in enc_args], **{k: decode(v, xs) for k, v in enc_kwargs.items()})

        nodes = call_function_nodes(make_fx(fn, tracing_mode=mode)(*inputs))
        cases.append({"name": name, "op": op, "mode": mode, "inputs": [tensor_meta(x) for x in inputs], "args": enc_args,
                      "kwargs": enc_kwargs, "nodes": nodes})
    path = write_reference("composites.json", {"generator": "gen_composites.py", "torch": torch.__version__, "cases": cases})
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
