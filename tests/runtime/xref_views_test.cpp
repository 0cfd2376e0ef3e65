// The view-op cases of the public cross-reference corpus (tests/data/xref/
// cases.jsonl, generated from PyTorch 1.13 and checked against its real
// kernels), run directly through fake::tensor_desc's view ops. The general
// runner (fake-xref) comes with the kernels; this pins the view ops now.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "faketensor/view/ops.hpp"
#include "test_support.hpp"

using fake::dim_vector;
using fake::tensor_desc;
using nlohmann::json;

namespace {

using op_fn = std::function<std::vector<tensor_desc>(const std::vector<json>& args, const std::vector<tensor_desc>& tensors)>;

std::int64_t i64(const json& a) { return a.at("i").get<std::int64_t>(); }
dim_vector ints(const json& a) { return fake::testing::dims_of(a.at("ints")); }
std::optional<std::int64_t> opt_i64(const json& a) {
  if (a.contains("none")) return std::nullopt;
  return i64(a);
}
std::vector<tensor_desc> one(tensor_desc t) { return {std::move(t)}; }

// Argument i, or the schema default when the case omits it.
const json& arg(const std::vector<json>& args, std::size_t i, const json& fallback) { return i < args.size() ? args[i] : fallback; }

const std::map<std::string, op_fn>& view_ops() {
  static const json zero = {{"i", 0}}, one_i = {{"i", 1}}, minus_one = {{"i", -1}}, none = {{"none", true}};
  static const std::map<std::string, op_fn> ops = {
      {"aten::view", [](auto& a, auto& t) { return one(fake::view(t[0], ints(a[1]))); }},
      {"aten::view_as", [](auto&, auto& t) { return one(fake::view_as(t[0], t[1])); }},
      {"aten::_unsafe_view", [](auto& a, auto& t) { return one(fake::unsafe_view(t[0], ints(a[1]))); }},
      {"aten::reshape", [](auto& a, auto& t) { return one(fake::reshape(t[0], ints(a[1]))); }},
      {"aten::transpose.int", [](auto& a, auto& t) { return one(fake::transpose(t[0], i64(a[1]), i64(a[2]))); }},
      {"aten::t", [](auto&, auto& t) { return one(fake::t(t[0])); }},
      {"aten::permute", [](auto& a, auto& t) { return one(fake::permute(t[0], ints(a[1]))); }},
      {"aten::movedim.int",
       [](auto& a, auto& t) { return one(fake::movedim(t[0], dim_vector{i64(a[1])}, dim_vector{i64(a[2])})); }},
      {"aten::narrow", [](auto& a, auto& t) { return one(fake::narrow(t[0], i64(a[1]), i64(a[2]), i64(a[3]))); }},
      {"aten::select.int", [](auto& a, auto& t) { return one(fake::select(t[0], i64(a[1]), i64(a[2]))); }},
      {"aten::slice.Tensor",
       [](auto& a, auto& t) {
         return one(fake::slice(t[0], i64(arg(a, 1, zero)), opt_i64(arg(a, 2, none)), opt_i64(arg(a, 3, none)),
                                i64(arg(a, 4, one_i))));
       }},
      {"aten::unsqueeze", [](auto& a, auto& t) { return one(fake::unsqueeze(t[0], i64(a[1]))); }},
      {"aten::squeeze", [](auto&, auto& t) { return one(fake::squeeze(t[0])); }},
      {"aten::squeeze.dim", [](auto& a, auto& t) { return one(fake::squeeze(t[0], i64(a[1]))); }},
      {"aten::expand", [](auto& a, auto& t) { return one(fake::expand(t[0], ints(a[1]))); }},
      {"aten::expand_as", [](auto&, auto& t) { return one(fake::expand_as(t[0], t[1])); }},
      {"aten::as_strided",
       [](auto& a, auto& t) { return one(fake::as_strided(t[0], ints(a[1]), ints(a[2]), opt_i64(arg(a, 3, none)))); }},
      {"aten::diagonal",
       [](auto& a, auto& t) {
         return one(fake::diagonal(t[0], i64(arg(a, 1, zero)), i64(arg(a, 2, zero)), i64(arg(a, 3, one_i))));
       }},
      {"aten::unfold", [](auto& a, auto& t) { return one(fake::unfold(t[0], i64(a[1]), i64(a[2]), i64(a[3]))); }},
      {"aten::split.Tensor", [](auto& a, auto& t) { return fake::split(t[0], i64(a[1]), i64(arg(a, 2, zero))); }},
      {"aten::split_with_sizes",
       [](auto& a, auto& t) { return fake::split_with_sizes(t[0], ints(a[1]), i64(arg(a, 2, zero))); }},
      {"aten::chunk", [](auto& a, auto& t) { return fake::chunk(t[0], i64(a[1]), i64(arg(a, 2, zero))); }},
      {"aten::unbind.int", [](auto& a, auto& t) { return fake::unbind(t[0], i64(arg(a, 1, zero))); }},
      {"aten::flatten.using_ints",
       [](auto& a, auto& t) { return one(fake::flatten(t[0], i64(arg(a, 1, zero)), i64(arg(a, 2, minus_one)))); }},
      {"aten::view_as_real", [](auto&, auto& t) { return one(fake::view_as_real(t[0])); }},
      {"aten::view_as_complex", [](auto&, auto& t) { return one(fake::view_as_complex(t[0])); }},
      {"aten::alias", [](auto&, auto& t) { return one(fake::alias(t[0])); }},
      {"aten::detach", [](auto&, auto& t) { return one(fake::detach(t[0])); }},
  };
  return ops;
}

// Builds the case's tensors; those naming the same "storage" share one.
std::vector<tensor_desc> make_tensors(const std::vector<json>& args) {
  std::map<std::int64_t, fake::storage> storages;
  std::vector<tensor_desc> out;
  for (const json& a : args) {
    if (!a.contains("t")) {
      out.emplace_back();
      continue;
    }
    const json& t = a.at("t");
    const dim_vector sizes = fake::testing::dims_of(t.at("size"));
    const dim_vector strides = fake::testing::dims_of(t.at("stride"));
    const std::int64_t offset = t.at("offset").get<std::int64_t>();
    const fake::dtype dt = fake::testing::dtype_of(t.at("dtype"));
    const fake::device dev = fake::parse_device(t.at("device").get<std::string>());
    fake::storage st;
    if (t.contains("storage")) {
      const auto k = t.at("storage").get<std::int64_t>();
      if (!storages.count(k))
        storages.emplace(k, fake::storage(t.at("storage_size").get<std::int64_t>() * fake::itemsize(dt), dev));
      st = storages.at(k);
    } else {
      st = fake::storage(fake::storage_nbytes(sizes, strides, fake::itemsize(dt), offset), dev);
    }
    out.emplace_back(sizes, strides, offset, dt, st);
  }
  return out;
}

}  // namespace

