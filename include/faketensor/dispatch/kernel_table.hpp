// faketensor/dispatch/kernel_table.hpp — one operator's kernels by dispatch key, resolved and cached.
//
//   fake::backend_fallback_table<K> fallbacks;              // shared by all operators
//   fake::kernel_table<K> add("aten::add.Tensor", &fallbacks);
//   auto r1 = add.register_kernel(fake::dispatch_key::meta, meta_add);
//   auto r2 = add.register_kernel(fake::dispatch_key::composite_explicit_autograd, generic_add);
//   const K& k = add.dispatch(keys_of_the_arguments);        // an array lookup
//
// kernel_table<Kernel> is what torch/_ops.py's OperatorBase.py_kernels +
// resolve_key + _dispatch_cache and c10's OperatorEntry are to PyTorch: kernels
// registered per key (runtime or alias), a resolution of every runtime key to
// the kernel that serves it (Note [alias key resolution]), and a flat table of
// those resolutions indexed by key, rebuilt whenever a registration or a
// backend fallback changes. Kernel is any movable type (a function pointer, a
// std::function, a small callable); the table never calls it.
//
// Neither table is thread-safe: registration and dispatch must not race (c10
// takes a lock; torch._ops runs under the GIL). A table must outlive the
// registrations made on it, and a backend_fallback_table the kernel_tables
// that use it.
#pragma once

#include <algorithm>    // std::find_if
#include <array>        // std::array
#include <bit>          // std::countr_zero
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint64_t, std::int32_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move
#include <vector>       // std::vector

#include "faketensor/core/error.hpp"              // fake::error, fake::unsupported_op_error, fake::value_error
#include "faketensor/dispatch/key.hpp"            // fake::dispatch_key
#include "faketensor/dispatch/key_set.hpp"        // fake::dispatch_key_set, fake::fallthrough_mask
#include "faketensor/dispatch/registration.hpp"  // fake::registration

