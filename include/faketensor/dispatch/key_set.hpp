// faketensor/dispatch/key_set.hpp — sets of dispatch keys: c10's DispatchKeySet.
//
// fake::dispatch_key_set is one 64-bit word in c10's split encoding (Note
// [dispatch key encoding] in key.hpp): 15 backend bits and 45 functionality
// bits. Its highest-priority key is the highest functionality bit, crossed with
// the highest backend bit when that functionality is per-backend: a count of
// leading zeros or two, no loop. Also here: the alias keys' runtime sets
// (getRuntimeDispatchKeySet, isIncludedInAlias, getBackendKeySetFromAutograd)
// and fallthrough_mask, the per-operator mask of keys whose kernel is a
// fallthrough (DispatchKeyExtractor's nonFallthroughKeys_).
#pragma once

#include <array>             // std::array
#include <bit>               // std::bit_width
#include <cstddef>           // std::size_t
#include <cstdint>           // std::uint64_t, std::uint8_t
#include <initializer_list>  // std::initializer_list
#include <iterator>          // std::forward_iterator_tag
#include <string>            // std::string

#include "faketensor/core/error.hpp"      // fake::value_error
#include "faketensor/core/expect.hpp"     // fake::fail
#include "faketensor/dispatch/key.hpp"    // fake::dispatch_key, fake::backend_component

namespace fake {

// Note [dispatch key set semantics]
// ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
// Because a set stores functionality bits and backend bits separately, it
// always holds a cross product: {cpu, autograd_cuda} is the bits {Dense,
// AutogradFunctionality} x {CPUBit, CUDABit}, i.e. also cuda and
// autograd_cpu. That is c10's behaviour (a tensor's key set is built per
// backend, so the cross product is what dispatch needs) and we keep it,
// together with c10's operations on the bits:
//  * has(k): k's functionality bit and, for a per-backend key, its backend bit;
//  * add(k): sets both bits;
//  * remove(k) and `a - b`: clear *functionality* bits only; the backend bits
//    stay (remove(autograd_cpu) removes autograd for every backend). This is why
//    fallthrough masks are kept per backend (fallthrough_mask below);
//  * |, &, ^: on the raw bits.
// Iteration visits the runtime keys of the set highest priority first, the
// order in which dispatch would try them; to_string prints them in c10's order
// (lowest first), "DispatchKeySet(CPU, ADInplaceOrView, AutogradCPU)", as
// PyTorch prints a key set.

namespace detail {

inline constexpr std::uint64_t full_backend_mask = (std::uint64_t{1} << num_backends) - 1;

constexpr std::uint64_t backend_bit(backend_component b) noexcept {
  return b == backend_component::invalid ? 0 : std::uint64_t{1} << (static_cast<std::uint8_t>(b) - 1);
}

// The functionality bit of a functionality key (0 for undefined).
constexpr std::uint64_t functionality_bit(dispatch_key f) noexcept {
  const auto v = static_cast<std::uint8_t>(f);
  return v == 0 ? 0 : std::uint64_t{1} << (num_backends + v - 1);
}

constexpr std::uint64_t key_bits(dispatch_key k) noexcept {
  if (k == dispatch_key::undefined || is_alias_key(k)) return 0;
  return functionality_bit(to_functionality_key(k)) | backend_bit(to_backend_component(k));
}

// Per functionality key: whether it is per-backend, and the value that, added
// to a backend component (1-based), gives its runtime key. What c10's
// offsetsAndMasks() is to its packed table.
struct functionality_info {
  std::uint8_t block_base = 0;
  bool per_backend = false;
};

constexpr std::array<functionality_info, num_functionality_keys> make_functionality_table() {
  std::array<functionality_info, num_functionality_keys> table{};
  for (std::size_t f = 0; f < num_functionality_keys; ++f) {
    const auto key = static_cast<dispatch_key>(f);
    if (is_per_backend_functionality_key(key))
      table[f] = {static_cast<std::uint8_t>(static_cast<std::uint8_t>(to_runtime_key(key, backend_component::cpu)) - 1),
                  true};
    else
      table[f] = {static_cast<std::uint8_t>(f), false};
  }
  return table;
}
inline constexpr std::array<functionality_info, num_functionality_keys> functionality_table =
    make_functionality_table();

}  // namespace detail

class dispatch_key_set {
 public:
  constexpr dispatch_key_set() noexcept = default;
  constexpr explicit dispatch_key_set(dispatch_key k) noexcept : repr_(detail::key_bits(k)) {}
  constexpr explicit dispatch_key_set(backend_component b) noexcept : repr_(detail::backend_bit(b)) {}
  constexpr dispatch_key_set(std::initializer_list<dispatch_key> keys) noexcept {
    for (dispatch_key k : keys) repr_ |= detail::key_bits(k);
  }

