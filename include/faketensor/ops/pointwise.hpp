// faketensor/ops/pointwise.hpp — PyTorch's pointwise ops on fake::tensor_desc:
// unary and binary arithmetic, comparisons, logical and bitwise ops, where,
// clamp, pow, activations, copies and conversions (clone, contiguous, to,
// _to_copy), fill_/zero_/copy_ — functional, in-place (`add_`) and out=
// (`add_out(out, ...)`, ATen's argument order) variants.
//
// Every TensorIterator op goes through ops/tensor_iterator.hpp (Note
// [TensorIterator output strides], Note [TensorIterator dtypes], Note [memory
// overlap of written tensors]); what is left here is each op's config and the
// checks ATen makes around it, with ATen's messages.
//
// Note [kernel dtype support]
// ATen's meta kernels accept dtypes that no real kernel runs (bitwise_and on
// float, gelu on int64, abs on bool): the real call fails in the CPU/CUDA
// kernel's dispatch ("\"bitwise_and_cpu\" not implemented for 'Float'"). We
// raise a dtype_error for those where the refusal holds on every device (a
// dtype category: bool, integral, floating), checked on the iterator's output
// dtype as the kernels dispatch on it. Gaps of one backend (CPU 1.13 has no
// float16 atan2) are not modelled: a fake tensor does not say which kernel
// would run.
#pragma once

#include <cstdint>           // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <optional>          // std::optional
#include <string_view>       // std::string_view

#include "faketensor/core/device.hpp"         // fake::device
#include "faketensor/core/dtype.hpp"          // fake::dtype, fake::c10_name
#include "faketensor/core/layout.hpp"         // fake::layout, fake::memory_format
#include "faketensor/meta/tensor_desc.hpp"    // fake::tensor_desc
#include "faketensor/ops/common.hpp"          // fake::allocate, fake::like_strides
#include "faketensor/ops/tensor_iterator.hpp" // fake::ti_functional, fake::ti_inplace, fake::ti_out, fake::scalar
#include "faketensor/shape/strides.hpp"       // fake::strides_for
#include "faketensor/view/ops.hpp"            // fake::expand (masked_fill_)

namespace fake {
namespace detail {

// ------------------------------------------------------------ variants ----

enum class ti_variant : std::uint8_t { functional, inplace, out };

// Where an op's result goes: a new tensor, self (in-place), or `out`.
struct ti_target {
  ti_variant variant = ti_variant::functional;
  const tensor_desc* out = nullptr;
};
inline constexpr ti_target functional_target{};
inline constexpr ti_target inplace_target{ti_variant::inplace, nullptr};
inline ti_target out_target(const tensor_desc& out) { return {ti_variant::out, &out}; }

template <fixed_string Op, class Post = ti_no_post>
tensor_desc ti_run(ti_target t, std::initializer_list<ti_input> in, ti_config cfg, std::optional<dtype> static_dtype = {},
                   Post post = {}) {
  const std::span<const ti_input> args(in.begin(), in.size());
  switch (t.variant) {
    case ti_variant::functional: return ti_functional<Op>(args, cfg, static_dtype, post);
    case ti_variant::inplace: return ti_inplace<Op>(args, cfg, post);
    case ti_variant::out: break;
  }
  return ti_out<Op>(args, *t.out, cfg, post);
}

// -------------------------------------------- checks around the iterator ----

// Note [kernel dtype support]
enum class kernel_dtypes : std::uint8_t { all, no_bool, integral, floating, floating_or_complex };

template <fixed_string Op, kernel_dtypes K>
struct kernel_dtype_check {
  constexpr void operator()(dtype, dtype out) const {
    bool ok = true;
    switch (K) {
      case kernel_dtypes::all: break;
      case kernel_dtypes::no_bool: ok = out != dtype::bool_; break;
      case kernel_dtypes::integral: ok = is_integral(out, true); break;
      case kernel_dtypes::floating: ok = is_floating_point(out); break;
      case kernel_dtypes::floating_or_complex: ok = is_floating_point(out) || is_complex(out); break;
    }
    expect<dtype_error, Op, "\"{}\" not implemented for '{}'">(ok, Op.view(), c10_name(out));
  }
};

// ATen's alpha_check on the iterator's output dtype (add, sub, rsub).
template <fixed_string Op>
struct alpha_check {
  scalar alpha;
  constexpr void operator()(dtype, dtype out) const {
    expect<dtype_error, Op, "Boolean alpha only supported for Boolean results.">(!alpha.is_bool() || out == dtype::bool_);
    expect<dtype_error, Op, "For integral input tensors, argument alpha must not be a floating point number.">(
        is_floating_point(out) || is_complex(out) || !alpha.is_floating_point());
  }
};

inline dtype dtype_of(const ti_input& x) { return x.as_operand().type; }

// ATen's sub_check (sub, rsub; a bool Scalar is a bool tensor there).
template <fixed_string Op>
void sub_check(const ti_input& a, const ti_input& b) {
  const bool ab = dtype_of(a) == dtype::bool_, bb = dtype_of(b) == dtype::bool_;
  expect<dtype_error, Op,
         "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator "
         "instead.">(!(ab && bb));
  expect<dtype_error, Op,
         "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the "
         "`~` or `logical_not()` operator instead.">(!(ab || bb));
}

inline constexpr ti_config promote_cfg{ti_dtype_rule::promote};
inline constexpr ti_config float_cfg{ti_dtype_rule::promote_to_float};
inline constexpr ti_config same_cfg{ti_dtype_rule::same};
inline constexpr ti_config compare_cfg{ti_dtype_rule::comparison};

// self.to(dtype) as ATen's pow/clamp/where do before iterating: the same tensor
// when the dtype agrees, else a copy with _to_copy's strides.
inline tensor_desc converted(const tensor_desc& t, dtype d) {
  if (t.dtype() == d) return t;
  return allocate(out_meta{t.sizes(), like_strides(t.sizes(), t.strides(), memory_format::preserve_format), d, t.device()});
}

// ---------------------------------------------------- op implementations ----

template <fixed_string Op>
tensor_desc add_impl(ti_target t, const ti_input& a, const ti_input& b, scalar alpha) {
  return ti_run<Op>(t, {a, b}, promote_cfg, {}, alpha_check<Op>{alpha});
}
template <fixed_string Op>
tensor_desc sub_impl(ti_target t, const ti_input& a, const ti_input& b, scalar alpha) {
  sub_check<Op>(a, b);
  return ti_run<Op>(t, {a, b}, promote_cfg, {}, alpha_check<Op>{alpha});
}

template <fixed_string Op>
tensor_desc div_impl(ti_target t, const ti_input& a, const ti_input& b, std::optional<std::string_view> mode) {
  if (!mode) return ti_run<Op>(t, {a, b}, float_cfg);
  expect<value_error, Op, "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{}'">(
      *mode == "trunc" || *mode == "floor", *mode);
  return ti_run<Op>(t, {a, b}, promote_cfg, {}, kernel_dtype_check<Op, kernel_dtypes::no_bool>{});
}

template <fixed_string Op, kernel_dtypes K = kernel_dtypes::all>
tensor_desc binary_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return ti_run<Op>(t, {a, b}, promote_cfg, {}, kernel_dtype_check<Op, K>{});
}
template <fixed_string Op>
tensor_desc float_binary_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return ti_run<Op>(t, {a, b}, float_cfg);
}
// A binary op whose kernels take floating dtypes only, with no promotion of
// integers (nextafter).
template <fixed_string Op>
tensor_desc floating_binary_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return binary_impl<Op, kernel_dtypes::floating>(t, a, b);
}
template <fixed_string Op>
tensor_desc minmax_impl(ti_target t, const tensor_desc& a, const tensor_desc& b) {
  expect<dtype_error, Op, "{} not implemented for complex tensors.">(!is_complex(a.dtype()) && !is_complex(b.dtype()),
                                                                     Op.view());
  return ti_run<Op>(t, {a, b}, promote_cfg);
}
template <fixed_string Op>
tensor_desc compare_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return ti_run<Op>(t, {a, b}, compare_cfg);
}

