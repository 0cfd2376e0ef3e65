// faketensor/dispatch/builtin_nn.hpp — the neural-network operators of the
// runtime registry (ops/nn.hpp): schemas as in PyTorch 2.x's
// native_functions.yaml with 1.13's defaults, tags, and boxed kernels.
// Meta kernels register under CompositeExplicitAutograd; the ops that are
// CompositeImplicitAutograd in ATen (conv2d, max_pool2d, softmax.int,
// layer_norm, batch_norm, dropout, cross_entropy_loss, nll_loss_nd, ...) under
// CompositeImplicitAutograd: conv*d, max_pool2d, adaptive_avg_pool2d,
// layer_norm, batch_norm, softmax, log_softmax and dropout decompose through
// the dispatcher (Note [composites decompose]); the others call the C++
// functions of the ops they decompose into.
//
// out= variants are defined for the structured kernels whose out= is cheap
// (_softmax.out, _log_softmax.out, avg_pool2d.out, max_pool2d_with_indices.out,
// mse_loss.out, upsample_*2d.out, the pads' .out): the out tensor must have the
// computed dtype and is resized to the computed sizes and strides when its
// shape differs (ATen's structured resize_out).
#pragma once

#include <optional>  // std::optional
#include <string>    // std::string
#include <utility>   // std::pair
#include <vector>    // std::vector

#include "faketensor/dispatch/composite.hpp" // fake::composite (Note [composites decompose])
#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::registration
#include "faketensor/meta/sym_tensor.hpp"    // fake::with_symbolic, fake::sym_geometry
#include "faketensor/ops/ivalue.hpp"         // fake::stack, fake::ivalue
#include "faketensor/ops/nn.hpp"             // the nn meta kernels
#include "faketensor/ops/tags.hpp"           // fake::op_tag