  static constexpr dispatch_key_set from_raw(std::uint64_t bits) noexcept { return dispatch_key_set(raw_tag{}, bits); }
  // Every functionality and every backend (c10's FULL).
  static constexpr dispatch_key_set full() noexcept {
    return from_raw((std::uint64_t{1} << (num_backends + num_functionality_keys - 1)) - 1);
  }
  // Every backend bit and no functionality.
  static constexpr dispatch_key_set all_backends() noexcept { return from_raw(detail::full_backend_mask); }
  // c10's FULL_AFTER: every functionality of lower priority than k's, every
  // backend, and python_dispatcher (c10 adds it so that the Python dispatcher
  // stays reachable on redispatch). For undefined and alias keys: python_dispatcher only.
  static constexpr dispatch_key_set full_after(dispatch_key k) noexcept {
    const dispatch_key f = to_functionality_key(k);
    const std::uint64_t below =
        f == dispatch_key::undefined ? 0 : (std::uint64_t{1} << (num_backends + static_cast<std::uint8_t>(f) - 1)) - 1;
    return from_raw(below | detail::key_bits(dispatch_key::python_dispatcher));
  }

  [[nodiscard]] constexpr std::uint64_t raw() const noexcept { return repr_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return repr_ == 0; }

  // Membership of a runtime or functionality key; false for undefined and alias keys.
  [[nodiscard]] constexpr bool has(dispatch_key k) const noexcept {
    const std::uint64_t bits = detail::key_bits(k);
    return bits != 0 && (repr_ & bits) == bits;
  }
  [[nodiscard]] constexpr bool has_backend(backend_component b) const noexcept {
    const std::uint64_t bit = detail::backend_bit(b);
    return bit != 0 && (repr_ & bit) == bit;
  }
  [[nodiscard]] constexpr bool has_all(dispatch_key_set ks) const noexcept { return (repr_ & ks.repr_) == ks.repr_; }
  [[nodiscard]] constexpr bool has_any(dispatch_key_set ks) const noexcept { return (repr_ & ks.repr_) != 0; }

  [[nodiscard]] constexpr dispatch_key_set add(dispatch_key k) const noexcept {
    return from_raw(repr_ | detail::key_bits(k));
  }
  [[nodiscard]] constexpr dispatch_key_set add(dispatch_key_set ks) const noexcept { return *this | ks; }
  // Clears k's functionality bit (see Note [dispatch key set semantics]).
  [[nodiscard]] constexpr dispatch_key_set remove(dispatch_key k) const noexcept {
    return from_raw(repr_ & ~(detail::key_bits(k) & ~detail::full_backend_mask));
  }
  [[nodiscard]] constexpr dispatch_key_set remove_backend(backend_component b) const noexcept {
    return from_raw(repr_ & ~detail::backend_bit(b));
  }

  friend constexpr dispatch_key_set operator|(dispatch_key_set a, dispatch_key_set b) noexcept {
    return from_raw(a.repr_ | b.repr_);
  }
  friend constexpr dispatch_key_set operator&(dispatch_key_set a, dispatch_key_set b) noexcept {
    return from_raw(a.repr_ & b.repr_);
  }
  // c10's difference: b's functionalities leave, a's backend bits stay.
  friend constexpr dispatch_key_set operator-(dispatch_key_set a, dispatch_key_set b) noexcept {
    return from_raw(a.repr_ & (detail::full_backend_mask | ~b.repr_));
  }
  friend constexpr dispatch_key_set operator^(dispatch_key_set a, dispatch_key_set b) noexcept {
    return from_raw(a.repr_ ^ b.repr_);
  }
  friend constexpr bool operator==(dispatch_key_set, dispatch_key_set) noexcept = default;

