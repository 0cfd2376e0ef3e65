// faketensor/ops/typed_linalg.hpp — matmul, mm and linear on typed fake::tensor.
//
// Note [typed products]
// The same meta kernels as the tensor_desc path (ops/linalg.hpp), run as Note
// [typed kernels] says:
//  * when both shapes are static, the contracted sizes are compared on the
//    types first, so a mismatch is a compile error naming the op and both
//    sizes (fake::detail::static_check_failed<shape_error, "matmul", ...,
//    768, 1024>), then matmul_meta runs in constant evaluation and the result
//    type carries its shape, strides and dtype (an empty type);
//  * otherwise the kernel runs at run time and the result is a typed tensor
//    of the rank the ranks imply, with dynamic extents.
// Operands of different dtypes or devices are a compile error.
#pragma once

#include <cstdint>  // std::int64_t
#include <utility>  // std::index_sequence

#include "faketensor/meta/tensor.hpp"    // fake::tensor
#include "faketensor/ops/linalg.hpp"     // fake::matmul_meta, fake::mm_meta
#include "faketensor/ops/typed_kernel.hpp" // fake::detail::run_typed_kernel

namespace fake {
namespace detail {

// The contracted extent of a matmul operand: self.size(-1), other.size(-2)
// (a vector's only extent); dyn when not static.
template <class S>
constexpr std::int64_t last_extent() {
  return S::rank_value == 0 ? dyn : S::static_values[S::rank_value - 1];
}
template <class S>
constexpr std::int64_t contracted_extent_of_other() {
  if constexpr (S::rank_value == 0) return dyn;
  else if constexpr (S::rank_value == 1) return S::static_values[0];
  else return S::static_values[S::rank_value - 2];
}

template <fixed_string Op, auto D1, auto D2, auto Dev1, auto Dev2>
constexpr void check_same_type_and_device() {
  check_same_dtype<Op, D1, D2>();
  check_same_device<Op, Dev1, Dev2>();
}

constexpr std::size_t matmul_rank(std::size_t r1, std::size_t r2) {
  if (r1 == 1 && r2 == 1) return 0;
  if (r1 == 1) return r2 - 1;
  if (r2 == 1) return r1 - 1;
  return r1 > r2 ? r1 : r2;
}

}  // namespace detail

// matmul(x, w): every rank combination (Note [matmul paths]).
template <auto D1, class S1, auto Dev1, class St1, class O1, auto D2, class S2, auto Dev2, class St2, class O2>
constexpr auto matmul(const tensor<D1, S1, Dev1, St1, O1>& a, const tensor<D2, S2, Dev2, St2, O2>& b) {
  detail::check_same_type_and_device<"matmul", D1, D2, Dev1, Dev2>();
  static_assert(S1::rank_value >= 1 && S2::rank_value >= 1, "fake::matmul: both arguments to matmul need to be at least 1D");
  constexpr std::int64_t k1 = detail::last_extent<S1>(), k2 = detail::contracted_extent_of_other<S2>();
  if constexpr (k1 != dyn && k2 != dyn) {
    expect<shape_error, "matmul", "self.size(-1)={} does not match other's contracted size {}">(bool_c<k1 == k2>{}, c<k1>{}, c<k2>{});
  }
  return detail::run_typed_kernel<detail::matmul_rank(S1::rank_value, S2::rank_value), D1, Dev1>(
      [](const runtime_geometry& x, const runtime_geometry& y) {
        return matmul_meta(x.sizes, x.strides, decltype(D1)::value, y.sizes, y.strides, decltype(D2)::value, device(Dev1));
      },
      a, b);
}

// mm(x, w): two matrices.
template <auto D1, class S1, auto Dev1, class St1, class O1, auto D2, class S2, auto Dev2, class St2, class O2>
constexpr auto mm(const tensor<D1, S1, Dev1, St1, O1>& a, const tensor<D2, S2, Dev2, St2, O2>& b) {
  detail::check_same_type_and_device<"mm", D1, D2, Dev1, Dev2>();
  static_assert(S1::rank_value == 2, "fake::mm: self must be a matrix");
  static_assert(S2::rank_value == 2, "fake::mm: mat2 must be a matrix");
  constexpr std::int64_t k1 = S1::static_values[1], k2 = S2::static_values[0];
  if constexpr (k1 != dyn && k2 != dyn) {
    expect<shape_error, "mm", "mat1 and mat2 shapes cannot be multiplied: {} columns vs {} rows">(bool_c<k1 == k2>{}, c<k1>{}, c<k2>{});
  }
  return detail::run_typed_kernel<2, D1, Dev1>(
      [](const runtime_geometry& x, const runtime_geometry& y) {
        return mm_meta(x.sizes, decltype(D1)::value, y.sizes, decltype(D2)::value, device(Dev1));
      },
      a, b);
}

// linear(x, weight) / linear(x, weight, bias): x @ weight.t() (+ bias), as
// ATen's composite computes it (linear_meta: addmm for a 2-D or contiguous
// 3-D input with a bias, else matmul; the result is contiguous). weight is 1-D
// or 2-D; x.size(-1) must equal weight.size(-1).
template <class X, class W, class... B>
  requires(is_typed_tensor_v<X> && is_typed_tensor_v<W> && sizeof...(B) <= 1 && (is_typed_tensor_v<B> && ...))
constexpr auto linear(const X& x, const W& weight, const B&... bias) {
  using SX = typename X::shape_type;
  using SW = typename W::shape_type;
  constexpr auto dx = X::dtype(), dw = W::dtype();
  detail::check_same_type_and_device<"linear", dx, dw, X::device(), W::device()>();
  (detail::check_same_device<"linear", X::device(), B::device()>(), ...);
  static_assert(SX::rank_value >= 1, "fake::linear: both arguments to linear need to be at least 1D");
  static_assert(SW::rank_value == 1 || SW::rank_value == 2, "fake::linear: weight must be 1-D or 2-D");
  constexpr std::int64_t k1 = detail::last_extent<SX>(), k2 = detail::last_extent<SW>();
  if constexpr (k1 != dyn && k2 != dyn) {
    expect<shape_error, "linear", "mat1 and mat2 shapes cannot be multiplied: input.size(-1)={} vs weight.size(-1)={}">(
        bool_c<k1 == k2>{}, c<k1>{}, c<k2>{});
  }
  constexpr std::size_t rank = detail::matmul_rank(SX::rank_value, SW::rank_value);
  return detail::run_typed_kernel<rank, dx, X::device()>(
      [](const runtime_geometry& gx, const runtime_geometry& gw, const auto&... gb) {
        const dim_vector* bias_sizes = nullptr;
        ((bias_sizes = &gb.sizes), ...);
        dtype bias_dtype = detail::typed_parts<X>::dt;
        ((bias_dtype = detail::typed_parts<B>::dt), ...);
        return linear_meta(gx.sizes, gx.strides, detail::typed_parts<X>::dt, gw.sizes, detail::typed_parts<W>::dt, bias_sizes, bias_dtype,
                           device(X::device()), ((B::rank_value == 0) || ... || false));
      },
      x, weight, bias...);
}

}  // namespace fake
