// faketensor/meta/converter.hpp — descriptions to fake tensors, memoized
// (PyTorch's MetaConverter and assert_metadata_eq in
// torch/_subclasses/meta_utils.py).
//
// A fake::converter turns the descriptions of a fake::describer
// (meta/describer.hpp) into fake::tensor_desc values:
// * memoized by description id: the same real tensor converts to the same fake
//   tensor (same id()) however often it is converted;
// * one fake::storage per storage id: tensors that share a real storage share
//   a fake one, grown to the largest size any description reports;
// * a view is rebuilt from its converted base with as_strided, so the result
//   is a view of that base (is_view(), base().id()), as PyTorch's
//   view_from_base does.
// A converter holds its fake tensors (and so their storages) as long as it
// lives; one converter is meant to serve one describer.
#pragma once

#include <cstdint>        // std::int64_t, std::uint64_t
#include <string>         // std::string
#include <memory>           // std::unique_ptr
#include <memory_resource>  // std::pmr::monotonic_buffer_resource
#include <unordered_map>    // std::pmr::unordered_map
#include <utility>        // std::move

#include "faketensor/core/dtype.hpp"          // fake::is_complex, fake::to_real
#include "faketensor/core/error.hpp"          // fake::error, fake::value_error, fake::unsupported_fake_tensor_error
#include "faketensor/core/layout.hpp"         // fake::layout
#include "faketensor/meta/describer.hpp"      // fake::tensor_description
#include "faketensor/meta/storage.hpp"        // fake::storage
#include "faketensor/meta/tensor_desc.hpp"    // fake::tensor_desc
#include "faketensor/view/ops.hpp"            // fake::as_strided, fake::view_as_real, fake::view_as_complex

namespace fake {

// A fake tensor whose metadata is not its description's. `field()` is the
// first field that differs ("strides", "base.sizes", ...).
class metadata_mismatch_error : public error {
 public:
  metadata_mismatch_error(std::string field, const std::string& message) : error(message), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

namespace detail {

template <class T>
void expect_field_eq(const std::string& prefix, const char* field, const T& real, const T& fake_value) {
  if (real == fake_value) return;
  using fake::to_string;
  using std::to_string;
  throw metadata_mismatch_error(prefix + field, "assert_metadata_eq: " + prefix + field + " differs: description " +
                                                    to_string(real) + " vs fake " + to_string(fake_value));
}
inline void expect_flag_eq(const std::string& prefix, const char* field, bool real, bool fake_value) {
  if (real == fake_value) return;
  throw metadata_mismatch_error(prefix + field, "assert_metadata_eq: " + prefix + field + " differs: description " +
                                                    (real ? "true" : "false") + " vs fake " + (fake_value ? "true" : "false"));
}

inline void assert_metadata_eq(const tensor_description& d, const tensor_desc& t, const std::string& prefix) {
  // PyTorch's order: dtype, shape, requires_grad, is_leaf, is_sparse (here the
  // layout), is_inference, is_conj, is_neg, stride, storage_offset, _is_view,
  // then the bases. Device (PyTorch's meta tensors are all on meta),
  // is_parameter and the storage size are ours.
  expect_field_eq(prefix, "dtype", d.dtype, t.dtype());
  expect_field_eq(prefix, "device", d.device, t.device());
  expect_field_eq(prefix, "sizes", d.sizes, t.sizes());
  expect_flag_eq(prefix, "requires_grad", d.requires_grad, t.requires_grad());
  expect_flag_eq(prefix, "is_leaf", d.is_leaf, t.is_leaf());
  expect_field_eq(prefix, "layout", d.layout, t.layout());
  expect_flag_eq(prefix, "is_inference", d.is_inference, t.is_inference());
  expect_flag_eq(prefix, "is_conj", d.is_conj, t.is_conj());
  expect_flag_eq(prefix, "is_neg", d.is_neg, t.is_neg());
  expect_field_eq(prefix, "strides", d.strides, t.strides());
  expect_field_eq(prefix, "storage_offset", d.storage_offset, t.storage_offset());
  expect_flag_eq(prefix, "is_view", d.is_view, t.is_view());
  expect_flag_eq(prefix, "is_parameter", d.is_parameter, t.is_parameter());
  // The fake storage may have grown since (a later tensor on it needed more);
  // it must hold at least what the description saw.
  if (t.storage().nbytes() < d.storage.nbytes)
    throw metadata_mismatch_error(prefix + "storage_nbytes",
                                  "assert_metadata_eq: " + prefix + "storage_nbytes differs: description " +
                                      std::to_string(d.storage.nbytes) + " vs fake " + std::to_string(t.storage().nbytes()) +
                                      " (the fake storage must be at least as large)");
  if (d.is_view) {
    if (!d.base) throw value_error("assert_metadata_eq: " + prefix + "description is a view without a base");
    assert_metadata_eq(*d.base, t.base(), prefix + "base.");
  }
}

}  // namespace detail

// Throws metadata_mismatch_error naming the first field where the fake tensor
// `t` is not what the description `d` says, with both values; a view's base is
// compared too ("base.strides").
inline void assert_metadata_eq(const tensor_description& d, const tensor_desc& t) { detail::assert_metadata_eq(d, t, ""); }

class converter {
 public:
  converter() { tensors_.reserve(1024); storages_.reserve(256); }

