// faketensor/ops/reduction.hpp — reductions, scans, sorting and top-k on
// tensor_desc: sum, mean, prod, amax/amin, max/min, argmax/argmin, var/std
// (and var_mean/std_mean), linalg_vector_norm, all/any, logsumexp, cumsum,
// cumprod, topk, sort, argsort.
//
// Each op has a constexpr meta kernel (`*_meta`) from the input's metadata to
// out_meta (ops/common.hpp, Note [meta kernels]); the functions on tensor_desc
// wrap it for the functional, out= and in-place variants. The typed path
// (ops/typed_reduction.hpp) constant-evaluates the same kernels.
//
// Note [reduction dims]
// PyTorch 1.13's make_dim_mask: a dim list is wrapped dim by dim (a 0-dim
// tensor accepts 0 and -1), a dim seen twice is "dim d appears multiple times
// in the list of dims" (d wrapped), and an EMPTY list — like None — reduces
// every dim (sum(x, []) is a full sum; 2.x keeps this for sum/mean and
// deprecates it). A reduced dim is dropped, or kept as 1 with keepdim. Every
// reduction allocates a contiguous output whatever the input's strides
// (resize_reduction passes no strides to set_output; make_reduction resizes):
// checked against 1.13 on permuted, channels-last and expanded inputs.
//
// Note [reduction dtypes]
//  * sum, prod, cumsum, cumprod: `dtype` if given, else int64 for integral and
//    bool inputs, else the input's; an out= tensor's dtype stands in for the
//    missing `dtype` (infer_dtype_from_optional) and must then equal it.
//  * mean: the dtype it computes in (`dtype`, or sum's rule) must be floating or
//    complex: "mean(): could not infer output dtype. Input dtype must be either
//    a floating point or complex dtype. Got: Long" ("Optional dtype" when given).
//  * amax/amin/max/min keep the input dtype (max.dim/min.dim refuse complex);
//    argmax/argmin and every indices output are int64.
//  * var/std give the real dtype of a floating or complex input and refuse the
//    rest (CPU's "std and var only support floating point and complex dtypes";
//    1.13's Python meta raises mean()'s message instead — we follow the kernel).
//  * all/any give bool, except uint8 stays uint8 (the [all, any : uint8
//    compatibility] rule of 1.13).
//  * logsumexp: the default dtype (float32) for integral/bool input, else the
//    input's; complex is refused.
//  * linalg_vector_norm: the real dtype of `dtype` or of the input; the input
//    must be floating or complex, `dtype` must not narrow it.
//
// Note [empty reductions]
// Ops without an identity refuse to reduce over a zero-size dim: amax/amin
// ("amax(): Expected reduction dim 0 to have non-zero size.", the dim as the
// user wrote it), max.dim/min.dim and argmax/argmin (the dim wrapped), and the
// full max()/min() of an empty tensor (the CPU/CUDA kernels' message; 1.13's
// meta kernel lets it through, the real ones do not). linalg_vector_norm
// refuses only for ord < 0 or ord == inf.
#pragma once

#include <cmath>        // std::isinf
#include <cstdint>      // std::int64_t, std::uint64_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <tuple>        // std::tuple
#include <utility>      // std::pair

#include "faketensor/core/dtype.hpp"         // fake::dtype, fake::promote_types, fake::to_real
#include "faketensor/core/error.hpp"         // fake::shape_error, fake::index_error, fake::dtype_error
#include "faketensor/core/expect.hpp"        // fake::expect, fake::fail
#include "faketensor/meta/tensor_desc.hpp"   // fake::tensor_desc
#include "faketensor/ops/common.hpp"         // fake::out_meta, fake::resize_out, fake::like_strides
#include "faketensor/shape/broadcast.hpp"    // fake::broadcast_shapes
#include "faketensor/shape/dim_algorithms.hpp"  // fake::wrap_dim
#include "faketensor/shape/dim_vector.hpp"   // fake::dim_vector
#include "faketensor/shape/strides.hpp"      // fake::contiguous_strides

namespace fake {

// An `int[1]? dim` argument: absent (None) or a list of dims, not owned. An
// empty list reduces every dim, as None does (Note [reduction dims]).
class opt_dims {
 public:
  constexpr opt_dims() noexcept = default;
  constexpr opt_dims(std::nullopt_t) noexcept {}
  constexpr opt_dims(const dim_vector& d) noexcept : data_(d.data()), size_(d.size()), present_(true) {}
  constexpr opt_dims(std::span<const std::int64_t> d) noexcept : data_(d.data()), size_(d.size()), present_(true) {}
  // opt_dims{1, 2} as an argument: the list lives until the end of the full
  // expression, as long as the call needs it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
#endif
  constexpr opt_dims(std::initializer_list<std::int64_t> d) noexcept
      : data_(d.begin()), size_(d.size()), present_(true) {}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
  [[nodiscard]] constexpr bool has_value() const noexcept { return present_; }
  [[nodiscard]] constexpr std::span<const std::int64_t> list() const noexcept { return {data_, size_}; }

