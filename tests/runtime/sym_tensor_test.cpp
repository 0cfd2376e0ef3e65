// Tensors with symbolic geometry (meta/sym_tensor.hpp): the symbols a dynamic
// input gets, views that keep them, views with symbolic sizes, and the
// cross-reference view cases run on symbolic inputs and re-checked at other sizes.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "faketensor/meta/sym_tensor.hpp"
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

// The cross-reference cases of the view ops, on symbolic inputs through the
// tensor-level ops: the result's expressions give the expected metadata at the
// hints (checked when the result is made), and wherever the recorded guards
// allow other sizes, they give what the op computes on a concrete tensor of
// those sizes.
namespace {
std::int64_t i64(const json& a) { return a.at("i").get<std::int64_t>(); }
std::optional<std::int64_t> opt_i64(const json& a) {
  if (a.contains("none")) return std::nullopt;
  return i64(a);
}
const json& arg(const std::vector<json>& args, std::size_t i, const json& fallback) { return i < args.size() ? args[i] : fallback; }
dim_vector ints(const json& a) { return fake::testing::dims_of(a.at("ints")); }

using tensor_view = std::function<tensor_desc(const tensor_desc&, const std::vector<json>&)>;
const std::map<std::string, tensor_view>& tensor_views() {
  static const json zero = {{"i", 0}}, one = {{"i", 1}}, none = {{"none", true}};
  static const std::map<std::string, tensor_view> ops = {
      {"aten::transpose.int", [](const tensor_desc& x, const auto& a) { return fake::transpose(x, i64(a[1]), i64(a[2])); }},
      {"aten::t", [](const tensor_desc& x, const auto&) { return fake::t(x); }},
      {"aten::select.int", [](const tensor_desc& x, const auto& a) { return fake::select(x, i64(a[1]), i64(a[2])); }},
      {"aten::slice.Tensor",
       [](const tensor_desc& x, const auto& a) {
         return fake::slice(x, i64(arg(a, 1, zero)), opt_i64(arg(a, 2, none)), opt_i64(arg(a, 3, none)), i64(arg(a, 4, one)));
       }},
      {"aten::narrow", [](const tensor_desc& x, const auto& a) { return fake::narrow(x, i64(a[1]), i64(a[2]), i64(a[3])); }},
      {"aten::unsqueeze", [](const tensor_desc& x, const auto& a) { return fake::unsqueeze(x, i64(a[1])); }},
      {"aten::squeeze", [](const tensor_desc& x, const auto&) { return fake::squeeze(x); }},
      {"aten::squeeze.dim", [](const tensor_desc& x, const auto& a) { return fake::squeeze(x, i64(a[1])); }},
      {"aten::permute", [](const tensor_desc& x, const auto& a) { return fake::permute(x, ints(a[1])); }},
      {"aten::movedim.int",
       [](const tensor_desc& x, const auto& a) { return fake::movedim(x, dim_vector{i64(a[1])}, dim_vector{i64(a[2])}); }},
      {"aten::expand", [](const tensor_desc& x, const auto& a) { return fake::expand(x, ints(a[1])); }},
      {"aten::view", [](const tensor_desc& x, const auto& a) { return fake::view(x, ints(a[1])); }},
      {"aten::diagonal",
       [](const tensor_desc& x, const auto& a) {
         return fake::diagonal(x, i64(arg(a, 1, zero)), i64(arg(a, 2, zero)), i64(arg(a, 3, one)));
       }},
      {"aten::unfold", [](const tensor_desc& x, const auto& a) { return fake::unfold(x, i64(a[1]), i64(a[2]), i64(a[3])); }},
  };
  return ops;
}
}  // namespace

TEST_CASE("cross-reference view cases run on symbolic tensors and re-run at other sizes", "[sym][xref]") {
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  std::string line;
  int ran = 0, errors = 0, resubstituted = 0;
  while (std::getline(in, line)) {
    const json c = json::parse(line);
    const auto it = tensor_views().find(c.at("op").get<std::string>());
    if (it == tensor_views().end()) continue;
    const std::vector<json> args = c.at("args").get<std::vector<json>>();
    if (args.empty() || !args[0].contains("t")) continue;
    const json& in_t = args[0].at("t");
    if (in_t.contains("dtype") && fake::is_complex(fake::testing::dtype_of(in_t.at("dtype")))) continue;
    INFO(c.at("id").get<std::string>() << ": " << line);
    const json& expect = c.at("expect");
    ++ran;
    const fake::runtime_geometry g{fake::testing::dims_of(in_t.at("size")), fake::testing::dims_of(in_t.at("stride")),
                                   in_t.at("offset").get<std::int64_t>()};
    fake::shape_env env;
    const tensor_desc x = fake::make_symbolic(tensor_of(g), env, "x");
    if (expect.contains("error")) {
      CHECK_THROWS_AS(it->second(x, args), fake::error);
      ++errors;
      continue;
    }
    const tensor_desc y = it->second(x, args);
    REQUIRE(y.is_symbolic());
    CHECK(y.sizes() == fake::testing::dims_of(expect.at("out")[0].at("size")));
    CHECK(y.strides() == fake::testing::dims_of(expect.at("out")[0].at("stride")));
    CHECK(y.storage_offset() == expect.at("out")[0].at("offset").get<std::int64_t>());
    const std::vector<std::int64_t> hints = env.hints();
    CHECK(env.check_guards(hints));
    const fake::sym_geometry in_sym = fake::sym_geometry_of(x), out_sym = fake::sym_geometry_of(y);
    for (const std::int64_t bump : {1, 3, 17, 1000}) {
      std::vector<std::int64_t> other = hints;
      for (std::int64_t& v : other) v += bump;
      if (!env.check_guards(other)) continue;
      ++resubstituted;
      const tensor_desc concrete = it->second(tensor_of(evaluate(in_sym, other)), args);
      const fake::runtime_geometry want = evaluate(out_sym, other);
      CHECK(concrete.sizes() == want.sizes);
      CHECK(concrete.strides() == want.strides);
      CHECK(concrete.storage_offset() == want.offset);
    }
  }
  CHECK(ran >= 30);  // the corpus's 31 cases of these ops
  CHECK(errors >= 6);
  CHECK(resubstituted >= 60);
}
