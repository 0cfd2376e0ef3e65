// examples/models/module.hpp — what the example models share: a parameter
// list (nn.Module's named_parameters / named_buffers) and a model config.
//
// Models read the sizes of their inputs as sym_int (fake::sym_size) and pass
// them to fake::at's symbolic overloads, so a dynamic batch or sequence stays
// symbolic through the trace (a constant sym_int is the plain int call).
//
// Models are written with fake::at (ops through the dispatcher), so running
// one under a tracing fake::mode records its graph, and under no mode just
// computes its output metadata. Parameters are fake tensors with the
// is_parameter flag; buffers (causal masks, rotary tables) are not parameters
// and are not counted as such.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "faketensor/dispatch/at.hpp"
#include "faketensor/dispatch/sym_ints.hpp"  // fake::at with symbolic sizes, fake::sym_size

namespace fake::models {

// Where and in what a model's tensors live.
struct tensor_options {
  fake::dtype dtype = fake::dtype::float32;
  fake::device device{};
};

class parameter_list {
 public:
  explicit parameter_list(tensor_options o) : options_(o) {}

  // A new parameter (nn.Parameter) of these sizes.
  tensor_desc parameter(std::string name, dim_vector sizes) {
    tensor_desc t = fake::empty(std::move(sizes), options_.dtype, options_.device);
    t.set(tensor_flag::is_parameter, true);
    entries_.emplace_back(std::move(name), t);
    return t;
  }
  // A buffer (register_buffer): a named tensor that is not a parameter.
  tensor_desc buffer(std::string name, dim_vector sizes, fake::dtype dt) {
    tensor_desc t = fake::empty(std::move(sizes), dt, options_.device);
    entries_.emplace_back(std::move(name), t);
    return t;
  }
  // f(qualified_name, tensor) for every parameter and buffer: what
  // fake::make_graph declares to the tracer.
  template <class F>
  void for_each_parameter(F&& f) const {
    for (const auto& [name, t] : entries_) f(name, t);
  }
  // The number of parameter elements (nn.Module.parameters(), tied weights once).
  [[nodiscard]] std::int64_t count() const {
    std::int64_t n = 0;
    for (const auto& [name, t] : entries_)
      if (t.is_parameter()) n += t.numel();
    return n;
  }
  [[nodiscard]] const tensor_options& options() const noexcept { return options_; }

 private:
  tensor_options options_;
  std::vector<std::pair<std::string, tensor_desc>> entries_;
};

// What every example model offers make_graph and the estimator: its
// parameters (and buffers) and their count.
class model_base {
 public:
  template <class F>
  void for_each_parameter(F&& f) const {
    params_.for_each_parameter(f);
  }
  [[nodiscard]] std::int64_t parameter_count() const { return params_.count(); }

 protected:
  explicit model_base(tensor_options o) : params_(o) {}
  parameter_list params_;
};

// A model over token ids: its input is int64 [batch, seq] on its device.
class language_model : public model_base {
 public:
  [[nodiscard]] tensor_desc example_input(std::int64_t batch, std::int64_t seq) const {
    return fake::empty({batch, seq}, dtype::int64, params_.options().device);
  }

 protected:
  using model_base::model_base;
};

}  // namespace fake::models