 private:
  const std::int64_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool present_ = false;
};

namespace detail {

// caffe2::TypeMeta's names, which the structured kernels' dtype checks print
// ("Expected out tensor to have dtype float, but got double instead").
constexpr std::string_view type_meta_name(dtype d) {
  switch (d) {
    case dtype::uint8: return "unsigned char";
    case dtype::int8: return "signed char";
    case dtype::int16: return "short int";
    case dtype::int32: return "int";
    case dtype::int64: return "long int";
    case dtype::float16: return "c10::Half";
    case dtype::float32: return "float";
    case dtype::float64: return "double";
    case dtype::complex32: return "c10::complex<c10::Half>";
    case dtype::complex64: return "c10::complex<float>";
    case dtype::complex128: return "c10::complex<double>";
    case dtype::bool_: return "bool";
    case dtype::bfloat16: return "c10::BFloat16";
    default: return c10_name(d);
  }
}

// A dtype printed as c10 prints it ("Float") in a message; built for free on
// the hot path (the name is looked up only when a check fails).
struct c10_dtype {
  dtype value;
};
inline std::string to_string(c10_dtype d) { return std::string(c10_name(d.value)); }
// The same with caffe2::TypeMeta's names ("float", "long int").
struct type_meta_dtype {
  dtype value;
};
inline std::string to_string(type_meta_dtype d) { return std::string(type_meta_name(d.value)); }

// Note [reduction dims]: the bit set of reduced dims.
template <fixed_string Op>
constexpr std::uint64_t reduction_mask(std::span<const std::int64_t> dims, std::int64_t ndim) {
  expect<shape_error, Op, "only tensors with up to 64 dims are supported">(ndim <= 64);
  if (dims.empty()) return ndim >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << ndim) - 1);
  std::uint64_t mask = 0;
  for (const std::int64_t d : dims) {
    const std::int64_t w = wrap_dim<Op>(d, ndim);
    expect<shape_error, Op, "dim {} appears multiple times in the list of dims">(((mask >> w) & 1U) == 0, w);
    mask |= std::uint64_t{1} << w;
  }
  return mask;
}

template <class Dims>
constexpr basic_out_meta<Dims> contiguous_meta(Dims sizes, dtype dt, device dev) {
  Dims st(contiguous_strides(sizes));
  return basic_out_meta<Dims>{std::move(sizes), std::move(st), dt, dev};
}

// The output of a reduction over `dims` (all dims when absent or empty).
// (Sizes and contiguous strides in one pass from the innermost dim.)
// Generic over the dims container (dim_vector, or sym_dims for symbolic sizes).
template <fixed_string Op, class Dims>
constexpr basic_out_meta<Dims> reduce_to(const Dims& sizes, opt_dims dims, bool keepdim, dtype dt, device dev) {
  using D = runtime_dim_t<std::remove_cvref_t<decltype(sizes[0])>>;
  const auto ndim = static_cast<std::int64_t>(sizes.size());
  const std::uint64_t mask = reduction_mask<Op>(dims.list(), ndim);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) kept += ((mask >> i) & 1U) == 0 || keepdim ? 1 : 0;
  basic_out_meta<Dims> m{Dims(kept, default_init), Dims(kept, default_init), dt, dev};
  D stride = to_runtime_dim<D>(std::int64_t{1});
  std::size_t j = kept;
  for (std::size_t i = sizes.size(); i-- > 0;) {
    const bool reduced = ((mask >> i) & 1U) != 0;
    if (reduced && !keepdim) continue;
    const D size = reduced ? to_runtime_dim<D>(std::int64_t{1}) : D(sizes[i]);
    --j;
    m.sizes[j] = size;
    m.strides[j] = stride;
    if (size > 1) stride = to_runtime_dim<D>(checked_mul<Op>(stride, size));
  }
  return m;
}
// The same over a single dim (max.dim, argmax, all.dim, ...).
template <fixed_string Op, class Dims>
constexpr basic_out_meta<Dims> reduce_dim_to(const Dims& sizes, std::int64_t dim, bool keepdim, dtype dt, device dev) {
  const std::int64_t d[1] = {dim};
  return reduce_to<Op>(sizes, opt_dims(std::span<const std::int64_t>(d, 1)), keepdim, dt, dev);
}

