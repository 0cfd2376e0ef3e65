// Tracing on the runtime path (issue: make_fx for C++). Targets: GPT-2 small
// (12 layers) traced in <= 0.5 ms; GPT-2 XL (48 layers) in time linear in
// nodes; a synthetic 100,000-node graph in <= 100 ms with <= 1 KiB of memory
// per node. Peer: PyTorch 1.13's make_fx traced 12-layer GPT-2 small (842
// nodes) in 185 ms on this machine, about 220 us a node. Figures: bench/README.md.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <initializer_list>
#include <string>
#include <vector>

#include <faketensor/dispatch/at.hpp>
#include <faketensor/meta/sym_tensor.hpp>
#include <faketensor/mode/mode.hpp>
#include <faketensor/trace/make_graph.hpp>

#include "models/gpt2.hpp"
#include "models/registry.hpp"

namespace {

template <class Mode>
void trace_gpt2(benchmark::State& state, fake::models::gpt2_config cfg) {
  const fake::models::gpt2 model(cfg, {fake::dtype::bfloat16, fake::parse_device("cuda:0")});
  const fake::tensor_desc tokens = model.example_input(8, 1024);
  Mode m;
  std::size_t nodes = 0;
  for (auto _ : state) {
    fake::graph g = fake::make_graph(m, model, tokens);
    nodes = g.size();
    benchmark::DoNotOptimize(g);
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["ns_per_node"] =
      benchmark::Counter(static_cast<double>(nodes), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// The dispatch cache over one trace of each example model (a fresh cached
// tracing mode per trace, as fake-estimate runs): hits, misses and bypasses by
// reason (issue: the fake mode, "cache hit rate and bypass counts over tracing
// the example models").
void BM_trace_model_cache(benchmark::State& state, const char* name) {
  fake::models::traced_model t;
  for (auto _ : state) {
    t = fake::models::trace_model(name, {.batch = 8, .seq = 1024, .image = 224,
                                         .options = {fake::dtype::bfloat16, fake::parse_device("cuda:0")}});
    benchmark::DoNotOptimize(t);
  }
  const fake::dispatch_cache_info& c = t.cache;
  const double calls = static_cast<double>(c.hits + c.misses + c.total_bypasses());
  state.counters["hits"] = static_cast<double>(c.hits);
  state.counters["misses"] = static_cast<double>(c.misses);
  state.counters["hit_rate"] = calls > 0 ? static_cast<double>(c.hits) / calls : 0;
  for (std::size_t r = 0; r < fake::num_bypass_reasons; ++r)
    if (c.bypasses[r] != 0)
      state.counters["bypass_" + std::string(fake::name(static_cast<fake::bypass_reason>(r)))] = static_cast<double>(c.bypasses[r]);
}
BENCHMARK_CAPTURE(BM_trace_model_cache, mlp, "mlp")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_trace_model_cache, resnet50, "resnet50")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_trace_model_cache, gpt2, "gpt2")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_trace_model_cache, llama2_7b, "llama2-7b")->Unit(benchmark::kMillisecond);

using tracing = fake::mode<fake::trace::graph>;
using tracing_cached = fake::mode<fake::memo::dispatch_cache<>, fake::trace::graph>;

void BM_trace_gpt2_small(benchmark::State& state) { trace_gpt2<tracing>(state, fake::models::gpt2_config::small()); }
BENCHMARK(BM_trace_gpt2_small)->Unit(benchmark::kMillisecond);
void BM_trace_gpt2_small_cached(benchmark::State& state) { trace_gpt2<tracing_cached>(state, fake::models::gpt2_config::small()); }
BENCHMARK(BM_trace_gpt2_small_cached)->Unit(benchmark::kMillisecond);
// GPT-2 small traced with symbolic sizes (issue 8's <= 5 ms target): a fresh
// shape_env and symbolic input per trace; the model reads its batch and
// sequence as sym_int, so every view, matmul fold and mask slice computes
// expressions and the size queries and arithmetic become graph nodes.
void trace_gpt2_symbolic(benchmark::State& state, std::initializer_list<std::int64_t> dynamic_dims) {
  const fake::models::gpt2 model(fake::models::gpt2_config::small(), {fake::dtype::bfloat16, fake::parse_device("cuda:0")});
  const fake::tensor_desc tokens = model.example_input(8, 1024);
  tracing_cached m;
  std::size_t nodes = 0, guards = 0;
  for (auto _ : state) {
    fake::shape_env env;
    fake::graph g = fake::make_graph(m, model, fake::make_symbolic(tokens, env, "tokens", dynamic_dims));
    nodes = g.size();
    guards = env.guards().size();
    benchmark::DoNotOptimize(g);
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["guards"] = static_cast<double>(guards);
}
void BM_trace_gpt2_small_dynamic_batch(benchmark::State& state) { trace_gpt2_symbolic(state, {0}); }
BENCHMARK(BM_trace_gpt2_small_dynamic_batch)->Unit(benchmark::kMillisecond);
void BM_trace_gpt2_small_symbolic_batch_and_sequence(benchmark::State& state) { trace_gpt2_symbolic(state, {0, 1}); }
BENCHMARK(BM_trace_gpt2_small_symbolic_batch_and_sequence)->Unit(benchmark::kMillisecond);
// The guards of that trace checked for a new input's sizes (issue 8's <= 1 us
// target): the batch and sequence of a new call, against every guard.
void BM_check_guards_of_symbolic_gpt2_trace(benchmark::State& state) {
  const fake::models::gpt2 model(fake::models::gpt2_config::small(), {fake::dtype::bfloat16, fake::parse_device("cuda:0")});
  fake::shape_env env;
  tracing_cached m;
  const fake::graph g = fake::make_graph(m, model, fake::make_symbolic(model.example_input(8, 1024), env, "tokens", {0, 1}));
  const std::vector<std::int64_t> sizes{4, 777};
  bool ok = false;
  for (auto _ : state) {
    ok = env.check_guards(sizes);
    benchmark::DoNotOptimize(ok);
  }
  if (!ok) state.SkipWithError("the guards refused batch 4, sequence 777");
  state.counters["guards"] = static_cast<double>(env.guards().size());
}
BENCHMARK(BM_check_guards_of_symbolic_gpt2_trace);
void BM_trace_gpt2_xl(benchmark::State& state) { trace_gpt2<tracing>(state, fake::models::gpt2_config::xl()); }
BENCHMARK(BM_trace_gpt2_xl)->Unit(benchmark::kMillisecond);

// A chain of 100,000 ops on a small tensor: graph building and tracking at scale.
void BM_trace_100k_nodes(benchmark::State& state) {
  const fake::tensor_desc x = fake::empty({4, 4});
  tracing m;
  double bytes_per_node = 0;
  std::size_t nodes = 0;
  for (auto _ : state) {
    // heap in use: arena chunks and mmapped ones (the node vector is large
    // enough to be mmapped; uordblks alone misses it)
    const auto in_use = [] {
      const struct mallinfo2 mi = mallinfo2();
      return mi.uordblks + mi.hblkhd;
    };
    const std::size_t before = in_use();
    fake::graph g = fake::make_graph(
        m,
        [](const fake::tensor_desc& t) {
          fake::tensor_desc y = t;
          for (int i = 0; i < 100'000; ++i) y = fake::at::neg(y);
          return y;
        },
        x);
    nodes = g.size();
    bytes_per_node = static_cast<double>(in_use() - before) / static_cast<double>(nodes);
    benchmark::DoNotOptimize(g);
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["bytes_per_node"] = bytes_per_node;
}
BENCHMARK(BM_trace_100k_nodes)->Unit(benchmark::kMillisecond);

}  // namespace
