// faketensor/dispatch/builtin_pointwise.hpp — the pointwise aten operators of
// the runtime registry: schemas (PyTorch 2.x's native_functions.yaml, defaults
// as in 1.13), tags and boxed kernels calling ops/pointwise.hpp.
//
// TensorIterator ops and copies register under CompositeExplicitAutograd (one
// meta kernel serves every backend); contiguous and the to() overloads, which
// ATen implements as calls of other ops (CompositeImplicitAutograd), under
// CompositeImplicitAutograd, returning self when nothing changes.
#pragma once

#include <optional>     // std::optional
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "faketensor/dispatch/composite.hpp" // fake::composite::contiguous
#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::define_builtin
#include "faketensor/meta/sym_tensor.hpp"    // fake::with_symbolic, fake::sym_geometry
#include "faketensor/ops/ivalue.hpp"         // fake::ivalue, fake::stack
#include "faketensor/ops/pointwise.hpp"      // fake::add, fake::where, ...
#include "faketensor/ops/tags.hpp"           // fake::op_tag

namespace fake {
namespace detail {

// A Scalar argument keeps its kind (bool, int, float) for type promotion.
inline scalar scalar_of(const ivalue& v) {
  if (v.is_bool()) return scalar(v.to_bool());
  if (v.is_int()) return scalar(v.to_int());
  return scalar(v.to_double());
}
inline std::optional<scalar> optional_scalar_of(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<scalar>(scalar_of(v));
}
inline std::optional<tensor_desc> optional_tensor_of(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<tensor_desc>(v.to_tensor());
}
inline std::optional<std::string_view> optional_string_of(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<std::string_view>(v.to_string_ref());
}
inline std::optional<memory_format> optional_memory_format_of(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<memory_format>(v.to_memory_format());
}

// masked_fill's symbolic rule (Note [symbolic rules of kernels]): self and
// the mask broadcast, contiguous (fake::masked_fill on the expressions).
inline basic_out_meta<sym_dims> masked_fill_rule(const sym_geometry& self, const sym_geometry& mask) {
  sym_dims shape = ti_infer_size<"masked_fill">(mask.sizes, self.sizes);
  sym_dims strides = contiguous_strides(shape);
  return {std::move(shape), std::move(strides)};
}

struct pointwise_op {
  const char* schema;
  op_tags tags;
  kernel::function boxed;
  dispatch_key key = dispatch_key::composite_explicit_autograd;
};

#define FAKE_PW(expr) [](const op_overload&, dispatch_key_set, stack& s) { return_value(s, ivalue(expr)); }
#define FAKE_T(i) s[i].to_tensor()
#define FAKE_S(i) scalar_of(s[i])

// unary op `name`: functional, in-place and out= (self at 0, out at 1)
#define FAKE_PW_UNARY_OPS(name, tags_)                                                                        \
  {"aten::" #name "(Tensor self) -> Tensor", tags_, FAKE_PW(fake::name(FAKE_T(0)))},                          \
      {"aten::" #name "_(Tensor(a!) self) -> Tensor(a!)", tags_, FAKE_PW(fake::name##_(FAKE_T(0)))},          \
      {"aten::" #name ".out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)", tags_,                            \
       FAKE_PW(fake::name##_out(FAKE_T(1), FAKE_T(0)))}

// binary op `name` with Tensor and Scalar overloads and their in-place/out= variants
#define FAKE_PW_BINARY_OPS(name, tags_)                                                                       \
  {"aten::" #name ".Tensor(Tensor self, Tensor other) -> Tensor", tags_, FAKE_PW(fake::name(FAKE_T(0), FAKE_T(1)))},   \
      {"aten::" #name ".Scalar(Tensor self, Scalar other) -> Tensor", tags_, FAKE_PW(fake::name(FAKE_T(0), FAKE_S(1)))}, \
      {"aten::" #name "_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", tags_,                         \
       FAKE_PW(fake::name##_(FAKE_T(0), FAKE_T(1)))},                                                         \
      {"aten::" #name "_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", tags_,                         \
       FAKE_PW(fake::name##_(FAKE_T(0), FAKE_S(1)))},                                                         \
      {"aten::" #name ".Tensor_out(Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)", tags_,       \
       FAKE_PW(fake::name##_out(FAKE_T(2), FAKE_T(0), FAKE_T(1)))},                                           \
      {"aten::" #name ".Scalar_out(Tensor self, Scalar other, *, Tensor(a!) out) -> Tensor(a!)", tags_,       \
       FAKE_PW(fake::name##_out(FAKE_T(2), FAKE_T(0), FAKE_S(1)))}

// Tensor-only binary op `name` (no overload name) with in-place and out=
#define FAKE_PW_BINARY_T_OPS(name, tags_)                                                                     \
  {"aten::" #name "(Tensor self, Tensor other) -> Tensor", tags_, FAKE_PW(fake::name(FAKE_T(0), FAKE_T(1)))}, \
      {"aten::" #name ".out(Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)", tags_,              \
       FAKE_PW(fake::name##_out(FAKE_T(2), FAKE_T(0), FAKE_T(1)))}

inline const std::vector<pointwise_op>& builtin_pointwise_ops() {
  using enum op_tag;
  static const op_tags pw{pointwise};
  static const op_tags pwc{pointwise, core};
  static const op_tags none{};
  static const std::vector<pointwise_op> ops{
      // ------------------------------------------------------------- unary
      FAKE_PW_UNARY_OPS(abs, pwc), FAKE_PW_UNARY_OPS(neg, pwc), FAKE_PW_UNARY_OPS(sign, pwc),
      FAKE_PW_UNARY_OPS(floor, pwc), FAKE_PW_UNARY_OPS(ceil, pwc), FAKE_PW_UNARY_OPS(round, pwc),
      FAKE_PW_UNARY_OPS(trunc, pwc), FAKE_PW_UNARY_OPS(bitwise_not, pwc), FAKE_PW_UNARY_OPS(logical_not, pwc),
      FAKE_PW_UNARY_OPS(exp, pwc), FAKE_PW_UNARY_OPS(log, pwc), FAKE_PW_UNARY_OPS(log1p, pwc),
      FAKE_PW_UNARY_OPS(sqrt, pwc), FAKE_PW_UNARY_OPS(rsqrt, pwc), FAKE_PW_UNARY_OPS(reciprocal, pwc),
      FAKE_PW_UNARY_OPS(sin, pwc), FAKE_PW_UNARY_OPS(cos, pwc), FAKE_PW_UNARY_OPS(tanh, pwc),
      FAKE_PW_UNARY_OPS(sigmoid, pwc), FAKE_PW_UNARY_OPS(erf, pwc), FAKE_PW_UNARY_OPS(silu, pw),
      {"aten::round.decimals(Tensor self, *, int decimals) -> Tensor", pw,
       FAKE_PW(fake::round(FAKE_T(0), s[1].to_int()))},
      {"aten::isnan(Tensor self) -> Tensor", pwc, FAKE_PW(fake::isnan(FAKE_T(0)))},
      {"aten::relu(Tensor self) -> Tensor", pwc, FAKE_PW(fake::relu(FAKE_T(0)))},
      {"aten::relu_(Tensor(a!) self) -> Tensor(a!)", pw, FAKE_PW(fake::relu_(FAKE_T(0)))},
      {"aten::gelu(Tensor self, *, str approximate='none') -> Tensor", pwc,
       FAKE_PW(fake::gelu(FAKE_T(0), s[1].to_string_ref()))},
      {"aten::gelu_(Tensor(a!) self, *, str approximate='none') -> Tensor(a!)", pw,
       FAKE_PW(fake::gelu_(FAKE_T(0), s[1].to_string_ref()))},
      {"aten::gelu.out(Tensor self, *, str approximate='none', Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::gelu_out(FAKE_T(2), FAKE_T(0), s[1].to_string_ref()))},
      {"aten::leaky_relu(Tensor self, Scalar negative_slope=0.01) -> Tensor", pwc,
       FAKE_PW(fake::leaky_relu(FAKE_T(0), FAKE_S(1)))},
      {"aten::leaky_relu_(Tensor(a!) self, Scalar negative_slope=0.01) -> Tensor(a!)", pw,
       FAKE_PW(fake::leaky_relu_(FAKE_T(0), FAKE_S(1)))},
      {"aten::leaky_relu.out(Tensor self, Scalar negative_slope=0.01, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::leaky_relu_out(FAKE_T(2), FAKE_T(0), FAKE_S(1)))},
      {"aten::hardtanh(Tensor self, Scalar min_val=-1, Scalar max_val=1) -> Tensor", pwc,
       FAKE_PW(fake::hardtanh(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::hardtanh_(Tensor(a!) self, Scalar min_val=-1, Scalar max_val=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::hardtanh_(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::hardtanh.out(Tensor self, Scalar min_val=-1, Scalar max_val=1, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::hardtanh_out(FAKE_T(3), FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::elu(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor", pwc,
       FAKE_PW(fake::elu(FAKE_T(0)))},
      {"aten::elu_(Tensor(a!) self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::elu_(FAKE_T(0)))},
      {"aten::elu.out(Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1, *, Tensor(a!) out) -> Tensor(a!)",
       pw, FAKE_PW(fake::elu_out(FAKE_T(4), FAKE_T(0)))},
      {"aten::softplus(Tensor self, Scalar beta=1, Scalar threshold=20) -> Tensor", pw, FAKE_PW(fake::softplus(FAKE_T(0)))},
      {"aten::softplus.out(Tensor self, Scalar beta=1, Scalar threshold=20, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::softplus_out(FAKE_T(3), FAKE_T(0)))},
      {"aten::clamp(Tensor self, Scalar? min=None, Scalar? max=None) -> Tensor", pwc,
       FAKE_PW(fake::clamp(FAKE_T(0), optional_scalar_of(s[1]), optional_scalar_of(s[2])))},
      {"aten::clamp.Tensor(Tensor self, Tensor? min=None, Tensor? max=None) -> Tensor", pwc,
       FAKE_PW(fake::clamp(FAKE_T(0), optional_tensor_of(s[1]), optional_tensor_of(s[2])))},
      {"aten::clamp_(Tensor(a!) self, Scalar? min=None, Scalar? max=None) -> Tensor(a!)", pw,
       FAKE_PW(fake::clamp_(FAKE_T(0), optional_scalar_of(s[1]), optional_scalar_of(s[2])))},
      {"aten::clamp_.Tensor(Tensor(a!) self, Tensor? min=None, Tensor? max=None) -> Tensor(a!)", pw,
       FAKE_PW(fake::clamp_(FAKE_T(0), optional_tensor_of(s[1]), optional_tensor_of(s[2])))},
      {"aten::clamp.out(Tensor self, Scalar? min=None, Scalar? max=None, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::clamp_out(FAKE_T(3), FAKE_T(0), optional_scalar_of(s[1]), optional_scalar_of(s[2])))},
      {"aten::clamp.Tensor_out(Tensor self, Tensor? min=None, Tensor? max=None, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::clamp_out(FAKE_T(3), FAKE_T(0), optional_tensor_of(s[1]), optional_tensor_of(s[2])))},
      // --------------------------------------------------------------- pow
      {"aten::pow.Tensor_Tensor(Tensor self, Tensor exponent) -> Tensor", pwc, FAKE_PW(fake::pow(FAKE_T(0), FAKE_T(1)))},
      {"aten::pow.Tensor_Scalar(Tensor self, Scalar exponent) -> Tensor", pwc, FAKE_PW(fake::pow(FAKE_T(0), FAKE_S(1)))},
      {"aten::pow.Scalar(Scalar self, Tensor exponent) -> Tensor", pwc, FAKE_PW(fake::pow(FAKE_S(0), FAKE_T(1)))},
      {"aten::pow_.Tensor(Tensor(a!) self, Tensor exponent) -> Tensor(a!)", pw, FAKE_PW(fake::pow_(FAKE_T(0), FAKE_T(1)))},
      {"aten::pow_.Scalar(Tensor(a!) self, Scalar exponent) -> Tensor(a!)", pw, FAKE_PW(fake::pow_(FAKE_T(0), FAKE_S(1)))},
      {"aten::pow.Tensor_Tensor_out(Tensor self, Tensor exponent, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::pow_out(FAKE_T(2), FAKE_T(0), FAKE_T(1)))},
      {"aten::pow.Tensor_Scalar_out(Tensor self, Scalar exponent, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::pow_out(FAKE_T(2), FAKE_T(0), FAKE_S(1)))},
      {"aten::pow.Scalar_out(Scalar self, Tensor exponent, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::pow_out(FAKE_T(2), FAKE_S(0), FAKE_T(1)))},
      // ---------------------------------------------------- add, sub, rsub
      {"aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", pwc,
       FAKE_PW(fake::add(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::add.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", pwc,
       FAKE_PW(fake::add(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::add_(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::add_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::add_(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::add.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::add_out(FAKE_T(3), FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::add.Scalar_out(Tensor self, Scalar other, Scalar alpha=1, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::add_out(FAKE_T(3), FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::sub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", pwc,
       FAKE_PW(fake::sub(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::sub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", pwc,
       FAKE_PW(fake::sub(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::sub_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::sub_(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::sub_.Scalar(Tensor(a!) self, Scalar other, Scalar alpha=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::sub_(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::sub.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::sub_out(FAKE_T(3), FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::sub.Scalar_out(Tensor self, Scalar other, Scalar alpha=1, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::sub_out(FAKE_T(3), FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::rsub.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", pw,
       FAKE_PW(fake::rsub(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::rsub.Scalar(Tensor self, Scalar other, Scalar alpha=1) -> Tensor", pw,
       FAKE_PW(fake::rsub(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      // --------------------------------------------------------------- mul
      {"aten::mul.Tensor(Tensor self, Tensor other) -> Tensor", pwc, FAKE_PW(fake::mul(FAKE_T(0), FAKE_T(1)))},
      {"aten::mul.Scalar(Tensor self, Scalar other) -> Tensor", pwc, FAKE_PW(fake::mul(FAKE_T(0), FAKE_S(1)))},
      {"aten::mul_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw, FAKE_PW(fake::mul_(FAKE_T(0), FAKE_T(1)))},
      {"aten::mul_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", pw, FAKE_PW(fake::mul_(FAKE_T(0), FAKE_S(1)))},
      {"aten::mul.out(Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::mul_out(FAKE_T(2), FAKE_T(0), FAKE_T(1)))},
      {"aten::mul.Scalar_out(Tensor self, Scalar other, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::mul_out(FAKE_T(2), FAKE_T(0), FAKE_S(1)))},
      // --------------------------------------------------------------- div
      {"aten::div.Tensor(Tensor self, Tensor other) -> Tensor", pwc, FAKE_PW(fake::div(FAKE_T(0), FAKE_T(1)))},
      {"aten::div.Scalar(Tensor self, Scalar other) -> Tensor", pwc, FAKE_PW(fake::div(FAKE_T(0), FAKE_S(1)))},
      {"aten::div_.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw, FAKE_PW(fake::div_(FAKE_T(0), FAKE_T(1)))},
      {"aten::div_.Scalar(Tensor(a!) self, Scalar other) -> Tensor(a!)", pw, FAKE_PW(fake::div_(FAKE_T(0), FAKE_S(1)))},
      {"aten::div.out(Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::div_out(FAKE_T(2), FAKE_T(0), FAKE_T(1)))},
      {"aten::div.Scalar_out(Tensor self, Scalar other, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::div_out(FAKE_T(2), FAKE_T(0), FAKE_S(1)))},
      {"aten::div.Tensor_mode(Tensor self, Tensor other, *, str? rounding_mode) -> Tensor", pwc,
       FAKE_PW(fake::div(FAKE_T(0), FAKE_T(1), optional_string_of(s[2])))},
      {"aten::div.Scalar_mode(Tensor self, Scalar other, *, str? rounding_mode) -> Tensor", pwc,
       FAKE_PW(fake::div(FAKE_T(0), FAKE_S(1), optional_string_of(s[2])))},
      {"aten::div_.Tensor_mode(Tensor(a!) self, Tensor other, *, str? rounding_mode) -> Tensor(a!)", pw,
       FAKE_PW(fake::div_(FAKE_T(0), FAKE_T(1), optional_string_of(s[2])))},
      {"aten::div_.Scalar_mode(Tensor(a!) self, Scalar other, *, str? rounding_mode) -> Tensor(a!)", pw,
       FAKE_PW(fake::div_(FAKE_T(0), FAKE_S(1), optional_string_of(s[2])))},
      {"aten::div.out_mode(Tensor self, Tensor other, *, str? rounding_mode, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::div_out(FAKE_T(3), FAKE_T(0), FAKE_T(1), optional_string_of(s[2])))},
      // -------------------------------------------- remainder, fmod, bitwise, comparisons
      FAKE_PW_BINARY_OPS(remainder, pwc),
      {"aten::remainder.Scalar_Tensor(Scalar self, Tensor other) -> Tensor", pw,
       FAKE_PW(fake::remainder(FAKE_S(0), FAKE_T(1)))},
      FAKE_PW_BINARY_OPS(fmod, pwc), FAKE_PW_BINARY_OPS(bitwise_and, pwc), FAKE_PW_BINARY_OPS(bitwise_or, pwc),
      FAKE_PW_BINARY_OPS(bitwise_xor, pwc), FAKE_PW_BINARY_OPS(eq, pwc), FAKE_PW_BINARY_OPS(ne, pwc),
      FAKE_PW_BINARY_OPS(lt, pwc), FAKE_PW_BINARY_OPS(le, pwc), FAKE_PW_BINARY_OPS(gt, pwc), FAKE_PW_BINARY_OPS(ge, pwc),
      FAKE_PW_BINARY_T_OPS(maximum, pwc), FAKE_PW_BINARY_T_OPS(minimum, pwc), FAKE_PW_BINARY_T_OPS(atan2, pwc),
      FAKE_PW_BINARY_T_OPS(logical_and, pwc), FAKE_PW_BINARY_T_OPS(logical_or, pwc), FAKE_PW_BINARY_T_OPS(logical_xor, pwc),
      {"aten::atan2_(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw, FAKE_PW(fake::atan2_(FAKE_T(0), FAKE_T(1)))},
      FAKE_PW_BINARY_T_OPS(nextafter, pwc),
      {"aten::nextafter_(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw, FAKE_PW(fake::nextafter_(FAKE_T(0), FAKE_T(1)))},
      {"aten::logical_and_(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw,
       FAKE_PW(fake::logical_and_(FAKE_T(0), FAKE_T(1)))},
      {"aten::logical_or_(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw,
       FAKE_PW(fake::logical_or_(FAKE_T(0), FAKE_T(1)))},
      {"aten::logical_xor_(Tensor(a!) self, Tensor other) -> Tensor(a!)", pw,
       FAKE_PW(fake::logical_xor_(FAKE_T(0), FAKE_T(1)))},
      // -------------------------------------------------- where, masked_fill
      {"aten::where.self(Tensor condition, Tensor self, Tensor other) -> Tensor", pwc,
       FAKE_PW(fake::where(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::where.self_out(Tensor condition, Tensor self, Tensor other, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::where_out(FAKE_T(3), FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::where.ScalarSelf(Tensor condition, Scalar self, Tensor other) -> Tensor", pw,
       FAKE_PW(fake::where(FAKE_T(0), FAKE_S(1), FAKE_T(2)))},
      {"aten::where.ScalarOther(Tensor condition, Tensor self, Scalar other) -> Tensor", pw,
       FAKE_PW(fake::where(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::where.Scalar(Tensor condition, Scalar self, Scalar other) -> Tensor", pw,
       FAKE_PW(fake::where(FAKE_T(0), FAKE_S(1), FAKE_S(2)))},
      {"aten::masked_fill.Scalar(Tensor self, Tensor mask, Scalar value) -> Tensor", pwc,
       FAKE_PW(with_symbolic<"masked_fill">(fake::masked_fill(FAKE_T(0), FAKE_T(1), FAKE_S(2)), detail::masked_fill_rule, FAKE_T(0), FAKE_T(1)))},
      {"aten::masked_fill.Tensor(Tensor self, Tensor mask, Tensor value) -> Tensor", pw,
       FAKE_PW(with_symbolic<"masked_fill">(fake::masked_fill(FAKE_T(0), FAKE_T(1), FAKE_T(2)), detail::masked_fill_rule, FAKE_T(0), FAKE_T(1)))},
      {"aten::masked_fill_.Scalar(Tensor(a!) self, Tensor mask, Scalar value) -> Tensor(a!)", pw,
       FAKE_PW(fake::masked_fill_(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::masked_fill_.Tensor(Tensor(a!) self, Tensor mask, Tensor value) -> Tensor(a!)", pw,
       FAKE_PW(fake::masked_fill_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      // ------------------------------------------------ lerp, addcmul, addcdiv
      {"aten::lerp.Scalar(Tensor self, Tensor end, Scalar weight) -> Tensor", pw,
       FAKE_PW(fake::lerp(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::lerp.Tensor(Tensor self, Tensor end, Tensor weight) -> Tensor", pw,
       FAKE_PW(fake::lerp(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::lerp_.Scalar(Tensor(a!) self, Tensor end, Scalar weight) -> Tensor(a!)", pw,
       FAKE_PW(fake::lerp_(FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::lerp_.Tensor(Tensor(a!) self, Tensor end, Tensor weight) -> Tensor(a!)", pw,
       FAKE_PW(fake::lerp_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::lerp.Scalar_out(Tensor self, Tensor end, Scalar weight, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::lerp_out(FAKE_T(3), FAKE_T(0), FAKE_T(1), FAKE_S(2)))},
      {"aten::lerp.Tensor_out(Tensor self, Tensor end, Tensor weight, *, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::lerp_out(FAKE_T(3), FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::addcmul(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor", pw,
       FAKE_PW(fake::addcmul(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::addcmul_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::addcmul_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::addcmul.out(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::addcmul_out(FAKE_T(4), FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::addcdiv(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor", pw,
       FAKE_PW(fake::addcdiv(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::addcdiv_(Tensor(a!) self, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor(a!)", pw,
       FAKE_PW(fake::addcdiv_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      {"aten::addcdiv.out(Tensor self, Tensor tensor1, Tensor tensor2, *, Scalar value=1, Tensor(a!) out) -> Tensor(a!)", pw,
       FAKE_PW(fake::addcdiv_out(FAKE_T(4), FAKE_T(0), FAKE_T(1), FAKE_T(2)))},
      // ------------------------------------------------- copies, to, fills
      {"aten::clone(Tensor self, *, MemoryFormat? memory_format=None) -> Tensor", {core},
       FAKE_PW(fake::clone(FAKE_T(0), optional_memory_format_of(s[1])))},
      {"aten::_to_copy(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None, bool non_blocking=False, MemoryFormat? memory_format=None) -> Tensor",
       {core},
       FAKE_PW(fake::to_copy(FAKE_T(0), s[1].optional<dtype>([](const ivalue& v) { return v.to_dtype(); }),
                             s[2].optional<layout>([](const ivalue& v) { return v.to_layout(); }),
                             s[3].optional<device>([](const ivalue& v) { return v.to_device(); }),
                             s[4].optional<bool>([](const ivalue& v) { return v.to_bool(); }), s[5].to_bool(),
                             optional_memory_format_of(s[6])))},
      {"aten::contiguous(Tensor(a) self, *, MemoryFormat memory_format=contiguous_format) -> Tensor(a)",
       {maybe_aliasing_or_mutating}, FAKE_PW(composite::contiguous(FAKE_T(0), s[1].to_memory_format())),
       dispatch_key::composite_implicit_autograd},
      {"aten::to.dtype_layout(Tensor(a) self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor(a)",
       {maybe_aliasing_or_mutating},
       FAKE_PW(composite::to(FAKE_T(0), s[1].optional<dtype>([](const ivalue& v) { return v.to_dtype(); }),
                             s[2].optional<layout>([](const ivalue& v) { return v.to_layout(); }),
                             s[3].optional<device>([](const ivalue& v) { return v.to_device(); }),
                             s[4].optional<bool>([](const ivalue& v) { return v.to_bool(); }), s[5].to_bool(), s[6].to_bool(),
                             optional_memory_format_of(s[7]))),
       dispatch_key::composite_implicit_autograd},
      {"aten::to.device(Tensor(a) self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, "
       "MemoryFormat? memory_format=None) -> Tensor(a)",
       {maybe_aliasing_or_mutating},
       FAKE_PW(composite::to(FAKE_T(0), s[2].to_dtype(), std::nullopt, s[1].to_device(), std::nullopt, s[3].to_bool(),
                             s[4].to_bool(), optional_memory_format_of(s[5]))),
       dispatch_key::composite_implicit_autograd},
      {"aten::to.dtype(Tensor(a) self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? "
       "memory_format=None) -> Tensor(a)",
       {maybe_aliasing_or_mutating},
       FAKE_PW(composite::to(FAKE_T(0), s[1].to_dtype(), std::nullopt, std::nullopt, std::nullopt, s[2].to_bool(), s[3].to_bool(),
                             optional_memory_format_of(s[4]))),
       dispatch_key::composite_implicit_autograd},
      {"aten::to.other(Tensor(a) self, Tensor other, bool non_blocking=False, bool copy=False, MemoryFormat? "
       "memory_format=None) -> Tensor(a)",
       {maybe_aliasing_or_mutating},
       FAKE_PW(composite::to(FAKE_T(0), FAKE_T(1).dtype(), FAKE_T(1).layout(), FAKE_T(1).device(), std::nullopt, s[2].to_bool(),
                             s[3].to_bool(), optional_memory_format_of(s[4]))),
       dispatch_key::composite_implicit_autograd},
      {"aten::fill_.Scalar(Tensor(a!) self, Scalar value) -> Tensor(a!)", none, FAKE_PW(fake::fill_(FAKE_T(0), FAKE_S(1)))},
      {"aten::fill_.Tensor(Tensor(a!) self, Tensor value) -> Tensor(a!)", none, FAKE_PW(fake::fill_(FAKE_T(0), FAKE_T(1)))},
      {"aten::zero_(Tensor(a!) self) -> Tensor(a!)", none, FAKE_PW(fake::zero_(FAKE_T(0)))},
      {"aten::copy_(Tensor(a!) self, Tensor src, bool non_blocking=False) -> Tensor(a!)", none,
       FAKE_PW(fake::copy_(FAKE_T(0), FAKE_T(1), s[2].to_bool()))},
  };
  return ops;
}

#undef FAKE_PW_UNARY_OPS
#undef FAKE_PW_BINARY_OPS
#undef FAKE_PW_BINARY_T_OPS
#undef FAKE_PW
#undef FAKE_T
#undef FAKE_S

}  // namespace detail

// Defines the pointwise family's operators in `r`; `keep` holds their kernel
// registrations (for the program's life in the global registry).
inline void register_pointwise_ops(op_registry& r, std::vector<registration>& keep) {
  for (const detail::pointwise_op& op : detail::builtin_pointwise_ops())
    define_builtin(r, keep, op.schema, op.tags, op.boxed, op.key);
}

// Part of the global registry wherever this header is (Note [built-in op families]).
inline const bool register_pointwise_ops_added = add_builtin_family(&register_pointwise_ops);

}  // namespace fake
