// faketensor/shape/dim_algorithms.hpp — the loops kernels are written with.
//
// A kernel never loops over dims itself: it says what each output extent is as a
// function of an index, and these primitives run that function
//   * over c<0> ... c<R-1> when the rank R is static (a pack expansion: each
//     index is a type, so static extents stay static), or
//   * over 0 ... r-1 as std::int64_t when the rank is only known at run time.
// One lambda body serves both. See Note [one kernel, three interpretations].
#pragma once

#include <cstdint>      // std::int64_t
#include <type_traits>  // std::common_type_t
#include <utility>      // std::index_sequence

#include "faketensor/core/dim.hpp"          // fake::c, fake::dim_like
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/geometry.hpp"    // fake::geometry
#include "faketensor/shape/shape.hpp"       // fake::shape, fake::strides

namespace fake {

// `cond ? then_fn() : else_fn()`, calling only the chosen branch. A static
// condition picks at compile time (the branches may return different types); a
// runtime one needs branches of one type, or dims (then the result is int64).
// Both branches must be valid code for the given types (GCC instantiates the
// body of a discarded lambda); where a branch would be ill-formed, the
// primitive needs its own `if constexpr` (see dim_or_one).
template <condition Cond, class Then, class Else>
constexpr auto branch(Cond cond, Then&& then_fn, Else&& else_fn) {
  if constexpr (is_static_bool_v<Cond>) {
    if constexpr (std::remove_cvref_t<Cond>::value) return then_fn();
    else return else_fn();
  } else {
    using T = decltype(then_fn());
    using E = decltype(else_fn());
    if constexpr (std::same_as<T, E> && !dim_like<T>) {
      return cond ? then_fn() : else_fn();
    } else if constexpr (is_extra_dim_v<T> || is_extra_dim_v<E>) {
      using X = extra_dim_traits<detail::extra_dim_of<T, E>>;
      return cond ? X::from(then_fn()) : X::from(else_fn());
    } else if constexpr (dim_like<T> && dim_like<E>) {
      return cond ? to_int64(then_fn()) : to_int64(else_fn());
    } else {
      using R = std::common_type_t<T, E>;
      return cond ? R(then_fn()) : R(else_fn());
    }
  }
}

// The runtime-rank container of an extra dim kind (sym_dims for sym_int,
// specialized next to it); plain dims use dim_vector.
template <class Dim>
struct runtime_dims_for;

namespace detail {
// The type a runtime loop accumulates a dim of type D in: the extra kind
// itself, else std::int64_t.
template <class D>
using runtime_dim_t = std::conditional_t<is_extra_dim_v<D>, std::remove_cvref_t<D>, std::int64_t>;

template <class R, dim_like D>
constexpr R to_runtime_dim(D d) {
  if constexpr (is_extra_dim_v<R>) return extra_dim_traits<R>::from(d);
  else return to_int64(d);
}

// The dim type a runtime loop over the dims of container S computes in
// (std::int64_t for typed shapes and dim_vector, sym_int for sym_dims).
template <class S>
using dims_element_t = runtime_dim_t<decltype(dim_at(std::declval<const S&>(), std::int64_t{0}))>;

// The runtime-rank container that holds dims of kind D: runtime_dims_for<D>
// for an extra kind, dim_vector otherwise.
template <class D, bool = is_extra_dim_v<D>>
struct runtime_dims_of {
  using type = dim_vector;
};
template <class D>
struct runtime_dims_of<D, true> {
  using type = typename runtime_dims_for<D>::type;
};
template <class D>
using runtime_dims_of_t = typename runtime_dims_of<D>::type;

// Elementwise equality of two runtime-rank shapes; on symbolic dims each
// comparison is decided by ranges or guarded.
template <class A, class B>
constexpr bool dims_equal(const A& a, const B& b) {
  if constexpr (std::is_same_v<A, dim_vector> && std::is_same_v<B, dim_vector>) {
    return a == b;
  } else {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
}

// Its own function so that the result is constructed in place (NRVO): moving a
// small_vector copies its inline buffer.
template <class F>
constexpr auto generate_runtime_dims(std::size_t count, F f) {  // f by value: its captures stay in registers
  using R = runtime_dim_t<decltype(f(std::int64_t{}))>;
  runtime_dims_of_t<R> out(count, default_init);
  for (std::size_t i = 0; i < count; ++i) out[i] = to_runtime_dim<R>(f(static_cast<std::int64_t>(i)));
  return out;
}

template <fixed_string Op, class F>
constexpr auto scan_runtime_dims(std::size_t count, F f) {
  using R = runtime_dim_t<decltype(f(std::int64_t{}))>;
  runtime_dims_of_t<R> out(count, default_init);
  R acc = to_runtime_dim<R>(std::int64_t{1});
  for (std::size_t i = count; i-- > 0;) {
    out[i] = acc;
    if (i > 0) acc = to_runtime_dim<R>(checked_mul<Op>(acc, f(static_cast<std::int64_t>(i))));
  }
  return out;
}
}  // namespace detail

// The result of f(i) for every i in [0, n), as a typed Tpl<...> (fake::shape or
// fake::strides) when n is static, as a dim_vector when it is not.
template <template <std::int64_t...> class Tpl, dim_like N, class F>
constexpr auto generate_dims(N n, F&& f) {
  if constexpr (static_dim<N>) {
    static_assert(N::value >= 0, "fake::generate_dims: negative rank");
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return make_dims<Tpl>(as_dim(f(c<static_cast<std::int64_t>(I)>{}))...);
    }(std::make_index_sequence<static_cast<std::size_t>(N::value)>{});
  } else {
    return detail::generate_runtime_dims(static_cast<std::size_t>(to_int64(n)), f);
  }
}

// Left folds used by product_over/sum_over: each step stays static when both
// sides are.
template <fixed_string Op, dim_like Acc>
constexpr auto fold_mul(Acc acc) {
  return acc;
}
template <fixed_string Op, dim_like Acc, dim_like D, dim_like... Ds>
constexpr auto fold_mul(Acc acc, D d, Ds... ds) {
  return fold_mul<Op>(checked_mul<Op>(acc, d), ds...);
}
template <fixed_string Op, dim_like Acc>
constexpr auto fold_add(Acc acc) {
  return acc;
}
template <fixed_string Op, dim_like Acc, dim_like D, dim_like... Ds>
constexpr auto fold_add(Acc acc, D d, Ds... ds) {
  return fold_add<Op>(checked_add<Op>(acc, d), ds...);
}

// f(0) * f(1) * ... * f(n-1), overflow-checked in the name of Op; c<1> for n = 0.
template <fixed_string Op, dim_like N, class F>
constexpr auto product_over(N n, F&& f) {
  if constexpr (static_dim<N>) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return fold_mul<Op>(c<1>{}, f(c<static_cast<std::int64_t>(I)>{})...);
    }(std::make_index_sequence<static_cast<std::size_t>(N::value)>{});
  } else {
    using R = detail::runtime_dim_t<decltype(f(std::int64_t{}))>;
    R acc = detail::to_runtime_dim<R>(std::int64_t{1});
    for (std::int64_t i = 0; i < to_int64(n); ++i) acc = detail::to_runtime_dim<R>(checked_mul<Op>(acc, f(i)));
    return acc;
  }
}

