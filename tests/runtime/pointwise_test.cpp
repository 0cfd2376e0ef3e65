// The pointwise family on the type-erased path: TensorIterator's output
// strides, dtypes and devices, the in-place and out= rules, the ops' own
// checks (with the op and PyTorch's message in the error), the composite ops'
// aliasing, the registry entries, and the family's cases of the
// cross-reference corpus.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../../tools/xref_runner.hpp"
#include "faketensor/dispatch/operator.hpp"
#include "faketensor/ops/pointwise.hpp"
#include "faketensor/ops/pointwise.hpp"

using fake::dim_vector;
using fake::dtype;
using fake::tensor_desc;
using Catch::Matchers::Contains;

namespace {
tensor_desc strided(dim_vector sizes, dim_vector strides, dtype d = dtype::float32, fake::device dev = {}) {
  return fake::empty_strided(std::move(sizes), std::move(strides), d, dev);
}
tensor_desc dense(dim_vector sizes, dtype d = dtype::float32, fake::device dev = {}) { return fake::empty(std::move(sizes), d, dev); }
const fake::device cuda0{fake::device_type::cuda, 0};
const fake::device cuda1{fake::device_type::cuda, 1};
}  // namespace

TEST_CASE("TensorIterator strides follow the first input's layout", "[pointwise]") {
  // permuted input: the output keeps the permutation
  const tensor_desc p = strided({2, 3, 4}, {1, 8, 2});
  CHECK(fake::add(p, p).strides() == dim_vector{1, 8, 2});  // dense, equal strides: the fast path keeps them
  CHECK(fake::exp(strided({2, 5}, {1, 2})).strides() == dim_vector{1, 2});
  // channels_last inputs give channels_last outputs
  const tensor_desc cl = fake::empty({2, 3, 4, 5}, dtype::float32, {}, fake::memory_format::channels_last);
  CHECK(fake::mul(cl, cl).strides() == dim_vector{60, 1, 15, 3});
  CHECK(fake::mul(cl, dense({5})).strides() == dim_vector{60, 1, 15, 3});
  // the non-broadcast input decides, whatever its position
  CHECK(fake::add(dense({3}), strided({2, 3}, {1, 2})).strides() == dim_vector{1, 2});
  // a wrapped scalar is a 0-dim operand: no fast path, size-1 dims keep their place
  CHECK(fake::add(strided({1, 4}, {1, 1}), 2).strides() == dim_vector{1, 1});
  CHECK(fake::add(strided({1, 4}, {1, 1}), strided({1, 4}, {1, 1})).strides() == dim_vector{4, 1});
  // broadcast shapes and sizes
  const tensor_desc r = fake::add(dense({8, 1, 32, 64}), dense({16, 1, 64}));
  CHECK(r.sizes() == dim_vector{8, 16, 32, 64});
  CHECK(r.strides() == dim_vector{32768, 2048, 64, 1});
  // a zero-size dim: compatible strides multiply through it (xref minimum/bcast/000 style)
  CHECK(fake::minimum(strided({1, 4}, {4, 1}), strided({2, 2, 4}, {1, 16, 4})).strides() == dim_vector{1, 8, 2});
  // expanded input: dense output in the broadcast order
  CHECK(fake::neg(strided({3, 2}, {0, 1}, dtype::int8)).strides() == dim_vector{2, 1});
  // the output is new: its own storage, offset 0
  const tensor_desc x = strided({2, 3}, {3, 1});
  const tensor_desc y = fake::sin(x);
  CHECK_FALSE(y.shares_storage_with(x));
  CHECK(y.storage_offset() == 0);
}

