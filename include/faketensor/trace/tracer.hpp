// faketensor/trace/tracer.hpp — recording op calls into a graph
// (make_fx's ProxyTorchDispatchMode + PythonKeyTracer + track_tensor_tree).
//
//   fake::mode<fake::trace::graph> m;          // a fake mode that traces
//   fake::tracer& tr = m.recorder();
//   node_id x = tr.input("x", xt);             // a placeholder
//   tr.parameter("fc.weight", w);              // a get_attr where first used
//   { fake::mode_guard on(m); y = fake::at::linear(xt, w); }
//   tr.output({y});
//
// Each op that reaches the mode appends one call_function node (after
// CompositeImplicit kernels decomposed, Note [composites decompose]); tensor
// results are tracked by identity (tensor_desc::id()), so a later op that takes
// them refers to the node. An op with several tensor results gets one getitem
// node per result (make_fx's track_tensor_tree). An in-place op re-points its
// tensor to the new node, so later uses see the mutation (settings:
// repoint_inplace = false keeps the old node: the seed's "do not clobber
// inplace ops"). aten::lift_fresh is recorded as lift_fresh_copy. A tensor
// nobody declared becomes a `_tensor_constant<N>` get_attr, as make_fx does
// with a tensor it did not make.
//
// Arguments are recorded as make_fx prints them: kwarg-only arguments as
// keywords, and arguments equal to their default dropped (trailing positional
// ones, and keywords).
//
// cond and map are traced as make_fx traces them: cond's branches (both, the
// predicate has no value) and map's body (once) become subgraphs of the graph
// (Note [subgraphs]), and the HOP is one node taking them.
//
// Constant tensors (Note [constant tensors]) are recorded as make_fx records
// them: an op on constants is a node like any other (its result keeps its
// values), except a data-dependent one (item), which gives the value and no
// node.
//
// A symbolic SymInt argument (view(x, [s0, s1, 12, 64])) is recorded as the
// nodes that compute it from the inputs, as make_fx's symbolic tracing does:
// `sym_size.int(arg0_1, 0)` for a symbol, `_operator.mul(...)` and friends for
// arithmetic, made where first used and shared after (the symbol tracker:
// record_symint, find_symint; dispatch/sym_ints.hpp builds the expressions).
#pragma once

#include <algorithm>      // std::max, std::lower_bound
#include <functional>     // std::function
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::move
#include <vector>         // std::vector

#include "faketensor/dispatch/higher_order.hpp"  // fake::hops, fake::current_hop_mode
#include "faketensor/dispatch/mode_stack.hpp"  // fake::mode_guard
#include "faketensor/dispatch/operator.hpp"    // fake::op_overload, fake::op_registry
#include "faketensor/meta/constant.hpp"        // fake::constant_item
#include "faketensor/mode/constants.hpp"        // fake::detail::all_constant_tensors
#include "faketensor/trace/graph.hpp"          // fake::graph

namespace fake {

// A decomposition: computes op's results on `s` (its normalized arguments) by
// calling other ops through the dispatcher (fake::at).
using decomposition = std::function<void(const op_overload& op, stack& s)>;

// Maps ops to their decompositions (make_fx's decomposition_table).
class decomposition_table {
 public:
  decomposition_table() = default;
  decomposition_table& add(const op_overload& op, decomposition d) {
    table_[&op] = std::move(d);
    return *this;
  }
  decomposition_table& add(std::string_view qualified_name, decomposition d) {
    return add(op_registry::global().get(qualified_name), std::move(d));
  }
  [[nodiscard]] const decomposition* find(const op_overload& op) const {
    auto it = table_.find(&op);
    return it == table_.end() ? nullptr : &it->second;
  }
  [[nodiscard]] std::size_t size() const noexcept { return table_.size(); }
  [[nodiscard]] bool contains(const op_overload& op) const { return table_.contains(&op); }

