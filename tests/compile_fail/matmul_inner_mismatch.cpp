// expect-error: static_check_failed<fake::shape_error
// expect-error: matmul
// expect-error: 768, 1024>
// A static matmul whose contracted sizes differ (768 vs 1024) is a compile
// error naming the op and both sizes.
#include <faketensor/ops/typed_linalg.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<8, 768>> x;
  constexpr fake::tensor<fake::f32, fake::shape<1024, 3072>> w;
  constexpr auto y = fake::matmul(x, w);
  (void)y;
}
