// faketensor/ops/nn_common.hpp — what the neural-network meta kernels share:
// a view of one input's metadata that constant evaluation accepts, the output
// layouts they choose (contiguous, a suggested memory format, empty_like's),
// ATen's `Tensor::toString()` type names and int-list argument expansion.
//
// Note [nn output layouts]
// The nn kernels of ATen 1.13 allocate their outputs in one of three ways, and
// each kernel says which (checked against the 1.13 oracle with channels_last,
// permuted, expanded and sliced inputs):
//  * contiguous — structured kernels that pass no strides (softmax, the losses,
//    layer_norm's outputs, embedding / index_select);
//  * the input's suggest_memory_format() — channels_last when the input's
//    strides look like it, else contiguous (pooling, upsampling, padding,
//    batch_norm on cpu, convolution's backends);
//  * empty_like's preserve_format rule (dropout, batch_norm on cuda).
#pragma once

#include <algorithm>    // std::copy_n
#include <cstdint>      // std::int64_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "faketensor/core/device.hpp"       // fake::device
#include "faketensor/core/dtype.hpp"        // fake::dtype, fake::c10_name
#include "faketensor/core/expect.hpp"       // fake::expect, fake::fail
#include "faketensor/core/fixed_string.hpp" // fake::fixed_string
#include "faketensor/core/layout.hpp"       // fake::memory_format
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/ops/common.hpp"        // fake::out_meta, fake::like_strides
#include "faketensor/shape/contiguity.hpp"  // fake::suggest_memory_format
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides, fake::channels_last_strides

namespace fake {

// One input of an nn meta kernel: its geometry, dtype and device, by
// reference (no copy on the hot path; constant evaluation accepts it). Dims is
// dim_vector, or sym_dims for the kernels that are generic over it.
template <class Dims>
struct basic_tensor_meta {
  const Dims& sizes;
  const Dims& strides;
  fake::dtype dtype = dtype::float32;
  fake::device device{};

  [[nodiscard]] constexpr std::int64_t dim() const noexcept { return static_cast<std::int64_t>(sizes.size()); }
  [[nodiscard]] constexpr auto size(std::int64_t d) const noexcept { return sizes[static_cast<std::size_t>(d < 0 ? d + dim() : d)]; }
  [[nodiscard]] constexpr memory_format suggested_format() const { return suggest_memory_format(sizes, strides); }
};
using tensor_meta = basic_tensor_meta<dim_vector>;

inline tensor_meta meta_of(const tensor_desc& t) noexcept { return {t.sizes(), t.strides(), t.dtype(), t.device()}; }

namespace detail {

// Concatenated fixed strings, for messages built from an op's name.
template <fixed_string... S>
constexpr auto fs_cat() {
  constexpr std::size_t n = (S.size() + ... + 0);
  char buf[n + 1]{};
  std::size_t i = 0;
  ((std::copy_n(S.view().data(), S.size(), buf + i), i += S.size()), ...);
  return fixed_string<n + 1>(buf);
}

template <class Dims>
constexpr Dims contiguous_of(const Dims& sizes) {
  return Dims(contiguous_strides(sizes));
}

// Strides of a fresh tensor of `sizes` in `format` (contiguous or a channels-last
// format whose rank matches; anything else falls back to contiguous, as
// at::empty does for a rank the format does not describe — ATen refuses that,
// but no nn kernel asks for it).
template <class Dims>
constexpr Dims strides_in(const Dims& sizes, memory_format format) {
  if (format == memory_format::channels_last && sizes.size() == 4) return Dims(channels_last_strides(sizes));
  if (format == memory_format::channels_last_3d && sizes.size() == 5) return Dims(channels_last_3d_strides(sizes));
  return contiguous_of(sizes);
}

template <class Dims>
constexpr basic_out_meta<Dims> make_out(Dims sizes, memory_format format, dtype dt, device dev) {
  Dims st = strides_in(sizes, format);
  return basic_out_meta<Dims>{std::move(sizes), std::move(st), dt, dev};
}

// ATen's Tensor::toString() in messages: "torch.FloatTensor", "torch.cuda.HalfTensor".
inline std::string type_string(dtype dt, device dev) {
  std::string out = "torch.";
  if (dev.type != device_type::cpu) {
    out += name(dev.type);
    out += '.';
  }
  out += c10_name(dt);
  out += "Tensor";
  return out;
}

// An int[N] argument given as one value or N values ("kernel_size=3" is [3, 3]).
template <fixed_string Op, fixed_string Message>
constexpr dim_vector expand_ints(const dim_vector& v, std::int64_t n) {
  if (static_cast<std::int64_t>(v.size()) == n) return v;
  expect<value_error, Op, Message>(v.size() == 1, n, v);
  return dim_vector(static_cast<std::size_t>(n), v[0]);
}

// Floor division rounding towards -inf (ATen's div_rtn).
constexpr std::int64_t div_rtn(std::int64_t x, std::int64_t y) {
  std::int64_t q = x / y;
  const std::int64_t r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) --q;
  return q;
}

}  // namespace detail
}  // namespace fake
