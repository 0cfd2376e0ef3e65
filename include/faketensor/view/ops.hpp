// faketensor/view/ops.hpp — PyTorch's view ops on fake::tensor_desc.
//
// Each op computes the view's geometry with view/geometry.hpp, shares the
// input's storage, marks the result a view and records the op in its view
// chain (Note [view chains]); replay() re-applies a chain to another base.
// Errors name the op as PyTorch's messages do.
#pragma once

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <utility>   // std::move
#include <vector>    // std::vector

#include "faketensor/core/dtype.hpp"        // fake::to_complex, fake::to_real
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/view/geometry.hpp"     // fake::geom

namespace fake {

inline std::string_view name(view_op op) {
  switch (op) {
    case view_op::view: return "view";
    case view_op::unsafe_view: return "_unsafe_view";
    case view_op::transpose: return "transpose";
    case view_op::permute: return "permute";
    case view_op::select: return "select";
    case view_op::slice: return "slice";
    case view_op::narrow: return "narrow";
    case view_op::unsqueeze: return "unsqueeze";
    case view_op::squeeze: return "squeeze";
    case view_op::squeeze_dims: return "squeeze.dims";
    case view_op::expand: return "expand";
    case view_op::as_strided: return "as_strided";
    case view_op::diagonal: return "diagonal";
    case view_op::unfold: return "unfold";
    case view_op::view_as_real: return "view_as_real";
    case view_op::view_as_complex: return "view_as_complex";
    case view_op::real: return "real";
    case view_op::imag: return "imag";
    case view_op::alias: return "alias";
  }
  return "?";
}

namespace detail {


// What a view op records (Note [view chains]): its op and arguments, written
// straight into the result's view_step (a view_step is 100 bytes; building one
// and moving it in cost more than the geometry of a transpose).
struct step_args {
  view_op op;
  std::int64_t a = 0, b = 0, c = 0, d = 0;
  const dim_vector* ints = nullptr;  // the list argument, if the op has one
};

// Note [symbolic geometry of a tensor]: a view of a symbolic tensor gets the
// expressions its step makes of self's. Out of line and cold: the concrete
// view ops stay as small as they were.
[[gnu::noinline, gnu::cold]] inline void apply_view_to_symbolic(tensor_desc& out, const tensor_desc& self, const view_step& s) {
  out.set_symbolic_geometry(self.symbolic_geometry()->apply_view(s, out.geometry()));
}

// The view of `self` whose geometry `make` returns (built in place in the
// result), with dtype `dt`, recording `step`; its concrete geometry only (the
// caller of a symbolic self sets the expressions).
template <class MakeGeometry>
tensor_desc make_concrete_view(const tensor_desc& self, MakeGeometry&& make, const step_args& step, std::optional<dtype> dt = {}) {
  tensor_desc out(tensor_desc::result_tag{}, self, make);
  if (dt) out.set_dtype_unchecked(*dt);
  view_step& s = out.set_view(self.view_node());
  s.op = step.op;
  s.a = step.a;
  s.b = step.b;
  s.c = step.c;
  s.d = step.d;
  if (step.ints != nullptr) s.set_ints(*step.ints);
  return out;
}

// The same view with, for a symbolic self, the expressions its step makes.
template <class MakeGeometry>
tensor_desc make_view(const tensor_desc& self, MakeGeometry&& make, const step_args& step, std::optional<dtype> dt = {}) {
  tensor_desc out = make_concrete_view(self, make, step, dt);
  if (self.is_symbolic()) [[unlikely]] apply_view_to_symbolic(out, self, out.last_view_step());
  return out;
}

constexpr step_args step_of(view_op op, std::int64_t a = 0, std::int64_t b = 0, std::int64_t c = 0, std::int64_t d = 0) noexcept {
  return {op, a, b, c, d, nullptr};
}
constexpr step_args step_of(view_op op, const dim_vector& ints, std::int64_t a = 0) noexcept { return {op, a, 0, 0, 0, &ints}; }

}  // namespace detail

inline tensor_desc transpose(const tensor_desc& self, std::int64_t dim0, std::int64_t dim1) {
  return detail::make_view(self, [&] { return geom::transpose(self.geometry(), dim0, dim1); },
                           detail::step_of(view_op::transpose, dim0, dim1));
}
inline tensor_desc swapaxes(const tensor_desc& self, std::int64_t dim0, std::int64_t dim1) { return transpose(self, dim0, dim1); }
inline tensor_desc t(const tensor_desc& self) {
  expect<shape_error, "t", "t() expects a tensor with <= 2 dimensions, but self is {}D">(self.dim() <= 2, self.dim());
  return transpose(self, 0, self.dim() < 2 ? 0 : 1);
}
inline tensor_desc permute(const tensor_desc& self, const dim_vector& dims) {
  return detail::make_view(self, [&] { return geom::permute(self.geometry(), dims); }, detail::step_of(view_op::permute, dims));
}
inline tensor_desc movedim(const tensor_desc& self, const dim_vector& source, const dim_vector& destination) {
  // recorded as the permutation it is
  dim_vector order = geom::movedim_order(self.dim(), source, destination);
  return detail::make_view(self, [&] { return geom::permute(self.geometry(), order); },
                           detail::step_of(view_op::permute, order));
}
inline tensor_desc select(const tensor_desc& self, std::int64_t dim, std::int64_t index) {
  return detail::make_view(self, [&] { return geom::select_dim(self.geometry(), dim, index); },
                           detail::step_of(view_op::select, dim, index));
}
inline tensor_desc slice(const tensor_desc& self, std::int64_t dim = 0, std::optional<std::int64_t> start = {},
                         std::optional<std::int64_t> end = {}, std::int64_t step = 1) {
  constexpr std::int64_t open = std::numeric_limits<std::int64_t>::max();
  return detail::make_view(self, [&] { return geom::slice(self.geometry(), dim, start, end, step); },
                           detail::step_of(view_op::slice, dim, start.value_or(0), end.value_or(open), step));
}
inline tensor_desc narrow(const tensor_desc& self, std::int64_t dim, std::int64_t start, std::int64_t length) {
  return detail::make_view(self, [&] { return geom::narrow(self.geometry(), dim, start, length); },
                           detail::step_of(view_op::narrow, dim, start, length));
}
inline tensor_desc unsqueeze(const tensor_desc& self, std::int64_t dim) {
  return detail::make_view(self, [&] { return geom::unsqueeze(self.geometry(), dim); }, detail::step_of(view_op::unsqueeze, dim));
}
inline tensor_desc squeeze(const tensor_desc& self) {
  return detail::make_view(self, [&] { return geom::squeeze(self.geometry()); }, detail::step_of(view_op::squeeze));
}
inline tensor_desc squeeze(const tensor_desc& self, const dim_vector& dims) {
  return detail::make_view(self, [&] { return geom::squeeze(self.geometry(), dims); }, detail::step_of(view_op::squeeze_dims, dims));
}
inline tensor_desc squeeze(const tensor_desc& self, std::int64_t dim) { return squeeze(self, dim_vector{dim}); }
inline tensor_desc expand(const tensor_desc& self, const dim_vector& sizes) {
  return detail::make_view(self, [&] { return geom::expand(self.geometry(), sizes); }, detail::step_of(view_op::expand, sizes));
}
inline tensor_desc expand_as(const tensor_desc& self, const tensor_desc& other) {
  other.specialize_symbolic_geometry();  // its sizes become constant arguments
  return expand(self, other.sizes());
}

// as_strided on self's storage; offset defaults to self's storage offset.
inline tensor_desc as_strided(const tensor_desc& self, const dim_vector& sizes, const dim_vector& strides_,
                              std::optional<std::int64_t> storage_offset = {}) {
  const std::int64_t offset = storage_offset.value_or(self.storage_offset());
  dim_vector args = sizes;
  args.insert(args.end(), strides_.begin(), strides_.end());
  tensor_desc out = detail::make_view(self, [&] { return geom::as_strided(sizes, strides_, offset); },
                                      detail::step_of(view_op::as_strided, args, storage_offset.value_or(-1)));
  out.check_geometry("as_strided");
  return out;
}
inline tensor_desc diagonal(const tensor_desc& self, std::int64_t offset = 0, std::int64_t dim1 = 0, std::int64_t dim2 = 1) {
  return detail::make_view(self, [&] { return geom::diagonal(self.geometry(), offset, dim1, dim2); },
                           detail::step_of(view_op::diagonal, offset, dim1, dim2));
}
inline tensor_desc unfold(const tensor_desc& self, std::int64_t dim, std::int64_t size, std::int64_t step) {
  return detail::make_view(self, [&] { return geom::unfold(self.geometry(), dim, size, step); },
                           detail::step_of(view_op::unfold, dim, size, step));
}
inline tensor_desc alias(const tensor_desc& self) {
  return detail::make_view(self, [&] { return self.geometry(); }, detail::step_of(view_op::alias));
}

// view(sizes): one -1 may be inferred; fails when the strides do not allow a view.
inline tensor_desc view(const tensor_desc& self, const dim_vector& sizes) {
  return detail::make_view(self, [&] { return geom::view(self.geometry(), sizes); }, detail::step_of(view_op::view, sizes));
}
inline tensor_desc view_as(const tensor_desc& self, const tensor_desc& other) {
  other.specialize_symbolic_geometry();  // its sizes become constant arguments
  return view(self, other.sizes());
}

// _unsafe_view: view's geometry; the result shares the storage but is not a
// view (it is how reshape's copy is returned).
inline tensor_desc unsafe_view(const tensor_desc& self, const dim_vector& sizes) {
  runtime_geometry g = geom::view(self.geometry(), sizes);
  tensor_desc out(tensor_desc::result_tag{}, self, std::move(g.sizes), std::move(g.strides), g.offset);
  if (self.is_symbolic()) {
    view_step step{};
    step.op = view_op::unsafe_view;
    step.set_ints(sizes);
    out.set_symbolic_geometry(self.symbolic_geometry()->apply_view(step, out.geometry()));
  }
  return out;
}

// A contiguous copy on a storage of its own (clone(memory_format=contiguous)).
inline tensor_desc contiguous_copy(const tensor_desc& self) {
  tensor_desc out = empty(self.sizes(), self.dtype(), self.device());
  out.set(tensor_flag::requires_grad, self.requires_grad());
  if (self.is_symbolic()) out.set_symbolic_geometry(self.symbolic_geometry()->contiguous_copy(out.geometry()));
  return out;
}

// reshape: a view when the strides allow it, else a copy. Which one it was is
// in `is_view()` of the result (and in `copied`, when given).
inline tensor_desc reshape(const tensor_desc& self, const dim_vector& sizes, bool* copied = nullptr) {
  const std::int64_t n = self.numel();
  const dim_vector inferred = geom::infer_size(sizes, n);
  dim_vector strides_;
  if (geom::compute_view_strides(self.sizes(), self.strides(), n, inferred, strides_)) {
    if (copied) *copied = false;
    return detail::make_view(
        self, [&] { return runtime_geometry{inferred, std::move(strides_), self.storage_offset()}; },
        detail::step_of(view_op::view, inferred));
  }
  if (copied) *copied = true;
  return unsafe_view(contiguous_copy(self), inferred);
}

// The sizes flatten(start_dim, end_dim) reshapes to; nullopt when it returns
// self (start == end). A 0-dim tensor flattens to [1].
inline std::optional<dim_vector> flatten_sizes(const tensor_desc& self, std::int64_t start_dim, std::int64_t end_dim) {
  const std::int64_t start = wrap_dim<"flatten">(start_dim, self.dim());
  const std::int64_t end = wrap_dim<"flatten">(end_dim, self.dim());
  expect<shape_error, "flatten", "flatten() has invalid args: start_dim cannot come after end_dim">(start <= end);
  if (self.dim() == 0) return dim_vector{1};
  if (start == end) return std::nullopt;
  self.specialize_symbolic_geometry();  // the sizes below are the hints
  dim_vector sizes(self.sizes().begin(), self.sizes().begin() + start);
  std::int64_t slice_numel = 1;
  for (std::int64_t d = start; d <= end; ++d) slice_numel = checked_mul<"flatten">(slice_numel, self.size(d));
  sizes.push_back(slice_numel);
  sizes.insert(sizes.end(), self.sizes().begin() + end + 1, self.sizes().end());
  return sizes;
}

inline tensor_desc flatten(const tensor_desc& self, std::int64_t start_dim = 0, std::int64_t end_dim = -1) {
  const std::optional<dim_vector> sizes = flatten_sizes(self, start_dim, end_dim);
  return sizes ? reshape(self, *sizes) : self;
}

inline tensor_desc unflatten(const tensor_desc& self, std::int64_t dim, const dim_vector& sizes) {
  expect<index_error, "unflatten", "Dimension specified as {} but tensor has no dimensions">(self.dim() > 0, dim);
  const std::int64_t d = wrap_dim<"unflatten">(dim, self.dim());
  expect<shape_error, "unflatten", "unflatten: sizes must be non-empty">(!sizes.empty());
  self.specialize_symbolic_geometry();  // the sizes below are the hints
  const dim_vector inferred = geom::infer_size(sizes, self.size(d));
  dim_vector shape_(self.sizes().begin(), self.sizes().begin() + d);
  shape_.insert(shape_.end(), inferred.begin(), inferred.end());
  shape_.insert(shape_.end(), self.sizes().begin() + d + 1, self.sizes().end());
  return view(self, shape_);
}

inline tensor_desc view_as_real(const tensor_desc& self) {
  expect<dtype_error, "view_as_real", "view_as_real is only supported for complex tensors">(is_complex(self.dtype()));
  return detail::make_view(self, [&] { return geom::view_as_real(self.geometry()); }, detail::step_of(view_op::view_as_real),
                           to_real(self.dtype()));
}

inline tensor_desc view_as_complex(const tensor_desc& self) {
  const dtype d = self.dtype();
  expect<dtype_error, "view_as_complex", "view_as_complex is only supported for float, double and half tensors, but got a tensor of scalar type: {}">(
      d == dtype::float32 || d == dtype::float64 || d == dtype::float16, c10_name(d));
  return detail::make_view(self, [&] { return geom::view_as_complex(self.geometry()); }, detail::step_of(view_op::view_as_complex),
                           to_complex(d));
}

// real/imag: components of a complex tensor; real of a real tensor is itself.
inline tensor_desc real(const tensor_desc& self) {
  if (!is_complex(self.dtype())) return self;
  return select(view_as_real(self), -1, 0);
}
inline tensor_desc imag(const tensor_desc& self) {
  expect<dtype_error, "imag", "imag is not implemented for tensors with non-complex dtypes.">(is_complex(self.dtype()));
  return select(view_as_real(self), -1, 1);
}

// detach: the same storage and geometry, without autograd history: not a view.
inline tensor_desc detach(const tensor_desc& self) {
  tensor_desc out(tensor_desc::result_tag{}, self, self.sizes(), self.strides(), self.storage_offset());
  out.set(tensor_flag::requires_grad, false).set(tensor_flag::is_leaf, true).set(tensor_flag::is_view, false);
  out.set_symbolic_geometry(self.symbolic_geometry());  // the same geometry, so the same expressions
  return out;
}

// ---------------------------------------------------------- several outputs

inline std::vector<tensor_desc> split(const tensor_desc& self, std::int64_t split_size, std::int64_t dim = 0) {
  self.specialize_symbolic_size(dim);  // how many results there are, and their sizes along dim, come from its hint
  expect<shape_error, "split", "split expects at least a 1-dimensional tensor">(self.dim() != 0);
  expect<shape_error, "split", "split expects split_size be non-negative, but got split_size={}">(split_size >= 0, split_size);
  const std::int64_t dim_size = self.size(dim);
  expect<shape_error, "split", "split_size can only be 0 if dimension size is 0, but got dimension size of {}">(
      split_size > 0 || dim_size == 0, dim_size);
  const std::int64_t num_splits = split_size == 0 ? 1 : std::max<std::int64_t>((dim_size + split_size - 1) / split_size, 1);
  const std::int64_t last = split_size - (split_size * num_splits - dim_size);
  std::vector<tensor_desc> out;
  out.reserve(static_cast<std::size_t>(num_splits));
  for (std::int64_t i = 0; i < num_splits; ++i)
    out.push_back(narrow(self, dim, i * split_size, i < num_splits - 1 ? split_size : last));
  return out;
}

inline std::vector<tensor_desc> split_with_sizes(const tensor_desc& self, const dim_vector& split_sizes, std::int64_t dim = 0) {
  self.specialize_symbolic_size(dim);  // how many results there are, and their sizes along dim, come from its hint
  expect<shape_error, "split_with_sizes", "split expects at least a 1-dimensional tensor">(self.dim() != 0);
  const std::int64_t dim_size = self.size(dim);
  std::vector<tensor_desc> out;
  std::int64_t start = 0;
  for (std::int64_t length : split_sizes) {
    expect<shape_error, "split_with_sizes",
           "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={}">(length >= 0,
                                                                                                         split_sizes);
    out.push_back(slice(self, dim, start, start + length, 1));
    start += length;
  }
  expect<shape_error, "split_with_sizes",
         "split_with_sizes expects split_sizes to sum exactly to {} (input tensor's size at dimension {}), but got "
         "split_sizes={}">(start == dim_size, dim_size, dim, split_sizes);
  return out;
}

inline std::vector<tensor_desc> chunk(const tensor_desc& self, std::int64_t chunks, std::int64_t dim = 0) {
  self.specialize_symbolic_size(dim);  // how many results there are, and their sizes along dim, come from its hint
  expect<shape_error, "chunk", "chunk expects at least a 1-dimensional tensor">(self.dim() > 0);
  expect<shape_error, "chunk", "chunk expects `chunks` to be greater than 0, got: {}">(chunks > 0, chunks);
  const std::int64_t dim_size = self.size(dim);
  const std::int64_t split_size = (dim_size + chunks - 1) / chunks;
  if (split_size == 0 && dim_size == 0) {
    dim_vector sizes(static_cast<std::size_t>(chunks), split_size);
    sizes.back() = split_size - (split_size * chunks - dim_size);
    return split_with_sizes(self, sizes, dim);
  }
  return split(self, split_size, dim);
}

inline std::vector<tensor_desc> unbind(const tensor_desc& self, std::int64_t dim = 0) {
  self.specialize_symbolic_size(dim);  // how many results there are, and their sizes along dim, come from its hint
  expect<index_error, "unbind", "Dimension specified as {} but tensor has no dimensions">(self.dim() > 0, dim);
  const std::int64_t d = wrap_dim<"unbind">(dim, self.dim());
  std::vector<tensor_desc> out;
  for (std::int64_t i = 0; i < self.size(d); ++i) out.push_back(select(self, d, i));
  return out;
}

inline std::vector<tensor_desc> tensor_split(const tensor_desc& self, std::int64_t sections, std::int64_t dim = 0) {
  self.specialize_symbolic_size(dim);  // how many results there are, and their sizes along dim, come from its hint
  expect<shape_error, "tensor_split", "tensor_split expected at least a 1-dimensional tensor, but got a tensor with {} dims">(
      self.dim() > 0, self.dim());
  expect<shape_error, "tensor_split", "number of sections must be larger than 0, got {}">(sections > 0, sections);
  const std::int64_t d = wrap_dim<"tensor_split">(dim, self.dim());
  const std::int64_t dim_size = self.size(d);
  const std::int64_t min_split = dim_size / sections, extra = dim_size % sections;
  std::vector<tensor_desc> out;
  std::int64_t start = 0;
  for (std::int64_t i = 0; i < sections; ++i) {
    const std::int64_t size = i < extra ? min_split + 1 : min_split;
    out.push_back(slice(self, d, start, start + size));
    start += size;
  }
  return out;
}

inline std::vector<tensor_desc> tensor_split(const tensor_desc& self, const dim_vector& indices, std::int64_t dim = 0) {
  self.specialize_symbolic_size(dim);  // how many results there are, and their sizes along dim, come from its hint
  expect<shape_error, "tensor_split", "tensor_split expected at least a 1-dimensional tensor, but got a tensor with {} dims">(
      self.dim() > 0, self.dim());
  const std::int64_t d = wrap_dim<"tensor_split">(dim, self.dim());
  std::vector<tensor_desc> out;
  std::int64_t start = 0;
  for (std::int64_t end : indices) {
    out.push_back(slice(self, d, start, end));
    start = end;
  }
  out.push_back(slice(self, d, start, self.size(d)));
  return out;
}

// ------------------------------------------------------------------ replay

// Applies one recorded step to `t`.
inline tensor_desc apply(const tensor_desc& t, const view_step& s) {
  switch (s.op) {
    case view_op::view: return view(t, s.ints());
    case view_op::unsafe_view: return unsafe_view(t, s.ints());
    case view_op::transpose: return transpose(t, s.a, s.b);
    case view_op::permute: return permute(t, s.ints());
    case view_op::select: return select(t, s.a, s.b);
    case view_op::slice: return slice(t, s.a, s.b, s.c, s.d);
    case view_op::narrow: return narrow(t, s.a, s.b, s.c);
    case view_op::unsqueeze: return unsqueeze(t, s.a);
    case view_op::squeeze: return squeeze(t);
    case view_op::squeeze_dims: return squeeze(t, s.ints());
    case view_op::expand: return expand(t, s.ints());
    case view_op::as_strided: {
      const dim_vector args = s.ints();
      const auto half = static_cast<std::ptrdiff_t>(args.size() / 2);
      return as_strided(t, dim_vector(args.begin(), args.begin() + half), dim_vector(args.begin() + half, args.end()),
                        s.a < 0 ? std::optional<std::int64_t>{} : std::optional<std::int64_t>{s.a});
    }
    case view_op::diagonal: return diagonal(t, s.a, s.b, s.c);
    case view_op::unfold: return unfold(t, s.a, s.b, s.c);
    case view_op::view_as_real: return view_as_real(t);
    case view_op::view_as_complex: return view_as_complex(t);
    case view_op::real: return real(t);
    case view_op::imag: return imag(t);
    case view_op::alias: return alias(t);
  }
  fail<value_error, "replay", "unknown view op {}">(static_cast<int>(s.op));
}

// Rebuilds the same view on another base: the chain's ops with their original
// arguments (so `view(-1, 4)` infers again for a base of another size).
inline tensor_desc replay(const std::vector<view_step>& chain, const tensor_desc& other_base) {
  tensor_desc t = other_base;
  for (const view_step& s : chain) t = apply(t, s);
  return t;
}
inline tensor_desc replay(const tensor_desc& view_, const tensor_desc& other_base) {
  return replay(view_.view_chain(), other_base);
}

// Any view rebuilt from a base with as_strided (PyTorch's view_from_base when
// the view's own function cannot be replayed).
inline tensor_desc view_from_base(const tensor_desc& base, const tensor_desc& view_) {
  return as_strided(base, view_.sizes(), view_.strides(), view_.storage_offset());
}

}  // namespace fake
