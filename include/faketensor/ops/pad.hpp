// faketensor/ops/pad.hpp — padding ops: constant_pad_nd (F.pad's constant
// mode), reflection_pad1d/2d and replication_pad1d/2d.
//
// constant_pad_nd (ATen 1.13 PadNd.cpp) narrows the input for negative pads;
// when no pad is positive the result is a clone of the narrowed view
// (empty_like's preserve_format rule), else a new tensor of the padded sizes in
// the input's suggest_memory_format. The reflection/replication kernels
// allocate contiguous outputs (1.13: channels_last inputs give contiguous
// outputs). Messages are 1.13's, typos included ("2input (W: 5)is too small").
#pragma once

#include <cstdint>  // std::int64_t

#include "faketensor/core/error.hpp"        // fake::shape_error, fake::value_error
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::allocate, fake::like_strides
#include "faketensor/ops/nn_common.hpp"     // fake::tensor_meta, fake::detail::make_out
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/view/ops.hpp"          // fake::narrow

namespace fake {

// ------------------------------------------------------ constant_pad_nd ----

inline tensor_desc constant_pad_nd(const tensor_desc& self, const dim_vector& pad, [[maybe_unused]] double value = 0.0) {
  const std::int64_t n_pad = static_cast<std::int64_t>(pad.size());
  expect<value_error, "constant_pad_nd", "Length of pad must be even but instead it equals {}">(n_pad % 2 == 0, n_pad);
  const std::int64_t l_inp = self.dim(), l_pad = n_pad / 2, l_diff = l_inp - l_pad;
  expect<value_error, "constant_pad_nd",
         "Length of pad should be no more than twice the number of dimensions of the input. Pad length is {}while the "
         "input has {}dimensions.">(l_inp >= l_pad, n_pad, l_inp);
  tensor_desc c_input = self;
  bool all_non_positive = true;
  for (std::int64_t i = l_diff; i < l_inp; ++i) {
    const auto idx = static_cast<std::size_t>(2 * (l_inp - i - 1));
    if (pad[idx] < 0) c_input = fake::narrow(c_input, i, -pad[idx], c_input.size(i) + pad[idx]);
    else if (pad[idx] != 0) all_non_positive = false;
    if (pad[idx + 1] < 0) c_input = fake::narrow(c_input, i, 0, c_input.size(i) + pad[idx + 1]);
    else if (pad[idx + 1] != 0) all_non_positive = false;
  }
  if (all_non_positive) {  // clone of the narrowed view
    const dim_vector st = like_strides(c_input.sizes(), c_input.strides(), memory_format::preserve_format);
    return allocate(out_meta{c_input.sizes(), st, self.dtype(), self.device()});
  }
  dim_vector shape(self.sizes().begin(), self.sizes().begin() + l_diff);
  for (std::int64_t i = 0; i < l_pad; ++i) {
    const auto idx = static_cast<std::size_t>(n_pad - (i + 1) * 2);
    const std::int64_t in = self.sizes()[static_cast<std::size_t>(l_diff + i)];
    const std::int64_t d = in + pad[idx] + pad[idx + 1];
    expect<shape_error, "constant_pad_nd",
           "The input size {}, plus negative padding {} and {} resulted in a negative output size, which is invalid. "
           "Check dimension {} of your input.">(d > 0, in, pad[idx], pad[idx + 1], l_diff + i);
    shape.push_back(d);
  }
  return allocate(detail::make_out(std::move(shape), self.suggest_memory_format(), self.dtype(), self.device()));
}

// ------------------------------------------------ reflection / replication ----

constexpr out_meta reflection_pad1d_meta(const tensor_meta& in, const dim_vector& padding) {
  const std::int64_t n = in.dim();
  expect<shape_error, "reflection_pad1d", "2D or 3D (batch mode) tensor expected for input, but got: {}">(
      (n == 2 && in.sizes[1] != 0) || (n == 3 && in.sizes[1] != 0 && in.sizes[2] != 0), in.sizes);
  expect<value_error, "reflection_pad1d", "padding size is expected to be 2">(padding.size() == 2);
  const std::int64_t dim_w = n == 3 ? 2 : 1;
  const std::int64_t w = in.sizes[static_cast<std::size_t>(dim_w)];
  const std::int64_t pl = padding[0], pr = padding[1], ow = w + pl + pr;
  expect<shape_error, "reflection_pad1d",
         "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ({}, {}) at "
         "dimension {} of input {}">(pl < w && pr < w, pl, pr, dim_w, in.sizes);
  expect<shape_error, "reflection_pad1d", "2input (W: {})is too small. Calculated output W: {}">(ow >= 1, w, ow);
  dim_vector out = in.sizes;
  out[static_cast<std::size_t>(dim_w)] = ow;
  return detail::make_out(std::move(out), memory_format::contiguous_format, in.dtype, in.device);
}

constexpr out_meta replication_pad1d_meta(const tensor_meta& in, const dim_vector& padding) {
  expect<value_error, "replication_pad1d", "padding size is expected to be 2">(padding.size() == 2);
  const std::int64_t n = in.dim();
  expect<shape_error, "replication_pad1d",
         "Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but "
         "got: {}">((n == 2 && in.sizes[0] != 0 && in.sizes[1] != 0) || (n == 3 && in.sizes[1] != 0 && in.sizes[2] != 0),
                    in.sizes);
  const std::int64_t dim_w = n == 3 ? 2 : 1;
  const std::int64_t w = in.sizes[static_cast<std::size_t>(dim_w)];
  const std::int64_t ow = w + padding[0] + padding[1];
  expect<shape_error, "replication_pad1d", "input (W: {}) is too small. Calculated output W: {}">(ow >= 1, w, ow);
  dim_vector out = in.sizes;
  out[static_cast<std::size_t>(dim_w)] = ow;
  return detail::make_out(std::move(out), memory_format::contiguous_format, in.dtype, in.device);
}

namespace detail {

// The 2-D pads read input.size(2) first: a 2-D input is an index error there.
template <fixed_string Op>
constexpr void pad2d_input_check(const tensor_meta& in) {
  const std::int64_t n = in.dim();
  if (n < 3) wrap_dim<Op>(std::int64_t{2}, n);
  bool ok = n == 3 || n == 4;
  for (std::int64_t d = n == 4 ? 1 : 0; ok && d < n; ++d)
    if (in.sizes[static_cast<std::size_t>(d)] == 0) ok = false;
  expect<shape_error, Op,
         "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but "
         "got: {}">(ok, in.sizes);
}

}  // namespace detail

constexpr out_meta reflection_pad2d_meta(const tensor_meta& in, const dim_vector& padding) {
  expect<value_error, "reflection_pad2d", "padding size is expected to be 4">(padding.size() == 4);
  detail::pad2d_input_check<"reflection_pad2d">(in);
  const std::int64_t n = in.dim();
  const std::int64_t dim_h = n == 4 ? 2 : 1, dim_w = dim_h + 1;
  const std::int64_t h = in.sizes[static_cast<std::size_t>(dim_h)], w = in.sizes[static_cast<std::size_t>(dim_w)];
  const std::int64_t pl = padding[0], pr = padding[1], pt = padding[2], pb = padding[3];
  expect<shape_error, "reflection_pad2d",
         "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ({}, {}) at "
         "dimension {} of input {}">(pl < w && pr < w, pl, pr, dim_w, n);
  expect<shape_error, "reflection_pad2d",
         "Argument #6: Padding size should be less than the corresponding input dimension, but got: padding ({}, {}) at "
         "dimension {} of input {}">(pt < h && pb < h, pt, pb, dim_h, n);
  const std::int64_t oh = h + pt + pb, ow = w + pl + pr;
  expect<shape_error, "reflection_pad2d", "input (H: {}, W: {})is too small. Calculated output H: {} W: {}">(
      ow >= 1 || oh >= 1, h, w, oh, ow);
  expect<shape_error, "reflection_pad2d", "Trying to create tensor with negative dimension {}">(oh >= 0 && ow >= 0,
                                                                                                  oh < 0 ? oh : ow);
  dim_vector out = in.sizes;
  out[static_cast<std::size_t>(dim_h)] = oh;
  out[static_cast<std::size_t>(dim_w)] = ow;
  return detail::make_out(std::move(out), memory_format::contiguous_format, in.dtype, in.device);
}

constexpr out_meta replication_pad2d_meta(const tensor_meta& in, const dim_vector& padding) {
  expect<value_error, "replication_pad2d", "padding size is expected to be 4">(padding.size() == 4);
  detail::pad2d_input_check<"replication_pad2d">(in);
  const std::int64_t n = in.dim();
  const std::int64_t dim_h = n == 4 ? 2 : 1, dim_w = dim_h + 1;
  const std::int64_t h = in.sizes[static_cast<std::size_t>(dim_h)], w = in.sizes[static_cast<std::size_t>(dim_w)];
  const std::int64_t oh = h + padding[2] + padding[3], ow = w + padding[0] + padding[1];
  expect<shape_error, "replication_pad2d", "input (H: {}, W: {} ) is too small. Calculated output H: {} W: {}">(
      ow >= 1 || oh >= 1, h, w, oh, ow);
  dim_vector out = in.sizes;
  out[static_cast<std::size_t>(dim_h)] = oh;
  out[static_cast<std::size_t>(dim_w)] = ow;
  expect<shape_error, "replication_pad2d", "Trying to create tensor with negative dimension {}: {}">(
      oh >= 0 && ow >= 0, oh < 0 ? oh : ow, out);
  return detail::make_out(std::move(out), memory_format::contiguous_format, in.dtype, in.device);
}

inline tensor_desc reflection_pad1d(const tensor_desc& self, const dim_vector& padding) {
  return allocate(reflection_pad1d_meta(meta_of(self), padding));
}
inline tensor_desc reflection_pad2d(const tensor_desc& self, const dim_vector& padding) {
  return allocate(reflection_pad2d_meta(meta_of(self), padding));
}
inline tensor_desc replication_pad1d(const tensor_desc& self, const dim_vector& padding) {
  return allocate(replication_pad1d_meta(meta_of(self), padding));
}
inline tensor_desc replication_pad2d(const tensor_desc& self, const dim_vector& padding) {
  return allocate(replication_pad2d_meta(meta_of(self), padding));
}

}  // namespace fake