template <fixed_string Op, kernel_dtypes K = kernel_dtypes::all>
tensor_desc unary_impl(ti_target t, const tensor_desc& self) {
  return ti_run<Op>(t, {self}, same_cfg, {}, kernel_dtype_check<Op, K>{});
}
template <fixed_string Op>
tensor_desc float_unary_impl(ti_target t, const tensor_desc& self) {
  return ti_run<Op>(t, {self}, float_cfg);
}

template <fixed_string Op>
void no_bool_check(const tensor_desc& self) {
  expect<dtype_error, Op, "Boolean inputs not supported for {}">(self.dtype() != dtype::bool_, Op.view());
}

// clamp(self, min, max) with Scalar bounds (TORCH_META_FUNC(clamp)).
template <fixed_string Op>
tensor_desc clamp_impl(ti_target t, const tensor_desc& self, std::optional<scalar> min, std::optional<scalar> max) {
  expect<value_error, Op, "torch.clamp: At least one of 'min' or 'max' must not be None">(min.has_value() || max.has_value());
  dtype rt = self.dtype();
  expect<dtype_error, Op, "clamp is not supported for complex types">(!is_complex(rt));
  if (!is_floating_point(rt)) {
    result_type_state state;
    state.update({rt, self.dim() == 0 ? operand_kind::zero_dim : operand_kind::tensor});
    if (min) state.update(min->as_operand());
    if (max) state.update(max->as_operand());
    rt = *state.result();
    if (t.variant == ti_variant::inplace)
      expect<dtype_error, Op, "result type {} can't be cast to the desired output type {}">(rt == self.dtype(), c10_name(rt),
                                                                                           c10_name(self.dtype()));
  }
  expect<dtype_error, Op, "clamp is not supported for complex types">(!is_complex(rt));
  if (t.variant == ti_variant::inplace) return ti_run<Op>(t, {self}, same_cfg);
  const tensor_desc base = converted(self, rt);
  return ti_run<Op>(t, {base}, same_cfg);
}

template <fixed_string Op>
tensor_desc clamp_tensor_impl(ti_target t, const tensor_desc& self, const std::optional<tensor_desc>& min,
                              const std::optional<tensor_desc>& max) {
  expect<value_error, Op, "torch.clamp: At least one of 'min' or 'max' must not be None">(min.has_value() || max.has_value());
  expect<dtype_error, Op, "clamp is not supported for complex types">(!is_complex(self.dtype()));
  if (min && max) return ti_run<Op>(t, {self, *min, *max}, promote_cfg);
  if (min) return ti_run<Op>(t, {self, *min}, promote_cfg);
  return ti_run<Op>(t, {self, *max}, promote_cfg);
}

// pow(Tensor, Scalar): the base converted to result_type(base, exp), then a unary op.
template <fixed_string Op>
tensor_desc pow_scalar_impl(ti_target t, const tensor_desc& base, scalar exp) {
  expect<value_error, Op, "Integers to negative integer powers are not allowed.">(
      !(is_integral(base.dtype(), true) && !exp.is_floating_point() && exp.to_int() < 0));
  const dtype common =
      result_type({{base.dtype(), base.dim() == 0 ? operand_kind::zero_dim : operand_kind::tensor}, exp.as_operand()});
  const tensor_desc b = converted(base, common);
  if (t.variant == ti_variant::inplace) {
    // pow_(self, exp) iterates self.to(common) into self
    expect<dtype_error, Op, "Found dtype {} but expected {}">(base.dtype() == common, c10_name(base.dtype()), c10_name(common));
    return ti_run<Op>(t, {base}, same_cfg, {}, kernel_dtype_check<Op, kernel_dtypes::no_bool>{});
  }
  return ti_run<Op>(t, {b}, same_cfg, {}, kernel_dtype_check<Op, kernel_dtypes::no_bool>{});
}

