// faketensor/dispatch/builtin_sym.hpp — the ops that take symbolic SymInt
// arguments (Note [symbolic ints in boxed calls]): size queries, SymInt
// arithmetic, the kernels of view, _unsafe_view, reshape, expand, slice and
// arange that keep symbolic sizes symbolic, and the symbolic rules of clone
// and _to_copy.
//
//   aten::sym_size.int(Tensor self, int dim) -> SymInt      x.size(d) as an expression
//   aten::sym_stride.int, aten::sym_storage_offset, aten::sym_numel
//   _operator::add(SymInt a, SymInt b) -> SymInt             FX's operator.add on SymInts;
//   _operator::sub, mul, floordiv, mod, min, max             likewise
//
// The size queries and the arithmetic are what the tracer records where a
// symbolic size is used (the symbol tracker, dispatch/sym_ints.hpp); the
// interpreter re-runs them on concrete inputs as plain integer arithmetic.
// The view/factory kernels registered here shadow the one-step ones of
// builtin_ops.hpp and builtin_shape_index.hpp (the newest kernel wins); for
// concrete arguments they do what those do.
#pragma once

#include <optional>  // std::optional
#include <string_view>  // std::string_view
#include <vector>    // std::vector

#include "faketensor/core/sym.hpp"                     // fake::sym_floordiv, ...
#include "faketensor/dispatch/at.hpp"                  // fake::at::clone
#include "faketensor/dispatch/builtin_composite.hpp"    // reshape's kernel (shadowed here)
#include "faketensor/dispatch/composite.hpp"            // fake::composite::reshape
#include "faketensor/dispatch/builtin_shape_index.hpp"  // arange's kernels (shadowed here), opt_dtype
#include "faketensor/dispatch/operator.hpp"            // fake::define_builtin
#include "faketensor/dispatch/sym_ints.hpp"            // fake::sym_ivalue, fake::to_sym_dims
#include "faketensor/meta/sym_tensor.hpp"              // fake::sym_size, fake::view(sym_dims), ...
#include "faketensor/ops/factory.hpp"                  // fake::arange