// f(0) + f(1) + ... + f(n-1), overflow-checked in the name of Op; c<0> for n = 0.
template <fixed_string Op, dim_like N, class F>
constexpr auto sum_over(N n, F&& f) {
  if constexpr (static_dim<N>) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return fold_add<Op>(c<0>{}, f(c<static_cast<std::int64_t>(I)>{})...);
    }(std::make_index_sequence<static_cast<std::size_t>(N::value)>{});
  } else {
    using R = detail::runtime_dim_t<decltype(f(std::int64_t{}))>;
    R acc = detail::to_runtime_dim<R>(std::int64_t{0});
    for (std::int64_t i = 0; i < to_int64(n); ++i) acc = detail::to_runtime_dim<R>(checked_add<Op>(acc, f(i)));
    return acc;
  }
}

namespace detail {
template <class G, class F>
constexpr runtime_geometry gather_runtime_geometry(std::size_t count, const G& g, std::int64_t offset, F src) {
  runtime_geometry out{dim_vector(count, default_init), dim_vector(count, default_init), offset};
  for (std::size_t i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(to_int64(src(static_cast<std::int64_t>(i))));
    out.sizes[i] = to_int64(dim_at(g.sizes, k));
    out.strides[i] = to_int64(dim_at(g.strides, k));
  }
  return out;
}

// The same over dims of an extra kind R (sym_int), in its own containers.
template <class R, class G, dim_like Off, class F>
auto gather_extra_geometry(std::size_t count, const G& g, Off offset, F src) {
  using dims = typename runtime_dims_for<R>::type;
  geometry<dims, dims, R> out{dims(count), dims(count), to_runtime_dim<R>(offset)};
  for (std::size_t i = 0; i < count; ++i) {
    const auto k = static_cast<std::size_t>(to_int64(src(static_cast<std::int64_t>(i))));
    out.sizes[i] = to_runtime_dim<R>(dim_at(g.sizes, k));
    out.strides[i] = to_runtime_dim<R>(dim_at(g.strides, k));
  }
  return out;
}
}  // namespace detail