// where(condition, self, other): result_type(self, other) (the condition does
// not promote, 1.13), self and other converted to it, then iterated with the
// condition first.
template <fixed_string Op>
tensor_desc where_impl(ti_target t, const tensor_desc& cond, const ti_input& self, const ti_input& other) {
  expect<dtype_error, Op, "where expected condition to be a boolean tensor, but got a tensor with dtype {}">(
      cond.dtype() == dtype::bool_ || cond.dtype() == dtype::uint8, c10_name(cond.dtype()));
  const dtype rt = result_type({self.as_operand(), other.as_operand()});
  // a Tensor branch is converted to rt; a Scalar one becomes scalar_tensor(rt)
  // on the other branch's device (both Scalars: the condition's)
  auto branch = [&](const ti_input& x, const ti_input& y) {
    if (x.tensor != nullptr) return converted(*x.tensor, rt);
    return allocate(out_meta{{}, {}, rt, y.tensor != nullptr ? y.tensor->device() : cond.device()});
  };
  const tensor_desc s = branch(self, other), o = branch(other, self);
  // check_all_same_dtype(false) and no cast check: the output is rt (1.13)
  return ti_run<Op>(t, {cond, s, o}, ti_config{ti_dtype_rule::comparison, true, false}, rt);
}

}  // namespace detail

// =================================================================== unary

#define FAKE_PW_UNARY(name, impl)                                                                                      \
  inline tensor_desc name(const tensor_desc& self) { return detail::impl<#name>(detail::functional_target, self); }    \
  inline tensor_desc name##_(const tensor_desc& self) { return detail::impl<#name "_">(detail::inplace_target, self); } \
  inline tensor_desc name##_out(const tensor_desc& out, const tensor_desc& self) {                                    \
    return detail::impl<#name ".out">(detail::out_target(out), self);                                                 \
  }

namespace detail {
template <fixed_string Op> tensor_desc abs_impl(ti_target t, const tensor_desc& s) { return unary_impl<Op, kernel_dtypes::no_bool>(t, s); }
template <fixed_string Op> tensor_desc round_impl(ti_target t, const tensor_desc& s) { return unary_impl<Op, kernel_dtypes::no_bool>(t, s); }
template <fixed_string Op> tensor_desc plain_unary_impl(ti_target t, const tensor_desc& s) { return unary_impl<Op>(t, s); }
template <fixed_string Op> tensor_desc bitwise_not_impl(ti_target t, const tensor_desc& s) { return unary_impl<Op, kernel_dtypes::integral>(t, s); }
template <fixed_string Op> tensor_desc floating_unary_impl(ti_target t, const tensor_desc& s) { return unary_impl<Op, kernel_dtypes::floating>(t, s); }
template <fixed_string Op> tensor_desc neg_impl(ti_target t, const tensor_desc& s) {
  expect<dtype_error, Op,
         "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or "
         "`logical_not()` operator instead.">(s.dtype() != dtype::bool_);
  return unary_impl<Op>(t, s);
}
template <fixed_string Op> tensor_desc sign_impl(ti_target t, const tensor_desc& s) {
  expect<dtype_error, Op, "Unlike NumPy, torch.sign is not intended to support complex numbers. Please use torch.sgn instead.">(
      !is_complex(s.dtype()));
  return unary_impl<Op>(t, s);
}
template <fixed_string Op> tensor_desc silu_impl(ti_target t, const tensor_desc& s) { return unary_impl<Op, kernel_dtypes::floating_or_complex>(t, s); }
template <fixed_string Op> tensor_desc logical_not_impl(ti_target t, const tensor_desc& s) {
  return ti_run<Op>(t, {s}, compare_cfg);
}
}  // namespace detail

FAKE_PW_UNARY(abs, abs_impl)
FAKE_PW_UNARY(neg, neg_impl)
FAKE_PW_UNARY(sign, sign_impl)
FAKE_PW_UNARY(floor, round_impl)
FAKE_PW_UNARY(ceil, round_impl)
FAKE_PW_UNARY(round, round_impl)
FAKE_PW_UNARY(trunc, round_impl)
FAKE_PW_UNARY(bitwise_not, bitwise_not_impl)
FAKE_PW_UNARY(logical_not, logical_not_impl)
FAKE_PW_UNARY(exp, float_unary_impl)
FAKE_PW_UNARY(log, float_unary_impl)
FAKE_PW_UNARY(log1p, float_unary_impl)
FAKE_PW_UNARY(sqrt, float_unary_impl)
FAKE_PW_UNARY(rsqrt, float_unary_impl)
FAKE_PW_UNARY(reciprocal, float_unary_impl)
FAKE_PW_UNARY(sin, float_unary_impl)
FAKE_PW_UNARY(cos, float_unary_impl)
FAKE_PW_UNARY(tanh, float_unary_impl)
FAKE_PW_UNARY(sigmoid, float_unary_impl)
FAKE_PW_UNARY(erf, float_unary_impl)
FAKE_PW_UNARY(silu, silu_impl)

#undef FAKE_PW_UNARY

// round(self, decimals=d): the same metadata as round.
inline tensor_desc round(const tensor_desc& self, std::int64_t decimals) {
  (void)decimals;
  return detail::round_impl<"round">(detail::functional_target, self);
}

// isnan(self) = self != self.
inline tensor_desc isnan(const tensor_desc& self) { return detail::compare_impl<"isnan">(detail::functional_target, self, self); }

// relu(self) = clamp_min(self, 0) after a bool check.
inline tensor_desc relu(const tensor_desc& self) {
  detail::no_bool_check<"relu">(self);
  return detail::clamp_impl<"relu">(detail::functional_target, self, scalar(0), std::nullopt);
}
inline tensor_desc relu_(const tensor_desc& self) {
  detail::no_bool_check<"relu">(self);
  return detail::clamp_impl<"relu_">(detail::inplace_target, self, scalar(0), std::nullopt);
}

