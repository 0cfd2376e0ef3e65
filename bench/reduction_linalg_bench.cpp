// Products and reductions on the type-erased path (tensor_desc): mm of two
// 2-D tensors (target <= 15 ns) and sum over one dim of a rank-4 tensor
// (target <= 30 ns), each >= 10x faster than libtorch 1.13's meta tensors
// measured in the same run. Each iteration computes the output metadata and
// allocates the result (a new tensor with a storage of its own), as the
// functional op does. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <faketensor/ops/linalg.hpp>
#include <faketensor/ops/reduction.hpp>

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
#include <ATen/ATen.h>
#endif

namespace {

const fake::tensor_desc& mat_a() {
  static const fake::tensor_desc x = fake::empty({256, 512}, fake::dtype::float32);
  return x;
}
const fake::tensor_desc& mat_b() {
  static const fake::tensor_desc x = fake::empty({512, 1024}, fake::dtype::float32);
  return x;
}
const fake::tensor_desc& rank4() {
  static const fake::tensor_desc x = fake::empty({8, 16, 32, 64}, fake::dtype::float32);
  return x;
}

void BM_fake_mm(benchmark::State& state) {
  const fake::tensor_desc& a = mat_a();
  const fake::tensor_desc& b = mat_b();
  for (auto _ : state) benchmark::DoNotOptimize(fake::mm(a, b));
}
BENCHMARK(BM_fake_mm);

void BM_fake_sum_dim(benchmark::State& state) {
  const fake::tensor_desc& x = rank4();
  const fake::dim_vector dims{2};
  for (auto _ : state) benchmark::DoNotOptimize(fake::sum(x, dims));
}
BENCHMARK(BM_fake_sum_dim);

void BM_fake_matmul_3d_2d(benchmark::State& state) {
  static const fake::tensor_desc x = fake::empty({8, 128, 512}, fake::dtype::float32);
  const fake::tensor_desc& w = mat_b();
  for (auto _ : state) benchmark::DoNotOptimize(fake::matmul(x, w));
}
BENCHMARK(BM_fake_matmul_3d_2d);

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
at::Tensor meta(at::IntArrayRef sizes) { return at::empty(sizes, at::TensorOptions().device(at::kMeta)); }
void BM_libtorch_meta_mm(benchmark::State& state) {
  static const at::Tensor a = meta({256, 512}), b = meta({512, 1024});
  for (auto _ : state) benchmark::DoNotOptimize(at::mm(a, b));
}
BENCHMARK(BM_libtorch_meta_mm);
void BM_libtorch_meta_sum_dim(benchmark::State& state) {
  static const at::Tensor x = meta({8, 16, 32, 64});
  for (auto _ : state) benchmark::DoNotOptimize(at::sum(x, {2}));
}
BENCHMARK(BM_libtorch_meta_sum_dim);
void BM_libtorch_meta_matmul_3d_2d(benchmark::State& state) {
  static const at::Tensor x = meta({8, 128, 512}), w = meta({512, 1024});
  for (auto _ : state) benchmark::DoNotOptimize(at::matmul(x, w));
}
BENCHMARK(BM_libtorch_meta_matmul_3d_2d);
#endif

}  // namespace
