// fake::mode<Policies...> (mode/mode.hpp): device policies, the dispatch cache
// (hits, misses, bypasses by reason, eviction, cross-check), what a mode
// without a memo policy leaves out, constant propagation, device propagation,
// and real (DLPack) tensors given to a mode.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "faketensor/dispatch/at.hpp"
#include "faketensor/dispatch/library.hpp"
#include "faketensor/mode/mode.hpp"
#include "xref_runner.hpp"

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

TEST_CASE("device policies: meta tensors are refused unless allowed, and meta_only takes nothing else", "[mode]") {
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

// Note [constant propagation]. Each expectation is what PyTorch 1.13's
// FakeTensorMode keeps in `.constant` for the same Python (printed by hand:
// torch.tensor(2.) + 1, x.add_(1), x.expand(3), ...).
namespace {
using fake::scalar_value;
fake::tensor_desc t1(const char* op, stack args) { return fake::call(op, std::move(args))[0].to_tensor(); }
// A contiguous float32 DLPack tensor on the cpu over `data`.
DLTensor cpu_float_tensor(float* data, std::int64_t* shape, std::int32_t ndim) {
  DLTensor t{};
  t.data = data;
  t.device = {kDLCPU, 0};
  t.ndim = ndim;
  t.dtype = {kDLFloat, 32, 1};
  t.shape = shape;
  return t;
}
double value_of(const fake::tensor_desc& t) {
  const std::optional<scalar_value> v = fake::constant_item(t);
  REQUIRE(v.has_value());
  return v->to_double();
}
}  // namespace

TEST_CASE("constants: ops on constant tensors keep values, and item() answers", "[mode][constant]") {
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::constant_tensor(scalar_value::of(2.0), fake::dtype::float32);  // torch.tensor(2.)
  const fake::tensor_desc y = t1("aten::add.Tensor", {x, fake::at::wrapped_number(std::int64_t{1})});
  CHECK(y.dtype() == fake::dtype::float32);
  CHECK(value_of(y) == 3.0);
  const stack item = fake::call("aten::item", {y});
  REQUIRE(item[0].is_double());
  CHECK(item[0].to_double() == 3.0);

  // int tensor * 2.5 -> float32 12.5; 7 // -2 (div, floor) -> int64 -4; 3 < 4 -> True
  const fake::tensor_desc five = fake::constant_tensor(scalar_value::of(std::int64_t{5}), fake::dtype::int64);
  const fake::tensor_desc prod = t1("aten::mul.Tensor", {five, fake::at::wrapped_number(2.5)});
  CHECK(prod.dtype() == fake::dtype::float32);
  CHECK(value_of(prod) == 12.5);
  const fake::tensor_desc seven = fake::constant_tensor(scalar_value::of(std::int64_t{7}), fake::dtype::int64);
  const fake::tensor_desc minus_two = fake::constant_tensor(scalar_value::of(std::int64_t{-2}), fake::dtype::int64);
  const fake::tensor_desc q = t1("aten::div.Tensor_mode", {seven, minus_two, std::string("floor")});
  CHECK(q.dtype() == fake::dtype::int64);
  CHECK(fake::constant_item(q)->to_int() == -4);
  const fake::tensor_desc lt = t1("aten::lt.Tensor", {fake::constant_tensor(scalar_value::of(std::int64_t{3}), fake::dtype::int64),
                                                     fake::constant_tensor(scalar_value::of(std::int64_t{4}), fake::dtype::int64)});
  CHECK(lt.dtype() == fake::dtype::bool_);
  CHECK(fake::constant_item(lt)->to_bool());
  CHECK(value_of(t1("aten::sum", {fake::constant_tensor(scalar_value::of(3.0), fake::dtype::float32)})) == 3.0);

  // values are stored as the dtype stores them: int8 wraps, float16 rounds
  const fake::tensor_desc i8 = fake::constant_tensor(scalar_value::of(std::int64_t{100}), fake::dtype::int8);
  CHECK(fake::constant_item(t1("aten::add.Tensor", {i8, i8}))->to_int() == -56);
  const fake::tensor_desc h = fake::constant_tensor(scalar_value::of(1.0), fake::dtype::float16);
  CHECK(value_of(t1("aten::add.Tensor", {h, fake::constant_tensor(scalar_value::of(0.0001), fake::dtype::float16)})) == 1.0);
  CHECK(value_of(fake::constant_tensor(scalar_value::of(0.1), fake::dtype::float32)) == static_cast<double>(0.1f));

  // an integer division by zero is an error in ATen: no value, no crash
  const fake::tensor_desc zero = fake::constant_tensor(scalar_value::of(std::int64_t{0}), fake::dtype::int64);
  CHECK_FALSE(fake::is_constant(t1("aten::remainder.Tensor", {seven, zero})));
}

TEST_CASE("constants: in-place ops update them, writes and large aliases forget them", "[mode][constant]") {
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::constant_tensor(scalar_value::of(2.0), fake::dtype::float32);
  fake::call("aten::add_.Tensor", {x, fake::at::wrapped_number(std::int64_t{1})});  // x.add_(1)
  CHECK(value_of(x) == 3.0);
  const fake::tensor_desc v = t1("aten::view", {x, fake::dim_vector{1}});
  CHECK(value_of(v) == 3.0);  // a view reads its base's values
  const fake::tensor_desc e = t1("aten::expand", {x, fake::dim_vector{3}});
  CHECK_FALSE(fake::is_constant(e));  // three elements: past the limit of 1
  CHECK_FALSE(fake::is_constant(x));  // and PyTorch drops the constant of every alias
  CHECK_FALSE(fake::is_constant(v));

  // a write with an input that is not constant forgets the values
  const fake::tensor_desc w = fake::constant_tensor(scalar_value::of(1.0), fake::dtype::float32);
  fake::call("aten::add_.Tensor", {w, t1("aten::sum", {fake::empty({3})})});
  CHECK_FALSE(fake::is_constant(w));

  // seeded ops never fold
  const fake::tensor_desc c = fake::constant_tensor(scalar_value::of(1.0), fake::dtype::float32);
  CHECK_FALSE(fake::is_constant(t1("aten::rand_like", {c})));
  // results of ops on non-constant tensors have no values
  CHECK_FALSE(fake::is_constant(t1("aten::mul.Tensor", {fake::empty({}), c})));
}

TEST_CASE("constants: the limit is the mode's, and cached results get values too", "[mode][constant]") {
  const fake::tensor_desc pair = fake::constant_tensor({scalar_value::of(1.0), scalar_value::of(-2.0)}, {2}, fake::dtype::float32);
  {
    fake::mode<> m;  // CONSTANT_NUMEL_LIMIT = 1
    fake::mode_guard on(m);
    CHECK_FALSE(fake::is_constant(t1("aten::abs", {pair})));
  }
  fake::mode<fake::memo::dispatch_cache<>> m({.constant_numel_limit = 4});
  fake::mode_guard on(m);
  for (int hit = 0; hit < 2; ++hit) {
    const fake::tensor_desc a = t1("aten::abs", {pair});
    const auto values = fake::constant_values(a);
    REQUIRE(values.has_value());
    CHECK(values->at(0).to_double() == 1.0);
    CHECK(values->at(1).to_double() == 2.0);
  }
  CHECK(m.cache_info().hits == 1);
  // a reduction over one dim of a [2, 2] constant, keepdim
  const fake::tensor_desc sq = fake::constant_tensor(
      {scalar_value::of(1.0), scalar_value::of(2.0), scalar_value::of(3.0), scalar_value::of(4.0)}, {2, 2}, fake::dtype::float32);
  const fake::tensor_desc s = t1("aten::sum.dim_IntList", {sq, fake::dim_vector{1}, true});
  CHECK(s.sizes() == fake::dim_vector{2, 1});
  const auto sums = fake::constant_values(s);
  REQUIRE(sums.has_value());
  CHECK(sums->at(0).to_double() == 3.0);
  CHECK(sums->at(1).to_double() == 7.0);
  // a transposed view reads through its strides
  const auto tv = fake::constant_values(t1("aten::t", {sq}));
  REQUIRE(tv.has_value());
  CHECK(tv->at(1).to_double() == 3.0);
}

TEST_CASE("constants: an unbacked item of a constant is its value", "[mode][constant]") {
  fake::shape_env env;
  fake::mode<> m({.shapes = &env});
  fake::mode_guard on(m);
  const stack v = fake::call("aten::item", {fake::constant_tensor(scalar_value::of(std::int64_t{6}), fake::dtype::int64)});
  REQUIRE(v[0].is_int());
  CHECK(v[0].to_int() == 6);
  CHECK_THROWS_AS(fake::constant_tensor(scalar_value::of(1.0), fake::dtype::complex64), fake::dtype_error);
}

TEST_CASE("devices: FakeTensor._find_common_device's rules, checked before the kernel runs", "[mode][device]") {
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::device cuda0(fake::device_type::cuda, 0), cuda1(fake::device_type::cuda, 1);
  const fake::tensor_desc a = fake::empty({2, 3}, fake::dtype::float32, cuda0);
  const fake::tensor_desc b = fake::empty({2, 3}, fake::dtype::float32, cuda1);
  const fake::tensor_desc cpu = fake::empty({2, 3});
  const fake::tensor_desc cpu0 = fake::empty({});
  // the first tensor's device wins; a cpu 0-dim tensor defers, before or after
  CHECK(t1("aten::add.Tensor", {a, cpu0}).device() == cuda0);
  CHECK(t1("aten::add.Tensor", {cpu0, a}).device() == cuda0);
  CHECK_THROWS_WITH(fake::call("aten::add.Tensor", {a, b}),
                    "Unhandled FakeTensor Device Propagation for aten.add.Tensor, found two different devices cuda:0, cuda:1");
  CHECK_THROWS_WITH(fake::call("aten::mul.Tensor", {cpu, a}),
                    "Unhandled FakeTensor Device Propagation for aten.mul.Tensor, found two different devices cpu, cuda:0");
  // nextafter may not mix a cpu 0-dim tensor with another device
  CHECK_THROWS_WITH(fake::call("aten::nextafter", {a, cpu0}),
                    "Unhandled FakeTensor Device Propagation for aten.nextafter.default, found two different devices cuda:0, cpu");
  CHECK(t1("aten::nextafter", {a, a}).device() == cuda0);
  // a fake tensor is never on "cuda" without an index (Note [the current cuda device])
  const fake::tensor_desc c = fake::empty({2}, fake::dtype::float32, fake::device(fake::device_type::cuda));
  CHECK(c.device() == cuda0);
  fake::set_current_cuda_device_source([] { return 1; });
  CHECK(fake::empty({2}, fake::dtype::float32, fake::parse_device("cuda")).device() == cuda1);
  fake::set_current_cuda_device_source(nullptr);
  CHECK(fake::empty({2}, fake::dtype::float32, fake::parse_device("cuda")).device() == cuda0);
}

TEST_CASE("devices: _foreach_copy may mix cpu with another device", "[mode][device]") {
  fake::detail::common_device_finder mixed("aten::_foreach_copy");
  mixed.merge(fake::empty({2}, fake::dtype::float32, fake::device(fake::device_type::cuda, 0)));
  mixed.merge(fake::empty({2}));
  CHECK(mixed.common() == fake::device(fake::device_type::cuda, 0));
  fake::detail::common_device_finder strict("aten::add.Tensor");
  strict.merge(fake::empty({2}, fake::dtype::float32, fake::device(fake::device_type::cuda, 0)));
  CHECK_THROWS_AS(strict.merge(fake::empty({2})), fake::device_error);
}

TEST_CASE("real tensors: from_real_tensor is memoized, and non-fake inputs are converted only when allowed", "[mode][real]") {
  float data[6] = {1.5f, 2, 3, 4, 5, 6};
  std::int64_t shape[2] = {2, 3};
  std::int64_t one[1] = {1};
  const DLTensor full = cpu_float_tensor(data, shape, 2);
  const DLTensor first = cpu_float_tensor(data, one, 1);  // data[0:1], sharing the allocation

  fake::mode<> m;
  const fake::tensor_desc a = m.from_real_tensor(full);
  CHECK(a.sizes() == fake::dim_vector{2, 3});
  CHECK(m.from_real_tensor(full).id() == a.id());  // memoized
  const fake::tensor_desc f = m.from_real_tensor(first, {}, /*make_constant=*/true);
  CHECK(f.storage() == a.storage());  // one allocation, one fake storage
  CHECK(value_of(f) == 1.5);
  CHECK_FALSE(fake::is_constant(m.from_real_tensor(full, {}, true)));  // six elements: past the limit

  fake::mode_guard on(m);
  CHECK_THROWS_WITH(fake::call("aten::add.Tensor", {a, fake::real(full)}),
                    Catch::StartsWith("aten::add.Tensor: argument 'other' is a real tensor (a DLPack tensor of shape [2, 3]), "
                                      "not a fake one"));
  // torch.tensor(...) under the mode: lift_fresh of a small real tensor is a fresh constant
  const fake::tensor_desc lifted = t1("aten::lift_fresh", {fake::real(first)});
  CHECK(value_of(lifted) == 1.5);
  CHECK_FALSE(lifted.storage() == a.storage());

  fake::mode<> lenient({.allow_non_fake_inputs = true});
  fake::mode_guard on2(lenient);
  const fake::tensor_desc sum = t1("aten::add.Tensor", {fake::empty({2, 3}), fake::real(full)});
  CHECK(sum.sizes() == fake::dim_vector{2, 3});
  CHECK(lenient.from_real_tensor(full).sizes() == fake::dim_vector{2, 3});
}

TEST_CASE("real tensors: refused with no mode, and from_meta_and_device keeps aliasing", "[mode][real]") {
  float data[2] = {1, 2};
  std::int64_t shape[1] = {2};
  const DLTensor dl = cpu_float_tensor(data, shape, 1);
  CHECK_THROWS_WITH(fake::call("aten::neg", {fake::real(dl)}),
                    Catch::StartsWith("aten::neg: argument 'self' is a real tensor (a DLPack tensor of shape [2])"));

  fake::mode<> m;
  const fake::device meta(fake::device_type::meta);
  const fake::tensor_desc base = fake::empty({4, 4}, fake::dtype::float16, meta);
  const fake::tensor_desc alias = fake::tensor_desc(fake::dim_vector{4}, fake::dim_vector{1}, 4, fake::dtype::float16, base.storage());
  const fake::tensor_desc fb = m.from_meta_and_device(base, fake::device(fake::device_type::cuda, 1));
  const fake::tensor_desc fa = m.from_meta_and_device(alias, fake::device(fake::device_type::cuda, 1));
  CHECK(fb.device() == fake::device(fake::device_type::cuda, 1));
  CHECK(fb.strides() == base.strides());
  CHECK(fa.storage() == fb.storage());
  CHECK(fa.storage_offset() == 4);
  CHECK(m.from_meta_and_device(base, fake::device(fake::device_type::cuda, 1)).id() == fb.id());
  CHECK_THROWS_AS(m.from_meta_and_device(fake::empty({2}), fake::device(fake::device_type::cuda, 0)), fake::value_error);
}

TEST_CASE("errors: a fake implementation may alias an input only where its schema says so", "[mode][error]") {
  fake::library lib("faketensor_alias_test", fake::library::kind::def);
  lib.define("same(Tensor x) -> Tensor");
  lib.register_fake("same", [](stack& s) { s = {s[0]}; });  // returns its input, undeclared
  lib.define("alias(Tensor(a) x) -> Tensor(a)");
  lib.register_fake("alias", [](stack& s) { s = {s[0]}; });
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2});
  CHECK_THROWS_AS(fake::call("faketensor_alias_test::same", {x}), fake::unsupported_mutation_aliasing_error);
  CHECK_THROWS_WITH(fake::call("faketensor_alias_test::same", {x}),
                    Catch::StartsWith("faketensor_alias_test::same: the fake implementation's output 0 aliases argument 'x'"));
  CHECK(fake::call("faketensor_alias_test::alias", {x})[0].to_tensor().storage() == x.storage());
  // PyTorch's exception names are the same classes
  STATIC_REQUIRE(std::is_same_v<fake::unsupported_operator_error, fake::unsupported_op_error>);
  STATIC_REQUIRE(std::is_same_v<fake::data_dependent_output_error, fake::data_dependent_error>);
}

