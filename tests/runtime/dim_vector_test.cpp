// fake::dim_vector (Note [dim_vector]): inline up to rank 8, heap beyond, value
// semantics in every transition. ASan runs these too.
#include <catch2/catch.hpp>

#include <numeric>
#include <utility>

#include "faketensor/shape/dim_vector.hpp"

using fake::dim_vector;

namespace {
dim_vector iota(std::size_t n) {
  dim_vector v(n, fake::default_init);
  std::iota(v.begin(), v.end(), 1);
  return v;
}
}  // namespace

TEST_CASE("dim_vector copies and moves inline and heap contents", "[dim_vector]") {
  for (std::size_t n : {0u, 1u, 4u, 8u, 9u, 20u}) {
    INFO("size " << n);
    const dim_vector a = iota(n);
    CHECK(a.size() == n);
    CHECK(a.is_inline() == (n <= fake::inline_rank));
    dim_vector b = a;  // copy
    CHECK(b == a);
    b.push_back(99);
    CHECK(b.size() == n + 1);
    CHECK_FALSE(b == a);
    dim_vector c = std::move(b);  // move
    CHECK(c.size() == n + 1);
    CHECK(c.back() == 99);
    CHECK(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty and usable
    b = c;             // copy-assign into a moved-from vector
    CHECK(b == c);
    c = iota(3);  // move-assign a smaller one over a possibly heap one
    CHECK(c == dim_vector{1, 2, 3});
    dim_vector& self = b;
    b = self;  // self-assignment keeps the contents
    CHECK(b.size() == n + 1);
  }
}

TEST_CASE("dim_vector grows past its inline capacity", "[dim_vector]") {
  dim_vector v;
  for (std::int64_t i = 0; i < 100; ++i) v.push_back(i);
  CHECK(v.size() == 100);
  CHECK_FALSE(v.is_inline());
  CHECK(std::accumulate(v.begin(), v.end(), std::int64_t{0}) == 4950);
  v.resize(3);
  CHECK(v == dim_vector{0, 1, 2});
  v.resize(5, 7);
  CHECK(v == dim_vector{0, 1, 2, 7, 7});
  v.pop_back();
  CHECK(v.back() == 7);
}

TEST_CASE("dim_vector insert and erase", "[dim_vector]") {
  dim_vector v{1, 2, 3};
  const dim_vector mid{7, 8};
  v.insert(v.begin() + 1, mid.begin(), mid.end());
  CHECK(v == dim_vector{1, 7, 8, 2, 3});
  v.insert(v.end(), std::int64_t{9});
  CHECK(v == dim_vector{1, 7, 8, 2, 3, 9});
  const dim_vector many = iota(10);
  v.insert(v.begin(), many.begin(), many.end());  // crosses into the heap
  CHECK(v.size() == 16);
  CHECK(v[0] == 1);
  CHECK(v[10] == 1);
  v.erase(v.begin());
  CHECK(v.size() == 15);
  CHECK(v[0] == 2);
  dim_vector w;
  w.assign(many.begin(), many.begin() + 2);
  CHECK(w == dim_vector{1, 2});
  CHECK(fake::to_string(w) == "[1, 2]");
  CHECK(dim_vector(4) == dim_vector{0, 0, 0, 0});
  CHECK(dim_vector(2, 5) == dim_vector{5, 5});
}
