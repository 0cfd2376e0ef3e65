// faketensor/dispatch/sym_ints.hpp — symbolic SymInt and SymInt[] values in
// boxed calls (Note [symbolic ints in boxed calls], ops/ivalue.hpp): boxing
// and unboxing them, and the symbol tracker that records them in a graph.
//
//   fake::ivalue v = fake::sym_ivalue(fake::sym_dims{b, t, 12, 64});  // a SymInt[] (an int[] if all constant)
//   fake::sym_dims d = fake::to_sym_dims(v);                          // back, from either kind
//
// The tracer records a symbolic argument as the nodes that compute it from
// the graph's inputs, as make_fx(tracing_mode="symbolic") does:
//
//   sym_size = torch.ops.aten.sym_size.int(arg0_1, 0)          # Sym(s0)
//   sym_size_1 = torch.ops.aten.sym_size.int(arg0_1, 1)        # Sym(s1)
//   view = torch.ops.aten.view.default(getitem, [sym_size, sym_size_1, 12, 64])
//
// A symbol becomes a sym_size (or sym_stride, sym_storage_offset) node of the
// first placeholder it is a size (stride, offset) of, an unbacked one (item()
// is its own node) a sym_size of the first tensor it sizes; a compound expression
// becomes _operator nodes built from its canonical form (Note [sym expression
// canonical form]): each monomial a chain of `mul`, times its coefficient,
// the terms and the constant a chain of `add`; FloorDiv, Mod, Min and Max one
// node each. Every node computes an interned expression, so the tracer
// (find_symint) shares a node wherever the same expression is used again. The
// interpreter re-runs these nodes like any other: for new input sizes they
// compute the new sizes.
#pragma once

#include <concepts>     // std::same_as
#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>  // std::move
#include <vector>   // std::vector

#include "faketensor/core/sym.hpp"          // fake::sym_int, fake::to_string
#include "faketensor/dispatch/at.hpp"       // fake::at::detail::call1
#include "faketensor/dispatch/operator.hpp"  // fake::op_registry
#include "faketensor/meta/sym_tensor.hpp"   // fake::sym_geometry_of
#include "faketensor/ops/ivalue.hpp"        // fake::sym_ints
#include "faketensor/shape/sym_dims.hpp"    // fake::sym_dims
#include "faketensor/trace/tracer.hpp"      // fake::tracer

namespace fake {

namespace detail {
// The one implementation of sym_ints: values of a shape_env.
class env_sym_ints final : public sym_ints {
 public:
  env_sym_ints(std::vector<sym_int> values, bool is_list) : sym_ints(std::move(values), is_list) {}

  [[nodiscard]] dim_vector specialize() const override {
    dim_vector out(values().size(), default_init);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::int64_t>(values()[i]);  // guard_int
    return out;
  }
  [[nodiscard]] std::string to_string() const override {
    if (!is_list()) return fake::to_string(values().front());
    std::string s = "[";
    for (std::size_t i = 0; i < values().size(); ++i) s += (i ? ", " : "") + fake::to_string(values()[i]);
    return s + "]";
  }
  [[nodiscard]] ivalue rebox(std::vector<sym_int> v, bool list) const override;
  void append_key(std::vector<std::int64_t>& words) const override {
    words.push_back(static_cast<std::int64_t>(values().size()));
    for (const sym_int& v : values()) fake::append_key(words, v);
  }
  [[nodiscard]] node_arg record(tracer& t) const override;
};
}  // namespace detail

// A SymInt as an ivalue: an int for a constant.
inline ivalue sym_ivalue(const sym_int& v) {
  if (v.is_constant()) return ivalue(v.constant());
  return ivalue(sym_ints_ptr(new detail::env_sym_ints({v}, false)));
}
// A SymInt[] as an ivalue: an int[] when every size is a constant.
inline ivalue sym_ivalue(const sym_dims& v) {
  bool constant = true;
  for (const sym_int& d : v) constant = constant && d.is_constant();
  if (constant) {
    dim_vector d(v.size(), default_init);
    for (std::size_t i = 0; i < v.size(); ++i) d[i] = v[i].constant();
    return ivalue(std::move(d));
  }
  return ivalue(sym_ints_ptr(new detail::env_sym_ints(std::vector<sym_int>(v.begin(), v.end()), true)));
}

inline ivalue detail::env_sym_ints::rebox(std::vector<sym_int> v, bool list) const {
  if (!list) return sym_ivalue(v.at(0));
  sym_dims d(v.size(), default_init);
  for (std::size_t i = 0; i < v.size(); ++i) d[i] = v[i];
  return sym_ivalue(d);
}

// A SymInt argument (an int or a symbolic SymInt) as an expression.
inline sym_int to_sym_int(const ivalue& v) { return v.is_sym_int() ? v.to_sym_ints().values().front() : sym_int(v.to_int()); }
// A SymInt[] argument (an int[] or a symbolic SymInt[]) as expressions.
inline sym_dims to_sym_dims(const ivalue& v) {
  if (!v.is_sym_int_list()) return sym_dims(v.to_int_list());
  const std::vector<sym_int>& values = v.to_sym_ints().values();
  sym_dims out(values.size(), default_init);
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return out;
}

namespace detail {

// The symbol tracker's recursion: the argument computing `e` in t's graph.
class symint_recorder {
 public:
  explicit symint_recorder(tracer& t) : t_(t) {}

