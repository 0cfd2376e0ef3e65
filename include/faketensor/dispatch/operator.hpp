// faketensor/dispatch/operator.hpp — operators on the runtime path: overloads,
// packets, the registry and boxed dispatch (torch/_ops.py's OpOverload,
// OpOverloadPacket and python_key_table; c10's Dispatcher).
//
//   fake::op_overload& add = fake::op_registry::global().get("aten::add.Tensor");
//   fake::stack s{a, b};      // arguments in schema order; defaults filled in
//   add.call(s);              // s now holds the results
//
// Each overload has a schema, tags and a kernel_table<kernel>. A call computes
// the key set of its arguments (dispatch_keys_of), adds the thread's included
// keys (Python while a mode is active; BackendSelect and ADInplaceOrView as
// c10's default include set), removes the op's fallthrough keys, and calls the
// kernel that the highest remaining key resolves to (Note [alias key
// resolution]). The Python key's kernel is a backend fallback that runs the
// innermost mode (Note [mode popped while its handler runs]).
#pragma once

#include <array>          // std::array
#include <cstdint>        // std::uint64_t
#include <functional>     // std::hash, std::equal_to
#include <memory>         // std::unique_ptr
#include <mutex>          // std::call_once, std::once_flag
#include <optional>       // std::optional
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <typeindex>      // std::type_index
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::move
#include <vector>         // std::vector

#include "faketensor/core/error.hpp"             // fake::unsupported_op_error, fake::value_error
#include "faketensor/dispatch/kernel.hpp"        // fake::kernel
#include "faketensor/dispatch/kernel_table.hpp"  // fake::kernel_table, fake::backend_fallback_table
#include "faketensor/dispatch/key_set.hpp"       // fake::dispatch_key_set
#include "faketensor/dispatch/mode_stack.hpp"    // fake::mode_stack, fake::dispatch_mode
#include "faketensor/dispatch/registration.hpp"  // fake::registration
#include "faketensor/meta/tensor_desc.hpp"       // fake::tensor_desc
#include "faketensor/ops/boxing.hpp"             // fake::default_value, fake::check_argument
#include "faketensor/ops/ivalue.hpp"             // fake::ivalue, fake::stack
#include "faketensor/ops/schema.hpp"             // fake::schema, fake::parse_schema
#include "faketensor/ops/tags.hpp"               // fake::op_tags

