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

#include <memory>       // std::unique_ptr
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_same_v
#include <unordered_map>  // std::unordered_map

#include "faketensor/core/config.hpp"           // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/core/error.hpp"            // fake::device_error
#include "faketensor/dispatch/mode_stack.hpp"   // fake::dispatch_mode
#include "faketensor/dispatch/operator.hpp"     // fake::op_overload
#include "faketensor/interop/dlpack.hpp"        // fake::real (a DLPack tensor)
#include "faketensor/meta/constant.hpp"         // fake::constant_tensor, fake::set_constant_values
#include "faketensor/meta/converter.hpp"        // fake::converter, fake::metadata_mismatch_error
#include "faketensor/meta/describer.hpp"        // fake::describer
#include "faketensor/mode/constants.hpp"        // Note [constant propagation]
#include "faketensor/mode/dispatch_cache.hpp"   // fake::dispatch_cache
#include "faketensor/mode/policies.hpp"         // fake::memo, fake::devices
#include "faketensor/mode/unbacked.hpp"         // the symbolic shape policy (settings::shapes)
#include "faketensor/ops/common.hpp"            // fake::detail::device_merger

namespace fake {

namespace detail {
struct no_cache {};  // the cache member of a mode without a memo policy

// Note [fake device propagation]
// FakeTensor._find_common_device, run on an op's tensor arguments in order:
// the first tensor's device wins; a cpu 0-dim tensor defers to any other
// device and is overridden by one (except for the ops that must not mix them:
// nextafter); ops that may mix devices (_foreach_copy) accept cpu with any
// other; two other different devices are PyTorch's "Unhandled FakeTensor
// Device Propagation" error. The kernels then give each output its device
// (ops/common.hpp's common_device, the same rule), so this check only stops a
// call that FakeTensorMode stops before its kernel runs.
class common_device_finder {
 public:
  explicit common_device_finder(std::string_view op) : op_(op) {}
  void merge(const tensor_desc& t) {
    const device d = t.device();
    const bool cpu_zero_dim = d.is_cpu() && t.dim() == 0 && op_ != "aten::nextafter";
    if (merger_.merge(d, cpu_zero_dim)) return;
    if (op_ == "aten::_foreach_copy" && (merger_.common()->is_cpu() || d.is_cpu())) return;
    throw device_error("Unhandled FakeTensor Device Propagation for " + python_name() + ", found two different devices " +
                       to_string(*merger_.common()) + ", " + to_string(d));
  }
  [[nodiscard]] std::optional<device> common() const { return merger_.common(); }

 private:
  // "aten.add.Tensor", "aten.nextafter.default": how Python prints an OpOverload.
  [[nodiscard]] std::string python_name() const {
    std::string out(op_);
    if (const auto c = out.find("::"); c != std::string::npos) out.replace(c, 2, ".");
    if (out.find('.', out.find('.') + 1) == std::string::npos) out += ".default";
    return out;
  }
  std::string_view op_;  // the op's qualified name, which outlives the check
  device_merger merger_;  // the rule the kernels' common_device uses (ops/common.hpp)
};
}  // namespace detail

template <class... Policies>
class mode final : public dispatch_mode {
  static_assert((detail::is_known_policy_v<Policies> && ...),
                "fake::mode: each policy must be a fake::memo, fake::devices (or a type with a static check(op, "
                "argument, tensor)), fake::errors or recording (fake::trace) policy");