  node_arg operator()(const sym_int& e) {
    if (e.is_constant()) return node_arg::constant(graph_constant(e.constant()));
    if (const node_id* n = t_.find_symint(e.node())) return node_arg::ref(*n);
    const sym_node& x = *e.node();
    switch (x.op) {
      case sym_op::symbol: return source_of(e);
      case sym_op::sum: return sum(x);
      case sym_op::floordiv: return binary("_operator::floordiv", (*this)(x.lhs), (*this)(x.rhs), e);
      case sym_op::mod: return binary("_operator::mod", (*this)(x.lhs), (*this)(x.rhs), e);
      case sym_op::min: return binary("_operator::min", (*this)(x.lhs), (*this)(x.rhs), e);
      case sym_op::max: return binary("_operator::max", (*this)(x.lhs), (*this)(x.rhs), e);
      default: break;
    }
    throw value_error("trace: " + to_string(e) + " is a condition, not a size");
  }

 private:
  node_arg binary(std::string_view op, node_arg a, node_arg b, const sym_int& value) {
    if (const node_id* n = t_.find_symint(value.node())) return node_arg::ref(*n);
    return node_arg::ref(t_.record_symint(op_registry::global().get(op), {std::move(a), std::move(b)}, value.node(), to_string(value)));
  }

  // constant + Σ coeff·monomial, left to right.
  node_arg sum(const sym_node& x) {
    std::optional<std::pair<node_arg, sym_int>> acc;
    const auto add = [&](node_arg a, const sym_int& v) {
      if (!acc) acc.emplace(std::move(a), v);
      else {
        const sym_int total = acc->second + v;
        acc.emplace(binary("_operator::add", std::move(acc->first), std::move(a), total), total);
      }
    };
    for (const sym_term& term : x.terms) {
      std::optional<std::pair<node_arg, sym_int>> product;
      for (const sym_factor& f : term.monomial)
        for (std::int32_t k = 0; k < f.exponent; ++k) {
          const sym_int atom(f.atom);
          if (!product) product.emplace((*this)(atom), atom);
          else {
            const sym_int p = product->second * atom;
            product.emplace(binary("_operator::mul", std::move(product->first), (*this)(atom), p), p);
          }
        }
      if (term.coeff != 1) {
        const sym_int p = product->second * term.coeff;
        product.emplace(binary("_operator::mul", std::move(product->first), node_arg::constant(graph_constant(term.coeff)), p), p);
      }
      add(std::move(product->first), product->second);
    }
    if (x.constant != 0) add(node_arg::constant(graph_constant(x.constant)), sym_int(x.constant));
    return std::move(acc->first);
  }

