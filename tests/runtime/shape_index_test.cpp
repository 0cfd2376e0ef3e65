// Shape and indexing ops (ops/shape_index.hpp), the data-dependent ops
// (ops/data_dependent.hpp) and their registration (dispatch/builtin_shape_index.hpp).
// Expected values were read off PyTorch 1.13 (CPU kernels).
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "faketensor/dispatch/operator.hpp"
#include "faketensor/ops/data_dependent.hpp"
#include "faketensor/ops/factory.hpp"
#include "faketensor/ops/shape_index.hpp"
#include "faketensor/ops/data_dependent.hpp"
#include "faketensor/ops/shape_index.hpp"
#include "faketensor/view/ops.hpp"

using fake::dim_vector;
using fake::tensor_desc;

namespace {
tensor_desc strided(dim_vector sizes, dim_vector strides, fake::dtype dt = fake::dtype::float32, fake::device dev = {}) {
  return fake::empty_strided(std::move(sizes), std::move(strides), dt, dev);
}
tensor_desc contig(dim_vector sizes, fake::dtype dt = fake::dtype::float32, fake::device dev = {}) {
  return fake::empty(std::move(sizes), dt, dev);
}
tensor_desc channels_last(dim_vector sizes) { return fake::empty(std::move(sizes), fake::dtype::float32, {}, fake::memory_format::channels_last); }
const fake::device cuda0{fake::device_type::cuda, 0};
const fake::device cuda1{fake::device_type::cuda, 1};

template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const fake::error& e) {
    return e.what();
  }
  return "<no error>";
}
}  // namespace

TEST_CASE("cat: sizes, promotion, negative dim", "[shape_index]") {
  const auto a = contig({5, 3, 2}, fake::dtype::int64), b = strided({5, 1, 2}, {4, 1, 2}, fake::dtype::int64);
  const auto c = strided({5, 3, 2}, {1, 5, 15}, fake::dtype::bool_), d = contig({5, 4, 2}, fake::dtype::float16);
  const tensor_desc out = fake::cat({a, b, c, d}, -2);
  CHECK(out.sizes() == dim_vector{5, 11, 2});
  CHECK(out.strides() == dim_vector{22, 2, 1});
  CHECK(out.dtype() == fake::dtype::float16);
  CHECK_FALSE(out.shares_storage_with(a));
}

TEST_CASE("cat: channels_last only when every input is", "[shape_index]") {
  const tensor_desc x = channels_last({2, 3, 4, 5}), y = channels_last({2, 1, 4, 5});
  CHECK(fake::cat({x, y}, 1).strides() == dim_vector{80, 1, 20, 4});
  CHECK(fake::cat({x, contig({2, 3, 4, 5})}, 1).strides() == dim_vector{120, 20, 5, 1});
  // a skipped [0] tensor suggests contiguous (Note [cat's legacy rule])
  CHECK(fake::cat({x, contig({0}), x}, 1).strides() == dim_vector{120, 20, 5, 1});
}

TEST_CASE("cat: legacy [0] tensors are skipped but promote", "[shape_index]") {
  const tensor_desc out = fake::cat({contig({0}, fake::dtype::float64), contig({2, 3})}, 1);
  CHECK(out.sizes() == dim_vector{2, 3});
  CHECK(out.dtype() == fake::dtype::float64);
  CHECK(fake::cat({contig({0}), contig({0})}, 5).sizes() == dim_vector{0});
}

