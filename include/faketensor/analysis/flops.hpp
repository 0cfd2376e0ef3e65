// faketensor/analysis/flops.hpp — FLOPs and bytes moved per node of a graph.
//
//   fake::flop_report r = fake::count_flops(g);
//   r.total;                         // FLOPs of the nodes with a formula
//   r.per_node[i];                   // std::optional: nullopt = no formula
//   r.without_formula;               // {"aten::add.Tensor", 25}, ...: never counted as 0
//
// The formulas are FlopCounterMode's (torch/utils/flop_counter.py): a
// multiply-add is 2 FLOPs; mm and addmm 2·m·k·n (the bias add is not
// counted), bmm and baddbmm 2·b·m·k·n, convolution (transposed too)
// 2·batch·c_out·c_in/groups·∏kernel·∏spatial, with the spatial extent of the
// output (of the input when transposed). Beyond FlopCounterMode, mv (2·m·n)
// and dot (2·n) are counted. Attention decomposed into bmm is counted by its
// bmm nodes. Ops that only make metadata (views, _unsafe_view, getitem: every
// result on an input's storage), placeholders and get_attr need no formula;
// every other op without one is listed by name.
//
// A cond node counts its costlier branch, a map node its body once per slice
// (Note [subgraphs]).
//
// Bytes: a node reads the bytes of its distinct tensor arguments (a view's
// numel × itemsize) and writes those of its results; views and getitem read
// and write nothing.
#pragma once

#include <algorithm>  // std::max
#include <cstdint>   // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <map>       // std::map
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "faketensor/core/expect.hpp"  // fake::checked_mul, fake::checked_add
#include "faketensor/trace/graph.hpp"  // fake::graph

