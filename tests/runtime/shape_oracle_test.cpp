// Broadcasting, contiguity, strides and storage sizes against tables generated
// from PyTorch 1.13 (tests/data/gen_core_tables.py). Each case runs on the
// runtime representation (dim_vector) and on a typed mixed shape of the same
// rank whose extents are all dynamic, so both paths are held to PyTorch.
#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/contiguity.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/strides.hpp"
#include "test_support.hpp"

using fake::dim_vector;
using fake::testing::dims_of;
using fake::testing::dtype_of;
using fake::testing::load_json;

namespace {
const nlohmann::json& tables() {
  static const nlohmann::json t = load_json("core_tables.json");
  return t;
}

// Calls f with v as a fake::shape<dyn, ..., dyn> (or strides) of v's rank.
template <template <std::int64_t...> class Tpl, class F>
auto with_typed(const dim_vector& v, F&& f) {
  auto go = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return f(Tpl<(static_cast<void>(I), fake::dyn)...>(fake::all_extents, v[I]...));
  };
  switch (v.size()) {
    case 0: return f(Tpl<>{});
    case 1: return go(std::make_index_sequence<1>{});
    case 2: return go(std::make_index_sequence<2>{});
    case 3: return go(std::make_index_sequence<3>{});
    case 4: return go(std::make_index_sequence<4>{});
    case 5: return go(std::make_index_sequence<5>{});
    case 6: return go(std::make_index_sequence<6>{});
    default: throw std::runtime_error("test helper: rank above 6");
  }
}
}  // namespace

TEST_CASE("broadcast_shapes matches PyTorch's infer_size", "[shape][broadcast][oracle]") {
  const auto& rows = tables().at("broadcast");
  REQUIRE(rows.size() >= 300);
  std::size_t errors = 0;
  for (const auto& row : rows) {
    INFO(row.dump());
    std::vector<dim_vector> shapes;
    bool negative = false;
    for (const auto& s : row.at("shapes")) {
      shapes.push_back(dims_of(s));
      for (auto v : shapes.back()) negative = negative || v < 0;
    }
    auto run = [&] {
      dim_vector acc = shapes[0];
      for (std::size_t i = 1; i < shapes.size(); ++i) acc = fake::broadcast_shapes(acc, shapes[i]);
      return acc;
    };
    if (row.contains("error")) {
      ++errors;
      // infer_size's message for a mismatch; a negative size is refused too
      // (torch.broadcast_shapes refuses it; infer_size alone would pass it on).
      if (row.contains("infer_size_error")) {
        CHECK_THROWS_WITH(run(), "broadcast_shapes: " + row.at("infer_size_error").get<std::string>());
      } else {
        REQUIRE(negative);
        CHECK_THROWS_AS(run(), fake::shape_error);
      }
    } else {
      CHECK(run() == dims_of(row.at("result")));
      if (shapes.size() == 2) {
        // the typed path, all extents dynamic
        with_typed<fake::shape>(shapes[0], [&](auto a) {
          return with_typed<fake::shape>(shapes[1], [&](auto b) {
            CHECK(dim_vector(fake::broadcast_shapes(a, b)) == dims_of(row.at("result")));
            return 0;
          });
        });
      }
    }
  }
  CHECK(errors > 50);
}

TEST_CASE("contiguity and suggest_memory_format match PyTorch", "[shape][contiguity][oracle]") {
  const auto& rows = tables().at("contiguity");
  REQUIRE(rows.size() >= 500);
  for (const auto& row : rows) {
    INFO(row.dump());
    const dim_vector sizes = dims_of(row.at("sizes"));
    const dim_vector strides = dims_of(row.at("strides"));
    CHECK(fake::is_contiguous(sizes, strides) == row.at("is_contiguous").get<bool>());
    CHECK(fake::is_channels_last_contiguous(sizes, strides) == row.at("is_channels_last_contiguous").get<bool>());
    CHECK(fake::is_channels_last_3d_contiguous(sizes, strides) == row.at("is_channels_last_3d_contiguous").get<bool>());
    CHECK(fake::is_non_overlapping_and_dense(sizes, strides) == row.at("non_overlapping_and_dense").get<bool>());
    const auto expected_format = fake::parse_memory_format(row.at("suggest_memory_format").get<std::string>());
    REQUIRE(expected_format);
    CHECK(fake::suggest_memory_format(sizes, strides) == *expected_format);
    // empty_like(preserve_format) keeps the strides of a dense input. (For the
    // others PyTorch 1.13 uses infer_dense_strides, which comes with the kernels.)
    if (fake::is_non_overlapping_and_dense(sizes, strides)) CHECK(strides == dims_of(row.at("empty_like_preserve_strides")));
    // typed path
    with_typed<fake::shape>(sizes, [&](auto s) {
      return with_typed<fake::strides>(strides, [&](auto t) {
        CHECK(fake::is_contiguous(s, t) == row.at("is_contiguous").get<bool>());
        CHECK(fake::is_non_overlapping_and_dense(s, t) == row.at("non_overlapping_and_dense").get<bool>());
        CHECK(fake::suggest_memory_format(s, t) == *expected_format);
        return 0;
      });
    });
  }
}

TEST_CASE("strides of new tensors match PyTorch for every memory format", "[shape][strides][oracle]") {
  const auto& rows = tables().at("contiguous_strides");
  REQUIRE(rows.size() >= 300);
  for (const auto& row : rows) {
    INFO(row.dump());
    const dim_vector sizes = dims_of(row.at("sizes"));
    const auto format = fake::parse_memory_format(row.at("memory_format").get<std::string>());
    REQUIRE(format);
    if (row.contains("error")) {
      try {
        (void)fake::strides_for(sizes, *format);
        FAIL("expected a shape_error");
      } catch (const fake::shape_error& e) {
        CHECK_THAT(e.what(), Catch::Contains(row.at("error").get<std::string>()));
      }
    } else {
      CHECK(fake::strides_for(sizes, *format) == dims_of(row.at("strides")));
      if (*format == fake::memory_format::contiguous_format)
        with_typed<fake::shape>(sizes, [&](auto s) {
          CHECK(dim_vector(fake::contiguous_strides(s)) == dims_of(row.at("strides")));
          return 0;
        });
    }
  }
}

TEST_CASE("storage_nbytes matches PyTorch", "[shape][storage][oracle]") {
  const auto& rows = tables().at("storage_nbytes");
  REQUIRE(rows.size() >= 100);
  for (const auto& row : rows) {
    INFO(row.dump());
    const dim_vector sizes = dims_of(row.at("sizes"));
    const dim_vector strides = dims_of(row.at("strides"));
    const std::int64_t item = fake::itemsize(dtype_of(row.at("dtype")));
    const std::int64_t offset = row.at("storage_offset").get<std::int64_t>();
    CHECK(fake::storage_nbytes(sizes, strides, item, offset) == row.at("nbytes").get<std::int64_t>());
  }
}
