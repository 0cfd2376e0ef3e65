// expect-error: static_check_failed<fake::shape_error
// expect-error: channels_last_strides
// expect-error: required rank 4 tensor to use channels_last format
// channels_last needs rank 4; for a static shape the rank is checked at compile time.
#include <faketensor/shape/strides.hpp>

int main() {
  constexpr auto s = fake::channels_last_strides(fake::shape<2, 3, 4>{});
  (void)s;
}
