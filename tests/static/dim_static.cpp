// Static facts about dims: arithmetic on statics stays static, mixing gives
// std::int64_t, absorbing cases stay static, literals, traits.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "faketensor/core/dim.hpp"
#include "faketensor/core/expect.hpp"
#include "faketensor/core/sym.hpp"

namespace {
using namespace fake;
using namespace fake::literals;

template <class A, class B>
inline constexpr bool same = std::is_same_v<std::remove_cvref_t<A>, B>;

// static op static stays static
static_assert(same<decltype(c<2>{} * c<3>{}), c<6>>);
static_assert(same<decltype(c<2>{} + c<3>{}), c<5>>);
static_assert(same<decltype(c<2>{} - c<3>{}), c<-1>>);
static_assert(same<decltype(c<7>{} / c<2>{}), c<3>>);
static_assert(same<decltype(c<7>{} % c<2>{}), c<1>>);
static_assert(same<decltype(-c<4>{}), c<-4>>);
static_assert(same<decltype(dim_max(c<2>{}, c<9>{})), c<9>>);
static_assert(same<decltype(dim_min(c<2>{}, c<9>{})), c<2>>);
static_assert(same<decltype(floor_div(c<-7>{}, c<2>{})), c<-4>>);
static_assert(same<decltype(ceil_div(c<7>{}, c<2>{})), c<4>>);

// comparisons of statics are static bools; logic on them stays static
static_assert(same<decltype(c<2>{} == c<2>{}), true_c>);
static_assert(same<decltype(c<2>{} < c<1>{}), false_c>);
static_assert(same<decltype((c<2>{} == c<2>{}) && (c<1>{} < c<3>{})), true_c>);
static_assert(same<decltype(!(c<2>{} == c<2>{})), false_c>);

// mixing with a runtime value gives runtime values
constexpr std::int64_t n = 5;
static_assert(same<decltype(c<2>{} * n), std::int64_t>);
static_assert(same<decltype(n + c<2>{}), std::int64_t>);
static_assert(same<decltype(dim_max(c<2>{}, n)), std::int64_t>);
static_assert(same<decltype(c<2>{} == n), bool>);
static_assert(c<2>{} * n == 10);

// absorbing cases stay static
static_assert(same<decltype(c<0>{} * n), c<0>>);
static_assert(same<decltype(n * c<0>{}), c<0>>);
static_assert(same<decltype(false_c{} && (n == 5)), false_c>);
static_assert(same<decltype((n == 5) || true_c{}), true_c>);
static_assert(same<decltype(true_c{} && (n == 5)), bool>);

// select on a static condition may change the type; on a runtime one it is int64
static_assert(same<decltype(select(true_c{}, c<3>{}, n)), c<3>>);
static_assert(same<decltype(select(false_c{}, c<3>{}, n)), std::int64_t>);
static_assert(same<decltype(select(n > 2, c<3>{}, c<4>{})), std::int64_t>);

// checked arithmetic: static stays static, overflow is a compile error (see
// tests/compile_fail), runtime stays runtime
static_assert(same<decltype(checked_mul<"t">(c<1'000'000>{}, c<1'000'000>{})), c<1'000'000'000'000>>);
static_assert(same<decltype(checked_mul<"t">(c<0>{}, n)), c<0>>);
static_assert(checked_mul<"t">(c<3>{}, n) == 15);

// literals
static_assert(same<decltype(8_c), c<8>>);
static_assert(same<decltype(1'024_c), c<1024>>);

// traits
static_assert(static_dim<c<3>> && !static_dim<std::int64_t>);
static_assert(dynamic_dim<std::int64_t> && dynamic_dim<int> && !dynamic_dim<bool>);
static_assert(dim_like<c<3>> && dim_like<std::int64_t> && !dim_like<double>);
static_assert(static_value_or_dyn<c<3>> == 3 && static_value_or_dyn<std::int64_t> == dyn);
static_assert(std::is_empty_v<c<3>> && std::is_empty_v<true_c>);
}  // namespace

// The portable overflow checks used in constant evaluation and under nvcc.
namespace {
constexpr std::int64_t max64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t min64 = std::numeric_limits<std::int64_t>::min();
static_assert(fake::detail::static_mul_overflows(min64, -1));
static_assert(fake::detail::static_mul_overflows(-1, min64));
static_assert(!fake::detail::static_mul_overflows(min64, 1));
static_assert(fake::detail::static_mul_overflows(std::int64_t{1} << 32, std::int64_t{1} << 31));
static_assert(!fake::detail::static_mul_overflows(std::int64_t{1} << 31, std::int64_t{1} << 31));
static_assert(!fake::detail::static_mul_overflows(-(std::int64_t{1} << 32), std::int64_t{1} << 31));
static_assert(fake::detail::static_mul_overflows(-(std::int64_t{1} << 32), -(std::int64_t{1} << 31)));
static_assert(fake::detail::static_add_overflows(max64, 1) && fake::detail::static_add_overflows(min64, -1));
static_assert(!fake::detail::static_add_overflows(max64, min64));
}  // namespace

// sym_int is the third kind of dim: a trivially copyable handle, usable in
// constant expressions while it holds a constant, and the kind the generic
// functions return once a symbolic dim is involved.
namespace {
using fake::sym_int;
static_assert(fake::dim_like<sym_int> && fake::is_extra_dim_v<sym_int> && !fake::dynamic_dim<sym_int>);
static_assert(fake::condition<fake::sym_bool>);
static_assert(std::is_trivially_copyable_v<sym_int> && std::is_trivially_copyable_v<fake::sym_bool>);
static_assert(sizeof(sym_int) == 16);
static_assert(sym_int(768).constant() == 768 && sym_int(768).is_constant() && sym_int(3).same_as(sym_int(3)));
static_assert(!sym_int(3).same_as(sym_int(4)));
static_assert(std::is_same_v<decltype(fake::dim_max(sym_int{}, c<1>{})), sym_int>);
static_assert(std::is_same_v<decltype(fake::select(true, sym_int{}, std::int64_t{2})), sym_int>);
static_assert(std::is_same_v<decltype(fake::floor_div(std::int64_t{8}, sym_int{})), sym_int>);
static_assert(std::is_same_v<decltype(fake::checked_mul<"numel">(c<768>{}, sym_int{})), sym_int>);
static_assert(std::is_same_v<decltype(sym_int{} * c<2>{} + 1), sym_int>);
static_assert(std::is_same_v<decltype(sym_int{} == c<1>{}), fake::sym_bool>);
// a static pair stays static even where sym_int is in scope
static_assert(std::is_same_v<decltype(c<2>{} * c<3>{}), c<6>>);
// a sym_int converts to an integer only explicitly (that conversion guards)
static_assert(!std::is_convertible_v<sym_int, std::int64_t> && std::is_constructible_v<std::int64_t, sym_int>);
}  // namespace