  // The highest functionality key (undefined when there is none).
  [[nodiscard]] constexpr dispatch_key highest_functionality_key() const noexcept {
    return static_cast<dispatch_key>(std::bit_width(repr_ >> num_backends));
  }
  // The highest backend component (invalid when there is none).
  [[nodiscard]] constexpr backend_component highest_backend() const noexcept {
    return static_cast<backend_component>(std::bit_width(repr_ & detail::full_backend_mask));
  }
  // c10's getBackendIndex: the highest backend's position, cpu = 0; 0 also when
  // there is no backend bit.
  [[nodiscard]] constexpr std::size_t backend_index() const noexcept {
    const auto b = static_cast<std::size_t>(highest_backend());
    return b == 0 ? 0 : b - 1;
  }

  // The key dispatch goes to (c10's highestPriorityTypeId): the highest
  // functionality, crossed with the highest backend when it is per-backend.
  // undefined for a set without functionality bits; a per-backend
  // functionality without any backend bit gives that functionality key
  // (dense, ...), which has no kernel in any table.
  [[nodiscard]] constexpr dispatch_key highest_priority_key() const noexcept {
    const auto f = static_cast<std::size_t>(std::bit_width(repr_ >> num_backends));
    const detail::functionality_info info = detail::functionality_table[f];
    const auto b = info.per_backend ? static_cast<unsigned>(std::bit_width(repr_ & detail::full_backend_mask)) : 0U;
    return static_cast<dispatch_key>(b != 0 ? info.block_base + b : f);
  }

  // The runtime keys of the set, highest priority first.
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = dispatch_key;
    using difference_type = std::ptrdiff_t;
    using pointer = const dispatch_key*;
    using reference = dispatch_key;

    constexpr iterator() noexcept = default;
    constexpr dispatch_key operator*() const noexcept {
      const auto f = static_cast<std::size_t>(std::bit_width(funcs_));
      const detail::functionality_info info = detail::functionality_table[f];
      return static_cast<dispatch_key>(info.per_backend ? info.block_base + std::bit_width(backends_left_) : f);
    }
    constexpr iterator& operator++() noexcept {
      const auto f = static_cast<std::size_t>(std::bit_width(funcs_));
      if (detail::functionality_table[f].per_backend) {
        backends_left_ &= ~(std::uint64_t{1} << (std::bit_width(backends_left_) - 1));
        if (backends_left_ != 0) return *this;
      }
      funcs_ &= ~(std::uint64_t{1} << (f - 1));
      settle();
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator before = *this;
      ++*this;
      return before;
    }
    friend constexpr bool operator==(const iterator&, const iterator&) noexcept = default;

   private:
    friend class dispatch_key_set;
    constexpr explicit iterator(std::uint64_t repr) noexcept
        : funcs_(repr >> num_backends), backends_(repr & detail::full_backend_mask) {
      settle();
    }
    // Moves to the next functionality that has a runtime key: a per-backend one
    // without backend bits has none and is skipped (c10's iterator does the same).
    constexpr void settle() noexcept {
      backends_left_ = 0;
      while (funcs_ != 0) {
        const auto f = static_cast<std::size_t>(std::bit_width(funcs_));
        if (!detail::functionality_table[f].per_backend) return;
        if (backends_ != 0) {
          backends_left_ = backends_;
          return;
        }
        funcs_ &= ~(std::uint64_t{1} << (f - 1));
      }
      backends_ = 0;
    }

    std::uint64_t funcs_ = 0;
    std::uint64_t backends_ = 0;
    std::uint64_t backends_left_ = 0;
  };

  [[nodiscard]] constexpr iterator begin() const noexcept { return iterator(repr_); }
  [[nodiscard]] constexpr iterator end() const noexcept { return iterator(); }

  // Number of runtime keys (what iteration visits).
  [[nodiscard]] constexpr std::size_t size() const noexcept {
    std::size_t n = 0;
    for ([[maybe_unused]] dispatch_key k : *this) ++n;
    return n;
  }

 private:
  struct raw_tag {};
  constexpr dispatch_key_set(raw_tag, std::uint64_t bits) noexcept : repr_(bits) {}

  std::uint64_t repr_ = 0;
};

// "DispatchKeySet(CPU, ADInplaceOrView, AutogradCPU)", lowest priority first as c10 prints it.
inline std::string to_string(dispatch_key_set ks) {
  std::array<dispatch_key, dispatch_table_size> keys{};
  std::size_t n = 0;
  for (dispatch_key k : ks) keys[n++] = k;
  std::string out = "DispatchKeySet(";
  for (std::size_t i = n; i > 0; --i) {
    out += to_string(keys[i - 1]);
    if (i > 1) out += ", ";
  }
  out += ")";
  return out;
}

