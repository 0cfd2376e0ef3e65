// faketensor/trace/graph.hpp — the graph IR of traced programs (FX's Graph).
//
//   fake::graph g;
//   node_id x = g.placeholder("arg0_1", {x_meta});
//   node_id y = g.call(op, {node_arg::ref(x), node_arg::constant(1)}, {}, {y_meta});
//   g.output({node_arg::ref(y)});
//   g.lint();
//
// Nodes live in one vector in topological order and refer to each other by
// index (node_id); a node's arguments can only name nodes before it. As in FX
// there are four kinds: placeholder (an input), get_attr (a parameter or a
// constant tensor, by qualified name), call_function and output. An op with
// several tensor results (a tuple or a Tensor[]) gets one `getitem` node per
// result, as make_fx makes them: a call_function whose target is null.
//
// Every node keeps its value's metadata (FX's meta["val"]): the fake tensors
// it produced, or a scalar. Names are FX's: the op's base name and a counter
// ("view", "view_1", ...), made unique across the graph (Note [node names]).
//
// Note [graph constants]: constant arguments are stored as graph_constant, a
// small variant without tensors (tensors are always nodes), so a node costs a
// few hundred bytes and a 100,000-node graph stays under 1 KiB a node.
#pragma once

#include <algorithm>      // std::equal
#include <cstdint>        // std::uint32_t
#include <limits>         // std::numeric_limits
#include <memory>         // std::shared_ptr
#include <optional>       // std::optional
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <type_traits>    // std::is_invocable_v
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::move, std::pair
#include <variant>        // std::variant
#include <vector>         // std::vector

#include <boost/container/small_vector.hpp>  // boost::container::small_vector

#include "faketensor/core/error.hpp"          // fake::value_error
#include "faketensor/dispatch/higher_order.hpp"  // fake::higher_order_operator
#include "faketensor/dispatch/operator.hpp"   // fake::op_overload
#include "faketensor/meta/tensor_desc.hpp"    // fake::tensor_desc
#include "faketensor/ops/ivalue.hpp"          // fake::ivalue
#include "faketensor/trace/node_names.hpp"    // fake::detail::node_namespace

namespace fake {

using node_id = std::uint32_t;

// A constant argument (Note [graph constants]): None, bool, int, float, str,
// int[], float[], bool[], dtype, device, layout or memory format.
class graph_constant {
 public:
  using storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, std::vector<std::int64_t>,
                               std::vector<double>, std::vector<bool>, fake::dtype, fake::device, fake::layout,
                               fake::memory_format>;
  graph_constant() = default;
  template <class T>
    requires std::is_constructible_v<storage, T&&>
  graph_constant(T&& v) : v_(std::forward<T>(v)) {}

  // A non-tensor ivalue as a constant; a tensor or a callable is a value_error.
  static graph_constant from(const ivalue& v) {
    switch (v.kind()) {
      case ivalue_kind::none: return {};
      case ivalue_kind::boolean: return v.to_bool();
      case ivalue_kind::integer: return v.to_int();
      case ivalue_kind::floating: return v.to_double();
      case ivalue_kind::string: return v.to_string_ref();
      case ivalue_kind::int_list: {
        const dim_vector& d = v.int_list_ref();
        return std::vector<std::int64_t>(d.begin(), d.end());
      }
      case ivalue_kind::float_list: return v.to_float_list();
      case ivalue_kind::bool_list: return v.to_bool_list();
      case ivalue_kind::scalar_type: return v.to_dtype();
      case ivalue_kind::device: return v.to_device();
      case ivalue_kind::layout: return v.to_layout();
      case ivalue_kind::memory_format: return v.to_memory_format();
      default: throw value_error("graph: a " + std::string(name(v.kind())) + " cannot be a graph constant");
    }
  }
  [[nodiscard]] ivalue to_ivalue() const {
    return std::visit(
        [](const auto& x) -> ivalue {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) return ivalue();
          else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) return ivalue(dim_vector(x.begin(), x.end()));
          else return ivalue(x);
        },
        v_);
  }
  [[nodiscard]] const storage& value() const noexcept { return v_; }
  [[nodiscard]] bool is_none() const noexcept { return v_.index() == 0; }
  friend bool operator==(const graph_constant&, const graph_constant&) = default;

 private:
  storage v_;
};

