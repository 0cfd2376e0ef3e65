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
#include "faketensor/core/shape_env.hpp"    // fake::shape_env
#include "faketensor/core/sym.hpp"          // fake::sym_int
#include "faketensor/core/error.hpp"        // fake::data_dependent_error, fake::dynamic_output_shape_error
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::allocate, fake::out_meta
#include "faketensor/shape/dim_algorithms.hpp"  // fake::wrap_dim
#include "faketensor/shape/broadcast.hpp"   // fake::broadcast_shapes
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides
#include "faketensor/shape/sym_dims.hpp"    // fake::sym_dims

namespace fake {

// The value of a 1-element tensor (a Scalar return): unknowable.
[[noreturn]] inline void local_scalar_dense(const tensor_desc& /*self*/) {
  throw data_dependent_error("aten._local_scalar_dense.default");
}

// item's check before it asks for the value: one element.
inline void check_item(const tensor_desc& self) {
  expect<value_error, "item", "a Tensor with {} elements cannot be converted to Scalar">(self.numel() == 1, self.numel());
}
// item: a 1-element tensor's value; more elements is PyTorch's error first.
[[noreturn]] inline void item(const tensor_desc& self) {
  check_item(self);
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

// ---------------------------------------------------------------- symbolic
// With a shape environment, the data-dependent quantities become unbacked
// symbols instead of errors (Note [unbacked memos], shape_env.hpp): item() of
// an integer tensor is a sym_int ranging over its dtype's values, and the ops
// whose output size is data give that size as a symbol ranging over
// [0, numel]. The symbol is memoized on the tensor until it is written.

namespace detail {
inline sym_range dtype_value_range(dtype dt) {
  switch (dt) {
    case dtype::bool_: return {0, 1};
    case dtype::uint8: return {0, 255};
    case dtype::int8: return {-128, 127};
    case dtype::int16: return {-32768, 32767};
    case dtype::int32: return {-2147483648LL, 2147483647LL};
    default: return {};  // int64: unbounded
  }
}
}  // namespace detail

// item() of a one-element integer (or bool) tensor: an unbacked symbol. A
// floating or complex value is not a size and stays a data_dependent_error.
inline sym_int sym_item(shape_env& env, const tensor_desc& self) {
  expect<value_error, "item", "a Tensor with {} elements cannot be converted to Scalar">(self.numel() == 1, self.numel());
  if (!is_integral(self.dtype(), /*include_bool=*/true)) local_scalar_dense(self);
  return env.memo_unbacked(shape_env::memo_kind::item, self.id(), self.storage().version(), "item()",
                           detail::dtype_value_range(self.dtype()));
}

// The number of nonzero elements: nonzero's output is [count, self.dim()] int64, contiguous.
inline sym_int sym_nonzero_count(shape_env& env, const tensor_desc& self) {
  return env.memo_unbacked(shape_env::memo_kind::nonzero, self.id(), self.storage().version(), "nonzero().size(0)",
                           {0, self.numel()});
}
inline geometry<sym_dims, sym_dims, sym_int> sym_nonzero_geometry(shape_env& env, const tensor_desc& self) {
  const sym_dims sizes{sym_nonzero_count(env, self), sym_int(self.dim())};
  return {sizes, contiguous_strides(sizes), sym_int(0)};
}

// The number of distinct values (_unique2 / unique_dim without dim): [0, numel].
inline sym_int sym_unique_count(shape_env& env, const tensor_desc& self) {
  return env.memo_unbacked(shape_env::memo_kind::unique, self.id(), self.storage().version(), "unique().size(0)",
                           {0, self.numel()});
}

// masked_select's output length, at most the broadcast of self and mask: a new
// unbacked symbol per call (PyTorch keeps no memo for it).
inline sym_int sym_masked_select_count(shape_env& env, const tensor_desc& self, const tensor_desc& mask) {
  return env.create_unbacked_symbol("masked_select().size(0)", {0, numel(broadcast_shapes(self.sizes(), mask.sizes()))});
}

}  // namespace fake
