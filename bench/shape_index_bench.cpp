// cat of three rank-3 tensors along dim 1 on the type-erased path
// (tensor_desc) and by name through the registry, against libtorch's meta
// tensors in the same run. Target: well under a microsecond (libtorch's meta
// cat is several microseconds). Each iteration makes a new tensor with a
// storage of its own.
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include <faketensor/dispatch/builtin_shape_index.hpp>
#include <faketensor/ops/shape_index.hpp>

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
#include <ATen/ATen.h>
#endif

namespace {

const std::array<fake::tensor_desc, 3>& inputs() {
  static const std::array<fake::tensor_desc, 3> xs{fake::empty({8, 16, 64}), fake::empty({8, 32, 64}), fake::empty({8, 8, 64})};
  return xs;
}

void BM_fake_cat3(benchmark::State& state) {
  const auto& xs = inputs();
  for (auto _ : state) benchmark::DoNotOptimize(fake::cat(std::span<const fake::tensor_desc>(xs), 1));
}
BENCHMARK(BM_fake_cat3);

// The meta kernel alone (no output tensor).
void BM_fake_cat3_meta(benchmark::State& state) {
  const auto& xs = inputs();
  const std::array<fake::meta_input, 3> ins{fake::meta_input_of(xs[0]), fake::meta_input_of(xs[1]), fake::meta_input_of(xs[2])};
  for (auto _ : state) benchmark::DoNotOptimize(fake::cat_meta(ins, 1));
}
BENCHMARK(BM_fake_cat3_meta);

void BM_fake_cat3_boxed(benchmark::State& state) {
  static fake::op_registry r;
  static std::vector<fake::registration> keep;
  static const bool once = (fake::register_shape_index_ops(r, keep), true);
  (void)once;
  const fake::op_overload& op = r.get("aten::cat");
  const std::vector<fake::tensor_desc> xs(inputs().begin(), inputs().end());
  for (auto _ : state) {
    fake::stack s{fake::ivalue(xs), fake::ivalue(1)};
    op.call(s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_fake_cat3_boxed);

#if FAKETENSOR_BENCH_HAVE_LIBTORCH
void BM_libtorch_meta_cat3(benchmark::State& state) {
  const auto opts = at::TensorOptions().device(at::kMeta);
  const std::vector<at::Tensor> xs{at::empty({8, 16, 64}, opts), at::empty({8, 32, 64}, opts), at::empty({8, 8, 64}, opts)};
  for (auto _ : state) benchmark::DoNotOptimize(at::cat(xs, 1));
}
BENCHMARK(BM_libtorch_meta_cat3);
#endif

}  // namespace
