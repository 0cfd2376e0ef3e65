// faketensor/ops/tensor_iterator.hpp — TensorIterator's output metadata: the
// broadcast shape of all operands, their common dtype, the output strides, the
// device, and the rules of the in-place and out= variants (memory overlap,
// no broadcast-resize of self, castable result types).
//
// Note [TensorIterator output strides]
// ATen's TensorIterator (aten/src/ATen/TensorIterator.cpp, 1.13) gives a new
// output (or an out= tensor it resizes) the strides below; we follow it step
// by step, on geometry only:
//  1. compute_shape: the shapes of the inputs are broadcast left to right
//     (infer_size); "all operands have the same shape" is remembered, and is
//     false as soon as a 0-dim operand (a wrapped scalar, a 0-dim tensor) meets
//     one with dims.
//  2. fast set-up (compute_fast_setup_type), only when all shapes are equal:
//     every input contiguous -> contiguous strides; every input channels_last
//     contiguous -> channels_last strides; every input non-overlapping and dense
//     with the same strides -> those strides.
//  3. otherwise reorder_dimensions: each input's strides, with 0 for a
//     broadcast dim (a missing dim, or size 1 where the shape is not 1), sort
//     the dims (insertion sort, innermost first, starting from the reversed
//     order): the first input whose strides of two dims are both nonzero and
//     differ decides; equal nonzero strides swap the dims when the outer one is
//     larger; a zero stride defers to the next input; nobody deciding keeps the
//     order. A rank-1 iterator keeps [0].
//  4. allocate_or_resize_outputs: when the permutation is the plain reversed
//     order the output is contiguous (c10's strides: size-0/1 dims count as 1);
//     otherwise the strides are products of the sizes in the permuted order
//     (compatible_stride: no max(size, 1) there), permuted back (invert_perm).
// So a binary op follows the layout of its first non-broadcast input
// (permuted, channels_last), and size-1 dims keep their place in that order.
//
// Note [TensorIterator dtypes]
// The common dtype is result_type over the inputs (tensors, 0-dim tensors and
// wrapped scalars, Note [result_type categories]); ti_dtype_rule says what an
// op's TensorIteratorConfig does with it (promote, promote integers to the
// default float, require all dtypes equal, or the comparison ops' bool output).
// An in-place or out= output must be able to hold it (can_cast), except for
// comparisons, which write into any dtype.
//
// Note [memory overlap of written tensors]
// ATen's compute_mem_overlaps, before anything else: a written tensor (self of
// an in-place op, out=) with a stride-0 dim of size > 1 is "internal overlap";
// a written tensor and an input that are not the same tensor, both
// non-overlapping and dense, on one storage, whose byte ranges intersect
// without coinciding exactly with equal strides, are "partial overlap". Both
// are errors with ATen's messages. Where ATen answers "too hard" (a
// non-dense tensor) nothing is raised, as in ATen.
#pragma once

#include <array>             // std::array
#include <concepts>     // std::integral, std::floating_point
#include <initializer_list>  // std::initializer_list
#include <optional>      // std::optional
#include <string>        // std::string
#include <cstdint>      // std::int64_t
#include <span>         // std::span
#include <type_traits>  // std::is_same_v, std::type_identity_t
#include <utility>      // std::declval

#include "faketensor/core/dtype.hpp"        // fake::dtype, fake::promote_types, fake::can_cast
#include "faketensor/core/error.hpp"        // fake::shape_error, fake::dtype_error
#include "faketensor/core/expect.hpp"       // fake::expect, fake::fail, fake::checked_mul
#include "faketensor/core/guard_probe.hpp"  // fake::without_guards (Note [fast path on symbolic sizes])
#include "faketensor/core/result_type.hpp"  // fake::operand, fake::result_type_state
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::common_device, fake::allocate
#include "faketensor/shape/contiguity.hpp"  // fake::is_contiguous, fake::is_non_overlapping_and_dense
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides, fake::channels_last_strides

