// faketensor/dispatch/registration.hpp — the handle that keeps a kernel registered.
//
// Registering a kernel (kernel_table::register_kernel) or a backend fallback
// (backend_fallback_table::register_fallback) returns a fake::registration:
// move-only, and destroying it, or calling reset(), removes exactly that
// registration (c10's RegistrationHandleRAII). The handle is one type for
// every table and kernel type: it holds the table and a function that removes
// registration `id` from it. The table must outlive its handles.
#pragma once

#include <cstdint>  // std::uint64_t
#include <utility>  // std::exchange

#include "faketensor/dispatch/key.hpp"  // fake::dispatch_key

namespace fake {

namespace detail {
struct registration_access;
}  // namespace detail

class registration {
 public:
  constexpr registration() noexcept = default;
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;
  registration(registration&& other) noexcept
      : owner_(std::exchange(other.owner_, nullptr)),
        remove_(std::exchange(other.remove_, nullptr)),
        key_(other.key_),
        id_(std::exchange(other.id_, 0)) {}
  registration& operator=(registration&& other) noexcept {
    if (this != &other) {
      reset();
      owner_ = std::exchange(other.owner_, nullptr);
      remove_ = std::exchange(other.remove_, nullptr);
      key_ = other.key_;
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }
  ~registration() { reset(); }

  // Removes the registration now; afterwards the handle is empty.
  void reset() noexcept {
    if (owner_ != nullptr) {
      void* owner = std::exchange(owner_, nullptr);
      remove_(owner, key_, std::exchange(id_, 0));
    }
  }

  // Whether the handle still holds a registration.
  [[nodiscard]] bool active() const noexcept { return owner_ != nullptr; }
  explicit operator bool() const noexcept { return active(); }
  // The key the registration was made for (an alias key stays an alias key).
  [[nodiscard]] dispatch_key key() const noexcept { return key_; }
  // The registration's number in its table: later registrations have larger ones.
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }

 private:
  friend struct detail::registration_access;
  using remove_fn = void (*)(void* owner, dispatch_key key, std::uint64_t id) noexcept;

  registration(void* owner, remove_fn remove, dispatch_key key, std::uint64_t id) noexcept
      : owner_(owner), remove_(remove), key_(key), id_(id) {}

  void* owner_ = nullptr;
  remove_fn remove_ = nullptr;
  dispatch_key key_ = dispatch_key::undefined;
  std::uint64_t id_ = 0;
};

namespace detail {
// For the tables: the only way to make a live handle.
struct registration_access {
  using remove_fn = void (*)(void* owner, dispatch_key key, std::uint64_t id) noexcept;
  template <class Owner>
  static registration make(Owner* owner, dispatch_key key, std::uint64_t id) noexcept {
    const remove_fn remove = [](void* o, dispatch_key k, std::uint64_t i) noexcept {
      static_cast<Owner*>(o)->remove_registration(k, i);
    };
    return registration(owner, remove, key, id);
  }
};
}  // namespace detail

}  // namespace fake
