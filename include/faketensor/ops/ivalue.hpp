// faketensor/ops/ivalue.hpp — one boxed argument or result of an operator call
// on the type-erased path (c10's IValue), and the stack a boxed call works on.
//
// A call by name (`fake::call("aten::add.Tensor", {a, b})`) cannot know its
// argument types at compile time; it passes a `fake::stack` of ivalues, the
// kernel pops its arguments and pushes its results, as c10's boxed kernels do.
// Typed code never builds a stack (ops/handle.hpp calls kernels directly).
//
// The kinds are the schema types a meta kernel sees (ops/schema.hpp):
// None, bool, int/SymInt, float, str, Tensor, int[]/SymInt[], float[], bool[],
// Tensor[], Tensor?[], ScalarType, Device, Layout, MemoryFormat, a callable
// (a subgraph argument of a higher-order operator), and a symbolic SymInt or
// SymInt[] (Note [symbolic ints in boxed calls]). A Scalar is a bool, int or
// float ivalue, or a symbolic SymInt; an optional is the value or None.
#pragma once

#include <charconv>     // std::to_chars
#include <cstdint>      // std::int64_t
#include <functional>   // std::function
#include <memory>       // std::shared_ptr
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move
#include <variant>      // std::variant, std::monostate
#include <vector>       // std::vector

#include <boost/smart_ptr/intrusive_ptr.hpp>          // boost::intrusive_ptr
#include <boost/smart_ptr/intrusive_ref_counter.hpp>  // boost::intrusive_ref_counter

#include "faketensor/core/device.hpp"       // fake::device
#include "faketensor/core/dtype.hpp"        // fake::dtype
#include "faketensor/core/error.hpp"        // fake::value_error
#include "faketensor/core/layout.hpp"       // fake::layout, fake::memory_format
#include "faketensor/core/scalar_value.hpp" // fake::scalar_value
#include "faketensor/core/sym_node.hpp"     // fake::sym_int
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector

namespace fake {

class ivalue;
// A boxed call's argument/result stack: arguments in schema order, results
// replace them (c10's torch::jit::Stack).
using stack = std::vector<ivalue>;
// A callable argument (the branches of `cond`, the body of `map`): takes and
// returns boxed values.
using boxed_callable = std::function<stack(const stack&)>;

enum class ivalue_kind : std::uint8_t {
  none, boolean, integer, floating, string, tensor, int_list, float_list, bool_list,
  tensor_list, optional_tensor_list, scalar_type, device, layout, memory_format, callable,
  sym_int, sym_int_list, real_tensor,
};

std::string_view name(ivalue_kind k);

class tracer;
class node_arg;
class describer;
struct tensor_description;

// Note [real tensors in boxed calls]
// A real tensor — a DLPack tensor (interop/dlpack.hpp), an at::Tensor
// (interop/libtorch.hpp) — is boxed for a call with fake::real(x): an ivalue
// of kind real_tensor holding this interface, which can describe the tensor
// (meta/describer.hpp) and, when its bytes are readable here, give its
// values. Only a fake::mode takes one: it converts it with its own describer
// and converter (memoized: the same real tensor gives the same fake tensor,
// aliasing and views survive) when its settings allow non-fake inputs, and
// otherwise refuses the call naming the op and the argument, as
// FakeTensorMode does. With no mode on, the dispatcher refuses it. The real
// tensor must outlive the call.
class real_tensor {
 public:
  virtual ~real_tensor() = default;
  // Its description by `d` (the same object gets the same ids each time).
  [[nodiscard]] virtual tensor_description describe(describer& d) const = 0;
  // Its values in row-major order when it has at most `limit` elements and
  // they can be read here (a cpu tensor of a dtype with scalar values).
  [[nodiscard]] virtual std::optional<std::vector<scalar_value>> values(std::int64_t limit) const = 0;
  // "a DLPack tensor of shape [2, 3]", for error messages.
  [[nodiscard]] virtual std::string to_string() const = 0;
};
using real_tensor_ptr = std::shared_ptr<const real_tensor>;

// Note [symbolic ints in boxed calls]
// A SymInt or SymInt[] argument that holds an expression in a shape_env's
// symbols (view(x, [s0, s1, 12, 64]), arange(s1)) is boxed as a sym_ints: the
// values (light handles, core/sym_node.hpp) behind an interface whose
// implementation (dispatch/sym_ints.hpp) knows the shape environment, so this
// header and everything that includes it stay free of it, as tensor_desc is
// of its symbolic geometry. A SymInt whose value is a constant is boxed as a
// plain int, and a SymInt[] of constants as an int[]: concrete calls never
// see this kind. Only ops that declare it (op_overload::accepts_symbolic_ints)
// receive one: the dispatcher specializes a symbolic value passed to any other
// op to its hint with a guard (ops/boxing.hpp), as PyTorch's guard_int does
// where a kernel takes int. The tracer records one as the graph nodes that
// compute it from the inputs' sizes (the symbol tracker).
class sym_ints : public boost::intrusive_ref_counter<sym_ints, boost::thread_unsafe_counter> {
 public:
  virtual ~sym_ints() = default;
  [[nodiscard]] const std::vector<sym_int>& values() const noexcept { return values_; }
  [[nodiscard]] bool is_list() const noexcept { return is_list_; }
  // The values at their hints, each guarded (PyTorch's guard_int).
  [[nodiscard]] virtual dim_vector specialize() const = 0;
  // "s0", "[s0, 12, 64]".
  [[nodiscard]] virtual std::string to_string() const = 0;
  // Appends the values' words to a dispatch cache key (fake::append_key).
  virtual void append_key(std::vector<std::int64_t>& words) const = 0;
  // A value of the same kind of environment: `values` boxed (constants give
  // an int or int[] ivalue).
  [[nodiscard]] virtual ivalue rebox(std::vector<sym_int> values, bool is_list) const = 0;
  // The argument a tracer records: the nodes computing each value.
  [[nodiscard]] virtual node_arg record(tracer& t) const = 0;