// Python's repr of a constant, as FX prints it: None, True, 1, 0.5, 'tanh',
// [1, 2], torch.float32, device(type='cuda', index=0), torch.contiguous_format.
inline std::string to_string(const graph_constant& c) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "None";
        else if constexpr (std::is_same_v<T, fake::device>) {
          std::string s = "device(type='" + std::string(name(x.type)) + "'";
          if (x.index >= 0) s += ", index=" + std::to_string(x.index);
          return s + ")";
        } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
          std::string s = "[";
          for (std::size_t i = 0; i < x.size(); ++i) s += (i ? ", " : "") + std::to_string(x[i]);
          return s + "]";
        } else if constexpr (std::is_same_v<T, std::vector<double>> || std::is_same_v<T, std::vector<bool>>) {
          std::string s = "[";
          for (std::size_t i = 0; i < x.size(); ++i) s += (i ? ", " : "") + to_string(ivalue(static_cast<T::value_type>(x[i])));
          return s + "]";
        } else if constexpr (std::is_same_v<T, double>) {
          if (x != x) return "nan";
          if (x == std::numeric_limits<double>::infinity()) return "inf";
          if (x == -std::numeric_limits<double>::infinity()) return "-inf";
          return to_string(ivalue(x));
        } else return to_string(ivalue(x));
      },
      c.value());
}

// An argument of a node: a reference to a node, a constant, or a list of
// arguments (Tensor[], Tensor?[] with None entries).
class node_arg {
 public:
  enum class kind : std::uint8_t { node, constant, list };

  node_arg() = default;  // the constant None
  static node_arg ref(node_id n) {
    node_arg a;
    a.kind_ = kind::node;
    a.node_ = n;
    return a;
  }
  static node_arg constant(graph_constant c) {
    node_arg a;
    a.constant_ = std::move(c);
    return a;
  }
  static node_arg list(std::vector<node_arg> items) {
    node_arg a;
    a.kind_ = kind::list;
    a.items_ = std::move(items);
    return a;
  }

  [[nodiscard]] kind type() const noexcept { return kind_; }
  [[nodiscard]] bool is_node() const noexcept { return kind_ == kind::node; }
  [[nodiscard]] bool is_list() const noexcept { return kind_ == kind::list; }
  [[nodiscard]] bool is_constant() const noexcept { return kind_ == kind::constant; }
  [[nodiscard]] node_id node() const noexcept { return node_; }
  [[nodiscard]] const graph_constant& constant() const noexcept { return constant_; }
  [[nodiscard]] const std::vector<node_arg>& items() const noexcept { return items_; }

  // Calls f(id) for every node this argument refers to.
  template <class F>
  void for_each_node(F&& f) const {
    if (kind_ == kind::node) f(node_);
    else if (kind_ == kind::list)
      for (const node_arg& a : items_) a.for_each_node(f);
  }
  template <class F>
  void rewrite_nodes(F&& f) {
    if (kind_ == kind::node) node_ = f(node_);
    else if (kind_ == kind::list)
      for (node_arg& a : items_) a.rewrite_nodes(f);
  }
  friend bool operator==(const node_arg&, const node_arg&) = default;

 private:
  kind kind_ = kind::constant;
  node_id node_ = 0;
  graph_constant constant_;
  std::vector<node_arg> items_;
};

// A node's arguments: inline up to three (most ops take one to three).
using node_args = boost::container::small_vector<node_arg, 3>;

enum class node_op : std::uint8_t { placeholder, get_attr, call_function, output };

