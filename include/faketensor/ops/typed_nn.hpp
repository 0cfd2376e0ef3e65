// faketensor/ops/typed_nn.hpp — conv2d, max_pool2d, adaptive_avg_pool2d,
// batch_norm (evaluation), layer_norm, softmax and embedding on typed
// fake::tensor.
//
//   constexpr fake::tensor<fake::f32, fake::shape<8, 64, 56, 56>> x;
//   constexpr fake::tensor<fake::f32, fake::shape<128, 64, 3, 3>> w;
//   constexpr auto y = fake::conv2d(x, w, fake::strides<2>{}, fake::strides<1>{});
//   static_assert(y.sizes() == fake::shape<8, 128, 28, 28>{});
//
// Note [typed nn ops]
// These run the one runtime meta kernel (convolution_meta,
// max_pool2d_with_indices_meta, native_batch_norm_meta, native_layer_norm_meta,
// softmax_meta, ...) as Note
// [typed kernels] says, with the int-list arguments as types
// (fake::strides<...>, one value or two; groups as c<G>; dims as c<D>): the
// result type carries the output's sizes and strides (channels_last
// included), and a bad call — a channel mismatch, a kernel larger than the
// input, a weight that is not normalized_shape — is a compile error naming
// the op and PyTorch's message. With a dynamic extent anywhere the kernel runs
// at run time and the result has dynamic extents.
#pragma once

#include <cstdint>      // std::int64_t
#include <type_traits>  // std::is_same_v
#include <tuple>        // std::get

#include "faketensor/meta/tensor.hpp"        // fake::tensor
#include "faketensor/ops/conv.hpp"           // fake::convolution_meta
#include "faketensor/ops/norm.hpp"           // fake::native_layer_norm_meta, fake::softmax_meta
#include "faketensor/ops/pool.hpp"           // fake::max_pool2d_with_indices_meta, fake::adaptive_avg_pool2d_meta
#include "faketensor/ops/reduction.hpp"      // fake::mean_meta
#include "faketensor/ops/typed_kernel.hpp"   // fake::detail::run_typed_kernel
#include "faketensor/ops/typed_pointwise.hpp" // fake::to

namespace fake {

// conv2d(x, w, stride, padding, dilation, groups) on typed tensors (no bias).
template <auto D1, class S1, auto Dev1, class St1, class O1, auto D2, class S2, auto Dev2, class St2, class O2,
          class Stride = strides<1>, class Padding = strides<0>, class Dilation = strides<1>, std::int64_t Groups = 1>
constexpr auto conv2d(const tensor<D1, S1, Dev1, St1, O1>& x, const tensor<D2, S2, Dev2, St2, O2>& w, Stride = {}, Padding = {},
                      Dilation = {}, c<Groups> = {}) {
  using X = tensor<D1, S1, Dev1, St1, O1>;
  using W = tensor<D2, S2, Dev2, St2, O2>;
  detail::check_same_device<"conv2d", Dev1, Dev2>();
  static_assert(S1::rank_value == 4, "fake::conv2d: Expected 4D (batched) input to conv2d");
  return detail::run_typed_kernel<4, D1, Dev1>(
      [](const runtime_geometry& gx, const runtime_geometry& gw) {
        return convolution_meta(detail::meta_of_typed<X>(gx), detail::meta_of_typed<W>(gw), nullptr, std::nullopt,
                                conv_args{detail::static_list<Stride>(), detail::static_list<Padding>(),
                                          detail::static_list<Dilation>(), false, dim_vector{0}, Groups},
                                device(Dev1));
      },
      x, w);
}

// max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode) on typed tensors.
template <auto D, class S, auto Dev, class St, class O, class Kernel, class Stride = strides<>, class Padding = strides<0>,
          class Dilation = strides<1>, bool Ceil = false>
constexpr auto max_pool2d(const tensor<D, S, Dev, St, O>& x, Kernel, Stride = {}, Padding = {}, Dilation = {}, bool_c<Ceil> = {}) {
  using X = tensor<D, S, Dev, St, O>;
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx) {
        return max_pool2d_with_indices_meta(detail::meta_of_typed<X>(gx),
                                            pool2d_args{detail::static_list<Kernel>(), detail::static_list<Stride>(),
                                                        detail::static_list<Padding>(), detail::static_list<Dilation>(), Ceil})
            .first;
      },
      x);
}

// layer_norm(x, normalized_shape, weight, bias): the normalized output (the
// input's sizes and dtype, contiguous); weight and bias must have
// normalized_shape, the input must end with it. eps changes no metadata.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto layer_norm(const tensor<D, S, Dev, St, O>& x, strides<Ns...> normalized_shape) {
  using X = tensor<D, S, Dev, St, O>;
  (void)normalized_shape;
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx) {
        return std::get<0>(native_layer_norm_meta(detail::meta_of_typed<X>(gx), dim_vector{Ns...}, nullptr, nullptr));
      },
      x);
}
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns, class W, class B>
  requires(is_typed_tensor_v<W> && is_typed_tensor_v<B>)
