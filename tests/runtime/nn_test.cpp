// The neural-network ops (ops/nn.hpp, dispatch/builtin_nn.hpp): behaviour
// users rely on, PyTorch 1.13's output layouts and error messages, and every
// case of the nn ops in the cross-reference corpus, run through a registry
// that holds register_nn_ops.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "faketensor/dispatch/operator.hpp"
#include "faketensor/ops/linalg.hpp"
#include "faketensor/ops/nn.hpp"
#include "faketensor/ops/pointwise.hpp"
#include "faketensor/ops/typed_linalg.hpp"
#include "faketensor/ops/typed_nn.hpp"
#include "faketensor/ops/typed_pointwise.hpp"
#include "faketensor/ops/typed_shape_index.hpp"
#include "faketensor/ops/shape_index.hpp"
#include "faketensor/ops/reduction.hpp"
#include "xref_runner.hpp"

using fake::dim_vector;
using fake::dtype;
using fake::tensor_desc;

namespace {

tensor_desc cl(dim_vector sizes, dtype dt = dtype::float32, fake::device dev = fake::device{}) {
  return fake::empty(std::move(sizes), dt, dev, fake::memory_format::channels_last);
}
tensor_desc t(dim_vector sizes, dtype dt = dtype::float32, fake::device dev = fake::device{}) {
  return fake::empty(std::move(sizes), dt, dev);
}
const fake::device cuda0{fake::device_type::cuda, 0};

// The global registry: tools/aten_ops.cpp brings the op families in.
fake::op_registry& nn_registry() { return fake::op_registry::global(); }

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("nn: every nn case of the xref corpus passes", "[nn]") {
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  const std::regex ops(
      R"re("op":"aten::(_log_softmax|_softmax|avg_pool2d|conv2d|convolution|embedding|log_softmax\.int|max_pool2d_with_indices|native_layer_norm|softmax\.int)")re");
  std::string line;
  int ran = 0;
  while (std::getline(in, line)) {
    if (!std::regex_search(line, ops)) continue;
    const auto c = nlohmann::json::parse(line);
    const auto r = fake::xref::run_case(c, nn_registry());
    INFO(r.id << ": " << r.detail);
    CHECK(r.result == fake::xref::outcome::passed);
    ++ran;
  }
  CHECK(ran == 36);
}

TEST_CASE("nn: convolution sizes, transposed, groups, dilation", "[nn]") {
  const auto y = fake::conv2d(t({8, 64, 56, 56}), t({128, 64, 3, 3}), std::nullopt, {2}, {1});
  CHECK(y.sizes() == dim_vector{8, 128, 28, 28});
  CHECK(y.strides() == dim_vector{100352, 784, 28, 1});
  CHECK(!y.shares_storage_with(t({1})));

  const auto tr = fake::conv_transpose2d(t({2, 4, 5, 5}), t({4, 3, 3, 3}), t({6}), {2}, {1}, {1, 0}, 2);
  CHECK(tr.sizes() == dim_vector{2, 6, 10, 9});

  const auto d1 = fake::conv1d(t({2, 6, 10}), t({4, 3, 3}), std::nullopt, {1}, {0}, {2}, 2);
  CHECK(d1.sizes() == dim_vector{2, 4, 6});
  const auto d3 = fake::conv3d(t({1, 2, 5, 6, 7}), t({4, 2, 3, 3, 3}), std::nullopt, {1, 2, 1}, {1});
  CHECK(d3.sizes() == dim_vector{1, 4, 5, 3, 7});
  CHECK(d3.is_contiguous());

  // unbatched input: a batch of one, squeezed back
  const auto u = fake::conv2d(t({4, 5, 5}), t({8, 4, 3, 3}));
  CHECK(u.sizes() == dim_vector{8, 3, 3});
  CHECK(u.strides() == dim_vector{9, 3, 1});
}

TEST_CASE("nn: convolution memory format follows input or weight", "[nn]") {
  // cpu: either channels_last input or weight gives channels_last
  CHECK(fake::conv2d(cl({2, 4, 6, 6}), t({8, 4, 3, 3})).strides() == dim_vector{128, 1, 32, 8});
  CHECK(fake::conv2d(t({2, 4, 6, 6}), cl({8, 4, 3, 3})).strides() == dim_vector{128, 1, 32, 8});
  CHECK(fake::conv2d(t({2, 4, 6, 6}), t({8, 4, 3, 3})).strides() == dim_vector{128, 16, 4, 1});
  // transposed on cpu: slow_conv_transpose2d is contiguous (bfloat16 goes to mkldnn)
  CHECK(fake::conv_transpose2d(cl({2, 4, 6, 6}), t({4, 4, 3, 3})).is_contiguous());
  CHECK(!fake::conv_transpose2d(cl({2, 4, 6, 6}, dtype::bfloat16), t({4, 4, 3, 3}, dtype::bfloat16)).is_contiguous());
  // cuda: transposed follows the 2-D rule too
  CHECK(fake::conv_transpose2d(cl({2, 4, 6, 6}, dtype::float32, cuda0), t({4, 4, 3, 3}, dtype::float32, cuda0)).strides() ==
        dim_vector{256, 1, 32, 4});
}

TEST_CASE("nn: convolution errors carry PyTorch's messages", "[nn]") {
  CHECK_THAT(message_of<fake::shape_error>([] { fake::conv2d(t({2, 3, 5, 5}), t({8, 4, 3, 3})); }),
             Catch::Contains("Given groups=1, weight of size [8, 4, 3, 3], expected input[2, 3, 5, 5] to have 4 channels, "
                             "but got 3 channels instead"));
  CHECK_THAT(message_of<fake::shape_error>([] { fake::conv2d(t({2, 4, 2, 2}), t({8, 4, 3, 3})); }),
             Catch::Contains("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be "
                             "greater than actual input size"));
  CHECK_THAT(message_of<fake::shape_error>([] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 3}), std::nullopt, {1}, {0}, {1}, 3); }),
             Catch::Contains("Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [[8, 4, 3, 3]] instead"));
  CHECK_THAT(message_of<fake::shape_error>([] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 3}), t({7})); }),
             Catch::Contains("expected bias to be 1-dimensional with 8 elements, but got bias of size [7] instead"));
  CHECK_THAT(message_of<fake::value_error>([] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 3}), std::nullopt, {0, 1}); }),
             Catch::Contains("non-positive stride is not supported"));
  CHECK_THAT(message_of<fake::value_error>([] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 3}), std::nullopt, {1, 1, 1}); }),
             Catch::Contains("expected stride to be a single integer value or a list of 2 values"));
  CHECK_THAT(message_of<fake::dtype_error>([] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 3}, dtype::float64)); }),
             Catch::Contains("Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the same"));
  CHECK_THAT(message_of<fake::shape_error>([] { fake::conv2d(t({2, 2, 4, 5, 5}), t({8, 4, 3, 3})); }),
             Catch::Contains("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 2, 4, 5, 5]"));
  CHECK_THROWS_AS(fake::conv2d(t({2, 4, 5, 5}, dtype::float32, cuda0), t({8, 4, 3, 3})), fake::device_error);
  CHECK_THAT(message_of<fake::shape_error>(
                 [] { fake::conv_transpose2d(t({2, 4, 5, 5}), t({4, 3, 3, 3}), std::nullopt, {2}, {1}, {2, 0}, 2); }),
             Catch::Contains("output padding must be smaller than either stride or dilation"));
}