 private:
  std::unordered_map<const op_overload*, decomposition> table_;
};

namespace detail {
inline const decomposition_table*& current_decompositions() {
  thread_local const decomposition_table* table = nullptr;
  return table;
}
}  // namespace detail

// While alive, a tracing mode decomposes the ops in `table` (make_fx's
// decompose(decomposition_table) context); scopes nest, the innermost wins.
class decompose {
 public:
  explicit decompose(const decomposition_table& table) : previous_(detail::current_decompositions()) {
    detail::current_decompositions() = &table;
  }
  ~decompose() { detail::current_decompositions() = previous_; }
  decompose(const decompose&) = delete;
  decompose& operator=(const decompose&) = delete;

 private:
  const decomposition_table* previous_;
};

namespace detail {
// A map from tensor ids to values, sorted by id in one vector: a trace's
// parameters are declared, and first used, in about the order they were made
// (their ids), so entries go in at the end and a lookup is a binary search,
// with no allocation per entry.
template <class V>
class sorted_id_map {
 public:
  [[nodiscard]] V* find(std::uint64_t id) {
    auto it = lower_bound(id);
    return it != entries_.end() && it->first == id ? &it->second : nullptr;
  }
  [[nodiscard]] const V* find(std::uint64_t id) const { return const_cast<sorted_id_map&>(*this).find(id); }
  // Sets id's value; returns whether it had one.
  bool insert_or_assign(std::uint64_t id, V v) {
    auto it = lower_bound(id);
    if (it != entries_.end() && it->first == id) {
      it->second = std::move(v);
      return true;
    }
    entries_.emplace(it, id, std::move(v));
    return false;
  }
  void clear() noexcept { entries_.clear(); }

 private:
  typename std::vector<std::pair<std::uint64_t, V>>::iterator lower_bound(std::uint64_t id) {
    if (entries_.empty() || entries_.back().first < id) return entries_.end();  // the common case: a newer id
    return std::lower_bound(entries_.begin(), entries_.end(), id, [](const auto& e, std::uint64_t k) { return e.first < k; });
  }
  std::vector<std::pair<std::uint64_t, V>> entries_;
};

// Tensor id -> node. Ids come from one growing counter, so the tensors made
// during a trace have ids from the counter's value when it started: those
// index a vector; older ones (inputs, parameters) go in a sorted_id_map.
class tensor_node_map {
 public:
  tensor_node_map() { start(); }
  void start() {
    base_ = fake::detail::tensor_id_counter() + 1;
    dense_.clear();
    sparse_.clear();
  }
  [[nodiscard]] const node_id* find(std::uint64_t id) const {
    if (id >= base_) {
      const std::uint64_t k = id - base_;
      return k < dense_.size() && dense_[k] != none ? &dense_[k] : nullptr;
    }
    return sparse_.find(id);
  }
  // Sets id's node; returns whether it had one before.
  bool set(std::uint64_t id, node_id n) {
    if (id >= base_ && id - base_ < max_dense) {
      const std::uint64_t k = id - base_;
      if (k >= dense_.size()) dense_.resize(std::max<std::size_t>(k + 1, dense_.size() * 2), none);
      const bool had = dense_[k] != none;
      dense_[k] = n;
      return had;
    }
    return sparse_.insert_or_assign(id, n);
  }

 private:
  static constexpr node_id none = ~node_id{0};
  static constexpr std::uint64_t max_dense = std::uint64_t{1} << 26;  // 256 MiB of entries at most
  std::uint64_t base_ = 1;
  std::vector<node_id> dense_;
  sorted_id_map<node_id> sparse_;  // inputs and parameters
};
}  // namespace detail

class tracer {
 public:
  struct settings {
    // An in-place op's tensor refers to the op's node afterwards (make_fx's default).
    bool repoint_inplace = true;
  };

  tracer() = default;
  explicit tracer(settings s) : settings_(s) {}

  [[nodiscard]] fake::graph& graph() noexcept { return graph_; }
  [[nodiscard]] const fake::graph& graph() const noexcept { return graph_; }
  [[nodiscard]] const settings& config() const noexcept { return settings_; }
  void configure(settings s) noexcept { settings_ = s; }

