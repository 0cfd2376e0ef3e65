// faketensor/core/sym.hpp — fake::sym_int as the third kind of dim.
//
//   fake::shape_env env;
//   auto s0 = env.create_symbol(8);          // a dim whose value is a symbol
//   auto n = s0 * fake::c<768>{} + 1;        // 768*s0 + 1, a sym_int
//   fake::floor_div(2 * s0, fake::c<2>{})    // s0
//   fake::broadcast_dim(s0, fake::c<1>{}, 0) // s0, decided by ranges: no guard
//
// The operators here build expressions in the operands' shape environment
// (Note [sym expression canonical form]); on two constants they are plain
// integer arithmetic. Comparisons give sym_bool; branching on one (if, &&, ||,
// ?:) decides it through the environment (Note [guards]), and fake::expect on
// one is a guard, or a deferred runtime assertion on unbacked symbols.
// Converting a sym_int to std::int64_t specializes it to its hint with a guard:
// code that has not learnt to keep a dim symbolic stays correct, and the guard
// says so. dim.hpp's generic functions (dim_max, select, floor_div, ...) and
// expect.hpp's checked arithmetic reach this header through
// fake::extra_dim_traits<sym_int>, so kernels written over dim_like values run
// on sym_int unchanged (Note [one kernel, three interpretations]).
#pragma once

#include <concepts>     // std::same_as
#include <cstdint>      // std::int64_t
#include <string>       // std::string
#include <type_traits>  // std::remove_cvref_t
#include <vector>       // std::vector

#include "faketensor/core/dim.hpp"        // fake::dim_like, fake::is_extra_dim
#include "faketensor/core/expect.hpp"     // fake::checked_mul, fake::fixed_string
#include "faketensor/core/shape_env.hpp"  // fake::shape_env
#include "faketensor/core/sym_node.hpp"   // fake::sym_int, fake::sym_bool

namespace fake {

template <>
struct is_extra_dim<sym_int> : std::true_type {};
template <>
struct is_extra_condition<sym_bool> : std::true_type {};

namespace detail {

template <class T>
inline constexpr bool is_sym_int_v = std::same_as<std::remove_cvref_t<T>, sym_int>;

// An operator applies when one side is a sym_int and the other any dim.
template <class A, class B>
concept sym_operands = dim_like<A> && dim_like<B> && (is_sym_int_v<A> || is_sym_int_v<B>);

template <dim_like D>
constexpr sym_int to_sym(D d) noexcept {
  if constexpr (is_sym_int_v<D>) return d;
  else return sym_int(static_cast<std::int64_t>(d));
}

// The environment of whichever operand is symbolic.
inline shape_env& env_of(const sym_int& a, const sym_int& b) noexcept { return *(a.is_symbolic() ? a : b).node()->env; }

[[noreturn, gnu::cold]] inline void constant_overflow(const char* op, std::int64_t a, std::int64_t b) {
  throw shape_error(std::string("sym_int: integer ") + op + " overflow (" + std::to_string(a) + ", " + std::to_string(b) + ")");
}

}  // namespace detail

// ------------------------------------------------------------- arithmetic

namespace detail {
// a ⊕ b: on two constants the overflow-checked integer operation, else the
// environment's (shape_env::add, sub, mul).
template <class Overflows, class Symbolic>
sym_int sym_arithmetic(sym_int a, sym_int b, const char* what, Overflows overflows, Symbolic symbolic) {
  if (a.is_constant() && b.is_constant()) {
    std::int64_t r = 0;
    if (overflows(a.constant(), b.constant(), &r)) constant_overflow(what, a.constant(), b.constant());
    return r;
  }
  return (env_of(a, b).*symbolic)(a, b);
}
}  // namespace detail

template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int operator+(A a, B b) {
  return detail::sym_arithmetic(detail::to_sym(a), detail::to_sym(b), "addition", detail::add_overflows, &shape_env::add);
}
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int operator-(A a, B b) {
  return detail::sym_arithmetic(detail::to_sym(a), detail::to_sym(b), "subtraction", detail::sub_overflows, &shape_env::sub);
}
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int operator*(A a, B b) {
  return detail::sym_arithmetic(detail::to_sym(a), detail::to_sym(b), "multiplication", detail::mul_overflows, &shape_env::mul);
}

inline sym_int operator-(sym_int a) { return sym_int(0) - a; }

// ------------------------------------------------------------- comparisons

#define FAKE_SYM_COMPARISON(OP, NAME)                                          \
  template <class A, class B>                                                  \
    requires detail::sym_operands<A, B>                                        \
  sym_bool operator OP(A a_, B b_) {                                           \
    const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);              \
    if (a.is_constant() && b.is_constant()) return a.constant() OP b.constant(); \
    if (a.same_as(b)) return 0 OP 0;                                           \
    return detail::env_of(a, b).NAME(a, b);                                    \
  }
