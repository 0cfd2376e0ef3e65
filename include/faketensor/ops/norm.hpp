// faketensor/ops/norm.hpp — normalization and friends: native_layer_norm /
// layer_norm, native_group_norm, native_batch_norm / batch_norm, _softmax /
// softmax.int, _log_softmax / log_softmax.int, native_dropout / dropout and
// embedding.
//
// Note [nn statistics dtypes]
// Which dtype and shape the saved statistics have depends on the path 1.13
// takes (checked against the oracle):
//  * native_layer_norm: mean/rstd are [*batch, 1, ...] in float32 for a
//    float16/bfloat16 input, else the input's dtype (the composite kernel meta
//    tensors and FakeTensorMode run; the xref corpus encodes it);
//  * native_group_norm: [N, group] in the input's dtype;
//  * native_batch_norm on cpu: the output in the input's suggested memory
//    format; save_mean/save_invstd [C] in training and [0] in evaluation, in the
//    input's dtype (batch_norm_cpu). On cuda (and 1.13's Python meta function):
//    the output like the input (preserve_format), the stats [C] in the
//    accumulation dtype (float32 for float16/bfloat16) in both modes.
// Softmax outputs are contiguous (the structured meta passes no strides).
// Kernels that 1.13 implements for fewer dtypes on cpu than meta accepts
// (softmax of int64, half_to_float on cpu) follow meta: no error.
#pragma once

#include <array>     // std::array
#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <string_view>  // std::string_view
#include <tuple>     // std::tuple

#include "faketensor/core/dtype.hpp"        // fake::dtype, fake::is_floating_point
#include "faketensor/core/error.hpp"        // fake::shape_error, fake::dtype_error, fake::value_error
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::allocate, fake::like_strides
#include "faketensor/ops/nn_common.hpp"     // fake::tensor_meta, fake::detail::make_out
#include "faketensor/ops/tensor_iterator.hpp"  // fake::ti_output_geometry
#include "faketensor/shape/dim_algorithms.hpp"  // fake::wrap_dim
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/numel.hpp"       // fake::numel

