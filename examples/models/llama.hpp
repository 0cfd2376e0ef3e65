// examples/models/llama.hpp — a Llama-style decoder (Touvron et al. 2023;
// Hugging Face's LlamaForCausalLM): RMSNorm, rotary position embeddings,
// SwiGLU MLP, grouped-query attention (kv_heads < heads repeats k and v), no
// biases, an untied LM head. llama2_7b() has 6,738,415,616 parameters.
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "models/module.hpp"

namespace fake::models {

struct llama_config {
  std::int64_t vocab = 32000, positions = 4096, layers = 32, heads = 32, kv_heads = 32, width = 4096, hidden = 11008;
  double eps = 1e-5;
  static llama_config llama2_7b() { return {}; }
};

// Hugging Face's LlamaRMSNorm: in float32, then back to the input dtype.
inline tensor_desc rms_norm(const tensor_desc& x, const tensor_desc& weight, double eps) {
  const fake::dtype in = x.dtype();
  tensor_desc h = at::to(x, dtype::float32);
  const tensor_desc variance = at::mean(at::pow(h, 2), {-1}, true);
  h = at::mul(h, at::rsqrt(at::add(variance, eps)));
  return at::mul(weight, at::to(h, in));
}

// x[..., d/2:] negated, then x[..., :d/2].
inline tensor_desc rotate_half(const tensor_desc& x) {
  const std::int64_t half = x.size(-1) / 2;
  const tensor_desc x1 = at::slice(x, -1, 0, half);
  const tensor_desc x2 = at::slice(x, -1, half, std::numeric_limits<std::int64_t>::max());
  return at::cat({at::neg(x2), x1}, -1);
}

struct llama_layer {
  tensor_desc attn_norm, wq, wk, wv, wo, mlp_norm, w_gate, w_up, w_down;
  std::int64_t heads, kv_heads;
  double eps;

  llama_layer(parameter_list& p, const std::string& prefix, const llama_config& c)
      : attn_norm(p.parameter(prefix + "input_layernorm.weight", {c.width})),
        wq(p.parameter(prefix + "self_attn.q_proj.weight", {c.width, c.width})),
        wk(p.parameter(prefix + "self_attn.k_proj.weight", {c.kv_heads * (c.width / c.heads), c.width})),
        wv(p.parameter(prefix + "self_attn.v_proj.weight", {c.kv_heads * (c.width / c.heads), c.width})),
        wo(p.parameter(prefix + "self_attn.o_proj.weight", {c.width, c.width})),
        mlp_norm(p.parameter(prefix + "post_attention_layernorm.weight", {c.width})),
        w_gate(p.parameter(prefix + "mlp.gate_proj.weight", {c.hidden, c.width})),
        w_up(p.parameter(prefix + "mlp.up_proj.weight", {c.hidden, c.width})),
        w_down(p.parameter(prefix + "mlp.down_proj.weight", {c.width, c.hidden})),
        heads(c.heads),
        kv_heads(c.kv_heads),
        eps(c.eps) {}

  // k or v [B, kv_heads, T, D] repeated to [B, heads, T, D] (repeat_kv).
  [[nodiscard]] tensor_desc repeat_kv(const tensor_desc& x) const {
    if (kv_heads == heads) return x;
    const sym_int b = sym_size(x, 0), t = sym_size(x, 2);
    const std::int64_t d = x.size(3), rep = heads / kv_heads;
    return at::reshape(at::expand(at::unsqueeze(x, 2), sym_dims{b, kv_heads, rep, t, d}), sym_dims{b, heads, t, d});
  }

  // x [B, T, C]; cos, sin [T, D]; causal bool [1, 1, P, P].
  [[nodiscard]] tensor_desc operator()(const tensor_desc& x, const tensor_desc& cos, const tensor_desc& sin,
                                       const tensor_desc& causal) const {
    const sym_int b = sym_size(x, 0), t = sym_size(x, 1);
    const std::int64_t c = attn_norm.size(0), d = c / heads;
    const tensor_desc h = rms_norm(x, attn_norm, eps);
    tensor_desc q = at::transpose(at::view(at::linear(h, wq), sym_dims{b, t, heads, d}), 1, 2);
    tensor_desc k = at::transpose(at::view(at::linear(h, wk), sym_dims{b, t, kv_heads, d}), 1, 2);
    tensor_desc v = at::transpose(at::view(at::linear(h, wv), sym_dims{b, t, kv_heads, d}), 1, 2);
    q = at::add(at::mul(q, cos), at::mul(rotate_half(q), sin));
    k = at::add(at::mul(k, cos), at::mul(rotate_half(k), sin));
    k = repeat_kv(k);
    v = repeat_kv(v);
    tensor_desc att = at::mul(at::matmul(q, at::transpose(k, 2, 3)), 1.0 / std::sqrt(static_cast<double>(d)));
    const tensor_desc mask = at::slice(at::slice(causal, 2, 0, t), 3, 0, t);
    att = at::masked_fill(att, at::bitwise_not(mask), -std::numeric_limits<double>::infinity());
    att = at::to(at::softmax(att, -1, dtype::float32), q.dtype());
    tensor_desc y = at::reshape(at::transpose(at::matmul(att, v), 1, 2), sym_dims{b, t, c});
    const tensor_desc out = at::add(x, at::linear(y, wo));
    const tensor_desc m = rms_norm(out, mlp_norm, eps);
    return at::add(out, at::linear(at::mul(at::silu(at::linear(m, w_gate)), at::linear(m, w_up)), w_down));
  }
};

class llama : public language_model {
 public:
  llama(llama_config cfg, tensor_options o) : language_model(o), cfg_(cfg) {
    embed_ = params_.parameter("model.embed_tokens.weight", {cfg.vocab, cfg.width});
    const std::int64_t d = cfg.width / cfg.heads;
    cos_ = params_.buffer("rotary.cos_cached", {cfg.positions, d}, o.dtype);
    sin_ = params_.buffer("rotary.sin_cached", {cfg.positions, d}, o.dtype);
    causal_ = params_.buffer("causal_mask", {1, 1, cfg.positions, cfg.positions}, dtype::bool_);
    layers_.reserve(static_cast<std::size_t>(cfg.layers));
    for (std::int64_t i = 0; i < cfg.layers; ++i) layers_.emplace_back(params_, "model.layers." + std::to_string(i) + ".", cfg);
    norm_ = params_.parameter("model.norm.weight", {cfg.width});
    lm_head_ = params_.parameter("lm_head.weight", {cfg.vocab, cfg.width});
  }

  // tokens: int64 [B, T] -> logits [B, T, vocab].
  [[nodiscard]] tensor_desc operator()(const tensor_desc& tokens) const {
    const sym_int t = sym_size(tokens, 1);
    expect<value_error, "llama", "sequence length {} is longer than the {} positions">(t <= cfg_.positions, hint_of(t), cfg_.positions);  // the length as a number, also when it is a symbol
    tensor_desc x = at::embedding(embed_, tokens);
    const tensor_desc cos = at::slice(cos_, 0, 0, t);
    const tensor_desc sin = at::slice(sin_, 0, 0, t);
    for (const llama_layer& layer : layers_) x = layer(x, cos, sin, causal_);
    return at::linear(rms_norm(x, norm_, cfg_.eps), lm_head_);
  }

  [[nodiscard]] const llama_config& config() const noexcept { return cfg_; }

 private:
  llama_config cfg_;
  tensor_desc embed_, cos_, sin_, causal_, norm_, lm_head_;
  std::vector<llama_layer> layers_;
};

}  // namespace fake::models
