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
#include <tuple>    // std::tuple
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

// A static argument: an empty type whose value is in the type (c<N>, a fully
// static fake::strides<...>), so the compiler can make one from nothing.
template <class A>
inline constexpr bool is_static_arg_v = static_dim<A> || static_dims<A>;

// Runs Kernel (a capture-less lambda: (runtime_geometry, args...) -> runtime
// geometry, args as given: c<N>, int64, fake::strides<...>) on the tensor's
// geometry. When the tensor and every argument are static the compiler runs it
// and the result's geometry is in its type, with DOut (default: the input's
// dtype) as dtype; otherwise it runs at run time and the result is a typed
// tensor of static rank R with dynamic extents.
template <std::size_t R, auto DOut = nullptr, auto D, class S, auto Dev, class St, class O, class Kernel, class... Args>
constexpr auto run_view(const tensor<D, S, Dev, St, O>& t, Kernel, const Args&... args) {
  using T = tensor<D, S, Dev, St, O>;
  constexpr auto dout = [] {
    if constexpr (std::is_same_v<decltype(DOut), std::nullptr_t>) return D;
    else return DOut;
  }();
  if constexpr (is_fully_static_tensor_v<T> && (is_static_arg_v<Args> && ...)) {
    constexpr packed_geometry p = pack(Kernel{}(runtime_geometry_of(T{}), Args{}...));
    static_assert(p.rank <= 64, "fake: rank above 64");
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return tensor<dout, shape<p.sizes[I]...>, Dev, strides<p.strides[I]...>, c<p.offset>>{};
    }(std::make_index_sequence<p.rank>{});
  } else {
    return dynamic_view<dout, Dev, R>(Kernel{}(runtime_geometry_of(t), args...));
  }
}

// reshape at run time: a view when the strides allow, else a contiguous copy.
template <std::size_t R, auto D, class S, auto Dev, class St, class O>
auto reshape_runtime(const tensor<D, S, Dev, St, O>& t, const dim_vector& sizes) {
  const runtime_geometry g = runtime_geometry_of(t);
  const std::int64_t n = fake::numel(g.sizes);
  dim_vector inferred = geom::infer_size(sizes, n);
  dim_vector st;
  if (geom::compute_view_strides(g.sizes, g.strides, n, inferred, st))
    return dynamic_view<D, Dev, R>(runtime_geometry{std::move(inferred), std::move(st), g.offset});
  st = contiguous_strides(inferred);
  return dynamic_view<D, Dev, R>(runtime_geometry{std::move(inferred), std::move(st), 0});
}

// The sizes flatten(start, end) reshapes to.
constexpr dim_vector flattened_sizes(const dim_vector& sizes, std::int64_t start, std::int64_t end) {
  dim_vector out(sizes.begin(), sizes.begin() + start);
  std::int64_t n = 1;
  for (std::int64_t d = start; d <= end; ++d) n = checked_mul<"flatten">(n, sizes[static_cast<std::size_t>(d)]);
  out.push_back(n);
  out.insert(out.end(), sizes.begin() + end + 1, sizes.end());
  return out;
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
  return detail::run_view<S::rank_value>(
      t,
      [](const runtime_geometry& g, auto d, auto b, auto e, auto p) {
        return geom::slice(g, to_int64(d), to_int64(b), to_int64(e), to_int64(p));
      },
      dim, start, end, step);
}

template <auto D, class S, auto Dev, class St, class O, dim_like Dim, dim_like B, dim_like L>
constexpr auto narrow(const tensor<D, S, Dev, St, O>& t, Dim dim, B start, L length) {
  return detail::run_view<S::rank_value>(
      t, [](const runtime_geometry& g, auto d, auto b, auto l) { return geom::narrow(g, to_int64(d), to_int64(b), to_int64(l)); },
      dim, start, length);
}

// permute(strides<1, 0, 2>{}) — a typed int tuple of dims (negative allowed).
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ds>
constexpr auto permute(const tensor<D, S, Dev, St, O>& t, strides<Ds...> dims) {
  return detail::run_view<sizeof...(Ds)>(
      t, [](const runtime_geometry& g, const auto& p) { return geom::permute(g, dim_vector(p)); }, dims);
}

// expand(strides<4, -1, 3>{}) — -1 keeps a size, as in PyTorch.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto expand(const tensor<D, S, Dev, St, O>& t, strides<Ns...> sizes) {
  return detail::run_view<sizeof...(Ns)>(
      t, [](const runtime_geometry& g, const auto& n) { return geom::expand(g, dim_vector(n)); }, sizes);
}

// view(strides<8, -1>{}) — one -1 may be inferred.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto view(const tensor<D, S, Dev, St, O>& t, strides<Ns...> sizes) {
  return detail::run_view<sizeof...(Ns)>(
      t, [](const runtime_geometry& g, const auto& n) { return geom::view(g, dim_vector(n)); }, sizes);
}

