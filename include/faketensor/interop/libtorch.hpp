// faketensor/interop/libtorch.hpp — describing at::Tensors (PyTorch's
// MetaTensorDescriber.describe_tensor, for C++ tensors).
//
// Needs libtorch: it includes <ATen/ATen.h> and is usable only in a target
// that links torch. It is kept out of the umbrella header, of the generated
// header self-containment check and of CUDA translation units (nvcc).
//
//   fake::describer d;
//   fake::converter c;
//   fake::tensor_desc w = c(fake::describe(d, weight, /*is_parameter=*/true));
//
// What is described: sizes, strides, storage offset, dtype, device, layout;
// the storage by identity (the StorageImpl: tensors for which
// `storage().is_alias_of(...)` holds share a storage id) and its real size;
// requires_grad, is_leaf, is_conj, is_neg, is_inference; a view's base
// (TensorBase::is_view and _base: the root base, never a view). nn.Parameter
// does not exist in C++, so is_parameter is the caller's argument; a view's
// base is a parameter when that tensor was described as one before
// (describer::mark_parameter). Only strided, non-nested tensors are accepted.
#pragma once

#include <ATen/ATen.h>  // at::TensorBase, c10::StorageImpl, c10::weak_intrusive_ptr

#include <algorithm>  // std::max
#include <cstdint>    // std::int64_t
#include <memory>     // std::make_shared, std::shared_ptr
#include <optional>   // std::optional
#include <string>     // std::string
#include <utility>    // std::move
#include <vector>     // std::vector

#include "faketensor/core/device.hpp"     // fake::device, fake::device_type
#include "faketensor/core/dtype.hpp"      // fake::dtype, fake::c10_name
#include "faketensor/core/error.hpp"      // fake::dtype_error, fake::device_error, fake::value_error
#include "faketensor/core/expect.hpp"     // fake::expect
#include "faketensor/core/layout.hpp"     // fake::layout
#include "faketensor/meta/describer.hpp"  // fake::describer, fake::tensor_description
#include "faketensor/ops/ivalue.hpp"      // fake::real_tensor, fake::ivalue

