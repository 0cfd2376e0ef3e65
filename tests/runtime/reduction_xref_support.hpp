// Shared by reduction_test.cpp and linalg_test.cpp: runs the cases of the
// cross-reference corpus (tests/data/xref/cases.jsonl) whose op matches a
// filter through a registry holding the reduction and linalg ops, and checks
// every output (sizes, strides, offset, dtype, device, aliasing) or the error
// kind.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "faketensor/ops/linalg.hpp"
#include "faketensor/ops/reduction.hpp"
#include "faketensor/dispatch/operator.hpp"
#include "test_support.hpp"

namespace fake::testing {

// The global registry: tools/aten_ops.cpp brings the op families in
// (Note [built-in op families]).
inline op_registry& reduction_linalg_registry() { return op_registry::global(); }

struct xref_decoder {
  std::map<std::int64_t, fake::storage> storages;

  tensor_desc tensor(const nlohmann::json& t) {
    const dim_vector sizes = dims_of(t.at("size"));
    const dim_vector strides_ = dims_of(t.at("stride"));
    const std::int64_t offset = t.at("offset").get<std::int64_t>();
    const dtype dt = dtype_of(t.at("dtype"));
    const device dev = parse_device(t.at("device").get<std::string>());
    if (t.contains("storage")) {
      const std::int64_t k = t.at("storage").get<std::int64_t>();
      auto it = storages.find(k);
      if (it == storages.end())
        it = storages.emplace(k, fake::storage(t.at("storage_size").get<std::int64_t>() * itemsize(dt), dev)).first;
      return tensor_desc(sizes, strides_, offset, dt, it->second);
    }
    return tensor_desc(sizes, strides_, offset, dt, fake::storage(storage_nbytes(sizes, strides_, itemsize(dt), offset), dev));
  }

  ivalue value(const nlohmann::json& a) {
    if (a.contains("t")) return ivalue(tensor(a.at("t")));
    if (a.contains("tl")) {
      std::vector<tensor_desc> ts;
      for (const auto& e : a.at("tl")) ts.push_back(tensor(e.at("t")));
      return ivalue(std::move(ts));
    }
    if (a.contains("i")) return ivalue(a.at("i").get<std::int64_t>());
    if (a.contains("f")) return ivalue(a.at("f").get<double>());
    if (a.contains("b")) return ivalue(a.at("b").get<bool>());
    if (a.contains("ints")) return ivalue(dims_of(a.at("ints")));
    if (a.contains("none")) return ivalue();
    if (a.contains("dtype")) return ivalue(dtype_of(a.at("dtype")));
    if (a.contains("device")) return ivalue(parse_device(a.at("device").get<std::string>()));
    if (a.contains("str")) return ivalue(a.at("str").get<std::string>());
    throw std::runtime_error("xref: unknown argument encoding " + a.dump());
  }
};

// Runs every case whose op matches `op_regex`; returns how many ran.
inline int run_xref_cases(const std::string& op_regex) {
  const std::regex filter(op_regex);
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  int ran = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json c = nlohmann::json::parse(line);
    const std::string op_name = c.at("op").get<std::string>();
    if (!std::regex_match(op_name, filter)) continue;
    ++ran;
    INFO("case " << c.at("id").get<std::string>() << ": " << line);
    xref_decoder dec;
    stack args;
    for (const auto& a : c.at("args")) args.push_back(dec.value(a));
    std::vector<std::pair<std::string, ivalue>> kwargs;
    for (const auto& [k, v] : c.at("kwargs").items()) kwargs.emplace_back(k, dec.value(v));
    const stack inputs = args;
    std::vector<std::pair<std::string, ivalue>> kw_inputs = kwargs;
    const op_overload& op = reduction_linalg_registry().get(op_name);
    const auto& expect_ = c.at("expect");
    if (expect_.contains("error")) {
      const std::string kind = expect_.at("error").at("kind").get<std::string>();
      if (kind == "device") {
        CHECK_THROWS_AS(op(op.bind(args, kwargs)), fake::device_error);
      } else {
        try {
          op(op.bind(args, kwargs));
          FAIL("expected an error: " << expect_.dump());
        } catch (const fake::device_error& e) {
          FAIL("a device_error where another error was expected: " << e.what());
        } catch (const fake::error& e) {
          SUCCEED(e.what());
        }
      }
      continue;
    }
    stack out;
    try {
      out = op(op.bind(args, kwargs));
    } catch (const fake::error& e) {
      FAIL("unexpected error: " << e.what());
    }
    std::vector<tensor_desc> results;
    for (const ivalue& v : out) {
      if (v.is_tensor()) results.push_back(v.to_tensor());
      else if (v.is_tensor_list())
        for (const tensor_desc& t : v.to_tensor_list()) results.push_back(t);
    }
    const auto& want = expect_.at("out");
    REQUIRE(results.size() == want.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      const tensor_desc& r = results[i];
      const auto& w = want[i];
      CHECK(r.sizes() == dims_of(w.at("size")));
      CHECK(r.strides() == dims_of(w.at("stride")));
      CHECK(r.storage_offset() == w.at("offset").get<std::int64_t>());
      CHECK(r.dtype() == dtype_of(w.at("dtype")));
      CHECK(r.device() == parse_device(w.at("device").get<std::string>()));
      const auto& alias = w.at("alias");
      if (alias.is_null()) {
        for (const ivalue& a : inputs)
          if (a.is_tensor()) CHECK_FALSE(r.shares_storage_with(a.to_tensor()));
      } else if (alias.is_string()) {
        for (const auto& [k, v] : kw_inputs)
          if (k == "out") CHECK(r.shares_storage_with(v.to_tensor()));
      } else {
        CHECK(r.shares_storage_with(inputs.at(alias.get<std::size_t>()).to_tensor()));
      }
    }
  }
  return ran;
}

// The what() of the Error that f throws; a test failure when it throws none.
template <class Error, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no error");
  return {};
}

}  // namespace fake::testing
