// faketensor/mode/mode.hpp — fake::mode<Policies...>: FakeTensorMode for the
// type-erased path, made of policies (mode/policies.hpp).
//
//   fake::mode<fake::memo::dispatch_cache<>> m;
//   fake::mode_guard on(m);                       // `with FakeTensorMode():`
//   auto y = fake::call("aten::add.Tensor", {a, b});
//   m.cache_info().hits;
//
// While a mode is on the stack, every op call reaches its dispatch() (the
// Python key, Note [mode popped while its handler runs]). The mode checks the
// inputs against its device policy, answers from its dispatch cache when it
// has one (Note [what the dispatch cache keeps]), and otherwise runs the op's
// kernels and records the answer. A mode without a memo policy holds no cache
// and compiles no cache code (sizeof(mode<>) is a dispatch_mode's). A
// recording policy (fake::trace::graph) adds a recorder that sees every op
// first (trace/tracer.hpp).
#pragma once

#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <type_traits>  // std::is_same_v

#include "faketensor/core/config.hpp"           // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/core/error.hpp"            // fake::device_error
#include "faketensor/dispatch/mode_stack.hpp"   // fake::dispatch_mode
#include "faketensor/dispatch/operator.hpp"     // fake::op_overload
#include "faketensor/meta/converter.hpp"        // fake::metadata_mismatch_error
#include "faketensor/mode/dispatch_cache.hpp"   // fake::dispatch_cache
#include "faketensor/mode/policies.hpp"         // fake::memo, fake::devices
#include "faketensor/mode/unbacked.hpp"         // the symbolic shape policy (settings::shapes)

namespace fake {

namespace detail {
struct no_cache {};  // the cache member of a mode without a memo policy
}  // namespace detail

template <class... Policies>
class mode final : public dispatch_mode {
  static_assert((detail::is_known_policy_v<Policies> && ...),
                "fake::mode: each policy must be a fake::memo, fake::devices or recording (fake::trace) policy");

 public:
  using memo_policy = typename detail::pick_policy<detail::is_memo_policy, memo::none, Policies...>::type;
  using device_policy = typename detail::pick_policy<detail::is_device_policy, devices::propagate, Policies...>::type;
  static constexpr bool has_cache = !std::is_same_v<memo_policy, memo::none>;
  using record_policy = typename detail::pick_policy<detail::is_record_policy, detail::no_recorder, Policies...>::type;
  static constexpr bool has_recorder = !std::is_same_v<record_policy, detail::no_recorder>;
  using recorder_type = typename detail::recorder_of<record_policy>::type;

  struct settings {
    // devices::propagate: accept fake tensors on the meta device (FakeTensorMode(allow_meta=True)).
    bool allow_meta = false;
    // On every cache hit, also run the op and require the same metadata
    // (metadata_mismatch_error otherwise): a check of the cache itself.
    bool cache_cross_check = false;
    // The symbolic shape policy (FakeTensorMode(shape_env=...)): with a shape
    // environment, nonzero, masked_select, _unique2, repeat_interleave with
    // tensor repeats and item() give unbacked sizes instead of raising
    // (mode/unbacked.hpp).
    shape_env* shapes = nullptr;
  };

  mode() { on_construct(); }
  explicit mode(settings s) : settings_(s) { on_construct(); }

  [[nodiscard]] std::string name() const override { return "fake::mode"; }
  [[nodiscard]] const settings& config() const noexcept { return settings_; }

  void dispatch(const op_overload& op, stack& s) override {
    check_devices(op, s);
    // The recorder normalizes the arguments before it runs the op: no second normalize.
    if constexpr (has_recorder) recorder_.record(*this, op, s, [this, &op](stack& st) { run(op, st, true); });
    else run(op, s);
  }

  // The recording policy's recorder (fake::trace::graph: the tracer).
  [[nodiscard]] recorder_type& recorder() noexcept
    requires has_recorder
  {
    return recorder_;
  }

  // DispatchCacheInfo: hits, misses, bypasses by reason, evictions, size.
  [[nodiscard]] dispatch_cache_info cache_info() const
    requires has_cache
  {
    dispatch_cache_info i = info_;
    i.size = cache_.size();
    i.evictions = cache_.evictions();
    return i;
  }
  void clear_cache()
    requires has_cache
  {
    cache_.clear();
    info_ = {};
  }
  // Turns the cache off (calls count as bypasses, reason `disabled`) and on again.
  void set_cache_enabled(bool on)
    requires has_cache
  {
    cache_enabled_ = on;
  }

