// faketensor/ops/shape_index.hpp — meta kernels of the shape and indexing ops:
// cat, stack, repeat, flip, roll, tril/triu, index_select, gather, scatter,
// scatter_add, index.Tensor (advanced indexing), index_put, repeat_interleave.
//
// Each op has a constexpr meta kernel over input geometry (sizes, strides,
// dtype) returning out_meta (Note [meta kernels], ops/common.hpp) and
// functions on tensor_desc for the functional, in-place and out= variants.
// The rules are ATen 1.13's CPU kernels (the oracle the xref corpus was
// filtered against); where 1.13's meta kernels disagree with its CPU kernels
// (flip of an expanded tensor, tril of a 1-d tensor), the CPU kernel wins.
#pragma once

#include <algorithm>  // std::find
#include <array>      // std::array
#include <cstdint>    // std::int64_t
#include <optional>   // std::optional
#include <span>       // std::span
#include <string_view>  // std::string_view
#include <type_traits>  // std::type_identity_t
#include <vector>     // std::vector

#include "faketensor/core/dtype.hpp"         // fake::dtype, fake::promote_types, fake::can_cast
#include "faketensor/core/error.hpp"         // fake::shape_error, fake::index_error, fake::dynamic_output_shape_error
#include "faketensor/core/expect.hpp"        // fake::expect, fake::fail
#include "faketensor/meta/tensor_desc.hpp"   // fake::tensor_desc
#include "faketensor/ops/tensor_iterator.hpp"  // fake::detail::ti_permuted_strides
#include "faketensor/ops/common.hpp"         // fake::out_meta, fake::allocate, fake::resize_out, fake::like_strides
#include "faketensor/shape/broadcast.hpp"    // fake::broadcast_shapes
#include "faketensor/shape/contiguity.hpp"   // fake::suggest_memory_format, fake::is_contiguous
#include "faketensor/shape/dim_algorithms.hpp"  // fake::wrap_dim
#include "faketensor/shape/dim_vector.hpp"   // fake::dim_vector
#include "faketensor/shape/numel.hpp"        // fake::numel
#include "faketensor/shape/strides.hpp"      // fake::contiguous_strides, fake::channels_last_strides
#include "faketensor/view/geometry.hpp"      // fake::geom::view, fake::geom::compute_view_strides

namespace fake {

// The metadata of one tensor input of a meta kernel, by reference. Dims is
// dim_vector, or sym_dims for the kernels generic over it (cat).
template <class Dims>
struct basic_meta_input {
  const Dims* sizes;
  const Dims* strides;
  fake::dtype dtype = dtype::float32;
};
using meta_input = basic_meta_input<dim_vector>;

inline meta_input meta_input_of(const tensor_desc& t) noexcept { return {&t.sizes(), &t.strides(), t.dtype()}; }

namespace detail {

// Strides of a new tensor of `sizes` in `format` (contiguous or channels_last*),
// constexpr (strides_for is not).
template <class Dims>
constexpr Dims format_strides(const Dims& sizes, memory_format format) {
  if (format == memory_format::channels_last) return Dims(channels_last_strides(sizes));
  if (format == memory_format::channels_last_3d) return Dims(channels_last_3d_strides(sizes));
  return Dims(contiguous_strides(sizes));
}

// "[6], [5]": shapes as ATen's shapes_as_str prints them.
inline std::string shapes_string(std::span<const dim_vector> shapes) {
  std::string out;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    if (i != 0) out += ", ";
    out += to_string(shapes[i]);
  }
  return out;
}

// Tensor inputs of a list argument as meta_inputs; inline storage for short
// lists (cat's usual case) so that the type-erased path allocates nothing.
class meta_input_list {
 public:
  explicit meta_input_list(std::span<const tensor_desc> ts) : n_(ts.size()) {
    if (n_ > inline_capacity) heap_.resize(n_);
    meta_input* out = data();
    for (std::size_t i = 0; i < n_; ++i) out[i] = meta_input_of(ts[i]);
  }
  [[nodiscard]] std::span<const meta_input> span() const noexcept { return {data(), n_}; }

 private:
  static constexpr std::size_t inline_capacity = 16;
  [[nodiscard]] meta_input* data() noexcept { return n_ > inline_capacity ? heap_.data() : inline_.data(); }
  [[nodiscard]] const meta_input* data() const noexcept { return n_ > inline_capacity ? heap_.data() : inline_.data(); }
  std::size_t n_;
  std::array<meta_input, inline_capacity> inline_{};
  std::vector<meta_input> heap_;
};

// The common device of a list of tensors (ops/common.hpp's rule); no
// allocation when they are all on one device.
template <fixed_string Op>
device list_device(std::span<const tensor_desc> ts) {
  if (ts.empty()) return device{};
  const device d0 = ts[0].device();
  bool same = true;
  for (const tensor_desc& t : ts) same = same && t.device() == d0;
  if (same) return d0;
  std::vector<const tensor_desc*> ptrs;
  ptrs.reserve(ts.size());
  for (const tensor_desc& t : ts) ptrs.push_back(&t);
  return common_device<Op>(std::span<const tensor_desc* const>(ptrs));
}

}  // namespace detail

// ================================================================== cat ====

