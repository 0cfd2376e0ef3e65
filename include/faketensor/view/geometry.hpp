// faketensor/view/geometry.hpp — the sizes/strides/offset arithmetic of every
// PyTorch view op, written once over typed and runtime dims.
//
// Each function takes a geometry (sizes, strides, storage offset: typed
// fake::shape/fake::strides/c<N> or dim_vector/int64) and returns the view's
// geometry with PyTorch's exact values and error messages. fake::tensor_desc
// and the typed fake::tensor call these; storage, dtype and the view chain are
// theirs to handle (view/ops.hpp). Ops whose output rank depends on values
// (view, squeeze) take and give runtime dims (dim_vector); the others keep
// static extents static when their dim arguments are static (c<I>).
#pragma once

#include <algorithm>  // std::max, std::min
#include <cstdint>    // std::int64_t
#include <limits>     // std::numeric_limits
#include <optional>   // std::optional
#include <type_traits>  // std::conditional_t, std::remove_cvref_t
#include <utility>    // std::move

#include "faketensor/core/config.hpp"           // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/core/dim.hpp"              // fake::c, fake::select
#include "faketensor/core/expect.hpp"           // fake::expect
#include "faketensor/meta/view_info.hpp"        // fake::view_step
#include "faketensor/shape/dim_algorithms.hpp"  // fake::generate_dims, fake::wrap_dim
#include "faketensor/shape/contiguity.hpp"      // fake::detail::oblivious
#include "faketensor/shape/dim_vector.hpp"      // fake::dim_vector
#include "faketensor/shape/geometry.hpp"        // fake::geometry, fake::runtime_geometry
#include "faketensor/shape/numel.hpp"           // fake::numel

