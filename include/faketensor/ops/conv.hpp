// faketensor/ops/conv.hpp — aten::convolution (1-D/2-D/3-D, transposed,
// grouped, dilated) and its composites conv1d/2d/3d (int and 'same'/'valid'
// padding) and conv_transpose1d/2d/3d.
//
// The checks are at::_convolution's (ATen 1.13 Convolution.cpp:
// expand_param_if_needed, check_shape_forward, the backends' type check and
// output-size checks) with their messages; the output size is
//   (in + 2p - d(k-1) - 1) / s + 1                 (convolution)
//   (in - 1)s - 2p + d(k-1) + output_padding + 1    (transposed)
//
// Note [convolution memory format]
// The output is contiguous or channels_last, chosen like 1.13 does:
//  * only a 2-D convolution (4-D weight) can give channels_last; 1-D and 3-D
//    give contiguous (1.13's meta_conv: prims' suggest_memory_format says
//    channels_last_3d, not channels_last, for 5-D; the cpu build has no
//    channels_last_3d backend);
//  * cuda (and every non-cpu device): channels_last when the input or the
//    weight suggests it (cudnn_conv_suggest_memory_format; 1.13's meta_conv
//    for a cuda fake tensor, which the xref corpus encodes — it keeps float64);
//  * cpu, not transposed: channels_last when the input or the weight suggests
//    it (mkldnn_conv_use_channels_last / thnn_conv_use_channels_last: the real
//    cpu kernels; 1.13's meta_conv looks at the input only, but the xref corpus
//    keeps only cases where fake and real agree, and the real kernels are the
//    oracle here);
//  * cpu, transposed: contiguous (slow_conv_transpose2d allocates contiguous)
//    except bfloat16, which 1.13 runs on mkldnn: the 2-D rule.
//  * the slow cpu kernels (float64, float16) run groups one by one and cat the
//    outputs: channels_last survives only when one group's output suggests it;
//  * 1-D runs as 2-D on input.contiguous().unsqueeze(2), weight.unsqueeze(2):
//    a weight whose unsqueezed strides look channels_last gives the squeezed
//    channels_last strides (N: C*L, C: 1, L: C).
#pragma once

#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_convertible_v

#include "faketensor/core/error.hpp"        // fake::shape_error, fake::value_error, fake::dtype_error
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::allocate, fake::common_device
#include "faketensor/ops/nn_common.hpp"     // fake::tensor_meta, fake::detail::make_out
#include "faketensor/ops/pad.hpp"           // fake::constant_pad_nd
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/view/ops.hpp"          // fake::unsqueeze, fake::squeeze

