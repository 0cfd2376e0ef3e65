// expect-error: convolution
// expect-error: channels
// A static conv2d whose weight's in-channels * groups (4 * 1) differ from the
// input's channels (3) is a compile error: the runtime kernel runs in constant
// evaluation and its failed check names the op and PyTorch's message.
#include <faketensor/ops/typed_nn.hpp>

int main() {
  constexpr fake::tensor<fake::f32, fake::shape<2, 3, 5, 5>> x;
  constexpr fake::tensor<fake::f32, fake::shape<8, 4, 3, 3>> w;
  constexpr auto y = fake::conv2d(x, w);
  (void)y;
}
