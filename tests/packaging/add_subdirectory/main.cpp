// Consumer of faketensor added with add_subdirectory (tests/packaging/add_subdirectory).
#include <faketensor/faketensor.hpp>

static_assert(__cplusplus >= 202002L, "faketensor::faketensor must request C++20");

int main() { return 0; }
