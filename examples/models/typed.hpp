// examples/models/typed.hpp — example models written on typed fake::tensor:
// an MLP, ResNet-50, a GPT-2 block and a Llama-style decoder. With static shapes the compiler computes every
// intermediate type and a wrong width is a compile error; with a dynamic
// batch or sequence (fake::shape<fake::dyn, fake::dyn, 768>) the same code runs
// the same kernels at run time. Parameters are typed tensors too: with static
// shapes they are empty types.
//
//   using block = fake::models::typed_gpt2_block<fake::bf16, fake::cuda<0>, 768, 12>;
//   constexpr fake::tensor<fake::bf16, fake::shape<8, 1024, 768>, fake::cuda<0>> x;
//   constexpr fake::tensor<fake::b8, fake::shape<1, 1, 1024, 1024>, fake::cuda<0>> mask;
//   constexpr auto y = block{}(x, mask);  // type: tensor<bf16, shape<8, 1024, 768>, cuda<0>, ...>
//
// ResNet-50, the GPT-2 block and the Llama decoder are the tensor_desc ones of
// models/resnet.hpp, models/gpt2.hpp and models/llama.hpp, op for op (ResNet's in-place relu_ and add_ are
// out-of-place here: a typed tensor has no storage to write, and their
// results have the same metadata); only
// the headers of the typed ops are included (this file is the compile-time
// benchmark's subject: bench/README.md).
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int64_t
#include <limits>   // std::numeric_limits
#include <tuple>    // std::tuple, std::get
#include <type_traits>  // std::is_same_v
#include <utility>  // std::index_sequence

#include "faketensor/core/config.hpp"          // FAKE_NO_UNIQUE_ADDRESS

#include "faketensor/ops/typed_linalg.hpp"     // fake::linear, fake::matmul
#include "faketensor/ops/typed_nn.hpp"         // fake::layer_norm, fake::softmax
#include "faketensor/ops/typed_pointwise.hpp"  // fake::add, fake::mul, fake::gelu, fake::masked_fill, fake::contiguous
#include "faketensor/ops/typed_reduction.hpp"  // fake::mean
#include "faketensor/ops/typed_shape_index.hpp" // fake::cat
#include "faketensor/view/typed_ops.hpp"       // fake::view, fake::transpose, fake::narrow, fake::slice

namespace fake::models {

namespace detail {
// sqrt for the attention scale, usable in constant evaluation (std::sqrt is
// not constexpr in C++20): Newton's iteration to a fixed point.
constexpr double constexpr_sqrt(double v) {
  if (v <= 0) return 0;
  double x = v > 1 ? v : 1;
  for (int i = 0; i < 100; ++i) {
    const double next = 0.5 * (x + v / x);
    if (next == x) break;
    x = next;
  }
  return x;
}
}  // namespace detail

// Linear + ReLU layers of widths W0 -> W1 -> ... -> Wn (no ReLU after the last).
template <auto DType, auto Dev, std::int64_t... Widths>
class typed_mlp {
  static_assert(sizeof...(Widths) >= 2, "typed_mlp: at least an input and an output width");
  static constexpr std::array<std::int64_t, sizeof...(Widths)> widths{Widths...};
  template <std::size_t I>
  using weight = tensor<DType, shape<widths[I + 1], widths[I]>, Dev>;
  template <std::size_t I>
  using bias = tensor<DType, shape<widths[I + 1]>, Dev>;

  template <std::size_t I, class X>
  constexpr auto layer(const X& x) const {
    const auto y = linear(x, std::get<I>(weights_), std::get<I>(biases_));
    if constexpr (I + 2 == sizeof...(Widths)) return y;
    else return layer<I + 1>(relu(y));
  }

  template <std::size_t... I>
  static auto weights_type(std::index_sequence<I...>) -> std::tuple<weight<I>...>;
  template <std::size_t... I>
  static auto biases_type(std::index_sequence<I...>) -> std::tuple<bias<I>...>;
  using layers = std::make_index_sequence<sizeof...(Widths) - 1>;

 public:
  // x: [..., W0] -> [..., Wn]
  template <class X>
  constexpr auto operator()(const X& x) const {
    return layer<0>(x);
  }