inline std::string_view name(node_op o) {
  switch (o) {
    case node_op::placeholder: return "placeholder";
    case node_op::get_attr: return "get_attr";
    case node_op::call_function: return "call_function";
    case node_op::output: return "output";
  }
  return "?";
}

// What a node produced (FX's meta["val"]): nothing (output), one tensor, a
// tuple or list of tensors (one getitem node each), a scalar, or a symbolic
// SymInt (a size query or size arithmetic: Note [symbolic ints in boxed
// calls]), kept as its expression's text ("s0", "12*s1").
struct node_value {
  enum class kind : std::uint8_t { none, tensor, tensors, scalar, symint };
  kind type = kind::none;
  // one for kind::tensor (inline: most nodes make one tensor)
  boost::container::small_vector<tensor_desc, 1> tensors;
  graph_constant scalar;             // kind::scalar's value; kind::symint's text

  static node_value symint(std::string text) {
    node_value v;
    v.type = kind::symint;
    v.scalar = std::move(text);
    return v;
  }
  static node_value of(tensor_desc t) {
    node_value v;
    v.type = kind::tensor;
    v.tensors.push_back(std::move(t));
    return v;
  }
  [[nodiscard]] const tensor_desc& tensor() const {
    if (type != kind::tensor) throw value_error("graph: the node's value is not one tensor");
    return tensors.front();
  }
};

struct node {
  node_op op = node_op::call_function;
  std::string name;
  // call_function: the op; null for getitem (args: the node, the index) and
  // for a higher-order op, which is `hop` (cond, map: Note [subgraphs]).
  const op_overload* target = nullptr;
  const higher_order_operator* hop = nullptr;
  // get_attr: the attribute's qualified name ("h.0.attn.c_attn.weight").
  std::string attr;
  node_args args;
  std::vector<std::pair<std::string, node_arg>> kwargs;
  node_value val;
  boost::container::small_vector<node_id, 3> users;  // nodes that take this one as an argument, in order
  bool erased = false;         // removed by eliminate_dead_code / erase (graph::compact drops it)

  [[nodiscard]] bool is_getitem() const noexcept { return op == node_op::call_function && target == nullptr && hop == nullptr; }
  [[nodiscard]] bool is_hop() const noexcept { return op == node_op::call_function && hop != nullptr; }
  // "aten.addmm.default", "getitem": the target as FX prints it.
  [[nodiscard]] std::string target_name() const {
    if (op == node_op::get_attr) return attr;
    if (op != node_op::call_function) return name;
    if (is_getitem()) return "getitem";
    if (is_hop()) return "higher_order." + hop->name();
    std::string s(target->ns());
    s += '.';
    s += target->base_name();
    s += '.';
    s += target->overload_name().empty() ? std::string_view("default") : target->overload_name();
    return s;
  }
  template <class F>
  void for_each_input(F&& f) const {
    for (const node_arg& a : args) a.for_each_node(f);
    for (const auto& [k, a] : kwargs) a.for_each_node(f);
  }
};

// Thrown by graph::lint: a broken invariant, naming the node.
class graph_lint_error : public error {
 public:
  using error::error;
};

class graph {
 public:
  graph() = default;

