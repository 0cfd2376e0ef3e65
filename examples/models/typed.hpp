// examples/models/typed.hpp — example models written on typed fake::tensor:
// an MLP and a GPT-2 block. With static shapes the compiler computes every
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
// The GPT-2 block is the tensor_desc one of models/gpt2.hpp, op for op; only
// the headers of the typed ops are included (this file is the compile-time
// benchmark's subject: bench/README.md).
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int64_t
#include <limits>   // std::numeric_limits
#include <tuple>    // std::tuple, std::get
#include <utility>  // std::index_sequence

#include "faketensor/core/config.hpp"          // FAKE_NO_UNIQUE_ADDRESS

#include "faketensor/ops/typed_linalg.hpp"     // fake::linear, fake::matmul
#include "faketensor/ops/typed_nn.hpp"         // fake::layer_norm, fake::softmax
#include "faketensor/ops/typed_pointwise.hpp"  // fake::add, fake::mul, fake::gelu, fake::masked_fill, fake::contiguous
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

}  // namespace fake::models