namespace fake {

// fake::dtype's values are c10::ScalarType's; checked by name, so a ScalarType
// faketensor does not know (a newer libtorch's) is a dtype_error, not a wrong dtype.
inline dtype from_aten(c10::ScalarType t) {
  const auto value = static_cast<int>(t);
  const auto* info = value >= 0 && value <= 127 ? detail::find_dtype_info(static_cast<dtype>(value)) : nullptr;
  expect<dtype_error, "describe", "at::Tensor dtype {} has no faketensor counterpart">(
      info != nullptr && info->c10_name == c10::toString(t), std::string(c10::toString(t)));
  return static_cast<dtype>(value);
}

// fake::device_type's values are c10::DeviceType's (1.13), checked by name.
inline device from_aten(c10::Device d) {
  const auto value = static_cast<int>(d.type());
  bool known = value >= 0 && value <= static_cast<int>(device_type::privateuseone);
  if (known) known = name(static_cast<device_type>(value)) == c10::DeviceTypeName(d.type(), /*lower_case=*/true);
  expect<device_error, "describe", "at::Tensor device {} has no faketensor counterpart">(known, d.str());
  return device(static_cast<device_type>(value), d.index());
}

inline layout from_aten(c10::Layout l) {
  switch (l) {
    case c10::Layout::Strided: return layout::strided;
    case c10::Layout::Sparse: return layout::sparse_coo;
    case c10::Layout::SparseCsr: return layout::sparse_csr;
    case c10::Layout::Mkldnn: return layout::mkldnn;
    case c10::Layout::SparseCsc: return layout::sparse_csc;
    case c10::Layout::SparseBsr: return layout::sparse_bsr;
    case c10::Layout::SparseBsc: return layout::sparse_bsc;
    default: break;
  }
  fail<value_error, "describe", "at::Tensor layout {} has no faketensor counterpart">(static_cast<int>(l));
}

// The description of `t`; `is_parameter` says whether it is an nn.Parameter.
inline tensor_description describe(describer& d, const at::TensorBase& t, bool is_parameter = false) {
  expect<value_error, "describe", "at::Tensor is undefined">(t.defined());
  expect<value_error, "describe", "nested tensors are not supported">(!t.is_nested());
  const layout lay = from_aten(t.layout());
  expect<value_error, "describe", "at::Tensor layout {} is not supported: only strided tensors have strides and a storage">(
      lay == layout::strided, lay);

  tensor_description out;
  // A weak reference keeps the TensorImpl's (and StorageImpl's) memory, not its
  // data, so that its address names it for the describer's life
  // (Note [describer identities]).
  using weak_tensor = c10::weak_intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>;
  out.id = d.tensor_id(describer::source::libtorch, t.unsafeGetTensorImpl(),
                       std::make_shared<const weak_tensor>(weak_tensor(t.getIntrusivePtr())));
  if (is_parameter) d.mark_parameter(out.id);
  out.sizes = dim_vector(t.sizes().begin(), t.sizes().end());
  out.strides = dim_vector(t.strides().begin(), t.strides().end());
  out.storage_offset = t.storage_offset();
  out.dtype = from_aten(t.scalar_type());
  out.device = from_aten(t.device());
  out.layout = lay;
  out.requires_grad = t.requires_grad();
  out.is_leaf = t.is_leaf();
  out.is_view = t.is_view();
  out.is_conj = t.is_conj();
  out.is_neg = t.is_neg();
  out.is_inference = t.is_inference();
  out.is_parameter = is_parameter || d.is_marked_parameter(out.id);

  const c10::Storage& st = t.storage();
  const std::int64_t needed = storage_nbytes(out.sizes, out.strides, itemsize(out.dtype), out.storage_offset);
  out.geometry_nbytes = needed;
  out.storage = d.storage(describer::source::libtorch, st.unsafeGetStorageImpl(), out.device,
                          std::max(static_cast<std::int64_t>(st.nbytes()), needed),
                          std::make_shared<const c10::weak_intrusive_ptr<c10::StorageImpl>>(st.getWeakStorageImpl()));
  if (out.is_view) out.base = std::make_shared<const tensor_description>(describe(d, t._base()));
  return out;
}

namespace detail {
// Note [real tensors in boxed calls]: an at::Tensor (held: a reference keeps it alive).
class aten_real_tensor final : public real_tensor {
 public:
  aten_real_tensor(at::Tensor t, bool is_parameter) : t_(std::move(t)), is_parameter_(is_parameter) {}
  [[nodiscard]] tensor_description describe(describer& d) const override { return fake::describe(d, t_, is_parameter_); }
  [[nodiscard]] std::optional<std::vector<scalar_value>> values(std::int64_t limit) const override {
    if (!t_.defined() || !t_.device().is_cpu() || t_.layout() != c10::kStrided || t_.is_quantized() || t_.numel() > limit)
      return std::nullopt;
    const dtype dt = from_aten(t_.scalar_type());
    if (!has_scalar_values(dt)) return std::nullopt;
    const at::Tensor flat = t_.reshape({-1});
    std::vector<scalar_value> out;
    out.reserve(static_cast<std::size_t>(flat.numel()));
    if (dt == dtype::bool_) {
      const at::Tensor b = flat.to(at::kBool).contiguous();
      for (std::int64_t i = 0; i < b.numel(); ++i) out.push_back(scalar_value::of(b.data_ptr<bool>()[i]));
    } else if (is_floating_point(dt)) {
      const at::Tensor f = flat.to(at::kDouble).contiguous();  // exact for every floating dtype here
      for (std::int64_t i = 0; i < f.numel(); ++i) out.push_back(scalar_value::of(f.data_ptr<double>()[i]));
    } else {
      const at::Tensor n = flat.to(at::kLong).contiguous();
      for (std::int64_t i = 0; i < n.numel(); ++i) out.push_back(scalar_value::of(n.data_ptr<std::int64_t>()[i]));
    }
    return out;
  }
  [[nodiscard]] std::string to_string() const override {
    std::string s = "an at::Tensor of shape [";
    for (std::size_t i = 0; i < t_.sizes().size(); ++i) s += (i ? ", " : "") + std::to_string(t_.sizes()[i]);
    return s + "]";
  }

 private:
  at::Tensor t_;
  bool is_parameter_;
};
}  // namespace detail

// An at::Tensor as an argument of a call under a fake mode, or for
// mode.from_real_tensor(*fake::real(t).to_real_tensor()).
inline ivalue real(const at::Tensor& t, bool is_parameter = false) {
  return ivalue(real_tensor_ptr(std::make_shared<const detail::aten_real_tensor>(t, is_parameter)));
}

}  // namespace fake