namespace fake {


namespace geom {

// transpose(dim0, dim1) / swapaxes: swap two dims' sizes and strides.
template <class S, class T, class O, dim_like D0, dim_like D1>
constexpr auto transpose(const geometry<S, T, O>& g, D0 dim0, D1 dim1) {
  const auto r = rank(g.sizes);
  const auto d0 = wrap_dim<"transpose">(dim0, r);
  const auto d1 = wrap_dim<"transpose">(dim1, r);
  return gather_geometry(g, r, g.offset, [=](auto i) { return select(i == d0, d1, select(i == d1, d0, i)); });
}

// t(): transpose(0, 1) for rank <= 2 (an alias for rank 0 and 1).
template <class S, class T, class O>
constexpr auto t(const geometry<S, T, O>& g) {
  const auto r = rank(g.sizes);
  expect<shape_error, "t", "t() expects a tensor with <= 2 dimensions, but self is {}D">(r <= c<2>{}, r);
  return transpose(g, c<0>{}, dim_min(c<1>{}, dim_max(r - c<1>{}, c<0>{})));
}

// select(dim, index): drops dim; index may be negative.
template <class S, class T, class O, dim_like D, dim_like I>
constexpr auto select_dim(const geometry<S, T, O>& g, D dim, I index) {
  const auto r = rank(g.sizes);
  expect<index_error, "select", "select() cannot be applied to a 0-dim tensor.">(r > c<0>{});
  const auto d = wrap_dim<"select">(dim, r);
  const auto size = dim_at(g.sizes, d);
  expect<index_error, "select", "select(): index {} out of range for tensor of size {} at dimension {}">(
      (index >= -size) && (index < size), index, g.sizes, dim);
  const auto i = select(index < c<0>{}, index + size, index);
  return gather_geometry(g, r - c<1>{}, g.offset + i * dim_at(g.strides, d),
                         [=](auto k) { return select(k < d, k, k + c<1>{}); });
}

namespace detail {
// slice on an already wrapped dim d with raw (unclamped) start and end, in the
// dim type R of the geometry (std::int64_t, or sym_int: then each clamp is a
// comparison that ranges decide or a guard records, as in PyTorch).
template <class R, class S, class T, class O, dim_like D, dim_like Rank>
constexpr auto slice_wrapped(const geometry<S, T, O>& g, D d, Rank r, R start, R end, std::int64_t step) {
  const R size = fake::detail::to_runtime_dim<R>(dim_at(g.sizes, d));
  if (start < 0) start = start + size;
  if (end < 0) end = end + size;
  // `> size` where PyTorch writes `>= size` (the same clamp): on symbols a
  // bound that ranges allow to reach the size (x[:t] with t <= size) then
  // needs no guard
  if (start < 0) start = fake::detail::to_runtime_dim<R>(std::int64_t{0});
  else if (start > size) start = size;
  if (end < start) end = start;
  else if (end > size) end = size;
  const R length = end - start;
  const R stride = fake::detail::to_runtime_dim<R>(dim_at(g.strides, d));
  return geometry{generate_dims<shape>(r, [&](auto k) { return select(k == d, floor_div(length + (step - 1), step), dim_at(g.sizes, k)); }),
                  generate_dims<strides>(r, [&](auto k) { return select(k == d, checked_mul<"slice">(stride, step), dim_at(g.strides, k)); }),
                  fake::detail::to_runtime_dim<R>(g.offset) + start * stride};
}
}  // namespace detail

// slice(dim, start, end, step) with PyTorch's clamping; start/end default to
// the whole dim (pass std::nullopt at run time).
template <class S, class T, class O, dim_like D>
constexpr auto slice(const geometry<S, T, O>& g, D dim, std::optional<std::int64_t> start_opt, std::optional<std::int64_t> end_opt,
           std::int64_t step = 1) {
  const auto r = rank(g.sizes);
  expect<shape_error, "slice", "slice() cannot be applied to a 0-dim tensor.">(r > c<0>{});
  const auto d = wrap_dim<"slice">(dim, r);
  expect<value_error, "slice", "slice step must be positive, got {}">(step > 0, step);
  using R = fake::detail::runtime_dim_t<decltype(dim_at(g.sizes, d))>;
  // a missing end is the dim's size (what clamping makes of PyTorch's INT64_MAX)
  const R end = end_opt ? fake::detail::to_runtime_dim<R>(*end_opt) : fake::detail::to_runtime_dim<R>(dim_at(g.sizes, d));
  return detail::slice_wrapped<R>(g, d, r, fake::detail::to_runtime_dim<R>(start_opt.value_or(0)), end, step);
}

// narrow(dim, start, length): slice(dim, start, start + length) with its own
// checks, as ATen 1.13 orders them: start is wrapped like a dim over the
// dim's size (so -1 and 0 are valid starts of an empty dim), except that
// start == size is allowed.
template <class S, class T, class O, dim_like D>
constexpr auto narrow(const geometry<S, T, O>& g, D dim, std::int64_t start_, std::int64_t length) {
  const auto r = rank(g.sizes);
  expect<shape_error, "narrow", "narrow() cannot be applied to a 0-dim tensor.">(r > c<0>{});
  const auto d = wrap_dim<"narrow">(dim, r);
  using R = fake::detail::runtime_dim_t<decltype(dim_at(g.sizes, d))>;
  const R size = fake::detail::to_runtime_dim<R>(dim_at(g.sizes, d));
  R start = fake::detail::to_runtime_dim<R>(start_);
  if (start != size) start = fake::detail::to_runtime_dim<R>(wrap_dim<"narrow">(start_, size));
  expect<shape_error, "narrow", "start ({}) + length ({}) exceeds dimension size ({}).">(
      length >= 0 && start <= size - length, start, length, size);
  return detail::slice_wrapped<R>(g, d, r, start, start + length, 1);
}

namespace detail {
// The stride a new size-1 dim gets before dim d: size[d] * stride[d], or 1 at
// the end (at::inferUnsqueezeGeometry).
template <class S, class T, dim_like D, dim_like R>
constexpr auto unsqueeze_stride(const S& sizes, const T& strides_, D d, R r) {
  if constexpr (is_static_bool_v<decltype(d >= r)>) {
    if constexpr (decltype(d >= r)::value) return c<1>{};
    else return dim_at(sizes, d) * dim_at(strides_, d);
  } else {
    using DimT = fake::detail::runtime_dim_t<decltype(dim_at(sizes, d) * dim_at(strides_, d))>;
    return d >= r ? fake::detail::to_runtime_dim<DimT>(std::int64_t{1})
                  : fake::detail::to_runtime_dim<DimT>(dim_at(sizes, d) * dim_at(strides_, d));
  }
}
}  // namespace detail

// unsqueeze(dim): a size-1 dim whose stride keeps the tensor dense-looking.
template <class S, class T, class O, dim_like D>
constexpr auto unsqueeze(const geometry<S, T, O>& g, D dim) {
  const auto r = rank(g.sizes);
  const auto d = wrap_dim<"unsqueeze">(dim, r + c<1>{});
  const auto new_stride = detail::unsqueeze_stride(g.sizes, g.strides, d, r);
  // dims before d keep their index, dims after it shift by one
  auto source = [=](auto k) { return select(k < d, k, k - c<1>{}); };
  auto old_dim = [&](const auto& dims, auto k) {
    if constexpr (is_static_bool_v<decltype(k == d)>) {
      if constexpr (decltype(k == d)::value) return c<0>{};  // unused
      else return as_dim(dim_at(dims, source(k)));
    } else {
      if (k == d) return fake::detail::to_runtime_dim<fake::detail::runtime_dim_t<decltype(dim_at(dims, std::int64_t{0}))>>(std::int64_t{0});
      return fake::detail::to_runtime_dim<fake::detail::runtime_dim_t<decltype(dim_at(dims, std::int64_t{0}))>>(dim_at(dims, source(k)));
    }
  };
  return geometry{generate_dims<shape>(r + c<1>{}, [&](auto k) { return select(k == d, c<1>{}, old_dim(g.sizes, k)); }),
                  generate_dims<strides>(r + c<1>{}, [&](auto k) { return select(k == d, new_stride, old_dim(g.strides, k)); }),
                  g.offset};
}

// The remaining ops produce runtime geometry.

// squeeze(): drops every size-1 dim. squeeze(dims): drops those of the given
// dims that have size 1 (the others stay).
//
// From here on the ops take runtime-rank geometry: runtime_geometry, or a
// geometry of sym_dims (their dims sym_int), which the same code serves
// (Note [one kernel, three interpretations]); a comparison of symbolic dims is
// decided by ranges or records a guard.
template <class G>
constexpr G squeeze(const G& g) {
  G out{{}, {}, g.offset};
  for (std::size_t i = 0; i < g.sizes.size(); ++i)
    if (g.sizes[i] != 1) {
      out.sizes.push_back(g.sizes[i]);
      out.strides.push_back(g.strides[i]);
    }
  return out;
}
template <class G>
constexpr G squeeze(const G& g, const dim_vector& dims) {
  const auto r = static_cast<std::int64_t>(g.sizes.size());
  std::uint64_t drop = 0;
  for (std::int64_t d : dims) {
    const std::int64_t w = wrap_dim<"squeeze">(d, r);
    if (r > 0 && g.sizes[static_cast<std::size_t>(w)] == 1) drop |= std::uint64_t{1} << w;
  }
  G out{{}, {}, g.offset};
  for (std::int64_t i = 0; i < r; ++i)
    if (!(drop >> i & 1)) {
      out.sizes.push_back(g.sizes[static_cast<std::size_t>(i)]);
      out.strides.push_back(g.strides[static_cast<std::size_t>(i)]);
    }
  return out;
}

// permute(dims): a reordering of all dims.
template <class G>
constexpr G permute(const G& g, const dim_vector& dims) {
  const auto r = static_cast<std::int64_t>(g.sizes.size());
  expect<shape_error, "permute",
         "number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. "
         "input.dim() = {} is not equal to len(dims) = {}">(static_cast<std::int64_t>(dims.size()) == r, r, dims.size());
  G out{decltype(g.sizes)(dims.size()), decltype(g.strides)(dims.size()), g.offset};
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    const std::int64_t d = wrap_dim<"permute">(dims[i], r);
    expect<shape_error, "permute", "repeated dim in permute: {}">(!(seen >> d & 1), dims);
    seen |= std::uint64_t{1} << d;
    out.sizes[i] = g.sizes[static_cast<std::size_t>(d)];
    out.strides[i] = g.strides[static_cast<std::size_t>(d)];
  }
  return out;
}

// movedim(source, destination): permute with the moved dims at their places
// and the others in their order.
// The permutation movedim(source, destination) is: the moved dims at their
// destinations, the others in their order.
constexpr dim_vector movedim_order(std::int64_t r, const dim_vector& source, const dim_vector& destination) {
  expect<shape_error, "movedim",
         "Invalid source or destination dims: source ({} dims) should contain the same number of dims as destination ({} dims)">(
      source.size() == destination.size(), source, destination);
  dim_vector order(static_cast<std::size_t>(r), -1);
  std::uint64_t src_used = 0, dst_used = 0;
  for (std::size_t i = 0; i < source.size(); ++i) {
    const std::int64_t s = wrap_dim<"movedim">(source[i], r);
    const std::int64_t d = wrap_dim<"movedim">(destination[i], r);
    expect<shape_error, "movedim", "repeated dim in `source` ({})">(!(src_used >> s & 1), source);
    expect<shape_error, "movedim", "repeated dim in `destination` ({})">(!(dst_used >> d & 1), destination);
    src_used |= std::uint64_t{1} << s;
    dst_used |= std::uint64_t{1} << d;
    if (r > 0) order[static_cast<std::size_t>(d)] = s;
  }
  std::int64_t next_src = 0;
  for (std::int64_t d = 0; d < r; ++d) {
    if (order[static_cast<std::size_t>(d)] != -1) continue;
    while (src_used >> next_src & 1) ++next_src;
    order[static_cast<std::size_t>(d)] = next_src++;
  }
  return order;
}

template <class G>
constexpr G movedim(const G& g, const dim_vector& source, const dim_vector& destination) {
  return permute(g, movedim_order(static_cast<std::int64_t>(g.sizes.size()), source, destination));
}

namespace detail {
// The dim type of a runtime-rank geometry (std::int64_t or sym_int) and of
// its sizes, and the one that holds both of two (sym_int if either is).
template <class G>
using geometry_dim_t = std::remove_cvref_t<decltype(std::declval<const G&>().offset)>;
template <class A, class B>
using common_runtime_dim_t = std::conditional_t<is_extra_dim_v<A>, A, std::conditional_t<is_extra_dim_v<B>, B, std::int64_t>>;
template <class D>
using runtime_geometry_of = geometry<fake::detail::runtime_dims_of_t<D>, fake::detail::runtime_dims_of_t<D>, D>;
}  // namespace detail

// expand(sizes): -1 keeps a size; size-1 dims and new leading dims broadcast
// with stride 0 (at::inferExpandGeometry). The target sizes may be symbolic
// (expanding to a batch size s0); the result holds the common dim type.
template <class G, class Sizes>
constexpr auto expand(const G& g, const Sizes& sizes) {
  using D = detail::common_runtime_dim_t<detail::geometry_dim_t<G>, fake::detail::dims_element_t<Sizes>>;
  using R = detail::runtime_geometry_of<D>;
  using dims = decltype(R::sizes);
  const auto ndim = static_cast<std::int64_t>(sizes.size());
  const auto tensor_dim = static_cast<std::int64_t>(g.sizes.size());
  if (tensor_dim == 0) {  // ATen: a 0-dim tensor expands to the sizes as given, all strides 0
    dims out(sizes.size(), default_init);
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      out[i] = fake::detail::to_runtime_dim<D>(sizes[i]);
      expect<shape_error, "expand", "Trying to create tensor with negative dimension {}: {}">(out[i] >= 0, out[i], sizes);
    }
    return R{out, dims(sizes.size(), fake::detail::to_runtime_dim<D>(std::int64_t{0})), fake::detail::to_runtime_dim<D>(g.offset)};
  }
  expect<shape_error, "expand",
         "expand({}, size={}): the number of sizes provided ({}) must be greater or equal to the number of dimensions in "
         "the tensor ({})">(ndim >= tensor_dim, g.sizes, sizes, ndim, tensor_dim);
  R out{dims(sizes.size()), dims(sizes.size()), fake::detail::to_runtime_dim<D>(g.offset)};
  for (std::int64_t i = ndim - 1; i >= 0; --i) {
    const std::int64_t offset = ndim - 1 - i;
    const std::int64_t dim = tensor_dim - 1 - offset;
    const auto u = static_cast<std::size_t>(i);
    D size = fake::detail::to_runtime_dim<D>(dim >= 0 ? g.sizes[static_cast<std::size_t>(dim)] : 1);
    D stride = dim >= 0        ? fake::detail::to_runtime_dim<D>(g.strides[static_cast<std::size_t>(dim)])
               : i + 1 < ndim ? D(out.sizes[u + 1] * out.strides[u + 1])
                              : fake::detail::to_runtime_dim<D>(std::int64_t{1});
    D target = fake::detail::to_runtime_dim<D>(sizes[u]);
    if (target == -1) {
      expect<shape_error, "expand",
             "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {}">(dim >= 0, i);
      target = size;
    }
    expect<shape_error, "expand", "Trying to create tensor with negative dimension {}: {}">(target >= 0, target, sizes);
    if (size != target) {
      expect<shape_error, "expand",
             "The expanded size of the tensor ({}) must match the existing size ({}) at non-singleton dimension {}.  "
             "Target sizes: {}.  Tensor sizes: {}">(size == 1, target, size, i, sizes, g.sizes);
      size = target;
      stride = fake::detail::to_runtime_dim<D>(std::int64_t{0});
    }
    out.sizes[u] = size;
    out.strides[u] = stride;
  }
  return out;
}

