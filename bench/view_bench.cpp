// View ops on the type-erased path (tensor_desc): transpose, view, slice,
// select — target <= 20 ns each and >= 20x faster than libtorch's meta tensors,
// measured in the same run. Each iteration makes a new view (a new tensor with
// its view chain node) of a rank-4 tensor. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <faketensor/view/ops.hpp>

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
#include <ATen/ATen.h>
#endif

namespace {

const fake::tensor_desc& input() {
  static const fake::tensor_desc x = fake::empty({8, 16, 32, 64}, fake::dtype::float32);
  return x;
}

void BM_fake_transpose(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  for (auto _ : state) benchmark::DoNotOptimize(fake::transpose(x, 1, 2));
}
BENCHMARK(BM_fake_transpose);

void BM_fake_view(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  const fake::dim_vector sizes{8, 16, -1};
  for (auto _ : state) benchmark::DoNotOptimize(fake::view(x, sizes));
}
BENCHMARK(BM_fake_view);

void BM_fake_slice(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  for (auto _ : state) benchmark::DoNotOptimize(fake::slice(x, 2, 4, 20, 2));
}
BENCHMARK(BM_fake_slice);

void BM_fake_select(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  for (auto _ : state) benchmark::DoNotOptimize(fake::select(x, 1, -3));
}
BENCHMARK(BM_fake_select);

void BM_fake_transpose_of_view(benchmark::State& state) {
  const fake::tensor_desc v = fake::select(input(), 0, 1);
  for (auto _ : state) benchmark::DoNotOptimize(fake::transpose(v, 0, 1));
}
BENCHMARK(BM_fake_transpose_of_view);

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
const at::Tensor& meta_input() {
  static const at::Tensor x = at::empty({8, 16, 32, 64}, at::TensorOptions().device(at::kMeta));
  return x;
}
void BM_libtorch_meta_transpose(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(meta_input().transpose(1, 2));
}
BENCHMARK(BM_libtorch_meta_transpose);
void BM_libtorch_meta_view(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(meta_input().view({8, 16, -1}));
}
BENCHMARK(BM_libtorch_meta_view);
void BM_libtorch_meta_slice(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(meta_input().slice(2, 4, 20, 2));
}
BENCHMARK(BM_libtorch_meta_slice);
void BM_libtorch_meta_select(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(meta_input().select(1, -3));
}
BENCHMARK(BM_libtorch_meta_select);
#endif

}  // namespace