TEST_CASE("cat: errors", "[shape_index]") {
  CHECK(message_of([] { fake::cat({contig({2, 3}), contig({2, 4})}, 0); }) ==
        "cat: Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.");
  CHECK(message_of([] { fake::cat({contig({3, 2}), contig({4, 2}), contig({4, 3})}, 0); }) ==
        "cat: Sizes of tensors must match except in dimension 0. Expected size 2 but got size 3 for tensor number 2 in the list.");
  CHECK(message_of([] { fake::cat(std::span<const tensor_desc>{}, 0); }) == "cat: torch.cat(): expected a non-empty list of Tensors");
  CHECK_THROWS_AS(fake::cat({contig({})}, 0), fake::shape_error);
  CHECK_THROWS_AS(fake::cat({contig({2, 3})}, 2), fake::index_error);
  CHECK_THROWS_WITH(fake::cat({contig({4, 4, 3}), contig({4, 4, 3, 2})}, 0),
                    Catch::Contains("Tensors must have same number of dimensions: got 3 and 4"));
  CHECK_THROWS_AS(fake::cat({contig({3}, fake::dtype::float32, cuda0), contig({3}, fake::dtype::float32, cuda1)}, 0),
                  fake::device_error);
  // a cpu 0-dim tensor cannot be in a cat, so cpu + cuda is always a device error
  CHECK_THROWS_AS(fake::cat({contig({3}, fake::dtype::float32, cuda0), contig({3})}, 0), fake::device_error);
}

TEST_CASE("cat.out: resized to the result, dtype castable", "[shape_index]") {
  const tensor_desc out = contig({1}, fake::dtype::float64);
  const tensor_desc r = fake::cat_out(std::vector<tensor_desc>{contig({2, 3}), contig({2, 3})}, 0, out);
  CHECK(r.sizes() == dim_vector{4, 3});
  CHECK(r.shares_storage_with(out));
  CHECK_THROWS_WITH(fake::cat_out(std::vector<tensor_desc>{contig({2, 3})}, 0, contig({2, 3}, fake::dtype::int64)),
                    Catch::Contains("input types can't be cast to the desired output type Long"));
}

TEST_CASE("stack: cat then view, or cat of unsqueezed at the end", "[shape_index]") {
  const tensor_desc x = channels_last({2, 3, 4, 5});
  CHECK(fake::stack_tensors({x, x}, 1).strides() == dim_vector{120, 3, 1, 30, 6});
  CHECK(fake::stack_tensors({x, x}, 4).strides() == dim_vector{120, 40, 10, 2, 1});
  CHECK(fake::stack_tensors({x, x}, 0).strides() == dim_vector{120, 60, 1, 15, 3});
  const tensor_desc y = fake::t(contig({3, 4}));
  CHECK(fake::stack_tensors({y, y}, 0).strides() == dim_vector{12, 3, 1});
  CHECK(fake::stack_tensors({strided({4}, {2}, fake::dtype::int32, cuda0)}, -1).strides() == dim_vector{1, 1});
  CHECK(fake::stack_tensors({contig({0}), contig({0})}, 0).sizes() == dim_vector{2, 0});
  CHECK(message_of([] { fake::stack_tensors({contig({2, 2, 5}), contig({2, 2, 6})}, 0); }) ==
        "stack: stack expects each tensor to be equal size, but got [2, 2, 5] at entry 0 and [2, 2, 6] at entry 1");
  CHECK_THROWS_WITH(fake::stack_tensors(std::span<const tensor_desc>{}, 0), Catch::Contains("stack expects a non-empty TensorList"));
}