// at::infer_size: replaces a single -1 so that the sizes hold `numel` elements.
// The sizes and numel may be symbolic; the result holds their common dim type.
template <class Sizes, dim_like N>
constexpr auto infer_size(const Sizes& shape_, N numel_) {
  using D = detail::common_runtime_dim_t<fake::detail::dims_element_t<Sizes>, fake::detail::runtime_dim_t<N>>;
  fake::detail::runtime_dims_of_t<D> res(shape_.size(), default_init);
  for (std::size_t d = 0; d < shape_.size(); ++d) res[d] = fake::detail::to_runtime_dim<D>(shape_[d]);
  const D numel = fake::detail::to_runtime_dim<D>(numel_);
  D newsize = fake::detail::to_runtime_dim<D>(std::int64_t{1});
  std::optional<std::size_t> infer_dim;
  for (std::size_t d = 0; d < res.size(); ++d) {
    if (res[d] == -1) {
      expect<shape_error, "view", "only one dimension can be inferred">(!infer_dim);
      infer_dim = d;
    } else {
      expect<shape_error, "view", "invalid shape dimension {}">(res[d] >= 0, res[d]);
      newsize = checked_mul<"view">(newsize, res[d]);
    }
  }
  if (numel == newsize || (infer_dim && newsize > 0 && numel % newsize == 0)) {
    if (infer_dim) {
      expect<shape_error, "view",
             "cannot reshape tensor of 0 elements into shape {} because the unspecified dimension size -1 can be any value "
             "and is ambiguous">(newsize != 0, shape_);
      res[*infer_dim] = numel / newsize;
    }
    return res;
  }
  fail<shape_error, "view", "shape '{}' is invalid for input of size {}">(shape_, numel);
}

