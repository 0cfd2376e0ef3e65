// Symbolic dims: the expression algebra, the shape environment's guards and
// ranges, unbacked symbols, and the generic shape kernels run on sym_int.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "faketensor/core/sym.hpp"
#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/strides.hpp"
#include "faketensor/shape/sym_dims.hpp"

using fake::c;
using fake::sym_int;

namespace {

std::string str(const sym_int& e) { return fake::to_string(e); }
std::string str(const fake::sym_bool& b) { return fake::to_string(b); }

// Python's // and %, the reference for the algebra.
std::int64_t py_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
std::int64_t py_mod(std::int64_t a, std::int64_t b) { return a - py_div(a, b) * b; }

}  // namespace

TEST_CASE("sym_int: canonical forms make equal expressions one node", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8), s1 = env.create_symbol(1024);
  CHECK(str(s0) == "s0");
  CHECK(str(s1) == "s1");
  CHECK(((s0 + s1) - s1).same_as(s0));
  CHECK((s0 * 2 + s0).same_as(3 * s0));
  CHECK((s0 * s1).same_as(s1 * s0));
  CHECK(((s0 + 1) * (s0 - 1)).same_as(s0 * s0 - 1));
  CHECK(str((s0 + 1) * (s0 - 1)) == "s0**2 - 1");
  CHECK(str(s0 * s1 + 2 * s0 + 3) == "2*s0 + s0*s1 + 3");
  CHECK(str(768 * s0 - s1) == "768*s0 - s1");
  // like terms cancel down to a constant: no node at all
  const sym_int zero = (s0 + s1) - (s1 + s0);
  CHECK(zero.is_constant());
  CHECK(zero.constant() == 0);
  // constants fold without an environment
  CHECK((sym_int(3) + 4).constant() == 7);
  CHECK_THROWS_AS(sym_int(std::int64_t{1} << 62) * 4, fake::shape_error);
}

TEST_CASE("sym_int: floordiv, mod and ceil_div simplify what shape code needs", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8), s1 = env.create_symbol(6);
  CHECK(fake::floor_div(2 * s0, c<2>{}).same_as(s0));
  CHECK(fake::floor_div(s0 * s1, s1).same_as(s0));
  CHECK(fake::floor_div(2 * s0 + 1, c<2>{}).same_as(s0));  // the remainder 1 // 2 is 0
  CHECK(fake::floor_div(fake::floor_div(s0, c<2>{}), c<3>{}).same_as(fake::floor_div(s0, c<6>{})));
  CHECK(str(fake::floor_div(s0, c<2>{})) == "(s0//2)");
  CHECK(str(fake::floor_div(s0 + 1, c<2>{})) == "((s0 + 1)//2)");
  CHECK(fake::sym_mod(2 * s0, 2).same_as(sym_int(0)));
  CHECK(fake::sym_mod(2 * s0 + 3, 2).same_as(sym_int(1)));
  CHECK(fake::sym_mod(s0 * s1 + s0, s0).same_as(sym_int(0)));
  CHECK(str(fake::sym_mod(s0, 4)) == "Mod(s0, 4)");
  CHECK(fake::ceil_div(2 * s0, c<2>{}).same_as(s0));
  // 1 // s1 is 0 on s1's range [2, inf]: the atom folds
  CHECK(fake::floor_div(s0 * s1 + 1, s1).same_as(s0));
  CHECK_THROWS_AS(fake::floor_div(s0, c<0>{}), fake::sym_expression_error);
}

TEST_CASE("sym_int: min and max are decided by ranges where they can be", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8), s1 = env.create_symbol(6);
  CHECK(fake::dim_max(s0, c<1>{}).same_as(s0));  // s0 >= 2
  CHECK(fake::dim_min(s0, c<1>{}).same_as(sym_int(1)));
  CHECK(fake::dim_max(s0, s0 + 3).same_as(s0 + 3));
  CHECK(str(fake::dim_max(s0, s1)) == "Max(s0, s1)");
  CHECK(fake::dim_max(s0, s1).same_as(fake::dim_max(s1, s0)));
  CHECK(env.guards().empty());
}

