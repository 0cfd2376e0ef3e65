// faketensor/ops/typed_kernel.hpp — runs one of the runtime meta kernels
// (ops/*.hpp: a function of sizes/strides/dtype/device giving an out_meta) on
// typed fake::tensor arguments.
//
// Note [typed kernels]
// The typed products, nn ops and normalizations do what the typed views do
// (Note [typed views]): the kernel is a capture-less lambda taking each
// tensor's runtime_geometry and returning the out_meta of the op's result.
//  * every tensor fully static: the compiler runs it, and the result type
//    carries the output's sizes and strides (an empty type); a bad call is a
//    compile error naming the op and PyTorch's message, because the kernel
//    reaches the non-constexpr fake::detail::raise;
//  * otherwise the same kernel runs at run time and the result is a typed
//    tensor of rank R (known from the types) with dynamic extents.
// The dtype and device of the result come from the types (DOut, Dev): the
// kernel's own dtype is the same by construction, and is checked when static.
#pragma once

#include <cstddef>  // std::size_t
#include <utility>  // std::index_sequence

#include "faketensor/meta/tensor.hpp"      // fake::tensor
#include "faketensor/ops/common.hpp"       // fake::out_meta
#include "faketensor/ops/nn_common.hpp"    // fake::tensor_meta
#include "faketensor/view/typed_ops.hpp"   // fake::detail::pack, dynamic_view, is_fully_static_tensor_v

namespace fake::detail {

// The dtype and device of a typed tensor type, as values.
template <class T>
struct typed_parts;
template <auto D, class S, auto Dev, class St, class O>
struct typed_parts<tensor<D, S, Dev, St, O>> {
  static constexpr dtype dt = D;
  static constexpr device dev = Dev;
};

// A typed int list (fake::strides<...>) as a dim_vector.
template <class L>
constexpr dim_vector static_list() {
  return dim_vector(L{});
}

// The typed tensor whose geometry is P (offset 0).
template <auto DType, auto Dev, packed_geometry P>
constexpr auto typed_result() {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return tensor<DType, shape<P.sizes[I]...>, Dev, strides<P.strides[I]...>, c<0>>{};
  }(std::make_index_sequence<P.rank>{});
}

constexpr packed_geometry pack_meta(const out_meta& m) { return pack(runtime_geometry{m.sizes, m.strides, 0}); }

struct static_kernel_result {
  packed_geometry geometry;
  dtype dt;
};
template <class Kernel, class... Ts>
constexpr static_kernel_result run_static_kernel() {
  const out_meta m = Kernel{}(runtime_geometry_of(Ts{})...);
  return {pack_meta(m), m.dtype};
}

// Note [typed kernels]: Kernel(runtime_geometry...) -> out_meta.
template <std::size_t R, auto DOut, auto Dev, class Kernel, class... Ts>
constexpr auto run_typed_kernel(Kernel, const Ts&... ts) {
  if constexpr ((is_fully_static_tensor_v<Ts> && ...)) {
    constexpr static_kernel_result r = run_static_kernel<Kernel, Ts...>();
    static_assert(r.geometry.rank == R, "fake: a typed kernel's result rank differs from the rank its types imply");
    static_assert(r.dt == decltype(DOut)::value, "fake: a typed kernel's result dtype differs from the dtype its types imply");
    return typed_result<DOut, Dev, r.geometry>();
  } else {
    const out_meta m = Kernel{}(runtime_geometry_of(ts)...);
    return dynamic_view<DOut, Dev, R>(runtime_geometry{m.sizes, m.strides, 0});
  }
}

// The kernels' view of a typed tensor: its geometry with its dtype and device.
template <class T>
constexpr tensor_meta meta_of_typed(const runtime_geometry& g) {
  return tensor_meta{g.sizes, g.strides, typed_parts<T>::dt, typed_parts<T>::dev};
}

// Compile errors for operands of different dtypes or devices.
template <fixed_string Op, auto D1, auto D2>
constexpr void check_same_dtype() {
  expect<dtype_error, Op, "expected both operands to have the same dtype, got {} and {}">(
      bool_c<decltype(D1)::value == decltype(D2)::value>{}, D1, D2);
}
template <fixed_string Op, auto Dev1, auto Dev2>
constexpr void check_same_device() {
  expect<device_error, Op, "Expected all tensors to be on the same device, but found at least two devices, {} and {}!">(
      bool_c<decltype(Dev1)::value == decltype(Dev2)::value>{}, Dev1, Dev2);
}

}  // namespace fake::detail