// at::detail::computeStride: the strides for viewing (sizes, strides) as
// new_sizes without copying, into new_strides; false when a new dim would span
// two non-contiguous chunks of the old layout. (An out parameter rather than an
// optional<dim_vector>: nvcc's front end does not take the latter as a literal
// type in constexpr functions.)
// `n` is numel(old_sizes), which every caller has already computed. Symbolic
// dims run the same steps; each comparison is decided or guarded.
template <class Dims, class NewDims, dim_like N>
constexpr bool compute_view_strides(const Dims& old_sizes, const Dims& old_strides, N n, const NewDims& new_sizes,
                                    NewDims& new_strides) {
  using D = fake::detail::dims_element_t<NewDims>;
  new_strides.clear();  // refilled in place: no temporary vector
  if (old_sizes.empty()) {
    new_strides.resize(new_sizes.size(), fake::detail::to_runtime_dim<D>(std::int64_t{1}));
    return true;
  }
  if (fake::detail::oblivious(n == 0) && fake::detail::dims_equal(old_sizes, new_sizes)) {
    for (std::size_t i = 0; i < old_strides.size(); ++i) new_strides.push_back(fake::detail::to_runtime_dim<D>(old_strides[i]));
    return true;
  }
  // every entry is written below before a true return
  new_strides.resize(new_sizes.size(), default_init);
  if (fake::detail::oblivious(n == 0)) {  // Note [size-oblivious decisions]
    for (std::int64_t view_d = static_cast<std::int64_t>(new_sizes.size()) - 1; view_d >= 0; --view_d) {
      const auto v = static_cast<std::size_t>(view_d);
      new_strides[v] = v + 1 == new_sizes.size() ? fake::detail::to_runtime_dim<D>(std::int64_t{1})
                                                 : fake::detail::to_runtime_dim<D>(dim_max(new_sizes[v + 1], c<1>{}) * new_strides[v + 1]);
    }
    return true;
  }
  std::int64_t view_d = static_cast<std::int64_t>(new_sizes.size()) - 1;
  D chunk_base_stride = fake::detail::to_runtime_dim<D>(old_strides.back());
  D tensor_numel = fake::detail::to_runtime_dim<D>(std::int64_t{1});
  D view_numel = fake::detail::to_runtime_dim<D>(std::int64_t{1});
  for (std::int64_t tensor_d = static_cast<std::int64_t>(old_sizes.size()) - 1; tensor_d >= 0; --tensor_d) {
    const auto t = static_cast<std::size_t>(tensor_d);
    tensor_numel = tensor_numel * old_sizes[t];
    // the size comparisons are size-oblivious (Note [size-oblivious decisions]), as PyTorch's computeStride on SymInts
    if (tensor_d == 0 || (!fake::detail::oblivious(old_sizes[t - 1] == 1) && old_strides[t - 1] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (fake::detail::oblivious(view_numel < tensor_numel) ||
                             fake::detail::oblivious(new_sizes[static_cast<std::size_t>(view_d)] == 1))) {
        new_strides[static_cast<std::size_t>(view_d)] = view_numel * chunk_base_stride;
        view_numel = view_numel * new_sizes[static_cast<std::size_t>(view_d)];
        --view_d;
      }
      if (view_numel != tensor_numel) return false;
      if (tensor_d > 0) {
        chunk_base_stride = fake::detail::to_runtime_dim<D>(old_strides[t - 1]);
        tensor_numel = fake::detail::to_runtime_dim<D>(std::int64_t{1});
        view_numel = fake::detail::to_runtime_dim<D>(std::int64_t{1});
      }
    }
  }
  return view_d == -1;
}

