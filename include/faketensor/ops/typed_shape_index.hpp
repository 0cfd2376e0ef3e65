// faketensor/ops/typed_shape_index.hpp — cat and stack on typed fake::tensor.
//
//   constexpr fake::tensor<fake::f32, fake::shape<2, 3>> a;
//   constexpr fake::tensor<fake::f16, fake::shape<2, 5>> b;
//   constexpr auto y = fake::cat(fake::c<1>{}, a, b);   // tensor<f32, shape<2, 8>>
//   constexpr auto z = fake::stack_tensors(fake::c<0>{}, a, a); // tensor<f32, shape<2, 2, 3>>
//
// Note [typed cat]
// On fully static tensors with a static dim, the runtime meta kernel
// (cat_meta / stack_meta of ops/shape_index.hpp) runs in constant evaluation
// (Note [typed views], view/typed_ops.hpp): the result's sizes, strides and
// promoted dtype are in its type, and a mismatch is a compile error naming
// cat and PyTorch's message, with the offending sizes among the arguments of
// fake::detail::raise in the diagnostic. The inputs must have one typed device
// (a device mismatch is a compile error too). Tensors with dynamic extents
// take the tensor_desc path (to_desc()).
#pragma once

#include <cstdint>      // std::int64_t
#include <type_traits>  // std::is_same_v
#include <utility>      // std::index_sequence

#include "faketensor/meta/tensor.hpp"        // fake::tensor, fake::is_typed_tensor_v
#include "faketensor/ops/shape_index.hpp"    // fake::cat_meta, fake::stack_meta
#include "faketensor/view/typed_ops.hpp"     // fake::detail::runtime_geometry_of, fake::detail::is_fully_static_tensor_v

namespace fake {
namespace detail {

// A kernel's out_meta as a constexpr value: its geometry packed as the typed
// views pack theirs (detail::pack), and its dtype.
struct packed_meta {
  packed_geometry geometry;
  fake::dtype dtype = dtype::float32;
};

constexpr packed_meta pack_out_meta(const out_meta& m) { return {pack(runtime_geometry{m.sizes, m.strides, 0}), m.dtype}; }

// Runs cat_meta (Stack = false) or stack_meta (Stack = true) on the static
// geometry of Ts.
template <bool Stack, std::int64_t Dim, class... Ts>
constexpr packed_meta list_meta() {
  const std::array<runtime_geometry, sizeof...(Ts)> gs{runtime_geometry_of(Ts{})...};
  constexpr std::array<fake::dtype, sizeof...(Ts)> dts{static_cast<fake::dtype>(Ts::dtype())...};
  std::array<meta_input, sizeof...(Ts)> ins{};
  for (std::size_t i = 0; i < sizeof...(Ts); ++i) ins[i] = meta_input{&gs[i].sizes, &gs[i].strides, dts[i]};
  if constexpr (Stack) return pack_out_meta(stack_meta(ins, Dim));
  else return pack_out_meta(cat_meta(ins, Dim));
}

// The first size mismatch cat would report (dim, expected, got, tensor
// number), found without raising, so that a static failure can put the
// sizes into the diagnostic's template arguments.
struct cat_mismatch {
  bool found = false;
  std::int64_t dim = 0, expected = 0, got = 0, index = 0;
};
template <std::int64_t Dim, class... Ts>
constexpr cat_mismatch find_cat_mismatch() {
  const std::array<dim_vector, sizeof...(Ts)> ss{dim_vector(typename Ts::shape_type{})...};
  std::size_t valid = ss.size();
  for (std::size_t i = 0; i < ss.size() && valid == ss.size(); ++i)
    if (!cat_should_skip(ss[i])) valid = i;
  if (valid == ss.size()) return {};
  const auto r = static_cast<std::int64_t>(ss[valid].size());
  if (Dim < -r || Dim >= r) return {};  // cat_meta reports it
  const std::int64_t d = Dim < 0 ? Dim + r : Dim;
  for (std::size_t i = 0; i < ss.size(); ++i) {
    if (cat_should_skip(ss[i]) || ss[i].size() != ss[valid].size()) continue;
    for (std::size_t k = 0; k < ss[i].size(); ++k)
      if (static_cast<std::int64_t>(k) != d && ss[i][k] != ss[valid][k])
        return {true, d, ss[valid][k], ss[i][k], static_cast<std::int64_t>(i)};
  }
  return {};
}

template <bool Stack, std::int64_t Dim, class T0, class... Ts>
constexpr auto typed_list_op() {
  if constexpr (!Stack && is_fully_static_tensor_v<T0> && (is_fully_static_tensor_v<Ts> && ...)) {
    constexpr cat_mismatch m = find_cat_mismatch<Dim, T0, Ts...>();
    if constexpr (m.found)
      static_assert(sizeof(static_check_failed<shape_error, "cat",
                                               "Sizes of tensors must match except in dimension {}. Expected size {} but "
                                               "got size {} for tensor number {} in the list.",
                                               m.dim, m.expected, m.got, m.index>) > 0);
  }
  static_assert((is_fully_static_tensor_v<T0> && ... && is_fully_static_tensor_v<Ts>),
                "fake::cat/stack on typed tensors needs fully static tensors (use to_desc() and the tensor_desc path)");
  static_assert((std::is_same_v<decltype(T0::device()), decltype(Ts::device())> && ...),
                "fake::cat/stack: Expected all tensors to be on the same device");
  constexpr packed_meta p = list_meta<Stack, Dim, T0, Ts...>();
  static_assert(p.geometry.rank <= 64, "fake: rank above 64");
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return tensor<dtype_c<p.dtype>{}, shape<p.geometry.sizes[I]...>, T0::device(), strides<p.geometry.strides[I]...>, c<0>>{};
  }(std::make_index_sequence<p.geometry.rank>{});
}

}  // namespace detail

// cat(c<Dim>{}, tensors...): typed tensors, fully static, one device.
template <std::int64_t Dim, class T0, class... Ts>
  requires(is_typed_tensor_v<T0> && (is_typed_tensor_v<Ts> && ...))
constexpr auto cat(c<Dim>, const T0&, const Ts&...) {
  return detail::typed_list_op<false, Dim, T0, Ts...>();
}

// stack_tensors(c<Dim>{}, tensors...): the same for stack (fake::stack is the boxed-call stack type).
template <std::int64_t Dim, class T0, class... Ts>
  requires(is_typed_tensor_v<T0> && (is_typed_tensor_v<Ts> && ...))
constexpr auto stack_tensors(c<Dim>, const T0&, const Ts&...) {
  return detail::typed_list_op<true, Dim, T0, Ts...>();
}

}  // namespace fake
