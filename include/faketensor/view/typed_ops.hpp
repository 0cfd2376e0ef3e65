// faketensor/view/typed_ops.hpp — PyTorch's view ops on typed fake::tensor.
//
// Note [typed views]
// Every view op runs the one geometry kernel of view/geometry.hpp:
//  * transpose, select, unsqueeze, t are generic over dims: static extents and
//    static dim arguments (c<I>) stay static, dynamic ones stay dynamic;
//  * the other ops, on a fully static tensor with static arguments (c<N>, or a
//    fake::shape/fake::strides for lists), run their runtime kernel in
//    constant evaluation: the result type is computed by the compiler, and a
//    bad argument is a compile error naming the op and PyTorch's message
//    (through the non-constexpr fake::detail::raise<Error, "op", "message">);
//  * on a mixed tensor (or with runtime arguments) they run at run time and
//    return a typed tensor whose extents are all dynamic — when the output rank
//    is known from the types; squeeze needs static extents for that.
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int64_t
#include <utility>  // std::index_sequence

#include "faketensor/meta/tensor.hpp"    // fake::tensor
#include "faketensor/view/geometry.hpp"  // fake::geom

namespace fake {
namespace detail {

template <class T>
constexpr runtime_geometry runtime_geometry_of(const T& t) {
  return {dim_vector(t.sizes()), dim_vector(t.strides()), to_int64(t.storage_offset())};
}

template <class T>
inline constexpr bool is_fully_static_tensor_v = T::shape_type::is_fully_static && T::strides_type::is_fully_static &&
                                                  static_dim<typename T::offset_type>;

// A runtime geometry flattened into fixed arrays, so that it can be the value
// of a constexpr variable (a dim_vector's heap cannot outlive the evaluation).
struct packed_geometry {
  std::array<std::int64_t, 64> sizes{};
  std::array<std::int64_t, 64> strides{};
  std::size_t rank = 0;
  std::int64_t offset = 0;
};

constexpr packed_geometry pack(const runtime_geometry& g) {
  packed_geometry p;
  p.rank = g.sizes.size();
  for (std::size_t i = 0; i < p.rank; ++i) {
    p.sizes[i] = g.sizes[i];
    p.strides[i] = g.strides[i];
  }
  p.offset = g.offset;
  return p;
}

// Kernel: a stateless lambda type, runtime_geometry -> runtime_geometry, whose
// arguments come from template parameters. Evaluated by the compiler.
template <auto DType, auto Device, class T, class Kernel>
constexpr auto static_view() {
  constexpr packed_geometry p = pack(Kernel{}(runtime_geometry_of(T{})));
  static_assert(p.rank <= 64, "fake: rank above 64");
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return tensor<DType, shape<p.sizes[I]...>, Device, strides<p.strides[I]...>, c<p.offset>>{};
  }(std::make_index_sequence<p.rank>{});
}

// The runtime result as a typed tensor of static rank R with dynamic extents.
template <auto DType, auto Device, std::size_t R>
auto dynamic_view(const runtime_geometry& g) {
  expect<shape_error, "typed view", "the result has rank {}, the typed result {}">(g.sizes.size() == R, g.sizes.size(), R);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using S = shape<(static_cast<void>(I), dyn)...>;
    using St = strides<(static_cast<void>(I), dyn)...>;
    return tensor<DType, S, Device, St, std::int64_t>(S(all_extents, g.sizes[I]...), St(all_extents, g.strides[I]...),
                                                      g.offset);
  }(std::make_index_sequence<R>{});
}

template <class... A>
inline constexpr bool all_static_v = (static_dim<A> && ...);

// Runs Kernel statically when the tensor and every argument type are static,
// else at run time with an output of rank R.
template <std::size_t R, class Kernel, bool ArgsStatic, auto D, class S, auto Dev, class St, class O, class Runtime>
constexpr auto run_view(const tensor<D, S, Dev, St, O>& t, Runtime&& runtime) {
  using T = tensor<D, S, Dev, St, O>;
  if constexpr (is_fully_static_tensor_v<T> && ArgsStatic) return static_view<D, Dev, T, Kernel>();
  else return dynamic_view<D, Dev, R>(runtime(runtime_geometry_of(t)));
}

template <class L>
constexpr dim_vector list_of(const L& l) {
  return dim_vector(l);
}

}  // namespace detail

// --- generic over dims: static stays static

template <auto D, class S, auto Dev, class St, class O, dim_like D0, dim_like D1>
constexpr auto transpose(const tensor<D, S, Dev, St, O>& t, D0 dim0, D1 dim1) {
  return make_tensor<D, Dev>(geom::transpose(t.geometry(), dim0, dim1));
}
template <auto D, class S, auto Dev, class St, class O, dim_like D0, dim_like D1>
constexpr auto swapaxes(const tensor<D, S, Dev, St, O>& t, D0 dim0, D1 dim1) {
  return transpose(t, dim0, dim1);
}
template <auto D, class S, auto Dev, class St, class O, dim_like Dim, dim_like I>
constexpr auto select(const tensor<D, S, Dev, St, O>& t, Dim dim, I index) {
  return make_tensor<D, Dev>(geom::select_dim(t.geometry(), dim, index));
}
template <auto D, class S, auto Dev, class St, class O, dim_like Dim>
constexpr auto unsqueeze(const tensor<D, S, Dev, St, O>& t, Dim dim) {
  return make_tensor<D, Dev>(geom::unsqueeze(t.geometry(), dim));
}
template <auto D, class S, auto Dev, class St, class O>
constexpr auto t(const tensor<D, S, Dev, St, O>& x) {
  return make_tensor<D, Dev>(geom::t(x.geometry()));
}
template <auto D, class S, auto Dev, class St, class O>
constexpr auto alias(const tensor<D, S, Dev, St, O>& x) {
  return make_tensor<D, Dev>(x.geometry());
}