// view(sizes) with one -1 allowed; an error when the strides do not allow it.
template <class G, class Sizes>
constexpr auto view(const G& g, const Sizes& sizes) {
  const auto n = fake::numel(g.sizes);
  using D = detail::common_runtime_dim_t<detail::geometry_dim_t<G>, fake::detail::dims_element_t<Sizes>>;
  detail::runtime_geometry_of<D> out{infer_size(sizes, n), {}, fake::detail::to_runtime_dim<D>(g.offset)};  // returned in place (NRVO)
  expect<shape_error, "view",
         "view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
         "contiguous subspaces). Use .reshape(...) instead.">(compute_view_strides(g.sizes, g.strides, n, out.sizes, out.strides));
  return out;
}

// as_strided(sizes, strides, offset): any geometry; the storage bound is the
// caller's to check.
constexpr runtime_geometry as_strided(const dim_vector& sizes, const dim_vector& strides_, std::int64_t offset) {
  expect<shape_error, "as_strided", "mismatch in length of strides and shape">(sizes.size() == strides_.size());
  for (std::int64_t s : strides_)
    expect<shape_error, "as_strided", "Negative strides are not supported at the moment, got strides: {}">(s >= 0, strides_);
  for (std::int64_t s : sizes)
    expect<shape_error, "as_strided", "Trying to create tensor with negative dimension {}: {}">(s >= 0, s, sizes);
  expect<shape_error, "as_strided", "Tensor: invalid storage offset {}">(offset >= 0, offset);
  return {sizes, strides_, offset};
}

