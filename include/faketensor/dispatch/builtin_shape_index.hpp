// faketensor/dispatch/builtin_shape_index.hpp — the built-in shape/indexing,
// factory and data-dependent aten operators (ops/shape_index.hpp,
// ops/factory.hpp, ops/data_dependent.hpp) of the runtime registry: their
// schemas, tags and boxed kernels.
//
// Schemas are native_functions.yaml's (1.13's defaults: randint's
// dtype=long). Meta kernels register under CompositeExplicitAutograd;
// item and repeat_interleave.self_int / self_Tensor are CompositeImplicit-
// Autograd in ATen and register there, as calls of the other ops' C++
// functions.
//
// Note [dynamic_output_shape tags]
// Only the ops that always refuse fake tensors carry dynamic_output_shape
// (nonzero, masked_select, _unique2, unique_dim): PyTorch tags index.Tensor and
// repeat_interleave.Tensor too, and its FakeTensorMode then special-cases
// them; here their kernels raise dynamic_output_shape_error themselves (bool
// masks; no output_size) and compute the result otherwise, so a mode that
// refuses tagged ops still runs them.
#pragma once

#include <optional>  // std::optional
#include <vector>    // std::vector

#include "faketensor/dispatch/operator.hpp"       // fake::op_registry, fake::kernel
#include "faketensor/meta/sym_tensor.hpp"         // fake::with_symbolic_list
#include "faketensor/ops/data_dependent.hpp"      // fake::nonzero, fake::item, ...
#include "faketensor/ops/factory.hpp"             // fake::zeros, fake::arange, ...
#include "faketensor/ops/ivalue.hpp"              // fake::stack, fake::ivalue
#include "faketensor/ops/shape_index.hpp"         // fake::cat, fake::index, ...
#include "faketensor/ops/tags.hpp"                // fake::op_tags

