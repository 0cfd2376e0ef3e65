// faketensor/meta/sym_tensor.hpp — tensor_descs whose sizes, strides and
// offset are also expressions in a shape_env's symbols (PyTorch's SymInt
// sizes of a fake tensor under symbolic tracing).
//
//   fake::shape_env env;
//   fake::tensor_desc x = fake::make_symbolic(fake::empty({8, 128, 768}), env, "x");
//   fake::sym_sizes(x);                               // [s0, s1, s2]
//   auto y = fake::transpose(x, 0, 1);                // a view: symbolic too
//   fake::sym_strides(y);                             // [s2, s1*s2, 1]
//   auto z = fake::view(x, {fake::sym_size(x, 0) * fake::sym_size(x, 1), fake::sym_size(x, 2)});
//   y.sizes();                                        // [128, 8, 768]: the hints
//
// Note [symbolic geometry of a tensor] (meta/tensor_desc.hpp) says how the
// expressions ride on a tensor_desc. Every view op of view/ops.hpp keeps them
// (its recorded step is replayed on the expressions by geom::apply_step, the
// same geometry code that computes the concrete view); a view given concrete
// sizes (view(x, {1024, 768})) is computed on the expressions too, so the
// comparisons it makes specialize the symbols with guards, as in PyTorch.
// The overloads here take symbolic sizes instead. A new output of a
// TensorIterator op (every functional pointwise op) gets TensorIterator's
// geometry computed on its inputs' expressions (ops/tensor_iterator.hpp).
// The kernels whose meta function is generic over the dims container (the mm
// family, softmax, layer_norm, embedding, the reductions) are registered with
// a symbolic rule: with_symbolic runs that meta on the expressions (Note
// [symbolic rules of kernels]). Other kernels compute from the hints only; a
// call through the dispatcher then specializes its symbolic inputs (Note [ops
// on symbolic tensors], dispatch/operator.hpp), so guards never claim more
// than was computed.
#pragma once

#include <algorithm>    // std::sort
#include <concepts>     // std::same_as
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <limits>       // std::numeric_limits
#include <span>         // std::span
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <tuple>        // std::get, std::tuple_size_v
#include <type_traits>  // std::is_same_v
#include <utility>      // std::move, std::index_sequence
#include <vector>       // std::vector

#include "faketensor/core/error.hpp"        // fake::value_error
#include "faketensor/core/fixed_string.hpp"  // fake::fixed_string
#include "faketensor/core/shape_env.hpp"    // fake::shape_env
#include "faketensor/core/sym.hpp"          // fake::sym_int, fake::hint_of
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::basic_out_meta
#include "faketensor/ops/tensor_iterator.hpp"  // fake::ti_output_geometry
#include "faketensor/shape/numel.hpp"       // fake::numel
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides, fake::channels_last_strides
#include "faketensor/shape/sym_dims.hpp"    // fake::sym_dims
#include "faketensor/view/geometry.hpp"     // fake::geom::apply_step, fake::geom::view
#include "faketensor/view/ops.hpp"          // fake::detail::make_view

namespace fake {

// Every expression of `g` at the hints of its symbols (data_dependent_error
// for an expression over unbacked symbols, which have none).
inline runtime_geometry hints_of(const sym_geometry& g) {
  runtime_geometry out{dim_vector(g.sizes.size(), default_init), dim_vector(g.strides.size(), default_init), hint_of(g.offset)};
  for (std::size_t i = 0; i < g.sizes.size(); ++i) out.sizes[i] = hint_of(g.sizes[i]);
  for (std::size_t i = 0; i < g.strides.size(); ++i) out.strides[i] = hint_of(g.strides[i]);
  return out;
}

namespace detail {

// The one implementation of sym_geometry_holder.
class tensor_sym_geometry final : public sym_geometry_holder {
 public:
  // `g` must give `concrete` at the hints: a difference would mean the
  // concrete and the symbolic computation of one op disagree, which is a bug
  // in faketensor, reported rather than carried on.
  static sym_geometry_ptr make(sym_geometry g, const runtime_geometry& concrete, std::string_view op) {
    const runtime_geometry at_hints = hints_of(g);
    if (at_hints.sizes != concrete.sizes || at_hints.strides != concrete.strides || at_hints.offset != concrete.offset)
      throw sym_expression_error(std::string(op) + ": the symbolic geometry (sizes " + to_string(g.sizes) + ", strides " +
                                 to_string(g.strides) + ", offset " + to_string(g.offset) + ") is sizes " +
                                 to_string(at_hints.sizes) + ", strides " + to_string(at_hints.strides) + ", offset " +
                                 std::to_string(at_hints.offset) + " at the hints, but the op computed sizes " +
                                 to_string(concrete.sizes) + ", strides " + to_string(concrete.strides) + ", offset " +
                                 std::to_string(concrete.offset) + " (a faketensor bug: please report it)");
    return sym_geometry_ptr(new tensor_sym_geometry(std::move(g)));
  }