// Note [cat's legacy rule]
// A 1-d tensor of size [0] is skipped by cat (sizes and dim are checked on the
// others) — it was the only empty tensor before empty tensors of any shape
// existed. It still takes part in the result dtype and in the output memory
// format: the format is the inputs' common suggest_memory_format (every input,
// skipped ones included — a skipped tensor suggests contiguous), contiguous as
// soon as one input suggests contiguous or two differ.
template <class Dims>
constexpr bool cat_should_skip(const Dims& sizes) {
  return sizes.size() == 1 && sizes[0] == 0;
}

// ATen's cat meta function (1.13): zero-dim inputs refused, legacy dim wrap,
// dtype promoted over all inputs, output format per Note [cat's legacy rule].
// Generic over the dims container (cat_meta<sym_dims> for symbolic inputs;
// Dims is not deduced, so a std::vector or array of meta_input converts).
template <class Dims = dim_vector>
constexpr basic_out_meta<Dims> cat_meta(std::span<const basic_meta_input<std::type_identity_t<Dims>>> ins, std::int64_t dim) {
  for (std::size_t i = 0; i < ins.size(); ++i)
    expect<shape_error, "cat", "zero-dimensional tensor (at position {}) cannot be concatenated">(!ins[i].sizes->empty(), i);
  std::size_t valid = ins.size();
  for (std::size_t i = 0; i < ins.size(); ++i)
    if (!cat_should_skip(*ins[i].sizes)) {
      valid = i;
      break;
    }
  if (valid < ins.size()) dim = wrap_dim<"cat">(dim, static_cast<std::int64_t>(ins[valid].sizes->size()));
  expect<value_error, "cat", "torch.cat(): expected a non-empty list of Tensors">(!ins.empty());

  basic_out_meta<Dims> m;
  m.dtype = ins[0].dtype;
  for (std::size_t i = 1; i < ins.size(); ++i) m.dtype = promote_types(m.dtype, ins[i].dtype);

  memory_format format = memory_format::contiguous_format;
  for (std::size_t i = 0; i < ins.size(); ++i) {
    const memory_format f = suggest_memory_format(*ins[i].sizes, *ins[i].strides);
    if (f == memory_format::contiguous_format || (i != 0 && f != format)) {
      format = memory_format::contiguous_format;
      break;
    }
    format = f;
  }

  if (valid == ins.size()) {
    m.sizes = Dims{0};
    m.strides = Dims{1};
    return m;
  }
  const Dims& first = *ins[valid].sizes;
  const auto d = static_cast<std::size_t>(dim);
  detail::dims_element_t<Dims> total = detail::to_runtime_dim<detail::dims_element_t<Dims>>(std::int64_t{0});
  for (std::size_t i = 0; i < ins.size(); ++i) {
    const Dims& s = *ins[i].sizes;
    if (cat_should_skip(s)) continue;
    expect<shape_error, "cat", "Tensors must have same number of dimensions: got {} and {}">(s.size() == first.size(),
                                                                                           first.size(), s.size());
    for (std::size_t k = 0; k < first.size(); ++k) {
      if (k == d) continue;
      expect<shape_error, "cat",
             "Sizes of tensors must match except in dimension {}. Expected size {} but got size {} for tensor number {} in "
             "the list.">(s[k] == first[k], dim, first[k], s[k], i);
    }
    total = total + s[d];
  }
  m.sizes = first;
  m.sizes[d] = total;
  m.strides = detail::format_strides(m.sizes, format);
  return m;
}

inline tensor_desc cat(std::span<const tensor_desc> tensors, std::int64_t dim = 0) {
  const detail::meta_input_list ins(tensors);
  out_meta m = cat_meta(ins.span(), dim);
  m.device = detail::list_device<"cat">(tensors);
  return allocate(m);
}
inline tensor_desc cat(std::initializer_list<tensor_desc> tensors, std::int64_t dim = 0) {
  return cat(std::span<const tensor_desc>(tensors.begin(), tensors.size()), dim);
}

// cat.out: the promoted dtype must cast to out's; out is resized (and
// restrided to the output memory format) when its shape differs.
inline tensor_desc cat_out(std::span<const tensor_desc> tensors, std::int64_t dim, const tensor_desc& out) {
  const detail::meta_input_list ins(tensors);
  out_meta m = cat_meta(ins.span(), dim);
  expect<dtype_error, "cat", "torch.cat(): input types can't be cast to the desired output type {}">(
      can_cast(m.dtype, out.dtype()), c10_name(out.dtype()));
  m.dtype = out.dtype();
  m.device = tensors.empty() ? out.device() : detail::list_device<"cat">(tensors);
  return resize_out<"cat">(out, m);
}

// ================================================================ stack ====

namespace detail {
// cat along d of the inputs unsqueezed at d (the stride of the new dim is
// at::inferUnsqueezeGeometry's: size*stride of the dim it precedes, 1 at the end).
constexpr out_meta stack_unsqueezed_cat(std::span<const meta_input> ins, std::int64_t d) {
  std::vector<dim_vector> geo(2 * ins.size());
  std::vector<meta_input> unsq(ins.size());
  const auto at = static_cast<std::size_t>(d);
  for (std::size_t i = 0; i < ins.size(); ++i) {
    const dim_vector& s = *ins[i].sizes;
    const dim_vector& st = *ins[i].strides;
    const std::int64_t new_stride = at >= s.size() ? 1 : s[at] * st[at];
    geo[2 * i] = s;
    geo[2 * i].insert(geo[2 * i].begin() + d, 1);
    geo[2 * i + 1] = st;
    geo[2 * i + 1].insert(geo[2 * i + 1].begin() + d, new_stride);
    unsq[i] = meta_input{&geo[2 * i], &geo[2 * i + 1], ins[i].dtype};
  }
  return cat_meta(unsq, d);
}
}  // namespace detail