// diagonal(offset, dim1, dim2): drops both dims and appends the diagonal.
template <class G>
constexpr G diagonal(const G& g, std::int64_t offset, std::int64_t dim1_, std::int64_t dim2_) {
  using D = detail::geometry_dim_t<G>;
  const auto r = static_cast<std::int64_t>(g.sizes.size());
  const std::int64_t dim1 = wrap_dim<"diagonal">(dim1_, r);
  const std::int64_t dim2 = wrap_dim<"diagonal">(dim2_, r);
  expect<shape_error, "diagonal", "diagonal dimensions cannot be identical {}, {}">(dim1 != dim2, dim1_, dim2_);
  const D s1 = g.sizes[static_cast<std::size_t>(dim1)], s2 = g.sizes[static_cast<std::size_t>(dim2)];
  const D st1 = g.strides[static_cast<std::size_t>(dim1)], st2 = g.strides[static_cast<std::size_t>(dim2)];
  const D zero = fake::detail::to_runtime_dim<D>(std::int64_t{0});
  const D diag_size = offset >= 0 ? fake::detail::to_runtime_dim<D>(dim_max(dim_min(s1, s2 - offset), zero))
                                  : fake::detail::to_runtime_dim<D>(dim_max(dim_min(s1 + offset, s2), zero));
  D storage_offset = g.offset;
  if (diag_size != 0) storage_offset = storage_offset + (offset >= 0 ? offset * st2 : -offset * st1);
  G out{{}, {}, storage_offset};
  for (std::int64_t i = 0; i < r; ++i)
    if (i != dim1 && i != dim2) {
      out.sizes.push_back(g.sizes[static_cast<std::size_t>(i)]);
      out.strides.push_back(g.strides[static_cast<std::size_t>(i)]);
    }
  out.sizes.push_back(diag_size);
  out.strides.push_back(st1 + st2);
  return out;
}

