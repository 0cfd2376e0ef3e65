// faketensor/interop/dlpack.hpp — DLPack tensors as real tensors of a call
// under a fake mode: fake::real(dl_tensor) (Note [real tensors in boxed
// calls], ops/ivalue.hpp), and their values for constants.
#pragma once

#include <bit>       // std::bit_cast
#include <cstddef>   // std::byte
#include <cstdint>   // std::int64_t
#include <cstring>   // std::memcpy
#include <memory>    // std::make_shared
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include <dlpack/dlpack.h>  // DLTensor, DLManagedTensor

#include "faketensor/core/scalar_value.hpp"  // fake::scalar_value
#include "faketensor/meta/constant.hpp"      // fake::detail::element_indices
#include "faketensor/meta/describer.hpp"     // fake::describer, fake::tensor_description
#include "faketensor/ops/ivalue.hpp"         // fake::ivalue, fake::real_tensor_ptr

namespace fake {

namespace detail {

// One element of a cpu buffer of dtype d at byte address p.
inline std::optional<scalar_value> read_element(const std::byte* p, dtype d) {
  const auto load = [p](auto zero) {
    decltype(zero) v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  switch (d) {
    case dtype::bool_: return scalar_value::of(load(std::uint8_t{}) != 0);
    case dtype::uint8: return scalar_value::of(static_cast<std::int64_t>(load(std::uint8_t{})));
    case dtype::int8: return scalar_value::of(static_cast<std::int64_t>(load(std::int8_t{})));
    case dtype::int16: return scalar_value::of(static_cast<std::int64_t>(load(std::int16_t{})));
    case dtype::int32: return scalar_value::of(static_cast<std::int64_t>(load(std::int32_t{})));
    case dtype::int64: return scalar_value::of(load(std::int64_t{}));
    case dtype::float32: return scalar_value::of(static_cast<double>(load(float{})));
    case dtype::float64: return scalar_value::of(load(double{}));
    case dtype::float16: return scalar_value::of(static_cast<double>(half_to_float(load(std::uint16_t{}))));
    case dtype::bfloat16: {
      const std::uint32_t bits = static_cast<std::uint32_t>(load(std::uint16_t{})) << 16;
      return scalar_value::of(static_cast<double>(std::bit_cast<float>(bits)));
    }
    default: return std::nullopt;
  }
}

class dlpack_real_tensor final : public real_tensor {
 public:
  dlpack_real_tensor(const DLTensor& t, dlpack_flags flags) : t_(&t), flags_(flags) {}
  [[nodiscard]] tensor_description describe(describer& d) const override { return d.describe(*t_, flags_); }
  [[nodiscard]] std::optional<std::vector<scalar_value>> values(std::int64_t limit) const override {
    if (t_->device.device_type != kDLCPU || t_->data == nullptr || t_->ndim < 0) return std::nullopt;
    describer scratch;  // validates the DLTensor and gives its strides
    const tensor_description d = scratch.describe(*t_, flags_);
    const std::int64_t n = numel(d.sizes);  // overflow-checked
    if (n > limit || !has_scalar_values(d.dtype)) return std::nullopt;
    std::vector<scalar_value> out;
    out.reserve(static_cast<std::size_t>(n));
    const auto* base = static_cast<const std::byte*>(t_->data);  // byte_offset is d's storage offset
    for (std::int64_t at : element_indices(d.sizes, d.strides, d.storage_offset)) {
      const auto v = read_element(base + at * itemsize(d.dtype), d.dtype);
      if (!v) return std::nullopt;
      out.push_back(*v);
    }
    return out;
  }
  [[nodiscard]] std::string to_string() const override {
    std::string s = "a DLPack tensor of shape [";
    for (std::int32_t i = 0; i < t_->ndim && t_->shape != nullptr; ++i) s += (i ? ", " : "") + std::to_string(t_->shape[i]);
    return s + "]";
  }

 private:
  const DLTensor* t_;
  dlpack_flags flags_;
};

}  // namespace detail

// A DLPack tensor as an argument of a call under a fake mode
// (Note [real tensors in boxed calls]); `t` must outlive the call.
inline ivalue real(const DLTensor& t, dlpack_flags flags = {}) {
  return ivalue(real_tensor_ptr(std::make_shared<const detail::dlpack_real_tensor>(t, flags)));
}
inline ivalue real(const DLManagedTensor& t, dlpack_flags flags = {}) { return real(t.dl_tensor, flags); }

}  // namespace fake
