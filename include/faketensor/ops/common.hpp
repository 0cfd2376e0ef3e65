// faketensor/ops/common.hpp — what every meta kernel shares: the metadata a
// kernel computes (out_meta), the common device of its inputs, and PyTorch's
// rules for the three variants of an op (functional, in-place, out=).
//
// Note [meta kernels]
// A meta kernel is a constexpr function from input metadata to out_meta
// (sizes, strides, dtype, device). It is written once:
//  * the type-erased path calls it with tensor_desc inputs' geometry and wraps
//    the result with `allocate` (functional), `check_inplace` (add_) or
//    `resize_out` (add.out) — the structured-kernel split of ATen;
//  * the typed path constant-evaluates the same function on a static tensor's
//    geometry (see view/typed_ops.hpp, Note [typed views]) so the result type
//    is computed by the compiler and a bad call is a compile error.
// Checks go through fake::expect with PyTorch's messages.
#pragma once

#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <utility>      // std::move

#include "faketensor/core/device.hpp"       // fake::device
#include "faketensor/core/dtype.hpp"        // fake::dtype, fake::can_cast
#include "faketensor/core/error.hpp"        // fake::device_error, fake::dtype_error
#include "faketensor/core/expect.hpp"       // fake::expect, fake::fail
#include "faketensor/core/fixed_string.hpp" // fake::fixed_string
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc, fake::empty_strided
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/numel.hpp"       // fake::storage_nbytes
#include "faketensor/shape/contiguity.hpp"  // fake::is_non_overlapping_and_dense
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides, fake::strides_for

namespace fake {

// What a meta kernel computes for one output.
template <class Dims>
struct basic_out_meta {
  Dims sizes;
  Dims strides;
  fake::dtype dtype = dtype::float32;
  fake::device device{};
};
// Kernels that are generic over the dims container (linalg's mm family, ...)
// give a basic_out_meta<sym_dims> on symbolic sizes; tensor_desc takes this one.
using out_meta = basic_out_meta<dim_vector>;

// ------------------------------------------------------------- devices ----

// The device an op's output lives on (PyTorch's rule for out-of-place ops, as
// the xref cases encode it): the common device of the tensor inputs, where a
// cpu 0-dim tensor adapts to any other device; two different devices otherwise
// are a device_error with PyTorch's message. With no tensor input: `fallback`.
namespace detail {
// FakeTensor._find_common_device's merge, one tensor at a time: the device so
// far, and whether only cpu 0-dim tensors gave it (then another device takes
// over). merge() is false on two devices that do not combine; the caller
// raises its own error (the kernels ATen's, the fake mode FakeTensor's).
class device_merger {
 public:
  [[nodiscard]] bool merge(device d, bool cpu_zero_dim) {
    if (!common_) {
      common_ = d;
      only_cpu_zero_dim_ = cpu_zero_dim;
      return true;
    }
    if (d == *common_) {
      only_cpu_zero_dim_ = only_cpu_zero_dim_ && cpu_zero_dim;
      return true;
    }
    if (cpu_zero_dim) return true;  // defers to the device so far
    if (only_cpu_zero_dim_) {       // the device so far came from cpu 0-dim tensors
      common_ = d;
      only_cpu_zero_dim_ = false;
      return true;
    }
    return false;
  }
  [[nodiscard]] std::optional<device> common() const noexcept { return common_; }

