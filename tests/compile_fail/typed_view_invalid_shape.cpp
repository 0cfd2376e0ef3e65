// expect-error: view
// expect-error: is invalid for input of size
// A static view to a shape that does not hold the tensor's elements is a
// compile error: the runtime kernel runs in constant evaluation and its failed
// check names the op and PyTorch's message.
#include <faketensor/view/typed_ops.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<2, 3, 4>> x;
  constexpr auto y = fake::view(x, fake::strides<5, -1>{});
  (void)y;
}