// stack (1.13's CompositeExplicitAutograd kernel; the C++ function is
// stack_tensors: fake::stack names the boxed-call stack): all inputs of one size; for
// dim < rank, cat along dim then a view splitting that dim (so the output keeps
// cat's memory format, split); for dim == rank, cat of the inputs unsqueezed.
constexpr out_meta stack_meta(std::span<const meta_input> ins, std::int64_t dim) {
  expect<value_error, "stack", "stack expects a non-empty TensorList">(!ins.empty());
  const dim_vector& first = *ins[0].sizes;
  const std::int64_t rank_ = static_cast<std::int64_t>(first.size());
  const std::int64_t d = wrap_dim<"stack">(dim, rank_ + 1);
  for (std::size_t i = 1; i < ins.size(); ++i)
    expect<shape_error, "stack", "stack expects each tensor to be equal size, but got {} at entry 0 and {} at entry {}">(
        *ins[i].sizes == first, first, *ins[i].sizes, i);
  if (d < rank_) {
    out_meta m = cat_meta(ins, d);
    dim_vector sizes = first;
    sizes.insert(sizes.begin() + d, static_cast<std::int64_t>(ins.size()));
    runtime_geometry g = geom::view(runtime_geometry{m.sizes, m.strides, 0}, sizes);
    m.sizes = std::move(g.sizes);
    m.strides = std::move(g.strides);
    return m;
  }
  return detail::stack_unsqueezed_cat(ins, d);
}

inline tensor_desc stack_tensors(std::span<const tensor_desc> tensors, std::int64_t dim = 0) {
  const detail::meta_input_list ins(tensors);
  out_meta m = stack_meta(ins.span(), dim);
  m.device = detail::list_device<"stack">(tensors);
  return allocate(m);
}
inline tensor_desc stack_tensors(std::initializer_list<tensor_desc> tensors, std::int64_t dim = 0) {
  return stack_tensors(std::span<const tensor_desc>(tensors.begin(), tensors.size()), dim);
}
inline tensor_desc stack_tensors_out(std::span<const tensor_desc> tensors, std::int64_t dim, const tensor_desc& out) {
  const detail::meta_input_list ins(tensors);
  out_meta m = stack_meta(ins.span(), dim);
  expect<dtype_error, "stack", "torch.cat(): input types can't be cast to the desired output type {}">(
      can_cast(m.dtype, out.dtype()), c10_name(out.dtype()));
  m.dtype = out.dtype();
  m.device = detail::list_device<"stack">(tensors);
  // stack.out is cat.out of the unsqueezed inputs: its strides for a resized out
  m.strides = detail::stack_unsqueezed_cat(ins.span(), wrap_dim<"stack">(dim, static_cast<std::int64_t>(tensors[0].dim()) + 1)).strides;
  return resize_out<"stack">(out, m);
}

// =============================================================== repeat ====

constexpr out_meta repeat_meta(const meta_input& self, const dim_vector& repeats) {
  const dim_vector& s = *self.sizes;
  expect<shape_error, "repeat", "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor">(
      repeats.size() >= s.size());
  const std::size_t pad = repeats.size() - s.size();
  out_meta m;
  m.dtype = self.dtype;
  m.sizes = dim_vector(repeats.size(), default_init);
  for (std::size_t i = 0; i < repeats.size(); ++i)
    m.sizes[i] = (i < pad ? 1 : s[i - pad]) * repeats[i];
  for (std::int64_t v : m.sizes)
    expect<shape_error, "repeat", "Trying to create tensor with negative dimension {}: {}">(v >= 0, v, m.sizes);
  m.strides = dim_vector(contiguous_strides(m.sizes));
  return m;
}
inline tensor_desc repeat(const tensor_desc& self, const dim_vector& repeats) {
  out_meta m = repeat_meta(meta_input_of(self), repeats);
  m.device = self.device();
  return allocate(m);
}

// ================================================================= flip ====

// flip: empty_like(self, preserve_format) (1.13's CPU kernel; its meta kernel
// clones an expanded input's zero strides, the CPU kernel does not).
constexpr out_meta flip_meta(const meta_input& self, const dim_vector& dims) {
  const std::int64_t r = static_cast<std::int64_t>(self.sizes->size());
  std::uint64_t seen = 0;
  for (std::int64_t d : dims) {
    const std::int64_t w = wrap_dim<"flip">(d, r);
    expect<value_error, "flip", "dim {} appears multiple times in the list of dims">((seen >> w & 1u) == 0, w);
    seen |= std::uint64_t{1} << w;
  }
  return {*self.sizes, like_strides(*self.sizes, *self.strides, memory_format::preserve_format), self.dtype, {}};
}
inline tensor_desc flip(const tensor_desc& self, const dim_vector& dims) {
  out_meta m = flip_meta(meta_input_of(self), dims);
  m.device = self.device();
  return allocate(m);
}

// ================================================================= roll ====

