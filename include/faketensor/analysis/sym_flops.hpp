// faketensor/analysis/sym_flops.hpp — FLOPs and bytes moved of a graph traced
// on symbolic inputs, as polynomials in their sizes.
//
//   fake::shape_env env;
//   tensor_desc x = fake::make_symbolic(fake::empty({32, 784}), env, "x", {0});  // a dynamic batch
//   fake::graph g = fake::make_graph(m, model, x);
//   fake::sym_flop_report r = fake::count_flops_symbolic(g);
//   fake::to_string(r.total);         // "3723264*s0" for examples/models/mlp.hpp
//   env.evaluate(r.total, std::vector<std::int64_t>{7});  // the FLOPs at batch 7, not traced again
//
// The formulas and the bytes are count_flops's (analysis/flops.hpp), read
// from each node's sizes as expressions (sym_size, sym_numel: constants for a
// concrete tensor). The polynomials hold wherever the shape_env's guards do.
// A cond node's count is the larger of its branches' (sym_max).
#pragma once

#include <cstdint>  // std::int64_t

#include "faketensor/analysis/flops.hpp"   // fake::count_flops_as, fake::basic_flop_report
#include "faketensor/core/sym.hpp"         // fake::sym_int, fake::sym_max
#include "faketensor/meta/sym_tensor.hpp"  // fake::sym_size, fake::sym_numel

namespace fake {

using sym_flop_report = basic_flop_report<sym_int>;

namespace detail {
// count_flops_as's arithmetic on expressions (sym_int does not overflow: its
// coefficients are checked as it builds them).
struct symbolic_count {
  using type = sym_int;
  static type size(const tensor_desc& t, std::int64_t d) { return sym_size(t, d); }
  static type numel(const tensor_desc& t) { return sym_numel(t); }
  static type mul(const type& a, const type& b) { return a * b; }
  static type add(const type& a, const type& b) { return a + b; }
  static type max(const type& a, const type& b) { return sym_max(a, b); }
};
}  // namespace detail

inline sym_flop_report count_flops_symbolic(const graph& g) { return count_flops_as<detail::symbolic_count>(g); }

}  // namespace fake