TEST_CASE("nn: conv2d padding='same' and 'valid'", "[nn]") {
  const auto same = fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 2}), std::nullopt, {1}, std::string_view("same"));
  CHECK(same.sizes() == dim_vector{2, 8, 5, 5});
  const auto dil = fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 4, 2}), std::nullopt, {1}, std::string_view("same"), {2});
  CHECK(dil.sizes() == dim_vector{2, 8, 5, 5});
  const auto valid = fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 2}), std::nullopt, {1}, std::string_view("valid"));
  CHECK(valid.sizes() == dim_vector{2, 8, 3, 4});
  CHECK_THAT(message_of<fake::value_error>(
                 [] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 2}), std::nullopt, {2}, std::string_view("same")); }),
             Catch::Contains("padding='same' is not supported for strided convolutions"));
  CHECK_THAT(message_of<fake::value_error>(
                 [] { fake::conv2d(t({2, 4, 5, 5}), t({8, 4, 3, 2}), std::nullopt, {1}, std::string_view("foo")); }),
             Catch::Contains("Invalid padding string: 'foo'"));
  // through the registry, by name
  auto out = nn_registry().get("aten::conv2d.padding")(
      nn_registry().get("aten::conv2d.padding").bind({t({2, 4, 5, 5}), t({8, 4, 3, 3})}, {{"padding", "same"}}));
  CHECK(out[0].to_tensor().sizes() == dim_vector{2, 8, 5, 5});
}