namespace fake {

// ------------------------------------------------------------- scalars ----

// A Scalar argument (c10::Scalar): a bool, an integer or a floating-point
// number. Its kind, not its value, decides type promotion: 2 and 2.0 promote
// differently (a wrapped scalar operand, Note [result_type categories]).
class scalar {
 public:
  enum class kind : std::uint8_t { boolean, integral, floating };

  constexpr scalar(bool b) noexcept : kind_(kind::boolean), i_(b ? 1 : 0) {}  // NOLINT: implicit, as c10::Scalar
  template <std::integral I>
    requires(!std::is_same_v<I, bool>)
  constexpr scalar(I i) noexcept : kind_(kind::integral), i_(static_cast<std::int64_t>(i)) {}  // NOLINT
  template <std::floating_point F>
  constexpr scalar(F d) noexcept : kind_(kind::floating), d_(static_cast<double>(d)) {}  // NOLINT

  [[nodiscard]] constexpr bool is_bool() const noexcept { return kind_ == kind::boolean; }
  [[nodiscard]] constexpr bool is_integral() const noexcept { return kind_ == kind::integral; }
  [[nodiscard]] constexpr bool is_floating_point() const noexcept { return kind_ == kind::floating; }
  [[nodiscard]] constexpr double to_double() const noexcept {
    return kind_ == kind::floating ? d_ : static_cast<double>(i_);
  }
  [[nodiscard]] constexpr std::int64_t to_int() const noexcept {
    return kind_ == kind::floating ? static_cast<std::int64_t>(d_) : i_;
  }
  // The operand it is in type promotion: a wrapped number of dtype bool, int64
  // or float64 (result_type_state turns float64 into the default dtype).
  [[nodiscard]] constexpr operand as_operand() const noexcept {
    switch (kind_) {
      case kind::boolean: return scalar_operand(true);
      case kind::integral: return int_scalar_operand();
      case kind::floating: break;
    }
    return float_scalar_operand();
  }

