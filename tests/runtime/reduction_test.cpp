// Reductions, scans, sort and top-k (ops/reduction.hpp) on tensor_desc and by
// name: output shapes, contiguous outputs, PyTorch 1.13's dtype rules and its
// errors (type and message), plus the reduction cases of the xref corpus.
#include <catch2/catch.hpp>

#include <string>

#include "faketensor/ops/reduction.hpp"
#include "reduction_xref_support.hpp"

using fake::testing::message_of;

using fake::dim_vector;
using fake::dtype;
using fake::tensor_desc;

namespace {

tensor_desc strided(dim_vector sizes, dim_vector strides_, dtype dt = dtype::float32, fake::device dev = fake::device{}) {
  return fake::empty_strided(std::move(sizes), std::move(strides_), dt, dev);
}
tensor_desc dense(dim_vector sizes, dtype dt = dtype::float32) { return fake::empty(std::move(sizes), dt); }

fake::stack call(const std::string& name, fake::stack args, const std::vector<std::pair<std::string, fake::ivalue>>& kwargs = {}) {
  const fake::op_overload& op = fake::testing::reduction_linalg_registry().get(name);
  return op(op.bind(std::move(args), kwargs));
}

}  // namespace

TEST_CASE("reduction: every xref case of the family's reductions", "[reduction]") {
  const int n = fake::testing::run_xref_cases(
      "aten::(sum|sum\\.dim_IntList|mean\\.dim|mean|prod\\.dim_int|prod|amax|amin|any\\.dim|any|all\\.dim|all|max\\.dim|min\\.dim|"
      "argmax|argmin|std\\.correction|var\\.correction|var\\.dim|var|std|logsumexp|cumsum|cumprod|topk|sort|argsort|"
      "linalg_vector_norm)");
  CHECK(n >= 28);  // the corpus holds 28 of them
}

TEST_CASE("reduction: sum over dims drops or keeps them, contiguous whatever the input strides", "[reduction]") {
  const tensor_desc x = dense({2, 3, 4, 5}, dtype::float16);
  const tensor_desc y = fake::sum(x, {1, -1});
  CHECK(y.sizes() == dim_vector{2, 4});
  CHECK(y.strides() == dim_vector{4, 1});
  CHECK(y.dtype() == dtype::float16);
  CHECK_FALSE(y.shares_storage_with(x));

  const tensor_desc cl = strided({2, 3, 4, 5}, {60, 1, 15, 3});  // channels_last
  const tensor_desc z = fake::sum(cl, {1}, true);
  CHECK(z.sizes() == dim_vector{2, 1, 4, 5});
  CHECK(z.strides() == dim_vector{20, 20, 5, 1});

  // None and [] reduce everything (Note [reduction dims]).
  CHECK(fake::sum(x, fake::opt_dims(std::nullopt)).sizes().empty());
  CHECK(fake::sum(x, dim_vector{}).sizes().empty());
  CHECK(fake::sum(x, dim_vector{}, true).sizes() == dim_vector{1, 1, 1, 1});
  // A 0-dim tensor accepts 0 and -1.
  CHECK(fake::sum(dense({}), {-1}).sizes().empty());
}

TEST_CASE("reduction: sum/prod/cumsum promote integral and bool inputs to int64 unless a dtype is given", "[reduction]") {
  CHECK(fake::sum(dense({2, 3}, dtype::int8)).dtype() == dtype::int64);
  CHECK(fake::sum(dense({2, 3}, dtype::bool_), {0}).dtype() == dtype::int64);
  CHECK(fake::sum(dense({2, 3}, dtype::int32), {0}, false, dtype::float16).dtype() == dtype::float16);
  CHECK(fake::prod(dense({2, 3}, dtype::uint8), 1, true).sizes() == dim_vector{2, 1});
  CHECK(fake::prod(dense({2, 3}, dtype::uint8), 1, true).dtype() == dtype::int64);
  CHECK(fake::cumsum(dense({2, 3}, dtype::bool_), 1).dtype() == dtype::int64);
  CHECK(fake::cumprod(dense({2, 3}, dtype::float64), 0).dtype() == dtype::float64);
  // cumsum keeps the sizes and is contiguous, even of a transposed input.
  const tensor_desc c = fake::cumsum(strided({4, 2, 3}, {1, 12, 4}), 1);
  CHECK(c.strides() == dim_vector{6, 3, 1});
}

