// Tracing: the graph IR, the tracer policy of fake::mode, make_graph, the
// exports (code, DOT, JSON), the interpreter, dead-code elimination, op
// replacement and decomposition tables.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <boost/hana/define_struct.hpp>

#include "faketensor/analysis/flops.hpp"
#include "faketensor/analysis/memory.hpp"
#include "faketensor/analysis/sym_flops.hpp"
#include "faketensor/dispatch/at.hpp"
#include "faketensor/meta/sym_tensor.hpp"
#include "faketensor/meta/tensor.hpp"
#include "faketensor/mode/mode.hpp"
#include "faketensor/trace/decompositions.hpp"
#include "faketensor/trace/interpreter.hpp"
#include "faketensor/trace/json.hpp"
#include "faketensor/trace/make_graph.hpp"
#include "faketensor/trace/print.hpp"
#include "make_fx_reference.hpp"

using namespace fake;

namespace {
using tracing_mode = fake::mode<fake::trace::graph>;

std::vector<std::string> call_targets(const graph& g) {
  std::vector<std::string> out;
  for (const node& n : g.nodes())
    if (!n.erased && n.op == node_op::call_function) out.push_back(n.target ? n.target->qualified_name() : n.target_name());
  return out;
}
// A module with one declared parameter and one undeclared tensor.
struct tiny_model {
  tensor_desc w = fake::empty({5, 3}), hidden = fake::empty({5});
  template <class F>
  void for_each_parameter(F&& f) const {
    f("fc.weight", w);
  }
  tensor_desc operator()(const tensor_desc& x) const { return at::add(at::linear(x, w), hidden); }
};

// Two declared parameters, the second used first.
struct two_layers {
  tensor_desc w0 = fake::empty({4, 4}), w1 = fake::empty({4, 4});
  template <class F>
  void for_each_parameter(F&& f) const {
    f("layers.0.weight", w0);
    f("layers.1.weight", w1);
  }
  tensor_desc operator()(const tensor_desc& x) const { return at::mm(at::mm(x, w1), w0); }
};

bool same_metadata(const tensor_desc& a, const tensor_desc& b) {
  return a.sizes() == b.sizes() && a.strides() == b.strides() && a.storage_offset() == b.storage_offset() && a.dtype() == b.dtype() &&
         a.device() == b.device();
}
}  // namespace

TEST_CASE("make_graph records each dispatched op as a node with make_fx's names and argument form") {
  tracing_mode m;
  const tensor_desc x = fake::empty({4, 8});
  const tensor_desc w = fake::empty({16, 8});
  const graph g = make_graph(m, [](const tensor_desc& a, const tensor_desc& b) { return at::gelu(at::linear(a, b), "tanh"); }, x, w);
  g.lint();
  // linear without bias on a 2-d input: t, then matmul's mm.
  CHECK(call_targets(g) == std::vector<std::string>{"aten::t", "aten::mm", "aten::gelu"});
  REQUIRE(g.nodes_of(node_op::placeholder).size() == 2);
  CHECK(g[0].name == "arg0_1");
  CHECK(g[1].name == "arg1_1");
  const node& gelu = g[*g.find("gelu")];
  // approximate is keyword-only and not its default: kept as a keyword.
  REQUIRE(gelu.kwargs.size() == 1);
  CHECK(gelu.kwargs[0].first == "approximate");
  CHECK(gelu.val.tensor().sizes() == dim_vector{4, 16});
  const std::string code = to_code(g);
  CHECK_THAT(code, Catch::Contains("gelu = torch.ops.aten.gelu.default(mm, approximate = 'tanh')  # f32[4, 16] cpu"));
  CHECK_THAT(code, Catch::Contains("t = torch.ops.aten.t.default(arg1_1)  # f32[8, 16]{1, 8} cpu"));
  CHECK_THAT(code, Catch::Contains("return (gelu,)"));
}