  [[nodiscard]] const sym_geometry& get() const noexcept { return g_; }

  [[nodiscard]] sym_geometry_ptr apply_view(const view_step& step, const runtime_geometry& concrete) const override {
    // as_strided's explicit sizes and strides (reshape's _reshape_alias) were
    // computed by its caller from the hints: the result holds only at them
    if (step.op == view_op::as_strided) specialize();
    return make(geom::apply_step(g_, step), concrete, name(step.op));
  }
  [[nodiscard]] sym_geometry_ptr contiguous_copy(const runtime_geometry& concrete) const override {
    return make(sym_geometry{g_.sizes, contiguous_strides(g_.sizes), sym_int(0)}, concrete, "contiguous");
  }
  [[nodiscard]] sym_geometry_ptr tensor_iterator_output(std::span<const tensor_desc* const> operands,
                                                        const runtime_geometry& concrete) const override;
  void specialize() const override {
    for (const sym_int& d : g_.sizes) (void)static_cast<std::int64_t>(d);  // the conversion guards (guard_int)
    for (const sym_int& d : g_.strides) (void)static_cast<std::int64_t>(d);
    (void)static_cast<std::int64_t>(g_.offset);
  }
  void specialize_size(std::size_t d) const override { (void)static_cast<std::int64_t>(g_.sizes[d]); }  // d is wrapped by the caller
  void append_key(std::vector<std::int64_t>& words) const override {
    for (const sym_int& d : g_.sizes) fake::append_key(words, d);
    for (const sym_int& d : g_.strides) fake::append_key(words, d);
    fake::append_key(words, g_.offset);
  }
  [[nodiscard]] std::string sizes_string() const override { return to_string(g_.sizes); }
  [[nodiscard]] std::string strides_string() const override { return to_string(g_.strides); }

