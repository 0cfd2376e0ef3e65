// faketensor/shape/strides.hpp — the strides a freshly allocated tensor gets.
//
// Note [contiguous strides]
// As TensorImpl::empty_tensor_restride: for contiguous_format the last stride is
// 1 and stride[i] = stride[i+1] * max(size[i+1], 1) (a size-0 dim counts as 1, so
// strides stay meaningful for empty tensors). channels_last (rank 4) and
// channels_last_3d (rank 5) lay the channel dim innermost, then the spatial dims
// from last to first, then the batch dim: the order (1, 3, 2, 0) or
// (1, 4, 3, 2, 0); there c10's get_channels_last_strides_* multiplies the raw
// sizes, so a size-0 dim zeroes the strides outside it.
// Strides are static wherever the sizes they depend on are static:
// contiguous_strides(shape<dyn, 1024, 768>) is strides<786432, 768, 1>.
#pragma once

#include <array>    // std::array
#include <cstdint>  // std::int64_t

#include "faketensor/core/dim.hpp"              // fake::c, fake::dim_max
#include "faketensor/core/expect.hpp"           // fake::expect
#include "faketensor/core/layout.hpp"           // fake::memory_format
#include "faketensor/shape/dim_algorithms.hpp"  // fake::generate_dims, fake::product_over

namespace fake {

template <class S>
constexpr auto contiguous_strides(const S& sizes) {
  return exclusive_product_scan_right<strides, "contiguous_strides">(
      rank(sizes), [&](auto i) { return dim_max(dim_at(sizes, i), c<1>{}); });
}

namespace detail {

// Position of each dim in the innermost-first order of a channels-last format.
template <std::size_t R>
inline constexpr std::array<std::int64_t, R> channels_last_order = [] {
  std::array<std::int64_t, R> order{};
  order[0] = 1;  // channels innermost
  for (std::size_t k = 1; k + 1 < R; ++k) order[k] = static_cast<std::int64_t>(R - k);  // spatial, last first
  order[R - 1] = 0;  // batch outermost
  return order;
}();

template <std::size_t R>
inline constexpr std::array<std::int64_t, R> channels_last_position = [] {
  std::array<std::int64_t, R> pos{};
  for (std::size_t k = 0; k < R; ++k) pos[static_cast<std::size_t>(channels_last_order<R>[k])] = static_cast<std::int64_t>(k);
  return pos;
}();

// table[k], static when k is.
template <const auto& Table, dim_like K>
constexpr auto lookup(K k) {
  if constexpr (static_dim<K>) return c<Table[static_cast<std::size_t>(K::value)]>{};
  else return Table[static_cast<std::size_t>(k)];
}

// Typed sizes give typed strides (a static rank); runtime-rank sizes give
// their own container: a dim_vector, or sym_dims for symbolic sizes.
template <std::size_t R, fixed_string Op, class S>
constexpr auto channels_last_strides_of_rank(const S& sizes) {
  const auto rank_ = [] {
    if constexpr (typed_dims<S>) return c<static_cast<std::int64_t>(R)>{};
    else return static_cast<std::int64_t>(R);
  }();
  return generate_dims<strides>(rank_, [&](auto d) {
    const auto position = lookup<channels_last_position<R>>(d);
    return product_over<Op>(position, [&](auto k) { return dim_at(sizes, lookup<channels_last_order<R>>(k)); });
  });
}

}  // namespace detail

// Strides of a channels_last (NHWC in memory) tensor of rank-4 `sizes`.
template <class S>
constexpr auto channels_last_strides(const S& sizes) {
  expect<shape_error, "channels_last_strides", "required rank 4 tensor to use channels_last format, got rank {}">(
      rank(sizes) == c<4>{}, rank(sizes));
  if constexpr (typed_dims<S>) {
    if constexpr (S::rank_value == 4) return detail::channels_last_strides_of_rank<4, "channels_last_strides">(sizes);
    else return strides<>{};  // unreachable: the static check above failed
  } else {
    return detail::channels_last_strides_of_rank<4, "channels_last_strides">(sizes);
  }
}

// Strides of a channels_last_3d (NDHWC in memory) tensor of rank-5 `sizes`.
template <class S>
constexpr auto channels_last_3d_strides(const S& sizes) {
  expect<shape_error, "channels_last_3d_strides", "required rank 5 tensor to use channels_last_3d format, got rank {}">(
      rank(sizes) == c<5>{}, rank(sizes));
  if constexpr (typed_dims<S>) {
    if constexpr (S::rank_value == 5) return detail::channels_last_strides_of_rank<5, "channels_last_3d_strides">(sizes);
    else return strides<>{};  // unreachable: the static check above failed
  } else {
    return detail::channels_last_strides_of_rank<5, "channels_last_3d_strides">(sizes);
  }
}

// Strides for a memory format chosen at run time (a dim_vector whatever the
// input). preserve_format names no layout of its own and is an error here.
template <class S>
dim_vector strides_for(const S& sizes, memory_format format) {
  switch (format) {
    case memory_format::contiguous_format: return dim_vector(contiguous_strides(sizes));
    case memory_format::channels_last: return dim_vector(channels_last_strides(dim_vector(sizes)));
    case memory_format::channels_last_3d: return dim_vector(channels_last_3d_strides(dim_vector(sizes)));
    case memory_format::preserve_format: break;
  }
  fail<value_error, "strides_for", "memory format {} has no strides of its own (use the input's)">(format);
}

}  // namespace fake