 public:
  using memo_policy = typename detail::pick_policy<detail::is_memo_policy, memo::none, Policies...>::type;
  using device_policy = typename detail::pick_policy<detail::is_device_policy, devices::propagate, Policies...>::type;
  static constexpr bool has_cache = !std::is_same_v<memo_policy, memo::none>;
  using record_policy = typename detail::pick_policy<detail::is_record_policy, detail::no_recorder, Policies...>::type;
  static constexpr bool has_recorder = !std::is_same_v<record_policy, detail::no_recorder>;
  using recorder_type = typename detail::recorder_of<record_policy>::type;
  using error_policy = typename detail::pick_policy<detail::is_error_policy, errors::throw_exceptions, Policies...>::type;

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
    // Note [constant propagation] (mode/constants.hpp): results of ops on
    // constant tensors keep their values when they have at most this many
    // elements (PyTorch's CONSTANT_NUMEL_LIMIT); a negative limit turns
    // propagation off.
    std::int64_t constant_numel_limit = 1;
    // Note [real tensors in boxed calls]: a real tensor argument (fake::real(x))
    // is converted on the fly (FakeTensorMode(allow_non_fake_inputs=True));
    // otherwise the call is refused naming the op and the argument.
    bool allow_non_fake_inputs = false;
  };

  mode() { on_construct(); }
  explicit mode(settings s) : settings_(s) { on_construct(); }

  [[nodiscard]] std::string name() const override { return "fake::mode"; }
  [[nodiscard]] const settings& config() const noexcept { return settings_; }

  void dispatch(const op_overload& op, stack& s) override {
    // one pass over the arguments: devices, constants, real tensors
    const argument_scan scan = check_devices(op, s);
    if (scan.real_tensors) [[unlikely]] {
      convert_real_arguments(op, s);
      return dispatch(op, s);
    }
    // The recorder normalizes the arguments before it runs the op: no second normalize.
    if constexpr (has_recorder) recorder_.record(*this, op, s, [this](const op_overload& o, stack& st) { run_op(o, st, true); });
    else run_op(op, s, false, scan.constants);
  }

  // op(args) by name with this mode on, its errors reported as the error
  // policy says: the stack, or with errors::return_result a fake::result<stack>.
  decltype(auto) call(std::string_view op, stack args) {
    return error_policy::run([&]() -> stack {
      mode_guard on(*this);
      return fake::call(op, std::move(args));
    });
  }
  // f() with this mode on, its errors reported as the error policy says.
  template <class F>
  decltype(auto) run(F&& f) {
    return error_policy::run([&]() -> decltype(auto) {
      mode_guard on(*this);
      return std::forward<F>(f)();
    });
  }

  // FakeTensorMode.from_tensor: the fake tensor of a real one, through this
  // mode's describer and converter (meta/converter.hpp): the same real tensor
  // gives the same fake tensor, tensors sharing a storage share a fake one,
  // views stay views of their converted base. With make_constant, a tensor of
  // at most constant_numel_limit elements whose values can be read here keeps
  // them (Note [constant tensors]). Unsupported inputs (quantized, sparse
  // compressed, mkldnn) raise unsupported_fake_tensor_error.
  tensor_desc from_real_tensor(const real_tensor& t, bool make_constant = false) {
    conversion_state& c = conversion();
    tensor_desc out = c.convert_real(t.describe(c.describe_real));
    if (make_constant && settings_.constant_numel_limit >= 0 && out.numel() <= settings_.constant_numel_limit)
      if (auto values = t.values(settings_.constant_numel_limit)) set_constant_values(out, *values);
    return out;
  }
  tensor_desc from_real_tensor(const DLTensor& t, dlpack_flags flags = {}, bool make_constant = false) {
    return from_real_tensor(*real(t, flags).to_real_tensor(), make_constant);
  }

