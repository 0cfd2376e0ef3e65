// Symbolic dims: the expression algebra, the shape environment's guards and
// ranges, unbacked symbols, the generic shape kernels run on sym_int, and the
// cross-reference cases of those kernels run with symbolic sizes; then tensors
// with symbolic geometry (meta/sym_tensor.hpp): the symbols a dynamic input
// gets, views that keep them, and the whole corpus through the dispatcher on
// symbolic inputs. (One translation unit: CI's build time is budgeted.)
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../../tools/xref_runner.hpp"
#include "faketensor/core/sym.hpp"
#include "faketensor/dispatch/operator.hpp"
#include "faketensor/dispatch/sym_ints.hpp"
#include "faketensor/mode/dispatch_cache.hpp"
#include "faketensor/mode/mode.hpp"
#include "faketensor/trace/make_graph.hpp"
#include "faketensor/trace/print.hpp"
#include "faketensor/meta/sym_tensor.hpp"
#include "faketensor/ops/data_dependent.hpp"
#include "faketensor/ops/factory.hpp"
#include "faketensor/ops/linalg.hpp"
#include "faketensor/ops/norm.hpp"
#include "faketensor/ops/tensor_iterator.hpp"
#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/strides.hpp"
#include "faketensor/shape/sym_dims.hpp"
#include "faketensor/view/geometry.hpp"
#include "test_support.hpp"

using fake::c;
using fake::sym_int;

namespace {

// Runs check(values) at sizes other than the hints (each symbol bumped alike)
// wherever every recorded guard holds there; returns how many it ran.
template <class Check>
int at_other_sizes(const fake::shape_env& env, Check check) {
  int ran = 0;
  for (const std::int64_t bump : {1, 3, 17, 1000}) {
    std::vector<std::int64_t> other = env.hints();
    for (std::int64_t& v : other) v += bump;
    if (!env.check_guards(other)) continue;
    ++ran;
    check(other);
  }
  return ran;
}


std::string str(const sym_int& e) { return fake::to_string(e); }
std::string str(const fake::sym_bool& b) { return fake::to_string(b); }

// Python's // and %, the reference for the algebra.
std::int64_t py_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
std::int64_t py_mod(std::int64_t a, std::int64_t b) { return a - py_div(a, b) * b; }

}  // namespace

TEST_CASE("sym_int: canonical forms make equal expressions one node", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8), s1 = env.create_symbol(1024);
  CHECK(str(s0) == "s0");
  CHECK(str(s1) == "s1");
  CHECK(((s0 + s1) - s1).same_as(s0));
  CHECK((s0 * 2 + s0).same_as(3 * s0));
  CHECK((s0 * s1).same_as(s1 * s0));
  CHECK(((s0 + 1) * (s0 - 1)).same_as(s0 * s0 - 1));
  CHECK(str((s0 + 1) * (s0 - 1)) == "s0**2 - 1");
  CHECK(str(s0 * s1 + 2 * s0 + 3) == "2*s0 + s0*s1 + 3");
  CHECK(str(768 * s0 - s1) == "768*s0 - s1");
  // like terms cancel down to a constant: no node at all
  const sym_int zero = (s0 + s1) - (s1 + s0);
  CHECK(zero.is_constant());
  CHECK(zero.constant() == 0);
  // constants fold without an environment
  CHECK((sym_int(3) + 4).constant() == 7);
  CHECK_THROWS_AS(sym_int(std::int64_t{1} << 62) * 4, fake::shape_error);
}

TEST_CASE("sym_int: floordiv, mod and ceil_div simplify what shape code needs", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8), s1 = env.create_symbol(6);
  CHECK(fake::floor_div(2 * s0, c<2>{}).same_as(s0));
  CHECK(fake::floor_div(s0 * s1, s1).same_as(s0));
  CHECK(fake::floor_div(2 * s0 + 1, c<2>{}).same_as(s0));  // the remainder 1 // 2 is 0
  CHECK(fake::floor_div(fake::floor_div(s0, c<2>{}), c<3>{}).same_as(fake::floor_div(s0, c<6>{})));
  CHECK(str(fake::floor_div(s0, c<2>{})) == "(s0//2)");
  CHECK(str(fake::floor_div(s0 + 1, c<2>{})) == "((s0 + 1)//2)");
  CHECK(fake::sym_mod(2 * s0, 2).same_as(sym_int(0)));
  CHECK(fake::sym_mod(2 * s0 + 3, 2).same_as(sym_int(1)));
  CHECK(fake::sym_mod(s0 * s1 + s0, s0).same_as(sym_int(0)));
  CHECK(str(fake::sym_mod(s0, 4)) == "Mod(s0, 4)");
  CHECK(fake::ceil_div(2 * s0, c<2>{}).same_as(s0));
  // 1 // s1 is 0 on s1's range [2, inf]: the atom folds
  CHECK(fake::floor_div(s0 * s1 + 1, s1).same_as(s0));
  CHECK_THROWS_AS(fake::floor_div(s0, c<0>{}), fake::sym_expression_error);
}

TEST_CASE("sym_int: min and max are decided by ranges where they can be", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8), s1 = env.create_symbol(6);
  CHECK(fake::dim_max(s0, c<1>{}).same_as(s0));  // s0 >= 2
  CHECK(fake::dim_min(s0, c<1>{}).same_as(sym_int(1)));
  CHECK(fake::dim_max(s0, s0 + 3).same_as(s0 + 3));
  CHECK(str(fake::dim_max(s0, s1)) == "Max(s0, s1)");
  CHECK(fake::dim_max(s0, s1).same_as(fake::dim_max(s1, s0)));
  CHECK(env.guards().empty());
}

TEST_CASE("sym_int: the algebra agrees with integer arithmetic at random points", "[sym]") {
  // Build random expressions through the operators, and the same computation on
  // int64 at the hints and at other values; simplification must never change a value.
  std::mt19937_64 rng(20261122);
  for (int round = 0; round < 200; ++round) {
    fake::shape_env env;
    const std::vector<std::int64_t> hints{2 + static_cast<std::int64_t>(rng() % 30), 2 + static_cast<std::int64_t>(rng() % 30),
                                          2 + static_cast<std::int64_t>(rng() % 30)};
    std::vector<sym_int> syms;
    for (const std::int64_t h : hints) syms.push_back(env.create_symbol(h, fake::sym_range{2, 1000}));
    struct value {
      sym_int e;
      std::int64_t v;
    };
    std::vector<value> pool;
    for (std::size_t i = 0; i < syms.size(); ++i) pool.push_back({syms[i], hints[i]});
    pool.push_back({sym_int(3), 3});
    for (int step = 0; step < 12; ++step) {
      const value a = pool[rng() % pool.size()], b = pool[rng() % pool.size()];
      const std::int64_t k = 1 + static_cast<std::int64_t>(rng() % 5);
      switch (rng() % 8) {
        case 0: pool.push_back({a.e + b.e, a.v + b.v}); break;
        case 1: pool.push_back({a.e - b.e, a.v - b.v}); break;
        case 2:
          if (std::abs(a.v) < 100000 && std::abs(b.v) < 100000) pool.push_back({a.e * b.e, a.v * b.v});
          break;
        case 3: pool.push_back({fake::sym_floordiv(a.e, k), py_div(a.v, k)}); break;
        case 4: pool.push_back({fake::sym_mod(a.e, k), py_mod(a.v, k)}); break;
        case 5: pool.push_back({fake::sym_min(a.e, b.e), std::min(a.v, b.v)}); break;
        case 6: pool.push_back({fake::sym_max(a.e, b.e), std::max(a.v, b.v)}); break;
        default:
          if (b.v > 0) pool.push_back({fake::sym_floordiv(a.e * k, b.e), py_div(a.v * k, b.v)});
          break;
      }
    }
    for (const value& x : pool) {
      INFO(str(x.e));
      CHECK(fake::hint_of(x.e) == x.v);
      const auto range = env.range_of(x.e);
      CHECK(range.contains(x.v));
    }
    CHECK(env.guards().empty());  // building expressions never guards
  }
}