TEST_CASE("devices: the corpus's cases on cuda run through the fake mode, cached and not", "[mode][device][xref]") {
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  fake::mode<> plain;
  fake::mode<fake::memo::dispatch_cache<>> cached;
  std::string line;
  int ran = 0;
  while (std::getline(in, line)) {
    if (line.find("\"cuda") == std::string::npos) continue;
    const auto c = nlohmann::json::parse(line);
    ++ran;
    for (int pass = 0; pass < 3; ++pass) {  // plain, then cached twice (a miss, then a hit)
      std::optional<fake::mode_guard> on;
      if (pass == 0) on.emplace(plain);
      else on.emplace(cached);
      const fake::xref::case_result res = fake::xref::run_case(c);
      INFO(res.id << " (pass " << pass << "): " << res.detail);
      CHECK(res.result == fake::xref::outcome::passed);
    }
  }
  CHECK(ran >= 50);
  CHECK(cached.cache_info().hits > 0);
}

TEST_CASE("the dispatch cache answers an in-place op with its self, bumping the version", "[mode][cache]") {
  fake::mode<fake::memo::dispatch_cache<>> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({2, 3});
  const fake::tensor_desc y = fake::empty({3});
  for (int call = 0; call < 3; ++call) {
    const std::uint64_t version = x.storage().version();
    const fake::tensor_desc r = t1("aten::add_.Tensor", {x, y});
    CHECK(r.id() == x.id());  // the same tensor, miss or hit
    CHECK(x.storage().version() == version + 1);
  }
  CHECK(m.cache_info().misses == 1);
  CHECK(m.cache_info().hits == 2);
  // out= (a written keyword argument) and a bad in-place broadcast are not cached
  fake::call("aten::add.out", {y, y, 1, fake::empty({3})});
  CHECK(m.cache_info().bypasses_for(fake::bypass_reason::mutates_input) == 1);
  CHECK_THROWS_AS(fake::call("aten::add_.Tensor", {y, x}), fake::shape_error);
  CHECK_THROWS_AS(fake::call("aten::add_.Tensor", {y, x}), fake::shape_error);  // raised again, never cached
}

TEST_CASE("constants: reductions of a 0-dim constant over dim 0, with and without keepdim", "[mode][constant]") {
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::constant_tensor(scalar_value::of(std::int64_t{7}), fake::dtype::int64);
  for (const bool keepdim : {false, true}) {
    const fake::tensor_desc s = t1("aten::sum.dim_IntList", {x, fake::dim_vector{0}, keepdim});
    CHECK(s.dim() == 0);
    CHECK(fake::constant_item(s)->to_int() == 7);
  }
  CHECK(fake::constant_item(t1("aten::amax", {x, fake::dim_vector{-1}}))->to_int() == 7);
}