namespace fake {
namespace detail {

inline std::optional<dtype> opt_dtype(const ivalue& v) { return v.is_none() ? std::nullopt : std::optional<dtype>(v.to_dtype()); }
inline std::optional<device> opt_device(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<device>(v.to_device());
}
inline std::optional<memory_format> opt_format(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<memory_format>(v.to_memory_format());
}
inline std::optional<std::int64_t> opt_int(const ivalue& v) {
  return v.is_none() ? std::nullopt : std::optional<std::int64_t>(v.to_int());
}
inline factory_scalar to_factory_scalar(const ivalue& v) {
  if (v.is_bool()) return factory_scalar(v.to_bool());
  if (v.is_int() || v.is_sym_int()) return factory_scalar(v.to_int());  // a symbolic SymInt: specialized
  return factory_scalar(v.to_double());
}
// The strided layout is the only one a fake factory makes.
inline void check_strided(const ivalue& layout_arg, const char* op) {
  if (!layout_arg.is_none() && layout_arg.to_layout() != layout::strided)
    throw unsupported_op_error(std::string(op) + ": only the strided layout is supported, got " + to_string(layout_arg.to_layout()));
}
// cat with its symbolic rule (Note [symbolic rules of kernels]): cat_meta on
// the inputs' expressions.
inline tensor_desc cat_with_rule(std::span<const tensor_desc> tensors, std::int64_t dim) {
  return with_symbolic_list<"cat">(
      fake::cat(tensors, dim),
      [&](std::span<const sym_geometry> g) {
        std::vector<basic_meta_input<sym_dims>> ins(g.size());
        for (std::size_t i = 0; i < g.size(); ++i) ins[i] = {&g[i].sizes, &g[i].strides, tensors[i].dtype()};
        return cat_meta<sym_dims>(ins, dim);
      },
      tensors);
}
inline std::vector<std::optional<tensor_desc>> opt_tensors(const ivalue& v) {
  if (v.is_tensor_list()) {
    std::vector<std::optional<tensor_desc>> out;
    for (const tensor_desc& t : v.to_tensor_list()) out.emplace_back(t);
    return out;
  }
  return v.to_optional_tensor_list();
}

using boxed_fn = void (*)(const op_overload&, dispatch_key_set, stack&);
struct shape_index_op {
  const char* schema;
  op_tags tags;
  boxed_fn fn;
  dispatch_key key = dispatch_key::composite_explicit_autograd;
};

#define FAKE_SI(body) +[](const op_overload&, dispatch_key_set, stack& s) { body; }

inline const std::vector<shape_index_op>& shape_index_ops() {
  using enum op_tag;
  constexpr dispatch_key implicit = dispatch_key::composite_implicit_autograd;
  static const std::vector<shape_index_op> ops{
      // ---------------------------------------------------------- shape/index
      {"aten::cat(Tensor[] tensors, int dim=0) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(detail::cat_with_rule(s[0].to_tensor_list(), s[1].to_int()))))},
      {"aten::cat.out(Tensor[] tensors, int dim=0, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::cat_out(s[0].to_tensor_list(), s[1].to_int(), s[2].to_tensor()))))},
      {"aten::stack(Tensor[] tensors, int dim=0) -> Tensor", {},
       FAKE_SI(return_value(s, ivalue(fake::stack_tensors(std::span<const tensor_desc>(s[0].to_tensor_list()), s[1].to_int()))))},
      {"aten::stack.out(Tensor[] tensors, int dim=0, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::stack_tensors_out(s[0].to_tensor_list(), s[1].to_int(), s[2].to_tensor()))))},
      {"aten::repeat(Tensor self, SymInt[] repeats) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::repeat(s[0].to_tensor(), s[1].to_int_list()))))},
      {"aten::flip(Tensor self, int[] dims) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::flip(s[0].to_tensor(), s[1].to_int_list()))))},
      {"aten::roll(Tensor self, SymInt[1] shifts, int[1] dims=[]) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::roll(s[0].to_tensor(), s[1].to_int_list(), s[2].to_int_list()))))},
      {"aten::tril(Tensor self, int diagonal=0) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::tril(s[0].to_tensor(), s[1].to_int()))))},
      {"aten::triu(Tensor self, int diagonal=0) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::triu(s[0].to_tensor(), s[1].to_int()))))},
      {"aten::tril_(Tensor(a!) self, int diagonal=0) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor(); fake::tril_(self, s[1].to_int()); return_value(s, ivalue(self)))},
      {"aten::triu_(Tensor(a!) self, int diagonal=0) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor(); fake::triu_(self, s[1].to_int()); return_value(s, ivalue(self)))},
      {"aten::tril.out(Tensor self, int diagonal=0, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::tril_out(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor()))))},
      {"aten::triu.out(Tensor self, int diagonal=0, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::triu_out(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor()))))},
      {"aten::index_select(Tensor self, int dim, Tensor index) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::index_select(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor()))))},
      {"aten::index_select.out(Tensor self, int dim, Tensor index, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::index_select_out(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[3].to_tensor()))))},
      {"aten::gather(Tensor self, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::gather(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor()))))},
      {"aten::gather.out(Tensor self, int dim, Tensor index, *, bool sparse_grad=False, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::gather_out(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[4].to_tensor()))))},
      {"aten::scatter.src(Tensor self, int dim, Tensor index, Tensor src) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::scatter(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[3].to_tensor()))))},
      {"aten::scatter.value(Tensor self, int dim, Tensor index, Scalar value) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::scatter(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[3].to_double()))))},
      {"aten::scatter.reduce(Tensor self, int dim, Tensor index, Tensor src, *, str reduce) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::scatter(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[3].to_tensor(),
                                         std::string_view(s[4].to_string_ref())))))},
      {"aten::scatter.value_reduce(Tensor self, int dim, Tensor index, Scalar value, *, str reduce) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::scatter(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[3].to_double(),
                                         std::string_view(s[4].to_string_ref())))))},
      {"aten::scatter_.src(Tensor(a!) self, int dim, Tensor index, Tensor src) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor(); fake::scatter_(self, s[1].to_int(), s[2].to_tensor(), &s[3].to_tensor());
               return_value(s, ivalue(self)))},
      {"aten::scatter_.value(Tensor(a!) self, int dim, Tensor index, Scalar value) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor(); fake::scatter_(self, s[1].to_int(), s[2].to_tensor(), nullptr);
               return_value(s, ivalue(self)))},
      {"aten::scatter_.reduce(Tensor(a!) self, int dim, Tensor index, Tensor src, *, str reduce) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor();
               fake::scatter_(self, s[1].to_int(), s[2].to_tensor(), &s[3].to_tensor(), std::string_view(s[4].to_string_ref()));
               return_value(s, ivalue(self)))},
      {"aten::scatter_.value_reduce(Tensor(a!) self, int dim, Tensor index, Scalar value, *, str reduce) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor();
               fake::scatter_(self, s[1].to_int(), s[2].to_tensor(), nullptr, std::string_view(s[4].to_string_ref()));
               return_value(s, ivalue(self)))},
      {"aten::scatter.src_out(Tensor self, int dim, Tensor index, Tensor src, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::scatter_out(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), &s[3].to_tensor(), s[4].to_tensor()))))},
      {"aten::scatter_add(Tensor self, int dim, Tensor index, Tensor src) -> Tensor", {core},
       FAKE_SI(return_value(s, ivalue(fake::scatter_add(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), s[3].to_tensor()))))},
      {"aten::scatter_add_(Tensor(a!) self, int dim, Tensor index, Tensor src) -> Tensor(a!)", {},
       FAKE_SI(tensor_desc self = s[0].to_tensor(); fake::scatter_(self, s[1].to_int(), s[2].to_tensor(), &s[3].to_tensor());
               return_value(s, ivalue(self)))},
      {"aten::scatter_add.out(Tensor self, int dim, Tensor index, Tensor src, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::scatter_out(s[0].to_tensor(), s[1].to_int(), s[2].to_tensor(), &s[3].to_tensor(), s[4].to_tensor()))))},
      {"aten::index.Tensor(Tensor self, Tensor?[] indices) -> Tensor", {core},
       FAKE_SI(const auto ix = opt_tensors(s[1]); return_value(s, ivalue(fake::index(s[0].to_tensor(), ix))))},
      {"aten::index.Tensor_out(Tensor self, Tensor?[] indices, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(const auto ix = opt_tensors(s[1]); return_value(s, ivalue(fake::index_out(s[0].to_tensor(), ix, s[2].to_tensor()))))},
      {"aten::index_put(Tensor self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor", {core},
       FAKE_SI(const auto ix = opt_tensors(s[1]);
               return_value(s, ivalue(fake::index_put(s[0].to_tensor(), ix, s[2].to_tensor(), s[3].to_bool()))))},
      {"aten::index_put_(Tensor(a!) self, Tensor?[] indices, Tensor values, bool accumulate=False) -> Tensor(a!)", {},
       FAKE_SI(const auto ix = opt_tensors(s[1]); tensor_desc self = s[0].to_tensor();
               fake::index_put_(self, ix, s[2].to_tensor(), s[3].to_bool()); return_value(s, ivalue(self)))},
      {"aten::repeat_interleave.self_int(Tensor self, SymInt repeats, int? dim=None, *, SymInt? output_size=None) -> Tensor", {},
       FAKE_SI(return_value(s, ivalue(fake::repeat_interleave(s[0].to_tensor(), s[1].to_int(), opt_int(s[2]), opt_int(s[3]))))), implicit},
      {"aten::repeat_interleave.self_Tensor(Tensor self, Tensor repeats, int? dim=None, *, SymInt? output_size=None) -> Tensor", {},
       FAKE_SI(return_value(s, ivalue(fake::repeat_interleave(s[0].to_tensor(), s[1].to_tensor(), opt_int(s[2]), opt_int(s[3]))))), implicit},
      {"aten::repeat_interleave.Tensor(Tensor repeats, *, SymInt? output_size=None) -> Tensor", {},
       FAKE_SI(return_value(s, ivalue(fake::repeat_interleave_tensor(s[0].to_tensor(), opt_int(s[1])))))},

      // ------------------------------------------------------------ factories
      {"aten::empty.memory_format(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[2], "empty"); return_value(s, ivalue(fake::empty_memory_format(s[0].to_int_list(), opt_dtype(s[1]),
                                                                                  opt_device(s[3]), opt_format(s[5])))))},
      {"aten::empty_strided(SymInt[] size, SymInt[] stride, *, ScalarType? dtype=None, Layout? layout=None, Device? "
       "device=None, bool? pin_memory=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[3], "empty_strided");
               return_value(s, ivalue(fake::empty_strided(s[0].to_int_list(), s[1].to_int_list(), opt_dtype(s[2]).value_or(default_float_dtype),
                                               opt_device(s[4]).value_or(device{})))))},
      {"aten::zeros(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[2], "zeros"); return_value(s, ivalue(fake::zeros(s[0].to_int_list(), opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::ones(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[2], "ones"); return_value(s, ivalue(fake::ones(s[0].to_int_list(), opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::zeros.out(SymInt[] size, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(const tensor_desc& out = s[1].to_tensor(); const dim_vector sz = s[0].to_int_list(); detail::check_factory_sizes(sz);
               return_value(s, ivalue(resize_out<"zeros">(out, out_meta{sz, dim_vector(contiguous_strides(sz)), out.dtype(), out.device()}))))},
      {"aten::ones.out(SymInt[] size, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(const tensor_desc& out = s[1].to_tensor(); const dim_vector sz = s[0].to_int_list(); detail::check_factory_sizes(sz);
               return_value(s, ivalue(resize_out<"ones">(out, out_meta{sz, dim_vector(contiguous_strides(sz)), out.dtype(), out.device()}))))},
      {"aten::full(SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[3], "full");
               return_value(s, ivalue(fake::full(s[0].to_int_list(), to_factory_scalar(s[1]), opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::full.out(SymInt[] size, Scalar fill_value, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(const tensor_desc& out = s[2].to_tensor(); const dim_vector sz = s[0].to_int_list(); detail::check_factory_sizes(sz);
               return_value(s, ivalue(resize_out<"full">(out, out_meta{sz, dim_vector(contiguous_strides(sz)), out.dtype(), out.device()}))))},
      {"aten::scalar_tensor(Scalar s, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[2], "scalar_tensor");
               return_value(s, ivalue(fake::scalar_tensor(to_factory_scalar(s[0]), opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::arange(Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[2], "arange");
               return_value(s, ivalue(fake::arange(to_factory_scalar(s[0]), opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::arange.start(Scalar start, Scalar end, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[3], "arange"); return_value(s, ivalue(fake::arange(to_factory_scalar(s[0]), to_factory_scalar(s[1]),
                                                                      std::int64_t{1}, opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::arange.start_step(Scalar start, Scalar end, Scalar step=1, *, ScalarType? dtype=None, Layout? layout=None, "
       "Device? device=None, bool? pin_memory=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[4], "arange");
               return_value(s, ivalue(fake::arange(to_factory_scalar(s[0]), to_factory_scalar(s[1]), to_factory_scalar(s[2]),
                                        opt_dtype(s[3]), opt_device(s[5])))))},
      {"aten::arange.start_out(Scalar start, Scalar end, Scalar step=1, *, Tensor(a!) out) -> Tensor(a!)", {},
       FAKE_SI(return_value(s, ivalue(fake::arange_out(to_factory_scalar(s[0]), to_factory_scalar(s[1]), to_factory_scalar(s[2]),
                                            s[3].to_tensor()))))},
      {"aten::linspace(Scalar start, Scalar end, int steps, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
       "bool? pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[4], "linspace");
               return_value(s, ivalue(fake::linspace(to_factory_scalar(s[0]), to_factory_scalar(s[1]), s[2].to_int(), opt_dtype(s[3]),
                                          opt_device(s[5])))))},
      {"aten::eye(SymInt n, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[2], "eye"); return_value(s, ivalue(fake::eye(s[0].to_int(), std::nullopt, opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::eye.m(SymInt n, SymInt m, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[3], "eye");
               return_value(s, ivalue(fake::eye(s[0].to_int(), s[1].to_int(), opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::rand(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {nondeterministic_seeded},
       FAKE_SI(check_strided(s[2], "rand"); return_value(s, ivalue(fake::rand(s[0].to_int_list(), opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::randn(SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None) -> Tensor",
       {nondeterministic_seeded},
       FAKE_SI(check_strided(s[2], "randn"); return_value(s, ivalue(fake::randn(s[0].to_int_list(), opt_dtype(s[1]), opt_device(s[3])))))},
      {"aten::randint(SymInt high, SymInt[] size, *, ScalarType? dtype=long, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {nondeterministic_seeded},
       FAKE_SI(check_strided(s[3], "randint");
               return_value(s, ivalue(fake::randint(0, s[0].to_int(), s[1].to_int_list(), opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::randint.low(SymInt low, SymInt high, SymInt[] size, *, ScalarType? dtype=long, Layout? layout=None, Device? "
       "device=None, bool? pin_memory=None) -> Tensor",
       {nondeterministic_seeded},
       FAKE_SI(check_strided(s[4], "randint");
               return_value(s, ivalue(fake::randint(s[0].to_int(), s[1].to_int(), s[2].to_int_list(), opt_dtype(s[3]), opt_device(s[5])))))},
      {"aten::empty_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
       "MemoryFormat? memory_format=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[2], "empty_like");
               return_value(s, ivalue(fake::empty_like(s[0].to_tensor(), opt_dtype(s[1]), opt_device(s[3]), opt_format(s[5])))))},
      {"aten::zeros_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
       "MemoryFormat? memory_format=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[2], "zeros_like");
               return_value(s, ivalue(fake::zeros_like(s[0].to_tensor(), opt_dtype(s[1]), opt_device(s[3]), opt_format(s[5])))))},
      {"aten::ones_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
       "MemoryFormat? memory_format=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[2], "ones_like");
               return_value(s, ivalue(fake::ones_like(s[0].to_tensor(), opt_dtype(s[1]), opt_device(s[3]), opt_format(s[5])))))},
      {"aten::full_like(Tensor self, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None, MemoryFormat? memory_format=None) -> Tensor",
       {core},
       FAKE_SI(check_strided(s[3], "full_like"); return_value(s, ivalue(fake::full_like(s[0].to_tensor(), to_factory_scalar(s[1]),
                                                                            opt_dtype(s[2]), opt_device(s[4]), opt_format(s[6])))))},
      {"aten::rand_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
       "MemoryFormat? memory_format=None) -> Tensor",
       {nondeterministic_seeded},
       FAKE_SI(check_strided(s[2], "rand_like");
               return_value(s, ivalue(fake::rand_like(s[0].to_tensor(), opt_dtype(s[1]), opt_device(s[3]), opt_format(s[5])))))},
      {"aten::randn_like(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
       "MemoryFormat? memory_format=None) -> Tensor",
       {nondeterministic_seeded},
       FAKE_SI(check_strided(s[2], "randn_like");
               return_value(s, ivalue(fake::randn_like(s[0].to_tensor(), opt_dtype(s[1]), opt_device(s[3]), opt_format(s[5])))))},
      {"aten::new_empty(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[3], "new_empty");
               return_value(s, ivalue(fake::new_empty(s[0].to_tensor(), s[1].to_int_list(), opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::new_zeros(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[3], "new_zeros");
               return_value(s, ivalue(fake::new_zeros(s[0].to_tensor(), s[1].to_int_list(), opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::new_ones(Tensor self, SymInt[] size, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? "
       "pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[3], "new_ones");
               return_value(s, ivalue(fake::new_ones(s[0].to_tensor(), s[1].to_int_list(), opt_dtype(s[2]), opt_device(s[4])))))},
      {"aten::new_full(Tensor self, SymInt[] size, Scalar fill_value, *, ScalarType? dtype=None, Layout? layout=None, Device? "
       "device=None, bool? pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[4], "new_full"); return_value(s, ivalue(fake::new_full(s[0].to_tensor(), s[1].to_int_list(),
                                                                          to_factory_scalar(s[2]), opt_dtype(s[3]), opt_device(s[5])))))},
      {"aten::new_empty_strided(Tensor self, SymInt[] size, SymInt[] stride, *, ScalarType? dtype=None, Layout? layout=None, "
       "Device? device=None, bool? pin_memory=None) -> Tensor",
       {},
       FAKE_SI(check_strided(s[4], "new_empty_strided");
               return_value(s, ivalue(fake::new_empty_strided(s[0].to_tensor(), s[1].to_int_list(), s[2].to_int_list(), opt_dtype(s[3]),
                                                   opt_device(s[5])))))},

      // ------------------------------------------------------- data-dependent
      {"aten::_local_scalar_dense(Tensor self) -> Scalar", {data_dependent_output},
       FAKE_SI(fake::local_scalar_dense(s[0].to_tensor()))},
      // item() is _local_scalar_dense through the dispatcher, as in ATen, so a
      // mode answers it (a constant's value, an unbacked SymInt)
      {"aten::item(Tensor self) -> Scalar", {data_dependent_output},
       FAKE_SI(fake::check_item(s[0].to_tensor()); s.resize(1); op_registry::global().get("aten::_local_scalar_dense").call(s)),
       implicit},
      {"aten::nonzero(Tensor self) -> Tensor", {dynamic_output_shape, core}, FAKE_SI(fake::nonzero(s[0].to_tensor()))},
      {"aten::masked_select(Tensor self, Tensor mask) -> Tensor", {dynamic_output_shape},
       FAKE_SI(fake::masked_select(s[0].to_tensor(), s[1].to_tensor()))},
      {"aten::_unique2(Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, Tensor, Tensor)",
       {dynamic_output_shape}, FAKE_SI(fake::unique2(s[0].to_tensor()))},
      {"aten::unique_dim(Tensor self, int dim, bool sorted=True, bool return_inverse=False, bool return_counts=False) -> (Tensor, "
       "Tensor, Tensor)",
       {dynamic_output_shape}, FAKE_SI(fake::unique_dim(s[0].to_tensor(), s[1].to_int()))},
  };
  return ops;
}

#undef FAKE_SI

}  // namespace detail

// Defines the shape/indexing, factory and data-dependent ops (see the header
// comment) on `r`; `keep` holds their kernel registrations.
inline void register_shape_index_ops(op_registry& r, std::vector<registration>& keep) {
  for (const detail::shape_index_op& op : detail::shape_index_ops()) {
    op_overload& o = r.define(op.schema, op.tags);
    keep.push_back(o.register_kernel(op.key, kernel(op.fn)));
  }
}

// Part of the global registry wherever this header is (Note [built-in op families]).
inline const bool register_shape_index_ops_added = add_builtin_family(&register_shape_index_ops);

}  // namespace fake
