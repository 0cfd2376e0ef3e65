// Catch2 v2 main of faketensor_tests (tests/runtime/*.cpp); kept in its own
// translation unit so that editing a test does not recompile Catch's runner.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