 private:
  // A recorder may register rules for this mode type (the tracer's cond and map).
  static void on_construct() {
    if constexpr (requires { recorder_type::template on_mode<mode>(); }) recorder_type::template on_mode<mode>();
  }

  void run(const op_overload& op, stack& s, bool normalized = false) {
    if (settings_.shapes != nullptr && detail::run_unbacked(op, s, *settings_.shapes)) return;
    if constexpr (has_cache) dispatch_cached(op, s);
    else if (normalized) op.redispatch(dispatch_keys_of(s), s);
    else op.call(s);
  }

  // The device policy's check of every tensor argument.
  void check_devices(const op_overload& op, const stack& s) const {
    const auto& args = op.schema().arguments();
    for (std::size_t i = 0; i < s.size(); ++i) {
      s[i].for_each_tensor([&](const tensor_desc& t) {
        const bool on_meta = t.device().type == device_type::meta;
        if constexpr (std::is_same_v<device_policy, devices::meta_only>) {
          if (!on_meta)
            throw device_error(op.qualified_name() + ": argument '" + arg_name(args, i) + "' is on " + to_string(t.device()) +
                               ", but this mode (devices::meta_only) takes meta tensors only");
        } else {
          if (on_meta && !settings_.allow_meta)
            throw device_error(op.qualified_name() + ": argument '" + arg_name(args, i) +
                               "' is a fake tensor on the meta device, which this mode does not allow "
                               "(settings.allow_meta, as FakeTensorMode(allow_meta=True))");
        }
      });
    }
  }
  static std::string arg_name(std::span<const schema_argument> args, std::size_t i) {
    return i < args.size() ? std::string(args[i].name) : std::to_string(i);
  }

  void dispatch_cached(const op_overload& op, stack& s)
    requires has_cache
  {
    auto bypass = [&](bypass_reason r) {
      ++info_.bypasses[static_cast<std::size_t>(r)];
      op.call(s);
    };
    if (!cache_enabled_) return bypass(bypass_reason::disabled);
    if (const auto r = dispatch_cache::static_bypass(op)) return bypass(*r);
    op.normalize(s);  // the key is over the full, checked argument list
    bypass_reason why_not{};
    std::optional<dispatch_cache::key> k = dispatch_cache::make_key(op, s, why_not);
    if (!k) return bypass(why_not);
    if (const auto* recipes = cache_.find(*k)) {
      ++info_.hits;
      stack out = dispatch_cache::make_outputs(*recipes);
      if (settings_.cache_cross_check) cross_check(op, s, out);
      s = std::move(out);
      return;
    }
    const stack inputs = s;
    op.call(s);  // a call that raises leaves nothing in the cache
    if (cache_.insert(std::move(*k), inputs, s, why_not)) ++info_.misses;
    else ++info_.bypasses[static_cast<std::size_t>(why_not)];
  }

  static void cross_check(const op_overload& op, stack args, const stack& cached) {
    op.call(args);
    if (args.size() != cached.size())
      throw metadata_mismatch_error("outputs", op.qualified_name() + ": the dispatch cache gave " + std::to_string(cached.size()) +
                                                   " outputs, the kernel " + std::to_string(args.size()));
    for (std::size_t i = 0; i < args.size(); ++i) {
      const tensor_desc& want = args[i].to_tensor();
      const tensor_desc& got = cached[i].to_tensor();
      if (want.sizes() != got.sizes() || want.strides() != got.strides() || want.storage_offset() != got.storage_offset() ||
          want.dtype() != got.dtype() || want.device() != got.device())
        throw metadata_mismatch_error("output " + std::to_string(i), op.qualified_name() + ": the dispatch cache gave " +
                                                                          to_string(got) + " but the kernel gives " + to_string(want));
    }
  }

  settings settings_{};
  FAKE_NO_UNIQUE_ADDRESS std::conditional_t<has_cache, dispatch_cache, detail::no_cache> cache_{make_cache()};
  FAKE_NO_UNIQUE_ADDRESS std::conditional_t<has_cache, dispatch_cache_info, detail::no_cache> info_{};
  bool cache_enabled_ = true;
  FAKE_NO_UNIQUE_ADDRESS recorder_type recorder_{};

  static auto make_cache() {
    if constexpr (has_cache) return dispatch_cache(memo_policy::capacity);
    else return detail::no_cache{};
  }
};

}  // namespace fake