TEST_CASE("sym_int: an expression past the size cap is a clear error", "[sym]") {
  fake::shape_env env(fake::shape_env::options{.max_expression_size = 64});
  sym_int e = env.create_symbol(2) + env.create_symbol(3) + env.create_symbol(4);
  CHECK_THROWS_AS([&] {
    for (int i = 0; i < 8; ++i) e = e * (e + 1);
  }(), fake::sym_expression_error);
  CHECK_THROWS_WITH([&] {
    sym_int f = env.create_symbol(5) + env.create_symbol(7) + env.create_symbol(9);
    for (int i = 0; i < 8; ++i) f = f * (f + 1);
  }(), Catch::Contains("exceeds"));
}

TEST_CASE("shape_env: dynamic dims get symbols as PyTorch gives them", "[sym]") {
  fake::shape_env env;
  CHECK(env.create_symbol(0).same_as(sym_int(0)));  // 0 and 1 specialize
  CHECK(env.create_symbol(1).same_as(sym_int(1)));
  const sym_int a = env.create_symbol(8, "x.size(0)");
  CHECK(env.create_symbol(8, "y.size(0)").same_as(a));  // duck shaping
  CHECK_FALSE(env.create_symbol(9).same_as(a));
  CHECK(env.range_of(a) == fake::sym_range{2, fake::sym_infinity});
  CHECK(env.backed_symbols().size() == 2);
  CHECK_THROWS_AS(env.create_symbol(-1), fake::shape_error);

  fake::shape_env plain(fake::shape_env::options{.specialize_zero_one = false, .duck_shape = false});
  CHECK(plain.create_symbol(1).is_symbolic());
  CHECK_FALSE(plain.create_symbol(8).same_as(plain.create_symbol(8)));
}

TEST_CASE("shape_env: branching records a guard unless ranges decide", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(1024, "x.size(1)"), s1 = env.create_symbol(8, "x.size(0)");
  CHECK(static_cast<bool>(s0 == s0));
  CHECK_FALSE(static_cast<bool>(s0 == 1));  // s0 >= 2
  CHECK(static_cast<bool>(s0 >= 0));
  CHECK(env.guards().empty());

  CHECK(static_cast<bool>(s0 >= 512));  // the hint decides: a guard
  REQUIRE(env.guards().size() == 1);
  CHECK(str(env.guards()[0]) == "s0 >= 512");
  CHECK(static_cast<bool>(s0 > 100));  // the narrowed range decides: no new guard
  CHECK(env.guards().size() == 1);
  CHECK(static_cast<bool>(s0 >= 512));  // known
  CHECK(env.guards().size() == 1);

  CHECK_FALSE(static_cast<bool>(s1 == s0));  // decided at the hints: the negation is the guard
  REQUIRE(env.guards().size() == 2);
  CHECK(str(env.guards()[1]) == "s0 != s1");
  CHECK(static_cast<bool>(s1 < s0));
  CHECK(str(env.guards()[2]) == "s0 > s1");

  CHECK(env.guards_string() ==
        "s0: x.size(1), hint 1024, range [2, inf]\n"
        "s1: x.size(0), hint 8, range [2, inf]\n"
        "s0 >= 512\ns0 != s1\ns0 > s1\n");
  // new sizes: in order of the backed symbols
  CHECK(env.check_guards({600, 8}));
  CHECK(env.check_guards({4096, 4095}));
  CHECK_FALSE(env.check_guards({300, 8}));    // s0 >= 512 fails
  CHECK_FALSE(env.check_guards({600, 600}));  // s0 != s1 fails
  CHECK_FALSE(env.check_guards({600, 1}));    // s1's range is [2, inf]
  CHECK_FALSE(env.check_guards({600}));       // one value per symbol
}

TEST_CASE("shape_env: converting to an integer specializes with a guard", "[sym]") {
  fake::shape_env env;
  const sym_int s0 = env.create_symbol(8);
  CHECK(static_cast<std::int64_t>(s0 * 3) == 24);
  REQUIRE(env.guards().size() == 1);
  CHECK(str(env.guards()[0]) == "s0 == 8");
  CHECK(fake::maybe_constant(s0) == 8);
  CHECK(fake::maybe_constant(s0 * 2 + 1) == 17);
  CHECK(env.check_guards({8}));
  CHECK_FALSE(env.check_guards({9}));
}

TEST_CASE("shape_env: unbacked symbols raise on guards and defer checks", "[sym]") {
  fake::shape_env env;
  const sym_int u0 = env.create_unbacked_symbol("nonzero(x).size(0)");
  CHECK(str(u0) == "u0");
  CHECK(static_cast<bool>(u0 >= 0));  // its range says so
  CHECK_THROWS_AS(static_cast<bool>(u0 == 5), fake::data_dependent_error);
  CHECK_THROWS_WITH(static_cast<bool>(u0 == 5), Catch::Contains("u0 == 5"));
  CHECK_THROWS_AS(static_cast<std::int64_t>(u0 + 1), fake::data_dependent_error);
  // fake::expect defers to run time, and the environment learns from it
  fake::expect<fake::shape_error, "narrow", "length {} too small">(u0 >= 3, u0);
  REQUIRE(env.runtime_asserts().size() == 1);
  CHECK(str(env.runtime_asserts()[0].condition) == "u0 >= 3");
  CHECK(static_cast<bool>(u0 >= 2));
  CHECK(env.range_of(u0).lo == 3);
  CHECK(env.guards().empty());
  // a check that ranges refute fails at once
  CHECK_THROWS_WITH((fake::expect<fake::shape_error, "narrow", "length {} negative">(u0 < 0, u0)),
                    "narrow: length u0 negative");
}

TEST_CASE("generic shape kernels run on sym_int unchanged", "[sym]") {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8, "x.size(0)"), t = env.create_symbol(128, "x.size(1)");
  const fake::sym_dims x{b, t, sym_int(768)};
  const fake::sym_dims bias{sym_int(768)};
  const fake::sym_dims mask{sym_int(1), t, sym_int(1)};

  const fake::sym_dims out = fake::broadcast_shapes(x, bias, mask);
  CHECK(fake::to_string(out) == "[s0, s1, 768]");
  CHECK(env.guards().empty());  // size-1 and equal symbols broadcast without guards

  CHECK(str(fake::numel(x)) == "768*s0*s1");
  CHECK(fake::to_string(fake::contiguous_strides(x)) == "[768*s1, 768, 1]");
  CHECK(str(fake::storage_nbytes(x, fake::contiguous_strides(x), c<2>{})) == "1536*s0*s1");
  const std::int64_t at[] = {3, 17};
  CHECK(fake::evaluate(fake::contiguous_strides(x), at) == fake::dim_vector{768 * 17, 768, 1});

  // two different symbols broadcast: decided at the hints, with a guard
  const sym_int h = env.create_symbol(64);
  CHECK_THROWS_WITH(fake::broadcast_shapes(fake::sym_dims{b}, fake::sym_dims{h}),
                    "broadcast_shapes: The size of tensor a (s0) must match the size of tensor b (s2) at non-singleton dimension 0");
  CHECK(str(env.guards().back()) == "s0 != s2");

  // a conv-style output size stays an expression; no guard is needed for it
  const std::size_t before = env.guards().size();
  const sym_int conv = fake::floor_div(t + 2 * c<1>{} - c<1>{} * (c<3>{} - c<1>{}) - c<1>{}, c<2>{}) + c<1>{};
  CHECK(str(conv) == "((s1 + 1)//2)");  // (s1 - 1)//2 + 1, canonically
  CHECK(fake::hint_of(conv) == (128 + 2 - 2 - 1) / 2 + 1);
  CHECK(env.guards().size() == before);
  // wrap_dim with a concrete rank needs no guard either
  CHECK(fake::wrap_dim<"sum">(std::int64_t{-1}, fake::rank(x)) == 2);
}

// Cross-reference cases run with symbolic input sizes: the view kernels of
// view/geometry.hpp and broadcasting take sym_dims unchanged. Substituting the
// hints must give PyTorch's metadata, the recorded guards must hold at the
// hints, and wherever the guards hold for other sizes, the symbolic result
// evaluated there must equal the concrete kernel run on those sizes.

