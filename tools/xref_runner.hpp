// tools/xref_runner.hpp — runs operator-metadata cross-reference cases (the
// format of tests/data/xref/FORMAT.md) through the type-erased path by op name
// and compares every output with what PyTorch gave. fake-xref (tools/fake_xref.cpp)
// is its command line; tests/runtime/xref_runner_test.cpp its tests.
//
// A case passes when each output's sizes, strides, storage offset, dtype,
// device and aliasing match, or when the op fails with the expected kind of
// error. It is skipped when the op is not supported (no such op in the
// registry, or no kernel for the key it dispatches to). Anything wrong with
// the case itself (bad JSON, unknown dtype, a tensor reaching past its
// storage, a malformed op name) is reported as a failure of that case; the run
// goes on.
#pragma once

#include <cstdint>     // std::int64_t
#include <functional>  // std::function
#include <istream>     // std::istream
#include <map>         // std::map
#include <optional>    // std::optional
#include <ostream>     // std::ostream
#include <regex>       // std::regex
#include <string>      // std::string
#include <utility>     // std::pair
#include <vector>      // std::vector

#include <nlohmann/json.hpp>  // nlohmann::json

#include "faketensor/dispatch/operator.hpp"  // fake::op_registry, fake::call
#include "faketensor/meta/tensor_desc.hpp"   // fake::tensor_desc