 private:
  explicit tensor_sym_geometry(sym_geometry g) : g_(std::move(g)) {}
  sym_geometry g_;
};

inline const sym_geometry* sym_geometry_if(const tensor_desc& t) noexcept {
  return t.is_symbolic() ? &static_cast<const tensor_sym_geometry&>(*t.symbolic_geometry()).get() : nullptr;
}

}  // namespace detail

// The geometry of `t` as expressions: constants for a concrete tensor.
inline sym_geometry sym_geometry_of(const tensor_desc& t);

inline detail::sym_geometry_ptr detail::tensor_sym_geometry::tensor_iterator_output(std::span<const tensor_desc* const> operands,
                                                                            const runtime_geometry& concrete) const {
  std::vector<sym_geometry> store;
  store.reserve(operands.size());  // no reallocation: `in` points into it
  std::vector<basic_ti_geometry<sym_dims>> in(operands.size());
  for (std::size_t i = 0; i < operands.size(); ++i)
    if (operands[i] != nullptr) {
      store.push_back(sym_geometry_of(*operands[i]));
      in[i] = {&store.back().sizes, &store.back().strides};
    }
  sym_dims shape, strides;
  ti_output_geometry<"TensorIterator">(std::span<const basic_ti_geometry<sym_dims>>(in), shape, strides);
  return make({std::move(shape), std::move(strides), sym_int(0)}, concrete, "TensorIterator");
}

inline sym_geometry sym_geometry_of(const tensor_desc& t) {
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return *g;
  return {sym_dims(t.sizes()), sym_dims(t.strides()), sym_int(t.storage_offset())};
}
inline sym_dims sym_sizes(const tensor_desc& t) {
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return g->sizes;
  return sym_dims(t.sizes());
}
inline sym_dims sym_strides(const tensor_desc& t) {
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return g->strides;
  return sym_dims(t.strides());
}
// size(d) and stride(d) accept negative dims, as PyTorch does.
inline sym_int sym_size(const tensor_desc& t, std::int64_t d) {
  const auto i = static_cast<std::size_t>(wrap_dim<"sym_size">(d, t.dim()));
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return g->sizes[i];
  return t.sizes()[i];
}
inline sym_int sym_stride(const tensor_desc& t, std::int64_t d) {
  const auto i = static_cast<std::size_t>(wrap_dim<"sym_stride">(d, t.dim()));
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return g->strides[i];
  return t.strides()[i];
}
inline sym_int sym_storage_offset(const tensor_desc& t) {
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return g->offset;
  return t.storage_offset();
}
inline sym_int sym_numel(const tensor_desc& t) {
  if (const sym_geometry* g = detail::sym_geometry_if(t)) return numel(g->sizes);
  return t.numel();
}

// The symbolic strides PyTorch gives a dynamic input (ShapeEnv's
// create_symbolic_sizes_strides_storage_offset): strides 0 and 1 stay
// constants; then, smallest stride first, a stride equal to size*stride of a
// dim already expressed is that product; when none is, the smallest unbound
// stride becomes a symbol of its own and the search goes on. So a contiguous
// [s0, s1, s2] gets [s1*s2, s2, 1] and any permutation of a dense tensor gets
// strides in its sizes alone.
namespace detail {
inline sym_dims symbolic_input_strides(const tensor_desc& t, const sym_dims& sizes, shape_env& env, const std::string& name) {
  const std::size_t r = sizes.size();
  std::vector<bool> bound(r, false);
  sym_dims strides(r, sym_int(0));
  std::size_t unbound = r;
  for (std::size_t i = 0; i < r; ++i)
    if (t.strides()[i] == 0 || t.strides()[i] == 1) {
      strides[i] = t.strides()[i];
      bound[i] = true;
      --unbound;
    }
  // the unbound dims, by increasing (stride, dim)
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < r; ++i)
    if (!bound[i]) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return t.strides()[a] != t.strides()[b] ? t.strides()[a] < t.strides()[b] : a < b;
  });
  // the expression of a dim j whose size*stride equals `hint`, if any bound one does
  const auto candidate = [&](std::int64_t hint) -> std::optional<sym_int> {
    for (std::size_t j = 0; j < r; ++j)
      if (bound[j] && t.strides()[j] >= 0 && t.sizes()[j] * t.strides()[j] == hint) return sizes[j] * strides[j];
    return std::nullopt;
  };
  while (unbound > 0) {
    for (std::size_t i : order)
      if (!bound[i])
        if (const std::optional<sym_int> e = candidate(t.strides()[i])) {
          strides[i] = *e;
          bound[i] = true;
          --unbound;
        }
    if (unbound == 0) break;
    for (std::size_t i : order)
      if (!bound[i]) {  // the smallest unbound stride gets a symbol
        strides[i] = env.create_symbol(t.strides()[i], name + ".stride(" + std::to_string(i) + ")");
        bound[i] = true;
        --unbound;
        break;
      }
  }
  return strides;
}
}  // namespace detail

// A new fake tensor like `t` (dtype, device, layout, requires_grad, a storage
// of its own of the same size) whose every dim is dynamic: its sizes, the
// strides its sizes do not explain, and its storage offset are given to
// env.create_symbol in that order, with sources "name.size(i)",
// "name.stride(i)" and "name.storage_offset()" (so sizes 0 and 1 specialize
// and equal sizes share a symbol, PyTorch's defaults; Note [dynamic dims and
// their symbols]).
//
// With `dynamic_dims`, only those dims' sizes are symbols (negative dims
// count from the end); the others stay constants, as dims PyTorch has not
// marked dynamic: make_symbolic(x, env, "x", {0}) for a dynamic batch. The
// strides and offset follow the same rule either way.
inline tensor_desc make_symbolic(const tensor_desc& t, shape_env& env, const std::string& name,
                                 std::span<const std::int64_t> dynamic_dims) {
  expect<value_error, "make_symbolic", "{} is symbolic already">(!t.is_symbolic(), name);
  const std::size_t r = t.sizes().size();
  std::vector<bool> dynamic(r, false);
  for (const std::int64_t d : dynamic_dims) dynamic[static_cast<std::size_t>(wrap_dim<"make_symbolic">(d, t.dim()))] = true;
  sym_dims sizes(r, default_init);
  for (std::size_t i = 0; i < r; ++i)
    sizes[i] = dynamic[i] ? env.create_symbol(t.sizes()[i], name + ".size(" + std::to_string(i) + ")") : sym_int(t.sizes()[i]);
  sym_dims strides = detail::symbolic_input_strides(t, sizes, env, name);
  const sym_int offset = env.create_symbol(t.storage_offset(), name + ".storage_offset()");
  tensor_desc out(tensor_desc::checked_by_caller, t.sizes(), t.strides(), t.storage_offset(), t.dtype(),
                  storage(t.storage().nbytes(), t.device()), t.layout());
  out.requires_grad(t.requires_grad()).set(tensor_flag::is_parameter, t.is_parameter());
  out.set_symbolic_geometry(detail::tensor_sym_geometry::make({std::move(sizes), std::move(strides), offset}, out.geometry(),
                                                              "make_symbolic"));
  return out;
}
inline tensor_desc make_symbolic(const tensor_desc& t, shape_env& env, const std::string& name,
                                 std::initializer_list<std::int64_t> dynamic_dims) {
  return make_symbolic(t, env, name, std::span<const std::int64_t>(dynamic_dims.begin(), dynamic_dims.size()));
}
inline tensor_desc make_symbolic(const tensor_desc& t, shape_env& env, const std::string& name) {
  dim_vector all(t.sizes().size(), default_init);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int64_t>(i);
  return make_symbolic(t, env, name, std::span<const std::int64_t>(all.data(), all.size()));
}

