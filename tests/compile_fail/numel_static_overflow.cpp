// expect-error: static_check_failed<fake::shape_error
// expect-error: numel
// expect-error: integer multiplication overflow
// The element count of a static shape that overflows int64 is a compile error,
// never a wrapped value.
#include <faketensor/shape/numel.hpp>

int main() {
  constexpr auto n = fake::numel(fake::shape<4294967296, 4294967296>{});
  (void)n;
}
