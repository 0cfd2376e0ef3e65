// Tensors with symbolic geometry (meta/sym_tensor.hpp): the symbols a dynamic
// input gets, views that keep them, views with symbolic sizes, and the
// cross-reference view cases run on symbolic inputs and re-checked at other sizes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../../tools/xref_runner.hpp"
#include "faketensor/dispatch/operator.hpp"
#include "faketensor/meta/sym_tensor.hpp"
#include "sym_support.hpp"
#include "test_support.hpp"

using fake::dim_vector;
using fake::sym_dims;
using fake::sym_int;
using fake::tensor_desc;
using json = nlohmann::json;

namespace {

std::string str(const sym_dims& d) { return fake::to_string(d); }

// A concrete tensor of geometry g on a storage just large enough.
tensor_desc tensor_of(const fake::runtime_geometry& g, fake::dtype dt = fake::dtype::float32) {
  const std::int64_t nbytes = fake::storage_nbytes(g.sizes, g.strides, fake::itemsize(dt), g.offset);
  return tensor_desc(g.sizes, g.strides, g.offset, dt, fake::storage(nbytes, fake::device{}));
}

}  // namespace

TEST_CASE("make_symbolic gives a dynamic input PyTorch's symbols", "[sym]") {
  fake::shape_env env;
  const tensor_desc x = fake::make_symbolic(fake::empty({8, 128, 768}), env, "x");
  CHECK(x.is_symbolic());
  CHECK(x.sizes() == dim_vector{8, 128, 768});  // the concrete geometry is the hints
  CHECK(str(fake::sym_sizes(x)) == "[s0, s1, s2]");
  CHECK(str(fake::sym_strides(x)) == "[s1*s2, s2, 1]");
  CHECK(fake::sym_storage_offset(x).is_constant());
  CHECK(fake::to_string(fake::sym_numel(x)) == "s0*s1*s2");
  CHECK(env.guards().empty());

  // a transposed input: its strides follow from its sizes in stride order
  const tensor_desc t = fake::make_symbolic(fake::transpose(fake::empty({16, 8}), 0, 1), env, "t");
  CHECK(str(fake::sym_sizes(t)) == "[s0, s3]");  // 8 is duck-shaped with x's s0
  CHECK(str(fake::sym_strides(t)) == "[1, s0]");
  CHECK_FALSE(t.is_view());  // a new input, not a view of the tensor it was made from

  // padded rows: a stride the sizes do not explain gets a symbol of its own;
  // a broadcast stride stays 0, and size 1 specializes
  fake::shape_env env2;
  const tensor_desc p = fake::make_symbolic(tensor_of({{4, 5, 1}, {0, 7, 1}, 3}), env2, "p");
  CHECK(str(fake::sym_sizes(p)) == "[s0, s1, 1]");
  CHECK(str(fake::sym_strides(p)) == "[0, s2, 1]");
  CHECK(fake::to_string(fake::sym_storage_offset(p)) == "s3");
  CHECK(env2.backed_symbols().at(2).source == "p.stride(1)");
  CHECK(env2.backed_symbols().at(3).source == "p.storage_offset()");

  CHECK_THROWS_AS(fake::make_symbolic(x, env, "again"), fake::value_error);
  // a concrete tensor answers with constants
  CHECK(str(fake::sym_sizes(fake::empty({2, 3}))) == "[2, 3]");
}

TEST_CASE("views of a symbolic tensor are symbolic, without guards where PyTorch records none", "[sym]") {
  fake::shape_env env;
  const tensor_desc x = fake::make_symbolic(fake::empty({8, 128, 768}), env, "x");
  const tensor_desc y = fake::transpose(x, 0, 1);
  CHECK(str(fake::sym_sizes(y)) == "[s1, s0, s2]");
  CHECK(str(fake::sym_strides(y)) == "[s2, s1*s2, 1]");
  CHECK(str(fake::sym_sizes(fake::permute(x, {2, 0, 1}))) == "[s2, s0, s1]");
  CHECK(str(fake::sym_sizes(fake::unsqueeze(x, 1))) == "[s0, 1, s1, s2]");
  CHECK(str(fake::sym_strides(fake::unsqueeze(x, 1))) == "[s1*s2, s1*s2, s2, 1]");
  CHECK(str(fake::sym_sizes(fake::detach(x))) == "[s0, s1, s2]");
  CHECK(str(fake::sym_sizes(fake::alias(y))) == "[s1, s0, s2]");
  CHECK(fake::transpose(y, 1, 2).base().id() == x.id());
  CHECK(fake::transpose(y, 1, 2).base().is_symbolic());
  CHECK(env.guards().empty());

  // select(0, 3) needs 3 < s0, which s0's range [2, inf] cannot decide: one guard
  const tensor_desc s = fake::select(x, 0, 3);
  CHECK(str(fake::sym_sizes(s)) == "[s1, s2]");
  CHECK(fake::to_string(fake::sym_storage_offset(s)) == "3*s1*s2");
  REQUIRE(env.guards().size() == 1);
  CHECK_FALSE(env.check_guards({3, 128, 768}));
  CHECK(env.check_guards({4, 128, 768}));
}

