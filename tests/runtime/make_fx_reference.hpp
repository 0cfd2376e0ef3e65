// Comparing a traced graph with PyTorch 1.13's make_fx(tracing_mode="fake"),
// as recorded by the generators in tests/data/make_fx/: the call_function
// nodes in order, each with its target, its FX name and its outputs' sizes,
// strides and dtypes (1.13 keeps no value on a node with several results; its
// getitem nodes have them).
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "faketensor/trace/graph.hpp"
#include "test_support.hpp"

namespace fake::testing {

inline void check_against_make_fx(const graph& g, const nlohmann::json& want) {
  std::vector<const node*> calls;
  for (const node& n : g.nodes())
    if (!n.erased && n.op == node_op::call_function) calls.push_back(&n);
  std::vector<std::string> got_targets;
  for (const node* n : calls) got_targets.push_back(n->is_getitem() ? std::string("getitem") : n->target->qualified_name());
  std::vector<std::string> want_targets;
  for (const auto& w : want) want_targets.push_back(w.at("target").get<std::string>());
  REQUIRE(got_targets == want_targets);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const node& n = *calls[i];
    INFO("node " << i << " " << n.name << ", make_fx's " << want[i].at("name").get<std::string>());
    CHECK(n.name == want[i].at("name").get<std::string>());
    const auto& outs = want[i].at("outputs");
    if (outs.empty()) continue;
    REQUIRE(n.val.tensors.size() == outs.size());
    for (std::size_t k = 0; k < outs.size(); ++k) {
      CHECK(n.val.tensors[k].sizes() == dims_of(outs[k].at("sizes")));
      CHECK(n.val.tensors[k].strides() == dims_of(outs[k].at("strides")));
      CHECK(n.val.tensors[k].dtype() == dtype_of(outs[k].at("dtype")));
    }
  }
}

}  // namespace fake::testing
