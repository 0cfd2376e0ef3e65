// examples/models/registry.hpp — the example models by name, traced into
// graphs: what fake-estimate and the model tests run.
//
//   auto t = fake::models::trace_model("gpt2", {.batch = 8, .seq = 1024,
//                                               .options = {fake::dtype::bfloat16, fake::parse_device("cuda:0")}});
//   t.graph; t.parameters; t.trace_seconds;
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "faketensor/meta/sym_tensor.hpp"
#include "faketensor/mode/mode.hpp"
#include "faketensor/trace/make_graph.hpp"
#include "models/gpt2.hpp"
#include "models/llama.hpp"
#include "models/mlp.hpp"
#include "models/resnet.hpp"

namespace fake::models {

inline const std::vector<std::string_view>& model_names() {
  static const std::vector<std::string_view> names{"mlp", "resnet50", "gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "llama2-7b"};
  return names;
}

struct run_options {
  std::int64_t batch = 8;
  std::int64_t seq = 1024;   // language models
  std::int64_t image = 224;  // resnet50
  tensor_options options{};
  // When set, the input's dims named below are dynamic: symbols of this
  // shape_env (make_symbolic), so the graph's metadata are expressions in
  // them and the guards say for which sizes the trace holds.
  shape_env* shapes = nullptr;
  bool dynamic_batch = true;  // dim 0
  bool dynamic_seq = false;   // a language model's dim 1
};

struct traced_model {
  std::string name;
  fake::graph graph;
  std::int64_t parameters = 0;   // the model's own count (nn.Module.parameters())
  double trace_seconds = 0;      // make_graph alone: not building the model or the op registry
  dispatch_cache_info cache;     // the tracing mode's dispatch cache over this one trace
};

namespace detail {
template <class Model>
traced_model trace(std::string name, const Model& model, const tensor_desc& example, const run_options& o, bool language_model) {
  tensor_desc input = example;
  if (o.shapes != nullptr) {
    std::vector<std::int64_t> dims;
    if (o.dynamic_batch) dims.push_back(0);
    if (o.dynamic_seq && language_model) dims.push_back(1);
    input = make_symbolic(example, *o.shapes, "input", std::span<const std::int64_t>(dims.data(), dims.size()));
  }
  fake::mode<fake::memo::dispatch_cache<>, fake::trace::graph> m;
  traced_model out;
  out.name = std::move(name);
  out.parameters = model.parameter_count();
  (void)fake::op_registry::global();  // built once per process (~20 ms): not part of the trace
  const auto start = std::chrono::steady_clock::now();
  out.graph = fake::make_graph(m, model, input);
  out.trace_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.cache = m.cache_info();
  return out;
}
}  // namespace detail

// Builds the model `name` and traces it on an input of the given sizes; an
// unknown name is a value_error listing the known ones.
inline traced_model trace_model(std::string_view name, const run_options& o) {
  expect<value_error, "fake-estimate", "batch must be positive, got {}">(o.batch > 0, o.batch);
  if (name == "mlp") {
    const mlp model({}, o.options);
    return detail::trace(std::string(name), model, model.example_input(o.batch), o, false);
  }
  if (name == "resnet50") {
    expect<value_error, "fake-estimate", "image size must be positive, got {}">(o.image > 0, o.image);
    const resnet50 model(o.options);
    return detail::trace(std::string(name), model, model.example_input(o.batch, o.image), o, false);
  }
  expect<value_error, "fake-estimate", "sequence length must be positive, got {}">(o.seq > 0, o.seq);
  const auto gpt = [&](gpt2_config c) {
    const gpt2 model(c, o.options);
    return detail::trace(std::string(name), model, model.example_input(o.batch, o.seq), o, true);
  };
  if (name == "gpt2") return gpt(gpt2_config::small());
  if (name == "gpt2-medium") return gpt(gpt2_config::medium());
  if (name == "gpt2-large") return gpt(gpt2_config::large());
  if (name == "gpt2-xl") return gpt(gpt2_config::xl());
  if (name == "llama2-7b") {
    const llama model(llama_config::llama2_7b(), o.options);
    return detail::trace(std::string(name), model, model.example_input(o.batch, o.seq), o, true);
  }
  std::string known;
  for (std::string_view n : model_names()) known += (known.empty() ? "" : ", ") + std::string(n);
  throw value_error("fake-estimate: unknown model '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace fake::models