// unfold(dim, size, step): a new last dim of windows of `size`, `step` apart.
template <class G>
constexpr G unfold(const G& g, std::int64_t dim, std::int64_t size, std::int64_t step) {
  using D = detail::geometry_dim_t<G>;
  const auto r = static_cast<std::int64_t>(g.sizes.size());
  const std::int64_t d = wrap_dim<"unfold">(dim, r);
  const D max_size = r == 0 ? fake::detail::to_runtime_dim<D>(std::int64_t{1}) : g.sizes[static_cast<std::size_t>(d)];
  expect<shape_error, "unfold", "maximum size for tensor at dimension {} is {} but size is {}">(size <= max_size, d, max_size,
                                                                                              size);
  expect<shape_error, "unfold", "size is {} but must be >= 0">(size >= 0, size);
  expect<shape_error, "unfold", "step is {} but must be > 0">(step > 0, step);
  G out{decltype(g.sizes)(static_cast<std::size_t>(r + 1)), decltype(g.strides)(static_cast<std::size_t>(r + 1)), g.offset};
  out.sizes[static_cast<std::size_t>(r)] = fake::detail::to_runtime_dim<D>(size);
  out.strides[static_cast<std::size_t>(r)] = r == 0 ? fake::detail::to_runtime_dim<D>(std::int64_t{1}) : g.strides[static_cast<std::size_t>(d)];
  for (std::int64_t k = 0; k < r; ++k) {
    const auto u = static_cast<std::size_t>(k);
    if (k == d) {
      out.sizes[u] = (g.sizes[u] - size) / step + 1;
      out.strides[u] = step * g.strides[u];
    } else {
      out.sizes[u] = g.sizes[u];
      out.strides[u] = g.strides[u];
    }
  }
  return out;
}

