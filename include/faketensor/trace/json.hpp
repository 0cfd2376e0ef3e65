// faketensor/trace/json.hpp — graphs to JSON and back (nlohmann-json).
//
//   nlohmann::json j = fake::to_json(g);
//   fake::graph h = fake::graph_from_json(j);   // to_json(h) == j
//
// The format ("faketensor.graph/1"):
//   {"format": "faketensor.graph/1",
//    "storages": [{"nbytes": 4096, "device": "cuda:0"}, ...],
//    "nodes": [{"name": "addmm", "op": "call_function", "target": "aten::addmm",
//               "args": [{"node": "arg2_1"}, {"node": "view"}, {"node": "t"}], "kwargs": [],
//               "val": {"kind": "tensor", "tensors": [{"sizes": [32, 2304], "strides": [2304, 1],
//                        "offset": 0, "dtype": "float32", "storage": 3}]}}, ...]}
// An argument is an object with one key saying what it is: node, list, none,
// bool, int, float, str, ints, floats, bools, dtype, device, layout,
// memory_format (floats that JSON cannot hold are "inf", "-inf", "nan");
// keyword arguments are [name, argument] pairs in the order of the schema.
// Storages are numbered in order of first appearance, so tensors that shared a
// storage share it again after import (views keep their aliasing, not their
// view chain). Targets are looked up in op_registry::global(); an unknown op
// or a malformed document is a value_error naming the node. A HOP's
// subgraphs (Note [subgraphs]) are under "subgraphs", each a document of its
// own, and its node's target is "higher_order::cond".
#pragma once

#include <cmath>          // std::isinf, std::isnan
#include <limits>         // std::numeric_limits
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include <nlohmann/json.hpp>  // nlohmann::json

#include "faketensor/trace/graph.hpp"  // fake::graph

namespace fake {

inline constexpr std::string_view graph_json_format = "faketensor.graph/1";

namespace detail {
using json = nlohmann::json;

inline json float_to_json(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  return d;
}
inline double float_from_json(const json& j) {
  if (j.is_string()) {
    const auto s = j.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    throw value_error("graph json: bad float '" + s + "'");
  }
  return j.get<double>();
}

inline json constant_to_json(const graph_constant& c) {
  return std::visit(
      [](const auto& x) -> json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return {{"none", nullptr}};
        else if constexpr (std::is_same_v<T, bool>) return {{"bool", x}};
        else if constexpr (std::is_same_v<T, std::int64_t>) return {{"int", x}};
        else if constexpr (std::is_same_v<T, double>) return {{"float", float_to_json(x)}};
        else if constexpr (std::is_same_v<T, std::string>) return {{"str", x}};
        else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) return {{"ints", x}};
        else if constexpr (std::is_same_v<T, std::vector<double>>) {
          json a = json::array();
          for (double d : x) a.push_back(float_to_json(d));
          return {{"floats", a}};
        } else if constexpr (std::is_same_v<T, std::vector<bool>>) {
          json a = json::array();
          for (bool b : x) a.push_back(b);
          return {{"bools", a}};
        } else if constexpr (std::is_same_v<T, fake::dtype>) return {{"dtype", std::string(name(x))}};
        else if constexpr (std::is_same_v<T, fake::device>) return {{"device", to_string(x)}};
        else if constexpr (std::is_same_v<T, fake::layout>) return {{"layout", std::string(name(x))}};
        else return {{"memory_format", std::string(name(x))}};
      },
      c.value());
}

class graph_writer {
 public:
  explicit graph_writer(const graph& g) : g_(g) {}