namespace detail {
// roll along one dim (1.13's roll_cpu): cat of the two narrowed pieces.
constexpr out_meta roll_one(const dim_vector& sizes, const dim_vector& strides_, dtype dt, std::int64_t shift, std::int64_t dim) {
  if (numel(sizes) == 0) return {sizes, like_strides(sizes, strides_, memory_format::preserve_format), dt, {}};
  const std::int64_t d = wrap_dim<"roll">(dim, static_cast<std::int64_t>(sizes.size()));
  const std::int64_t size = sizes[static_cast<std::size_t>(d)];
  std::int64_t start = (size - shift) % size;
  if (start < 0) start += size;
  dim_vector a = sizes, b = sizes;
  a[static_cast<std::size_t>(d)] = size - start;
  b[static_cast<std::size_t>(d)] = start;
  const std::array<meta_input, 2> pieces{meta_input{&a, &strides_, dt}, meta_input{&b, &strides_, dt}};
  return cat_meta(pieces, d);
}
}  // namespace detail

constexpr out_meta roll_meta(const meta_input& self, const dim_vector& shifts, const dim_vector& dims) {
  expect<value_error, "roll", "`shifts` required">(!shifts.empty());
  if (dims.empty() && shifts.size() == 1) {
    // flattened: roll of self.contiguous().view(-1), viewed back to self's sizes
    const dim_vector flat{numel(*self.sizes)};
    const dim_vector flat_strides{1};
    const out_meta r = detail::roll_one(flat, flat_strides, self.dtype, shifts[0], 0);
    runtime_geometry g = geom::view(runtime_geometry{r.sizes, r.strides, 0}, *self.sizes);
    return {std::move(g.sizes), std::move(g.strides), self.dtype, {}};
  }
  expect<value_error, "roll", "shifts and dimensions must align. shifts: {}, dims:{}">(shifts.size() == dims.size(),
                                                                                     shifts.size(), dims.size());
  out_meta m{*self.sizes, *self.strides, self.dtype, {}};
  for (std::size_t i = 0; i < dims.size(); ++i) m = detail::roll_one(m.sizes, m.strides, self.dtype, shifts[i], dims[i]);
  return m;
}
inline tensor_desc roll(const tensor_desc& self, const dim_vector& shifts, const dim_vector& dims = {}) {
  out_meta m = roll_meta(meta_input_of(self), shifts, dims);
  m.device = self.device();
  return allocate(m);
}

// =========================================================== tril, triu ====

// tril/triu (1.13's CPU kernels): a contiguous result; a non-empty input of
// rank < 2 fails on its dim -2, with the dim-wrap message (an empty one returns
// before reading it).
template <fixed_string Op>
constexpr out_meta triangle_meta(const meta_input& self) {
  if (numel(*self.sizes) != 0) static_cast<void>(wrap_dim<Op>(std::int64_t{-2}, static_cast<std::int64_t>(self.sizes->size())));
  return {*self.sizes, dim_vector(contiguous_strides(*self.sizes)), self.dtype, {}};
}
inline tensor_desc tril(const tensor_desc& self, std::int64_t /*diagonal*/ = 0) {
  out_meta m = triangle_meta<"tril">(meta_input_of(self));
  m.device = self.device();
  return allocate(m);
}
inline tensor_desc triu(const tensor_desc& self, std::int64_t /*diagonal*/ = 0) {
  out_meta m = triangle_meta<"triu">(meta_input_of(self));
  m.device = self.device();
  return allocate(m);
}
inline tensor_desc& tril_(tensor_desc& self, std::int64_t /*diagonal*/ = 0) {
  static_cast<void>(triangle_meta<"tril_">(meta_input_of(self)));
  self.storage().bump_version();
  return self;
}
inline tensor_desc& triu_(tensor_desc& self, std::int64_t /*diagonal*/ = 0) {
  static_cast<void>(triangle_meta<"triu_">(meta_input_of(self)));
  self.storage().bump_version();
  return self;
}
inline tensor_desc tril_out(const tensor_desc& self, std::int64_t /*diagonal*/, const tensor_desc& out) {
  out_meta m = triangle_meta<"tril">(meta_input_of(self));
  m.device = self.device();
  return resize_out<"tril">(out, m);
}
inline tensor_desc triu_out(const tensor_desc& self, std::int64_t /*diagonal*/, const tensor_desc& out) {
  out_meta m = triangle_meta<"triu">(meta_input_of(self));
  m.device = self.device();
  return resize_out<"triu">(out, m);
}

// ========================================================= index_select ====

constexpr out_meta index_select_meta(const meta_input& self, std::int64_t dim, const meta_input& index) {
  const std::int64_t r = static_cast<std::int64_t>(self.sizes->size());
  const std::int64_t d = wrap_dim<"index_select">(dim, r);
  expect<index_error, "index_select", "index_select(): Index is supposed to be a vector">(index.sizes->size() <= 1);
  expect<dtype_error, "index_select", "index_select(): Expected dtype int32 or int64 for index">(
      index.dtype == dtype::int64 || index.dtype == dtype::int32);
  out_meta m{*self.sizes, {}, self.dtype, {}};
  if (r > 0) m.sizes[static_cast<std::size_t>(d)] = numel(*index.sizes);
  m.strides = dim_vector(contiguous_strides(m.sizes));
  return m;
}
inline tensor_desc index_select(const tensor_desc& self, std::int64_t dim, const tensor_desc& index) {
  out_meta m = index_select_meta(meta_input_of(self), dim, meta_input_of(index));
  m.device = common_device<"index_select">({&self, &index});
  return allocate(m);
}
inline tensor_desc index_select_out(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc& out) {
  out_meta m = index_select_meta(meta_input_of(self), dim, meta_input_of(index));
  expect<dtype_error, "index_select", "index_select(): self and result must have the same scalar type">(out.dtype() == m.dtype);
  m.device = out.device();
  return resize_out<"index_select">(out, m);
}