// The geometry whose dim i is dim src(i) of g (sizes and strides alike), with
// storage offset `offset`: the shape of transpose, permute, select. Static
// ranks and indices give typed results; at run time it is one pass.
template <class G, dim_like N, dim_like Off, class F>
constexpr auto gather_geometry(const G& g, N n, Off offset, F&& src) {
  if constexpr (static_dim<N>) {
    return geometry{generate_dims<shape>(n, [&](auto i) { return dim_at(g.sizes, src(i)); }),
                    generate_dims<strides>(n, [&](auto i) { return dim_at(g.strides, src(i)); }), offset};
  } else {
    using R = detail::runtime_dim_t<decltype(dim_at(g.sizes, std::size_t{0}))>;
    if constexpr (is_extra_dim_v<R>) return detail::gather_extra_geometry<R>(static_cast<std::size_t>(to_int64(n)), g, offset, src);
    else return detail::gather_runtime_geometry(static_cast<std::size_t>(to_int64(n)), g, to_int64(offset), src);
  }
}

// out[n-1] = c<1>, out[i] = out[i+1] * f(i+1): the exclusive product scan from
// the right that contiguous strides are (overflow-checked in the name of Op).
// O(n) at run time; each static element is its own product at compile time.
template <template <std::int64_t...> class Tpl, fixed_string Op, dim_like N, class F>
constexpr auto exclusive_product_scan_right(N n, F&& f) {
  if constexpr (static_dim<N>) {
    return generate_dims<Tpl>(n, [&](auto i) {
      const auto first = i + c<1>{};
      return product_over<Op>(n - first, [&](auto k) { return f(first + k); });
    });
  } else {
    return detail::scan_runtime_dims<Op>(static_cast<std::size_t>(to_int64(n)), f);
  }
}

// True when pred(i) holds for every i in [0, n). Static when every pred is.
template <dim_like N, class F>
constexpr auto all_of_dims(N n, F&& pred) {
  if constexpr (static_dim<N>) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (true_c{} && ... && pred(c<static_cast<std::int64_t>(I)>{}));
    }(std::make_index_sequence<static_cast<std::size_t>(N::value)>{});
  } else {
    for (std::int64_t i = 0; i < to_int64(n); ++i)
      if (!static_cast<bool>(pred(i))) return false;
    return true;
  }
}

// The extent at index j, or c<1> for a negative j: the padding rule of
// broadcasting (shapes align at the right; missing leading dims count as 1).
template <class S, dim_like J>
constexpr auto dim_or_one(const S& s, J j) {
  if constexpr (is_static_bool_v<decltype(j >= c<0>{})>) {
    if constexpr (decltype(j >= c<0>{})::value) return as_dim(dim_at(s, j));
    else return c<1>{};
  } else {
    using R = detail::runtime_dim_t<decltype(dim_at(s, j))>;
    return j >= 0 ? detail::to_runtime_dim<R>(dim_at(s, j)) : detail::to_runtime_dim<R>(std::int64_t{1});
  }
}

// PyTorch's maybe_wrap_dim: a dim in [-rank, rank) becomes an index in [0, rank);
// a 0-dim tensor accepts -1 and 0. Anything else is an index_error naming Op.
template <fixed_string Op, dim_like D, dim_like R>
constexpr auto wrap_dim(D dim, R rank_) {
  const auto r = dim_max(rank_, c<1>{});  // scalars wrap as if 1-dim
  expect<index_error, Op, "Dimension out of range (expected to be in range of [{}, {}], but got {})">(
      (dim >= -r) && (dim < r), -r, r - c<1>{}, dim);
  return branch(dim < c<0>{}, [&](auto...) { return as_dim(dim + r); }, [&](auto...) { return as_dim(dim); });
}

}  // namespace fake
