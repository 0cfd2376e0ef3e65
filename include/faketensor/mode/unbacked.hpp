// faketensor/mode/unbacked.hpp — the symbolic shape policy of fake::mode:
// data-dependent ops give unbacked sizes instead of raising.
//
//   fake::shape_env env;
//   fake::mode<> m({.shapes = &env});     // FakeTensorMode(shape_env=ShapeEnv())
//   fake::mode_guard on(m);
//   tensor_desc idx = fake::at::nonzero(x);  // i64[u0, 2]: u0 ranges over [0, x.numel()]
//   sym_int n = fake::to_sym_int(fake::call("aten::item", {count})[0]);  // an unbacked SymInt
//
// Without a shape environment these ops raise (dynamic_output_shape_error,
// data_dependent_error), as FakeTensorMode without a ShapeEnv does. With one,
// as PyTorch's fake implementations do (fake_impls.py): nonzero is
// [u, self.dim()] int64, masked_select [u] (at most the broadcast numel),
// _unique2 [u] with its inverse and counts, unique_dim self's sizes with
// [u] along dim, repeat_interleave with tensor
// repeats and no output_size [u] of repeats' dtype, and item() / 
// _local_scalar_dense of an integer tensor an unbacked SymInt. nonzero,
// unique and item are memoized on the tensor (Note [unbacked memos],
// core/shape_env.hpp). The symbols have no hints: code that branches on them
// where their ranges do not decide raises data_dependent_error, as
// GuardOnDataDependentSymNode does; the tensors' concrete sizes are the
// symbols' example values.
#pragma once

#include <optional>     // std::optional
#include <string>       // std::to_string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "faketensor/core/shape_env.hpp"      // fake::shape_env
#include "faketensor/dispatch/operator.hpp"   // fake::op_overload
#include "faketensor/dispatch/sym_ints.hpp"   // fake::sym_ivalue
#include "faketensor/meta/sym_tensor.hpp"     // fake::empty(sym_dims)
#include "faketensor/ops/data_dependent.hpp"  // fake::sym_nonzero_count, ...
#include "faketensor/shape/broadcast.hpp"     // fake::broadcast_shapes

namespace fake::detail {

// Runs a data-dependent op on unbacked sizes; false when it is none of them
// (or an item() of a floating tensor, which stays an error).
inline bool run_unbacked(const op_overload& op, stack& s, shape_env& env) {
  const std::string_view name = op.qualified_name();
  const auto tensor = [&](std::size_t i) -> const tensor_desc& { return s[i].to_tensor(); };
  if (name == "aten::nonzero") {
    op.normalize(s);
    const tensor_desc& self = tensor(0);
    s = {ivalue(empty(sym_dims{sym_nonzero_count(env, self), sym_int(self.dim())}, dtype::int64, self.device()))};
    return true;
  }
  if (name == "aten::masked_select") {
    op.normalize(s);
    const tensor_desc &self = tensor(0), &mask = tensor(1);
    expect<dtype_error, "masked_select", "masked_select: expected BoolTensor for mask">(mask.dtype() == dtype::bool_);
    (void)broadcast_shapes(self.sizes(), mask.sizes());  // a mismatch is broadcasting's shape_error
    const device dev = common_device<"masked_select">({&self, &mask});
    s = {ivalue(empty(sym_dims{sym_masked_select_count(env, self, mask)}, self.dtype(), dev))};
    return true;
  }
  if (name == "aten::_unique2") {
    op.normalize(s);
    const tensor_desc& self = tensor(0);
    const bool inverse = s[2].to_bool(), counts = s[3].to_bool();
    const sym_int n = sym_unique_count(env, self);
    tensor_desc values = empty(sym_dims{n}, self.dtype(), self.device());
    // ATen's inverse indices and counts are int64 (empty when not asked for)
    tensor_desc inv = inverse ? empty(dim_vector(self.sizes()), dtype::int64, self.device()) : empty({0}, dtype::int64, self.device());
    tensor_desc cnt = counts ? empty(sym_dims{n}, dtype::int64, self.device()) : empty({0}, dtype::int64, self.device());
    s = {ivalue(std::move(values)), ivalue(std::move(inv)), ivalue(std::move(cnt))};
    return true;
  }
  if (name == "aten::unique_dim") {
    op.normalize(s);
    const tensor_desc& self = tensor(0);
    const std::int64_t d = wrap_dim<"unique_dim">(s[1].to_int(), self.dim());
    const bool inverse = s[3].to_bool(), counts = s[4].to_bool();
    const std::int64_t along = self.sizes()[static_cast<std::size_t>(d)];
    // the number of distinct slices along dim: a new symbol per call (no memo keys on dim)
    const sym_int n = env.create_unbacked_symbol("unique_dim().size(" + std::to_string(d) + ")", {0, along});
    sym_dims sizes(self.sizes().begin(), self.sizes().end());
    sizes[static_cast<std::size_t>(d)] = n;
    tensor_desc values = empty(sizes, self.dtype(), self.device());
    tensor_desc inv = empty({inverse ? along : 0}, dtype::int64, self.device());
    tensor_desc cnt = counts ? empty(sym_dims{n}, dtype::int64, self.device()) : empty({0}, dtype::int64, self.device());
    s = {ivalue(std::move(values)), ivalue(std::move(inv)), ivalue(std::move(cnt))};
    return true;
  }
  if (name == "aten::repeat_interleave.Tensor") {
    op.normalize(s);
    if (!s[1].is_none()) return false;  // output_size given: the kernel computes it
    const tensor_desc& repeats = tensor(0);
    expect<shape_error, "repeat_interleave", "repeat_interleave only accept 1D vector as repeat">(repeats.dim() == 1);
    expect<dtype_error, "repeat_interleave", "repeats has to be Long or Int tensor">(repeats.dtype() == dtype::int64 ||
                                                                                      repeats.dtype() == dtype::int32);
    const sym_int n = env.create_unbacked_symbol("repeat_interleave().size(0)", {0, sym_infinity});
    s = {ivalue(empty(sym_dims{n}, repeats.dtype(), repeats.device()))};
    return true;
  }
  if (name == "aten::_local_scalar_dense" || name == "aten::item") {
    op.normalize(s);
    const tensor_desc& self = tensor(0);
    if (!is_integral(self.dtype(), /*include_bool=*/true)) return false;  // a float value is no size
    s = {sym_ivalue(sym_item(env, self))};
    return true;
  }
  return false;
}

}  // namespace fake::detail