// =============================================================== gather ====

namespace detail {
constexpr std::size_t nonempty_rank(const dim_vector& s) noexcept { return s.empty() ? 1 : s.size(); }
constexpr std::int64_t nonempty_size(const dim_vector& s, std::size_t d) noexcept { return s.empty() ? 1 : s[d]; }
}  // namespace detail

// gather: the result has index's sizes (contiguous) and self's dtype.
constexpr out_meta gather_meta(const meta_input& self, std::int64_t dim, const meta_input& index) {
  const std::int64_t d = wrap_dim<"gather">(dim, static_cast<std::int64_t>(self.sizes->size()));
  const bool empty_index = numel(*index.sizes) == 0;
  if (!empty_index) {
    expect<dtype_error, "gather", "gather(): Expected dtype int64 for index">(index.dtype == dtype::int64);
    const std::size_t r = detail::nonempty_rank(*self.sizes);
    expect<shape_error, "gather", "Index tensor must have the same number of dimensions as input tensor">(
        r == detail::nonempty_rank(*index.sizes));
    for (std::size_t i = 0; i < r; ++i) {
      if (static_cast<std::int64_t>(i) == d) continue;
      expect<shape_error, "gather", "Size does not match at dimension {} expected index {} to be smaller than self {} apart from dimension {}">(
          detail::nonempty_size(*index.sizes, i) <= detail::nonempty_size(*self.sizes, i), i, *index.sizes, *self.sizes, d);
    }
  }
  return {*index.sizes, dim_vector(contiguous_strides(*index.sizes)), self.dtype, {}};
}
inline tensor_desc gather(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, bool /*sparse_grad*/ = false) {
  out_meta m = gather_meta(meta_input_of(self), dim, meta_input_of(index));
  m.device = common_device<"gather">({&self, &index});
  return allocate(m);
}
inline tensor_desc gather_out(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc& out) {
  out_meta m = gather_meta(meta_input_of(self), dim, meta_input_of(index));
  expect<dtype_error, "gather", "Expected out tensor to have dtype {}, but got {} instead">(out.dtype() == m.dtype, m.dtype,
                                                                                           out.dtype());
  m.device = out.device();
  return resize_out<"gather">(out, m);
}

// ============================================================== scatter ====

// The reduce argument of scatter.reduce / scatter.value_reduce.
enum class scatter_reduce : std::uint8_t { none, add, multiply };

constexpr scatter_reduce parse_scatter_reduce(std::string_view s) {
  if (s == "add") return scatter_reduce::add;
  if (s == "multiply") return scatter_reduce::multiply;
  fail<value_error, "scatter", "reduce argument must be either add or multiply.">();
}

// scatter / scatter_add (1.13's scatter_meta_impl): the result has self's
// sizes (contiguous) and dtype; src, when given, must have self's dtype.
// `Op` is the name ATen's dtype check uses ("scatter" for both).
constexpr out_meta scatter_meta(const meta_input& self, std::int64_t dim, const meta_input& index, const meta_input* src) {
  const std::int64_t d = wrap_dim<"scatter">(dim, static_cast<std::int64_t>(self.sizes->size()));
  const bool empty_index = numel(*index.sizes) == 0;
  if (!empty_index)
    expect<dtype_error, "scatter", "scatter(): Expected dtype int64 for index">(index.dtype == dtype::int64);
  if (src != nullptr)
    expect<dtype_error, "scatter", "scatter(): Expected self.dtype to be equal to src.dtype">(src->dtype == self.dtype);
  if (!empty_index) {
    const std::size_t r = detail::nonempty_rank(*self.sizes);
    expect<shape_error, "scatter", "Index tensor must have the same number of dimensions as self tensor">(
        r == detail::nonempty_rank(*index.sizes));
    bool wrong = false;
    for (std::size_t i = 0; i < r && !wrong; ++i)
      if (static_cast<std::int64_t>(i) != d && detail::nonempty_size(*index.sizes, i) > detail::nonempty_size(*self.sizes, i))
        wrong = true;
    if (src != nullptr) {
      for (std::size_t i = 0; i < r && !wrong; ++i)
        if (detail::nonempty_size(*index.sizes, i) > detail::nonempty_size(*src->sizes, i)) wrong = true;
      expect<shape_error, "scatter", "Index tensor must have the same number of dimensions as src tensor">(
          detail::nonempty_rank(*src->sizes) == detail::nonempty_rank(*index.sizes));
      expect<shape_error, "scatter",
             "Expected index {} to be smaller than self {} apart from dimension {} and to be smaller size than src {}">(
          !wrong, *index.sizes, *self.sizes, d, *src->sizes);
    } else {
      expect<shape_error, "scatter", "Expected index {} to be smaller than self {} apart from dimension {}">(
          !wrong, *index.sizes, *self.sizes, d);
    }
  }
  return {*self.sizes, dim_vector(contiguous_strides(*self.sizes)), self.dtype, {}};
}