namespace fake {

// ------------------------------------------------------------ key sets ----

// The backend of a device (c10's computeDispatchKey for a strided tensor).
constexpr backend_component backend_of(device_type t) {
  switch (t) {
    case device_type::cpu: return backend_component::cpu;
    case device_type::cuda: return backend_component::cuda;
    case device_type::meta: return backend_component::meta;
    default: break;
  }
  return backend_component::cpu;
}

// A tensor's key set, as c10's TensorImpl computes it: its layout's
// functionality on its device's backend, the autograd keys for that backend
// (unless it is an inference tensor), Conjugate and Negative for lazy conj/neg.
namespace detail {
constexpr dispatch_key_set tensor_dispatch_keys(device_type d, layout l, bool inference, bool conj, bool neg) {
  const backend_component b = backend_of(d);
  const dispatch_key functionality = l == layout::sparse_coo ? dispatch_key::sparse
                                     : l == layout::strided  ? dispatch_key::dense
                                                             : dispatch_key::sparse_csr;
  dispatch_key_set ks{to_runtime_key(functionality, b)};
  if (!inference) ks = ks | dispatch_key_set{dispatch_key::ad_inplace_or_view, to_autograd_key(b)};
  if (conj) ks = ks.add(dispatch_key::conjugate);
  if (neg) ks = ks.add(dispatch_key::negative);
  return ks;
}
// Every call of the dispatcher computes the key sets of its tensors, so they
// are looked up in a table the compiler fills: device type x (strided,
// sparse_coo, other layouts) x (inference, conj, neg).
inline constexpr std::size_t tensor_key_devices = static_cast<std::size_t>(device_type::privateuseone) + 1;
inline constexpr auto tensor_key_table = [] {
  std::array<dispatch_key_set, tensor_key_devices * 3 * 8> table{};
  constexpr layout layouts[] = {layout::strided, layout::sparse_coo, layout::sparse_csr};
  for (std::size_t d = 0; d < tensor_key_devices; ++d)
    for (std::size_t l = 0; l < 3; ++l)
      for (std::size_t f = 0; f < 8; ++f)
        table[(d * 3 + l) * 8 + f] =
            tensor_dispatch_keys(static_cast<device_type>(d), layouts[l], (f & 1) != 0, (f & 2) != 0, (f & 4) != 0);
  return table;
}();
}  // namespace detail
inline dispatch_key_set dispatch_keys_of(const tensor_desc& t) {
  const auto d = static_cast<std::size_t>(t.device().type);
  const std::size_t l = t.layout() == layout::strided ? 0 : t.layout() == layout::sparse_coo ? 1 : 2;
  const std::size_t f = (t.is_inference() ? 1U : 0U) | (t.is_conj() ? 2U : 0U) | (t.is_neg() ? 4U : 0U);
  if (d >= detail::tensor_key_devices) [[unlikely]]
    return detail::tensor_dispatch_keys(t.device().type, t.layout(), t.is_inference(), t.is_conj(), t.is_neg());
  return detail::tensor_key_table[(d * 3 + l) * 8 + f];
}

// The keys every call includes (c10's default_included_set plus the Python
// key while this thread has an active mode).
inline dispatch_key_set included_dispatch_keys() {
  dispatch_key_set ks{dispatch_key::backend_select, dispatch_key::ad_inplace_or_view};
  if (!mode_stack::empty()) ks = ks | dispatch_key_set{dispatch_key::python, dispatch_key::python_tls_snapshot};
  return ks;
}

// The key set of a boxed call: the union of its tensors' keys and the
// included keys.
inline dispatch_key_set dispatch_keys_of(const stack& args) {
  dispatch_key_set ks = included_dispatch_keys();
  for (const ivalue& v : args) v.for_each_tensor([&](const tensor_desc& t) { ks = ks | dispatch_keys_of(t); });
  return ks;
}
// The same, and whether a tensor argument is symbolic (in the same pass).
inline dispatch_key_set dispatch_keys_of(const stack& args, bool& symbolic) {
  dispatch_key_set ks = included_dispatch_keys();
  bool any = false;
  for (const ivalue& v : args)
    v.for_each_tensor([&](const tensor_desc& t) {
      ks = ks | dispatch_keys_of(t);
      any = any || t.is_symbolic();
    });
  symbolic = any;
  return ks;
}

// The backend fallbacks every operator shares (c10's Dispatcher::registerFallback):
// fallthroughs for the keys that have nothing to do without autograd or
// backend selection, and the Python key's mode handler (python_fallback).
backend_fallback_table<kernel>& backend_fallbacks();

// ----------------------------------------------------------- overloads ----

namespace detail {
struct fake_impl_tag {};  // the key register_fake's kernels are kept under
}  // namespace detail

class op_overload {
 public:
  // An operator from its schema text ("aten::add.Tensor(Tensor self, ...) -> Tensor";
  // a name without namespace is in `aten`). A malformed schema is a value_error.
  explicit op_overload(std::string schema_text, op_tags tags = {})
      : text_(std::move(schema_text)),
        schema_(parse_schema(text_)),
        qualified_name_(qualify(schema_)),
        tags_(tags),
        kind_(schema_.kind()),
        table_(qualified_name_, &backend_fallbacks()) {
    for (const auto& a : schema_.arguments()) expected_kinds_.push_back(exact_kind(schema_, a));
  }
  op_overload(const op_overload&) = delete;  // the schema views text_
  op_overload& operator=(const op_overload&) = delete;