 protected:
  sym_ints(std::vector<sym_int> values, bool is_list) : values_(std::move(values)), is_list_(is_list) {}

 private:
  std::vector<sym_int> values_;
  bool is_list_;
};
using sym_ints_ptr = boost::intrusive_ptr<const sym_ints>;

class ivalue {
 public:
  ivalue() noexcept = default;  // None
  ivalue(std::nullopt_t) noexcept {}
  ivalue(bool b) noexcept : v_(b) {}
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  ivalue(I i) noexcept : v_(static_cast<std::int64_t>(i)) {}
  ivalue(double d) noexcept : v_(d) {}
  ivalue(std::string s) : v_(std::move(s)) {}
  ivalue(const char* s) : v_(std::string(s)) {}
  ivalue(tensor_desc t) : v_(std::move(t)) {}
  ivalue(dim_vector ints) : v_(std::move(ints)) {}
  ivalue(std::initializer_list<std::int64_t> ints) : v_(dim_vector(ints)) {}
  ivalue(std::vector<double> floats) : v_(std::move(floats)) {}
  ivalue(std::vector<bool> bools) : v_(std::move(bools)) {}
  ivalue(std::vector<tensor_desc> tensors) : v_(std::move(tensors)) {}
  ivalue(std::vector<std::optional<tensor_desc>> tensors) : v_(std::move(tensors)) {}
  ivalue(fake::dtype d) noexcept : v_(d) {}
  ivalue(fake::device d) noexcept : v_(d) {}
  ivalue(fake::layout l) noexcept : v_(l) {}
  ivalue(fake::memory_format m) noexcept : v_(m) {}
  ivalue(boxed_callable f) : v_(std::move(f)) {}
  // A symbolic SymInt or SymInt[] (dispatch/sym_ints.hpp boxes one).
  explicit ivalue(sym_ints_ptr p) {
    if (p->is_list()) v_.emplace<sym_list_box>(std::move(p));
    else v_.emplace<sym_scalar_box>(std::move(p));
  }
  // A real tensor (fake::real(dl_tensor)): only a fake mode takes it.
  explicit ivalue(real_tensor_ptr p) : v_(std::move(p)) {}
  template <class T>
  ivalue(std::optional<T> o) : ivalue() {
    if (o) *this = ivalue(std::move(*o));
  }

