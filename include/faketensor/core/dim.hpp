// faketensor/core/dim.hpp — the three kinds of dim and their arithmetic.
//
// A dim is one of
//   * fake::c<N>      a static constant (an empty type, like CuTe's C<N>),
//   * std::int64_t    a dynamic value known at run time,
//   * fake::sym_int   a symbolic expression (joins later, through the same
//                     free functions and operators, found by ADL).
// Arithmetic and comparison of two statics stay static (c<2>{} * c<3>{} is c<6>,
// c<2>{} == c<3>{} is false_c); mixing a static with a dynamic value converts the
// static one and gives std::int64_t. Absorbing cases stay static where no value
// of the other side can change the result: c<0>{} * n is c<0>.
//
// Kernels are written once over `dim_like` values using these operators and the
// functions below (dim_max, dim_min, select, checked_mul, ...); they never ask
// which kind of dim they got. See Note [one kernel, three interpretations].
#pragma once

#include <concepts>     // std::integral, std::same_as
#include <cstdint>      // std::int64_t
#include <limits>       // std::numeric_limits
#include <type_traits>  // std::common_type_t, std::conditional_t

namespace fake {

// Note [one kernel, three interpretations]
// A meta kernel is a constexpr function template over dims. With static dims
// every value it computes is a type, so its result type *is* the answer and a
// failed check is a compile error (expect.hpp); with std::int64_t it is plain
// runtime code; with sym_int the same operators build expressions and the same
// checks record guards. Do not branch on the kind of dim inside a kernel: add a
// primitive here (or in shape/dim_algorithms.hpp) that all kinds implement.

// ---------------------------------------------------------------- static dims

template <std::int64_t N>
struct c {
  using value_type = std::int64_t;
  static constexpr std::int64_t value = N;
  constexpr operator std::int64_t() const noexcept { return N; }  // NOLINT: implicit by design
};

template <bool B>
struct bool_c {
  using value_type = bool;
  static constexpr bool value = B;
  constexpr operator bool() const noexcept { return B; }  // NOLINT: implicit by design
  constexpr bool_c<!B> operator!() const noexcept { return {}; }
};

using true_c = bool_c<true>;
using false_c = bool_c<false>;

// Marks a dynamic extent in fake::shape<8, fake::dyn, 768> (as std::dynamic_extent
// does for mdspan). No valid size, stride or offset has this value.
inline constexpr std::int64_t dyn = std::numeric_limits<std::int64_t>::min();

// ------------------------------------------------------------------- traits

template <class T>
struct is_static_dim : std::false_type {};
template <std::int64_t N>
struct is_static_dim<c<N>> : std::true_type {};
template <class T>
inline constexpr bool is_static_dim_v = is_static_dim<std::remove_cvref_t<T>>::value;

template <class T>
struct is_static_bool : std::false_type {};
template <bool B>
struct is_static_bool<bool_c<B>> : std::true_type {};
template <class T>
inline constexpr bool is_static_bool_v = is_static_bool<std::remove_cvref_t<T>>::value;

template <class T>
concept static_dim = is_static_dim_v<T>;

// Any integer but bool serves as a dynamic dim; results are std::int64_t.
template <class T>
concept dynamic_dim = std::integral<std::remove_cvref_t<T>> && !std::same_as<std::remove_cvref_t<T>, bool>;

// Extension point for further dim kinds (sym_int): specialize to true.
template <class T>
struct is_extra_dim : std::false_type {};

template <class T>
concept dim_like = static_dim<T> || dynamic_dim<T> || is_extra_dim<std::remove_cvref_t<T>>::value;

template <class T>
inline constexpr bool is_extra_dim_v = is_extra_dim<std::remove_cvref_t<T>>::value;

// What an extra dim kind provides to the generic functions below and to
// checked_mul/checked_add (expect.hpp), specialized next to the kind (sym.hpp):
//   from(d)                     any dim as that kind
//   max, min, floor_div, ceil_div(a, b)
//   checked_mul<Op>, checked_add<Op>(a, b)
template <class T>
struct extra_dim_traits;

namespace detail {
// The extra kind among A and B (at least one of them is one).
template <class A, class B>
using extra_dim_of = std::conditional_t<is_extra_dim_v<A>, std::remove_cvref_t<A>, std::remove_cvref_t<B>>;
}  // namespace detail

// Conditions on dims: bool, a static bool_c, or a further kind (sym_bool)
// that specializes is_extra_condition.
template <class T>
struct is_extra_condition : std::false_type {};

template <class T>
concept condition = std::same_as<std::remove_cvref_t<T>, bool> || is_static_bool_v<T> ||
                    is_extra_condition<std::remove_cvref_t<T>>::value;

// The value a static dim stands for, or fake::dyn for any other dim.
template <class T>
inline constexpr std::int64_t static_value_or_dyn = [] {
  if constexpr (is_static_dim_v<T>) return std::remove_cvref_t<T>::value;
  else return dyn;
}();

// ----------------------------------------------------- static ⊕ static stays static
// Overflow of a static result is ill-formed, so it is a compile error.

template <std::int64_t A>
constexpr c<-A> operator-(c<A>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr c<A + B> operator+(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr c<A - B> operator-(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr c<A * B> operator*(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
  requires(B != 0)
constexpr c<A / B> operator/(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
  requires(B != 0)
constexpr c<A % B> operator%(c<A>, c<B>) noexcept { return {}; }

// Absorbing: zero times anything is a static zero.
template <std::int64_t B>
constexpr c<0> operator*(c<0>, c<B>) noexcept { return {}; }
template <std::int64_t A>
constexpr c<0> operator*(c<A>, c<0>) noexcept { return {}; }
constexpr c<0> operator*(c<0>, c<0>) noexcept { return {}; }
template <dynamic_dim T>
constexpr c<0> operator*(c<0>, T) noexcept { return {}; }
template <dynamic_dim T>
constexpr c<0> operator*(T, c<0>) noexcept { return {}; }

template <std::int64_t A, std::int64_t B>
constexpr bool_c<A == B> operator==(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr bool_c<A != B> operator!=(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr bool_c<(A < B)> operator<(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr bool_c<(A <= B)> operator<=(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr bool_c<(A > B)> operator>(c<A>, c<B>) noexcept { return {}; }
template <std::int64_t A, std::int64_t B>
constexpr bool_c<(A >= B)> operator>=(c<A>, c<B>) noexcept { return {}; }

// Logic on static bools stays static; a static operand that decides the result
// absorbs a dynamic one (false_c && b is false_c). No short-circuit is needed:
// conditions on dims have no side effects.
template <bool A, bool B>
constexpr bool_c<A && B> operator&&(bool_c<A>, bool_c<B>) noexcept { return {}; }
template <bool A, bool B>
constexpr bool_c<A || B> operator||(bool_c<A>, bool_c<B>) noexcept { return {}; }
template <bool A>
constexpr auto operator&&(bool_c<A>, bool b) noexcept {
  if constexpr (A) return b;
  else return false_c{};
}
template <bool B>
constexpr auto operator&&(bool a, bool_c<B>) noexcept {
  if constexpr (B) return a;
  else return false_c{};
}
template <bool A>
constexpr auto operator||(bool_c<A>, bool b) noexcept {
  if constexpr (A) return true_c{};
  else return b;
}
template <bool B>
constexpr auto operator||(bool a, bool_c<B>) noexcept {
  if constexpr (B) return true_c{};
  else return a;
}

// ------------------------------------------------------------ generic functions

// The runtime value of any dim.
template <dim_like D>
constexpr std::int64_t to_int64(D d) noexcept {
  return static_cast<std::int64_t>(d);
}

// A dim as a stored value: statics stay statics, integers become std::int64_t.
template <dim_like D>
constexpr auto as_dim(D d) noexcept {
  if constexpr (static_dim<D> || is_extra_dim<D>::value) return d;
  else return static_cast<std::int64_t>(d);
}

template <dim_like A, dim_like B>
constexpr auto dim_max(A a, B b) noexcept {
  if constexpr (static_dim<A> && static_dim<B>) return c<(A::value > B::value ? A::value : B::value)>{};
  else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) return extra_dim_traits<detail::extra_dim_of<A, B>>::max(a, b);
  else return to_int64(a) > to_int64(b) ? to_int64(a) : to_int64(b);
}

template <dim_like A, dim_like B>
constexpr auto dim_min(A a, B b) noexcept {
  if constexpr (static_dim<A> && static_dim<B>) return c<(A::value < B::value ? A::value : B::value)>{};
  else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) return extra_dim_traits<detail::extra_dim_of<A, B>>::min(a, b);
  else return to_int64(a) < to_int64(b) ? to_int64(a) : to_int64(b);
}

// `cond ? a : b` for dims. A static condition chooses at compile time, so a and b
// may have different types (one static, one dynamic); a dynamic one gives int64.
template <condition Cond, dim_like A, dim_like B>
constexpr auto select(Cond cond, A a, B b) noexcept {
  if constexpr (is_static_bool_v<Cond>) {
    if constexpr (Cond::value) return as_dim(a);
    else return as_dim(b);
  } else if constexpr (std::same_as<A, B> && !dynamic_dim<A>) {
    return cond ? a : b;
  } else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) {
    using X = extra_dim_traits<detail::extra_dim_of<A, B>>;
    return cond ? X::from(a) : X::from(b);
  } else {
    return cond ? to_int64(a) : to_int64(b);
  }
}

// Floor division (Python's //), as shape arithmetic uses it.
template <dim_like A, dim_like B>
constexpr auto floor_div(A a, B b) {
  if constexpr (static_dim<A> && static_dim<B>) {
    static_assert(B::value != 0, "fake::floor_div: division by a static zero");
    constexpr std::int64_t q = A::value / B::value;
    constexpr bool adjust = (A::value % B::value != 0) && ((A::value < 0) != (B::value < 0));
    return c<(adjust ? q - 1 : q)>{};
  } else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) {
    return extra_dim_traits<detail::extra_dim_of<A, B>>::floor_div(a, b);
  } else {
    const std::int64_t x = to_int64(a), y = to_int64(b);
    const std::int64_t q = x / y;
    return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
  }
}

// Ceiling division of non-negative values.
template <dim_like A, dim_like B>
constexpr auto ceil_div(A a, B b) {
  if constexpr (static_dim<A> && static_dim<B>) {
    static_assert(B::value > 0 && A::value >= 0, "fake::ceil_div: needs a >= 0 and b > 0");
    return c<(A::value + B::value - 1) / B::value>{};
  } else if constexpr (is_extra_dim_v<A> || is_extra_dim_v<B>) {
    return extra_dim_traits<detail::extra_dim_of<A, B>>::ceil_div(a, b);
  } else {
    return (to_int64(a) + to_int64(b) - 1) / to_int64(b);
  }
}

namespace detail {

// Overflow-aware primitives on int64: they report overflow instead of invoking
// undefined behaviour. Compilers' __builtin_*_overflow is one instruction, but
// nvcc's front end cannot evaluate it in constant expressions nor use it in
// device code, so those paths take the portable comparison form.
constexpr bool portable_mul_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) noexcept {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  bool overflow = false;
  if (a > 0) overflow = b > 0 ? a > max / b : b < min / a;
  else if (a < 0) overflow = b > 0 ? a < min / b : (b != 0 && a < max / b);
  if (!overflow) *out = a * b;
  return overflow;
}
constexpr bool portable_add_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) noexcept {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  const bool overflow = b > 0 ? a > max - b : a < min - b;
  if (!overflow) *out = a + b;
  return overflow;
}

constexpr bool mul_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) noexcept {
#if defined(__CUDACC__)
  return portable_mul_overflows(a, b, out);
#else
  if (std::is_constant_evaluated()) return portable_mul_overflows(a, b, out);
  return __builtin_mul_overflow(a, b, out);
#endif
}
constexpr bool add_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) noexcept {
#if defined(__CUDACC__)
  return portable_add_overflows(a, b, out);
#else
  if (std::is_constant_evaluated()) return portable_add_overflows(a, b, out);
  return __builtin_add_overflow(a, b, out);
#endif
}

constexpr bool static_mul_overflows(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  return portable_mul_overflows(a, b, &r);
}
constexpr bool static_add_overflows(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  return portable_add_overflows(a, b, &r);
}

template <char... Cs>
consteval std::int64_t parse_dim_literal() {
  std::int64_t v = 0;
  for (char ch : {Cs...}) {
    if (ch == '\'') continue;
    if (ch < '0' || ch > '9') throw "fake::literals::_c takes a decimal integer literal";
    if (static_mul_overflows(v, 10) || static_add_overflows(v * 10, ch - '0'))
      throw "fake::literals::_c: value does not fit std::int64_t";
    v = v * 10 + (ch - '0');
  }
  return v;
}

}  // namespace detail

namespace literals {
// 8_c is fake::c<8>.
template <char... Cs>
consteval auto operator""_c() noexcept {
  return c<detail::parse_dim_literal<Cs...>()>{};
}
}  // namespace literals

}  // namespace fake