namespace fake {

// The report over a number type N: std::int64_t (count_flops), or sym_int
// for a graph traced on symbolic inputs (count_flops_symbolic,
// analysis/sym_flops.hpp: the counts as polynomials in the input sizes).
template <class N>
struct basic_flop_report {
  N total = N(0);
  std::vector<std::optional<N>> per_node;               // by node id
  std::map<std::string, std::int64_t> without_formula;  // op name -> number of calls
  std::vector<N> bytes_read, bytes_written;             // by node id
  N total_bytes_read = N(0), total_bytes_written = N(0);
};
using flop_report = basic_flop_report<std::int64_t>;

namespace detail {
inline const tensor_desc& node_tensor(const graph& g, const node_arg& a) { return g[a.node()].val.tensor(); }

// How count_flops_as reads sizes and does its arithmetic: here on the
// concrete sizes, an overflow being an error.
struct concrete_count {
  using type = std::int64_t;
  static type size(const tensor_desc& t, std::int64_t d) { return t.size(d); }
  static type numel(const tensor_desc& t) { return t.numel(); }
  static type mul(type a, type b) { return checked_mul<"count_flops">(a, b); }
  static type add(type a, type b) { return checked_add<"count_flops">(a, b); }
  static type max(type a, type b) { return std::max(a, b); }
};

// Whether a node only makes new metadata for existing data (a view,
// _unsafe_view, a getitem): a functional op all of whose results live on the
// storage of one of its inputs.
inline bool is_metadata_only(const graph& g, const node& n) {
  if (n.op != node_op::call_function) return true;
  if (n.is_getitem()) return true;
  if (n.is_hop()) return false;
  if (n.val.type == node_value::kind::symint) return true;  // a size query or size arithmetic: no tensor work
  if (n.target->kind() != schema_kind::functional) return false;
  if (n.val.tensors.empty()) return false;
  for (const tensor_desc& out : n.val.tensors) {
    bool aliased = false;
    n.for_each_input([&](node_id in) {
      for (const tensor_desc& t : g[in].val.tensors) aliased = aliased || t.storage() == out.storage();
    });
    if (!aliased) return false;
  }
  return true;
}
}  // namespace detail

// FLOPs of one call_function node; nullopt when there is no formula.
template <class Count>
std::optional<typename Count::type> node_flops_as(const graph& g, const node& n) {
  using N = typename Count::type;
  if (n.op != node_op::call_function || n.is_getitem() || n.is_hop()) return std::nullopt;
  const std::string_view base = n.target->base_name();
  const auto in = [&](std::size_t i) -> const tensor_desc& { return detail::node_tensor(g, n.args.at(i)); };
  const auto size = [](const tensor_desc& t, std::int64_t d) { return Count::size(t, d); };
  const auto product = [](std::initializer_list<N> xs) {
    N p(1);
    for (const N& x : xs) p = Count::mul(p, x);
    return p;
  };
  if (base == "mm") return product({N(2), size(in(0), 0), size(in(0), 1), size(in(1), 1)});
  if (base == "addmm") return product({N(2), size(in(1), 0), size(in(1), 1), size(in(2), 1)});
  if (base == "bmm") return product({N(2), size(in(0), 0), size(in(0), 1), size(in(0), 2), size(in(1), 2)});
  if (base == "baddbmm") return product({N(2), size(in(1), 0), size(in(1), 1), size(in(1), 2), size(in(2), 2)});
  if (base == "mv") return product({N(2), size(in(0), 0), size(in(0), 1)});
  if (base == "dot") return product({N(2), size(in(0), 0)});
  if (base == "convolution" || base == "_convolution") {
    const tensor_desc& x = in(0);
    const tensor_desc& w = in(1);
    const tensor_desc& out = n.val.tensor();
    bool transposed = false;
    if (n.args.size() > 6 && n.args[6].is_constant())
      if (const bool* b = std::get_if<bool>(&n.args[6].constant().value())) transposed = *b;
    const tensor_desc& spatial_of = transposed ? x : out;
    N f = product({N(2), size(x, 0), size(w, 0), size(w, 1)});
    for (std::int64_t d = 2; d < w.dim(); ++d) f = Count::mul(f, size(w, d));
    for (std::int64_t d = 2; d < spatial_of.dim(); ++d) f = Count::mul(f, size(spatial_of, d));
    return f;
  }
  return std::nullopt;
}
inline std::optional<std::int64_t> node_flops(const graph& g, const node& n) { return node_flops_as<detail::concrete_count>(g, n); }

template <class Count>
basic_flop_report<typename Count::type> count_flops_as(const graph& g) {
  using N = typename Count::type;
  basic_flop_report<N> r;
  r.per_node.resize(g.size());
  r.bytes_read.assign(g.size(), N(0));
  r.bytes_written.assign(g.size(), N(0));
  const auto bytes_of = [](const tensor_desc& t) { return Count::mul(Count::numel(t), N(itemsize(t.dtype()))); };
  for (node_id i = 0; i < g.size(); ++i) {
    const node& n = g[i];
    if (n.erased || n.op != node_op::call_function) continue;
    if (detail::is_metadata_only(g, n)) continue;
    if (n.is_hop()) {
      // cond: the costlier branch (which runs is not known); map: the body once per slice.
      N f(0);
      for (const node_arg& a : n.args) {
        if (!a.is_node() || g[a.node()].op != node_op::get_attr) continue;
        const graph* sub = g.find_subgraph(g[a.node()].attr);
        if (sub == nullptr) continue;
        const basic_flop_report<N> sr = count_flops_as<Count>(*sub);
        for (const auto& [op, count] : sr.without_formula) r.without_formula[op] += count;
        f = Count::max(f, sr.total);
      }
      if (n.hop->name() == "map" && !n.val.tensors.empty() && n.val.tensors.front().dim() > 0)
        f = Count::mul(f, Count::size(n.val.tensors.front(), 0));
      r.per_node[i] = f;
      r.total = Count::add(r.total, f);
    } else {
      r.per_node[i] = node_flops_as<Count>(g, n);
      if (r.per_node[i]) r.total = Count::add(r.total, *r.per_node[i]);
      else ++r.without_formula[n.target->qualified_name()];
    }
    std::vector<node_id> seen;
    n.for_each_input([&](node_id in) {
      for (node_id s : seen)
        if (s == in) return;
      seen.push_back(in);
      const node& src = g[in];
      if (src.val.type == node_value::kind::tensor) r.bytes_read[i] = Count::add(r.bytes_read[i], bytes_of(src.val.tensor()));
    });
    for (const tensor_desc& t : n.val.tensors) r.bytes_written[i] = Count::add(r.bytes_written[i], bytes_of(t));
    r.total_bytes_read = Count::add(r.total_bytes_read, r.bytes_read[i]);
    r.total_bytes_written = Count::add(r.total_bytes_written, r.bytes_written[i]);
  }
  return r;
}
inline flop_report count_flops(const graph& g) { return count_flops_as<detail::concrete_count>(g); }

}  // namespace fake
