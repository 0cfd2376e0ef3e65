// faketensor/core/expect.hpp — the one way a kernel checks its input.
//
//   fake::expect<fake::shape_error, "broadcast_shapes",
//                "The size of tensor a ({}) must match the size of tensor b ({}) "
//                "at non-singleton dimension {}">(a == b || a == c<1>{} || b == c<1>{}, a, b, i);
//
// * a static condition (fake::bool_c) that is false is a compile error; the
//   diagnostic shows the op, the message and the static values of the arguments
//   as template arguments of fake::detail::static_check_failed;
// * a runtime condition that is false throws `Error` with the message
//   "<op>: <message with each {} replaced by the next argument>";
// * a symbolic condition (sym_bool) is decided through its shape environment:
//   a guard, or on unbacked symbols a deferred runtime assertion (sym.hpp).
// The op and the message are template arguments, so the hot path of a passing
// runtime check is one compare and a not-taken branch to a cold function.
#pragma once

#include <concepts>     // std::integral
#include <cstdint>      // std::int64_t
#include <string>       // std::string, std::to_string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_convertible_v

#include "faketensor/core/config.hpp"        // FAKE_DEVICE_PASS
#include "faketensor/core/dim.hpp"           // fake::c, fake::bool_c
#include "faketensor/core/error.hpp"         // fake::error
#include "faketensor/core/fixed_string.hpp"  // fake::fixed_string

namespace fake {
namespace detail {

// Stands for an argument whose value is only known at run time in the
// diagnostic of a failed static check.
struct runtime_value {};

template <class... Ts>
inline constexpr bool always_false = false;

// Instantiated only when a static check fails; read the template arguments.
template <class Error, fixed_string Op, fixed_string Message, auto... Values>
struct static_check_failed {
  static_assert(always_false<Error>,
                "faketensor: static shape check failed — the op, the message and the offending "
                "values are the template arguments of fake::detail::static_check_failed below");
};

template <class T>
constexpr auto diagnostic_value() {
  using U = std::remove_cvref_t<T>;
  // c<N>, bool_c<B> and the typed dtype/device tags carry their value in the type.
  if constexpr (std::is_empty_v<U> && requires { U::value; }) return U::value;
  else return runtime_value{};
}

// ----- runtime message formatting: each "{}" takes the next argument.

inline void append_arg(std::string& out, std::string_view s) { out.append(s); }
inline void append_arg(std::string& out, const char* s) { out.append(s); }
inline void append_arg(std::string& out, const std::string& s) { out.append(s); }
inline void append_arg(std::string& out, bool b) { out.append(b ? "true" : "false"); }
template <std::integral T>
  requires(!std::same_as<T, bool>)
void append_arg(std::string& out, T v) {
  out.append(std::to_string(v));
}
template <std::int64_t N>
void append_arg(std::string& out, c<N>) {
  out.append(std::to_string(N));
}
template <bool B>
void append_arg(std::string& out, bool_c<B>) {
  out.append(B ? "true" : "false");
}
// Anything else is printed by a `to_string` found by ADL (dtypes, devices,
// shapes, sym_int ...).
template <class T>
  requires requires(const T& t) { to_string(t); }
void append_arg(std::string& out, const T& v) {
  out.append(to_string(v));
}

template <class... Args>
std::string format_message(std::string_view op, std::string_view message, const Args&... args) {
  std::string out;
  out.reserve(op.size() + message.size() + 16 * sizeof...(Args) + 2);
  out.append(op);
  out.append(": ");
  std::size_t pos = 0;
  [[maybe_unused]] auto one = [&](const auto& arg) {
    const std::size_t hole = message.find("{}", pos);
    if (hole == std::string_view::npos) return;  // more arguments than holes: ignore extras
    out.append(message.substr(pos, hole - pos));
    append_arg(out, arg);
    pos = hole + 2;
  };
  (one(args), ...);
  out.append(message.substr(pos));
  return out;
}

// Arguments by value: a check's operands then stay in registers on the hot
// path instead of being spilled so that their addresses can be taken.
template <class Error, fixed_string Op, fixed_string Message, class... Args>
[[noreturn, gnu::cold, gnu::noinline]] void raise(Args... args) {
  throw Error(format_message(Op.view(), Message.view(), args...));
}

}  // namespace detail

// Raise Error unconditionally (for code paths that are errors by construction).
template <class Error, fixed_string Op, fixed_string Message, class... Args>
[[noreturn]] void fail(const Args&... args) {
  detail::raise<Error, Op, Message>(args...);
}

template <class Error, fixed_string Op, fixed_string Message, class Cond, class... Args>
constexpr void expect(const Cond& cond, const Args&... args) {
  static_assert(std::is_base_of_v<error, Error>, "fake::expect: Error must derive from fake::error");
  if constexpr (is_static_bool_v<Cond>) {
    if constexpr (!std::remove_cvref_t<Cond>::value)
      static_assert(sizeof(detail::static_check_failed<Error, Op, Message, detail::diagnostic_value<Args>()...>) > 0);
  } else if constexpr (is_extra_condition<std::remove_cvref_t<Cond>>::value) {
    // a symbolic condition: a guard, or a deferred runtime assertion (sym.hpp)
    if (!expect_true(cond)) [[unlikely]]
      detail::raise<Error, Op, Message>(args...);
  } else {
    if (!static_cast<bool>(cond)) [[unlikely]] {
#if FAKE_DEVICE_PASS
      __trap();
#else
      detail::raise<Error, Op, Message>(args...);
#endif
    }
  }
}

// Overflow-checked arithmetic on dims: two statics give a static result (an
// overflow is a compile error), anything else is checked at run time and an
// overflow throws shape_error naming `Op`.
template <fixed_string Op, dim_like A, dim_like B>
constexpr auto checked_mul(A a, B b) {
  if constexpr (static_dim<A> && static_dim<B>) {
    expect<shape_error, Op, "integer multiplication overflow ({} * {})">(
        bool_c<!detail::static_mul_overflows(A::value, B::value)>{}, a, b);
    if constexpr (!detail::static_mul_overflows(A::value, B::value)) return c<A::value * B::value>{};
    else return c<0>{};
  } else if constexpr (std::same_as<A, c<0>> || std::same_as<B, c<0>>) {
    return c<0>{};
  } else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) {
    return extra_dim_traits<detail::extra_dim_of<A, B>>::template checked_mul<Op>(a, b);
  } else {
    std::int64_t r = 0;
    expect<shape_error, Op, "integer multiplication overflow ({} * {})">(
        !detail::mul_overflows(to_int64(a), to_int64(b), &r), to_int64(a), to_int64(b));
    return r;
  }
}

template <fixed_string Op, dim_like A, dim_like B>
constexpr auto checked_add(A a, B b) {
  if constexpr (static_dim<A> && static_dim<B>) {
    expect<shape_error, Op, "integer addition overflow ({} + {})">(
        bool_c<!detail::static_add_overflows(A::value, B::value)>{}, a, b);
    if constexpr (!detail::static_add_overflows(A::value, B::value)) return c<A::value + B::value>{};
    else return c<0>{};
  } else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) {
    return extra_dim_traits<detail::extra_dim_of<A, B>>::template checked_add<Op>(a, b);
  } else {
    std::int64_t r = 0;
    expect<shape_error, Op, "integer addition overflow ({} + {})">(
        !detail::add_overflows(to_int64(a), to_int64(b), &r), to_int64(a), to_int64(b));
    return r;
  }
}

}  // namespace fake