 private:
  FAKE_NO_UNIQUE_ADDRESS decltype(weights_type(layers{})) weights_{};
  FAKE_NO_UNIQUE_ADDRESS decltype(biases_type(layers{})) biases_{};
};

// ResNet-50 (torchvision v1.5, evaluation): the bottleneck blocks' parameters
// are empty typed tensors, so the blocks are made where they are used.
template <auto DType, auto Dev, std::int64_t C>
struct typed_batch_norm2d {
  FAKE_NO_UNIQUE_ADDRESS tensor<DType, shape<C>, Dev> weight{}, bias{}, running_mean{}, running_var{};
  template <class X>
  constexpr auto operator()(const X& x) const {
    return batch_norm(x, weight, bias, running_mean, running_var);
  }
};

template <auto DType, auto Dev, std::int64_t In, std::int64_t Width, std::int64_t Stride>
struct typed_bottleneck {
  static constexpr bool downsample = Stride != 1 || In != Width * 4;
  template <std::int64_t... E>
  using param = tensor<DType, shape<E...>, Dev>;
  template <std::int64_t Ch>
  using bn = typed_batch_norm2d<DType, Dev, Ch>;

  template <class X>
  constexpr auto operator()(const X& x) const {
    const auto out1 = relu(bn<Width>{}(conv2d(x, param<Width, In, 1, 1>{})));
    const auto out2 = relu(bn<Width>{}(conv2d(out1, param<Width, Width, 3, 3>{}, strides<Stride>{}, strides<1>{})));
    const auto out3 = bn<Width * 4>{}(conv2d(out2, param<Width * 4, Width, 1, 1>{}));
    if constexpr (downsample) return relu(add(out3, bn<Width * 4>{}(conv2d(x, param<Width * 4, In, 1, 1>{}, strides<Stride>{}))));
    else return relu(add(out3, x));
  }
};

template <auto DType, auto Dev, std::int64_t Classes = 1000>
class typed_resnet50 {
  // Blocks N.. of a stage of width W: the first takes In channels and strides.
  template <std::int64_t In, std::int64_t Width, std::int64_t Stride, int Blocks, class X>
  static constexpr auto stage(const X& x) {
    const auto y = typed_bottleneck<DType, Dev, In, Width, Stride>{}(x);
    if constexpr (Blocks == 1) return y;
    else return stage<Width * 4, Width, 1, Blocks - 1>(y);
  }

 public:
  // images [B, 3, H, W] -> logits [B, Classes].
  template <class X>
  constexpr auto operator()(const X& images) const {
    const auto stem = relu(typed_batch_norm2d<DType, Dev, 64>{}(
        conv2d(images, tensor<DType, shape<64, 3, 7, 7>, Dev>{}, strides<2>{}, strides<3>{})));
    const auto pooled = max_pool2d(stem, strides<3>{}, strides<2>{}, strides<1>{});
    const auto x1 = stage<64, 64, 1, 3>(pooled);
    const auto x2 = stage<256, 128, 2, 4>(x1);
    const auto x3 = stage<512, 256, 2, 6>(x2);
    const auto x4 = stage<1024, 512, 2, 3>(x3);
    const auto features = flatten(adaptive_avg_pool2d(x4, strides<1, 1>{}), c<1>{});
    return linear(features, tensor<DType, shape<Classes, 2048>, Dev>{}, tensor<DType, shape<Classes>, Dev>{});
  }
};

// One GPT-2 block (pre-norm attention + tanh-GELU MLP) of width C and H heads.
template <auto DType, auto Dev, std::int64_t C, std::int64_t H>
struct typed_gpt2_block {
  static_assert(C % H == 0, "typed_gpt2_block: the width must divide into the heads");
  static constexpr std::int64_t head_dim = C / H;

  template <std::int64_t... E>
  using param = tensor<DType, shape<E...>, Dev>;
  FAKE_NO_UNIQUE_ADDRESS param<C> ln1_w{}, ln1_b{};
  FAKE_NO_UNIQUE_ADDRESS param<3 * C, C> attn_w{};
  FAKE_NO_UNIQUE_ADDRESS param<3 * C> attn_b{};
  FAKE_NO_UNIQUE_ADDRESS param<C, C> proj_w{};
  FAKE_NO_UNIQUE_ADDRESS param<C> proj_b{}, ln2_w{}, ln2_b{};
  FAKE_NO_UNIQUE_ADDRESS param<4 * C, C> fc_w{};
  FAKE_NO_UNIQUE_ADDRESS param<4 * C> fc_b{};
  FAKE_NO_UNIQUE_ADDRESS param<C, 4 * C> fc2_w{};
  FAKE_NO_UNIQUE_ADDRESS param<C> fc2_b{};