 private:
  std::optional<device> common_;
  bool only_cpu_zero_dim_ = false;
};
}  // namespace detail

template <fixed_string Op>
device common_device(std::span<const tensor_desc* const> inputs, device fallback = device{}) {
  detail::device_merger merger;
  for (const tensor_desc* t : inputs) {
    if (t == nullptr || !t->is_defined()) continue;
    if (!merger.merge(t->device(), t->dim() == 0 && t->device().type == device_type::cpu))
      fail<device_error, Op, "Expected all tensors to be on the same device, but found at least two devices, {} and {}!">(
          *merger.common(), t->device());
  }
  return merger.common().value_or(fallback);
}
template <fixed_string Op>
device common_device(std::initializer_list<const tensor_desc*> inputs, device fallback = device{}) {
  return common_device<Op>(std::span<const tensor_desc* const>(inputs.begin(), inputs.size()), fallback);
}

// ------------------------------------------------------- layout rules ----

// Note [stride order]
// TensorIterator's reorder_dimensions (and c10's infer_dense_strides, its
// one-operand case): perm[i] is the i-th fastest dim. It starts as n-1, ..., 0
// and is insertion-sorted by should_swap(d0, d1): > 0 swaps, < 0 stops, 0 (an
// ambiguous pair, e.g. a stride 0) looks further. Stable, as ATen's.
template <class ShouldSwap>
constexpr dim_vector stride_order(std::size_t n, ShouldSwap&& should_swap) {
  dim_vector perm(n, default_init);
  for (std::size_t i = 0; i < n; ++i) perm[i] = static_cast<std::int64_t>(n - 1 - i);
  for (std::size_t i = 1; i < n; ++i) {
    std::size_t d1 = i;
    for (std::size_t d0 = i; d0-- > 0;) {
      const int c = should_swap(static_cast<std::size_t>(perm[d0]), static_cast<std::size_t>(perm[d1]));
      if (c > 0) {
        const std::int64_t t = perm[d0];
        perm[d0] = perm[d1];
        perm[d1] = t;
        d1 = d0;
      } else if (c < 0) {
        break;
      }
    }
  }
  return perm;
}

// True when stride_order kept every dim in place (the output is contiguous).
constexpr bool is_identity_order(const dim_vector& perm) {
  const std::size_t n = perm.size();
  for (std::size_t i = 0; i < n; ++i)
    if (perm[i] != static_cast<std::int64_t>(n - 1 - i)) return false;
  return true;
}

// c10's infer_dense_strides: dense strides that keep the order of `strides`
// (dims sorted by stride, stably, smaller size first on ties; a dim of stride 0
// keeps its place — TensorIterator's reorder_dimensions for one operand).
constexpr dim_vector infer_dense_strides(const dim_vector& sizes, const dim_vector& strides_) {
  const std::size_t n = sizes.size();
  const dim_vector perm = stride_order(n, [&](std::size_t d0, std::size_t d1) {
    const std::int64_t s0 = strides_[d0], s1 = strides_[d1];
    if (s0 == 0 || s1 == 0) return 0;
    if (s0 < s1) return -1;
    if (s0 > s1) return 1;
    return sizes[d0] > sizes[d1] ? 1 : 0;
  });
  dim_vector out(n, default_init);
  std::int64_t stride = 1;
  for (std::size_t i = 0; i < n; ++i) {
    const auto d = static_cast<std::size_t>(perm[i]);
    out[d] = stride;
    if (sizes[d] > 1) stride = checked_mul<"infer_dense_strides">(stride, sizes[d]);
  }
  return out;
}

// The strides empty_like / clone / the *_like factories give a result shaped
// like `self` (sizes, strides) for `format`: preserve_format keeps self's
// strides when they are non-overlapping and dense, else infers dense strides
// in self's stride order (PyTorch 1.13 and 2.x for strided tensors); an
// explicit format gives that format's strides.
constexpr dim_vector like_strides(const dim_vector& sizes, const dim_vector& strides_, memory_format format) {
  if (format != memory_format::preserve_format) return strides_for(sizes, format);
  if (is_non_overlapping_and_dense(sizes, strides_)) return strides_;
  return infer_dense_strides(sizes, strides_);
}

// ------------------------------------------------------------ variants ----

// A new tensor with a storage of its own holding `m` (functional variants).
inline tensor_desc allocate(const out_meta& m) {
  for (std::int64_t s : m.sizes)
    expect<shape_error, "allocate", "Trying to create tensor with negative dimension {}: {}">(s >= 0, s, m.sizes);
  const std::int64_t nbytes = storage_nbytes(m.sizes, m.strides, itemsize(m.dtype));
  // the storage is made to fit: nothing left to check
  return tensor_desc(tensor_desc::checked_by_caller, m.sizes, m.strides, 0, m.dtype, fake::storage(nbytes, m.device));
}

// The in-place variant (add_): the result is `self`. PyTorch refuses a result
// shape other than self's ("output with shape [..] doesn't match the broadcast
// shape [..]") and a result dtype that cannot be cast to self's ("result type
// Float can't be cast to the desired output type Long"). Bumps self's version.
template <fixed_string Op>
void check_inplace(const tensor_desc& self, const out_meta& m) {
  expect<shape_error, Op, "output with shape {} doesn't match the broadcast shape {}">(self.sizes() == m.sizes, self.sizes(),
                                                                                         m.sizes);
  if (!can_cast(m.dtype, self.dtype()))  // ATen's dtype names ("Float"), looked up only on failure
    fail<dtype_error, Op, "result type {} can't be cast to the desired output type {}">(c10_name(m.dtype), c10_name(self.dtype()));
  self.storage().bump_version();
}

// The out= variant (at::native::resize_output and TensorIterator's output
// handling): the result dtype must be castable to out's; an out of another
// shape is resized to the result's sizes with m.strides (its storage grows as
// needed); an out of the right shape keeps its strides. TensorIterator ops pass
// their computed strides (set_output_raw_strided restrides a resized out);
// other ops (mm.out, cat.out) pass contiguous ones, as resize_ makes.
// Returns the new out tensor (same storage, same id when nothing changed).
template <fixed_string Op>
tensor_desc resize_out(tensor_desc out, const out_meta& m) {
  if (!can_cast(m.dtype, out.dtype()))
    fail<dtype_error, Op, "result type {} can't be cast to the desired output type {}">(c10_name(m.dtype), c10_name(out.dtype()));
  expect<device_error, Op, "Expected out tensor to have device {}, but got {} instead">(out.device() == m.device, m.device,
                                                                                          out.device());
  if (out.sizes() != m.sizes) {
    const std::int64_t needed = storage_nbytes(m.sizes, m.strides, itemsize(out.dtype()), out.storage_offset());
    out.storage().ensure_nbytes(needed);
    out.set_geometry_unchecked(m.sizes, m.strides, out.storage_offset());
  }
  out.storage().bump_version();
  return out;
}

}  // namespace fake