TEST_CASE("arguments equal to their defaults are dropped, trailing positional and keyword ones alike") {
  tracing_mode m;
  const graph g = make_graph(
      m, [](const tensor_desc& a) { return std::vector<tensor_desc>{at::sum(a, {1}), at::split(a, 2)[0], at::add(a, 2.5)}; },
      fake::empty({4, 4}));
  const std::string code = to_code(g);
  CHECK_THAT(code, Catch::Contains("sum_1 = torch.ops.aten.sum.dim_IntList(arg0_1, [1])"));  // keepdim=False dropped; "sum" is a builtin
  CHECK_THAT(code, Catch::Contains("split = torch.ops.aten.split.Tensor(arg0_1, 2)"));      // dim=0 dropped
  CHECK_THAT(code, Catch::Contains("add = torch.ops.aten.add.Tensor(arg0_1, 2.5)"));        // the wrapped number's value
  CHECK_THAT(code, Catch::Contains("getitem = split[0]"));
  CHECK_THAT(code, Catch::Contains("getitem_1 = split[1]"));
}

TEST_CASE("in-place ops re-point their tensor to the new node unless the tracer is told not to") {
  const auto fn = [](const tensor_desc& a) {
    const tensor_desc b = at::relu(a);
    at::relu_(b);
    return at::neg(b);
  };
  tracing_mode m;
  const graph g = make_graph(m, fn, fake::empty({3}));
  const node& neg = g[*g.find("neg")];
  CHECK(g[neg.args[0].node()].name == "relu_");

  tracing_mode keep;
  keep.recorder().configure({.repoint_inplace = false});
  const graph h = make_graph(keep, fn, fake::empty({3}));
  CHECK(h[h[*h.find("neg")].args[0].node()].name == "relu");
}

TEST_CASE("parameters become get_attr nodes where first used, and unknown tensors become _tensor_constant") {
  tracing_mode m;
  const graph g = make_graph(m, tiny_model{}, fake::empty({2, 3}));
  g.lint();
  const auto attrs = g.nodes_of(node_op::get_attr);
  REQUIRE(attrs.size() == 2);
  CHECK(g[attrs[0]].attr == "fc.weight");
  CHECK(g[attrs[0]].name == "fc_weight");
  CHECK(g[attrs[1]].attr == "_tensor_constant0");
  CHECK(g[attrs[0]].users.size() == 1);
}

TEST_CASE("parameters first used out of their declaration order get the right get_attr, trace after trace") {
  tracing_mode m;
  const two_layers model;
  for (int trace = 0; trace < 2; ++trace) {  // the tracer's tables are reused by the second trace
    const graph g = make_graph(m, model, fake::empty({2, 4}));
    g.lint();
    const std::vector<node_id> attrs = g.nodes_of(node_op::get_attr);
    REQUIRE(attrs.size() == 2);
    CHECK(g[attrs[0]].attr == "layers.1.weight");
    CHECK(g[attrs[0]].name == "layers_1_weight");
    CHECK(g[attrs[0]].val.tensor().id() == model.w1.id());
    CHECK(g[attrs[1]].attr == "layers.0.weight");
    CHECK(g[attrs[1]].val.tensor().id() == model.w0.id());
    CHECK(call_targets(g) == std::vector<std::string>{"aten::mm", "aten::mm"});
    CHECK(g[*g.find("mm_1")].args.at(1).node() == attrs[1]);
  }
}

TEST_CASE("lint rejects a broken graph, naming the node") {
  graph g;
  const node_id x = g.placeholder("x", node_value::of(fake::empty({2})));
  const op_overload& neg = op_registry::global().get("aten::neg");
  g.call(neg, {node_arg::ref(x)}, {}, node_value::of(fake::empty({2})));
  CHECK_THROWS_WITH(g.lint(), Catch::Contains("no output node"));
  g.output({node_arg::ref(1)});
  g.lint();
  g[1].users.clear();  // a users list that disagrees with the uses
  CHECK_THROWS_AS(g.lint(), graph_lint_error);
  CHECK_THROWS_WITH(g.lint(), Catch::Contains("'neg'"));
}