TEST_CASE("nn: pooling", "[nn]") {
  auto [o, i] = fake::max_pool2d_with_indices(cl({2, 3, 6, 6}), {3, 3}, {2, 2}, {1, 1}, {1, 1}, true);
  CHECK(o.sizes() == dim_vector{2, 3, 4, 4});
  CHECK(o.strides() == dim_vector{48, 1, 12, 3});
  CHECK(i.strides() == o.strides());
  CHECK(i.dtype() == dtype::int64);
  CHECK(fake::max_pool2d(t({3, 7, 9}), {2}).sizes() == dim_vector{3, 3, 4});
  CHECK_THAT(message_of<fake::value_error>([] { fake::max_pool2d(t({2, 3, 5, 5}), {2, 2}, {1}, {2}); }),
             Catch::Contains("pad should be at most half of kernel size, but got pad=2 and kernel_size=2"));
  CHECK_THAT(message_of<fake::shape_error>([] { fake::max_pool2d(t({2, 3, 2, 5}), {3, 2}); }),
             Catch::Contains("Given input size: (3x2x5). Calculated output size: (3x0x2). Output size is too small"));
  CHECK_THAT(message_of<fake::shape_error>([] { fake::max_pool2d(t({5, 5}), {2, 2}); }),
             Catch::Contains("non-empty 3D or 4D (batch mode) tensor expected for input"));

  const auto a = fake::avg_pool2d(t({2, 3, 7, 7}), {3}, {2}, {1}, true, false, 4);
  CHECK(a.sizes() == dim_vector{2, 3, 4, 4});
  CHECK_THAT(message_of<fake::value_error>([] { fake::avg_pool2d(t({2, 3, 5, 5}), {2}, {}, {0}, false, true, 0); }),
             Catch::Contains("divisor must be not zero"));

  CHECK(fake::adaptive_avg_pool2d(cl({2, 6, 5, 5}), {3, 2}).strides() == dim_vector{36, 1, 12, 6});
  CHECK(fake::adaptive_avg_pool2d(cl({2, 6, 5, 5}), {1, 1}).strides() == dim_vector{6, 1, 6, 6});
  CHECK(fake::adaptive_avg_pool2d(t({2, 6, 5, 5}), {1, 1}).strides() == dim_vector{6, 1, 1, 1});
}

TEST_CASE("nn: upsampling and padding", "[nn]") {
  CHECK(fake::upsample_nearest2d(cl({2, 3, 6, 6}), dim_vector{3, 4}).strides() == dim_vector{36, 1, 12, 3});
  const auto v = fake::upsample_nearest2d(t({2, 3, 5, 3}), std::nullopt, std::vector<double>{1.5, 2.3});
  CHECK(v.sizes() == dim_vector{2, 3, 7, 6});
  CHECK_THAT(message_of<fake::value_error>(
                 [] { fake::upsample_nearest2d(t({2, 3, 5, 3}), dim_vector{2, 2}, std::vector<double>{1.5, 2.3}); }),
             Catch::Contains("Must specify exactly one of output_size and scale_factors"));
  CHECK(fake::upsample_bilinear2d(cl({2, 3, 5, 6}), dim_vector{4, 4}, true).strides() == dim_vector{48, 1, 12, 3});

  CHECK(fake::constant_pad_nd(cl({2, 3, 4, 5}), {1, 1, 2, 0}).strides() == dim_vector{126, 1, 21, 3});
  const auto neg = fake::constant_pad_nd(fake::permute(t({2, 3, 4, 5}), {0, 2, 1, 3}), {-1, 0, -2, 0});
  CHECK(neg.sizes() == dim_vector{2, 4, 1, 4});
  CHECK(neg.strides() == dim_vector{16, 4, 16, 1});
  CHECK(fake::reflection_pad2d(cl({2, 3, 4, 5}), {1, 2, 1, 0}).strides() == dim_vector{120, 40, 8, 1});
  CHECK_THAT(message_of<fake::shape_error>([] { fake::reflection_pad1d(t({2, 3, 5}), {5, 2}); }),
             Catch::Contains("Padding size should be less than the corresponding input dimension, but got: padding (5, 2) at "
                             "dimension 2 of input [2, 3, 5]"));
  CHECK(fake::replication_pad1d(t({2, 3, 5}), {7, 2}).sizes() == dim_vector{2, 3, 14});
  CHECK_THAT(message_of<fake::shape_error>([] { fake::replication_pad1d(t({2, 3, 5}), {-3, -3}); }),
             Catch::Contains("input (W: 5) is too small. Calculated output W: -1"));
}