 private:
  kind kind_;
  std::int64_t i_ = 0;
  double d_ = 0.0;
};

inline std::string to_string(const scalar& s) {
  if (s.is_bool()) return s.to_int() ? "True" : "False";
  if (s.is_integral()) return std::to_string(s.to_int());
  return std::to_string(s.to_double());
}

// ------------------------------------------------------------ geometry ----

// One input of a TensorIterator, as geometry: null sizes/strides is a 0-dim
// operand (a wrapped scalar). Dims is dim_vector, or sym_dims for symbolic
// sizes: the geometry functions below serve both (Note [one kernel, three
// interpretations]); on symbolic dims each comparison is decided by ranges or
// recorded as a guard, as PyTorch's TensorIterator does on SymInts.
template <class Dims>
struct basic_ti_geometry {
  const Dims* sizes = nullptr;
  const Dims* strides = nullptr;
  [[nodiscard]] constexpr std::size_t rank() const noexcept { return sizes ? sizes->size() : 0; }
};
using ti_geometry = basic_ti_geometry<dim_vector>;

// How an op's TensorIteratorConfig treats dtypes (Note [TensorIterator dtypes]).
enum class ti_dtype_rule : std::uint8_t {
  promote,           // binary ops: result_type of the inputs; written outputs must hold it
  promote_to_float,  // the same, an integral/bool result becoming the default float (div, atan2, exp, sin)
  same,              // check_all_same_dtype: all tensors, outputs included, of one dtype (abs, neg, lerp)
  comparison,        // result_type of the inputs; a new output is bool, a written one keeps its dtype
};

namespace detail {

// ATen's infer_size(a, b) with its message; `a` is the shape so far.
template <fixed_string Op, class Dims>
constexpr Dims ti_infer_size(const Dims& a, const Dims& b) {
  using D = dims_element_t<Dims>;
  const std::size_t na = a.size(), nb = b.size();
  const std::size_t n = na > nb ? na : nb;
  Dims out(n, default_init);
  for (std::size_t i = n; i-- > 0;) {
    const std::size_t off = n - 1 - i;
    const D sa = off < na ? a[na - 1 - off] : to_runtime_dim<D>(std::int64_t{1});
    const D sb = off < nb ? b[nb - 1 - off] : to_runtime_dim<D>(std::int64_t{1});
    expect<shape_error, Op, "The size of tensor a ({}) must match the size of tensor b ({}) at non-singleton dimension {}">(
        sa == sb || sa == 1 || sb == 1, sa, sb, static_cast<std::int64_t>(i));
    out[i] = sa == 1 ? sb : sa;
  }
  return out;
}

// compute_shape: the broadcast shape into `shape`; returns all_ops_same_shape.
template <fixed_string Op, class Dims>
constexpr bool ti_compute_shape(std::span<const basic_ti_geometry<Dims>> in, Dims& shape) {
  bool same = true, has_scalars = false, has_tensors = false;
  for (const basic_ti_geometry<Dims>& g : in) {
    const std::size_t r = g.rank();
    if (r == 0) has_scalars = true;
    else has_tensors = true;
    if (has_scalars && has_tensors) same = false;
    if (shape.empty()) {
      if (r != 0) shape = *g.sizes;
      continue;
    }
    if (r != 0 && dims_equal(*g.sizes, shape)) continue;
    same = false;
    if (r != 0) shape = ti_infer_size<Op>(shape, *g.sizes);
  }
  return same;
}

// compute_fast_setup_type + fast_set_up (all shapes equal); false when no
// fast path applies.
template <class Dims>
constexpr bool ti_fast_strides(std::span<const basic_ti_geometry<Dims>> in, const Dims& shape, Dims& strides) {
  bool ok = true;
  for (const basic_ti_geometry<Dims>& g : in)
    if (g.sizes != nullptr && !is_contiguous(*g.sizes, *g.strides)) {
      ok = false;
      break;
    }
  if (ok) {  // all 0-dim operands land here too
    strides = Dims(contiguous_strides(shape));
    return true;
  }
  ok = true;
  for (const basic_ti_geometry<Dims>& g : in)
    if (!is_channels_last_contiguous(*g.sizes, *g.strides)) {
      ok = false;
      break;
    }
  if (ok) {
    strides = Dims(channels_last_strides(shape));
    return true;
  }
  for (const basic_ti_geometry<Dims>& g : in)
    if (!is_non_overlapping_and_dense(*g.sizes, *g.strides)) return false;
  const basic_ti_geometry<Dims>& last = in[in.size() - 1];
  for (const basic_ti_geometry<Dims>& g : in)
    if (!dims_equal(*g.strides, *last.strides)) return false;
  strides = *last.strides;
  return true;
}

// An input's stride along output dim d as reorder_dimensions sees it: 0 for a
// broadcast dim (missing, or size 1 where the shape is not 1).
template <class Dims>
constexpr dims_element_t<Dims> ti_effective_stride(const basic_ti_geometry<Dims>& g, const Dims& shape, std::size_t d) {
  using D = dims_element_t<Dims>;
  const std::size_t r = g.rank();
  const std::size_t off = shape.size() - r;
  if (d < off) return to_runtime_dim<D>(std::int64_t{0});
  const D size = (*g.sizes)[d - off];
  if (oblivious(size == 1) && !oblivious(shape[d] == 1)) return to_runtime_dim<D>(std::int64_t{0});  // Note [size-oblivious decisions]
  return (*g.strides)[d - off];
}

// reorder_dimensions + allocate_or_resize_outputs' strides (Note [TensorIterator output strides]).
template <fixed_string Op, class Dims>
constexpr Dims ti_permuted_strides(std::span<const basic_ti_geometry<Dims>> in, const Dims& shape) {
  using D = dims_element_t<Dims>;
  const std::size_t n = shape.size();
  if (n <= 1) return Dims(contiguous_strides(shape));
  // the inputs' effective strides, computed once (ranks <= 16, <= 4 inputs)
  constexpr std::size_t cached_rank = 16, cached_inputs = 4;
  const bool cached = n <= cached_rank && in.size() <= cached_inputs;
  std::array<D, cached_rank * cached_inputs> eff;  // only the entries written below are read
  if (cached)
    for (std::size_t k = 0; k < in.size(); ++k)
      for (std::size_t d = 0; d < n; ++d) eff[k * cached_rank + d] = ti_effective_stride(in[k], shape, d);
  const dim_vector perm = stride_order(n, [&](std::size_t d0, std::size_t d1) {  // Note [stride order]
    for (std::size_t k = 0; k < in.size(); ++k) {
      const basic_ti_geometry<Dims>& g = in[k];
      if (g.sizes == nullptr) continue;
      const D s0 = cached ? eff[k * cached_rank + d0] : ti_effective_stride(g, shape, d0);
      const D s1 = cached ? eff[k * cached_rank + d1] : ti_effective_stride(g, shape, d1);
      if (s0 == 0 || s1 == 0) continue;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[d0] > shape[d1]) return 1;
    }
    return 0;
  });
  if (is_identity_order(perm)) return Dims(contiguous_strides(shape));
  Dims strides(n, default_init);
  D next = to_runtime_dim<D>(std::int64_t{1});
  for (std::size_t j = 0; j < n; ++j) {
    const auto d = static_cast<std::size_t>(perm[j]);
    strides[d] = next;
    next = to_runtime_dim<D>(checked_mul<Op>(next, shape[d]));
  }
  return strides;
}

}  // namespace detail