using fake::dim_vector;
using fake::sym_dims;
using nlohmann::json;

namespace {

using fake::sym_geometry;

std::int64_t i64(const json& a) { return a.at("i").get<std::int64_t>(); }
std::optional<std::int64_t> opt_i64(const json& a) {
  if (a.contains("none")) return std::nullopt;
  return i64(a);
}
const json& arg(const std::vector<json>& args, std::size_t i, const json& fallback) { return i < args.size() ? args[i] : fallback; }
dim_vector ints(const json& a) { return fake::testing::dims_of(a.at("ints")); }

// One view op over either kind of geometry.
struct view_op {
  std::function<sym_geometry(const sym_geometry&, const std::vector<json>&)> symbolic;
  std::function<fake::runtime_geometry(const fake::runtime_geometry&, const std::vector<json>&)> concrete;
};

template <class F>
view_op both(F f) {
  return {[f](const sym_geometry& g, const std::vector<json>& a) { return sym_geometry(f(g, a)); },
          [f](const fake::runtime_geometry& g, const std::vector<json>& a) { return fake::runtime_geometry(f(g, a)); }};
}

const std::map<std::string, view_op>& view_ops() {
  static const json zero = {{"i", 0}}, one = {{"i", 1}}, none = {{"none", true}};
  static const std::map<std::string, view_op> ops = {
      {"aten::transpose.int", both([](const auto& g, const auto& a) { return fake::geom::transpose(g, i64(a[1]), i64(a[2])); })},
      {"aten::t", both([](const auto& g, const auto&) { return fake::geom::t(g); })},
      {"aten::select.int", both([](const auto& g, const auto& a) { return fake::geom::select_dim(g, i64(a[1]), i64(a[2])); })},
      {"aten::slice.Tensor", both([](const auto& g, const auto& a) {
         return fake::geom::slice(g, i64(arg(a, 1, zero)), opt_i64(arg(a, 2, none)), opt_i64(arg(a, 3, none)), i64(arg(a, 4, one)));
       })},
      {"aten::narrow", both([](const auto& g, const auto& a) { return fake::geom::narrow(g, i64(a[1]), i64(a[2]), i64(a[3])); })},
      {"aten::unsqueeze", both([](const auto& g, const auto& a) { return fake::geom::unsqueeze(g, i64(a[1])); })},
      {"aten::squeeze", both([](const auto& g, const auto&) { return fake::geom::squeeze(g); })},
      {"aten::squeeze.dim", both([](const auto& g, const auto& a) { return fake::geom::squeeze(g, dim_vector{i64(a[1])}); })},
      {"aten::permute", both([](const auto& g, const auto& a) { return fake::geom::permute(g, ints(a[1])); })},
      {"aten::movedim.int", both([](const auto& g, const auto& a) {
         return fake::geom::movedim(g, dim_vector{i64(a[1])}, dim_vector{i64(a[2])});
       })},
      {"aten::expand", both([](const auto& g, const auto& a) { return fake::geom::expand(g, ints(a[1])); })},
      {"aten::view", both([](const auto& g, const auto& a) { return fake::geom::view(g, ints(a[1])); })},
  };
  return ops;
}

// The mm family (ops/linalg.hpp): their *_meta kernels over either dims container.
struct matmul_op {
  std::function<fake::basic_out_meta<sym_dims>(const std::vector<sym_dims>&, const std::vector<fake::dtype>&)> symbolic;
  std::function<fake::out_meta(const std::vector<dim_vector>&, const std::vector<fake::dtype>&)> concrete;
};
template <class F>
matmul_op both_dims(F f) {
  return {[f](const std::vector<sym_dims>& s, const std::vector<fake::dtype>& d) { return f(s, d); },
          [f](const std::vector<dim_vector>& s, const std::vector<fake::dtype>& d) { return f(s, d); }};
}
const std::map<std::string, matmul_op>& matmul_family() {
  static const std::map<std::string, matmul_op> ops = {
      {"aten::mm", both_dims([](const auto& s, const auto& d) { return fake::mm_meta(s.at(0), d.at(0), s.at(1), d.at(1), fake::cpu); })},
      {"aten::bmm", both_dims([](const auto& s, const auto& d) { return fake::bmm_meta(s.at(0), d.at(0), s.at(1), d.at(1), fake::cpu); })},
      {"aten::addmm", both_dims([](const auto& s, const auto& d) {
         return fake::addmm_meta(s.at(0), d.at(0), s.at(1), d.at(1), s.at(2), d.at(2), fake::cpu);
       })},
  };
  return ops;
}

// softmax, layer_norm, embedding (ops/norm.hpp) and sum (ops/reduction.hpp):
// their *_meta kernels, every output, over the case's tensor arguments.
struct nn_op {
  std::function<std::vector<fake::basic_out_meta<sym_dims>>(const std::vector<sym_geometry>&, const std::vector<fake::dtype>&,
                                                            const std::vector<json>&)>
      symbolic;
  std::function<std::vector<fake::out_meta>(const std::vector<fake::runtime_geometry>&, const std::vector<fake::dtype>&,
                                            const std::vector<json>&)>
      concrete;
};
template <class F>
nn_op both_nn(F f) {
  return {[f](const std::vector<sym_geometry>& g, const std::vector<fake::dtype>& dt, const std::vector<json>& a) { return f(g, dt, a); },
          [f](const std::vector<fake::runtime_geometry>& g, const std::vector<fake::dtype>& dt, const std::vector<json>& a) {
            return f(g, dt, a);
          }};
}
template <class G>
auto meta_of(const G& g, fake::dtype dt) {
  return fake::basic_tensor_meta<std::remove_cvref_t<decltype(g.sizes)>>{g.sizes, g.strides, dt, fake::cpu};
}
const std::map<std::string, nn_op>& nn_family() {
  const auto softmax = [](const auto& g, const auto& dt, const std::vector<json>& a) {
    return std::vector{fake::softmax_meta<"_softmax">(meta_of(g.at(0), dt.at(0)), i64(a.at(1)), a.at(2).at("b").get<bool>())};
  };
  static const std::map<std::string, nn_op> ops = {
      {"aten::_softmax", both_nn(softmax)},
      {"aten::_log_softmax", both_nn(softmax)},
      {"aten::native_layer_norm", both_nn([](const auto& g, const auto& dt, const std::vector<json>& a) {
         const dim_vector shape = ints(a.at(1));
         std::optional<dim_vector> w, b;
         if (a.size() > 2 && a[2].contains("t")) w = fake::testing::dims_of(a[2].at("t").at("size"));
         if (a.size() > 3 && a[3].contains("t")) b = fake::testing::dims_of(a[3].at("t").at("size"));
         auto [o, m, r] = fake::native_layer_norm_meta(meta_of(g.at(0), dt.at(0)), shape, w ? &*w : nullptr, b ? &*b : nullptr);
         return std::vector{o, m, r};
       })},
      {"aten::embedding", both_nn([](const auto& g, const auto& dt, const std::vector<json>&) {
         return std::vector{fake::embedding_meta(meta_of(g.at(0), dt.at(0)), meta_of(g.at(1), dt.at(1)), fake::cpu)};
       })},
      {"aten::sum", both_nn([](const auto& g, const auto& dt, const std::vector<json>& a) {  // sizes and strides only
         std::optional<dim_vector> dims;
         if (a.size() > 1 && a[1].contains("ints")) dims = ints(a[1]);
         const bool keepdim = a.size() > 2 && a[2].contains("b") && a[2].at("b").get<bool>();
         const auto list = dims ? fake::opt_dims(std::span<const std::int64_t>(dims->data(), dims->size()))
                                : fake::opt_dims(std::nullopt);
         return std::vector{fake::detail::reduce_to<"sum">(g.at(0).sizes, list, keepdim, dt.at(0), fake::cpu)};
       })},
  };
  return ops;
}

// Pointwise ops of the corpus whose output geometry is TensorIterator's.
bool is_tensor_iterator_op(const std::string& op) {
  static const std::set<std::string> ops = {
      "aten::add.Tensor", "aten::sub.Tensor", "aten::mul.Tensor", "aten::div.Tensor", "aten::maximum", "aten::minimum",
      "aten::eq.Tensor",  "aten::lt.Tensor",  "aten::atan2",      "aten::logical_and", "aten::abs",    "aten::ceil",
      "aten::exp",        "aten::log",        "aten::neg",        "aten::reciprocal",  "aten::relu",   "aten::sigmoid",
      "aten::sin",        "aten::sqrt",       "aten::logical_not", "aten::bitwise_not"};
  return ops.contains(op);
}

// A symbolic version of a described tensor's geometry: every size a symbol
// (PyTorch's rules: 0 and 1 specialize, equal sizes share a symbol); strides
// follow the sizes when the tensor is contiguous, else stay constants.
sym_geometry symbolic_geometry(fake::shape_env& env, const json& t, const std::string& name) {
  const dim_vector sizes = fake::testing::dims_of(t.at("size"));
  const dim_vector strides = fake::testing::dims_of(t.at("stride"));
  sym_dims s;
  for (std::size_t i = 0; i < sizes.size(); ++i) s.push_back(env.create_symbol(sizes[i], name + ".size(" + std::to_string(i) + ")"));
  const bool contiguous = fake::contiguous_strides(sizes) == strides;
  return {s, contiguous ? fake::contiguous_strides(s) : sym_dims(strides), sym_int(t.at("offset").get<std::int64_t>())};
}


}  // namespace

