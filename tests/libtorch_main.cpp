// Catch2 v2 main of faketensor_libtorch_tests (tests/libtorch/*.cpp).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
