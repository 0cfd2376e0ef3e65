// faketensor/core/dtype.hpp — dtypes, their properties and type promotion.
//
// fake::dtype is the runtime enum, numbered like c10::ScalarType so it converts
// to and from ATen and DLPack code by value. fake::f32, fake::bf16, ... are typed
// tags (fake::dtype_c<D>): empty objects whose type carries the dtype, so
// promotion of two tags is computed at compile time, and a tag converts to the
// enum wherever a runtime dtype is expected.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::int8_t, std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "faketensor/core/error.hpp"   // fake::dtype_error
#include "faketensor/core/expect.hpp"  // fake::fail

namespace fake {

// Values are c10::ScalarType's (PyTorch 1.13 numbering, float8 from 2.1).
enum class dtype : std::int8_t {
  uint8 = 0,
  int8 = 1,
  int16 = 2,
  int32 = 3,
  int64 = 4,
  float16 = 5,
  float32 = 6,
  float64 = 7,
  complex32 = 8,
  complex64 = 9,
  complex128 = 10,
  bool_ = 11,
  qint8 = 12,
  quint8 = 13,
  qint32 = 14,
  bfloat16 = 15,
  quint4x2 = 16,
  quint2x4 = 17,
  float8_e5m2 = 23,
  float8_e4m3fn = 24,
};

namespace detail {

struct dtype_info {
  dtype value;
  std::string_view name;      // as PyTorch prints it after "torch."
  std::string_view c10_name;  // c10::toString, used in ATen's error messages
  std::int64_t itemsize;
  bool is_floating_point;
  bool is_complex;
  bool is_signed;
  bool is_quantized;
};

inline constexpr std::array<dtype_info, 20> dtype_table{{
    {dtype::uint8, "uint8", "Byte", 1, false, false, false, false},
    {dtype::int8, "int8", "Char", 1, false, false, true, false},
    {dtype::int16, "int16", "Short", 2, false, false, true, false},
    {dtype::int32, "int32", "Int", 4, false, false, true, false},
    {dtype::int64, "int64", "Long", 8, false, false, true, false},
    {dtype::float16, "float16", "Half", 2, true, false, true, false},
    {dtype::float32, "float32", "Float", 4, true, false, true, false},
    {dtype::float64, "float64", "Double", 8, true, false, true, false},
    {dtype::complex32, "complex32", "ComplexHalf", 4, false, true, true, false},
    {dtype::complex64, "complex64", "ComplexFloat", 8, false, true, true, false},
    {dtype::complex128, "complex128", "ComplexDouble", 16, false, true, true, false},
    {dtype::bool_, "bool", "Bool", 1, false, false, false, false},
    {dtype::qint8, "qint8", "QInt8", 1, false, false, true, true},
    {dtype::quint8, "quint8", "QUInt8", 1, false, false, false, true},
    {dtype::qint32, "qint32", "QInt32", 4, false, false, true, true},
    {dtype::bfloat16, "bfloat16", "BFloat16", 2, true, false, true, false},
    {dtype::quint4x2, "quint4x2", "QUInt4x2", 1, false, false, false, true},
    {dtype::quint2x4, "quint2x4", "QUInt2x4", 1, false, false, false, true},
    {dtype::float8_e5m2, "float8_e5m2", "Float8_e5m2", 1, true, false, true, false},
    {dtype::float8_e4m3fn, "float8_e4m3fn", "Float8_e4m3fn", 1, true, false, true, false},
}};

// dtype value -> its row in dtype_table (-1: no such dtype): every dtype query
// on a kernel's hot path is one bounds check and two loads.
inline constexpr std::size_t dtype_slots = 25;  // the largest c10 value in use is 24
inline constexpr std::array<std::int8_t, dtype_slots> dtype_slot = [] {
  std::array<std::int8_t, dtype_slots> slot{};
  slot.fill(-1);
  for (std::size_t i = 0; i < dtype_table.size(); ++i)
    slot[static_cast<std::size_t>(dtype_table[i].value)] = static_cast<std::int8_t>(i);
  return slot;
}();

constexpr const dtype_info* find_dtype_info(dtype d) noexcept {
  const auto v = static_cast<std::size_t>(static_cast<std::uint8_t>(d));
  if (v >= dtype_slots || dtype_slot[v] < 0) return nullptr;
  return &dtype_table[static_cast<std::size_t>(dtype_slot[v])];
}

constexpr const dtype_info& info_of(dtype d) {
  const dtype_info* info = find_dtype_info(d);
  if (info == nullptr) fail<value_error, "dtype", "invalid dtype value {}">(static_cast<int>(d));
  return *info;
}

}  // namespace detail

// Every dtype, in c10 order.
inline constexpr std::array<dtype, 20> all_dtypes = [] {
  std::array<dtype, 20> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = detail::dtype_table[i].value;
  return out;
}();

constexpr std::string_view name(dtype d) { return detail::info_of(d).name; }
constexpr bool is_quantized(dtype d) { return detail::info_of(d).is_quantized; }
constexpr std::string_view c10_name(dtype d) { return detail::info_of(d).c10_name; }
constexpr std::int64_t itemsize(dtype d) { return detail::info_of(d).itemsize; }
constexpr bool is_floating_point(dtype d) { return detail::info_of(d).is_floating_point; }
constexpr bool is_complex(dtype d) { return detail::info_of(d).is_complex; }
constexpr bool is_signed(dtype d) {
  if (is_quantized(d)) fail<dtype_error, "is_signed", "isSignedType not supported for quantized types">();
  return detail::info_of(d).is_signed;
}
constexpr bool is_float8(dtype d) { return d == dtype::float8_e5m2 || d == dtype::float8_e4m3fn; }
// Integral in PyTorch's sense; bool counts only when include_bool.
constexpr bool is_integral(dtype d, bool include_bool = false) {
  if (d == dtype::bool_) return include_bool;
  return !is_floating_point(d) && !is_complex(d) && !is_quantized(d);
}

// "torch.float32", as Python prints a dtype.
inline std::string to_string(dtype d) { return "torch." + std::string(name(d)); }

// Parses a dtype name: "float32", "torch.float32", and PyTorch's aliases
// (float, double, half, long, int, short, cfloat, cdouble, chalf).
constexpr std::optional<dtype> parse_dtype(std::string_view s) noexcept {
  if (s.starts_with("torch.")) s.remove_prefix(6);
  for (const auto& info : detail::dtype_table)
    if (info.name == s) return info.value;
  constexpr std::pair<std::string_view, dtype> aliases[] = {
      {"float", dtype::float32},     {"double", dtype::float64},   {"half", dtype::float16},
      {"long", dtype::int64},        {"int", dtype::int32},        {"short", dtype::int16},
      {"cfloat", dtype::complex64},  {"cdouble", dtype::complex128}, {"chalf", dtype::complex32},
  };
  for (const auto& [alias, d] : aliases)
    if (alias == s) return d;
  return std::nullopt;
}

// The complex dtype whose components have dtype d (float32 -> complex64), and back.
constexpr dtype to_complex(dtype d) {
  switch (d) {
    case dtype::float16: return dtype::complex32;
    case dtype::bfloat16: return dtype::complex64;  // as c10: bfloat16 has float32's range
    case dtype::float32: return dtype::complex64;
    case dtype::float64: return dtype::complex128;
    case dtype::complex32: case dtype::complex64: case dtype::complex128: return d;
    default: fail<dtype_error, "to_complex", "no complex counterpart for {}">(d);
  }
}
constexpr dtype to_real(dtype d) {
  switch (d) {
    case dtype::complex32: return dtype::float16;
    case dtype::complex64: return dtype::float32;
    case dtype::complex128: return dtype::float64;
    default: return d;
  }
}

// -------------------------------------------------------------- promote_types
// Note [type promotion rule]
// c10 keeps promoteTypes as a 16x16 lookup table; the table is the closure of a
// few rules, which is what we write down (the full pair table generated from
// PyTorch 1.13 is tests/data/core_tables.json and is checked in the tests):
//   * equal dtypes promote to themselves; bool promotes to the other dtype;
//   * quantized dtypes promote only to themselves (an error otherwise), and so do
//     the float8 dtypes (PyTorch >= 2.1: "Promotion for Float8 Types is not
//     supported");
//   * integers: the wider one wins; uint8 with a signed integer needs a sign bit,
//     so uint8 + int8 is int16 and uint8 + intN (N >= 16) is intN;
//   * an integer with a floating or complex dtype gives that dtype;
//   * float16 + bfloat16 is float32; otherwise the wider floating dtype wins;
//   * floating with complex: the complex dtype whose components are the
//     promotion of the floating dtype and the complex's component dtype.
namespace detail {

constexpr int integer_rank(dtype d) {  // bits; uint8 handled by the caller
  switch (d) {
    case dtype::int8: case dtype::uint8: return 8;
    case dtype::int16: return 16;
    case dtype::int32: return 32;
    default: return 64;
  }
}

constexpr dtype promote_floating(dtype a, dtype b) {
  if (a == b) return a;
  if ((a == dtype::float16 && b == dtype::bfloat16) || (a == dtype::bfloat16 && b == dtype::float16))
    return dtype::float32;
  return itemsize(a) >= itemsize(b) ? a : b;
}

}  // namespace detail

constexpr dtype promote_types(dtype a, dtype b) {
  if (a == b) return a;
  if (is_quantized(a) || is_quantized(b))
    fail<dtype_error, "promote_types",
         "promoteTypes with quantized numbers is not handled yet; figure out what the correct rules "
         "should be, offending types: {} {}">(c10_name(a), c10_name(b));
  if (is_float8(a) || is_float8(b))
    fail<dtype_error, "promote_types", "Promotion for Float8 Types is not supported, attempted to promote {} and {}">(
        c10_name(a), c10_name(b));
  if (a == dtype::bool_) return b;
  if (b == dtype::bool_) return a;
  if (is_complex(a) || is_complex(b)) {
    const dtype ra = to_real(a), rb = to_real(b);
    if (is_integral(ra)) return is_complex(b) ? b : a;  // int with complex
    if (is_integral(rb)) return is_complex(a) ? a : b;
    return to_complex(detail::promote_floating(ra, rb));
  }
  if (is_floating_point(a) || is_floating_point(b)) {
    if (!is_floating_point(a)) return b;
    if (!is_floating_point(b)) return a;
    return detail::promote_floating(a, b);
  }
  // Both integers, different.
  if (a == dtype::uint8 || b == dtype::uint8) {
    const dtype other = a == dtype::uint8 ? b : a;
    return other == dtype::int8 ? dtype::int16 : other;
  }
  return detail::integer_rank(a) >= detail::integer_rank(b) ? a : b;
}

// --------------------------------------------------------------- typed tags

template <dtype D>
struct dtype_c {
  static constexpr dtype value = D;
  constexpr operator dtype() const noexcept { return D; }  // NOLINT: implicit by design
};

template <class T>
struct is_static_dtype : std::false_type {};
template <dtype D>
struct is_static_dtype<dtype_c<D>> : std::true_type {};
template <class T>
inline constexpr bool is_static_dtype_v = is_static_dtype<std::remove_cvref_t<T>>::value;

template <dtype A, dtype B>
constexpr bool_c<A == B> operator==(dtype_c<A>, dtype_c<B>) noexcept { return {}; }

// c10::canCast: whether an op computing in `from` may write its result into a
// tensor of dtype `to` (in-place and out= variants): never complex -> non-complex,
// floating -> integral, or anything but bool -> bool.
constexpr bool can_cast(dtype from, dtype to) {
  if (is_complex(from) && !is_complex(to)) return false;
  if (is_floating_point(from) && is_integral(to, false)) return false;
  if (from != dtype::bool_ && to == dtype::bool_) return false;
  return true;
}

// Promotion of two tags is a tag: computed, and checked, at compile time.
template <dtype A, dtype B>
constexpr auto promote_types(dtype_c<A>, dtype_c<B>) {
  constexpr bool ok = A == B || !(is_quantized(A) || is_quantized(B) || is_float8(A) || is_float8(B));
  expect<dtype_error, "promote_types", "cannot promote {} with {} (quantized and float8 dtypes only promote to themselves)">(
      bool_c<ok>{}, dtype_c<A>{}, dtype_c<B>{});
  if constexpr (ok) return dtype_c<promote_types(A, B)>{};
  else return dtype_c<A>{};
}

inline constexpr dtype_c<dtype::bool_> b8{};
inline constexpr dtype_c<dtype::uint8> u8{};
inline constexpr dtype_c<dtype::int8> i8{};
inline constexpr dtype_c<dtype::int16> i16{};
inline constexpr dtype_c<dtype::int32> i32{};
inline constexpr dtype_c<dtype::int64> i64{};
inline constexpr dtype_c<dtype::float16> f16{};
inline constexpr dtype_c<dtype::bfloat16> bf16{};
inline constexpr dtype_c<dtype::float32> f32{};
inline constexpr dtype_c<dtype::float64> f64{};
inline constexpr dtype_c<dtype::complex32> c32{};
inline constexpr dtype_c<dtype::complex64> c64{};
inline constexpr dtype_c<dtype::complex128> c128{};
inline constexpr dtype_c<dtype::float8_e4m3fn> f8e4m3fn{};
inline constexpr dtype_c<dtype::float8_e5m2> f8e5m2{};

}  // namespace fake
