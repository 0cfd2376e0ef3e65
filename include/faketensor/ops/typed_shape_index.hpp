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
// (a device mismatch is a compile error too). With a dynamic extent anywhere
// the same kernel runs at run time (Note [typed kernels]).
#pragma once

#include <algorithm>    // std::max
#include <array>        // std::array
#include <cstdint>      // std::int64_t
#include <type_traits>  // std::is_same_v
#include <utility>      // std::index_sequence

#include "faketensor/meta/tensor.hpp"        // fake::tensor, fake::is_typed_tensor_v
#include "faketensor/ops/shape_index.hpp"    // fake::cat_meta, fake::stack_meta
#include "faketensor/ops/typed_kernel.hpp"   // fake::detail::run_typed_kernel
#include "faketensor/view/typed_ops.hpp"     // fake::detail::runtime_geometry_of, fake::detail::is_fully_static_tensor_v

namespace fake {
namespace detail {

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
  static_assert((std::is_same_v<decltype(T0::device()), decltype(Ts::device())> && ...),
                "fake::cat/stack: Expected all tensors to be on the same device");
  // the promoted dtype and the rank, from the types (a skipped [0] input is 1-d)
  [[maybe_unused]] constexpr auto dout = [] {
    dtype d = decltype(T0::dtype())::value;
    ((d = promote_types(d, decltype(Ts::dtype())::value)), ...);
    return d;
  }();
  [[maybe_unused]] constexpr std::size_t rank = std::max({T0::rank_value, Ts::rank_value...}) + (Stack ? 1 : 0);
  return [](const auto&... ts) {
    return run_typed_kernel<rank, dtype_c<dout>{}, T0::device()>(
        [](const auto&... gs) {
          const std::array<runtime_geometry, sizeof...(gs)> g{gs...};
          constexpr std::array<fake::dtype, sizeof...(Ts) + 1> dts{decltype(T0::dtype())::value, decltype(Ts::dtype())::value...};
          std::array<meta_input, sizeof...(gs)> ins{};
          for (std::size_t i = 0; i < g.size(); ++i) ins[i] = meta_input{&g[i].sizes, &g[i].strides, dts[i]};
          if constexpr (Stack) return stack_meta(ins, Dim);
          else return cat_meta(ins, Dim);
        },
        ts...);
  };
}

}  // namespace detail

// cat(c<Dim>{}, tensors...): typed tensors on one device (static: the result
// type is computed by the compiler; mixed: at run time, dynamic extents).
template <std::int64_t Dim, class T0, class... Ts>
  requires(is_typed_tensor_v<T0> && (is_typed_tensor_v<Ts> && ...))
constexpr auto cat(c<Dim>, const T0& t0, const Ts&... ts) {
  return detail::typed_list_op<false, Dim, T0, Ts...>()(t0, ts...);
}

// stack_tensors(c<Dim>{}, tensors...): the same for stack (fake::stack is the boxed-call stack type).
template <std::int64_t Dim, class T0, class... Ts>
  requires(is_typed_tensor_v<T0> && (is_typed_tensor_v<Ts> && ...))
constexpr auto stack_tensors(c<Dim>, const T0& t0, const Ts&... ts) {
  return detail::typed_list_op<true, Dim, T0, Ts...>()(t0, ts...);
}

}  // namespace fake
