// expect-error: static_check_failed<fake::shape_error
// expect-error: broadcast_shapes
// expect-error: must match the size of tensor b
// expect-error: 3, 4, 1>
// Broadcasting two static shapes whose last dims (3 and 4) differ is a compile
// error naming the op, PyTorch's message and the offending sizes.
#include <faketensor/shape/broadcast.hpp>

int main() {
  constexpr auto s = fake::broadcast_shapes(fake::shape<2, 3>{}, fake::shape<4>{});
  (void)s;
}