namespace fake {
namespace detail {

inline std::optional<tensor_desc> nn_opt_tensor(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<tensor_desc>(v.to_tensor());
}
inline std::optional<dtype> nn_opt_dtype(const ivalue& v) { return v.is_none() ? std::nullopt : std::optional<dtype>(v.to_dtype()); }
inline std::optional<dim_vector> nn_opt_ints(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<dim_vector>(v.to_int_list());
}
inline std::optional<std::vector<double>> nn_opt_floats(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<std::vector<double>>(v.to_float_list());
}
template <class... T>
void nn_return(stack& s, T&&... ts) {
  // the results are made (moved into ivalues) before the arguments go
  ivalue results[] = {ivalue(std::forward<T>(ts))...};
  s.clear();
  for (ivalue& r : results) s.push_back(std::move(r));
}
inline std::string nn_dtype_name(dtype d) {
  switch (d) {
    case dtype::float32: return "float";
    case dtype::float64: return "double";
    case dtype::float16: return "c10::Half";
    case dtype::bfloat16: return "c10::BFloat16";
    case dtype::int64: return "long int";
    case dtype::int32: return "int";
    case dtype::bool_: return "bool";
    default: return std::string(c10_name(d));
  }
}

// A structured kernel's out= tensor: the computed dtype exactly, resized (and
// restrided to the computed strides) when its shape differs.
template <fixed_string Op>
tensor_desc nn_structured_out(const tensor_desc& out, const out_meta& m) {
  expect<dtype_error, Op, "Expected out tensor to have dtype {}, but got {} instead">(out.dtype() == m.dtype, nn_dtype_name(m.dtype),
                                                                                       nn_dtype_name(out.dtype()));
  return resize_out<Op>(out, m);
}

// The symbolic rule of _softmax / _log_softmax (Note [symbolic rules of kernels]).
template <fixed_string Op>
auto softmax_rule(const tensor_desc& self, std::int64_t dim, bool half_to_float) {
  return [&self, dim, half_to_float](const sym_geometry& g) {
    return softmax_meta<Op>(basic_tensor_meta<sym_dims>{g.sizes, g.strides, self.dtype(), self.device()}, dim, half_to_float);
  };
}

inline op_overload& nn_define(op_registry& r, std::vector<registration>& keep, const char* schema, op_tags tags, kernel k,
                              dispatch_key key) {
  op_overload& op = r.define(schema, tags);
  keep.push_back(op.register_kernel(key, std::move(k)));
  return op;
}

}  // namespace detail

// Defines every nn op in `r`; `keep` holds the kernel registrations.
inline void register_nn_ops(op_registry& r, std::vector<registration>& keep) {
  using enum op_tag;
  using detail::nn_opt_tensor;
  using detail::nn_return;
  using K = kernel::function;
  const auto def = [&](const char* schema, op_tags tags, K k) {
    detail::nn_define(r, keep, schema, tags, std::move(k), dispatch_key::composite_explicit_autograd);
  };
  const auto comp = [&](const char* schema, op_tags tags, K k) {
    detail::nn_define(r, keep, schema, tags, std::move(k), dispatch_key::composite_implicit_autograd);
  };
#define FAKE_NK [](const op_overload&, dispatch_key_set, stack& s)
#define FAKE_T(i) s[i].to_tensor()
#define FAKE_I(i) s[i].to_int()
#define FAKE_L(i) s[i].to_int_list()

  // --------------------------------------------------------- convolution
  def("aten::convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, "
      "bool transposed, SymInt[] output_padding, SymInt groups) -> Tensor",
      {core}, FAKE_NK {
        nn_return(s, convolution(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]),
                                 conv_args{FAKE_L(3), FAKE_L(4), FAKE_L(5), s[6].to_bool(), FAKE_L(7), FAKE_I(8)}));
      });
  comp("aten::_convolution_mode(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, str padding, SymInt[] dilation, "
       "SymInt groups) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::convolution_mode(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), s[4].to_string_ref(), FAKE_L(5), FAKE_I(6)));
       });
  comp("aten::conv1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, SymInt[1] padding=0, "
       "SymInt[1] dilation=1, SymInt groups=1) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::conv_nd<"conv1d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), FAKE_L(4), FAKE_L(5), FAKE_I(6), 1)); });
  comp("aten::conv2d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, SymInt[2] padding=0, "
       "SymInt[2] dilation=1, SymInt groups=1) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::conv_nd<"conv2d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), FAKE_L(4), FAKE_L(5), FAKE_I(6), 2)); });
  comp("aten::conv3d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, SymInt[3] padding=0, "
       "SymInt[3] dilation=1, SymInt groups=1) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::conv_nd<"conv3d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), FAKE_L(4), FAKE_L(5), FAKE_I(6), 3)); });
  comp("aten::conv1d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, str padding=\"valid\", "
       "SymInt[1] dilation=1, SymInt groups=1) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::conv_nd_padding_mode<"conv1d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3),
                                                                   s[4].to_string_ref(), FAKE_L(5), FAKE_I(6), 1));
       });
  comp("aten::conv2d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, str padding=\"valid\", "
       "SymInt[2] dilation=1, SymInt groups=1) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::conv_nd_padding_mode<"conv2d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3),
                                                                   s[4].to_string_ref(), FAKE_L(5), FAKE_I(6), 2));
       });
  comp("aten::conv3d.padding(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, str padding=\"valid\", "
       "SymInt[3] dilation=1, SymInt groups=1) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::conv_nd_padding_mode<"conv3d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3),
                                                                   s[4].to_string_ref(), FAKE_L(5), FAKE_I(6), 3));
       });
  comp("aten::conv_transpose1d(Tensor input, Tensor weight, Tensor? bias=None, SymInt[1] stride=1, SymInt[1] padding=0, "
       "SymInt[1] output_padding=0, SymInt groups=1, SymInt[1] dilation=1) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::conv_transpose_nd<"conv_transpose1d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), FAKE_L(4),
                                                                        FAKE_L(5), FAKE_I(6), FAKE_L(7), 1));
       });
  comp("aten::conv_transpose2d.input(Tensor input, Tensor weight, Tensor? bias=None, SymInt[2] stride=1, SymInt[2] padding=0, "
       "SymInt[2] output_padding=0, SymInt groups=1, SymInt[2] dilation=1) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::conv_transpose_nd<"conv_transpose2d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), FAKE_L(4),
                                                                        FAKE_L(5), FAKE_I(6), FAKE_L(7), 2));
       });
  comp("aten::conv_transpose3d.input(Tensor input, Tensor weight, Tensor? bias=None, SymInt[3] stride=1, SymInt[3] padding=0, "
       "SymInt[3] output_padding=0, SymInt groups=1, SymInt[3] dilation=1) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::conv_transpose_nd<"conv_transpose3d">(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_L(3), FAKE_L(4),
                                                                        FAKE_L(5), FAKE_I(6), FAKE_L(7), 3));
       });

  // ------------------------------------------------------------- pooling
  def("aten::max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, "
      "bool ceil_mode=False) -> (Tensor, Tensor)",
      {core}, FAKE_NK {
        auto [o, i] = max_pool2d_with_indices(FAKE_T(0), FAKE_L(1), FAKE_L(2), FAKE_L(3), FAKE_L(4), s[5].to_bool());
        nn_return(s, std::move(o), std::move(i));
      });
  def("aten::max_pool2d_with_indices.out(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, "
      "int[2] dilation=1, bool ceil_mode=False, *, Tensor(a!) out, Tensor(b!) indices) -> (Tensor(a!), Tensor(b!))",
      {}, FAKE_NK {
        auto [o, i] = max_pool2d_with_indices_meta(meta_of(FAKE_T(0)),
                                                   pool2d_args{FAKE_L(1), FAKE_L(2), FAKE_L(3), FAKE_L(4), s[5].to_bool()});
        tensor_desc a = detail::nn_structured_out<"max_pool2d_with_indices">(FAKE_T(6), o);
        tensor_desc b = detail::nn_structured_out<"max_pool2d_with_indices">(FAKE_T(7), i);
        nn_return(s, std::move(a), std::move(b));
      });
  comp("aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, "
       "bool ceil_mode=False) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::max_pool2d(FAKE_T(0), FAKE_L(1), FAKE_L(2), FAKE_L(3), FAKE_L(4), s[5].to_bool())); });
  def("aten::avg_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, "
      "bool count_include_pad=True, int? divisor_override=None) -> Tensor",
      {core}, FAKE_NK {
        nn_return(s, avg_pool2d(FAKE_T(0), FAKE_L(1), FAKE_L(2), FAKE_L(3), s[4].to_bool(), s[5].to_bool(),
                                s[6].is_none() ? std::nullopt : std::optional<std::int64_t>(FAKE_I(6))));
      });
  def("aten::avg_pool2d.out(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, bool ceil_mode=False, "
      "bool count_include_pad=True, int? divisor_override=None, *, Tensor(a!) out) -> Tensor(a!)",
      {}, FAKE_NK {
        const out_meta m = avg_pool2d_meta(meta_of(FAKE_T(0)), pool2d_args{FAKE_L(1), FAKE_L(2), FAKE_L(3), {1}, s[4].to_bool()},
                                           s[5].to_bool(), s[6].is_none() ? std::nullopt : std::optional<std::int64_t>(FAKE_I(6)));
        nn_return(s, detail::nn_structured_out<"avg_pool2d">(FAKE_T(7), m));
      });
  def("aten::_adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor", {core},
      FAKE_NK { nn_return(s, adaptive_avg_pool2d_impl(FAKE_T(0), FAKE_L(1))); });
  comp("aten::adaptive_avg_pool2d(Tensor self, SymInt[2] output_size) -> Tensor", {},
       FAKE_NK { nn_return(s, composite::adaptive_avg_pool2d(FAKE_T(0), FAKE_L(1))); });

  // ----------------------------------------------------------- upsample
  def("aten::upsample_nearest2d(Tensor self, SymInt[2] output_size, float? scales_h=None, float? scales_w=None) -> Tensor",
      {core}, FAKE_NK { nn_return(s, upsample_nearest2d(FAKE_T(0), FAKE_L(1))); });
  def("aten::upsample_nearest2d.out(Tensor self, SymInt[2] output_size, float? scales_h=None, float? scales_w=None, *, "
      "Tensor(a!) out) -> Tensor(a!)",
      {}, FAKE_NK {
        nn_return(s, detail::nn_structured_out<"upsample_nearest2d">(FAKE_T(4), upsample_nearest2d_meta(meta_of(FAKE_T(0)), FAKE_L(1))));
      });
  def("aten::upsample_nearest2d.vec(Tensor input, SymInt[]? output_size, float[]? scale_factors) -> Tensor", {core},
      FAKE_NK { nn_return(s, upsample_nearest2d(FAKE_T(0), detail::nn_opt_ints(s[1]), detail::nn_opt_floats(s[2]))); });
  def("aten::upsample_bilinear2d(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, "
      "float? scales_w=None) -> Tensor",
      {core}, FAKE_NK { nn_return(s, upsample_bilinear2d(FAKE_T(0), FAKE_L(1), s[2].to_bool())); });
  def("aten::upsample_bilinear2d.out(Tensor self, SymInt[2] output_size, bool align_corners, float? scales_h=None, "
      "float? scales_w=None, *, Tensor(a!) out) -> Tensor(a!)",
      {}, FAKE_NK {
        nn_return(s,
                  detail::nn_structured_out<"upsample_bilinear2d">(FAKE_T(5), upsample_bilinear2d_meta(meta_of(FAKE_T(0)), FAKE_L(1))));
      });
  def("aten::upsample_bilinear2d.vec(Tensor input, SymInt[]? output_size, bool align_corners, float[]? scale_factors) -> Tensor",
      {core}, FAKE_NK {
        nn_return(s, upsample_bilinear2d(FAKE_T(0), detail::nn_opt_ints(s[1]), s[2].to_bool(), detail::nn_opt_floats(s[3])));
      });

  // ------------------------------------------------------------ padding
  def("aten::constant_pad_nd(Tensor self, SymInt[] pad, Scalar value=0) -> Tensor", {core},
      FAKE_NK { nn_return(s, constant_pad_nd(FAKE_T(0), FAKE_L(1), s[2].is_bool() ? 0.0 : s[2].to_double())); });
  def("aten::reflection_pad1d(Tensor self, SymInt[2] padding) -> Tensor", {core},
      FAKE_NK { nn_return(s, reflection_pad1d(FAKE_T(0), FAKE_L(1))); });
  def("aten::reflection_pad1d.out(Tensor self, SymInt[2] padding, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK { nn_return(s, detail::nn_structured_out<"reflection_pad1d">(FAKE_T(2), reflection_pad1d_meta(meta_of(FAKE_T(0)), FAKE_L(1)))); });
  def("aten::reflection_pad2d(Tensor self, SymInt[4] padding) -> Tensor", {core},
      FAKE_NK { nn_return(s, reflection_pad2d(FAKE_T(0), FAKE_L(1))); });
  def("aten::reflection_pad2d.out(Tensor self, SymInt[4] padding, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK { nn_return(s, detail::nn_structured_out<"reflection_pad2d">(FAKE_T(2), reflection_pad2d_meta(meta_of(FAKE_T(0)), FAKE_L(1)))); });
  def("aten::replication_pad1d(Tensor self, SymInt[2] padding) -> Tensor", {core},
      FAKE_NK { nn_return(s, replication_pad1d(FAKE_T(0), FAKE_L(1))); });
  def("aten::replication_pad1d.out(Tensor self, SymInt[2] padding, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK { nn_return(s, detail::nn_structured_out<"replication_pad1d">(FAKE_T(2), replication_pad1d_meta(meta_of(FAKE_T(0)), FAKE_L(1)))); });
  def("aten::replication_pad2d(Tensor self, SymInt[4] padding) -> Tensor", {core},
      FAKE_NK { nn_return(s, replication_pad2d(FAKE_T(0), FAKE_L(1))); });
  def("aten::replication_pad2d.out(Tensor self, SymInt[4] padding, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK { nn_return(s, detail::nn_structured_out<"replication_pad2d">(FAKE_T(2), replication_pad2d_meta(meta_of(FAKE_T(0)), FAKE_L(1)))); });

  // ------------------------------------------------------ normalization
  def("aten::native_layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight, Tensor? bias, float eps) -> "
      "(Tensor, Tensor, Tensor)",
      {core}, FAKE_NK {
        const tensor_desc& x = FAKE_T(0);
        const dim_vector& shape = FAKE_L(1);
        const std::optional<tensor_desc> w = nn_opt_tensor(s[2]), b = nn_opt_tensor(s[3]);
        // the rule reads weight's and bias's sizes as numbers (compared with
        // the concrete normalized_shape): Note [symbolic rules of kernels]
        for (const std::optional<tensor_desc>* t : {&w, &b})
          if (*t && (*t)->is_defined()) (*t)->specialize_symbolic_geometry();
        auto [o, m, r] = with_symbolic<"native_layer_norm">(
            native_layer_norm(x, shape, w, b, s[4].to_double()),
            [&](const sym_geometry& g) {
              return native_layer_norm_meta(basic_tensor_meta<sym_dims>{g.sizes, g.strides, x.dtype(), x.device()}, shape,
                                            w && w->is_defined() ? &w->sizes() : nullptr, b && b->is_defined() ? &b->sizes() : nullptr);
            },
            x);
        nn_return(s, std::move(o), std::move(m), std::move(r));
      });
  comp("aten::layer_norm(Tensor input, SymInt[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, "
       "bool cudnn_enable=True) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::layer_norm(FAKE_T(0), FAKE_L(1), nn_opt_tensor(s[2]), nn_opt_tensor(s[3]), s[4].to_double())); });
  def("aten::native_group_norm(Tensor input, Tensor? weight, Tensor? bias, SymInt N, SymInt C, SymInt HxW, int group, "
      "float eps) -> (Tensor, Tensor, Tensor)",
      {core}, FAKE_NK {
        auto [o, m, r] = native_group_norm(FAKE_T(0), nn_opt_tensor(s[1]), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4), FAKE_I(5),
                                           FAKE_I(6), s[7].to_double());
        nn_return(s, std::move(o), std::move(m), std::move(r));
      });
  comp("aten::group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, "
       "bool cudnn_enabled=True) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::group_norm(FAKE_T(0), FAKE_I(1), nn_opt_tensor(s[2]), nn_opt_tensor(s[3]), s[4].to_double())); });
  def("aten::native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, "
      "bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)",
      {core}, FAKE_NK {
        auto [o, m, r] = native_batch_norm(FAKE_T(0), nn_opt_tensor(s[1]), nn_opt_tensor(s[2]), nn_opt_tensor(s[3]),
                                           nn_opt_tensor(s[4]), s[5].to_bool(), s[6].to_double(), s[7].to_double());
        nn_return(s, std::move(o), std::move(m), std::move(r));
      });
  comp("aten::batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, "
       "bool training, float momentum, float eps, bool cudnn_enabled) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::batch_norm(FAKE_T(0), nn_opt_tensor(s[1]), nn_opt_tensor(s[2]), nn_opt_tensor(s[3]),
                                            nn_opt_tensor(s[4]), s[5].to_bool(), s[6].to_double(), s[7].to_double()));
       });

  // ------------------------------------------------------------ softmax
  def("aten::_softmax(Tensor self, int dim, bool half_to_float) -> Tensor", {core},
      FAKE_NK {
        const tensor_desc& x = FAKE_T(0);
        nn_return(s, with_symbolic<"_softmax">(softmax_impl(x, FAKE_I(1), s[2].to_bool()),
                                               detail::softmax_rule<"_softmax">(x, FAKE_I(1), s[2].to_bool()), x));
      });
  def("aten::_softmax.out(Tensor self, int dim, bool half_to_float, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK {
        nn_return(s, detail::nn_structured_out<"_softmax">(FAKE_T(3), softmax_meta<"_softmax">(meta_of(FAKE_T(0)), FAKE_I(1), s[2].to_bool())));
      });
  def("aten::_log_softmax(Tensor self, int dim, bool half_to_float) -> Tensor", {core},
      FAKE_NK {
        const tensor_desc& x = FAKE_T(0);
        nn_return(s, with_symbolic<"_log_softmax">(log_softmax_impl(x, FAKE_I(1), s[2].to_bool()),
                                                   detail::softmax_rule<"_log_softmax">(x, FAKE_I(1), s[2].to_bool()), x));
      });
  def("aten::_log_softmax.out(Tensor self, int dim, bool half_to_float, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK {
        nn_return(s, detail::nn_structured_out<"_log_softmax">(FAKE_T(3),
                                                                softmax_meta<"_log_softmax">(meta_of(FAKE_T(0)), FAKE_I(1), s[2].to_bool())));
      });
  comp("aten::softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor", {},
       FAKE_NK { nn_return(s, composite::softmax(FAKE_T(0), FAKE_I(1), detail::nn_opt_dtype(s[2]), false)); });
  comp("aten::log_softmax.int(Tensor self, int dim, ScalarType? dtype=None) -> Tensor", {},
       FAKE_NK { nn_return(s, composite::softmax(FAKE_T(0), FAKE_I(1), detail::nn_opt_dtype(s[2]), true)); });

  // ------------------------------------------------- dropout, embedding
  def("aten::native_dropout(Tensor input, float p, bool? train) -> (Tensor, Tensor)", {nondeterministic_seeded, core},
      FAKE_NK {
        auto [o, m] = native_dropout(FAKE_T(0), s[1].to_double(), s[2].is_none() ? std::nullopt : std::optional<bool>(s[2].to_bool()));
        nn_return(s, std::move(o), std::move(m));
      });
  comp("aten::dropout(Tensor input, float p, bool train) -> Tensor", {nondeterministic_seeded},
       FAKE_NK { nn_return(s, composite::dropout(FAKE_T(0), s[1].to_double(), s[2].to_bool())); });
  def("aten::embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1, bool scale_grad_by_freq=False, "
      "bool sparse=False) -> Tensor",
      {core}, FAKE_NK {
        const tensor_desc &w = FAKE_T(0), &i = FAKE_T(1);
        nn_return(s, with_symbolic<"embedding">(embedding(w, i, FAKE_I(2), s[3].to_bool(), s[4].to_bool()),
                                                [&](const sym_geometry& gw, const sym_geometry& gi) {
                                                  return embedding_meta(basic_tensor_meta<sym_dims>{gw.sizes, gw.strides, w.dtype(), w.device()},
                                                                        basic_tensor_meta<sym_dims>{gi.sizes, gi.strides, i.dtype(), i.device()},
                                                                        w.device());
                                                },
                                                w, i));
      });

  // -------------------------------------------------------------- losses
  def("aten::nll_loss_forward(Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index) -> "
      "(Tensor output, Tensor total_weight)",
      {core}, FAKE_NK {
        auto [o, t] = nll_loss_forward(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4));
        nn_return(s, std::move(o), std::move(t));
      });
  def("aten::nll_loss2d_forward(Tensor self, Tensor target, Tensor? weight, int reduction, SymInt ignore_index) -> "
      "(Tensor output, Tensor total_weight)",
      {}, FAKE_NK {
        auto [o, t] = nll_loss2d_forward(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4));
        nn_return(s, std::move(o), std::move(t));
      });
  comp("aten::nll_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::nll_loss(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4))); });
  comp("aten::nll_loss2d(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::nll_loss2d(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4))); });
  comp("aten::nll_loss_nd(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, SymInt ignore_index=-100) -> Tensor",
       {}, FAKE_NK { nn_return(s, composite::nll_loss_nd(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4))); });
  comp("aten::cross_entropy_loss(Tensor self, Tensor target, Tensor? weight=None, int reduction=Mean, "
       "SymInt ignore_index=-100, float label_smoothing=0.0) -> Tensor",
       {}, FAKE_NK {
         nn_return(s, composite::cross_entropy_loss(FAKE_T(0), FAKE_T(1), nn_opt_tensor(s[2]), FAKE_I(3), FAKE_I(4), s[5].to_double()));
       });
  def("aten::mse_loss(Tensor self, Tensor target, int reduction=Mean) -> Tensor", {core},
      FAKE_NK { nn_return(s, mse_loss(FAKE_T(0), FAKE_T(1), FAKE_I(2))); });
  def("aten::mse_loss.out(Tensor self, Tensor target, int reduction=Mean, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_NK {
        const tensor_desc& a = FAKE_T(0);
        const tensor_desc& b = FAKE_T(1);
        const out_meta m = mse_loss_meta(meta_of(a), meta_of(b), FAKE_I(2), common_device<"mse_loss">({&a, &b}));
        nn_return(s, detail::nn_structured_out<"mse_loss">(FAKE_T(3), m));
      });
#undef FAKE_NK
#undef FAKE_T
#undef FAKE_I
#undef FAKE_L
}

// Part of the global registry wherever this header is (Note [built-in op families]).
inline const bool register_nn_ops_added = add_builtin_family(&register_nn_ops);

}  // namespace fake
