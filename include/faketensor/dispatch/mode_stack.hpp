// faketensor/dispatch/mode_stack.hpp — the stack of active dispatch modes
// (torch.utils._python_dispatch: TorchDispatchMode, _push_mode, _pop_mode,
// _pop_mode_temporarily) for the type-erased path.
//
// A mode intercepts every op called while it is on the stack: dispatch puts
// the Python key in the call's key set while the stack is not empty, and the
// Python key's handler pops the top mode, runs its rule for the op (its
// handler table, or its generic `dispatch`), and pushes it back afterwards —
// so an op the rule calls goes to the next mode down, or to the kernels
// (Note [mode popped while its handler runs]).
//
// The stack is per thread, as PyTorch's TLS mode stack is. Typed code does not
// need it: a typed mode is passed explicitly and chosen by overload resolution
// (ops/handle.hpp).
#pragma once

#include <cstddef>      // std::size_t
#include <string>       // std::string
#include <typeindex>    // std::type_index
#include <vector>       // std::vector

#include "faketensor/core/error.hpp"  // fake::value_error
#include "faketensor/ops/ivalue.hpp"  // fake::stack

namespace fake {

class op_overload;

// Base of runtime modes (TorchDispatchMode). `dispatch` is its
// __torch_dispatch__: the rule for any op without a handler of its own in the
// op's table for this mode's type (op_overload::py_impl).
class dispatch_mode {
 public:
  dispatch_mode() = default;
  dispatch_mode(const dispatch_mode&) = delete;
  dispatch_mode& operator=(const dispatch_mode&) = delete;
  virtual ~dispatch_mode() = default;

  // Called with the op and its boxed arguments (this mode already popped);
  // leaves the results on `s`. `op.call(s)` redispatches: the op then runs as
  // if this mode were not there.
  virtual void dispatch(const op_overload& op, stack& s) = 0;
  // The mode's name in error messages ("FakeTensorMode").
  [[nodiscard]] virtual std::string name() const { return "dispatch_mode"; }
  // The key its handlers are registered under: its dynamic type.
  [[nodiscard]] std::type_index type() const { return typeid(*this); }
};

namespace detail {
inline std::vector<dispatch_mode*>& mode_stack_storage() {
  thread_local std::vector<dispatch_mode*> modes;
  return modes;
}
}  // namespace detail

// The active modes of this thread, innermost last.
struct mode_stack {
  static void push(dispatch_mode& m) { detail::mode_stack_storage().push_back(&m); }
  // Removes and returns the innermost mode; an empty stack is a value_error.
  static dispatch_mode& pop() {
    auto& modes = detail::mode_stack_storage();
    if (modes.empty()) throw value_error("mode_stack: pop from an empty mode stack");
    dispatch_mode* m = modes.back();
    modes.pop_back();
    return *m;
  }
  [[nodiscard]] static dispatch_mode* top() noexcept {
    auto& modes = detail::mode_stack_storage();
    return modes.empty() ? nullptr : modes.back();
  }
  [[nodiscard]] static std::size_t size() noexcept { return detail::mode_stack_storage().size(); }
  [[nodiscard]] static bool empty() noexcept { return detail::mode_stack_storage().empty(); }
};

// `with mode:` — pushes on construction, pops on destruction. Guards nest;
// leaving them out of order is a value_error (the stack would be corrupt).
class mode_guard {
 public:
  explicit mode_guard(dispatch_mode& m) : mode_(&m), depth_(mode_stack::size()) { mode_stack::push(m); }
  mode_guard(const mode_guard&) = delete;
  mode_guard& operator=(const mode_guard&) = delete;
  ~mode_guard() noexcept(false) {
    // Unwinding from an exception thrown inside a handler leaves the stack as
    // the handler's own guards restored it; only check on a normal exit.
    if (mode_stack::size() != depth_ + 1 || mode_stack::top() != mode_) {
      if (std::uncaught_exceptions() == 0) throw value_error("mode_guard: modes were left out of order");
      return;
    }
    mode_stack::pop();
  }

 private:
  dispatch_mode* mode_;
  std::size_t depth_;
};

// Note [mode popped while its handler runs]
// _pop_mode_temporarily: the innermost mode is off the stack for the guard's
// life and pushed back after (also when the handler throws). The Python key's
// handler runs each mode rule under this guard.
class pop_mode_guard {
 public:
  pop_mode_guard() : mode_(&mode_stack::pop()) {}
  pop_mode_guard(const pop_mode_guard&) = delete;
  pop_mode_guard& operator=(const pop_mode_guard&) = delete;
  ~pop_mode_guard() { mode_stack::push(*mode_); }
  [[nodiscard]] dispatch_mode& mode() const noexcept { return *mode_; }

 private:
  dispatch_mode* mode_;
};

}  // namespace fake
