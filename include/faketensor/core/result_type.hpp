// faketensor/core/result_type.hpp — PyTorch's result_type over tensors,
// 0-dim tensors and Python-like scalars.
//
// Note [result_type categories]
// ATen's ResultTypeState keeps three running promotions: of tensors with dim > 0,
// of 0-dim tensors, and of wrapped numbers (Python scalars; a float scalar counts
// as the default dtype, float32, a complex one as the default complex dtype).
// The final dtype combines them by category (bool < integral < floating <
// complex): a 0-dim tensor or a scalar changes the result only when it is of a
// higher category than what dimensioned tensors give. So int32 tensor + 2.5 is
// float32, float16 tensor + float64 0-dim tensor stays float16, and uint8 tensor +
// int64 0-dim tensor stays uint8.
#pragma once

#include <initializer_list>  // std::initializer_list
#include <optional>          // std::optional

#include "faketensor/core/dtype.hpp"  // fake::dtype, fake::promote_types

namespace fake {

// What kind of operand contributes to result_type.
enum class operand_kind : std::int8_t {
  tensor,          // a tensor with dim() > 0
  zero_dim,        // a 0-dim tensor
  wrapped_scalar,  // a Python-like number (bool, int, float, complex)
};

struct operand {
  dtype type;
  operand_kind kind = operand_kind::tensor;
};

// Scalars as operands: bool -> bool, int -> int64, float -> the default dtype,
// complex -> the default complex dtype (result_type_state applies the defaults).
constexpr operand scalar_operand(bool) noexcept { return {dtype::bool_, operand_kind::wrapped_scalar}; }
constexpr operand int_scalar_operand() noexcept { return {dtype::int64, operand_kind::wrapped_scalar}; }
constexpr operand float_scalar_operand() noexcept { return {dtype::float64, operand_kind::wrapped_scalar}; }
constexpr operand complex_scalar_operand() noexcept { return {dtype::complex128, operand_kind::wrapped_scalar}; }

class result_type_state {
 public:
  // default_dtype: torch.get_default_dtype() (float32 unless changed; float64 is
  // the other legal choice). The default complex dtype follows it.
  constexpr explicit result_type_state(dtype default_dtype = dtype::float32) noexcept : default_(default_dtype) {}

  constexpr result_type_state& update(operand op) {
    dtype current = op.type;
    if (op.kind == operand_kind::wrapped_scalar) {
      if (is_complex(current)) current = to_complex(default_);
      else if (is_floating_point(current)) current = default_;
    }
    std::optional<dtype>& slot = op.kind == operand_kind::tensor     ? dim_result_
                                 : op.kind == operand_kind::zero_dim ? zero_result_
                                                                     : wrapped_result_;
    slot = slot ? promote_types(*slot, current) : current;
    return *this;
  }

  // The common dtype; an empty state has none (nullopt), as ATen's Undefined.
  [[nodiscard]] constexpr std::optional<dtype> result() const {
    return combine(dim_result_, combine(zero_result_, wrapped_result_));
  }

 private:
  static constexpr std::optional<dtype> combine(std::optional<dtype> higher, std::optional<dtype> lower) {
    if (!higher) return lower;
    if (!lower) return higher;
    if (is_complex(*higher)) return higher;
    if (is_complex(*lower)) {
      // keep the higher's precision when it is floating: float16 + complex64 scalar -> complex32
      if (is_floating_point(*higher)) return to_complex(*higher);
      return lower;
    }
    if (is_floating_point(*higher)) return higher;
    if (*higher == dtype::bool_ || is_floating_point(*lower)) return promote_types(*higher, *lower);
    return higher;
  }

  dtype default_;
  std::optional<dtype> dim_result_;
  std::optional<dtype> zero_result_;
  std::optional<dtype> wrapped_result_;
};

// result_type({{f32, tensor}, int_scalar_operand()}) — the dtype an op's
// TensorIterator computes in. Throws dtype_error for no operand.
constexpr dtype result_type(std::initializer_list<operand> operands, dtype default_dtype = dtype::float32) {
  result_type_state state(default_dtype);
  for (const operand& op : operands) state.update(op);
  const std::optional<dtype> r = state.result();
  if (!r) fail<dtype_error, "result_type", "needs at least one operand">();
  return *r;
}

}  // namespace fake