namespace fake {
namespace detail {

// _unsafe_view with symbolic sizes: a new tensor (not a view) whose geometry
// is view's, computed on the expressions.
inline tensor_desc sym_unsafe_view(const tensor_desc& self, const sym_dims& sizes) {
  sym_geometry g = geom::view(sym_geometry_of(self), sizes);
  runtime_geometry concrete = hints_of(g);  // (fake::unsafe_view would replay the hints on self's expressions)
  tensor_desc out(tensor_desc::result_tag{}, self, std::move(concrete.sizes), std::move(concrete.strides), concrete.offset);
  out.set_symbolic_geometry(tensor_sym_geometry::make(std::move(g), out.geometry(), "_unsafe_view"));
  return out;
}

// arange(start, end, step) with a symbolic bound: the concrete kernel at the
// hints (dtype, device, its checks), sized ceil((end - start) / step) on the
// expressions. A float bound has no integer expression: it is specialized.
inline tensor_desc sym_arange(const ivalue& start, const ivalue& end, const ivalue& step, std::optional<dtype> dt,
                              std::optional<device> dev) {
  const auto integral = [](const ivalue& v) { return v.is_int() || v.is_sym_int(); };
  const bool symbolic = start.is_sym_int() || end.is_sym_int() || step.is_sym_int();
  if (!symbolic || !integral(start) || !integral(end) || !integral(step))
    return fake::arange(to_factory_scalar(start), to_factory_scalar(end), to_factory_scalar(step), dt, dev);
  const sym_int a = to_sym_int(start), b = to_sym_int(end), st = to_sym_int(step);
  tensor_desc out = fake::arange(hint_of(a), hint_of(b), hint_of(st), dt, dev);
  expect<value_error, "arange", "upper bound and larger bound inconsistent with step sign">((st > 0 && b >= a) || (st < 0 && b <= a));
  attach_symbolic_geometry(out, basic_out_meta<sym_dims>{sym_dims{sym_ceil_div(b - a, st)}, sym_dims{sym_int(1)}}, "arange");
  return out;
}

// A copy of a symbolic tensor (clone, _to_copy) keeps its expressions where
// its strides follow from the sizes alone: an explicit contiguous or
// channels-last format, or preserve_format of a tensor that is contiguous for
// every size. Otherwise (preserve_format's dense strides in a stride order the
// sizes decide) the result stays concrete and the dispatcher specializes the
// input.
inline void attach_copy_geometry(tensor_desc& out, const tensor_desc& self, std::optional<memory_format> format, std::string_view op) {
  if (!self.is_symbolic()) return;
  const sym_geometry g = sym_geometry_of(self);
  const memory_format f = format.value_or(memory_format::preserve_format);
  std::optional<sym_dims> strides;
  if (f == memory_format::contiguous_format) strides = contiguous_strides(g.sizes);
  else if (f == memory_format::channels_last && g.sizes.size() == 4) strides = channels_last_strides(g.sizes);
  else if (f == memory_format::preserve_format && g.strides.same_as(contiguous_strides(g.sizes))) strides = g.strides;
  if (strides) attach_symbolic_geometry(out, basic_out_meta<sym_dims>{g.sizes, std::move(*strides)}, op);
}

}  // namespace detail

inline void register_sym_ops(op_registry& r, std::vector<registration>& keep) {
  using enum op_tag;
  using detail::opt_device;
  using detail::opt_dtype;
#define FAKE_SK +[](const op_overload&, dispatch_key_set, stack& s)
  constexpr dispatch_key explicit_key = dispatch_key::composite_explicit_autograd;
  const auto define = [&](const char* schema, op_tags tags, kernel k) {
    define_builtin(r, keep, schema, tags, std::move(k)).accept_symbolic_ints();
  };
  // a symbolic kernel for an op defined elsewhere
  const auto shadow = [&](const char* name, dispatch_key key, kernel k) {
    op_overload& op = r.get(name);
    op.accept_symbolic_ints();
    keep.push_back(op.register_kernel(key, std::move(k)));
  };

  // --- size queries
  define("aten::sym_size.int(Tensor self, int dim) -> SymInt", {core},
         FAKE_SK { return_value(s, sym_ivalue(fake::sym_size(s[0].to_tensor(), s[1].to_int()))); });
  define("aten::sym_stride.int(Tensor self, int dim) -> SymInt", {core},
         FAKE_SK { return_value(s, sym_ivalue(fake::sym_stride(s[0].to_tensor(), s[1].to_int()))); });
  define("aten::sym_storage_offset(Tensor self) -> SymInt", {core},
         FAKE_SK { return_value(s, sym_ivalue(fake::sym_storage_offset(s[0].to_tensor()))); });
  define("aten::sym_numel(Tensor self) -> SymInt", {core}, FAKE_SK { return_value(s, sym_ivalue(fake::sym_numel(s[0].to_tensor()))); });

  // --- SymInt arithmetic (Python's operators on SymInts: // and % floor)
  define("_operator::add(SymInt a, SymInt b) -> SymInt", {}, FAKE_SK { return_value(s, sym_ivalue(to_sym_int(s[0]) + to_sym_int(s[1]))); });
  define("_operator::sub(SymInt a, SymInt b) -> SymInt", {}, FAKE_SK { return_value(s, sym_ivalue(to_sym_int(s[0]) - to_sym_int(s[1]))); });
  define("_operator::mul(SymInt a, SymInt b) -> SymInt", {}, FAKE_SK { return_value(s, sym_ivalue(to_sym_int(s[0]) * to_sym_int(s[1]))); });
  define("_operator::floordiv(SymInt a, SymInt b) -> SymInt", {},
         FAKE_SK { return_value(s, sym_ivalue(sym_floordiv(to_sym_int(s[0]), to_sym_int(s[1])))); });
  define("_operator::mod(SymInt a, SymInt b) -> SymInt", {}, FAKE_SK { return_value(s, sym_ivalue(sym_mod(to_sym_int(s[0]), to_sym_int(s[1])))); });
  define("_operator::min(SymInt a, SymInt b) -> SymInt", {}, FAKE_SK { return_value(s, sym_ivalue(sym_min(to_sym_int(s[0]), to_sym_int(s[1])))); });
  define("_operator::max(SymInt a, SymInt b) -> SymInt", {}, FAKE_SK { return_value(s, sym_ivalue(sym_max(to_sym_int(s[0]), to_sym_int(s[1])))); });

  // --- views and factories with symbolic sizes
  shadow("aten::view", explicit_key, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    return_value(s, ivalue(s[1].is_sym_int_list() ? fake::view(self, to_sym_dims(s[1])) : fake::view(self, s[1].int_list_ref())));
  });
  shadow("aten::_unsafe_view", explicit_key, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    return_value(s, ivalue(s[1].is_sym_int_list() ? detail::sym_unsafe_view(self, to_sym_dims(s[1])) : fake::unsafe_view(self, s[1].int_list_ref())));
  });
  shadow("aten::reshape", dispatch_key::composite_implicit_autograd, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    return_value(s, ivalue(s[1].is_sym_int_list() ? composite::reshape_as(self, to_sym_dims(s[1])) : composite::reshape(self, s[1].int_list_ref())));
  });
  shadow("aten::expand", explicit_key, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    return_value(s, ivalue(s[1].is_sym_int_list() ? fake::expand(self, to_sym_dims(s[1])) : fake::expand(self, s[1].int_list_ref())));
  });
  shadow("aten::slice.Tensor", explicit_key, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    const auto bound = [](const ivalue& v) { return v.is_none() ? std::nullopt : std::optional<sym_int>(to_sym_int(v)); };
    if (s[2].is_sym_int() || s[3].is_sym_int())
      return_value(s, ivalue(fake::sym_slice(self, s[1].to_int(), bound(s[2]), bound(s[3]), s[4].to_int())));
    else
      return_value(s, ivalue(fake::slice(self, s[1].to_int(), detail::optional_int(s[2]), detail::optional_int(s[3]), s[4].to_int())));
  });
  shadow("aten::arange", explicit_key, FAKE_SK {
    detail::check_strided(s[2], "arange");
    return_value(s, ivalue(detail::sym_arange(ivalue(std::int64_t{0}), s[0], ivalue(std::int64_t{1}), opt_dtype(s[1]), opt_device(s[3]))));
  });
  shadow("aten::arange.start", explicit_key, FAKE_SK {
    detail::check_strided(s[3], "arange");
    return_value(s, ivalue(detail::sym_arange(s[0], s[1], ivalue(std::int64_t{1}), opt_dtype(s[2]), opt_device(s[4]))));
  });
  shadow("aten::arange.start_step", explicit_key, FAKE_SK {
    detail::check_strided(s[4], "arange");
    return_value(s, ivalue(detail::sym_arange(s[0], s[1], s[2], opt_dtype(s[3]), opt_device(s[5]))));
  });

  // clone and _to_copy keep a symbolic input's expressions (copy_geometry)
  keep.push_back(r.get("aten::clone").register_kernel(explicit_key, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    const std::optional<memory_format> format = detail::opt_format(s[1]);
    tensor_desc out = fake::clone(self, format);
    detail::attach_copy_geometry(out, self, format, "clone");
    return_value(s, ivalue(std::move(out)));
  }));
  keep.push_back(r.get("aten::_to_copy").register_kernel(explicit_key, FAKE_SK {
    const tensor_desc& self = s[0].to_tensor();
    const std::optional<memory_format> format = detail::opt_format(s[6]);
    tensor_desc out = fake::to_copy(self, opt_dtype(s[1]), s[2].optional<layout>([](const ivalue& v) { return v.to_layout(); }),
                                    opt_device(s[3]), s[4].optional<bool>([](const ivalue& v) { return v.to_bool(); }),
                                    s[5].to_bool(), format);
    detail::attach_copy_geometry(out, self, format, "_to_copy");
    return_value(s, ivalue(std::move(out)));
  }));
#undef FAKE_SK
}

// Part of the global registry wherever this header is (Note [built-in op families]);
// after the families whose ops it shadows (this header includes theirs).
inline const bool register_sym_ops_added = add_builtin_family(&register_sym_ops);

}  // namespace fake
