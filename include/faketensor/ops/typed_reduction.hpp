// faketensor/ops/typed_reduction.hpp — sum and mean over a static dim list on
// typed fake::tensor.
//
//   constexpr fake::tensor<fake::f16, fake::shape<8, 128, 768>> x;
//   constexpr auto y = fake::sum(x, fake::strides<1, -1>{});             // shape<8>, float16
//   constexpr auto z = fake::sum(x, fake::strides<1>{}, fake::bool_c<true>{});  // shape<8, 1, 768>
//
// As Note [typed products] (ops/typed_linalg.hpp): each dim is checked against
// the rank on the types (a compile error naming the op, the range and the
// dim), then sum_meta / mean_meta run in constant evaluation for a static
// tensor; the output dtype (Note [reduction dtypes]) is always static. A
// mixed tensor runs the kernel at run time into a typed result of the rank
// the dim list implies. An empty list reduces every dim (Note [reduction dims]).
#pragma once

#include <cstdint>  // std::int64_t
#include <utility>  // std::index_sequence

#include "faketensor/meta/tensor.hpp"     // fake::tensor
#include "faketensor/ops/reduction.hpp"   // fake::sum_meta, fake::mean_meta
#include "faketensor/view/typed_ops.hpp"  // fake::detail::pack, dynamic_view, is_fully_static_tensor_v

namespace fake {
namespace detail {

template <fixed_string Op, std::size_t R, std::int64_t... Ds>
constexpr void check_static_dims() {
  constexpr auto r = static_cast<std::int64_t>(R == 0 ? 1 : R);
  (expect<index_error, Op, "Dimension out of range (expected to be in range of [{}, {}], but got {})">(
       bool_c<(Ds >= -r && Ds < r)>{}, c<-r>{}, c<r - 1>{}, c<Ds>{}),
   ...);
}

// Runs a reduction kernel (geometry -> out_meta) on a typed tensor.
template <std::size_t ROut, auto DOut, class T, class Kernel>
constexpr auto run_reduction(const T& t, Kernel) {
  constexpr auto dev = T::device();
  if constexpr (is_fully_static_tensor_v<T>) {
    constexpr packed_geometry p = [] {
      const out_meta m = Kernel{}(runtime_geometry_of(T{}));
      return pack(runtime_geometry{m.sizes, m.strides, 0});
    }();
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return tensor<DOut, shape<p.sizes[I]...>, dev, strides<p.strides[I]...>, c<0>>{};
    }(std::make_index_sequence<p.rank>{});
  } else {
    const out_meta m = Kernel{}(runtime_geometry_of(t));
    return dynamic_view<DOut, dev, ROut>(runtime_geometry{m.sizes, m.strides, 0});
  }
}

template <std::size_t R, std::size_t N, bool Keep>
constexpr std::size_t reduced_rank() {
  if (Keep) return R;
  return N == 0 ? 0 : R - N;
}

}  // namespace detail

// sum(x, strides<dims...>{}, bool_c<keepdim>{}): int64 for integral/bool inputs.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ds, bool Keep = false>
constexpr auto sum(const tensor<D, S, Dev, St, O>& t, strides<Ds...>, bool_c<Keep> = {}) {
  detail::check_static_dims<"sum", S::rank_value, Ds...>();
  constexpr dtype out = detail::integral_to_long(decltype(D)::value, std::nullopt, std::nullopt);
  return detail::run_reduction<detail::reduced_rank<S::rank_value, sizeof...(Ds), Keep>(), dtype_c<out>{}>(
      t, [](const runtime_geometry& g) {
        const std::int64_t dims[] = {Ds..., 0};
        return sum_meta(g.sizes, decltype(D)::value, device(Dev),
                        opt_dims(std::span<const std::int64_t>(dims, sizeof...(Ds))), Keep, std::nullopt);
      });
}

// mean(x, strides<dims...>{}, bool_c<keepdim>{}): floating or complex inputs only.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ds, bool Keep = false>
constexpr auto mean(const tensor<D, S, Dev, St, O>& t, strides<Ds...>, bool_c<Keep> = {}) {
  detail::check_static_dims<"mean", S::rank_value, Ds...>();
  constexpr dtype in = decltype(D)::value;
  expect<dtype_error, "mean", "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}">(
      bool_c<is_floating_point(in) || is_complex(in)>{}, D);
  return detail::run_reduction<detail::reduced_rank<S::rank_value, sizeof...(Ds), Keep>(), D>(t, [](const runtime_geometry& g) {
    const std::int64_t dims[] = {Ds..., 0};
    return mean_meta(g.sizes, decltype(D)::value, device(Dev), opt_dims(std::span<const std::int64_t>(dims, sizeof...(Ds))), Keep,
                     std::nullopt);
  });
}

}  // namespace fake