  json arg(const node_arg& a) {
    switch (a.type()) {
      case node_arg::kind::node: return {{"node", g_[a.node()].name}};
      case node_arg::kind::constant: return constant_to_json(a.constant());
      case node_arg::kind::list: {
        json items = json::array();
        for (const node_arg& x : a.items()) items.push_back(arg(x));
        return {{"list", items}};
      }
    }
    return nullptr;
  }
  json tensor(const tensor_desc& t) {
    auto [it, fresh] = storage_index_.try_emplace(t.storage().id(), storages_.size());
    if (fresh) storages_.push_back({{"nbytes", t.storage().nbytes()}, {"device", to_string(t.storage().device())}});
    json j = {{"sizes", std::vector<std::int64_t>(t.sizes().begin(), t.sizes().end())},
              {"strides", std::vector<std::int64_t>(t.strides().begin(), t.strides().end())},
              {"offset", t.storage_offset()},
              {"dtype", std::string(name(t.dtype()))},
              {"storage", it->second}};
    if (t.requires_grad()) j["requires_grad"] = true;
    if (t.is_parameter()) j["parameter"] = true;
    return j;
  }
  json value(const node_value& v) {
    static constexpr const char* kinds[] = {"none", "tensor", "tensors", "scalar", "symint"};
    json j = {{"kind", kinds[static_cast<int>(v.type)]}};
    if (v.type == node_value::kind::scalar || v.type == node_value::kind::symint) j["scalar"] = constant_to_json(v.scalar);
    if (!v.tensors.empty()) {
      json ts = json::array();
      for (const tensor_desc& t : v.tensors) ts.push_back(tensor(t));
      j["tensors"] = ts;
    }
    return j;
  }
  json write() {
    json nodes = json::array();
    for (const node& n : g_.nodes()) {
      if (n.erased) continue;
      json j = {{"name", n.name}, {"op", std::string(name(n.op))}};
      if (n.op == node_op::call_function)
        j["target"] = n.is_getitem() ? std::string("getitem") : n.is_hop() ? "higher_order::" + n.hop->name() : n.target->qualified_name();
      if (n.op == node_op::get_attr) j["target"] = n.attr;
      json args = json::array();
      for (const node_arg& a : n.args) args.push_back(arg(a));
      j["args"] = args;
      json kwargs = json::array();  // [name, argument] pairs: in schema order
      for (const auto& [k, a] : n.kwargs) kwargs.push_back(json::array({k, arg(a)}));
      j["kwargs"] = kwargs;
      j["val"] = value(n.val);
      nodes.push_back(std::move(j));
    }
    json subgraphs = json::array();
    for (const auto& [name, sub] : g_.subgraphs()) subgraphs.push_back({{"name", name}, {"graph", graph_writer(*sub).write()}});
    json out = {{"format", std::string(graph_json_format)}, {"storages", storages_}, {"nodes", nodes}};
    if (!subgraphs.empty()) out["subgraphs"] = subgraphs;
    return out;
  }

 private:
  const graph& g_;
  std::unordered_map<std::uint64_t, std::size_t> storage_index_;
  json storages_ = json::array();
};

class graph_reader {
 public:
  explicit graph_reader(const json& j) : j_(j) {}