TEST_CASE("view-op cases of the cross-reference corpus match PyTorch", "[view][xref]") {
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  std::string line;
  int ran = 0;
  while (std::getline(in, line)) {
    const json c = json::parse(line);
    const auto it = view_ops().find(c.at("op").get<std::string>());
    if (it == view_ops().end()) continue;
    ++ran;
    INFO(c.at("id").get<std::string>() << ": " << line);
    const std::vector<json> args = c.at("args").get<std::vector<json>>();
    const std::vector<tensor_desc> tensors = make_tensors(args);
    const json& expect = c.at("expect");
    if (expect.contains("error")) {
      CHECK_THROWS_AS(it->second(args, tensors), fake::error);
      continue;
    }
    const std::vector<tensor_desc> outs = it->second(args, tensors);
    const json& expected = expect.at("out");
    REQUIRE(outs.size() == expected.size());
    for (std::size_t k = 0; k < outs.size(); ++k) {
      const json& e = expected[k];
      CHECK(outs[k].sizes() == fake::testing::dims_of(e.at("size")));
      CHECK(outs[k].strides() == fake::testing::dims_of(e.at("stride")));
      CHECK(outs[k].storage_offset() == e.at("offset").get<std::int64_t>());
      CHECK(outs[k].dtype() == fake::testing::dtype_of(e.at("dtype")));
      CHECK(fake::to_string(outs[k].device()) == e.at("device").get<std::string>());
      if (e.at("alias").is_null()) {
        for (const auto& t : tensors) CHECK_FALSE(outs[k].shares_storage_with(t));
      } else if (e.at("alias").is_number()) {
        CHECK(outs[k].shares_storage_with(tensors.at(e.at("alias").get<std::size_t>())));
      }
    }
  }
  CHECK(ran >= 55);
}