  // The fake tensor of `d`: the memoized one when `d.id` was converted before.
  // A memoized tensor whose geometry, dtype or device is no longer the
  // description's (the real tensor was changed in place since) is an error:
  // the fake tensors handed out would disagree with the real one.
  tensor_desc operator()(const tensor_description& d) { return convert(d); }

  tensor_desc convert(const tensor_description& d) {
    expect<value_error, "convert", "description has no id (not made by a describer)">(d.id != 0);
    check_supported(d);
    if (auto it = tensors_.find(d.id); it != tensors_.end()) {
      check_unchanged(d, it->second);
      grow(d);
      return it->second;
    }
    tensor_desc out = d.is_view ? convert_view(d) : convert_base(d);
    apply_flags(d, out);
    return tensors_.emplace(d.id, std::move(out)).first->second;
  }

  // The fake tensor converted from description id `id`, or null.
  [[nodiscard]] const tensor_desc* lookup(std::uint64_t id) const {
    auto it = tensors_.find(id);
    return it == tensors_.end() ? nullptr : &it->second;
  }
  // The fake storage made for storage description id `id` (undefined if none).
  [[nodiscard]] fake::storage storage(std::uint64_t id) const {
    auto it = storages_.find(id);
    return it == storages_.end() ? fake::storage{} : it->second;
  }
  [[nodiscard]] std::size_t tensor_count() const noexcept { return tensors_.size(); }
  [[nodiscard]] std::size_t storage_count() const noexcept { return storages_.size(); }

 private:
  // The fake storage of d's storage id, made or grown to d's size.
  fake::storage storage_for(const tensor_description& d) {
    expect<value_error, "convert", "description {} has no storage id">(d.storage.id != 0, d.id);
    auto it = storages_.find(d.storage.id);
    if (it == storages_.end()) return storages_.emplace(d.storage.id, fake::storage(d.storage.nbytes, d.device)).first->second;
    expect<value_error, "convert", "storage {} is on {} but description {} says {}">(it->second.device() == d.device,
                                                                                     d.storage.id, it->second.device(), d.id,
                                                                                     d.device);
    it->second.ensure_nbytes(d.storage.nbytes);
    return it->second;
  }

  void grow(const tensor_description& d) {
    storage_for(d);
    if (d.base) grow(*d.base);
  }

  // What PyTorch 1.13's MetaConverter declines (meta_tensor returns
  // NotImplemented, FakeTensorConverter raises UnsupportedFakeTensorException):
  // quantized tensors, compressed-sparse and mkldnn layouts, and views whose
  // base is sparse. Checked before anything is memoized.
  static void check_supported(const tensor_description& d) {
    expect<unsupported_fake_tensor_error, "convert", "quantized tensors are not supported by fake tensors: {} has dtype {}">(
        !is_quantized(d.dtype), d.id, d.dtype);
    const bool compressed_or_mkldnn = d.layout != layout::strided && d.layout != layout::sparse_coo;
    expect<unsupported_fake_tensor_error, "convert", "the {} layout is not supported by fake tensors (tensor {})">(
        !compressed_or_mkldnn, name(d.layout), d.id);
    if (d.is_view && d.base)
      expect<unsupported_fake_tensor_error, "convert", "a view of a sparse tensor is not supported by fake tensors (tensor {})">(
          d.base->layout == layout::strided, d.id);
  }

