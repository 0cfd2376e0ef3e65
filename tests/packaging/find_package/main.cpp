// Consumer of an installed faketensor (tests/packaging/find_package).
#include <faketensor/faketensor.hpp>

static_assert(__cplusplus >= 202002L, "faketensor::faketensor must request C++20");

int main() { return 0; }