// TensorIterator's shape and strides of a new output for these inputs (Note
// [TensorIterator output strides]); a broadcast mismatch is a shape_error
// naming Op with ATen's message. Constant-evaluable (the typed path runs it).
// Dims is deduced from the outputs: dim_vector, or sym_dims.
//
// Note [fast path on symbolic sizes]: on expressions, whether the fast path
// applies can depend on the sizes (a causal mask sliced to [1, 1, t, t] of a
// [1, 1, P, P] buffer is contiguous only where t == P), and deciding it would
// guard. Where the general path's strides are the contiguous ones anyway,
// both paths give the same strides at every size and no guard is needed; the
// fast path is probed first without guards (core/guard_probe.hpp), and only
// where the two differ does it decide with one.
template <fixed_string Op, class Dims>
constexpr void ti_output_strides(std::span<const basic_ti_geometry<std::type_identity_t<Dims>>> in, const Dims& shape,
                                 bool same_shape, Dims& strides) {
  if constexpr (requires { shape.same_as(shape); }) {  // sym_dims
    if (same_shape && !in.empty()) {
      try {
        const without_guards probe;
        if (!detail::ti_fast_strides(in, shape, strides)) strides = detail::ti_permuted_strides<Op>(in, shape);
        return;
      } catch (const guard_needed&) {
      }
      Dims permuted = detail::ti_permuted_strides<Op>(in, shape);
      if (permuted.same_as(Dims(contiguous_strides(shape)))) {
        strides = std::move(permuted);
        return;
      }
      if (!detail::ti_fast_strides(in, shape, strides)) strides = std::move(permuted);
      return;
    }
  }
  if (same_shape && !in.empty() && detail::ti_fast_strides(in, shape, strides)) return;
  strides = detail::ti_permuted_strides<Op>(in, shape);
}
template <fixed_string Op, class Dims>
constexpr void ti_output_geometry(std::span<const basic_ti_geometry<std::type_identity_t<Dims>>> in, Dims& shape,
                                  Dims& strides) {
  shape.clear();
  const bool same = detail::ti_compute_shape<Op>(in, shape);
  ti_output_strides<Op>(in, shape, same, strides);
}

