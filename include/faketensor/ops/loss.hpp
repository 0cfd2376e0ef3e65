// faketensor/ops/loss.hpp — losses: nll_loss_forward / nll_loss,
// nll_loss2d_forward / nll_loss2d, nll_loss_nd, cross_entropy_loss (class
// indices, label smoothing, class probabilities) and mse_loss.
//
// Checks and messages are ATen 1.13's (nll_loss_forward's meta function, the
// cpu nll_loss2d checks, the cross_entropy_loss composite). Outputs:
//  * nll_loss_forward: output [N] for reduction none on a 2-D input, else 0-dim;
//    total_weight 0-dim; both the input's dtype, contiguous;
//  * nll_loss2d_forward: [N, H, W] for none, else 0-dim;
//  * nll_loss_nd: 1-D/2-D -> nll_loss, 4-D -> nll_loss2d, else viewed as
//    (N, C, 1, -1) and back;
//  * cross_entropy_loss with class probabilities: -(log_softmax(x) * target)
//    reduced over the class dim (contiguous) or to 0-dim, in the promoted dtype;
//  * mse_loss: TensorIterator's binary-op output (Note [TensorIterator output
//    strides]) for none, 0-dim otherwise; the promoted dtype.
#pragma once

#include <array>     // std::array
#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <utility>   // std::pair

#include "faketensor/core/error.hpp"          // fake::shape_error, fake::value_error
#include "faketensor/core/expect.hpp"         // fake::expect
#include "faketensor/core/result_type.hpp"    // fake::operand
#include "faketensor/meta/tensor_desc.hpp"    // fake::tensor_desc
#include "faketensor/ops/common.hpp"          // fake::out_meta, fake::allocate, fake::common_device
#include "faketensor/ops/nn_common.hpp"       // fake::tensor_meta, fake::detail::make_out
#include "faketensor/ops/norm.hpp"            // fake::log_softmax
#include "faketensor/ops/tensor_iterator.hpp" // fake::ti_output_geometry, fake::ti_common_dtype
#include "faketensor/shape/dim_vector.hpp"    // fake::dim_vector
#include "faketensor/view/ops.hpp"            // fake::view