// view_as_real: a complex tensor as its (real, imag) float pairs — a last dim
// of size 2 and every stride and the offset doubled (in elements of the real dtype).
template <class G>
constexpr G view_as_real(const G& g) {
  using D = detail::geometry_dim_t<G>;
  G out = g;
  for (auto& st : out.strides) st = fake::detail::to_runtime_dim<D>(checked_mul<"view_as_real">(st, c<2>{}));
  out.sizes.push_back(fake::detail::to_runtime_dim<D>(std::int64_t{2}));
  out.strides.push_back(fake::detail::to_runtime_dim<D>(std::int64_t{1}));
  out.offset = fake::detail::to_runtime_dim<D>(checked_mul<"view_as_real">(g.offset, c<2>{}));
  return out;
}

// view_as_complex: the inverse; the last dim must be a contiguous pair.
template <class G>
constexpr G view_as_complex(const G& g) {
  expect<shape_error, "view_as_complex", "Input tensor must have one or more dimensions">(!g.sizes.empty());
  expect<shape_error, "view_as_complex", "Tensor must have a last dimension of size 2">(g.sizes.back() == 2);
  expect<shape_error, "view_as_complex", "Tensor must have a last dimension with stride 1">(g.strides.back() == 1);
  G out = g;
  out.sizes.pop_back();
  out.strides.pop_back();
  for (const auto& st : out.strides)
    expect<shape_error, "view_as_complex", "Tensor must have a stride divisible by 2 for all but last dimension">(st % 2 == 0);
  for (auto& st : out.strides) st = st / 2;
  expect<shape_error, "view_as_complex", "Tensor must have a storage_offset divisible by 2">(out.offset % 2 == 0);
  out.offset = out.offset / 2;
  return out;
}

// The geometry the recorded view step `s` makes of `g` (Note [view chains]):
// the geometry half of replay(), for any runtime-rank geometry — applied to a
// symbolic geometry it is how a view of a symbolic tensor gets its expressions.
template <class G>
G apply_step(const G& g, const view_step& s) {
  using D = detail::geometry_dim_t<G>;
  switch (s.op) {
    case view_op::view:
    case view_op::unsafe_view: return view(g, s.ints());
    case view_op::transpose: return transpose(g, s.a, s.b);
    case view_op::permute: return permute(g, s.ints());
    case view_op::select: return select_dim(g, s.a, s.b);
    case view_op::slice: return slice(g, s.a, s.b, s.c, s.d);
    case view_op::narrow: return narrow(g, s.a, s.b, s.c);
    case view_op::unsqueeze: return unsqueeze(g, s.a);
    case view_op::squeeze: return squeeze(g);
    case view_op::squeeze_dims: return squeeze(g, s.ints());
    case view_op::expand: return expand(g, s.ints());
    case view_op::as_strided: {  // explicit sizes and strides: constants whatever g is
      const dim_vector args = s.ints();
      const auto half = static_cast<std::ptrdiff_t>(args.size() / 2);
      const runtime_geometry c = as_strided(dim_vector(args.begin(), args.begin() + half),
                                            dim_vector(args.begin() + half, args.end()), s.a < 0 ? 0 : s.a);
      G out{decltype(g.sizes)(c.sizes.size()), decltype(g.strides)(c.strides.size()),
            s.a < 0 ? g.offset : fake::detail::to_runtime_dim<D>(s.a)};
      for (std::size_t i = 0; i < c.sizes.size(); ++i) {
        out.sizes[i] = fake::detail::to_runtime_dim<D>(c.sizes[i]);
        out.strides[i] = fake::detail::to_runtime_dim<D>(c.strides[i]);
      }
      return out;
    }
    case view_op::diagonal: return diagonal(g, s.a, s.b, s.c);
    case view_op::unfold: return unfold(g, s.a, s.b, s.c);
    case view_op::view_as_real: return view_as_real(g);
    case view_op::view_as_complex: return view_as_complex(g);
    case view_op::real: return select_dim(view_as_real(g), std::int64_t{-1}, std::int64_t{0});
    case view_op::imag: return select_dim(view_as_real(g), std::int64_t{-1}, std::int64_t{1});
    case view_op::alias: return g;
  }
  fail<value_error, "apply_step", "unknown view op {}">(static_cast<int>(s.op));
}

}  // namespace geom
}  // namespace fake