namespace fake {

// Note [alias key resolution]
// ~~~~~~~~~~~~~~~~~~~~~~~~~~~
// The kernel for runtime key k is, in this order (torch/_ops.py resolve_key,
// "Equivalent to computeDispatchTableEntryWithDebug" in c10's OperatorEntry):
//  1. the newest registration made for k itself                 [kernel]
//  2. CompositeExplicitAutogradNonFunctional's, if k is undefined or in its
//     runtime set                                               [default backend kernel]
//  3. CompositeExplicitAutograd's, likewise                     [default backend kernel]
//     Let has_backend_kernel = a registration exists for a (non-alias) key of
//     backend_keyset_from_autograd(k), or for CompositeExplicitAutograd.
//  4. CompositeImplicitAutogradNestedTensor's, if k is not undefined, is in its
//     runtime set, and !has_backend_kernel                      [nested kernel]
//  5. CompositeImplicitAutograd's, if k is undefined or in its runtime set:
//     for k == AutogradOther, when any key of autogradother_backends has a
//     registration, the entry is the "ambiguous autogradother kernel" (an error
//     when dispatched to); otherwise, if !has_backend_kernel   [math kernel]
//  6. Autograd's, if k is in its runtime set                    [autograd kernel]
//  7. FuncTorchBatchedDecomposition's, likewise                 [batched kernel]
//  8. the backend fallback registered for k, if any            [backend fallback]
//  9. nothing: dispatching to k raises unsupported_op_error
//     "could not find kernel for <op> at dispatch key <k>".
// A fallthrough (register_fallthrough, or a fallthrough fallback) resolves like
// a kernel; the key is then masked out of the key sets this operator
// dispatches on (Note [fallthrough mask] in key_set.hpp).
//
// Where PyTorch versions differ we follow torch/_ops.py of 2.x:
//  * step 4 requires !has_backend_kernel in _ops.py; c10's C++ (2.x and 1.13)
//    takes the nested kernel regardless. Only an operator with both a
//    CompositeImplicitAutogradNestedTensor kernel and a CompositeExplicitAutograd
//    (or NestedTensor backend) kernel sees the difference.
//  * 1.13 has no FuncTorchBatchedDecomposition step, and Functionalize is not
//    in its CompositeImplicitAutograd set (2.x added it: key_set.hpp).
// tests/runtime/dispatch_table_test.cpp checks every other entry of 1.13's
// computed tables for 100 operators (tests/data/dispatch_tables.json).
// As in c10 (and unlike py_impl, which raises on a second registration for a
// key), a newer registration shadows the older one; removing it re-exposes the
// older (Note [DispatchTable computation] keeps a list per key in c10).

// Which rule of Note [alias key resolution] produced a table entry; the names
// are c10's labels in dumpComputedTable.
enum class resolution_kind : std::uint8_t {
  kernel,                   // 1
  default_backend,          // 2, 3
  nested,                   // 4
  math,                     // 5
  autograd,                 // 6
  batched,                  // 7
  backend_fallback,         // 8
  ambiguous_autogradother,  // 5, AutogradOther with a backend kernel
  missing,                  // 9
};

constexpr std::string_view to_string(resolution_kind r) noexcept {
  switch (r) {
    case resolution_kind::kernel: return "kernel";
    case resolution_kind::default_backend: return "default backend kernel";
    case resolution_kind::nested: return "nested kernel";
    case resolution_kind::math: return "math kernel";
    case resolution_kind::autograd: return "autograd kernel";
    case resolution_kind::batched: return "batched kernel";
    case resolution_kind::backend_fallback: return "backend fallback";
    case resolution_kind::ambiguous_autogradother: return "ambiguous autogradother";
    case resolution_kind::missing: return "missing";
  }
  return "missing";
}

// What a runtime key resolves to.
template <class Kernel>
struct resolution {
  dispatch_key key = dispatch_key::undefined;     // the runtime key resolved
  dispatch_key source = dispatch_key::undefined;  // the key whose registration serves it: key itself
                                                  // (rules 1 and 8) or an alias key; undefined for
                                                  // ambiguous and missing
  resolution_kind kind = resolution_kind::missing;
  bool fallthrough = false;        // the serving registration is a fallthrough
  const Kernel* kernel = nullptr;  // null for fallthroughs, ambiguous and missing

  // Whether dispatching to `key` finds something to run or to fall through.
  [[nodiscard]] constexpr bool found() const noexcept {
    return kind != resolution_kind::missing && kind != resolution_kind::ambiguous_autogradother;
  }
  friend constexpr bool operator==(const resolution&, const resolution&) noexcept = default;
};

namespace detail {

// A set of dispatch keys as plain bits, one per enum value (alias keys
// included): what a kernel table has registrations for.
struct key_bitmap {
  std::array<std::uint64_t, (num_dispatch_keys + 63) / 64> words{};
  constexpr void set(dispatch_key k, bool on) noexcept {
    const auto v = static_cast<std::size_t>(k);
    if (on) words[v / 64] |= std::uint64_t{1} << (v % 64);
    else words[v / 64] &= ~(std::uint64_t{1} << (v % 64));
  }
  [[nodiscard]] constexpr bool test(dispatch_key k) const noexcept {
    const auto v = static_cast<std::size_t>(k);
    return ((words[v / 64] >> (v % 64)) & 1U) != 0;
  }
};

[[noreturn, gnu::cold, gnu::noinline]] inline void raise_missing_kernel(const std::string& op, dispatch_key k) {
  throw unsupported_op_error("could not find kernel for " + op + " at dispatch key " + std::string(to_string(k)));
}

[[noreturn, gnu::cold, gnu::noinline]] inline void raise_ambiguous_autogradother(const std::string& op,
                                                                               const std::string& backends) {
  throw unsupported_op_error(
      "ambiguous autogradother kernel: " + op +
      " has kernels registered to both CompositeImplicitAutograd and a backend mapped to AutogradOther (" + backends +
      "). The backend kernel would be unreachable: AutogradOther would always run the CompositeImplicitAutograd "
      "kernel. Register a kernel to AutogradOther or Autograd, or give the backend its own autograd key.");
}

[[noreturn, gnu::cold, gnu::noinline]] inline void raise_bad_registration_key(std::string_view what, dispatch_key k) {
  throw value_error(std::string(what) + ": cannot register for dispatch key " + std::string(to_string(k)) +
                    (k == dispatch_key::undefined
                         ? " (register to CompositeImplicitAutograd or CompositeExplicitAutograd for calls "
                           "without tensor arguments)"
                         : " (a per-backend functionality: register to one of its runtime keys, e.g. CPU, "
                           "AutogradCPU, or to an alias key)"));
}

}  // namespace detail

// ---------------------------------------------------------------------------
// c10's Dispatcher::registerFallback: at most one fallback per runtime key,
// shared by every operator whose kernel_table points here. Registering for an
// alias key registers for each of its runtime keys (c10's Library::fallback
// does the same). Each change bumps version(), which kernel tables compare on
// their next use, rebuilding their cache when it moved.
namespace detail {
// The registrations of a table, oldest first (both tables keep theirs so):
// a kernel, or none for a fallthrough, under the key it was made for.
template <class Kernel>
struct registration_records {
  struct record {
    std::uint64_t id;
    dispatch_key key;
    std::optional<Kernel> kernel;  // empty: fallthrough
  };
  std::vector<record> list;
  std::uint64_t next_id = 1;