TEST_CASE("sym_int: the algebra agrees with integer arithmetic at random points", "[sym]") {
  // Build random expressions through the operators, and the same computation on
  // int64 at the hints and at other values; simplification must never change a value.
  std::mt19937_64 rng(20261122);
  for (int round = 0; round < 200; ++round) {
    fake::shape_env env;
    const std::vector<std::int64_t> hints{2 + static_cast<std::int64_t>(rng() % 30), 2 + static_cast<std::int64_t>(rng() % 30),
                                          2 + static_cast<std::int64_t>(rng() % 30)};
    std::vector<sym_int> syms;
    for (const std::int64_t h : hints) syms.push_back(env.create_symbol(h, fake::sym_range{2, 1000}));
    struct value {
      sym_int e;
      std::int64_t v;
    };
    std::vector<value> pool;
    for (std::size_t i = 0; i < syms.size(); ++i) pool.push_back({syms[i], hints[i]});
    pool.push_back({sym_int(3), 3});
    for (int step = 0; step < 12; ++step) {
      const value a = pool[rng() % pool.size()], b = pool[rng() % pool.size()];
      const std::int64_t k = 1 + static_cast<std::int64_t>(rng() % 5);
      switch (rng() % 8) {
        case 0: pool.push_back({a.e + b.e, a.v + b.v}); break;
        case 1: pool.push_back({a.e - b.e, a.v - b.v}); break;
        case 2:
          if (std::abs(a.v) < 100000 && std::abs(b.v) < 100000) pool.push_back({a.e * b.e, a.v * b.v});
          break;
        case 3: pool.push_back({fake::sym_floordiv(a.e, k), py_div(a.v, k)}); break;
        case 4: pool.push_back({fake::sym_mod(a.e, k), py_mod(a.v, k)}); break;
        case 5: pool.push_back({fake::sym_min(a.e, b.e), std::min(a.v, b.v)}); break;
        case 6: pool.push_back({fake::sym_max(a.e, b.e), std::max(a.v, b.v)}); break;
        default:
          if (b.v > 0) pool.push_back({fake::sym_floordiv(a.e * k, b.e), py_div(a.v * k, b.v)});
          break;
      }
    }
    for (const value& x : pool) {
      INFO(str(x.e));
      CHECK(fake::hint_of(x.e) == x.v);
      const auto range = env.range_of(x.e);
      CHECK(range.contains(x.v));
    }
    CHECK(env.guards().empty());  // building expressions never guards
  }
}

TEST_CASE("sym_int: an expression past the size cap is a clear error", "[sym]") {
  fake::shape_env env(fake::shape_env::options{.max_expression_size = 64});
  sym_int e = env.create_symbol(2) + env.create_symbol(3) + env.create_symbol(4);
  CHECK_THROWS_AS([&] {
    for (int i = 0; i < 8; ++i) e = e * (e + 1);
  }(), fake::sym_expression_error);
  CHECK_THROWS_WITH([&] {
    sym_int f = env.create_symbol(5) + env.create_symbol(7) + env.create_symbol(9);
    for (int i = 0; i < 8; ++i) f = f * (f + 1);
  }(), Catch::Contains("exceeds"));
}

TEST_CASE("shape_env: dynamic dims get symbols as PyTorch gives them", "[sym]") {
  fake::shape_env env;
  CHECK(env.create_symbol(0).same_as(sym_int(0)));  // 0 and 1 specialize
  CHECK(env.create_symbol(1).same_as(sym_int(1)));
  const sym_int a = env.create_symbol(8, "x.size(0)");
  CHECK(env.create_symbol(8, "y.size(0)").same_as(a));  // duck shaping
  CHECK_FALSE(env.create_symbol(9).same_as(a));
  CHECK(env.range_of(a) == fake::sym_range{2, fake::sym_infinity});
  CHECK(env.backed_symbols().size() == 2);
  CHECK_THROWS_AS(env.create_symbol(-1), fake::shape_error);

  fake::shape_env plain(fake::shape_env::options{.specialize_zero_one = false, .duck_shape = false});
  CHECK(plain.create_symbol(1).is_symbolic());
  CHECK_FALSE(plain.create_symbol(8).same_as(plain.create_symbol(8)));
}

TEST_CASE("shape_env: branching records a guard unless ranges decide", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(1024, "x.size(1)"), s1 = env.create_symbol(8, "x.size(0)");
  CHECK(static_cast<bool>(s0 == s0));
  CHECK_FALSE(static_cast<bool>(s0 == 1));  // s0 >= 2
  CHECK(static_cast<bool>(s0 >= 0));
  CHECK(env.guards().empty());

  CHECK(static_cast<bool>(s0 >= 512));  // the hint decides: a guard
  REQUIRE(env.guards().size() == 1);
  CHECK(str(env.guards()[0]) == "s0 >= 512");
  CHECK(static_cast<bool>(s0 > 100));  // the narrowed range decides: no new guard
  CHECK(env.guards().size() == 1);
  CHECK(static_cast<bool>(s0 >= 512));  // known
  CHECK(env.guards().size() == 1);

  CHECK_FALSE(static_cast<bool>(s1 == s0));  // decided at the hints: the negation is the guard
  REQUIRE(env.guards().size() == 2);
  CHECK(str(env.guards()[1]) == "s0 != s1");
  CHECK(static_cast<bool>(s1 < s0));
  CHECK(str(env.guards()[2]) == "s0 > s1");

  CHECK(env.guards_string() ==
        "s0: x.size(1), hint 1024, range [2, inf]\n"
        "s1: x.size(0), hint 8, range [2, inf]\n"
        "s0 >= 512\ns0 != s1\ns0 > s1\n");
  // new sizes: in order of the backed symbols
  CHECK(env.check_guards({600, 8}));
  CHECK(env.check_guards({4096, 4095}));
  CHECK_FALSE(env.check_guards({300, 8}));    // s0 >= 512 fails
  CHECK_FALSE(env.check_guards({600, 600}));  // s0 != s1 fails
  CHECK_FALSE(env.check_guards({600, 1}));    // s1's range is [2, inf]
  CHECK_FALSE(env.check_guards({600}));       // one value per symbol
}

