// faketensor/shape/contiguity.hpp — contiguity, density and the memory format a
// tensor's strides suggest, by c10's rules (TensorImpl::refresh_contiguous).
//
// Note [size-0 and size-1 dims in contiguity]
// * A tensor with no elements is contiguous (compute_contiguous returns early),
//   but the channels-last checks have no such shortcut: they only skip size-1
//   dims, so an empty tensor is channels-last contiguous only if its strides
//   say so.
// * A dim of size 1 places no constraint on its stride: it is skipped.
// * is_channels_last_strides_* ("strides like channels last", used to suggest a
//   memory format) instead refuses any size-0 dim, refuses a zero channel
//   stride, and falls back to contiguous for the ambiguous N111-like cases.
// The predicates are plain constexpr loops over runtime indices: they answer at
// compile time for static shapes (every value is a constant) and at run time
// otherwise; their result is a bool either way.
#pragma once

#include <algorithm>  // std::sort
#include <array>      // std::array
#include <cstdint>    // std::int64_t
#include <type_traits>  // std::is_convertible_v
#include <utility>    // std::declval

#include "faketensor/core/dim.hpp"              // fake::to_int64
#include "faketensor/core/layout.hpp"           // fake::memory_format
#include "faketensor/shape/dim_algorithms.hpp"  // fake::dim_at
#include "faketensor/shape/strides.hpp"         // fake::detail::channels_last_order

