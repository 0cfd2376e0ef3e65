// Catch2 v2's runner, compiled once for both test executables
// (faketensor_tests and faketensor_libtorch_tests): editing a test does not
// recompile it, and tests/CMakeLists.txt builds it without optimization,
// debug info or sanitizers (it is Catch's code, not ours).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
