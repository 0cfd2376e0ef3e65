// faketensor/meta/constant.hpp — the values of small constant tensors
// (FakeTensor.constant in PyTorch).
//
// Note [constant tensors]
// A fake tensor has no bytes, but a small one made from known numbers — a
// Python number wrapped as a tensor (`x * 0.5`), `torch.tensor(2.)` under
// FakeTensorMode (lift_fresh), or the result of an op on such tensors — keeps
// its values, so that `item()` can answer and later ops can compute theirs
// (mode/constants.hpp). PyTorch keeps them per fake tensor and drops them on
// every alias when any alias is written. Here the values live on the
// storage (fake::constant_data, in storage order), so that:
// * every alias sees them: a view of a constant reads its elements through
//   its own sizes, strides and offset, with no work at view time;
// * a write through any alias forgets them on all: the values are valid only
//   while the storage's version counter is the one they were set at, and
//   every in-place or out= kernel bumps it.
// A tensor is a constant when its storage holds values for all its elements.
// How small is small is the mode's `constant_numel_limit` (PyTorch's
// CONSTANT_NUMEL_LIMIT, 1); the functions here take any size.
#pragma once

#include <algorithm>  // std::min, std::max
#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <utility>   // std::move
#include <vector>    // std::vector

#include "faketensor/core/error.hpp"         // fake::value_error
#include "faketensor/core/expect.hpp"        // fake::expect
#include "faketensor/core/scalar_value.hpp"  // fake::scalar_value, fake::cast_to
#include "faketensor/meta/storage.hpp"       // fake::constant_data
#include "faketensor/meta/tensor_desc.hpp"   // fake::tensor_desc, fake::empty

namespace fake {

namespace detail {

// The storage element index of each element of a geometry, in row-major order.
inline std::vector<std::int64_t> element_indices(const dim_vector& sizes, const dim_vector& strides, std::int64_t offset) {
  const std::int64_t n = numel(sizes);  // overflow-checked
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(n));
  if (n == 0) return out;
  const std::size_t rank = sizes.size();
  std::vector<std::int64_t> idx(rank, 0);
  std::int64_t at = offset;
  for (std::int64_t k = 0; k < n; ++k) {
    out.push_back(at);
    for (std::size_t d = rank; d-- > 0;) {  // odometer, last dim fastest
      if (++idx[d] < sizes[d]) {
        at += strides[d];
        break;
      }
      at -= strides[d] * (idx[d] - 1);
      idx[d] = 0;
    }
  }
  return out;
}
inline std::vector<std::int64_t> element_indices(const tensor_desc& t) {
  return element_indices(t.sizes(), t.strides(), t.storage_offset());
}

}  // namespace detail

// t's values in row-major order, when its storage holds values for all of its
// elements (and t is not symbolic); otherwise nothing.
inline std::optional<std::vector<scalar_value>> constant_values(const tensor_desc& t) {
  const constant_data* c = t.storage().constant();
  if (c == nullptr || c->type != t.dtype() || t.is_symbolic()) return std::nullopt;
  const auto size = static_cast<std::int64_t>(c->values.size());
  if (t.numel() > size) return std::nullopt;  // cannot all be there (cheap test before the walk)
  std::vector<scalar_value> out;
  out.reserve(static_cast<std::size_t>(t.numel()));
  for (std::int64_t i : detail::element_indices(t)) {
    if (i < c->first || i - c->first >= size) return std::nullopt;
    out.push_back(c->values[static_cast<std::size_t>(i - c->first)]);
  }
  return out;
}

// Whether t is a constant (constant_values would give its values).
inline bool is_constant(const tensor_desc& t) {
  const constant_data* c = t.storage().constant();
  return c != nullptr && constant_values(t).has_value();
}

