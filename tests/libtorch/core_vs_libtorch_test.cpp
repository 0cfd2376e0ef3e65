// Live differential test of the core vocabulary against libtorch (ATen 1.13):
// promotion, result_type, broadcasting, contiguity, suggested memory format,
// strides of new tensors and storage sizes, over thousands of random inputs.
// The seed is fixed and printed so a failure can be replayed.
// ATen pulls in glog, whose CHECK macro would silently replace Catch's: include
// ATen first, drop glog's CHECK, then include Catch.
#include <ATen/ATen.h>
#include <ATen/EmptyTensor.h>
#include <ATen/ExpandUtils.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <numeric>
#include <random>
#include <vector>

#include "faketensor/core/dtype.hpp"
#include "faketensor/core/result_type.hpp"
#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/contiguity.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/strides.hpp"

namespace {

constexpr std::uint32_t seed = 20261121;

std::mt19937& rng() {
  static std::mt19937 g = [] {
    std::cout << "core_vs_libtorch: seed " << seed << "\n";
    return std::mt19937(seed);
  }();
  return g;
}

std::int64_t pick(std::initializer_list<std::int64_t> values) {
  std::uniform_int_distribution<std::size_t> d(0, values.size() - 1);
  return *(values.begin() + d(rng()));
}

fake::dim_vector to_dims(at::IntArrayRef a) { return fake::dim_vector(a.begin(), a.end()); }
std::vector<std::int64_t> to_vec(const fake::dim_vector& v) { return {v.begin(), v.end()}; }

fake::dim_vector random_sizes(std::int64_t rank) {
  fake::dim_vector s;
  for (std::int64_t i = 0; i < rank; ++i) s.push_back(pick({0, 1, 1, 1, 2, 2, 3, 4, 5}));
  return s;
}

// Strides from a random permutation of the dims, with random gaps and
// expanded (0) dims; sometimes channels-last orders exactly.
fake::dim_vector random_strides(const fake::dim_vector& sizes) {
  const auto r = static_cast<std::int64_t>(sizes.size());
  std::vector<std::int64_t> order(static_cast<std::size_t>(r));
  std::iota(order.begin(), order.end(), 0);
  if ((r == 4 || r == 5) && pick({0, 1}) == 1) {
    // channels-last order, outermost first: N, spatial..., C
    order = r == 4 ? std::vector<std::int64_t>{0, 2, 3, 1} : std::vector<std::int64_t>{0, 2, 3, 4, 1};
  } else {
    std::shuffle(order.begin(), order.end(), rng());
  }
  fake::dim_vector strides(sizes.size(), 0);
  std::int64_t running = pick({1, 1, 1, 2});
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const auto d = static_cast<std::size_t>(*it);
    strides[d] = pick({0, 1, 1, 1, 1, 1, 1}) == 0 ? 0 : running;
    running *= std::max<std::int64_t>(sizes[d], 1) * pick({1, 1, 1, 1, 2});
  }
  return strides;
}

}  // namespace

TEST_CASE("promote_types equals c10::promoteTypes for every pair", "[libtorch][dtype]") {
  for (fake::dtype a : fake::all_dtypes) {
    for (fake::dtype b : fake::all_dtypes) {
      if (fake::is_float8(a) || fake::is_float8(b)) continue;  // not in 1.13
      const auto sa = static_cast<c10::ScalarType>(a);
      const auto sb = static_cast<c10::ScalarType>(b);
      INFO(c10::toString(sa) << " " << c10::toString(sb));
      CHECK(std::string(fake::c10_name(a)) == c10::toString(sa));
      CHECK(fake::itemsize(a) == static_cast<std::int64_t>(c10::elementSize(sa)));
      bool torch_failed = false;
      c10::ScalarType expected{};
      try {
        expected = c10::promoteTypes(sa, sb);
      } catch (const c10::Error&) {
        torch_failed = true;
      }
      if (torch_failed) {
        CHECK_THROWS_AS(fake::promote_types(a, b), fake::dtype_error);
      } else {
        CHECK(static_cast<c10::ScalarType>(fake::promote_types(a, b)) == expected);
      }
    }
  }
}

TEST_CASE("result_type equals at::result_type for tensors, 0-dim tensors and scalars", "[libtorch][dtype]") {
  std::vector<fake::dtype> dtypes;
  for (fake::dtype d : fake::all_dtypes)
    if (!fake::is_quantized(d) && !fake::is_float8(d)) dtypes.push_back(d);
  const std::vector<at::Scalar> scalars{at::Scalar(true), at::Scalar(std::int64_t{2}), at::Scalar(2.5),
                                        at::Scalar(c10::complex<double>(1.0, 2.0))};
  const std::vector<fake::operand> scalar_ops{fake::scalar_operand(true), fake::int_scalar_operand(),
                                              fake::float_scalar_operand(), fake::complex_scalar_operand()};
  for (fake::dtype a : dtypes) {
    const auto options = at::TensorOptions().device(at::kMeta).dtype(static_cast<c10::ScalarType>(a));
    const at::Tensor t = at::empty({2}, options);
    const at::Tensor z = at::empty({}, options);
    for (fake::dtype b : dtypes) {
      const auto options_b = at::TensorOptions().device(at::kMeta).dtype(static_cast<c10::ScalarType>(b));
      const at::Tensor tb = at::empty({3}, options_b);
      const at::Tensor zb = at::empty({}, options_b);
      using K = fake::operand_kind;
      CHECK(static_cast<c10::ScalarType>(fake::result_type({{a, K::tensor}, {b, K::tensor}})) == at::result_type(t, tb));
      CHECK(static_cast<c10::ScalarType>(fake::result_type({{a, K::tensor}, {b, K::zero_dim}})) == at::result_type(t, zb));
      CHECK(static_cast<c10::ScalarType>(fake::result_type({{a, K::zero_dim}, {b, K::zero_dim}})) == at::result_type(z, zb));
    }
    for (std::size_t s = 0; s < scalars.size(); ++s) {
      using K = fake::operand_kind;
      CHECK(static_cast<c10::ScalarType>(fake::result_type({{a, K::tensor}, scalar_ops[s]})) == at::result_type(t, scalars[s]));
      CHECK(static_cast<c10::ScalarType>(fake::result_type({{a, K::zero_dim}, scalar_ops[s]})) == at::result_type(z, scalars[s]));
    }
  }
}

