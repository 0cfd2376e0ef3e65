// expect-error: static_check_failed<fake::dtype_error
// expect-error: promote_types
// expect-error: fake::dtype::qint8, fake::dtype::float32
// Typed dtype tags promote at compile time; quantized dtypes do not promote.
#include <faketensor/core/dtype.hpp>

int main() {
  constexpr auto d = fake::promote_types(fake::dtype_c<fake::dtype::qint8>{}, fake::f32);
  (void)d;
}