FAKE_SYM_COMPARISON(==, eq)
FAKE_SYM_COMPARISON(!=, ne)
FAKE_SYM_COMPARISON(<, lt)
FAKE_SYM_COMPARISON(<=, le)
FAKE_SYM_COMPARISON(>, gt)
FAKE_SYM_COMPARISON(>=, ge)
#undef FAKE_SYM_COMPARISON

// Python's // and %, and ceil(a / b).
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int sym_floordiv(A a_, B b_) {
  const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);
  if (a.is_constant() && b.is_constant()) {
    if (b.constant() == 0) throw sym_expression_error("floordiv: division by zero");
    if (b.constant() == -1 && a.constant() == -sym_infinity - 1) detail::constant_overflow("division", a.constant(), -1);
    return detail::py_floordiv(a.constant(), b.constant());
  }
  return detail::env_of(a, b).floordiv(a, b);
}
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int sym_mod(A a_, B b_) {
  const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);
  if (a.is_constant() && b.is_constant()) {
    if (b.constant() == 0) throw sym_expression_error("mod: division by zero");
    if (b.constant() == -1) return 0;
    return detail::py_mod(a.constant(), b.constant());
  }
  return detail::env_of(a, b).mod(a, b);
}
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int sym_ceil_div(A a_, B b_) {
  return -sym_floordiv(-detail::to_sym(a_), b_);
}

// C++'s / and % truncate toward zero; on sizes (a >= 0, b > 0, which ranges
// usually settle without a guard) they are // and %.
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int operator/(A a_, B b_) {
  const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);
  const bool flip = static_cast<bool>(a < 0) != static_cast<bool>(b < 0);
  const sym_int q = sym_floordiv(static_cast<bool>(a < 0) ? -a : a, static_cast<bool>(b < 0) ? -b : b);
  return flip ? -q : q;
}
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int operator%(A a_, B b_) {
  const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);
  if (static_cast<bool>(a >= 0) && static_cast<bool>(b > 0)) return sym_mod(a, b);  // sizes: Python's % is C++'s
  return a - (a / b) * b;
}

template <dim_like B>
sym_int& operator+=(sym_int& a, B b) { return a = a + b; }
template <dim_like B>
sym_int& operator-=(sym_int& a, B b) { return a = a - b; }
template <dim_like B>
sym_int& operator*=(sym_int& a, B b) { return a = a * b; }

template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int sym_min(A a_, B b_) {
  const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);
  if (a.is_constant() && b.is_constant()) return a.constant() < b.constant() ? a : b;
  return detail::env_of(a, b).min(a, b);
}
template <class A, class B>
  requires detail::sym_operands<A, B>
sym_int sym_max(A a_, B b_) {
  const sym_int a = detail::to_sym(a_), b = detail::to_sym(b_);
  if (a.is_constant() && b.is_constant()) return a.constant() < b.constant() ? b : a;
  return detail::env_of(a, b).max(a, b);
}

inline sym_bool operator!(sym_bool b) { return b.is_constant() ? sym_bool(!b.constant()) : b.node()->env->logical_not(b); }

// ------------------------------------------------------------- decisions

