// expect-error: static_check_failed<fake::index_error
// expect-error: select
// expect-error: out of range for tensor of size
// Selecting index 3 of a static dim of size 3 is a compile error.
#include <faketensor/view/typed_ops.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<2, 3>> x;
  constexpr auto y = fake::select(x, fake::c<1>{}, fake::c<3>{});
  (void)y;
}