// The common dtype of the inputs under `rule` (Note [TensorIterator dtypes]);
// `same` requires every input of one dtype ("Found dtype Float but expected
// Long", ATen's check_all_same_dtype).
template <fixed_string Op>
constexpr dtype ti_common_dtype(std::span<const operand> in, ti_dtype_rule rule, dtype default_float = dtype::float32) {
  if (rule == ti_dtype_rule::same) {
    const dtype first = in[0].type;
    for (const operand& o : in)
      expect<dtype_error, Op, "Found dtype {} but expected {}">(o.type == first, c10_name(o.type), c10_name(first));
    return first;
  }
  // one dtype throughout (the common case) is its own result_type
  bool uniform = true;
  for (const operand& o : in) uniform = uniform && o.type == in[0].type && o.kind != operand_kind::wrapped_scalar;
  dtype common = in[0].type;
  if (!uniform) {
    result_type_state state(default_float);
    for (const operand& o : in) state.update(o);
    common = *state.result();
  }
  if (rule == ti_dtype_rule::promote_to_float && is_integral(common, true)) common = default_float;
  return common;
}

// The dtype a new output gets for a common dtype under `rule`.
constexpr dtype ti_new_output_dtype(dtype common, ti_dtype_rule rule) noexcept {
  return rule == ti_dtype_rule::comparison ? dtype::bool_ : common;
}

// The checks of a written output (self of an in-place op, an out= tensor) of
// dtype `out` against the common dtype.
template <fixed_string Op>
constexpr void ti_check_written_dtype(dtype common, dtype out, ti_dtype_rule rule) {
  if (rule == ti_dtype_rule::comparison) return;
  if (rule == ti_dtype_rule::same) {
    expect<dtype_error, Op, "Found dtype {} but expected {}">(out == common, c10_name(out), c10_name(common));
    return;
  }
  expect<dtype_error, Op, "result type {} can't be cast to the desired output type {}">(can_cast(common, out),
                                                                                       c10_name(common), c10_name(out));
}

// ------------------------------------------------------ memory overlap ----

enum class mem_overlap : std::uint8_t { no, yes, too_hard };
enum class mem_overlap_status : std::uint8_t { full, partial, no, too_hard };

// ATen's has_internal_overlap.
inline mem_overlap has_internal_overlap(const tensor_desc& t) {
  if (t.is_non_overlapping_and_dense()) return mem_overlap::no;
  const dim_vector& sizes = t.sizes();
  const dim_vector& strides = t.strides();
  for (std::size_t d = 0; d < sizes.size(); ++d)
    if (strides[d] == 0 && sizes[d] > 1) return mem_overlap::yes;
  return mem_overlap::too_hard;
}

// ATen's get_overlap_status(a, b).
inline mem_overlap_status get_overlap_status(const tensor_desc& a, const tensor_desc& b) {
  if (a.id() == b.id()) return mem_overlap_status::full;
  if (a.numel() == 0 || b.numel() == 0) return mem_overlap_status::no;
  if (!a.is_non_overlapping_and_dense() || !b.is_non_overlapping_and_dense()) return mem_overlap_status::too_hard;
  if (!a.shares_storage_with(b)) return mem_overlap_status::no;
  const std::int64_t a_begin = a.storage_offset() * a.itemsize();
  const std::int64_t a_end = a_begin + a.numel() * a.itemsize();
  const std::int64_t b_begin = b.storage_offset() * b.itemsize();
  const std::int64_t b_end = b_begin + b.numel() * b.itemsize();
  if (a_begin == b_begin && a_end == b_end)
    return a.strides() == b.strides() ? mem_overlap_status::full : mem_overlap_status::partial;
  if (a_begin < b_end && b_begin < a_end) return mem_overlap_status::partial;
  return mem_overlap_status::no;
}

template <fixed_string Op>
void assert_no_internal_overlap(const tensor_desc& t) {
  expect<shape_error, Op,
         "unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
         "Please clone() the tensor before performing the operation.">(has_internal_overlap(t) != mem_overlap::yes);
}

template <fixed_string Op>
void assert_no_partial_overlap(const tensor_desc& written, const tensor_desc& input) {
  expect<shape_error, Op,
         "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory "
         "location. Please clone() the tensor before performing the operation.">(get_overlap_status(written, input) !=
                                                                                  mem_overlap_status::partial);
}