  // Starts a new graph (settings are kept).
  void reset() {
    last_size_ = std::max(last_size_, graph_.size());
    graph_ = fake::graph{};
    graph_.reserve(last_size_);  // the next trace is likely the same size
    tracked_.start();
    attrs_.clear();
    symints_.clear();
    constants_ = 0;
  }
  // Hands the graph over and starts a new one.
  [[nodiscard]] fake::graph take_graph() {
    last_size_ = std::max(last_size_, graph_.size());
    fake::graph g = std::move(graph_);
    reset();
    return g;
  }

  // A placeholder for an input tensor.
  node_id input(std::string_view name, const tensor_desc& t) {
    const node_id n = graph_.placeholder(name, node_value::of(t));
    tracked_.set(t.id(), n);
    return n;
  }
  // Declares a parameter or buffer: its get_attr node is made where it is first used.
  void parameter(std::string qualified_name, const tensor_desc& t) { attrs_.insert_or_assign(t.id(), std::move(qualified_name)); }
  // The output node: the graph's results.
  node_id output(const std::vector<tensor_desc>& results) {
    std::vector<node_arg> args;
    args.reserve(results.size());
    for (const tensor_desc& t : results) args.push_back(node_arg::ref(node_of(t)));
    return graph_.output(std::move(args));
  }
  // The node a tensor came from (a get_attr for a parameter or an unknown tensor).
  node_id node_of(const tensor_desc& t) {
    if (const node_id* n = tracked_.find(t.id())) return *n;
    std::string name;
    if (std::string* a = attrs_.find(t.id())) name = std::move(*a);  // tracked from now on
    else name = "_tensor_constant" + std::to_string(constants_++);
    const node_id n = graph_.get_attr(std::move(name), node_value::of(t));
    tracked_.set(t.id(), n);
    return n;
  }
  [[nodiscard]] bool is_tracked(const tensor_desc& t) const { return tracked_.find(t.id()) != nullptr; }

  // The symbol tracker: the node computing a symbolic expression (an interned
  // sym_node: equal expressions are one), if one was recorded.
  [[nodiscard]] const node_id* find_symint(const sym_node* e) const {
    auto it = symints_.find(e);
    return it == symints_.end() ? nullptr : &it->second;
  }
  // Records op(args) computing the expression `e`, printed as `text`.
  node_id record_symint(const op_overload& op, node_args args, const sym_node* e, std::string text) {
    const node_id n = graph_.call(op, std::move(args), {}, node_value::symint(std::move(text)));
    symints_[e] = n;
    return n;
  }

  // Traces fn(inputs) into a graph of its own (a HOP's branch or body,
  // Note [subgraphs]): placeholders arg0_1, ... for the inputs, fn run with
  // `mode` on the stack, an output node; fn's result tensors go to `outs`.
  // This tracer's own graph is untouched.
  fake::graph trace_subgraph(dispatch_mode& mode, const boxed_callable& fn, const std::vector<tensor_desc>& inputs,
                             std::vector<tensor_desc>& outs, const char* hop, const char* what) {
    struct saved_state {
      tracer& self;
      fake::graph graph;
      detail::tensor_node_map tracked;
      std::unordered_map<const sym_node*, node_id> symints;
      std::size_t constants = 0;
      // swapped in the body (the tracer's parts left empty): nvcc's front end
      // (tests/cuda, through the umbrella header) rejects exchanges in this
      // local class's member initializers
      explicit saved_state(tracer& t) : self(t) {
        std::swap(graph, t.graph_);
        std::swap(tracked, t.tracked_);
        std::swap(symints, t.symints_);
        constants = std::exchange(t.constants_, std::size_t{0});
      }
      ~saved_state() {
        self.graph_ = std::move(graph);
        self.tracked_ = std::move(tracked);
        self.symints_ = std::move(symints);
        self.constants_ = constants;
      }
    } saved(*this);
    stack args;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      input("arg" + std::to_string(i) + "_1", inputs[i]);
      args.emplace_back(inputs[i]);
    }
    stack results;
    {
      mode_guard on(mode);
      results = fn(args);
    }
    outs = fake::detail::tensors_of(results, hop, what);
    output(outs);
    return std::exchange(graph_, fake::graph{});
  }