TEST_CASE("node names are FX's: identifiers, numeric suffixes split off, builtins avoided, never reused") {
  // Each expected name was printed by PyTorch 1.13's torch.fx.graph._Namespace().create_name(candidate, None)
  // on the same candidates in the same order.
  const std::vector<std::pair<std::string, std::string>> fx = {
      {"add", "add"},       {"add", "add_1"},     {"add_1", "add_2"},   {"add", "add_3"},       {"sum", "sum_1"},
      {"sum", "sum_2"},     {"arg0_1", "arg0_1"}, {"arg0_1", "arg0_2"}, {"h.0.attn", "h_0_attn"}, {"0x", "_0x"},
      {"x_01", "x_1"},      {"x_1", "x_2"},       {"x_0", "x_0"},       {"x_0", "x_3"},         {"x", "x"},
      {"x", "x_4"},         {"x", "x_5"},         {"a..b", "a_b"},      {"_5", "_5"},           {"add_7", "add_7"},
      {"add", "add_4"},     {"add", "add_5"},     {"add", "add_6"},     {"add", "add_8"},       {"add", "add_9"},
      {"__name__", "__name___1"}, {"fx_pytree", "fx_pytree_1"}, {"device", "device_1"}, {"my_sum", "my_sum"}};
  graph g;
  for (const auto& [candidate, name] : fx) CHECK(g[g.placeholder(candidate, node_value::of(fake::empty({1})))].name == name);
  // An erased node's name stays used (FX's erase_node keeps it).
  const node_id y = g.placeholder("y", node_value::of(fake::empty({1})));
  g.erase(y);
  g.compact();
  CHECK(g[g.placeholder("y", node_value::of(fake::empty({1})))].name == "y_1");
  // A node as imported keeps its name, which is then taken.
  node n;
  n.op = node_op::placeholder;
  n.name = "z_3";
  n.val = node_value::of(fake::empty({1}));
  g.append_as_is(n);
  CHECK_THROWS_WITH(g.append_as_is(n), Catch::Contains("'z_3' is taken"));
  n.name = "z_03";  // not a name FX makes, but a name all the same
  g.append_as_is(n);
  CHECK_THROWS_WITH(g.append_as_is(n), Catch::Contains("'z_03' is taken"));
  for (const char* expected : {"z", "z_1", "z_2", "z_4"}) CHECK(g[g.placeholder("z", node_value::of(fake::empty({1})))].name == expected);
  // A candidate that views a node's own name, and a getitem of a node's own
  // tensor, while the node vector grows (ASan checks these in CI).
  graph h;
  h.placeholder("w", node_value::of(fake::empty({2, 3})));
  for (int i = 0; i < 40; ++i) h.placeholder(h[0].name, node_value::of(fake::empty({1})));
  CHECK(h[40].name == "w_40");
  for (int i = 0; i < 40; ++i) h.getitem(0, 0, h[0].val.tensor());
  CHECK(h[80].name == "getitem_39");
  CHECK(h[80].val.tensor().sizes() == dim_vector{2, 3});
}

TEST_CASE("JSON export and import round-trip: import then export is identical") {
  tracing_mode m;
  const graph g = make_graph(
      m,
      [](const tensor_desc& a, const tensor_desc& b) {
        const auto parts = at::split(at::matmul(a, b), 2, 1);
        return std::vector<tensor_desc>{at::masked_fill(parts[0], at::bitwise_not(at::ones({2}, dtype::bool_, device{})),
                                                        -std::numeric_limits<double>::infinity()),
                                        at::contiguous(at::t(parts[1]))};
      },
      fake::empty({3, 5}), fake::empty({5, 4}));
  const nlohmann::json j = to_json(g);
  const graph h = graph_from_json(j);
  h.lint();
  CHECK(to_json(h) == j);
  CHECK(to_code(h) == to_code(g));
  // Tensors that shared a storage share one again.
  const node& view_like = h[*h.find("getitem")];
  CHECK(view_like.val.tensor().storage() == h[*h.find("mm")].val.tensors.front().storage());
  CHECK_THROWS_WITH(graph_from_json(nlohmann::json{{"format", "other"}}), Catch::Contains("faketensor.graph/1"));
  nlohmann::json bad = j;
  bad["nodes"][2]["target"] = "aten::no_such_op";
  CHECK_THROWS_WITH(graph_from_json(bad), Catch::Contains("unknown operator 'aten::no_such_op'"));
}

