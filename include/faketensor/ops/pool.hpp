// faketensor/ops/pool.hpp — 2-D pooling and resampling: max_pool2d_with_indices
// (and max_pool2d), avg_pool2d, _adaptive_avg_pool2d (and adaptive_avg_pool2d),
// upsample_nearest2d and upsample_bilinear2d (sizes and .vec overloads).
//
// Output sizes follow ATen's pooling_output_shape (Pool.h):
//   floor_or_ceil((in + 2p - d(k-1) - 1) / s) + 1, and in ceil mode one less
//   when the last window would start in the right padding.
// Checks and messages are ATen 1.13's meta functions' (max_pool2d_with_indices,
// avg_pool2d, upsample_*2d) and the cpu kernel's for _adaptive_avg_pool2d.
// Output layout (Note [nn output layouts]): the input's suggest_memory_format
// for 4-D inputs, contiguous for 3-D ones. _adaptive_avg_pool2d follows the
// real cpu/cuda kernels (suggest_memory_format); 1.13's Python meta function
// returns contiguous for channels_last inputs — noted, not followed.
#pragma once

#include <cmath>     // std::floor
#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <utility>   // std::pair
#include <vector>    // std::vector

#include "faketensor/core/error.hpp"        // fake::shape_error, fake::value_error
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::allocate
#include "faketensor/ops/nn_common.hpp"     // fake::tensor_meta, fake::detail::make_out
#include "faketensor/shape/dim_algorithms.hpp"  // fake::wrap_dim
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/view/ops.hpp"          // fake::as_strided

