// faketensor/shape/dim_vector.hpp — runtime-rank sizes and strides.
//
// The type-erased path (tensor_desc, op-by-name calls, graphs, JSON tools) keeps
// sizes and strides in a dim_vector: Boost.Container's small_vector with room for
// rank 8 inline, so no heap allocation happens below rank 9 and higher ranks
// still work. It is a distinct type (not an alias) so that fake:: functions are
// found for it by ADL.
#pragma once

#include <cstddef>           // std::size_t
#include <cstdint>           // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <string>            // std::string

// GCC 12 reports a false -Wstringop-overread inside Boost.Container's memmove
// when a small_vector is moved out of a function (it cannot see that the inline
// buffer holds at most 8 elements); silence it for Boost's code only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
#include <boost/container/small_vector.hpp>  // boost::container::small_vector
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "faketensor/core/dim.hpp"     // fake::dim_like
#include "faketensor/shape/shape.hpp"  // fake::detail::dims_to_string

namespace fake {

inline constexpr std::size_t inline_rank = 8;

class dim_vector : public boost::container::small_vector<std::int64_t, inline_rank> {
  using base = boost::container::small_vector<std::int64_t, inline_rank>;

 public:
  using base::base;
  dim_vector() noexcept = default;
  dim_vector(std::initializer_list<std::int64_t> values) : base(values) {}

  // Copies any typed shape/strides.
  template <typed_dims S>
  explicit dim_vector(const S& s) : base(s.size()) {
    for (std::size_t i = 0; i < s.size(); ++i) (*this)[i] = s[i];
  }

  friend bool operator==(const dim_vector& a, const dim_vector& b) noexcept {
    return static_cast<const base&>(a) == static_cast<const base&>(b);
  }
};

template <class T>
concept runtime_dims = std::same_as<std::remove_cvref_t<T>, dim_vector>;

// The rank of a runtime shape is a runtime value.
inline std::int64_t rank(const dim_vector& v) noexcept { return static_cast<std::int64_t>(v.size()); }

template <dim_like I>
std::int64_t dim_at(const dim_vector& v, I i) noexcept {
  return v[static_cast<std::size_t>(to_int64(i))];
}

inline std::string to_string(const dim_vector& v) { return detail::dims_to_string(v); }

// Typed against runtime: equal when ranks and values agree.
template <typed_dims S>
bool operator==(const S& a, const dim_vector& b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

}  // namespace fake
