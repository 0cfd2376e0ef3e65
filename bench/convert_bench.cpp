// Describe and convert 1,000 real tensors (DLPack) that share storages: 100
// allocations with 10 strided tensors each, the way a model's state dict with
// views and tied weights looks. Target: <= 100 us for the 1,000 (PyTorch's
// MetaConverter is reported at about 37 us per tensor). Each iteration uses a
// fresh describer and converter, so nothing is memoized across iterations.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <vector>

#include <faketensor/meta/converter.hpp>
#include <faketensor/meta/describer.hpp>

namespace {

struct dl_fixture {
  static constexpr int allocations = 100;
  static constexpr int per_allocation = 10;
  std::vector<std::array<std::int64_t, 2>> shapes;
  std::vector<std::array<std::int64_t, 2>> strides;
  std::vector<DLTensor> tensors;
  std::vector<float> memory = std::vector<float>(allocations * 64);

  dl_fixture() {
    shapes.reserve(allocations * per_allocation);
    strides.reserve(allocations * per_allocation);
    tensors.reserve(allocations * per_allocation);
    for (int a = 0; a < allocations; ++a) {
      for (int k = 0; k < per_allocation; ++k) {
        // row blocks, a transpose and column slices of an 8x8 allocation
        const bool transposed = k % 3 == 1;
        shapes.push_back({8 - k % 4, 8});
        strides.push_back(transposed ? std::array<std::int64_t, 2>{1, 8} : std::array<std::int64_t, 2>{8, 1});
        DLTensor t{};
        t.data = memory.data() + a * 64;
        t.device = {kDLCPU, 0};
        t.ndim = 2;
        t.dtype = {kDLFloat, 32, 1};
        t.shape = shapes.back().data();
        t.strides = strides.back().data();
        t.byte_offset = static_cast<std::uint64_t>(k % 4) * sizeof(float);
        tensors.push_back(t);
      }
    }
  }
};

void BM_describe_and_convert_1000_shared(benchmark::State& state) {
  const dl_fixture fx;
  for (auto _ : state) {
    fake::describer describer;
    fake::converter converter;
    for (const DLTensor& t : fx.tensors) benchmark::DoNotOptimize(converter.convert(describer.describe(t)));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(fx.tensors.size()));
}
BENCHMARK(BM_describe_and_convert_1000_shared)->Unit(benchmark::kMicrosecond);

// The two halves apart: describing alone (a fresh describer each iteration),
// and converting descriptions made once (a fresh converter each iteration).
void BM_describe_1000_shared(benchmark::State& state) {
  const dl_fixture fx;
  for (auto _ : state) {
    fake::describer describer;
    for (const DLTensor& t : fx.tensors) benchmark::DoNotOptimize(describer.describe(t));
  }
}
BENCHMARK(BM_describe_1000_shared)->Unit(benchmark::kMicrosecond);

void BM_convert_1000_shared(benchmark::State& state) {
  const dl_fixture fx;
  fake::describer describer;
  std::vector<fake::tensor_description> descriptions;
  for (const DLTensor& t : fx.tensors) descriptions.push_back(describer.describe(t));
  for (auto _ : state) {
    fake::converter converter;
    for (const fake::tensor_description& d : descriptions) benchmark::DoNotOptimize(converter.convert(d));
  }
}
BENCHMARK(BM_convert_1000_shared)->Unit(benchmark::kMicrosecond);

}  // namespace
