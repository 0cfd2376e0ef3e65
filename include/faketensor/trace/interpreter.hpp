// faketensor/trace/interpreter.hpp — running and rewriting graphs (FX's
// Interpreter, Graph.eliminate_dead_code, and a replace-op pass).
//
//   std::vector<tensor_desc> out = fake::interpret(g, {x2});       // new inputs
//   { fake::mode_guard on(tracing_mode); fake::interpret(g, {x}); } // re-trace
//   fake::eliminate_dead_code(g);
//   fake::replace_op(g, "aten::gelu", "aten::relu");
//
// interpret() calls each node's op through the dispatcher, so whatever mode is
// on the stack sees the calls: a tracing mode re-traces the graph, and with a
// decompose(table) scope that is make_fx's DecompositionInterpreter. A get_attr
// node takes its tensor from `attrs` (by qualified name) or else the value it
// recorded. Sizes recorded as constants (view's [32, 768]) stay what they
// were; a graph traced with symbolic inputs records the sizes that depend on
// them as sym_size and arithmetic nodes (the symbol tracker, trace/tracer.hpp),
// so it re-runs for any input sizes its guards allow: interpret(g, inputs,
// env) checks them first.
#pragma once

#include <algorithm>      // std::all_of
#include <optional>       // std::optional
#include <utility>        // std::pair
#include <span>           // std::span
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "faketensor/core/shape_env.hpp"  // fake::shape_env
#include "faketensor/dispatch/at.hpp"  // fake::at::wrapped_number
#include "faketensor/meta/sym_tensor.hpp"  // fake::detail::sym_geometry_if
#include "faketensor/trace/graph.hpp"  // fake::graph