namespace fake {
namespace detail {

template <class S>
constexpr std::int64_t rank_of(const S& s) {
  return to_int64(rank(s));
}

// Whether a size is 0 or 1 in a layout query: on an unbacked size decided
// at its example, without a guard (Note [size-oblivious decisions],
// core/shape_env.hpp); otherwise the comparison itself.
template <class Cond>
constexpr bool oblivious(const Cond& cond) {
  // a symbolic condition (sym_bool, explicitly convertible to bool); a plain
  // or static one (bool, std::bool_constant) is itself, in constant evaluation too
  if constexpr (!std::is_convertible_v<Cond, bool> && requires { size_oblivious(cond); }) return size_oblivious(cond);
  else return static_cast<bool>(cond);
}

template <class S>
constexpr bool has_zero_size(const S& sizes) {
  for (std::int64_t d = 0; d < rank_of(sizes); ++d)
    if (oblivious(dim_at(sizes, d) == 0)) return true;
  return false;
}

// expected *= size, false on int64 overflow (a symbolic product does not overflow).
template <class D, class Size>
constexpr bool mul_into(D& expected, Size size) {
  if constexpr (is_extra_dim_v<D>) {
    expected = to_runtime_dim<D>(expected * size);
    return true;
  } else {
    return !mul_overflows(expected, to_int64(size), &expected);
  }
}

// Dense in the given innermost-first dim order, skipping size-1 dims.
template <class S, class T, std::size_t R>
constexpr bool dense_in_order(const S& sizes, const T& strides_, const std::array<std::int64_t, R>& order) {
  using D = dims_element_t<S>;
  D expected = to_runtime_dim<D>(std::int64_t{1});
  for (std::int64_t d : order) {
    const auto size = dim_at(sizes, d);
    if (oblivious(size == 1)) continue;
    if (dim_at(strides_, d) != expected) return false;
    if (!mul_into(expected, size)) return false;
  }
  return true;
}

template <class S, class T, std::size_t R>
constexpr bool strides_like_channels_last(const S& sizes, const T& strides_, const std::array<std::int64_t, R>& order) {
  using D = dims_element_t<S>;
  D min = to_runtime_dim<D>(std::int64_t{0});
  if (dim_at(strides_, 1) == 0) return false;  // trivial C dim: default to contiguous
  for (std::int64_t d : order) {
    const auto size = dim_at(sizes, d);
    const auto stride = dim_at(strides_, d);
    if (size == 0) return false;
    if (stride < min) return false;
    // N111 with equal strides, or N11W sliced on W: ambiguous, prefer contiguous.
    if (d == 0 && min == dim_at(strides_, 1)) return false;
    min = to_runtime_dim<D>(stride);
    if (size > 1) min = to_runtime_dim<D>(min * size);
  }
  return true;
}

template <class S, class T>
constexpr void check_same_rank(const S& sizes, const T& strides_) {
  expect<shape_error, "contiguity", "sizes {} and strides {} have different ranks">(rank_of(sizes) == rank_of(strides_),
                                                                                       sizes, strides_);
}

}  // namespace detail

// is_contiguous(): row-major dense, size-1 dims ignored, empty tensors contiguous.
template <class S, class T>
constexpr bool is_contiguous(const S& sizes, const T& strides_) {
  detail::check_same_rank(sizes, strides_);
  if (detail::has_zero_size(sizes)) return true;
  using D = detail::dims_element_t<S>;
  D expected = detail::to_runtime_dim<D>(std::int64_t{1});
  for (std::int64_t d = detail::rank_of(sizes) - 1; d >= 0; --d) {
    const auto size = dim_at(sizes, d);
    if (detail::oblivious(size == 1)) continue;
    if (dim_at(strides_, d) != expected) return false;
    if (!detail::mul_into(expected, size)) return false;
  }
  return true;
}

// is_contiguous(memory_format=channels_last): rank 4 only.
template <class S, class T>
constexpr bool is_channels_last_contiguous(const S& sizes, const T& strides_) {
  detail::check_same_rank(sizes, strides_);
  if (detail::rank_of(sizes) != 4) return false;
  return detail::dense_in_order(sizes, strides_, detail::channels_last_order<4>);
}

// is_contiguous(memory_format=channels_last_3d): rank 5 only.
template <class S, class T>
constexpr bool is_channels_last_3d_contiguous(const S& sizes, const T& strides_) {
  detail::check_same_rank(sizes, strides_);
  if (detail::rank_of(sizes) != 5) return false;
  return detail::dense_in_order(sizes, strides_, detail::channels_last_order<5>);
}

template <class S, class T>
constexpr bool is_contiguous(const S& sizes, const T& strides_, memory_format format) {
  switch (format) {
    case memory_format::channels_last: return is_channels_last_contiguous(sizes, strides_);
    case memory_format::channels_last_3d: return is_channels_last_3d_contiguous(sizes, strides_);
    case memory_format::contiguous_format:
    case memory_format::preserve_format: break;
  }
  return is_contiguous(sizes, strides_);
}

// Whether the strides look like channels_last (rank 4) / channels_last_3d (rank 5).
template <class S, class T>
constexpr bool is_channels_last_strides_2d(const S& sizes, const T& strides_) {
  detail::check_same_rank(sizes, strides_);
  return detail::rank_of(sizes) == 4 && detail::strides_like_channels_last(sizes, strides_, detail::channels_last_order<4>);
}
template <class S, class T>
constexpr bool is_channels_last_strides_3d(const S& sizes, const T& strides_) {
  detail::check_same_rank(sizes, strides_);
  return detail::rank_of(sizes) == 5 && detail::strides_like_channels_last(sizes, strides_, detail::channels_last_order<5>);
}

namespace detail {
template <class S>
constexpr auto runtime_sizes(const S& sizes) {
  return runtime_dims_of_t<dims_element_t<S>>(sizes);
}
}  // namespace detail

// Tensor::suggest_memory_format() for a strided tensor. With exact_match, the
// strides must also equal the format's own strides (size-0/1 dims included).
// (The sizes at run-time rank: a static shape's format strides of another
// rank would be a compile-time error in a branch its rank never takes.)
template <class S, class T>
constexpr memory_format suggest_memory_format(const S& sizes, const T& strides_, bool exact_match = false) {
  if (is_channels_last_strides_2d(sizes, strides_)) {
    if (!exact_match || detail::dims_equal(channels_last_strides(detail::runtime_sizes(sizes)), strides_)) return memory_format::channels_last;
  } else if (is_channels_last_strides_3d(sizes, strides_)) {
    if (!exact_match || detail::dims_equal(channels_last_3d_strides(detail::runtime_sizes(sizes)), strides_))
      return memory_format::channels_last_3d;
  }
  return memory_format::contiguous_format;
}

// is_non_overlapping_and_dense(): some permutation of the dims makes the tensor
// contiguous (each element of a span of numel() is hit exactly once). On
// symbolic strides the sort's comparisons are guards, as in PyTorch.
template <class S, class T>
constexpr bool is_non_overlapping_and_dense(const S& sizes, const T& strides_) {
  detail::check_same_rank(sizes, strides_);
  const std::int64_t r = detail::rank_of(sizes);
  if (r == 1) return detail::oblivious(dim_at(sizes, 0) < 2) || dim_at(strides_, 0) == 1;
  if (is_contiguous(sizes, strides_) || is_channels_last_contiguous(sizes, strides_)) return true;
  // Dims of size >= 2 sorted by stride must have strides 1, s0, s0*s1, ...
  // c10 sorts a SmallVector; a fixed buffer keeps this constexpr. 64 dims is
  // more than any real tensor has (TensorIterator stops at 25).
  expect<shape_error, "is_non_overlapping_and_dense", "rank {} is above the supported 64">(r <= 64, r);
  std::array<std::int64_t, 64> perm{};
  std::int64_t n = 0;
  for (std::int64_t d = 0; d < r; ++d)
    if (detail::oblivious(dim_at(sizes, d) >= 2)) perm[static_cast<std::size_t>(n++)] = d;
  std::sort(perm.begin(), perm.begin() + n,
            [&](std::int64_t a, std::int64_t b) { return static_cast<bool>(dim_at(strides_, a) < dim_at(strides_, b)); });
  using D = detail::dims_element_t<S>;
  D expected = detail::to_runtime_dim<D>(std::int64_t{1});
  for (std::int64_t k = 0; k < n; ++k) {
    const std::int64_t d = perm[static_cast<std::size_t>(k)];
    if (dim_at(strides_, d) != expected) return false;
    if (!detail::mul_into(expected, dim_at(sizes, d))) return false;
  }
  return true;
}

}  // namespace fake