TEST_CASE("cross-reference view and broadcasting cases run on symbolic sizes", "[sym][xref]") {
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  std::string line;
  int ran = 0, resubstituted = 0, with_guards = 0;
  while (std::getline(in, line)) {
    const json c = json::parse(line);
    const std::string op = c.at("op").get<std::string>();
    const auto it = view_ops().find(op);
    const bool broadcasting = is_tensor_iterator_op(op);
    const bool matmul = matmul_family().contains(op);
    const bool nn = nn_family().contains(op);
    if (it == view_ops().end() && !broadcasting && !matmul && !nn) continue;
    const std::vector<json> args = c.at("args").get<std::vector<json>>();
    // TensorIterator cases: every argument up to the first non-tensor is an input
    std::size_t n_tensors = 0;
    while (n_tensors < args.size() && args[n_tensors].contains("t")) ++n_tensors;
    if (broadcasting && (n_tensors == 0 || n_tensors > 2)) continue;
    if (matmul && n_tensors < 2) continue;
    INFO(c.at("id").get<std::string>() << ": " << line);
    const json& expect = c.at("expect");
    // only sizes are symbolic here: device and dtype errors are other kernels' business
    if (expect.contains("error")) {
      const std::string kind = expect.at("error").at("kind").get<std::string>();
      if (kind != "shape" && kind != "index") continue;
    }
    ++ran;
    fake::shape_env env;

    if (broadcasting) {  // TensorIterator's output geometry (ops/tensor_iterator.hpp) on symbolic inputs
      std::vector<sym_geometry> inputs;
      for (std::size_t k = 0; k < n_tensors; ++k) inputs.push_back(symbolic_geometry(env, args[k].at("t"), "in" + std::to_string(k)));
      const auto output_of = [](const auto& geometries) {
        using dims = std::remove_cvref_t<decltype(geometries[0].sizes)>;
        std::vector<fake::basic_ti_geometry<dims>> in;
        for (const auto& g : geometries) in.push_back({&g.sizes, &g.strides});
        dims shape, strides;
        fake::ti_output_geometry<"pointwise">(std::span<const fake::basic_ti_geometry<dims>>(in), shape, strides);
        return std::pair{shape, strides};
      };
      if (expect.contains("error")) {
        CHECK_THROWS_AS(output_of(inputs), fake::error);
        continue;
      }
      const auto [shape, strides] = output_of(inputs);
      const std::vector<std::int64_t> hints = env.hints();
      CHECK(fake::evaluate(shape, hints) == fake::testing::dims_of(expect.at("out")[0].at("size")));
      CHECK(fake::evaluate(strides, hints) == fake::testing::dims_of(expect.at("out")[0].at("stride")));
      CHECK(env.check_guards(hints));
      if (!env.guards().empty()) ++with_guards;
      resubstituted += at_other_sizes(env, [&](const std::vector<std::int64_t>& other) {
        std::vector<fake::runtime_geometry> concrete;
        for (const sym_geometry& g : inputs) concrete.push_back(evaluate(g, other));
        const auto [concrete_shape, concrete_strides] = output_of(concrete);
        CHECK(fake::evaluate(shape, other) == concrete_shape);
        CHECK(fake::evaluate(strides, other) == concrete_strides);
      });
      continue;
    }

    if (const auto mm = matmul_family().find(op); mm != matmul_family().end()) {  // ops/linalg.hpp's mm family
      std::vector<sym_geometry> inputs;
      std::vector<fake::dtype> dtypes;
      for (std::size_t k = 0; k < n_tensors; ++k) {
        inputs.push_back(symbolic_geometry(env, args[k].at("t"), "in" + std::to_string(k)));
        dtypes.push_back(fake::testing::dtype_of(args[k].at("t").at("dtype")));
      }
      std::vector<sym_dims> sizes;
      for (const sym_geometry& g : inputs) sizes.push_back(g.sizes);
      if (expect.contains("error")) {
        CHECK_THROWS_AS(mm->second.symbolic(sizes, dtypes), fake::error);
        continue;
      }
      const auto out = mm->second.symbolic(sizes, dtypes);
      const std::vector<std::int64_t> hints = env.hints();
      CHECK(fake::evaluate(out.sizes, hints) == fake::testing::dims_of(expect.at("out")[0].at("size")));
      CHECK(fake::evaluate(out.strides, hints) == fake::testing::dims_of(expect.at("out")[0].at("stride")));
      CHECK(env.check_guards(hints));
      resubstituted += at_other_sizes(env, [&](const std::vector<std::int64_t>& other) {
        std::vector<dim_vector> concrete;
        for (const sym_dims& d : sizes) concrete.push_back(fake::evaluate(d, other));
        const fake::out_meta expected = mm->second.concrete(concrete, dtypes);
        CHECK(fake::evaluate(out.sizes, other) == expected.sizes);
        CHECK(fake::evaluate(out.strides, other) == expected.strides);
      });
      continue;
    }

    if (nn) {
      const nn_op& f = nn_family().at(op);
      std::vector<sym_geometry> in;
      std::vector<fake::dtype> dt;
      for (std::size_t k = 0; k < n_tensors; ++k) {
        in.push_back(symbolic_geometry(env, args[k].at("t"), "in" + std::to_string(k)));
        dt.push_back(fake::testing::dtype_of(args[k].at("t").at("dtype")));
      }
      if (expect.contains("error")) {
        CHECK_THROWS_AS(f.symbolic(in, dt, args), fake::error);
        continue;
      }
      const auto outs = f.symbolic(in, dt, args);
      const std::vector<std::int64_t> hints = env.hints();
      REQUIRE(outs.size() == expect.at("out").size());
      for (std::size_t k = 0; k < outs.size(); ++k) {
        CHECK(fake::evaluate(outs[k].sizes, hints) == fake::testing::dims_of(expect.at("out")[k].at("size")));
        CHECK(fake::evaluate(outs[k].strides, hints) == fake::testing::dims_of(expect.at("out")[k].at("stride")));
        if (op != "aten::sum") CHECK(outs[k].dtype == fake::testing::dtype_of(expect.at("out")[k].at("dtype")));
      }
      CHECK(env.check_guards(hints));
      resubstituted += at_other_sizes(env, [&](const std::vector<std::int64_t>& other) {
        std::vector<fake::runtime_geometry> concrete;
        for (const sym_geometry& g : in) concrete.push_back(evaluate(g, other));
        const auto expected = f.concrete(concrete, dt, args);
        for (std::size_t k = 0; k < outs.size(); ++k) {
          CHECK(fake::evaluate(outs[k].sizes, other) == expected[k].sizes);
          CHECK(fake::evaluate(outs[k].strides, other) == expected[k].strides);
        }
      });
      continue;
    }

    const sym_geometry g = symbolic_geometry(env, args[0].at("t"), "self");
    if (expect.contains("error")) {
      CHECK_THROWS_AS(it->second.symbolic(g, args), fake::error);
      continue;
    }
    const sym_geometry out = it->second.symbolic(g, args);
    const std::vector<std::int64_t> hints = env.hints();
    const json& e = expect.at("out")[0];
    const fake::runtime_geometry at_hints = evaluate(out, hints);
    CHECK(at_hints.sizes == fake::testing::dims_of(e.at("size")));
    CHECK(at_hints.strides == fake::testing::dims_of(e.at("stride")));
    CHECK(at_hints.offset == e.at("offset").get<std::int64_t>());
    CHECK(env.check_guards(hints));
    if (!env.guards().empty()) ++with_guards;

    // Other sizes: where the guards hold, the traced expressions are right there too.
    resubstituted += at_other_sizes(env, [&](const std::vector<std::int64_t>& other) {
      INFO("at " << fake::to_string(dim_vector(other.begin(), other.end())) << "\nguards:\n" << env.guards_string());
      const fake::runtime_geometry expected = it->second.concrete(evaluate(g, other), args);  // the input at those sizes
      const fake::runtime_geometry got = evaluate(out, other);
      CHECK(got.sizes == expected.sizes);
      CHECK(got.strides == expected.strides);
      CHECK(got.offset == expected.offset);
    });
  }
  CHECK(ran >= 40);
  CHECK(resubstituted > ran);  // most cases are re-checked at several other sizes
  CHECK(with_guards > 0);      // and some of them needed guards (slice bounds, narrow)
}