  // FakeTensorConverter.from_meta_and_device: a fake tensor on `dev` with the
  // metadata of the meta tensor `meta`, memoized on it; meta tensors that
  // share a storage give fake tensors that share one.
  tensor_desc from_meta_and_device(const tensor_desc& meta, device dev) {
    expect<value_error, "from_meta_and_device", "expected a tensor on the meta device, got one on {}">(meta.device().is_meta(),
                                                                                                      meta.device());
    expect<value_error, "from_meta_and_device", "the target device must not be meta">(!dev.is_meta());
    conversion_state& c = conversion();
    if (auto it = c.from_meta.find(meta.id()); it != c.from_meta.end()) return it->second;
    auto [st, fresh] = c.meta_storages.try_emplace(meta.storage().id());
    if (fresh) st->second = fake::storage(meta.storage().nbytes(), dev);
    tensor_desc out(meta.sizes(), meta.strides(), meta.storage_offset(), meta.dtype(), st->second, meta.layout());
    for (tensor_flag f : {tensor_flag::requires_grad, tensor_flag::is_leaf, tensor_flag::is_conj, tensor_flag::is_neg,
                          tensor_flag::is_inference, tensor_flag::is_parameter})
      out.set(f, meta.has(f));
    c.from_meta.emplace(meta.id(), out);
    return out;
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

  // `constants`: whether an argument may hold values (unknown: scan them).
  void run_op(const op_overload& op, stack& s, bool normalized = false, std::optional<bool> constants = std::nullopt) {
    if (settings_.constant_numel_limit >= 0 && (constants ? *constants : detail::any_constant_tensor(s))) [[unlikely]]
      return run_with_constants(op, s, normalized);
    run_plain(op, s, normalized);
  }

  // Note [constant propagation]: the op runs as any other, then its results get
  // values (or its written arguments forget theirs).
  void run_with_constants(const op_overload& op, stack& s, bool normalized) {
    if (!normalized) op.normalize(s);
    const bool foldable = !op.has_tag(op_tag::nondeterministic_seeded) && !op.has_tag(op_tag::inplace_view) &&
                          detail::all_constant_tensors(s);
    if (foldable)
      if (std::optional<ivalue> v = detail::constant_scalar_result(op, s)) {
        s = {std::move(*v)};
        return;
      }
    if (!foldable && !op.schema().is_mutable()) return run_plain(op, s, true);
    const stack args = s;
    const auto operands = foldable ? detail::constant_operands(s) : decltype(detail::constant_operands(s)){};  // before a write
    run_plain(op, s, true);
    if (foldable) detail::fold_constants(op, args, operands, s, settings_.constant_numel_limit);
    else detail::forget_written_constants(op, args);
  }

  void run_plain(const op_overload& op, stack& s, bool normalized) {
    if (settings_.shapes != nullptr && detail::run_unbacked(op, s, *settings_.shapes)) return;
    // a custom op's fake implementation (library::register_fake) serves fake
    // tensors of every device, as torch.library's does under FakeTensorMode
    if (const kernel* fake_impl = op.fake_impl()) [[unlikely]] {
      if (!normalized) op.normalize(s);
      return (*fake_impl)(op, dispatch_keys_of(s), s);
    }
    if constexpr (has_cache) dispatch_cached(op, s);
    else if (normalized) op.redispatch(dispatch_keys_of(s), s);
    else op.call(s);
  }

  // Note [real tensors in boxed calls]: lift_fresh of a small real tensor is
  // torch.tensor(...) under the mode, a fresh constant; other real tensors are
  // converted when the settings allow it.
  void convert_real_arguments(const op_overload& op, stack& s) {
    const auto& args = op.schema().arguments();
    const bool lift = op.qualified_name() == "aten::lift_fresh" || op.qualified_name() == "aten::lift_fresh_copy";
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (!s[i].is_real_tensor()) continue;
      const real_tensor& r = *s[i].to_real_tensor();
      if (lift) {
        if (auto values = r.values(settings_.constant_numel_limit); values && settings_.constant_numel_limit >= 0) {
          const tensor_desc like = from_real_tensor(r);
          s[i] = ivalue(constant_tensor(*values, like.sizes(), like.dtype(), like.device()));
        } else {
          s[i] = ivalue(from_real_tensor(r));
        }
        continue;
      }
      if (!settings_.allow_non_fake_inputs)
        throw value_error(op.qualified_name() + ": argument '" + arg_name(args, i) + "' is a real tensor (" + r.to_string() +
                          "), not a fake one: convert it with from_real_tensor, or set settings.allow_non_fake_inputs "
                          "(FakeTensorMode(allow_non_fake_inputs=True))");
      s[i] = ivalue(from_real_tensor(r));
    }
  }

