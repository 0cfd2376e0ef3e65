// faketensor/mode/dispatch_cache.hpp — FakeTensorMode's dispatch cache: from
// an op and the canonical metadata of its arguments to how to make its
// outputs, with PyTorch's statistics (DispatchCacheInfo: hits, misses,
// bypasses by reason, size).
//
// Note [what the dispatch cache keeps]
// The key is the op and, per argument, everything a meta kernel's answer can
// depend on: for a tensor its sizes, strides, storage offset, dtype, device,
// layout, storage bytes and flags (requires_grad, conj, neg, inference); for a
// scalar its kind and value; for lists their elements. The value is, per
// output, a fresh tensor's geometry, dtype and device, or "input i itself"
// for an in-place op (add_, relu_: self written and returned; a hit bumps
// self's version as the kernel does). Everything else bypasses the cache,
// each with its reason counted: ops whose output shape or value depends on
// data, nondeterministic_seeded ops, ops that write an input otherwise (out=,
// several written arguments, inplace_view ops, an in-place op on a symbolic
// tensor, whose kernel path specializes it) or return a view or an input
// (their outputs alias inputs, which a recipe of fresh tensors cannot
// express), ops whose outputs are not tensors, and arguments that cannot be
// keyed (callables). A call that raises is not cached.
//
// A symbolic tensor, SymInt or SymInt[] argument is keyed structurally: its
// expressions' environment and interned nodes (fake::append_key), beside the
// concrete hints. Equal expressions are one node of one environment, so a hit
// is a call on the caller's own expressions, and the recipe gives back the
// expressions its outputs had: the caller's. The guards the first call
// recorded are in that environment still; what a kernel decided from them
// holds for the hit. Environments are told apart by serial number, never by
// address (a dead environment's entries can never match again).
#pragma once

#include <array>          // std::array
#include <cstdint>        // std::uint64_t, std::int64_t
#include <cstring>        // std::memcpy
#include <list>           // std::list
#include <optional>       // std::optional
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "faketensor/dispatch/operator.hpp"  // fake::op_overload
#include "faketensor/ops/ivalue.hpp"         // fake::ivalue, fake::stack

namespace fake {

enum class bypass_reason : std::uint8_t {
  dynamic_output_shape,     // the output shape depends on data (nonzero, unique)
  data_dependent_output,    // the output depends on data values (item)
  nondeterministic_seeded,  // random ops: each call is its own
  mutates_input,            // out= variants, other writes, in-place ops on symbolic tensors
  aliasing_output,          // a view, or an input returned as the output
  non_tensor_output,        // an output that is not a tensor (a scalar, a list of ints)
  unkeyable_argument,       // a callable or another argument without a canonical form
  disabled,                 // the cache was switched off for the call
};
inline constexpr std::size_t num_bypass_reasons = 8;

constexpr std::string_view name(bypass_reason r) {
  constexpr std::array<std::string_view, num_bypass_reasons> names{
      "dynamic_output_shape", "data_dependent_output", "nondeterministic_seeded", "mutates_input",
      "aliasing_output",      "non_tensor_output",     "unkeyable_argument",      "disabled"};
  return names[static_cast<std::size_t>(r)];
}

// DispatchCacheInfo.
struct dispatch_cache_info {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::array<std::uint64_t, num_bypass_reasons> bypasses{};
  std::uint64_t evictions = 0;
  std::size_t size = 0;
  [[nodiscard]] std::uint64_t bypasses_for(bypass_reason r) const noexcept { return bypasses[static_cast<std::size_t>(r)]; }
  [[nodiscard]] std::uint64_t total_bypasses() const noexcept {
    std::uint64_t n = 0;
    for (std::uint64_t b : bypasses) n += b;
    return n;
  }
};

class dispatch_cache {
 public:
  // What a cache entry makes for one output: a fresh tensor.
  struct output_recipe {
    dim_vector sizes, strides;
    std::int64_t offset = 0;
    fake::dtype dtype = dtype::float32;
    fake::device device{};
    std::int64_t storage_nbytes = 0;
    detail::sym_geometry_ptr symbolic;  // the output's expressions, when it has them
    int input = -1;                     // >= 0: the output is this argument itself (in-place)
  };

  explicit dispatch_cache(std::size_t capacity) : capacity_(capacity) {}

  // The canonical key of a call, or the reason it cannot be cached.
  struct key {
    const op_overload* op = nullptr;
    std::vector<std::int64_t> words;  // the arguments' canonical metadata, flattened
    std::size_t hash = 0;
    friend bool operator==(const key& a, const key& b) noexcept { return a.op == b.op && a.words == b.words; }
  };

