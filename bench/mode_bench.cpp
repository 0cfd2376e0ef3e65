// An op through fake::mode on the runtime path: a dispatch-cache hit and a
// miss (issue: the fake mode; targets hit <= 30 ns, miss <= 120 ns; PyTorch
// 1.13's FakeTensorMode measured 54-125 us per op on this machine). The op is
// a custom functional op whose kernel makes one fresh tensor, so the figures
// are the mode's and the cache's, plus one tensor. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <faketensor/dispatch/library.hpp>
#include <faketensor/mode/mode.hpp>

namespace {

void grow_kernel(const fake::op_overload&, fake::dispatch_key_set, fake::stack& s) {
  const fake::tensor_desc& x = s[0].to_tensor();
  fake::dim_vector sizes = x.sizes();
  sizes[0] += s[1].to_int();
  s = {fake::ivalue(fake::empty(std::move(sizes), x.dtype(), x.device()))};
}

const fake::op_overload& grow_op() {
  static fake::library lib("faketensor_mode_bench", fake::library::kind::def);
  static const fake::op_overload& op = []() -> const fake::op_overload& {
    fake::op_overload& o = lib.define("grow(Tensor x, int n) -> Tensor");
    lib.impl("grow", &grow_kernel, fake::dispatch_key::composite_explicit_autograd);
    return o;
  }();
  return op;
}

void BM_mode_cache_hit(benchmark::State& state) {
  const fake::op_overload& op = grow_op();
  fake::mode<fake::memo::dispatch_cache<>> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({8, 16, 32, 64});
  for (auto _ : state) benchmark::DoNotOptimize(op({x, 1}));
  state.counters["hits"] = static_cast<double>(m.cache_info().hits);
}
BENCHMARK(BM_mode_cache_hit);

void BM_mode_cache_miss(benchmark::State& state) {
  const fake::op_overload& op = grow_op();
  fake::mode<fake::memo::dispatch_cache<>> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({8, 16, 32, 64});
  for (auto _ : state) {
    m.clear_cache();
    benchmark::DoNotOptimize(op({x, 1}));
  }
}
BENCHMARK(BM_mode_cache_miss);

void BM_mode_without_cache(benchmark::State& state) {
  const fake::op_overload& op = grow_op();
  fake::mode<> m;
  fake::mode_guard on(m);
  const fake::tensor_desc x = fake::empty({8, 16, 32, 64});
  for (auto _ : state) benchmark::DoNotOptimize(op({x, 1}));
}
BENCHMARK(BM_mode_without_cache);

void BM_no_mode(benchmark::State& state) {
  const fake::op_overload& op = grow_op();
  const fake::tensor_desc x = fake::empty({8, 16, 32, 64});
  for (auto _ : state) benchmark::DoNotOptimize(op({x, 1}));
}
BENCHMARK(BM_no_mode);

}  // namespace