TEST_CASE("the interpreter re-runs a graph on inputs of another batch size") {
  tracing_mode m;
  const tensor_desc w = fake::empty({16, 8});
  const tensor_desc b = fake::empty({16});
  const graph g = make_graph(
      m, [](const tensor_desc& x, const tensor_desc& w_, const tensor_desc& b_) { return at::relu(at::linear(x, w_, b_)); },
      fake::empty({4, 8}), w, b);
  const std::vector<tensor_desc> same = interpret(g, std::vector<tensor_desc>{fake::empty({4, 8}), w, b});
  CHECK(same_metadata(same.at(0), g[g[*g.output_node()].args[0].items()[0].node()].val.tensor()));
  const std::vector<tensor_desc> bigger = interpret(g, std::vector<tensor_desc>{fake::empty({32, 8}), w, b});
  CHECK(bigger.at(0).sizes() == dim_vector{32, 16});
  CHECK_THROWS_WITH(interpret(g, std::vector<tensor_desc>{fake::empty({32, 8})}), Catch::Contains("placeholders"));

  // Under a tracing mode the interpreter re-traces: the same ops again.
  tracing_mode again;
  const graph h = make_graph(again, [&](const tensor_desc& x) { return interpret(g, std::vector<tensor_desc>{x, w, b}); },
                             fake::empty({4, 8}));
  CHECK(call_targets(h) == call_targets(g));
}

TEST_CASE("a trace of a dynamic batch records expressions in it, and re-runs at other batches agree") {
  // with the dispatch cache too: calls on symbolic tensors are keyed on their expressions
  fake::mode<fake::memo::dispatch_cache<>, fake::trace::graph> m;
  fake::shape_env env;
  const tensor_desc w1 = fake::empty({1024, 784}), b1 = fake::empty({1024}), w2 = fake::empty({10, 1024}), b2 = fake::empty({10});
  const tensor_desc x = fake::make_symbolic(fake::empty({32, 784}), env, "x", {0});
  const graph g = make_graph(
      m, [&](const tensor_desc& in) { return at::linear(at::relu(at::linear(in, w1, b1)), w2, b2); }, x);
  // linear is t + addmm (Note [symbolic rules of kernels]), relu a TensorIterator op: all keep the batch symbol
  const tensor_desc& out = g[g[*g.output_node()].args[0].items()[0].node()].val.tensor();
  CHECK(fake::to_string(fake::sym_sizes(out)) == "[s0, 10]");
  std::size_t symbolic_nodes = 0;
  for (node_id i = 0; i < g.size(); ++i)
    if (g[i].val.type == node_value::kind::tensor && g[i].val.tensor().is_symbolic()) ++symbolic_nodes;
  CHECK(symbolic_nodes == 4);  // the placeholder, addmm, relu, addmm
  CHECK(m.cache_info().misses == 3);  // keyed on the expressions (Note [what the dispatch cache keeps])
  INFO(env.guards_string());
  CHECK(env.guards().empty());
  // FLOPs and bytes as polynomials in the batch: 2*784*1024 + 2*1024*10 per row for the two addmm
  const fake::sym_flop_report cost = fake::count_flops_symbolic(g);
  CHECK(fake::to_string(cost.total) == "1626112*s0");
  CHECK(count_flops(g).total == 1626112 * 32);  // the concrete count reads the hints
  for (const std::int64_t batch : {2, 7, 1000}) {
    const std::vector<std::int64_t> at{batch};
    REQUIRE(env.check_guards(at));
    const std::vector<tensor_desc> r = interpret(g, std::vector<tensor_desc>{fake::empty({batch, 784})});
    const fake::runtime_geometry want = fake::evaluate(fake::sym_geometry_of(out), at);
    CHECK(r.at(0).sizes() == want.sizes);
    CHECK(r.at(0).strides() == want.strides);
    // the polynomials at `batch` are the counts of a concrete trace at `batch`
    fake::mode<fake::trace::graph> again;
    const graph h = make_graph(
        again, [&](const tensor_desc& in) { return at::linear(at::relu(at::linear(in, w1, b1)), w2, b2); },
        fake::empty({batch, 784}));
    const flop_report concrete = count_flops(h);
    CHECK(env.evaluate(cost.total, at) == concrete.total);
    CHECK(env.evaluate(cost.total_bytes_read, at) == concrete.total_bytes_read);
    CHECK(env.evaluate(cost.total_bytes_written, at) == concrete.total_bytes_written);
  }
}