// zero_numel_check_dims for one dim, as the caller passes it (Note [empty reductions]).
template <fixed_string Op, fixed_string Fn>
constexpr void nonzero_reduction_dim(const dim_vector& sizes, std::int64_t dim) {
  const auto ndim = static_cast<std::int64_t>(sizes.size());
  if (ndim == 0) {
    expect<index_error, Op, "{}: Expected reduction dim -1 or 0 for scalar but got {}">(dim == 0 || dim == -1, Fn.view(), dim);
    return;
  }
  const std::int64_t w = wrap_dim<Op>(dim, ndim);
  expect<index_error, Op, "{}: Expected reduction dim {} to have non-zero size.">(sizes[static_cast<std::size_t>(w)] != 0,
                                                                                 Fn.view(), dim);
}

constexpr std::int64_t numel_of(const dim_vector& sizes) {
  std::int64_t n = 1;
  for (const std::int64_t s : sizes) n *= s;
  return n;
}

// sum/prod/cumsum's dtype (Note [reduction dtypes]); `out` is an out= tensor's dtype.
constexpr dtype integral_to_long(dtype self, std::optional<dtype> dt, std::optional<dtype> out) {
  if (out) return dt.value_or(*out);
  if (dt) return *dt;
  return is_integral(self, /*include_bool=*/true) ? dtype::int64 : self;
}

}  // namespace detail

// ------------------------------------------------------------ meta kernels ----

// sum.dim_IntList / sum (dims absent) and prod: Note [reduction dtypes].
constexpr out_meta sum_meta(const dim_vector& sizes, dtype self, device dev, opt_dims dims, bool keepdim,
                            std::optional<dtype> dt, std::optional<dtype> out = {}) {
  return detail::reduce_to<"sum">(sizes, dims, keepdim, detail::integral_to_long(self, dt, out), dev);
}

constexpr out_meta prod_meta(const dim_vector& sizes, dtype self, device dev, std::optional<std::int64_t> dim, bool keepdim,
                             std::optional<dtype> dt, std::optional<dtype> out = {}) {
  const dtype r = detail::integral_to_long(self, dt, out);
  if (!dim) return detail::reduce_to<"prod">(sizes, opt_dims(std::nullopt), false, r, dev);
  return detail::reduce_dim_to<"prod">(sizes, *dim, keepdim, r, dev);
}

constexpr out_meta mean_meta(const dim_vector& sizes, dtype self, device dev, opt_dims dims, bool keepdim,
                             std::optional<dtype> dt, std::optional<dtype> out = {}) {
  const dtype in = detail::integral_to_long(self, dt, std::nullopt);
  if (!is_floating_point(in) && !is_complex(in)) {
    fail<dtype_error, "mean", "mean(): could not infer output dtype. {} dtype must be either a floating point or complex dtype. Got: {}">(
        dt ? "Optional" : "Input", detail::c10_dtype{dt ? *dt : self});
  }
  return detail::reduce_to<"mean">(sizes, dims, keepdim, detail::integral_to_long(self, dt, out), dev);
}

// amax / amin: `Fn` is "amax()" or "amin()".
template <fixed_string Op, fixed_string Fn>
constexpr out_meta amax_amin_meta(const dim_vector& sizes, dtype self, device dev, std::span<const std::int64_t> dims,
                                  bool keepdim, std::optional<dtype> out = {}) {
  if (out)
    expect<dtype_error, Op, "Expected the dtype for input and out to match, but got {} for input's dtype and {} for out's dtype.">(
        *out == self, detail::c10_dtype{self}, detail::c10_dtype{*out});
  if (detail::numel_of(sizes) == 0) {
    expect<index_error, Op,
           "{}: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.">(
        !dims.empty(), Fn.view());
    for (const std::int64_t d : dims) detail::nonzero_reduction_dim<Op, Fn>(sizes, d);
  }
  return detail::reduce_to<Op>(sizes, opt_dims(dims), keepdim, self, dev);
}

// max() / min(): a 0-dim result; refuses an empty input (Note [empty reductions]).
template <fixed_string Op, fixed_string Fn>
constexpr out_meta max_min_all_meta(const dim_vector& sizes, dtype self, device dev) {
  expect<index_error, Op,
         "{}: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.">(
      detail::numel_of(sizes) != 0, Fn.view());
  return out_meta{{}, {}, self, dev};
}

// max.dim / min.dim: (values, indices).
template <fixed_string Op, fixed_string Fn>
constexpr std::pair<out_meta, out_meta> max_min_dim_meta(const dim_vector& sizes, dtype self, device dev, std::int64_t dim,
                                                         bool keepdim) {
  const std::int64_t w = wrap_dim<Op>(dim, static_cast<std::int64_t>(sizes.size()));
  detail::nonzero_reduction_dim<Op, Fn>(sizes, w);
  expect<dtype_error, Op, "{}: does not support complex input">(!is_complex(self), Fn.view());
  out_meta values = detail::reduce_dim_to<Op>(sizes, w, keepdim, self, dev);
  out_meta indices = values;
  indices.dtype = dtype::int64;
  return {std::move(values), std::move(indices)};
}

