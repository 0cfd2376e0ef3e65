// faketensor/dispatch/composite.hpp — the CompositeImplicitAutograd kernels
// of ATen 1.13, written with fake::at (Note [composites decompose]).
//
// Note [composites decompose]: ATen implements matmul, linear, reshape,
// layer_norm, softmax, conv2d, ... as calls of other ops. A tracer, a dispatch
// cache or a FLOP counter sees those calls, not the composite: make_fx of
// F.linear(x, w, b) on a 3-d input records t, view, addmm, view. So the kernels
// registered for these ops (builtin_linalg.hpp, builtin_nn.hpp,
// builtin_composite.hpp) call the ops they are made of through the dispatcher
// in the same order as ATen does (its argument evaluation order included: GCC
// evaluates `at::addmm(bias, input.view(...), weight.t())` right to left, so t
// comes first). The plain C++ kernels of the same names (fake::matmul, ...)
// stay what a typed program calls: same metadata, no dispatch.
//
// The sequences here are checked against make_fx(tracing_mode="fake") of
// PyTorch 1.13: tests/data/make_fx/composites.json (its generator beside it)
// and the test "composite ops decompose as make_fx records them" in
// tests/runtime/trace_test.cpp.
#pragma once

#include <algorithm> // std::max
#include <concepts>  // std::same_as
#include <cstdint>   // std::int64_t
#include <limits>    // std::numeric_limits
#include <optional>  // std::optional
#include <string>    // std::string
#include <string_view>  // std::string_view

#include "faketensor/dispatch/at.hpp"      // fake::at
#include "faketensor/dispatch/sym_ints.hpp" // fake::at on sym_dims (Note [composites on symbolic sizes])
#include "faketensor/ops/conv.hpp"         // detail::conv_is_batched, plan_convolution_mode
#include "faketensor/ops/factory.hpp"      // fake::scalar_tensor
#include "faketensor/ops/loss.hpp"         // detail::check_nll_loss_nd, detail::check_cross_entropy_probs
#include "faketensor/ops/norm.hpp"         // group_norm_dims_of
#include "faketensor/ops/pointwise.hpp"    // detail::ensure_has_index, detail::to_is_alias
#include "faketensor/ops/pool.hpp"         // adaptive_avg_pool2d_is_mean
#include "faketensor/shape/broadcast.hpp"  // fake::broadcast_shapes
#include "faketensor/shape/contiguity.hpp" // fake::is_contiguous, suggest_memory_format
#include "faketensor/view/geometry.hpp"    // geom::infer_size, geom::compute_view_strides