TEST_CASE("dead-code elimination drops unused pure nodes and keeps mutations") {
  tracing_mode m;
  graph g = make_graph(
      m,
      [](const tensor_desc& x) {
        (void)at::exp(x);        // unused: dead
        (void)at::relu_(at::neg(x));  // in-place: kept (and neg, which it uses)
        (void)at::split(x, 1);   // unused, with its getitems: dead
        return at::tanh(x);
      },
      fake::empty({2, 2}));
  CHECK(eliminate_dead_code(g));
  g.lint();
  CHECK(call_targets(g) == std::vector<std::string>{"aten::neg", "aten::relu_", "aten::tanh"});
  CHECK_FALSE(eliminate_dead_code(g));
}

TEST_CASE("replace_op points every call at another op, and the interpreter refreshes the values") {
  tracing_mode m;
  graph g = make_graph(m, [](const tensor_desc& x) { return at::exp(at::gelu(x)); }, fake::empty({3}));
  CHECK(replace_op(g, "aten::gelu", "aten::relu") == 1);
  CHECK(call_targets(g) == std::vector<std::string>{"aten::relu", "aten::exp"});
  // gelu's keyword `approximate` would not fit relu: refused, naming it.
  graph h = make_graph(m, [](const tensor_desc& x) { return at::gelu(x, "tanh"); }, fake::empty({3}));
  CHECK_THROWS_WITH(replace_op(h, "aten::gelu", "aten::relu"), Catch::Contains("no argument 'approximate'"));
  tracing_mode again;
  const graph r = make_graph(again, [&](const tensor_desc& x) { return interpret(g, std::vector<tensor_desc>{x}); }, fake::empty({3}));
  CHECK(call_targets(r) == std::vector<std::string>{"aten::relu", "aten::exp"});
}

TEST_CASE("a decomposition table applies while tracing, and re-traces an existing graph") {
  decomposition_table table;
  table.add("aten::silu", [](const op_overload&, stack& s) {
    const tensor_desc& x = s[0].to_tensor();
    s = {ivalue(at::mul(x, at::detail::call1<"aten::sigmoid">(x)))};
  });
  const auto fn = [](const tensor_desc& x) { return at::silu(at::neg(x)); };
  tracing_mode m;
  const graph plain = make_graph(m, fn, fake::empty({4}));
  CHECK(call_targets(plain) == std::vector<std::string>{"aten::neg", "aten::silu"});
  graph decomposed;
  {
    decompose on(table);
    decomposed = make_graph(m, fn, fake::empty({4}));
  }
  CHECK(call_targets(decomposed) == std::vector<std::string>{"aten::neg", "aten::sigmoid", "aten::mul.Tensor"});
  // DecompositionInterpreter: re-trace `plain` through the table.
  decompose on(table);
  const graph again =
      make_graph(m, [&](const tensor_desc& x) { return interpret(plain, std::vector<tensor_desc>{x}); }, fake::empty({4}));
  CHECK(call_targets(again) == call_targets(decomposed));
}

TEST_CASE("DOT export labels nodes with their values and has an edge per use") {
  tracing_mode m;
  const graph g = make_graph(m, [](const tensor_desc& x) { return at::add(x, x); }, fake::empty({2}));
  const std::string dot = to_dot(g, "g");
  CHECK_THAT(dot, Catch::StartsWith("digraph \"g\" {"));
  CHECK_THAT(dot, Catch::Contains("[label=\"{add|call_function aten.add.Tensor|f32[2] cpu}\"]"));
  CHECK_THAT(dot, Catch::Contains("n0 -> n1;"));
}

