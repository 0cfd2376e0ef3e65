// Shape primitives on the runtime path: broadcast_shapes and contiguous strides
// of rank-4 runtime shapes (targets: <= 10 ns and <= 5 ns), with libtorch's own
// functions measured in the same run when libtorch is found, and the static path
// (which must cost nothing). Results and the command are in bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include <faketensor/shape/broadcast.hpp>
#include <faketensor/shape/numel.hpp>
#include <faketensor/shape/strides.hpp>

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
#include <ATen/ExpandUtils.h>
#include <ATen/TensorUtils.h>
#endif

namespace {

void BM_broadcast_shapes_rank4_runtime(benchmark::State& state) {
  const fake::dim_vector a{8, 1, 6, 1};
  const fake::dim_vector b{1, 7, 1, 5};
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.data());
    benchmark::DoNotOptimize(b.data());
    auto r = fake::broadcast_shapes(a, b);
    benchmark::DoNotOptimize(r.data());
  }
}
BENCHMARK(BM_broadcast_shapes_rank4_runtime);

void BM_broadcast_shapes_rank4_typed_dynamic(benchmark::State& state) {
  using fake::dyn;
  fake::shape<dyn, dyn, dyn, dyn> a{8, 1, 6, 1};
  fake::shape<dyn, dyn, dyn, dyn> b{1, 7, 1, 5};
  for (auto _ : state) {
    benchmark::DoNotOptimize(a);
    benchmark::DoNotOptimize(b);
    auto r = fake::broadcast_shapes(a, b);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_broadcast_shapes_rank4_typed_dynamic);

void BM_broadcast_shapes_rank4_static(benchmark::State& state) {
  for (auto _ : state) {
    auto r = fake::broadcast_shapes(fake::shape<8, 1, 6, 1>{}, fake::shape<1, 7, 1, 5>{});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_broadcast_shapes_rank4_static);

void BM_contiguous_strides_rank4_runtime(benchmark::State& state) {
  const fake::dim_vector sizes{8, 3, 224, 224};
  for (auto _ : state) {
    benchmark::DoNotOptimize(sizes.data());
    auto r = fake::contiguous_strides(sizes);
    benchmark::DoNotOptimize(r.data());
  }
}
BENCHMARK(BM_contiguous_strides_rank4_runtime);

void BM_numel_rank4_runtime(benchmark::State& state) {
  const fake::dim_vector sizes{8, 3, 224, 224};
  for (auto _ : state) {
    benchmark::DoNotOptimize(sizes.data());
    auto n = fake::numel(sizes);
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(BM_numel_rank4_runtime);

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
void BM_libtorch_infer_size_dimvector_rank4(benchmark::State& state) {
  const std::vector<std::int64_t> a{8, 1, 6, 1};
  const std::vector<std::int64_t> b{1, 7, 1, 5};
  for (auto _ : state) {
    benchmark::DoNotOptimize(a.data());
    benchmark::DoNotOptimize(b.data());
    auto r = at::infer_size_dimvector(a, b);
    benchmark::DoNotOptimize(r.data());
  }
}
BENCHMARK(BM_libtorch_infer_size_dimvector_rank4);

void BM_libtorch_default_strides_rank4(benchmark::State& state) {
  const std::vector<std::int64_t> sizes{8, 3, 224, 224};
  for (auto _ : state) {
    benchmark::DoNotOptimize(sizes.data());
    auto r = at::detail::defaultStrides(sizes);
    benchmark::DoNotOptimize(r.data());
  }
}
BENCHMARK(BM_libtorch_default_strides_rank4);
#endif

}  // namespace
