// conv2d on the type-erased path (tensor_desc): input [8, 64, 56, 56], weight
// [64, 64, 3, 3], padding 1 — target <= 60 ns and >= 10x faster than
// libtorch's meta tensors, measured in the same run. Each iteration makes a
// new output tensor (a new storage). Also: the meta kernel alone
// (convolution_meta, no allocation), max_pool2d_with_indices and the boxed
// call by name through a registry holding register_nn_ops.
#include <benchmark/benchmark.h>

#include <faketensor/dispatch/builtin_nn.hpp>
#include <faketensor/ops/nn.hpp>

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
#include <ATen/ATen.h>
#endif

namespace {

const fake::tensor_desc& input() {
  static const fake::tensor_desc x = fake::empty({8, 64, 56, 56}, fake::dtype::float32);
  return x;
}
const fake::tensor_desc& weight() {
  static const fake::tensor_desc w = fake::empty({64, 64, 3, 3}, fake::dtype::float32);
  return w;
}

void BM_fake_conv2d(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  const fake::tensor_desc& w = weight();
  const fake::conv_args a{{1}, {1}, {1}, false, {0}, 1};
  for (auto _ : state) benchmark::DoNotOptimize(fake::convolution(x, w, std::nullopt, a));
}
BENCHMARK(BM_fake_conv2d);

void BM_fake_conv2d_composite(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  const fake::tensor_desc& w = weight();
  const fake::dim_vector one{1};
  for (auto _ : state) benchmark::DoNotOptimize(fake::conv2d(x, w, std::nullopt, one, one, one, 1));
}
BENCHMARK(BM_fake_conv2d_composite);

void BM_fake_convolution_meta_only(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  const fake::tensor_desc& w = weight();
  const fake::conv_args a{{1}, {1}, {1}, false, {0}, 1};
  for (auto _ : state)
    benchmark::DoNotOptimize(fake::convolution_meta(fake::meta_of(x), fake::meta_of(w), nullptr, std::nullopt, a, x.device()));
}
BENCHMARK(BM_fake_convolution_meta_only);

void BM_fake_max_pool2d_with_indices(benchmark::State& state) {
  const fake::tensor_desc& x = input();
  const fake::pool2d_args a{{3}, {2}, {1}, {1}, false};
  for (auto _ : state) benchmark::DoNotOptimize(fake::max_pool2d_with_indices(x, a));
}
BENCHMARK(BM_fake_max_pool2d_with_indices);

void BM_fake_conv2d_boxed(benchmark::State& state) {
  static fake::op_registry r;
  static std::vector<fake::registration> keep;
  if (r.size() == 0) fake::register_nn_ops(r, keep);
  const fake::op_overload& op = r.get("aten::conv2d");
  for (auto _ : state) {
    fake::stack s{input(), weight(), fake::ivalue(), fake::dim_vector{1}, fake::dim_vector{1}, fake::dim_vector{1}, 1};
    benchmark::DoNotOptimize(op(std::move(s)));
  }
}
BENCHMARK(BM_fake_conv2d_boxed);

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
const at::Tensor& meta_input() {
  static const at::Tensor x = at::empty({8, 64, 56, 56}, at::TensorOptions().device(at::kMeta));
  return x;
}
const at::Tensor& meta_weight() {
  static const at::Tensor w = at::empty({64, 64, 3, 3}, at::TensorOptions().device(at::kMeta));
  return w;
}
void BM_libtorch_meta_conv2d(benchmark::State& state) {
  try {
    (void)at::conv2d(meta_input(), meta_weight(), {}, 1, 1);
  } catch (const c10::Error& e) {
    state.SkipWithError(e.what_without_backtrace());
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(at::conv2d(meta_input(), meta_weight(), {}, 1, 1));
}
BENCHMARK(BM_libtorch_meta_conv2d);
void BM_libtorch_meta_max_pool2d_with_indices(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(at::max_pool2d_with_indices(meta_input(), {3, 3}, {2, 2}, {1, 1}, {1, 1}, false));
}
BENCHMARK(BM_libtorch_meta_max_pool2d_with_indices);
#endif

}  // namespace