namespace fake {

// The int-list arguments of a 2-D pooling op as given (one or two values;
// stride may be empty: then it is the kernel size).
struct pool2d_args {
  dim_vector kernel_size;
  dim_vector stride{};
  dim_vector padding{0};
  dim_vector dilation{1};
  bool ceil_mode = false;
};

namespace detail {

template <fixed_string Op>
constexpr std::int64_t pooling_output_shape(std::int64_t in, std::int64_t k, std::int64_t pad, std::int64_t stride,
                                            std::int64_t dilation, bool ceil_mode) {
  expect<value_error, Op, "stride should not be zero">(stride != 0);
  expect<value_error, Op, "pad must be non-negative, but got pad: {}">(pad >= 0, pad);
  expect<value_error, Op, "pad should be at most half of kernel size, but got pad={} and kernel_size={}">(pad <= k / 2, pad, k);
  std::int64_t out = div_rtn(in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

// pool2d_shape_check of ATen 1.13.
template <fixed_string Op>
constexpr void pool2d_shape_check(const tensor_meta& in, std::int64_t kH, std::int64_t kW, std::int64_t dH, std::int64_t dW,
                                  std::int64_t padH, std::int64_t padW, std::int64_t dilH, std::int64_t dilW, std::int64_t planes,
                                  std::int64_t inH, std::int64_t inW, std::int64_t outH, std::int64_t outW, memory_format fmt) {
  const std::int64_t n = in.dim();
  expect<value_error, Op, "kernel size should be greater than zero, but got kH: {} kW: {}">(kW > 0 && kH > 0, kH, kW);
  expect<value_error, Op, "stride should be greater than zero, but got dH: {} dW: {}">(dW > 0 && dH > 0, dH, dW);
  expect<value_error, Op, "dilation should be greater than zero, but got dilationH: {} dilationW: {}">(dilH > 0 && dilW > 0, dilH,
                                                                                                       dilW);
  const bool valid = in.sizes[1] != 0 && in.sizes[2] != 0;
  if (fmt == memory_format::channels_last) {
    expect<shape_error, Op,
           "Expected 4D (batch mode) tensor expected for input with channels_last layout with optional 0 dim batch size for "
           "input, but got: {}">(n == 4 && valid && in.sizes[3] != 0, in.sizes);
  } else {
    expect<shape_error, Op, "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:{}">(
        (n == 3 && in.sizes[0] != 0 && valid) || (n == 4 && valid && in.sizes[3] != 0), in.sizes);
  }
  const std::int64_t ekW = (kW - 1) * dilW + 1, ekH = (kH - 1) * dilH + 1;
  expect<value_error, Op,
         "pad should be smaller than or equal to half of effective kernel size, but got padW = {}, padH = {}, effectiveKW = "
         "{}, effectiveKH = {}">(ekW / 2 >= padW && ekH / 2 >= padH, padW, padH, ekW, ekH);
  expect<shape_error, Op, "Given input size: ({}x{}x{}). Calculated output size: ({}x{}x{}). Output size is too small">(
      outW >= 1 && outH >= 1, planes, inH, inW, planes, outH, outW);
}

constexpr dim_vector pooled_sizes(const tensor_meta& in, std::int64_t outH, std::int64_t outW) {
  if (in.dim() == 3) return dim_vector{in.sizes[0], outH, outW};
  return dim_vector{in.sizes[0], in.sizes[1], outH, outW};
}

}  // namespace detail

// max_pool2d_with_indices: (output, indices), indices int64; both in the
// input's suggested memory format.
constexpr std::pair<out_meta, out_meta> max_pool2d_with_indices_meta(const tensor_meta& in, const pool2d_args& a) {
  const dim_vector& ks = a.kernel_size;
  expect<value_error, "max_pool2d", "max_pool2d: kernel_size must either be a single int, or a tuple of two ints">(
      ks.size() == 1 || ks.size() == 2);
  const std::int64_t kH = ks[0], kW = ks.size() == 1 ? kH : ks[1];
  expect<value_error, "max_pool2d", "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints">(
      a.stride.size() <= 2);
  const std::int64_t dH = a.stride.empty() ? kH : a.stride[0];
  const std::int64_t dW = a.stride.empty() ? kW : a.stride.size() == 1 ? dH : a.stride[1];
  expect<value_error, "max_pool2d", "max_pool2d: padding must be either be a single int, or a tuple of two ints">(
      a.padding.size() == 1 || a.padding.size() == 2);
  const std::int64_t padH = a.padding[0], padW = a.padding.size() == 1 ? padH : a.padding[1];
  expect<value_error, "max_pool2d", "max_pool2d: dilation must be either a single int, or a tuple of two ints">(
      a.dilation.size() == 1 || a.dilation.size() == 2);
  const std::int64_t dilH = a.dilation[0], dilW = a.dilation.size() == 1 ? dilH : a.dilation[1];
  const memory_format fmt = in.suggested_format();
  if (fmt == memory_format::channels_last) {
    expect<shape_error, "max_pool2d", "non-empty 4D (batch mode) tensor expected for input with channels_last layout">(in.dim() == 4);
  } else {
    expect<shape_error, "max_pool2d", "Unsupport memory format. Supports only ChannelsLast, Contiguous">(
        fmt == memory_format::contiguous_format);
    expect<shape_error, "max_pool2d", "non-empty 3D or 4D (batch mode) tensor expected for input">(in.dim() == 3 || in.dim() == 4);
  }
  const std::int64_t planes = in.size(-3), inH = in.size(-2), inW = in.size(-1);
  const std::int64_t outH = detail::pooling_output_shape<"max_pool2d">(inH, kH, padH, dH, dilH, a.ceil_mode);
  const std::int64_t outW = detail::pooling_output_shape<"max_pool2d">(inW, kW, padW, dW, dilW, a.ceil_mode);
  detail::pool2d_shape_check<"max_pool2d">(in, kH, kW, dH, dW, padH, padW, dilH, dilW, planes, inH, inW, outH, outW, fmt);
  out_meta out = detail::make_out(detail::pooled_sizes(in, outH, outW), fmt, in.dtype, in.device);
  out_meta idx{out.sizes, out.strides, dtype::int64, in.device};
  return {std::move(out), std::move(idx)};
}

constexpr out_meta avg_pool2d_meta(const tensor_meta& in, const pool2d_args& a, bool count_include_pad = true,
                                   std::optional<std::int64_t> divisor_override = std::nullopt) {
  static_cast<void>(count_include_pad);  // changes values, not metadata
  const dim_vector& ks = a.kernel_size;
  expect<value_error, "avg_pool2d", "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints">(
      ks.size() == 1 || ks.size() == 2);
  const std::int64_t kH = ks[0], kW = ks.size() == 1 ? kH : ks[1];
  expect<value_error, "avg_pool2d", "avg_pool2d: stride must either be omitted, a single int, or a tuple of two ints">(
      a.stride.size() <= 2);
  const std::int64_t dH = a.stride.empty() ? kH : a.stride[0];
  const std::int64_t dW = a.stride.empty() ? kW : a.stride.size() == 1 ? dH : a.stride[1];
  expect<value_error, "avg_pool2d", "avg_pool2d: padding must either be a single int, or a tuple of two ints">(
      a.padding.size() == 1 || a.padding.size() == 2);
  const std::int64_t padH = a.padding[0], padW = a.padding.size() == 1 ? padH : a.padding[1];
  expect<value_error, "avg_pool2d", "divisor must be not zero">(!divisor_override || *divisor_override != 0);
  const std::int64_t n = in.dim();
  wrap_dim<"avg_pool2d">(std::int64_t{-3}, n);
  const std::int64_t planes = in.size(-3), inH = in.size(-2), inW = in.size(-1);
  const std::int64_t outH = detail::pooling_output_shape<"avg_pool2d">(inH, kH, padH, dH, 1, a.ceil_mode);
  const std::int64_t outW = detail::pooling_output_shape<"avg_pool2d">(inW, kW, padW, dW, 1, a.ceil_mode);
  const memory_format fmt = in.suggested_format();
  detail::pool2d_shape_check<"avg_pool2d">(in, kH, kW, dH, dW, padH, padW, 1, 1, planes, inH, inW, outH, outW, fmt);
  return detail::make_out(detail::pooled_sizes(in, outH, outW), n == 3 ? memory_format::contiguous_format : fmt, in.dtype,
                          in.device);
}

// ATen's adaptive_avg_pool2d (composite) takes a mean over the last two dims
// (keepdim) for a 1x1 output of an input not in channels_last, else
// _adaptive_avg_pool2d.
constexpr bool adaptive_avg_pool2d_is_mean(const dim_vector& sizes, const dim_vector& strides, const dim_vector& output_size) {
  return output_size.size() == 2 && output_size[0] == 1 && output_size[1] == 1 &&
         suggest_memory_format(sizes, strides) != memory_format::channels_last;
}

constexpr out_meta adaptive_avg_pool2d_meta(const tensor_meta& in, const dim_vector& output_size) {
  expect<value_error, "adaptive_avg_pool2d", "adaptive_avg_pool2d: output_size must be 2">(output_size.size() == 2);
  const std::int64_t n = in.dim();
  expect<shape_error, "adaptive_avg_pool2d", "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {}">(n == 3 || n == 4,
                                                                                                           in.sizes);
  for (std::int64_t i : {-2, -1})
    expect<shape_error, "adaptive_avg_pool2d",
           "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes {} "
           "with dimension {} being empty">(in.size(i) > 0, in.sizes, i + n);
  dim_vector out = detail::pooled_sizes(in, output_size[0], output_size[1]);
  expect<shape_error, "adaptive_avg_pool2d", "Trying to create tensor with negative dimension {}: {}">(
      output_size[0] >= 0 && output_size[1] >= 0, output_size[0] < 0 ? output_size[0] : output_size[1], out);
  return detail::make_out(std::move(out), n == 3 ? memory_format::contiguous_format : in.suggested_format(), in.dtype, in.device);
}

// ------------------------------------------------------------ upsample ----

namespace detail {

template <fixed_string Op>
constexpr dim_vector upsample_2d_common_check(const dim_vector& in, const dim_vector& output_size) {
  expect<value_error, Op, "It is expected output_size equals to 2, but got size {}">(output_size.size() == 2, output_size.size());
  expect<shape_error, Op, "It is expected input_size equals to 4, but got size {}">(in.size() == 4, in.size());
  const std::int64_t ih = in[2], iw = in[3], oh = output_size[0], ow = output_size[1];
  expect<shape_error, Op,
         "Input and output sizes should be greater than 0, but got input (H: {}, W: {}) output (H: {}, W: {})">(
      ih > 0 && iw > 0 && oh > 0 && ow > 0, ih, iw, oh, ow);
  return dim_vector{in[0], in[1], oh, ow};
}

template <fixed_string Op>
constexpr out_meta upsample2d_meta(const tensor_meta& in, const dim_vector& output_size) {
  dim_vector out = upsample_2d_common_check<Op>(in.sizes, output_size);
  expect<shape_error, Op, "Non-empty 4D data tensor expected but got a tensor with sizes {}">(in.sizes[1] != 0, in.sizes);
  return make_out(std::move(out), in.suggested_format(), in.dtype, in.device);
}

// The .vec overloads: exactly one of output_size and scale_factors; a scale
// gives floor(in * scale) (ATen's compute_output_size).
template <fixed_string Op>
inline dim_vector upsample_output_size(const dim_vector& in, const std::optional<dim_vector>& output_size,
                                       const std::optional<std::vector<double>>& scale_factors) {
  const std::int64_t spatial = static_cast<std::int64_t>(in.size()) - 2;
  expect<value_error, Op, "Must specify exactly one of output_size and scale_factors">(output_size.has_value() !=
                                                                                       scale_factors.has_value());
  if (output_size) {
    expect<value_error, Op, "Expected static_cast<int64_t>(output_size->size()) == spatial_dimensions to be true, but got false.">(
        static_cast<std::int64_t>(output_size->size()) == spatial);
    return *output_size;
  }
  expect<value_error, Op, "Expected static_cast<int64_t>(scale_factors->size()) == spatial_dimensions to be true, but got false.">(
      static_cast<std::int64_t>(scale_factors->size()) == spatial);
  dim_vector out;
  for (std::int64_t i = 0; i < spatial; ++i)
    out.push_back(static_cast<std::int64_t>(static_cast<double>(in[static_cast<std::size_t>(i + 2)]) *
                                            (*scale_factors)[static_cast<std::size_t>(i)]));
  return out;
}

}  // namespace detail

constexpr out_meta upsample_nearest2d_meta(const tensor_meta& in, const dim_vector& output_size) {
  return detail::upsample2d_meta<"upsample_nearest2d">(in, output_size);
}
constexpr out_meta upsample_bilinear2d_meta(const tensor_meta& in, const dim_vector& output_size) {
  return detail::upsample2d_meta<"upsample_bilinear2d">(in, output_size);
}

// ----------------------------------------------------- tensor_desc API ----

inline std::pair<tensor_desc, tensor_desc> max_pool2d_with_indices(const tensor_desc& self, const pool2d_args& a) {
  auto [out, idx] = max_pool2d_with_indices_meta(meta_of(self), a);
  return {allocate(out), allocate(idx)};
}
inline std::pair<tensor_desc, tensor_desc> max_pool2d_with_indices(const tensor_desc& self, const dim_vector& kernel_size,
                                                                   const dim_vector& stride = {}, const dim_vector& padding = {0},
                                                                   const dim_vector& dilation = {1}, bool ceil_mode = false) {
  return max_pool2d_with_indices(self, pool2d_args{kernel_size, stride, padding, dilation, ceil_mode});
}
// max_pool2d (composite): the values of max_pool2d_with_indices.
inline tensor_desc max_pool2d(const tensor_desc& self, const dim_vector& kernel_size, const dim_vector& stride = {},
                              const dim_vector& padding = {0}, const dim_vector& dilation = {1}, bool ceil_mode = false) {
  return allocate(max_pool2d_with_indices_meta(meta_of(self), pool2d_args{kernel_size, stride, padding, dilation, ceil_mode}).first);
}

inline tensor_desc avg_pool2d(const tensor_desc& self, const dim_vector& kernel_size, const dim_vector& stride = {},
                              const dim_vector& padding = {0}, bool ceil_mode = false, bool count_include_pad = true,
                              std::optional<std::int64_t> divisor_override = std::nullopt) {
  return allocate(avg_pool2d_meta(meta_of(self), pool2d_args{kernel_size, stride, padding, {1}, ceil_mode}, count_include_pad,
                                  divisor_override));
}

inline tensor_desc adaptive_avg_pool2d_impl(const tensor_desc& self, const dim_vector& output_size) {
  return allocate(adaptive_avg_pool2d_meta(meta_of(self), output_size));
}

// adaptive_avg_pool2d (composite, 1.13): an output of 1x1 is mean over (H, W)
// with keepdim — a contiguous reduction result, restrided to channels_last
// strides {C, 1, C, C} for a channels_last input; else _adaptive_avg_pool2d.
inline tensor_desc adaptive_avg_pool2d(const tensor_desc& self, const dim_vector& output_size) {
  expect<value_error, "adaptive_avg_pool2d", "adaptive_avg_pool2d: output_size must be 2">(output_size.size() == 2);
  expect<value_error, "adaptive_avg_pool2d",
         "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {{}, {}}">(
      output_size[0] >= 0 && output_size[1] >= 0, output_size[0], output_size[1]);
  if (output_size[0] == 1 && output_size[1] == 1) {
    const std::int64_t n = self.dim();
    (void)wrap_dim<"adaptive_avg_pool2d">(std::int64_t{-2}, n);  // mean over (-2, -1) needs 2 dims (a "mean" literal here trips nvcc 13)
    expect<dtype_error, "mean",
           "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {}">(
        is_floating_point(self.dtype()) || is_complex(self.dtype()), c10_name(self.dtype()));
    dim_vector sizes = self.sizes();
    sizes[static_cast<std::size_t>(n - 1)] = 1;
    sizes[static_cast<std::size_t>(n - 2)] = 1;
    if (self.suggest_memory_format() == memory_format::channels_last) {
      const std::int64_t c = self.sizes()[1];
      return allocate(out_meta{sizes, dim_vector{c, 1, c, c}, self.dtype(), self.device()});
    }
    return allocate(detail::make_out(std::move(sizes), memory_format::contiguous_format, self.dtype(), self.device()));
  }
  return adaptive_avg_pool2d_impl(self, output_size);
}

inline tensor_desc upsample_nearest2d(const tensor_desc& self, const dim_vector& output_size) {
  return allocate(upsample_nearest2d_meta(meta_of(self), output_size));
}
inline tensor_desc upsample_nearest2d(const tensor_desc& self, const std::optional<dim_vector>& output_size,
                                      const std::optional<std::vector<double>>& scale_factors) {
  return upsample_nearest2d(self, detail::upsample_output_size<"upsample_nearest2d">(self.sizes(), output_size, scale_factors));
}
inline tensor_desc upsample_bilinear2d(const tensor_desc& self, const dim_vector& output_size, bool align_corners = false) {
  static_cast<void>(align_corners);  // changes values, not metadata
  return allocate(upsample_bilinear2d_meta(meta_of(self), output_size));
}
inline tensor_desc upsample_bilinear2d(const tensor_desc& self, const std::optional<dim_vector>& output_size, bool align_corners,
                                       const std::optional<std::vector<double>>& scale_factors) {
  return upsample_bilinear2d(self, detail::upsample_output_size<"upsample_bilinear2d">(self.sizes(), output_size, scale_factors),
                             align_corners);
}

}  // namespace fake