  // The describer and converter of from_real_tensor, and from_meta_and_device's
  // memo: made on first use, so a mode that converts nothing holds a null pointer.
  struct conversion_state {
    describer describe_real;
    converter convert_real;
    std::unordered_map<std::uint64_t, tensor_desc> from_meta;        // by meta tensor id
    std::unordered_map<std::uint64_t, fake::storage> meta_storages;  // by meta storage id
  };
  conversion_state& conversion() {
    if (!conversion_) conversion_ = std::make_unique<conversion_state>();
    return *conversion_;
  }

  // What a pass over the arguments found besides their devices.
  struct argument_scan {
    bool real_tensors = false;  // real tensors to convert first (Note [real tensors in boxed calls])
    bool constants = false;     // a tensor that may hold values (Note [constant propagation])
  };
  // The device policy's check of every tensor argument; devices::propagate
  // also finds the common device as FakeTensor._find_common_device does
  // (Note [fake device propagation]).
  argument_scan check_devices(const op_overload& op, const stack& s) const {
    const auto& args = op.schema().arguments();
    detail::common_device_finder common(op.qualified_name());
    argument_scan scan;
    for (std::size_t i = 0; i < s.size(); ++i) {
      scan.real_tensors = scan.real_tensors || s[i].is_real_tensor();
      s[i].for_each_tensor([&](const tensor_desc& t) {
        scan.constants = scan.constants || t.storage().constant() != nullptr;
        const bool on_meta = t.device().type == device_type::meta;
        if constexpr (std::is_same_v<device_policy, devices::meta_only>) {
          if (!on_meta)
            throw device_error(op.qualified_name() + ": argument '" + arg_name(args, i) + "' is on " + to_string(t.device()) +
                               ", but this mode (devices::meta_only) takes meta tensors only");
        } else if constexpr (detail::is_user_device_policy_v<device_policy>) {
          device_policy::check(op, i < args.size() ? args[i].name : std::string_view(), t);
          common.merge(t);
        } else {
          if (on_meta && !settings_.allow_meta)
            throw device_error(op.qualified_name() + ": argument '" + arg_name(args, i) +
                               "' is a fake tensor on the meta device, which this mode does not allow "
                               "(settings.allow_meta, as FakeTensorMode(allow_meta=True))");
          common.merge(t);
        }
      });
    }
    return scan;
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
    dispatch_cache::key& k = key_;  // reused: a hit allocates only its results
    if (!dispatch_cache::make_key_into(k, op, s, why_not)) return bypass(why_not);
    if (const auto* recipes = cache_.find(k)) {
      ++info_.hits;
      if (settings_.cache_cross_check) {
        stack out = dispatch_cache::make_outputs(s, *recipes);
        cross_check(op, s, out);
        s = std::move(out);
      } else {
        dispatch_cache::make_outputs_into(s, *recipes);
      }
      return;
    }
    const stack inputs = s;
    dispatch_cache::key stored = k;  // a call below may reuse key_
    op.call(s);  // a call that raises leaves nothing in the cache
    if (cache_.insert(std::move(stored), inputs, s, why_not)) ++info_.misses;
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
  FAKE_NO_UNIQUE_ADDRESS std::conditional_t<has_cache, dispatch_cache::key, detail::no_cache> key_{};
  bool cache_enabled_ = true;
  std::unique_ptr<conversion_state> conversion_;
  FAKE_NO_UNIQUE_ADDRESS recorder_type recorder_{};

  static auto make_cache() {
    if constexpr (has_cache) return dispatch_cache(memo_policy::capacity);
    else return detail::no_cache{};
  }
};

}  // namespace fake