// compute_mem_overlaps for one written tensor and the op's tensor inputs
// (Note [memory overlap of written tensors]).
template <fixed_string Op>
void check_mem_overlaps(const tensor_desc& written, std::span<const tensor_desc* const> inputs) {
  assert_no_internal_overlap<Op>(written);
  for (const tensor_desc* in : inputs)
    if (in != nullptr && in->id() != written.id()) assert_no_partial_overlap<Op>(written, *in);
}

// ------------------------------------------------------ tensor_desc path ----

// An input of a TensorIterator op on the tensor_desc path: a tensor, or a
// Scalar (a wrapped number: a 0-dim operand on the cpu that adapts to any device).
struct ti_input {
  const tensor_desc* tensor = nullptr;
  operand scalar_operand{};
  constexpr ti_input(const tensor_desc& t) noexcept : tensor(&t) {}  // NOLINT: implicit by design
  constexpr ti_input(const scalar& s) noexcept : scalar_operand(s.as_operand()) {}  // NOLINT
  [[nodiscard]] operand as_operand() const {
    if (tensor == nullptr) return scalar_operand;
    if (tensor->is_wrapped_number()) return {tensor->dtype(), operand_kind::wrapped_scalar};
    return {tensor->dtype(), tensor->dim() == 0 ? operand_kind::zero_dim : operand_kind::tensor};
  }
};

// How a TensorIterator op treats its inputs.
struct ti_config {
  ti_dtype_rule rule = ti_dtype_rule::promote;
  bool check_mem_overlap = true;
  // promote_inputs_to_common_dtype (Note [cpu input promotion]); where() does not
  bool promote_inputs = true;
};

namespace detail {

// Up to this many inputs live on the stack (TensorIterator ops have 1-3).
inline constexpr std::size_t ti_max_inputs = 4;

struct ti_prepared {
  std::array<ti_geometry, ti_max_inputs> geometry{};
  std::array<operand, ti_max_inputs> operands{};
  std::array<const tensor_desc*, ti_max_inputs> tensors{};
  std::size_t n = 0, n_tensors = 0;
};

template <fixed_string Op>
ti_prepared ti_prepare(std::span<const ti_input> in) {
  expect<value_error, Op, "too many TensorIterator inputs ({})">(in.size() <= ti_max_inputs, in.size());
  ti_prepared p;
  p.n = in.size();
  for (std::size_t i = 0; i < in.size(); ++i) {
    const ti_input& x = in[i];
    p.operands[i] = x.as_operand();
    if (x.tensor != nullptr) {
      p.geometry[i] = ti_geometry{&x.tensor->sizes(), &x.tensor->strides()};
      p.tensors[p.n_tensors++] = x.tensor;
    }
  }
  return p;
}

// Note [cpu input promotion]: on the cpu (every tensor input on the cpu), a
// TensorIterator that promotes its inputs converts each input of another
// dtype with .to(common) before computing strides (compute_types; CUDA kernels
// cast on the fly, meta tensors do neither). A converted non-dense input has
// _to_copy's dense strides, which can reorder the output. The converted
// strides live in `store`; the geometry points at them.
inline bool ti_needs_cpu_promotion(const ti_prepared& p, std::span<const ti_input> in, ti_config cfg, dtype common,
                                   device dev) {
  if (cfg.rule == ti_dtype_rule::same || !cfg.promote_inputs || !dev.is_cpu()) return false;
  for (std::size_t i = 0; i < p.n; ++i) {
    const tensor_desc* t = in[i].tensor;
    if (t != nullptr && t->dtype() != common && t->dim() != 0 && !t->is_non_overlapping_and_dense()) return true;
  }
  return false;
}
inline void ti_promote_cpu_inputs(ti_prepared& p, std::span<const ti_input> in, dtype common,
                                  std::array<dim_vector, ti_max_inputs>& store) {
  for (std::size_t i = 0; i < p.n; ++i) {
    const tensor_desc* t = in[i].tensor;
    if (t == nullptr || t->dtype() == common || t->dim() == 0 || t->is_non_overlapping_and_dense()) continue;
    store[i] = infer_dense_strides(t->sizes(), t->strides());
    p.geometry[i].strides = &store[i];
  }
}

// The strides of a new output, with Note [cpu input promotion] applied.
template <fixed_string Op>
dim_vector ti_new_output_strides(ti_prepared& p, std::span<const ti_input> in, ti_config cfg, dtype common, device dev,
                                 const dim_vector& shape, bool same) {
  dim_vector strides;
  if (ti_needs_cpu_promotion(p, in, cfg, common, dev)) [[unlikely]] {
    std::array<dim_vector, ti_max_inputs> converted;
    ti_promote_cpu_inputs(p, in, common, converted);
    ti_output_strides<Op>(std::span<const ti_geometry>(p.geometry.data(), p.n), shape, same, strides);
  } else {
    ti_output_strides<Op>(std::span<const ti_geometry>(p.geometry.data(), p.n), shape, same, strides);
  }
  return strides;
}

// A new output tensor with a storage of its own (the geometry is TensorIterator's: dense, checked here).
inline tensor_desc ti_allocate(dim_vector&& sizes, dim_vector&& strides, dtype dt, device dev) {
  const std::int64_t nbytes = storage_nbytes(sizes, strides, itemsize(dt));
  return tensor_desc(tensor_desc::checked_by_caller, std::move(sizes), std::move(strides), 0, dt, fake::storage(nbytes, dev));
}

}  // namespace detail

