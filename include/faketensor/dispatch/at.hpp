// faketensor/dispatch/at.hpp — fake::at: ops called through the dispatcher,
// as ATen's at:: functions are.
//
//   using namespace fake;
//   tensor_desc h = at::addmm(bias, at::view(x, {b * t, c}), at::t(w));
//
// Each function boxes its arguments and calls the op by its schema name in
// op_registry::global(), so the call goes through the mode stack: a fake::mode
// that traces records it, a dispatch cache answers it, a CompositeImplicit
// kernel decomposes it. These are what models (examples/models) and the
// decompositions of composite ops (dispatch/composite.hpp) are written with.
// The kernels themselves are plain C++ functions (fake::addmm, ...) that run
// without dispatch; a typed program calls those.
//
// The ops must be in the registry: include dispatch/aten_ops.hpp in one
// translation unit (or link faketensor_aten_ops).
#pragma once

#include <algorithm>  // std::max
#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <tuple>     // std::tuple
#include <vector>    // std::vector

#include "faketensor/core/fixed_string.hpp"  // fake::fixed_string
#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::stack
#include "faketensor/meta/constant.hpp"      // fake::constant_tensor

namespace fake::at {

namespace detail {
// The op, looked up once per name.
template <fixed_string Name>
const op_overload& op() {
  static const op_overload& o = op_registry::global().get(Name.view());
  return o;
}
// The stacks of at:: calls are reused: each thread keeps a few emptied ones,
// so that a call, once warm, allocates nothing for its arguments (calls nest:
// a composite's kernel makes at:: calls of its own).
inline std::vector<stack>& spare_stacks() {
  thread_local std::vector<stack> spare;
  return spare;
}
inline stack take_stack(std::size_t n) {
  std::vector<stack>& spare = spare_stacks();
  stack s;
  if (!spare.empty()) {
    s = std::move(spare.back());
    spare.pop_back();
  }
  s.reserve(n);
  return s;
}
inline void give_back(stack& s) {
  s.clear();
  std::vector<stack>& spare = spare_stacks();
  if (spare.size() < 32 && s.capacity() != 0) spare.push_back(std::move(s));
}
template <fixed_string Name, class... Args>
stack call(Args&&... args) {
  const op_overload& o = op<Name>();
  // room for the defaults normalize appends, too
  stack s = take_stack(std::max(sizeof...(Args), o.schema().arguments().size()));
  (s.emplace_back(std::forward<Args>(args)), ...);
  o.call(s);
  return s;
}
template <fixed_string Name, class... Args>
tensor_desc call1(Args&&... args) {
  stack s = call<Name>(std::forward<Args>(args)...);
  tensor_desc out = std::move(s.front().to_tensor());
  give_back(s);
  return out;
}
inline ivalue opt(const std::optional<tensor_desc>& t) { return t ? ivalue(*t) : ivalue(); }
template <class T>
ivalue opt(const std::optional<T>& v) {
  return v ? ivalue(*v) : ivalue();
}
inline std::vector<tensor_desc> tensors(stack s) {
  std::vector<tensor_desc> out;
  if (s.size() == 1 && s[0].is_tensor_list()) out = s[0].to_tensor_list();
  else
    for (ivalue& v : s) out.push_back(std::move(v.to_tensor()));
  give_back(s);
  return out;
}
}  // namespace detail

using opt_tensor = std::optional<tensor_desc>;

// A Python number where a Tensor is taken (`x * 0.5` calls mul.Tensor): a
// 0-dim cpu tensor marked as a wrapped number (tensor_flag::is_wrapped_number)
// that keeps its value (Note [constant tensors]), so a graph records 0.5.
inline tensor_desc wrapped_number(double v) {
  tensor_desc t = constant_tensor(scalar_value::of(v), dtype::float64);
  t.is_wrapped_number(true);
  return t;
}
inline tensor_desc wrapped_number(std::int64_t v) {
  tensor_desc t = constant_tensor(scalar_value::of(v), dtype::int64);
  t.is_wrapped_number(true);
  return t;
}

// ----------------------------------------------------------- pointwise ----
inline tensor_desc add(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::add.Tensor">(a, b); }
inline tensor_desc add(const tensor_desc& a, double b) { return detail::call1<"aten::add.Tensor">(a, wrapped_number(b)); }
inline tensor_desc add_(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::add_.Tensor">(a, b); }
inline tensor_desc sub(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::sub.Tensor">(a, b); }
inline tensor_desc mul(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::mul.Tensor">(a, b); }
inline tensor_desc mul(const tensor_desc& a, double b) { return detail::call1<"aten::mul.Tensor">(a, wrapped_number(b)); }
inline tensor_desc div(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::div.Tensor">(a, b); }
inline tensor_desc div(const tensor_desc& a, double b) { return detail::call1<"aten::div.Tensor">(a, wrapped_number(b)); }
inline tensor_desc div_(const tensor_desc& a, double b) { return detail::call1<"aten::div_.Scalar">(a, b); }
// ATen's C++ `t * 0.5`, `t == -100`: the .Scalar overloads (a Python number
// calls .Tensor with a wrapped number instead; add/mul/div above).
inline tensor_desc add_scalar(const tensor_desc& a, ivalue b) { return detail::call1<"aten::add.Scalar">(a, std::move(b)); }
inline tensor_desc mul_scalar(const tensor_desc& a, ivalue b) { return detail::call1<"aten::mul.Scalar">(a, std::move(b)); }
inline tensor_desc div_scalar(const tensor_desc& a, ivalue b) { return detail::call1<"aten::div.Scalar">(a, std::move(b)); }
inline tensor_desc eq_scalar(const tensor_desc& a, ivalue b) { return detail::call1<"aten::eq.Scalar">(a, std::move(b)); }
inline tensor_desc neg(const tensor_desc& a) { return detail::call1<"aten::neg">(a); }
inline tensor_desc fill_(const tensor_desc& a, double value) { return detail::call1<"aten::fill_.Scalar">(a, value); }
inline tensor_desc rsqrt(const tensor_desc& a) { return detail::call1<"aten::rsqrt">(a); }
inline tensor_desc exp(const tensor_desc& a) { return detail::call1<"aten::exp">(a); }
inline tensor_desc sigmoid(const tensor_desc& a) { return detail::call1<"aten::sigmoid">(a); }
inline tensor_desc tanh(const tensor_desc& a) { return detail::call1<"aten::tanh">(a); }
inline tensor_desc cos(const tensor_desc& a) { return detail::call1<"aten::cos">(a); }
inline tensor_desc sin(const tensor_desc& a) { return detail::call1<"aten::sin">(a); }
inline tensor_desc pow(const tensor_desc& a, double e) { return detail::call1<"aten::pow.Tensor_Scalar">(a, e); }
inline tensor_desc bitwise_not(const tensor_desc& a) { return detail::call1<"aten::bitwise_not">(a); }
inline tensor_desc masked_fill(const tensor_desc& a, const tensor_desc& mask, double value) {
  return detail::call1<"aten::masked_fill.Scalar">(a, mask, value);
}
inline tensor_desc where(const tensor_desc& cond, const tensor_desc& a, const tensor_desc& b) {
  return detail::call1<"aten::where.self">(cond, a, b);
}
inline tensor_desc clone(const tensor_desc& a, std::optional<memory_format> fmt = {}) {
  return detail::call1<"aten::clone">(a, detail::opt(fmt));
}
inline tensor_desc to_copy(const tensor_desc& a, dtype dt) { return detail::call1<"aten::_to_copy">(a, dt); }
inline tensor_desc to_copy(const tensor_desc& a, dtype dt, layout lay, device dev) {
  return detail::call1<"aten::_to_copy">(a, dt, lay, dev);
}
inline tensor_desc to_copy(const tensor_desc& a, std::optional<dtype> dt, std::optional<layout> lay, std::optional<device> dev,
                           std::optional<bool> pin_memory, bool non_blocking, std::optional<memory_format> fmt) {
  return detail::call1<"aten::_to_copy">(a, detail::opt(dt), detail::opt(lay), detail::opt(dev), detail::opt(pin_memory),
                                         non_blocking, detail::opt(fmt));
}
inline tensor_desc to(const tensor_desc& a, dtype dt) { return detail::call1<"aten::to.dtype">(a, dt); }
inline tensor_desc tril(const tensor_desc& a, std::int64_t diagonal = 0) { return detail::call1<"aten::tril">(a, diagonal); }

// ----------------------------------------------------------- reduction ----
inline tensor_desc mean(const tensor_desc& a, dim_vector dims, bool keepdim = false) {
  return detail::call1<"aten::mean.dim">(a, std::move(dims), keepdim);
}
inline tensor_desc sum(const tensor_desc& a, dim_vector dims, bool keepdim = false) {
  return detail::call1<"aten::sum.dim_IntList">(a, std::move(dims), keepdim);
}
inline tensor_desc sum(const tensor_desc& a) { return detail::call1<"aten::sum">(a); }
inline tensor_desc mean(const tensor_desc& a) { return detail::call1<"aten::mean">(a); }

inline std::vector<tensor_desc> sort(const tensor_desc& a, std::int64_t dim = -1, bool descending = false) {
  return detail::tensors(detail::call<"aten::sort">(a, dim, descending));
}

// ------------------------------------------------------------ indexing ----
inline tensor_desc gather(const tensor_desc& a, std::int64_t dim, const tensor_desc& index) {
  return detail::call1<"aten::gather">(a, dim, index);
}
inline tensor_desc masked_select(const tensor_desc& a, const tensor_desc& mask) {
  return detail::call1<"aten::masked_select">(a, mask);
}
inline tensor_desc index_put_(const tensor_desc& a, std::vector<std::optional<tensor_desc>> indices, const tensor_desc& values,
                              bool accumulate = false) {
  return detail::call1<"aten::index_put_">(a, std::move(indices), values, accumulate);
}

// --------------------------------------------------------------- views ----
inline tensor_desc view(const tensor_desc& a, dim_vector sizes) { return detail::call1<"aten::view">(a, std::move(sizes)); }
inline tensor_desc unsafe_view(const tensor_desc& a, dim_vector sizes) {
  return detail::call1<"aten::_unsafe_view">(a, std::move(sizes));
}
inline tensor_desc reshape_alias(const tensor_desc& a, dim_vector sizes, dim_vector strides) {
  return detail::call1<"aten::_reshape_alias">(a, std::move(sizes), std::move(strides));
}
inline tensor_desc reshape(const tensor_desc& a, dim_vector sizes) { return detail::call1<"aten::reshape">(a, std::move(sizes)); }
inline tensor_desc flatten(const tensor_desc& a, std::int64_t start = 0, std::int64_t end = -1) {
  return detail::call1<"aten::flatten.using_ints">(a, start, end);
}
inline tensor_desc transpose(const tensor_desc& a, std::int64_t d0, std::int64_t d1) {
  return detail::call1<"aten::transpose.int">(a, d0, d1);
}
inline tensor_desc t(const tensor_desc& a) { return detail::call1<"aten::t">(a); }
inline tensor_desc alias(const tensor_desc& a) { return detail::call1<"aten::alias">(a); }
inline tensor_desc permute(const tensor_desc& a, dim_vector dims) { return detail::call1<"aten::permute">(a, std::move(dims)); }
inline tensor_desc unsqueeze(const tensor_desc& a, std::int64_t d) { return detail::call1<"aten::unsqueeze">(a, d); }
inline tensor_desc squeeze(const tensor_desc& a, std::int64_t d) { return detail::call1<"aten::squeeze.dim">(a, d); }
inline tensor_desc expand(const tensor_desc& a, dim_vector sizes) { return detail::call1<"aten::expand">(a, std::move(sizes)); }
inline tensor_desc slice(const tensor_desc& a, std::int64_t dim, std::optional<std::int64_t> start, std::optional<std::int64_t> end,
                         std::int64_t step = 1) {
  return detail::call1<"aten::slice.Tensor">(a, dim, detail::opt(start), detail::opt(end), step);
}
inline tensor_desc select(const tensor_desc& a, std::int64_t dim, std::int64_t index) {
  return detail::call1<"aten::select.int">(a, dim, index);
}
inline std::vector<tensor_desc> split(const tensor_desc& a, std::int64_t size, std::int64_t dim = 0) {
  return detail::tensors(detail::call<"aten::split.Tensor">(a, size, dim));
}
inline tensor_desc contiguous(const tensor_desc& a) { return detail::call1<"aten::contiguous">(a); }
inline tensor_desc contiguous(const tensor_desc& a, memory_format fmt) { return detail::call1<"aten::contiguous">(a, fmt); }
inline tensor_desc cat(std::vector<tensor_desc> ts, std::int64_t dim = 0) { return detail::call1<"aten::cat">(std::move(ts), dim); }

// -------------------------------------------------------------- linalg ----
inline tensor_desc mm(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::mm">(a, b); }
inline tensor_desc bmm(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::bmm">(a, b); }
inline tensor_desc mv(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::mv">(a, b); }
inline tensor_desc dot(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::dot">(a, b); }
inline tensor_desc addmm(const tensor_desc& bias, const tensor_desc& a, const tensor_desc& b) {
  return detail::call1<"aten::addmm">(bias, a, b);
}
inline tensor_desc matmul(const tensor_desc& a, const tensor_desc& b) { return detail::call1<"aten::matmul">(a, b); }
inline tensor_desc linear(const tensor_desc& x, const tensor_desc& w, const opt_tensor& b = {}) {
  return detail::call1<"aten::linear">(x, w, detail::opt(b));
}

// ------------------------------------------------------------------ nn ----
inline tensor_desc relu(const tensor_desc& a) { return detail::call1<"aten::relu">(a); }
inline tensor_desc relu_(const tensor_desc& a) { return detail::call1<"aten::relu_">(a); }
inline tensor_desc silu(const tensor_desc& a) { return detail::call1<"aten::silu">(a); }
inline tensor_desc gelu(const tensor_desc& a, std::string approximate = "none") {
  return detail::call1<"aten::gelu">(a, std::move(approximate));
}
inline tensor_desc softmax(const tensor_desc& a, std::int64_t dim, std::optional<dtype> dt = {}) {
  return detail::call1<"aten::softmax.int">(a, dim, detail::opt(dt));
}
inline tensor_desc log_softmax(const tensor_desc& a, std::int64_t dim, std::optional<dtype> dt = {}) {
  return detail::call1<"aten::log_softmax.int">(a, dim, detail::opt(dt));
}
inline tensor_desc layer_norm(const tensor_desc& x, dim_vector shape, const opt_tensor& w = {}, const opt_tensor& b = {},
                              double eps = 1e-5) {
  return detail::call1<"aten::layer_norm">(x, std::move(shape), detail::opt(w), detail::opt(b), eps);
}
inline tensor_desc embedding(const tensor_desc& weight, const tensor_desc& indices) {
  return detail::call1<"aten::embedding">(weight, indices);
}
inline tensor_desc dropout(const tensor_desc& x, double p, bool train) { return detail::call1<"aten::dropout">(x, p, train); }
// Lists as nn.Conv2d passes them: one entry per spatial dim (stride=2 is {2, 2}).
inline tensor_desc conv2d(const tensor_desc& x, const tensor_desc& w, const opt_tensor& b = {}, dim_vector stride = {1, 1},
                          dim_vector padding = {0, 0}, dim_vector dilation = {1, 1}, std::int64_t groups = 1) {
  return detail::call1<"aten::conv2d">(x, w, detail::opt(b), std::move(stride), std::move(padding), std::move(dilation), groups);
}
inline tensor_desc batch_norm(const tensor_desc& x, const opt_tensor& w, const opt_tensor& b, const opt_tensor& running_mean,
                              const opt_tensor& running_var, bool training, double momentum = 0.1, double eps = 1e-5) {
  return detail::call1<"aten::batch_norm">(x, detail::opt(w), detail::opt(b), detail::opt(running_mean),
                                           detail::opt(running_var), training, momentum, eps, false);
}
inline tensor_desc max_pool2d(const tensor_desc& x, dim_vector kernel, dim_vector stride = {}, dim_vector padding = {0, 0},
                              dim_vector dilation = {1, 1}, bool ceil_mode = false) {
  return detail::call1<"aten::max_pool2d">(x, std::move(kernel), std::move(stride), std::move(padding), std::move(dilation),
                                           ceil_mode);
}
inline tensor_desc adaptive_avg_pool2d(const tensor_desc& x, dim_vector output_size) {
  return detail::call1<"aten::adaptive_avg_pool2d">(x, std::move(output_size));
}

inline tensor_desc convolution(const tensor_desc& x, const tensor_desc& w, const opt_tensor& b, dim_vector stride,
                               dim_vector padding, dim_vector dilation, bool transposed, dim_vector output_padding,
                               std::int64_t groups) {
  return detail::call1<"aten::convolution">(x, w, detail::opt(b), std::move(stride), std::move(padding), std::move(dilation),
                                            transposed, std::move(output_padding), groups);
}
inline tensor_desc convolution_mode(const tensor_desc& x, const tensor_desc& w, const opt_tensor& b, dim_vector stride,
                                    std::string padding, dim_vector dilation, std::int64_t groups) {
  return detail::call1<"aten::_convolution_mode">(x, w, detail::opt(b), std::move(stride), std::move(padding), std::move(dilation),
                                                  groups);
}
inline std::vector<tensor_desc> max_pool2d_with_indices(const tensor_desc& x, dim_vector kernel, dim_vector stride,
                                                        dim_vector padding, dim_vector dilation, bool ceil_mode) {
  return detail::tensors(detail::call<"aten::max_pool2d_with_indices">(x, std::move(kernel), std::move(stride), std::move(padding),
                                                                       std::move(dilation), ceil_mode));
}
inline tensor_desc adaptive_avg_pool2d_impl(const tensor_desc& x, dim_vector output_size) {
  return detail::call1<"aten::_adaptive_avg_pool2d">(x, std::move(output_size));
}
inline std::vector<tensor_desc> native_layer_norm(const tensor_desc& x, dim_vector shape, const opt_tensor& w, const opt_tensor& b,
                                                  double eps) {
  return detail::tensors(detail::call<"aten::native_layer_norm">(x, std::move(shape), detail::opt(w), detail::opt(b), eps));
}
inline std::vector<tensor_desc> native_batch_norm(const tensor_desc& x, const opt_tensor& w, const opt_tensor& b,
                                                  const opt_tensor& rm, const opt_tensor& rv, bool training, double momentum,
                                                  double eps) {
  return detail::tensors(detail::call<"aten::native_batch_norm">(x, detail::opt(w), detail::opt(b), detail::opt(rm),
                                                                 detail::opt(rv), training, momentum, eps));
}
inline std::vector<tensor_desc> native_dropout(const tensor_desc& x, double p, bool train) {
  return detail::tensors(detail::call<"aten::native_dropout">(x, p, train));
}
inline tensor_desc softmax_impl(const tensor_desc& x, std::int64_t dim, bool half_to_float) {
  return detail::call1<"aten::_softmax">(x, dim, half_to_float);
}
inline tensor_desc log_softmax_impl(const tensor_desc& x, std::int64_t dim, bool half_to_float) {
  return detail::call1<"aten::_log_softmax">(x, dim, half_to_float);
}
inline std::vector<tensor_desc> native_group_norm(const tensor_desc& x, const opt_tensor& w, const opt_tensor& b, std::int64_t n,
                                                  std::int64_t c, std::int64_t hxw, std::int64_t groups, double eps) {
  return detail::tensors(detail::call<"aten::native_group_norm">(x, detail::opt(w), detail::opt(b), n, c, hxw, groups, eps));
}
inline tensor_desc constant_pad_nd(const tensor_desc& x, dim_vector pad, double value = 0.0) {
  return detail::call1<"aten::constant_pad_nd">(x, std::move(pad), value);
}
inline std::vector<tensor_desc> nll_loss_forward(const tensor_desc& x, const tensor_desc& target, const opt_tensor& w,
                                                 std::int64_t reduction, std::int64_t ignore_index) {
  return detail::tensors(detail::call<"aten::nll_loss_forward">(x, target, detail::opt(w), reduction, ignore_index));
}
inline std::vector<tensor_desc> nll_loss2d_forward(const tensor_desc& x, const tensor_desc& target, const opt_tensor& w,
                                                   std::int64_t reduction, std::int64_t ignore_index) {
  return detail::tensors(detail::call<"aten::nll_loss2d_forward">(x, target, detail::opt(w), reduction, ignore_index));
}
inline tensor_desc nll_loss(const tensor_desc& x, const tensor_desc& target, const opt_tensor& w, std::int64_t reduction,
                            std::int64_t ignore_index) {
  return detail::call1<"aten::nll_loss">(x, target, detail::opt(w), reduction, ignore_index);
}
inline tensor_desc nll_loss2d(const tensor_desc& x, const tensor_desc& target, const opt_tensor& w, std::int64_t reduction,
                              std::int64_t ignore_index) {
  return detail::call1<"aten::nll_loss2d">(x, target, detail::opt(w), reduction, ignore_index);
}
inline tensor_desc nll_loss_nd(const tensor_desc& x, const tensor_desc& target, const opt_tensor& w, std::int64_t reduction,
                               std::int64_t ignore_index) {
  return detail::call1<"aten::nll_loss_nd">(x, target, detail::opt(w), reduction, ignore_index);
}
inline tensor_desc bernoulli_(const tensor_desc& x, double p) { return detail::call1<"aten::bernoulli_.float">(x, p); }
inline tensor_desc empty_like(const tensor_desc& x) { return detail::call1<"aten::empty_like">(x); }
inline tensor_desc empty(dim_vector sizes, dtype dt, device dev) {
  return detail::call1<"aten::empty.memory_format">(std::move(sizes), dt, ivalue(), dev);
}

// ------------------------------------------------------------- factory ----
inline tensor_desc ones(dim_vector sizes, dtype dt, device dev) {
  return detail::call1<"aten::ones">(std::move(sizes), dt, ivalue(), dev, ivalue());
}
inline tensor_desc scalar_tensor(double value, dtype dt, device dev) {
  return detail::call1<"aten::scalar_tensor">(value, dt, ivalue(), dev, ivalue());
}
inline tensor_desc arange(std::int64_t end, dtype dt, device dev) {
  return detail::call1<"aten::arange">(end, dt, ivalue(), dev, ivalue());
}

}  // namespace fake::at
