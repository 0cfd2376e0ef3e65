// faketensor/dispatch/builtin_reduction.hpp — the reduction, scan, sort and
// top-k operators of the runtime registry (ops/reduction.hpp): schemas as in
// PyTorch 2.x's native_functions.yaml with 1.13's defaults, tags, and boxed
// kernels under CompositeExplicitAutograd (argsort, CompositeImplicit in ATen,
// under CompositeImplicitAutograd).
//
// Note [reduction schemas]
// 1.13 spells `correction` as `int?` and gives var.correction's `dim` no
// default; 2.x has `Scalar? correction=None` and `dim=None`. The 2.x text is
// used: an int correction is a Scalar, and a call that passes `dim` behaves
// the same. 1.13 has no all.dims / any.dims (2.2): they are not defined.
#pragma once

#include <optional>  // std::optional
#include <vector>    // std::vector

#include "faketensor/dispatch/composite.hpp"  // fake::composite::argsort (Note [composites decompose])
#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::registration
#include "faketensor/meta/sym_tensor.hpp"    // fake::with_symbolic, fake::sym_geometry
#include "faketensor/ops/ivalue.hpp"         // fake::stack, fake::ivalue
#include "faketensor/ops/reduction.hpp"      // fake::sum, fake::amax, ...
#include "faketensor/ops/tags.hpp"           // fake::op_tag