  graph read() {
    if (!j_.is_object() || j_.value("format", "") != graph_json_format)
      throw value_error("graph json: not a " + std::string(graph_json_format) + " document");
    for (const json& s : j_.at("storages"))
      storages_.emplace_back(s.at("nbytes").get<std::int64_t>(), parse_device(s.at("device").get<std::string>()));
    graph g;
    if (j_.contains("subgraphs"))
      for (const json& sub : j_["subgraphs"]) g.add_subgraph(sub.at("name").get<std::string>(), graph_reader(sub.at("graph")).read());
    for (const json& jn : j_.at("nodes")) {
      node n;
      n.name = jn.at("name").get<std::string>();
      current_ = n.name;
      const std::string op = jn.at("op").get<std::string>();
      if (op == "placeholder") n.op = node_op::placeholder;
      else if (op == "get_attr") n.op = node_op::get_attr;
      else if (op == "call_function") n.op = node_op::call_function;
      else if (op == "output") n.op = node_op::output;
      else fail("unknown op kind '" + op + "'");
      if (n.op == node_op::get_attr) n.attr = jn.at("target").get<std::string>();
      if (n.op == node_op::call_function) {
        const std::string target = jn.at("target").get<std::string>();
        if (target.starts_with("higher_order::")) {
          n.hop = hops::find(std::string_view(target).substr(14));
          if (n.hop == nullptr) fail("unknown higher-order operator '" + target + "'");
        } else if (target != "getitem") {
          n.target = op_registry::global().find(target);
          if (n.target == nullptr) fail("unknown operator '" + target + "'");
        }
      }
      for (const json& a : jn.at("args")) n.args.push_back(arg(a));
      for (const json& kv : jn.at("kwargs")) n.kwargs.emplace_back(kv.at(0).get<std::string>(), arg(kv.at(1)));
      n.val = value(jn.at("val"));
      std::string name = n.name;
      ids_[name] = g.append_as_is(std::move(n));
    }
    return g;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw value_error("graph json: node '" + current_ + "': " + what);
  }
  graph_constant constant(const json& j) const {
    if (!j.is_object() || j.size() != 1) fail("an argument must be an object with one key: " + j.dump());
    // j.items() is a temporary proxy: keep the key and value, not a reference into it.
    const auto first = j.begin();
    const std::string k = first.key();
    const json& v = first.value();
    if (k == "none") return {};
    if (k == "bool") return v.get<bool>();
    if (k == "int") return v.get<std::int64_t>();
    if (k == "float") return float_from_json(v);
    if (k == "str") return v.get<std::string>();
    if (k == "ints") return v.get<std::vector<std::int64_t>>();
    if (k == "floats") {
      std::vector<double> out;
      for (const json& x : v) out.push_back(float_from_json(x));
      return out;
    }
    if (k == "bools") return v.get<std::vector<bool>>();
    if (k == "dtype") {
      const auto d = parse_dtype(v.get<std::string>());
      if (!d) fail("unknown dtype " + v.dump());
      return *d;
    }
    if (k == "device") return parse_device(v.get<std::string>());
    if (k == "layout") {
      const auto l = parse_layout(v.get<std::string>());
      if (!l) fail("unknown layout " + v.dump());
      return *l;
    }
    if (k == "memory_format") {
      const auto m = parse_memory_format(v.get<std::string>());
      if (!m) fail("unknown memory format " + v.dump());
      return *m;
    }
    fail("unknown argument kind '" + k + "'");
  }
  node_arg arg(const json& j) const {
    if (j.is_object() && j.contains("node")) {
      const auto it = ids_.find(j["node"].get<std::string>());
      if (it == ids_.end()) fail("refers to unknown node " + j["node"].dump());
      return node_arg::ref(it->second);
    }
    if (j.is_object() && j.contains("list")) {
      std::vector<node_arg> items;
      for (const json& x : j["list"]) items.push_back(arg(x));
      return node_arg::list(std::move(items));
    }
    return node_arg::constant(constant(j));
  }
  tensor_desc tensor(const json& j) const {
    const auto to_dims = [](const json& a) {
      dim_vector d;
      for (const json& x : a) d.push_back(x.get<std::int64_t>());
      return d;
    };
    const auto index = j.at("storage").get<std::size_t>();
    if (index >= storages_.size()) fail("storage " + std::to_string(index) + " is not listed");
    const auto dt = parse_dtype(j.at("dtype").get<std::string>());
    if (!dt) fail("unknown dtype " + j.at("dtype").dump());
    tensor_desc t(to_dims(j.at("sizes")), to_dims(j.at("strides")), j.at("offset").get<std::int64_t>(), *dt, storages_[index]);
    if (j.value("requires_grad", false)) t.requires_grad(true);
    if (j.value("parameter", false)) t.set(tensor_flag::is_parameter, true);
    return t;
  }
  node_value value(const json& j) const {
    node_value v;
    const std::string kind = j.at("kind").get<std::string>();
    if (kind == "none") v.type = node_value::kind::none;
    else if (kind == "tensor") v.type = node_value::kind::tensor;
    else if (kind == "tensors") v.type = node_value::kind::tensors;
    else if (kind == "scalar") v.type = node_value::kind::scalar;
    else if (kind == "symint") v.type = node_value::kind::symint;
    else fail("unknown value kind '" + kind + "'");
    if (j.contains("scalar")) v.scalar = constant(j["scalar"]);
    if (j.contains("tensors"))
      for (const json& t : j["tensors"]) v.tensors.push_back(tensor(t));
    if (v.type == node_value::kind::tensor && v.tensors.size() != 1) fail("a tensor value needs exactly one tensor");
    return v;
  }

  const json& j_;
  std::vector<storage> storages_;
  std::unordered_map<std::string, node_id> ids_;
  std::string current_;
};
}  // namespace detail

[[nodiscard]] inline nlohmann::json to_json(const graph& g) { return detail::graph_writer(g).write(); }

[[nodiscard]] inline graph graph_from_json(const nlohmann::json& j) {
  try {
    return detail::graph_reader(j).read();
  } catch (const nlohmann::json::exception& e) {
    throw value_error(std::string("graph json: malformed document: ") + e.what());
  }
}

}  // namespace fake
