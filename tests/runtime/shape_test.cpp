// Typed tests over static, mixed and dynamic representations of the same shapes:
// every representation must give the same values, and the errors of bad input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <tuple>

#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/contiguity.hpp"
#include "faketensor/shape/dim_vector.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/strides.hpp"

using fake::dim_vector;
using fake::dyn;
using fake::shape;

namespace {
// The shapes [8, 1, 6] and [7, 1] in three representations each.
struct all_static {
  static auto a() { return shape<8, 1, 6>{}; }
  static auto b() { return shape<7, 1>{}; }
};
struct mixed {
  static auto a() { return shape<dyn, 1, 6>{8}; }
  static auto b() { return shape<7, dyn>{1}; }
};
struct all_dynamic {
  static auto a() { return dim_vector{8, 1, 6}; }
  static auto b() { return dim_vector{7, 1}; }
};
}  // namespace

TEMPLATE_TEST_CASE("shape algorithms agree across static, mixed and dynamic dims", "[shape][typed]", all_static, mixed,
                   all_dynamic) {
  const auto a = TestType::a();
  const auto b = TestType::b();
  CHECK(dim_vector(fake::broadcast_shapes(a, b)) == dim_vector{8, 7, 6});
  CHECK(dim_vector(fake::broadcast_shapes(b, a)) == dim_vector{8, 7, 6});
  CHECK(dim_vector(fake::contiguous_strides(a)) == dim_vector{6, 6, 1});
  CHECK(fake::to_int64(fake::numel(a)) == 48);
  CHECK(fake::to_int64(fake::storage_nbytes(a, fake::contiguous_strides(a), fake::c<2>{}, std::int64_t{3})) == 2 * (48 + 3));
  CHECK(fake::is_contiguous(a, fake::contiguous_strides(a)));
  CHECK(fake::is_expandable_to(b, fake::broadcast_shapes(a, b)));
}

TEST_CASE("mixed typed and runtime shapes broadcast together", "[shape][typed]") {
  const auto r = fake::broadcast_shapes(shape<dyn, 1>{4}, dim_vector{3, 1, 5});
  STATIC_REQUIRE(std::is_same_v<decltype(r), const dim_vector>);
  CHECK(r == dim_vector{3, 4, 5});
}

TEST_CASE("broadcast mismatch is a shape_error with PyTorch's message", "[shape][broadcast]") {
  CHECK_THROWS_WITH(fake::broadcast_shapes(dim_vector{2, 3}, dim_vector{4}),
                    "broadcast_shapes: The size of tensor a (3) must match the size of tensor b (4) at non-singleton "
                    "dimension 1");
  // typed but dynamic: checked at run time
  CHECK_THROWS_AS(fake::broadcast_shapes(shape<dyn, 3>{2}, shape<dyn>{4}), fake::shape_error);
  // a static extent absorbs the dynamic one, still checked at run time
  CHECK_THROWS_WITH(fake::broadcast_shapes(shape<dyn>{5}, shape<3>{}),
                    Catch::Contains("The size of tensor a (5) must match the size of tensor b (3)"));
  CHECK_THROWS_AS(fake::broadcast_shapes(dim_vector{-1}, dim_vector{1}), fake::shape_error);
}

TEST_CASE("shape construction rejects negative and inconsistent sizes", "[shape]") {
  CHECK_THROWS_WITH((shape<dyn, 3>(-2)), Catch::Contains("negative dimension -2"));
  CHECK_THROWS_AS((shape<dyn, 3>(fake::all_extents, 2, 4)), fake::shape_error);
  CHECK_NOTHROW((shape<dyn, 3>(fake::all_extents, 2, 3)));
  CHECK(fake::to_string(shape<dyn, 3>{2}) == "[2, 3]");
}

TEST_CASE("numel and storage sizes report overflow instead of wrapping", "[shape][numel]") {
  const dim_vector huge{std::int64_t{1} << 32, std::int64_t{1} << 32};
  CHECK_THROWS_WITH(fake::numel(huge), Catch::StartsWith("numel: integer multiplication overflow"));
  CHECK_THROWS_AS(fake::storage_nbytes(huge, dim_vector{std::int64_t{1} << 32, 1}, 4), fake::shape_error);
  CHECK_THROWS_AS(fake::storage_nbytes(dim_vector{2}, dim_vector{-1}, 4), fake::shape_error);
  CHECK_THROWS_AS(fake::storage_nbytes(dim_vector{2, 3}, dim_vector{1}, 4), fake::shape_error);  // rank mismatch
  CHECK(fake::storage_nbytes(dim_vector{0, 3}, dim_vector{3, 1}, 4, 100) == 0);  // empty needs no bytes
}

TEST_CASE("memory formats need their rank", "[shape][strides]") {
  CHECK_THROWS_WITH(fake::strides_for(dim_vector{2, 3, 4}, fake::memory_format::channels_last),
                    "channels_last_strides: required rank 4 tensor to use channels_last format, got rank 3");
  CHECK_THROWS_AS(fake::strides_for(dim_vector{2, 3, 4, 5}, fake::memory_format::channels_last_3d), fake::shape_error);
  CHECK_THROWS_AS(fake::strides_for(dim_vector{2}, fake::memory_format::preserve_format), fake::value_error);
  CHECK_THROWS_AS(fake::is_contiguous(dim_vector{2, 3}, dim_vector{1}), fake::shape_error);
}

TEST_CASE("dim_vector keeps rank <= 8 inline and grows beyond", "[shape][dim_vector]") {
  dim_vector v(8, 1);
  const auto* inline_begin = reinterpret_cast<const char*>(&v);
  const auto* data = reinterpret_cast<const char*>(v.data());
  CHECK(data >= inline_begin);
  CHECK(data < inline_begin + sizeof(v));  // elements live inside the object: no heap
  dim_vector big(20, 2);
  CHECK(fake::numel(big) == (std::int64_t{1} << 20));
  CHECK(fake::contiguous_strides(big)[0] == (std::int64_t{1} << 19));
  CHECK(dim_vector(fake::broadcast_shapes(big, dim_vector{2})) == big);
}