TEST_CASE("nn: normalization outputs and statistics", "[nn]") {
  auto [y, m, r] = fake::native_layer_norm(t({2, 3, 4}, dtype::bfloat16), {4}, std::nullopt, std::nullopt);
  CHECK(m.sizes() == dim_vector{2, 3, 1});
  CHECK(m.dtype() == dtype::float32);
  CHECK(y.dtype() == dtype::bfloat16);
  CHECK_THAT(message_of<fake::shape_error>([] { fake::layer_norm(t({2, 4, 3}), {4}); }),
             Catch::Contains("Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 4, 3]"));

  auto [gy, gm, gr] = fake::native_group_norm(cl({2, 6, 4, 4}), std::nullopt, std::nullopt, 2, 6, 16, 3);
  CHECK(gy.strides() == dim_vector{96, 1, 24, 6});
  CHECK(gm.sizes() == dim_vector{2, 3});

  auto [by, bm, bv] = fake::native_batch_norm(cl({2, 6, 4, 4}), std::nullopt, std::nullopt, t({6}), t({6}), false);
  CHECK(by.strides() == dim_vector{96, 1, 24, 6});
  CHECK(bm.sizes() == dim_vector{0});  // cpu, evaluation
  auto [cy, cm, cv] = fake::native_batch_norm(t({2, 6, 4}, dtype::float16, cuda0), std::nullopt, std::nullopt, std::nullopt,
                                              std::nullopt, true);
  CHECK(cm.sizes() == dim_vector{6});
  CHECK(cm.dtype() == dtype::float32);
  CHECK_THAT(message_of<fake::shape_error>(
                 [] { fake::batch_norm(t({2, 6, 4}), std::nullopt, std::nullopt, t({5}), t({6}), false); }),
             Catch::Contains("running_mean should contain 6 elements not 5"));
}

TEST_CASE("nn: softmax, dropout, embedding", "[nn]") {
  CHECK(fake::softmax(fake::t(t({3, 2})), 1, dtype::float64).dtype() == dtype::float64);
  CHECK(fake::softmax(fake::t(t({3, 2})), 1).strides() == dim_vector{3, 1});
  CHECK(fake::softmax_impl(t({2, 3}, dtype::float16), 1, true).dtype() == dtype::float32);
  CHECK_THROWS_AS(fake::softmax(t({2, 3}), 2), fake::index_error);

  const auto x = fake::transpose(t({2, 6, 5, 5}), 0, 3);
  auto [o, mask] = fake::native_dropout(x, 0.5, true);
  CHECK(o.strides() == x.strides());
  CHECK(mask.dtype() == dtype::bool_);
  CHECK(fake::dropout(x, 0.5, false).id() == x.id());  // evaluation returns the input itself
  CHECK(fake::dropout(x, 0.5, true).id() != x.id());

  const auto e = fake::embedding(fake::t(t({3, 10})), t({2, 3}, dtype::int64));
  CHECK(e.sizes() == dim_vector{2, 3, 3});
  CHECK(e.is_contiguous());
  CHECK_THAT(message_of<fake::dtype_error>([] { fake::embedding(t({10, 3}), t({2})); }),
             Catch::Contains("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int"));
}

TEST_CASE("nn: losses", "[nn]") {
  auto [o, w] = fake::nll_loss_forward(t({4, 5}), t({4}, dtype::int64), std::nullopt, 0, -100);
  CHECK(o.sizes() == dim_vector{4});
  CHECK(w.dim() == 0);
  CHECK(fake::nll_loss(t({4, 5}), t({4}, dtype::int64)).dim() == 0);
  CHECK_THAT(message_of<fake::shape_error>([] { fake::nll_loss(t({4, 5}), t({3}, dtype::int64)); }),
             Catch::Contains("size mismatch (got input: [4, 5], target: [3])"));
  CHECK(fake::nll_loss_nd(t({2, 5, 3, 3, 2}), t({2, 3, 3, 2}, dtype::int64), std::nullopt, 0).sizes() == dim_vector{2, 3, 3, 2});
  CHECK(fake::nll_loss2d(t({2, 5, 3, 3}), t({2, 3, 3}, dtype::int64), std::nullopt, 0).sizes() == dim_vector{2, 3, 3});

  CHECK(fake::cross_entropy_loss(t({4, 5, 3}), t({4, 3}, dtype::int64), std::nullopt, 0).sizes() == dim_vector{4, 3});
  CHECK(fake::cross_entropy_loss(t({4, 5, 3}), t({4, 3}, dtype::int64), std::nullopt, 0, -100, 0.1).sizes() == dim_vector{4, 3});
  const auto prob = fake::cross_entropy_loss(t({4, 5}), t({4, 5}, dtype::float64), std::nullopt, 0);
  CHECK(prob.sizes() == dim_vector{4});
  CHECK(prob.dtype() == dtype::float64);
  CHECK_THAT(message_of<fake::value_error>([] { fake::cross_entropy_loss(t({4, 5}), t({4}, dtype::int64), std::nullopt, 1, -100, 1.5); }),
             Catch::Contains("label_smoothing must be between 0.0 and 1.0. Got: 1.5"));

  const auto mse = fake::mse_loss(fake::t(t({4, 5})), t({5, 4}), 0);
  CHECK(mse.strides() == dim_vector{1, 5});  // TensorIterator: the first input's layout
  CHECK(fake::mse_loss(t({4, 5}), t({4, 5}, dtype::float64), 1).dtype() == dtype::float64);
}