namespace detail {
inline out_meta scatter_common(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc* src) {
  const meta_input s = meta_input_of(self), i = meta_input_of(index);
  const meta_input sr = src ? meta_input_of(*src) : meta_input{};
  out_meta m = scatter_meta(s, dim, i, src ? &sr : nullptr);
  m.device = common_device<"scatter">({&self, &index, src});
  return m;
}
}  // namespace detail

// scatter.src / scatter.reduce (reduce: "add" or "multiply").
inline tensor_desc scatter(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc& src,
                           std::optional<std::string_view> reduce = {}) {
  if (reduce) parse_scatter_reduce(*reduce);
  return allocate(detail::scatter_common(self, dim, index, &src));
}
// scatter.value / scatter.value_reduce.
inline tensor_desc scatter(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, double /*value*/,
                           std::optional<std::string_view> reduce = {}) {
  if (reduce) parse_scatter_reduce(*reduce);
  return allocate(detail::scatter_common(self, dim, index, nullptr));
}
inline tensor_desc& scatter_(tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc* src,
                             std::optional<std::string_view> reduce = {}) {
  if (reduce) parse_scatter_reduce(*reduce);
  static_cast<void>(detail::scatter_common(self, dim, index, src));
  self.storage().bump_version();
  return self;
}
inline tensor_desc scatter_out(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc* src,
                               const tensor_desc& out) {
  out_meta m = detail::scatter_common(self, dim, index, src);
  expect<dtype_error, "scatter", "Expected out tensor to have dtype {}, but got {} instead">(out.dtype() == m.dtype, m.dtype,
                                                                                            out.dtype());
  return resize_out<"scatter">(out, m);
}
inline tensor_desc scatter_add(const tensor_desc& self, std::int64_t dim, const tensor_desc& index, const tensor_desc& src) {
  return allocate(detail::scatter_common(self, dim, index, &src));
}

// ==================================================== index (advanced) ====

// Note [advanced indexing]
// index.Tensor(self, indices) — ATen's make_info + AdvancedIndex + a
// TensorIterator (1.13, CPU):
//  1. bool/uint8 masks make the output shape depend on data: on fake tensors a
//     dynamic_output_shape_error naming aten.index.Tensor (before any check,
//     as FakeTensorMode does); other dtypes than int64 are an index_error;
//  2. the index tensors broadcast together (expand_outplace);
//  3. when the indexed dims are not adjacent, self is permuted so that they
//     come first (transposeToFront), so the broadcast index shape goes first in
//     the result; adjacent ones put it in place of the indexed dims;
//  4. src = self restrided: the indexed dims replaced by the index shape with
//     stride 0; each index reshaped with size-1 dims before/after;
//  5. the output is allocated by TensorIterator over (src, indices...): its
//     fast setup (all operands same shape and contiguous / channels_last /
//     equally dense) or the stride-order permutation of its operands.
struct index_spec {
  std::vector<std::optional<meta_input>> indices;
};

namespace detail {

// An operand of a TensorIterator: its sizes and strides.
struct ti_operand {
  dim_vector sizes;
  dim_vector strides;
};

// The strides TensorIterator gives a new output of `shape` (the broadcast
// shape of the inputs), from the inputs' geometry: fast setup when all inputs
// have `shape` and agree on a layout; else the permutation that sorts dims by
// the inputs' strides (reorder_dimensions), contiguous in that order
// (compatible_stride: sizes multiplied as they are, zeros included), or plain
// contiguous when the permutation is the identity.
constexpr dim_vector ti_output_strides(const dim_vector& shape, std::span<const ti_operand> ins) {
  const std::size_t n = shape.size();
  bool same_shape = true;
  for (const ti_operand& op : ins) same_shape = same_shape && op.sizes == shape;
  if (same_shape && !ins.empty()) {
    bool all_contig = true, all_cl = true, all_dense = true;
    for (const ti_operand& op : ins) {
      all_contig = all_contig && is_contiguous(op.sizes, op.strides, memory_format::contiguous_format);
      all_cl = all_cl && n == 4 && is_contiguous(op.sizes, op.strides, memory_format::channels_last);
      all_dense = all_dense && is_non_overlapping_and_dense(op.sizes, op.strides);
    }
    if (all_contig) return dim_vector(contiguous_strides(shape));
    if (all_cl) return dim_vector(channels_last_strides(shape));
    if (all_dense) {
      bool same_strides = true;
      for (const ti_operand& op : ins) same_strides = same_strides && op.strides == ins[0].strides;
      if (same_strides) return ins[0].strides;
    }
  }
  if (n == 0) return {};
  // the general case is TensorIterator's (Note [stride order])
  std::vector<ti_geometry> geometries;
  geometries.reserve(ins.size());
  for (const ti_operand& op : ins) geometries.push_back({&op.sizes, &op.strides});
  return ti_permuted_strides<"index">(std::span<const ti_geometry>(geometries), shape);
}

}  // namespace detail

