// faketensor/core/scalar_value.hpp — one element of a constant tensor, and
// the cast of a number to a dtype as a real tensor stores it.
//
// Note [constant tensors] (meta/constant.hpp) keeps the values of small
// tensors. A scalar_value is exact for every real dtype: an integer is held as
// an int64 (not a double, which would lose int64s past 2^53), a floating value
// as a double, a bool as a bool. cast_to(dtype, v) gives what storing v in a
// tensor of that dtype keeps: integers wrap to their width, float32 / float16 /
// bfloat16 round to nearest even, bool is v != 0. Complex and the quantized
// and float8 dtypes have no scalar_value: constants of them are not kept.
#pragma once

#include <bit>       // std::bit_cast
#include <charconv>  // std::to_chars
#include <cmath>     // std::isnan, std::trunc, std::nearbyint
#include <cstdint>  // std::int64_t, std::uint16_t, std::uint32_t, std::uint64_t
#include <string>   // std::string

#include "faketensor/core/dtype.hpp"  // fake::dtype, fake::is_floating_point, fake::is_integral

namespace fake {

class scalar_value {
 public:
  enum class kind : std::uint8_t { boolean, integer, floating };

  constexpr scalar_value() noexcept = default;
  static constexpr scalar_value of(bool b) noexcept { return {kind::boolean, b ? 1 : 0, b ? 1.0 : 0.0}; }
  static constexpr scalar_value of(std::int64_t i) noexcept { return {kind::integer, i, static_cast<double>(i)}; }
  static constexpr scalar_value of(double d) noexcept { return {kind::floating, 0, d}; }

  [[nodiscard]] constexpr kind type() const noexcept { return kind_; }
  [[nodiscard]] constexpr bool is_floating() const noexcept { return kind_ == kind::floating; }
  [[nodiscard]] constexpr bool is_bool() const noexcept { return kind_ == kind::boolean; }
  // As a double (an integer past 2^53 rounds), as an int64 (a double
  // truncates toward zero; NaN and out-of-range doubles give 0), as a bool.
  [[nodiscard]] constexpr double to_double() const noexcept { return kind_ == kind::floating ? d_ : static_cast<double>(i_); }
  [[nodiscard]] std::int64_t to_int() const noexcept {
    if (kind_ != kind::floating) return i_;
    if (std::isnan(d_) || d_ >= 9.2233720368547758e18 || d_ < -9.2233720368547758e18) return 0;
    return static_cast<std::int64_t>(std::trunc(d_));
  }
  [[nodiscard]] constexpr bool to_bool() const noexcept { return kind_ == kind::floating ? d_ != 0 : i_ != 0; }

  friend constexpr bool operator==(const scalar_value& a, const scalar_value& b) noexcept {
    if (a.kind_ != b.kind_) return false;
    return a.kind_ == kind::floating ? a.d_ == b.d_ || (a.d_ != a.d_ && b.d_ != b.d_) : a.i_ == b.i_;
  }

 private:
  constexpr scalar_value(kind k, std::int64_t i, double d) noexcept : kind_(k), i_(i), d_(d) {}
  kind kind_ = kind::integer;
  std::int64_t i_ = 0;
  double d_ = 0;
};

// "2", "0.5", "True": as Python prints the number.
inline std::string to_string(const scalar_value& v) {
  switch (v.type()) {
    case scalar_value::kind::boolean: return v.to_bool() ? "True" : "False";
    case scalar_value::kind::integer: return std::to_string(v.to_int());
    case scalar_value::kind::floating: break;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v.to_double());  // shortest round trip, as Python's repr
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // 2.0, not 2
  return s;
}

namespace detail {

// The float an IEEE half's bits hold.
inline float half_to_float(std::uint16_t h) noexcept {
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  const std::uint32_t mant = h & 0x3ffu;
  float out;
  if (exp == 0x1fu) out = std::bit_cast<float>(0x7f800000u | (mant << 13));
  else if (exp == 0) out = static_cast<float>(mant) / 16777216.0f;
  else out = std::bit_cast<float>(((exp + 112u) << 23) | (mant << 13));
  return (h & 0x8000u) != 0 ? -out : out;
}

// float -> the nearest float16 (round to nearest even) -> float.
inline float round_to_half(float f) noexcept {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t sign = x & 0x80000000u;
  const std::uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) return f;  // inf, nan
  std::uint32_t h;                   // the half's bits without the sign
  if (abs >= 0x477ff000u) {          // rounds past 65504: inf
    h = 0x7c00u;
  } else if (abs < 0x38800000u) {  // below 2^-14: a half subnormal (or zero), in units of 2^-24
    const float scaled = std::bit_cast<float>(abs) * 16777216.0f;  // exact: a power of two
    h = static_cast<std::uint32_t>(std::nearbyint(scaled));         // the default rounding mode: to nearest even
  } else {
    const std::uint32_t mant_shifted = abs - 0x38000000u;  // rebias the exponent (127 - 15) << 23
    const std::uint32_t round = 0xfffu + ((mant_shifted >> 13) & 1u);
    h = (mant_shifted + round) >> 13;
  }
  return half_to_float(static_cast<std::uint16_t>(h | (sign >> 16)));
}

// float -> the nearest bfloat16 (round to nearest even, as c10::BFloat16) -> float.
inline float round_to_bfloat16(float f) noexcept {
  if (std::isnan(f)) return f;
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t rounded = (x + 0x7fffu + ((x >> 16) & 1u)) & 0xffff0000u;
  return std::bit_cast<float>(rounded);
}

}  // namespace detail

// Whether a constant of this dtype can be kept (a real, non-quantized dtype).
constexpr bool has_scalar_values(dtype d) {
  return d == dtype::bool_ || d == dtype::float16 || d == dtype::bfloat16 || d == dtype::float32 || d == dtype::float64 ||
         d == dtype::uint8 || d == dtype::int8 || d == dtype::int16 || d == dtype::int32 || d == dtype::int64;
}

// v stored in a tensor of dtype d (has_scalar_values(d)), as c10's
// static_cast conversions do: a double to an integer type truncates and wraps.
inline scalar_value cast_to(dtype d, const scalar_value& v) {
  const auto wrap = [&](unsigned bits, bool is_signed) {
    // two's complement wrap without signed overflow
    const auto u = static_cast<std::uint64_t>(v.is_floating() ? v.to_int() : v.to_int());
    const std::uint64_t mask = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    std::uint64_t w = u & mask;
    if (is_signed && bits < 64 && (w >> (bits - 1)) != 0) w |= ~mask;
    return scalar_value::of(static_cast<std::int64_t>(w));
  };
  switch (d) {
    case dtype::bool_: return scalar_value::of(v.to_bool());
    case dtype::uint8: return wrap(8, false);
    case dtype::int8: return wrap(8, true);
    case dtype::int16: return wrap(16, true);
    case dtype::int32: return wrap(32, true);
    case dtype::int64: return wrap(64, true);
    case dtype::float64: return scalar_value::of(v.to_double());
    case dtype::float32: return scalar_value::of(static_cast<double>(static_cast<float>(v.to_double())));
    case dtype::float16:
      return scalar_value::of(static_cast<double>(detail::round_to_half(static_cast<float>(v.to_double()))));
    case dtype::bfloat16:
      return scalar_value::of(static_cast<double>(detail::round_to_bfloat16(static_cast<float>(v.to_double()))));
    default: break;
  }
  return v;  // not reached for dtypes with scalar values
}

}  // namespace fake
