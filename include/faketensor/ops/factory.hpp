// faketensor/ops/factory.hpp — meta kernels of the factory ops: empty,
// empty_strided, zeros, ones, full, scalar_tensor, arange, linspace, eye,
// rand, randn, randint, the *_like factories and the new_* methods.
//
// A factory's output is a new contiguous tensor (or one strided for the
// requested memory format); what there is to compute is its size (arange,
// linspace, eye), its dtype (the inference rules below) and its device (the
// `device` argument, default cpu; the input's for *_like and new_*).
#pragma once

#include <cmath>     // std::ceil, std::isfinite
#include <cstdint>   // std::int64_t
#include <limits>    // std::numeric_limits
#include <optional>  // std::optional
#include <type_traits>  // std::is_same_v

#include "faketensor/core/device.hpp"       // fake::device
#include "faketensor/core/dtype.hpp"        // fake::dtype, fake::is_floating_point, fake::c10_name
#include "faketensor/core/error.hpp"        // fake::shape_error, fake::dtype_error, fake::value_error
#include "faketensor/core/expect.hpp"       // fake::expect, fake::fail
#include "faketensor/core/layout.hpp"       // fake::memory_format
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc, fake::empty, fake::empty_strided
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::allocate, fake::like_strides
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides, fake::strides_for

namespace fake {

// A Scalar argument of a factory: its kind decides dtype inference (a bool is
// integral for arange, bool for full), its value the sizes of arange.
struct factory_scalar {
  enum class kind : std::uint8_t { boolean, integral, floating };
  kind k = kind::integral;
  std::int64_t i = 0;
  double d = 0.0;

