// Symbolic dims: checking new input sizes against a shape environment's
// guards (issue target: <= 1 us), forming expressions, and deciding a
// condition that ranges settle.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <utility>

#include "faketensor/core/sym.hpp"
#include "faketensor/meta/sym_tensor.hpp"
#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/strides.hpp"
#include "faketensor/shape/sym_dims.hpp"

namespace {

using fake::c;
using fake::sym_int;

// The kind of guards a GPT-2 trace in batch b and sequence t records: bounds
// from slicing the causal mask and the position table, divisibility of the
// head split, inequalities from broadcasting and from view/reshape checks.
struct gpt2_like_env {
  fake::shape_env env;
  sym_int b = env.create_symbol(8, "input_ids.size(0)");
  sym_int t = env.create_symbol(512, "input_ids.size(1)");

  gpt2_like_env() {
    const std::pair<const char*, std::int64_t> more_inputs[] = {{"position_ids.size(0)", 1}, {"position_ids.size(1)", 512},
                                                                 {"mask.size(0)", 8},         {"mask.size(1)", 1},
                                                                 {"mask.size(2)", 1},         {"mask.size(3)", 512}};
    for (const auto& [source, hint] : more_inputs) (void)env.create_symbol(hint, source);
    (void)static_cast<bool>(t <= 1024);                                       // position ids fit the table
    (void)static_cast<bool>(fake::dim_min(t, c<1024>{}) == t);                // causal mask slice
    (void)static_cast<bool>(fake::sym_mod(768 * b * t, 64) == 0);             // view into heads (decided: no guard)
    (void)static_cast<bool>(b != t);                                          // broadcasting b against t
    (void)static_cast<bool>(b * t >= 16);                                     // a reshape's numel check
    (void)static_cast<bool>(fake::floor_div(t, c<64>{}) >= 1);                // a chunked attention split
    (void)static_cast<bool>(fake::sym_mod(t, 8) == 0);                        // padding to a multiple of 8
    (void)static_cast<bool>(3 * t * t <= 4 * b * t * 1024);                   // a workspace bound
    (void)static_cast<bool>(fake::sym_max(b, t) == t);                        // max of the two
    (void)static_cast<bool>(b <= 64);                                         // batch bound
    (void)static_cast<bool>(fake::ceil_div(b * t, c<128>{}) * 128 >= b * t);  // tiles cover the tokens
    (void)static_cast<bool>(t - b >= 8);                                      // a sliding window
  }
};

void BM_check_guards_gpt2_like(benchmark::State& state) {
  gpt2_like_env g;
  const std::array<std::int64_t, 2> ok{4, 256};
  if (!g.env.check_guards(ok)) state.SkipWithError("guards should hold");
  for (auto _ : state) {
    benchmark::DoNotOptimize(g.env.check_guards(ok));
  }
  state.counters["guards"] = static_cast<double>(g.env.guards().size());
}
BENCHMARK(BM_check_guards_gpt2_like);

// What a caller with new inputs runs: sizes per input dim (input_ids [b, t],
// the position ids [1, t] and an attention mask [b, 1, 1, t]), mapped onto the
// symbols with the specializations and shared symbols checked, then the guards.
void BM_check_input_sizes_gpt2_like(benchmark::State& state) {
  gpt2_like_env g;
  const std::array<std::int64_t, 8> sizes{4, 256, 1, 256, 4, 1, 1, 256};
  std::array<std::int64_t, 2> scratch{};
  if (!g.env.check_input_sizes(sizes, scratch)) state.SkipWithError("sizes should pass");
  for (auto _ : state) benchmark::DoNotOptimize(g.env.check_input_sizes(sizes, scratch));
}
BENCHMARK(BM_check_input_sizes_gpt2_like);

void BM_check_guards_failing(benchmark::State& state) {
  gpt2_like_env g;
  const std::array<std::int64_t, 2> bad{4, 8};  // t // 64 >= 1 fails
  for (auto _ : state) benchmark::DoNotOptimize(g.env.check_guards(bad));
}
BENCHMARK(BM_check_guards_failing);

// Interning: forming an expression that already exists is a hash lookup.
void BM_form_numel_expression(benchmark::State& state) {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8), t = env.create_symbol(512);
  for (auto _ : state) benchmark::DoNotOptimize(b * t * 768);
}
BENCHMARK(BM_form_numel_expression);

// A comparison that ranges decide (size-1 tests in broadcasting): no guard.
void BM_decide_by_range(benchmark::State& state) {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8);
  for (auto _ : state) benchmark::DoNotOptimize(static_cast<bool>(b == 1));
}
BENCHMARK(BM_decide_by_range);

// broadcast_shapes on [s0, s1, 768] x [768] x [1, s1, 1]: the generic kernel on sym_dims.
void BM_broadcast_sym(benchmark::State& state) {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8), t = env.create_symbol(128);
  const fake::sym_dims x{b, t, sym_int(768)}, bias{sym_int(768)}, mask{sym_int(1), t, sym_int(1)};
  for (auto _ : state) benchmark::DoNotOptimize(fake::broadcast_shapes(x, bias, mask));
}
BENCHMARK(BM_broadcast_sym);

// A view of a symbolic tensor (meta/sym_tensor.hpp): the concrete view, then
// its recorded step applied to the expressions and checked against it.
void BM_transpose_symbolic_tensor(benchmark::State& state) {
  fake::shape_env env;
  const fake::tensor_desc x = fake::make_symbolic(fake::empty({8, 128, 768}), env, "x");
  for (auto _ : state) benchmark::DoNotOptimize(fake::transpose(x, 0, 1));
}
BENCHMARK(BM_transpose_symbolic_tensor);

// GPT-2's head split with symbolic sizes: view(x, [b, t, 12, c//12]).
void BM_view_symbolic_sizes(benchmark::State& state) {
  fake::shape_env env;
  const fake::tensor_desc x = fake::make_symbolic(fake::empty({8, 128, 768}), env, "x");
  const fake::sym_dims sizes{fake::sym_size(x, 0), fake::sym_size(x, 1), sym_int(12), fake::sym_floordiv(fake::sym_size(x, 2), 12)};
  for (auto _ : state) benchmark::DoNotOptimize(fake::view(x, sizes));
}
BENCHMARK(BM_view_symbolic_sizes);

}  // namespace
