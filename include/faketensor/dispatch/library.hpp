// faketensor/dispatch/library.hpp — custom operators: define an op from a
// schema string and register its kernels (torch.library.Library,
// torch.library.register_fake; c10's TORCH_LIBRARY / TORCH_LIBRARY_IMPL).
//
//   fake::library lib("mylib", fake::library::kind::def);
//   lib.define("foo(Tensor x, int n) -> Tensor");
//   lib.register_fake("foo", [](fake::stack& s) { ... push the result's metadata ... });
//   fake::call("mylib::foo", {x, 3});
//
// A library owns what it registered: destroying it deregisters its kernels
// and mode rules and removes the ops it defined (Library._destroy). Only one
// `def` library may own a namespace at a time, and `aten` belongs to the
// built-in operators (c10: "Only a single TORCH_LIBRARY can be used to
// register the namespace").
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move
#include <vector>       // std::vector

#include "faketensor/core/error.hpp"             // fake::value_error
#include "faketensor/dispatch/kernel.hpp"        // fake::kernel
#include "faketensor/dispatch/operator.hpp"      // fake::op_registry, fake::op_overload
#include "faketensor/dispatch/registration.hpp"  // fake::registration
#include "faketensor/ops/tags.hpp"               // fake::op_tags

namespace fake {

namespace detail {
inline std::vector<std::string>& owned_namespaces() {
  static std::vector<std::string> ns{"aten", "prim", "prims"};
  return ns;
}
}  // namespace detail

class library {
 public:
  // def: may define ops (owns the namespace); impl: only registers kernels
  // for ops defined elsewhere; fragment: defines more ops in a namespace a
  // def library owns (TORCH_LIBRARY_FRAGMENT).
  enum class kind { def, impl, fragment };

  library(std::string ns, kind k, op_registry& registry = op_registry::global())
      : ns_(std::move(ns)), kind_(k), registry_(&registry) {
    if (ns_.empty() || ns_.find("::") != std::string::npos || ns_.find('.') != std::string::npos)
      throw value_error("library: '" + ns_ + "' is not a namespace name");
    if (kind_ == kind::def) {
      for (const std::string& owned : detail::owned_namespaces())
        if (owned == ns_)
          throw value_error("library: Only a single TORCH_LIBRARY can be used to register the namespace " + ns_ +
                            "; please put all of your definitions in a single TORCH_LIBRARY block (or use a fragment)");
      detail::owned_namespaces().push_back(ns_);
    }
  }
  library(const library&) = delete;
  library& operator=(const library&) = delete;
  ~library() {
    registrations_.clear();  // kernels and rules first: they point into the ops
    for (const std::string& name : defined_) registry_->undefine(name);
    if (kind_ == kind::def) std::erase(detail::owned_namespaces(), ns_);
  }

  [[nodiscard]] const std::string& ns() const noexcept { return ns_; }

  // Defines an op of this namespace from its schema ("foo(Tensor x) -> Tensor";
  // a qualified name must name this namespace). Returns the new op.
  op_overload& define(std::string_view schema_text, op_tags tags = {}) {
    if (kind_ == kind::impl)
      throw value_error("library: define() is not allowed on an impl library (namespace " + ns_ + ")");
    std::string text(schema_text);
    const std::size_t paren = text.find('(');
    const std::size_t colons = text.find("::");
    if (colons != std::string::npos && colons < paren) {
      if (std::string_view(text).substr(0, colons) != ns_)
        throw value_error("library: cannot define " + text.substr(0, paren) + " in a library for namespace " + ns_);
    } else {
      text = ns_ + "::" + text;
    }
    op_overload& op = registry_->define(std::move(text), tags);
    defined_.push_back(op.qualified_name());
    return op;
  }

  // Registers `k` for `name` ("foo" or "foo.overload", in this namespace, or a
  // qualified name) at `key`; CompositeImplicitAutograd by default, as
  // Library.impl with no dispatch key.
  void impl(std::string_view name, kernel k, dispatch_key key = dispatch_key::composite_implicit_autograd) {
    registrations_.push_back(op(name).register_kernel(key, std::move(k)));
  }
  void fallthrough(std::string_view name, dispatch_key key) { registrations_.push_back(op(name).register_fallthrough(key)); }

  // The op's fake (meta) implementation: computes its outputs' metadata. It
  // serves the Meta key, and the fake mode calls it for fake tensors on any
  // device (torch.library.register_fake).
  // Its results may alias its inputs only where the schema says so
  // (unsupported_mutation_aliasing_error otherwise).
  void register_fake(std::string_view name, kernel k) {
    op_overload& o = op(name);
    kernel checked([k = std::move(k)](const op_overload& op, dispatch_key_set keys, stack& s) {
      std::vector<std::pair<std::size_t, fake::storage>> inputs;  // argument index, storage
      for (std::size_t i = 0; i < s.size(); ++i) s[i].for_each_tensor([&](const tensor_desc& t) { inputs.emplace_back(i, t.storage()); });
      k(op, keys, s);
      check_fake_aliasing(op, inputs, s);
    });
    registrations_.push_back(o.register_kernel(dispatch_key::meta, checked));
    registrations_.push_back(o.register_fake(std::move(checked)));
  }

  // The rule `rule` for `name` under modes of type Mode (py_impl).
  template <class Mode>
  void py_impl(std::string_view name, kernel rule) {
    registrations_.push_back(op(name).template py_impl<Mode>(std::move(rule)));
  }

 private:
  // A result that shares an input's storage where the schema's return has no
  // alias annotation (`Tensor` rather than `Tensor(a)`).
  static void check_fake_aliasing(const op_overload& op, const std::vector<std::pair<std::size_t, fake::storage>>& inputs,
                                  const stack& results) {
    const auto returns = op.schema().returns();
    for (std::size_t r = 0; r < results.size(); ++r) {
      if (r < returns.size() && returns[r].has_alias()) continue;
      results[r].for_each_tensor([&](const tensor_desc& t) {
        for (const auto& [i, st] : inputs)
          if (st.defined() && st == t.storage())
            throw unsupported_mutation_aliasing_error(
                op.qualified_name() + ": the fake implementation's output " + std::to_string(r) + " aliases argument '" +
                std::string(op.schema().arguments()[i].name) +
                "', but the schema declares no alias for it: return a new tensor, or annotate the schema (Tensor(a))");
      });
    }
  }

  op_overload& op(std::string_view name) const {
    if (name.find("::") != std::string_view::npos) return registry_->get(name);
    return registry_->get(ns_ + "::" + std::string(name));
  }

  std::string ns_;
  kind kind_;
  op_registry* registry_;
  std::vector<std::string> defined_;
  std::vector<registration> registrations_;
};

}  // namespace fake