TEST_CASE("shape_env: converting to an integer specializes with a guard", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8);
  CHECK(static_cast<std::int64_t>(s0 * 3) == 24);
  REQUIRE(env.guards().size() == 1);
  CHECK(str(env.guards()[0]) == "s0 == 8");
  CHECK(fake::maybe_constant(s0) == 8);
  CHECK(fake::maybe_constant(s0 * 2 + 1) == 17);
  CHECK(env.check_guards({8}));
  CHECK_FALSE(env.check_guards({9}));
}

TEST_CASE("shape_env: unbacked symbols raise on guards and defer checks", "[sym]") {
  fake::shape_env env;
  const sym_int u0 = env.create_unbacked_symbol("nonzero(x).size(0)");
  CHECK(str(u0) == "u0");
  CHECK(static_cast<bool>(u0 >= 0));  // its range says so
  CHECK_THROWS_AS(static_cast<bool>(u0 == 5), fake::data_dependent_error);
  CHECK_THROWS_WITH(static_cast<bool>(u0 == 5), Catch::Contains("u0 == 5"));
  CHECK_THROWS_AS(static_cast<std::int64_t>(u0 + 1), fake::data_dependent_error);
  // fake::expect defers to run time, and the environment learns from it
  fake::expect<fake::shape_error, "narrow", "length {} too small">(u0 >= 3, u0);
  REQUIRE(env.runtime_asserts().size() == 1);
  CHECK(str(env.runtime_asserts()[0].condition) == "u0 >= 3");
  CHECK(static_cast<bool>(u0 >= 2));
  CHECK(env.range_of(u0).lo == 3);
  CHECK(env.guards().empty());
  // a check that ranges refute fails at once
  CHECK_THROWS_WITH((fake::expect<fake::shape_error, "narrow", "length {} negative">(u0 < 0, u0)),
                    "narrow: length u0 negative");
}

TEST_CASE("generic shape kernels run on sym_int unchanged", "[sym]") {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8, "x.size(0)"), t = env.create_symbol(128, "x.size(1)");
  const fake::sym_dims x{b, t, sym_int(768)};
  const fake::sym_dims bias{sym_int(768)};
  const fake::sym_dims mask{sym_int(1), t, sym_int(1)};

  const fake::sym_dims out = fake::broadcast_shapes(x, bias, mask);
  CHECK(fake::to_string(out) == "[s0, s1, 768]");
  CHECK(env.guards().empty());  // size-1 and equal symbols broadcast without guards

  CHECK(str(fake::numel(x)) == "768*s0*s1");
  CHECK(fake::to_string(fake::contiguous_strides(x)) == "[768*s1, 768, 1]");
  CHECK(str(fake::storage_nbytes(x, fake::contiguous_strides(x), c<2>{})) == "1536*s0*s1");
  const std::int64_t at[] = {3, 17};
  CHECK(fake::evaluate(fake::contiguous_strides(x), at) == fake::dim_vector{768 * 17, 768, 1});

  // two different symbols broadcast: decided at the hints, with a guard
  const sym_int h = env.create_symbol(64);
  CHECK_THROWS_WITH(fake::broadcast_shapes(fake::sym_dims{b}, fake::sym_dims{h}),
                    "broadcast_shapes: The size of tensor a (s0) must match the size of tensor b (s2) at non-singleton dimension 0");
  CHECK(str(env.guards().back()) == "s0 != s2");

  // a conv-style output size stays an expression; no guard is needed for it
  const std::size_t before = env.guards().size();
  const sym_int conv = fake::floor_div(t + 2 * c<1>{} - c<1>{} * (c<3>{} - c<1>{}) - c<1>{}, c<2>{}) + c<1>{};
  CHECK(str(conv) == "((s1 + 1)//2)");  // (s1 - 1)//2 + 1, canonically
  CHECK(fake::hint_of(conv) == (128 + 2 - 2 - 1) / 2 + 1);
  CHECK(env.guards().size() == before);
  // wrap_dim with a concrete rank needs no guard either
  CHECK(fake::wrap_dim<"sum">(std::int64_t{-1}, fake::rank(x)) == 2);
}