  // The first placeholder whose size, stride or offset the symbol is; for an
  // unbacked symbol (nonzero's count), the first node whose size it is.
  node_arg source_of(const sym_int& e) {
    const graph& g = t_.graph();
    const auto query = [&](std::string_view op, node_args args) {
      return node_arg::ref(t_.record_symint(op_registry::global().get(op), std::move(args), e.node(), to_string(e)));
    };
    for (const bool inputs : {true, false})
      for (node_id i = 0; i < g.size(); ++i) {
        const node& n = g[i];
        if (n.erased || (n.op == node_op::placeholder) != inputs || n.val.type != node_value::kind::tensor) continue;
        const tensor_desc& in = n.val.tensor();
        if (!in.is_symbolic()) continue;
        const sym_geometry& geo = *sym_geometry_if(in);
        for (std::size_t d = 0; d < geo.sizes.size(); ++d)
          if (geo.sizes[d].same_as(e))
            return query("aten::sym_size.int", {node_arg::ref(i), node_arg::constant(static_cast<std::int64_t>(d))});
        if (!inputs) continue;
        for (std::size_t d = 0; d < geo.strides.size(); ++d)
          if (geo.strides[d].same_as(e))
            return query("aten::sym_stride.int", {node_arg::ref(i), node_arg::constant(static_cast<std::int64_t>(d))});
        if (geo.offset.same_as(e)) return query("aten::sym_storage_offset", {node_arg::ref(i)});
      }
    throw value_error("trace: the symbol " + to_string(e) +
                      " is no size, stride or storage offset of a graph input, nor a size of a traced tensor, so the graph "
                      "cannot compute it (an input made symbolic but not passed to the traced function, or an unbacked "
                      "symbol made outside the trace)");
  }

  tracer& t_;
};

inline node_arg env_sym_ints::record(tracer& t) const {
  symint_recorder rec(t);
  if (!is_list()) return rec(values().front());
  std::vector<node_arg> items;
  items.reserve(values().size());
  for (const sym_int& v : values()) items.push_back(rec(v));
  return node_arg::list(std::move(items));
}

}  // namespace detail

// fake::at with symbolic sizes: what a model writes to keep a dynamic batch
// or sequence symbolic (x.size(0) as int64 would specialize it):
//
//   const fake::sym_int b = fake::sym_size(x, 0), t = fake::sym_size(x, 1);
//   y = fake::at::view(x, fake::sym_dims{b, t, heads, d});
//
// They call the same ops as the int overloads; with constant sizes they are
// those calls exactly.
namespace at {
template <std::same_as<sym_dims> SymDims>  // a template: view(x, {2, 3}) stays the dim_vector overload
tensor_desc view(const tensor_desc& a, const SymDims& sizes) {
  return detail::call1<"aten::view">(a, sym_ivalue(sizes));
}
template <std::same_as<sym_dims> SymDims>
tensor_desc reshape(const tensor_desc& a, const SymDims& sizes) {
  return detail::call1<"aten::reshape">(a, sym_ivalue(sizes));
}
template <std::same_as<sym_dims> SymDims>
tensor_desc unsafe_view(const tensor_desc& a, const SymDims& sizes) {
  return detail::call1<"aten::_unsafe_view">(a, sym_ivalue(sizes));
}
template <std::same_as<sym_dims> SymDims>
tensor_desc expand(const tensor_desc& a, const SymDims& sizes) {
  return detail::call1<"aten::expand">(a, sym_ivalue(sizes));
}
// x[start:end] along dim with a symbolic end (a template: slice(x, 0, 0, 4) stays the int overload).
template <std::same_as<sym_int> End>
tensor_desc slice(const tensor_desc& a, std::int64_t dim, std::int64_t start, const End& end, std::int64_t step = 1) {
  return detail::call1<"aten::slice.Tensor">(a, dim, start, sym_ivalue(end), step);
}
inline tensor_desc arange(const sym_int& end, dtype dt, device dev) {
  return detail::call1<"aten::arange">(sym_ivalue(end), dt, ivalue(), dev, ivalue());
}
}  // namespace at
}  // namespace fake