namespace fake::composite {

namespace detail {
// Note [composites on symbolic sizes]: a composite that computes sizes for
// the ops it calls (matmul's folds, linear's flatten) computes them as
// expressions where an input is symbolic, so its views take SymInt[] and
// keep the batch and sequence symbolic, as PyTorch's composites do on
// SymInts; on concrete inputs it computes plain integers (no expression is
// built). Dims is dim_vector or sym_dims.
template <class Dims>
Dims sizes_as(const tensor_desc& t) {
  if constexpr (std::same_as<Dims, sym_dims>) return sym_sizes(t);
  else return Dims(t.sizes().begin(), t.sizes().end());
}
template <class Dims>
Dims strides_as(const tensor_desc& t) {
  if constexpr (std::same_as<Dims, sym_dims>) return sym_strides(t);
  else return Dims(t.strides().begin(), t.strides().end());
}
inline bool contiguous_as_expressions(const tensor_desc& t, memory_format fmt) {
  if (!t.is_symbolic()) return is_contiguous(t.sizes(), t.strides(), fmt);
  return is_contiguous(sym_sizes(t), sym_strides(t), fmt);  // guarded where the sizes decide it
}

}  // namespace detail

// reshape: a view where the strides allow one (computeStride), else a
// contiguous clone and _unsafe_view. The view is _reshape_alias on concrete
// sizes (1.13) and view on symbolic ones, as PyTorch 2's reshape on SymInts
// records (Note [composites on symbolic sizes]).
template <class Dims>
tensor_desc reshape_as(const tensor_desc& self, const Dims& shape) {
  const Dims from = detail::sizes_as<Dims>(self), from_strides = detail::strides_as<Dims>(self);
  const auto n = numel(from);
  const Dims sizes = geom::infer_size(shape, n);
  Dims strides;
  if (geom::compute_view_strides(from, from_strides, n, sizes, strides)) {
    if constexpr (std::same_as<Dims, sym_dims>) return at::view(self, sizes);
    else return at::reshape_alias(self, sizes, std::move(strides));
  }
  return at::unsafe_view(at::clone(self, memory_format::contiguous_format), sizes);
}
inline tensor_desc reshape(const tensor_desc& self, const dim_vector& shape) { return reshape_as<dim_vector>(self, shape); }

inline tensor_desc flatten(const tensor_desc& self, std::int64_t start_dim, std::int64_t end_dim) {
  const std::optional<dim_vector> sizes = flatten_sizes(self, start_dim, end_dim);
  return sizes ? at::reshape(self, *sizes) : self;
}

inline tensor_desc contiguous(const tensor_desc& self, memory_format fmt) {
  if (detail::contiguous_as_expressions(self, fmt)) return self;
  return at::clone(self, fmt);
}

// to(dtype, layout, device, ...): self when nothing changes, else _to_copy
// with the options given (ATen's to / _to_copy split).
inline tensor_desc to(const tensor_desc& self, std::optional<dtype> dt, std::optional<layout> lay, std::optional<device> dev,
                      std::optional<bool> pin_memory, bool non_blocking, bool copy, std::optional<memory_format> format) {
  std::optional<device> d;  // assigned, not a ternary: g++ 12 -O1 reports a maybe-uninitialized optional
  if (dev) d = fake::detail::ensure_has_index(*dev);
  if (fake::detail::to_is_alias(self, dt, lay, d, copy, format)) return self;
  return at::to_copy(self, dt, lay, d, pin_memory, non_blocking, format);
}

namespace detail {
// matmul (ATen 1.13 _matmul_impl): dot, mv, mm, the folded 3-d @ 2-d form,
// the transposed 2-d @ 3-d form, and the batched form with expand + bmm.
template <class Dims>
tensor_desc matmul_as(const tensor_desc& a, const tensor_desc& b) {
  using dim = typename Dims::value_type;
  const std::int64_t da = a.dim();
  const std::int64_t db = b.dim();
  expect<shape_error, "matmul", "both arguments to matmul need to be at least 1D, but they are {}D and {}D">(
      da > 0 && db > 0, da, db);
  if (da == 1 && db == 1) return at::dot(a, b);
  if (da == 2 && db == 1) return at::mv(a, b);
  if (da == 1 && db == 2) return at::squeeze(at::mm(at::unsqueeze(a, 0), b), 0);
  if (da == 2 && db == 2) return at::mm(a, b);
  const Dims as = sizes_as<Dims>(a), bs = sizes_as<Dims>(b);
  if (da >= 3 && (db == 1 || db == 2)) {
    // Fold the batch of `a` into its rows: one mm (or mv).
    Dims out_sizes(as.begin(), as.end() - 1);
    if (db == 2) out_sizes.push_back(bs[1]);
    // reshape(-1, k): on expressions the -1 is inferred here (the rows, a
    // product), as infer_size on SymInts gives it
    dim rows(-1);
    if constexpr (std::same_as<Dims, sym_dims>) {
      rows = dim(1);
      for (std::size_t i = 0; i + 1 < as.size(); ++i) rows = rows * as[i];
    }
    const tensor_desc folded = at::reshape(a, Dims{rows, as.back()});
    const tensor_desc out = db == 2 ? at::mm(folded, b) : at::mv(folded, b);
    return at::unsafe_view(out, out_sizes);
  }
  if ((da == 1 || da == 2) && db >= 3) {
    // (b^T a^T)^T, folded as above; a vector `a` needs no transposes of the result.
    const tensor_desc bt = at::transpose(b, -1, -2);
    if (da == 1) return matmul_as<Dims>(bt, a);
    return at::contiguous(at::transpose(matmul_as<Dims>(bt, at::t(a)), -1, -2));
  }
  // Batched: broadcast the batch dims, flatten them, bmm, restore them.
  const auto at_ = [](const Dims& d, std::int64_t i) { return d[static_cast<std::size_t>(i)]; };
  const dim n = da > 1 ? at_(as, da - 2) : dim(1);
  const dim m1 = at_(as, da - 1);
  const dim m2 = db > 1 ? at_(bs, db - 2) : at_(bs, 0);
  const dim p = db > 1 ? at_(bs, db - 1) : dim(1);
  const Dims batch_a(as.begin(), as.begin() + std::max<std::int64_t>(da - 2, 0));
  const Dims batch_b(bs.begin(), bs.begin() + std::max<std::int64_t>(db - 2, 0));
  Dims out_sizes = Dims(broadcast_shapes(batch_a, batch_b));
  dim batch(1);
  for (const dim& s : out_sizes) batch = checked_mul<"matmul">(batch, s);
  Dims expand_a = out_sizes, expand_b = out_sizes;
  expand_a.push_back(n);
  expand_a.push_back(m1);
  expand_b.push_back(m2);
  expand_b.push_back(p);
  const tensor_desc a3 = at::reshape(at::expand(a, expand_a), Dims{batch, n, m1});
  const tensor_desc b3 = at::reshape(at::expand(b, expand_b), Dims{batch, m2, p});
  if (da > 1) out_sizes.push_back(n);
  if (db > 1) out_sizes.push_back(p);
  return at::unsafe_view(at::bmm(a3, b3), out_sizes);
}

template <class Dims>
tensor_desc linear_as(const tensor_desc& x, const tensor_desc& w, const std::optional<tensor_desc>& bias) {
  if (x.dim() == 2 && bias) {
    const tensor_desc wt = at::t(w);
    return at::addmm(*bias, x, wt);
  }
  if (bias && x.dim() == 3 && contiguous_as_expressions(x, memory_format::contiguous_format)) {
    const Dims xs = sizes_as<Dims>(x);
    const tensor_desc wt = at::t(w);
    const tensor_desc flat = at::view(x, Dims{checked_mul<"linear">(xs[0], xs[1]), xs[2]});
    const tensor_desc out = at::addmm(*bias, flat, wt);
    return at::view(out, Dims{xs[0], xs[1], sizes_as<Dims>(out)[1]});
  }
  tensor_desc out = matmul_as<Dims>(x, at::t(w));
  if (bias) out = at::add(out, *bias);
  return out;
}
}  // namespace detail

inline tensor_desc matmul(const tensor_desc& a, const tensor_desc& b) {
  return a.is_symbolic() || b.is_symbolic() ? detail::matmul_as<sym_dims>(a, b) : detail::matmul_as<dim_vector>(a, b);
}

// linear (ATen 1.13): addmm for a 2-d input with bias, the flattened addmm for
// a contiguous 3-d input with bias, else matmul and an out-of-place add (a fake
// tensor is a tensor subclass, for which ATen does not add in place).
inline tensor_desc linear(const tensor_desc& x, const tensor_desc& w, const std::optional<tensor_desc>& bias) {
  return x.is_symbolic() || w.is_symbolic() ? detail::linear_as<sym_dims>(x, w, bias) : detail::linear_as<dim_vector>(x, w, bias);
}


// ATen's batchify for conv{1,2,3}d and conv_transpose{1,2,3}d: an unbatched
// input (C, *spatial) is unsqueezed to a batch of one, and the result squeezed.
template <fixed_string Op, class Run>
tensor_desc conv_batched(const tensor_desc& x, std::int64_t spatial, Run&& run) {
  if (fake::detail::conv_is_batched<Op>(x, spatial)) return run(x);
  return at::squeeze(run(at::unsqueeze(x, 0)), 0);
}

// conv1d/2d/3d: convolution.
template <fixed_string Op>
tensor_desc conv_nd(const tensor_desc& x, const tensor_desc& w, const std::optional<tensor_desc>& b, const dim_vector& stride,
                    const dim_vector& padding, const dim_vector& dilation, std::int64_t groups, std::int64_t spatial) {
  return conv_batched<Op>(x, spatial, [&](const tensor_desc& in) {
    return at::convolution(in, w, b, stride, padding, dilation, false, dim_vector(static_cast<std::size_t>(spatial), 0), groups);
  });
}

// conv_transpose1d/2d/3d: convolution with transposed=True.
template <fixed_string Op>
tensor_desc conv_transpose_nd(const tensor_desc& x, const tensor_desc& w, const std::optional<tensor_desc>& b,
                              const dim_vector& stride, const dim_vector& padding, const dim_vector& output_padding,
                              std::int64_t groups, const dim_vector& dilation, std::int64_t spatial) {
  return conv_batched<Op>(x, spatial, [&](const tensor_desc& in) {
    return at::convolution(in, w, b, stride, padding, dilation, true, output_padding, groups);
  });
}

// _convolution_mode (padding "same" or "valid"): an asymmetric "same"
// padding pads the input with constant_pad_nd first (plan_convolution_mode).
inline tensor_desc convolution_mode(const tensor_desc& x, const tensor_desc& w, const std::optional<tensor_desc>& b,
                                    const dim_vector& stride, std::string_view padding, const dim_vector& dilation,
                                    std::int64_t groups) {
  const convolution_mode_plan plan = plan_convolution_mode(x, w, stride, padding, dilation);
  const tensor_desc padded = plan.pad_nd ? at::constant_pad_nd(x, *plan.pad_nd, 0.0) : x;
  return at::convolution(padded, w, b, stride, plan.padding, dilation, false, plan.output_padding, groups);
}

// conv1d/2d/3d.padding: _convolution_mode on the batchified input.
template <fixed_string Op>
tensor_desc conv_nd_padding_mode(const tensor_desc& x, const tensor_desc& w, const std::optional<tensor_desc>& b,
                                 const dim_vector& stride, std::string_view padding, const dim_vector& dilation,
                                 std::int64_t groups, std::int64_t spatial) {
  return conv_batched<Op>(x, spatial, [&](const tensor_desc& in) {
    return at::convolution_mode(in, w, b, stride, std::string(padding), dilation, groups);
  });
}

inline tensor_desc max_pool2d(const tensor_desc& x, const dim_vector& kernel, const dim_vector& stride, const dim_vector& padding,
                              const dim_vector& dilation, bool ceil_mode) {
  return at::max_pool2d_with_indices(x, kernel, stride, padding, dilation, ceil_mode)[0];
}

// adaptive_avg_pool2d: a mean over the last two dims for a 1x1 output, else
// _adaptive_avg_pool2d.
inline tensor_desc adaptive_avg_pool2d(const tensor_desc& x, const dim_vector& output_size) {
  expect<value_error, "adaptive_avg_pool2d", "output_size must be 2">(output_size.size() == 2);
  if (adaptive_avg_pool2d_is_mean(x.sizes(), x.strides(), output_size)) return at::mean(x, {-1, -2}, true);
  return at::adaptive_avg_pool2d_impl(x, output_size);
}

inline tensor_desc layer_norm(const tensor_desc& x, const dim_vector& shape, const std::optional<tensor_desc>& w,
                              const std::optional<tensor_desc>& b, double eps) {
  return at::native_layer_norm(x, shape, w, b, eps)[0];
}

// group_norm: the input made contiguous (in its suggested memory format on
// cpu), weight and bias contiguous, then native_group_norm.
inline tensor_desc group_norm(const tensor_desc& x, std::int64_t groups, const std::optional<tensor_desc>& w,
                              const std::optional<tensor_desc>& b, double eps) {
  const group_norm_dims d = group_norm_dims_of(x);
  const tensor_desc in = x.device().is_cpu() ? at::contiguous(x, x.suggest_memory_format()) : at::contiguous(x);
  std::optional<tensor_desc> gamma, beta;
  if (w && w->is_defined()) gamma = at::contiguous(*w);
  if (b && b->is_defined()) beta = at::contiguous(*b);
  return at::native_group_norm(in, gamma, beta, d.n, d.c, d.hxw, groups, eps)[0];
}

// batch_norm (ATen's _batch_norm_impl_index, native path): an empty byte
// "reserve" tensor, then native_batch_norm.
inline tensor_desc batch_norm(const tensor_desc& x, const std::optional<tensor_desc>& w, const std::optional<tensor_desc>& b,
                              const std::optional<tensor_desc>& rm, const std::optional<tensor_desc>& rv, bool training,
                              double momentum, double eps) {
  check_batch_norm_features(x, w, b, rm, rv);
  (void)at::empty({0}, dtype::uint8, x.device());
  return at::native_batch_norm(x, w, b, rm, rv, training, momentum, eps)[0];
}

// softmax / log_softmax: _softmax on the input converted to `dt` first (a
// cuda half input with dt=float converts inside the kernel).
inline tensor_desc softmax(const tensor_desc& x, std::int64_t dim, std::optional<dtype> dt, bool log) {
  if (x.device().type == device_type::cuda && x.dtype() == dtype::float16 && dt == dtype::float32)
    return log ? at::log_softmax_impl(x, dim, true) : at::softmax_impl(x, dim, true);
  const tensor_desc in = dt && *dt != x.dtype() ? at::to_copy(x, *dt, layout::strided, x.device()) : x;
  return log ? at::log_softmax_impl(in, dim, false) : at::softmax_impl(in, dim, false);
}

// dropout: the fused native_dropout on cuda, the input itself when nothing is
// dropped, else a bernoulli mask scaled by 1/(1-p) and multiplied in.
inline tensor_desc dropout(const tensor_desc& x, double p, bool train) {
  if (train && x.device().type == device_type::cuda && p > 0 && p < 1 && x.numel() > 0)
    return at::native_dropout(x, p, train)[0];
  if (p == 0 || !train || x.numel() == 0) return x;
  const tensor_desc noise = at::bernoulli_(at::empty_like(x), 1 - p);
  return at::mul(x, at::div_(noise, 1 - p));
}

// ------------------------------------------------------------- losses ----

inline tensor_desc nll_loss(const tensor_desc& x, const tensor_desc& target, const std::optional<tensor_desc>& w,
                            std::int64_t reduction, std::int64_t ignore_index) {
  return at::nll_loss_forward(x, target, w, reduction, ignore_index)[0];
}
inline tensor_desc nll_loss2d(const tensor_desc& x, const tensor_desc& target, const std::optional<tensor_desc>& w,
                              std::int64_t reduction, std::int64_t ignore_index) {
  return at::nll_loss2d_forward(x, target, w, reduction, ignore_index)[0];
}

// nll_loss_nd: nll_loss for 1-d and 2-d inputs, nll_loss2d for 4-d ones; any
// other rank is made contiguous, viewed as (N, C, 1, -1) with the target as
// (N, 1, -1), and given to nll_loss2d (its unreduced result viewed back).
inline tensor_desc nll_loss_nd(const tensor_desc& x, const tensor_desc& target, const std::optional<tensor_desc>& w,
                               std::int64_t reduction, std::int64_t ignore_index) {
  fake::detail::check_nll_loss_nd(x, target);
  if (x.dim() <= 2) return at::nll_loss(x, target, w, reduction, ignore_index);
  if (x.dim() == 4) return at::nll_loss2d(x, target, w, reduction, ignore_index);
  const std::int64_t n = x.size(0), c = x.size(1);
  const dim_vector out_size = fake::detail::nll_loss_nd_out_size(x, target);
  const tensor_desc in = at::contiguous(x), tgt = at::contiguous(target);
  const tensor_desc in_view = at::view(in, in.numel() > 0 ? dim_vector{n, c, 1, -1} : dim_vector{n, c, 0, 0});
  const tensor_desc tgt_view = at::view(tgt, tgt.numel() > 0 ? dim_vector{n, 1, -1} : dim_vector{n, 0, 0});
  const tensor_desc out = at::nll_loss2d(in_view, tgt_view, w, reduction, ignore_index);
  return reduction == 0 ? at::view(out, out_size) : out;
}

namespace detail {
// The weight viewed to broadcast along the class dim: (1, C, 1, ...).
inline tensor_desc class_weight_view(const tensor_desc& weight, std::int64_t rank, std::int64_t class_dim) {
  dim_vector shape(static_cast<std::size_t>(rank), 1);
  shape[static_cast<std::size_t>(class_dim)] = weight.size(0);
  return at::view(weight, shape);
}
}  // namespace detail

// cross_entropy_loss (ATen 1.13): class-probability targets (the same shape as
// the input), label smoothing, or log_softmax + nll_loss_nd. C++ evaluates
// `a / b` and `a + b` right to left here, as GCC does for ATen.
inline tensor_desc cross_entropy_loss(const tensor_desc& self, const tensor_desc& target, const std::optional<tensor_desc>& weight,
                                      std::int64_t reduction, std::int64_t ignore_index, double label_smoothing) {
  const std::int64_t class_dim = self.dim() == 1 ? 0 : 1;
  const bool weighted = weight && weight->is_defined();
  const auto check_reduction = [&] {
    expect<value_error, "cross_entropy_loss", "Invalid reduction type encountered in cross_entropy: {}">(
        reduction >= 0 && reduction <= 2, reduction);
  };
  if (self.sizes() == target.sizes()) {
    const std::int64_t n_classes =
        fake::detail::check_cross_entropy_probs(self, target, weighted ? &*weight : nullptr, ignore_index);
    check_reduction();
    const tensor_desc input = at::log_softmax(self, class_dim, self.dtype());
    tensor_desc tgt = target;
    if (label_smoothing > 0.0) {
      fake::detail::check_label_smoothing(label_smoothing);
      tgt = at::add_scalar(at::mul_scalar(target, 1 - label_smoothing), label_smoothing / static_cast<double>(n_classes));
    }
    std::optional<tensor_desc> w;  // viewed to broadcast along the class dim
    if (weighted) w = input.dim() > 1 ? detail::class_weight_view(*weight, input.dim(), 1) : *weight;
    tensor_desc prod = at::mul(input, tgt);
    if (w) prod = at::mul(prod, *w);
    if (reduction == 0) return at::neg(at::sum(prod, {class_dim}));
    if (reduction == 2) return at::neg(at::sum(prod));
    // mean over the non-class elements; an empty input gives NaN
    if (input.numel() == 0) return at::neg(at::fill_(at::sum(prod), std::numeric_limits<double>::quiet_NaN()));
    return at::div_scalar(at::neg(at::sum(prod)), input.numel() / n_classes);
  }
  if (label_smoothing > 0.0) {
    fake::detail::check_label_smoothing(label_smoothing);
    const tensor_desc input = at::log_softmax(self, class_dim, self.dtype());
    const tensor_desc nll = at::nll_loss_nd(input, target, weight, reduction, ignore_index);
    const std::int64_t n_classes = input.size(class_dim);
    const tensor_desc smooth = weighted ? at::neg(at::sum(at::mul(input, detail::class_weight_view(*weight, input.dim(), class_dim)), {class_dim}))
                                        : at::neg(at::sum(input, {class_dim}));
    const tensor_desc ignore_mask = at::eq_scalar(target, ignore_index);
    // smooth_loss.index_put_({ignore_mask}, 0.0): the value is a scalar
    // tensor made without dispatch on cpu (a graph constant), else scalar_tensor
    const tensor_desc zero = smooth.device().is_cpu() ? fake::scalar_tensor(0.0, smooth.dtype(), smooth.device())
                                                      : at::scalar_tensor(0.0, smooth.dtype(), smooth.device());
    const tensor_desc masked = at::index_put_(smooth, {ignore_mask}, zero);
    check_reduction();
    tensor_desc ret = masked;
    if (reduction == 1) {
      if (weighted) {
        const tensor_desc denominator = at::sum(at::gather(*weight, 0, at::flatten(at::masked_select(target, at::bitwise_not(ignore_mask)))));
        ret = at::div(at::sum(masked), denominator);
      } else {
        ret = at::mean(at::masked_select(masked, at::bitwise_not(ignore_mask)));
      }
    } else if (reduction == 2) {
      ret = at::sum(masked);
    }
    const tensor_desc smooth_term = at::mul_scalar(ret, label_smoothing / static_cast<double>(n_classes));
    return at::add(at::mul_scalar(nll, 1 - label_smoothing), smooth_term);
  }
  return at::nll_loss_nd(at::log_softmax(self, class_dim, self.dtype()), target, weight, reduction, ignore_index);
}

// ------------------------------------------------------ linear algebra ----

// outer: self.reshape({n, 1}) * vec2.
inline tensor_desc outer(const tensor_desc& self, const tensor_desc& vec2) {
  expect<shape_error, "outer", "outer: Expected 1-D argument self, but got {}-D">(self.dim() == 1, self.dim());
  expect<shape_error, "outer", "outer: Expected 1-D argument vec2, but got {}-D">(vec2.dim() == 1, vec2.dim());
  return at::mul(at::reshape(self, {self.size(0), 1}), vec2);
}

// argsort: the indices of sort.
inline tensor_desc argsort(const tensor_desc& self, std::int64_t dim, bool descending) {
  return at::sort(self, dim, descending)[1];
}

}  // namespace fake::composite