TEST_CASE("repeat, flip, roll, tril", "[shape_index]") {
  const tensor_desc xt = fake::t(contig({3, 4}));
  CHECK(fake::repeat(xt, {2, 1, 2}).sizes() == dim_vector{2, 4, 6});
  CHECK(fake::repeat(xt, {2, 1, 2}).strides() == dim_vector{24, 6, 1});
  CHECK_THROWS_WITH(fake::repeat(xt, {2}), Catch::Contains("can not be smaller than number of dimensions"));
  CHECK(fake::flip(xt, {0}).strides() == dim_vector{1, 4});
  CHECK(fake::flip(fake::expand(contig({3, 1}), {3, 4}), {0}).strides() == dim_vector{4, 1});
  CHECK_THROWS_WITH(fake::flip(contig({2, 3}), {0, 0}), Catch::Contains("dim 0 appears multiple times"));
  CHECK(fake::roll(xt, {1}, {0}).strides() == dim_vector{3, 1});
  CHECK(fake::roll(channels_last({2, 3, 4, 5}), {1, 2}, {1, 2}).strides() == dim_vector{60, 1, 15, 3});
  CHECK(fake::roll(xt, {1}).strides() == dim_vector{3, 1});
  CHECK(fake::roll(strided({0, 3}, {1, 1}), {1}, {0}).strides() == dim_vector{1, 1});
  CHECK_THROWS_WITH(fake::roll(xt, {1, 2}, {0}), Catch::Contains("shifts and dimensions must align. shifts: 2, dims:1"));
  CHECK(fake::tril(xt).strides() == dim_vector{3, 1});
  CHECK_THROWS_AS(fake::triu(contig({3})), fake::index_error);
  tensor_desc self = contig({3, 3});
  const auto v0 = self.storage().version();
  CHECK(fake::tril_(self).id() == self.id());
  CHECK(self.storage().version() == v0 + 1);
}

TEST_CASE("index_select, gather, scatter", "[shape_index]") {
  const tensor_desc x = contig({2, 3, 4});
  const tensor_desc i2 = contig({2}, fake::dtype::int64);
  CHECK(fake::index_select(fake::t(contig({3, 4})), 0, i2).strides() == dim_vector{3, 1});
  CHECK(fake::index_select(x, -1, contig({5}, fake::dtype::int32)).sizes() == dim_vector{2, 3, 5});
  CHECK(fake::index_select(contig({}), 0, contig({1}, fake::dtype::int64)).sizes() == dim_vector{});
  CHECK_THROWS_AS(fake::index_select(x, 0, contig({2, 2}, fake::dtype::int64)), fake::index_error);
  CHECK_THROWS_WITH(fake::index_select(x, 0, contig({2})), Catch::Contains("Expected dtype int32 or int64 for index"));
  const tensor_desc g = fake::gather(fake::t(contig({3, 4})), 0, fake::t(contig({2, 2}, fake::dtype::int64)));
  CHECK(g.sizes() == dim_vector{2, 2});
  CHECK(g.strides() == dim_vector{2, 1});
  CHECK(message_of([&] { fake::gather(x, 0, contig({2, 4, 4}, fake::dtype::int64)); }) ==
        "gather: Size does not match at dimension 1 expected index [2, 4, 4] to be smaller than self [2, 3, 4] apart from "
        "dimension 0");
  CHECK_THROWS_WITH(fake::gather(x, 0, contig({2, 3}, fake::dtype::int64)), Catch::Contains("same number of dimensions"));
  CHECK(fake::scatter(fake::t(contig({3, 4})), 0, contig({2, 2}, fake::dtype::int64), 1.0).strides() == dim_vector{3, 1});
  CHECK_THROWS_WITH(fake::scatter(x, 0, contig({2, 4, 4}, fake::dtype::int64), 1.0),
                    Catch::Contains("Expected index [2, 4, 4] to be smaller than self [2, 3, 4] apart from dimension 0"));
  CHECK_THROWS_WITH(fake::scatter(x, 0, contig({2, 3, 4}, fake::dtype::int64), contig({2, 3, 4}, fake::dtype::float64)),
                    Catch::Contains("scatter(): Expected self.dtype to be equal to src.dtype"));
  CHECK_THROWS_WITH(fake::scatter(x, 0, contig({2, 3, 4}, fake::dtype::int64), 1.0, "max"),
                    Catch::Contains("reduce argument must be either add or multiply."));
  CHECK(fake::scatter_add(x, 1, contig({1, 1, 1}, fake::dtype::int64), x).sizes() == x.sizes());
}

