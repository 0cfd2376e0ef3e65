// faketensor/ops/typed_linalg.hpp — matmul and mm on typed fake::tensor.
//
// Note [typed products]
// The same meta kernels as the tensor_desc path (ops/linalg.hpp), in the way
// of Note [typed views]:
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
#include "faketensor/view/typed_ops.hpp" // fake::detail::pack, dynamic_view, is_fully_static_tensor_v

namespace fake {
namespace detail {

// The typed result of a product kernel: static when both operands are.
template <class T1, class T2, std::size_t R, auto DOut, auto Dev, class Kernel>
constexpr auto run_product(const T1& a, const T2& b, Kernel) {
  if constexpr (is_fully_static_tensor_v<T1> && is_fully_static_tensor_v<T2>) {
    constexpr packed_geometry p = [] {
      const out_meta m = Kernel{}(runtime_geometry_of(T1{}), runtime_geometry_of(T2{}));
      return pack(runtime_geometry{m.sizes, m.strides, 0});
    }();
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return tensor<DOut, shape<p.sizes[I]...>, Dev, strides<p.strides[I]...>, c<0>>{};
    }(std::make_index_sequence<p.rank>{});
  } else {
    const out_meta m = Kernel{}(runtime_geometry_of(a), runtime_geometry_of(b));
    return dynamic_view<DOut, Dev, R>(runtime_geometry{m.sizes, m.strides, 0});
  }
}

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

template <auto D1, auto D2, auto Dev1, auto Dev2, fixed_string Op>
constexpr void check_same_type_and_device() {
  expect<dtype_error, Op, "expected both operands to have the same dtype, got {} and {}">(bool_c<decltype(D1)::value == decltype(D2)::value>{},
                                                                                       D1, D2);
  expect<device_error, Op, "Expected all tensors to be on the same device, but found at least two devices, {} and {}!">(
      bool_c<decltype(Dev1)::value == decltype(Dev2)::value>{}, Dev1, Dev2);
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
  detail::check_same_type_and_device<D1, D2, Dev1, Dev2, "matmul">();
  static_assert(S1::rank_value >= 1 && S2::rank_value >= 1, "fake::matmul: both arguments to matmul need to be at least 1D");
  constexpr std::int64_t k1 = detail::last_extent<S1>(), k2 = detail::contracted_extent_of_other<S2>();
  if constexpr (k1 != dyn && k2 != dyn) {
    expect<shape_error, "matmul", "self.size(-1)={} does not match other's contracted size {}">(bool_c<k1 == k2>{}, c<k1>{}, c<k2>{});
  }
  return detail::run_product<tensor<D1, S1, Dev1, St1, O1>, tensor<D2, S2, Dev2, St2, O2>,
                             detail::matmul_rank(S1::rank_value, S2::rank_value), D1, Dev1>(
      a, b, [](const runtime_geometry& x, const runtime_geometry& y) {
        return matmul_meta(x.sizes, x.strides, decltype(D1)::value, y.sizes, y.strides, decltype(D2)::value, device(Dev1));
      });
}

// mm(x, w): two matrices.
template <auto D1, class S1, auto Dev1, class St1, class O1, auto D2, class S2, auto Dev2, class St2, class O2>
constexpr auto mm(const tensor<D1, S1, Dev1, St1, O1>& a, const tensor<D2, S2, Dev2, St2, O2>& b) {
  detail::check_same_type_and_device<D1, D2, Dev1, Dev2, "mm">();
  static_assert(S1::rank_value == 2, "fake::mm: self must be a matrix");
  static_assert(S2::rank_value == 2, "fake::mm: mat2 must be a matrix");
  constexpr std::int64_t k1 = S1::static_values[1], k2 = S2::static_values[0];
  if constexpr (k1 != dyn && k2 != dyn) {
    expect<shape_error, "mm", "mat1 and mat2 shapes cannot be multiplied: {} columns vs {} rows">(bool_c<k1 == k2>{}, c<k1>{}, c<k2>{});
  }
  return detail::run_product<tensor<D1, S1, Dev1, St1, O1>, tensor<D2, S2, Dev2, St2, O2>, 2, D1, Dev1>(
      a, b, [](const runtime_geometry& x, const runtime_geometry& y) {
        return mm_meta(x.sizes, decltype(D1)::value, y.sizes, decltype(D2)::value, device(Dev1));
      });
}

}  // namespace fake