  // The reason `op` is never cached, if any (from its tags and schema).
  static std::optional<bypass_reason> static_bypass(const op_overload& op) {
    if (op.has_tag(op_tag::dynamic_output_shape)) return bypass_reason::dynamic_output_shape;
    if (op.has_tag(op_tag::data_dependent_output)) return bypass_reason::data_dependent_output;
    if (op.has_tag(op_tag::nondeterministic_seeded)) return bypass_reason::nondeterministic_seeded;
    if (op.schema().is_mutable() && !cacheable_inplace(op)) return bypass_reason::mutates_input;
    if (!op.schema().is_mutable())
      for (std::size_t r = 0; r < op.schema().num_returns(); ++r)
        if (op.schema().aliased_input(r)) return bypass_reason::aliasing_output;
    return std::nullopt;
  }
  // An in-place op whose recipe is "self": it writes its first argument only,
  // returns it alone, and changes no metadata (not inplace_view).
  static bool cacheable_inplace(const op_overload& op) {
    const schema& sc = op.schema();
    if (!sc.is_inplace() || op.has_tag(op_tag::inplace_view) || sc.num_returns() != 1 || sc.aliased_input(0) != 0) return false;
    const auto args = sc.arguments();
    for (std::size_t i = 1; i < args.size(); ++i)
      if (sc.is_write(args[i])) return false;
    return true;
  }

  // Builds the key of op(args); nullopt, with the reason in `why_not`, when an
  // argument has no canonical form or is symbolic.
  static std::optional<key> make_key(const op_overload& op, const stack& args, bypass_reason& why_not) {
    key k;
    if (!make_key_into(k, op, args, why_not)) return std::nullopt;
    return k;
  }
  // The same into `k`, whose words' memory is reused (a lookup allocates
  // nothing once the buffer has grown); false with the reason in `why_not`.
  static bool make_key_into(key& k, const op_overload& op, const stack& args, bypass_reason& why_not) {
    k.op = &op;
    k.words.clear();
    for (const ivalue& v : args)
      if (!append(k.words, v, why_not)) return false;
    std::uint64_t h = reinterpret_cast<std::uintptr_t>(&op);
    for (std::int64_t w : k.words) h = mix(h ^ static_cast<std::uint64_t>(w));
    k.hash = static_cast<std::size_t>(h);
    return true;
  }

  // The recipes of a cached call (and marks it most recently used), or null.
  const std::vector<output_recipe>* find(const key& k) {
    auto it = index_.find(k);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);  // most recently used first
    return &it->second->second;
  }