  // --------------------------------------------------------------- build ----
  // (The name is made before the node vector may grow: `name` may view a
  // node's own name.)
  node_id placeholder(std::string_view name, node_value&& val) {
    std::string unique = unique_name(name);
    node& n = nodes_.emplace_back();  // takes no arguments: nothing to check first
    n.op = node_op::placeholder;
    n.name = std::move(unique);
    n.val = std::move(val);
    return static_cast<node_id>(nodes_.size() - 1);
  }
  node_id get_attr(std::string attr, node_value&& val) {
    std::string unique = unique_name(attr);  // unique_name sanitizes
    node& n = nodes_.emplace_back();
    n.op = node_op::get_attr;
    n.name = std::move(unique);
    n.attr = std::move(attr);
    n.val = std::move(val);
    return static_cast<node_id>(nodes_.size() - 1);
  }
  node_id call(const op_overload& op, node_args&& args, std::vector<std::pair<std::string, node_arg>>&& kwargs,
               node_value&& val) {
    return call_node(op.base_name(), &op, nullptr, std::move(args), std::move(kwargs), [&](node_value& v) { v = std::move(val); });
  }
  // The same with the value written in place by fill(node_value&): a tracer
  // copies a result straight into the graph (a tensor_desc is 300 bytes).
  // fill runs after the node vector may have grown, so it must not read this
  // graph's nodes.
  template <class Fill>
    requires std::is_invocable_v<Fill&, node_value&>
  node_id call_filled(const op_overload& op, node_args&& args, std::vector<std::pair<std::string, node_arg>>&& kwargs, Fill&& fill) {
    return call_node(op.base_name(), &op, nullptr, std::move(args), std::move(kwargs), fill);
  }
  node_id getitem(node_id of, std::int64_t index, node_value&& val) {
    return call_node("getitem", nullptr, nullptr, {node_arg::ref(of), node_arg::constant(index)}, {},
                     [&](node_value& v) { v = std::move(val); });
  }
  // getitem of one tensor, copied into place (`t` may be a node's own value:
  // it is copied first when the node vector is about to grow).
  node_id getitem(node_id of, std::int64_t index, const tensor_desc& t) {
    if (nodes_.size() == nodes_.capacity()) return getitem(of, index, node_value::of(t));
    return call_node("getitem", nullptr, nullptr, {node_arg::ref(of), node_arg::constant(index)}, {}, [&](node_value& v) {
      v.type = node_value::kind::tensor;
      v.tensors.push_back(t);
    });
  }
  // A higher-order op's call (cond, map); its subgraphs are get_attr arguments.
  node_id call_hop(const higher_order_operator& h, node_args&& args, node_value&& val) {
    return call_node(h.name(), nullptr, &h, std::move(args), {}, [&](node_value& v) { v = std::move(val); });
  }
  // Note [subgraphs]: a HOP's branch or body is a graph this graph owns by
  // name ("true_graph_0"); a get_attr node with that target and no value
  // stands for it, as FX's GraphModule attributes do.
  node_id subgraph(std::string_view base, graph sub) {
    std::size_t k = 0;
    std::string name;
    do name = std::string(base) + "_" + std::to_string(k++);
    while (find_subgraph(name) != nullptr);
    subgraphs_.emplace_back(name, std::make_shared<const graph>(std::move(sub)));
    node n;
    n.op = node_op::get_attr;
    n.name = unique_name(name);
    n.attr = name;
    return append(std::move(n));
  }
  [[nodiscard]] const graph* find_subgraph(std::string_view name) const {
    for (const auto& [n, g] : subgraphs_)
      if (n == name) return g.get();
    return nullptr;
  }
  [[nodiscard]] const std::vector<std::pair<std::string, std::shared_ptr<const graph>>>& subgraphs() const noexcept {
    return subgraphs_;
  }
  // A subgraph as given (the JSON importer).
  void add_subgraph(std::string name, graph sub) {
    if (find_subgraph(name) != nullptr) throw value_error("graph: a subgraph named '" + name + "' exists");
    subgraphs_.emplace_back(std::move(name), std::make_shared<const graph>(std::move(sub)));
  }

  node_id output(std::vector<node_arg> results) {
    node n;
    n.op = node_op::output;
    n.name = unique_name("output");
    n.args = {node_arg::list(std::move(results))};
    return append(std::move(n));
  }
  // A node as given (the JSON importer): its name must be new.
  node_id append_as_is(node n) {
    if (!names_.claim(n.name)) throw value_error("graph: the name '" + n.name + "' is taken");
    return append(std::move(n));
  }