// The value of a one-element constant: what item() gives.
inline std::optional<scalar_value> constant_item(const tensor_desc& t) {
  if (t.storage().constant() == nullptr || t.numel() != 1) return std::nullopt;
  auto v = constant_values(t);
  if (!v) return std::nullopt;
  return (*v)[0];
}

// Makes `values` (row-major, cast to t's dtype here) the values of t's
// elements. Elements of t's storage outside t keep their values when they
// were known; when they were not, t must cover one dense range of the storage
// (a fresh result always does). Returns whether the values were kept: a
// dtype without scalar values, or a t that leaves holes in an unknown
// storage, keeps none (and forgets what the storage held).
inline bool set_constant_values(const tensor_desc& t, const std::vector<scalar_value>& values) {
  expect<value_error, "set_constant_values", "{} values for a tensor of {} elements">(
      static_cast<std::int64_t>(values.size()) == t.numel(), values.size(), t.numel());
  const fake::storage& st = t.storage();
  if (!has_scalar_values(t.dtype()) || t.is_symbolic()) {
    st.forget_constant();
    return false;
  }
  const std::vector<std::int64_t> at = detail::element_indices(t);
  const constant_data* old = st.constant();
  const bool keep_old = old != nullptr && old->type == t.dtype();
  boost::intrusive_ptr<constant_data> data(new constant_data());
  data->type = t.dtype();
  if (keep_old || !at.empty()) {
    // the known range after the write: the old one (if kept) and t's elements
    std::int64_t lo = keep_old ? old->first : at[0];
    std::int64_t hi = keep_old ? old->first + static_cast<std::int64_t>(old->values.size()) : at[0] + 1;  // exclusive
    for (std::int64_t i : at) {
      lo = std::min(lo, i);
      hi = std::max(hi, i + 1);
    }
    const std::size_t old_count = keep_old ? old->values.size() : 0;
    if (static_cast<std::uint64_t>(hi - lo) > at.size() + old_count) {  // more slots than values: a hole
      st.forget_constant();
      return false;
    }
    std::vector<bool> known(static_cast<std::size_t>(hi - lo), false);
    data->first = lo;
    data->values.resize(known.size());
    if (keep_old)
      for (std::size_t k = 0; k < old->values.size(); ++k) {
        const auto i = static_cast<std::size_t>(old->first - lo) + k;
        known[i] = true;
        data->values[i] = old->values[k];
      }
    for (std::int64_t i : at) known[static_cast<std::size_t>(i - lo)] = true;
    for (bool k : known)
      if (!k) {  // a hole: an element between the known ones that nobody gave
        st.forget_constant();
        return false;
      }
  }
  for (std::size_t k = 0; k < at.size(); ++k)
    data->values[static_cast<std::size_t>(at[k] - data->first)] = cast_to(t.dtype(), values[k]);
  st.set_constant(std::move(data));
  return true;
}

// A new contiguous tensor of `sizes` holding `values` (row-major, cast to
// dt): `torch.tensor([...], dtype=dt)` under FakeTensorMode, whose lift_fresh
// keeps small tensors as constants.
inline tensor_desc constant_tensor(const std::vector<scalar_value>& values, dim_vector sizes, dtype dt, device dev = device{}) {
  expect<dtype_error, "constant_tensor", "a constant of dtype {} cannot be kept (complex, quantized and float8 have no values here)">(
      has_scalar_values(dt), dt);
  tensor_desc t = fake::empty(std::move(sizes), dt, dev);
  expect<value_error, "constant_tensor", "{} values for sizes {} ({} elements)">(
      static_cast<std::int64_t>(values.size()) == t.numel(), values.size(), t.sizes(), t.numel());
  set_constant_values(t, values);
  return t;
}
// A 0-dim constant: torch.tensor(v, dtype=dt).
inline tensor_desc constant_tensor(scalar_value v, dtype dt, device dev = device{}) {
  return constant_tensor(std::vector<scalar_value>{v}, dim_vector{}, dt, dev);
}

}  // namespace fake