namespace fake {

using graph_attrs = std::unordered_map<std::string, tensor_desc>;

namespace detail {
// A node's runtime value: its tensors (one, or one per result).
struct run_value {
  std::vector<tensor_desc> tensors;
  ivalue scalar;  // a scalar result (an int, float, bool, or symbolic SymInt)
  bool several = false;
  const graph* subgraph = nullptr;  // a get_attr of a subgraph (Note [subgraphs])
};

inline std::vector<tensor_desc> interpret_graph(const graph& g, std::span<const tensor_desc> inputs, const graph_attrs& attrs);

inline ivalue interpreted_arg(const graph& g, const std::vector<run_value>& values, const node_arg& a,
                              const schema* sc = nullptr, const schema_argument* formal = nullptr) {
  switch (a.type()) {
    case node_arg::kind::node: {
      const run_value& v = values[a.node()];
      if (v.subgraph != nullptr) {  // a HOP's branch or body: a callable that runs it
        const graph* sub = v.subgraph;
        return ivalue(boxed_callable([sub](const stack& in) {
          std::vector<tensor_desc> ts;
          for (const ivalue& x : in) ts.push_back(x.to_tensor());
          stack out;
          for (tensor_desc& t : interpret_graph(*sub, ts, {})) out.emplace_back(std::move(t));
          return out;
        }));
      }
      if (v.tensors.empty() && v.scalar.is_scalar()) return v.scalar;  // a size query or size arithmetic
      if (v.tensors.size() != 1 || v.several)
        throw value_error("interpret: node '" + g[a.node()].name + "' has no single tensor value");
      return ivalue(v.tensors.front());
    }
    case node_arg::kind::list: {
      // SymInt[] of size nodes and constants ([sym_size, 12, 64]): an int[],
      // or a symbolic SymInt[] when a size is symbolic (a re-trace on symbolic inputs)
      const auto is_number = [&](const node_arg& x) {
        if (x.is_node()) return values[x.node()].tensors.empty() && values[x.node()].scalar.is_scalar();
        return x.is_constant() && std::holds_alternative<std::int64_t>(x.constant().value());
      };
      if (!a.items().empty() && std::all_of(a.items().begin(), a.items().end(), is_number)) {
        std::vector<sym_int> sizes;
        const sym_ints* symbolic = nullptr;
        for (const node_arg& x : a.items()) {
          const ivalue v = x.is_node() ? values[x.node()].scalar : x.constant().to_ivalue();
          if (v.is_sym_int()) symbolic = &v.to_sym_ints();
          sizes.push_back(v.is_sym_int() ? v.to_sym_ints().values()[0] : sym_int(v.to_int()));
        }
        if (symbolic != nullptr) return symbolic->rebox(std::move(sizes), true);
        dim_vector d(sizes.size(), default_init);
        for (std::size_t i = 0; i < sizes.size(); ++i) d[i] = sizes[i].constant();
        return ivalue(std::move(d));
      }
      bool any_none = false;
      for (const node_arg& x : a.items()) any_none = any_none || (x.is_constant() && x.constant().is_none());
      if (any_none) {
        std::vector<std::optional<tensor_desc>> out;
        for (const node_arg& x : a.items())
          out.push_back(x.is_node() ? std::optional<tensor_desc>(interpreted_arg(g, values, x).to_tensor()) : std::nullopt);
        return ivalue(std::move(out));
      }
      std::vector<tensor_desc> out;
      for (const node_arg& x : a.items()) out.push_back(interpreted_arg(g, values, x).to_tensor());
      return ivalue(std::move(out));
    }
    case node_arg::kind::constant: {
      ivalue v = a.constant().to_ivalue();
      // A number where the schema takes a Tensor was a wrapped number (x * 0.5).
      if (sc != nullptr && formal != nullptr && v.is_scalar() && sc->type_of(*formal).kind == type_kind::tensor)
        return v.is_double() ? ivalue(at::wrapped_number(v.to_double())) : ivalue(at::wrapped_number(v.to_int()));
      return v;
    }
  }
  return {};
}
}  // namespace detail

// Runs g on `inputs` (one per placeholder, in order); returns the output node's tensors.
inline std::vector<tensor_desc> interpret(const graph& g, std::span<const tensor_desc> inputs, const graph_attrs& attrs = {}) {
  return detail::interpret_graph(g, inputs, attrs);
}

// The values the backed symbols of `env` take for these inputs of g: each
// symbolic placeholder's sizes, strides and offset bound to the input's
// (symbols no input fixes keep their hints); nullopt where the inputs
// contradict the placeholders (another rank, a constant dim of another size,
// two values for one symbol, a compound stride that does not follow).
inline std::optional<std::vector<std::int64_t>> symbol_values(const graph& g, std::span<const tensor_desc> inputs,
                                                              const shape_env& env) {
  std::vector<std::int64_t> values(env.hints());
  std::vector<bool> bound(values.size(), false);
  std::vector<std::pair<sym_int, std::int64_t>> compound;  // checked once every symbol is bound
  const auto bind = [&](const sym_int& e, std::int64_t v) {
    if (e.is_constant()) return e.constant() == v;
    const sym_node& n = *e.node();
    if (n.op != sym_op::symbol || !n.backed || n.env != &env) {
      compound.emplace_back(e, v);
      return true;
    }
    if (bound[n.symbol_index]) return values[n.symbol_index] == v;
    bound[n.symbol_index] = true;
    values[n.symbol_index] = v;
    return true;
  };
  std::size_t k = 0;
  for (node_id i = 0; i < g.size(); ++i) {
    const node& n = g[i];
    if (n.erased || n.op != node_op::placeholder) continue;
    if (k >= inputs.size()) return std::nullopt;
    const tensor_desc& in = inputs[k++];
    if (n.val.type != node_value::kind::tensor || !n.val.tensor().is_symbolic()) continue;
    const sym_geometry& geo = *detail::sym_geometry_if(n.val.tensor());
    if (static_cast<std::size_t>(in.dim()) != geo.sizes.size()) return std::nullopt;
    for (std::size_t d = 0; d < geo.sizes.size(); ++d)
      if (!bind(geo.sizes[d], in.sizes()[d])) return std::nullopt;
    for (std::size_t d = 0; d < geo.sizes.size(); ++d)
      if (!bind(geo.strides[d], in.strides()[d])) return std::nullopt;
    if (!bind(geo.offset, in.storage_offset())) return std::nullopt;
  }
  for (const auto& [e, v] : compound)
    if (env.evaluate(e, values) != v) return std::nullopt;
  return values;
}

// Runs g on new inputs after checking them against the guards of the
// shape_env it was traced under (make_fx's symbolic graph re-run for new
// sizes): a value_error naming the guards when they do not hold, as a
// compiled graph's guard failure means a retrace.
inline std::vector<tensor_desc> interpret(const graph& g, std::span<const tensor_desc> inputs, const shape_env& env,
                                          const graph_attrs& attrs = {}) {
  const std::optional<std::vector<std::int64_t>> values = symbol_values(g, inputs, env);
  if (!values || !env.check_guards(*values))
    throw value_error("interpret: the inputs do not satisfy the guards the graph was traced under (trace it again for them):\n" +
                      env.guards_string());
  return detail::interpret_graph(g, inputs, attrs);
}

inline std::vector<tensor_desc> detail::interpret_graph(const graph& g, std::span<const tensor_desc> inputs, const graph_attrs& attrs) {
  std::vector<detail::run_value> values(g.size());
  std::size_t next_input = 0;
  for (node_id i = 0; i < g.size(); ++i) {
    const node& n = g[i];
    if (n.erased) continue;
    detail::run_value& out = values[i];
    switch (n.op) {
      case node_op::placeholder:
        if (next_input >= inputs.size())
          throw value_error("interpret: the graph has more placeholders than the " + std::to_string(inputs.size()) + " inputs given");
        out.tensors = {inputs[next_input++]};
        break;
      case node_op::get_attr: {
        if (const graph* sub = g.find_subgraph(n.attr); sub != nullptr && n.val.type == node_value::kind::none) {
          out.subgraph = sub;
          break;
        }
        auto it = attrs.find(n.attr);
        out.tensors = {it != attrs.end() ? it->second : n.val.tensor()};
        break;
      }
      case node_op::call_function: {
        if (n.is_getitem()) {
          const detail::run_value& of = values[n.args[0].node()];
          const auto idx = static_cast<std::size_t>(std::get<std::int64_t>(n.args[1].constant().value()));
          out.tensors = {of.tensors.at(idx)};
          break;
        }
        if (n.is_hop()) {
          stack s;
          for (const node_arg& a : n.args) s.push_back(detail::interpreted_arg(g, values, a));
          n.hop->call(s);
          out.several = true;
          for (const ivalue& r : s) r.for_each_tensor([&](const tensor_desc& t) { out.tensors.push_back(t); });
          break;
        }
        const schema& sc = n.target->schema();
        const auto formal = sc.arguments();
        stack s;
        for (std::size_t k = 0; k < n.args.size(); ++k)
          s.push_back(detail::interpreted_arg(g, values, n.args[k], &sc, k < formal.size() ? &formal[k] : nullptr));
        std::vector<std::pair<std::string, ivalue>> kwargs;
        for (const auto& [name, a] : n.kwargs) {
          const schema_argument* f = nullptr;
          for (const schema_argument& x : formal)
            if (x.name == name) f = &x;
          kwargs.emplace_back(name, detail::interpreted_arg(g, values, a, &sc, f));
        }
        stack args = kwargs.empty() ? std::move(s) : n.target->bind(std::move(s), kwargs);
        n.target->call(args);
        out.several = sc.num_returns() > 1 || (args.size() == 1 && args[0].is_tensor_list());
        for (const ivalue& r : args) {
          if (r.is_scalar()) out.scalar = r;
          r.for_each_tensor([&](const tensor_desc& t) { out.tensors.push_back(t); });
        }
        break;
      }
      case node_op::output: {
        std::vector<tensor_desc> results;
        for (const node_arg& a : n.args.at(0).items()) results.push_back(detail::interpreted_arg(g, values, a).to_tensor());
        if (next_input != inputs.size())
          throw value_error("interpret: " + std::to_string(inputs.size()) + " inputs given for " + std::to_string(next_input) +
                            " placeholders");
        return results;
      }
    }
  }
  throw value_error("interpret: the graph has no output node");
}

// FX's eliminate_dead_code: removes call_function and get_attr nodes whose
// values nobody uses, unless the op writes to an argument (a schema with
// mutable arguments) or draws random numbers. Returns whether anything went.
inline bool eliminate_dead_code(graph& g) {
  bool changed = false;
  for (node_id i = static_cast<node_id>(g.size()); i-- > 0;) {
    const node& n = g[i];
    if (n.erased || !n.users.empty()) continue;
    if (n.op == node_op::placeholder || n.op == node_op::output) continue;
    if (n.op == node_op::call_function && n.target != nullptr &&
        (n.target->kind() != schema_kind::functional || n.target->has_tag(op_tag::nondeterministic_seeded)))
      continue;
    g.erase(i);
    changed = true;
  }
  if (changed) g.compact();
  return changed;
}

// Points every call of `from` at `to` instead (names and arguments stay);
// `to` must take every keyword the calls pass and at least as many positional
// arguments. Returns the number of nodes changed. Their recorded values are
// from the old op: run interpret() under a tracing mode to refresh them.
inline std::size_t replace_op(graph& g, const op_overload& from, const op_overload& to) {
  std::size_t changed = 0;
  const auto formal = to.schema().arguments();
  std::size_t positional = 0;
  for (const schema_argument& a : formal) positional += !a.kwarg_only;
  for (node_id i = 0; i < g.size(); ++i) {
    node& n = g[i];
    if (n.erased || n.op != node_op::call_function || n.target != &from) continue;
    if (n.args.size() > positional)
      throw value_error("replace_op: " + to.qualified_name() + " takes " + std::to_string(positional) + " positional arguments, node '" +
                        n.name + "' passes " + std::to_string(n.args.size()));
    for (const auto& [k, a] : n.kwargs) {
      bool known = false;
      for (const schema_argument& f : formal) known = known || f.name == k;
      if (!known) throw value_error("replace_op: " + to.qualified_name() + " has no argument '" + k + "' (node '" + n.name + "')");
    }
    n.target = &to;
    ++changed;
  }
  return changed;
}
inline std::size_t replace_op(graph& g, std::string_view from, std::string_view to) {
  return replace_op(g, op_registry::global().get(from), op_registry::global().get(to));
}

}  // namespace fake