  std::uint64_t push(dispatch_key k, std::optional<Kernel> kernel) {
    const std::uint64_t id = next_id++;
    list.push_back(record{id, k, std::move(kernel)});
    return id;
  }
  // Removes registration `id`; false when it is not (or no longer) there.
  bool erase(std::uint64_t id) noexcept {
    const auto it = std::find_if(list.begin(), list.end(), [id](const record& r) { return r.id == id; });
    if (it == list.end()) return false;
    list.erase(it);
    return true;
  }
};
}  // namespace detail

template <class Kernel>
class backend_fallback_table {
 public:
  backend_fallback_table() = default;
  backend_fallback_table(const backend_fallback_table&) = delete;
  backend_fallback_table& operator=(const backend_fallback_table&) = delete;

  [[nodiscard]] registration register_fallback(dispatch_key k, Kernel kernel) {
    return add(k, std::optional<Kernel>(std::move(kernel)));
  }
  // A fallthrough fallback (c10's makeFallthrough as a backend fallback, e.g.
  // ADInplaceOrView, AutogradCPU, AutocastCPU in PyTorch).
  [[nodiscard]] registration register_fallthrough(dispatch_key k) { return add(k, std::nullopt); }

  [[nodiscard]] bool has_fallback(dispatch_key k) const noexcept { return slot_of(k) >= 0; }
  [[nodiscard]] bool is_fallthrough(dispatch_key k) const noexcept {
    const int s = slot_of(k);
    return s >= 0 && !regs_.list[static_cast<std::size_t>(s)].kernel.has_value();
  }
  // The fallback kernel for k; null when there is none or it is a fallthrough.
  [[nodiscard]] const Kernel* fallback(dispatch_key k) const noexcept {
    const int s = slot_of(k);
    return s >= 0 && regs_.list[static_cast<std::size_t>(s)].kernel ? &*regs_.list[static_cast<std::size_t>(s)].kernel
                                                                  : nullptr;
  }
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }

 private:
  friend struct detail::registration_access;
  using record = typename detail::registration_records<Kernel>::record;

  [[nodiscard]] int slot_of(dispatch_key k) const noexcept {
    const auto v = static_cast<std::size_t>(k);
    return v < dispatch_table_size ? slots_[v] : -1;
  }

