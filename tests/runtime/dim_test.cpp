// Runtime behaviour of dims and checks: overflow-checked arithmetic, dim
// wrapping, fake::expect's messages and error types.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "faketensor/core/dim.hpp"
#include "faketensor/core/dtype.hpp"
#include "faketensor/core/expect.hpp"
#include "faketensor/shape/dim_algorithms.hpp"

using fake::c;

TEST_CASE("checked arithmetic reports overflow as shape_error naming the op", "[dim]") {
  constexpr std::int64_t big = std::int64_t{1} << 40;
  CHECK(fake::checked_mul<"numel">(big, std::int64_t{1} << 20) == (std::int64_t{1} << 60));
  CHECK_THROWS_AS(fake::checked_mul<"numel">(big, big), fake::shape_error);
  CHECK_THROWS_WITH(fake::checked_mul<"numel">(big, big),
                    "numel: integer multiplication overflow (1099511627776 * 1099511627776)");
  CHECK_THROWS_WITH(fake::checked_add<"storage">(std::numeric_limits<std::int64_t>::max(), std::int64_t{1}),
                    Catch::StartsWith("storage: integer addition overflow"));
  // a static operand mixes with a runtime one and is still checked
  CHECK_THROWS_AS(fake::checked_mul<"numel">(c<(std::int64_t{1} << 40)>{}, big), fake::shape_error);
  CHECK(fake::checked_mul<"numel">(c<0>{}, big) == 0);
}

TEST_CASE("wrap_dim follows maybe_wrap_dim", "[dim]") {
  CHECK(fake::wrap_dim<"sum">(std::int64_t{-1}, std::int64_t{3}) == 2);
  CHECK(fake::wrap_dim<"sum">(std::int64_t{2}, std::int64_t{3}) == 2);
  CHECK(fake::wrap_dim<"sum">(std::int64_t{-3}, std::int64_t{3}) == 0);
  // a 0-dim tensor accepts -1 and 0
  CHECK(fake::wrap_dim<"sum">(std::int64_t{-1}, std::int64_t{0}) == 0);
  CHECK(fake::wrap_dim<"sum">(std::int64_t{0}, std::int64_t{0}) == 0);
  CHECK_THROWS_AS(fake::wrap_dim<"sum">(std::int64_t{3}, std::int64_t{3}), fake::index_error);
  CHECK_THROWS_WITH(fake::wrap_dim<"sum">(std::int64_t{3}, std::int64_t{3}),
                    "sum: Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  CHECK_THROWS_WITH(fake::wrap_dim<"sum">(std::int64_t{-4}, std::int64_t{3}),
                    "sum: Dimension out of range (expected to be in range of [-3, 2], but got -4)");
  // static dim and rank give a static index
  STATIC_REQUIRE(std::is_same_v<decltype(fake::wrap_dim<"sum">(c<-1>{}, c<4>{})), c<3>>);
}

TEST_CASE("expect formats its message and throws the requested type", "[expect]") {
  auto check = [](bool ok) {
    fake::expect<fake::device_error, "to", "cannot move {} from {} to {}">(ok, std::string("x"), fake::dtype::float16, 3);
  };
  CHECK_NOTHROW(check(true));
  CHECK_THROWS_AS(check(false), fake::device_error);
  CHECK_THROWS_AS(check(false), fake::error);
  CHECK_THROWS_WITH(check(false), "to: cannot move x from torch.float16 to 3");
  // a static true condition compiles to nothing and never throws
  CHECK_NOTHROW(fake::expect<fake::shape_error, "op", "never">(fake::true_c{}));
}

TEST_CASE("select and branch pick at run time for runtime conditions", "[dim]") {
  const std::int64_t n = 7;
  CHECK(fake::select(n > 3, c<1>{}, n) == 1);
  CHECK(fake::select(n < 3, c<1>{}, n) == 7);
  int calls = 0;
  auto r = fake::branch(
      n > 3, [&](auto...) { ++calls; return std::int64_t{10}; }, [&](auto...) { ++calls; return std::int64_t{20}; });
  CHECK(r == 10);
  CHECK(calls == 1);  // only the chosen branch runs
}

TEST_CASE("portable overflow checks agree with the compiler builtins", "[dim]") {
  const std::int64_t edges[] = {0, 1, -1, 2, -2, 3, 1 << 20, -(1 << 20), std::int64_t{1} << 31, std::int64_t{3037000499},
                                std::int64_t{3037000500}, -std::int64_t{3037000500}, std::numeric_limits<std::int64_t>::max(),
                                std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max() / 2,
                                std::numeric_limits<std::int64_t>::min() / 2};
  for (std::int64_t a : edges) {
    for (std::int64_t b : edges) {
      std::int64_t x = 0, y = 0;
      INFO(a << " " << b);
      const bool mul = fake::detail::portable_mul_overflows(a, b, &x);
      CHECK(mul == __builtin_mul_overflow(a, b, &y));
      if (!mul) CHECK(x == y);
      const bool add = fake::detail::portable_add_overflows(a, b, &x);
      CHECK(add == __builtin_add_overflow(a, b, &y));
      if (!add) CHECK(x == y);
    }
  }
}