  constexpr factory_scalar() = default;
  constexpr factory_scalar(bool b) noexcept : k(kind::boolean), i(b ? 1 : 0), d(b ? 1.0 : 0.0) {}  // NOLINT: implicit
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  constexpr factory_scalar(I v) noexcept : k(kind::integral), i(static_cast<std::int64_t>(v)), d(static_cast<double>(v)) {}  // NOLINT
  constexpr factory_scalar(double v) noexcept : k(kind::floating), i(0), d(v) {}  // NOLINT
  [[nodiscard]] constexpr bool is_integral() const noexcept { return k != kind::floating; }  // bools count as integral
  [[nodiscard]] constexpr double to_double() const noexcept { return k == kind::floating ? d : static_cast<double>(i); }
  // Scalar::to<int64_t>: a float truncates toward zero; out of range is an error.
  [[nodiscard]] std::int64_t to_int64() const {
    if (k != kind::floating) return i;
    expect<value_error, "Scalar", "value cannot be converted to type int64_t without overflow">(
        std::isfinite(d) && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18);
    return static_cast<std::int64_t>(d);
  }
};

// The default dtype (torch.get_default_dtype(); float32 unless changed).
inline constexpr dtype default_float_dtype = dtype::float32;

namespace detail {
constexpr void check_factory_sizes(const dim_vector& sizes) {
  for (std::int64_t s : sizes)
    expect<shape_error, "empty", "Trying to create tensor with negative dimension {}: {}">(s >= 0, s, sizes);
}
inline tensor_desc new_tensor(const dim_vector& sizes, dtype dt, device dev, memory_format format = memory_format::contiguous_format) {
  check_factory_sizes(sizes);
  expect<value_error, "empty", "unsupported memory format Preserve">(format != memory_format::preserve_format);
  return allocate(out_meta{sizes, strides_for(sizes, format), dt, dev});
}
}  // namespace detail

// ------------------------------------------------------- plain factories ---

// empty.memory_format: contiguous or in `format` (preserve_format is refused).
inline tensor_desc empty_memory_format(const dim_vector& sizes, std::optional<dtype> dt = {}, std::optional<device> dev = {},
                                       std::optional<memory_format> format = {}) {
  return detail::new_tensor(sizes, dt.value_or(default_float_dtype), dev.value_or(device{}),
                            format.value_or(memory_format::contiguous_format));
}
inline tensor_desc zeros(const dim_vector& sizes, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return detail::new_tensor(sizes, dt.value_or(default_float_dtype), dev.value_or(device{}));
}
inline tensor_desc ones(const dim_vector& sizes, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return detail::new_tensor(sizes, dt.value_or(default_float_dtype), dev.value_or(device{}));
}

// full's dtype when none is given (infer_full_options, 1.13): bool for a bool
// fill value, int64 for an integer, the default dtype for a float.
constexpr dtype full_dtype(const factory_scalar& fill, std::optional<dtype> dt) {
  if (dt) return *dt;
  if (fill.k == factory_scalar::kind::boolean) return dtype::bool_;
  if (fill.k == factory_scalar::kind::integral) return dtype::int64;
  return default_float_dtype;
}
inline tensor_desc full(const dim_vector& sizes, factory_scalar fill, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return detail::new_tensor(sizes, full_dtype(fill, dt), dev.value_or(device{}));
}

// scalar_tensor: 0-dim, the default dtype whatever the scalar's kind.
inline tensor_desc scalar_tensor(factory_scalar /*s*/, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return detail::new_tensor({}, dt.value_or(default_float_dtype), dev.value_or(device{}));
}

// ---------------------------------------------------------------- arange ---

// arange's dtype: int64 when no dtype is given and start, end, step are all
// integral (bools count), else the default dtype.
constexpr dtype arange_dtype(const factory_scalar& start, const factory_scalar& end, const factory_scalar& step,
                             std::optional<dtype> dt) {
  if (dt) return *dt;
  return start.is_integral() && end.is_integral() && step.is_integral() ? dtype::int64 : default_float_dtype;
}

// The length of arange(start, end, step) in dtype `dt` (1.13's arange_out,
// CPU): integral dtypes convert the bounds to int64 first (truncating floats);
// int64 divides those, the narrower ones divide the unconverted bounds; the
// size is ceil((end - start) / step). Errors: bool/complex dtypes, a zero step
// (after conversion), non-finite bounds, a step of the wrong sign.
inline std::int64_t arange_size(const factory_scalar& start, const factory_scalar& end, const factory_scalar& step, dtype dt) {
  expect<dtype_error, "arange", "\"arange_cpu\" not implemented for '{}'">(
      dt != dtype::bool_ && !is_complex(dt) && !is_quantized(dt), c10_name(dt));
  double size_d = 0;
  double xs = 0, xe = 0, xst = 0;
  if (is_integral(dt)) {
    const std::int64_t s = start.to_int64(), e = end.to_int64(), p = step.to_int64();
    xs = static_cast<double>(s);
    xe = static_cast<double>(e);
    xst = static_cast<double>(p);
    if (dt == dtype::int64) size_d = std::ceil((xe - xs) / xst);
    else size_d = std::ceil((end.to_double() - start.to_double()) / step.to_double());
  } else {
    xs = start.to_double();
    xe = end.to_double();
    xst = step.to_double();
    size_d = std::ceil((xe - xs) / xst);
  }
  expect<value_error, "arange", "step must be nonzero">(xst > 0 || xst < 0);
  expect<value_error, "arange", "unsupported range: {} -> {}">(std::isfinite(xs) && std::isfinite(xe), start.to_double(),
                                                               end.to_double());
  expect<value_error, "arange", "upper bound and larger bound inconsistent with step sign">((xst > 0 && xe >= xs) ||
                                                                                          (xst < 0 && xe <= xs));
  expect<value_error, "arange", "invalid size, possible overflow?">(size_d >= 0 && size_d <= 9.2233720368547758e18);
  return static_cast<std::int64_t>(size_d);
}

inline tensor_desc arange(factory_scalar start, factory_scalar end, factory_scalar step = std::int64_t{1},
                          std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  const dtype d = arange_dtype(start, end, step, dt);
  return detail::new_tensor({arange_size(start, end, step, d)}, d, dev.value_or(device{}));
}
inline tensor_desc arange(factory_scalar end, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return arange(std::int64_t{0}, end, std::int64_t{1}, dt, dev);
}
// arange.start_out: out is resized to the length (1-d, contiguous).
inline tensor_desc arange_out(factory_scalar start, factory_scalar end, factory_scalar step, const tensor_desc& out) {
  const std::int64_t n = arange_size(start, end, step, out.dtype());
  return resize_out<"arange">(out, out_meta{dim_vector{n}, dim_vector{1}, out.dtype(), out.device()});
}

// ------------------------------------------------------- linspace, eye ----

inline tensor_desc linspace(factory_scalar /*start*/, factory_scalar /*end*/, std::int64_t steps, std::optional<dtype> dt = {},
                            std::optional<device> dev = {}) {
  expect<value_error, "linspace", "number of steps must be non-negative">(steps >= 0);
  return detail::new_tensor({steps}, dt.value_or(default_float_dtype), dev.value_or(device{}));
}
inline tensor_desc eye(std::int64_t n, std::optional<std::int64_t> m = {}, std::optional<dtype> dt = {},
                       std::optional<device> dev = {}) {
  expect<value_error, "eye", "n must be greater or equal to 0, got {}">(n >= 0, n);
  const std::int64_t cols = m.value_or(n);
  expect<value_error, "eye", "m must be greater or equal to 0, got {}">(cols >= 0, cols);
  return detail::new_tensor({n, cols}, dt.value_or(default_float_dtype), dev.value_or(device{}));
}

// ---------------------------------------------------------------- random ---

// rand/rand_like need a floating or complex dtype (uniform_), randn/randn_like
// too (normal_); randint takes any but needs low < high.
constexpr void check_rand_dtype(dtype dt) {
  expect<dtype_error, "rand", "\"check_uniform_bounds\" not implemented for '{}'">(is_floating_point(dt) || is_complex(dt),
                                                                                   c10_name(dt));
}
constexpr void check_randn_dtype(dtype dt) {
  expect<dtype_error, "randn", "\"normal_kernel_cpu\" not implemented for '{}'">(is_floating_point(dt) || is_complex(dt),
                                                                               c10_name(dt));
}
inline tensor_desc rand(const dim_vector& sizes, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  const dtype d = dt.value_or(default_float_dtype);
  detail::check_factory_sizes(sizes);
  check_rand_dtype(d);
  return detail::new_tensor(sizes, d, dev.value_or(device{}));
}
inline tensor_desc randn(const dim_vector& sizes, std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  const dtype d = dt.value_or(default_float_dtype);
  detail::check_factory_sizes(sizes);
  check_randn_dtype(d);
  return detail::new_tensor(sizes, d, dev.value_or(device{}));
}
inline tensor_desc randint(std::int64_t low, std::int64_t high, const dim_vector& sizes, std::optional<dtype> dt = {},
                           std::optional<device> dev = {}) {
  detail::check_factory_sizes(sizes);
  expect<value_error, "randint", "random_ expects 'from' to be less than 'to', but got from={} >= to={}">(low < high, low, high);
  return detail::new_tensor(sizes, dt.value_or(dtype::int64), dev.value_or(device{}));
}

// ----------------------------------------------------------- *_like ----

// empty_like and friends: self's sizes; strides by like_strides (default
// preserve_format); dtype and device default to self's.
inline tensor_desc empty_like(const tensor_desc& self, std::optional<dtype> dt = {}, std::optional<device> dev = {},
                              std::optional<memory_format> format = {}) {
  return allocate(out_meta{self.sizes(), like_strides(self.sizes(), self.strides(), format.value_or(memory_format::preserve_format)),
                           dt.value_or(self.dtype()), dev.value_or(self.device())});
}
inline tensor_desc zeros_like(const tensor_desc& self, std::optional<dtype> dt = {}, std::optional<device> dev = {},
                              std::optional<memory_format> format = {}) {
  return empty_like(self, dt, dev, format);
}
inline tensor_desc ones_like(const tensor_desc& self, std::optional<dtype> dt = {}, std::optional<device> dev = {},
                             std::optional<memory_format> format = {}) {
  return empty_like(self, dt, dev, format);
}
inline tensor_desc full_like(const tensor_desc& self, factory_scalar /*fill*/, std::optional<dtype> dt = {},
                             std::optional<device> dev = {}, std::optional<memory_format> format = {}) {
  return empty_like(self, dt, dev, format);
}
inline tensor_desc rand_like(const tensor_desc& self, std::optional<dtype> dt = {}, std::optional<device> dev = {},
                             std::optional<memory_format> format = {}) {
  check_rand_dtype(dt.value_or(self.dtype()));
  return empty_like(self, dt, dev, format);
}
inline tensor_desc randn_like(const tensor_desc& self, std::optional<dtype> dt = {}, std::optional<device> dev = {},
                              std::optional<memory_format> format = {}) {
  check_randn_dtype(dt.value_or(self.dtype()));
  return empty_like(self, dt, dev, format);
}

// ------------------------------------------------------------ new_* ----

// new_empty and friends: contiguous `sizes`; dtype and device default to
// self's (new_full does not infer its dtype from the fill value).
inline tensor_desc new_empty(const tensor_desc& self, const dim_vector& sizes, std::optional<dtype> dt = {},
                             std::optional<device> dev = {}) {
  return detail::new_tensor(sizes, dt.value_or(self.dtype()), dev.value_or(self.device()));
}
inline tensor_desc new_zeros(const tensor_desc& self, const dim_vector& sizes, std::optional<dtype> dt = {},
                             std::optional<device> dev = {}) {
  return new_empty(self, sizes, dt, dev);
}
inline tensor_desc new_ones(const tensor_desc& self, const dim_vector& sizes, std::optional<dtype> dt = {},
                            std::optional<device> dev = {}) {
  return new_empty(self, sizes, dt, dev);
}
inline tensor_desc new_full(const tensor_desc& self, const dim_vector& sizes, factory_scalar /*fill*/,
                            std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return new_empty(self, sizes, dt, dev);
}
inline tensor_desc new_empty_strided(const tensor_desc& self, const dim_vector& sizes, const dim_vector& strides_,
                                     std::optional<dtype> dt = {}, std::optional<device> dev = {}) {
  return empty_strided(sizes, strides_, dt.value_or(self.dtype()), dev.value_or(self.device()));
}

}  // namespace fake
