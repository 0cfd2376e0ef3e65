// Factory ops (ops/factory.hpp) and their boxed registration; expected values
// are PyTorch 1.13's (CPU kernels).
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "faketensor/dispatch/operator.hpp"
#include "faketensor/ops/data_dependent.hpp"
#include "faketensor/ops/factory.hpp"
#include "faketensor/ops/shape_index.hpp"
#include "faketensor/ops/factory.hpp"
#include "faketensor/view/ops.hpp"

using fake::dim_vector;
using fake::dtype;
using fake::tensor_desc;

namespace {
const fake::device cuda0{fake::device_type::cuda, 0};
}

TEST_CASE("empty/zeros/ones/full: sizes, default dtype and device", "[factory]") {
  const tensor_desc z = fake::zeros({3, 2, 4});
  CHECK(z.strides() == dim_vector{8, 4, 1});
  CHECK(z.dtype() == dtype::float32);
  CHECK(z.device() == fake::device{});
  CHECK(fake::ones({4}, dtype::int64, cuda0).device() == cuda0);
  CHECK(fake::empty_memory_format({2, 3, 4, 5}, {}, {}, fake::memory_format::channels_last).strides() == dim_vector{60, 1, 15, 3});
  CHECK_THROWS_WITH(fake::empty_memory_format({2, 3}, {}, {}, fake::memory_format::preserve_format),
                    Catch::Contains("unsupported memory format Preserve"));
  CHECK_THROWS_WITH(fake::zeros({2, -1}), Catch::Contains("negative dimension -1"));
  // full infers its dtype from the fill value (1.13)
  CHECK(fake::full({2}, 3).dtype() == dtype::int64);
  CHECK(fake::full({2}, true).dtype() == dtype::bool_);
  CHECK(fake::full({2}, 2.5).dtype() == dtype::float32);
  CHECK(fake::full({2}, 1, dtype::bool_).dtype() == dtype::bool_);
  CHECK(fake::scalar_tensor(1).dtype() == dtype::float32);
  CHECK(fake::scalar_tensor(true).sizes().empty());
}

TEST_CASE("arange: size and dtype inference", "[factory]") {
  CHECK(fake::arange(0).sizes() == dim_vector{0});
  CHECK(fake::arange(0).dtype() == dtype::int64);
  CHECK(fake::arange(-2, 5).sizes() == dim_vector{7});
  const tensor_desc f = fake::arange(-3, 2.5, 1, std::nullopt, cuda0);
  CHECK(f.sizes() == dim_vector{6});
  CHECK(f.dtype() == dtype::float32);
  CHECK(f.device() == cuda0);
  CHECK(fake::arange(0, 2.5).sizes() == dim_vector{3});
  // integral dtypes truncate the bounds; int64 divides the truncated ones
  CHECK(fake::arange(0, 2.5, 1, dtype::int64).sizes() == dim_vector{2});
  CHECK(fake::arange(0, 2.5, 1, dtype::int32).sizes() == dim_vector{3});
  CHECK(fake::arange(0, 10, 3).sizes() == dim_vector{4});
  CHECK(fake::arange(10, 0, -3).sizes() == dim_vector{4});
  CHECK(fake::arange(0.0, 1.0, 0.1).sizes() == dim_vector{10});
  CHECK_THROWS_WITH(fake::arange(0, 5, -1, dtype::float32), Catch::Contains("upper bound and larger bound inconsistent with step sign"));
  CHECK_THROWS_WITH(fake::arange(0, 2.5, 0.3, dtype::int64), Catch::Contains("step must be nonzero"));
  CHECK_THROWS_WITH(fake::arange(0, 2, 1, dtype::bool_), Catch::Contains("not implemented for 'Bool'"));
  const tensor_desc out = fake::empty({5}, dtype::float64);
  CHECK(fake::arange_out(0, 3, 1, out).sizes() == dim_vector{3});
}