// argmax / argmin: dim None reduces everything (keepdim keeps every dim as 1).
template <fixed_string Op, fixed_string Fn>
constexpr out_meta argmax_argmin_meta(const dim_vector& sizes, device dev, std::optional<std::int64_t> dim, bool keepdim) {
  if (dim) {
    const std::int64_t w = wrap_dim<Op>(*dim, static_cast<std::int64_t>(sizes.size()));
    detail::nonzero_reduction_dim<Op, Fn>(sizes, w);
    return detail::reduce_dim_to<Op>(sizes, w, keepdim, dtype::int64, dev);
  }
  expect<index_error, Op, "{}: Expected reduction dim to be specified for input.numel() == 0.">(detail::numel_of(sizes) != 0,
                                                                                              Fn.view());
  return detail::reduce_to<Op>(sizes, opt_dims(std::nullopt), keepdim, dtype::int64, dev);
}

// var / std (and the first output of var_mean / std_mean): Note [reduction dtypes].
// `Fn` names the op in the dtype message: "std and var" or "var_mean"/"std_mean".
template <fixed_string Op, fixed_string Fn>
constexpr out_meta var_std_meta(const dim_vector& sizes, dtype self, device dev, opt_dims dims, bool keepdim,
                                std::optional<dtype> out = {}) {
  expect<dtype_error, Op, "{} only support floating point and complex dtypes">(is_floating_point(self) || is_complex(self),
                                                                               Fn.view());
  return detail::reduce_to<Op>(sizes, dims, keepdim, out ? *out : to_real(self), dev);
}

// all / any (dim absent: a full reduction).
template <fixed_string Op>
constexpr out_meta all_any_meta(const dim_vector& sizes, dtype self, device dev, std::optional<std::int64_t> dim, bool keepdim,
                                std::optional<dtype> out = {}) {
  const dtype r = out ? *out : (self == dtype::uint8 ? dtype::uint8 : dtype::bool_);
  expect<dtype_error, Op, "{} only supports bool tensor for result, got: {}">(r == dtype::bool_ || r == dtype::uint8, Op.view(),
                                                                             detail::c10_dtype{r});
  if (!dim) return detail::reduce_to<Op>(sizes, opt_dims(std::nullopt), false, r, dev);
  return detail::reduce_dim_to<Op>(sizes, *dim, keepdim, r, dev);
}