  [[nodiscard]] ivalue_kind kind() const noexcept { return static_cast<ivalue_kind>(v_.index()); }
  [[nodiscard]] bool is_none() const noexcept { return kind() == ivalue_kind::none; }
  [[nodiscard]] bool is_tensor() const noexcept { return kind() == ivalue_kind::tensor; }
  [[nodiscard]] bool is_int() const noexcept { return kind() == ivalue_kind::integer; }
  [[nodiscard]] bool is_double() const noexcept { return kind() == ivalue_kind::floating; }
  [[nodiscard]] bool is_bool() const noexcept { return kind() == ivalue_kind::boolean; }
  // A Scalar argument: a bool, an int or a float (or a symbolic SymInt).
  [[nodiscard]] bool is_scalar() const noexcept { return is_bool() || is_int() || is_double() || is_sym_int(); }
  [[nodiscard]] bool is_tensor_list() const noexcept { return kind() == ivalue_kind::tensor_list; }
  [[nodiscard]] bool is_sym_int() const noexcept { return kind() == ivalue_kind::sym_int; }
  [[nodiscard]] bool is_sym_int_list() const noexcept { return kind() == ivalue_kind::sym_int_list; }
  // A symbolic SymInt or SymInt[] (Note [symbolic ints in boxed calls]).
  [[nodiscard]] bool is_symbolic() const noexcept { return is_sym_int() || is_sym_int_list(); }
  [[nodiscard]] const sym_ints& to_sym_ints() const {
    if (const auto* p = std::get_if<sym_scalar_box>(&v_)) return *p->p;
    return *get<sym_list_box>(ivalue_kind::sym_int_list).p;
  }

  // Typed access: a value of another kind is a value_error naming both kinds.
  [[nodiscard]] bool to_bool() const { return get<bool>(ivalue_kind::boolean); }
  // An int; a symbolic SymInt is specialized to its hint with a guard.
  [[nodiscard]] std::int64_t to_int() const {
    if (const auto* p = std::get_if<sym_scalar_box>(&v_)) [[unlikely]]
      return p->p->specialize()[0];
    return get<std::int64_t>(ivalue_kind::integer);
  }
  // A float argument accepts an int, as Python's does.
  [[nodiscard]] double to_double() const {
    if (is_int() || is_sym_int()) return static_cast<double>(to_int());
    return get<double>(ivalue_kind::floating);
  }
  [[nodiscard]] const std::string& to_string_ref() const { return get<std::string>(ivalue_kind::string); }
  [[nodiscard]] const tensor_desc& to_tensor() const { return get<tensor_desc>(ivalue_kind::tensor); }
  [[nodiscard]] tensor_desc& to_tensor() { return get<tensor_desc>(ivalue_kind::tensor); }
  // An int[] argument accepts a single int (PyTorch broadcasts `int[2] stride=1`);
  // a symbolic SymInt[] is specialized to its hints with guards.
  [[nodiscard]] dim_vector to_int_list() const {
    if (is_int()) return dim_vector{std::get<std::int64_t>(v_)};
    if (const auto* p = std::get_if<sym_list_box>(&v_)) [[unlikely]]
      return p->p->specialize();
    return get<dim_vector>(ivalue_kind::int_list);
  }
  [[nodiscard]] const dim_vector& int_list_ref() const { return get<dim_vector>(ivalue_kind::int_list); }
  [[nodiscard]] const std::vector<double>& to_float_list() const { return get<std::vector<double>>(ivalue_kind::float_list); }
  [[nodiscard]] const std::vector<bool>& to_bool_list() const { return get<std::vector<bool>>(ivalue_kind::bool_list); }
  [[nodiscard]] const std::vector<tensor_desc>& to_tensor_list() const {
    return get<std::vector<tensor_desc>>(ivalue_kind::tensor_list);
  }
  [[nodiscard]] const std::vector<std::optional<tensor_desc>>& to_optional_tensor_list() const {
    return get<std::vector<std::optional<tensor_desc>>>(ivalue_kind::optional_tensor_list);
  }
  [[nodiscard]] fake::dtype to_dtype() const { return get<fake::dtype>(ivalue_kind::scalar_type); }
  [[nodiscard]] fake::device to_device() const { return get<fake::device>(ivalue_kind::device); }
  [[nodiscard]] fake::layout to_layout() const { return get<fake::layout>(ivalue_kind::layout); }
  [[nodiscard]] fake::memory_format to_memory_format() const {
    return get<fake::memory_format>(ivalue_kind::memory_format);
  }
  [[nodiscard]] const boxed_callable& to_callable() const { return get<boxed_callable>(ivalue_kind::callable); }
  [[nodiscard]] bool is_real_tensor() const noexcept { return kind() == ivalue_kind::real_tensor; }
  [[nodiscard]] const real_tensor_ptr& to_real_tensor() const { return get<real_tensor_ptr>(ivalue_kind::real_tensor); }
  // An optional argument: nullopt for None.
  template <class T, class F>
  [[nodiscard]] std::optional<T> optional(F&& to) const {
    if (is_none()) return std::nullopt;
    return std::optional<T>(to(*this));
  }