TEST_CASE("index.Tensor: advanced indexing layouts", "[shape_index]") {
  using opt = std::optional<tensor_desc>;
  // xref index.Tensor/int_idx/000
  const tensor_desc r0 = fake::index(strided({2, 4}, {1, 4}), {opt(strided({5, 2}, {3, 15}, fake::dtype::int64))});
  CHECK(r0.sizes() == dim_vector{5, 2, 4});
  CHECK(r0.strides() == dim_vector{4, 20, 1});
  const tensor_desc x = contig({2, 3, 4, 5});
  const opt i = contig({6}, fake::dtype::int64);
  // non-adjacent index tensors: their broadcast shape goes first
  const tensor_desc r1 = fake::index(x, {i, std::nullopt, i});
  CHECK(r1.sizes() == dim_vector{6, 3, 5});
  CHECK(r1.strides() == dim_vector{15, 5, 1});
  // adjacent ones: in place of the indexed dims
  const tensor_desc r2 = fake::index(x, {std::nullopt, i, i});
  CHECK(r2.sizes() == dim_vector{2, 6, 5});
  CHECK(r2.strides() == dim_vector{30, 5, 1});
  // empty sizes: TensorIterator's strides
  const tensor_desc e = fake::permute(contig({3, 0, 4}), {2, 0, 1});
  CHECK(fake::index(e, {opt(contig({2}, fake::dtype::int64))}).strides() == dim_vector{3, 1, 1});
  const tensor_desc e2 = fake::permute(contig({3, 5, 4}), {2, 0, 1});
  const tensor_desc r3 = fake::index(e2, {std::nullopt, std::nullopt, opt(contig({0}, fake::dtype::int64))});
  CHECK(r3.sizes() == dim_vector{4, 3, 0});
  CHECK(r3.strides() == dim_vector{0, 0, 1});
}

TEST_CASE("index.Tensor: errors and dynamic shapes", "[shape_index]") {
  using opt = std::optional<tensor_desc>;
  const tensor_desc x = contig({2, 3, 4});
  CHECK_THROWS_AS(fake::index(x, {opt(contig({4}, fake::dtype::bool_))}), fake::dynamic_output_shape_error);
  CHECK_THROWS_WITH(fake::index(x, {opt(contig({4}, fake::dtype::uint8))}), Catch::Contains("aten.index.Tensor"));
  CHECK_THROWS_WITH(fake::index(x, {opt(contig({2}, fake::dtype::int32))}), Catch::Contains("must be long, byte or bool"));
  CHECK(message_of([&] { fake::index(x, {opt(contig({2}, fake::dtype::int64)), opt(contig({3}, fake::dtype::int64))}); }) ==
        "index: shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]");
  const opt i = contig({2}, fake::dtype::int64);
  CHECK_THROWS_WITH(fake::index(x, {i, i, i, i}), Catch::Contains("too many indices for tensor of dimension 3 (got 4)"));
  CHECK_THROWS_WITH(fake::index(contig({0, 3}), {i}), Catch::Contains("index is out of bounds for dimension with size 0"));
  // cpu indices are fine for a cuda tensor, another cuda device is not
  CHECK(fake::index(contig({2, 3}, fake::dtype::float32, cuda0), {i}).device() == cuda0);
  CHECK_THROWS_AS(fake::index(contig({2, 3}, fake::dtype::float32, cuda0), {opt(contig({2}, fake::dtype::int64, cuda1))}),
                  fake::device_error);
}

