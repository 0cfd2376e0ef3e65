// examples/models/mlp.hpp — a multilayer perceptron: Linear + ReLU layers
// (784 -> 1024 -> 1024 -> 10 by default, an MNIST classifier's shape).
#pragma once

#include <string>
#include <vector>

#include "models/module.hpp"

namespace fake::models {

struct mlp_config {
  std::vector<std::int64_t> widths{784, 1024, 1024, 10};
};

class mlp : public model_base {
 public:
  mlp(mlp_config cfg, tensor_options o) : model_base(o), cfg_(std::move(cfg)) {
    for (std::size_t i = 0; i + 1 < cfg_.widths.size(); ++i) {
      const std::string prefix = "layers." + std::to_string(i) + ".";
      weights_.push_back(params_.parameter(prefix + "weight", {cfg_.widths[i + 1], cfg_.widths[i]}));
      biases_.push_back(params_.parameter(prefix + "bias", {cfg_.widths[i + 1]}));
    }
  }
  // x [B, widths.front()] -> [B, widths.back()].
  [[nodiscard]] tensor_desc operator()(const tensor_desc& x) const {
    tensor_desc h = x;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      h = at::linear(h, weights_[i], biases_[i]);
      if (i + 1 < weights_.size()) h = at::relu(h);
    }
    return h;
  }
  [[nodiscard]] tensor_desc example_input(std::int64_t batch) const {
    return fake::empty({batch, cfg_.widths.front()}, params_.options().dtype, params_.options().device);
  }

 private:
  mlp_config cfg_;
  std::vector<tensor_desc> weights_, biases_;
};

}  // namespace fake::models