// ---------------------------------------------------------------------------
// The runtime sets of the alias keys (c10/core/DispatchKeySet.{h,cpp}).

// Autograd's functionalities; with every backend bit it is the Autograd alias's
// runtime set (Note [autograd_dispatch_keyset Does Not Include Backend Bits] in c10).
inline constexpr dispatch_key_set autograd_dispatch_keyset{
    dispatch_key::autograd_functionality, dispatch_key::autograd_other, dispatch_key::autograd_nested_tensor};

// The backends that share AutogradOther: those without a backend bit, and
// Sparse, SparseCsr and Quantized for every backend.
inline constexpr dispatch_key_set autogradother_backends =
    dispatch_key_set{dispatch_key::fpga,        dispatch_key::maia,   dispatch_key::vulkan,
                     dispatch_key::metal,       dispatch_key::custom_rng_key_id,
                     dispatch_key::mkldnn_cpu,  dispatch_key::sparse, dispatch_key::sparse_csr,
                     dispatch_key::quantized} |
    dispatch_key_set::all_backends();

// CompositeExplicitAutograd's runtime set: every backend key.
inline constexpr dispatch_key_set backend_dispatch_keyset =
    autogradother_backends | dispatch_key_set{dispatch_key::dense};

// CompositeExplicitAutogradNonFunctional's: the backend keys without Sparse and
// without the functional backends XLA and Lazy.
inline constexpr dispatch_key_set non_functional_backend_dispatch_keyset =
    backend_dispatch_keyset.remove(dispatch_key::sparse)
        .remove_backend(backend_component::xla)
        .remove_backend(backend_component::lazy);

// CompositeImplicitAutograd's: backend and autograd keys, NestedTensor (for
// implicit but not explicit composites) and Functionalize.
inline constexpr dispatch_key_set math_dispatch_keyset =
    backend_dispatch_keyset | autograd_dispatch_keyset |
    dispatch_key_set{dispatch_key::nested_tensor, dispatch_key::functionalize};

// CompositeImplicitAutogradNestedTensor's.
inline constexpr dispatch_key_set nested_dispatch_keyset =
    dispatch_key_set{dispatch_key::autograd_nested_tensor, dispatch_key::nested_tensor} |
    dispatch_key_set::all_backends();

// FuncTorchBatchedDecomposition's.
inline constexpr dispatch_key_set functorch_batched_keyset{dispatch_key::functorch_batched};

// c10's getRuntimeDispatchKeySet: the runtime keys an alias key stands for; a
// runtime key stands for itself. One difference: c10 returns an empty set for
// FuncTorchBatchedDecomposition here (its DispatchKeySet constructor drops
// alias keys) while isIncludedInAlias uses {FuncTorchBatched}; we return
// {functorch_batched}, so that both agree. Throws value_error for undefined.
constexpr dispatch_key_set runtime_keys_for_alias(dispatch_key alias) {
  switch (alias) {
    case dispatch_key::undefined:
      fail<value_error, "runtime_keys_for_alias", "Undefined has no runtime keys">();
    case dispatch_key::autograd: return autograd_dispatch_keyset | dispatch_key_set::all_backends();
    case dispatch_key::composite_implicit_autograd: return math_dispatch_keyset;
    case dispatch_key::composite_implicit_autograd_nested_tensor: return nested_dispatch_keyset;
    case dispatch_key::composite_explicit_autograd: return backend_dispatch_keyset;
    case dispatch_key::composite_explicit_autograd_non_functional: return non_functional_backend_dispatch_keyset;
    case dispatch_key::functorch_batched_decomposition: return functorch_batched_keyset;
    default: return dispatch_key_set(alias);
  }
}

