// faketensor/dispatch/kernel.hpp — a boxed kernel: what a runtime op table
// holds for a dispatch key (c10's KernelFunction).
//
// A kernel takes the op, the key set it was dispatched with (to redispatch
// below its own key) and the stack: it pops the op's arguments and pushes its
// results. It is either a plain function (one indirect call) or a functor
// shared by its copies (a lambda with captures: custom ops, modes' rules).
#pragma once

#include <memory>       // std::shared_ptr
#include <type_traits>  // std::is_invocable_v, std::decay_t
#include <utility>      // std::move

#include "faketensor/dispatch/key_set.hpp"  // fake::dispatch_key_set
#include "faketensor/ops/ivalue.hpp"        // fake::stack

namespace fake {

class op_overload;

class kernel {
 public:
  using function = void (*)(const op_overload& op, dispatch_key_set keys, stack& s);

  // An empty kernel (no registration).
  constexpr kernel() noexcept = default;
  // A plain function: no allocation, one indirect call.
  constexpr kernel(function f) noexcept : call_(&call_function), fn_(f) {}
  // Any callable as f(op, keys, stack), or f(stack) when it needs neither.
  template <class F>
    requires(!std::is_convertible_v<std::decay_t<F>, function> && !std::is_same_v<std::decay_t<F>, kernel> &&
             (std::is_invocable_v<const std::decay_t<F>&, const op_overload&, dispatch_key_set, stack&> ||
              std::is_invocable_v<const std::decay_t<F>&, stack&>))
  kernel(F&& f)  // NOLINT: implicit, as std::function's
      : call_(&call_functor<std::decay_t<F>>), functor_(std::make_shared<const std::decay_t<F>>(std::forward<F>(f))) {}

  void operator()(const op_overload& op, dispatch_key_set keys, stack& s) const { call_(*this, op, keys, s); }
  [[nodiscard]] constexpr bool valid() const noexcept { return call_ != nullptr; }
  constexpr explicit operator bool() const noexcept { return valid(); }

 private:
  using trampoline = void (*)(const kernel& self, const op_overload& op, dispatch_key_set keys, stack& s);
  static void call_function(const kernel& self, const op_overload& op, dispatch_key_set keys, stack& s) {
    self.fn_(op, keys, s);
  }
  template <class F>
  static void call_functor(const kernel& self, const op_overload& op, dispatch_key_set keys, stack& s) {
    const F& f = *static_cast<const F*>(self.functor_.get());
    if constexpr (std::is_invocable_v<const F&, const op_overload&, dispatch_key_set, stack&>) f(op, keys, s);
    else f(s);
  }

  trampoline call_ = nullptr;
  function fn_ = nullptr;
  std::shared_ptr<const void> functor_;
};

}  // namespace fake