namespace fake {

// at::Reduction
enum class reduction : std::int64_t { none = 0, mean = 1, sum = 2 };

namespace detail {
template <fixed_string Op>
constexpr reduction to_reduction(std::int64_t r) {
  expect<value_error, Op, "{} is not a valid value for reduction">(r >= 0 && r <= 2, r);
  return static_cast<reduction>(r);
}
constexpr operand operand_of(const tensor_meta& t) {
  return {t.dtype, t.dim() == 0 ? operand_kind::zero_dim : operand_kind::tensor};
}
}  // namespace detail

// nll_loss_forward: (output, total_weight).
constexpr std::pair<out_meta, out_meta> nll_loss_forward_meta(const tensor_meta& self, const tensor_meta& target,
                                                              const dim_vector* weight, std::int64_t reduction_, device dev) {
  const reduction r = detail::to_reduction<"nll_loss_forward">(reduction_);
  expect<shape_error, "nll_loss_forward", "input tensor should be 1D or 2D">(self.dim() > 0 && self.dim() <= 2);
  expect<shape_error, "nll_loss_forward", "0D or 1D target tensor expected, multi-target not supported">(target.dim() <= 1);
  const bool no_batch_dim = self.dim() == 1 && target.dim() == 0;
  expect<shape_error, "nll_loss_forward", "size mismatch (got input: {}, target: {})">(
      no_batch_dim || (target.dim() == 1 && self.sizes[0] == target.sizes[0]), self.sizes, target.sizes);
  const std::int64_t n_classes = self.size(-1);
  if (weight != nullptr)
    expect<shape_error, "nll_loss_forward",
           "weight tensor should be defined either for all {} classes or no classes but got weight tensor of shape: {}">(
        weight->size() == 1 && (*weight)[0] == n_classes, n_classes, *weight);
  dim_vector out = r == reduction::none && self.dim() == 2 ? dim_vector{self.sizes[0]} : dim_vector{};
  return {detail::make_out(std::move(out), memory_format::contiguous_format, self.dtype, dev),
          detail::make_out(dim_vector{}, memory_format::contiguous_format, self.dtype, dev)};
}

constexpr std::pair<out_meta, out_meta> nll_loss2d_forward_meta(const tensor_meta& self, const tensor_meta& target,
                                                                const dim_vector* weight, std::int64_t reduction_, device dev) {
  const reduction r = detail::to_reduction<"nll_loss2d_forward">(reduction_);
  expect<shape_error, "nll_loss2d_forward", "only batches of spatial targets supported (3D tensors) but got targets of dimension: {}">(
      target.dim() == 3, target.dim());
  expect<shape_error, "nll_loss2d_forward", "only batches of spatial inputs supported (4D tensors), but got input of dimension: {}">(
      self.dim() == 4, self.dim());
  if (weight != nullptr) {
    std::int64_t n = 1;
    for (std::int64_t s : *weight) n *= s;
    expect<shape_error, "nll_loss2d_forward", "weight tensor should be defined either for all or no classes">(n == self.sizes[1]);
  }
  expect<shape_error, "nll_loss2d_forward", "size mismatch (got input: {} , target: {}">(
      self.sizes[0] == target.sizes[0] && self.sizes[2] == target.sizes[1] && self.sizes[3] == target.sizes[2], self.sizes,
      target.sizes);
  dim_vector out = r == reduction::none ? dim_vector{self.sizes[0], self.sizes[2], self.sizes[3]} : dim_vector{};
  return {detail::make_out(std::move(out), memory_format::contiguous_format, self.dtype, dev),
          detail::make_out(dim_vector{}, memory_format::contiguous_format, self.dtype, dev)};
}

// mse_loss: the TensorIterator binary op's output, reduced to 0-dim for mean/sum.
template <fixed_string Op = "mse_loss">
constexpr out_meta mse_loss_meta(const tensor_meta& self, const tensor_meta& target, std::int64_t reduction_, device dev) {
  const reduction r = detail::to_reduction<Op>(reduction_);
  const std::array<operand, 2> ops{detail::operand_of(self), detail::operand_of(target)};
  const dtype dt = ti_common_dtype<Op>(ops, ti_dtype_rule::promote);
  const std::array<ti_geometry, 2> geo{ti_geometry{&self.sizes, &self.strides}, ti_geometry{&target.sizes, &target.strides}};
  dim_vector shape, strides;
  ti_output_geometry<Op>(geo, shape, strides);
  if (r != reduction::none) return out_meta{dim_vector{}, dim_vector{}, dt, dev};
  return out_meta{std::move(shape), std::move(strides), dt, dev};
}

// ----------------------------------------------------- tensor_desc API ----

namespace detail {
inline const tensor_desc* defined_or_null(const std::optional<tensor_desc>& t) {
  return t && t->is_defined() ? &*t : nullptr;
}
}  // namespace detail

inline std::pair<tensor_desc, tensor_desc> nll_loss_forward(const tensor_desc& self, const tensor_desc& target,
                                                            const std::optional<tensor_desc>& weight, std::int64_t reduction_,
                                                            std::int64_t ignore_index) {
  static_cast<void>(ignore_index);
  const tensor_desc* w = detail::defined_or_null(weight);
  const device dev = common_device<"nll_loss_forward">({&self, &target, w});
  auto [o, t] = nll_loss_forward_meta(meta_of(self), meta_of(target), w ? &w->sizes() : nullptr, reduction_, dev);
  return {allocate(o), allocate(t)};
}
inline std::pair<tensor_desc, tensor_desc> nll_loss2d_forward(const tensor_desc& self, const tensor_desc& target,
                                                              const std::optional<tensor_desc>& weight, std::int64_t reduction_,
                                                              std::int64_t ignore_index) {
  static_cast<void>(ignore_index);
  const tensor_desc* w = detail::defined_or_null(weight);
  const device dev = common_device<"nll_loss2d_forward">({&self, &target, w});
  auto [o, t] = nll_loss2d_forward_meta(meta_of(self), meta_of(target), w ? &w->sizes() : nullptr, reduction_, dev);
  return {allocate(o), allocate(t)};
}
inline tensor_desc nll_loss(const tensor_desc& self, const tensor_desc& target, const std::optional<tensor_desc>& weight = std::nullopt,
                            std::int64_t reduction_ = 1, std::int64_t ignore_index = -100) {
  return nll_loss_forward(self, target, weight, reduction_, ignore_index).first;
}
inline tensor_desc nll_loss2d(const tensor_desc& self, const tensor_desc& target,
                              const std::optional<tensor_desc>& weight = std::nullopt, std::int64_t reduction_ = 1,
                              std::int64_t ignore_index = -100) {
  return nll_loss2d_forward(self, target, weight, reduction_, ignore_index).first;
}

namespace detail {
// nll_loss_nd's checks of the input's rank and batch size.
inline void check_nll_loss_nd(const tensor_desc& self, const tensor_desc& target) {
  expect<value_error, "nll_loss_nd", "Expected 1 or more dimensions (got {})">(self.dim() >= 1, self.dim());
  if (self.dim() != 1)
    expect<value_error, "nll_loss_nd", "Expected input batch_size ({}) to match target batch_size ({}).">(
        target.dim() >= 1 && self.sizes()[0] == target.sizes()[0], self.sizes()[0], target.dim() >= 1 ? target.sizes()[0] : 0);
}
// For an input of rank 3 or above 4: the unreduced output's size (N, *spatial),
// once the target is checked to be (N, *spatial).
inline dim_vector nll_loss_nd_out_size(const tensor_desc& self, const tensor_desc& target) {
  dim_vector out_size(self.sizes().begin() + 2, self.sizes().end());
  out_size.insert(out_size.begin(), self.sizes()[0]);
  const dim_vector target_rest(target.sizes().begin() + 1, target.sizes().end());
  const dim_vector self_rest(self.sizes().begin() + 2, self.sizes().end());
  expect<shape_error, "nll_loss_nd", "Expected target size {}, got {}">(target_rest == self_rest, out_size, target.sizes());
  return out_size;
}
// cross_entropy_loss with class probabilities: the target's checks; n_classes.
inline std::int64_t check_cross_entropy_probs(const tensor_desc& self, const tensor_desc& target, const tensor_desc* weight,
                                              std::int64_t ignore_index) {
  expect<dtype_error, "cross_entropy_loss", "Expected floating point type for target with class probabilities, got {}">(
      is_floating_point(target.dtype()), c10_name(target.dtype()));
  expect<value_error, "cross_entropy_loss", "ignore_index is not supported for floating point target">(ignore_index < 0);
  const std::int64_t n_classes = self.size(self.dim() == 1 ? 0 : 1);
  if (weight != nullptr)
    expect<shape_error, "cross_entropy_loss",
           "cross_entropy: weight tensor should be defined either for all {} classes or no classes but got weight tensor of "
           "shape: {}">(weight->dim() == 1 && weight->numel() == n_classes, n_classes, weight->sizes());
  return n_classes;
}
inline void check_label_smoothing(double label_smoothing) {
  expect<value_error, "cross_entropy_loss", "label_smoothing must be between 0.0 and 1.0. Got: {}">(label_smoothing <= 1.0,
                                                                                                  std::to_string(label_smoothing));
}
}  // namespace detail

// nll_loss_nd (composite): dispatches on the input's rank.
inline tensor_desc nll_loss_nd(const tensor_desc& self, const tensor_desc& target, const std::optional<tensor_desc>& weight = std::nullopt,
                               std::int64_t reduction_ = 1, std::int64_t ignore_index = -100) {
  detail::check_nll_loss_nd(self, target);
  if (self.dim() <= 2) return nll_loss(self, target, weight, reduction_, ignore_index);
  if (self.dim() == 4) return nll_loss2d(self, target, weight, reduction_, ignore_index);
  const std::int64_t n = self.sizes()[0], c = self.sizes()[1];
  const dim_vector out_size = detail::nll_loss_nd_out_size(self, target);
  // contiguous() then view: only the geometry of the views matters here.
  const tensor_desc input_ = fake::view(allocate(detail::make_out(self.sizes(), memory_format::contiguous_format, self.dtype(), self.device())),
                                        dim_vector{n, c, 1, -1});
  const tensor_desc target_ = fake::view(
      allocate(detail::make_out(target.sizes(), memory_format::contiguous_format, target.dtype(), target.device())), dim_vector{n, 1, -1});
  tensor_desc out = nll_loss2d(input_, target_, weight, reduction_, ignore_index);
  if (reduction_ != 0) return out;
  return fake::view(out, out_size);
}

// cross_entropy_loss (composite, 1.13).
inline tensor_desc cross_entropy_loss(const tensor_desc& self, const tensor_desc& target,
                                      const std::optional<tensor_desc>& weight = std::nullopt, std::int64_t reduction_ = 1,
                                      std::int64_t ignore_index = -100, double label_smoothing = 0.0) {
  const std::int64_t class_dim = self.dim() == 1 ? 0 : 1;
  if (self.sizes() == target.sizes()) {
    const tensor_desc* w = detail::defined_or_null(weight);
    static_cast<void>(detail::check_cross_entropy_probs(self, target, w, ignore_index));
    detail::check_label_smoothing(label_smoothing);
    const reduction r = detail::to_reduction<"cross_entropy_loss">(reduction_);
    const tensor_desc input = log_softmax(self, class_dim, self.dtype());
    const device dev = common_device<"cross_entropy_loss">({&input, &target, w});
    result_type_state st;
    st.update(detail::operand_of(meta_of(input)));
    st.update(detail::operand_of(meta_of(target)));
    if (w != nullptr) st.update(operand{w->dtype(), operand_kind::tensor});
    const dtype dt = *st.result();
    dim_vector out;
    if (r == reduction::none) {
      out = self.sizes();
      out.erase(out.begin() + class_dim);
    }
    return allocate(detail::make_out(std::move(out), memory_format::contiguous_format, dt, dev));
  }
  if (label_smoothing > 0.0) detail::check_label_smoothing(label_smoothing);
  const tensor_desc nll = nll_loss_nd(log_softmax(self, class_dim, self.dtype()), target, weight, reduction_, ignore_index);
  if (label_smoothing > 0.0)  // (1 - ls) * nll + smooth: a new tensor shaped like nll
    return allocate(detail::make_out(nll.sizes(), memory_format::contiguous_format, nll.dtype(), nll.device()));
  return nll;
}

inline tensor_desc mse_loss(const tensor_desc& self, const tensor_desc& target, std::int64_t reduction_ = 1) {
  const device dev = common_device<"mse_loss">({&self, &target});
  return allocate(mse_loss_meta(meta_of(self), meta_of(target), reduction_, dev));
}

}  // namespace fake
