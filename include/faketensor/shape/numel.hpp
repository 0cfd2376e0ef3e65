// faketensor/shape/numel.hpp — element counts and storage sizes, overflow-checked.
#pragma once

#include <cstdint>  // std::int64_t

#include "faketensor/core/dim.hpp"              // fake::c
#include "faketensor/core/expect.hpp"           // fake::checked_mul
#include "faketensor/shape/dim_algorithms.hpp"  // fake::product_over

namespace fake {

// The number of elements: static when every extent is. An overflow is a
// shape_error at run time and a compile error for static shapes.
template <class S>
constexpr auto numel(const S& sizes) {
  return product_over<"numel">(rank(sizes), [&](auto i) { return dim_at(sizes, i); });
}

// c10's computeStorageNbytes: the bytes a storage needs to hold every element
// these sizes/strides/offset reach. A tensor with a size-0 dim needs no bytes
// (whatever its offset). Negative strides and any overflow are shape_errors.
// Static when every input is.
template <class S, class T, dim_like Item, dim_like Offset = c<0>>
constexpr auto storage_nbytes(const S& sizes, const T& strides_, Item itemsize, Offset storage_offset = {}) {
  const auto r = rank(sizes);
  expect<shape_error, "storage_nbytes", "sizes {} and strides {} have different ranks">(r == rank(strides_), sizes, strides_);
  const auto nonnegative = (storage_offset >= c<0>{}) && all_of_dims(r, [&](auto i) { return dim_at(strides_, i) >= c<0>{}; });
  expect<shape_error, "storage_nbytes", "Storage size calculation overflowed with sizes={} and strides={} (offset {})">(
      nonnegative, sizes, strides_, storage_offset);
  const auto empty = !all_of_dims(r, [&](auto i) { return dim_at(sizes, i) != c<0>{}; });
  return branch(
      empty, [](auto...) { return c<0>{}; },
      [&](auto...) {
        const auto last = sum_over<"storage_nbytes">(
            r, [&](auto i) { return checked_mul<"storage_nbytes">(dim_at(strides_, i), dim_at(sizes, i) - c<1>{}); });
        const auto elements = checked_add<"storage_nbytes">(checked_add<"storage_nbytes">(storage_offset, c<1>{}), last);
        return checked_mul<"storage_nbytes">(elements, itemsize);
      });
}

}  // namespace fake