namespace fake {

// ------------------------------------------------------------- softmax ----

// _softmax / _log_softmax: contiguous, float32 when half_to_float.
template <fixed_string Op, class Dims>
constexpr basic_out_meta<Dims> softmax_meta(const basic_tensor_meta<Dims>& in, std::int64_t dim, bool half_to_float) {
  const std::int64_t d = wrap_dim<Op>(dim, in.dim());
  const std::int64_t n = in.dim() > 0 ? in.dim() : 1;
  expect<index_error, Op, "dim must be non-negative and less than input dimensions">(d >= 0 && d < n);
  return detail::make_out(in.sizes, memory_format::contiguous_format, half_to_float ? dtype::float32 : in.dtype, in.device);
}

inline tensor_desc softmax_impl(const tensor_desc& self, std::int64_t dim, bool half_to_float) {
  return allocate(softmax_meta<"_softmax">(meta_of(self), dim, half_to_float));
}
inline tensor_desc log_softmax_impl(const tensor_desc& self, std::int64_t dim, bool half_to_float) {
  return allocate(softmax_meta<"_log_softmax">(meta_of(self), dim, half_to_float));
}
// softmax.int / log_softmax.int: the input converted to `dtype` first.
inline tensor_desc softmax(const tensor_desc& self, std::int64_t dim, std::optional<dtype> dt = std::nullopt) {
  tensor_meta m = meta_of(self);
  if (dt) m.dtype = *dt;
  return allocate(softmax_meta<"softmax">(m, dim, false));
}
inline tensor_desc log_softmax(const tensor_desc& self, std::int64_t dim, std::optional<dtype> dt = std::nullopt) {
  tensor_meta m = meta_of(self);
  if (dt) m.dtype = *dt;
  return allocate(softmax_meta<"log_softmax">(m, dim, false));
}

// ---------------------------------------------------------- layer_norm ----

namespace detail {
// A shape with any leading dims, as layer_norm's message prints it: [*, 768].
struct any_leading_dims {
  dim_vector trailing;
};
inline std::string to_string(const any_leading_dims& s) {
  std::string out = "[*";
  for (std::int64_t d : s.trailing) out += ", " + std::to_string(d);
  return out + "]";
}
}  // namespace detail

constexpr dtype stats_dtype(dtype d) { return d == dtype::float16 || d == dtype::bfloat16 ? dtype::float32 : d; }

// native_layer_norm: (out, mean, rstd). `weight`/`bias`: sizes or null. The
// input may be symbolic (Dims = sym_dims); the normalized shape is concrete.
template <class Dims>
constexpr std::tuple<basic_out_meta<Dims>, basic_out_meta<Dims>, basic_out_meta<Dims>> native_layer_norm_meta(
    const basic_tensor_meta<Dims>& in, const dim_vector& normalized_shape, const dim_vector* weight, const dim_vector* bias) {
  const std::int64_t nd = static_cast<std::int64_t>(normalized_shape.size());
  expect<shape_error, "native_layer_norm",
         "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got "
         "normalized_shape = {}">(nd >= 1, normalized_shape);
  if (weight != nullptr)
    expect<shape_error, "native_layer_norm",
           "Expected weight to be of same shape as normalized_shape, but got weight of shape {} and normalized_shape = {}">(
        *weight == normalized_shape, *weight, normalized_shape);
  if (bias != nullptr)
    expect<shape_error, "native_layer_norm",
           "Expected bias to be of same shape as normalized_shape, but got bias of shape {} and normalized_shape = {}">(
        *bias == normalized_shape, *bias, normalized_shape);
  const std::int64_t n = in.dim();
  bool ok = n >= nd;
  for (std::int64_t i = 0; ok && i < nd; ++i)
    if (in.sizes[static_cast<std::size_t>(n - nd + i)] != normalized_shape[static_cast<std::size_t>(i)]) ok = false;
  if (!ok)
    fail<shape_error, "native_layer_norm", "Given normalized_shape={}, expected input with shape {}, but got input of size{}">(
        normalized_shape, detail::any_leading_dims{normalized_shape}, in.sizes);
  Dims stat = in.sizes;
  for (std::int64_t i = n - nd; i < n; ++i) stat[static_cast<std::size_t>(i)] = 1;
  const dtype sd = stats_dtype(in.dtype);
  return {detail::make_out(in.sizes, memory_format::contiguous_format, in.dtype, in.device),
          detail::make_out(stat, memory_format::contiguous_format, sd, in.device),
          detail::make_out(stat, memory_format::contiguous_format, sd, in.device)};
}

inline std::tuple<tensor_desc, tensor_desc, tensor_desc> native_layer_norm(const tensor_desc& input, const dim_vector& normalized_shape,
                                                                           const std::optional<tensor_desc>& weight,
                                                                           const std::optional<tensor_desc>& bias, double eps = 1e-5) {
  static_cast<void>(eps);
  const tensor_desc* w = weight && weight->is_defined() ? &*weight : nullptr;
  const tensor_desc* b = bias && bias->is_defined() ? &*bias : nullptr;
  const device dev = common_device<"native_layer_norm">({&input, w, b});
  auto [o, m, r] = native_layer_norm_meta(meta_of(input), normalized_shape, w ? &w->sizes() : nullptr, b ? &b->sizes() : nullptr);
  o.device = m.device = r.device = dev;
  return {allocate(o), allocate(m), allocate(r)};
}
inline tensor_desc layer_norm(const tensor_desc& input, const dim_vector& normalized_shape,
                              const std::optional<tensor_desc>& weight = std::nullopt,
                              const std::optional<tensor_desc>& bias = std::nullopt, double eps = 1e-5) {
  return std::get<0>(native_layer_norm(input, normalized_shape, weight, bias, eps));
}

// ---------------------------------------------------------- group_norm ----

constexpr std::tuple<out_meta, out_meta, out_meta> native_group_norm_meta(const tensor_meta& in, const dim_vector* weight,
                                                                          const dim_vector* bias, std::int64_t N, std::int64_t C,
                                                                          std::int64_t HxW, std::int64_t group) {
  static_cast<void>(HxW);
  expect<value_error, "native_group_norm", "Expected num groups to be greater than 0, got {}">(group > 0, group);
  expect<shape_error, "native_group_norm",
         "Expected number of channels in input to be divisible by num_groups, but got input of shape {} and num_groups={}">(
      C % group == 0, in.sizes, group);
  if (weight != nullptr)
    expect<shape_error, "native_group_norm",
           "Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape {} and "
           "input of shape {}">(weight->size() == 1 && (*weight)[0] == C, *weight, in.sizes);
  if (bias != nullptr)
    expect<shape_error, "native_group_norm",
           "Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape {} and "
           "input of shape {}">(bias->size() == 1 && (*bias)[0] == C, *bias, in.sizes);
  // the cpu kernel wants X dense in its suggested format (the composite
  // group_norm makes it so)
  if (in.device.type == device_type::cpu)
    expect<value_error, "native_group_norm", "Expected X.is_contiguous(memory_format) to be true, but got false.">(
        is_contiguous(in.sizes, in.strides, in.suggested_format()));
  out_meta y = in.device.type == device_type::cpu
                   ? detail::make_out(in.sizes, in.suggested_format(), in.dtype, in.device)
                   : out_meta{in.sizes, like_strides(in.sizes, in.strides, memory_format::preserve_format), in.dtype, in.device};
  const dim_vector stat{N, group};
  return {std::move(y), detail::make_out(stat, memory_format::contiguous_format, in.dtype, in.device),
          detail::make_out(stat, memory_format::contiguous_format, in.dtype, in.device)};
}

inline std::tuple<tensor_desc, tensor_desc, tensor_desc> native_group_norm(const tensor_desc& input,
                                                                           const std::optional<tensor_desc>& weight,
                                                                           const std::optional<tensor_desc>& bias, std::int64_t N,
                                                                           std::int64_t C, std::int64_t HxW, std::int64_t group,
                                                                           double eps = 1e-5) {
  static_cast<void>(eps);
  const tensor_desc* w = weight && weight->is_defined() ? &*weight : nullptr;
  const tensor_desc* b = bias && bias->is_defined() ? &*bias : nullptr;
  const device dev = common_device<"native_group_norm">({&input, w, b});
  auto [y, m, r] = native_group_norm_meta(meta_of(input), w ? &w->sizes() : nullptr, b ? &b->sizes() : nullptr, N, C, HxW, group);
  y.device = m.device = r.device = dev;
  return {allocate(y), allocate(m), allocate(r)};
}

// group_norm (composite): N = size(0), C = size(1), HxW = the rest; the
// input made contiguous in its suggested memory format first.
struct group_norm_dims {
  std::int64_t n, c, hxw;
};
inline group_norm_dims group_norm_dims_of(const tensor_desc& input) {
  expect<shape_error, "group_norm", "Expected at least 2 dimensions for input tensor but received {}">(input.dim() >= 2, input.dim());
  std::int64_t hxw = 1;
  for (std::size_t i = 2; i < input.sizes().size(); ++i) hxw = checked_mul<"group_norm">(hxw, input.sizes()[i]);
  return {input.sizes()[0], input.sizes()[1], hxw};
}
inline tensor_desc group_norm(const tensor_desc& input, std::int64_t num_groups, const std::optional<tensor_desc>& weight = std::nullopt,
                              const std::optional<tensor_desc>& bias = std::nullopt, double eps = 1e-5, bool cudnn_enabled = true) {
  static_cast<void>(cudnn_enabled);
  const group_norm_dims d = group_norm_dims_of(input);
  const tensor_desc x = allocate(detail::make_out(input.sizes(), input.suggest_memory_format(), input.dtype(), input.device()));
  return std::get<0>(native_group_norm(x, weight, bias, d.n, d.c, d.hxw, num_groups, eps));
}

// ---------------------------------------------------------- batch_norm ----

constexpr std::tuple<out_meta, out_meta, out_meta> native_batch_norm_meta(const tensor_meta& in, bool has_running_stats,
                                                                          bool training) {
  expect<value_error, "native_batch_norm", "running_mean and running_var must be defined in evaluation mode">(
      training || has_running_stats);
  const std::int64_t c_dim = wrap_dim<"native_batch_norm">(std::int64_t{1}, in.dim());
  const std::int64_t C = in.sizes[static_cast<std::size_t>(c_dim)];
  if (in.device.type == device_type::cpu) {
    // suggest_memory_format_contig: contiguous wins over channels_last
    const memory_format fmt = is_contiguous(in.sizes, in.strides) ? memory_format::contiguous_format
                              : is_channels_last_contiguous(in.sizes, in.strides) ? memory_format::channels_last
                                                                                  : in.suggested_format();
    // the cpu kernel's saved statistics are empty in evaluation (1.13's meta
    // kernel gives [C]; we follow the kernel that runs)
    const dim_vector stat{training ? C : 0};
    return {detail::make_out(in.sizes, fmt, in.dtype, in.device),
            detail::make_out(stat, memory_format::contiguous_format, in.dtype, in.device),
            detail::make_out(stat, memory_format::contiguous_format, in.dtype, in.device)};
  }
  const dim_vector stat{C};
  const dtype sd = stats_dtype(in.dtype);
  return {out_meta{in.sizes, like_strides(in.sizes, in.strides, memory_format::preserve_format), in.dtype, in.device},
          detail::make_out(stat, memory_format::contiguous_format, sd, in.device),
          detail::make_out(stat, memory_format::contiguous_format, sd, in.device)};
}

inline std::tuple<tensor_desc, tensor_desc, tensor_desc> native_batch_norm(
    const tensor_desc& input, const std::optional<tensor_desc>& weight, const std::optional<tensor_desc>& bias,
    const std::optional<tensor_desc>& running_mean, const std::optional<tensor_desc>& running_var, bool training,
    double momentum = 0.1, double eps = 1e-5) {
  static_cast<void>(momentum);
  static_cast<void>(eps);
  auto def = [](const std::optional<tensor_desc>& t) { return t && t->is_defined() ? &*t : nullptr; };
  const device dev = common_device<"native_batch_norm">({&input, def(weight), def(bias), def(running_mean), def(running_var)});
  auto [y, m, r] = native_batch_norm_meta(meta_of(input), def(running_mean) != nullptr && def(running_var) != nullptr, training);
  y.device = m.device = r.device = dev;
  return {allocate(y), allocate(m), allocate(r)};
}

// batch_norm's check that each per-channel tensor (weight, bias, running_mean,
// running_var: `name`) has C elements.
constexpr void check_batch_norm_feature(std::int64_t c, const dim_vector& sizes, std::string_view name) {
  const std::int64_t n = fake::numel(sizes);
  expect<shape_error, "batch_norm", "{} should contain {} elements not {}">(n == c, name, c, n);
}
inline void check_batch_norm_features(const tensor_desc& input, const std::optional<tensor_desc>& weight,
                                      const std::optional<tensor_desc>& bias, const std::optional<tensor_desc>& running_mean,
                                      const std::optional<tensor_desc>& running_var) {
  const std::int64_t c = input.size(1);
  auto check = [&](const std::optional<tensor_desc>& t, std::string_view name) {
    if (t && t->is_defined()) check_batch_norm_feature(c, t->sizes(), name);
  };
  check(weight, "weight");
  check(bias, "bias");
  check(running_mean, "running_mean");
  check(running_var, "running_var");
}

// batch_norm (composite): checks each per-channel tensor's size, then
// native_batch_norm's output.
inline tensor_desc batch_norm(const tensor_desc& input, const std::optional<tensor_desc>& weight,
                              const std::optional<tensor_desc>& bias, const std::optional<tensor_desc>& running_mean,
                              const std::optional<tensor_desc>& running_var, bool training, double momentum = 0.1,
                              double eps = 1e-5, bool cudnn_enabled = true) {
  static_cast<void>(cudnn_enabled);
  check_batch_norm_features(input, weight, bias, running_mean, running_var);
  return std::get<0>(native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps));
}

