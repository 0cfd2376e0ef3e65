// faketensor/dispatch/higher_order.hpp — operators whose arguments include
// callables (torch/_ops.py HigherOrderOperator; torch/_higher_order_ops:
// cond, map, while_loop).
//
// A higher-order operator (HOP) has no schema: its boxed arguments are values,
// tensors, tensor lists and boxed_callables. It has its own kernel table,
// resolved like an operator's (Note [alias key resolution]) but without
// backend fallbacks, and the keys of _HIGHER_ORDER_OP_DEFAULT_FALLTHROUGH_DISPATCH_KEYS
// (PythonDispatcher, PythonTLSSnapshot, ADInplaceOrView, BackendSelect,
// AutocastCPU, AutocastCUDA) fall through. Under an active mode the Python key
// runs the HOP's rule for the mode's type (py_impl) with the mode popped; a
// mode with no rule is an unsupported_op_error "There was no rule registered
// for HOP <name> and mode <mode>", as in PyTorch.
//
// The built-in HOPs register a CompositeExplicitAutograd kernel that runs the
// callables (a fake tensor has no values, so a tensor predicate is a
// data_dependent_error there: the fake mode and the tracer add their own
// rules) and fall through Autograd (faketensor computes no gradients).
#pragma once

#include <cstddef>      // std::size_t
#include <functional>   // std::function
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <typeindex>    // std::type_index
#include <utility>      // std::move, std::pair
#include <vector>       // std::vector

#include "faketensor/core/error.hpp"             // fake::unsupported_op_error, fake::data_dependent_error
#include "faketensor/dispatch/kernel_table.hpp"  // fake::kernel_table
#include "faketensor/dispatch/key_set.hpp"       // fake::dispatch_key_set
#include "faketensor/dispatch/mode_stack.hpp"    // fake::mode_stack, fake::pop_mode_guard
#include "faketensor/dispatch/operator.hpp"      // fake::dispatch_keys_of
#include "faketensor/dispatch/registration.hpp"  // fake::registration
#include "faketensor/ops/ivalue.hpp"             // fake::ivalue, fake::stack
#include "faketensor/view/ops.hpp"               // fake::select (map's slices)

namespace fake {

class higher_order_operator;

namespace detail {
inline dispatch_mode*& running_hop_mode() {
  thread_local dispatch_mode* m = nullptr;
  return m;
}
}  // namespace detail
// The mode whose HOP rule (py_impl) is running, null outside one: a rule
// registered for a mode type reaches its mode instance here (the tracer's
// cond rule records into that mode's graph).
inline dispatch_mode* current_hop_mode() noexcept { return detail::running_hop_mode(); }

// A HOP kernel or mode rule: pops the arguments, pushes the results.
using hop_kernel = std::function<void(const higher_order_operator& op, dispatch_key_set keys, stack& s)>;

class higher_order_operator {
 public:
  explicit higher_order_operator(std::string name) : name_(std::move(name)), table_(name_) {
    for (dispatch_key k : {dispatch_key::python_dispatcher, dispatch_key::python_tls_snapshot, dispatch_key::ad_inplace_or_view,
                           dispatch_key::backend_select, dispatch_key::autocast_cpu, dispatch_key::autocast_cuda})
      defaults_.push_back(table_.register_fallthrough(k));
  }
  higher_order_operator(const higher_order_operator&) = delete;
  higher_order_operator& operator=(const higher_order_operator&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] registration register_kernel(dispatch_key k, hop_kernel f) { return table_.register_kernel(k, std::move(f)); }
  [[nodiscard]] registration register_fallthrough(dispatch_key k) { return table_.register_fallthrough(k); }
  [[nodiscard]] const kernel_table<hop_kernel>& table() const noexcept { return table_; }

  // The rule for mode type Mode (HigherOrderOperator.py_impl(ModeType)).
  template <class Mode>
  [[nodiscard]] registration py_impl(hop_kernel rule) {
    const std::uint64_t id = ++next_rule_id_;
    rules_.push_back({std::type_index(typeid(Mode)), std::move(rule), id});
    return detail::registration_access::make(this, dispatch_key::python, id);
  }

