// expect-error: expand
// expect-error: must match the existing size
// Expanding a static non-singleton dim to another size is a compile error.
#include <faketensor/view/typed_ops.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<3, 2>> x;
  constexpr auto y = fake::expand(x, fake::strides<3, 4>{});
  (void)y;
}