  tensor_desc convert_base(const tensor_description& d) {
    fake::storage st = storage_for(d);
    // The describer measured the geometry (geometry_nbytes): when it fits the
    // storage, the tensor is made without measuring it again.
    if (d.geometry_nbytes >= 0 && d.geometry_nbytes <= st.nbytes() && d.sizes.size() == d.strides.size())
      return tensor_desc(tensor_desc::checked_by_caller, d.sizes, d.strides, d.storage_offset, d.dtype, std::move(st), d.layout);
    return tensor_desc(d.sizes, d.strides, d.storage_offset, d.dtype, std::move(st), d.layout);
  }

  // Note [views from their base]
  // As PyTorch's view_from_base: convert the base, bring it to the view's
  // dtype (view_as_real / view_as_complex for the complex <-> real views),
  // then as_strided to the view's geometry. A view of another dtype with the
  // same itemsize (x.view(torch.int32) of a float32 x) is the as_strided view
  // given the view's dtype: replaying its chain on another base keeps that
  // base's dtype. A dtype view that changes the itemsize needs a view(dtype)
  // op, which view/ops.hpp does not have yet: it is a value_error.
  tensor_desc convert_view(const tensor_description& d) {
    expect<value_error, "convert", "description {} is a view without a base">(d.base != nullptr, d.id);
    expect<value_error, "convert", "the base {} of view {} is itself a view (a base is never a view)">(!d.base->is_view,
                                                                                                      d.base->id, d.id);
    expect<value_error, "convert", "view {} is on storage {} but its base {} on storage {}">(
        d.storage.id == d.base->storage.id, d.id, d.storage.id, d.base->id, d.base->storage.id);
    const tensor_desc base = convert(*d.base);
    storage_for(d);  // the view may reach further than the base did when it was described
    if (base.dtype() == d.dtype) return as_strided(base, d.sizes, d.strides, d.storage_offset);
    if (is_complex(base.dtype()) && to_real(base.dtype()) == d.dtype)
      return as_strided(view_as_real(base), d.sizes, d.strides, d.storage_offset);
    if (is_complex(d.dtype) && to_real(d.dtype) == base.dtype() && fits_view_as_complex(base))
      return as_strided(view_as_complex(base), d.sizes, d.strides, d.storage_offset);
    expect<value_error, "convert",
           "view {} has dtype {} and its base {} has dtype {}: a dtype view that changes the itemsize is not supported">(
        itemsize(d.dtype) == itemsize(base.dtype()), d.id, d.dtype, d.base->id, base.dtype());
    tensor_desc out = as_strided(base, d.sizes, d.strides, d.storage_offset);
    out.set_dtype_unchecked(d.dtype);
    return out;
  }

  static bool fits_view_as_complex(const tensor_desc& t) {
    if (t.dim() == 0 || t.size(-1) != 2 || t.stride(-1) != 1 || t.storage_offset() % 2 != 0) return false;
    for (std::int64_t i = 0; i + 1 < t.dim(); ++i)
      if (t.stride(i) % 2 != 0) return false;
    return true;
  }

  static void apply_flags(const tensor_description& d, tensor_desc& t) {
    t.set(tensor_flag::requires_grad, d.requires_grad)
        .set(tensor_flag::is_leaf, d.is_leaf)
        .set(tensor_flag::is_conj, d.is_conj)
        .set(tensor_flag::is_neg, d.is_neg)
        .set(tensor_flag::is_inference, d.is_inference)
        .set(tensor_flag::is_parameter, d.is_parameter);
  }

  static void check_unchanged(const tensor_description& d, const tensor_desc& t) {
    const char* field = t.sizes() != d.sizes                     ? "sizes"
                        : t.strides() != d.strides               ? "strides"
                        : t.storage_offset() != d.storage_offset ? "storage_offset"
                        : t.dtype() != d.dtype                   ? "dtype"
                        : t.device() != d.device                 ? "device"
                                                                 : nullptr;
    if (field == nullptr) return;
    throw metadata_mismatch_error(field, "convert: tensor " + std::to_string(d.id) + " was converted as " + to_string(t) +
                                             " but is now " + to_string(d) + " (" + field +
                                             " changed): the real tensor was changed in place since");
  }

  // Memo tables in an arena of the converter's own (entries are never erased).
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_ = std::make_unique<std::pmr::monotonic_buffer_resource>();
  std::pmr::unordered_map<std::uint64_t, tensor_desc> tensors_{arena_.get()};
  std::pmr::unordered_map<std::uint64_t, fake::storage> storages_{arena_.get()};
};

}  // namespace fake