// --- the rest: the runtime kernel, constant-evaluated for static tensors

// slice(dim, start, end, step): start/end/step as c<N> for a static result.
template <auto D, class S, auto Dev, class St, class O, dim_like Dim, dim_like B, dim_like E, dim_like P = c<1>>
constexpr auto slice(const tensor<D, S, Dev, St, O>& t, Dim dim, B start, E end, P step = {}) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const {
      return geom::slice(g, static_value_or_dyn<Dim>, static_value_or_dyn<B>, static_value_or_dyn<E>, static_value_or_dyn<P>);
    }
  };
  return detail::run_view<S::rank_value, kernel, detail::all_static_v<Dim, B, E, P>>(t, [&](const runtime_geometry& g) {
    return geom::slice(g, to_int64(dim), to_int64(start), to_int64(end), to_int64(step));
  });
}

template <auto D, class S, auto Dev, class St, class O, dim_like Dim, dim_like B, dim_like L>
constexpr auto narrow(const tensor<D, S, Dev, St, O>& t, Dim dim, B start, L length) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const {
      return geom::narrow(g, static_value_or_dyn<Dim>, static_value_or_dyn<B>, static_value_or_dyn<L>);
    }
  };
  return detail::run_view<S::rank_value, kernel, detail::all_static_v<Dim, B, L>>(t, [&](const runtime_geometry& g) {
    return geom::narrow(g, to_int64(dim), to_int64(start), to_int64(length));
  });
}

// permute(strides<1, 0, 2>{}) — a typed int tuple of dims (negative allowed).
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ds>
constexpr auto permute(const tensor<D, S, Dev, St, O>& t, strides<Ds...> dims) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const { return geom::permute(g, dim_vector{Ds...}); }
  };
  return detail::run_view<sizeof...(Ds), kernel, strides<Ds...>::is_fully_static>(t, [&](const runtime_geometry& g) {
    return geom::permute(g, dim_vector(dims));
  });
}

// expand(strides<4, -1, 3>{}) — -1 keeps a size, as in PyTorch.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto expand(const tensor<D, S, Dev, St, O>& t, strides<Ns...> sizes) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const { return geom::expand(g, dim_vector{Ns...}); }
  };
  return detail::run_view<sizeof...(Ns), kernel, strides<Ns...>::is_fully_static>(t, [&](const runtime_geometry& g) {
    return geom::expand(g, dim_vector(sizes));
  });
}

// view(strides<8, -1>{}) — one -1 may be inferred.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto view(const tensor<D, S, Dev, St, O>& t, strides<Ns...> sizes) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const { return geom::view(g, dim_vector{Ns...}); }
  };
  return detail::run_view<sizeof...(Ns), kernel, strides<Ns...>::is_fully_static>(t, [&](const runtime_geometry& g) {
    return geom::view(g, dim_vector(sizes));
  });
}

template <auto D, class S, auto Dev, class St, class O, dim_like Off, dim_like D1, dim_like D2>
constexpr auto diagonal(const tensor<D, S, Dev, St, O>& t, Off offset, D1 dim1, D2 dim2) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const {
      return geom::diagonal(g, static_value_or_dyn<Off>, static_value_or_dyn<D1>, static_value_or_dyn<D2>);
    }
  };
  return detail::run_view<S::rank_value - 1, kernel, detail::all_static_v<Off, D1, D2>>(t, [&](const runtime_geometry& g) {
    return geom::diagonal(g, to_int64(offset), to_int64(dim1), to_int64(dim2));
  });
}

template <auto D, class S, auto Dev, class St, class O, dim_like Dim, dim_like Sz, dim_like P>
constexpr auto unfold(const tensor<D, S, Dev, St, O>& t, Dim dim, Sz size, P step) {
  struct kernel {
    constexpr runtime_geometry operator()(const runtime_geometry& g) const {
      return geom::unfold(g, static_value_or_dyn<Dim>, static_value_or_dyn<Sz>, static_value_or_dyn<P>);
    }
  };
  return detail::run_view<S::rank_value + 1, kernel, detail::all_static_v<Dim, Sz, P>>(t, [&](const runtime_geometry& g) {
    return geom::unfold(g, to_int64(dim), to_int64(size), to_int64(step));
  });
}

// squeeze(dim): the output rank depends on whether that extent is 1, so the
// extent must be static (a dynamic one: use the tensor_desc path).
template <auto D, class S, auto Dev, class St, class O, std::int64_t Dim>
constexpr auto squeeze(const tensor<D, S, Dev, St, O>& t, c<Dim> dim) {
  constexpr std::int64_t d = Dim < 0 ? Dim + static_cast<std::int64_t>(S::rank_value) : Dim;
  static_assert(S::rank_value == 0 || (d >= 0 && d < static_cast<std::int64_t>(S::rank_value)),
                "fake::squeeze: dim out of range");
  if constexpr (S::rank_value == 0) {
    return alias(t);
  } else {
    static_assert(S::static_values[static_cast<std::size_t>(d)] != dyn,
                  "fake::squeeze on a typed tensor needs a static extent at that dim (the output rank depends on it)");
    constexpr bool drops = S::static_values[static_cast<std::size_t>(d)] == 1;
    struct kernel {
      constexpr runtime_geometry operator()(const runtime_geometry& g) const { return geom::squeeze(g, dim_vector{Dim}); }
    };
    return detail::run_view<S::rank_value - (drops ? 1 : 0), kernel, true>(
        t, [&](const runtime_geometry& g) { return geom::squeeze(g, dim_vector{to_int64(dim)}); });
  }
}

}  // namespace fake
