// expect-error: native_layer_norm
// expect-error: expected input with shape
// A typed GPT-2 block of width 768 given 512-wide hidden states is a compile
// error: layer_norm (the block's first op) runs its kernel in constant
// evaluation, and the failed check names the op and PyTorch's message.
#include "../../examples/models/typed.hpp"

int main() {
  using block = fake::models::typed_gpt2_block<fake::f32, fake::cpu, 768, 12>;
  constexpr fake::tensor<fake::f32, fake::shape<2, 16, 512>> x;
  constexpr fake::tensor<fake::b8, fake::shape<1, 1, 1024, 1024>> causal;
  constexpr auto y = block{}(x, causal);
  (void)y;
}
