// expect-error: static_check_failed<fake::shape_error
// expect-error: "add"
// expect-error: must match the size of tensor b
// expect-error: 3, 4, 1>
// Adding typed tensors of shapes [2, 3] and [4] is a compile error naming the
// op, PyTorch's broadcast message and the two sizes at the offending dim.
#include <faketensor/ops/typed_pointwise.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<2, 3>> a;
  constexpr fake::tensor<fake::f32, fake::shape<4>> b;
  constexpr auto c = fake::add(a, b);
  (void)c;
}