// c10's isIncludedInAlias (runtimeDispatchKeySetHas): whether the alias's
// kernel may serve runtime key k. For a non-alias `alias`, k == alias.
constexpr bool is_included_in_alias(dispatch_key k, dispatch_key alias) noexcept {
  if (k == dispatch_key::undefined) return false;
  switch (alias) {
    case dispatch_key::autograd: return autograd_dispatch_keyset.has(to_functionality_key(k));
    case dispatch_key::composite_implicit_autograd: return math_dispatch_keyset.has(k);
    case dispatch_key::composite_implicit_autograd_nested_tensor: return nested_dispatch_keyset.has(k);
    case dispatch_key::composite_explicit_autograd:
      return k != dispatch_key::nested_tensor && backend_dispatch_keyset.has(k);
    case dispatch_key::composite_explicit_autograd_non_functional:
      return k != dispatch_key::nested_tensor && non_functional_backend_dispatch_keyset.has(k);
    case dispatch_key::functorch_batched_decomposition: return functorch_batched_keyset.has(k);
    default: return k == alias;
  }
}

// c10's getBackendKeySetFromAutograd: the backend keys whose kernels an
// autograd key wraps; empty for every other key. autograd_hip and autograd_ve
// map to nothing (no backend maps to them either, see to_autograd_key).
constexpr dispatch_key_set backend_keyset_from_autograd(dispatch_key k) noexcept {
  switch (k) {
    case dispatch_key::autograd_other: return autogradother_backends;
    case dispatch_key::autograd_nested_tensor:
      return dispatch_key_set{dispatch_key::nested_tensor} | dispatch_key_set::all_backends();
    case dispatch_key::autograd_hip:
    case dispatch_key::autograd_ve: return {};
    default:
      if (to_functionality_key(k) == dispatch_key::autograd_functionality && k != dispatch_key::autograd_functionality)
        return dispatch_key_set(to_runtime_key(dispatch_key::dense, to_backend_component(k)));
      return {};
  }
}

// ---------------------------------------------------------------------------
// Note [fallthrough mask]
// ~~~~~~~~~~~~~~~~~~~~~~~
// A key whose kernel for an operator is a fallthrough (registered as one, or
// inherited from an alias key or a backend fallthrough fallback) is skipped by
// dispatch: the key set is masked before its highest key is taken. Since
// remove() can only clear a whole functionality (Note [dispatch key set
// semantics]), a fallthrough for autograd_cpu but not autograd_cuda needs one
// mask per backend; the mask of the set's highest backend applies. This is
// c10's DispatchKeyExtractor (nonFallthroughKeys_, nonFallthroughKeysPerBackend_,
// requiresBitsetPerBackend_); when every backend agrees, one mask serves all.
class fallthrough_mask {
 public:
  constexpr fallthrough_mask() noexcept { per_backend_.fill(dispatch_key_set::full()); }

  // Marks runtime key k as (not) having a fallthrough kernel.
  constexpr void set_fallthrough(dispatch_key k, bool is_fallthrough) noexcept {
    if (!is_runtime_key(k)) return;
    const backend_component b = to_backend_component(k);
    const auto update = [&](dispatch_key_set& mask) {
      mask = is_fallthrough ? mask.remove(k) : mask.add(k);
    };
    if (b != backend_component::invalid) {
      update(per_backend_[static_cast<std::size_t>(b) - 1]);
    } else {
      for (dispatch_key_set& mask : per_backend_) update(mask);
    }
    per_backend_needed_ = false;
    for (std::size_t i = 1; i < num_backends; ++i) per_backend_needed_ |= per_backend_[i] != per_backend_[0];
    common_ = per_backend_[0];
  }

  // Whether runtime key k is marked as a fallthrough.
  [[nodiscard]] constexpr bool is_fallthrough(dispatch_key k) const noexcept {
    if (!is_runtime_key(k)) return false;
    const backend_component b = to_backend_component(k);
    const dispatch_key_set mask = per_backend_[b == backend_component::invalid ? 0 : static_cast<std::size_t>(b) - 1];
    return !mask.has(to_functionality_key(k));
  }

  // The keys of ks that dispatch may land on.
  [[nodiscard]] constexpr dispatch_key_set apply(dispatch_key_set ks) const noexcept {
    if (!per_backend_needed_) [[likely]]
      return ks & common_;
    return ks & per_backend_[ks.backend_index()];
  }

  // Whether the masks differ between backends (c10's requiresBitsetPerBackend_).
  [[nodiscard]] constexpr bool per_backend() const noexcept { return per_backend_needed_; }

  friend constexpr bool operator==(const fallthrough_mask&, const fallthrough_mask&) noexcept = default;

 private:
  dispatch_key_set common_ = dispatch_key_set::full();
  std::array<dispatch_key_set, num_backends> per_backend_{};
  bool per_backend_needed_ = false;
};

}  // namespace fake