  registration add(dispatch_key k, std::optional<Kernel> kernel) {
    if (k == dispatch_key::undefined || is_per_backend_functionality_key(k))
      detail::raise_bad_registration_key("register_fallback", k);
    const dispatch_key_set keys = is_alias_key(k) ? runtime_keys_for_alias(k) : dispatch_key_set(k);
    for (dispatch_key rk : keys)
      if (slots_[static_cast<std::size_t>(rk)] >= 0)
        throw value_error("register_fallback: a backend fallback is already registered for dispatch key " +
                          std::string(to_string(rk)) + " (registering for " + std::string(to_string(k)) + ")");
    const std::uint64_t id = regs_.push(k, std::move(kernel));
    reindex();
    return detail::registration_access::make(this, k, id);
  }

  void remove_registration(dispatch_key, std::uint64_t id) noexcept {
    if (regs_.erase(id)) reindex();
  }

  void reindex() noexcept {
    slots_.fill(-1);
    for (std::size_t i = 0; i < regs_.list.size(); ++i) {
      const dispatch_key k = regs_.list[i].key;
      if (is_alias_key(k)) {
        for (dispatch_key rk : runtime_keys_for_alias(k)) slots_[static_cast<std::size_t>(rk)] = static_cast<int>(i);
      } else {
        slots_[static_cast<std::size_t>(k)] = static_cast<int>(i);
      }
    }
    ++version_;
  }

  detail::registration_records<Kernel> regs_;
  std::array<int, dispatch_table_size> slots_ = make_empty_slots();
  std::uint64_t version_ = 1;

  static constexpr std::array<int, dispatch_table_size> make_empty_slots() noexcept {
    std::array<int, dispatch_table_size> s{};
    s.fill(-1);
    return s;
  }
};

namespace detail {
struct kernel_table_test_access;
}  // namespace detail

// ---------------------------------------------------------------------------
template <class Kernel>
class kernel_table {
 public:
  using kernel_type = Kernel;
  using fallback_table = backend_fallback_table<Kernel>;