namespace fake {

// The int-list arguments of aten::convolution, each one value or one per
// spatial dim.
struct conv_args {
  dim_vector stride{1};
  dim_vector padding{0};
  dim_vector dilation{1};
  bool transposed = false;
  dim_vector output_padding{0};
  std::int64_t groups = 1;
};

namespace detail {

// expand_param_if_needed: one value or one per spatial dim. A view, not a
// copy: at(i) reads the single value or the i-th.
struct conv_param {
  const dim_vector& v;
  [[nodiscard]] constexpr std::int64_t operator[](std::size_t i) const noexcept { return v.size() == 1 ? v[0] : v[i]; }
};
template <fixed_string Name>
constexpr conv_param expand_conv_param(const dim_vector& v, std::int64_t dim) {
  expect<value_error, "convolution",
         fs_cat<"expected ", Name, " to be a single integer value or a list of {} values to match the convolution dimensions, but got ", Name, "={}">()>(
      static_cast<std::int64_t>(v.size()) == dim || v.size() == 1, dim, v);
  return conv_param{v};
}
constexpr dim_vector materialize(const conv_param& p, std::int64_t dim) {
  dim_vector out(static_cast<std::size_t>(dim), default_init);
  for (std::size_t i = 0; i < static_cast<std::size_t>(dim); ++i) out[i] = p[i];
  return out;
}

// "(7 x 7)" as check_shape_forward prints per-channel sizes.
constexpr std::string_view x_sep = " x ";

inline std::string x_join(const dim_vector& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += x_sep;
    out += std::to_string(v[i]);
  }
  return out;
}

[[noreturn, gnu::cold]] inline void conv_kernel_too_big(const dim_vector& padded, const dim_vector& kernel) {
  throw shape_error("convolution: Calculated padded input size per channel: (" + x_join(padded) + "). Kernel size: (" +
                    x_join(kernel) + "). Kernel size can't be greater than actual input size");
}
[[noreturn, gnu::cold]] inline void conv_output_too_small(const dim_vector& in, const dim_vector& out) {
  throw shape_error("convolution: Given input size per channel: (" + x_join(in) + "). Calculated output size per channel: (" +
                    x_join(out) + "). Output size is too small");
}
[[noreturn, gnu::cold]] inline void conv_output_padding_too_big(const dim_vector& op, const dim_vector& st,
                                                               const dim_vector& dil) {
  static constexpr std::string_view names3[] = {"depth", "height", "width"};
  const std::size_t n = op.size();
  std::string msg = "convolution: output padding must be smaller than either stride or dilation, but got";
  auto part = [&](std::string_view what, const dim_vector& v) {
    for (std::size_t i = 0; i < n; ++i) {
      msg += ' ';
      msg += what;
      msg += '_';
      msg += n <= 3 ? names3[3 - n + i] : std::string_view("dim");
      msg += ": ";
      msg += std::to_string(v[i]);
    }
  };
  part("output_padding", op);
  part("stride", st);
  part("dilation", dil);
  throw shape_error(msg);
}
[[noreturn, gnu::cold]] inline void conv_type_mismatch(std::string_view what, dtype a, device da, dtype b, device db) {
  throw dtype_error("convolution: Input type (" + type_string(a, da) + ") and " + std::string(what) + " type (" +
                    type_string(b, db) + ") should be the same");
}

// Note [convolution memory format]. `in2`/`w2` are the 2-D views (a 1-D
// convolution runs as 2-D on input.contiguous().unsqueeze(2) and
// weight.unsqueeze(2)); `out2` the 2-D output sizes.
constexpr bool conv_output_channels_last(const tensor_meta& in2, const tensor_meta& w2, bool transposed, std::int64_t groups,
                                         const dim_vector& out2) {
  if (w2.dim() != 4) return false;
  const bool suggests = in2.suggested_format() == memory_format::channels_last ||
                        w2.suggested_format() == memory_format::channels_last;
  if (!suggests) return false;
  if (in2.device.type != device_type::cpu) return true;
  if (transposed) return in2.dtype == dtype::bfloat16;
  // The slow cpu kernels (all but float32/bfloat16, which mkldnn runs with
  // groups) convolve group by group and cat the results: cat keeps
  // channels_last only when a group's channels_last output suggests it.
  if (groups > 1 && in2.dtype != dtype::float32 && in2.dtype != dtype::bfloat16) {
    dim_vector g = out2;
    g[1] /= groups;
    const dim_vector gs = dim_vector(channels_last_strides(g));
    return suggest_memory_format(g, gs) == memory_format::channels_last;
  }
  return true;
}

}  // namespace detail

