// A typed call through a compile-time op handle, and under a typed mode with
// no rule for the op, must compile to the same instructions as calling the
// kernel directly (tests/asm/compare_functions.cmake compares the bodies).
#include <cstdint>

#include <faketensor/ops/handle.hpp>

using mixed = fake::tensor<fake::f32, fake::shape<fake::dyn, 16, fake::dyn>>;

namespace {
struct no_rules_mode {};
template <class T>
void store(const T& y, std::int64_t* out) {
  for (std::int64_t d = 0; d < 3; ++d) {
    out[d] = fake::to_int64(y.sizes()[static_cast<std::size_t>(d)]);
    out[3 + d] = fake::to_int64(y.strides()[static_cast<std::size_t>(d)]);
  }
}
}  // namespace

extern "C" void direct_transpose(const mixed& x, std::int64_t* out) { store(fake::transpose(x, fake::c<0>{}, fake::c<2>{}), out); }
extern "C" void handle_transpose(const mixed& x, std::int64_t* out) {
  store(fake::aten::transpose_int(x, fake::c<0>{}, fake::c<2>{}), out);
}
extern "C" void mode_transpose(const mixed& x, std::int64_t* out) {
  no_rules_mode m;
  store(fake::invoke(m, fake::aten::transpose_int, x, fake::c<0>{}, fake::c<2>{}), out);
}
// The harness's self-check: a different op must be reported as different.
extern "C" void different_transpose(const mixed& x, std::int64_t* out) {
  store(fake::transpose(x, fake::c<0>{}, fake::c<1>{}), out);
}
