// expect-error: static_check_failed<fake::index_error
// expect-error: my_op
// expect-error: Dimension out of range
// expect-error: -2, 1, 3>
// A static dim outside [-rank, rank) is a compile error naming the op.
#include <faketensor/shape/dim_algorithms.hpp>

int main() {
  constexpr auto d = fake::wrap_dim<"my_op">(fake::c<3>{}, fake::c<2>{});
  (void)d;
}