TEST_CASE("reduction: dim errors name the op and follow PyTorch's messages", "[reduction]") {
  const tensor_desc x = dense({2, 3});
  CHECK(message_of<fake::index_error>([&] { fake::sum(x, {2}); }) ==
        "sum: Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  CHECK(message_of<fake::shape_error>([&] { fake::sum(x, {1, -1}); }) == "sum: dim 1 appears multiple times in the list of dims");
  CHECK(message_of<fake::index_error>([&] { fake::sum(dense({}), {1}); }) ==
        "sum: Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  CHECK_THROWS_AS(fake::cumsum(x, -3), fake::index_error);
  CHECK_THROWS_AS(fake::sort(x, 2), fake::index_error);
}

TEST_CASE("reduction: mean refuses integral dtypes with PyTorch's message", "[reduction]") {
  CHECK(message_of<fake::dtype_error>([] { fake::mean(dense({2, 3}, dtype::int32), {0}); }) ==
        "mean: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Int");
  CHECK(message_of<fake::dtype_error>([] { fake::mean(dense({2, 3}), {0}, false, dtype::int64); }) ==
        "mean: mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: Long");
  CHECK(fake::mean(dense({2, 3}, dtype::int32), {0}, false, dtype::float64).dtype() == dtype::float64);
  CHECK(fake::mean(dense({2, 3}, dtype::complex64)).dtype() == dtype::complex64);
}

TEST_CASE("reduction: amax/amin, max/min and argmax/argmin refuse empty reduction dims", "[reduction]") {
  const tensor_desc e = dense({0, 3});
  CHECK(message_of<fake::index_error>([&] { fake::amax(e, {-2}); }) ==
        "amax: amax(): Expected reduction dim -2 to have non-zero size.");
  CHECK(fake::amin(e, {1}).sizes() == dim_vector{0});
  CHECK_THROWS_AS(fake::amax(e), fake::index_error);
  CHECK(message_of<fake::index_error>([&] { fake::max(dense({2, 0}), -1); }) ==
        "max: max(): Expected reduction dim 1 to have non-zero size.");
  CHECK_THROWS_WITH(fake::min(e), Catch::Contains("min(): Expected reduction dim to be specified for input.numel() == 0"));
  CHECK_THROWS_AS(fake::argmax(e), fake::index_error);
  CHECK(fake::argmax(e, 1).sizes() == dim_vector{0});
  CHECK_THROWS_AS(fake::argmin(e, 0), fake::index_error);
}

TEST_CASE("reduction: max.dim gives values and int64 indices, and complex is refused", "[reduction]") {
  auto [v, i] = fake::max(strided({2, 3, 4, 5}, {60, 20, 1, 4}), -1, true);
  CHECK(v.sizes() == dim_vector{2, 3, 4, 1});
  CHECK(v.strides() == dim_vector{12, 4, 1, 1});
  CHECK(i.dtype() == dtype::int64);
  CHECK_FALSE(v.shares_storage_with(i));
  CHECK_THROWS_WITH(fake::min(dense({2, 3}, dtype::complex64), 0), Catch::Contains("min(): does not support complex input"));
  CHECK(fake::argmax(dense({2, 3}), std::nullopt, true).sizes() == dim_vector{1, 1});
  CHECK(fake::max(dense({}), 0).first.sizes().empty());
}

TEST_CASE("reduction: var/std give the real dtype and refuse integers, and var_mean keeps the mean's dtype", "[reduction]") {
  CHECK(fake::var(dense({2, 3}, dtype::complex64), {1}).dtype() == dtype::float32);
  CHECK(fake::std(dense({2, 3}, dtype::float16), {1}, true).sizes() == dim_vector{2, 1});
  CHECK(message_of<fake::dtype_error>([] { fake::var(dense({2, 3}, dtype::int64)); }) ==
        "var: std and var only support floating point and complex dtypes");
  auto [v, m] = fake::var_mean(dense({2, 3}, dtype::complex128), {0});
  CHECK(v.dtype() == dtype::float64);
  CHECK(m.dtype() == dtype::complex128);
  CHECK_THROWS_WITH(fake::std_mean(dense({2}, dtype::int32)), Catch::Contains("std_mean only support floating point"));
}

TEST_CASE("reduction: all/any give bool, uint8 stays uint8", "[reduction]") {
  CHECK(fake::any(dense({2, 3}, dtype::int32), 1).dtype() == dtype::bool_);
  CHECK(fake::all(dense({2, 3}, dtype::uint8), 1).dtype() == dtype::uint8);
  CHECK(fake::all(dense({2, 3}, dtype::uint8)).dtype() == dtype::uint8);
  CHECK(fake::any(dense({2, 3}), -1, true).sizes() == dim_vector{2, 1});
}

TEST_CASE("reduction: linalg_vector_norm dtype and empty-input rules", "[reduction]") {
  CHECK(fake::linalg_vector_norm(dense({2, 3}, dtype::complex64), 2.0, {1}).dtype() == dtype::float32);
  CHECK(fake::linalg_vector_norm(dense({2, 3}, dtype::float16), 2.0, {1}, false, dtype::float64).dtype() == dtype::float64);
  CHECK_THROWS_WITH(fake::linalg_vector_norm(dense({2, 3}, dtype::int64)),
                    Catch::Contains("linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"));
  CHECK_THROWS_WITH(fake::linalg_vector_norm(dense({2, 3}), 2.0, {1}, false, dtype::float16),
                    Catch::Contains("should be convertible without narrowing to the specified dtype (Half)"));
  CHECK_THROWS_WITH(fake::linalg_vector_norm(dense({0, 3}), 1.0 / 0.0),
                    Catch::Contains("cannot compute the inf norm on an empty tensor"));
  CHECK_THROWS_WITH(fake::linalg_vector_norm(dense({0, 3}), -1.0, {0}, false, std::nullopt, true),
                    Catch::Contains("cannot compute the -1 norm on the dimension 0because"));
  CHECK(fake::linalg_vector_norm(dense({0, 3}), 1.0 / 0.0, {1}).sizes() == dim_vector{0});
  CHECK(fake::linalg_vector_norm(dense({0, 3}), 0.0, {0}).sizes() == dim_vector{3});
}

TEST_CASE("reduction: logsumexp dtype and its empty-dims quirk", "[reduction]") {
  CHECK(fake::logsumexp(dense({2, 3}, dtype::int32), {1}).dtype() == dtype::float32);
  CHECK_THROWS_WITH(fake::logsumexp(dense({2, 3}, dtype::complex64), {1}),
                    Catch::Contains("Expected floating point type for result tensor, but got: ComplexFloat"));
  CHECK_THROWS_WITH(fake::logsumexp(dense({3}), std::span<const std::int64_t>{}),
                    Catch::Contains("output with shape [] doesn't match the broadcast shape [1]"));
  CHECK(fake::logsumexp(dense({3}), std::span<const std::int64_t>{}, true).sizes() == dim_vector{1});
}

TEST_CASE("reduction: topk and sort outputs", "[reduction]") {
  auto [tv, ti] = fake::topk(strided({4, 2, 3}, {1, 12, 4}), 2, 1);
  CHECK(tv.sizes() == dim_vector{4, 2, 3});
  CHECK(tv.strides() == dim_vector{6, 3, 1});
  CHECK(ti.dtype() == dtype::int64);
  CHECK_THROWS_WITH(fake::topk(dense({2, 3}), 4), Catch::Contains("selected index k out of range"));
  CHECK(fake::topk(dense({}), 1).first.sizes().empty());
  // sort keeps dense strides and re-densifies the others in their order.
  auto [sv, si] = fake::sort(strided({4, 2, 3}, {1, 12, 4}), 1);
  CHECK(sv.strides() == dim_vector{1, 12, 4});
  CHECK(fake::sort(strided({2, 3}, {1, 0})).first.strides() == dim_vector{3, 1});
  CHECK(fake::argsort(strided({2, 3, 4, 5}, {60, 1, 15, 3}), 1).strides() == dim_vector{60, 1, 15, 3});
}

TEST_CASE("reduction: out= and in-place variants", "[reduction]") {
  const tensor_desc x = dense({2, 3});
  const tensor_desc out = dense({5, 5}, dtype::float64);
  const tensor_desc r = fake::sum_out(x, {1}, false, std::nullopt, out);  // computes in out's dtype
  CHECK(r.sizes() == dim_vector{2});
  CHECK(r.strides() == dim_vector{1});
  CHECK(r.shares_storage_with(out));
  CHECK(message_of<fake::dtype_error>([&] { fake::sum_out(x, {1}, false, dtype::float32, out); }) ==
        "sum: Expected out tensor to have dtype float, but got double instead");
  CHECK_THROWS_WITH(fake::amax_out(x, std::span<const std::int64_t>{}, false, out),
                    Catch::Contains("Expected the dtype for input and out to match, but got Float for input's dtype and Double"));
  const tensor_desc xi = dense({2, 3}, dtype::int32);
  CHECK(message_of<fake::dtype_error>([&] { fake::cumsum_(xi, 1, dtype::int64); }) ==
        "cumsum_: Bad in-place call: input tensor dtype int and output tensor dtype long int should match");
  const std::uint64_t before = xi.storage().version();
  CHECK(fake::cumsum_(xi, 1).id() == xi.id());
  CHECK(xi.storage().version() == before + 1);
}

TEST_CASE("reduction: by name, with defaults and keyword arguments", "[reduction]") {
  const tensor_desc x = dense({2, 3, 4});
  auto s = call("aten::sum.dim_IntList", {x, dim_vector{1}}, {{"dtype", dtype::float64}});
  REQUIRE(s.size() == 1);
  CHECK(s[0].to_tensor().sizes() == dim_vector{2, 4});
  CHECK(s[0].to_tensor().dtype() == dtype::float64);
  auto mx = call("aten::max.dim", {x, std::int64_t{0}});
  REQUIRE(mx.size() == 2);
  CHECK(mx[1].to_tensor().dtype() == dtype::int64);
  auto v = call("aten::var.correction", {x}, {{"correction", std::int64_t{0}}, {"keepdim", true}});
  CHECK(v[0].to_tensor().sizes() == dim_vector{1, 1, 1});
  auto a = call("aten::amax", {x});  // dim=[] reduces everything
  CHECK(a[0].to_tensor().sizes().empty());
  auto n = call("aten::linalg_vector_norm", {x, 2.5, dim_vector{0, 2}}, {{"keepdim", true}});
  CHECK(n[0].to_tensor().sizes() == dim_vector{1, 3, 1});
  auto t = call("aten::topk.values", {x, std::int64_t{2}}, {{"values", dense({1})}, {"indices", dense({1}, dtype::int64)}});
  CHECK(t[0].to_tensor().sizes() == dim_vector{2, 3, 2});
  auto as = call("aten::argsort", {x, std::int64_t{0}});
  CHECK(as[0].to_tensor().dtype() == dtype::int64);
  const fake::op_overload& sum_op = fake::testing::reduction_linalg_registry().get("aten::sum.dim_IntList");
  CHECK(sum_op.has_tag(fake::op_tag::reduction));
  CHECK(sum_op.has_tag(fake::op_tag::core));
}