  // A higher-order op's node: its arguments, and one getitem per result.
  void record_hop(const higher_order_operator& h, node_args args, const std::vector<tensor_desc>& results) {
    node_value val;
    val.type = node_value::kind::tensors;
    val.tensors.assign(results.begin(), results.end());
    const node_id n = graph_.call_hop(h, std::move(args), std::move(val));
    for (std::size_t i = 0; i < results.size(); ++i)
      tracked_.set(results[i].id(), graph_.getitem(n, static_cast<std::int64_t>(i), results[i]));
  }
  node_id subgraph(std::string_view base, fake::graph sub) { return graph_.subgraph(base, std::move(sub)); }
  // The argument a value is recorded as (a tensor's node, a constant, a list).
  node_arg argument(const ivalue& v) { return arg_of(v); }

  // Registers this tracer's rules for cond and map under Mode (once per type):
  // fake::mode calls it when constructed.
  template <class Mode>
  static void on_mode();

  // The mode's hook: records op(s), computing its results with run(op, s) (the
  // mode's own path: cache, constants; op may be replaced, lift_fresh by
  // lift_fresh_copy), or
  // with the active decomposition of op (the mode re-entered while it runs).
  template <class Run>
  void record(dispatch_mode& mode, const op_overload& op, stack& s, Run&& run) {
    if (const decomposition_table* table = detail::current_decompositions())
      if (const decomposition* d = table->find(op)) {
        op.normalize(s);
        mode_guard again(mode);
        (*d)(op, s);
        return;
      }
    const op_overload* target = &op;
    if (op.qualified_name() == "aten::lift_fresh") target = &op_registry::global().get("aten::lift_fresh_copy");
    target->normalize(s);
    // make_fx: a data-dependent op (item) of constants is their value, with no
    // node (Note [constant propagation] gives it)
    if (target->has_tag(op_tag::data_dependent_output) && detail::all_constant_tensors(s)) return run(*target, s);
    node_args args;
    std::vector<std::pair<std::string, node_arg>> kwargs;
    arguments_of(*target, s, args, kwargs);
    run(*target, s);
    add_call(*target, std::move(args), std::move(kwargs), s);
  }