TEST_CASE("index_put: preserves self's layout, checks values", "[shape_index]") {
  using opt = std::optional<tensor_desc>;
  const tensor_desc self = fake::t(contig({3, 4}));
  const std::vector<opt> ix{opt(contig({2}, fake::dtype::int64))};
  const tensor_desc r = fake::index_put(self, ix, contig({2, 3}));
  CHECK(r.strides() == dim_vector{1, 4});
  CHECK_FALSE(r.shares_storage_with(self));
  CHECK_THROWS_WITH(fake::index_put(self, ix, contig({2, 4})),
                    Catch::Contains("shape mismatch: value tensor of shape [2, 4] cannot be broadcast to indexing result of shape [2, 3]"));
  CHECK_THROWS_WITH(fake::index_put(self, ix, contig({2, 3}, fake::dtype::float64)),
                    Catch::Contains("got Float for the destination and Double for the source"));
  tensor_desc s2 = self;
  CHECK(fake::index_put_(s2, std::vector<opt>{opt(contig({4}, fake::dtype::bool_))}, contig({3})).id() == self.id());
}

TEST_CASE("repeat_interleave", "[shape_index]") {
  const tensor_desc xt = fake::t(contig({3, 4}));
  CHECK(fake::repeat_interleave(xt, 2, 0).sizes() == dim_vector{8, 3});
  CHECK(fake::repeat_interleave(xt, 2).sizes() == dim_vector{24});
  CHECK(fake::repeat_interleave(contig({}), 3).sizes() == dim_vector{3});
  CHECK_THROWS_WITH(fake::repeat_interleave(xt, -1, 0), Catch::Contains("repeats can not be negative"));
  const tensor_desc reps = contig({4}, fake::dtype::int64);
  CHECK_THROWS_AS(fake::repeat_interleave(xt, reps, 0, std::nullopt), fake::dynamic_output_shape_error);
  CHECK(fake::repeat_interleave(xt, reps, 0, 9).sizes() == dim_vector{9, 3});
  CHECK_THROWS_AS(fake::repeat_interleave_tensor(reps, std::nullopt), fake::dynamic_output_shape_error);
  CHECK(fake::repeat_interleave_tensor(reps, 7).sizes() == dim_vector{7});
}

TEST_CASE("data-dependent ops raise with the ATen overload name", "[shape_index]") {
  const tensor_desc one = contig({1});
  CHECK(message_of([&] { fake::local_scalar_dense(one); }) == "aten._local_scalar_dense.default");
  CHECK_THROWS_AS(fake::item(one), fake::data_dependent_error);
  CHECK(message_of([] { fake::item(contig({2, 4, 3})); }) == "item: a Tensor with 24 elements cannot be converted to Scalar");
  CHECK(message_of([&] { fake::nonzero(one); }) == "aten.nonzero.default");
  CHECK_THROWS_AS(fake::masked_select(one, contig({1}, fake::dtype::bool_)), fake::dynamic_output_shape_error);
  CHECK(message_of([&] { fake::unique2(one); }) == "aten._unique2.default");
}

TEST_CASE("register_shape_index_ops: boxed calls and tags", "[shape_index]") {
  fake::op_registry& r = fake::op_registry::global();  // the families: tools/aten_ops.cpp
  const tensor_desc a = contig({2, 3}), b = contig({2, 1});
  fake::stack s{fake::ivalue(std::vector<tensor_desc>{a, b}), fake::ivalue(1)};
  r.get("aten::cat").call(s);
  REQUIRE(s.size() == 1);
  CHECK(s[0].to_tensor().sizes() == dim_vector{2, 4});
  CHECK(r.get("aten::nonzero").tags().has(fake::op_tag::dynamic_output_shape));
  CHECK(r.get("aten::_local_scalar_dense").tags().has(fake::op_tag::data_dependent_output));
  CHECK(r.get("aten::randint.low").tags().has(fake::op_tag::nondeterministic_seeded));
  fake::stack n{fake::ivalue(a)};
  CHECK_THROWS_AS(r.get("aten::nonzero").call(n), fake::dynamic_output_shape_error);
  std::vector<std::optional<tensor_desc>> ix{std::nullopt, contig({5}, fake::dtype::int64)};
  fake::stack i{fake::ivalue(a), fake::ivalue(ix)};
  r.get("aten::index.Tensor").call(i);
  CHECK(i[0].to_tensor().sizes() == dim_vector{2, 5});
}