  // "aten::add.Tensor"; an overload without a name is "aten::relu.default"'s
  // qualified_name() "aten::relu" (PyTorch's op name) and overload_name() "default".
  [[nodiscard]] const std::string& qualified_name() const noexcept { return qualified_name_; }
  [[nodiscard]] std::string_view ns() const noexcept { return ns_of(schema_); }
  [[nodiscard]] std::string_view base_name() const noexcept { return schema_.base_name(); }
  [[nodiscard]] std::string_view overload_name() const noexcept {
    return schema_.overload_name().empty() ? std::string_view("default") : schema_.overload_name();
  }
  // "aten::add" (the packet's name).
  [[nodiscard]] std::string packet_name() const { return std::string(ns()) + "::" + std::string(base_name()); }
  [[nodiscard]] const fake::schema& schema() const noexcept { return schema_; }
  // schema().kind(), computed once (a tracer asks on every call).
  [[nodiscard]] schema_kind kind() const noexcept { return kind_; }
  // Each argument's default as an ivalue ("int[2] stride=1" -> [1, 1]);
  // nullopt where there is none, or where this library cannot represent it
  // (normalize then raises for it as before). Made once, on first use: both
  // normalize and a tracer (dropping arguments equal to their defaults) ask.
  [[nodiscard]] const std::vector<std::optional<ivalue>>& defaults() const {
    std::call_once(defaults_once_, [this] {
      defaults_.reserve(schema_.arguments().size());
      for (const auto& a : schema_.arguments()) {
        std::optional<ivalue> d;
        if (a.has_default()) try {
            d = default_value(schema_, a);
          } catch (const error&) {
          }
        defaults_.push_back(std::move(d));
      }
    });
    return defaults_;
  }
  [[nodiscard]] op_tags tags() const noexcept { return tags_; }
  [[nodiscard]] bool has_tag(op_tag t) const noexcept { return tags_.has(t); }
  void add_tag(op_tag t) noexcept { tags_.add(t); }
  // Whether its kernels take symbolic SymInt / SymInt[] arguments and compute
  // their results' expressions from them (Note [symbolic ints in boxed
  // calls]); every other op gets them specialized. Set by the registration
  // of a kernel that does (dispatch/builtin_sym.hpp).
  [[nodiscard]] bool accepts_symbolic_ints() const noexcept { return symbolic_ints_; }
  void accept_symbolic_ints() noexcept { symbolic_ints_ = true; }

  // --- kernels (kernel_table.hpp): registering returns a handle that deregisters
  [[nodiscard]] registration register_kernel(dispatch_key k, kernel f) { return table_.register_kernel(k, std::move(f)); }
  [[nodiscard]] registration register_fallthrough(dispatch_key k) { return table_.register_fallthrough(k); }
  [[nodiscard]] const kernel_table<kernel>& table() const noexcept { return table_; }
  [[nodiscard]] bool has_kernel_for(dispatch_key k) const noexcept { return table_.has_kernel_for_dispatch_key(k); }

  // --- mode rules (python_key_table, OpOverload.py_impl(ModeType)): the rule
  // the Python key runs for this op when the innermost mode's type is Mode.
  template <class Mode>
  [[nodiscard]] registration py_impl(kernel rule) {
    return add_mode_rule(std::type_index(typeid(Mode)), std::move(rule));
  }
  [[nodiscard]] const kernel* mode_rule(std::type_index mode_type) const noexcept {
    for (auto it = mode_rules_.rbegin(); it != mode_rules_.rend(); ++it)
      if (it->type == mode_type) return &it->rule;
    return nullptr;
  }

  // --- the fake implementation (torch.library.register_fake): what the fake
  // mode runs for this op on fake tensors of any device. Newest wins.
  [[nodiscard]] registration register_fake(kernel impl) {
    return add_mode_rule(std::type_index(typeid(detail::fake_impl_tag)), std::move(impl));
  }
  [[nodiscard]] const kernel* fake_impl() const noexcept { return mode_rule(std::type_index(typeid(detail::fake_impl_tag))); }

  // --- calls
  // Fills in the defaults of missing trailing arguments and checks each
  // argument's kind against the schema (value_error naming the argument).
  void normalize(stack& s) const;
  // Dispatches on the arguments' key set; the results replace the arguments.
  void call(stack& s) const {
    normalize(s);
    bool symbolic = false;
    const dispatch_key_set ks = dispatch_keys_of(s, symbolic);
    if (symbolic) [[unlikely]] return call_on_symbolic(ks, s);
    redispatch(ks, s);
  }
  // Dispatches on `ks` as given (a kernel calls this with the keys below its
  // own to pass the call on, as c10's redispatch).
  void redispatch(dispatch_key_set ks, stack& s) const { table_.dispatch(ks)(*this, ks, s); }
  // Keyword arguments placed at their schema positions (absent ones, and
  // positions before them left unset, take their defaults): the stack call()
  // takes. An unknown name, or one given twice, is a value_error.
  [[nodiscard]] stack bind(stack args, const std::vector<std::pair<std::string, ivalue>>& kwargs) const;
  // call() on a copy: `auto out = add({a, b});`
  stack operator()(stack args) const {
    call(args);
    return args;
  }

