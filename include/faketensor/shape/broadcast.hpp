// faketensor/shape/broadcast.hpp — PyTorch's broadcasting of shapes.
//
// broadcast_shapes(a, b, ...) is ATen's infer_size folded left to right, the
// rule every pointwise op and TensorIterator apply: shapes align at the right,
// a missing dim counts as 1, and two extents must be equal or one of them 1.
// Works on typed shapes (static rank: the result is typed, static extents stay
// static, a static mismatch is a compile error) and on dim_vectors (run time:
// a mismatch is a shape_error with PyTorch's message).
#pragma once

#include "faketensor/core/dim.hpp"              // fake::c, fake::dim_max
#include "faketensor/core/expect.hpp"           // fake::expect
#include "faketensor/shape/dim_algorithms.hpp"  // fake::generate_dims

namespace fake {

// The broadcast of two extents; `at` is the output dimension, for the message.
// A static extent other than 1 decides the result type even when the other side
// is dynamic: after the check passes, the result can only be that extent.
template <dim_like A, dim_like B, dim_like At>
constexpr auto broadcast_dim(A a, B b, At at) {
  expect<shape_error, "broadcast_shapes",
         "The size of tensor a ({}) must match the size of tensor b ({}) at non-singleton dimension {}">(
      a == b || a == c<1>{} || b == c<1>{}, a, b, at);
  const auto result = [&] {
    if constexpr (static_dim<B> && static_value_or_dyn<B> != 1) return b;
    else if constexpr (static_dim<A> && static_value_or_dyn<A> != 1) return a;
    else if constexpr (static_dim<B>) return as_dim(a);  // b is 1
    else if constexpr (static_dim<A>) return as_dim(b);  // a is 1
    else return select(a == c<1>{}, b, a);
  }();
  // Once the sizes agree, a negative input can only show up in the result.
  expect<shape_error, "broadcast_shapes", "Trying to create tensor with negative dimension {} at dimension {}">(
      result >= c<0>{}, result, at);
  return result;
}

template <class A, class B>
constexpr auto broadcast_shapes(const A& a, const B& b) {
  // Ranks are read once and captured by value: a store into the result (int64)
  // could otherwise alias a runtime shape's size field and force reloads.
  const auto ra = rank(a);
  const auto rb = rank(b);
  const auto r = dim_max(ra, rb);
  return generate_dims<shape>(r, [&a, &b, ra, rb, r](auto i) {
    return broadcast_dim(dim_or_one(a, i - (r - ra)), dim_or_one(b, i - (r - rb)), i);
  });
}

template <class A, class B, class C, class... Rest>
constexpr auto broadcast_shapes(const A& a, const B& b, const C& c3, const Rest&... rest) {
  return broadcast_shapes(broadcast_shapes(a, b), c3, rest...);
}

// Whether `from` can be expanded to `to` (PyTorch's is_expandable_to).
template <class From, class To>
constexpr auto is_expandable_to(const From& from, const To& to) {
  const auto rf = rank(from);
  const auto rt = rank(to);
  return (rf <= rt) && all_of_dims(rf, [&](auto i) {
           const auto f = dim_at(from, rf - c<1>{} - i);
           const auto t = dim_at(to, rt - c<1>{} - i);
           return f == t || f == c<1>{};
         });
}

}  // namespace fake