// gelu(self, approximate='none'|'tanh').
namespace detail {
template <fixed_string Op>
tensor_desc gelu_impl(ti_target t, const tensor_desc& self, std::string_view approximate) {
  expect<value_error, Op, "approximate argument must be either none or tanh.">(approximate == "none" || approximate == "tanh");
  return unary_impl<Op, kernel_dtypes::floating>(t, self);
}
}  // namespace detail
inline tensor_desc gelu(const tensor_desc& self, std::string_view approximate = "none") {
  return detail::gelu_impl<"gelu">(detail::functional_target, self, approximate);
}
inline tensor_desc gelu_(const tensor_desc& self, std::string_view approximate = "none") {
  return detail::gelu_impl<"gelu_">(detail::inplace_target, self, approximate);
}
inline tensor_desc gelu_out(const tensor_desc& out, const tensor_desc& self, std::string_view approximate = "none") {
  return detail::gelu_impl<"gelu.out">(detail::out_target(out), self, approximate);
}

// Activations with Scalar parameters: the parameters change no metadata.
inline tensor_desc leaky_relu(const tensor_desc& self, scalar = 0.01) {
  return detail::floating_unary_impl<"leaky_relu">(detail::functional_target, self);
}
inline tensor_desc leaky_relu_(const tensor_desc& self, scalar = 0.01) {
  return detail::floating_unary_impl<"leaky_relu_">(detail::inplace_target, self);
}
inline tensor_desc leaky_relu_out(const tensor_desc& out, const tensor_desc& self, scalar = 0.01) {
  return detail::floating_unary_impl<"leaky_relu.out">(detail::out_target(out), self);
}
inline tensor_desc elu(const tensor_desc& self, scalar = 1, scalar = 1, scalar = 1) {
  return detail::floating_unary_impl<"elu">(detail::functional_target, self);
}
inline tensor_desc elu_(const tensor_desc& self, scalar = 1, scalar = 1, scalar = 1) {
  return detail::floating_unary_impl<"elu_">(detail::inplace_target, self);
}
inline tensor_desc elu_out(const tensor_desc& out, const tensor_desc& self, scalar = 1, scalar = 1, scalar = 1) {
  return detail::floating_unary_impl<"elu.out">(detail::out_target(out), self);
}
inline tensor_desc softplus(const tensor_desc& self, scalar = 1, scalar = 20) {
  return detail::floating_unary_impl<"softplus">(detail::functional_target, self);
}
inline tensor_desc softplus_out(const tensor_desc& out, const tensor_desc& self, scalar = 1, scalar = 20) {
  return detail::floating_unary_impl<"softplus.out">(detail::out_target(out), self);
}

// hardtanh: empty_like(self) then clamp into it (ATen 1.13): the result has
// empty_like's strides, self's dtype.
namespace detail {
template <fixed_string Op>
void hardtanh_check(const tensor_desc& self, scalar min, scalar max) {
  expect<dtype_error, Op, "Bool inputs not supported for hardtanh">(self.dtype() != dtype::bool_);
  if (self.dtype() == dtype::uint8)
    expect<value_error, Op, "cannot do hardtanh on an unsigned type with negative limits">(min.to_int() >= 0 && max.to_int() >= 0);
}
}  // namespace detail
inline tensor_desc hardtanh(const tensor_desc& self, scalar min_val = -1, scalar max_val = 1) {
  detail::hardtanh_check<"hardtanh">(self, min_val, max_val);
  expect<dtype_error, "hardtanh", "clamp is not supported for complex types">(!is_complex(self.dtype()));
  return allocate(out_meta{self.sizes(), like_strides(self.sizes(), self.strides(), memory_format::preserve_format),
                           self.dtype(), self.device()});
}
inline tensor_desc hardtanh_(const tensor_desc& self, scalar min_val = -1, scalar max_val = 1) {
  detail::hardtanh_check<"hardtanh_">(self, min_val, max_val);
  return detail::ti_run<"hardtanh_">(detail::inplace_target, {self}, detail::same_cfg);
}
inline tensor_desc hardtanh_out(const tensor_desc& out, const tensor_desc& self, scalar min_val = -1, scalar max_val = 1) {
  detail::hardtanh_check<"hardtanh.out">(self, min_val, max_val);
  // clamp_out(out, self, min, max), the bounds as int64 for an integral self
  if (is_integral(self.dtype(), false)) {
    min_val = scalar(min_val.to_int());
    max_val = scalar(max_val.to_int());
  }
  return detail::clamp_impl<"hardtanh.out">(detail::out_target(out), self, min_val, max_val);
}

// clamp with Scalar or Tensor bounds.
inline tensor_desc clamp(const tensor_desc& self, std::optional<scalar> min, std::optional<scalar> max = std::nullopt) {
  return detail::clamp_impl<"clamp">(detail::functional_target, self, min, max);
}
inline tensor_desc clamp_(const tensor_desc& self, std::optional<scalar> min, std::optional<scalar> max = std::nullopt) {
  return detail::clamp_impl<"clamp_">(detail::inplace_target, self, min, max);
}
inline tensor_desc clamp_out(const tensor_desc& out, const tensor_desc& self, std::optional<scalar> min,
                             std::optional<scalar> max = std::nullopt) {
  return detail::clamp_impl<"clamp.out">(detail::out_target(out), self, min, max);
}
inline tensor_desc clamp(const tensor_desc& self, const std::optional<tensor_desc>& min, const std::optional<tensor_desc>& max) {
  return detail::clamp_tensor_impl<"clamp">(detail::functional_target, self, min, max);
}
inline tensor_desc clamp_(const tensor_desc& self, const std::optional<tensor_desc>& min, const std::optional<tensor_desc>& max) {
  return detail::clamp_tensor_impl<"clamp_">(detail::inplace_target, self, min, max);
}
inline tensor_desc clamp_out(const tensor_desc& out, const tensor_desc& self, const std::optional<tensor_desc>& min,
                             const std::optional<tensor_desc>& max) {
  return detail::clamp_tensor_impl<"clamp.Tensor_out">(detail::out_target(out), self, min, max);
}