  // Room for n nodes (a tracer that knows the size of its last graph).
  void reserve(std::size_t n) { nodes_.reserve(n); }

  // ------------------------------------------------------------- inspect ----
  [[nodiscard]] const node& operator[](node_id i) const { return nodes_.at(i); }
  [[nodiscard]] node& operator[](node_id i) { return nodes_.at(i); }
  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] const std::vector<node>& nodes() const noexcept { return nodes_; }
  [[nodiscard]] std::optional<node_id> find(std::string_view name) const {
    for (node_id i = 0; i < nodes_.size(); ++i)
      if (!nodes_[i].erased && nodes_[i].name == name) return i;
    return std::nullopt;
  }
  // The nodes of a kind, in order.
  [[nodiscard]] std::vector<node_id> nodes_of(node_op op) const {
    std::vector<node_id> out;
    for (node_id i = 0; i < nodes_.size(); ++i)
      if (!nodes_[i].erased && nodes_[i].op == op) out.push_back(i);
    return out;
  }
  [[nodiscard]] std::optional<node_id> output_node() const {
    for (node_id i = static_cast<node_id>(nodes_.size()); i-- > 0;)
      if (!nodes_[i].erased && nodes_[i].op == node_op::output) return i;
    return std::nullopt;
  }
  // The number of live (not erased) nodes.
  [[nodiscard]] std::size_t live_size() const noexcept {
    std::size_t n = 0;
    for (const node& x : nodes_) n += !x.erased;
    return n;
  }

  // -------------------------------------------------------------- change ----
  // Removes a node nobody uses (a value_error otherwise).
  void erase(node_id i) {
    node& n = nodes_.at(i);
    if (!n.users.empty())
      throw value_error("graph: cannot erase '" + n.name + "': it has " + std::to_string(n.users.size()) + " users");
    n.for_each_input([&](node_id in) {
      auto& u = nodes_[in].users;
      for (auto it = u.begin(); it != u.end(); ++it)
        if (*it == i) {
          u.erase(it);
          break;
        }
    });
    n.erased = true;
  }
  // Drops erased nodes and renumbers the rest (ids change).
  void compact() {
    std::vector<node_id> new_id(nodes_.size(), 0);
    std::vector<node> kept;
    kept.reserve(nodes_.size());
    for (node_id i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].erased) continue;  // its name stays used, as in FX
      new_id[i] = static_cast<node_id>(kept.size());
      kept.push_back(std::move(nodes_[i]));
    }
    for (node& n : kept) {
      for (node_arg& a : n.args) a.rewrite_nodes([&](node_id x) { return new_id[x]; });
      for (auto& [k, a] : n.kwargs) a.rewrite_nodes([&](node_id x) { return new_id[x]; });
      for (node_id& u : n.users) u = new_id[u];
    }
    nodes_ = std::move(kept);
  }

  // Checks FX's invariants: arguments name earlier live nodes, users lists
  // match the arguments, names are unique, one output node and it is last,
  // call_function nodes have a target (or are a getitem of a multi-result
  // node with an index in range), every value node has its metadata.
  void lint() const {
    std::unordered_map<std::string_view, node_id> seen;
    std::vector<std::vector<node_id>> users(nodes_.size());
    std::optional<node_id> out;
    for (node_id i = 0; i < nodes_.size(); ++i) {
      const node& n = nodes_[i];
      if (n.erased) continue;
      const auto fail = [&](const std::string& what) { throw graph_lint_error("graph lint: node '" + n.name + "': " + what); };
      if (n.name.empty()) fail("has no name");
      if (!seen.emplace(n.name, i).second) fail("its name is used twice");
      if (out) fail("comes after the output node");
      n.for_each_input([&](node_id in) {
        if (in >= i) fail("refers to node " + std::to_string(in) + ", which is not before it");
        if (nodes_[in].erased) fail("refers to erased node '" + nodes_[in].name + "'");
        if (nodes_[in].op == node_op::output) fail("refers to the output node");
        users[in].push_back(i);
      });
      switch (n.op) {
        case node_op::placeholder:
        case node_op::get_attr:
          if (!n.args.empty()) fail("a " + std::string(name(n.op)) + " takes no arguments");
          if (n.op == node_op::get_attr && n.attr.empty()) fail("get_attr has no target");
          if (n.val.type == node_value::kind::none && !(n.op == node_op::get_attr && find_subgraph(n.attr) != nullptr))
            fail("has no value metadata");
          break;
        case node_op::call_function:
          if (n.is_getitem()) {
            if (n.args.size() != 2 || !n.args[0].is_node() || !n.args[1].is_constant())
              fail("getitem takes (node, index)");
            const node& of = nodes_[n.args[0].node()];
            const auto* idx = std::get_if<std::int64_t>(&n.args[1].constant().value());
            if (of.val.type != node_value::kind::tensors) fail("getitem of '" + of.name + "', which has one result");
            if (idx == nullptr || *idx < 0 || static_cast<std::size_t>(*idx) >= of.val.tensors.size())
              fail("getitem index out of range for '" + of.name + "'");
          }
          if (n.val.type == node_value::kind::none && !(n.target && n.target->schema().returns().empty()))
            fail("has no value metadata");
          if (n.is_hop())
            for (const node_arg& a : n.args)
              if (a.is_node() && nodes_[a.node()].op == node_op::get_attr && nodes_[a.node()].val.type == node_value::kind::none)
                find_subgraph(nodes_[a.node()].attr)->lint();
          break;
        case node_op::output: out = i; break;
      }
    }
    if (!out) throw graph_lint_error("graph lint: the graph has no output node");
    for (node_id i = 0; i < nodes_.size(); ++i)
      if (!nodes_[i].erased && !std::equal(users[i].begin(), users[i].end(), nodes_[i].users.begin(), nodes_[i].users.end()))
        throw graph_lint_error("graph lint: node '" + nodes_[i].name + "': its users list does not match its uses");
  }

 private:
  // A call_function node: an op, a HOP, or (neither) a getitem. Built in
  // place in the node vector: a node is a few hundred bytes.
  template <class Fill>
  node_id call_node(std::string_view base, const op_overload* op, const higher_order_operator* hop, node_args&& args,
                    std::vector<std::pair<std::string, node_arg>>&& kwargs, Fill&& fill) {
    const auto id = static_cast<node_id>(nodes_.size());
    const auto check = [&](node_id in) {
      if (in >= id) throw value_error("graph: a " + std::string(base) + " node refers to a node that is not before it");
    };
    for (const node_arg& a : args) a.for_each_node(check);
    for (const auto& [k, a] : kwargs) a.for_each_node(check);
    node& n = nodes_.emplace_back();
    n.op = node_op::call_function;
    n.target = op;
    n.hop = hop;
    n.name = names_.create(base, /*repeated=*/true);  // an op's name
    n.args = std::move(args);
    n.kwargs = std::move(kwargs);
    fill(n.val);
    n.for_each_input([&](node_id in) { nodes_[in].users.push_back(id); });
    return id;
  }

  node_id append(node n) {
    const auto id = static_cast<node_id>(nodes_.size());
    n.for_each_input([&](node_id in) {
      if (in >= id) throw value_error("graph: node '" + n.name + "' refers to a node that is not before it");
      nodes_[in].users.push_back(id);
    });
    nodes_.push_back(std::move(n));
    return id;
  }

  // Note [node names]
  std::string unique_name(std::string_view candidate) { return names_.create(candidate); }

  std::vector<node> nodes_;
  detail::node_namespace names_;  // every name given out, never given back (FX)
  std::vector<std::pair<std::string, std::shared_ptr<const graph>>> subgraphs_;
};

}  // namespace fake