TEST_CASE("broadcast_shapes equals at::infer_size on random shapes", "[libtorch][broadcast]") {
  int errors = 0;
  for (int i = 0; i < 3000; ++i) {
    const auto a = random_sizes(pick({0, 1, 2, 3, 4, 5}));
    auto b = random_sizes(pick({0, 1, 2, 3, 4, 5}));
    // make most cases compatible: copy a's trailing dims or put 1s
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k)
      if (pick({0, 1, 1, 1}) == 1) b[b.size() - 1 - k] = pick({0, 1}) ? a[a.size() - 1 - k] : 1;
    INFO(fake::to_string(a) << " with " << fake::to_string(b));
    bool torch_failed = false;
    std::vector<std::int64_t> expected;
    try {
      expected = at::infer_size(to_vec(a), to_vec(b));
    } catch (const c10::Error&) {
      torch_failed = true;
    }
    if (torch_failed) {
      ++errors;
      CHECK_THROWS_AS(fake::broadcast_shapes(a, b), fake::shape_error);
    } else {
      CHECK(to_vec(fake::broadcast_shapes(a, b)) == expected);
    }
  }
  CHECK(errors > 100);
}

TEST_CASE("contiguity, density and suggest_memory_format equal TensorImpl's", "[libtorch][contiguity]") {
  int channels_last = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto sizes = random_sizes(pick({0, 1, 2, 3, 4, 4, 4, 5, 5}));
    const auto strides = random_strides(sizes);
    const at::Tensor t = at::empty_strided(to_vec(sizes), to_vec(strides), at::TensorOptions().device(at::kMeta));
    INFO("sizes " << fake::to_string(sizes) << " strides " << fake::to_string(strides));
    CHECK(fake::is_contiguous(sizes, strides) == t.is_contiguous());
    CHECK(fake::is_channels_last_contiguous(sizes, strides) == t.is_contiguous(at::MemoryFormat::ChannelsLast));
    CHECK(fake::is_channels_last_3d_contiguous(sizes, strides) == t.is_contiguous(at::MemoryFormat::ChannelsLast3d));
    CHECK(fake::is_non_overlapping_and_dense(sizes, strides) == t.is_non_overlapping_and_dense());
    CHECK(static_cast<at::MemoryFormat>(fake::suggest_memory_format(sizes, strides)) == t.suggest_memory_format());
    CHECK(static_cast<at::MemoryFormat>(fake::suggest_memory_format(sizes, strides, true)) == t.suggest_memory_format(true));
    channels_last += t.suggest_memory_format() != at::MemoryFormat::Contiguous;
  }
  CHECK(channels_last > 100);
}

TEST_CASE("strides of new tensors equal at::empty's for every memory format", "[libtorch][strides]") {
  for (int i = 0; i < 2000; ++i) {
    const auto sizes = random_sizes(pick({0, 1, 2, 3, 4, 4, 5, 5, 6}));
    for (auto format : {fake::memory_format::contiguous_format, fake::memory_format::channels_last,
                        fake::memory_format::channels_last_3d}) {
      INFO("sizes " << fake::to_string(sizes) << " format " << fake::to_string(format));
      bool torch_failed = false;
      at::Tensor t;
      try {
        t = at::empty(to_vec(sizes), at::TensorOptions().device(at::kMeta), static_cast<at::MemoryFormat>(format));
      } catch (const c10::Error&) {
        torch_failed = true;
      }
      if (torch_failed) CHECK_THROWS_AS(fake::strides_for(sizes, format), fake::shape_error);
      else CHECK(fake::strides_for(sizes, format) == to_dims(t.strides()));
    }
  }
}

TEST_CASE("storage_nbytes equals at::detail::computeStorageNbytes", "[libtorch][storage]") {
  for (int i = 0; i < 3000; ++i) {
    const auto sizes = random_sizes(pick({0, 1, 2, 3, 4}));
    const auto strides = random_strides(sizes);
    const std::int64_t item = pick({1, 2, 4, 8, 16});
    const std::int64_t offset = pick({0, 0, 1, 7, 100});
    INFO("sizes " << fake::to_string(sizes) << " strides " << fake::to_string(strides) << " item " << item << " offset "
                  << offset);
    const auto expected = at::detail::computeStorageNbytes(to_vec(sizes), to_vec(strides), static_cast<std::size_t>(item),
                                                           static_cast<std::size_t>(offset));
    CHECK(fake::storage_nbytes(sizes, strides, item, offset) == static_cast<std::int64_t>(expected));
  }
}