 private:
  void call_on_symbolic(dispatch_key_set ks, stack& s) const;

  struct mode_rule_entry {
    std::type_index type;
    kernel rule;
    std::uint64_t id;
  };
  friend struct detail::registration_access;
  registration add_mode_rule(std::type_index type, kernel rule) {
    const std::uint64_t id = ++next_rule_id_;
    mode_rules_.push_back({type, std::move(rule), id});
    return detail::registration_access::make(this, dispatch_key::python, id);
  }
  void remove_registration(dispatch_key, std::uint64_t id) noexcept {
    std::erase_if(mode_rules_, [&](const mode_rule_entry& e) { return e.id == id; });
  }
  // A schema without a namespace is an aten op, as in c10.
  static std::string_view ns_of(const fake::schema& s) noexcept { return s.ns().empty() ? std::string_view("aten") : s.ns(); }
  static std::string qualify(const fake::schema& s) {
    std::string name = std::string(ns_of(s)) + "::" + std::string(s.base_name());
    if (!s.overload_name().empty()) name += "." + std::string(s.overload_name());
    return name;
  }

  std::string text_;
  fake::schema schema_;
  std::string qualified_name_;
  op_tags tags_;
  schema_kind kind_;
  mutable std::once_flag defaults_once_;
  mutable std::vector<std::optional<ivalue>> defaults_;
  kernel_table<kernel> table_;
  std::vector<mode_rule_entry> mode_rules_;
  std::uint64_t next_rule_id_ = 0;
  // Per argument, the one ivalue kind that needs no conversion (none when
  // several do, as for an optional): normalize's fast path.
  std::vector<ivalue_kind> expected_kinds_;
  bool symbolic_ints_ = false;

  static ivalue_kind exact_kind(const fake::schema& s, const schema_argument& a) {
    const type_node& n = s.type_of(a);
    switch (n.kind) {
      case type_kind::tensor: return ivalue_kind::tensor;
      case type_kind::int_:
      case type_kind::sym_int: return ivalue_kind::integer;
      case type_kind::bool_: return ivalue_kind::boolean;
      case type_kind::float_: return ivalue_kind::floating;
      case type_kind::list:
        switch (s.type(n.first).kind) {
          case type_kind::tensor: return ivalue_kind::tensor_list;
          case type_kind::int_:
          case type_kind::sym_int: return ivalue_kind::int_list;
          default: break;
        }
        break;
      default: break;
    }
    return ivalue_kind::none;
  }
};

// ------------------------------------------------------------- packets ----

// All overloads of one name (OpOverloadPacket): aten::add has Tensor, Scalar, out, ...
class op_packet {
 public:
  explicit op_packet(std::string name) : name_(std::move(name)) {}
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::vector<op_overload*>& overloads() const noexcept { return overloads_; }
  // The overload named `overload` ("Tensor"; "default" for the unnamed one), or null.
  [[nodiscard]] op_overload* find(std::string_view overload) const noexcept {
    for (op_overload* o : overloads_)
      if (o->overload_name() == overload) return o;
    return nullptr;
  }
  [[nodiscard]] op_overload& overload(std::string_view overload) const {
    if (op_overload* o = find(overload)) return *o;
    throw unsupported_op_error("The underlying op of '" + name_ + "' has no overload name '" + std::string(overload) + "'");
  }
  // Overload names in registration order: torch's `op.overloads()`.
  [[nodiscard]] std::vector<std::string> overload_names() const {
    std::vector<std::string> out;
    for (const op_overload* o : overloads_) out.emplace_back(o->overload_name());
    return out;
  }

 private:
  friend class op_registry;
  std::string name_;
  std::vector<op_overload*> overloads_;
};

// ------------------------------------------------------------ registry ----

namespace detail {
// Heterogeneous lookup: find(std::string_view) hashes without allocating.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
}  // namespace detail

// Every operator by qualified name ("aten::add.Tensor", "aten::relu" for an
// unnamed overload; "aten::relu.default" finds it too), and every packet
// ("aten::add"). Lookup is one hash of the name. Operators live until the
// registry does (undefine() removes a custom op, as a Library's destruction does).
class op_registry {
 public:
  op_registry() = default;
  op_registry(const op_registry&) = delete;
  op_registry& operator=(const op_registry&) = delete;