// ------------------------------------------------------------- dropout ----

// native_dropout: (output, mask), the mask bool, like the input
// (preserve_format). On cpu in training the output is input * mask, whose
// strides are TensorIterator's (a contiguous input with odd strides on size-1
// dims gives contiguous strides); elsewhere (cuda, evaluation) like the input.
constexpr std::pair<out_meta, out_meta> native_dropout_meta(const tensor_meta& in, bool train = true) {
  dim_vector st = like_strides(in.sizes, in.strides, memory_format::preserve_format);
  out_meta mask{in.sizes, st, dtype::bool_, in.device};
  if (train && in.device.type == device_type::cpu) {
    const std::array<ti_geometry, 2> geo{ti_geometry{&in.sizes, &in.strides}, ti_geometry{&mask.sizes, &mask.strides}};
    dim_vector shape, strides;
    ti_output_geometry<"native_dropout">(geo, shape, strides);
    return {out_meta{std::move(shape), std::move(strides), in.dtype, in.device}, std::move(mask)};
  }
  return {out_meta{in.sizes, std::move(st), in.dtype, in.device}, std::move(mask)};
}
// An empty input on cpu is returned itself (native_dropout_cpu).
inline std::pair<tensor_desc, tensor_desc> native_dropout(const tensor_desc& input, double p, std::optional<bool> train) {
  static_cast<void>(p);
  auto [o, m] = native_dropout_meta(meta_of(input), !train || *train);
  if (input.numel() == 0 && input.device().type == device_type::cpu) return {input, allocate(m)};
  return {allocate(o), allocate(m)};
}
// dropout (composite, 1.13 _dropout_impl): p must be in [0, 1]; evaluation,
// p == 0 or an empty input return the input itself; otherwise a new tensor
// like the input (input * noise, noise = empty_like(input)).
inline tensor_desc dropout(const tensor_desc& input, double p, bool train) {
  expect<value_error, "dropout", "dropout probability has to be between 0 and 1, but got {}">(p >= 0 && p <= 1, std::to_string(p));
  if (p == 0 || !train || input.numel() == 0) return input;
  return allocate(native_dropout_meta(meta_of(input)).first);
}