// ================================================================== binary

#define FAKE_PW_BINARY(name, impl)                                                                                      \
  inline tensor_desc name(const tensor_desc& self, const tensor_desc& other) {                                         \
    return detail::impl<#name>(detail::functional_target, self, other);                                                \
  }                                                                                                                    \
  inline tensor_desc name(const tensor_desc& self, scalar other) {                                                     \
    return detail::impl<#name>(detail::functional_target, self, other);                                                \
  }                                                                                                                    \
  inline tensor_desc name##_(const tensor_desc& self, const tensor_desc& other) {                                      \
    return detail::impl<#name "_">(detail::inplace_target, self, other);                                               \
  }                                                                                                                    \
  inline tensor_desc name##_(const tensor_desc& self, scalar other) {                                                  \
    return detail::impl<#name "_">(detail::inplace_target, self, other);                                               \
  }                                                                                                                    \
  inline tensor_desc name##_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& other) {          \
    return detail::impl<#name ".out">(detail::out_target(out), self, other);                                           \
  }                                                                                                                    \
  inline tensor_desc name##_out(const tensor_desc& out, const tensor_desc& self, scalar other) {                      \
    return detail::impl<#name ".Scalar_out">(detail::out_target(out), self, other);                                    \
  }

namespace detail {
template <fixed_string Op> tensor_desc mul_impl(ti_target t, const ti_input& a, const ti_input& b) { return binary_impl<Op>(t, a, b); }
template <fixed_string Op> tensor_desc no_bool_binary_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return binary_impl<Op, kernel_dtypes::no_bool>(t, a, b);
}
template <fixed_string Op> tensor_desc bitwise_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return binary_impl<Op, kernel_dtypes::integral>(t, a, b);
}
template <fixed_string Op> tensor_desc true_div_impl(ti_target t, const ti_input& a, const ti_input& b) {
  return div_impl<Op>(t, a, b, std::nullopt);
}
}  // namespace detail

FAKE_PW_BINARY(mul, mul_impl)
FAKE_PW_BINARY(div, true_div_impl)
FAKE_PW_BINARY(remainder, no_bool_binary_impl)
FAKE_PW_BINARY(fmod, no_bool_binary_impl)
FAKE_PW_BINARY(bitwise_and, bitwise_impl)
FAKE_PW_BINARY(bitwise_or, bitwise_impl)
FAKE_PW_BINARY(bitwise_xor, bitwise_impl)
FAKE_PW_BINARY(eq, compare_impl)
FAKE_PW_BINARY(ne, compare_impl)
FAKE_PW_BINARY(lt, compare_impl)
FAKE_PW_BINARY(le, compare_impl)
FAKE_PW_BINARY(gt, compare_impl)
FAKE_PW_BINARY(ge, compare_impl)

#undef FAKE_PW_BINARY

// remainder(Scalar self, Tensor other).
inline tensor_desc remainder(scalar self, const tensor_desc& other) {
  return detail::no_bool_binary_impl<"remainder">(detail::functional_target, self, other);
}

// Tensor-only binary ops: logical_*, maximum, minimum, atan2, nextafter.
#define FAKE_PW_BINARY_T(name, impl)                                                                                    \
  inline tensor_desc name(const tensor_desc& self, const tensor_desc& other) {                                         \
    return detail::impl<#name>(detail::functional_target, self, other);                                                \
  }                                                                                                                    \
  inline tensor_desc name##_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& other) {          \
    return detail::impl<#name ".out">(detail::out_target(out), self, other);                                           \
  }

FAKE_PW_BINARY_T(logical_and, compare_impl)
FAKE_PW_BINARY_T(logical_or, compare_impl)
FAKE_PW_BINARY_T(logical_xor, compare_impl)
FAKE_PW_BINARY_T(maximum, minmax_impl)
FAKE_PW_BINARY_T(minimum, minmax_impl)
FAKE_PW_BINARY_T(atan2, float_binary_impl)
FAKE_PW_BINARY_T(nextafter, floating_binary_impl)

#undef FAKE_PW_BINARY_T

inline tensor_desc logical_and_(const tensor_desc& self, const tensor_desc& other) {
  return detail::compare_impl<"logical_and_">(detail::inplace_target, self, other);
}
inline tensor_desc logical_or_(const tensor_desc& self, const tensor_desc& other) {
  return detail::compare_impl<"logical_or_">(detail::inplace_target, self, other);
}
inline tensor_desc logical_xor_(const tensor_desc& self, const tensor_desc& other) {
  return detail::compare_impl<"logical_xor_">(detail::inplace_target, self, other);
}
inline tensor_desc nextafter_(const tensor_desc& self, const tensor_desc& other) {
  return detail::floating_binary_impl<"nextafter_">(detail::inplace_target, self, other);
}
inline tensor_desc atan2_(const tensor_desc& self, const tensor_desc& other) {
  return detail::float_binary_impl<"atan2_">(detail::inplace_target, self, other);
}