namespace detail {
// How c10::Scalar prints a double (std::ostream's default: 6 significant digits).
inline std::string scalar_text(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace detail

// linalg_vector_norm(ord, dim, keepdim, dtype).
constexpr out_meta vector_norm_meta(const dim_vector& sizes, dtype self, device dev, double ord, bool ord_is_int, opt_dims dims,
                                    bool keepdim, std::optional<dtype> dt) {
  constexpr fixed_string op = "linalg_vector_norm";
  expect<dtype_error, op, "linalg.vector_norm: Expected a floating point or complex tensor as input. Got {}">(
      is_floating_point(self) || is_complex(self), detail::c10_dtype{self});
  if (detail::numel_of(sizes) == 0 && (ord < 0.0 || (ord > 0.0 && ord * 0.5 == ord))) {  // ord < 0 or +inf
    if (!dims.has_value() || dims.list().empty())
      fail<shape_error, op, "linalg.vector_norm cannot compute the {} norm on an empty tensor because the operation does not have an identity">(
          ord_is_int ? std::to_string(static_cast<std::int64_t>(ord)) : detail::scalar_text(ord));
    for (const std::int64_t d : dims.list()) {
      const std::int64_t w = wrap_dim<op>(d, static_cast<std::int64_t>(sizes.size()));
      if (sizes.empty() || sizes[static_cast<std::size_t>(w)] == 0)
        fail<shape_error, op, "linalg.vector_norm cannot compute the {} norm on the dimension {}because this dimension is empty and the operation does not have an identity">(
            ord_is_int ? std::to_string(static_cast<std::int64_t>(ord)) : detail::scalar_text(ord), d);
    }
  }
  if (dt) {
    expect<dtype_error, op, "linalg.vector_norm: dtype should be floating point or complex, but got {}">(
        is_floating_point(*dt) || is_complex(*dt), detail::c10_dtype{*dt});
    expect<dtype_error, op, "linalg.vector_norm: dtype should be {} for {} inputs, but got {}">(
        is_complex(self) == is_complex(*dt), is_complex(self) ? "complex" : "real", is_complex(self) ? "complex" : "real",
        detail::c10_dtype{*dt});
    expect<dtype_error, op, "linalg.vector_norm: the dtype of the input ({}) should be convertible without narrowing to the specified dtype ({})">(
        promote_types(self, *dt) == *dt, detail::c10_dtype{self}, detail::c10_dtype{*dt});
  }
  return detail::reduce_to<op>(sizes, dims, keepdim, to_real(dt.value_or(self)), dev);
}

// logsumexp(dim, keepdim); `out`: an out= tensor's dtype.
constexpr out_meta logsumexp_meta(const dim_vector& sizes, dtype self, device dev, std::span<const std::int64_t> dims, bool keepdim,
                                  std::optional<dtype> out = {}) {
  const dtype r = out ? *out : (is_integral(self, /*include_bool=*/true) ? dtype::float32 : self);
  expect<dtype_error, "logsumexp", "logsumexp(): Expected floating point type for result tensor, but got: {}">(
      is_floating_point(r), detail::c10_dtype{r});
  out_meta m = detail::reduce_to<"logsumexp">(sizes, opt_dims(dims), keepdim, r, dev);
  // 1.13 adds amax(self, dims, keepdim=True) squeezed over `dims` to the sum in
  // place: with no dims and no keepdim that is [1, ..., 1] into [] (a non-empty
  // input only; the empty one skips the max).
  if (dims.empty() && !keepdim && !sizes.empty() && detail::numel_of(sizes) != 0)
    fail<shape_error, "logsumexp", "output with shape {} doesn't match the broadcast shape {}">(m.sizes,
                                                                                                dim_vector(sizes.size(), 1));
  return m;
}

// cumsum / cumprod: the input's sizes, contiguous; `out`: an out=/in-place tensor's dtype.
template <fixed_string Op>
constexpr out_meta cum_meta(const dim_vector& sizes, dtype self, device dev, std::int64_t dim, std::optional<dtype> dt,
                            std::optional<dtype> out = {}) {
  wrap_dim<Op>(dim, static_cast<std::int64_t>(sizes.size()));
  return detail::contiguous_meta(sizes, detail::integral_to_long(self, dt, out), dev);
}

// topk(k, dim, largest, sorted): (values, indices), contiguous.
constexpr std::pair<out_meta, out_meta> topk_meta(const dim_vector& sizes, dtype self, device dev, std::int64_t k, std::int64_t dim) {
  const auto ndim = static_cast<std::int64_t>(sizes.size());
  const std::int64_t w = wrap_dim<"topk">(dim, ndim);
  const std::int64_t slice = ndim == 0 ? 1 : sizes[static_cast<std::size_t>(w)];
  expect<shape_error, "topk", "selected index k out of range">(k >= 0 && k <= slice);
  dim_vector out_sizes = sizes;
  if (ndim > 0) out_sizes[static_cast<std::size_t>(w)] = k;
  out_meta values = detail::contiguous_meta(std::move(out_sizes), self, dev);
  out_meta indices = values;
  indices.dtype = dtype::int64;
  return {std::move(values), std::move(indices)};
}

// sort(dim, descending, stable): (values, indices) with the input's strides when
// they are non-overlapping and dense, else dense strides in the input's order.
constexpr std::pair<out_meta, out_meta> sort_meta(const dim_vector& sizes, const dim_vector& strides_, dtype self, device dev,
                                                  std::int64_t dim) {
  wrap_dim<"sort">(dim, static_cast<std::int64_t>(sizes.size()));
  dim_vector st = like_strides(sizes, strides_, memory_format::preserve_format);
  out_meta values{sizes, std::move(st), self, dev};
  out_meta indices = values;
  indices.dtype = dtype::int64;
  return {std::move(values), std::move(indices)};
}

// ------------------------------------------------------ variant helpers ----

namespace detail {

// common_device (ops/common.hpp) with the common case inline: all on one device.
template <fixed_string Op>
device common_device_of(const tensor_desc& a, const tensor_desc& b) {
  if (a.device() == b.device()) [[likely]]
    return a.device();
  return common_device<Op>({&a, &b});
}
template <fixed_string Op>
device common_device_of(const tensor_desc& a, const tensor_desc& b, const tensor_desc& c) {
  if (a.device() == b.device() && b.device() == c.device()) [[likely]]
    return a.device();
  return common_device<Op>({&a, &b, &c});
}

// allocate() (ops/common.hpp) for a kernel's own result: the sizes and strides
// are moved into the new tensor, and its geometry, which fits a storage of
// storage_nbytes by construction, is not checked again.
inline tensor_desc allocate_result(out_meta&& m) {
  // storage_nbytes without its overflow checks: the kernels built these
  // strides with checked products of the same sizes.
  std::int64_t last = 0;
  bool empty = false;
  for (std::size_t i = 0; i < m.sizes.size(); ++i) {
    empty = empty || m.sizes[i] == 0;
    last += (m.sizes[i] - 1) * m.strides[i];
  }
  const std::int64_t nbytes = empty ? 0 : checked_mul<"allocate">(last + 1, itemsize(m.dtype));
  return tensor_desc(tensor_desc::checked_by_caller, std::move(m.sizes), std::move(m.strides), 0, m.dtype,
                     fake::storage(nbytes, m.device));
}

// A structured kernel's out= tensor: its dtype must be the computed one
// ("Expected out tensor to have dtype float, but got double instead"); resized
// (contiguously) when its shape differs, else its strides stay.
template <fixed_string Op>
tensor_desc structured_out(const tensor_desc& out, const out_meta& m) {
  expect<dtype_error, Op, "Expected out tensor to have dtype {}, but got {} instead">(out.dtype() == m.dtype, type_meta_dtype{m.dtype},
                                                                                       type_meta_dtype{out.dtype()});
  return resize_out<Op>(out, m);
}

// A structured kernel's in-place variant (cumsum_, addmm_): same dtype, device
// and sizes as self, else "Bad in-place call: ...".
template <fixed_string Op>
const tensor_desc& structured_inplace(const tensor_desc& self, const out_meta& m) {
  expect<dtype_error, Op, "Bad in-place call: input tensor dtype {} and output tensor dtype {} should match">(
      self.dtype() == m.dtype, type_meta_dtype{self.dtype()}, type_meta_dtype{m.dtype});
  expect<device_error, Op, "Bad in-place call: input tensor device {} and output tensor device {} should match">(
      self.device() == m.device, self.device(), m.device);
  expect<shape_error, Op, "Bad in-place call: input tensor size {} and output tensor size {} should match">(self.sizes() == m.sizes,
                                                                                                           self.sizes(), m.sizes);
  self.storage().bump_version();
  return self;
}

// at::assert_no_internal_overlap on a written tensor (MemOverlap::Yes only).
template <fixed_string Op>
void check_no_internal_overlap(const tensor_desc& t) {
  if (t.is_non_overlapping_and_dense()) return;
  bool overlap = false;
  for (std::int64_t d = 0; d < t.dim(); ++d) overlap = overlap || (t.size(d) > 1 && t.stride(d) == 0);
  expect<shape_error, Op,
         "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please "
         "clone() the tensor before performing the operation.">(!overlap);
}

}  // namespace detail

// ------------------------------------------------------------ tensor_desc ----

// sum(self, *, dtype) and sum.dim_IntList(self, dim, keepdim, *, dtype).
inline tensor_desc sum(const tensor_desc& self, std::optional<dtype> dt = {}) {
  return detail::allocate_result(sum_meta(self.sizes(), self.dtype(), self.device(), std::nullopt, false, dt));
}
inline tensor_desc sum(const tensor_desc& self, opt_dims dim, bool keepdim = false, std::optional<dtype> dt = {}) {
  return detail::allocate_result(sum_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim, dt));
}
inline tensor_desc sum_out(const tensor_desc& self, opt_dims dim, bool keepdim, std::optional<dtype> dt, const tensor_desc& out) {
  return detail::structured_out<"sum">(out, sum_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim, dt, out.dtype()));
}