inline sym_bool::operator bool() const { return is_constant() ? value_ : node_->env->guard_bool(*this); }
inline sym_int::operator std::int64_t() const { return is_constant() ? value_ : node_->env->guard_int(*this); }

// A layout query's decision (Note [size-oblivious decisions], shape_env.hpp):
// on unbacked sizes, at their examples and without a guard.
inline bool size_oblivious(const sym_bool& b) { return b.is_constant() ? b.constant() : b.node()->env->decide_size_oblivious(b); }

// fake::expect's hook: a guard, or a deferred runtime assertion on unbacked symbols.
inline bool expect_true(const sym_bool& b) { return b.is_constant() ? b.constant() : b.node()->env->expect_true(b); }

// The value at the hints, without a guard (for printing, estimates and a fake
// tensor's concrete geometry); an unbacked symbol takes its example value
// (shape_env::create_unbacked_symbol).
inline std::int64_t hint_of(const sym_int& e) {
  if (e.is_constant()) return e.constant();
  const auto v = e.node()->env->example_of(e);
  if (!v) throw sym_expression_error("hint_of: " + e.node()->env->to_string(e) + " overflows or divides by zero at the hints");
  return *v;
}

// A sym_int's constant value when it is (or has been guarded to be) a single
// value, without recording a guard.
inline std::optional<std::int64_t> maybe_constant(const sym_int& e) {
  if (e.is_constant()) return e.constant();
  const sym_range r = e.node()->env->range_of(e);
  if (r.is_point() && !detail::is_infinite(r.lo)) return r.lo;
  return std::nullopt;
}

// Appends e's words to a dispatch cache key (Note [what the dispatch cache
// keeps]): a constant, or its environment's serial and its interned node
// (equal expressions are one node, so equal words are equal expressions).
inline void append_key(std::vector<std::int64_t>& words, const sym_int& e) {
  if (e.is_constant()) {
    words.push_back(0);  // no environment has serial 0
    words.push_back(e.constant());
    return;
  }
  words.push_back(static_cast<std::int64_t>(e.node()->env->serial()));
  words.push_back(static_cast<std::int64_t>(e.node()->id));
}

inline std::string to_string(const sym_int& e) { return e.is_constant() ? std::to_string(e.constant()) : e.node()->env->to_string(e); }
inline std::string to_string(const sym_bool& b) {
  return b.is_constant() ? (b.constant() ? "True" : "False") : b.node()->env->to_string(b);
}

// ------------------------------------------------------------- dim kind hooks

template <>
struct extra_dim_traits<sym_int> {
  template <dim_like D>
  static sym_int from(D d) noexcept {
    return detail::to_sym(d);
  }
  template <dim_like A, dim_like B>
  static sym_int max(A a, B b) {
    return sym_max(a, b);  // sym_max converts its operands itself
  }
  template <dim_like A, dim_like B>
  static sym_int min(A a, B b) {
    return sym_min(a, b);
  }
  template <dim_like A, dim_like B>
  static sym_int floor_div(A a, B b) {
    return sym_floordiv(a, b);
  }
  template <dim_like A, dim_like B>
  static sym_int ceil_div(A a, B b) {
    return sym_ceil_div(a, b);
  }
  // checked_mul/checked_add: constants keep the int64 check naming Op; an
  // expression cannot overflow (its coefficients are checked when formed).
  template <fixed_string Op, dim_like A, dim_like B>
  static sym_int checked_mul(A a_, B b_) {
    const sym_int a = from(a_), b = from(b_);
    if (a.is_constant() && b.is_constant()) return fake::checked_mul<Op>(a.constant(), b.constant());
    return a * b;
  }
  template <fixed_string Op, dim_like A, dim_like B>
  static sym_int checked_add(A a_, B b_) {
    const sym_int a = from(a_), b = from(b_);
    if (a.is_constant() && b.is_constant()) return fake::checked_add<Op>(a.constant(), b.constant());
    return a + b;
  }
};

}  // namespace fake
