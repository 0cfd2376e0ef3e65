// fake::mode<Policies...> (mode/mode.hpp): device policies, the dispatch cache
// (hits, misses, bypasses by reason, eviction, cross-check) and what a mode
// without a memo policy leaves out.
#include <catch2/catch.hpp>

#include <string>

#include "faketensor/dispatch/library.hpp"
#include "faketensor/mode/mode.hpp"

namespace {
using fake::ivalue;
using fake::stack;

// A functional op with fresh outputs (cacheable), counting kernel runs.
struct counted_op {
  int runs = 0;
  int extra_rows = 0;  // changed to make the kernel disagree with the cache
  fake::library lib{"faketensor_mode_test", fake::library::kind::def};
  counted_op() {
    lib.define("grow(Tensor x, int n) -> Tensor");
    lib.impl("grow", [this](stack& s) {
      ++runs;
      const fake::tensor_desc& x = s[0].to_tensor();
      fake::dim_vector sizes = x.sizes();
      sizes[0] += s[1].to_int() + extra_rows;
      s = {ivalue(fake::empty(sizes, x.dtype(), x.device()))};
    }, fake::dispatch_key::composite_explicit_autograd);
    lib.define("seeded(Tensor x) -> Tensor", {fake::op_tag::nondeterministic_seeded});
    lib.impl("seeded", [](stack& s) { s = {ivalue(fake::empty(s[0].to_tensor().sizes()))}; },
             fake::dispatch_key::composite_explicit_autograd);
  }
};
}  // namespace

TEST_CASE("a mode without a memo policy holds no cache", "[mode]") {
  STATIC_REQUIRE(!fake::mode<>::has_cache);
  STATIC_REQUIRE(fake::mode<fake::memo::dispatch_cache<>>::has_cache);
  STATIC_REQUIRE(sizeof(fake::mode<>) < sizeof(fake::mode<fake::memo::dispatch_cache<>>));
  STATIC_REQUIRE(std::is_same_v<fake::mode<fake::devices::meta_only>::device_policy, fake::devices::meta_only>);
  counted_op op;
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2, 3});
  fake::call("faketensor_mode_test::grow", {x, 1});
  fake::call("faketensor_mode_test::grow", {x, 1});
  CHECK(op.runs == 2);
}

TEST_CASE("the dispatch cache answers a repeated call without running the kernel", "[mode][cache]") {
  counted_op op;
  fake::mode<fake::memo::dispatch_cache<>> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2, 3});
  const fake::tensor_desc a = fake::call("faketensor_mode_test::grow", {x, 1})[0].to_tensor();
  const fake::tensor_desc b = fake::call("faketensor_mode_test::grow", {fake::empty({2, 3}), 1})[0].to_tensor();
  CHECK(op.runs == 1);
  CHECK(b.sizes() == fake::dim_vector{3, 3});
  CHECK(b.strides() == a.strides());
  CHECK_FALSE(b.shares_storage_with(a));  // each answer is a fresh tensor
  // another argument value, another shape, another dtype: misses
  fake::call("faketensor_mode_test::grow", {x, 2});
  fake::call("faketensor_mode_test::grow", {fake::empty({2, 4}), 1});
  fake::call("faketensor_mode_test::grow", {fake::empty({2, 3}, fake::dtype::float16), 1});
  CHECK(op.runs == 4);
  const fake::dispatch_cache_info info = m.cache_info();
  CHECK(info.hits == 1);
  CHECK(info.misses == 4);
  CHECK(info.size == 4);
  CHECK(info.total_bypasses() == 0);
}

TEST_CASE("views, random ops and switched-off caching bypass the cache, counted by reason", "[mode][cache]") {
  counted_op op;
  fake::mode<fake::memo::dispatch_cache<>> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2, 3});
  const fake::tensor_desc v = fake::call("aten::t", {x})[0].to_tensor();
  CHECK(v.is_view());  // still a real view of x
  CHECK(v.shares_storage_with(x));
  fake::call("faketensor_mode_test::seeded", {x});
  m.set_cache_enabled(false);
  fake::call("faketensor_mode_test::grow", {x, 1});
  m.set_cache_enabled(true);
  const auto info = m.cache_info();
  CHECK(info.bypasses_for(fake::bypass_reason::aliasing_output) == 1);
  CHECK(info.bypasses_for(fake::bypass_reason::nondeterministic_seeded) == 1);
  CHECK(info.bypasses_for(fake::bypass_reason::disabled) == 1);
  CHECK(info.hits + info.misses == 0);
}

TEST_CASE("the cache is bounded: least recently used entries are evicted", "[mode][cache]") {
  counted_op op;
  fake::mode<fake::memo::dispatch_cache<2>> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2, 3});
  fake::call("faketensor_mode_test::grow", {x, 1});  // A
  fake::call("faketensor_mode_test::grow", {x, 2});  // B
  fake::call("faketensor_mode_test::grow", {x, 1});  // A again: hit, now most recent
  fake::call("faketensor_mode_test::grow", {x, 3});  // C evicts B
  fake::call("faketensor_mode_test::grow", {x, 1});  // A: still there
  fake::call("faketensor_mode_test::grow", {x, 2});  // B: gone, runs again
  const auto info = m.cache_info();
  CHECK(info.hits == 2);
  CHECK(info.misses == 4);
  CHECK(info.evictions == 2);
  CHECK(info.size == 2);
  CHECK(op.runs == 4);
}

TEST_CASE("cross-checking recomputes each hit and catches a stale cache", "[mode][cache]") {
  counted_op op;
  fake::mode<fake::memo::dispatch_cache<>> m({.allow_meta = false, .cache_cross_check = true});
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2, 3});
  fake::call("faketensor_mode_test::grow", {x, 1});
  fake::call("faketensor_mode_test::grow", {x, 1});  // hit, recomputed, equal
  CHECK(op.runs == 2);
  op.extra_rows = 1;  // the kernel now disagrees with what was cached
  CHECK_THROWS_AS(fake::call("faketensor_mode_test::grow", {x, 1}), fake::metadata_mismatch_error);
}

TEST_CASE("device policies: meta tensors are refused unless allowed; meta_only takes nothing else", "[mode]") {
  const fake::tensor_desc m = fake::empty({2, 3}, fake::dtype::float32, fake::device(fake::device_type::meta));
  const fake::tensor_desc c = fake::empty({2, 3});
  {
    fake::mode<> strict;
    fake::mode_guard on(strict);
    CHECK_THROWS_WITH(fake::call("aten::t", {m}),
                      Catch::StartsWith("aten::t: argument 'self' is a fake tensor on the meta device"));
    CHECK(fake::call("aten::t", {c})[0].to_tensor().device() == fake::device{});
  }
  {
    fake::mode<> lenient({.allow_meta = true});
    fake::mode_guard on(lenient);
    CHECK(fake::call("aten::t", {m})[0].to_tensor().device().type == fake::device_type::meta);
  }
  {
    fake::mode<fake::devices::meta_only> meta;
    fake::mode_guard on(meta);
    CHECK(fake::call("aten::t", {m})[0].to_tensor().sizes() == fake::dim_vector{3, 2});
    CHECK_THROWS_AS(fake::call("aten::t", {c}), fake::device_error);
  }
}