inline tensor_desc mean(const tensor_desc& self, std::optional<dtype> dt = {}) {
  return detail::allocate_result(mean_meta(self.sizes(), self.dtype(), self.device(), std::nullopt, false, dt));
}
inline tensor_desc mean(const tensor_desc& self, opt_dims dim, bool keepdim = false, std::optional<dtype> dt = {}) {
  return detail::allocate_result(mean_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim, dt));
}
inline tensor_desc mean_out(const tensor_desc& self, opt_dims dim, bool keepdim, std::optional<dtype> dt, const tensor_desc& out) {
  return detail::structured_out<"mean">(out, mean_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim, dt, out.dtype()));
}

inline tensor_desc prod(const tensor_desc& self, std::optional<dtype> dt = {}) {
  return detail::allocate_result(prod_meta(self.sizes(), self.dtype(), self.device(), std::nullopt, false, dt));
}
inline tensor_desc prod(const tensor_desc& self, std::int64_t dim, bool keepdim = false, std::optional<dtype> dt = {}) {
  return detail::allocate_result(prod_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim, dt));
}
inline tensor_desc prod_out(const tensor_desc& self, std::optional<std::int64_t> dim, bool keepdim, std::optional<dtype> dt,
                            const tensor_desc& out) {
  return detail::structured_out<"prod">(out, prod_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim, dt, out.dtype()));
}