 private:
  // make_fx's argument form: keywords for kwarg-only arguments, defaults dropped.
  void arguments_of(const op_overload& op, const stack& s, node_args& args,
                    std::vector<std::pair<std::string, node_arg>>& kwargs) {
    const schema& sc = op.schema();
    const auto formal = sc.arguments();
    const std::vector<std::optional<ivalue>>& defaults = op.defaults();
    const auto is_default = [&](std::size_t i) { return i < defaults.size() && defaults[i] && same_constant(*defaults[i], s[i]); };
    std::size_t positional_end = 0;
    for (std::size_t i = 0; i < s.size() && i < formal.size(); ++i)
      if (!formal[i].kwarg_only && !is_default(i)) positional_end = i + 1;
    args.reserve(positional_end);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const bool kw = i < formal.size() && formal[i].kwarg_only;
      if (kw) {
        if (!is_default(i)) kwargs.emplace_back(std::string(formal[i].name), arg_of(s[i]));
      } else if (i < positional_end) {
        args.push_back(arg_of(s[i]));
      }
    }
  }
  // Whether an argument equals its default (tensors never do).
  static bool same_constant(const ivalue& d, const ivalue& v) {
    if (d.kind() != v.kind()) return false;
    switch (v.kind()) {
      case ivalue_kind::none: return true;
      case ivalue_kind::boolean: return d.to_bool() == v.to_bool();
      case ivalue_kind::integer: return d.to_int() == v.to_int();
      case ivalue_kind::floating: return d.to_double() == v.to_double();
      case ivalue_kind::string: return d.to_string_ref() == v.to_string_ref();
      case ivalue_kind::int_list: return d.int_list_ref() == v.int_list_ref();
      case ivalue_kind::float_list: return d.to_float_list() == v.to_float_list();
      case ivalue_kind::bool_list: return d.to_bool_list() == v.to_bool_list();
      case ivalue_kind::scalar_type: return d.to_dtype() == v.to_dtype();
      case ivalue_kind::device: return d.to_device() == v.to_device();
      case ivalue_kind::layout: return d.to_layout() == v.to_layout();
      case ivalue_kind::memory_format: return d.to_memory_format() == v.to_memory_format();
      default: return false;
    }
  }
  node_arg arg_of(const ivalue& v) {
    switch (v.kind()) {
      case ivalue_kind::tensor: {
        const tensor_desc& t = v.to_tensor();
        if (t.is_wrapped_number() && !is_tracked(t))
          if (const std::optional<scalar_value> c = constant_item(t))
            return node_arg::constant(c->is_floating() ? graph_constant(c->to_double()) : graph_constant(c->to_int()));
        return node_arg::ref(node_of(t));
      }
      case ivalue_kind::tensor_list: {
        std::vector<node_arg> items;
        for (const tensor_desc& t : v.to_tensor_list()) items.push_back(node_arg::ref(node_of(t)));
        return node_arg::list(std::move(items));
      }
      case ivalue_kind::optional_tensor_list: {
        std::vector<node_arg> items;
        for (const auto& t : v.to_optional_tensor_list()) items.push_back(t ? node_arg::ref(node_of(*t)) : node_arg());
        return node_arg::list(std::move(items));
      }
      case ivalue_kind::sym_int:
      case ivalue_kind::sym_int_list: return v.to_sym_ints().record(*this);
      default: return node_arg::constant(graph_constant::from(v));
    }
  }

  void add_call(const op_overload& op, node_args&& args, std::vector<std::pair<std::string, node_arg>>&& kwargs,
                const stack& results) {
    const bool several = op.schema().num_returns() > 1 || (results.size() == 1 && results[0].is_tensor_list());
    const bool mutates = op.kind() != schema_kind::functional;
    const node_id n = graph_.call_filled(op, std::move(args), std::move(kwargs), [&](node_value& val) {
      if (results.empty()) val.type = node_value::kind::none;
      else if (!several && results[0].is_tensor()) {
        val.type = node_value::kind::tensor;
        val.tensors.push_back(results[0].to_tensor());
      } else if (!several && results[0].is_sym_int()) val = node_value::symint(results[0].to_sym_ints().to_string());
      else if (!several) {
        val.type = node_value::kind::scalar;
        val.scalar = graph_constant::from(results[0]);
      } else {
        val.type = node_value::kind::tensors;
        for (const ivalue& r : results) r.for_each_tensor([&](const tensor_desc& t) { val.tensors.push_back(t); });
      }
    });
    const auto track = [&](const tensor_desc& t, node_id id) {
      if (const node_id* had = tracked_.find(t.id()); had != nullptr && mutates && !settings_.repoint_inplace) return;
      tracked_.set(t.id(), id);
    };
    const node& made = graph_[n];
    if (made.val.type == node_value::kind::symint) symints_[results[0].to_sym_ints().values()[0].node()] = n;
    if (made.val.type == node_value::kind::tensor) track(made.val.tensors.front(), n);
    else if (made.val.type == node_value::kind::tensors) {
      const std::size_t count = made.val.tensors.size();
      for (std::size_t i = 0; i < count; ++i) {  // getitem copies a tensor of the graph's own safely
        const node_id g = graph_.getitem(n, static_cast<std::int64_t>(i), graph_[n].val.tensors[i]);
        track(graph_[g].val.tensor(), g);
      }
    }
  }

  fake::graph graph_;
  settings settings_{};
  detail::tensor_node_map tracked_;  // tensor id -> node
  detail::sorted_id_map<std::string> attrs_;  // tensor id -> parameter name
  std::unordered_map<const sym_node*, node_id> symints_;  // the symbol tracker
  std::size_t constants_ = 0;
  std::size_t last_size_ = 0;  // the largest graph traced so far (reserve's hint)
};

