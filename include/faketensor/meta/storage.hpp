// faketensor/meta/storage.hpp — a fake storage: identity, size, device and a
// version counter, but no bytes (except the values of small constants).
//
// Several tensors (a base and its views, tied parameters) share one storage;
// `storage` is a handle and copies refer to the same storage. The reference
// count is not atomic: like PyTorch's Python-side objects, a fake tensor
// graph belongs to one thread at a time (hand it over with synchronization).
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t
#include <utility>  // std::move
#include <vector>   // std::vector

#include <boost/smart_ptr/intrusive_ptr.hpp>         // boost::intrusive_ptr
#include <boost/smart_ptr/intrusive_ref_counter.hpp>  // boost::intrusive_ref_counter

#include "faketensor/core/device.hpp"        // fake::device
#include "faketensor/core/dtype.hpp"         // fake::dtype
#include "faketensor/core/scalar_value.hpp"  // fake::scalar_value
#include "faketensor/core/expect.hpp"  // fake::expect

namespace fake {

// The known values of (part of) a storage: elements [first, first + size) in
// storage order, as `type` stores them (Note [constant tensors]).
struct constant_data : boost::intrusive_ref_counter<constant_data, boost::thread_unsafe_counter> {
  fake::dtype type{};
  std::int64_t first = 0;
  std::vector<scalar_value> values;
};

namespace detail {

inline std::uint64_t next_storage_id() noexcept {
  static std::uint64_t counter = 0;  // ids are only compared, never reused
  return ++counter;
}

struct storage_impl : boost::intrusive_ref_counter<storage_impl, boost::thread_unsafe_counter> {
  storage_impl(std::uint64_t id_, std::int64_t nbytes_, device dev_, bool resizable_) noexcept
      : id(id_), nbytes(nbytes_), dev(dev_), resizable(resizable_) {}
  std::uint64_t id;
  std::int64_t nbytes;
  device dev;
  bool resizable;
  std::uint64_t version = 0;
  // Note [constant tensors] (meta/constant.hpp): the values this storage holds,
  // when they are known; valid while `version` is still constant_version (a
  // write forgets them).
  boost::intrusive_ptr<const constant_data> constant;  // 8 bytes: storage_impl stays in malloc's 64-byte class
  std::uint64_t constant_version = ~std::uint64_t{0};
};

}  // namespace detail

class storage {
 public:
  // A null handle: no storage (tensors always have one; this is for defaults).
  storage() noexcept = default;

  // A cuda `dev` without an index is the current cuda device (Note [the current cuda device]).
  storage(std::int64_t nbytes, device dev, bool resizable = true)
      : impl_(new detail::storage_impl(detail::next_storage_id(), nbytes, tensor_device(dev), resizable)) {
    expect<shape_error, "storage", "negative storage size {} bytes">(nbytes >= 0, nbytes);
  }

  [[nodiscard]] bool defined() const noexcept { return impl_ != nullptr; }
  explicit operator bool() const noexcept { return defined(); }

  // Identity: the same storage gives the same id, for the life of the process.
  [[nodiscard]] std::uint64_t id() const noexcept { return impl_ ? impl_->id : 0; }
  [[nodiscard]] std::int64_t nbytes() const noexcept { return impl_ ? impl_->nbytes : 0; }
  [[nodiscard]] fake::device device() const noexcept { return impl_ ? impl_->dev : fake::device{}; }
  [[nodiscard]] bool resizable() const noexcept { return impl_ && impl_->resizable; }
  // Bumped by every in-place write through any tensor on this storage
  // (PyTorch keeps it per view family; a storage is exactly that family here).
  [[nodiscard]] std::uint64_t version() const noexcept { return impl_ ? impl_->version : 0; }
  [[nodiscard]] long use_count() const noexcept { return impl_ ? static_cast<long>(impl_->use_count()) : 0; }

  // Note [constant tensors]: the known values, if any and not written since.
  [[nodiscard]] const constant_data* constant() const noexcept {
    if (!impl_ || impl_->constant_version != impl_->version) return nullptr;
    return impl_->constant.get();
  }
  void set_constant(boost::intrusive_ptr<const constant_data> values) const noexcept {
    if (!impl_) return;
    impl_->constant = std::move(values);
    impl_->constant_version = impl_->version;
  }
  // Forgets the values (on every tensor of this storage): PyTorch's
  // invalidate_constant_aliases.
  void forget_constant() const noexcept {
    if (!impl_) return;
    impl_->constant.reset();
    impl_->constant_version = ~std::uint64_t{0};
  }

  void bump_version() const noexcept {
    if (impl_) ++impl_->version;
  }

  // Grows (never shrinks) a resizable storage, as resize_ / out= do.
  void ensure_nbytes(std::int64_t nbytes) const {
    expect<shape_error, "storage", "no storage to resize">(defined());
    if (nbytes <= impl_->nbytes) return;
    expect<shape_error, "storage", "Trying to resize storage that is not resizable (from {} to {} bytes)">(
        impl_->resizable, impl_->nbytes, nbytes);
    impl_->nbytes = nbytes;
  }

  friend bool operator==(const storage& a, const storage& b) noexcept { return a.impl_ == b.impl_; }

 private:
  boost::intrusive_ptr<detail::storage_impl> impl_;
};

}  // namespace fake