// The meta kernel of index.Tensor: `indices` holds one entry per leading dim
// of self (nullopt for a None / ":" entry).
constexpr out_meta index_meta(const meta_input& self, std::span<const std::optional<meta_input>> indices) {
  for (const auto& ix : indices)
    if (ix && (ix->dtype == dtype::bool_ || ix->dtype == dtype::uint8))
      fail<dynamic_output_shape_error, "index", "aten.index.Tensor">();
  const std::size_t r = self.sizes->size();
  expect<index_error, "index", "too many indices for tensor of dimension {} (got {})">(indices.size() <= r, r, indices.size());
  for (const auto& ix : indices)
    if (ix)
      expect<index_error, "index", "tensors used as indices must be long, byte or bool tensors">(ix->dtype == dtype::int64);
  // broadcast the index shapes
  bool any = false;
  dim_vector bshape;
  bool ok = true;
  for (const auto& ix : indices) {
    if (!ix) continue;
    if (!any) {
      bshape = *ix->sizes;
      any = true;
      continue;
    }
    const dim_vector& s = *ix->sizes;
    const std::size_t nr = std::max(bshape.size(), s.size());
    dim_vector next(nr, default_init);
    for (std::size_t k = 0; k < nr; ++k) {
      const std::int64_t a = k + bshape.size() >= nr ? bshape[k + bshape.size() - nr] : 1;
      const std::int64_t b = k + s.size() >= nr ? s[k + s.size() - nr] : 1;
      if (a != b && a != 1 && b != 1) ok = false;
      next[k] = a == 1 ? b : a;
    }
    bshape = std::move(next);
  }
  if (!ok) {
    std::vector<dim_vector> shapes;
    for (const auto& ix : indices)
      if (ix) shapes.push_back(*ix->sizes);
    fail<index_error, "index", "shape mismatch: indexing tensors could not be broadcast together with shapes {}">(
        detail::shapes_string(shapes));
  }
  expect<index_error, "index", "at least one index must be provided">(any);

  // which dims are indexed; transposeToFront when they are not adjacent
  std::vector<bool> indexed(r, false);
  for (std::size_t k = 0; k < indices.size(); ++k) indexed[k] = indices[k].has_value();
  std::size_t first = r, last = 0, count = 0;
  for (std::size_t k = 0; k < r; ++k)
    if (indexed[k]) {
      first = std::min(first, k);
      last = k;
      ++count;
    }
  dim_vector order(r, default_init);  // self's dims in src order
  if (last - first + 1 == count) {
    for (std::size_t k = 0; k < r; ++k) order[k] = static_cast<std::int64_t>(k);
  } else {
    std::size_t j = 0;
    for (std::size_t k = 0; k < r; ++k)
      if (indexed[k]) order[j++] = static_cast<std::int64_t>(k);
    for (std::size_t k = 0; k < r; ++k)
      if (!indexed[k]) order[j++] = static_cast<std::int64_t>(k);
    first = 0;
  }
  const std::size_t before = first, after = r - first - count;

  // src: self (permuted) with the indexed dims replaced by bshape, stride 0
  detail::ti_operand src;
  bool indexed_has_zero = false;
  for (std::size_t k = 0; k < before; ++k) {
    const auto o = static_cast<std::size_t>(order[k]);
    src.sizes.push_back((*self.sizes)[o]);
    src.strides.push_back((*self.strides)[o]);
  }
  for (std::int64_t b : bshape) {
    src.sizes.push_back(b);
    src.strides.push_back(0);
  }
  for (std::size_t k = before; k < before + count; ++k) indexed_has_zero = indexed_has_zero || (*self.sizes)[static_cast<std::size_t>(order[k])] == 0;
  for (std::size_t k = before + count; k < r; ++k) {
    const auto o = static_cast<std::size_t>(order[k]);
    src.sizes.push_back((*self.sizes)[o]);
    src.strides.push_back((*self.strides)[o]);
  }
  bool bshape_has_zero = false;
  for (std::int64_t b : bshape) bshape_has_zero = bshape_has_zero || b == 0;
  expect<index_error, "index", "index is out of bounds for dimension with size 0">(!indexed_has_zero || bshape_has_zero);

  // each index: expanded to bshape, then reshaped with `before`/`after` size-1 dims
  std::vector<detail::ti_operand> ops;
  ops.reserve(count + 1);
  ops.push_back(src);
  for (const auto& ix : indices) {
    if (!ix) continue;
    runtime_geometry g{*ix->sizes, *ix->strides, 0};
    if (g.sizes != bshape) g = geom::expand(g, bshape);
    dim_vector shape(before, 1);
    shape.insert(shape.end(), bshape.begin(), bshape.end());
    for (std::size_t k = 0; k < after; ++k) shape.push_back(1);
    dim_vector st;
    if (!geom::compute_view_strides(g.sizes, g.strides, numel(g.sizes), shape, st)) st = dim_vector(contiguous_strides(shape));
    ops.push_back(detail::ti_operand{std::move(shape), std::move(st)});
  }
  out_meta m;
  m.dtype = self.dtype;
  m.sizes = src.sizes;
  m.strides = detail::ti_output_strides(m.sizes, ops);
  return m;
}

namespace detail {
inline std::vector<std::optional<meta_input>> index_inputs(std::span<const std::optional<tensor_desc>> indices) {
  std::vector<std::optional<meta_input>> out;
  out.reserve(indices.size());
  for (const auto& t : indices) out.push_back(t && t->is_defined() ? std::optional<meta_input>(meta_input_of(*t)) : std::nullopt);
  return out;
}
// Index tensors may live on cpu or on self's device (check_indices_on_cpu_or_selfdevice).
inline void check_index_devices(const tensor_desc& self, std::span<const std::optional<tensor_desc>> indices) {
  for (const auto& t : indices)
    if (t && t->is_defined())
      expect<device_error, "index", "indices should be either on cpu or on the same device as the indexed tensor ({})">(
          t->device() == self.device() || t->device().type == device_type::cpu, self.device());
}
}  // namespace detail