  // Calls f on each tensor this value holds (a Tensor, or the defined entries
  // of a Tensor[] / Tensor?[]): how dispatch finds the tensors of a call.
  template <class F>
  void for_each_tensor(F&& f) const {
    switch (kind()) {
      case ivalue_kind::tensor: f(std::get<tensor_desc>(v_)); break;
      case ivalue_kind::tensor_list:
        for (const tensor_desc& t : std::get<std::vector<tensor_desc>>(v_)) f(t);
        break;
      case ivalue_kind::optional_tensor_list:
        for (const auto& t : std::get<std::vector<std::optional<tensor_desc>>>(v_))
          if (t) f(*t);
        break;
      default: break;
    }
  }

 private:
  template <class T>
  [[nodiscard]] const T& get(ivalue_kind want) const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    throw value_error("ivalue: expected " + std::string(name(want)) + " but got " + std::string(name(kind())));
  }
  template <class T>
  [[nodiscard]] T& get(ivalue_kind want) {
    if (T* p = std::get_if<T>(&v_)) return *p;
    throw value_error("ivalue: expected " + std::string(name(want)) + " but got " + std::string(name(kind())));
  }

  struct sym_scalar_box {
    sym_ints_ptr p;
  };
  struct sym_list_box {
    sym_ints_ptr p;
  };
  // The order is ivalue_kind's.
  std::variant<std::monostate, bool, std::int64_t, double, std::string, tensor_desc, dim_vector, std::vector<double>,
               std::vector<bool>, std::vector<tensor_desc>, std::vector<std::optional<tensor_desc>>, fake::dtype,
               fake::device, fake::layout, fake::memory_format, boxed_callable, sym_scalar_box, sym_list_box,
               real_tensor_ptr>
      v_;
};

// A kernel's one result in place of its arguments: `v` is made (from the
// arguments) before they go, and moved in, where `s = {ivalue(r)}` would copy
// it out of the initializer list (a tensor_desc is 300 bytes).
inline void return_value(stack& s, ivalue&& v) {
  s.clear();
  s.push_back(std::move(v));
}

inline std::string_view name(ivalue_kind k) {
  switch (k) {
    case ivalue_kind::none: return "None";
    case ivalue_kind::boolean: return "bool";
    case ivalue_kind::integer: return "int";
    case ivalue_kind::floating: return "float";
    case ivalue_kind::string: return "str";
    case ivalue_kind::tensor: return "Tensor";
    case ivalue_kind::int_list: return "int[]";
    case ivalue_kind::float_list: return "float[]";
    case ivalue_kind::bool_list: return "bool[]";
    case ivalue_kind::tensor_list: return "Tensor[]";
    case ivalue_kind::optional_tensor_list: return "Tensor?[]";
    case ivalue_kind::scalar_type: return "ScalarType";
    case ivalue_kind::device: return "Device";
    case ivalue_kind::layout: return "Layout";
    case ivalue_kind::memory_format: return "MemoryFormat";
    case ivalue_kind::callable: return "callable";
    case ivalue_kind::sym_int: return "SymInt";
    case ivalue_kind::sym_int_list: return "SymInt[]";
    case ivalue_kind::real_tensor: return "real Tensor";
  }
  return "?";
}

// "tensor(sizes=[2], ...)", "3", "[1, 2]", "None", ...: for error messages and graphs.
inline std::string to_string(const ivalue& v) {
  switch (v.kind()) {
    case ivalue_kind::none: return "None";
    case ivalue_kind::boolean: return v.to_bool() ? "True" : "False";
    case ivalue_kind::integer: return std::to_string(v.to_int());
    case ivalue_kind::floating: {  // shortest round-trip form, as Python's repr
      char buf[32];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.to_double());
      return std::string(buf, r.ptr);
    }
    case ivalue_kind::string: return "'" + v.to_string_ref() + "'";
    case ivalue_kind::tensor: return to_string(v.to_tensor());
    case ivalue_kind::int_list: return to_string(v.int_list_ref());
    case ivalue_kind::scalar_type: return to_string(v.to_dtype());
    case ivalue_kind::device: return to_string(v.to_device());
    case ivalue_kind::layout: return to_string(v.to_layout());
    case ivalue_kind::memory_format: return to_string(v.to_memory_format());
    case ivalue_kind::sym_int:
    case ivalue_kind::sym_int_list: return v.to_sym_ints().to_string();
    default: return "<" + std::string(name(v.kind())) + ">";
  }
}

}  // namespace fake
