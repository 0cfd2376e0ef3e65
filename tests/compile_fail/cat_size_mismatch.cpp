// expect-error: cat
// expect-error: Sizes of tensors must match except in dimension
// expect-error: 3, 4
// cat of static shape<2, 3> and shape<2, 4> along dim 0 is a compile error
// naming cat, PyTorch's message and the two sizes.
#include <faketensor/ops/typed_shape_index.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<2, 3>> a;
  constexpr fake::tensor<fake::f32, fake::shape<2, 4>> b;
  constexpr auto y = fake::cat(fake::c<0>{}, a, b);
  (void)y;
}