TEST_CASE("nn: out= variants resize and check the dtype", "[nn]") {
  auto& op = nn_registry().get("aten::_softmax.out");
  tensor_desc out = t({1});
  auto res = op(op.bind({t({2, 3}), 1, false}, {{"out", out}}));
  CHECK(res[0].to_tensor().sizes() == dim_vector{2, 3});
  CHECK(res[0].to_tensor().shares_storage_with(out));
  CHECK_THROWS_AS(op(op.bind({t({2, 3}), 1, false}, {{"out", t({2, 3}, dtype::float64)}})), fake::dtype_error);
}

TEST_CASE("nn: every op is registered with its schema", "[nn]") {
  for (const char* name : {"aten::convolution", "aten::conv2d", "aten::conv2d.padding", "aten::conv_transpose2d.input",
                           "aten::max_pool2d_with_indices", "aten::avg_pool2d", "aten::_adaptive_avg_pool2d",
                           "aten::native_layer_norm", "aten::native_group_norm", "aten::native_batch_norm", "aten::embedding",
                           "aten::softmax.int", "aten::_log_softmax", "aten::native_dropout", "aten::nll_loss_forward",
                           "aten::cross_entropy_loss", "aten::mse_loss", "aten::upsample_nearest2d.vec",
                           "aten::upsample_bilinear2d", "aten::constant_pad_nd", "aten::reflection_pad2d",
                           "aten::replication_pad1d"})
    CHECK(nn_registry().find(name) != nullptr);
  CHECK(nn_registry().get("aten::native_dropout").has_tag(fake::op_tag::nondeterministic_seeded));
}

TEST_CASE("nn: typed conv2d and max_pool2d on mixed shapes run at run time", "[nn]") {
  const fake::tensor<fake::f32, fake::shape<fake::dyn, 64, 56, 56>> x{fake::shape<fake::dyn, 64, 56, 56>{8}};
  constexpr fake::tensor<fake::f32, fake::shape<128, 64, 3, 3>> w;
  const auto y = fake::conv2d(x, w, fake::strides<2>{}, fake::strides<1>{});
  CHECK(dim_vector(y.sizes()) == dim_vector{8, 128, 28, 28});
  CHECK(dim_vector(y.strides()) == dim_vector{100352, 784, 28, 1});
  const auto p = fake::max_pool2d(y, fake::strides<2>{});
  CHECK(dim_vector(p.sizes()) == dim_vector{8, 128, 14, 14});
  const fake::tensor<fake::f32, fake::shape<fake::dyn, 3, 5, 5>> bad{fake::shape<fake::dyn, 3, 5, 5>{2}};
  CHECK_THROWS_AS(fake::conv2d(bad, w), fake::shape_error);
}

namespace {
// A typed result and a tensor_desc one describe the same tensor.
template <class T>
void check_same_metadata(const T& typed, const fake::tensor_desc& erased) {
  CHECK(dim_vector(typed.sizes()) == erased.sizes());
  CHECK(dim_vector(typed.strides()) == erased.strides());
  CHECK(fake::to_int64(typed.storage_offset()) == erased.storage_offset());
  CHECK(decltype(typed.dtype())::value == erased.dtype());
}
}  // namespace

