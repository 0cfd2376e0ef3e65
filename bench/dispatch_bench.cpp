// The two levels of dispatch (issue: operators and dispatch).
//  * by name through the runtime table, cached: an op found once by name, then
//    called with a boxed stack — normalize, key set of the arguments, one
//    array lookup in its resolved table, one indirect call. Target <= 20 ns
//    (measured with a kernel that does nothing, so the figure is dispatch).
//  * typed through a compile-time handle: no overhead over calling the
//    kernel directly (the typed_call_zero_overhead test checks the code is the
//    same instruction for instruction).
// libtorch's dispatcher on a meta tensor is the peer where it is found.
// Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <faketensor/dispatch/library.hpp>
#include <faketensor/ops/handle.hpp>

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
#include <ATen/ATen.h>
#include <ATen/core/dispatch/Dispatcher.h>
#endif

namespace {

void noop_kernel(const fake::op_overload&, fake::dispatch_key_set, fake::stack&) {}  // its argument is its result

fake::library& bench_library() {
  static fake::library lib("faketensor_bench", fake::library::kind::def);
  static const bool defined = [] {
    lib.define("noop(Tensor self) -> Tensor");
    lib.impl("noop", &noop_kernel, fake::dispatch_key::cpu);
    return true;
  }();
  (void)defined;
  return lib;
}

void BM_runtime_call_cached_noop(benchmark::State& state) {
  bench_library();
  const fake::op_overload& op = fake::op_registry::global().get("faketensor_bench::noop");
  fake::stack s{fake::empty({8, 16})};
  for (auto _ : state) {
    op.call(s);
    benchmark::DoNotOptimize(s.data());
  }
}
BENCHMARK(BM_runtime_call_cached_noop);

void BM_runtime_lookup_and_call_noop(benchmark::State& state) {
  bench_library();
  fake::stack s{fake::empty({8, 16})};
  for (auto _ : state) {
    fake::op_registry::global().get("faketensor_bench::noop").call(s);
    benchmark::DoNotOptimize(s.data());
  }
}
BENCHMARK(BM_runtime_lookup_and_call_noop);

void BM_runtime_call_transpose_by_name(benchmark::State& state) {
  const fake::tensor_desc x = fake::empty({8, 16, 32, 64});
  for (auto _ : state) benchmark::DoNotOptimize(fake::call("aten::transpose.int", {x, 1, 2}));
}
BENCHMARK(BM_runtime_call_transpose_by_name);

using mixed = fake::tensor<fake::f32, fake::shape<fake::dyn, 16, 32>>;

void BM_typed_direct_transpose(benchmark::State& state) {
  const mixed x{fake::shape<fake::dyn, 16, 32>{8}};
  for (auto _ : state) benchmark::DoNotOptimize(fake::transpose(x, fake::c<0>{}, fake::c<2>{}));
}
BENCHMARK(BM_typed_direct_transpose);

void BM_typed_handle_transpose(benchmark::State& state) {
  const mixed x{fake::shape<fake::dyn, 16, 32>{8}};
  for (auto _ : state) benchmark::DoNotOptimize(fake::aten::transpose_int(x, fake::c<0>{}, fake::c<2>{}));
}
BENCHMARK(BM_typed_handle_transpose);

struct no_rules_mode {};
void BM_typed_invoke_under_mode_transpose(benchmark::State& state) {
  const mixed x{fake::shape<fake::dyn, 16, 32>{8}};
  no_rules_mode m;
  for (auto _ : state) benchmark::DoNotOptimize(fake::invoke(m, fake::aten::transpose_int, x, fake::c<0>{}, fake::c<2>{}));
}
BENCHMARK(BM_typed_invoke_under_mode_transpose);

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
void BM_libtorch_dispatcher_transpose_meta(benchmark::State& state) {
  const at::Tensor x = at::empty({8, 16, 32, 64}, at::TensorOptions().device(at::kMeta));
  static const auto op = c10::Dispatcher::singleton()
                             .findSchemaOrThrow("aten::transpose", "int")
                             .typed<at::Tensor(const at::Tensor&, int64_t, int64_t)>();
  for (auto _ : state) benchmark::DoNotOptimize(op.call(x, 1, 2));
}
BENCHMARK(BM_libtorch_dispatcher_transpose_meta);
#endif

}  // namespace
