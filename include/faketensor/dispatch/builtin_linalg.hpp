// faketensor/dispatch/builtin_linalg.hpp — the matrix-product operators of the
// runtime registry (ops/linalg.hpp): schemas as in PyTorch 2.x's
// native_functions.yaml, tags, and boxed kernels. mm, bmm, addmm, baddbmm,
// addbmm, dot and mv run their meta kernels under CompositeExplicitAutograd;
// matmul, linear and outer (CompositeImplicit in ATen) are registered under
// CompositeImplicitAutograd.
//
// matmul and linear decompose through the dispatcher as ATen's composites do
// (dispatch/composite.hpp, Note [composites decompose]); outer still computes
// its metadata in one step. matmul.out and linear.out are not defined: 1.13
// restrides `out` differently on each path (set_ of a view, squeeze_), which
// is not modelled.
#pragma once

#include <optional>  // std::optional
#include <vector>    // std::vector

#include "faketensor/dispatch/composite.hpp" // fake::composite::matmul, linear
#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::registration
#include "faketensor/meta/sym_tensor.hpp"    // fake::with_symbolic, fake::sym_geometry
#include "faketensor/ops/ivalue.hpp"         // fake::stack, fake::ivalue
#include "faketensor/ops/linalg.hpp"         // fake::mm, fake::matmul, ...
#include "faketensor/ops/tags.hpp"           // fake::op_tag

namespace fake {

inline void register_linalg_ops(op_registry& r, std::vector<registration>& keep) {
  using enum op_tag;
  using K = kernel::function;
  const auto def = [&](const char* schema, op_tags tags, K k,
                       dispatch_key key = dispatch_key::composite_explicit_autograd) {
    keep.push_back(r.define(schema, tags).register_kernel(key, kernel(k)));  // define_builtin's work (it may not be declared yet)
  };
#define FAKE_LK [](const op_overload&, dispatch_key_set, stack& s)
#define FAKE_T(i) s[i].to_tensor()

  // mm, bmm and addmm have symbolic rules (Note [symbolic rules of kernels])
  def("aten::mm(Tensor self, Tensor mat2) -> Tensor", {core}, FAKE_LK {
    const tensor_desc &a = FAKE_T(0), &b = FAKE_T(1);
    return_value(s, ivalue(with_symbolic<"mm">(
        fake::mm(a, b), [&](const sym_geometry& x, const sym_geometry& y) { return mm_meta(x.sizes, a.dtype(), y.sizes, b.dtype(), a.device()); },
        a, b)));
  });
  def("aten::mm.out(Tensor self, Tensor mat2, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::mm_out(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::bmm(Tensor self, Tensor mat2) -> Tensor", {core}, FAKE_LK {
    const tensor_desc &a = FAKE_T(0), &b = FAKE_T(1);
    return_value(s, ivalue(with_symbolic<"bmm">(
        fake::bmm(a, b), [&](const sym_geometry& x, const sym_geometry& y) { return bmm_meta(x.sizes, a.dtype(), y.sizes, b.dtype(), a.device()); },
        a, b)));
  });
  def("aten::bmm.out(Tensor self, Tensor mat2, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::bmm_out(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", {core},
      FAKE_LK {
        const tensor_desc &c = FAKE_T(0), &a = FAKE_T(1), &b = FAKE_T(2);
        return_value(s, ivalue(with_symbolic<"addmm">(fake::addmm(c, a, b),
                                           [&](const sym_geometry& z, const sym_geometry& x, const sym_geometry& y) {
                                             return addmm_meta(z.sizes, c.dtype(), x.sizes, a.dtype(), y.sizes, b.dtype(), a.device());
                                           },
                                           c, a, b)));
      });
  def("aten::addmm.out(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::addmm_out(FAKE_T(0), FAKE_T(1), FAKE_T(2), FAKE_T(5)))); });
  def("aten::addmm_(Tensor(a!) self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::addmm_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::baddbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", {},
      FAKE_LK { return_value(s, ivalue(fake::baddbmm(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::baddbmm.out(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)",
      {}, FAKE_LK { return_value(s, ivalue(fake::baddbmm_out(FAKE_T(0), FAKE_T(1), FAKE_T(2), FAKE_T(5)))); });
  def("aten::baddbmm_(Tensor(a!) self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::baddbmm_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::addbmm(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor", {},
      FAKE_LK { return_value(s, ivalue(fake::addbmm(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::addbmm.out(Tensor self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)",
      {}, FAKE_LK { return_value(s, ivalue(fake::addbmm_out(FAKE_T(0), FAKE_T(1), FAKE_T(2), FAKE_T(5)))); });
  def("aten::addbmm_(Tensor(a!) self, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::addbmm_(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::dot(Tensor self, Tensor tensor) -> Tensor", {}, FAKE_LK { return_value(s, ivalue(fake::dot(FAKE_T(0), FAKE_T(1)))); });
  def("aten::dot.out(Tensor self, Tensor tensor, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::dot_out(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });
  def("aten::mv(Tensor self, Tensor vec) -> Tensor", {}, FAKE_LK { return_value(s, ivalue(fake::mv(FAKE_T(0), FAKE_T(1)))); });
  def("aten::mv.out(Tensor self, Tensor vec, *, Tensor(a!) out) -> Tensor(a!)", {},
      FAKE_LK { return_value(s, ivalue(fake::mv_out(FAKE_T(0), FAKE_T(1), FAKE_T(2)))); });

  // Composites (Note [composites decompose]).
  def("aten::matmul(Tensor self, Tensor other) -> Tensor", {}, FAKE_LK { return_value(s, ivalue(composite::matmul(FAKE_T(0), FAKE_T(1)))); },
      dispatch_key::composite_implicit_autograd);
  def("aten::linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor", {},
      FAKE_LK {
        std::optional<tensor_desc> bias;
        if (!s[2].is_none()) bias = FAKE_T(2);
        return_value(s, ivalue(composite::linear(FAKE_T(0), FAKE_T(1), bias)));
      },
      dispatch_key::composite_implicit_autograd);
  def("aten::outer(Tensor self, Tensor vec2) -> Tensor", {}, FAKE_LK { return_value(s, ivalue(composite::outer(FAKE_T(0), FAKE_T(1)))); },
      dispatch_key::composite_implicit_autograd);
#undef FAKE_LK
#undef FAKE_T
}

// Part of the global registry wherever this header is (Note [built-in op families]).
inline const bool register_linalg_ops_added = add_builtin_family(&register_linalg_ops);

}  // namespace fake
