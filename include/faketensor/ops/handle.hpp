// faketensor/ops/handle.hpp — typed, compile-time handles for built-in ops:
// the compile-time half of the two-level dispatch (STYLE.md, "What we take" 3).
//
//   constexpr auto y = fake::aten::transpose_int(x, fake::c<0>{}, fake::c<1>{});
//   static_assert(fake::aten::transpose_int.schema.is_view());
//
// A handle is an empty constexpr function object: its schema is parsed at
// compile time, and calling it calls the op's generic kernel directly, so a
// typed call never touches a table (bench/dispatch_bench.cpp and the
// `typed_call_zero_overhead` test show the call compiles to the kernel's own
// code). fake::invoke(mode, op, args...) is the typed counterpart of the mode
// stack: a typed mode that has a `handle(op, args...)` overload for the op
// gets the call (chosen by overload resolution, at compile time); otherwise
// the kernel runs. The runtime registry holds the same ops under the same
// schemas (dispatch/builtin_ops.hpp); `qualified_name()` finds them there.
#pragma once

#include <string_view>  // std::string_view
#include <utility>      // std::forward

#include "faketensor/core/config.hpp"        // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/core/fixed_string.hpp"  // fake::fixed_string
#include "faketensor/ops/schema.hpp"         // fake::schema, fake::parse_schema
#include "faketensor/view/ops.hpp"           // fake::transpose, ... on tensor_desc
#include "faketensor/view/typed_ops.hpp"     // fake::transpose, ... on typed tensors

namespace fake {

template <fixed_string Schema, class Kernel>
struct op_handle {
  // Parsed at compile time: a malformed built-in schema does not compile.
  static constexpr fake::schema schema = parse_schema(Schema.view());
  FAKE_NO_UNIQUE_ADDRESS Kernel kernel{};

  // "aten::transpose.int": the name of the same op in the runtime registry.
  [[nodiscard]] static std::string qualified_name() { return schema.full_name(); }

  template <class... Args>
    requires std::is_invocable_v<const Kernel&, Args...>
  constexpr decltype(auto) operator()(Args&&... args) const {
    return kernel(std::forward<Args>(args)...);
  }
};

// The call of `op` under the typed mode `m`: m.handle(op, args...) when the
// mode has a rule for this op, else the op's kernel.
template <class Mode, fixed_string S, class K, class... Args>
constexpr decltype(auto) invoke(Mode& m, const op_handle<S, K>& op, Args&&... args) {
  if constexpr (requires { m.handle(op, std::forward<Args>(args)...); }) return m.handle(op, std::forward<Args>(args)...);
  else return op(std::forward<Args>(args)...);
}

namespace detail {
// The kernels behind the view handles: overload sets as function objects,
// so one handle serves typed, mixed and type-erased tensors.
struct transpose_kernel {
  template <class T, class A, class B>
  constexpr auto operator()(const T& t, A a, B b) const -> decltype(transpose(t, a, b)) {
    return transpose(t, a, b);
  }
};
struct t_kernel {
  template <class T>
  constexpr auto operator()(const T& x) const -> decltype(t(x)) {
    return t(x);
  }
};
struct select_kernel {
  template <class T, class A, class B>
  constexpr auto operator()(const T& x, A dim, B index) const -> decltype(select(x, dim, index)) {
    return select(x, dim, index);
  }
};
struct unsqueeze_kernel {
  template <class T, class A>
  constexpr auto operator()(const T& x, A dim) const -> decltype(unsqueeze(x, dim)) {
    return unsqueeze(x, dim);
  }
};
struct permute_kernel {
  template <class T, class D>
  constexpr auto operator()(const T& x, const D& dims) const -> decltype(permute(x, dims)) {
    return permute(x, dims);
  }
};
struct view_kernel {
  template <class T, class S>
  constexpr auto operator()(const T& x, const S& sizes) const -> decltype(view(x, sizes)) {
    return view(x, sizes);
  }
};
}  // namespace detail

// Typed handles of the built-in view ops (schemas as in dispatch/builtin_ops.hpp).
namespace aten {
inline constexpr op_handle<"aten::transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)", detail::transpose_kernel>
    transpose_int{};
inline constexpr op_handle<"aten::t(Tensor(a) self) -> Tensor(a)", detail::t_kernel> t{};
inline constexpr op_handle<"aten::select.int(Tensor(a) self, int dim, SymInt index) -> Tensor(a)", detail::select_kernel>
    select_int{};
inline constexpr op_handle<"aten::unsqueeze(Tensor(a) self, int dim) -> Tensor(a)", detail::unsqueeze_kernel> unsqueeze{};
inline constexpr op_handle<"aten::permute(Tensor(a) self, int[] dims) -> Tensor(a)", detail::permute_kernel> permute{};
inline constexpr op_handle<"aten::view(Tensor(a) self, SymInt[] size) -> Tensor(a)", detail::view_kernel> view{};
}  // namespace aten

}  // namespace fake