TEST_CASE("memory analysis counts storages, not views or in-place results, and rounds to 512-byte blocks") {
  tracing_mode m;
  const graph g = make_graph(
      m,
      [](const tensor_desc& x) {
        const tensor_desc a = at::exp(x);            // 400 bytes, new
        const tensor_desc v = at::view(a, {10, 10});  // a view: nothing new
        at::relu_(v);                                 // in place: nothing new
        return at::neg(v);                            // 400 bytes, new
      },
      fake::empty({100}));
  const memory_report r = analyze_memory(g);
  REQUIRE(r.devices.size() == 1);
  CHECK(r.devices[0].input_bytes == 400);
  CHECK(r.devices[0].peak_activation_bytes == 800);  // exp's result is still used by neg
  const memory_report rounded = analyze_memory(g, {.round_to_blocks = true});
  CHECK(rounded.devices[0].peak_activation_bytes == 1024);
  CHECK(rounded.devices[0].input_bytes == 512);
  const flop_report f = count_flops(g);
  CHECK(f.total == 0);
  CHECK(f.without_formula.at("aten::exp") == 1);
  CHECK_FALSE(f.without_formula.contains("aten::view"));  // a view needs no formula
  CHECK(f.bytes_written[*g.find("exp")] == 400);
}

TEST_CASE("cond traces both branches into subgraphs, and map traces its body once") {
  tracing_mode m;
  const auto fn = [](const tensor_desc& p, const tensor_desc& x) {
    const stack out = hops::cond()({p, boxed_callable([](const stack& s) { return stack{at::mm(s[0].to_tensor(), s[0].to_tensor())}; }),
                                    boxed_callable([](const stack& s) { return stack{at::neg(s[0].to_tensor())}; }),
                                    std::vector<tensor_desc>{x}});
    const stack mapped = hops::map()(
        {boxed_callable([](const stack& s) { return stack{at::sin(s[0].to_tensor())}; }), std::vector<tensor_desc>{x}, std::vector<tensor_desc>{}});
    return std::vector<tensor_desc>{out[0].to_tensor(), mapped[0].to_tensor()};
  };
  const graph g = make_graph(m, fn, fake::empty({}, dtype::bool_), fake::empty({4, 4}));
  g.lint();
  REQUIRE(g.subgraphs().size() == 3);
  CHECK(g.subgraphs()[0].first == "true_graph_0");
  CHECK(g.subgraphs()[1].first == "false_graph_0");
  CHECK(g.subgraphs()[2].first == "body_graph_0");
  CHECK(call_targets(*g.find_subgraph("true_graph_0")) == std::vector<std::string>{"aten::mm"});
  CHECK(call_targets(*g.find_subgraph("body_graph_0")) == std::vector<std::string>{"aten::sin"});
  const node& cond = g[*g.find("cond")];
  CHECK(cond.target_name() == "higher_order.cond");
  CHECK(g[*g.find("getitem")].val.tensor().sizes() == dim_vector{4, 4});
  CHECK(g[*g.find("getitem_1")].val.tensor().sizes() == dim_vector{4, 4});  // map's result: [n, ...]
  const std::string code = to_code(g);
  CHECK_THAT(code, Catch::Contains("cond = torch.ops.higher_order.cond(arg0_1, true_graph_0, false_graph_0, [arg1_1])"));
  CHECK_THAT(code, Catch::Contains("def true_graph_0(self, arg0_1: \"f32[4, 4]\"):"));
  // The FLOPs of cond are its costlier branch's; map's its body's times the slices.
  CHECK(count_flops(g).total == 2 * 4 * 4 * 4);
  // JSON keeps the subgraphs; the interpreter re-traces them.
  const nlohmann::json j = to_json(g);
  CHECK(to_json(graph_from_json(j)) == j);
  tracing_mode again;
  const graph h = make_graph(
      again, [&](const tensor_desc& p, const tensor_desc& x) { return interpret(g, std::vector<tensor_desc>{p, x}); },
      fake::empty({}, dtype::bool_), fake::empty({4, 4}));
  CHECK(call_targets(h) == call_targets(g));
  CHECK(h.subgraphs().size() == 3);
}

