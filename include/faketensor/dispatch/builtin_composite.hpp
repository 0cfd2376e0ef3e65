// faketensor/dispatch/builtin_composite.hpp — decomposing kernels for the
// view-like composites of dispatch/builtin_ops.hpp, and the ops they and the
// tracer need: _reshape_alias, lift_fresh, lift_fresh_copy, bernoulli_.float.
//
// builtin_ops.hpp keeps reshape and flatten as one-step kernels under
// CompositeExplicitAutograd (it is registered even without the kernel
// families, and a copy needs clone from builtin_pointwise.hpp). This family
// adds their CompositeImplicitAutograd kernels, which decompose as ATen's do
// (Note [composites decompose]) and are the ones a tensor with autograd keys
// (every fake tensor that is not an inference tensor) reaches first.
#pragma once

#include <vector>  // std::vector

#include "faketensor/dispatch/composite.hpp"  // fake::composite
#include "faketensor/dispatch/operator.hpp"   // fake::op_registry, fake::define_builtin
#include "faketensor/view/ops.hpp"            // fake::as_strided, fake::alias

namespace fake {

inline void register_composite_ops(op_registry& r, std::vector<registration>& keep) {
  using enum op_tag;
#define FAKE_CK +[](const op_overload&, dispatch_key_set, stack& s)
  constexpr dispatch_key implicit = dispatch_key::composite_implicit_autograd;
  keep.push_back(r.get("aten::reshape")
                     .register_kernel(implicit, (FAKE_CK { return_value(s, ivalue(composite::reshape(s[0].to_tensor(), s[1].int_list_ref()))); })));
  keep.push_back(r.get("aten::flatten.using_ints").register_kernel(implicit, (FAKE_CK {
    return_value(s, ivalue(composite::flatten(s[0].to_tensor(), s[1].to_int(), s[2].to_int())));
  })));
  // reshape's view: the strides computeStride found, on self's storage offset.
  define_builtin(r, keep, "aten::_reshape_alias(Tensor(a) self, SymInt[] size, SymInt[] stride) -> Tensor(a)", {view},
                 FAKE_CK { return_value(s, ivalue(fake::as_strided(s[0].to_tensor(), s[1].int_list_ref(), s[2].int_list_ref()))); });
  // A tensor made from data (torch.tensor(...)) entering a traced program.
  define_builtin(r, keep, "aten::lift_fresh(Tensor(a) self) -> Tensor(a)", {}, FAKE_CK { (void)s; });
  define_builtin(r, keep, "aten::lift_fresh_copy(Tensor self) -> Tensor", {},
                 FAKE_CK { return_value(s, ivalue(contiguous_copy(s[0].to_tensor()))); });
  // An in-place random fill: metadata unchanged, version bumped.
  define_builtin(r, keep, "aten::bernoulli_.float(Tensor(a!) self, float p=0.5, *, Generator? generator=None) -> Tensor(a!)",
                 {nondeterministic_seeded}, FAKE_CK {
                   const tensor_desc self = s[0].to_tensor();
                   self.storage().bump_version();
                   return_value(s, ivalue(self));
                 });
#undef FAKE_CK
}

// Part of the global registry wherever this header is (Note [built-in op families]).
inline const bool register_composite_ops_added = add_builtin_family(&register_composite_ops);

}  // namespace fake