// The meta kernel of aten::convolution. `bias_sizes` is null for no bias.
// The output's device is `device` (the caller's common device).
constexpr out_meta convolution_meta(const tensor_meta& input, const tensor_meta& weight, const dim_vector* bias_sizes,
                                    std::optional<dtype> bias_dtype, const conv_args& a, device dev) {
  const std::int64_t k = weight.dim();
  expect<shape_error, "convolution", "weight should have at least three dimensions">(k >= 3);
  expect<value_error, "convolution", "non-positive groups is not supported">(a.groups > 0);
  const std::int64_t dim = k - 2;
  const detail::conv_param stride = detail::expand_conv_param<"stride">(a.stride, dim);
  const detail::conv_param padding = detail::expand_conv_param<"padding">(a.padding, dim);
  const detail::conv_param dilation = detail::expand_conv_param<"dilation">(a.dilation, dim);
  const detail::conv_param output_padding = detail::expand_conv_param<"output_padding">(a.output_padding, dim);
  for (std::int64_t i = 0; i < dim; ++i) {
    const auto u = static_cast<std::size_t>(i);
    expect<value_error, "convolution", "negative padding is not supported">(padding[u] >= 0);
    expect<value_error, "convolution", "negative output_padding is not supported">(output_padding[u] >= 0);
    expect<value_error, "convolution", "non-positive stride is not supported">(stride[u] > 0);
    expect<value_error, "convolution", "non-positive dilation is not supported">(dilation[u] > 0);
  }
  const dim_vector& ws = weight.sizes;
  const std::int64_t groups = a.groups;
  expect<shape_error, "convolution", "Expected {}-dimensional input for {}-dimensional weight {}, but got {}-dimensional input of size {} instead">(
      input.dim() == k, k, k, ws, input.dim(), input.sizes);
  expect<shape_error, "convolution", "Given groups={}, expected weight to be at least {} at dimension 0, but got weight of size {} instead">(
      ws[0] >= groups, groups, groups, ws);
  expect<shape_error, "convolution", "Given groups={}, expected weight to be divisible by {} at dimension 0, but got weight of size [{}] instead">(
      ws[0] % groups == 0, groups, groups, ws);
  dim_vector out(static_cast<std::size_t>(k), default_init);
  out[0] = input.sizes[0];
  if (!a.transposed) {
    expect<shape_error, "convolution", "Given groups={}, weight of size {}, expected input{} to have {} channels, but got {} channels instead">(
        input.sizes[1] == ws[1] * groups, groups, ws, input.sizes, ws[1] * groups, input.sizes[1]);
    if (bias_sizes != nullptr)
      expect<shape_error, "convolution", "Given weight of size {}, expected bias to be 1-dimensional with {} elements, but got bias of size {} instead">(
          bias_sizes->size() == 1 && (*bias_sizes)[0] == ws[0], ws, ws[0], *bias_sizes);
    bool fits = true;
    for (std::int64_t i = 0; i < dim; ++i) {
      const auto u = static_cast<std::size_t>(i);
      if (input.sizes[u + 2] + 2 * padding[u] < dilation[u] * (ws[u + 2] - 1) + 1) fits = false;
    }
    if (!fits) {
      dim_vector padded(static_cast<std::size_t>(dim), default_init), kernel(static_cast<std::size_t>(dim), default_init);
      for (std::size_t u = 0; u < static_cast<std::size_t>(dim); ++u) {
        padded[u] = input.sizes[u + 2] + 2 * padding[u];
        kernel[u] = dilation[u] * (ws[u + 2] - 1) + 1;
      }
      detail::conv_kernel_too_big(padded, kernel);
    }
    out[1] = ws[0];
    for (std::size_t u = 0; u < static_cast<std::size_t>(dim); ++u)
      out[u + 2] = (input.sizes[u + 2] + 2 * padding[u] - dilation[u] * (ws[u + 2] - 1) - 1) / stride[u] + 1;
  } else {
    expect<shape_error, "convolution", "Given transposed={}, weight of size {}, expected input{} to have {} channels, but got {} channels instead">(
        input.sizes[1] == ws[0], 1, ws, input.sizes, ws[0], input.sizes[1]);
    if (bias_sizes != nullptr)
      expect<shape_error, "convolution", "Given transposed={}, weight of size {}, expected bias to be 1-dimensional with {} elements, but got bias of size {} instead">(
          bias_sizes->size() == 1 && (*bias_sizes)[0] == ws[1] * groups, 1, ws, ws[1] * groups, *bias_sizes);
    bool small_op = true, positive = true;
    out[1] = ws[1] * groups;
    for (std::size_t u = 0; u < static_cast<std::size_t>(dim); ++u) {
      if (output_padding[u] >= stride[u] && output_padding[u] >= dilation[u]) small_op = false;
      out[u + 2] = (input.sizes[u + 2] - 1) * stride[u] - 2 * padding[u] + dilation[u] * (ws[u + 2] - 1) + output_padding[u] + 1;
      if (out[u + 2] < 1) positive = false;
    }
    if (!small_op)
      detail::conv_output_padding_too_big(detail::materialize(output_padding, dim), detail::materialize(stride, dim),
                                          detail::materialize(dilation, dim));
    if (!positive) {
      dim_vector in_sp(input.sizes.begin() + 2, input.sizes.end()), out_sp(out.begin() + 2, out.end());
      detail::conv_output_too_small(in_sp, out_sp);
    }
  }
  if (input.dtype != weight.dtype) detail::conv_type_mismatch("weight", input.dtype, input.device, weight.dtype, weight.device);
  if (bias_dtype && *bias_dtype != input.dtype) detail::conv_type_mismatch("bias", input.dtype, input.device, *bias_dtype, dev);
  if (k != 3) {
    const bool cl = detail::conv_output_channels_last(input, weight, a.transposed, groups, out);
    return detail::make_out(std::move(out), cl ? memory_format::channels_last : memory_format::contiguous_format, input.dtype, dev);
  }
  // 1-D: view1d_as_2d — the output is the 2-D result squeezed at dim 2.
  const dim_vector in2{input.sizes[0], input.sizes[1], 1, input.sizes[2]};
  const dim_vector in2_strides = detail::contiguous_of(in2);
  const dim_vector w2{ws[0], ws[1], 1, ws[2]};
  const dim_vector w2_strides{weight.strides[0], weight.strides[1], ws[2] * weight.strides[2], weight.strides[2]};
  const dim_vector out2{out[0], out[1], 1, out[2]};
  const bool cl = detail::conv_output_channels_last(tensor_meta{in2, in2_strides, input.dtype, input.device},
                                                    tensor_meta{w2, w2_strides, weight.dtype, weight.device}, a.transposed, groups, out2);
  if (!cl) return detail::make_out(std::move(out), memory_format::contiguous_format, input.dtype, dev);
  const dim_vector st2 = dim_vector(channels_last_strides(out2));
  return out_meta{std::move(out), dim_vector{st2[0], st2[1], st2[3]}, input.dtype, dev};
}