TEST_CASE("cond refuses branches whose outputs disagree and a predicate with several elements") {
  tracing_mode m;
  const boxed_callable same = [](const stack& s) { return stack{at::neg(s[0].to_tensor())}; };
  const boxed_callable other = [](const stack& s) { return stack{at::sum(s[0].to_tensor(), {0})}; };
  CHECK_THROWS_WITH(make_graph(m, [&](const tensor_desc& p, const tensor_desc& x) {
                      return hops::cond()({p, same, other, std::vector<tensor_desc>{x}})[0].to_tensor();
                    }, fake::empty({}, dtype::bool_), fake::empty({4, 4})),
                    Catch::Contains("output 0 of true_fn") && Catch::Contains("the branches must agree"));
  CHECK_THROWS_WITH(make_graph(m, [&](const tensor_desc& p, const tensor_desc& x) {
                      return hops::cond()({p, same, same, std::vector<tensor_desc>{x}})[0].to_tensor();
                    }, fake::empty({2}, dtype::bool_), fake::empty({4, 4})),
                    Catch::Contains("single-element tensor"));
}

TEST_CASE("the core ATen table takes traced graphs to core ops") {
  tracing_mode m;
  const auto fn = [](const tensor_desc& x, const tensor_desc& w) { return at::silu(at::linear(x, w)); };
  graph g;
  {
    decompose on(core_aten_decompositions());
    g = make_graph(m, fn, fake::empty({2, 3, 4}), fake::empty({5, 4}));
  }
  g.lint();
  const std::vector<std::string> ops = call_targets(g);
  for (const char* gone : {"aten::t", "aten::_unsafe_view", "aten::_reshape_alias", "aten::silu"})
    CHECK(std::find(ops.begin(), ops.end(), gone) == ops.end());
  CHECK(std::find(ops.begin(), ops.end(), "aten::permute") != ops.end());
  CHECK(std::find(ops.begin(), ops.end(), "aten::sigmoid") != ops.end());
  // Same output metadata as without the table.
  tracing_mode plain;
  const graph p = make_graph(plain, fn, fake::empty({2, 3, 4}), fake::empty({5, 4}));
  const auto out_of = [](const graph& x) { return x[x[*x.output_node()].args[0].items()[0].node()].val.tensor(); };
  CHECK(same_metadata(out_of(g), out_of(p)));
}

namespace {
// A result struct, as a model's forward may return.
struct two_outputs {
  BOOST_HANA_DEFINE_STRUCT(two_outputs, (tensor_desc, logits), (tensor_desc, hidden));
};
}  // namespace

TEST_CASE("make_graph takes typed inputs and returns the tensors of a Hana struct in member order") {
  tracing_mode m;
  constexpr tensor<f32, shape<2, 3>> x{};
  const graph g = make_graph(m, [](const tensor_desc& a) { return two_outputs{at::neg(a), at::exp(a)}; }, x);
  g.lint();
  CHECK(g[0].val.tensor().sizes() == dim_vector{2, 3});
  const auto& outs = g[*g.output_node()].args[0].items();
  REQUIRE(outs.size() == 2);
  CHECK(g[outs[0].node()].name == "neg");
  CHECK(g[outs[1].node()].name == "exp");
}

TEST_CASE("lift_fresh is recorded as lift_fresh_copy") {
  tracing_mode m;
  const graph g = make_graph(
      m, [](const tensor_desc& a) { return at::add(a, at::detail::call1<"aten::lift_fresh">(fake::empty({3}))); }, fake::empty({3}));
  CHECK(call_targets(g) == std::vector<std::string>{"aten::lift_fresh_copy", "aten::add.Tensor"});
  // The copy's input is a tensor the trace did not make: a constant.
  CHECK(g[g[*g.find("lift_fresh_copy")].args[0].node()].attr == "_tensor_constant0");
}