constexpr auto layer_norm(const tensor<D, S, Dev, St, O>& x, strides<Ns...> normalized_shape, const W& weight, const B& bias) {
  using X = tensor<D, S, Dev, St, O>;
  (void)normalized_shape;
  detail::check_same_device<"native_layer_norm", Dev, W::device()>();
  detail::check_same_device<"native_layer_norm", Dev, B::device()>();
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx, const runtime_geometry& gw, const runtime_geometry& gb) {
        return std::get<0>(native_layer_norm_meta(detail::meta_of_typed<X>(gx), dim_vector{Ns...}, &gw.sizes, &gb.sizes));
      },
      x, weight, bias);
}

// batch_norm(x, weight, bias, running_mean, running_var) in evaluation (the
// running statistics are used): native_batch_norm's output. Each per-channel
// tensor must have C = x.size(1) elements.
template <auto D, class S, auto Dev, class St, class O, class W, class B, class M, class V>
  requires(is_typed_tensor_v<W> && is_typed_tensor_v<B> && is_typed_tensor_v<M> && is_typed_tensor_v<V>)
constexpr auto batch_norm(const tensor<D, S, Dev, St, O>& x, const W& weight, const B& bias, const M& running_mean,
                          const V& running_var) {
  using X = tensor<D, S, Dev, St, O>;
  static_assert(S::rank_value >= 2, "fake::batch_norm: the input needs a channel dim (dim 1)");
  detail::check_same_device<"native_batch_norm", Dev, W::device()>();
  detail::check_same_device<"native_batch_norm", Dev, B::device()>();
  detail::check_same_device<"native_batch_norm", Dev, M::device()>();
  detail::check_same_device<"native_batch_norm", Dev, V::device()>();
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx, const runtime_geometry& gw, const runtime_geometry& gb, const runtime_geometry& gm,
         const runtime_geometry& gv) {
        const std::int64_t c = gx.sizes[1];
        check_batch_norm_feature(c, gw.sizes, "weight");
        check_batch_norm_feature(c, gb.sizes, "bias");
        check_batch_norm_feature(c, gm.sizes, "running_mean");
        check_batch_norm_feature(c, gv.sizes, "running_var");
        return std::get<0>(native_batch_norm_meta(detail::meta_of_typed<X>(gx), true, false));
      },
      x, weight, bias, running_mean, running_var);
}

// adaptive_avg_pool2d(x, strides<H, W>): ATen's composite — a keepdim mean
// over the last two dims for a 1x1 output (unless x is channels_last), else
// _adaptive_avg_pool2d.
template <auto D, class S, auto Dev, class St, class O, std::int64_t H, std::int64_t W>
constexpr auto adaptive_avg_pool2d(const tensor<D, S, Dev, St, O>& x, strides<H, W>) {
  using X = tensor<D, S, Dev, St, O>;
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx) {
        const dim_vector output_size{H, W};
        if (adaptive_avg_pool2d_is_mean(gx.sizes, gx.strides, output_size))
          return mean_meta(gx.sizes, detail::typed_parts<X>::dt, detail::typed_parts<X>::dev, dim_vector{-1, -2}, true, std::nullopt);
        return adaptive_avg_pool2d_meta(detail::meta_of_typed<X>(gx), output_size);
      },
      x);
}

// embedding(weight, indices): weight's rows gathered, [*indices, C], contiguous.
template <class W, class I>
  requires(is_typed_tensor_v<W> && is_typed_tensor_v<I>)
constexpr auto embedding(const W& weight, const I& indices) {
  static_assert(W::rank_value == 2, "fake::embedding: 'weight' must be 2-D");
  detail::check_same_device<"embedding", W::device(), I::device()>();
  return detail::run_typed_kernel<I::rank_value + 1, W::dtype(), W::device()>(
      [](const runtime_geometry& gw, const runtime_geometry& gi) {
        return embedding_meta(detail::meta_of_typed<W>(gw), detail::meta_of_typed<I>(gi), detail::typed_parts<W>::dev);
      },
      weight, indices);
}

// softmax(x, dim) / log_softmax(x, dim): the input's sizes and dtype, contiguous.
template <auto D, class S, auto Dev, class St, class O, std::int64_t Dim>
constexpr auto softmax(const tensor<D, S, Dev, St, O>& x, c<Dim>) {
  using X = tensor<D, S, Dev, St, O>;
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx) { return softmax_meta<"softmax">(detail::meta_of_typed<X>(gx), Dim, false); }, x);
}
// softmax(x, dim, dtype): x converted to dtype first (ATen's softmax.int).
template <auto D, class S, auto Dev, class St, class O, std::int64_t Dim, dtype To>
constexpr auto softmax(const tensor<D, S, Dev, St, O>& x, c<Dim> dim, dtype_c<To> to_dtype) {
  return softmax(to(x, to_dtype), dim);
}
template <auto D, class S, auto Dev, class St, class O, std::int64_t Dim>
constexpr auto log_softmax(const tensor<D, S, Dev, St, O>& x, c<Dim>) {
  using X = tensor<D, S, Dev, St, O>;
  return detail::run_typed_kernel<S::rank_value, D, Dev>(
      [](const runtime_geometry& gx) { return softmax_meta<"log_softmax">(detail::meta_of_typed<X>(gx), Dim, false); }, x);
}

}  // namespace fake
