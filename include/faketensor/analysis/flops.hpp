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
#include <map>       // std::map
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "faketensor/core/expect.hpp"  // fake::checked_mul
#include "faketensor/trace/graph.hpp"  // fake::graph

namespace fake {

struct flop_report {
  std::int64_t total = 0;
  std::vector<std::optional<std::int64_t>> per_node;  // by node id
  std::map<std::string, std::int64_t> without_formula;  // op name -> number of calls
  std::vector<std::int64_t> bytes_read, bytes_written;  // by node id
  std::int64_t total_bytes_read = 0, total_bytes_written = 0;
};

namespace detail {
inline std::int64_t flop_product(std::initializer_list<std::int64_t> xs) {
  std::int64_t p = 1;
  for (std::int64_t x : xs) p = checked_mul<"count_flops">(p, x);
  return p;
}
inline const tensor_desc& node_tensor(const graph& g, const node_arg& a) { return g[a.node()].val.tensor(); }

// Whether a node only makes new metadata for existing data (a view,
// _unsafe_view, a getitem): a functional op all of whose results live on the
// storage of one of its inputs.
inline bool is_metadata_only(const graph& g, const node& n) {
  if (n.op != node_op::call_function) return true;
  if (n.is_getitem()) return true;
  if (n.is_hop()) return false;
  if (n.target->schema().kind() != schema_kind::functional) return false;
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
inline std::optional<std::int64_t> node_flops(const graph& g, const node& n) {
  using detail::flop_product;
  if (n.op != node_op::call_function || n.is_getitem() || n.is_hop()) return std::nullopt;
  const std::string_view base = n.target->base_name();
  const auto in = [&](std::size_t i) -> const tensor_desc& { return detail::node_tensor(g, n.args.at(i)); };
  if (base == "mm") return flop_product({2, in(0).size(0), in(0).size(1), in(1).size(1)});
  if (base == "addmm") return flop_product({2, in(1).size(0), in(1).size(1), in(2).size(1)});
  if (base == "bmm") return flop_product({2, in(0).size(0), in(0).size(1), in(0).size(2), in(1).size(2)});
  if (base == "baddbmm") return flop_product({2, in(1).size(0), in(1).size(1), in(1).size(2), in(2).size(2)});
  if (base == "mv") return flop_product({2, in(0).size(0), in(0).size(1)});
  if (base == "dot") return flop_product({2, in(0).size(0)});
  if (base == "convolution" || base == "_convolution") {
    const tensor_desc& x = in(0);
    const tensor_desc& w = in(1);
    const tensor_desc& out = n.val.tensor();
    bool transposed = false;
    if (n.args.size() > 6 && n.args[6].is_constant())
      if (const bool* b = std::get_if<bool>(&n.args[6].constant().value())) transposed = *b;
    const tensor_desc& spatial_of = transposed ? x : out;
    std::int64_t f = flop_product({2, x.size(0), w.size(0), w.size(1)});
    for (std::int64_t d = 2; d < w.dim(); ++d) f = checked_mul<"count_flops">(f, w.size(d));
    for (std::int64_t d = 2; d < spatial_of.dim(); ++d) f = checked_mul<"count_flops">(f, spatial_of.size(d));
    return f;
  }
  return std::nullopt;
}

inline flop_report count_flops(const graph& g) {
  flop_report r;
  r.per_node.resize(g.size());
  r.bytes_read.assign(g.size(), 0);
  r.bytes_written.assign(g.size(), 0);
  for (node_id i = 0; i < g.size(); ++i) {
    const node& n = g[i];
    if (n.erased || n.op != node_op::call_function) continue;
    if (detail::is_metadata_only(g, n)) continue;
    if (n.is_hop()) {
      // cond: the costlier branch (which runs is not known); map: the body once per slice.
      std::int64_t f = 0;
      for (const node_arg& a : n.args) {
        if (!a.is_node() || g[a.node()].op != node_op::get_attr) continue;
        const graph* sub = g.find_subgraph(g[a.node()].attr);
        if (sub == nullptr) continue;
        const flop_report sr = count_flops(*sub);
        for (const auto& [op, count] : sr.without_formula) r.without_formula[op] += count;
        f = std::max(f, sr.total);
      }
      if (n.hop->name() == "map" && !n.val.tensors.empty() && n.val.tensors.front().dim() > 0)
        f = checked_mul<"count_flops">(f, n.val.tensors.front().size(0));
      r.per_node[i] = f;
      r.total = checked_add<"count_flops">(r.total, f);
    } else {
      r.per_node[i] = node_flops(g, n);
      if (r.per_node[i]) r.total = checked_add<"count_flops">(r.total, *r.per_node[i]);
      else ++r.without_formula[n.target->qualified_name()];
    }
    std::vector<node_id> seen;
    n.for_each_input([&](node_id in) {
      for (node_id s : seen)
        if (s == in) return;
      seen.push_back(in);
      const node& src = g[in];
      if (src.val.type == node_value::kind::tensor) {
        const tensor_desc& t = src.val.tensor();
        r.bytes_read[i] += t.numel() * itemsize(t.dtype());
      }
    });
    for (const tensor_desc& t : n.val.tensors) r.bytes_written[i] += t.numel() * itemsize(t.dtype());
    r.total_bytes_read += r.bytes_read[i];
    r.total_bytes_written += r.bytes_written[i];
  }
  return r;
}

}  // namespace fake
