// examples/models/resnet.hpp — ResNet-50 (He et al. 2016; torchvision's
// resnet50, v1.5: the stride sits in the 3x3 conv of a bottleneck), in eval
// mode: batch norm uses its running statistics. 25,557,032 parameters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/module.hpp"

namespace fake::models {

struct batch_norm2d {
  tensor_desc weight, bias, running_mean, running_var;
  batch_norm2d(parameter_list& p, const std::string& prefix, std::int64_t c)
      : weight(p.parameter(prefix + ".weight", {c})),
        bias(p.parameter(prefix + ".bias", {c})),
        running_mean(p.buffer(prefix + ".running_mean", {c}, p.options().dtype)),
        running_var(p.buffer(prefix + ".running_var", {c}, p.options().dtype)) {
    (void)p.buffer(prefix + ".num_batches_tracked", {}, dtype::int64);
  }
  [[nodiscard]] tensor_desc operator()(const tensor_desc& x) const {
    return at::batch_norm(x, weight, bias, running_mean, running_var, false, 0.1, 1e-5);
  }
};

struct bottleneck {
  tensor_desc conv1, conv2, conv3;
  batch_norm2d bn1, bn2, bn3;
  std::optional<tensor_desc> down_conv;
  std::optional<batch_norm2d> down_bn;
  std::int64_t stride;

  bottleneck(parameter_list& p, const std::string& prefix, std::int64_t in, std::int64_t width, std::int64_t s)
      : conv1(p.parameter(prefix + "conv1.weight", {width, in, 1, 1})),
        conv2(p.parameter(prefix + "conv2.weight", {width, width, 3, 3})),
        conv3(p.parameter(prefix + "conv3.weight", {width * 4, width, 1, 1})),
        bn1(p, prefix + "bn1", width),
        bn2(p, prefix + "bn2", width),
        bn3(p, prefix + "bn3", width * 4),
        stride(s) {
    if (s != 1 || in != width * 4) {
      down_conv = p.parameter(prefix + "downsample.0.weight", {width * 4, in, 1, 1});
      down_bn.emplace(p, prefix + "downsample.1", width * 4);
    }
  }
  [[nodiscard]] tensor_desc operator()(const tensor_desc& x) const {
    tensor_desc out = at::relu_(bn1(at::conv2d(x, conv1)));
    out = at::relu_(bn2(at::conv2d(out, conv2, std::nullopt, {stride, stride}, {1, 1})));
    out = bn3(at::conv2d(out, conv3));
    const tensor_desc identity = down_conv ? (*down_bn)(at::conv2d(x, *down_conv, std::nullopt, {stride, stride})) : x;
    return at::relu_(at::add_(out, identity));
  }
};

class resnet50 : public model_base {
 public:
  explicit resnet50(tensor_options o, std::int64_t classes = 1000) : model_base(o) {
    conv1_ = params_.parameter("conv1.weight", {64, 3, 7, 7});
    bn1_.emplace(params_, "bn1", 64);
    std::int64_t in = 64;
    const std::int64_t blocks[] = {3, 4, 6, 3};
    for (std::int64_t layer = 0; layer < 4; ++layer) {
      const std::int64_t width = 64 << layer;
      for (std::int64_t i = 0; i < blocks[layer]; ++i) {
        const std::int64_t s = (i == 0 && layer > 0) ? 2 : 1;
        blocks_.emplace_back(params_, "layer" + std::to_string(layer + 1) + "." + std::to_string(i) + ".", in, width, s);
        in = width * 4;
      }
    }
    fc_w_ = params_.parameter("fc.weight", {classes, 2048});
    fc_b_ = params_.parameter("fc.bias", {classes});
  }

  // images [B, 3, H, W] -> logits [B, classes].
  [[nodiscard]] tensor_desc operator()(const tensor_desc& images) const {
    tensor_desc x = at::relu_((*bn1_)(at::conv2d(images, conv1_, std::nullopt, {2, 2}, {3, 3})));
    x = at::max_pool2d(x, {3, 3}, {2, 2}, {1, 1});
    for (const bottleneck& b : blocks_) x = b(x);
    x = at::flatten(at::adaptive_avg_pool2d(x, {1, 1}), 1);
    return at::linear(x, fc_w_, fc_b_);
  }

  [[nodiscard]] tensor_desc example_input(std::int64_t batch, std::int64_t image) const {
    return fake::empty({batch, 3, image, image}, params_.options().dtype, params_.options().device);
  }

 private:
  tensor_desc conv1_, fc_w_, fc_b_;
  std::optional<batch_norm2d> bn1_;
  std::vector<bottleneck> blocks_;
};

}  // namespace fake::models