TEST_CASE("data-dependent quantities are memoized unbacked symbols", "[sym]") {
  fake::shape_env env;
  const fake::tensor_desc x = fake::empty({4, 5});
  const sym_int n0 = fake::sym_nonzero_count(env, x);
  CHECK(str(n0) == "u0");
  CHECK(env.range_of(n0) == fake::sym_range{0, 20});
  CHECK(fake::sym_nonzero_count(env, x).same_as(n0));  // same tensor, same data: same symbol
  const auto g = fake::sym_nonzero_geometry(env, x);
  CHECK(fake::to_string(g.sizes) == "[u0, 2]");
  CHECK(fake::to_string(g.strides) == "[2, 1]");

  x.storage().bump_version();  // a write
  CHECK_FALSE(fake::sym_nonzero_count(env, x).same_as(n0));
  const sym_int n1 = fake::sym_nonzero_count(env, x);
  env.new_epoch();
  CHECK_FALSE(fake::sym_nonzero_count(env, x).same_as(n1));

  // a copy is the same tensor; another tensor has its own count
  const fake::tensor_desc copy = x;
  CHECK(fake::sym_nonzero_count(env, copy).same_as(fake::sym_nonzero_count(env, x)));
  const fake::tensor_desc y = fake::empty({4, 5});
  CHECK_FALSE(fake::sym_nonzero_count(env, y).same_as(fake::sym_nonzero_count(env, x)));

  // item(): integer values range over the dtype; floats stay data-dependent errors
  const fake::tensor_desc i = fake::empty({1}, fake::dtype::int32);
  const sym_int v = fake::sym_item(env, i);
  CHECK(env.range_of(v) == fake::sym_range{-2147483648LL, 2147483647LL});
  CHECK(fake::sym_item(env, i).same_as(v));
  CHECK(env.range_of(fake::sym_item(env, fake::empty({}, fake::dtype::bool_))) == fake::sym_range{0, 1});
  CHECK_THROWS_AS(fake::sym_item(env, fake::empty({})), fake::data_dependent_error);
  CHECK_THROWS_WITH(fake::sym_item(env, x), "item: a Tensor with 20 elements cannot be converted to Scalar");

  // a size computed from an unbacked count: guards on it raise, checks defer
  const sym_int m = fake::sym_masked_select_count(env, x, fake::empty({5}, fake::dtype::bool_));
  CHECK(env.range_of(m) == fake::sym_range{0, 20});
  CHECK(static_cast<bool>(m <= 20));
  CHECK_THROWS_AS(static_cast<bool>(m == 0), fake::data_dependent_error);
}

TEST_CASE("GPT-2's attention reshapes stay symbolic in batch and sequence, without guards", "[sym]") {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8, "x.size(0)"), t = env.create_symbol(128, "x.size(1)");
  const sym_dims x_sizes{b, t, sym_int(768)};
  const fake::geometry<sym_dims, sym_dims, sym_int> x{x_sizes, fake::contiguous_strides(x_sizes), sym_int(0)};

  // q.view(b, t, 12, 64).transpose(1, 2)
  const auto heads = fake::geom::view(x, sym_dims{b, t, 12, 64});
  CHECK(fake::to_string(heads.strides) == "[768*s1, 768, 64, 1]");
  const auto q = fake::geom::transpose(heads, 1, 2);
  CHECK(fake::to_string(q.sizes) == "[s0, 12, s1, 64]");
  CHECK(fake::to_string(q.strides) == "[768*s1, 64, 768, 1]");
  // k.transpose(-2, -1), the causal mask expanded over batch and heads
  const auto k_t = fake::geom::transpose(q, -2, -1);
  CHECK(fake::to_string(k_t.sizes) == "[s0, 12, 64, s1]");
  const sym_dims mask_sizes{1, 1, t, t};
  const fake::geometry<sym_dims, sym_dims, sym_int> mask{mask_sizes, fake::contiguous_strides(mask_sizes), sym_int(0)};
  const auto scores_mask = fake::geom::expand(mask, sym_dims{b, 12, t, t});
  CHECK(fake::to_string(scores_mask.strides) == "[0, 0, s1, 1]");
  // merging the heads back: y.view(b, t, -1) infers 768
  const auto merged = fake::geom::view(heads, sym_dims{b, t, -1});
  CHECK(fake::to_string(merged.sizes) == "[s0, s1, 768]");
  // a flattening view of the batch and sequence dims
  const auto tokens = fake::geom::view(x, sym_dims{-1, 768});
  CHECK(fake::to_string(tokens.sizes) == "[s0*s1, 768]");
  CHECK(fake::to_string(tokens.strides) == "[768, 1]");
  INFO(env.guards_string());
  CHECK(env.guards().empty());

  // the residual add and a bias add: TensorIterator's output is contiguous, decided without a guard
  const auto ti_output = [](const fake::sym_dims& sa, const fake::sym_dims& sta, const fake::sym_dims& sb, const fake::sym_dims& stb) {
    const fake::basic_ti_geometry<sym_dims> in[2] = {{&sa, &sta}, {&sb, &stb}};
    sym_dims shape, strides;
    fake::ti_output_geometry<"add">(std::span<const fake::basic_ti_geometry<sym_dims>>(in, 2), shape, strides);
    return fake::to_string(shape) + " " + fake::to_string(strides);
  };
  CHECK(ti_output(x.sizes, x.strides, x.sizes, x.strides) == "[s0, s1, 768] [768*s1, 768, 1]");
  CHECK(ti_output(x.sizes, x.strides, sym_dims{768}, sym_dims{1}) == "[s0, s1, 768] [768*s1, 768, 1]");
  // the attention scores [s0, 12, s1, s1] plus the expanded mask; a transposed input's layout is followed
  const sym_dims scores{b, 12, t, t};
  CHECK(ti_output(scores, fake::contiguous_strides(scores), scores_mask.sizes, scores_mask.strides) ==
        "[s0, 12, s1, s1] [12*s1**2, s1**2, s1, 1]");
  CHECK(ti_output(q.sizes, q.strides, q.sizes, q.strides) == "[s0, 12, s1, 64] [768*s1, 64, 768, 1]");
  CHECK(env.guards().empty());

  // layer_norm over 768, the c_attn projection (addmm of the flattened tokens) and the softmax of the scores
  const fake::basic_tensor_meta<sym_dims> x_meta{x.sizes, x.strides, fake::dtype::float32, fake::cpu};
  const dim_vector width{768};
  const auto [normed, mean, rstd] = fake::native_layer_norm_meta(x_meta, width, &width, &width);
  CHECK(fake::to_string(normed.strides) == "[768*s1, 768, 1]");
  CHECK(fake::to_string(mean.sizes) + " " + fake::to_string(rstd.strides) == "[s0, s1, 1] [s1, 1, 1]");
  const auto qkv = fake::addmm_meta(sym_dims{2304}, fake::dtype::float32, tokens.sizes, fake::dtype::float32, sym_dims{768, 2304},
                                    fake::dtype::float32, fake::cpu);
  CHECK(fake::to_string(qkv.sizes) + " " + fake::to_string(qkv.strides) == "[s0*s1, 2304] [2304, 1]");
  const sym_dims scores_strides = fake::contiguous_strides(scores);
  const auto probs = fake::softmax_meta<"_softmax">(fake::basic_tensor_meta<sym_dims>{scores, scores_strides, fake::dtype::float32, fake::cpu}, -1, false);
  CHECK(fake::to_string(probs.strides) == "[12*s1**2, s1**2, s1, 1]");
  // the token embedding of [s0, s1] ids, and a mean over the last dim (RMSNorm's)
  const dim_vector wte{50257, 768}, wte_strides{768, 1};
  const sym_dims ids{b, t}, ids_strides = fake::contiguous_strides(ids);
  const auto embedded = fake::embedding_meta(fake::tensor_meta{wte, wte_strides, fake::dtype::float32, fake::cpu},
                                             fake::basic_tensor_meta<sym_dims>{ids, ids_strides, fake::dtype::int64, fake::cpu}, fake::cpu);
  CHECK(fake::to_string(embedded.sizes) + " " + fake::to_string(embedded.strides) == "[s0, s1, 768] [768*s1, 768, 1]");
  const std::int64_t last[] = {-1};
  const auto rms = fake::detail::reduce_to<"mean">(x.sizes, fake::opt_dims(std::span<const std::int64_t>(last)), true,
                                                   fake::dtype::float32, fake::cpu);
  CHECK(fake::to_string(rms.sizes) + " " + fake::to_string(rms.strides) == "[s0, s1, 1] [s1, 1, 1]");
  CHECK(env.guards().empty());

  // a split that is valid for all sizes needs no guard either
  const auto split = fake::geom::view(tokens, sym_dims{8, -1});
  CHECK(fake::to_string(split.sizes) == "[8, 96*s0*s1]");
  CHECK(env.guards().empty());
  CHECK_THROWS_AS(fake::geom::view(x, sym_dims{b, 7, -1}), fake::shape_error);  // 768*s1 is no multiple of 7 at the hints

  // one that holds only for some sizes records the guard that says which
  fake::shape_env env2;
  const sym_int b2 = env2.create_symbol(8), t2 = env2.create_symbol(130);
  const sym_dims y_sizes{b2, t2, 768};
  const fake::geometry<sym_dims, sym_dims, sym_int> y{y_sizes, fake::contiguous_strides(y_sizes), sym_int(0)};
  const auto fifths = fake::geom::view(y, sym_dims{b2, 5, -1});
  CHECK(fake::to_string(fifths.sizes) == "[s0, 5, ((768*s1)//5)]");
  INFO(env2.guards_string());
  REQUIRE_FALSE(env2.guards().empty());
  CHECK(str(env2.guards()[0]) == "Mod(768*s1, 5) == 0");
  CHECK(env2.check_guards({3, 10}));
  CHECK_FALSE(env2.check_guards({3, 128}));
}