inline tensor_desc amax(const tensor_desc& self, std::span<const std::int64_t> dim = {}, bool keepdim = false) {
  return detail::allocate_result(amax_amin_meta<"amax", "amax()">(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}
inline tensor_desc amax(const tensor_desc& self, std::initializer_list<std::int64_t> dim, bool keepdim = false) {
  return amax(self, std::span<const std::int64_t>(dim.begin(), dim.size()), keepdim);
}
inline tensor_desc amin(const tensor_desc& self, std::span<const std::int64_t> dim = {}, bool keepdim = false) {
  return detail::allocate_result(amax_amin_meta<"amin", "amin()">(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}
inline tensor_desc amin(const tensor_desc& self, std::initializer_list<std::int64_t> dim, bool keepdim = false) {
  return amin(self, std::span<const std::int64_t>(dim.begin(), dim.size()), keepdim);
}
inline tensor_desc amax_out(const tensor_desc& self, std::span<const std::int64_t> dim, bool keepdim, const tensor_desc& out) {
  return detail::structured_out<"amax">(
      out, amax_amin_meta<"amax", "amax()">(self.sizes(), self.dtype(), self.device(), dim, keepdim, out.dtype()));
}
inline tensor_desc amin_out(const tensor_desc& self, std::span<const std::int64_t> dim, bool keepdim, const tensor_desc& out) {
  return detail::structured_out<"amin">(
      out, amax_amin_meta<"amin", "amin()">(self.sizes(), self.dtype(), self.device(), dim, keepdim, out.dtype()));
}

inline tensor_desc max(const tensor_desc& self) {
  return detail::allocate_result(max_min_all_meta<"max", "max()">(self.sizes(), self.dtype(), self.device()));
}
inline tensor_desc min(const tensor_desc& self) {
  return detail::allocate_result(max_min_all_meta<"min", "min()">(self.sizes(), self.dtype(), self.device()));
}
// max.dim / min.dim: {values, indices}.
inline std::pair<tensor_desc, tensor_desc> max(const tensor_desc& self, std::int64_t dim, bool keepdim = false) {
  auto [v, i] = max_min_dim_meta<"max", "max()">(self.sizes(), self.dtype(), self.device(), dim, keepdim);
  return {detail::allocate_result(std::move(v)), detail::allocate_result(std::move(i))};
}
inline std::pair<tensor_desc, tensor_desc> min(const tensor_desc& self, std::int64_t dim, bool keepdim = false) {
  auto [v, i] = max_min_dim_meta<"min", "min()">(self.sizes(), self.dtype(), self.device(), dim, keepdim);
  return {detail::allocate_result(std::move(v)), detail::allocate_result(std::move(i))};
}
// max.dim_max / min.dim_min: into (values, indices).
template <fixed_string Op>
std::pair<tensor_desc, tensor_desc> max_min_out(const tensor_desc& self, std::int64_t dim, bool keepdim, const tensor_desc& values,
                                                const tensor_desc& indices) {
  constexpr bool is_max = Op.view() == "max";
  auto [v, i] = is_max ? max_min_dim_meta<"max", "max()">(self.sizes(), self.dtype(), self.device(), dim, keepdim)
                       : max_min_dim_meta<"min", "min()">(self.sizes(), self.dtype(), self.device(), dim, keepdim);
  tensor_desc a = detail::structured_out<Op>(values, v);
  tensor_desc b = detail::structured_out<Op>(indices, i);
  detail::check_no_internal_overlap<Op>(a);
  detail::check_no_internal_overlap<Op>(b);
  return {std::move(a), std::move(b)};
}

inline tensor_desc argmax(const tensor_desc& self, std::optional<std::int64_t> dim = {}, bool keepdim = false) {
  return detail::allocate_result(argmax_argmin_meta<"argmax", "argmax()">(self.sizes(), self.device(), dim, keepdim));
}
inline tensor_desc argmin(const tensor_desc& self, std::optional<std::int64_t> dim = {}, bool keepdim = false) {
  return detail::allocate_result(argmax_argmin_meta<"argmin", "argmin()">(self.sizes(), self.device(), dim, keepdim));
}

// var / std over `dim` (None: every dim); the correction does not change metadata.
inline tensor_desc var(const tensor_desc& self, opt_dims dim = std::nullopt, bool keepdim = false) {
  return detail::allocate_result(var_std_meta<"var", "std and var">(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}
inline tensor_desc std(const tensor_desc& self, opt_dims dim = std::nullopt, bool keepdim = false) {
  return detail::allocate_result(var_std_meta<"std", "std and var">(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}
// var.out / std.out (and their correction_out): the out tensor's real dtype must hold the result.
template <fixed_string Op>
tensor_desc var_std_out(const tensor_desc& self, opt_dims dim, bool keepdim, const tensor_desc& out) {
  out_meta m = var_std_meta<Op, "std and var">(self.sizes(), self.dtype(), self.device(), dim, keepdim);
  expect<dtype_error, Op, "result type {} can't be cast to the desired output type {}">(can_cast(self.dtype(), out.dtype()),
                                                                                         detail::c10_dtype{self.dtype()}, detail::c10_dtype{out.dtype()});
  m.dtype = out.dtype();
  return resize_out<Op>(out, m);
}
// var_mean / std_mean: {var or std (real dtype), mean (input dtype)}.
inline std::pair<tensor_desc, tensor_desc> var_mean(const tensor_desc& self, opt_dims dim = std::nullopt, bool keepdim = false) {
  out_meta v = var_std_meta<"var_mean", "var_mean">(self.sizes(), self.dtype(), self.device(), dim, keepdim);
  out_meta m = v;
  m.dtype = self.dtype();
  return {detail::allocate_result(std::move(v)), detail::allocate_result(std::move(m))};
}
inline std::pair<tensor_desc, tensor_desc> std_mean(const tensor_desc& self, opt_dims dim = std::nullopt, bool keepdim = false) {
  out_meta v = var_std_meta<"std_mean", "std_mean">(self.sizes(), self.dtype(), self.device(), dim, keepdim);
  out_meta m = v;
  m.dtype = self.dtype();
  return {detail::allocate_result(std::move(v)), detail::allocate_result(std::move(m))};
}

// linalg_vector_norm(self, ord=2, dim=None, keepdim=False, *, dtype=None).
inline tensor_desc linalg_vector_norm(const tensor_desc& self, double ord = 2.0, opt_dims dim = std::nullopt, bool keepdim = false,
                                      std::optional<dtype> dt = {}, bool ord_is_int = false) {
  return detail::allocate_result(vector_norm_meta(self.sizes(), self.dtype(), self.device(), ord, ord_is_int, dim, keepdim, dt));
}

// all() / all.dim, any() / any.dim.
inline tensor_desc all(const tensor_desc& self, std::optional<std::int64_t> dim = {}, bool keepdim = false) {
  return detail::allocate_result(all_any_meta<"all">(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}
inline tensor_desc any(const tensor_desc& self, std::optional<std::int64_t> dim = {}, bool keepdim = false) {
  return detail::allocate_result(all_any_meta<"any">(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}

inline tensor_desc logsumexp(const tensor_desc& self, std::span<const std::int64_t> dim, bool keepdim = false) {
  return detail::allocate_result(logsumexp_meta(self.sizes(), self.dtype(), self.device(), dim, keepdim));
}
inline tensor_desc logsumexp(const tensor_desc& self, std::initializer_list<std::int64_t> dim, bool keepdim = false) {
  return logsumexp(self, std::span<const std::int64_t>(dim.begin(), dim.size()), keepdim);
}

inline tensor_desc cumsum(const tensor_desc& self, std::int64_t dim, std::optional<dtype> dt = {}) {
  return detail::allocate_result(cum_meta<"cumsum">(self.sizes(), self.dtype(), self.device(), dim, dt));
}
inline tensor_desc cumprod(const tensor_desc& self, std::int64_t dim, std::optional<dtype> dt = {}) {
  return detail::allocate_result(cum_meta<"cumprod">(self.sizes(), self.dtype(), self.device(), dim, dt));
}
inline const tensor_desc& cumsum_(const tensor_desc& self, std::int64_t dim, std::optional<dtype> dt = {}) {
  return detail::structured_inplace<"cumsum_">(self, cum_meta<"cumsum_">(self.sizes(), self.dtype(), self.device(), dim, dt, self.dtype()));
}
inline const tensor_desc& cumprod_(const tensor_desc& self, std::int64_t dim, std::optional<dtype> dt = {}) {
  return detail::structured_inplace<"cumprod_">(self,
                                                cum_meta<"cumprod_">(self.sizes(), self.dtype(), self.device(), dim, dt, self.dtype()));
}

inline std::pair<tensor_desc, tensor_desc> topk(const tensor_desc& self, std::int64_t k, std::int64_t dim = -1, bool /*largest*/ = true,
                                                bool /*sorted*/ = true) {
  auto [v, i] = topk_meta(self.sizes(), self.dtype(), self.device(), k, dim);
  return {detail::allocate_result(std::move(v)), detail::allocate_result(std::move(i))};
}
inline std::pair<tensor_desc, tensor_desc> sort(const tensor_desc& self, std::int64_t dim = -1, bool /*descending*/ = false,
                                                std::optional<bool> /*stable*/ = {}) {
  auto [v, i] = sort_meta(self.sizes(), self.strides(), self.dtype(), self.device(), dim);
  return {detail::allocate_result(std::move(v)), detail::allocate_result(std::move(i))};
}
// argsort: sort's indices (CompositeImplicit in ATen).
inline tensor_desc argsort(const tensor_desc& self, std::int64_t dim = -1, bool descending = false, std::optional<bool> stable = {}) {
  return sort(self, dim, descending, stable).second;
}

}  // namespace fake