  // x: [B, T, C]; causal: a bool [1, 1, P, P] lower-triangular mask, P >= T.
  template <class X, class Mask>
  constexpr auto operator()(const X& x, const Mask& causal) const {
    const auto b = x.sizes()[c<0>{}];
    const auto t = x.sizes()[c<1>{}];
    const auto h = layer_norm(x, strides<C>{}, ln1_w, ln1_b);
    const auto qkv = linear(h, attn_w, attn_b);
    // qkv.split(C, dim=2), one narrow per part; each part to [B, H, T, D]
    const auto heads = [&](auto start) {
      return transpose(view(narrow(qkv, c<2>{}, start, c<C>{}), make_strides(b, t, c<H>{}, c<head_dim>{})), c<1>{}, c<2>{});
    };
    const auto q = heads(c<0>{}), k = heads(c<C>{}), v = heads(c<2 * C>{});
    constexpr double scale = 1.0 / detail::constexpr_sqrt(static_cast<double>(head_dim));
    const auto scores = mul(matmul(q, transpose(k, c<-2>{}, c<-1>{})), scale);
    const auto mask = slice(slice(causal, c<2>{}, c<0>{}, t), c<3>{}, c<0>{}, t);
    const auto att = softmax(masked_fill(scores, bitwise_not(mask), -std::numeric_limits<double>::infinity()), c<-1>{});
    const auto y = view(contiguous(transpose(matmul(att, v), c<1>{}, c<2>{})), make_strides(b, t, c<C>{}));
    const auto out = add(x, linear(y, proj_w, proj_b));
    const auto m = gelu<"tanh">(linear(layer_norm(out, strides<C>{}, ln2_w, ln2_b), fc_w, fc_b));
    return add(out, linear(m, fc2_w, fc2_b));
  }
};

// A Llama-style decoder: RMSNorm, rotary embeddings, SwiGLU, grouped-query
// attention (KvHeads < Heads repeats k and v), an untied LM head.
template <auto DType, auto Dev, std::int64_t C, std::int64_t Heads, std::int64_t KvHeads, std::int64_t Hidden>
struct typed_llama_layer {
  static_assert(C % Heads == 0 && Heads % KvHeads == 0, "typed_llama_layer: heads must divide the width, kv heads the heads");
  static constexpr std::int64_t head_dim = C / Heads;
  template <std::int64_t... E>
  using param = tensor<DType, shape<E...>, Dev>;

  // Hugging Face's LlamaRMSNorm: in float32, then back to the input dtype.
  template <class X, class W>
  static constexpr auto rms_norm(const X& x, const W& weight) {
    const auto h = to(x, f32);
    const auto variance = mean(pow(h, 2), strides<-1>{}, bool_c<true>{});
    return mul(weight, to(mul(h, rsqrt(add(variance, 1e-5))), X::dtype()));
  }
  // x[..., D/2:] negated, then x[..., :D/2].
  template <class X>
  static constexpr auto rotate_half(const X& x) {
    constexpr std::int64_t half = head_dim / 2;
    return cat(c<-1>{}, neg(slice(x, c<-1>{}, c<half>{}, c<std::numeric_limits<std::int64_t>::max()>{})),
               slice(x, c<-1>{}, c<0>{}, c<half>{}));
  }
  // k or v [B, KvHeads, T, D] repeated to [B, Heads, T, D] (repeat_kv).
  template <class X>
  static constexpr auto repeat_kv(const X& x) {
    if constexpr (KvHeads == Heads) {
      return x;
    } else {
      const auto b = x.sizes()[c<0>{}];
      const auto t = x.sizes()[c<2>{}];
      return reshape(expand(unsqueeze(x, c<2>{}), make_strides(b, c<KvHeads>{}, c<Heads / KvHeads>{}, t, c<head_dim>{})),
                     make_strides(b, c<Heads>{}, t, c<head_dim>{}));
    }
  }