// ----------------------------------------------------------- embedding ----

// embedding: weight.index_select(0, indices.reshape(-1)).view(indices.sizes + weight.sizes[1:]) —
// contiguous, the weight's dtype.
// The indices may be symbolic (IDims = sym_dims: a batch and sequence of token ids).
template <class WDims, class IDims>
constexpr basic_out_meta<IDims> embedding_meta(const basic_tensor_meta<WDims>& weight, const basic_tensor_meta<IDims>& indices,
                                               device dev) {
  expect<shape_error, "embedding", "'weight' must be 2-D">(weight.dim() == 2);
  if (indices.dtype != dtype::int64 && indices.dtype != dtype::int32) {
    fail<dtype_error, "embedding",
         "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got {}{}Type "
         "instead (while checking arguments for embedding)">(indices.device.type == device_type::cpu ? "CPU" : "CUDA",
                                                             c10_name(indices.dtype));
  }
  IDims out = indices.sizes;
  out.push_back(weight.sizes[1]);
  return detail::make_out(std::move(out), memory_format::contiguous_format, weight.dtype, dev);
}
inline tensor_desc embedding(const tensor_desc& weight, const tensor_desc& indices, std::int64_t padding_idx = -1,
                             bool scale_grad_by_freq = false, bool sparse = false) {
  static_cast<void>(padding_idx);
  static_cast<void>(scale_grad_by_freq);
  static_cast<void>(sparse);
  const device dev = common_device<"embedding">({&weight, &indices});
  return allocate(embedding_meta(meta_of(weight), meta_of(indices), dev));
}

}  // namespace fake