namespace detail {
inline bool same_tensor_metadata(const tensor_desc& a, const tensor_desc& b) {
  return a.sizes() == b.sizes() && a.strides() == b.strides() && a.dtype() == b.dtype() && a.device() == b.device();
}

// cond under a tracing mode: both branches traced into subgraphs, whose
// outputs must have the same metadata; the node takes the predicate, the two
// subgraphs and the operands.
template <class Mode>
void trace_cond(const higher_order_operator& op, dispatch_key_set, stack& s) {
  Mode& mode = static_cast<Mode&>(*current_hop_mode());
  tracer& tr = mode.recorder();
  if (s.size() != 4) throw value_error("cond: expected (pred, true_fn, false_fn, operands), got " + std::to_string(s.size()) + " arguments");
  const ivalue& pred = s[0];
  if (pred.is_tensor()) {
    const tensor_desc& p = pred.to_tensor();
    if (p.numel() != 1 || (p.dtype() != dtype::bool_ && !is_integral(p.dtype(), true)))
      throw value_error("cond: Expected pred to be bool or single-element tensor, but got " + to_string(p));
  } else if (!pred.is_bool() && !pred.is_int()) {
    throw value_error("cond: pred must be a bool or a tensor, got " + std::string(name(pred.kind())));
  }
  const std::vector<tensor_desc>& operands = s[3].to_tensor_list();
  std::vector<tensor_desc> t_out, f_out;
  graph t_graph = tr.trace_subgraph(mode, s[1].to_callable(), operands, t_out, "cond", "true_fn");
  graph f_graph = tr.trace_subgraph(mode, s[2].to_callable(), operands, f_out, "cond", "false_fn");
  if (t_out.size() != f_out.size())
    throw shape_error("cond: true_fn returns " + std::to_string(t_out.size()) + " tensors but false_fn returns " +
                      std::to_string(f_out.size()) + " (the branches must agree)");
  for (std::size_t i = 0; i < t_out.size(); ++i)
    if (!same_tensor_metadata(t_out[i], f_out[i]))
      throw shape_error("cond: output " + std::to_string(i) + " of true_fn is " + to_string(t_out[i]) + " but of false_fn " +
                        to_string(f_out[i]) + " (the branches must agree)");
  node_args args;
  args.push_back(tr.argument(pred));
  args.push_back(node_arg::ref(tr.subgraph("true_graph", std::move(t_graph))));
  args.push_back(node_arg::ref(tr.subgraph("false_graph", std::move(f_graph))));
  args.push_back(tr.argument(s[3]));
  std::vector<tensor_desc> results;
  for (const tensor_desc& t : t_out) results.push_back(empty_strided(t.sizes(), t.strides(), t.dtype(), t.device()));
  tr.record_hop(op, std::move(args), results);
  s.clear();
  for (const tensor_desc& r : results) s.emplace_back(r);
}

// map under a tracing mode: the body traced once, on slice 0 of each xs.
template <class Mode>
void trace_map(const higher_order_operator& op, dispatch_key_set, stack& s) {
  Mode& mode = static_cast<Mode&>(*current_hop_mode());
  tracer& tr = mode.recorder();
  const auto [n, inputs] = map_inputs(s);
  std::vector<tensor_desc> outs;
  graph body = tr.trace_subgraph(mode, s[0].to_callable(), inputs, outs, "map", "the body");
  node_args args;
  args.push_back(node_arg::ref(tr.subgraph("body_graph", std::move(body))));
  args.push_back(tr.argument(s[1]));
  args.push_back(tr.argument(s[2]));
  const std::vector<tensor_desc> results = map_results(n, outs);
  tr.record_hop(op, std::move(args), results);
  s.clear();
  for (const tensor_desc& r : results) s.emplace_back(r);
}
}  // namespace detail

template <class Mode>
void tracer::on_mode() {
  static const std::vector<registration> rules = [] {
    std::vector<registration> r;
    r.push_back(hops::cond().py_impl<Mode>(&detail::trace_cond<Mode>));
    r.push_back(hops::map().py_impl<Mode>(&detail::trace_map<Mode>));
    return r;
  }();
  (void)rules;
}

namespace trace {
// The policy of a fake::mode that records every op into a graph:
// fake::mode<fake::memo::dispatch_cache<>, fake::trace::graph>; m.recorder() is the tracer.
struct graph {
  using recorder = fake::tracer;
};
}  // namespace trace

}  // namespace fake
