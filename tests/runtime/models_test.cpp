// The example models (examples/models) traced into graphs: published
// parameter counts, FLOP totals against formulas derived here, lint, the
// interpreter and JSON on every model, and the op sequence of a GPT-2 block
// against PyTorch 1.13's make_fx (tests/data/make_fx/gpt2_block.json); the
// typed (static and mixed) GPT-2 block and MLP against the traced ones.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "faketensor/analysis/flops.hpp"
#include "faketensor/analysis/memory.hpp"
#include "faketensor/analysis/sym_flops.hpp"
#include "faketensor/analysis/sym_memory.hpp"
#include "faketensor/trace/interpreter.hpp"
#include "faketensor/trace/json.hpp"
#include "faketensor/trace/print.hpp"
#include "models/registry.hpp"
#include "models/typed.hpp"
#include "make_fx_reference.hpp"
#include "test_support.hpp"

using namespace fake;
using namespace fake::models;

namespace {
tensor_options f32_cpu() { return {}; }

std::vector<tensor_desc> outputs_of(const graph& g) {
  std::vector<tensor_desc> out;
  for (const node_arg& a : g[*g.output_node()].args[0].items()) out.push_back(g[a.node()].val.tensor());
  return out;
}
// A two-layer Llama with 2 kv heads for 8 query heads, width 64.
llama_config small_gqa_config() {
  llama_config c;
  c.vocab = 100;
  c.positions = 64;
  c.layers = 2;
  c.heads = 8;
  c.kv_heads = 2;
  c.width = 64;
  c.hidden = 96;
  return c;
}
// A GPT-2 with vocabulary 1000, 128 positions, 4 heads, width 64.
gpt2_config small_gpt2_config(std::int64_t layers) { return {1000, 128, layers, 4, 64}; }
std::vector<tensor_desc> inputs_of(const graph& g) {
  std::vector<tensor_desc> in;
  for (node_id i : g.nodes_of(node_op::placeholder)) in.push_back(g[i].val.tensor());
  return in;
}
}  // namespace