TEST_CASE("TensorIterator dtypes: promotion with tensors, 0-dim tensors and scalars", "[pointwise]") {
  CHECK(fake::add(dense({2}, dtype::int32), 2.5).dtype() == dtype::float32);
  CHECK(fake::add(dense({2}, dtype::int32), 2).dtype() == dtype::int32);
  CHECK(fake::add(dense({2}, dtype::uint8), dense({}, dtype::int64)).dtype() == dtype::uint8);
  CHECK(fake::add(dense({2}, dtype::float16), dense({}, dtype::float64)).dtype() == dtype::float16);
  CHECK(fake::add(dense({2}, dtype::bool_), true).dtype() == dtype::bool_);
  CHECK(fake::div(dense({2}, dtype::int64), dense({2}, dtype::int64)).dtype() == dtype::float32);
  CHECK(fake::div(dense({2}, dtype::int64), dense({2}, dtype::int64), "floor").dtype() == dtype::int64);
  CHECK(fake::sqrt(dense({2}, dtype::bool_)).dtype() == dtype::float32);
  CHECK(fake::eq(dense({2}, dtype::float64), 1).dtype() == dtype::bool_);
  CHECK(fake::logical_and(dense({2}, dtype::float32), dense({2}, dtype::int8)).dtype() == dtype::bool_);
  CHECK(fake::abs(dense({2}, dtype::int16)).dtype() == dtype::int16);
  CHECK(fake::where(dense({3}, dtype::bool_), dense({3}, dtype::float16), dense({3}, dtype::bfloat16)).dtype() ==
        dtype::float32);
  CHECK(fake::where(dense({3}, dtype::bool_), 1, 2.0).dtype() == dtype::float32);
  CHECK(fake::pow(2, dense({3}, dtype::int64)).dtype() == dtype::int64);
  CHECK(fake::pow(2.5, dense({3}, dtype::int64)).dtype() == dtype::float32);
  CHECK(fake::clamp(dense({3}, dtype::int64), 0.5).dtype() == dtype::float32);
  CHECK(fake::addcmul(dense({2}, dtype::int64), dense({2}, dtype::int32), dense({2}, dtype::float64)).dtype() == dtype::float64);
}

TEST_CASE("pointwise ops refuse what PyTorch refuses, naming the op", "[pointwise]") {
  CHECK_THROWS_WITH(fake::add(dense({2, 3}), dense({4})),
                    Contains("add") && Contains("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"));
  CHECK_THROWS_AS(fake::bitwise_and(dense({2}), dense({2})), fake::dtype_error);
  CHECK_THROWS_WITH(fake::bitwise_and(dense({2}), dense({2})), Contains("bitwise_and") && Contains("'Float'"));
  CHECK_THROWS_AS(fake::sub(dense({2}, dtype::bool_), dense({2})), fake::dtype_error);
  CHECK_THROWS_WITH(fake::rsub(dense({2}, dtype::bool_), 1), Contains("Subtraction, the `-` operator, with a bool tensor"));
  CHECK_THROWS_WITH(fake::neg(dense({2}, dtype::bool_)), Contains("Negation"));
  CHECK_THROWS_WITH(fake::add(dense({2}), dense({2}), true), Contains("Boolean alpha only supported"));
  CHECK_THROWS_WITH(fake::add(dense({2}, dtype::int64), dense({2}, dtype::int64), 0.5), Contains("argument alpha must not be a floating"));
  CHECK_THROWS_WITH(fake::div(dense({2}), dense({2}), "round"), Contains("rounding_mode"));
  CHECK_THROWS_AS(fake::gelu(dense({2}, dtype::int64)), fake::dtype_error);
  CHECK_THROWS_AS(fake::gelu(dense({2}), "exact"), fake::value_error);
  CHECK_THROWS_AS(fake::abs(dense({2}, dtype::bool_)), fake::dtype_error);
  CHECK_THROWS_WITH(fake::relu(dense({2}, dtype::bool_)), Contains("Boolean inputs not supported for relu"));
  CHECK_THROWS_WITH(fake::clamp(dense({2}), std::optional<fake::scalar>{}, std::nullopt), Contains("At least one of 'min' or 'max'"));
  CHECK_THROWS_WITH(fake::pow(dense({2}, dtype::int64), -1), Contains("Integers to negative integer powers"));
  CHECK_THROWS_WITH(fake::lerp(dense({2}), dense({2}, dtype::float64), 0.5), Contains("for `end`"));
  CHECK_THROWS_WITH(fake::addcdiv(dense({2}), dense({2}, dtype::int64), dense({2}, dtype::int64)), Contains("Integer division"));
  CHECK_THROWS_WITH(fake::where(dense({2}), dense({2}), dense({2})), Contains("boolean tensor"));
  CHECK_THROWS_WITH(fake::masked_fill(dense({2}), dense({2}, dtype::bool_), dense({1})), Contains("0-dimensional value tensor"));
  CHECK_THROWS_AS(fake::maximum(dense({2}, dtype::complex64), dense({2})), fake::dtype_error);
  CHECK_THROWS_WITH(fake::sign(dense({2}, dtype::complex64)), Contains("torch.sgn"));
  CHECK_THROWS_WITH(fake::contiguous(strided({2, 2}, {1, 2}), fake::memory_format::preserve_format), Contains("preserve memory format"));
}