// add / sub with alpha; rsub(self, other) = sub(other, self).
inline tensor_desc add(const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::add_impl<"add">(detail::functional_target, self, other, alpha);
}
inline tensor_desc add(const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::add_impl<"add">(detail::functional_target, self, other, alpha);
}
inline tensor_desc add_(const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::add_impl<"add_">(detail::inplace_target, self, other, alpha);
}
inline tensor_desc add_(const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::add_impl<"add_">(detail::inplace_target, self, other, alpha);
}
inline tensor_desc add_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::add_impl<"add.out">(detail::out_target(out), self, other, alpha);
}
inline tensor_desc add_out(const tensor_desc& out, const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::add_impl<"add.Scalar_out">(detail::out_target(out), self, other, alpha);
}
inline tensor_desc sub(const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::sub_impl<"sub">(detail::functional_target, self, other, alpha);
}
inline tensor_desc sub(const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::sub_impl<"sub">(detail::functional_target, self, other, alpha);
}
inline tensor_desc sub_(const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::sub_impl<"sub_">(detail::inplace_target, self, other, alpha);
}
inline tensor_desc sub_(const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::sub_impl<"sub_">(detail::inplace_target, self, other, alpha);
}
inline tensor_desc sub_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::sub_impl<"sub.out">(detail::out_target(out), self, other, alpha);
}
inline tensor_desc sub_out(const tensor_desc& out, const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::sub_impl<"sub.Scalar_out">(detail::out_target(out), self, other, alpha);
}
inline tensor_desc rsub(const tensor_desc& self, const tensor_desc& other, scalar alpha = 1) {
  return detail::sub_impl<"rsub">(detail::functional_target, other, self, alpha);
}
inline tensor_desc rsub(const tensor_desc& self, scalar other, scalar alpha = 1) {
  return detail::sub_impl<"rsub">(detail::functional_target, other, self, alpha);
}

// div with rounding_mode (None, "trunc", "floor").
inline tensor_desc div(const tensor_desc& self, const tensor_desc& other, std::optional<std::string_view> rounding_mode) {
  return detail::div_impl<"div">(detail::functional_target, self, other, rounding_mode);
}
inline tensor_desc div(const tensor_desc& self, scalar other, std::optional<std::string_view> rounding_mode) {
  return detail::div_impl<"div">(detail::functional_target, self, other, rounding_mode);
}
inline tensor_desc div_(const tensor_desc& self, const tensor_desc& other, std::optional<std::string_view> rounding_mode) {
  return detail::div_impl<"div_">(detail::inplace_target, self, other, rounding_mode);
}
inline tensor_desc div_(const tensor_desc& self, scalar other, std::optional<std::string_view> rounding_mode) {
  return detail::div_impl<"div_">(detail::inplace_target, self, other, rounding_mode);
}
inline tensor_desc div_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& other,
                           std::optional<std::string_view> rounding_mode) {
  return detail::div_impl<"div.out_mode">(detail::out_target(out), self, other, rounding_mode);
}

// pow: Tensor_Tensor, Tensor_Scalar, Scalar (Scalar self: contiguous, exponent's shape).
inline tensor_desc pow(const tensor_desc& self, const tensor_desc& exponent) {
  return detail::no_bool_binary_impl<"pow">(detail::functional_target, self, exponent);
}
inline tensor_desc pow_(const tensor_desc& self, const tensor_desc& exponent) {
  return detail::no_bool_binary_impl<"pow_">(detail::inplace_target, self, exponent);
}
inline tensor_desc pow_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& exponent) {
  return detail::no_bool_binary_impl<"pow.Tensor_Tensor_out">(detail::out_target(out), self, exponent);
}
inline tensor_desc pow(const tensor_desc& self, scalar exponent) {
  return detail::pow_scalar_impl<"pow">(detail::functional_target, self, exponent);
}
inline tensor_desc pow_(const tensor_desc& self, scalar exponent) {
  return detail::pow_scalar_impl<"pow_">(detail::inplace_target, self, exponent);
}
inline tensor_desc pow_out(const tensor_desc& out, const tensor_desc& self, scalar exponent) {
  return detail::pow_scalar_impl<"pow.Tensor_Scalar_out">(detail::out_target(out), self, exponent);
}
inline tensor_desc pow(scalar self, const tensor_desc& exponent) {
  const dtype d = result_type({self.as_operand(), {exponent.dtype(), exponent.dim() == 0 ? operand_kind::zero_dim : operand_kind::tensor}});
  return allocate(out_meta{exponent.sizes(), dim_vector(contiguous_strides(exponent.sizes())), d, exponent.device()});
}
inline tensor_desc pow_out(const tensor_desc& out, scalar self, const tensor_desc& exponent) {
  (void)self;
  return resize_out<"pow.Scalar_out">(out, out_meta{exponent.sizes(), dim_vector(contiguous_strides(exponent.sizes())),
                                                    out.dtype(), exponent.device()});
}

// where(condition, self, other) with Tensor or Scalar branches.
inline tensor_desc where(const tensor_desc& condition, const tensor_desc& self, const tensor_desc& other) {
  return detail::where_impl<"where">(detail::functional_target, condition, self, other);
}
inline tensor_desc where(const tensor_desc& condition, scalar self, const tensor_desc& other) {
  return detail::where_impl<"where">(detail::functional_target, condition, self, other);
}
inline tensor_desc where(const tensor_desc& condition, const tensor_desc& self, scalar other) {
  return detail::where_impl<"where">(detail::functional_target, condition, self, other);
}
inline tensor_desc where(const tensor_desc& condition, scalar self, scalar other) {
  return detail::where_impl<"where">(detail::functional_target, condition, self, other);
}
inline tensor_desc where_out(const tensor_desc& out, const tensor_desc& condition, const tensor_desc& self,
                             const tensor_desc& other) {
  return detail::where_impl<"where.self_out">(detail::out_target(out), condition, self, other);
}

