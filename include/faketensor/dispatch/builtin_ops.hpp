// faketensor/dispatch/builtin_ops.hpp — the built-in aten operators of the
// runtime registry: their schemas (PyTorch 2.x's native_functions.yaml), tags
// and boxed kernels.
//
// The view ops (view/ops.hpp) are registered here with one boxed kernel each
// under CompositeExplicitAutograd (they serve every backend, Meta included);
// the other families register themselves (Note [built-in op families]).
// op_registry::global() calls register_builtin_ops once.
#pragma once

#include <array>     // std::array
#include <optional>  // std::optional
#include <vector>    // std::vector

#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::kernel
#include "faketensor/ops/ivalue.hpp"         // fake::stack
#include "faketensor/ops/tags.hpp"           // fake::op_tags
#include "faketensor/view/ops.hpp"           // fake::transpose, fake::view, ...

namespace fake {
namespace detail {

inline std::optional<std::int64_t> optional_int(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<std::int64_t>(v.to_int());
}
inline void return_tensors(stack& s, std::vector<tensor_desc> ts) { return_value(s, ivalue(std::move(ts))); }

struct builtin_op {
  const char* schema;
  op_tags tags;
  kernel::function boxed;
  // reshape and flatten are CompositeImplicit in ATen; builtin_composite.hpp
  // shadows their one-step kernels with decomposing ones (Note [composites decompose]).
  dispatch_key key = dispatch_key::composite_explicit_autograd;
};

#define FAKE_BOXED(expr) [](const op_overload&, dispatch_key_set, stack& s) { return_value(s, ivalue(expr)); }
#define FAKE_BOXED_LIST(expr) [](const op_overload&, dispatch_key_set, stack& s) { return_tensors(s, expr); }

inline const std::vector<builtin_op>& builtin_view_ops() {
  using enum op_tag;
  static const std::vector<builtin_op> ops{
      {"aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a)", {view, core},
       FAKE_BOXED(fake::view(s[0].to_tensor(), s[1].int_list_ref()))},
      {"aten::_unsafe_view(Tensor self, SymInt[] size) -> Tensor", {core},
       FAKE_BOXED(fake::unsafe_view(s[0].to_tensor(), s[1].int_list_ref()))},
      {"aten::reshape(Tensor(a) self, SymInt[] shape) -> Tensor(a)", {maybe_aliasing_or_mutating},
       FAKE_BOXED(fake::reshape(s[0].to_tensor(), s[1].int_list_ref())), dispatch_key::composite_implicit_autograd},
      {"aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", {view},
       FAKE_BOXED(fake::transpose(s[0].to_tensor(), s[1].to_int(), s[2].to_int()))},
      {"aten::swapaxes(Tensor(a) self, int axis0, int axis1) -> Tensor(a)", {view},
       FAKE_BOXED(fake::swapaxes(s[0].to_tensor(), s[1].to_int(), s[2].to_int()))},
      {"aten::t(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::t(s[0].to_tensor()))},
      {"aten::permute(Tensor(a) self, int[] dims) -> Tensor(a)", {view, core},
       FAKE_BOXED(fake::permute(s[0].to_tensor(), s[1].int_list_ref()))},
      {"aten::movedim.int(Tensor(a) self, int source, int destination) -> Tensor(a)", {view},
       FAKE_BOXED(fake::movedim(s[0].to_tensor(), dim_vector{s[1].to_int()}, dim_vector{s[2].to_int()}))},
      {"aten::movedim.intlist(Tensor(a) self, int[] source, int[] destination) -> Tensor(a)", {view},
       FAKE_BOXED(fake::movedim(s[0].to_tensor(), s[1].int_list_ref(), s[2].int_list_ref()))},
      {"aten::select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)", {view, core},
       FAKE_BOXED(fake::select(s[0].to_tensor(), s[1].to_int(), s[2].to_int()))},
      {"aten::slice.Tensor(Tensor(a) self, int dim=0, SymInt? start=None, SymInt? end=None, SymInt step=1) -> Tensor(a)",
       {view, core},
       FAKE_BOXED(fake::slice(s[0].to_tensor(), s[1].to_int(), optional_int(s[2]), optional_int(s[3]), s[4].to_int()))},
      {"aten::narrow(Tensor(a) self, int dim, SymInt start, SymInt length) -> Tensor(a)", {view},
       FAKE_BOXED(fake::narrow(s[0].to_tensor(), s[1].to_int(), s[2].to_int(), s[3].to_int()))},
      {"aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a)", {view, core},
       FAKE_BOXED(fake::unsqueeze(s[0].to_tensor(), s[1].to_int()))},
      {"aten::squeeze(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::squeeze(s[0].to_tensor()))},
      {"aten::squeeze.dim(Tensor(a) self, int dim) -> Tensor(a)", {view},
       FAKE_BOXED(fake::squeeze(s[0].to_tensor(), s[1].to_int()))},
      {"aten::squeeze.dims(Tensor(a) self, int[] dim) -> Tensor(a)", {view, core},
       FAKE_BOXED(fake::squeeze(s[0].to_tensor(), s[1].int_list_ref()))},
      {"aten::expand(Tensor(a) self, SymInt[] size, *, bool implicit=False) -> Tensor(a)", {view, core},
       FAKE_BOXED(fake::expand(s[0].to_tensor(), s[1].int_list_ref()))},
      {"aten::expand_as(Tensor(a) self, Tensor other) -> Tensor(a)", {view},
       FAKE_BOXED(fake::expand_as(s[0].to_tensor(), s[1].to_tensor()))},
      {"aten::view_as(Tensor(a) self, Tensor other) -> Tensor(a)", {view},
       FAKE_BOXED(fake::view_as(s[0].to_tensor(), s[1].to_tensor()))},
      {"aten::as_strided(Tensor(a) self, SymInt[] size, SymInt[] stride, SymInt? storage_offset=None) -> Tensor(a)",
       {view, core},
       FAKE_BOXED(fake::as_strided(s[0].to_tensor(), s[1].int_list_ref(), s[2].int_list_ref(), optional_int(s[3])))},
      {"aten::diagonal(Tensor(a) self, int offset=0, int dim1=0, int dim2=1) -> Tensor(a)", {view},
       FAKE_BOXED(fake::diagonal(s[0].to_tensor(), s[1].to_int(), s[2].to_int(), s[3].to_int()))},
      {"aten::unfold(Tensor(a) self, int dimension, int size, int step) -> Tensor(a)", {view},
       FAKE_BOXED(fake::unfold(s[0].to_tensor(), s[1].to_int(), s[2].to_int(), s[3].to_int()))},
      {"aten::alias(Tensor(a) self) -> Tensor(a)", {view, core}, FAKE_BOXED(fake::alias(s[0].to_tensor()))},
      {"aten::detach(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::detach(s[0].to_tensor()))},
      {"aten::flatten.using_ints(Tensor(a) self, int start_dim=0, int end_dim=-1) -> Tensor(a)", {},
       FAKE_BOXED(fake::flatten(s[0].to_tensor(), s[1].to_int(), s[2].to_int())), dispatch_key::composite_implicit_autograd},
      {"aten::unflatten.int(Tensor(a) self, int dim, SymInt[] sizes) -> Tensor(a)", {view},
       FAKE_BOXED(fake::unflatten(s[0].to_tensor(), s[1].to_int(), s[2].int_list_ref()))},
      {"aten::view_as_real(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::view_as_real(s[0].to_tensor()))},
      {"aten::view_as_complex(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::view_as_complex(s[0].to_tensor()))},
      {"aten::real(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::real(s[0].to_tensor()))},
      {"aten::imag(Tensor(a) self) -> Tensor(a)", {view}, FAKE_BOXED(fake::imag(s[0].to_tensor()))},
      {"aten::split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]", {view},
       FAKE_BOXED_LIST(fake::split(s[0].to_tensor(), s[1].to_int(), s[2].to_int()))},
      {"aten::split_with_sizes(Tensor(a -> *) self, SymInt[] split_sizes, int dim=0) -> Tensor(a)[]", {view, core},
       FAKE_BOXED_LIST(fake::split_with_sizes(s[0].to_tensor(), s[1].int_list_ref(), s[2].to_int()))},
      {"aten::chunk(Tensor(a -> *) self, int chunks, int dim=0) -> Tensor(a)[]", {view},
       FAKE_BOXED_LIST(fake::chunk(s[0].to_tensor(), s[1].to_int(), s[2].to_int()))},
      {"aten::unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]", {view},
       FAKE_BOXED_LIST(fake::unbind(s[0].to_tensor(), s[1].to_int()))},
      {"aten::tensor_split.sections(Tensor(a -> *) self, SymInt sections, int dim=0) -> Tensor(a)[]", {view},
       FAKE_BOXED_LIST(fake::tensor_split(s[0].to_tensor(), s[1].to_int(), s[2].to_int()))},
      {"aten::tensor_split.indices(Tensor(a -> *) self, SymInt[] indices, int dim=0) -> Tensor(a)[]", {view},
       FAKE_BOXED_LIST(fake::tensor_split(s[0].to_tensor(), s[1].int_list_ref(), s[2].to_int()))},
  };
  return ops;
}

#undef FAKE_BOXED
#undef FAKE_BOXED_LIST

}  // namespace detail

inline void register_builtin_ops(op_registry& r, std::vector<registration>& keep) {
  for (const detail::builtin_op& b : detail::builtin_view_ops()) define_builtin(r, keep, b.schema, b.tags, b.boxed, b.key);
}

}  // namespace fake
