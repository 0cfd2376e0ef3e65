// faketensor/ops/linalg.hpp — matrix products on tensor_desc: mm, bmm, addmm,
// baddbmm, addbmm, dot, mv, and the composites matmul, linear and outer.
//
// The primitive products have constexpr meta kernels (`*_meta`, ops/common.hpp
// Note [meta kernels]) and functional / out= / in-place wrappers. The
// composites are decompositions (Note [matmul paths]) that run the checks of
// the primitive each path calls, with that primitive's message, and allocate
// the one tensor the path returns.
//
// Note [matmul dtypes]
// 1.13's meta kernels of mm/bmm/mv/dot do not compare dtypes, but every real
// kernel refuses to multiply two dtypes: the CPU ones with "expected scalar type
// Float but found Double" (mm: self's dtype then mat2's; bmm: batch1's then
// batch2's; mv: the matrix's then the vector's), dot with "dot : expected both
// vectors to have same dtype, but found Float and Double", CUDA with "expected
// mat1 and mat2 to have the same dtype". We refuse always (CPU skips the check
// when there is nothing to compute, e.g. [2, 0] @ [0, 4]; 2.x's meta refuses
// always, as we do). addmm compares dtypes in its meta kernel ("self and mat2
// must have the same dtype", then "mat1 and mat2 must have the same dtype").
// baddbmm (1.13) lets self's dtype differ (it is cast) but not the batches'.
//
// Note [matmul paths]
// at::native::matmul (1.13, and torch/_decomp's copy of it) dispatches on the
// ranks: 1-D·1-D dot; 2-D·1-D mv; 1-D·2-D mm of the unsqueezed vector; 2-D·2-D
// mm; a ≥3-D tensor with a 1-D/2-D one is folded into one mm/mv when
// should_fold says so (the larger tensor is the first operand, transposed with
// mT when it is the second; 1.13 refuses to fold only a 3-D first operand
// whose last two dims are transposed, stride[0] == size[1]*size[2] and
// stride[2] != 1); everything else broadcasts the batch dims and calls bmm.
// Every path returns a new contiguous tensor (mm/mv/bmm results viewed, or
// mT().contiguous()), so the result's geometry is contiguous in the output
// shape; which path runs decides only which check fails and its message (e.g.
// "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x4)" with the folded
// rows, or bmm's "Expected size for first two dimensions of batch2 tensor").
#pragma once

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <utility>   // std::move

#include "faketensor/core/dtype.hpp"         // fake::dtype, fake::promote_types, fake::c10_name
#include "faketensor/core/error.hpp"         // fake::shape_error, fake::dtype_error
#include "faketensor/core/expect.hpp"        // fake::expect, fake::fail
#include "faketensor/core/result_type.hpp"   // fake::result_type
#include "faketensor/meta/tensor_desc.hpp"   // fake::tensor_desc
#include "faketensor/ops/common.hpp"         // fake::out_meta, fake::common_device
#include "faketensor/ops/tensor_iterator.hpp"  // fake::detail::ti_permuted_strides (outer's strides)
#include "faketensor/ops/reduction.hpp"      // fake::detail::structured_out, structured_inplace, contiguous_meta
#include "faketensor/shape/broadcast.hpp"    // fake::broadcast_shapes
#include "faketensor/shape/contiguity.hpp"   // fake::is_contiguous
#include "faketensor/shape/dim_vector.hpp"   // fake::dim_vector
#include "faketensor/view/geometry.hpp"      // fake::geom::compute_view_strides