// masked_fill(self, mask, value): self and mask broadcast, a contiguous clone
// filled in place (self's dtype); masked_fill_ needs the mask to expand to self.
namespace detail {
template <fixed_string Op>
void masked_fill_value_check(const tensor_desc& value) {
  expect<shape_error, Op, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {} dimension(s).">(
      value.dim() == 0, value.dim());
}
template <fixed_string Op>
tensor_desc masked_fill_inplace(const tensor_desc& self, const tensor_desc& mask) {
  (void)common_device<Op>({&self, &mask});
  assert_no_partial_overlap<Op>(self, mask);
  (void)fake::expand(mask, self.sizes());  // expand_inplace: the mask must expand to self
  self.storage().bump_version();
  return self;
}
}  // namespace detail
inline tensor_desc masked_fill(const tensor_desc& self, const tensor_desc& mask, scalar value) {
  (void)value;
  const dtype d = self.dtype();
  dim_vector shape = detail::ti_infer_size<"masked_fill">(mask.sizes(), self.sizes());
  dim_vector strides(contiguous_strides(shape));
  return allocate(out_meta{std::move(shape), std::move(strides), d, common_device<"masked_fill">({&self, &mask})});
}
inline tensor_desc masked_fill(const tensor_desc& self, const tensor_desc& mask, const tensor_desc& value) {
  detail::masked_fill_value_check<"masked_fill">(value);
  dim_vector shape = detail::ti_infer_size<"masked_fill">(mask.sizes(), self.sizes());
  dim_vector strides(contiguous_strides(shape));
  return allocate(out_meta{std::move(shape), std::move(strides), self.dtype(), common_device<"masked_fill">({&self, &mask, &value})});
}
inline tensor_desc masked_fill_(const tensor_desc& self, const tensor_desc& mask, scalar) {
  return detail::masked_fill_inplace<"masked_fill_">(self, mask);
}
inline tensor_desc masked_fill_(const tensor_desc& self, const tensor_desc& mask, const tensor_desc& value) {
  detail::masked_fill_value_check<"masked_fill_">(value);
  return detail::masked_fill_inplace<"masked_fill_">(self, mask);
}

// lerp(self, end, weight): self, end (and a Tensor weight) of one dtype.
namespace detail {
template <fixed_string Op>
void lerp_check(const tensor_desc& self, const tensor_desc& end, const tensor_desc* weight) {
  expect<dtype_error, Op, "expected dtype {} for `end` but got dtype {}">(self.dtype() == end.dtype(), c10_name(self.dtype()),
                                                                         c10_name(end.dtype()));
  if (weight != nullptr)
    expect<dtype_error, Op, "expected dtype {} for `weight` but got dtype {}">(
        self.dtype() == weight->dtype(), c10_name(self.dtype()), c10_name(weight->dtype()));
}
template <fixed_string Op>
tensor_desc lerp_impl(ti_target t, const tensor_desc& self, const tensor_desc& end, const tensor_desc* weight) {
  lerp_check<Op>(self, end, weight);
  if (weight == nullptr)
    return ti_run<Op>(t, {self, end}, promote_cfg, {}, kernel_dtype_check<Op, kernel_dtypes::floating_or_complex>{});
  return ti_run<Op>(t, {self, end, *weight}, same_cfg, {}, kernel_dtype_check<Op, kernel_dtypes::floating_or_complex>{});
}
}  // namespace detail
inline tensor_desc lerp(const tensor_desc& self, const tensor_desc& end, scalar) {
  return detail::lerp_impl<"lerp">(detail::functional_target, self, end, nullptr);
}
inline tensor_desc lerp(const tensor_desc& self, const tensor_desc& end, const tensor_desc& weight) {
  return detail::lerp_impl<"lerp">(detail::functional_target, self, end, &weight);
}
inline tensor_desc lerp_(const tensor_desc& self, const tensor_desc& end, scalar) {
  return detail::lerp_impl<"lerp_">(detail::inplace_target, self, end, nullptr);
}
inline tensor_desc lerp_(const tensor_desc& self, const tensor_desc& end, const tensor_desc& weight) {
  return detail::lerp_impl<"lerp_">(detail::inplace_target, self, end, &weight);
}
inline tensor_desc lerp_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& end, scalar) {
  return detail::lerp_impl<"lerp.Scalar_out">(detail::out_target(out), self, end, nullptr);
}
inline tensor_desc lerp_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& end, const tensor_desc& weight) {
  return detail::lerp_impl<"lerp.Tensor_out">(detail::out_target(out), self, end, &weight);
}

// addcmul / addcdiv(self, tensor1, tensor2, value): promoted over all three.
namespace detail {
template <fixed_string Op>
tensor_desc addc_impl(ti_target t, const tensor_desc& self, const tensor_desc& t1, const tensor_desc& t2, bool is_div) {
  if (is_div)
    expect<dtype_error, Op,
           "Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true "
           "division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * "
           "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) "
           "for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
           "tensor2), for all dtypes.">(!(is_integral(t1.dtype(), true) && is_integral(t2.dtype(), true)));
  return ti_run<Op>(t, {self, t1, t2}, promote_cfg);
}
}  // namespace detail
inline tensor_desc addcmul(const tensor_desc& self, const tensor_desc& tensor1, const tensor_desc& tensor2, scalar = 1) {
  return detail::addc_impl<"addcmul">(detail::functional_target, self, tensor1, tensor2, false);
}
inline tensor_desc addcmul_(const tensor_desc& self, const tensor_desc& tensor1, const tensor_desc& tensor2, scalar = 1) {
  return detail::addc_impl<"addcmul_">(detail::inplace_target, self, tensor1, tensor2, false);
}
inline tensor_desc addcmul_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& tensor1,
                               const tensor_desc& tensor2, scalar = 1) {
  return detail::addc_impl<"addcmul.out">(detail::out_target(out), self, tensor1, tensor2, false);
}
inline tensor_desc addcdiv(const tensor_desc& self, const tensor_desc& tensor1, const tensor_desc& tensor2, scalar = 1) {
  return detail::addc_impl<"addcdiv">(detail::functional_target, self, tensor1, tensor2, true);
}
inline tensor_desc addcdiv_(const tensor_desc& self, const tensor_desc& tensor1, const tensor_desc& tensor2, scalar = 1) {
  return detail::addc_impl<"addcdiv_">(detail::inplace_target, self, tensor1, tensor2, true);
}
inline tensor_desc addcdiv_out(const tensor_desc& out, const tensor_desc& self, const tensor_desc& tensor1,
                               const tensor_desc& tensor2, scalar = 1) {
  return detail::addc_impl<"addcdiv.out">(detail::out_target(out), self, tensor1, tensor2, true);
}

