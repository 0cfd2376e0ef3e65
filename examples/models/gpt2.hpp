// examples/models/gpt2.hpp — GPT-2 (Radford et al. 2019; Hugging Face's
// GPT2LMHeadModel): learned positions, pre-norm blocks, tanh GELU, and an LM
// head tied to the token embedding. Parameter counts equal the published ones
// (small 124,439,808; XL 1,557,611,200).
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "models/module.hpp"

namespace fake::models {

struct gpt2_config {
  std::int64_t vocab = 50257, positions = 1024, layers = 12, heads = 12, width = 768;
  static gpt2_config small() { return {}; }
  static gpt2_config medium() { return {50257, 1024, 24, 16, 1024}; }
  static gpt2_config large() { return {50257, 1024, 36, 20, 1280}; }
  static gpt2_config xl() { return {50257, 1024, 48, 25, 1600}; }
};

// One transformer block's parameters and forward.
struct gpt2_block {
  tensor_desc ln1_w, ln1_b, attn_w, attn_b, proj_w, proj_b, ln2_w, ln2_b, fc_w, fc_b, fc2_w, fc2_b;
  std::int64_t heads = 12;

  gpt2_block(parameter_list& p, const std::string& prefix, std::int64_t c, std::int64_t h)
      : ln1_w(p.parameter(prefix + "ln_1.weight", {c})),
        ln1_b(p.parameter(prefix + "ln_1.bias", {c})),
        attn_w(p.parameter(prefix + "attn.c_attn.weight", {3 * c, c})),
        attn_b(p.parameter(prefix + "attn.c_attn.bias", {3 * c})),
        proj_w(p.parameter(prefix + "attn.c_proj.weight", {c, c})),
        proj_b(p.parameter(prefix + "attn.c_proj.bias", {c})),
        ln2_w(p.parameter(prefix + "ln_2.weight", {c})),
        ln2_b(p.parameter(prefix + "ln_2.bias", {c})),
        fc_w(p.parameter(prefix + "mlp.c_fc.weight", {4 * c, c})),
        fc_b(p.parameter(prefix + "mlp.c_fc.bias", {4 * c})),
        fc2_w(p.parameter(prefix + "mlp.c_proj.weight", {c, 4 * c})),
        fc2_b(p.parameter(prefix + "mlp.c_proj.bias", {c})),
        heads(h) {}

  // x: [B, T, C]; causal: a bool [1, 1, P, P] lower-triangular mask, P >= T.
  // B and T are read as sym_int: a dynamic batch or sequence stays symbolic.
  [[nodiscard]] tensor_desc operator()(const tensor_desc& x, const tensor_desc& causal) const {
    const sym_int b = sym_size(x, 0), t = sym_size(x, 1);
    const std::int64_t c = ln1_w.size(0), d = c / heads;
    tensor_desc h = at::layer_norm(x, {c}, ln1_w, ln1_b, 1e-5);
    const auto qkv = at::split(at::linear(h, attn_w, attn_b), c, 2);
    const tensor_desc q = at::transpose(at::view(qkv[0], sym_dims{b, t, heads, d}), 1, 2);
    const tensor_desc k = at::transpose(at::view(qkv[1], sym_dims{b, t, heads, d}), 1, 2);
    const tensor_desc v = at::transpose(at::view(qkv[2], sym_dims{b, t, heads, d}), 1, 2);
    tensor_desc att = at::mul(at::matmul(q, at::transpose(k, -2, -1)), 1.0 / std::sqrt(static_cast<double>(d)));
    const tensor_desc mask = at::slice(at::slice(causal, 2, 0, t), 3, 0, t);
    att = at::masked_fill(att, at::bitwise_not(mask), -std::numeric_limits<double>::infinity());
    att = at::softmax(att, -1);
    tensor_desc y = at::matmul(att, v);
    y = at::view(at::contiguous(at::transpose(y, 1, 2)), sym_dims{b, t, c});
    tensor_desc out = at::add(x, at::linear(y, proj_w, proj_b));
    h = at::layer_norm(out, {c}, ln2_w, ln2_b, 1e-5);
    h = at::gelu(at::linear(h, fc_w, fc_b), "tanh");
    return at::add(out, at::linear(h, fc2_w, fc2_b));
  }
};

class gpt2 : public language_model {
 public:
  gpt2(gpt2_config cfg, tensor_options o) : language_model(o), cfg_(cfg) {
    wte_ = params_.parameter("transformer.wte.weight", {cfg.vocab, cfg.width});
    wpe_ = params_.parameter("transformer.wpe.weight", {cfg.positions, cfg.width});
    causal_ = params_.buffer("causal_mask", {1, 1, cfg.positions, cfg.positions}, dtype::bool_);
    blocks_.reserve(static_cast<std::size_t>(cfg.layers));
    for (std::int64_t i = 0; i < cfg.layers; ++i)
      blocks_.emplace_back(params_, "transformer.h." + std::to_string(i) + ".", cfg.width, cfg.heads);
    lnf_w_ = params_.parameter("transformer.ln_f.weight", {cfg.width});
    lnf_b_ = params_.parameter("transformer.ln_f.bias", {cfg.width});
    // lm_head.weight is transformer.wte.weight (tied): no parameter of its own.
  }

  // tokens: int64 [B, T] -> logits [B, T, vocab].
  [[nodiscard]] tensor_desc operator()(const tensor_desc& tokens) const {
    const sym_int t = sym_size(tokens, 1);
    expect<value_error, "gpt2", "sequence length {} is longer than the {} positions">(t <= cfg_.positions, hint_of(t), cfg_.positions);  // the length as a number, also when it is a symbol
    const tensor_desc pos = at::arange(t, dtype::int64, tokens.device());
    tensor_desc x = at::add(at::embedding(wte_, tokens), at::embedding(wpe_, pos));
    for (const gpt2_block& blk : blocks_) x = blk(x, causal_);
    x = at::layer_norm(x, {cfg_.width}, lnf_w_, lnf_b_, 1e-5);
    return at::linear(x, wte_);
  }

  [[nodiscard]] const gpt2_config& config() const noexcept { return cfg_; }
  [[nodiscard]] const std::vector<gpt2_block>& blocks() const noexcept { return blocks_; }
  [[nodiscard]] const tensor_desc& causal_mask() const noexcept { return causal_; }

 private:
  gpt2_config cfg_;
  tensor_desc wte_, wpe_, causal_, lnf_w_, lnf_b_;
  std::vector<gpt2_block> blocks_;
};

}  // namespace fake::models