TEST_CASE("devices: cpu 0-dim tensors adapt, other mismatches are device errors", "[pointwise]") {
  CHECK(fake::add(dense({}), dense({2, 3}, dtype::float32, cuda0)).device() == cuda0);
  CHECK(fake::mul(dense({2}, dtype::float32, cuda1), dense({})).device() == cuda1);
  CHECK_THROWS_AS(fake::add(dense({2}), dense({2}, dtype::float32, cuda0)), fake::device_error);
  CHECK_THROWS_AS(fake::maximum(dense({4}), dense({}, dtype::float32, cuda0)), fake::device_error);
  CHECK_THROWS_AS(fake::eq(dense({1, 5}, dtype::float32, cuda0), dense({5}, dtype::float32, cuda1)), fake::device_error);
  CHECK(fake::to_copy(dense({2}), std::nullopt, std::nullopt, fake::device(fake::device_type::cuda)).device() == cuda0);
}

TEST_CASE("in-place ops: self is the result, not resized, castable, not overlapping", "[pointwise]") {
  const tensor_desc self = strided({5, 3, 4}, {12, 4, 1});
  const auto v0 = self.storage().version();
  const tensor_desc r = fake::add_(self, strided({1, 3, 4}, {3, 1, 0}), 2);
  CHECK(r.id() == self.id());
  CHECK(self.storage().version() == v0 + 1);
  CHECK_THROWS_WITH(fake::add_(dense({1}), dense({2, 5})),
                    Contains("add_") && Contains("output with shape [1] doesn't match the broadcast shape [2, 5]"));
  CHECK_THROWS_WITH(fake::mul_(dense({}, dtype::int64), 0.5),
                    Contains("result type Float can't be cast to the desired output type Long"));
  CHECK_THROWS_AS(fake::div_(dense({5}, dtype::bool_), dense({5}, dtype::int64)), fake::dtype_error);
  CHECK_THROWS_AS(fake::exp_(dense({5}, dtype::int64)), fake::dtype_error);
  CHECK(fake::eq_(dense({5}, dtype::float32), dense({5})).dtype() == dtype::float32);  // comparisons write any dtype
  // an expanded self is written in several places at once
  CHECK_THROWS_WITH(fake::mul_(strided({3, 4}, {1, 0}), dense({3, 4})),
                    Contains("more than one element of the written-to tensor refers to a single memory location"));
  CHECK_THROWS_AS(fake::relu_(strided({3, 2}, {1, 0})), fake::shape_error);
  // partial overlap of self and an input; the same memory with the same strides is fine
  const tensor_desc base = dense({16});
  const tensor_desc a = fake::as_strided(base, {3, 4}, {4, 1}, 0);
  const tensor_desc b = fake::as_strided(base, {3, 4}, {4, 1}, 4);
  CHECK_THROWS_WITH(fake::add_(a, b), Contains("some elements of the input tensor and the written-to tensor refer to a single memory location"));
  CHECK_NOTHROW(fake::add_(a, fake::as_strided(base, {3, 4}, {4, 1}, 0)));
  CHECK_THROWS_AS(fake::add_(fake::as_strided(base, {4, 4}, {4, 1}, 0), fake::as_strided(base, {4, 4}, {1, 4}, 0)),
                  fake::shape_error);
  // fill_ and zero_ do not check overlap
  CHECK_NOTHROW(fake::fill_(strided({3, 2}, {1, 0}), 1));
  // copy_ broadcasts src into self, never self into src
  CHECK_NOTHROW(fake::copy_(dense({3, 2}), dense({2}, dtype::int64)));
  CHECK_THROWS_WITH(fake::copy_(dense({2}), dense({3, 2})), Contains("output with shape [2] doesn't match the broadcast shape [3, 2]"));
}

TEST_CASE("out= variants: resized with TensorIterator strides, kept when the shape fits", "[pointwise]") {
  const tensor_desc out = dense({0}, dtype::float16);
  const tensor_desc r = fake::add_out(out, strided({4}, {0}, dtype::float16), strided({4}, {2}, dtype::float16));
  CHECK(r.sizes() == dim_vector{4});
  CHECK(r.strides() == dim_vector{1});
  CHECK(r.shares_storage_with(out));
  CHECK(fake::mul_out(dense({}), strided({1, 4}, {4, 1}), strided({1, 4}, {1, 1})).strides() == dim_vector{4, 1});
  const tensor_desc keep = strided({1, 3}, {9, 3}, dtype::float64);
  const tensor_desc k = fake::add_out(keep, strided({1, 3}, {6, 2}, dtype::float16), dense({}, dtype::float16));
  CHECK(k.strides() == dim_vector{9, 3});
  CHECK(k.dtype() == dtype::float64);
  CHECK_THROWS_WITH(fake::mul_out(dense({2}, dtype::int64), dense({2}), dense({2})), Contains("can't be cast"));
  CHECK_THROWS_WITH(fake::abs_out(dense({2}, dtype::float64), dense({2})), Contains("Found dtype Double but expected Float"));
  CHECK_NOTHROW(fake::sin_out(dense({2}, dtype::float64), dense({2})));
  CHECK_THROWS_AS(fake::add_out(strided({4, 3}, {1, 0}), dense({4, 3}), dense({4, 3})), fake::shape_error);
}