namespace detail {
// An op's checks that need the iterator's dtypes (ATen runs them after build():
// alpha_check, the kernels' dtype support): called with the common dtype and
// the output's dtype.
struct ti_no_post {
  constexpr void operator()(dtype, dtype) const noexcept {}
};
}  // namespace detail

// The metadata of a TensorIterator op's new output (the functional variant):
// shape, strides, dtype (after `cfg.rule`) and device. `out_dtype`, when
// given, replaces the dtype TensorIterator would pick (a static dtype).
template <fixed_string Op, class Post = detail::ti_no_post>
out_meta ti_meta(std::span<const ti_input> in, ti_config cfg, std::optional<dtype> out_dtype = {}, Post post = {}) {
  detail::ti_prepared p = detail::ti_prepare<Op>(in);
  out_meta m;
  const bool same = detail::ti_compute_shape<Op>(std::span<const ti_geometry>(p.geometry.data(), p.n), m.sizes);
  m.device = common_device<Op>(std::span<const tensor_desc* const>(p.tensors.data(), p.n_tensors));
  const dtype common = ti_common_dtype<Op>(std::span<const operand>(p.operands.data(), p.n), cfg.rule);
  m.dtype = out_dtype ? *out_dtype : ti_new_output_dtype(common, cfg.rule);
  post(common, m.dtype);
  m.strides = detail::ti_new_output_strides<Op>(p, in, cfg, common, m.device, m.sizes, same);
  return m;
}

namespace detail {
// Note [symbolic geometry of a tensor]: a new output of symbolic inputs gets
// TensorIterator's geometry computed on their expressions. Where Note [cpu
// input promotion] changed an input's strides, the inputs are specialized
// instead (their symbols guarded to the hints) and the output is concrete.
[[gnu::noinline, gnu::cold]] inline void ti_symbolic_output(tensor_desc& out, std::span<const ti_input> in, ti_config cfg) {
  std::array<const tensor_desc*, ti_max_inputs> operands{};
  const sym_geometry_holder* holder = nullptr;
  for (std::size_t i = 0; i < in.size(); ++i) {
    operands[i] = in[i].tensor;
    if (in[i].tensor != nullptr && in[i].tensor->is_symbolic()) holder = in[i].tensor->symbolic_geometry().get();
  }
  if (holder == nullptr) return;
  const ti_prepared p = ti_prepare<"TensorIterator">(in);
  const dtype common = ti_common_dtype<"TensorIterator">(std::span<const operand>(p.operands.data(), p.n), cfg.rule);
  if (ti_needs_cpu_promotion(p, in, cfg, common, out.device())) {
    for (std::size_t i = 0; i < in.size(); ++i)
      if (operands[i] != nullptr) operands[i]->specialize_symbolic_geometry();
    return;
  }
  out.set_symbolic_geometry(holder->tensor_iterator_output(std::span<const tensor_desc* const>(operands.data(), in.size()), out.geometry()));
}
inline bool any_symbolic(std::span<const ti_input> in) noexcept {
  for (const ti_input& x : in)
    if (x.tensor != nullptr && x.tensor->is_symbolic()) return true;
  return false;
}
}  // namespace detail