  // Dispatches on the arguments' keys; the results replace the arguments.
  void call(stack& s) const { dispatch(dispatch_keys_of(s), s); }
  void dispatch(dispatch_key_set ks, stack& s) const {
    const dispatch_key_set live = table_.non_fallthrough(ks);
    if (live.has(dispatch_key::python) && live.highest_priority_key() == dispatch_key::python) {
      pop_mode_guard popped;
      dispatch_mode& m = popped.mode();
      for (auto it = rules_.rbegin(); it != rules_.rend(); ++it)
        if (it->type == m.type()) {
          struct running {
            dispatch_mode* previous;
            explicit running(dispatch_mode& now) : previous(std::exchange(detail::running_hop_mode(), &now)) {}
            ~running() { detail::running_hop_mode() = previous; }
          } on(m);
          it->rule(*this, dispatch_keys_of(s), s);
          return;
        }
      throw unsupported_op_error("There was no rule registered for HOP " + name_ + " and mode " + m.name() +
                                 ". We recommend filing an issue.");
    }
    table_.dispatch(ks)(*this, ks, s);
  }
  stack operator()(stack args) const {
    call(args);
    return args;
  }

 private:
  friend struct detail::registration_access;
  void remove_registration(dispatch_key, std::uint64_t id) noexcept {
    std::erase_if(rules_, [&](const rule_entry& e) { return e.id == id; });
  }
  struct rule_entry {
    std::type_index type;
    hop_kernel rule;
    std::uint64_t id;
  };
  std::string name_;
  kernel_table<hop_kernel> table_;
  std::vector<registration> defaults_;
  std::vector<rule_entry> rules_;
  std::uint64_t next_rule_id_ = 0;
};

namespace detail {

// A predicate's value where it has one: a bool or an int. A tensor has no
// value in a fake program.
inline bool predicate_value(const ivalue& v, const char* hop, const char* what) {
  if (v.is_bool()) return v.to_bool();
  if (v.is_int()) return v.to_int() != 0;
  if (v.is_tensor())
    throw data_dependent_error(std::string(hop) + ": " + what +
                               " is a tensor, whose value a fake tensor does not have (trace it with a mode that "
                               "has a rule for " + hop + ", or pass a bool)");
  throw value_error(std::string(hop) + ": " + what + " must be a bool or a tensor, got " + std::string(name(v.kind())));
}

inline std::vector<tensor_desc> tensors_of(const stack& s, const char* hop, const char* what) {
  std::vector<tensor_desc> out;
  for (const ivalue& v : s) {
    if (!v.is_tensor()) throw value_error(std::string(hop) + ": " + what + " must return tensors, got " + std::string(name(v.kind())));
    out.push_back(v.to_tensor());
  }
  return out;
}

// cond(pred, true_fn, false_fn, operands: Tensor[]) -> outputs of the branch taken.
inline void cond_dense(const higher_order_operator&, dispatch_key_set, stack& s) {
  if (s.size() != 4) throw value_error("cond: expected (pred, true_fn, false_fn, operands), got " + std::to_string(s.size()) + " arguments");
  const bool pred = predicate_value(s[0], "cond", "pred");
  const boxed_callable& branch = pred ? s[1].to_callable() : s[2].to_callable();
  stack operands;
  for (const tensor_desc& t : s[3].to_tensor_list()) operands.emplace_back(t);
  s = branch(operands);
}

// map(f, xs: Tensor[], args: Tensor[]) -> f applied to each slice xs[i] along
// dim 0 (with args), its outputs stacked along a new dim 0.
// map's arguments checked: (f, xs, args) with xs sharing a nonzero leading
// size n. Returns n and the body's inputs: slice 0 of each xs, then args
// (every slice has the same metadata, so the body runs once).
inline std::pair<std::int64_t, std::vector<tensor_desc>> map_inputs(const stack& s) {
  if (s.size() != 3) throw value_error("map: expected (f, xs, args), got " + std::to_string(s.size()) + " arguments");
  const std::vector<tensor_desc>& xs = s[1].to_tensor_list();
  if (xs.empty()) throw value_error("map: xs must hold at least one tensor");
  for (const tensor_desc& x : xs)
    if (x.dim() == 0) throw shape_error("map: the mapped xs must have a leading dimension, got a 0-dim tensor");
  const std::int64_t n = xs.front().size(0);
  for (const tensor_desc& x : xs)
    if (x.size(0) != n)
      throw shape_error("map: Leading dimensions of mapped xs must be consistent: got " + std::to_string(n) + " and " +
                        std::to_string(x.size(0)));
  if (n == 0) throw shape_error("map: Leading dimensions of mapped xs cannot be 0.");
  std::vector<tensor_desc> inputs;
  for (const tensor_desc& x : xs) inputs.push_back(select(x, 0, 0));
  for (const tensor_desc& a : s[2].to_tensor_list()) inputs.push_back(a);
  return {n, std::move(inputs)};
}
// map's results: each body output stacked n times along a new dim 0.
inline std::vector<tensor_desc> map_results(std::int64_t n, const std::vector<tensor_desc>& outs) {
  std::vector<tensor_desc> results;
  for (const tensor_desc& o : outs) {
    dim_vector sizes{n};
    sizes.insert(sizes.end(), o.sizes().begin(), o.sizes().end());
    results.push_back(empty(std::move(sizes), o.dtype(), o.device()));
  }
  return results;
}

inline void map_dense(const higher_order_operator&, dispatch_key_set, stack& s) {
  const auto [n, inputs] = map_inputs(s);
  const stack body_args(inputs.begin(), inputs.end());
  const std::vector<tensor_desc> results = map_results(n, tensors_of(s[0].to_callable()(body_args), "map", "the body"));
  s.assign(results.begin(), results.end());
}

// while_loop(cond_fn, body_fn, carried: Tensor[], additional: Tensor[]) ->
// the carried values when cond_fn says stop. Each body output must keep its
// carried input's sizes, dtype and device.
inline void while_loop_dense(const higher_order_operator&, dispatch_key_set, stack& s) {
  if (s.size() != 4)
    throw value_error("while_loop: expected (cond_fn, body_fn, carried_inputs, additional_inputs), got " +
                      std::to_string(s.size()) + " arguments");
  const boxed_callable& cond_fn = s[0].to_callable();
  const boxed_callable& body_fn = s[1].to_callable();
  std::vector<tensor_desc> carried = s[2].to_tensor_list();
  const std::vector<tensor_desc>& additional = s[3].to_tensor_list();
  auto args = [&] {
    stack a;
    for (const tensor_desc& t : carried) a.emplace_back(t);
    for (const tensor_desc& t : additional) a.emplace_back(t);
    return a;
  };
  for (;;) {
    const stack c = cond_fn(args());
    if (c.size() != 1) throw value_error("while_loop: cond_fn must return one value, got " + std::to_string(c.size()));
    if (!predicate_value(c.front(), "while_loop", "the value cond_fn returned")) break;
    std::vector<tensor_desc> next = tensors_of(body_fn(args()), "while_loop", "body_fn");
    if (next.size() != carried.size())
      throw value_error("while_loop: body_fn returned " + std::to_string(next.size()) + " values for " +
                        std::to_string(carried.size()) + " carried inputs");
    for (std::size_t i = 0; i < next.size(); ++i)
      if (next[i].sizes() != carried[i].sizes() || next[i].dtype() != carried[i].dtype() || next[i].device() != carried[i].device())
        throw shape_error("while_loop: body_fn output " + std::to_string(i) + " is " + to_string(next[i]) +
                          " but the carried input is " + to_string(carried[i]) + " (they must agree)");
    carried = std::move(next);
  }
  stack out;
  for (const tensor_desc& t : carried) out.emplace_back(t);
  s = std::move(out);
}

// A built-in HOP with its dense kernel, Autograd falling through.
struct builtin_hop {
  higher_order_operator op;
  registration dense_kernel, autograd;
  builtin_hop(const char* name, void (*dense)(const higher_order_operator&, dispatch_key_set, stack&))
      : op(name),
        dense_kernel(op.register_kernel(dispatch_key::composite_explicit_autograd, dense)),
        autograd(op.register_fallthrough(dispatch_key::autograd)) {}
};

}  // namespace detail

// The built-in higher-order operators.
namespace hops {
inline higher_order_operator& cond() {
  static detail::builtin_hop h("cond", &detail::cond_dense);
  return h.op;
}
inline higher_order_operator& map() {
  static detail::builtin_hop h("map", &detail::map_dense);
  return h.op;
}
inline higher_order_operator& while_loop() {
  static detail::builtin_hop h("while_loop", &detail::while_loop_dense);
  return h.op;
}
// A built-in HOP by name ("cond", "map", "while_loop"); null if none.
inline higher_order_operator* find(std::string_view name) {
  if (name == "cond") return &cond();
  if (name == "map") return &map();
  if (name == "while_loop") return &while_loop();
  return nullptr;
}
}  // namespace hops

}  // namespace fake