namespace fake::xref {

enum class outcome { passed, failed, skipped };

struct case_result {
  outcome result = outcome::passed;
  std::string id;
  std::string detail;  // failed: what differs, field by field; skipped: why
  // The op and its bound arguments as called, and its tensor results (set
  // once the op ran): for callers that check more than the metadata
  // (tests/runtime/sym_test.cpp re-runs a case at other sizes).
  const op_overload* op = nullptr;
  stack inputs;
  std::vector<tensor_desc> outputs;
};

// How run_case builds a case's arguments.
struct case_options {
  // Applied to each Tensor argument, and each tensor of a Tensor[] argument,
  // that the case gives its own storage (not to ones sharing a storage
  // number), with the argument's position: e.g. to make it symbolic.
  std::function<tensor_desc(const tensor_desc&, std::size_t)> adapt_input;
};

struct summary {
  std::size_t passed = 0, failed = 0, skipped = 0;
};

namespace detail {

using nlohmann::json;

// A problem with the case itself (not with faketensor's answer).
struct malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline dtype dtype_of(const json& j) {
  if (!j.is_string()) throw malformed("dtype is not a string: " + j.dump());
  const auto d = parse_dtype(j.get<std::string>());
  if (!d) throw malformed("unknown dtype " + j.dump());
  return *d;
}

inline dim_vector ints_of(const json& j, const char* what) {
  if (!j.is_array()) throw malformed(std::string(what) + " is not a list: " + j.dump());
  dim_vector out;
  for (const json& v : j) {
    if (!v.is_number_integer()) throw malformed(std::string(what) + " holds a non-integer: " + j.dump());
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}

inline device device_of(const json& j) {
  if (!j.is_string()) throw malformed("device is not a string: " + j.dump());
  try {
    return parse_device(j.get<std::string>());
  } catch (const fake::error& e) {
    throw malformed(std::string("bad device: ") + e.what());
  }
}

// The tensors of one case: shared storages by their `storage` number.
class tensor_builder {
 public:
  tensor_desc make(const json& t) {
    if (!t.is_object()) throw malformed("tensor is not an object: " + t.dump());
    const dim_vector sizes = ints_of(t.at("size"), "size");
    const dim_vector strides = ints_of(t.at("stride"), "stride");
    if (sizes.size() != strides.size()) throw malformed("size and stride have different lengths: " + t.dump());
    const std::int64_t offset = t.value("offset", std::int64_t{0});
    const dtype dt = dtype_of(t.at("dtype"));
    const device dev = t.contains("device") ? device_of(t.at("device")) : device{};
    for (std::int64_t s : sizes)
      if (s < 0) throw malformed("negative size: " + t.dump());
    for (std::int64_t s : strides)
      if (s < 0) throw malformed("negative stride: " + t.dump());
    if (offset < 0) throw malformed("negative offset: " + t.dump());
    fake::storage st;
    if (t.contains("storage")) {
      const std::int64_t k = t.at("storage").get<std::int64_t>();
      const std::int64_t elements = t.at("storage_size").get<std::int64_t>();
      if (elements < 0) throw malformed("negative storage_size: " + t.dump());
      auto it = storages_.find(k);
      if (it == storages_.end())
        it = storages_.emplace(k, fake::storage(checked_mul<"xref">(elements, itemsize(dt)), dev)).first;
      st = it->second;
    } else {
      st = fake::storage(storage_nbytes(sizes, strides, itemsize(dt), offset), dev);
    }
    try {
      return tensor_desc(sizes, strides, offset, dt, st);  // checks the geometry fits the storage
    } catch (const fake::error& e) {
      throw malformed(std::string("bad input tensor: ") + e.what());
    }
  }

 private:
  std::map<std::int64_t, fake::storage> storages_;
};

inline ivalue value_of(const json& a, tensor_builder& tensors) {
  if (!a.is_object() || a.size() != 1) throw malformed("an argument must be an object with one key: " + a.dump());
  const auto first = a.begin();
  const std::string key = first.key();
  const json& v = first.value();
  if (key == "t") return tensors.make(v);
  if (key == "tl") {
    if (!v.is_array()) throw malformed("tl is not a list: " + a.dump());
    bool has_none = false;
    for (const json& e : v) has_none |= e.contains("none");
    if (!has_none) {
      std::vector<tensor_desc> list;
      for (const json& e : v) list.push_back(tensors.make(e.at("t")));
      return list;
    }
    std::vector<std::optional<tensor_desc>> list;
    for (const json& e : v) {
      if (e.contains("none")) list.emplace_back(std::nullopt);
      else list.emplace_back(tensors.make(e.at("t")));
    }
    return list;
  }
  if (key == "i") {
    if (!v.is_number_integer()) throw malformed("i is not an integer: " + a.dump());
    return v.get<std::int64_t>();
  }
  if (key == "f") {
    if (!v.is_number()) throw malformed("f is not a number: " + a.dump());
    return v.get<double>();
  }
  if (key == "b") {
    if (!v.is_boolean()) throw malformed("b is not a boolean: " + a.dump());
    return v.get<bool>();
  }
  if (key == "ints") return ints_of(v, "ints");
  if (key == "none") return {};
  if (key == "dtype") return dtype_of(v);
  if (key == "device") return device_of(v);
  if (key == "memory_format") {
    const auto m = v.is_string() ? parse_memory_format(v.get<std::string>()) : std::nullopt;
    if (!m) throw malformed("unknown memory_format " + v.dump());
    return *m;
  }
  if (key == "str") {
    if (!v.is_string()) throw malformed("str is not a string: " + a.dump());
    return v.get<std::string>();
  }
  throw malformed("unknown argument encoding '" + key + "'");
}

// The expected error kind of a faketensor error.
inline std::string kind_of(const fake::error& e) {
  if (dynamic_cast<const device_error*>(&e)) return "device";
  if (dynamic_cast<const dynamic_output_shape_error*>(&e)) return "dynamic_output_shape";
  if (dynamic_cast<const data_dependent_error*>(&e)) return "data_dependent";
  if (dynamic_cast<const unsupported_op_error*>(&e)) return "unsupported";
  return "other";
}

inline std::string str(const dim_vector& v) { return to_string(v); }

// Flattens the results (a Tensor[] result into its elements).
inline std::vector<tensor_desc> tensors_of(const stack& results) {
  std::vector<tensor_desc> out;
  for (const ivalue& v : results) {
    if (v.is_tensor()) out.push_back(v.to_tensor());
    else if (v.is_tensor_list())
      for (const tensor_desc& t : v.to_tensor_list()) out.push_back(t);
    else throw malformed("the op returned a " + std::string(name(v.kind())) + ", not tensors");
  }
  return out;
}

}  // namespace detail

// Runs one case (one parsed JSON object).
inline case_result run_case(const nlohmann::json& c, op_registry& registry = op_registry::global(),
                            const case_options& how = {}) {
  using detail::json;
  case_result r;
  r.id = c.is_object() && c.contains("id") && c.at("id").is_string() ? c.at("id").get<std::string>() : "<no id>";
  auto fail = [&](std::string why) {
    r.result = outcome::failed;
    r.detail = std::move(why);
    return r;
  };
  try {
    if (!c.is_object()) return fail("malformed case: not a JSON object");
    const std::string op_name = c.at("op").get<std::string>();
    const std::size_t colons = op_name.find("::");
    if (colons == std::string::npos || colons == 0 || colons + 2 >= op_name.size())
      return fail("malformed case: op '" + op_name + "' is not of the form ns::name[.overload]");
    op_overload* op = registry.find(op_name);
    if (op == nullptr) {
      r.result = outcome::skipped;
      r.detail = "op " + op_name + " is not supported";
      return r;
    }
    detail::tensor_builder tensors;
    stack args;
    for (const json& a : c.value("args", json::array())) {
      args.push_back(detail::value_of(a, tensors));
      if (how.adapt_input && args.back().is_tensor() && !a.at("t").contains("storage"))
        args.back() = how.adapt_input(args.back().to_tensor(), args.size() - 1);
      if (how.adapt_input && args.back().kind() == ivalue_kind::tensor_list) {
        std::vector<tensor_desc> list = args.back().to_tensor_list();
        for (std::size_t j = 0; j < list.size(); ++j)
          if (!a.at("tl").at(j).at("t").contains("storage")) list[j] = how.adapt_input(list[j], args.size() - 1);
        args.back() = ivalue(std::move(list));
      }
    }
    std::vector<std::pair<std::string, ivalue>> kwargs;
    std::optional<tensor_desc> out_kwarg;
    if (c.contains("kwargs")) {
      for (const auto& [k, v] : c.at("kwargs").items()) {
        kwargs.emplace_back(k, detail::value_of(v, tensors));
        if (k == "out" && kwargs.back().second.is_tensor()) out_kwarg = kwargs.back().second.to_tensor();
      }
    }
    const stack given = args;
    const json& expect = c.at("expect");

    stack results;
    r.op = op;
    try {
      r.inputs = op->bind(std::move(args), kwargs);
      results = (*op)(r.inputs);
    } catch (const unsupported_op_error& e) {
      if (std::string_view(e.what()).find("could not find kernel") != std::string_view::npos) {
        r.result = outcome::skipped;
        r.detail = e.what();
        return r;
      }
      if (expect.contains("error")) {
        const std::string want = expect.at("error").at("kind").get<std::string>();
        if (want == "unsupported") return r;
        return fail("expected error kind " + want + ", got unsupported: " + e.what());
      }
      return fail(std::string("expected success, got unsupported error: ") + e.what());
    } catch (const fake::error& e) {
      if (!expect.contains("error")) return fail(std::string("expected success, got ") + detail::kind_of(e) + " error: " + e.what());
      const std::string want = expect.at("error").at("kind").get<std::string>();
      const std::string got = detail::kind_of(e);
      if (want != got)
        return fail("expected error kind " + want + " (" + expect.at("error").value("message", "") + "), got " + got + ": " +
                    e.what());
      return r;
    }
    if (expect.contains("error"))
      return fail("expected error kind " + expect.at("error").at("kind").get<std::string>() + " (" +
                  expect.at("error").value("message", "") + "), got success");

    r.outputs = detail::tensors_of(results);
    const std::vector<tensor_desc>& outs = r.outputs;
    const json& want = expect.at("out");
    if (outs.size() != want.size())
      return fail("expected " + std::to_string(want.size()) + " outputs, got " + std::to_string(outs.size()));
    std::string diffs;
    for (std::size_t i = 0; i < outs.size(); ++i) {
      const json& w = want[i];
      const tensor_desc& g = outs[i];
      const std::string at = "out[" + std::to_string(i) + "].";
      auto differ = [&](const std::string& field, const std::string& expected, const std::string& got) {
        if (expected != got) diffs += (diffs.empty() ? "" : "; ") + at + field + " expected " + expected + " got " + got;
      };
      differ("size", detail::str(detail::ints_of(w.at("size"), "size")), detail::str(g.sizes()));
      differ("stride", detail::str(detail::ints_of(w.at("stride"), "stride")), detail::str(g.strides()));
      differ("offset", std::to_string(w.value("offset", std::int64_t{0})), std::to_string(g.storage_offset()));
      differ("dtype", to_string(detail::dtype_of(w.at("dtype"))), to_string(g.dtype()));
      if (w.contains("device")) differ("device", to_string(detail::device_of(w.at("device"))), to_string(g.device()));
      // aliasing: whose storage the output shares
      if (w.contains("alias")) {
        const json& a = w.at("alias");
        std::string expected, got;
        if (a.is_null()) {
          expected = "new storage";
        } else if (a.is_string() && a.get<std::string>() == "out") {
          expected = "the out argument's storage";
        } else if (a.is_number_integer()) {
          expected = "args[" + std::to_string(a.get<std::int64_t>()) + "]'s storage";
        } else {
          throw detail::malformed("bad alias " + a.dump());
        }
        got = "new storage";
        if (out_kwarg && g.shares_storage_with(*out_kwarg)) got = "the out argument's storage";
        for (std::size_t k = given.size(); k-- > 0;)
          if (given[k].is_tensor() && g.shares_storage_with(given[k].to_tensor())) got = "args[" + std::to_string(k) + "]'s storage";
        // several arguments on one storage: the expected index names one of them
        if (a.is_number_integer() && got != expected) {
          const auto n = static_cast<std::size_t>(a.get<std::int64_t>());
          if (n < given.size() && given[n].is_tensor() && g.shares_storage_with(given[n].to_tensor())) got = expected;
        }
        differ("alias", expected, got);
      }
    }
    if (!diffs.empty()) return fail(diffs);
    return r;
  } catch (const detail::malformed& e) {
    return fail(std::string("malformed case: ") + e.what());
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("malformed case: ") + e.what());
  } catch (const std::exception& e) {
    return fail(std::string("error while running the case: ") + e.what());
  }
}

struct options {
  std::optional<std::regex> filter;  // on the case id (which starts with the op name)
  bool verbose = false;
};

// Runs every case of a JSON Lines stream; prints one line per failed case (and
// per skipped one with verbose), then "N passed, M failed, K skipped".
inline summary run(std::istream& in, std::ostream& out, const options& opt = {}) {
  summary s;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json c;
    try {
      c = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      ++s.failed;
      out << "FAIL line " << number << ": malformed JSON: " << e.what() << "\n";
      continue;
    }
    const std::string id = c.is_object() && c.contains("id") && c.at("id").is_string() ? c.at("id").get<std::string>()
                                                                                        : "line " + std::to_string(number);
    if (opt.filter && !std::regex_search(id, *opt.filter)) continue;
    const case_result r = run_case(c);
    switch (r.result) {
      case outcome::passed: ++s.passed; break;
      case outcome::failed:
        ++s.failed;
        out << "FAIL " << id << ": " << r.detail << "\n";
        break;
      case outcome::skipped:
        ++s.skipped;
        if (opt.verbose) out << "SKIP " << id << ": " << r.detail << "\n";
        break;
    }
  }
  out << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped\n";
  return s;
}

}  // namespace fake::xref