TEST_CASE("example models have their published parameter counts") {
  CHECK(gpt2(gpt2_config::small(), f32_cpu()).parameter_count() == 124'439'808);
  CHECK(gpt2(gpt2_config::xl(), f32_cpu()).parameter_count() == 1'557'611'200);
  CHECK(resnet50(f32_cpu()).parameter_count() == 25'557'032);
  CHECK(llama(llama_config::llama2_7b(), f32_cpu()).parameter_count() == 6'738'415'616);
}

TEST_CASE("traced example models lint clean, re-run to identical metadata and round-trip through JSON") {
  const std::string name = GENERATE("mlp", "resnet50", "gpt2", "llama2-7b");
  run_options o;
  o.batch = 2;
  o.seq = 32;
  o.image = 64;
  const traced_model t = trace_model(name, o);
  const graph& g = t.graph;
  g.lint();
  // The graph uses every parameter: its count is the model's.
  CHECK(parameter_count(g) == t.parameters);
  const std::vector<tensor_desc> again = interpret(g, inputs_of(g));
  const std::vector<tensor_desc> want = outputs_of(g);
  REQUIRE(again.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(again[i].sizes() == want[i].sizes());
    CHECK(again[i].strides() == want[i].strides());
    CHECK(again[i].dtype() == want[i].dtype());
  }
  const nlohmann::json j = to_json(g);
  CHECK(to_json(graph_from_json(j)) == j);
}

TEST_CASE("GPT-2 small's forward FLOPs equal 2 x the multiply-adds of its matrix products") {
  const std::int64_t b = 2, t = 128, c = 768, layers = 12, vocab = 50257;
  const traced_model m = trace_model("gpt2", {.batch = b, .seq = t, .image = 224, .options = {}});
  // Per token and layer: qkv 3c^2, projection c^2, MLP 8c^2 multiply-adds,
  // attention scores and weighted sum t*c each; the tied LM head c*vocab.
  const std::int64_t per_token = layers * (12 * c * c + 2 * t * c) + c * vocab;
  CHECK(count_flops(m.graph).total == 2 * b * t * per_token);
}

TEST_CASE("ResNet-50's forward FLOPs equal 2 x the multiply-adds of its convolutions and classifier") {
  const std::int64_t batch = 2, image = 224;
  // Hand-derived: each conv is out_channels * in_channels * k * k multiply-adds per output pixel.
  std::int64_t macs = 0;
  std::int64_t size = image / 2;  // conv1: 7x7 stride 2
  macs += 64 * 3 * 7 * 7 * size * size;
  size /= 2;  // max pool, stride 2
  std::int64_t in = 64;
  const std::int64_t blocks[] = {3, 4, 6, 3};
  for (int layer = 0; layer < 4; ++layer) {
    const std::int64_t width = 64 << layer;
    for (std::int64_t i = 0; i < blocks[layer]; ++i) {
      const std::int64_t stride = (i == 0 && layer > 0) ? 2 : 1;
      const std::int64_t out_size = size / stride;
      macs += width * in * size * size;                 // 1x1 reduce (at the input resolution)
      macs += width * width * 9 * out_size * out_size;  // 3x3, strided
      macs += 4 * width * width * out_size * out_size;  // 1x1 expand
      if (i == 0) macs += 4 * width * in * out_size * out_size;  // downsample 1x1
      in = 4 * width;
      size = out_size;
    }
  }
  macs += 2048 * 1000;  // fc
  const traced_model m = trace_model("resnet50", {.batch = batch, .seq = 1, .image = image, .options = {}});
  CHECK(count_flops(m.graph).total == 2 * batch * macs);
}

TEST_CASE("a traced GPT-2 block has make_fx's op sequence and output metadata (PyTorch 1.13)") {
  const nlohmann::json ref = testing::load_json("make_fx/gpt2_block.json");
  const auto& cfg = ref.at("config");
  const std::int64_t b = cfg.at("batch"), t = cfg.at("seq"), c = cfg.at("width"), h = cfg.at("heads"), p = cfg.at("positions");
  parameter_list params(f32_cpu());
  const gpt2_block block(params, "h.0.", c, h);
  const tensor_desc causal = params.buffer("causal", {1, 1, p, p}, dtype::bool_);
  fake::mode<fake::trace::graph> m;
  const graph g = make_graph(m, [&](const tensor_desc& x) { return block(x, causal); }, fake::empty({b, t, c}));
  testing::check_against_make_fx(g, ref.at("nodes"));
}

TEST_CASE("memory of a traced model: parameters, inputs and the activation peak per device") {
  const traced_model m =
      trace_model("gpt2", {.batch = 1, .seq = 64, .image = 224, .options = {dtype::bfloat16, parse_device("cuda:0")}});
  const memory_report r = analyze_memory(m.graph);
  REQUIRE(r.devices.size() == 1);
  CHECK(r.devices[0].device == parse_device("cuda:0"));
  // bf16 parameters + the bool causal mask buffer (1024 x 1024).
  CHECK(r.devices[0].parameter_bytes == 2 * 124'439'808 + 1024 * 1024);
  CHECK(r.devices[0].input_bytes == 64 * 8);
  // At the peak the logits (1 x 64 x 50257 bf16) are live.
  CHECK(r.devices[0].peak_activation_bytes >= 64 * 50257 * 2);
}

TEST_CASE("trace_model refuses unknown models and empty batches with a clear error") {
  CHECK_THROWS_WITH(trace_model("gpt3", {}), Catch::Contains("unknown model 'gpt3'") && Catch::Contains("llama2-7b"));
  run_options o;
  o.batch = 0;
  CHECK_THROWS_WITH(trace_model("gpt2", o), Catch::Contains("batch must be positive"));
}

TEST_CASE("grouped-query attention repeats k and v: a Llama with 2 kv heads for 8 query heads") {
  const llama_config c = small_gqa_config();
  const llama model(c, f32_cpu());
  // k and v projections are a quarter of q's.
  std::int64_t kv_params = 0;
  model.for_each_parameter([&](const std::string& name, const tensor_desc& t) {
    if (name.ends_with("k_proj.weight")) kv_params += t.numel();
  });
  CHECK(kv_params == c.layers * 16 * 64);
  fake::mode<fake::trace::graph> m;
  const graph g = make_graph(m, model, model.example_input(3, 10));
  g.lint();
  CHECK(outputs_of(g).at(0).sizes() == dim_vector{3, 10, 100});
  // repeat_kv: unsqueeze, expand to [B, kv, rep, T, D], reshape to [B, heads, T, D].
  bool repeated = false;
  for (const node& n : g.nodes())
    if (n.op == node_op::call_function && n.target && n.target->qualified_name() == "aten::expand")
      repeated = repeated || n.val.tensor().sizes() == dim_vector{3, 2, 4, 10, 8};
  CHECK(repeated);
}

TEST_CASE("the typed GPT-2 block gives make_fx's output and the tensor_desc block's, static or with a dynamic batch and sequence") {
  using block = typed_gpt2_block<fake::f32, fake::cpu, 768, 12>;
  const nlohmann::json ref = testing::load_json("make_fx/gpt2_block.json");
  const auto& cfg = ref.at("config");
  REQUIRE((cfg.at("batch") == 2 && cfg.at("seq") == 16 && cfg.at("width") == 768 && cfg.at("heads") == 12 &&
           cfg.at("positions") == 1024));
  constexpr fake::tensor<fake::b8, fake::shape<1, 1, 1024, 1024>> causal;
  constexpr auto y = block{}(fake::tensor<fake::f32, fake::shape<2, 16, 768>>{}, causal);  // computed by the compiler
  const auto& last = ref.at("nodes").back().at("outputs").at(0);
  CHECK(dim_vector(y.sizes()) == testing::dims_of(last.at("sizes")));
  CHECK(dim_vector(y.strides()) == testing::dims_of(last.at("strides")));

  parameter_list params(f32_cpu());
  const gpt2_block erased(params, "h.0.", 768, 12);
  const tensor_desc causal_desc = causal.to_desc();
  for (const auto& [b, t] : std::vector<std::pair<std::int64_t, std::int64_t>>{{2, 16}, {1, 1}, {3, 1000}}) {
    INFO("batch " << b << ", seq " << t);
    const fake::tensor<fake::f32, fake::shape<fake::dyn, fake::dyn, 768>> x{fake::shape<fake::dyn, fake::dyn, 768>{b, t}};
    const auto typed = block{}(x, causal);
    const tensor_desc want = erased(x.to_desc(), causal_desc);
    CHECK(dim_vector(typed.sizes()) == want.sizes());
    CHECK(dim_vector(typed.strides()) == want.strides());
  }
}

TEST_CASE("the typed ResNet-50 gives the tensor_desc model's logits, with a dynamic batch and image size") {
  const resnet50 erased(tensor_options{dtype::float16, parse_device("cuda:0")});
  constexpr typed_resnet50<fake::f16, fake::cuda<0>> typed;
  for (const auto& [b, image] : std::vector<std::pair<std::int64_t, std::int64_t>>{{2, 224}, {1, 97}, {3, 160}}) {
    INFO("batch " << b << ", image " << image);
    using input = fake::tensor<fake::f16, fake::shape<fake::dyn, 3, fake::dyn, fake::dyn>, fake::cuda<0>>;
    const input x{fake::shape<fake::dyn, 3, fake::dyn, fake::dyn>{b, image, image}};
    const auto y = typed(x);
    const tensor_desc want = erased(x.to_desc());
    CHECK(dim_vector(y.sizes()) == want.sizes());
    CHECK(dim_vector(y.strides()) == want.strides());
  }
  // a channels_last input: the convolutions keep the layout, the logits are contiguous
  constexpr fake::tensor<fake::f16, fake::shape<2, 3, 64, 64>, fake::cuda<0>, fake::strides<12288, 1, 192, 3>> cl;
  const tensor_desc want = erased(cl.to_desc());
  CHECK(dim_vector(typed(cl).strides()) == want.strides());
}

TEST_CASE("the typed Llama (grouped-query attention) gives the tensor_desc model's logits, with a dynamic batch and sequence") {
  const llama erased(small_gqa_config(), tensor_options{dtype::bfloat16, parse_device("cuda:0")});
  constexpr typed_llama<fake::bf16, fake::cuda<0>, 100, 64, 2, 64, 8, 2, 96> typed;  // small_gqa_config()
  for (const auto& [b, t] : std::vector<std::pair<std::int64_t, std::int64_t>>{{2, 16}, {1, 1}, {3, 64}}) {
    INFO("batch " << b << ", seq " << t);
    const fake::tensor<fake::i64, fake::shape<fake::dyn, fake::dyn>, fake::cuda<0>> tokens{fake::shape<fake::dyn, fake::dyn>{b, t}};
    const auto y = typed(tokens);
    const tensor_desc want = erased(tokens.to_desc());
    CHECK(dim_vector(y.sizes()) == want.sizes());
    CHECK(dim_vector(y.strides()) == want.strides());
    CHECK(decltype(y.dtype())::value == want.dtype());
  }
  const fake::tensor<fake::i64, fake::shape<fake::dyn, fake::dyn>, fake::cuda<0>> too_long{fake::shape<fake::dyn, fake::dyn>{1, 65}};
  CHECK_THROWS_AS(typed(too_long), fake::value_error);
}

TEST_CASE("the typed MLP checks its input width at compile time, or at run time when it is dynamic") {
  constexpr typed_mlp<fake::f32, fake::cpu, 784, 1024, 1024, 10> net;
  const fake::tensor<fake::f32, fake::shape<fake::dyn, 784>> batch{fake::shape<fake::dyn, 784>{64}};
  CHECK(dim_vector(net(batch).sizes()) == dim_vector{64, 10});
  const fake::tensor<fake::f32, fake::shape<fake::dyn, fake::dyn>> wrong{fake::shape<fake::dyn, fake::dyn>{64, 100}};
  CHECK_THROWS_AS(net(wrong), fake::shape_error);
}

namespace {
// The tensor-valued op calls (and getitems) of a graph, in order: what two
// traces of one model at the same sizes must agree on node for node.
std::vector<const node*> tensor_calls(const graph& g) {
  std::vector<const node*> out;
  for (node_id i = 0; i < g.size(); ++i)
    if (!g[i].erased && g[i].op == node_op::call_function && g[i].val.type == node_value::kind::tensor) out.push_back(&g[i]);
  return out;
}
std::size_t calls_of(const graph& g, std::string_view op) {
  std::size_t k = 0;
  for (const node& n : g.nodes())
    if (!n.erased && n.op == node_op::call_function && n.target && n.target->qualified_name() == op) ++k;
  return k;
}

// A language model traced with its batch and sequence symbolic: the graph
// keeps them symbolic (two size queries, no guard pinning them), and re-run
// by the interpreter at other sizes it gives, node for node, the metadata of
// a concrete trace at those sizes (interpret checks the guards first); its
// FLOPs, bytes and peak-memory expressions evaluate to the concrete counts.
template <class Model>
void check_symbolic_batch_and_sequence(const Model& model, std::int64_t vocab, std::int64_t positions) {
  fake::shape_env env;
  const tensor_desc tokens = fake::make_symbolic(model.example_input(3, 10), env, "tokens");
  fake::mode<fake::memo::dispatch_cache<>, fake::trace::graph> m;
  const graph g = make_graph(m, model, tokens);
  g.lint();
  CHECK(fake::to_string(fake::sym_sizes(outputs_of(g).at(0))) == "[s0, s1, " + std::to_string(vocab) + "]");
  CHECK(calls_of(g, "aten::sym_size.int") == 2);  // b and t, each read once and shared
  // The only guard is the model's own check that the sequence fits its positions.
  INFO(env.guards_string());
  CHECK(env.guards().size() == 1);
  CHECK_FALSE(env.check_guards({3, positions + 1}));
  const fake::sym_flop_report cost = fake::count_flops_symbolic(g);
  const fake::sym_memory_report memory = fake::analyze_memory_symbolic(g);
  REQUIRE(memory.devices.size() == 1);
  const fake::sym_int peak = memory.devices[0].peak_bytes();
  CHECK(env.guards().size() == 1);  // the analyses record none

  for (const auto& [b, t] : {std::pair<std::int64_t, std::int64_t>{2, 5}, {7, positions}, {3, 10}}) {
    CAPTURE(b, t);
    const std::vector<std::int64_t> at{b, t};
    REQUIRE(env.check_guards(at));
    // the interpreter re-traced: every op again, on concrete sizes
    fake::mode<fake::trace::graph> rerun_mode;
    const graph rerun = make_graph(
        rerun_mode, [&](const tensor_desc& x) { return interpret(g, std::vector<tensor_desc>{x}, env); }, model.example_input(b, t));
    fake::mode<fake::trace::graph> concrete_mode;
    const graph concrete = make_graph(concrete_mode, model, model.example_input(b, t));
    const std::vector<const node*> want = tensor_calls(concrete), got = tensor_calls(rerun);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      INFO(want[i]->name << " = " << want[i]->target_name());
      // reshape on SymInts records view where 1.13's concrete reshape records
      // _reshape_alias (as PyTorch 2 does): the same geometry
      const auto op = [](const node* n) {
        const std::string t = n->target_name();
        return t == "aten._reshape_alias.default" ? std::string("aten.view.default") : t;
      };
      REQUIRE(op(got[i]) == op(want[i]));
      const tensor_desc &x = got[i]->val.tensor(), &y = want[i]->val.tensor();
      CHECK(x.sizes() == y.sizes());
      CHECK(x.strides() == y.strides());
      CHECK(x.storage_offset() == y.storage_offset());
      CHECK(x.dtype() == y.dtype());
    }
    CHECK(env.evaluate(cost.total, at) == count_flops(concrete).total);
    CHECK(env.evaluate(cost.total_bytes_read, at) == count_flops(concrete).total_bytes_read);
    const memory_report m_concrete = analyze_memory(concrete);
    CHECK(env.evaluate(peak, at) == m_concrete.devices.at(0).peak_bytes());
    CHECK(env.evaluate(memory.devices[0].peak_activation_bytes, at) == m_concrete.devices.at(0).peak_activation_bytes);
  }
  // past the positions the guard fails: the interpreter refuses rather than give metadata the trace does not hold for
  CHECK_THROWS_WITH(interpret(g, std::vector<tensor_desc>{model.example_input(2, positions + 1)}, env),
                    Catch::Contains("do not satisfy the guards") && Catch::Contains("s1 <= " + std::to_string(positions)));
  CHECK_THROWS_WITH(interpret(g, std::vector<tensor_desc>{fake::empty({2, 5, 1}, fake::dtype::int64)}, env),
                    Catch::Contains("do not satisfy the guards"));
}
}  // namespace

TEST_CASE("GPT-2 and Llama traced with a symbolic batch and sequence re-run at other sizes to a concrete trace's metadata", "[sym]") {
  SECTION("GPT-2") {
    const gpt2_config c = small_gpt2_config(2);
    check_symbolic_batch_and_sequence(gpt2(c, f32_cpu()), c.vocab, c.positions);
  }
  SECTION("Llama with grouped-query attention") {
    const llama_config c = small_gqa_config();
    check_symbolic_batch_and_sequence(llama(c, f32_cpu()), c.vocab, c.positions);
  }
}

TEST_CASE("a symbolic GPT-2 graph prints its size queries and round-trips through JSON", "[sym]") {
  const gpt2 model(small_gpt2_config(1), f32_cpu());
  fake::shape_env env;
  fake::mode<fake::trace::graph> m;
  const graph g = make_graph(m, model, fake::make_symbolic(model.example_input(3, 10), env, "tokens"));
  const std::string code = to_code(g);
  INFO(code);
  CHECK_THAT(code, Catch::Contains("torch.ops.aten.sym_size.int(arg0_1, 0)"));
  CHECK_THAT(code, Catch::Contains("Sym(s1)"));
  CHECK_THAT(code, Catch::Contains("f32[s0, s1, 64]"));
  const nlohmann::json j = to_json(g);
  const graph back = graph_from_json(j);
  back.lint();
  CHECK(to_json(back) == j);
  CHECK(calls_of(back, "aten::sym_size.int") == 2);
}
