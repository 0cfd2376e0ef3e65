// expect-error: static_check_failed<fake::index_error
// expect-error: transpose
// expect-error: Dimension out of range
// A static dim outside the typed tensor's rank is a compile error naming the op.
#include <faketensor/view/typed_ops.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<2, 3>> x;
  constexpr auto y = fake::transpose(x, fake::c<0>{}, fake::c<2>{});
  (void)y;
}