inline tensor_desc index(const tensor_desc& self, std::span<const std::optional<tensor_desc>> indices) {
  const auto ins = detail::index_inputs(indices);
  out_meta m = index_meta(meta_input_of(self), ins);
  detail::check_index_devices(self, indices);
  m.device = self.device();
  return allocate(m);
}
inline tensor_desc index(const tensor_desc& self, std::initializer_list<std::optional<tensor_desc>> indices) {
  return index(self, std::span<const std::optional<tensor_desc>>(indices.begin(), indices.size()));
}
inline tensor_desc index_out(const tensor_desc& self, std::span<const std::optional<tensor_desc>> indices, const tensor_desc& out) {
  const auto ins = detail::index_inputs(indices);
  out_meta m = index_meta(meta_input_of(self), ins);
  detail::check_index_devices(self, indices);
  m.device = self.device();
  return resize_out<"index">(out, m);
}

// index_put (1.13 CPU): values must have self's dtype and broadcast to the
// indexing result's shape (unknowable with bool masks: not checked then); the
// result is self.clone(preserve_format) / self for index_put_.
inline void check_index_put(const tensor_desc& self, std::span<const std::optional<tensor_desc>> indices, const tensor_desc& values) {
  expect<index_error, "index_put", "too many indices for tensor of dimension {} (got {})">(
      static_cast<std::int64_t>(indices.size()) <= self.dim(), self.dim(), indices.size());
  expect<dtype_error, "index_put",
         "Index put requires the source and destination dtypes match, got {} for the destination and {} for the source.">(
      values.dtype() == self.dtype(), c10_name(self.dtype()), c10_name(values.dtype()));
  bool mask = false;
  bool any = false;
  for (const auto& t : indices) {
    if (!t || !t->is_defined()) continue;
    any = true;
    mask = mask || t->dtype() == dtype::bool_ || t->dtype() == dtype::uint8;
  }
  if (mask || !any) return;
  const auto ins = detail::index_inputs(indices);
  const out_meta r = index_meta(meta_input_of(self), ins);
  const dim_vector& v = values.sizes();
  bool ok = v.size() <= r.sizes.size();
  for (std::size_t k = 0; ok && k < v.size(); ++k) {
    const std::int64_t want = r.sizes[r.sizes.size() - v.size() + k];
    ok = v[k] == want || v[k] == 1;
  }
  expect<shape_error, "index_put", "shape mismatch: value tensor of shape {} cannot be broadcast to indexing result of shape {}">(
      ok, v, r.sizes);
}
inline tensor_desc index_put(const tensor_desc& self, std::span<const std::optional<tensor_desc>> indices, const tensor_desc& values,
                             bool /*accumulate*/ = false) {
  check_index_put(self, indices, values);
  return allocate(out_meta{self.sizes(), like_strides(self.sizes(), self.strides(), memory_format::preserve_format),
                           self.dtype(), common_device<"index_put">({&self, &values})});
}
inline tensor_desc& index_put_(tensor_desc& self, std::span<const std::optional<tensor_desc>> indices, const tensor_desc& values,
                               bool /*accumulate*/ = false) {
  check_index_put(self, indices, values);
  self.storage().bump_version();
  return self;
}

// ==================================================== repeat_interleave ====

// repeat_interleave.self_int: index_select of self (flattened when dim is
// None) with repeats * size(dim) indices. (1.13's fake tensors refuse it as
// dynamic: they decompose it through repeat_interleave.Tensor; the size is
// known from the int, as 2.x computes it.)
constexpr out_meta repeat_interleave_meta(const meta_input& self, std::int64_t repeats, std::optional<std::int64_t> dim,
                                          std::optional<std::int64_t> output_size = {}) {
  dim_vector sizes = *self.sizes;
  std::int64_t d = 0;
  if (!dim) {
    sizes = dim_vector{numel(*self.sizes)};
  } else {
    d = wrap_dim<"repeat_interleave">(*dim, static_cast<std::int64_t>(sizes.size()));
  }
  expect<value_error, "repeat_interleave", "repeats can not be negative">(repeats >= 0);
  if (!sizes.empty()) {
    const std::int64_t n = sizes[static_cast<std::size_t>(d)] * repeats;
    if (output_size) expect<value_error, "repeat_interleave", "allocated size does not match required size">(*output_size == n);
    sizes[static_cast<std::size_t>(d)] = n;
  } else {
    fail<index_error, "repeat_interleave", "dimension specified as 0 but tensor has no dimensions">();
  }
  return {sizes, dim_vector(contiguous_strides(sizes)), self.dtype, {}};
}
inline tensor_desc repeat_interleave(const tensor_desc& self, std::int64_t repeats, std::optional<std::int64_t> dim = {},
                                     std::optional<std::int64_t> output_size = {}) {
  out_meta m = repeat_interleave_meta(meta_input_of(self), repeats, dim, output_size);
  m.device = self.device();
  return allocate(m);
}

}  // namespace fake