  // The process-wide registry holding the built-in operators.
  static op_registry& global();

  // Defines an operator; defining a name twice is a value_error.
  op_overload& define(std::string schema_text, op_tags tags = {}) {
    auto op = std::make_unique<op_overload>(std::move(schema_text), tags);
    const std::string& name = op->qualified_name();
    if (ops_.contains(name))
      throw value_error("op_registry: operator " + name + " is already defined (a second definition of " +
                        std::string(op->schema().text()) + ")");
    op_overload& ref = *op;
    auto [pit, fresh] = packets_.try_emplace(ref.packet_name(), nullptr);
    if (fresh) pit->second = std::make_unique<op_packet>(ref.packet_name());
    pit->second->overloads_.push_back(&ref);
    ops_.emplace(name, std::move(op));
    return ref;
  }
  // Removes a defined operator (its kernels and rules go with it).
  void undefine(std::string_view qualified_name) {
    auto it = ops_.find(qualified_name);
    if (it == ops_.end()) return;
    op_overload* op = it->second.get();
    if (auto pit = packets_.find(op->packet_name()); pit != packets_.end()) {
      std::erase(pit->second->overloads_, op);
      if (pit->second->overloads_.empty()) packets_.erase(pit);
    }
    ops_.erase(it);
  }

  // The operator named `qualified_name`, or null.
  [[nodiscard]] op_overload* find(std::string_view qualified_name) const noexcept {
    if (auto it = ops_.find(qualified_name); it != ops_.end()) return it->second.get();
    constexpr std::string_view dflt = ".default";
    if (qualified_name.ends_with(dflt)) {
      if (auto it = ops_.find(qualified_name.substr(0, qualified_name.size() - dflt.size())); it != ops_.end())
        return it->second.get();
    }
    return nullptr;
  }
  // The same; an unknown name is an unsupported_op_error.
  [[nodiscard]] op_overload& get(std::string_view qualified_name) const {
    if (op_overload* op = find(qualified_name)) return *op;
    throw unsupported_op_error("unknown operator " + std::string(qualified_name) +
                               " (no schema is registered under that name)");
  }
  [[nodiscard]] op_packet* find_packet(std::string_view name) const noexcept {
    auto it = packets_.find(name);
    return it == packets_.end() ? nullptr : it->second.get();
  }
  [[nodiscard]] std::size_t size() const noexcept { return ops_.size(); }
  // Calls f(op) for every operator (in no particular order).
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [name, op] : ops_) f(*op);
  }

 private:
  std::unordered_map<std::string, std::unique_ptr<op_overload>, detail::string_hash, std::equal_to<>> ops_;
  std::unordered_map<std::string, std::unique_ptr<op_packet>, detail::string_hash, std::equal_to<>> packets_;
};

// Calls the operator named `qualified_name` on `args` (defaults filled in):
// fake::call("aten::transpose.int", {x, 0, 1}).
inline stack call(std::string_view qualified_name, stack args) {
  return op_registry::global().get(qualified_name)(std::move(args));
}
// The same with keyword arguments: fake::call("aten::sum.dim_IntList", {x, dim_vector{1}}, {{"dtype", dtype::float64}}).
inline stack call(std::string_view qualified_name, stack args, const std::vector<std::pair<std::string, ivalue>>& kwargs) {
  const op_overload& op = op_registry::global().get(qualified_name);
  return op(op.bind(std::move(args), kwargs));
}

// ------------------------------------------------------ python fallback ----

// The Python key's kernel for every op: pops the innermost mode for the
// duration (Note [mode popped while its handler runs]) and runs the op's rule
// for that mode's type, or the mode's generic dispatch.
inline void python_fallback(const op_overload& op, dispatch_key_set, stack& s) {
  pop_mode_guard popped;
  dispatch_mode& m = popped.mode();
  if (const kernel* rule = op.mode_rule(m.type())) {
    (*rule)(op, dispatch_keys_of(s), s);
    return;
  }
  m.dispatch(op, s);
}