namespace {
// An argument of tests/data/make_fx/composites.json as an ivalue.
ivalue composite_case_arg(const nlohmann::json& v, const std::vector<tensor_desc>& inputs) {
  if (v.is_null()) return {};
  if (v.is_boolean()) return ivalue(v.get<bool>());
  if (v.is_number_integer()) return ivalue(v.get<std::int64_t>());
  if (v.is_number_float()) return ivalue(v.get<double>());
  if (v.is_string()) return ivalue(v.get<std::string>());
  if (v.is_array()) return ivalue(testing::dims_of(v));
  if (v.contains("input")) return ivalue(inputs.at(v.at("input").get<std::size_t>()));
  if (v.contains("dtype")) return ivalue(testing::dtype_of(v.at("dtype")));
  if (v.contains("memory_format")) return ivalue(*parse_memory_format(v.at("memory_format").get<std::string>()));
  throw std::runtime_error("composites.json: an argument of unknown form: " + v.dump());
}

// Traces one case: the op called by name on placeholders made from the inputs.
template <std::size_t... I>
graph trace_composite_case(const nlohmann::json& c, const std::vector<tensor_desc>& inputs, std::index_sequence<I...>) {
  tracing_mode m;
  return make_graph(
      m,
      [&](const auto&... xs) {
        const std::vector<tensor_desc> placeholders{xs...};
        stack args;
        for (const auto& a : c.at("args")) args.push_back(composite_case_arg(a, placeholders));
        std::vector<std::pair<std::string, ivalue>> kwargs;
        for (const auto& [k, v] : c.at("kwargs").items()) kwargs.emplace_back(k, composite_case_arg(v, placeholders));
        stack out = fake::call(c.at("op").get<std::string>(), std::move(args), kwargs);
        return out.front().to_tensor();
      },
      inputs[I]...);
}
}  // namespace

TEST_CASE("composite ops decompose as make_fx records them (PyTorch 1.13)") {
  const nlohmann::json ref = testing::load_json("make_fx/composites.json");
  for (const auto& c : ref.at("cases")) {
    INFO("case " << c.at("name").get<std::string>());
    std::vector<tensor_desc> inputs;
    for (const auto& in : c.at("inputs"))
      inputs.push_back(fake::empty_strided(testing::dims_of(in.at("sizes")), testing::dims_of(in.at("strides")),
                                           testing::dtype_of(in.at("dtype"))));
    graph g;
    switch (inputs.size()) {
      case 1: g = trace_composite_case(c, inputs, std::make_index_sequence<1>{}); break;
      case 2: g = trace_composite_case(c, inputs, std::make_index_sequence<2>{}); break;
      case 3: g = trace_composite_case(c, inputs, std::make_index_sequence<3>{}); break;
      case 5: g = trace_composite_case(c, inputs, std::make_index_sequence<5>{}); break;
      default: FAIL("composites.json: a case with " << inputs.size() << " inputs");
    }
    g.lint();
    testing::check_against_make_fx(g, c.at("nodes"));
  }
}

// make_fx of `c = torch.tensor(3); n = (c + 1).item(); return x * n` under
// PyTorch 1.13 (tracing_mode="fake") prints:
//   _tensor_constant0 = self._tensor_constant0
//   lift_fresh_copy = torch.ops.aten.lift_fresh_copy.default(_tensor_constant0)
//   add = torch.ops.aten.add.Tensor(lift_fresh_copy, 1)
//   mul = torch.ops.aten.mul.Tensor(x_1, 4)
// The item() of a constant is its value and leaves no node (Note [constant propagation]).
TEST_CASE("constants in a trace: torch.tensor(3) is lifted, item() of a constant is its value") {
  std::int64_t three = 3;
  DLTensor c{};
  c.data = &three;
  c.device = {kDLCPU, 0};
  c.ndim = 0;
  c.dtype = {kDLInt, 64, 1};
  tracing_mode m;
  const graph g = make_graph(
      m,
      [&c](const tensor_desc& x) {
        const tensor_desc lifted = fake::call("aten::lift_fresh", {fake::real(c)})[0].to_tensor();
        const ivalue n = fake::call("aten::item", {at::add(lifted, at::wrapped_number(std::int64_t{1}))})[0];
        REQUIRE(n.is_int());
        return at::mul(x, at::wrapped_number(n.to_int()));
      },
      fake::empty({2}));
  g.lint();
  CHECK(call_targets(g) == std::vector<std::string>{"aten::lift_fresh_copy", "aten::add.Tensor", "aten::mul.Tensor"});
  const std::string code = to_code(g);
  CHECK_THAT(code, Catch::Contains("lift_fresh_copy = torch.ops.aten.lift_fresh_copy.default(_tensor_constant0)"));
  CHECK_THAT(code, Catch::Contains("add = torch.ops.aten.add.Tensor(lift_fresh_copy, 1)"));
  CHECK_THAT(code, Catch::Contains("mul = torch.ops.aten.mul.Tensor(arg0_1, 4)"));
}