// empty(sizes) with symbolic sizes: a contiguous or channels-last tensor whose
// strides are expressions in them.
template <std::same_as<sym_dims> SymDims>  // a template, so that empty({2, 3}) stays the dim_vector overload
tensor_desc empty(const SymDims& sizes, dtype dt = dtype::float32, device dev = device{},
                         memory_format format = memory_format::contiguous_format) {
  for (const sym_int& s : sizes)
    expect<shape_error, "empty", "Trying to create tensor with negative dimension {}: {}">(s >= 0, s, sizes);
  sym_dims strides = [&] {
    switch (format) {
      case memory_format::contiguous_format: return contiguous_strides(sizes);
      case memory_format::channels_last: return channels_last_strides(sizes);
      case memory_format::channels_last_3d: return channels_last_3d_strides(sizes);
      case memory_format::preserve_format: break;
    }
    fail<value_error, "empty", "memory format {} has no strides of its own (use the input's)">(format);
  }();
  sym_geometry g{sizes, std::move(strides), sym_int(0)};
  const runtime_geometry concrete = hints_of(g);
  tensor_desc out = empty(concrete.sizes, dt, dev, format);
  out.set_symbolic_geometry(detail::tensor_sym_geometry::make(std::move(g), out.geometry(), "empty"));
  return out;
}

namespace detail {
// A view of `self` whose geometry is `g` (computed on the expressions), made
// and recorded as the concrete view op `op` with the hints as its list
// argument (replaying the chain on another base replays the hints).
// `step` is the view's recorded step when its arguments are not its sizes
// (slice's bounds at their hints); by default op with the hints' sizes.
inline tensor_desc symbolic_view(const tensor_desc& self, sym_geometry g, view_op op, std::optional<step_args> step = {}) {
  runtime_geometry concrete = hints_of(g);
  sym_geometry_ptr holder = tensor_sym_geometry::make(std::move(g), concrete, name(op));
  const dim_vector hint_sizes = concrete.sizes;
  tensor_desc out = make_concrete_view(self, [&] { return std::move(concrete); }, step ? *step : step_of(op, hint_sizes));
  out.set_symbolic_geometry(std::move(holder));
  return out;
}
}  // namespace detail

// view(sizes) with symbolic sizes (one -1 may be inferred).
template <std::same_as<sym_dims> SymDims>  // (not a candidate for a braced list: view(x, {2, 3}) is concrete)
tensor_desc view(const tensor_desc& self, const SymDims& sizes) {
  return detail::symbolic_view(self, geom::view(sym_geometry_of(self), sizes), view_op::view);
}
// expand(sizes) with symbolic sizes (-1 keeps a size).
template <std::same_as<sym_dims> SymDims>
tensor_desc expand(const tensor_desc& self, const SymDims& sizes) {
  return detail::symbolic_view(self, geom::expand(sym_geometry_of(self), sizes), view_op::expand);
}
// slice(dim, start, end, step) with symbolic start or end (x[:, :t] for a
// symbolic t): PyTorch's clamping on the expressions, so a clamp the ranges
// cannot decide records a guard. Recorded as the concrete slice at the hints.
inline tensor_desc sym_slice(const tensor_desc& self, std::int64_t dim, std::optional<sym_int> start, std::optional<sym_int> end,
                             std::int64_t step = 1) {
  const std::int64_t r = self.dim();
  expect<shape_error, "slice", "slice() cannot be applied to a 0-dim tensor.">(r > 0);
  const std::int64_t d = wrap_dim<"slice">(dim, r);
  expect<value_error, "slice", "slice step must be positive, got {}">(step > 0, step);
  const sym_geometry g = sym_geometry_of(self);
  const sym_int first = start.value_or(sym_int(0));
  const sym_int last = end.value_or(g.sizes[static_cast<std::size_t>(d)]);
  const auto sliced = geom::detail::slice_wrapped<sym_int>(g, d, r, first, last, step);
  constexpr std::int64_t open = std::numeric_limits<std::int64_t>::max();
  return detail::symbolic_view(self, sym_geometry{sym_dims(sliced.sizes), sym_dims(sliced.strides), sym_int(sliced.offset)},
                               view_op::slice, detail::step_of(view_op::slice, d, hint_of(first), end ? hint_of(*end) : open, step));
}