TEST_CASE("shape_env: new input sizes are checked against specializations and shared symbols too", "[sym]") {
  fake::shape_env env;
  const sym_int b = env.create_symbol(8, "x.size(0)");
  const sym_int one = env.create_symbol(1, "x.size(1)");
  const sym_int t = env.create_symbol(128, "x.size(2)");
  const sym_int b_again = env.create_symbol(8, "y.size(0)");  // duck shaping: the same symbol as x.size(0)
  CHECK(one.is_constant());
  CHECK(b_again.same_as(b));
  CHECK(static_cast<bool>(t >= 64));
  CHECK(env.guards_string() ==
        "s0: x.size(0), hint 8, range [2, inf], = y.size(0)\n"
        "s1: x.size(2), hint 128, range [2, inf]\n"
        "x.size(1) == 1\n"
        "s1 >= 64\n");
  std::array<std::int64_t, 2> scratch{};
  const auto ok = [&](std::initializer_list<std::int64_t> sizes) {
    return env.check_input_sizes(std::span<const std::int64_t>(sizes.begin(), sizes.size()), scratch);
  };
  CHECK(ok({4, 1, 100, 4}));
  CHECK_FALSE(ok({4, 2, 100, 4}));  // x.size(1) was specialized to 1
  CHECK_FALSE(ok({4, 1, 100, 5}));  // x.size(0) and y.size(0) share s0
  CHECK_FALSE(ok({4, 1, 32, 4}));   // s1 >= 64
  CHECK_FALSE(ok({4, 1, 100}));     // one size per input dim
}

// ---------------------------------------------------- symbolic tensors ----

using fake::tensor_desc;

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

