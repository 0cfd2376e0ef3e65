#!/usr/bin/env python3
"""Writes gpt2_block.json: the op sequence and output metadata of one GPT-2
block traced by PyTorch's make_fx(tracing_mode="fake"), the reference that
tests/runtime/models_test.cpp checks faketensor's trace of
examples/models/gpt2.hpp's gpt2_block against.

Run with Debian's PyTorch 1.13: /usr/bin/python3 gen_gpt2_block.py
The block is written the way gpt2_block is (F.layer_norm, F.linear, split,
matmul, a bool causal mask buffer narrowed to the sequence, masked_fill,
softmax, tanh GELU); parameters and the mask are inputs here and get_attr
nodes there, so only call_function nodes are compared.
"""
import math

import torch
import torch.nn.functional as F
from torch.fx.experimental.proxy_tensor import make_fx

from make_fx_nodes import call_function_nodes, write_reference

B, T, C, H, P = 2, 16, 768, 12, 1024


def block(x, causal, ln1_w, ln1_b, attn_w, attn_b, proj_w, proj_b, ln2_w, ln2_b, fc_w, fc_b, fc2_w, fc2_b):
    b, t, c = x.shape
    d = c // H
    h = F.layer_norm(x, (c,), ln1_w, ln1_b, 1e-5)
    q, k, v = F.linear(h, attn_w, attn_b).split(c, dim=2)
    q = q.view(b, t, H, d).transpose(1, 2)
    k = k.view(b, t, H, d).transpose(1, 2)
    v = v.view(b, t, H, d).transpose(1, 2)
    att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d))
    mask = causal.narrow(2, 0, t).narrow(3, 0, t)
    att = att.masked_fill(~mask, float("-inf"))
    att = F.softmax(att, dim=-1)
    y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
    out = x + F.linear(y, proj_w, proj_b)
    h = F.layer_norm(out, (c,), ln2_w, ln2_b, 1e-5)
    h = F.gelu(F.linear(h, fc_w, fc_b), approximate="tanh")
    return out + F.linear(h, fc2_w, fc2_b)


def main():
    args = [torch.randn(B, T, C), torch.ones(1, 1, P, P, dtype=torch.bool).tril(),
            torch.randn(C), torch.randn(C), torch.randn(3 * C, C), torch.randn(3 * C),
            torch.randn(C, C), torch.randn(C), torch.randn(C), torch.randn(C),
            torch.randn(4 * C, C), torch.randn(4 * C), torch.randn(C, 4 * C), torch.randn(C)]
    nodes = call_function_nodes(make_fx(block, tracing_mode="fake")(*args))
    path = write_reference("gpt2_block.json", {"generator": "gen_gpt2_block.py", "torch": torch.__version__,
                                               "config": {"batch": B, "seq": T, "width": C, "heads": H, "positions": P},
                                               "nodes": nodes})
    print(f"wrote {len(nodes)} call_function nodes to {path}")


if __name__ == "__main__":
    main()