TEST_CASE("views with symbolic sizes stay symbolic; concrete sizes specialize with guards", "[sym]") {
  fake::shape_env env;
  const tensor_desc x = fake::make_symbolic(fake::empty({8, 128, 768}), env, "x");
  const sym_int b = fake::sym_size(x, 0), t = fake::sym_size(x, 1), c = fake::sym_size(x, 2);
  const tensor_desc flat = fake::view(x, sym_dims{b * t, c});
  CHECK(flat.sizes() == dim_vector{1024, 768});
  CHECK(flat.is_view());
  CHECK(str(fake::sym_sizes(flat)) == "[s0*s1, s2]");
  CHECK(str(fake::sym_strides(flat)) == "[s2, 1]");
  const tensor_desc heads = fake::view(x, sym_dims{b, t, 12, sym_int(-1)});  // -1 infers s2//12
  CHECK(str(fake::sym_sizes(heads)) == "[s0, s1, 12, (s2//12)]");
  CHECK(str(fake::sym_sizes(fake::expand(fake::unsqueeze(x, 0), sym_dims{4, b, t, c}))) == "[4, s0, s1, s2]");
  CHECK(env.guards().empty() == false);  // s2 % 12 == 0 cannot be decided by ranges
  const std::size_t guards_before = env.guards().size();

  // reshape of a transposed tensor cannot view: a contiguous copy, not a view
  const tensor_desc r = fake::reshape(fake::transpose(x, 0, 1), sym_dims{t, b * c});
  CHECK_FALSE(r.is_view());
  CHECK(str(fake::sym_sizes(r)) == "[s1, s0*s2]");
  CHECK(str(fake::sym_strides(r)) == "[s0*s2, 1]");
  CHECK(env.guards().size() == guards_before);

  // a view given concrete sizes is computed on the expressions too: the
  // comparisons it makes become guards, so other sizes fail the check
  const tensor_desc fixed = fake::view(x, dim_vector{1024, 768});
  CHECK(str(fake::sym_sizes(fixed)) == "[1024, 768]");
  CHECK(env.guards().size() > guards_before);
  CHECK(env.check_guards(env.hints()));
  CHECK_FALSE(env.check_guards({16, 128, 768}));
}

TEST_CASE("a contiguous copy and empty of symbolic sizes have symbolic strides", "[sym]") {
  fake::shape_env env;
  const tensor_desc x = fake::make_symbolic(fake::empty({6, 10, 3, 5}), env, "x");
  const tensor_desc copy = fake::contiguous_copy(fake::permute(x, {3, 1, 0, 2}));
  CHECK(str(fake::sym_strides(copy)) == "[s0*s1*s2, s0*s2, s2, 1]");
  const tensor_desc cl = fake::empty(fake::sym_sizes(x), fake::dtype::float16, fake::device{}, fake::memory_format::channels_last);
  CHECK(cl.strides() == dim_vector{150, 1, 50, 10});
  CHECK(str(fake::sym_strides(cl)) == "[s1*s2*s3, 1, s1*s3, s1]");
  CHECK(fake::is_contiguous(cl.sizes(), cl.strides(), fake::memory_format::channels_last));
}