// ----------------------------------------------------- tensor_desc API ----

inline tensor_desc convolution(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                               const conv_args& a) {
  const tensor_desc* b = bias && bias->is_defined() ? &*bias : nullptr;
  const device dev = common_device<"convolution">({&input, &weight, b});
  return allocate(convolution_meta(meta_of(input), meta_of(weight), b ? &b->sizes() : nullptr,
                                   b ? std::optional<dtype>(b->dtype()) : std::nullopt, a, dev));
}
inline tensor_desc convolution(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                               const dim_vector& stride, const dim_vector& padding, const dim_vector& dilation, bool transposed,
                               const dim_vector& output_padding, std::int64_t groups) {
  return convolution(input, weight, bias, conv_args{stride, padding, dilation, transposed, output_padding, groups});
}

namespace detail {

// ATen's batchify: a (C, *spatial) input runs as a batch of one.
template <fixed_string Op>
inline bool conv_is_batched(const tensor_desc& input, std::int64_t spatial) {
  const std::int64_t n = input.dim();
  expect<shape_error, Op, fs_cat<"Expected {}D (unbatched) or {}D (batched) input to ", Op, ", but got input of size: {}">()>(
      n == spatial + 1 || n == spatial + 2, spatial + 1, spatial + 2, input.sizes());
  return n == spatial + 2;
}

template <fixed_string Op>
inline tensor_desc conv_batched(const tensor_desc& input, std::int64_t spatial, auto&& run) {
  const bool batched = conv_is_batched<Op>(input, spatial);
  if (batched) return run(input);
  return fake::squeeze(run(fake::unsqueeze(input, 0)), 0);
}

template <fixed_string Op>
inline tensor_desc conv_nd(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                           const dim_vector& stride, const dim_vector& padding, const dim_vector& dilation, std::int64_t groups,
                           std::int64_t spatial) {
  return conv_batched<Op>(input, spatial, [&](const tensor_desc& x) {
    return convolution(x, weight, bias, conv_args{stride, padding, dilation, false, dim_vector(static_cast<std::size_t>(spatial), 0), groups});
  });
}

template <fixed_string Op>
inline tensor_desc conv_transpose_nd(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                                     const dim_vector& stride, const dim_vector& padding, const dim_vector& output_padding,
                                     std::int64_t groups, const dim_vector& dilation, std::int64_t spatial) {
  return conv_batched<Op>(input, spatial, [&](const tensor_desc& x) {
    return convolution(x, weight, bias, conv_args{stride, padding, dilation, true, output_padding, groups});
  });
}

}  // namespace detail