TEST_CASE("linspace, eye, random factories", "[factory]") {
  CHECK(fake::linspace(0, 2, 5).sizes() == dim_vector{5});
  CHECK(fake::linspace(0, 2, 5).dtype() == dtype::float32);
  CHECK_THROWS_WITH(fake::linspace(0, 2, -1), Catch::Contains("number of steps must be non-negative"));
  CHECK(fake::eye(3).sizes() == dim_vector{3, 3});
  CHECK(fake::eye(3, 5).strides() == dim_vector{5, 1});
  CHECK_THROWS_WITH(fake::eye(-1), Catch::Contains("n must be greater or equal to 0, got -1"));
  CHECK(fake::rand({2, 3}).dtype() == dtype::float32);
  CHECK_THROWS_WITH(fake::rand({2}, dtype::int64), Catch::Contains("\"check_uniform_bounds\" not implemented for 'Long'"));
  CHECK_THROWS_AS(fake::randn({2}, dtype::int64), fake::dtype_error);
  CHECK(fake::randint(0, 5, {2}).dtype() == dtype::int64);
  CHECK_THROWS_WITH(fake::randint(5, 5, {2}), Catch::Contains("from=5 >= to=5"));
}

TEST_CASE("*_like and new_*: preserve rule and defaults", "[factory]") {
  const tensor_desc xt = fake::t(fake::empty({3, 4}, dtype::float16, cuda0));
  const tensor_desc e = fake::empty_like(xt);
  CHECK(e.strides() == dim_vector{1, 4});
  CHECK(e.dtype() == dtype::float16);
  CHECK(e.device() == cuda0);
  CHECK_FALSE(e.shares_storage_with(xt));
  CHECK(fake::zeros_like(xt, dtype::int32).dtype() == dtype::int32);
  CHECK(fake::ones_like(xt, {}, fake::device{}).device() == fake::device{});
  CHECK(fake::full_like(xt, 2, {}, {}, fake::memory_format::contiguous_format).strides() == dim_vector{3, 1});
  // an expanded input: dense strides in its stride order
  const tensor_desc ex = fake::expand(fake::empty({3, 1}), {3, 4});
  CHECK(fake::empty_like(ex).strides() == dim_vector{4, 1});
  CHECK_THROWS_AS(fake::rand_like(fake::empty({2}, dtype::int64)), fake::dtype_error);
  const tensor_desc n = fake::new_zeros(xt, {5, 2});
  CHECK(n.strides() == dim_vector{2, 1});
  CHECK(n.dtype() == dtype::float16);
  CHECK(n.device() == cuda0);
  CHECK(fake::new_full(xt, {2}, 7).dtype() == dtype::float16);  // not inferred from the fill
  CHECK(fake::new_empty_strided(xt, {2, 3}, {1, 2}).strides() == dim_vector{1, 2});
}

TEST_CASE("factories by name: kwargs and schema defaults", "[factory]") {
  fake::op_registry& r = fake::op_registry::global();  // the families: tools/aten_ops.cpp
  auto call = [&](const char* name, fake::stack args, const std::vector<std::pair<std::string, fake::ivalue>>& kw = {}) {
    const fake::op_overload& op = r.get(name);
    fake::stack s = op.bind(std::move(args), kw);
    op.call(s);
    return s;
  };
  CHECK(call("aten::full", {dim_vector{4}, 0.0}, {{"device", cuda0}})[0].to_tensor().device() == cuda0);
  CHECK(call("aten::full", {dim_vector{4}, std::int64_t{1}})[0].to_tensor().dtype() == dtype::int64);
  CHECK(call("aten::randint", {std::int64_t{5}, dim_vector{2}})[0].to_tensor().dtype() == dtype::int64);
  CHECK(call("aten::arange.start_step", {std::int64_t{-3}, 2.5, std::int64_t{1}})[0].to_tensor().sizes() == dim_vector{6});
  CHECK(call("aten::empty_strided", {dim_vector{5, 3}, dim_vector{6, 3}})[0].to_tensor().strides() == dim_vector{6, 3});
  CHECK(call("aten::empty.memory_format", {dim_vector{5, 4, 5, 1}}, {{"dtype", dtype::float64}})[0].to_tensor().dtype() ==
        dtype::float64);
}