template <auto D, class S, auto Dev, class St, class O, dim_like Off, dim_like D1, dim_like D2>
constexpr auto diagonal(const tensor<D, S, Dev, St, O>& t, Off offset, D1 dim1, D2 dim2) {
  return detail::run_view<S::rank_value - 1>(
      t,
      [](const runtime_geometry& g, auto o, auto a, auto b) { return geom::diagonal(g, to_int64(o), to_int64(a), to_int64(b)); },
      offset, dim1, dim2);
}

template <auto D, class S, auto Dev, class St, class O, dim_like Dim, dim_like Sz, dim_like P>
constexpr auto unfold(const tensor<D, S, Dev, St, O>& t, Dim dim, Sz size, P step) {
  return detail::run_view<S::rank_value + 1>(
      t, [](const runtime_geometry& g, auto d, auto n, auto p) { return geom::unfold(g, to_int64(d), to_int64(n), to_int64(p)); },
      dim, size, step);
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
    return detail::run_view<S::rank_value - (drops ? 1 : 0)>(
        t, [](const runtime_geometry& g, auto k) { return geom::squeeze(g, dim_vector{to_int64(k)}); }, dim);
  }
}

template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ss, std::int64_t... Ds>
constexpr auto movedim(const tensor<D, S, Dev, St, O>& t, strides<Ss...> source, strides<Ds...> destination) {
  return detail::run_view<S::rank_value>(
      t, [](const runtime_geometry& g, const auto& a, const auto& b) { return geom::movedim(g, dim_vector(a), dim_vector(b)); },
      source, destination);
}

// as_strided(sizes, strides, offset). A typed tensor has no storage, so there
// is no storage bound to check here (tensor_desc checks it).
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns, std::int64_t... Ms, dim_like Off>
constexpr auto as_strided(const tensor<D, S, Dev, St, O>&, shape<Ns...> sizes, strides<Ms...> strides_, Off offset) {
  static_assert(sizeof...(Ns) == sizeof...(Ms), "fake::as_strided: sizes and strides have different ranks");
  const runtime_geometry g = geom::as_strided(dim_vector(sizes), dim_vector(strides_), to_int64(offset));
  (void)g;  // the checks (negative strides, offset)
  return tensor<D, shape<Ns...>, Dev, strides<Ms...>, decltype(as_dim(offset))>(sizes, strides_, as_dim(offset));
}

template <auto D, class S, auto Dev, class St, class O, class Other>
  requires is_typed_tensor_v<Other>
constexpr auto expand_as(const tensor<D, S, Dev, St, O>& t, const Other& other) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using target = strides<Other::shape_type::static_values[I]...>;
    if constexpr (target::is_fully_static) return expand(t, target{});
    else return expand(t, target(all_extents, other.sizes()[I]...));
  }(std::make_index_sequence<Other::rank_value>{});
}

// _unsafe_view and detach: the geometry of view / alias (typed tensors carry
// neither view relations nor autograd state).
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto unsafe_view(const tensor<D, S, Dev, St, O>& t, strides<Ns...> sizes) {
  return view(t, sizes);
}
template <auto D, class S, auto Dev, class St, class O>
constexpr auto detach(const tensor<D, S, Dev, St, O>& t) {
  return alias(t);
}

template <auto D, class S, auto Dev, class St, class O>
constexpr auto view_as_real(const tensor<D, S, Dev, St, O>& t) {
  static_assert(is_complex(decltype(D)::value), "fake::view_as_real: only supported for complex tensors");
  return detail::run_view<S::rank_value + 1, dtype_c<to_real(decltype(D)::value)>{}>(
      t, [](const runtime_geometry& g) { return geom::view_as_real(g); });
}

template <auto D, class S, auto Dev, class St, class O>
constexpr auto view_as_complex(const tensor<D, S, Dev, St, O>& t) {
  constexpr dtype d = decltype(D)::value;
  static_assert(d == dtype::float32 || d == dtype::float64 || d == dtype::float16,
                "fake::view_as_complex: only supported for float, double and half tensors");
  static_assert(S::rank_value > 0, "fake::view_as_complex: Input tensor must have one or more dimensions");
  return detail::run_view<S::rank_value - 1, dtype_c<to_complex(d)>{}>(
      t, [](const runtime_geometry& g) { return geom::view_as_complex(g); });
}

template <auto D, class S, auto Dev, class St, class O>
constexpr auto real(const tensor<D, S, Dev, St, O>& t) {
  if constexpr (is_complex(decltype(D)::value)) return select(view_as_real(t), c<-1>{}, c<0>{});
  else return t;
}
template <auto D, class S, auto Dev, class St, class O>
constexpr auto imag(const tensor<D, S, Dev, St, O>& t) {
  static_assert(is_complex(decltype(D)::value), "fake::imag: imag is not implemented for tensors with non-complex dtypes.");
  return select(view_as_real(t), c<-1>{}, c<1>{});
}