namespace fake {
namespace detail {

inline std::optional<dtype> opt_dtype_arg(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<dtype>(v.to_dtype());
}
inline std::optional<std::int64_t> opt_int_arg(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<std::int64_t>(v.to_int());
}
inline opt_dims opt_dims_arg(const ivalue& v) { return v.is_none() ? opt_dims(std::nullopt) : opt_dims(v.int_list_ref()); }
inline std::span<const std::int64_t> dims_arg(const ivalue& v) {
  const dim_vector& d = v.int_list_ref();
  return {d.data(), d.size()};
}
inline void return_pair(stack& s, std::pair<tensor_desc, tensor_desc> p) {
  s.clear();  // p holds the results already
  s.emplace_back(std::move(p.first));
  s.emplace_back(std::move(p.second));
}
// The structured out= of a two-output op (max.dim_max, topk.values, sort.values).
template <fixed_string Op>
std::pair<tensor_desc, tensor_desc> pair_out(const std::pair<out_meta, out_meta>& m, const tensor_desc& a, const tensor_desc& b) {
  tensor_desc x = structured_out<Op>(a, m.first);
  tensor_desc y = structured_out<Op>(b, m.second);
  check_no_internal_overlap<Op>(x);
  check_no_internal_overlap<Op>(y);
  return {std::move(x), std::move(y)};
}

// The symbolic rules of the reductions (Note [symbolic rules of kernels]): the
// outputs' geometry is reduce_to's over the same dims, on the input's
// expressions (dtypes come from the concrete kernel). `Outputs` of one
// geometry each (max.dim's values and indices; var_mean's two).
template <std::size_t Outputs>
auto reduction_outputs(basic_out_meta<sym_dims> m) {
  if constexpr (Outputs == 1) return m;
  else return std::pair{m, m};
}
template <fixed_string Op, std::size_t Outputs = 1>
auto reduction_rule(opt_dims dims, bool keepdim) {
  return [dims, keepdim](const sym_geometry& g) {
    return reduction_outputs<Outputs>(reduce_to<Op>(g.sizes, dims, keepdim, dtype::float32, device{}));
  };
}
template <fixed_string Op, std::size_t Outputs = 1>
auto dim_reduction_rule(std::int64_t dim, bool keepdim) {
  return [dim, keepdim](const sym_geometry& g) {
    return reduction_outputs<Outputs>(reduce_dim_to<Op>(g.sizes, dim, keepdim, dtype::float32, device{}));
  };
}
// A full reduction (dims None): every dim, kept as 1 with keepdim.
template <fixed_string Op, std::size_t Outputs = 1>
auto full_reduction_rule(bool keepdim = false) {
  return reduction_rule<Op, Outputs>(opt_dims(std::nullopt), keepdim);
}

}  // namespace detail

inline void register_reduction_ops(op_registry& r, std::vector<registration>& keep) {
  using enum op_tag;
  using detail::dims_arg;
  using detail::opt_dims_arg;
  using detail::opt_dtype_arg;
  using detail::opt_int_arg;
  using K = kernel::function;
  const auto def = [&](const char* schema, op_tags tags, K k,
                       dispatch_key key = dispatch_key::composite_explicit_autograd) {
    keep.push_back(r.define(schema, tags).register_kernel(key, kernel(k)));  // define_builtin's work (it may not be declared yet)
  };
#define FAKE_RK [](const op_overload&, dispatch_key_set, stack& s)
#define FAKE_T(i) s[i].to_tensor()

  // --- sum / mean / prod
  def("aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor", {reduction, core},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"sum">(fake::sum(FAKE_T(0), opt_dtype_arg(s[1])), detail::full_reduction_rule<"sum">(), FAKE_T(0)))); });
  def("aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", {reduction, core},
      FAKE_RK {
        return_value(s, ivalue(with_symbolic<"sum">(fake::sum(FAKE_T(0), opt_dims_arg(s[1]), s[2].to_bool(), opt_dtype_arg(s[3])),
                                         detail::reduction_rule<"sum">(opt_dims_arg(s[1]), s[2].to_bool()), FAKE_T(0))));
      });
  def("aten::sum.IntList_out(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)",
      {reduction}, FAKE_RK {
        return_value(s, ivalue(fake::sum_out(FAKE_T(0), opt_dims_arg(s[1]), s[2].to_bool(), opt_dtype_arg(s[3]), FAKE_T(4))));
      });
  def("aten::sum.out(Tensor self, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)", {reduction},
      FAKE_RK { return_value(s, ivalue(fake::sum_out(FAKE_T(0), std::nullopt, false, opt_dtype_arg(s[1]), FAKE_T(2)))); });
  def("aten::mean(Tensor self, *, ScalarType? dtype=None) -> Tensor", {reduction, core},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"mean">(fake::mean(FAKE_T(0), opt_dtype_arg(s[1])), detail::full_reduction_rule<"mean">(), FAKE_T(0)))); });
  def("aten::mean.dim(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", {reduction, core},
      FAKE_RK {
        return_value(s, ivalue(with_symbolic<"mean">(fake::mean(FAKE_T(0), opt_dims_arg(s[1]), s[2].to_bool(), opt_dtype_arg(s[3])),
                                          detail::reduction_rule<"mean">(opt_dims_arg(s[1]), s[2].to_bool()), FAKE_T(0))));
      });
  def("aten::mean.out(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)",
      {reduction}, FAKE_RK {
        return_value(s, ivalue(fake::mean_out(FAKE_T(0), opt_dims_arg(s[1]), s[2].to_bool(), opt_dtype_arg(s[3]), FAKE_T(4))));
      });
  def("aten::prod(Tensor self, *, ScalarType? dtype=None) -> Tensor", {reduction, core},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"prod">(fake::prod(FAKE_T(0), opt_dtype_arg(s[1])), detail::full_reduction_rule<"prod">(), FAKE_T(0)))); });
  def("aten::prod.dim_int(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor", {reduction, core},
      FAKE_RK {
        return_value(s, ivalue(with_symbolic<"prod">(fake::prod(FAKE_T(0), s[1].to_int(), s[2].to_bool(), opt_dtype_arg(s[3])),
                                          detail::dim_reduction_rule<"prod">(s[1].to_int(), s[2].to_bool()), FAKE_T(0))));
      });
  def("aten::prod.int_out(Tensor self, int dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)",
      {reduction}, FAKE_RK {
        return_value(s, ivalue(fake::prod_out(FAKE_T(0), s[1].to_int(), s[2].to_bool(), opt_dtype_arg(s[3]), FAKE_T(4))));
      });
  def("aten::prod.out(Tensor self, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)", {reduction},
      FAKE_RK { return_value(s, ivalue(fake::prod_out(FAKE_T(0), std::nullopt, false, opt_dtype_arg(s[1]), FAKE_T(2)))); });

  // --- amax / amin / max / min / argmax / argmin
  def("aten::amax(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor", {reduction, core},
      FAKE_RK {
        return_value(s, ivalue(with_symbolic<"amax">(fake::amax(FAKE_T(0), dims_arg(s[1]), s[2].to_bool()),
                                          detail::reduction_rule<"amax">(opt_dims(dims_arg(s[1])), s[2].to_bool()), FAKE_T(0))));
      });
  def("aten::amax.out(Tensor self, int[1] dim=[], bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction},
      FAKE_RK { return_value(s, ivalue(fake::amax_out(FAKE_T(0), dims_arg(s[1]), s[2].to_bool(), FAKE_T(3)))); });
  def("aten::amin(Tensor self, int[1] dim=[], bool keepdim=False) -> Tensor", {reduction, core},
      FAKE_RK {
        return_value(s, ivalue(with_symbolic<"amin">(fake::amin(FAKE_T(0), dims_arg(s[1]), s[2].to_bool()),
                                          detail::reduction_rule<"amin">(opt_dims(dims_arg(s[1])), s[2].to_bool()), FAKE_T(0))));
      });
  def("aten::amin.out(Tensor self, int[1] dim=[], bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction},
      FAKE_RK { return_value(s, ivalue(fake::amin_out(FAKE_T(0), dims_arg(s[1]), s[2].to_bool(), FAKE_T(3)))); });
  def("aten::max(Tensor self) -> Tensor", {reduction},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"max">(fake::max(FAKE_T(0)), detail::full_reduction_rule<"max">(), FAKE_T(0)))); });
  def("aten::min(Tensor self) -> Tensor", {reduction},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"min">(fake::min(FAKE_T(0)), detail::full_reduction_rule<"min">(), FAKE_T(0)))); });
  def("aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", {reduction, core},
      FAKE_RK {
        detail::return_pair(s, with_symbolic<"max">(fake::max(FAKE_T(0), s[1].to_int(), s[2].to_bool()),
                                                    detail::dim_reduction_rule<"max", 2>(s[1].to_int(), s[2].to_bool()), FAKE_T(0)));
      });
  def("aten::min.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)", {reduction, core},
      FAKE_RK {
        detail::return_pair(s, with_symbolic<"min">(fake::min(FAKE_T(0), s[1].to_int(), s[2].to_bool()),
                                                    detail::dim_reduction_rule<"min", 2>(s[1].to_int(), s[2].to_bool()), FAKE_T(0)));
      });
  def("aten::max.dim_max(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) max, Tensor(b!) max_values) -> "
      "(Tensor(a!) values, Tensor(b!) indices)",
      {reduction}, FAKE_RK {
        detail::return_pair(s, fake::max_min_out<"max">(FAKE_T(0), s[1].to_int(), s[2].to_bool(), FAKE_T(3), FAKE_T(4)));
      });
  def("aten::min.dim_min(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) min, Tensor(b!) min_indices) -> "
      "(Tensor(a!) values, Tensor(b!) indices)",
      {reduction}, FAKE_RK {
        detail::return_pair(s, fake::max_min_out<"min">(FAKE_T(0), s[1].to_int(), s[2].to_bool(), FAKE_T(3), FAKE_T(4)));
      });
  def("aten::argmax(Tensor self, int? dim=None, bool keepdim=False) -> Tensor", {reduction, core},
      FAKE_RK {
        const std::optional<std::int64_t> dim = opt_int_arg(s[1]);
        const bool keepdim = s[2].to_bool();
        tensor_desc r = fake::argmax(FAKE_T(0), dim, keepdim);
        return_value(s, ivalue(dim ? with_symbolic<"argmax">(std::move(r), detail::dim_reduction_rule<"argmax">(*dim, keepdim), FAKE_T(0))
                        : with_symbolic<"argmax">(std::move(r), detail::full_reduction_rule<"argmax">(keepdim), FAKE_T(0))));
      });
  def("aten::argmin(Tensor self, int? dim=None, bool keepdim=False) -> Tensor", {reduction, core},
      FAKE_RK {
        const std::optional<std::int64_t> dim = opt_int_arg(s[1]);
        const bool keepdim = s[2].to_bool();
        tensor_desc r = fake::argmin(FAKE_T(0), dim, keepdim);
        return_value(s, ivalue(dim ? with_symbolic<"argmin">(std::move(r), detail::dim_reduction_rule<"argmin">(*dim, keepdim), FAKE_T(0))
                        : with_symbolic<"argmin">(std::move(r), detail::full_reduction_rule<"argmin">(keepdim), FAKE_T(0))));
      });
  def("aten::argmax.out(Tensor self, int? dim=None, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction},
      FAKE_RK {
        const tensor_desc& x = FAKE_T(0);
        return_value(s, ivalue(detail::structured_out<"argmax">(
            FAKE_T(3), argmax_argmin_meta<"argmax", "argmax()">(x.sizes(), x.device(), opt_int_arg(s[1]), s[2].to_bool()))));
      });
  def("aten::argmin.out(Tensor self, int? dim=None, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction},
      FAKE_RK {
        const tensor_desc& x = FAKE_T(0);
        return_value(s, ivalue(detail::structured_out<"argmin">(
            FAKE_T(3), argmax_argmin_meta<"argmin", "argmin()">(x.sizes(), x.device(), opt_int_arg(s[1]), s[2].to_bool()))));
      });

  // var/std/var_mean/std_mean .dim and .correction: the same argument positions
  // (self, dim, unbiased or correction, keepdim), one kernel each.
  const K var_over_dims = FAKE_RK {
    return_value(s, ivalue(with_symbolic<"var">(fake::var(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool()),
                                       detail::reduction_rule<"var">(opt_dims_arg(s[1]), s[3].to_bool()), FAKE_T(0))));
  };
  const K std_over_dims = FAKE_RK {
    return_value(s, ivalue(with_symbolic<"std">(fake::std(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool()),
                                       detail::reduction_rule<"std">(opt_dims_arg(s[1]), s[3].to_bool()), FAKE_T(0))));
  };
  const K var_mean_over_dims = FAKE_RK {
    detail::return_pair(s, with_symbolic<"var_mean">(fake::var_mean(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool()),
                                                      detail::reduction_rule<"var_mean", 2>(opt_dims_arg(s[1]), s[3].to_bool()),
                                                      FAKE_T(0)));
  };
  const K std_mean_over_dims = FAKE_RK {
    detail::return_pair(s, with_symbolic<"std_mean">(fake::std_mean(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool()),
                                                      detail::reduction_rule<"std_mean", 2>(opt_dims_arg(s[1]), s[3].to_bool()),
                                                      FAKE_T(0)));
  };

  // --- var / std and var_mean / std_mean (the correction does not change metadata)
  def("aten::var(Tensor self, bool unbiased=True) -> Tensor", {reduction},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"var">(fake::var(FAKE_T(0)), detail::full_reduction_rule<"var">(), FAKE_T(0)))); });
  def("aten::var.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor", {reduction},
      var_over_dims);
  def("aten::var.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor",
      {reduction, core}, var_over_dims);
  def("aten::var.out(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)",
      {reduction}, FAKE_RK { return_value(s, ivalue(fake::var_std_out<"var">(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool(), FAKE_T(4)))); });
  def("aten::var.correction_out(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False, Tensor(a!) out) -> "
      "Tensor(a!)",
      {reduction}, FAKE_RK { return_value(s, ivalue(fake::var_std_out<"var">(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool(), FAKE_T(4)))); });
  def("aten::std(Tensor self, bool unbiased=True) -> Tensor", {reduction},
      FAKE_RK { return_value(s, ivalue(with_symbolic<"std">(fake::std(FAKE_T(0)), detail::full_reduction_rule<"std">(), FAKE_T(0)))); });
  def("aten::std.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> Tensor", {reduction},
      std_over_dims);
  def("aten::std.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> Tensor",
      {reduction}, std_over_dims);
  def("aten::std.out(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)",
      {reduction}, FAKE_RK { return_value(s, ivalue(fake::var_std_out<"std">(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool(), FAKE_T(4)))); });
  def("aten::std.correction_out(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False, Tensor(a!) out) -> "
      "Tensor(a!)",
      {reduction}, FAKE_RK { return_value(s, ivalue(fake::var_std_out<"std">(FAKE_T(0), opt_dims_arg(s[1]), s[3].to_bool(), FAKE_T(4)))); });
  def("aten::var_mean(Tensor self, bool unbiased=True) -> (Tensor, Tensor)", {reduction},
      FAKE_RK {
        detail::return_pair(s, with_symbolic<"var_mean">(fake::var_mean(FAKE_T(0)), detail::full_reduction_rule<"var_mean", 2>(), FAKE_T(0)));
      });
  def("aten::var_mean.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> (Tensor, Tensor)", {reduction},
      var_mean_over_dims);
  def("aten::var_mean.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> (Tensor, Tensor)",
      {reduction}, var_mean_over_dims);
  def("aten::std_mean(Tensor self, bool unbiased=True) -> (Tensor, Tensor)", {reduction},
      FAKE_RK {
        detail::return_pair(s, with_symbolic<"std_mean">(fake::std_mean(FAKE_T(0)), detail::full_reduction_rule<"std_mean", 2>(), FAKE_T(0)));
      });
  def("aten::std_mean.dim(Tensor self, int[1]? dim, bool unbiased=True, bool keepdim=False) -> (Tensor, Tensor)", {reduction},
      std_mean_over_dims);
  def("aten::std_mean.correction(Tensor self, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False) -> (Tensor, Tensor)",
      {reduction}, std_mean_over_dims);

  // --- linalg_vector_norm
  def("aten::linalg_vector_norm(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
      {reduction}, FAKE_RK {
        return_value(s, ivalue(fake::linalg_vector_norm(FAKE_T(0), s[1].to_double(), opt_dims_arg(s[2]), s[3].to_bool(), opt_dtype_arg(s[4]),
                                             !s[1].is_double())));
      });
  def("aten::linalg_vector_norm.out(Tensor self, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, "
      "Tensor(a!) out) -> Tensor(a!)",
      {reduction}, FAKE_RK {
        const tensor_desc& x = FAKE_T(0);
        return_value(s, ivalue(detail::structured_out<"linalg_vector_norm">(
            FAKE_T(5), vector_norm_meta(x.sizes(), x.dtype(), x.device(), s[1].to_double(), !s[1].is_double(), opt_dims_arg(s[2]),
                                        s[3].to_bool(), opt_dtype_arg(s[4])))));
      });

  // --- all / any
  def("aten::all(Tensor self) -> Tensor", {reduction}, FAKE_RK { return_value(s, ivalue(fake::all(FAKE_T(0)))); });
  def("aten::all.dim(Tensor self, int dim, bool keepdim=False) -> Tensor", {reduction},
      FAKE_RK { return_value(s, ivalue(fake::all(FAKE_T(0), s[1].to_int(), s[2].to_bool()))); });
  def("aten::all.out(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(3);
    return_value(s, ivalue(resize_out<"all">(o, all_any_meta<"all">(x.sizes(), x.dtype(), x.device(), s[1].to_int(), s[2].to_bool(), o.dtype()))));
  });
  def("aten::all.all_out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)", {reduction}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(1);
    return_value(s, ivalue(resize_out<"all">(o, all_any_meta<"all">(x.sizes(), x.dtype(), x.device(), std::nullopt, false, o.dtype()))));
  });
  def("aten::any(Tensor self) -> Tensor", {reduction, core}, FAKE_RK { return_value(s, ivalue(fake::any(FAKE_T(0)))); });
  def("aten::any.dim(Tensor self, int dim, bool keepdim=False) -> Tensor", {reduction, core},
      FAKE_RK { return_value(s, ivalue(fake::any(FAKE_T(0), s[1].to_int(), s[2].to_bool()))); });
  def("aten::any.out(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(3);
    return_value(s, ivalue(resize_out<"any">(o, all_any_meta<"any">(x.sizes(), x.dtype(), x.device(), s[1].to_int(), s[2].to_bool(), o.dtype()))));
  });
  def("aten::any.all_out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)", {reduction}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(1);
    return_value(s, ivalue(resize_out<"any">(o, all_any_meta<"any">(x.sizes(), x.dtype(), x.device(), std::nullopt, false, o.dtype()))));
  });

  // --- logsumexp
  def("aten::logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor", {reduction},
      FAKE_RK { return_value(s, ivalue(fake::logsumexp(FAKE_T(0), dims_arg(s[1]), s[2].to_bool()))); });
  def("aten::logsumexp.out(Tensor self, int[1] dim, bool keepdim=False, *, Tensor(a!) out) -> Tensor(a!)", {reduction}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(3);
    return_value(s, ivalue(resize_out<"logsumexp">(o, logsumexp_meta(x.sizes(), x.dtype(), x.device(), dims_arg(s[1]), s[2].to_bool(), o.dtype()))));
  });

  // --- cumsum / cumprod
  def("aten::cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor", {core},
      FAKE_RK { return_value(s, ivalue(fake::cumsum(FAKE_T(0), s[1].to_int(), opt_dtype_arg(s[2])))); });
  def("aten::cumsum_(Tensor(a!) self, int dim, *, ScalarType? dtype=None) -> Tensor(a!)", {},
      FAKE_RK { return_value(s, ivalue(fake::cumsum_(FAKE_T(0), s[1].to_int(), opt_dtype_arg(s[2])))); });
  def("aten::cumsum.out(Tensor self, int dim, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)", {}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(3);
    tensor_desc r = detail::structured_out<"cumsum">(
        o, cum_meta<"cumsum">(x.sizes(), x.dtype(), x.device(), s[1].to_int(), opt_dtype_arg(s[2]), o.dtype()));
    detail::check_no_internal_overlap<"cumsum">(r);
    return_value(s, ivalue(std::move(r)));
  });
  def("aten::cumprod(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor", {},
      FAKE_RK { return_value(s, ivalue(fake::cumprod(FAKE_T(0), s[1].to_int(), opt_dtype_arg(s[2])))); });
  def("aten::cumprod_(Tensor(a!) self, int dim, *, ScalarType? dtype=None) -> Tensor(a!)", {},
      FAKE_RK { return_value(s, ivalue(fake::cumprod_(FAKE_T(0), s[1].to_int(), opt_dtype_arg(s[2])))); });
  def("aten::cumprod.out(Tensor self, int dim, *, ScalarType? dtype=None, Tensor(a!) out) -> Tensor(a!)", {}, FAKE_RK {
    const tensor_desc& x = FAKE_T(0);
    const tensor_desc& o = FAKE_T(3);
    tensor_desc r = detail::structured_out<"cumprod">(
        o, cum_meta<"cumprod">(x.sizes(), x.dtype(), x.device(), s[1].to_int(), opt_dtype_arg(s[2]), o.dtype()));
    detail::check_no_internal_overlap<"cumprod">(r);
    return_value(s, ivalue(std::move(r)));
  });

  // --- topk / sort / argsort
  def("aten::topk(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)", {core},
      FAKE_RK { detail::return_pair(s, fake::topk(FAKE_T(0), s[1].to_int(), s[2].to_int())); });
  def("aten::topk.values(Tensor self, SymInt k, int dim=-1, bool largest=True, bool sorted=True, *, Tensor(a!) values, "
      "Tensor(b!) indices) -> (Tensor(a!) values, Tensor(b!) indices)",
      {}, FAKE_RK {
        const tensor_desc& x = FAKE_T(0);
        detail::return_pair(s, detail::pair_out<"topk">(topk_meta(x.sizes(), x.dtype(), x.device(), s[1].to_int(), s[2].to_int()),
                                                        FAKE_T(5), FAKE_T(6)));
      });
  def("aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)", {},
      FAKE_RK { detail::return_pair(s, fake::sort(FAKE_T(0), s[1].to_int())); });
  def("aten::sort.stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False) -> (Tensor values, Tensor indices)", {core},
      FAKE_RK { detail::return_pair(s, fake::sort(FAKE_T(0), s[2].to_int())); });
  def("aten::sort.values(Tensor self, int dim=-1, bool descending=False, *, Tensor(a!) values, Tensor(b!) indices) -> "
      "(Tensor(a!) values, Tensor(b!) indices)",
      {}, FAKE_RK {
        const tensor_desc& x = FAKE_T(0);
        detail::return_pair(s, detail::pair_out<"sort">(sort_meta(x.sizes(), x.strides(), x.dtype(), x.device(), s[1].to_int()),
                                                        FAKE_T(3), FAKE_T(4)));
      });
  def("aten::sort.values_stable(Tensor self, *, bool? stable, int dim=-1, bool descending=False, Tensor(a!) values, "
      "Tensor(b!) indices) -> (Tensor(a!) values, Tensor(b!) indices)",
      {}, FAKE_RK {
        const tensor_desc& x = FAKE_T(0);
        detail::return_pair(s, detail::pair_out<"sort">(sort_meta(x.sizes(), x.strides(), x.dtype(), x.device(), s[2].to_int()),
                                                        FAKE_T(4), FAKE_T(5)));
      });
  def("aten::argsort(Tensor self, int dim=-1, bool descending=False) -> Tensor", {},
      FAKE_RK { return_value(s, ivalue(composite::argsort(FAKE_T(0), s[1].to_int(), s[2].to_bool()))); }, dispatch_key::composite_implicit_autograd);
  def("aten::argsort.stable(Tensor self, *, bool stable, int dim=-1, bool descending=False) -> Tensor", {},
      FAKE_RK { return_value(s, ivalue(fake::argsort(FAKE_T(0), s[2].to_int()))); });
#undef FAKE_RK
#undef FAKE_T
}

// Part of the global registry wherever this header is (Note [built-in op families]).
inline const bool register_reduction_ops_added = add_builtin_family(&register_reduction_ops);

}  // namespace fake