TEST_CASE("nn: typed linear, norms, pooling, embedding, cat and pointwise ops on mixed shapes give the tensor_desc kernels' metadata",
          "[nn]") {
  using namespace fake;
  for (const auto& [b, t] : std::vector<std::pair<std::int64_t, std::int64_t>>{{1, 1}, {2, 16}, {3, 7}}) {
    INFO("batch " << b << ", seq " << t);
    const tensor<bf16, shape<dyn, dyn, 768>> x{shape<dyn, dyn, 768>{b, t}};
    constexpr tensor<bf16, shape<3072, 768>> w;
    constexpr tensor<bf16, shape<3072>> bias;
    constexpr tensor<bf16, shape<768>> g;
    const tensor_desc xd = x.to_desc(), wd = w.to_desc(), bd = bias.to_desc(), gd = g.to_desc();
    const tensor_desc xtd = fake::transpose(xd, 0, 1);
    const auto xt = fake::transpose(x, c<0>{}, c<1>{});

    check_same_metadata(fake::linear(x, w, bias), fake::linear(xd, wd, bd));
    check_same_metadata(fake::linear(xt, w, bias), fake::linear(xtd, wd, bd));  // matmul, then add_
    check_same_metadata(fake::linear(xt, w), fake::linear(xtd, wd));
    check_same_metadata(fake::layer_norm(xt, strides<768>{}, g, g), fake::layer_norm(xtd, {768}, gd, gd));
    check_same_metadata(fake::softmax(xt, c<1>{}), fake::softmax(xtd, 1));
    check_same_metadata(fake::gelu<"tanh">(xt), fake::gelu(xtd, "tanh"));
    check_same_metadata(fake::mul(xt, 0.5), fake::mul(xtd, fake::scalar(0.5)));
    check_same_metadata(fake::contiguous(xt), fake::contiguous(xtd));
    const auto xn = fake::narrow(x, c<0>{}, b - 1, c<1>{});  // contiguous, offset kept
    check_same_metadata(fake::contiguous(xn), fake::contiguous(fake::narrow(xd, 0, b - 1, 1)));

    check_same_metadata(fake::to(xt, f32), fake::to_copy(xtd, dtype::float32));
    check_same_metadata(fake::pow(xt, 2), fake::pow(xtd, fake::scalar(std::int64_t{2})));
    check_same_metadata(fake::rsqrt(xt), fake::rsqrt(xtd));
    check_same_metadata(fake::neg(xt), fake::neg(xtd));
    check_same_metadata(fake::silu(xt), fake::silu(xtd));
    check_same_metadata(fake::add(xt, 1e-5), fake::add(xtd, fake::scalar(1e-5)));
    check_same_metadata(fake::cat(c<-1>{}, xt, fake::neg(xt)), fake::cat(std::vector<tensor_desc>{xtd, fake::neg(xtd)}, -1));
    const tensor<i64, shape<dyn, dyn>> tokens{shape<dyn, dyn>{b, t}};
    check_same_metadata(fake::embedding(w, tokens), fake::embedding(wd, tokens.to_desc()));

    const tensor<bf16, shape<dyn, 3072, dyn, dyn>> img{shape<dyn, 3072, dyn, dyn>{b, t, t + 1}};
    const tensor_desc imgd = img.to_desc();
    check_same_metadata(fake::batch_norm(img, bias, bias, bias, bias), fake::batch_norm(imgd, bd, bd, bd, bd, false));
    check_same_metadata(fake::adaptive_avg_pool2d(img, strides<1, 1>{}), fake::mean(imgd, dim_vector{-1, -2}, true));

    const tensor<b8, shape<1, 1, dyn, dyn>> mask{shape<1, 1, dyn, dyn>{t, t}};
    const tensor<bf16, shape<dyn, 12, 1, dyn>> scores{shape<dyn, 12, 1, dyn>{b, t}};
    check_same_metadata(fake::masked_fill(scores, fake::bitwise_not(mask), -1e9),
                        fake::masked_fill(scores.to_desc(), fake::bitwise_not(mask.to_desc()), fake::scalar(-1e9)));
  }
  // a runtime mismatch is the tensor_desc kernel's error
  const fake::tensor<fake::f32, fake::shape<fake::dyn, fake::dyn>> wide{fake::shape<fake::dyn, fake::dyn>{4, 100}};
  constexpr fake::tensor<fake::f32, fake::shape<10, 784>> w;
  CHECK_THROWS_AS(fake::linear(wide, w), fake::shape_error);
  CHECK_THROWS_AS(fake::layer_norm(wide, fake::strides<784>{}), fake::shape_error);
}