// The functional variant: a new tensor (symbolic when an input is).
template <fixed_string Op, class Post = detail::ti_no_post>
tensor_desc ti_functional(std::span<const ti_input> in, ti_config cfg, std::optional<dtype> out_dtype = {}, Post post = {}) {
  out_meta m = ti_meta<Op>(in, cfg, out_dtype, post);
  tensor_desc out = detail::ti_allocate(std::move(m.sizes), std::move(m.strides), m.dtype, m.device);
  if (detail::any_symbolic(in)) [[unlikely]] detail::ti_symbolic_output(out, in, cfg);
  return out;
}

// The in-place variant: `in[0]` is self, the output. Overlaps first, then the
// broadcast (self is not resized: "output with shape [..] doesn't match the
// broadcast shape [..]"), the device, then the dtype rule. Returns self.
template <fixed_string Op, class Post = detail::ti_no_post>
tensor_desc ti_inplace(std::span<const ti_input> in, ti_config cfg, Post post = {}) {
  const tensor_desc& self = *in[0].tensor;
  const detail::ti_prepared p = detail::ti_prepare<Op>(in);
  if (cfg.check_mem_overlap)
    check_mem_overlaps<Op>(self, std::span<const tensor_desc* const>(p.tensors.data(), p.n_tensors));
  dim_vector shape;
  detail::ti_compute_shape<Op>(std::span<const ti_geometry>(p.geometry.data(), p.n), shape);
  expect<shape_error, Op, "output with shape {} doesn't match the broadcast shape {}">(self.sizes() == shape, self.sizes(),
                                                                                        shape);
  (void)common_device<Op>(std::span<const tensor_desc* const>(p.tensors.data(), p.n_tensors));
  const dtype common = ti_common_dtype<Op>(std::span<const operand>(p.operands.data(), p.n), cfg.rule);
  ti_check_written_dtype<Op>(common, self.dtype(), cfg.rule);
  post(common, self.dtype());
  self.storage().bump_version();
  return self;
}

// The out= variant: overlaps of `out` with itself and the inputs, the shape,
// the dtype rule, then resize_out (an out of another shape takes the computed
// strides; one of the right shape keeps its own). Returns the out tensor.
template <fixed_string Op, class Post = detail::ti_no_post>
tensor_desc ti_out(std::span<const ti_input> in, const tensor_desc& out, ti_config cfg, Post post = {}) {
  detail::ti_prepared p = detail::ti_prepare<Op>(in);
  if (cfg.check_mem_overlap)
    check_mem_overlaps<Op>(out, std::span<const tensor_desc* const>(p.tensors.data(), p.n_tensors));
  const std::span<const ti_geometry> geometry(p.geometry.data(), p.n);
  out_meta m;
  const bool same = detail::ti_compute_shape<Op>(geometry, m.sizes);
  m.device = common_device<Op>(std::span<const tensor_desc* const>(p.tensors.data(), p.n_tensors), out.device());
  const dtype common = ti_common_dtype<Op>(std::span<const operand>(p.operands.data(), p.n), cfg.rule);
  if (m.sizes != out.sizes()) m.strides = detail::ti_new_output_strides<Op>(p, in, cfg, common, m.device, m.sizes, same);
  ti_check_written_dtype<Op>(common, out.dtype(), cfg.rule);
  post(common, out.dtype());
  m.dtype = out.dtype();
  return resize_out<Op>(out, m);
}

}  // namespace fake