  // Records the outputs of a call; false (and nothing recorded) when an output
  // is not a fresh tensor.
  bool insert(key k, const stack& inputs, const stack& outputs, bypass_reason& why_not) {
    std::vector<output_recipe> recipes;
    for (const ivalue& o : outputs) {
      if (!o.is_tensor()) {
        why_not = bypass_reason::non_tensor_output;
        return false;
      }
      const tensor_desc& t = o.to_tensor();
      // an in-place op's result: its self argument, returned as itself
      if (!inputs.empty() && inputs[0].is_tensor() && inputs[0].to_tensor().id() == t.id() && cacheable_inplace(*k.op)) {
        if (t.is_symbolic()) {  // its kernel path specializes the input: keep running it
          why_not = bypass_reason::mutates_input;
          return false;
        }
        output_recipe self;
        self.input = 0;
        recipes.push_back(std::move(self));
        continue;
      }
      bool aliases = false;
      for (const ivalue& in : inputs) in.for_each_tensor([&](const tensor_desc& x) { aliases = aliases || t.shares_storage_with(x); });
      if (aliases || t.is_view()) {
        why_not = bypass_reason::aliasing_output;
        return false;
      }
      recipes.push_back({t.sizes(), t.strides(), t.storage_offset(), t.dtype(), t.device(), t.storage().nbytes(), t.symbolic_geometry()});
    }
    if (capacity_ == 0) return true;
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
      ++evictions_;
    }
    order_.emplace_front(std::move(k), std::move(recipes));
    index_.emplace(order_.front().first, order_.begin());
    return true;
  }

  // The outputs a recipe makes for a call on `args`: fresh tensors on storages
  // of their own, or one of the arguments (in-place).
  static stack make_outputs(const stack& args, const std::vector<output_recipe>& recipes) {
    stack out = args;
    make_outputs_into(out, recipes);
    return out;
  }
  // The same, replacing the contents of `out`, which holds the call's
  // arguments (its memory is reused; an in-place recipe returns one of them
  // and bumps its storage's version, as the kernel did).
  static void make_outputs_into(stack& out, const std::vector<output_recipe>& recipes) {
    if (recipes.size() == 1 && recipes[0].input >= 0) {
      ivalue self = std::move(out.at(static_cast<std::size_t>(recipes[0].input)));
      self.to_tensor().storage().bump_version();
      out.clear();
      out.push_back(std::move(self));
      return;
    }
    out.clear();
    for (const output_recipe& r : recipes) {
      tensor_desc t(tensor_desc::checked_by_caller, r.sizes, r.strides, r.offset, r.dtype, fake::storage(r.storage_nbytes, r.device));
      if (r.symbolic) t.set_symbolic_geometry(r.symbolic);
      out.emplace_back(std::move(t));
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::uint64_t evictions() const noexcept { return evictions_; }
  void clear() {
    index_.clear();
    order_.clear();
  }

 private:
  static std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64's finalizer
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  // Appends v's canonical form (a kind word, then its contents); false when v
  // has none.
  static bool append(std::vector<std::int64_t>& w, const ivalue& v, bypass_reason& why_not) {
    w.push_back(static_cast<std::int64_t>(v.kind()));
    switch (v.kind()) {
      case ivalue_kind::none: return true;
      case ivalue_kind::boolean: w.push_back(v.to_bool()); return true;
      case ivalue_kind::integer: w.push_back(v.to_int()); return true;
      case ivalue_kind::floating: {
        const double d = v.to_double();
        std::int64_t bits;
        std::memcpy(&bits, &d, sizeof bits);
        w.push_back(bits);
        return true;
      }
      case ivalue_kind::string:
        w.push_back(static_cast<std::int64_t>(std::hash<std::string>{}(v.to_string_ref())));
        w.push_back(static_cast<std::int64_t>(v.to_string_ref().size()));
        return true;
      case ivalue_kind::tensor: return append_tensor(w, v.to_tensor(), why_not);
      case ivalue_kind::sym_int:
      case ivalue_kind::sym_int_list: v.to_sym_ints().append_key(w); return true;
      case ivalue_kind::int_list:
        w.push_back(static_cast<std::int64_t>(v.int_list_ref().size()));
        for (std::int64_t x : v.int_list_ref()) w.push_back(x);
        return true;
      case ivalue_kind::float_list:
        w.push_back(static_cast<std::int64_t>(v.to_float_list().size()));
        for (double d : v.to_float_list()) {
          std::int64_t bits;
          std::memcpy(&bits, &d, sizeof bits);
          w.push_back(bits);
        }
        return true;
      case ivalue_kind::bool_list:
        w.push_back(static_cast<std::int64_t>(v.to_bool_list().size()));
        for (bool b : v.to_bool_list()) w.push_back(b);
        return true;
      case ivalue_kind::tensor_list:
        w.push_back(static_cast<std::int64_t>(v.to_tensor_list().size()));
        for (const tensor_desc& t : v.to_tensor_list())
          if (!append_tensor(w, t, why_not)) return false;
        return true;
      case ivalue_kind::optional_tensor_list:
        w.push_back(static_cast<std::int64_t>(v.to_optional_tensor_list().size()));
        for (const auto& t : v.to_optional_tensor_list()) {
          w.push_back(t.has_value());
          if (t && !append_tensor(w, *t, why_not)) return false;
        }
        return true;
      case ivalue_kind::scalar_type: w.push_back(static_cast<std::int64_t>(v.to_dtype())); return true;
      case ivalue_kind::device:
        w.push_back(static_cast<std::int64_t>(v.to_device().type));
        w.push_back(v.to_device().index);
        return true;
      case ivalue_kind::layout: w.push_back(static_cast<std::int64_t>(v.to_layout())); return true;
      case ivalue_kind::memory_format: w.push_back(static_cast<std::int64_t>(v.to_memory_format())); return true;
      case ivalue_kind::callable: why_not = bypass_reason::unkeyable_argument; return false;
      case ivalue_kind::real_tensor: break;  // a fake::mode converts these before its cache looks (never here)
    }
    why_not = bypass_reason::unkeyable_argument;
    return false;
  }
  static bool append_tensor(std::vector<std::int64_t>& w, const tensor_desc& t, bypass_reason& /*why_not*/) {
    w.push_back(t.dim());
    for (std::int64_t s : t.sizes()) w.push_back(s);
    for (std::int64_t s : t.strides()) w.push_back(s);
    w.push_back(t.storage_offset());
    w.push_back(static_cast<std::int64_t>(t.dtype()) | static_cast<std::int64_t>(t.layout()) << 8 |
                static_cast<std::int64_t>(t.device().type) << 16 | std::int64_t{t.device().index} << 24 |
                static_cast<std::int64_t>(t.requires_grad()) << 32 | static_cast<std::int64_t>(t.is_conj()) << 33 |
                static_cast<std::int64_t>(t.is_neg()) << 34 | static_cast<std::int64_t>(t.is_inference()) << 35);
    w.push_back(t.storage().nbytes());
    w.push_back(t.is_symbolic());
    if (t.is_symbolic()) [[unlikely]]
      t.symbolic_geometry()->append_key(w);  // the expressions, structurally
    return true;
  }

  struct key_hash {
    std::size_t operator()(const key& k) const noexcept { return k.hash; }
  };
  using entry = std::pair<key, std::vector<output_recipe>>;
  std::size_t capacity_;
  std::list<entry> order_;  // most recently used first
  std::unordered_map<key, std::list<entry>::iterator, key_hash> index_;
  std::uint64_t evictions_ = 0;
};

}  // namespace fake