  // op_name names the operator in error messages ("aten::add.Tensor").
  explicit kernel_table(std::string op_name, const fallback_table* fallbacks = nullptr)
      : name_(std::move(op_name)), fallbacks_(fallbacks) {
    top_.fill(-1);
    rebuild_cache();
  }
  kernel_table(const kernel_table&) = delete;
  kernel_table& operator=(const kernel_table&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const fallback_table* fallbacks() const noexcept { return fallbacks_; }

  // Registers `kernel` for k: a runtime key or an alias key. It shadows earlier
  // registrations for k until its handle is reset. Throws value_error for
  // undefined and for the per-backend functionality keys (dense, ...).
  [[nodiscard]] registration register_kernel(dispatch_key k, Kernel kernel) {
    return add(k, std::optional<Kernel>(std::move(kernel)));
  }
  // Registers a fallthrough for k (c10's CppFunction::makeFallthrough(),
  // HigherOrderOperator.fallthrough): dispatch skips the keys it serves.
  [[nodiscard]] registration register_fallthrough(dispatch_key k) { return add(k, std::nullopt); }

  // A registration exists for k itself (alias keys included).
  [[nodiscard]] bool has_kernel_for_dispatch_key(dispatch_key k) const noexcept { return registered_.test(k); }
  // A registration exists for a non-alias key in ks (c10's hasKernelForAnyDispatchKey).
  [[nodiscard]] bool has_kernel_for_any_dispatch_key(dispatch_key_set ks) const noexcept {
    // Walks the set bits only: an operator has a handful of registered keys.
    for (std::size_t w = 0; w < registered_.words.size(); ++w)
      for (std::uint64_t bits = registered_.words[w]; bits != 0; bits &= bits - 1) {
        const auto k = static_cast<dispatch_key>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
        if (!is_alias_key(k) && ks.has(k)) return true;
      }
    return false;
  }
  // How many registrations k has (the active one and those it shadows).
  [[nodiscard]] std::size_t registration_count(dispatch_key k) const noexcept {
    std::size_t n = 0;
    for (const record& r : regs_.list) n += r.key == k ? 1 : 0;
    return n;
  }

  // The cached resolution of runtime key k (or undefined). Throws
  // unsupported_op_error when nothing serves k or k is the ambiguous
  // AutogradOther case; value_error for an alias key.
  [[nodiscard]] resolution<Kernel> resolve(dispatch_key k) const {
    if (is_alias_key(k))
      throw value_error("resolve: " + std::string(to_string(k)) + " is an alias key; resolve a runtime key");
    sync();
    const resolution<Kernel>& r = cache_[static_cast<std::size_t>(k)];
    if (!r.found()) raise(r);
    return r;
  }

  // The resolution of k computed now, without the cache and without throwing
  // (c10's computeDispatchTableEntryWithDebug). For check_invariants and tests.
  [[nodiscard]] resolution<Kernel> compute_resolution(dispatch_key k) const noexcept {
    resolution<Kernel> r;
    r.key = k;
    if (is_alias_key(k) || (k != dispatch_key::undefined && !is_runtime_key(k))) return r;
    const auto use = [&](dispatch_key source, resolution_kind kind) {
      const record& rec = regs_.list[static_cast<std::size_t>(top_[static_cast<std::size_t>(source)])];
      r.source = source;
      r.kind = kind;
      r.fallthrough = !rec.kernel.has_value();
      r.kernel = rec.kernel ? &*rec.kernel : nullptr;
      return r;
    };
    const auto has = [&](dispatch_key key) { return registered_.test(key); };
    const auto in_alias = [&](dispatch_key alias) {
      return k == dispatch_key::undefined || is_included_in_alias(k, alias);
    };
    using dk = dispatch_key;
    // 1. direct registration
    if (k != dk::undefined && has(k)) return use(k, resolution_kind::kernel);
    // 2. CompositeExplicitAutogradNonFunctional, 3. CompositeExplicitAutograd
    if (in_alias(dk::composite_explicit_autograd_non_functional) && has(dk::composite_explicit_autograd_non_functional))
      return use(dk::composite_explicit_autograd_non_functional, resolution_kind::default_backend);
    if (in_alias(dk::composite_explicit_autograd) && has(dk::composite_explicit_autograd))
      return use(dk::composite_explicit_autograd, resolution_kind::default_backend);
    const bool has_backend_kernel =
        has_kernel_for_any_dispatch_key(backend_keyset_from_autograd(k)) || has(dk::composite_explicit_autograd);
    // 4. CompositeImplicitAutogradNestedTensor
    if (k != dk::undefined && is_included_in_alias(k, dk::composite_implicit_autograd_nested_tensor) &&
        has(dk::composite_implicit_autograd_nested_tensor) && !has_backend_kernel)
      return use(dk::composite_implicit_autograd_nested_tensor, resolution_kind::nested);
    // 5. CompositeImplicitAutograd, with the AutogradOther ambiguity
    if (in_alias(dk::composite_implicit_autograd) && has(dk::composite_implicit_autograd)) {
      if (k == dk::autograd_other && has_kernel_for_any_dispatch_key(autogradother_backends)) {
        r.kind = resolution_kind::ambiguous_autogradother;
        return r;
      }
      if (!has_backend_kernel) return use(dk::composite_implicit_autograd, resolution_kind::math);
    }
    // 6. Autograd, 7. FuncTorchBatchedDecomposition
    if (k != dk::undefined && is_included_in_alias(k, dk::autograd) && has(dk::autograd))
      return use(dk::autograd, resolution_kind::autograd);
    if (k != dk::undefined && is_included_in_alias(k, dk::functorch_batched_decomposition) &&
        has(dk::functorch_batched_decomposition))
      return use(dk::functorch_batched_decomposition, resolution_kind::batched);
    // 8. backend fallback
    if (fallbacks_ != nullptr && fallbacks_->has_fallback(k)) {
      r.source = k;
      r.kind = resolution_kind::backend_fallback;
      r.fallthrough = fallbacks_->is_fallthrough(k);
      r.kernel = fallbacks_->fallback(k);
      return r;
    }
    // 9. missing
    return r;
  }

  // The keys of ks this operator does not fall through (c10's
  // getDispatchKeySetUnboxed masking; TLS include/exclude sets are the caller's).
  [[nodiscard]] dispatch_key_set non_fallthrough(dispatch_key_set ks) const {
    sync();
    return mask_.apply(ks);
  }
  [[nodiscard]] const fallthrough_mask& fallthrough_keys() const {
    sync();
    return mask_;
  }

  // The kernel for a call whose arguments carry ks: the highest key that is
  // not a fallthrough, looked up in the table. Throws unsupported_op_error when
  // nothing serves that key.
  [[nodiscard]] const Kernel& dispatch(dispatch_key_set ks) const {
    if (fallbacks_ != nullptr && fallbacks_->version() != fallback_version_) [[unlikely]]
      rebuild_cache();
    const resolution<Kernel>& r = cache_[static_cast<std::size_t>(mask_.apply(ks).highest_priority_key())];
    if (r.kernel != nullptr) [[likely]]
      return *r.kernel;
    raise(r);
  }

  // c10's checkInvariants: registrations well formed, every cache entry equal
  // to a fresh resolution, no alias key in the cache, the fallthrough mask
  // equal to the one the entries give. Throws fake::error naming the broken one.
  void check_invariants() const {
    sync();
    std::uint64_t previous_id = 0;
    detail::key_bitmap registered;
    std::array<int, num_dispatch_keys> top{};
    top.fill(-1);
    for (std::size_t i = 0; i < regs_.list.size(); ++i) {
      const record& r = regs_.list[i];
      if (r.key == dispatch_key::undefined || is_per_backend_functionality_key(r.key) ||
          static_cast<std::size_t>(r.key) >= num_dispatch_keys)
        invariant_failed("a registration for key " + std::to_string(static_cast<int>(r.key)));
      if (r.id <= previous_id || r.id >= regs_.next_id) invariant_failed("registration ids are not increasing");
      previous_id = r.id;
      registered.set(r.key, true);
      top[static_cast<std::size_t>(r.key)] = static_cast<int>(i);
    }
    if (registered.words != registered_.words) invariant_failed("the set of registered keys is stale");
    if (top != top_) invariant_failed("the newest registration of a key is not the active one");
    fallthrough_mask expected_mask;
    for (std::size_t v = 0; v < dispatch_table_size; ++v) {
      const auto k = static_cast<dispatch_key>(v);
      const resolution<Kernel>& cached = cache_[v];
      if (cached.key != k || is_alias_key(cached.key))
        invariant_failed("cache slot " + std::string(to_string(k)) + " holds key " +
                         std::string(to_string(cached.key)));
      if (cached != compute_resolution(k))
        invariant_failed("cache entry for " + std::string(to_string(k)) + " differs from its resolution");
      expected_mask.set_fallthrough(k, cached.fallthrough);
    }
    if (!(expected_mask == mask_)) invariant_failed("the fallthrough mask disagrees with the cache");
  }

  // Registrations, newest first per key (c10's dumpState).
  [[nodiscard]] std::string dump_state() const {
    std::string out = "name: " + name_ + "\n";
    for (std::size_t v = 0; v < num_dispatch_keys; ++v) {
      const auto k = static_cast<dispatch_key>(v);
      bool first = true;
      for (std::size_t i = regs_.list.size(); i > 0; --i) {
        const record& r = regs_.list[i - 1];
        if (r.key != k) continue;
        out += std::string(to_string(k)) + (is_alias_key(k) ? "[alias]" : "") + (first ? "" : " (inactive)") +
               ": registration " + std::to_string(r.id) + (r.kernel ? "" : " fallthrough") + "\n";
        first = false;
      }
    }
    return out;
  }

  // One line per key that resolves to something: "AutogradCPU: fallthrough
  // from AutogradCPU [backend fallback]" (c10's dumpComputedTable).
  [[nodiscard]] std::string dump_computed_table() const {
    std::string out;
    for (std::size_t v = 0; v < dispatch_table_size; ++v) {
      const resolution<Kernel> r = compute_resolution(static_cast<dispatch_key>(v));
      if (r.kind == resolution_kind::missing) continue;
      out += std::string(to_string(r.key)) + ": " + (r.fallthrough ? "fallthrough " : "") + "from " +
             std::string(to_string(r.source)) + " [" + std::string(to_string(r.kind)) + "]\n";
    }
    return out;
  }

 private:
  friend struct detail::registration_access;
  friend struct detail::kernel_table_test_access;

  using record = typename detail::registration_records<Kernel>::record;

  registration add(dispatch_key k, std::optional<Kernel> kernel) {
    if (k == dispatch_key::undefined || is_per_backend_functionality_key(k) ||
        static_cast<std::size_t>(k) >= num_dispatch_keys)
      detail::raise_bad_registration_key(name_, k);
    const std::uint64_t id = regs_.push(k, std::move(kernel));
    reindex();
    return detail::registration_access::make(this, k, id);
  }

  void remove_registration(dispatch_key, std::uint64_t id) noexcept {
    if (regs_.erase(id)) reindex();
  }

  // After any change of regs_.list: the active registration per key, the set of
  // registered keys, then the cache (torch._ops clears _dispatch_cache here).
  void reindex() noexcept {
    top_.fill(-1);
    registered_ = {};
    for (std::size_t i = 0; i < regs_.list.size(); ++i) {
      top_[static_cast<std::size_t>(regs_.list[i].key)] = static_cast<int>(i);
      registered_.set(regs_.list[i].key, true);
    }
    rebuild_cache();
  }

  void sync() const {
    if (fallbacks_ != nullptr && fallbacks_->version() != fallback_version_) rebuild_cache();
  }

  void rebuild_cache() const noexcept {
    mask_ = fallthrough_mask{};
    for (std::size_t v = 0; v < dispatch_table_size; ++v) {
      const auto k = static_cast<dispatch_key>(v);
      cache_[v] = compute_resolution(k);
      if (cache_[v].fallthrough) mask_.set_fallthrough(k, true);  // a fresh mask has no fallthrough
    }
    fallback_version_ = fallbacks_ != nullptr ? fallbacks_->version() : 0;
  }

  [[noreturn]] void raise(const resolution<Kernel>& r) const {
    if (r.kind == resolution_kind::ambiguous_autogradother) {
      std::string backends;
      for (std::size_t v = 1; v < dispatch_table_size; ++v) {
        const auto k = static_cast<dispatch_key>(v);
        if (registered_.test(k) && autogradother_backends.has(k))
          backends += (backends.empty() ? "" : ", ") + std::string(to_string(k));
      }
      detail::raise_ambiguous_autogradother(name_, backends);
    }
    detail::raise_missing_kernel(name_, r.key);
  }

  [[noreturn]] void invariant_failed(const std::string& what) const {
    throw error("kernel_table invariant violated for " + name_ + ": " + what + "\n" + dump_state() +
                "computed table:\n" + dump_computed_table());
  }

  std::string name_;
  const fallback_table* fallbacks_ = nullptr;
  detail::registration_records<Kernel> regs_;  // oldest first
  std::array<int, num_dispatch_keys> top_{};  // index in regs_.list of each key's newest registration, or -1
  detail::key_bitmap registered_;
  // The cache: rebuilt eagerly after every registration change, lazily after a
  // fallback change (fallback_version_ lags fallbacks_->version()).
  mutable std::array<resolution<Kernel>, dispatch_table_size> cache_{};
  mutable fallthrough_mask mask_;
  mutable std::uint64_t fallback_version_ = 0;
};

}  // namespace fake