// ATen's _convolution_mode: padding "valid" (none) or "same" (output size =
// input size; stride 1 only; where the total padding of a dim is odd, the
// input is first padded by the difference with constant_pad_nd, leaving a
// symmetric padding for the convolution).
struct convolution_mode_plan {
  dim_vector padding;           // the convolution's padding
  dim_vector output_padding;    // zeros, one per spatial dim ({0} for "valid")
  std::optional<dim_vector> pad_nd;  // constant_pad_nd's pad list (last dim first), when asymmetric
};
inline convolution_mode_plan plan_convolution_mode(const tensor_desc& input, const tensor_desc& weight, const dim_vector& stride,
                                                   std::string_view padding, const dim_vector& dilation) {
  if (padding == "valid") return {dim_vector{0}, dim_vector{0}, std::nullopt};
  expect<value_error, "convolution", "Invalid padding string: '{}'">(padding == "same", padding);
  const std::int64_t k = weight.dim();
  expect<shape_error, "convolution", "weight should have at least three dimensions">(k > 2);
  const std::int64_t dim = k - 2;
  expect<shape_error, "convolution", "Expected {}-dimensional input for {}-dimensional weight{}, but got {}-dimensional input of size {} instead">(
      input.dim() == k, k, k, weight.sizes(), input.dim(), input.sizes());
  expect<value_error, "convolution", "stride cannot broadcast to {} dimensions">(
      static_cast<std::int64_t>(stride.size()) == dim || stride.size() == 1, dim);
  expect<value_error, "convolution", "dilation cannot broadcast to {} dimensions">(
      static_cast<std::int64_t>(dilation.size()) == dim || dilation.size() == 1, dim);
  for (std::int64_t s : stride) expect<value_error, "convolution", "padding='same' is not supported for strided convolutions">(s == 1);
  const auto n = static_cast<std::size_t>(dim);
  dim_vector pad_l(n, default_init), pad_r(n, default_init);
  bool symmetric = true;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t d = dilation.size() == 1 ? dilation[0] : dilation[i];
    const std::int64_t total = d * (weight.sizes()[i + 2] - 1);
    pad_l[i] = total / 2;
    pad_r[i] = total - total / 2;
    if (pad_l[i] != pad_r[i]) symmetric = false;
  }
  if (symmetric) return {std::move(pad_l), dim_vector(n, 0), std::nullopt};
  dim_vector pad_nd(2 * n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t delta = pad_r[i] - pad_l[i];
    const std::size_t idx = 2 * (n - 1 - i);
    if (delta > 0) {
      pad_nd[idx + 1] = delta;
    } else {
      pad_nd[idx] = delta;
      pad_l[i] = pad_r[i];
    }
  }
  return {std::move(pad_l), dim_vector(n, 0), std::move(pad_nd)};
}
inline tensor_desc convolution_mode(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                                    const dim_vector& stride, std::string_view padding, const dim_vector& dilation,
                                    std::int64_t groups) {
  const convolution_mode_plan plan = plan_convolution_mode(input, weight, stride, padding, dilation);
  const conv_args args{stride, plan.padding, dilation, false, plan.output_padding, groups};
  return convolution(plan.pad_nd ? constant_pad_nd(input, *plan.pad_nd, 0.0) : input, weight, bias, args);
}

