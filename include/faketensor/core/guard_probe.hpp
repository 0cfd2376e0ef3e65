// faketensor/core/guard_probe.hpp — asking whether a computation on symbolic
// sizes needs a guard, without recording one.
//
//   std::optional<bool> fast;
//   try {
//     fake::without_guards probe;
//     fast = is_contiguous(sym_sizes, sym_strides);  // decided by ranges, or...
//   } catch (const fake::guard_needed&) {}           // ...only a guard could decide it
//
// While a without_guards scope is alive (on this thread), a branch on a
// symbolic condition that ranges do not decide throws guard_needed instead of
// recording a guard (shape_env::guard_bool). Code that has another way to
// reach the same answer (TensorIterator's general stride path where its fast
// path would branch on a size) tries the guard-free way first.
#pragma once

namespace fake {

// Thrown by a guard inside a without_guards scope.
struct guard_needed {};

namespace detail {
inline int& guard_probe_depth() noexcept {
  thread_local int depth = 0;
  return depth;
}
}  // namespace detail

class without_guards {
 public:
  without_guards() noexcept { ++detail::guard_probe_depth(); }
  ~without_guards() { --detail::guard_probe_depth(); }
  without_guards(const without_guards&) = delete;
  without_guards& operator=(const without_guards&) = delete;
};

}  // namespace fake