TEST_CASE("copies and conversions: clone, contiguous, to, _to_copy", "[pointwise]") {
  const tensor_desc nd = strided({6, 2}, {1, 12});  // transposed and sliced: not dense
  CHECK(fake::clone(nd).strides() == dim_vector{1, 6});
  CHECK(fake::to_copy(nd, dtype::float64).strides() == dim_vector{1, 6});
  CHECK(fake::clone(nd, fake::memory_format::contiguous_format).strides() == dim_vector{2, 1});
  const tensor_desc c = dense({2, 3});
  CHECK(fake::contiguous(c).id() == c.id());  // the very tensor
  CHECK(fake::contiguous(nd).id() != nd.id());
  CHECK(fake::contiguous(strided({4, 1, 5, 5}, {50, 50, 10, 1}), fake::memory_format::channels_last).strides() ==
        dim_vector{25, 1, 5, 1});
  CHECK(fake::to(c, dtype::float32).id() == c.id());
  CHECK(fake::to(c, dtype::float32, false, true).id() != c.id());  // copy=True
  CHECK(fake::to(c, dtype::int32).dtype() == dtype::int32);
  CHECK(fake::to(c, cuda0, dtype::float32).device() == cuda0);
  CHECK(fake::to(c, dense({1}, dtype::float64)).dtype() == dtype::float64);
  CHECK(fake::masked_fill(strided({4, 4}, {1, 4}), dense({2, 1, 4}, dtype::bool_), 1.0).strides() == dim_vector{16, 4, 1});
  CHECK(fake::hardtanh(strided({1, 3, 4}, {24, 2, 6})).strides() == dim_vector{12, 1, 3});
  CHECK(fake::pow(2, strided({4, 4}, {1, 4})).strides() == dim_vector{4, 1});
}

TEST_CASE("register_pointwise_ops defines the family's schemas and kernels", "[pointwise]") {
  fake::op_registry& r = fake::op_registry::global();  // the families: tools/aten_ops.cpp
  CHECK(r.size() >= 200);
  const fake::op_overload& add = r.get("aten::add.Tensor");
  CHECK(add.has_tag(fake::op_tag::pointwise));
  CHECK(add.has_tag(fake::op_tag::core));
  const tensor_desc a = dense({2, 1}, dtype::int32), b = dense({3}, dtype::int32);
  fake::stack out = add(add.bind({a, b}, {{"alpha", fake::ivalue(std::int64_t{2})}}));
  CHECK(out.at(0).to_tensor().sizes() == dim_vector{2, 3});
  CHECK(out.at(0).to_tensor().dtype() == dtype::int32);
  // Scalar kinds survive boxing: an int Scalar keeps int32, a float one promotes
  CHECK(r.get("aten::mul.Scalar")({a, std::int64_t{2}}).at(0).to_tensor().dtype() == dtype::int32);
  CHECK(r.get("aten::mul.Scalar")({a, 2.0}).at(0).to_tensor().dtype() == dtype::float32);
  // composite to.dtype returns self
  const fake::op_overload& to = r.get("aten::to.dtype");
  CHECK(to({a, dtype::int32}).at(0).to_tensor().id() == a.id());
}

TEST_CASE("the family's cross-reference cases match PyTorch", "[pointwise][xref]") {
  fake::op_registry& r = fake::op_registry::global();  // the families: tools/aten_ops.cpp
  const std::regex mine(
      "aten::(abs|add|add_|atan2|bitwise_and|bitwise_not|ceil|clone|contiguous|_to_copy|to|div|div_|eq|exp|ge|log|"
      "logical_and|logical_not|lt|maximum|minimum|mul|mul_|neg|reciprocal|relu|relu_|remainder|rsub|sigmoid|sigmoid_|"
      "sin|sqrt|sub|sub_|where)(\\..*)?");
  std::ifstream in(std::string(FAKETENSOR_TEST_DATA_DIR) + "/xref/cases.jsonl");
  REQUIRE(in);
  std::string line;
  int ran = 0;
  while (std::getline(in, line)) {
    const auto c = nlohmann::json::parse(line);
    if (!std::regex_match(c.at("op").get<std::string>(), mine)) continue;
    ++ran;
    const fake::xref::case_result res = fake::xref::run_case(c, r);
    INFO(res.id << ": " << res.detail);
    CHECK(res.result == fake::xref::outcome::passed);
  }
  CHECK(ran >= 120);
}
