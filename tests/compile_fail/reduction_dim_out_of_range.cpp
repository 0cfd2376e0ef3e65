// expect-error: static_check_failed<fake::index_error
// expect-error: sum
// expect-error: Dimension out of range
// expect-error: -2, 1, 2>
// Summing a static rank-2 tensor over dim 2 is a compile error naming the op,
// PyTorch's message and the range [-2, 1] with the dim.
#include <faketensor/ops/typed_reduction.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<4, 5>> x;
  constexpr auto y = fake::sum(x, fake::strides<2>{});
  (void)y;
}