inline backend_fallback_table<kernel>& backend_fallbacks() {
  struct defaults {
    backend_fallback_table<kernel> table;
    std::vector<registration> keep;
    defaults() {
      // c10 registers these as fallthrough fallbacks: without autograd kernels
      // or backend selection a call goes straight on to the backend.
      for (dispatch_key k : {dispatch_key::backend_select, dispatch_key::ad_inplace_or_view, dispatch_key::autograd,
                             dispatch_key::python_tls_snapshot, dispatch_key::python_dispatcher})
        keep.push_back(table.register_fallthrough(k));
      keep.push_back(table.register_fallback(dispatch_key::python, kernel(&python_fallback)));
    }
  };
  static defaults d;
  return d.table;
}

// Defines a built-in op and registers its boxed kernel: a meta kernel under
// CompositeExplicitAutograd (it serves every backend, Meta included); a
// composite op (CompositeImplicitAutograd in ATen: linear, matmul, softmax.int,
// ...) under CompositeImplicitAutograd, its kernel a decomposition into other
// ops' calls. `keep` holds the registrations for the program's life.
inline op_overload& define_builtin(op_registry& r, std::vector<registration>& keep, const char* schema, op_tags tags,
                                   kernel k, dispatch_key key = dispatch_key::composite_explicit_autograd) {
  op_overload& op = r.define(schema, tags);
  keep.push_back(op.register_kernel(key, std::move(k)));
  return op;
}

void register_builtin_ops(op_registry& r, std::vector<registration>& keep);  // dispatch/builtin_ops.hpp

// Note [built-in op families]
// The view ops are always in the global registry. Each family of meta kernels
// (dispatch/builtin_pointwise.hpp, builtin_nn.hpp, ...) adds itself when its
// header is part of the program (an inline variable calls
// add_builtin_family), so a translation unit pays for compiling the kernels
// it includes only; dispatch/aten_ops.hpp includes every family. A family
// registers at once if the registry exists, else when it is made.
namespace detail {
using builtin_family = void (*)(op_registry&, std::vector<registration>&);
struct builtin_families {
  std::vector<builtin_family> added;
  op_registry* registry = nullptr;         // set once the global registry is made
  std::vector<registration>* keep = nullptr;
};
inline builtin_families& families() {
  static builtin_families f;  // plain pointers: harmless whenever it is destroyed
  return f;
}
}  // namespace detail

inline op_registry& op_registry::global() {
  static backend_fallback_table<kernel>& fallbacks = backend_fallbacks();  // outlives the ops that use it
  static op_registry r;
  static std::vector<registration> keep;  // the built-in kernels; destroyed before r
  static const bool builtins = [] {
    register_builtin_ops(r, keep);
    detail::builtin_families& f = detail::families();
    for (detail::builtin_family add : f.added) add(r, keep);
    f.registry = &r;
    f.keep = &keep;
    return true;
  }();
  (void)fallbacks;
  (void)builtins;
  return r;
}

// Adds a family of built-in ops to the global registry (once).
inline bool add_builtin_family(detail::builtin_family add) {
  detail::builtin_families& f = detail::families();
  for (detail::builtin_family known : f.added)
    if (known == add) return true;
  f.added.push_back(add);
  if (f.registry != nullptr) add(*f.registry, *f.keep);
  return true;
}

// --------------------------------------------------------- normalize ----

inline stack op_overload::bind(stack args, const std::vector<std::pair<std::string, ivalue>>& kwargs) const {
  if (kwargs.empty()) return args;
  const auto& params = schema_.arguments();
  std::vector<bool> given(params.size(), false);
  for (std::size_t i = 0; i < args.size() && i < given.size(); ++i) given[i] = true;
  std::vector<std::pair<std::size_t, const ivalue*>> placed;
  for (const auto& [name, value] : kwargs) {
    const std::optional<std::size_t> at = schema_.argument_index(name);
    if (!at) throw value_error(qualified_name_ + "() got an unexpected keyword argument '" + name + "'");
    if (given[*at]) throw value_error(qualified_name_ + "() got multiple values for argument '" + name + "'");
    given[*at] = true;
    placed.emplace_back(*at, &value);
  }
  std::size_t end = args.size();
  for (const auto& p : placed) end = std::max(end, p.first + 1);
  // positions between the positional arguments and a keyword one take defaults
  for (std::size_t i = args.size(); i < end; ++i) {
    const auto& a = params[i];
    bool is_kw = false;
    for (const auto& p : placed)
      if (p.first == i) is_kw = true;
    if (is_kw) {
      args.emplace_back();
      continue;
    }
    if (!a.has_default())
      throw value_error(qualified_name_ + "() is missing value for argument '" + std::string(a.name) +
                        "'. Declaration: " + std::string(schema_.text()));
    args.push_back(default_value(schema_, a));
  }
  for (const auto& p : placed) args[p.first] = *p.second;
  return args;
}