namespace fake {
namespace detail {

// expand_size(self, sizes): self must expand to `to` (the messages of expand).
template <fixed_string Op, class Dims>
constexpr void check_expandable(const Dims& from, const Dims& to) {
  const auto nf = static_cast<std::int64_t>(from.size());
  const auto nt = static_cast<std::int64_t>(to.size());
  if (nf == 0) return;
  expect<shape_error, Op,
         "expand({}, size={}): the number of sizes provided ({}) must be greater or equal to the number of dimensions in the tensor ({})">(
      nt >= nf, from, to, nt, nf);
  for (std::int64_t i = 0; i < nf; ++i) {
    const auto f = from[static_cast<std::size_t>(nf - 1 - i)];
    const auto t = to[static_cast<std::size_t>(nt - 1 - i)];
    expect<shape_error, Op,
           "The expanded size of the tensor ({}) must match the existing size ({}) at non-singleton dimension {}.  Target sizes: {}.  Tensor sizes: {}">(
        f == t || f == 1, t, f, nt - 1 - i, to, from);
  }
}

// Tensor::size(d) on sizes: IndexError for a dim out of range.
template <fixed_string Op>
constexpr std::int64_t size_at(const dim_vector& sizes, std::int64_t d) {
  const auto n = static_cast<std::int64_t>(sizes.size());
  expect<index_error, Op, "Dimension specified as {} but tensor has no dimensions">(n > 0, d);
  return sizes[static_cast<std::size_t>(wrap_dim<Op>(d, n))];
}

constexpr std::int64_t product(const dim_vector& s, std::size_t begin, std::size_t end) {
  std::int64_t p = 1;
  for (std::size_t i = begin; i < end; ++i) p = checked_mul<"matmul">(p, s[i]);
  return p;
}

// A new contiguous tensor of `from` sizes viewed as `to` (same numel): the
// strides view() computes, which for size-1 and size-0 dims need not be
// contiguous_strides(to).
constexpr out_meta viewed_contiguous(const dim_vector& from, dim_vector to, dtype dt, device dev) {
  const dim_vector from_strides(contiguous_strides(from));
  dim_vector st;
  geom::compute_view_strides(from, from_strides, numel(from), to, st);  // a contiguous tensor always views
  return out_meta{std::move(to), std::move(st), dt, dev};
}

// The output strides TensorIterator gives `a op b` (both inputs defined, the
// output allocated): operands' strides with broadcast dims as 0, dims sorted
// by reorder_dimensions, then strides as products of the permuted shape
// (not clamped: a size-0 dim makes every outer stride 0).
constexpr dim_vector binary_output_strides(const dim_vector& shape, const dim_vector& a, const dim_vector& a_st, const dim_vector& b,
                                           const dim_vector& b_st) {
  const ti_geometry in[2] = {{&a, &a_st}, {&b, &b_st}};
  return ti_permuted_strides<"outer">(std::span<const ti_geometry>(in, 2), shape);
}


}  // namespace detail

// ------------------------------------------------------------ meta kernels ----

// The mm family's kernels are generic over the dims container: dim_vector, or
// sym_dims for symbolic sizes (Note [one kernel, three interpretations]).

// mm(self, mat2): [n, m] contiguous, self's dtype (Note [matmul dtypes]).
template <fixed_string Op = "mm", class Dims>
constexpr basic_out_meta<Dims> mm_meta(const Dims& a, dtype da, const Dims& b, dtype db, device dev) {
  expect<shape_error, Op, "self must be a matrix">(a.size() == 2);
  expect<shape_error, Op, "mat2 must be a matrix">(b.size() == 2);
  expect<shape_error, Op, "mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})">(a[1] == b[0], a[0], a[1], b[0], b[1]);
  expect<dtype_error, Op, "expected scalar type {} but found {}">(da == db, detail::c10_dtype{da}, detail::c10_dtype{db});
  return basic_out_meta<Dims>{Dims{a[0], b[1]}, Dims{dim_max(b[1], c<1>{}), 1}, da, dev};  // contiguous
}

// bmm(self, mat2): [b, n, p] contiguous.
template <fixed_string Op = "bmm", class Dims>
constexpr basic_out_meta<Dims> bmm_meta(const Dims& a, dtype da, const Dims& b, dtype db, device dev) {
  expect<shape_error, Op, "batch1 must be a 3D tensor">(a.size() == 3);
  expect<shape_error, Op, "batch2 must be a 3D tensor">(b.size() == 3);
  expect<shape_error, Op, "Expected size for first two dimensions of batch2 tensor to be: [{}, {}] but got: [{}, {}].">(
      b[0] == a[0] && b[1] == a[2], a[0], a[2], b[0], b[1]);
  expect<dtype_error, Op, "expected scalar type {} but found {}">(da == db, detail::c10_dtype{da}, detail::c10_dtype{db});
  return detail::contiguous_meta(Dims{a[0], a[1], b[2]}, db, dev);
}

// addmm(self, mat1, mat2): [n, m] in self's dtype; self must expand to [n, m]
// (`expand_self`: false for addmm_, whose self must be [n, m] itself).
template <class Dims>
constexpr basic_out_meta<Dims> addmm_meta(const Dims& self, dtype ds, const Dims& a, dtype da, const Dims& b, dtype db,
                                         device dev, bool expand_self = true) {
  expect<dtype_error, "addmm", "self and mat2 must have the same dtype">(ds == db);
  expect<dtype_error, "addmm", "mat1 and mat2 must have the same dtype">(da == db);
  expect<shape_error, "addmm", "mat1 must be a matrix, got {}-D tensor">(a.size() == 2, a.size());
  expect<shape_error, "addmm", "mat2 must be a matrix, got {}-D tensor">(b.size() == 2, b.size());
  expect<shape_error, "addmm", "mat1 and mat2 shapes cannot be multiplied ({}x{} and {}x{})">(a[1] == b[0], a[0], a[1], b[0],
                                                                                              b[1]);
  Dims out{a[0], b[1]};
  if (expand_self) detail::check_expandable<"addmm">(self, out);
  return detail::contiguous_meta(std::move(out), ds, dev);
}

// baddbmm(self, batch1, batch2): [b, n, p] in the batches' dtype; self must
// expand to it (checked first, as 1.13's meta does with expand_size).
constexpr out_meta baddbmm_meta(const dim_vector& self, const dim_vector& a, dtype da, const dim_vector& b, dtype db, device dev,
                                bool expand_self = true) {
  if (expand_self)
    detail::check_expandable<"baddbmm">(
        self, dim_vector{detail::size_at<"baddbmm">(a, 0), detail::size_at<"baddbmm">(a, 1), detail::size_at<"baddbmm">(b, 2)});
  return bmm_meta<"baddbmm">(a, da, b, db, dev);
}

// addbmm(self, batch1, batch2): [n, p] in self's dtype (a sum of addmm_ over the
// batches: their dtype checks run only when there is a batch).
constexpr out_meta addbmm_meta(const dim_vector& self, dtype ds, const dim_vector& a, dtype da, const dim_vector& b, dtype db,
                               device dev) {
  dim_vector out{detail::size_at<"addbmm">(a, 1), detail::size_at<"addbmm">(b, 2)};
  detail::check_expandable<"addbmm">(self, out);
  expect<shape_error, "addbmm", "batch1 must be a 3D tensor">(a.size() == 3);
  expect<shape_error, "addbmm", "batch2 must be a 3D tensor">(b.size() == 3);
  expect<shape_error, "addbmm", "batch1 and batch2 must have same number of batches, got {} and {}">(a[0] == b[0], a[0], b[0]);
  expect<shape_error, "addbmm", "Incompatible matrix sizes for bmm ({}x{} and {}x{})">(a[2] == b[1], a[1], a[2], b[1], b[2]);
  if (a[0] > 0) {
    expect<dtype_error, "addbmm", "self and mat2 must have the same dtype">(ds == db);
    expect<dtype_error, "addbmm", "mat1 and mat2 must have the same dtype">(da == db);
  }
  return detail::contiguous_meta(std::move(out), ds, dev);
}

// dot(self, tensor): 0-dim.
constexpr out_meta dot_meta(const dim_vector& a, dtype da, const dim_vector& b, dtype db, device dev) {
  expect<shape_error, "dot", "1D tensors expected, but got {}D and {}D tensors">(a.size() == 1 && b.size() == 1, a.size(), b.size());
  expect<dtype_error, "dot", "dot : expected both vectors to have same dtype, but found {} and {}">(da == db, detail::c10_dtype{da},
                                                                                                    detail::c10_dtype{db});
  expect<shape_error, "dot",
         "inconsistent tensor size, expected tensor [{}] and src [{}] to have the same number of elements, but got {} and {} elements respectively">(
      a[0] == b[0], a[0], b[0], a[0], b[0]);
  return out_meta{{}, {}, da, dev};
}

// mv(self, vec): [n] in vec's dtype (ATen: addmv_ into an empty [self.size(0)]).
constexpr out_meta mv_meta(const dim_vector& a, dtype da, const dim_vector& v, dtype dv, device dev) {
  const std::int64_t n = detail::size_at<"mv">(a, 0);
  expect<shape_error, "mv", "vector + matrix @ vector expected, got 1, {}, {}">(a.size() == 2 && v.size() == 1, a.size(), v.size());
  expect<shape_error, "mv", "size mismatch, got {}, {}x{},{}">(a[1] == v[0], n, a[0], a[1], v[0]);
  expect<dtype_error, "mv", "expected scalar type {} but found {}">(da == dv, detail::c10_dtype{da}, detail::c10_dtype{dv});
  return detail::contiguous_meta(dim_vector{n}, dv, dev);
}

// outer(self, vec2) = self.reshape([n, 1]) * vec2: [n, m] in the promoted
// dtype, strided as TensorIterator orders those two operands (contiguous but
// for degenerate sizes: [0] x [1] gives strides [1, 0]).
constexpr out_meta outer_meta(const dim_vector& a, const dim_vector& a_st, dtype da, const dim_vector& b, const dim_vector& b_st,
                              dtype db, device dev) {
  expect<shape_error, "outer", "outer: Expected 1-D argument self, but got {}-D">(a.size() == 1, a.size());
  expect<shape_error, "outer", "outer: Expected 1-D argument vec2, but got {}-D">(b.size() == 1, b.size());
  dim_vector shape{a[0], b[0]};
  const dim_vector col{a[0], 1};
  dim_vector col_st;
  if (!geom::compute_view_strides(a, a_st, a[0], col, col_st)) col_st = dim_vector(contiguous_strides(col));  // reshape copies
  dim_vector st = detail::binary_output_strides(shape, col, col_st, b, b_st);
  return out_meta{std::move(shape), std::move(st), promote_types(da, db), dev};
}

namespace detail {
// 1.13's should_fold(tensor1, dim_tensor2) (Note [matmul paths]).
constexpr bool should_fold(const dim_vector& s1, const dim_vector& st1, std::size_t dim2) {
  const std::size_t dim1 = s1.size();
  if (!(dim1 >= 3 && (dim2 == 1 || dim2 == 2))) return false;
  if (dim1 == 3 && dim2 == 2 && st1[2] != 1 && st1[0] == s1[1] * s1[2]) return false;
  return true;
}
}  // namespace detail

// matmul(self, other) (Note [matmul paths]).
constexpr out_meta matmul_meta(const dim_vector& s1, const dim_vector& st1, dtype d1, const dim_vector& s2, const dim_vector& st2,
                               dtype d2, device dev) {
  const std::size_t dim1 = s1.size(), dim2 = s2.size();
  expect<shape_error, "matmul", "both arguments to matmul need to be at least 1D, but they are {}D and {}D">(dim1 != 0 && dim2 != 0,
                                                                                                           dim1, dim2);
  if (dim1 == 1 && dim2 == 1) return dot_meta(s1, d1, s2, d2, dev);
  if (dim1 == 2 && dim2 == 1) return mv_meta(s1, d1, s2, d2, dev);
  if (dim1 == 1 && dim2 == 2) {
    out_meta m = mm_meta(dim_vector{1, s1[0]}, d1, s2, d2, dev);
    return detail::contiguous_meta(dim_vector{m.sizes[1]}, m.dtype, dev);
  }
  if (dim1 == 2 && dim2 == 2) return mm_meta(s1, d1, s2, d2, dev);
  if (detail::should_fold(s1, st1, dim2) || detail::should_fold(s2, st2, dim1)) {
    const bool transpose = dim2 > dim1;
    // t1: the larger tensor (mT of the second one when transposed), t2 the other (.t() of a matrix).
    dim_vector t1 = transpose ? s2 : s1;
    if (transpose) std::swap(t1[t1.size() - 1], t1[t1.size() - 2]);
    const dtype dt1 = transpose ? d2 : d1, dt2 = transpose ? d1 : d2;
    dim_vector t2 = transpose ? s1 : s2;
    if (transpose && t2.size() == 2) std::swap(t2[0], t2[1]);
    const std::int64_t folded = detail::product(t1, 0, t1.size() - 1);
    dim_vector out(t1.begin(), t1.end() - 1);
    if (t2.size() != 2) {
      const out_meta r = mv_meta(dim_vector{folded, t1.back()}, dt1, t2, dt2, dev);
      return detail::viewed_contiguous(r.sizes, std::move(out), r.dtype, dev);
    }
    const out_meta r = mm_meta(dim_vector{folded, t1.back()}, dt1, t2, dt2, dev);
    out.push_back(t2[1]);
    out_meta v = detail::viewed_contiguous(r.sizes, std::move(out), r.dtype, dev);
    if (transpose) {  // output.mT().contiguous(): contiguous() keeps a tensor that already is
      const std::size_t k = v.sizes.size();
      std::swap(v.sizes[k - 1], v.sizes[k - 2]);
      std::swap(v.strides[k - 1], v.strides[k - 2]);
      if (!is_contiguous(v.sizes, v.strides)) v.strides = dim_vector(contiguous_strides(v.sizes));
    }
    return v;
  }
  // Broadcast the batch dims, expand both and call bmm.
  const std::int64_t n = dim1 > 1 ? s1[dim1 - 2] : 1;
  const std::int64_t m1 = s1[dim1 - 1];
  const std::int64_t m2 = dim2 > 1 ? s2[dim2 - 2] : s2[0];
  const std::int64_t p = dim2 > 1 ? s2[dim2 - 1] : 1;
  const dim_vector batch1(s1.begin(), s1.begin() + static_cast<std::ptrdiff_t>(dim1 > 2 ? dim1 - 2 : 0));
  const dim_vector batch2(s2.begin(), s2.begin() + static_cast<std::ptrdiff_t>(dim2 > 2 ? dim2 - 2 : 0));
  dim_vector out(broadcast_shapes(batch1, batch2));
  const std::int64_t b = detail::product(out, 0, out.size());
  const out_meta r = bmm_meta<"bmm">(dim_vector{b, n, m1}, d1, dim_vector{b, m2, p}, d2, dev);
  if (dim1 > 1) out.push_back(n);
  if (dim2 > 1) out.push_back(p);
  return detail::viewed_contiguous(r.sizes, std::move(out), r.dtype, dev);  // _unsafe_view of bmm's result
}

// linear(input, weight, bias) (CompositeImplicit in ATen, 1.13):
//  * 2-D input with a bias: addmm(bias, input, weight.t());
//  * contiguous 3-D input with a bias: addmm on the input viewed as 2-D;
//  * otherwise matmul(input, weight.t()), then bias added in place (the bias
//    must broadcast to the product's shape; its dtype must cast to it).
// The result is contiguous on every path.
constexpr out_meta linear_meta(const dim_vector& in, const dim_vector& in_st, dtype din, const dim_vector& w, dtype dw,
                               const dim_vector* bias, dtype db, device dev, bool bias_is_zero_dim = false) {
  expect<shape_error, "linear", "t() expects a tensor with <= 2 dimensions, but self is {}D">(w.size() <= 2, w.size());
  dim_vector wt = w;
  if (wt.size() == 2) std::swap(wt[0], wt[1]);
  dim_vector wt_st(contiguous_strides(w));
  if (wt_st.size() == 2) std::swap(wt_st[0], wt_st[1]);
  if (bias && in.size() == 2) return addmm_meta(*bias, db, in, din, wt, dw, dev);
  if (bias && in.size() == 3 && is_contiguous(in, in_st)) {
    out_meta m = addmm_meta(*bias, db, dim_vector{checked_mul<"linear">(in[0], in[1]), in[2]}, din, wt, dw, dev);
    return detail::viewed_contiguous(m.sizes, dim_vector{in[0], in[1], m.sizes[1]}, m.dtype, dev);
  }
  out_meta m = matmul_meta(in, in_st, din, wt, wt_st, dw, dev);
  if (bias) {  // output.add_(bias)
    const dim_vector shape(broadcast_shapes(m.sizes, *bias));
    expect<shape_error, "linear", "output with shape {} doesn't match the broadcast shape {}">(shape == m.sizes, m.sizes, shape);
    const dtype r = result_type({{m.dtype, m.sizes.empty() ? operand_kind::zero_dim : operand_kind::tensor},
                                 {db, bias_is_zero_dim ? operand_kind::zero_dim : operand_kind::tensor}});
    expect<dtype_error, "linear", "result type {} can't be cast to the desired output type {}">(can_cast(r, m.dtype), detail::c10_dtype{r},
                                                                                                detail::c10_dtype{m.dtype});
  }
  return m;
}

// ------------------------------------------------------------ tensor_desc ----

inline tensor_desc mm(const tensor_desc& self, const tensor_desc& mat2) {
  const device dev = detail::common_device_of<"mm">(self, mat2);
  return detail::allocate_result(mm_meta(self.sizes(), self.dtype(), mat2.sizes(), mat2.dtype(), dev));
}
inline tensor_desc mm_out(const tensor_desc& self, const tensor_desc& mat2, const tensor_desc& out) {
  const device dev = detail::common_device_of<"mm">(self, mat2);
  tensor_desc r = detail::structured_out<"mm">(out, mm_meta(self.sizes(), self.dtype(), mat2.sizes(), mat2.dtype(), dev));
  if (self.size(1) != 0) detail::check_no_internal_overlap<"mm">(r);  // the CPU kernel, past its k == 0 early return
  return r;
}

inline tensor_desc bmm(const tensor_desc& self, const tensor_desc& mat2) {
  const device dev = detail::common_device_of<"bmm">(self, mat2);
  return detail::allocate_result(bmm_meta(self.sizes(), self.dtype(), mat2.sizes(), mat2.dtype(), dev));
}
inline tensor_desc bmm_out(const tensor_desc& self, const tensor_desc& mat2, const tensor_desc& out) {
  const device dev = detail::common_device_of<"bmm">(self, mat2);
  return detail::structured_out<"bmm">(out, bmm_meta(self.sizes(), self.dtype(), mat2.sizes(), mat2.dtype(), dev));
}

// addmm(self, mat1, mat2, *, beta=1, alpha=1): the scalars do not change metadata.
inline tensor_desc addmm(const tensor_desc& self, const tensor_desc& mat1, const tensor_desc& mat2) {
  const device dev = detail::common_device_of<"addmm">(self, mat1, mat2);
  return detail::allocate_result(addmm_meta(self.sizes(), self.dtype(), mat1.sizes(), mat1.dtype(), mat2.sizes(), mat2.dtype(), dev));
}
inline tensor_desc addmm_out(const tensor_desc& self, const tensor_desc& mat1, const tensor_desc& mat2, const tensor_desc& out) {
  const device dev = detail::common_device_of<"addmm">(self, mat1, mat2);
  tensor_desc r = detail::structured_out<"addmm">(
      out, addmm_meta(self.sizes(), self.dtype(), mat1.sizes(), mat1.dtype(), mat2.sizes(), mat2.dtype(), dev));
  if (mat1.size(1) != 0) detail::check_no_internal_overlap<"addmm">(r);
  return r;
}
inline const tensor_desc& addmm_(const tensor_desc& self, const tensor_desc& mat1, const tensor_desc& mat2) {
  const device dev = detail::common_device_of<"addmm_">(self, mat1, mat2);
  return detail::structured_inplace<"addmm_">(
      self, addmm_meta(self.sizes(), self.dtype(), mat1.sizes(), mat1.dtype(), mat2.sizes(), mat2.dtype(), dev, false));
}

inline tensor_desc baddbmm(const tensor_desc& self, const tensor_desc& batch1, const tensor_desc& batch2) {
  const device dev = detail::common_device_of<"baddbmm">(self, batch1, batch2);
  return detail::allocate_result(baddbmm_meta(self.sizes(), batch1.sizes(), batch1.dtype(), batch2.sizes(), batch2.dtype(), dev));
}
inline tensor_desc baddbmm_out(const tensor_desc& self, const tensor_desc& batch1, const tensor_desc& batch2, const tensor_desc& out) {
  const device dev = detail::common_device_of<"baddbmm">(self, batch1, batch2);
  return detail::structured_out<"baddbmm">(
      out, baddbmm_meta(self.sizes(), batch1.sizes(), batch1.dtype(), batch2.sizes(), batch2.dtype(), dev));
}
inline const tensor_desc& baddbmm_(const tensor_desc& self, const tensor_desc& batch1, const tensor_desc& batch2) {
  const device dev = detail::common_device_of<"baddbmm_">(self, batch1, batch2);
  return detail::structured_inplace<"baddbmm_">(
      self, baddbmm_meta(self.sizes(), batch1.sizes(), batch1.dtype(), batch2.sizes(), batch2.dtype(), dev, false));
}

inline tensor_desc addbmm(const tensor_desc& self, const tensor_desc& batch1, const tensor_desc& batch2) {
  const device dev = detail::common_device_of<"addbmm">(self, batch1, batch2);
  return detail::allocate_result(addbmm_meta(self.sizes(), self.dtype(), batch1.sizes(), batch1.dtype(), batch2.sizes(), batch2.dtype(), dev));
}
// addbmm.out: not structured in 1.13 (resize_as_ of the expanded self): out's
// dtype must be self's for the addmm_ calls into it.
inline tensor_desc addbmm_out(const tensor_desc& self, const tensor_desc& batch1, const tensor_desc& batch2, const tensor_desc& out) {
  const device dev = detail::common_device_of<"addbmm">(self, batch1, batch2);
  out_meta m = addbmm_meta(self.sizes(), out.dtype(), batch1.sizes(), batch1.dtype(), batch2.sizes(), batch2.dtype(), dev);
  if (batch1.size(0) == 0) m.dtype = out.dtype();
  return resize_out<"addbmm">(out, m);
}
// addbmm_: self must already have the product's shape.
inline const tensor_desc& addbmm_(const tensor_desc& self, const tensor_desc& batch1, const tensor_desc& batch2) {
  const device dev = detail::common_device_of<"addbmm_">(self, batch1, batch2);
  const out_meta m = addbmm_meta(self.sizes(), self.dtype(), batch1.sizes(), batch1.dtype(), batch2.sizes(), batch2.dtype(), dev);
  expect<shape_error, "addbmm_", "output with shape {} doesn't match the broadcast shape {}">(self.sizes() == m.sizes, self.sizes(),
                                                                                              m.sizes);
  self.storage().bump_version();
  return self;
}

inline tensor_desc dot(const tensor_desc& self, const tensor_desc& other) {
  const device dev = detail::common_device_of<"dot">(self, other);
  return detail::allocate_result(dot_meta(self.sizes(), self.dtype(), other.sizes(), other.dtype(), dev));
}
// dot.out: resized to 0-dim; "result dtype Double does not match input dtype Float".
inline tensor_desc dot_out(const tensor_desc& self, const tensor_desc& other, const tensor_desc& out) {
  const device dev = detail::common_device_of<"dot">(self, other);
  const out_meta m = dot_meta(self.sizes(), self.dtype(), other.sizes(), other.dtype(), dev);
  expect<dtype_error, "dot", "result dtype {} does not match input dtype {}">(out.dtype() == m.dtype, detail::c10_dtype{out.dtype()},
                                                                               detail::c10_dtype{m.dtype});
  return resize_out<"dot">(out, m);
}

inline tensor_desc mv(const tensor_desc& self, const tensor_desc& vec) {
  const device dev = detail::common_device_of<"mv">(self, vec);
  return detail::allocate_result(mv_meta(self.sizes(), self.dtype(), vec.sizes(), vec.dtype(), dev));
}
inline tensor_desc mv_out(const tensor_desc& self, const tensor_desc& vec, const tensor_desc& out) {
  const device dev = detail::common_device_of<"mv">(self, vec);
  return detail::structured_out<"mv">(out, mv_meta(self.sizes(), self.dtype(), vec.sizes(), vec.dtype(), dev));
}

inline tensor_desc outer(const tensor_desc& self, const tensor_desc& vec2) {
  const device dev = detail::common_device_of<"outer">(self, vec2);
  return detail::allocate_result(outer_meta(self.sizes(), self.strides(), self.dtype(), vec2.sizes(), vec2.strides(), vec2.dtype(), dev));
}

inline tensor_desc matmul(const tensor_desc& self, const tensor_desc& other) {
  const device dev = detail::common_device_of<"matmul">(self, other);
  return detail::allocate_result(matmul_meta(self.sizes(), self.strides(), self.dtype(), other.sizes(), other.strides(), other.dtype(), dev));
}

inline tensor_desc linear(const tensor_desc& input, const tensor_desc& weight, const std::optional<tensor_desc>& bias = {}) {
  const tensor_desc* b = bias && bias->is_defined() ? &*bias : nullptr;
  const device dev = common_device<"linear">({&input, &weight, b});
  return detail::allocate_result(linear_meta(input.sizes(), input.strides(), input.dtype(), weight.sizes(), weight.dtype(),
                              b ? &b->sizes() : nullptr, b ? b->dtype() : input.dtype(), dev, b && b->dim() == 0));
}

}  // namespace fake