// reshape(strides<...>{}): a view when the strides allow it, else (as PyTorch
// does) a contiguous copy — for a typed tensor, a contiguous tensor of the new
// shape. Static tensors decide which at compile time.
template <auto D, class S, auto Dev, class St, class O, std::int64_t... Ns>
constexpr auto reshape(const tensor<D, S, Dev, St, O>& t, strides<Ns...> sizes) {
  using T = tensor<D, S, Dev, St, O>;
  if constexpr (detail::is_fully_static_tensor_v<T> && strides<Ns...>::is_fully_static) {
    constexpr auto plan = [] {
      const runtime_geometry g = detail::runtime_geometry_of(T{});
      const std::int64_t n = fake::numel(g.sizes);
      const dim_vector inferred = geom::infer_size(dim_vector{Ns...}, n);
      dim_vector st;
      const bool viewable = geom::compute_view_strides(g.sizes, g.strides, n, inferred, st);
      std::array<std::int64_t, sizeof...(Ns)> out{};
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = inferred[i];
      return std::pair{viewable, out};
    }();
    if constexpr (plan.first) {
      return view(t, sizes);
    } else {
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return tensor<D, shape<plan.second[I]...>, Dev>{};
      }(std::make_index_sequence<sizeof...(Ns)>{});
    }
  } else {
    return detail::reshape_runtime<sizeof...(Ns)>(t, dim_vector(sizes));
  }
}

// flatten(start, end) with static dims: reshape to the merged extent.
template <auto D, class S, auto Dev, class St, class O, std::int64_t Start = 0, std::int64_t End = -1>
constexpr auto flatten(const tensor<D, S, Dev, St, O>& t, c<Start> = {}, c<End> = {}) {
  using T = tensor<D, S, Dev, St, O>;
  constexpr auto r = static_cast<std::int64_t>(S::rank_value);
  if constexpr (r == 0) {
    return reshape(t, strides<1>{});
  } else {
    constexpr std::int64_t s0 = Start < 0 ? Start + r : Start;
    constexpr std::int64_t e0 = End < 0 ? End + r : End;
    static_assert(s0 >= 0 && s0 < r && e0 >= 0 && e0 < r, "fake::flatten: dim out of range");
    static_assert(s0 <= e0, "fake::flatten: flatten() has invalid args: start_dim cannot come after end_dim");
    constexpr std::size_t rank_out = static_cast<std::size_t>(r - (e0 - s0));
    if constexpr (s0 == e0) {
      return t;
    } else if constexpr (S::is_fully_static) {
      constexpr auto target = [] {
        const dim_vector v = detail::flattened_sizes(dim_vector(S{}), s0, e0);
        std::array<std::int64_t, rank_out> out{};
        for (std::size_t i = 0; i < rank_out; ++i) out[i] = v[i];
        return out;
      }();
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return reshape(t, strides<target[I]...>{});
      }(std::make_index_sequence<rank_out>{});
    } else {
      (void)sizeof(T);
      return detail::reshape_runtime<rank_out>(t, detail::flattened_sizes(dim_vector(t.sizes()), s0, e0));
    }
  }
}

// unflatten(dim, strides<...>{}): one dim split into several (one -1 allowed).
template <auto D, class S, auto Dev, class St, class O, std::int64_t Dim, std::int64_t... Ns>
constexpr auto unflatten(const tensor<D, S, Dev, St, O>& t, c<Dim>, strides<Ns...> sizes) {
  static_assert(S::rank_value > 0, "fake::unflatten: Dimension specified but tensor has no dimensions");
  static_assert(sizeof...(Ns) > 0, "fake::unflatten: sizes must be non-empty");
  constexpr auto r = static_cast<std::int64_t>(S::rank_value);
  constexpr std::int64_t d = Dim < 0 ? Dim + r : Dim;
  static_assert(d >= 0 && d < r, "fake::unflatten: dim out of range");
  return detail::run_view<S::rank_value + sizeof...(Ns) - 1>(
      t,
      [](const runtime_geometry& g, const auto& n) {
        dim_vector shape_(g.sizes.begin(), g.sizes.begin() + d);
        const dim_vector inferred = geom::infer_size(dim_vector(n), g.sizes[static_cast<std::size_t>(d)]);
        shape_.insert(shape_.end(), inferred.begin(), inferred.end());
        shape_.insert(shape_.end(), g.sizes.begin() + d + 1, g.sizes.end());
        return geom::view(g, shape_);
      },
      sizes);
}