// Note [ops on symbolic tensors]
// A kernel that computes its outputs' expressions (the view ops, the
// TensorIterator ops: Note [symbolic geometry of a tensor]) returns new
// symbolic tensors. Any other kernel run on symbolic inputs computed from
// their hints alone: its outputs, and every check it made, hold only at those
// sizes. So when a call on symbolic tensors returns no tensor, a concrete one,
// or one of its inputs written (an in-place or out= op), every symbolic input is
// specialized: its symbols guarded to their hints (PyTorch's specialization),
// and check_guards then refuses other sizes instead of trusting a result that
// does not describe them. Composite ops need nothing of their own: the ops
// they decompose into come through here. An op that accepts symbolic ints
// (view, slice, arange, sym_size: Note [symbolic ints in boxed calls]) is
// trusted: its kernels compute expressions, including for a SymInt result.
inline void op_overload::call_on_symbolic(dispatch_key_set ks, stack& s) const {
  std::vector<tensor_desc> inputs;
  for (const ivalue& v : s) v.for_each_tensor([&](const tensor_desc& t) {
    if (t.is_symbolic()) inputs.push_back(t);
  });
  redispatch(ks, s);
  if (symbolic_ints_) return;  // its kernel computed its results' expressions (view, slice, sym_size, ...)
  bool symbolic_results = false;
  bool concrete_result = false;
  const bool mutates = schema_.is_mutable();
  for (const ivalue& v : s) v.for_each_tensor([&](const tensor_desc& t) {
    symbolic_results = true;
    if (!t.is_symbolic()) concrete_result = true;
    // written in place: its expressions were not recomputed (an input returned
    // unchanged by a non-mutating op, to() or contiguous(), keeps its own)
    if (mutates)
      for (const tensor_desc& in : inputs)
        if (in.id() == t.id()) concrete_result = true;
  });
  if (symbolic_results && !concrete_result) return;
  for (const tensor_desc& in : inputs) in.specialize_symbolic_geometry();
}

inline void op_overload::normalize(stack& s) const {
  const auto& args = schema_.arguments();
  if (s.size() > args.size())
    throw value_error(qualified_name_ + "() expected at most " + std::to_string(args.size()) + " argument(s) but received " +
                      std::to_string(s.size()) + " argument(s). Declaration: " + std::string(schema_.text()));
  if (s.size() < args.size()) {
    const std::vector<std::optional<ivalue>>& d = defaults();
    s.reserve(args.size());  // defaults appended without moving the arguments
    for (std::size_t i = s.size(); i < args.size(); ++i) {
      const auto& a = args[i];
      if (!a.has_default())
        throw value_error(qualified_name_ + "() is missing value for argument '" + std::string(a.name) +
                          "'. Declaration: " + std::string(schema_.text()));
      if (d[i]) s.push_back(*d[i]);
      else s.push_back(default_value(schema_, a));  // raises what made it unrepresentable
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i)
    if (s[i].kind() != expected_kinds_[i] || expected_kinds_[i] == ivalue_kind::none) {
      check_argument(schema_, args[i], s[i], qualified_name_, symbolic_ints_);
      if (s[i].is_real_tensor() && mode_stack::empty())
        throw value_error(qualified_name_ + ": argument '" + std::string(args[i].name) + "' is a real tensor (" +
                          s[i].to_real_tensor()->to_string() +
                          "): only a fake::mode takes one, converting it (Note [real tensors in boxed calls])");
    }
}

}  // namespace fake

// The built-in operators' definitions (they need op_registry complete).
#include "faketensor/dispatch/builtin_ops.hpp"  // fake::register_builtin_ops
