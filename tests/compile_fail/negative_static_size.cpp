// expect-error: static_check_failed<fake::shape_error
// expect-error: negative static size
// expect-error: -3>
// A static shape with a negative extent is refused when the type is used.
#include <faketensor/shape/shape.hpp>

int main() {
  fake::shape<2, -3> s;
  (void)s;
}
