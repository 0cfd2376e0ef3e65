// faketensor/ops/typed_nn.hpp — conv2d and max_pool2d on typed fake::tensor.
//
//   constexpr fake::tensor<fake::f32, fake::shape<8, 64, 56, 56>> x;
//   constexpr fake::tensor<fake::f32, fake::shape<128, 64, 3, 3>> w;
//   constexpr auto y = fake::conv2d(x, w, fake::strides<2>{}, fake::strides<1>{});
//   static_assert(y.sizes() == fake::shape<8, 128, 28, 28>{});
//
// Note [typed nn ops]
// As the typed views do (Note [typed views]), these run the one runtime meta
// kernel (convolution_meta, max_pool2d_with_indices_meta) in constant
// evaluation when the tensors and the int-list arguments (fake::strides<...>,
// one value or two; groups as c<G>) are static: the result type carries the
// output's sizes and strides (channels_last included), and a bad call — a
// channel mismatch, a kernel larger than the input — is a compile error
// naming the op and PyTorch's message (through fake::detail::raise). With a
// dynamic extent anywhere the kernel runs at run time and the result is a
// typed 4-D tensor with dynamic extents.
#pragma once

#include <cstdint>      // std::int64_t
#include <type_traits>  // std::is_same_v
#include <utility>      // std::index_sequence

#include "faketensor/meta/tensor.hpp"      // fake::tensor
#include "faketensor/ops/conv.hpp"         // fake::convolution_meta
#include "faketensor/ops/pool.hpp"         // fake::max_pool2d_with_indices_meta
#include "faketensor/view/typed_ops.hpp"   // fake::detail::pack, fake::detail::dynamic_view

namespace fake {
namespace detail {

template <class T>
struct typed_parts;
template <auto D, class S, auto Dev, class St, class O>
struct typed_parts<tensor<D, S, Dev, St, O>> {
  static constexpr dtype dt = D;
  static constexpr device dev = Dev;
};

template <class L>
constexpr dim_vector static_list() {
  return dim_vector(L{});
}

// The typed result of an nn kernel's out_meta: static when `p` is.
template <auto DType, auto Dev, packed_geometry P>
constexpr auto typed_result() {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return tensor<DType, shape<P.sizes[I]...>, Dev, strides<P.strides[I]...>, c<0>>{};
  }(std::make_index_sequence<P.rank>{});
}

constexpr packed_geometry pack_meta(const out_meta& m) { return pack(runtime_geometry{m.sizes, m.strides, 0}); }

template <class X, class W, class Stride, class Padding, class Dilation, std::int64_t Groups>
constexpr out_meta typed_conv2d_meta(const runtime_geometry& gx, const runtime_geometry& gw) {
  using px = typed_parts<X>;
  using pw = typed_parts<W>;
  expect<shape_error, "conv2d", "Expected 4D (batched) input to conv2d, but got input of rank {}">(gx.sizes.size() == 4,
                                                                                                    gx.sizes.size());
  return convolution_meta(tensor_meta{gx.sizes, gx.strides, px::dt, px::dev}, tensor_meta{gw.sizes, gw.strides, pw::dt, pw::dev},
                          nullptr, std::nullopt,
                          conv_args{static_list<Stride>(), static_list<Padding>(), static_list<Dilation>(), false, dim_vector{0}, Groups},
                          px::dev);
}

template <class X, class Kernel, class Stride, class Padding, class Dilation, bool Ceil>
constexpr out_meta typed_max_pool2d_meta(const runtime_geometry& gx) {
  using px = typed_parts<X>;
  return max_pool2d_with_indices_meta(
             tensor_meta{gx.sizes, gx.strides, px::dt, px::dev},
             pool2d_args{static_list<Kernel>(), static_list<Stride>(), static_list<Padding>(), static_list<Dilation>(), Ceil})
      .first;
}

}  // namespace detail

// conv2d(x, w, stride, padding, dilation, groups) on typed tensors (no bias).
template <auto D1, class S1, auto Dev1, class St1, class O1, auto D2, class S2, auto Dev2, class St2, class O2,
          class Stride = strides<1>, class Padding = strides<0>, class Dilation = strides<1>, std::int64_t Groups = 1>
constexpr auto conv2d(const tensor<D1, S1, Dev1, St1, O1>& x, const tensor<D2, S2, Dev2, St2, O2>& w, Stride = {}, Padding = {},
                      Dilation = {}, c<Groups> = {}) {
  using X = tensor<D1, S1, Dev1, St1, O1>;
  using W = tensor<D2, S2, Dev2, St2, O2>;
  static_assert(std::is_same_v<decltype(Dev1), decltype(Dev2)>,
                "fake::conv2d: input and weight must be on the same device");
  if constexpr (detail::is_fully_static_tensor_v<X> && detail::is_fully_static_tensor_v<W>) {
    constexpr detail::packed_geometry p = detail::pack_meta(detail::typed_conv2d_meta<X, W, Stride, Padding, Dilation, Groups>(
        detail::runtime_geometry_of(X{}), detail::runtime_geometry_of(W{})));
    return detail::typed_result<D1, Dev1, p>();
  } else {
    const out_meta m = detail::typed_conv2d_meta<X, W, Stride, Padding, Dilation, Groups>(detail::runtime_geometry_of(x),
                                                                                           detail::runtime_geometry_of(w));
    return detail::dynamic_view<D1, Dev1, 4>(runtime_geometry{m.sizes, m.strides, 0});
  }
}

// max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode) on typed tensors.
template <auto D, class S, auto Dev, class St, class O, class Kernel, class Stride = strides<>, class Padding = strides<0>,
          class Dilation = strides<1>, bool Ceil = false>
constexpr auto max_pool2d(const tensor<D, S, Dev, St, O>& x, Kernel, Stride = {}, Padding = {}, Dilation = {}, bool_c<Ceil> = {}) {
  using X = tensor<D, S, Dev, St, O>;
  if constexpr (detail::is_fully_static_tensor_v<X>) {
    constexpr detail::packed_geometry p =
        detail::pack_meta(detail::typed_max_pool2d_meta<X, Kernel, Stride, Padding, Dilation, Ceil>(detail::runtime_geometry_of(X{})));
    return detail::typed_result<D, Dev, p>();
  } else {
    const out_meta m = detail::typed_max_pool2d_meta<X, Kernel, Stride, Padding, Dilation, Ceil>(detail::runtime_geometry_of(x));
    return detail::dynamic_view<D, Dev, X::rank_value>(runtime_geometry{m.sizes, m.strides, 0});
  }
}

}  // namespace fake