// split(c<size>, c<dim>) / chunk / unbind / tensor_split on static tensors:
// a std::tuple of typed views (the count is static too).
template <auto D, class S, auto Dev, class St, class O, std::int64_t Size, std::int64_t Dim = 0>
constexpr auto split(const tensor<D, S, Dev, St, O>& t, c<Size>, c<Dim> = {}) {
  static_assert(S::rank_value > 0, "fake::split: split expects at least a 1-dimensional tensor");
  constexpr auto r = static_cast<std::int64_t>(S::rank_value);
  constexpr std::int64_t d = Dim < 0 ? Dim + r : Dim;
  static_assert(d >= 0 && d < r, "fake::split: dim out of range");
  constexpr std::int64_t dim_size = S::static_values[static_cast<std::size_t>(d)];
  static_assert(dim_size != dyn, "fake::split on a typed tensor needs a static extent at that dim (the count depends on it)");
  static_assert(Size >= 0 && (Size > 0 || dim_size == 0), "fake::split: split_size must be positive (or 0 for an empty dim)");
  constexpr std::int64_t n = Size == 0 ? 1 : std::max<std::int64_t>((dim_size + Size - 1) / Size, 1);
  constexpr std::int64_t last = Size - (Size * n - dim_size);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple{narrow(t, c<d>{}, c<static_cast<std::int64_t>(I) * Size>{},
                             c<(static_cast<std::int64_t>(I) < n - 1 ? Size : last)>{})...};
  }(std::make_index_sequence<static_cast<std::size_t>(n)>{});
}

template <auto D, class S, auto Dev, class St, class O, std::int64_t Chunks, std::int64_t Dim = 0>
constexpr auto chunk(const tensor<D, S, Dev, St, O>& t, c<Chunks>, c<Dim> = {}) {
  static_assert(Chunks > 0, "fake::chunk: chunk expects `chunks` to be greater than 0");
  constexpr auto r = static_cast<std::int64_t>(S::rank_value);
  constexpr std::int64_t d = Dim < 0 ? Dim + r : Dim;
  constexpr std::int64_t dim_size = S::static_values[static_cast<std::size_t>(d)];
  constexpr std::int64_t split_size = (dim_size + Chunks - 1) / Chunks;
  if constexpr (split_size == 0 && dim_size == 0) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return std::tuple{(static_cast<void>(I), narrow(t, c<d>{}, c<0>{}, c<0>{}))...};
    }(std::make_index_sequence<static_cast<std::size_t>(Chunks)>{});
  } else {
    return split(t, c<split_size>{}, c<d>{});
  }
}

template <auto D, class S, auto Dev, class St, class O, std::int64_t Dim = 0>
constexpr auto unbind(const tensor<D, S, Dev, St, O>& t, c<Dim> = {}) {
  static_assert(S::rank_value > 0, "fake::unbind: Dimension specified but tensor has no dimensions");
  constexpr auto r = static_cast<std::int64_t>(S::rank_value);
  constexpr std::int64_t d = Dim < 0 ? Dim + r : Dim;
  constexpr std::int64_t dim_size = S::static_values[static_cast<std::size_t>(d)];
  static_assert(dim_size != dyn, "fake::unbind on a typed tensor needs a static extent at that dim");
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple{select(t, c<d>{}, c<static_cast<std::int64_t>(I)>{})...};
  }(std::make_index_sequence<static_cast<std::size_t>(dim_size)>{});
}

template <auto D, class S, auto Dev, class St, class O, std::int64_t Sections, std::int64_t Dim = 0>
constexpr auto tensor_split(const tensor<D, S, Dev, St, O>& t, c<Sections>, c<Dim> = {}) {
  static_assert(S::rank_value > 0, "fake::tensor_split: expected at least a 1-dimensional tensor");
  static_assert(Sections > 0, "fake::tensor_split: number of sections must be larger than 0");
  constexpr auto r = static_cast<std::int64_t>(S::rank_value);
  constexpr std::int64_t d = Dim < 0 ? Dim + r : Dim;
  constexpr std::int64_t dim_size = S::static_values[static_cast<std::size_t>(d)];
  static_assert(dim_size != dyn, "fake::tensor_split on a typed tensor needs a static extent at that dim");
  constexpr std::int64_t min_split = dim_size / Sections, extra = dim_size % Sections;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    constexpr auto start = [](std::int64_t i) { return i * min_split + (i < extra ? i : extra); };
    constexpr auto size = [](std::int64_t i) { return i < extra ? min_split + 1 : min_split; };
    return std::tuple{slice(t, c<d>{}, c<start(static_cast<std::int64_t>(I))>{},
                            c<start(static_cast<std::int64_t>(I)) + size(static_cast<std::int64_t>(I))>{})...};
  }(std::make_index_sequence<static_cast<std::size_t>(Sections)>{});
}

}  // namespace fake
