// faketensor/ops/data_dependent.hpp — ops whose result depends on tensor data:
// _local_scalar_dense and item (a value: data_dependent_error), nonzero,
// masked_select, _unique2, unique_dim, repeat_interleave with tensor repeats
// (a shape: dynamic_output_shape_error).
//
// Note [data-dependent ops on fake tensors]
// A fake tensor has no data, so these ops cannot run on it; as FakeTensorMode
// does, they raise — before any other check of their arguments — an error
// whose message is the ATen overload that refused (`aten.nonzero.default`),
// the message PyTorch's DynamicOutputShapeException / DataDependentOutput-
// Exception carry. The registry tags them dynamic_output_shape /
// data_dependent_output so that a mode can refuse them before dispatch.
// repeat_interleave with tensor repeats is computable when output_size is
// given (FakeTensorMode's rule), and item checks its numel first (item is a
// composite of _local_scalar_dense).
#pragma once

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <string>    // std::string

#include "faketensor/core/dtype.hpp"        // fake::dtype
#include "faketensor/core/error.hpp"        // fake::data_dependent_error, fake::dynamic_output_shape_error
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::allocate, fake::out_meta
#include "faketensor/shape/dim_algorithms.hpp"  // fake::wrap_dim
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides

namespace fake {

// The value of a 1-element tensor (a Scalar return): unknowable.
[[noreturn]] inline void local_scalar_dense(const tensor_desc& /*self*/) {
  throw data_dependent_error("aten._local_scalar_dense.default");
}

// item: a 1-element tensor's value; more elements is PyTorch's error first.
[[noreturn]] inline void item(const tensor_desc& self) {
  expect<value_error, "item", "a Tensor with {} elements cannot be converted to Scalar">(self.numel() == 1, self.numel());
  local_scalar_dense(self);
}

[[noreturn]] inline void nonzero(const tensor_desc& /*self*/) { throw dynamic_output_shape_error("aten.nonzero.default"); }
[[noreturn]] inline void masked_select(const tensor_desc& /*self*/, const tensor_desc& /*mask*/) {
  throw dynamic_output_shape_error("aten.masked_select.default");
}
[[noreturn]] inline void unique2(const tensor_desc& /*self*/) { throw dynamic_output_shape_error("aten._unique2.default"); }
[[noreturn]] inline void unique_dim(const tensor_desc& /*self*/, std::int64_t /*dim*/) {
  throw dynamic_output_shape_error("aten.unique_dim.default");
}

namespace detail {
inline void check_repeats(const tensor_desc& repeats) {
  expect<shape_error, "repeat_interleave", "repeat_interleave only accept 1D vector as repeat">(repeats.dim() == 1);
  expect<dtype_error, "repeat_interleave", "repeats has to be Long or Int tensor">(repeats.dtype() == dtype::int64 ||
                                                                                   repeats.dtype() == dtype::int32);
}
}  // namespace detail

// repeat_interleave.Tensor (repeat_interleave_tensor): [output_size] of repeats' dtype when output_size
// is given; else the shape is data.
inline tensor_desc repeat_interleave_tensor(const tensor_desc& repeats, std::optional<std::int64_t> output_size) {
  if (!output_size) throw dynamic_output_shape_error("aten.repeat_interleave.Tensor");
  detail::check_repeats(repeats);
  const dim_vector sizes{*output_size};
  expect<shape_error, "repeat_interleave", "Trying to create tensor with negative dimension {}: {}">(*output_size >= 0,
                                                                                                  *output_size, sizes);
  return allocate(out_meta{sizes, dim_vector{1}, repeats.dtype(), repeats.device()});
}

// repeat_interleave.self_Tensor: index_select of self (flattened without dim)
// along dim with output_size indices; repeats is 0-d, [1] or one per slice.
inline tensor_desc repeat_interleave(const tensor_desc& self, const tensor_desc& repeats, std::optional<std::int64_t> dim,
                                     std::optional<std::int64_t> output_size) {
  dim_vector sizes = dim ? self.sizes() : dim_vector{self.numel()};
  const std::int64_t d = dim ? wrap_dim<"repeat_interleave">(*dim, self.dim()) : 0;
  expect<shape_error, "repeat_interleave", "repeats must be 0-dim or 1-dim tensor">(repeats.dim() <= 1);
  if (repeats.dim() == 1 && repeats.sizes()[0] != 1)
    expect<shape_error, "repeat_interleave", "repeats must have the same size as input along dim">(
        !sizes.empty() && repeats.sizes()[0] == sizes[static_cast<std::size_t>(d)]);
  if (!output_size) throw dynamic_output_shape_error("aten.repeat_interleave.Tensor");
  expect<dtype_error, "repeat_interleave", "repeats has to be Long or Int tensor">(repeats.dtype() == dtype::int64 ||
                                                                                   repeats.dtype() == dtype::int32);
  if (!sizes.empty()) sizes[static_cast<std::size_t>(d)] = *output_size;
  const dim_vector strides_ = dim_vector(contiguous_strides(sizes));
  return allocate(out_meta{sizes, strides_, self.dtype(), common_device<"repeat_interleave">({&self, &repeats})});
}

}  // namespace fake