inline tensor_desc conv1d(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias = std::nullopt,
                          const dim_vector& stride = {1}, const dim_vector& padding = {0}, const dim_vector& dilation = {1},
                          std::int64_t groups = 1) {
  return detail::conv_nd<"conv1d">(input, weight, bias, stride, padding, dilation, groups, 1);
}
inline tensor_desc conv2d(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias = std::nullopt,
                          const dim_vector& stride = {1}, const dim_vector& padding = {0}, const dim_vector& dilation = {1},
                          std::int64_t groups = 1) {
  return detail::conv_nd<"conv2d">(input, weight, bias, stride, padding, dilation, groups, 2);
}
inline tensor_desc conv3d(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias = std::nullopt,
                          const dim_vector& stride = {1}, const dim_vector& padding = {0}, const dim_vector& dilation = {1},
                          std::int64_t groups = 1) {
  return detail::conv_nd<"conv3d">(input, weight, bias, stride, padding, dilation, groups, 3);
}

namespace detail {
// A padding string ("same", "valid"); a template so that a braced int list
// ({0}) never picks the string overloads.
template <class P>
concept padding_string = std::is_convertible_v<const P&, std::string_view> && !std::is_convertible_v<const P&, dim_vector>;
}  // namespace detail

// conv{1,2,3}d.padding: padding "same" or "valid".
template <detail::padding_string P>
tensor_desc conv1d(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                   const dim_vector& stride, const P& padding, const dim_vector& dilation = {1}, std::int64_t groups = 1) {
  return detail::conv_batched<"conv1d">(input, 1, [&](const tensor_desc& x) {
    return convolution_mode(x, weight, bias, stride, padding, dilation, groups);
  });
}
template <detail::padding_string P>
tensor_desc conv2d(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                   const dim_vector& stride, const P& padding, const dim_vector& dilation = {1}, std::int64_t groups = 1) {
  return detail::conv_batched<"conv2d">(input, 2, [&](const tensor_desc& x) {
    return convolution_mode(x, weight, bias, stride, padding, dilation, groups);
  });
}
template <detail::padding_string P>
tensor_desc conv3d(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias,
                   const dim_vector& stride, const P& padding, const dim_vector& dilation = {1}, std::int64_t groups = 1) {
  return detail::conv_batched<"conv3d">(input, 3, [&](const tensor_desc& x) {
    return convolution_mode(x, weight, bias, stride, padding, dilation, groups);
  });
}

inline tensor_desc conv_transpose1d(const tensor_desc& input, const tensor_desc& weight,
                                    const std::optional<tensor_desc>& bias = std::nullopt, const dim_vector& stride = {1},
                                    const dim_vector& padding = {0}, const dim_vector& output_padding = {0},
                                    std::int64_t groups = 1, const dim_vector& dilation = {1}) {
  return detail::conv_transpose_nd<"conv_transpose1d">(input, weight, bias, stride, padding, output_padding, groups, dilation, 1);
}
inline tensor_desc conv_transpose2d(const tensor_desc& input, const tensor_desc& weight,
                                    const std::optional<tensor_desc>& bias = std::nullopt, const dim_vector& stride = {1},
                                    const dim_vector& padding = {0}, const dim_vector& output_padding = {0},
                                    std::int64_t groups = 1, const dim_vector& dilation = {1}) {
  return detail::conv_transpose_nd<"conv_transpose2d">(input, weight, bias, stride, padding, output_padding, groups, dilation, 2);
}
inline tensor_desc conv_transpose3d(const tensor_desc& input, const tensor_desc& weight,
                                    const std::optional<tensor_desc>& bias = std::nullopt, const dim_vector& stride = {1},
                                    const dim_vector& padding = {0}, const dim_vector& output_padding = {0},
                                    std::int64_t groups = 1, const dim_vector& dilation = {1}) {
  return detail::conv_transpose_nd<"conv_transpose3d">(input, weight, bias, stride, padding, output_padding, groups, dilation, 3);
}

}  // namespace fake