  // x [B, T, C]; cos, sin [T, D]; causal bool [1, 1, P, P].
  template <class X, class R, class M>
  constexpr auto operator()(const X& x, const R& cos, const R& sin, const M& causal) const {
    const auto b = x.sizes()[c<0>{}];
    const auto t = x.sizes()[c<1>{}];
    const auto h = rms_norm(x, param<C>{});
    const auto heads = [&](const auto& projected, auto n) {
      return transpose(view(projected, make_strides(b, t, n, c<head_dim>{})), c<1>{}, c<2>{});
    };
    const auto q0 = heads(linear(h, param<C, C>{}), c<Heads>{});
    const auto k0 = heads(linear(h, param<KvHeads * head_dim, C>{}), c<KvHeads>{});
    const auto v = repeat_kv(heads(linear(h, param<KvHeads * head_dim, C>{}), c<KvHeads>{}));
    const auto q = add(mul(q0, cos), mul(rotate_half(q0), sin));
    const auto k = repeat_kv(add(mul(k0, cos), mul(rotate_half(k0), sin)));
    constexpr double scale = 1.0 / detail::constexpr_sqrt(static_cast<double>(head_dim));
    const auto scores = mul(matmul(q, transpose(k, c<2>{}, c<3>{})), scale);
    const auto mask = slice(slice(causal, c<2>{}, c<0>{}, t), c<3>{}, c<0>{}, t);
    const auto att = to(softmax(masked_fill(scores, bitwise_not(mask), -std::numeric_limits<double>::infinity()), c<-1>{}, f32),
                        q.dtype());
    const auto y = reshape(transpose(matmul(att, v), c<1>{}, c<2>{}), make_strides(b, t, c<C>{}));
    const auto out = add(x, linear(y, param<C, C>{}));
    const auto m = rms_norm(out, param<C>{});
    return add(out, linear(mul(silu(linear(m, param<Hidden, C>{})), linear(m, param<Hidden, C>{})), param<C, Hidden>{}));
  }
};

template <auto DType, auto Dev, std::int64_t Vocab, std::int64_t Positions, int Layers, std::int64_t C, std::int64_t Heads,
          std::int64_t KvHeads, std::int64_t Hidden>
class typed_llama {
  using layer = typed_llama_layer<DType, Dev, C, Heads, KvHeads, Hidden>;
  template <int N, class X, class R, class M>
  static constexpr auto layers(const X& x, const R& cos, const R& sin, const M& causal) {
    if constexpr (N == 0) return x;
    else return layers<N - 1>(layer{}(x, cos, sin, causal), cos, sin, causal);
  }

 public:
  // tokens: int64 [B, T] -> logits [B, T, Vocab].
  template <class Tokens>
  constexpr auto operator()(const Tokens& tokens) const {
    const auto t = tokens.sizes()[c<1>{}];
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(t)>, std::int64_t>)
      expect<value_error, "llama", "sequence length {} is longer than the {} positions">(t <= Positions, t, Positions);
    else static_assert(decltype(t)::value <= Positions, "typed_llama: the sequence is longer than the positions");
    const tensor<DType, shape<Positions, layer::head_dim>, Dev> cos_cached, sin_cached;
    const tensor<b8, shape<1, 1, Positions, Positions>, Dev> causal;
    const auto x = embedding(tensor<DType, shape<Vocab, C>, Dev>{}, tokens);
    const auto cos = slice(cos_cached, c<0>{}, c<0>{}, t);
    const auto sin = slice(sin_cached, c<0>{}, c<0>{}, t);
    const auto h = layers<Layers>(x, cos, sin, causal);
    return linear(layer::rms_norm(h, tensor<DType, shape<C>, Dev>{}), tensor<DType, shape<Vocab, C>, Dev>{});
  }
};

// Llama-2-7B's shape: 32 layers of width 4096, 32 heads, SwiGLU of 11008.
template <auto DType, auto Dev>
using typed_llama2_7b = typed_llama<DType, Dev, 32000, 4096, 32, 4096, 32, 32, 11008>;

}  // namespace fake::models
