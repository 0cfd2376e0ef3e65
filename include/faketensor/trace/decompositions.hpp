// faketensor/trace/decompositions.hpp — a ready decomposition table: ops
// that are not in PyTorch's core ATen IR, written with core ones.
//
//   fake::decompose on(fake::core_aten_decompositions());
//   fake::graph g = fake::make_graph(m, fn, x);   // t, _unsafe_view, silu, ... gone
//
// The CompositeImplicit ops (linear, matmul, layer_norm, softmax, ...) already
// decompose when traced (Note [composites decompose]); this table goes on from
// their results to the core set, as torch._decomp.core_aten_decompositions()
// does for the same ops:
//   t, transpose.int            -> permute
//   _unsafe_view, _reshape_alias -> view
//   silu                         -> mul(x, sigmoid(x))
//   outer                        -> mul(reshape(self, [-1, 1]), vec2)
//   argsort                      -> sort's indices
//   masked_fill.Scalar           -> where(mask, scalar_tensor(value), self)
#pragma once

#include "faketensor/dispatch/at.hpp"   // fake::at
#include "faketensor/trace/tracer.hpp"  // fake::decomposition_table

namespace fake {

namespace detail {
inline void set_result(stack& s, tensor_desc t) { s = {ivalue(std::move(t))}; }
inline dim_vector transpose_order(std::int64_t dim, std::int64_t d0, std::int64_t d1) {
  dim_vector order;
  for (std::int64_t i = 0; i < dim; ++i) order.push_back(i);
  if (dim > 0) std::swap(order[static_cast<std::size_t>(wrap_dim<"transpose">(d0, dim))],
                         order[static_cast<std::size_t>(wrap_dim<"transpose">(d1, dim))]);
  return order;
}
}  // namespace detail

// The table (built once; it refers to ops of op_registry::global()).
inline const decomposition_table& core_aten_decompositions() {
  static const decomposition_table table = [] {
    decomposition_table t;
    t.add("aten::t", [](const op_overload&, stack& s) {
      const tensor_desc& x = s[0].to_tensor();
      expect<shape_error, "t", "t() expects a tensor with <= 2 dimensions, but self is {}D">(x.dim() <= 2, x.dim());
      detail::set_result(s, x.dim() < 2 ? at::alias(x) : at::permute(x, {1, 0}));
    });
    t.add("aten::transpose.int", [](const op_overload&, stack& s) {
      const tensor_desc& x = s[0].to_tensor();
      detail::set_result(s, at::permute(x, detail::transpose_order(x.dim(), s[1].to_int(), s[2].to_int())));
    });
    const auto to_view = [](const op_overload&, stack& s) { detail::set_result(s, at::view(s[0].to_tensor(), s[1].int_list_ref())); };
    t.add("aten::_unsafe_view", to_view);
    t.add("aten::_reshape_alias", to_view);
    t.add("aten::silu", [](const op_overload&, stack& s) {
      const tensor_desc& x = s[0].to_tensor();
      detail::set_result(s, at::mul(x, at::sigmoid(x)));
    });
    t.add("aten::outer", [](const op_overload&, stack& s) {
      detail::set_result(s, at::mul(at::reshape(s[0].to_tensor(), {-1, 1}), s[1].to_tensor()));
    });
    t.add("aten::argsort", [](const op_overload&, stack& s) {
      detail::set_result(s, at::sort(s[0].to_tensor(), s[1].to_int(), s[2].to_bool())[1]);
    });
    t.add("aten::masked_fill.Scalar", [](const op_overload&, stack& s) {
      const tensor_desc& x = s[0].to_tensor();
      const tensor_desc value = at::scalar_tensor(s[2].is_double() ? s[2].to_double() : static_cast<double>(s[2].to_int()),
                                                  x.dtype(), x.device());
      detail::set_result(s, at::where(s[1].to_tensor(), value, x));
    });
    return t;
  }();
  return table;
}

}  // namespace fake