TEST_CASE("views with symbolic sizes stay symbolic, and concrete sizes specialize with guards", "[sym]") {
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
    at_other_sizes(env, [&](const std::vector<std::int64_t>& other) {
      fake::stack args = r.inputs;  // the symbolic inputs at the other sizes, as concrete tensors
      const auto at_other = [&](const tensor_desc& t) {
        return t.is_symbolic() ? tensor_of(evaluate(fake::sym_geometry_of(t), other), t.dtype()) : t;
      };
      for (fake::ivalue& a : args)
        if (a.is_tensor()) {
          a = at_other(a.to_tensor());
        } else if (a.kind() == fake::ivalue_kind::tensor_list) {
          std::vector<tensor_desc> list = a.to_tensor_list();
          for (tensor_desc& t : list) t = at_other(t);
          a = fake::ivalue(std::move(list));
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
  CHECK(symbolic_results >= 200);  // 206 on 2026-11-22
  CHECK(resubstituted >= 550);     // 586
  CHECK(symbolic_ops.size() >= 85);  // 90
  // the ops whose results stay symbolic: views, TensorIterator ops, and the
  // kernels with a symbolic rule (Note [symbolic rules of kernels]) with the
  // composites that decompose into them
  for (const char* op : {"aten::add.Tensor", "aten::where.self", "aten::view", "aten::expand", "aten::mm", "aten::addmm",
                         "aten::bmm", "aten::linear", "aten::matmul", "aten::_softmax", "aten::native_layer_norm",
                         "aten::embedding", "aten::sum.dim_IntList", "aten::mean.dim", "aten::amax", "aten::max.dim",
                         "aten::var.correction", "aten::cat"})
    CHECK(symbolic_ops.contains(op));
}

TEST_CASE("ops that do not compute expressions specialize their symbolic inputs", "[sym]") {
  fake::shape_env env;
  const tensor_desc a = fake::make_symbolic(fake::empty({8, 32}), env, "a");
  const fake::op_registry& ops = fake::op_registry::global();
  // a pointwise op keeps the expressions and records nothing
  const tensor_desc sum = ops.get("aten::add.Tensor")({a, a}).at(0).to_tensor();
  CHECK(str(fake::sym_sizes(sum)) == "[s0, s1]");
  CHECK(env.guards().empty());
  CHECK(env.check_guards({9, 33}));
  // cumsum has no symbolic rule: its result is concrete and its input is guarded to the hints
  const tensor_desc scan = ops.get("aten::cumsum")({a, std::int64_t{1}}).at(0).to_tensor();
  CHECK_FALSE(scan.is_symbolic());
  CHECK(scan.sizes() == dim_vector{8, 32});
  CHECK(env.check_guards(env.hints()));
  CHECK_FALSE(env.check_guards({9, 32}));
  // an in-place op writes self, whose expressions it did not recompute
  fake::shape_env env2;
  const tensor_desc x = fake::make_symbolic(fake::empty({4, 6}), env2, "x");
  const tensor_desc y = fake::make_symbolic(fake::empty({6}), env2, "y");
  (void)ops.get("aten::add_.Tensor")({x, y});
  CHECK_FALSE(env2.guards().empty());
  CHECK_FALSE(env2.check_guards({5, 6}));
}

TEST_CASE("the mm family, softmax, layer_norm, embedding and the reductions keep expressions", "[sym]") {
  const fake::op_registry& ops = fake::op_registry::global();
  const auto call = [&](const char* op, fake::stack args, std::size_t output = 0) {
    return ops.get(op)(std::move(args)).at(output).to_tensor();
  };
  const auto geometry = [](const tensor_desc& t) {
    REQUIRE(t.is_symbolic());
    return str(fake::sym_sizes(t)) + " " + str(fake::sym_strides(t));
  };
  SECTION("mm and addmm: the inner sizes are one symbol (duck shaping), so no guard") {
    fake::shape_env env;
    const tensor_desc a = fake::make_symbolic(fake::empty({8, 32}), env, "a");
    const tensor_desc b = fake::make_symbolic(fake::empty({32, 16}), env, "b");
    CHECK(geometry(call("aten::mm", {a, b})) == "[s0, s2] [s2, 1]");
    const tensor_desc bias = fake::make_symbolic(fake::empty({16}), env, "bias");
    CHECK(geometry(call("aten::addmm", {bias, a, b})) == "[s0, s2] [s2, 1]");
    CHECK(env.guards().empty());
    CHECK(env.check_guards({9, 40, 17}));
  }
  SECTION("mm of distinct symbols guards the inner sizes equal, as PyTorch's meta does") {
    fake::shape_env env(fake::shape_env::options{.duck_shape = false});
    const tensor_desc a = fake::make_symbolic(fake::empty({8, 32}), env, "a");
    const tensor_desc b = fake::make_symbolic(fake::empty({32, 16}), env, "b");
    CHECK(geometry(call("aten::mm", {a, b})) == "[s0, s3] [s3, 1]");
    INFO(env.guards_string());
    CHECK(env.guards().size() == 1);
    CHECK(env.check_guards({9, 40, 40, 17}));
    CHECK_FALSE(env.check_guards({9, 40, 41, 17}));
  }
  SECTION("bmm of attention scores") {
    fake::shape_env env;
    const tensor_desc q = fake::make_symbolic(fake::empty({12, 128, 64}), env, "q");
    const tensor_desc k = fake::transpose(q, 1, 2);
    CHECK(geometry(call("aten::bmm", {q, k})) == "[s0, s1, s1] [s1**2, s1, 1]");
  }
  SECTION("softmax, sum, mean, amax and max.dim over the last dim") {
    fake::shape_env env;
    const tensor_desc x = fake::make_symbolic(fake::empty({4, 12, 128}), env, "x");
    CHECK(geometry(call("aten::_softmax", {x, std::int64_t{-1}, false})) == "[s0, s1, s2] [s1*s2, s2, 1]");
    CHECK(geometry(call("aten::sum.dim_IntList", {x, dim_vector{-1}, false})) == "[s0, s1] [s1, 1]");
    CHECK(geometry(call("aten::mean.dim", {x, dim_vector{1}, true})) == "[s0, 1, s2] [s2, s2, 1]");
    CHECK(geometry(call("aten::amax", {x, dim_vector{0, 2}, false})) == "[s1] [1]");
    CHECK(geometry(call("aten::max.dim", {x, std::int64_t{2}, false}, 1)) == "[s0, s1] [s1, 1]");
    // a full reduction is 0-dim: nothing of the input's sizes is read, so nothing is guarded
    const tensor_desc total = call("aten::sum", {x});
    CHECK(total.dim() == 0);
    CHECK(env.check_guards({5, 13, 129}));
  }
  SECTION("cat of a key cache and a new key grows the sequence symbol") {
    fake::shape_env env;
    const tensor_desc past = fake::make_symbolic(fake::empty({2, 12, 100, 64}), env, "past");
    const tensor_desc next = fake::make_symbolic(fake::empty({2, 12, 1, 64}), env, "next");  // 1 specializes
    const tensor_desc keys = call("aten::cat", {std::vector<tensor_desc>{past, next}, std::int64_t{2}});
    REQUIRE(keys.is_symbolic());
    CHECK(str(fake::sym_sizes(keys)) == "[s0, s1, s2 + 1, s3]");
    const std::vector<std::int64_t> other{3, 4, 50, 8};
    REQUIRE(env.check_guards(other));
    const fake::runtime_geometry g = fake::evaluate(fake::sym_geometry_of(keys), other);
    CHECK(g.sizes == dim_vector{3, 4, 51, 8});
    CHECK(g.strides == fake::contiguous_strides(g.sizes));
  }
  SECTION("layer_norm specializes the normalized width to the weight's sizes; embedding keeps the ids' symbols") {
    fake::shape_env env;
    const tensor_desc ids = fake::make_symbolic(fake::empty({8, 128}, fake::dtype::int64), env, "ids");
    const tensor_desc wte = fake::empty({50257, 768});
    const tensor_desc h = call("aten::embedding", {wte, ids});
    CHECK(geometry(h) == "[s0, s1, 768] [768*s1, 768, 1]");
    const tensor_desc w = fake::empty({768});
    const tensor_desc normed = call("aten::native_layer_norm", {h, dim_vector{768}, w, w, 1e-5});
    CHECK(geometry(normed) == "[s0, s1, 768] [768*s1, 768, 1]");
    CHECK(geometry(call("aten::native_layer_norm", {h, dim_vector{768}, w, w, 1e-5}, 2)) == "[s0, s1, 1] [s1, 1, 1]");
    CHECK(env.guards().empty());
    // a symbolic width compared with the concrete normalized_shape is guarded to
    // it: wherever the guards hold, the output is [batch, 768] contiguous
    const tensor_desc x = fake::make_symbolic(fake::empty({8, 768}), env, "x");
    const tensor_desc y = call("aten::native_layer_norm", {x, dim_vector{768}, w, w, 1e-5});
    REQUIRE(y.is_symbolic());
    CHECK(env.check_guards({9, 100, 768}));
    CHECK_FALSE(env.check_guards({9, 100, 769}));
    const fake::runtime_geometry at9 = fake::evaluate(fake::sym_geometry_of(y), std::vector<std::int64_t>{9, 100, 768});
    CHECK(at9.sizes == dim_vector{9, 768});
    CHECK(at9.strides == dim_vector{768, 1});
  }
}

TEST_CASE("SymInt[] arguments: ops with a symbolic rule keep them, the others specialize them with a guard", "[sym]") {
  fake::shape_env env;
  const tensor_desc x = fake::make_symbolic(fake::empty({8, 6}), env, "x", {0});  // a dynamic batch
  const sym_int b = fake::sym_size(x, 0);
  const fake::ivalue sizes = fake::sym_ivalue(fake::sym_dims{b, 2, 3});
  REQUIRE(sizes.is_sym_int_list());
  CHECK(sizes.to_sym_ints().to_string() == "[s0, 2, 3]");
  CHECK(str(fake::to_sym_dims(sizes)) == "[s0, 2, 3]");
  CHECK(fake::sym_ivalue(fake::sym_dims{2, 3}).kind() == fake::ivalue_kind::int_list);  // constant sizes are a plain int[]
  const fake::op_registry& ops = fake::op_registry::global();
  // view's kernel computes the expressions: nothing is guarded
  const tensor_desc v = ops.get("aten::view")({x, sizes}).at(0).to_tensor();
  CHECK(str(fake::sym_sizes(v)) == "[s0, 2, 3]");
  CHECK(str(fake::sym_strides(v)) == "[6, 3, 1]");
  CHECK(env.guards().empty());
  // arithmetic on sizes is an op too (_operator.mul, as make_fx records it)
  const fake::stack product = ops.get("_operator::mul")({fake::sym_ivalue(b), std::int64_t{6}});
  REQUIRE(product.at(0).is_sym_int());
  CHECK(product.at(0).to_sym_ints().to_string() == "6*s0");
  // new_zeros computes no expressions: the sizes are specialized to their
  // hints, and the guard refuses other batches
  const tensor_desc z = ops.get("aten::new_zeros")({x, sizes}).at(0).to_tensor();
  CHECK_FALSE(z.is_symbolic());
  CHECK(z.sizes() == dim_vector{8, 2, 3});
  CHECK(env.check_guards({8}));
  CHECK_FALSE(env.check_guards({9}));
}

TEST_CASE("the dispatch cache keys symbolic calls on their expressions and gives back the caller's", "[sym][cache]") {
  fake::mode<fake::memo::dispatch_cache<>> m;
  fake::shape_env env;
  const tensor_desc x = fake::make_symbolic(fake::empty({8, 6}), env, "x");
  const sym_int n = fake::sym_size(x, 0) * fake::sym_size(x, 1);
  fake::mode_guard on(m);
  // a SymInt argument: the second call is a hit, with the same expressions
  for (int i = 0; i < 2; ++i) CHECK(str(fake::sym_sizes(fake::at::arange(n, fake::dtype::int64, fake::device{}))) == "[s0*s1]");
  CHECK(m.cache_info().misses == 1);
  CHECK(m.cache_info().hits == 1);
  // a symbolic tensor argument: likewise
  const tensor_desc w = fake::empty({6, 4});
  const tensor_desc first = fake::at::mm(x, w);
  const std::size_t guards = env.guards().size();  // mm guarded the inner size: s1 == 6
  const tensor_desc again = fake::at::mm(x, w);
  CHECK(m.cache_info().hits == 2);
  CHECK(env.guards().size() == guards);  // the hit decided nothing again
  CHECK(str(fake::sym_sizes(again)) == "[s0, 4]");
  CHECK_FALSE(again.shares_storage_with(first));  // a fresh tensor, as on a miss
  // the same hints but other expressions are another key: a tensor of 8 x 6
  // whose sizes are other symbols, and a concrete 8 x 6
  fake::shape_env other_env;
  const tensor_desc y = fake::make_symbolic(fake::empty({8, 6}), other_env, "y");
  CHECK(str(fake::sym_sizes(fake::at::mm(y, w))) == "[s0, 4]");
  CHECK_FALSE(fake::at::mm(fake::empty({8, 6}), w).is_symbolic());
  CHECK(m.cache_info().hits == 2);
  CHECK(m.cache_info().misses == 4);
}

TEST_CASE("with a shape environment, fake::mode gives data-dependent ops unbacked sizes", "[sym][mode]") {
  const fake::op_registry& ops = fake::op_registry::global();
  const auto call = [&](const char* op, fake::stack args) { return ops.get(op)(std::move(args)); };
  const tensor_desc x = fake::empty({4, 5});
  SECTION("without one they raise, as FakeTensorMode without a ShapeEnv does") {
    fake::mode<> m;
    fake::mode_guard on(m);
    CHECK_THROWS_AS(call("aten::nonzero", {x}), fake::dynamic_output_shape_error);
    CHECK_THROWS_AS(call("aten::_local_scalar_dense", {fake::empty({}, fake::dtype::int64)}), fake::data_dependent_error);
  }
  fake::shape_env env;
  fake::mode<> m({.shapes = &env});
  fake::mode_guard on(m);
  SECTION("nonzero: [u0, dim] int64, the same symbol until the tensor is written") {
    const tensor_desc nz = call("aten::nonzero", {x}).at(0).to_tensor();
    CHECK(nz.dtype() == fake::dtype::int64);
    CHECK(str(fake::sym_sizes(nz)) == "[u0, 2]");
    CHECK(str(fake::sym_strides(nz)) == "[2, 1]");
    CHECK(env.range_of(fake::sym_size(nz, 0)) == fake::sym_range{0, 20});
    CHECK(nz.sizes() == dim_vector{20, 2});  // the concrete sizes are the symbol's example (its range's bound)
    CHECK(str(fake::sym_sizes(call("aten::nonzero", {x}).at(0).to_tensor())) == "[u0, 2]");
    (void)call("aten::add_.Scalar", {x, 1.0});  // a write: the count may have changed
    CHECK(str(fake::sym_sizes(call("aten::nonzero", {x}).at(0).to_tensor())) == "[u1, 2]");
    // ops with symbolic rules carry it on; one that must compare it with a number cannot
    CHECK(str(fake::sym_sizes(call("aten::mul.Scalar", {nz, 2.0}).at(0).to_tensor())) == "[u0, 2]");
    // the concrete sizes are the example 20, but nothing assumes u0 is 20
    CHECK_THROWS_AS(call("aten::add.Tensor", {nz, fake::empty({20, 2}, fake::dtype::int64)}), fake::data_dependent_error);
  }
  SECTION("masked_select, _unique2, unique_dim and repeat_interleave with tensor repeats") {
    const tensor_desc mask = fake::empty({5}, fake::dtype::bool_);
    const tensor_desc sel = call("aten::masked_select", {x, mask}).at(0).to_tensor();
    CHECK(str(fake::sym_sizes(sel)) == "[u0]");
    CHECK(env.range_of(fake::sym_size(sel, 0)) == fake::sym_range{0, 20});
    CHECK(str(fake::sym_sizes(call("aten::masked_select", {x, mask}).at(0).to_tensor())) == "[u1]");  // no memo
    CHECK_THROWS_AS(call("aten::masked_select", {x, fake::empty({3}, fake::dtype::bool_)}), fake::shape_error);
    const fake::stack u = call("aten::_unique2", {x, true, true, true});
    CHECK(str(fake::sym_sizes(u.at(0).to_tensor())) == "[u2]");
    CHECK(u.at(1).to_tensor().sizes() == dim_vector{4, 5});
    CHECK(u.at(1).to_tensor().dtype() == fake::dtype::int64);
    CHECK(str(fake::sym_sizes(u.at(2).to_tensor())) == "[u2]");
    CHECK(call("aten::_unique2", {x}).at(1).to_tensor().sizes() == dim_vector{0});
    const tensor_desc rep = call("aten::repeat_interleave.Tensor", {fake::empty({6}, fake::dtype::int32)}).at(0).to_tensor();
    CHECK(str(fake::sym_sizes(rep)) == "[u3]");
    CHECK(rep.dtype() == fake::dtype::int32);
    const fake::stack ud = call("aten::unique_dim", {x, std::int64_t{-1}, true, true, true});
    CHECK(str(fake::sym_sizes(ud.at(0).to_tensor())) == "[4, u4]");
    CHECK(env.range_of(fake::sym_size(ud.at(0).to_tensor(), 1)) == fake::sym_range{0, 5});
    CHECK(ud.at(1).to_tensor().sizes() == dim_vector{5});
    CHECK(str(fake::sym_sizes(ud.at(2).to_tensor())) == "[u4]");
  }
  SECTION("item() of an integer tensor is an unbacked SymInt, memoized; of a float tensor, an error") {
    const tensor_desc count = fake::empty({}, fake::dtype::int64);
    const fake::ivalue v = call("aten::_local_scalar_dense", {count}).at(0);
    REQUIRE(v.is_sym_int());
    const sym_int n = fake::to_sym_int(v);
    CHECK(str(n) == "u0");
    CHECK(fake::to_sym_int(call("aten::_local_scalar_dense", {count}).at(0)).same_as(n));
    CHECK_THROWS_AS(call("aten::_local_scalar_dense", {fake::empty({})}), fake::data_dependent_error);
    CHECK_THROWS_AS(static_cast<bool>(n > 3), fake::data_dependent_error);  // no hint to decide it
  }
}

TEST_CASE("a trace through data-dependent ops records the unbacked sizes it uses", "[sym][trace]") {
  fake::shape_env env;
  fake::mode<fake::trace::graph> m({.shapes = &env});
  const fake::graph g = fake::make_graph(
      m,
      [](const tensor_desc& x) {
        const tensor_desc nz = fake::at::masked_select(x, fake::at::detail::call1<"aten::gt.Scalar">(x, 0.0));
        return fake::at::view(nz, fake::sym_dims{fake::sym_size(nz, 0), 1});  // a column: [u0, 1]
      },
      fake::empty({4, 5}));
  g.lint();
  const std::string code = fake::to_code(g);
  INFO(code);
  CHECK_THAT(code, Catch::Contains("torch.ops.aten.sym_size.int(masked_select, 0)  # Sym(u0)"));
  CHECK_THAT(code, Catch::Contains("f32[u0, 1]"));
}