// reshape(sizes) with symbolic sizes: a view when the strides allow it, else a
// contiguous copy viewed (as reshape does).
template <std::same_as<sym_dims> SymDims>
tensor_desc reshape(const tensor_desc& self, const SymDims& sizes) {
  const sym_geometry g = sym_geometry_of(self);
  const sym_int n = numel(g.sizes);
  const sym_dims inferred = geom::infer_size(sizes, n);
  sym_dims strides;
  if (geom::compute_view_strides(g.sizes, g.strides, n, inferred, strides))
    return detail::symbolic_view(self, sym_geometry{inferred, std::move(strides), g.offset}, view_op::view);
  // as the concrete reshape: _unsafe_view of a contiguous copy, not a view
  const tensor_desc copy = contiguous_copy(self);
  sym_geometry v = geom::view(sym_geometry_of(copy), inferred);
  runtime_geometry concrete = hints_of(v);
  tensor_desc out(tensor_desc::result_tag{}, copy, std::move(concrete.sizes), std::move(concrete.strides), concrete.offset);
  out.set_symbolic_geometry(detail::tensor_sym_geometry::make(std::move(v), out.geometry(), "reshape"));
  return out;
}

// Note [symbolic rules of kernels]
// A kernel computes its outputs from its inputs' hints. Where its meta
// function is generic over the dims container (mm_meta, softmax_meta,
// reduce_to, ...), the op's registration (dispatch/builtin_*.hpp) wraps the
// kernel's result in with_symbolic<Op>(result, rule, inputs...): when one of
// the inputs is symbolic, `rule(sym_geometry_of(inputs)...)` runs the same
// meta on the expressions and each output gets the geometry it returns for it
// (a basic_out_meta<sym_dims>, or a tuple of them for a tuple of outputs),
// checked against the concrete result at the hints. The checks the meta makes
// on symbols record guards, as PyTorch's meta functions do on SymInts. The
// rule sees the tensors it is given only: a tensor argument it reads as
// numbers (layer_norm's weight, compared with the concrete normalized_shape)
// is specialized by the caller. Only new outputs take a rule: in-place and
// out= variants specialize (Note [ops on symbolic tensors]).
namespace detail {
inline void attach_symbolic_geometry(tensor_desc& out, basic_out_meta<sym_dims>&& m, std::string_view op) {
  out.set_symbolic_geometry(
      tensor_sym_geometry::make({std::move(m.sizes), std::move(m.strides), sym_int(0)}, out.geometry(), op));
}
}  // namespace detail

template <fixed_string Op, class Out, class Rule, class... Inputs>
Out with_symbolic(Out out, Rule&& rule, const Inputs&... inputs) {
  if (!(inputs.is_symbolic() || ...)) [[likely]]
    return out;
  auto m = rule(sym_geometry_of(inputs)...);
  if constexpr (std::is_same_v<Out, tensor_desc>) {
    detail::attach_symbolic_geometry(out, std::move(m), Op.view());
  } else {  // a tuple (or pair) of outputs, a meta each
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (detail::attach_symbolic_geometry(std::get<I>(out), std::move(std::get<I>(m)), Op.view()), ...);
    }(std::make_index_sequence<std::tuple_size_v<Out>>{});
  }
  return out;
}
// The same for an op over a list of tensors (cat): `rule` takes the
// expressions of every tensor of `inputs`, as a std::span<const sym_geometry>.
template <fixed_string Op, class Rule>
tensor_desc with_symbolic_list(tensor_desc out, Rule&& rule, std::span<const tensor_desc> inputs) {
  bool any = false;
  for (const tensor_desc& t : inputs) any = any || t.is_symbolic();
  if (!any) [[likely]]
    return out;
  std::vector<sym_geometry> g;
  g.reserve(inputs.size());
  for (const tensor_desc& t : inputs) g.push_back(sym_geometry_of(t));
  detail::attach_symbolic_geometry(out, rule(std::span<const sym_geometry>(g)), Op.view());
  return out;
}

}  // namespace fake