// ============================================================ copies, to

// clone(self, memory_format): preserve keeps dense strides, else empty_like's
// inferred ones; an explicit format gives that format's strides.
inline tensor_desc clone(const tensor_desc& self, std::optional<memory_format> format = std::nullopt) {
  const memory_format f = format.value_or(memory_format::preserve_format);
  return allocate(out_meta{self.sizes(), like_strides(self.sizes(), self.strides(), f), self.dtype(), self.device()});
}

// contiguous(self, memory_format): self itself when already contiguous in that format.
inline tensor_desc contiguous(const tensor_desc& self, memory_format format = memory_format::contiguous_format) {
  if (self.is_contiguous(format)) return self;
  expect<value_error, "contiguous", "preserve memory format is unsupported by the contiguous operator">(
      format != memory_format::preserve_format);
  return clone(self, format);
}

namespace detail {
// ATen's ensure_has_index: a cuda device without index is the current one (0).
constexpr device ensure_has_index(device d) {
  if (d.is_cuda() && !d.has_index()) return device(device_type::cuda, 0);
  return d;
}
}  // namespace detail

// _to_copy(self, dtype, layout, device, pin_memory, non_blocking, memory_format).
inline tensor_desc to_copy(const tensor_desc& self, std::optional<dtype> dt = std::nullopt, std::optional<layout> lay = std::nullopt,
                           std::optional<device> dev = std::nullopt, std::optional<bool> pin_memory = std::nullopt,
                           bool non_blocking = false, std::optional<memory_format> format = std::nullopt) {
  (void)pin_memory;
  (void)non_blocking;
  expect<value_error, "_to_copy",
         "to(options) doesn't support converting to a different layout, but got self.layout being {} and options.layout "
         "set as {}">(!lay || *lay == self.layout(), self.layout(), lay.value_or(self.layout()));
  const memory_format f = format.value_or(memory_format::preserve_format);
  const device d = dev ? detail::ensure_has_index(*dev) : self.device();
  return allocate(out_meta{self.sizes(), like_strides(self.sizes(), self.strides(), f), dt.value_or(self.dtype()), d});
}

// to(...): self itself (an alias) when nothing changes and copy is false, else _to_copy.
namespace detail {
// Whether to(...) returns self: nothing it asks for changes and no copy is
// forced. `dev` has its index filled in (ensure_has_index) when given.
inline bool to_is_alias(const tensor_desc& self, std::optional<dtype> dt, std::optional<layout> lay, std::optional<device> dev,
                        bool copy, std::optional<memory_format> format) {
  const memory_format f = format.value_or(memory_format::preserve_format);
  return (!dt || *dt == self.dtype()) && (!lay || *lay == self.layout()) && (!dev || *dev == self.device()) && !copy &&
         (f == memory_format::preserve_format || self.suggest_memory_format() == f);
}
}  // namespace detail

inline tensor_desc to(const tensor_desc& self, std::optional<dtype> dt, std::optional<layout> lay, std::optional<device> dev,
                      std::optional<bool> pin_memory, bool non_blocking = false, bool copy = false,
                      std::optional<memory_format> format = std::nullopt) {
  std::optional<device> d;  // assigned, not a ternary: g++ 12 -O1 reports a maybe-uninitialized optional
  if (dev) d = detail::ensure_has_index(*dev);
  if (detail::to_is_alias(self, dt, lay, d, copy, format)) return self;
  return to_copy(self, dt, lay, d, pin_memory, non_blocking, format);
}
inline tensor_desc to(const tensor_desc& self, dtype dt, bool non_blocking = false, bool copy = false,
                      std::optional<memory_format> format = std::nullopt) {
  return to(self, dt, std::nullopt, std::nullopt, std::nullopt, non_blocking, copy, format);
}
inline tensor_desc to(const tensor_desc& self, device dev, dtype dt, bool non_blocking = false, bool copy = false,
                      std::optional<memory_format> format = std::nullopt) {
  return to(self, dt, std::nullopt, dev, std::nullopt, non_blocking, copy, format);
}
inline tensor_desc to(const tensor_desc& self, const tensor_desc& other, bool non_blocking = false, bool copy = false,
                      std::optional<memory_format> format = std::nullopt) {
  return to(self, other.dtype(), other.layout(), other.device(), std::nullopt, non_blocking, copy, format);
}

// ======================================================= fill_, zero_, copy_

inline tensor_desc fill_(const tensor_desc& self, scalar) {
  self.storage().bump_version();
  return self;
}
inline tensor_desc fill_(const tensor_desc& self, const tensor_desc& value) {
  expect<shape_error, "fill_", "fill_ only supports 0-dimension value tensor but got tensor with {} dimensions.">(
      value.dim() == 0, value.dim());
  self.storage().bump_version();
  return self;
}
inline tensor_desc zero_(const tensor_desc& self) {
  self.storage().bump_version();
  return self;
}

// copy_(self, src): src broadcast into self (self is not resized); the
// written self is checked for overlaps as any TensorIterator output.
inline tensor_desc copy_(const tensor_desc& self, const tensor_desc& src, bool non_blocking = false) {
  (void)non_blocking;
  if (self.id() == src.id()) return self;
  const tensor_desc* inputs[] = {&src};
  check_mem_overlaps<"copy_">(self, inputs);
  const dim_vector shape = detail::ti_infer_size<"copy_">(self.sizes(), src.sizes());
  expect<shape_error, "copy_", "output with shape {} doesn't match the broadcast shape {}">(self.sizes() == shape, self.sizes(),
                                                                                           shape);
  self.storage().bump_version();
  return self;
}

}  // namespace fake