// Every cross-reference case through the dispatcher, with each tensor
// argument made symbolic: the concrete results must be PyTorch's still (the
// expressions ride beside them and change nothing), and every result that
// comes back symbolic (views, TensorIterator ops so far) must give, at other
// sizes the guards allow, what the op computes on concrete inputs of those sizes.
TEST_CASE("cross-reference cases through the dispatcher on symbolic inputs", "[sym][xref]") {
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  std::string line;
  int ran = 0, symbolic_results = 0, resubstituted = 0;
  std::set<std::string> symbolic_ops;
  while (std::getline(in, line)) {
    const json c = json::parse(line);
    fake::shape_env env;
    fake::xref::case_options how;
    how.adapt_input = [&](const tensor_desc& t, std::size_t i) { return fake::make_symbolic(t, env, "arg" + std::to_string(i)); };
    const fake::xref::case_result r = fake::xref::run_case(c, fake::op_registry::global(), how);
    if (r.result == fake::xref::outcome::skipped) continue;
    INFO(r.id << ": " << r.detail << "\n" << line);
    ++ran;
    CHECK(r.result == fake::xref::outcome::passed);
    if (r.result != fake::xref::outcome::passed || r.outputs.empty()) continue;
    CHECK(env.check_guards(env.hints()));
    for (const tensor_desc& o : r.outputs) {
      if (!o.is_symbolic()) continue;
      ++symbolic_results;
      symbolic_ops.insert(c.at("op").get<std::string>());
    }
    fake::testing::at_other_sizes(env, [&](const std::vector<std::int64_t>& other) {
      fake::stack args = r.inputs;  // the symbolic inputs at the other sizes, as concrete tensors
      for (fake::ivalue& a : args)
        if (a.is_tensor() && a.to_tensor().is_symbolic()) {
          const tensor_desc& t = a.to_tensor();
          a = tensor_of(evaluate(fake::sym_geometry_of(t), other), t.dtype());
        }
      std::vector<tensor_desc> concrete;
      for (const fake::ivalue& v : (*r.op)(args)) v.for_each_tensor([&](const tensor_desc& t) { concrete.push_back(t); });
      REQUIRE(concrete.size() == r.outputs.size());
      for (std::size_t k = 0; k < concrete.size(); ++k) {
        if (!r.outputs[k].is_symbolic()) continue;
        ++resubstituted;
        const fake::runtime_geometry want = evaluate(fake::sym_geometry_of(r.outputs[k]), other);
        CHECK(concrete[k].sizes() == want.sizes);
        CHECK(concrete[k].strides() == want.strides);
        CHECK(concrete[k].storage_offset() == want.offset);
      }
    });
  }
  CHECK(ran >= 300);  // the corpus's 316 cases, all run
  CHECK(symbolic_results >= 140);
  CHECK(resubstituted >= 250);
  CHECK(symbolic_ops.size() >= 60);
  // the ops whose results stay symbolic include views and TensorIterator ops
  CHECK(symbolic_ops.contains("aten::add.Tensor"));
  CHECK(symbolic_ops.contains("aten::where.self"));
  CHECK(symbolic_ops.contains("aten::view"));
  CHECK(symbolic_ops.contains("aten::expand"));
}

TEST_CASE("ops that do not compute expressions specialize their symbolic inputs", "[sym]") {
  fake::shape_env env;
  const tensor_desc a = fake::make_symbolic(fake::empty({8, 32}), env, "a");
  const tensor_desc b = fake::make_symbolic(fake::empty({32, 16}), env, "b");
  const fake::op_registry& ops = fake::op_registry::global();
  // a pointwise op keeps the expressions and records nothing
  const tensor_desc sum = ops.get("aten::add.Tensor")({a, a}).at(0).to_tensor();
  CHECK(str(fake::sym_sizes(sum)) == "[s0, s1]");
  CHECK(env.guards().empty());
  CHECK(env.check_guards({9, 33, 17}));
  // mm computes from the hints: its result is concrete and its inputs are guarded to them
  const tensor_desc prod = ops.get("aten::mm")({a, b}).at(0).to_tensor();
  CHECK_FALSE(prod.is_symbolic());
  CHECK(prod.sizes() == dim_vector{8, 16});
  CHECK(env.check_guards(env.hints()));
  CHECK_FALSE(env.check_guards({9, 32, 16}));
  // an in-place op writes self, whose expressions it did not recompute
  fake::shape_env env2;
  const tensor_desc x = fake::make_symbolic(fake::empty({4, 6}), env2, "x");
  const tensor_desc y = fake::make_symbolic(fake::empty({6}), env2, "y");
  (void)ops.get("aten::add_.Tensor")({x, y});
  CHECK_FALSE(env2.guards().empty());
  CHECK_FALSE(env2.check_guards({5, 6}));
}
