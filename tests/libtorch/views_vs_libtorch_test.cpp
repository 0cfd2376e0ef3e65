// Live differential test of the view ops (view/ops.hpp) against libtorch
// (ATen 1.13): random strided inputs (ranks 0-5, sizes 0-5, permuted, expanded
// and gapped strides, storage offsets) go through chains of 1-4 random view
// ops, applied both to a real CPU tensor and to a fake::tensor_desc of the same
// geometry. Every result must agree on sizes, strides, storage offset, dtype,
// is-view, storage sharing, storage size and _base; when ATen raises, the fake
// op must throw a fake::error. A second case replays recorded chains on a base
// of another size and compares with ATen applying the same ops there.
// The seed is fixed and printed so a failure can be replayed.
// ATen pulls in glog, whose CHECK macro would silently replace Catch's: include
// ATen first, drop glog's CHECK, then include Catch.
#include <ATen/ATen.h>
#include <c10/util/Logging.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstdint>
#include <functional>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "faketensor/core/dtype.hpp"
#include "faketensor/core/error.hpp"
#include "faketensor/meta/tensor_desc.hpp"
#include "faketensor/view/ops.hpp"

namespace {

constexpr std::uint32_t seed = 20261123;
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();

using ints = std::vector<std::int64_t>;

std::mt19937 gen;  // reseeded by each test case

// The seed, or FAKETENSOR_VIEWS_SEED when set (to explore other inputs).
std::uint32_t base_seed() {
  static const std::uint32_t s = [] {
    const char* env = std::getenv("FAKETENSOR_VIEWS_SEED");
    const std::uint32_t v = env ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10)) : seed;
    std::cout << "views_vs_libtorch: seed " << v << "\n";
    // c10::Error captures and symbolizes a backtrace per throw (about a
    // millisecond); thousands of expected errors do not need them.
    c10::SetStackTraceFetcher([] { return std::string(); });
    return v;
  }();
  return s;
}
void reseed(std::uint32_t offset) { gen.seed(base_seed() + offset); }

std::int64_t uniform(std::int64_t lo, std::int64_t hi) {  // inclusive
  return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen);
}
bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(gen) < p; }
template <class T>
T pick(std::initializer_list<T> values) {
  return *(values.begin() + uniform(0, static_cast<std::int64_t>(values.size()) - 1));
}

fake::dim_vector fd(const ints& v) { return fake::dim_vector(v.begin(), v.end()); }
ints to_ints(at::IntArrayRef a) { return ints(a.begin(), a.end()); }
ints to_ints(const fake::dim_vector& v) { return ints(v.begin(), v.end()); }
c10::optional<std::int64_t> copt(std::optional<std::int64_t> o) {
  return o ? c10::optional<std::int64_t>(*o) : c10::nullopt;
}

template <class R>
std::string fmt(const R& v) {
  std::string s = "[";
  bool first = true;
  for (auto x : v) {
    if (!first) s += ", ";
    first = false;
    s += x == i64_max ? "INT64_MAX" : x == i64_min ? "INT64_MIN" : std::to_string(x);
  }
  return s + "]";
}
std::string fmt(std::int64_t x) { return x == i64_max ? "INT64_MAX" : x == i64_min ? "INT64_MIN" : std::to_string(x); }
std::string fmt(std::optional<std::int64_t> o) { return o ? fmt(*o) : std::string("None"); }

std::string describe(const fake::tensor_desc& f) {
  return "sizes=" + fmt(f.sizes()) + " strides=" + fmt(f.strides()) + " offset=" + std::to_string(f.storage_offset()) +
         " dtype=" + std::string(fake::c10_name(f.dtype())) + " storage_nbytes=" + std::to_string(f.storage().nbytes()) +
         (f.is_view() ? " (view)" : "");
}
std::string describe(const at::Tensor& a) {
  return "sizes=" + fmt(a.sizes()) + " strides=" + fmt(a.strides()) + " offset=" + std::to_string(a.storage_offset()) +
         " dtype=" + std::string(c10::toString(a.scalar_type())) +
         " storage_nbytes=" + std::to_string(a.storage().nbytes()) + (a.is_view() ? " (view)" : "");
}

// A real tensor and its fake twin.
struct twin {
  at::Tensor a;
  fake::tensor_desc f;
};

// ------------------------------------------------------------ random inputs

ints random_sizes(std::int64_t rank) {
  ints s;
  for (std::int64_t i = 0; i < rank; ++i) s.push_back(pick<std::int64_t>({0, 1, 1, 2, 2, 3, 3, 4, 5}));
  return s;
}

// Strides from a random permutation of the dims, with random gaps and
// expanded (0) dims.
ints random_strides(const ints& sizes) {
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (chance(0.6)) std::shuffle(order.begin(), order.end(), gen);
  ints strides(sizes.size(), 0);
  std::int64_t running = pick<std::int64_t>({1, 1, 1, 2});
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    strides[*it] = chance(0.1) ? 0 : running;
    running *= std::max<std::int64_t>(sizes[*it], 1) * pick<std::int64_t>({1, 1, 1, 1, 2});
  }
  return strides;
}

std::int64_t elements_needed(const ints& sizes, const ints& strides) {  // from offset 0
  std::int64_t n = 1;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) return 0;
    n += (sizes[i] - 1) * strides[i];
  }
  return n;
}

struct input_case {
  std::vector<twin> roots;  // the buffer (when the input is an as_strided view of it), then the input
  std::string text;
};

// A random strided input: a fresh empty_strided tensor, or an as_strided view
// (with a storage offset) of a bigger 1-d buffer. Some float inputs end in a
// (2, stride 1) dim with even strides so that view_as_complex applies.
input_case random_input() {
  const bool complex = chance(0.2);
  const at::ScalarType st = complex ? at::kComplexFloat : at::kFloat;
  const fake::dtype dt = complex ? fake::dtype::complex64 : fake::dtype::float32;
  ints sizes, strides;
  if (!complex && chance(0.12)) {
    sizes = random_sizes(uniform(0, 4));
    strides = random_strides(sizes);
    for (auto& s : strides) s *= 2;
    sizes.push_back(2);
    strides.push_back(1);
  } else {
    sizes = random_sizes(uniform(0, 5));
    strides = random_strides(sizes);
  }
  input_case c;
  const auto opts = at::TensorOptions().dtype(st).device(at::kCPU);
  if (chance(0.35)) {
    c.roots.push_back({at::empty_strided(sizes, strides, opts), fake::empty_strided(fd(sizes), fd(strides), dt)});
    c.text = "empty_strided(" + fmt(sizes) + ", " + fmt(strides) + ", " + std::string(c10::toString(st)) + ")";
  } else {
    const std::int64_t offset = chance(0.3) ? 0 : uniform(0, 5);
    const std::int64_t n = elements_needed(sizes, strides) + offset + pick<std::int64_t>({0, 0, 1, 3});
    at::Tensor buf = at::empty({n}, opts);
    fake::tensor_desc fbuf = fake::empty({n}, dt);
    c.roots.push_back({buf, fbuf});
    c.roots.push_back({buf.as_strided(sizes, strides, offset), fake::as_strided(fbuf, fd(sizes), fd(strides), offset)});
    c.text = "empty({" + std::to_string(n) + "}, " + std::string(c10::toString(st)) + ").as_strided(" + fmt(sizes) + ", " +
             fmt(strides) + ", " + std::to_string(offset) + ")";
  }
  return c;
}

// --------------------------------------------------------------- op calls

using aten_fn = std::function<std::vector<at::Tensor>(const at::Tensor&)>;
using fake_fn = std::function<std::vector<fake::tensor_desc>(const fake::tensor_desc&)>;

struct op_call {
  std::string name;  // for the statistics
  std::string text;  // with its arguments, for repros
  aten_fn aten;
  fake_fn fake;
  bool replayable = false;           // recorded in the view chain as this very op
  std::shared_ptr<bool> copied;      // reshape: did the fake side copy?
};

std::vector<at::Tensor> one(at::Tensor t) { return {std::move(t)}; }
std::vector<fake::tensor_desc> one(fake::tensor_desc t) { return {std::move(t)}; }

// A dim for a tensor of rank r (0-d tensors accept -1 and 0); sometimes out of range.
std::int64_t rand_dim(std::int64_t r) {
  const std::int64_t rr = std::max<std::int64_t>(r, 1);
  if (chance(0.04)) return pick<std::int64_t>({rr, -rr - 1, rr + 2});
  return uniform(-rr, rr - 1);
}
// The size at dim d, or a stand-in when d is not a valid dim of t.
std::int64_t size_at(const fake::tensor_desc& t, std::int64_t d) {
  const std::int64_t r = t.dim();
  if (r == 0 || d < -r || d >= r) return 3;
  return t.sizes()[static_cast<std::size_t>(d < 0 ? d + r : d)];
}

// Sizes of the given rank whose product is n.
ints factor_shape(std::int64_t n, std::int64_t rank) {
  if (n == 0) {
    if (rank == 0) rank = 1;
    ints out;
    for (std::int64_t i = 0; i < rank; ++i) out.push_back(uniform(0, 3));
    out[static_cast<std::size_t>(uniform(0, rank - 1))] = 0;
    return out;
  }
  if (rank == 0 && n != 1) rank = 1;
  ints out(static_cast<std::size_t>(rank), 1);
  std::int64_t m = n;
  for (std::int64_t p = 2; m > 1;) {
    if (m % p == 0) {
      out[static_cast<std::size_t>(uniform(0, rank - 1))] *= p;
      m /= p;
    } else {
      ++p;
    }
  }
  return out;
}

// The sizes with adjacent dims merged, dims split and 1s added or dropped.
ints derived_shape(const fake::dim_vector& sizes) {
  ints out;
  for (std::int64_t s : sizes) {
    const double r = std::uniform_real_distribution<double>(0.0, 1.0)(gen);
    if (r < 0.25 && !out.empty()) {
      out.back() *= s;
    } else if (r < 0.45 && s > 1) {
      std::int64_t a = uniform(1, s);
      while (s % a != 0) --a;
      out.push_back(a);
      out.push_back(s / a);
    } else if (r < 0.52) {
      out.push_back(1);
      out.push_back(s);
    } else if (r < 0.6 && s == 1) {
      // dropped
    } else {
      out.push_back(s);
    }
  }
  return out;
}

// A target shape for view/reshape: mostly valid, with -1 and some invalid ones.
ints view_shape(const fake::tensor_desc& t) {
  ints s = chance(0.5) ? derived_shape(t.sizes()) : factor_shape(t.numel(), uniform(0, 4));
  if (chance(0.05)) s = random_sizes(uniform(0, 3));
  if (!s.empty() && chance(0.3)) s[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(s.size()) - 1))] = -1;
  if (s.size() >= 2 && chance(0.03)) s[0] = s[1] = -1;
  if (!s.empty() && chance(0.02)) s[0] = -2;
  return s;
}

std::string name_of(fake::dtype d) { return std::string(fake::c10_name(d)); }

// Each generator draws the arguments of one op for the fake input t.
using generator = op_call (*)(const fake::tensor_desc& t);

op_call g_view(const fake::tensor_desc& t) {
  ints s = view_shape(t);
  return {"view", "view(" + fmt(s) + ")", [s](const at::Tensor& a) { return one(a.view(s)); },
          [s](const fake::tensor_desc& f) { return one(fake::view(f, fd(s))); }, true, nullptr};
}
op_call g_reshape(const fake::tensor_desc& t) {
  ints s = view_shape(t);
  auto copied = std::make_shared<bool>(false);
  return {"reshape", "reshape(" + fmt(s) + ")", [s](const at::Tensor& a) { return one(a.reshape(s)); },
          [s, copied](const fake::tensor_desc& f) { return one(fake::reshape(f, fd(s), copied.get())); }, false, copied};
}
op_call g_unsafe_view(const fake::tensor_desc& t) {
  ints s = view_shape(t);
  return {"_unsafe_view", "_unsafe_view(" + fmt(s) + ")", [s](const at::Tensor& a) { return one(at::_unsafe_view(a, s)); },
          [s](const fake::tensor_desc& f) { return one(fake::unsafe_view(f, fd(s))); }, false, nullptr};
}
op_call g_transpose(const fake::tensor_desc& t) {
  const std::int64_t d0 = rand_dim(t.dim()), d1 = chance(0.1) ? d0 : rand_dim(t.dim());
  return {"transpose", "transpose(" + fmt(d0) + ", " + fmt(d1) + ")",
          [=](const at::Tensor& a) { return one(a.transpose(d0, d1)); },
          [=](const fake::tensor_desc& f) { return one(fake::transpose(f, d0, d1)); }, true, nullptr};
}
op_call g_swapaxes(const fake::tensor_desc& t) {
  const std::int64_t d0 = rand_dim(t.dim()), d1 = rand_dim(t.dim());
  return {"swapaxes", "swapaxes(" + fmt(d0) + ", " + fmt(d1) + ")",
          [=](const at::Tensor& a) { return one(at::swapaxes(a, d0, d1)); },
          [=](const fake::tensor_desc& f) { return one(fake::swapaxes(f, d0, d1)); }, true, nullptr};
}
op_call g_t(const fake::tensor_desc&) {
  return {"t", "t()", [](const at::Tensor& a) { return one(a.t()); },
          [](const fake::tensor_desc& f) { return one(fake::t(f)); }, false, nullptr};
}
op_call g_permute(const fake::tensor_desc& t) {
  const std::int64_t r = t.dim();
  ints p(static_cast<std::size_t>(r));
  std::iota(p.begin(), p.end(), std::int64_t{0});
  std::shuffle(p.begin(), p.end(), gen);
  for (auto& d : p)
    if (chance(0.3)) d -= r;
  if (chance(0.06)) {
    const auto k = pick<int>({0, 1, 2, 3});
    if (k == 0) p.push_back(0);
    else if (k == 1 && !p.empty()) p.pop_back();
    else if (k == 2 && p.size() >= 2) p[1] = p[0];
    else p.insert(p.begin(), r + 1);
  }
  return {"permute", "permute(" + fmt(p) + ")", [p](const at::Tensor& a) { return one(a.permute(p)); },
          [p](const fake::tensor_desc& f) { return one(fake::permute(f, fd(p))); }, true, nullptr};
}
op_call g_movedim(const fake::tensor_desc& t) {
  const std::int64_t r = t.dim();
  const std::int64_t rr = std::max<std::int64_t>(r, 1);
  ints all(static_cast<std::size_t>(rr));
  std::iota(all.begin(), all.end(), std::int64_t{0});
  const auto k = static_cast<std::size_t>(uniform(0, rr));
  std::shuffle(all.begin(), all.end(), gen);
  ints src(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
  std::shuffle(all.begin(), all.end(), gen);
  ints dst(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k));
  for (auto& d : src)
    if (chance(0.3)) d -= rr;
  for (auto& d : dst)
    if (chance(0.3)) d -= rr;
  if (chance(0.06)) {
    const auto m = pick<int>({0, 1, 2});
    if (m == 0) src.push_back(0);
    else if (m == 1 && dst.size() >= 2) dst[1] = dst[0];
    else if (!src.empty()) src[0] = rr + 1;
  }
  if (src.size() == 1 && dst.size() == 1 && chance(0.5)) {
    const std::int64_t s = src[0], d = dst[0];
    return {"movedim", "movedim(" + fmt(s) + ", " + fmt(d) + ")", [=](const at::Tensor& a) { return one(a.movedim(s, d)); },
            [=](const fake::tensor_desc& f) { return one(fake::movedim(f, {s}, {d})); }, false, nullptr};
  }
  return {"movedim", "movedim(" + fmt(src) + ", " + fmt(dst) + ")",
          [=](const at::Tensor& a) { return one(a.movedim(src, dst)); },
          [=](const fake::tensor_desc& f) { return one(fake::movedim(f, fd(src), fd(dst))); }, false, nullptr};
}
op_call g_narrow(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  std::int64_t start = 0, length = 0;
  if (chance(0.7)) {
    start = uniform(-sz, sz);
    const std::int64_t s = start < 0 ? start + sz : start;
    length = uniform(0, sz - s);
  } else {
    start = uniform(-sz - 1, sz + 1);
    length = uniform(-1, sz + 1);
  }
  return {"narrow", "narrow(" + fmt(d) + ", " + fmt(start) + ", " + fmt(length) + ")",
          [=](const at::Tensor& a) { return one(a.narrow(d, start, length)); },
          [=](const fake::tensor_desc& f) { return one(fake::narrow(f, d, start, length)); }, true, nullptr};
}
op_call g_select(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  const std::int64_t index = chance(0.85) && sz > 0 ? uniform(-sz, sz - 1) : uniform(-sz - 1, sz);
  return {"select", "select(" + fmt(d) + ", " + fmt(index) + ")",
          [=](const at::Tensor& a) { return one(a.select(d, index)); },
          [=](const fake::tensor_desc& f) { return one(fake::select(f, d, index)); }, true, nullptr};
}
std::optional<std::int64_t> slice_bound(std::int64_t sz) {
  const double r = std::uniform_real_distribution<double>(0.0, 1.0)(gen);
  if (r < 0.2) return std::nullopt;
  if (r < 0.24) return i64_max;
  // ATen 1.13 takes SymInts: below -2^62 they read as symbolic ("Expected
  // !is_symbolic()"), so INT64_MIN itself is not a usable bound there.
  if (r < 0.26) return -(std::int64_t{1} << 40);
  return uniform(-sz - 2, sz + 2);
}
op_call g_slice(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  const std::optional<std::int64_t> start = slice_bound(sz), end = slice_bound(sz);
  const std::int64_t step = chance(0.05) ? pick<std::int64_t>({0, -1}) : pick<std::int64_t>({1, 1, 1, 2, 3, 5});
  return {"slice", "slice(" + fmt(d) + ", " + fmt(start) + ", " + fmt(end) + ", " + fmt(step) + ")",
          [=](const at::Tensor& a) { return one(at::slice(a, d, copt(start), copt(end), step)); },
          [=](const fake::tensor_desc& f) { return one(fake::slice(f, d, start, end, step)); }, true, nullptr};
}
op_call g_unsqueeze(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim() + 1);
  return {"unsqueeze", "unsqueeze(" + fmt(d) + ")", [=](const at::Tensor& a) { return one(a.unsqueeze(d)); },
          [=](const fake::tensor_desc& f) { return one(fake::unsqueeze(f, d)); }, true, nullptr};
}
op_call g_squeeze(const fake::tensor_desc&) {
  return {"squeeze", "squeeze()", [](const at::Tensor& a) { return one(a.squeeze()); },
          [](const fake::tensor_desc& f) { return one(fake::squeeze(f)); }, true, nullptr};
}
op_call g_squeeze_dim(const fake::tensor_desc& t) {
  std::int64_t d = rand_dim(t.dim());
  // prefer a size-1 dim when there is one
  for (std::int64_t i = 0; i < t.dim(); ++i)
    if (t.size(i) == 1 && chance(0.5)) d = chance(0.5) ? i : i - t.dim();
  return {"squeeze.dim", "squeeze(" + fmt(d) + ")", [=](const at::Tensor& a) { return one(a.squeeze(d)); },
          [=](const fake::tensor_desc& f) { return one(fake::squeeze(f, d)); }, true, nullptr};
}
ints expand_target(const fake::tensor_desc& t, bool allow_minus_one) {
  ints s;
  const std::int64_t lead = pick<std::int64_t>({0, 0, 1, 2});
  for (std::int64_t i = 0; i < lead; ++i) s.push_back(pick<std::int64_t>({0, 1, 2, 3}));
  for (std::int64_t size : t.sizes()) {
    if (size == 1) s.push_back(allow_minus_one && chance(0.2) ? -1 : pick<std::int64_t>({0, 1, 2, 3}));
    else s.push_back(allow_minus_one && chance(0.3) ? -1 : size);
  }
  if (!s.empty() && chance(0.05)) s[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(s.size()) - 1))] = 4;
  if (lead > 0 && allow_minus_one && chance(0.05)) s[0] = -1;
  if (!s.empty() && chance(0.04)) s.erase(s.begin());
  if (!s.empty() && chance(0.01)) s[0] = -2;
  return s;
}
op_call g_expand(const fake::tensor_desc& t) {
  ints s = expand_target(t, true);
  return {"expand", "expand(" + fmt(s) + ")", [s](const at::Tensor& a) { return one(a.expand(s)); },
          [s](const fake::tensor_desc& f) { return one(fake::expand(f, fd(s))); }, true, nullptr};
}
op_call g_expand_as(const fake::tensor_desc& t) {
  ints s = expand_target(t, false);
  for (auto& x : s) x = std::max<std::int64_t>(x, 0);
  return {"expand_as", "expand_as(empty(" + fmt(s) + "))",
          [s](const at::Tensor& a) { return one(a.expand_as(at::empty(s))); },
          [s](const fake::tensor_desc& f) { return one(fake::expand_as(f, fake::empty(fd(s)))); }, false, nullptr};
}
op_call g_as_strided(const fake::tensor_desc& t) {
  const std::int64_t k = uniform(0, 3);
  ints sizes, strides;
  for (std::int64_t i = 0; i < k; ++i) {
    sizes.push_back(chance(0.01) ? -1 : uniform(0, 4));
    strides.push_back(chance(0.01) ? -1 : uniform(0, 5));
  }
  const std::int64_t cap = t.storage().nbytes() / t.itemsize();
  const std::int64_t need = elements_needed(sizes, strides);
  std::optional<std::int64_t> offset;
  if (chance(0.75)) {
    if (chance(0.02)) offset = -1;
    else if (chance(0.7) && need <= cap) offset = uniform(0, cap - need);
    else offset = uniform(0, cap + 3);
  }
  return {"as_strided", "as_strided(" + fmt(sizes) + ", " + fmt(strides) + ", " + fmt(offset) + ")",
          [=](const at::Tensor& a) { return one(a.as_strided(sizes, strides, copt(offset))); },
          [=](const fake::tensor_desc& f) { return one(fake::as_strided(f, fd(sizes), fd(strides), offset)); }, true,
          nullptr};
}
op_call g_diagonal(const fake::tensor_desc& t) {
  const std::int64_t offset = chance(0.1) ? pick<std::int64_t>({-10, 10}) : uniform(-3, 3);
  const std::int64_t d1 = rand_dim(t.dim()), d2 = chance(0.08) ? d1 : rand_dim(t.dim());
  return {"diagonal", "diagonal(" + fmt(offset) + ", " + fmt(d1) + ", " + fmt(d2) + ")",
          [=](const at::Tensor& a) { return one(a.diagonal(offset, d1, d2)); },
          [=](const fake::tensor_desc& f) { return one(fake::diagonal(f, offset, d1, d2)); }, true, nullptr};
}
op_call g_unfold(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = t.dim() == 0 ? 1 : size_at(t, d);
  const std::int64_t size = chance(0.9) ? uniform(0, sz) : pick<std::int64_t>({-1, sz + 1});
  const std::int64_t step = chance(0.06) ? pick<std::int64_t>({0, -1}) : uniform(1, 3);
  return {"unfold", "unfold(" + fmt(d) + ", " + fmt(size) + ", " + fmt(step) + ")",
          [=](const at::Tensor& a) { return one(a.unfold(d, size, step)); },
          [=](const fake::tensor_desc& f) { return one(fake::unfold(f, d, size, step)); }, true, nullptr};
}
op_call g_split(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  const std::int64_t split_size = chance(0.03) ? -1 : uniform(0, sz + 1);
  return {"split", "split(" + fmt(split_size) + ", " + fmt(d) + ")",
          [=](const at::Tensor& a) { return a.split(split_size, d); },
          [=](const fake::tensor_desc& f) { return fake::split(f, split_size, d); }, false, nullptr};
}
op_call g_split_with_sizes(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  const std::int64_t parts = uniform(sz == 0 ? 0 : 1, 4);
  ints cuts;
  for (std::int64_t i = 0; i + 1 < parts; ++i) cuts.push_back(uniform(0, sz));
  std::sort(cuts.begin(), cuts.end());
  ints sizes;
  std::int64_t prev = 0;
  for (std::int64_t c : cuts) {
    sizes.push_back(c - prev);
    prev = c;
  }
  if (parts > 0) sizes.push_back(sz - prev);
  if (!sizes.empty() && chance(0.08)) sizes[0] += pick<std::int64_t>({-1, 1});
  if (sizes.size() >= 2 && chance(0.03)) {
    sizes[0] = -1;
    sizes[1] += 2;
  }
  return {"split_with_sizes", "split_with_sizes(" + fmt(sizes) + ", " + fmt(d) + ")",
          [=](const at::Tensor& a) { return a.split_with_sizes(sizes, d); },
          [=](const fake::tensor_desc& f) { return fake::split_with_sizes(f, fd(sizes), d); }, false, nullptr};
}
op_call g_chunk(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  const std::int64_t chunks = chance(0.04) ? pick<std::int64_t>({0, -1}) : uniform(1, sz + 2);
  return {"chunk", "chunk(" + fmt(chunks) + ", " + fmt(d) + ")", [=](const at::Tensor& a) { return a.chunk(chunks, d); },
          [=](const fake::tensor_desc& f) { return fake::chunk(f, chunks, d); }, false, nullptr};
}
op_call g_unbind(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim());
  return {"unbind", "unbind(" + fmt(d) + ")", [=](const at::Tensor& a) { return a.unbind(d); },
          [=](const fake::tensor_desc& f) { return fake::unbind(f, d); }, false, nullptr};
}
op_call g_tensor_split_sections(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  const std::int64_t sections = chance(0.04) ? pick<std::int64_t>({0, -1}) : uniform(1, sz + 2);
  return {"tensor_split.sections", "tensor_split(" + fmt(sections) + ", " + fmt(d) + ")",
          [=](const at::Tensor& a) { return at::tensor_split(a, sections, d); },
          [=](const fake::tensor_desc& f) { return fake::tensor_split(f, sections, d); }, false, nullptr};
}
op_call g_tensor_split_indices(const fake::tensor_desc& t) {
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  ints idx;
  const std::int64_t k = uniform(0, 3);
  for (std::int64_t i = 0; i < k; ++i) idx.push_back(uniform(-sz - 1, sz + 2));
  if (chance(0.7)) std::sort(idx.begin(), idx.end());
  return {"tensor_split.indices", "tensor_split(indices=" + fmt(idx) + ", " + fmt(d) + ")",
          [=](const at::Tensor& a) { return at::tensor_split(a, at::IntArrayRef(idx), d); },
          [=](const fake::tensor_desc& f) { return fake::tensor_split(f, fd(idx), d); }, false, nullptr};
}
op_call g_flatten(const fake::tensor_desc& t) {
  const std::int64_t s = rand_dim(t.dim()), e = chance(0.3) ? -1 : rand_dim(t.dim());
  return {"flatten", "flatten(" + fmt(s) + ", " + fmt(e) + ")", [=](const at::Tensor& a) { return one(a.flatten(s, e)); },
          [=](const fake::tensor_desc& f) { return one(fake::flatten(f, s, e)); }, false, nullptr};
}
// fake::unflatten on a 0-d tensor reads size(0) of an empty sizes vector
// (undefined behaviour: garbage sizes, crashes); ATen raises IndexError
// ("Dimension specified as 0 but tensor has no dimensions"). Until that is
// fixed the 0-d case only runs when this is true.
constexpr bool unflatten_0d = true;

op_call g_unflatten(const fake::tensor_desc& t) {
  if (t.dim() == 0 && !unflatten_0d) return g_flatten(t);
  const std::int64_t d = rand_dim(t.dim()), sz = size_at(t, d);
  ints s = factor_shape(sz, uniform(1, 3));
  if (chance(0.3)) s[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(s.size()) - 1))] = -1;
  if (chance(0.05)) s = {uniform(2, 4), 2};
  if (chance(0.03)) s.clear();
  return {"unflatten", "unflatten(" + fmt(d) + ", " + fmt(s) + ")",
          [=](const at::Tensor& a) { return one(a.unflatten(d, s)); },
          [=](const fake::tensor_desc& f) { return one(fake::unflatten(f, d, fd(s))); }, false, nullptr};
}
op_call g_view_as_real(const fake::tensor_desc&) {
  return {"view_as_real", "view_as_real()", [](const at::Tensor& a) { return one(at::view_as_real(a)); },
          [](const fake::tensor_desc& f) { return one(fake::view_as_real(f)); }, true, nullptr};
}
op_call g_view_as_complex(const fake::tensor_desc&) {
  return {"view_as_complex", "view_as_complex()", [](const at::Tensor& a) { return one(at::view_as_complex(a)); },
          [](const fake::tensor_desc& f) { return one(fake::view_as_complex(f)); }, true, nullptr};
}
op_call g_real(const fake::tensor_desc&) {
  return {"real", "real()", [](const at::Tensor& a) { return one(at::real(a)); },
          [](const fake::tensor_desc& f) { return one(fake::real(f)); }, false, nullptr};
}
op_call g_imag(const fake::tensor_desc&) {
  return {"imag", "imag()", [](const at::Tensor& a) { return one(at::imag(a)); },
          [](const fake::tensor_desc& f) { return one(fake::imag(f)); }, false, nullptr};
}
op_call g_alias(const fake::tensor_desc&) {
  return {"alias", "alias()", [](const at::Tensor& a) { return one(at::alias(a)); },
          [](const fake::tensor_desc& f) { return one(fake::alias(f)); }, true, nullptr};
}
op_call g_detach(const fake::tensor_desc&) {
  return {"detach", "detach()", [](const at::Tensor& a) { return one(a.detach()); },
          [](const fake::tensor_desc& f) { return one(fake::detach(f)); }, false, nullptr};
}

constexpr generator all_generators[] = {
    g_view,         g_reshape,   g_unsafe_view,  g_transpose,      g_swapaxes,       g_t,
    g_permute,      g_movedim,   g_narrow,       g_select,         g_slice,          g_unsqueeze,
    g_squeeze,      g_squeeze_dim, g_expand,     g_expand_as,      g_as_strided,     g_diagonal,
    g_unfold,       g_split,     g_split_with_sizes, g_chunk,      g_unbind,         g_tensor_split_sections,
    g_tensor_split_indices, g_flatten, g_unflatten, g_view_as_real, g_view_as_complex, g_real,
    g_imag,         g_alias,     g_detach,
};
// Ops recorded in the view chain as themselves: replaying the chain on another
// base is the same as calling them again with the same arguments.
constexpr generator replay_generators[] = {
    g_view,   g_transpose, g_swapaxes, g_permute,  g_narrow,   g_select,       g_slice,
    g_unsqueeze, g_squeeze, g_squeeze_dim, g_expand, g_as_strided, g_diagonal, g_unfold,
    g_view_as_real, g_alias,
};

// ----------------------------------------------------------------- running

enum class outcome_kind { ok, error, index_error, foreign };
const char* kind_name(outcome_kind k) {
  switch (k) {
    case outcome_kind::ok: return "ok";
    case outcome_kind::error: return "error";
    case outcome_kind::index_error: return "IndexError";
    case outcome_kind::foreign: return "non-c10/non-fake exception";
  }
  return "?";
}

template <class T>
struct outcome {
  outcome_kind kind = outcome_kind::ok;
  std::string message;
  std::vector<T> results;
};

outcome<at::Tensor> run_aten(const aten_fn& fn, const at::Tensor& in) {
  outcome<at::Tensor> o;
  try {
    o.results = fn(in);
  } catch (const c10::IndexError& e) {
    o.kind = outcome_kind::index_error;
    o.message = e.what_without_backtrace();
  } catch (const c10::Error& e) {
    o.kind = outcome_kind::error;
    o.message = e.what_without_backtrace();
  } catch (const std::exception& e) {
    // at::infer_size throws std::runtime_error (Python's RuntimeError too)
    o.kind = outcome_kind::error;
    o.message = e.what();
  }
  return o;
}
outcome<fake::tensor_desc> run_fake(const fake_fn& fn, const fake::tensor_desc& in) {
  outcome<fake::tensor_desc> o;
  try {
    o.results = fn(in);
  } catch (const fake::index_error& e) {
    o.kind = outcome_kind::index_error;
    o.message = e.what();
  } catch (const fake::error& e) {
    o.kind = outcome_kind::error;
    o.message = e.what();
  } catch (const std::exception& e) {
    o.kind = outcome_kind::foreign;
    o.message = e.what();
  }
  return o;
}

// The index in `nodes` of the tensor that is a's _base / f's base(), -1 when
// none (-2: not a view).
std::int64_t aten_base_index(const at::Tensor& a, const std::vector<twin>& nodes) {
  if (!a.is_view()) return -2;
  const at::TensorBase& b = a._base();
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (b.is_same(nodes[i].a)) return static_cast<std::int64_t>(i);
  return -1;
}
std::int64_t fake_base_index(const fake::tensor_desc& f, const std::vector<twin>& nodes) {
  if (!f.is_view()) return -2;
  const fake::tensor_desc& b = f.base();
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (b.id() == nodes[i].f.id()) return static_cast<std::int64_t>(i);
  return -1;
}

// The first difference between a result pair, or "".
std::string compare(const at::Tensor& a, const fake::tensor_desc& f, const twin& in, const std::vector<twin>& nodes) {
  if (to_ints(a.sizes()) != to_ints(f.sizes())) return "sizes differ";
  if (to_ints(a.strides()) != to_ints(f.strides())) return "strides differ";
  if (a.storage_offset() != f.storage_offset()) return "storage_offset differs";
  if (std::string(c10::toString(a.scalar_type())) != name_of(f.dtype())) return "dtype differs";
  if (a.is_view() != f.is_view()) return "is_view differs";
  if (a.storage().is_alias_of(in.a.storage()) != f.shares_storage_with(in.f)) return "storage sharing with the input differs";
  if (static_cast<std::int64_t>(a.storage().nbytes()) != f.storage().nbytes()) return "storage nbytes differ";
  if (aten_base_index(a, nodes) != fake_base_index(f, nodes))
    return "_base differs (chain node " + std::to_string(aten_base_index(a, nodes)) + " vs " +
           std::to_string(fake_base_index(f, nodes)) + ")";
  return "";
}

struct op_stats {
  std::int64_t applied = 0, both_raised = 0, mismatches = 0, index_kind_differs = 0, reshape_copies = 0, aten_invalid = 0;
};

bool has_negative_size(const std::vector<at::Tensor>& ts) {
  for (const auto& t : ts)
    for (auto s : t.sizes())
      if (s < 0) return true;
  return false;
}

struct report {
  std::map<std::string, op_stats> per_op;
  std::vector<std::string> mismatches;  // full repros
  std::map<std::string, std::string> messages;  // one ATen vs fake message pair per op
  std::map<std::string, std::string> index_kind;  // an example per op
  std::map<std::string, std::string> aten_invalid;  // an example per op
  std::int64_t total_mismatches = 0;

  void mismatch(const std::string& op, std::string text) {
    ++per_op[op].mismatches;
    ++total_mismatches;
    if (per_op[op].mismatches <= 3 && mismatches.size() < 60) mismatches.push_back(std::move(text));
  }
  void print(const char* title) const {
    std::cout << title << "\n  " << std::left;
    std::cout << "op                      applied  both-raised  mismatches  index-kind-differs  aten-negative-size\n";
    for (const auto& [name, s] : per_op) {
      std::string padded = name;
      padded.resize(24, ' ');
      std::cout << "  " << padded << s.applied << "\t " << s.both_raised << "\t      " << s.mismatches << "\t  "
                << s.index_kind_differs << "\t\t    " << s.aten_invalid << (s.reshape_copies ? "  (reshape copies: " + std::to_string(s.reshape_copies) + ")" : "")
                << "\n";
    }
  }
};

std::string chain_text(const std::string& input, const std::vector<std::string>& ops) {
  std::string s = input;
  for (const auto& o : ops) s += "." + o;
  return s;
}

// Runs one op on both sides and compares. Returns the results when both succeeded.
std::optional<std::pair<std::vector<at::Tensor>, std::vector<fake::tensor_desc>>> run_and_compare(
    report& rep, const op_call& call, const twin& in, const std::vector<twin>& nodes, const std::string& chain) {
  auto ao = run_aten(call.aten, in.a);
  auto fo = run_fake(call.fake, in.f);
  op_stats& st = rep.per_op[call.name];
  const std::string where = chain + "." + call.text + "\n    input: aten " + describe(in.a) + "\n           fake " +
                            describe(in.f);
  const bool a_ok = ao.kind == outcome_kind::ok, f_ok = fo.kind == outcome_kind::ok;
  if (ao.kind == outcome_kind::foreign || fo.kind == outcome_kind::foreign) {
    rep.mismatch(call.name, where + "\n    unexpected exception kind: aten " + kind_name(ao.kind) + " (" + ao.message +
                                ") / fake " + kind_name(fo.kind) + " (" + fo.message + ")");
    return std::nullopt;
  }
  if (a_ok && !f_ok && has_negative_size(ao.results)) {
    // ATen 1.13 builds a tensor with a negative size (expand of a 0-d tensor
    // takes the sizes verbatim; new leading dims are not checked): raising is right.
    ++st.aten_invalid;
    if (!rep.aten_invalid.count(call.name))
      rep.aten_invalid[call.name] = where + "\n    aten " + describe(ao.results[0]) + "\n    fake: " + fo.message;
    return std::nullopt;
  }
  if (a_ok != f_ok) {
    rep.mismatch(call.name, where + "\n    aten: " + (a_ok ? "ok" : "raised: " + ao.message) +
                                "\n    fake: " + (f_ok ? "ok" : "threw: " + fo.message) +
                                (f_ok && !fo.results.empty() ? " -> " + describe(fo.results[0]) : std::string()) +
                                (a_ok && !ao.results.empty() ? "\n    aten result: " + describe(ao.results[0]) : std::string()));
    return std::nullopt;
  }
  if (!a_ok) {
    ++st.both_raised;
    if (!rep.messages.count(call.name)) rep.messages[call.name] = call.text + "\n  aten: " + ao.message + "\n  fake: " + fo.message;
    if (ao.kind != fo.kind) {
      ++st.index_kind_differs;
      if (!rep.index_kind.count(call.name))
        rep.index_kind[call.name] = where + "\n    aten " + kind_name(ao.kind) + ": " + ao.message + "\n    fake " +
                                    kind_name(fo.kind) + ": " + fo.message;
    }
    return std::nullopt;
  }
  if (ao.results.size() != fo.results.size()) {
    rep.mismatch(call.name, where + "\n    output count: aten " + std::to_string(ao.results.size()) + " vs fake " +
                                std::to_string(fo.results.size()));
    return std::nullopt;
  }
  for (std::size_t i = 0; i < ao.results.size(); ++i) {
    const std::string d = compare(ao.results[i], fo.results[i], in, nodes);
    if (!d.empty()) {
      rep.mismatch(call.name, where + "\n    output " + std::to_string(i) + ": " + d + "\n    aten " +
                                  describe(ao.results[i]) + "\n    fake " + describe(fo.results[i]));
      return std::nullopt;
    }
  }
  if (call.copied) {
    const bool aten_copied = !ao.results[0].is_view();
    if (aten_copied != *call.copied) {
      rep.mismatch(call.name, where + "\n    reshape copied: aten " + (aten_copied ? "yes" : "no") + " vs fake " +
                                  (*call.copied ? "yes" : "no"));
      return std::nullopt;
    }
    if (aten_copied) ++st.reshape_copies;
  }
  ++st.applied;
  return std::make_pair(std::move(ao.results), std::move(fo.results));
}

void warn_summary(const report& rep) {
  std::string msgs;
  int n = 0;
  for (const auto& [op, text] : rep.messages) {
    if (++n > 12) break;
    msgs += text + "\n";
  }
  WARN("ATen vs fake error messages (one per op, first 12):\n" << msgs);
  if (!rep.aten_invalid.empty()) {
    std::string inv;
    for (const auto& [op, text] : rep.aten_invalid) inv += text + "\n";
    WARN("ATen 1.13 returned a tensor with a negative size where faketensor throws (first per op):\n" << inv);
  }
  if (!rep.index_kind.empty()) {
    std::string kinds;
    for (const auto& [op, text] : rep.index_kind) kinds += text + "\n";
    WARN("both raised, but IndexError on one side only (first per op):\n" << kinds);
  }
}

}  // namespace

TEST_CASE("view ops on random strided tensors match ATen", "[libtorch][views]") {
  reseed(0);
  report rep;
  std::int64_t cases = 0, ops = 0;
  constexpr std::int64_t n_cases = 15000;
  for (; cases < n_cases; ++cases) {
    input_case in = random_input();
    std::vector<twin> nodes = in.roots;
    twin cur = nodes.back();
    std::vector<std::string> done;
    const std::int64_t len = uniform(1, 4);
    for (std::int64_t k = 0; k < len; ++k) {
      const auto g = all_generators[uniform(0, static_cast<std::int64_t>(std::size(all_generators)) - 1)];
      op_call call = g(cur.f);
      ++ops;
      auto res = run_and_compare(rep, call, cur, nodes, chain_text(in.text, done));
      done.push_back(call.text);
      if (!res || res->first.empty()) break;
      const auto i = static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(res->first.size()) - 1));
      cur = twin{res->first[i], res->second[i]};
      nodes.push_back(cur);
    }
  }
  rep.print("views_vs_libtorch: per-op results");
  std::cout << "views_vs_libtorch: " << cases << " chains, " << ops << " op applications, " << rep.total_mismatches
            << " mismatches\n";
  for (const auto& m : rep.mismatches) std::cout << "MISMATCH " << m << "\n";
  warn_summary(rep);
  CHECK(ops >= 5000);
  for (const auto g : all_generators) {
    // every op must have been applied successfully at least a few times
    op_call probe = g(fake::empty({1}));
    INFO("op " << probe.name);
    CHECK(rep.per_op[probe.name].applied >= 10);
  }
  CHECK(rep.total_mismatches == 0);
}

TEST_CASE("replay of a recorded view chain on another base matches ATen", "[libtorch][views]") {
  reseed(1);
  report rep;
  std::int64_t applied = 0, both_raised = 0, mismatches = 0, cases = 0;
  std::vector<std::string> repros;
  for (; cases < 4000; ++cases) {
    const bool complex = chance(0.2);
    const at::ScalarType st = complex ? at::kComplexFloat : at::kFloat;
    const fake::dtype dt = complex ? fake::dtype::complex64 : fake::dtype::float32;
    const auto opts = at::TensorOptions().dtype(st).device(at::kCPU);
    const std::int64_t rank = uniform(1, 4);
    const ints sizes_a = random_sizes(rank), strides_a = random_strides(sizes_a);
    twin base{at::empty_strided(sizes_a, strides_a, opts), fake::empty_strided(fd(sizes_a), fd(strides_a), dt)};
    // record a chain on base A (both sides must succeed at each step)
    std::vector<op_call> chain;
    std::vector<twin> nodes{base};
    twin cur = base;
    std::vector<std::string> done;
    const std::string text_a = "empty_strided(" + fmt(sizes_a) + ", " + fmt(strides_a) + ", " + c10::toString(st) + ")";
    const std::int64_t len = uniform(1, 4);
    for (std::int64_t k = 0; k < len; ++k) {
      op_call call = replay_generators[uniform(0, static_cast<std::int64_t>(std::size(replay_generators)) - 1)](cur.f);
      auto res = run_and_compare(rep, call, cur, nodes, chain_text(text_a, done));
      done.push_back(call.text);
      if (!res) break;
      chain.push_back(call);
      cur = twin{res->first[0], res->second[0]};
      nodes.push_back(cur);
    }
    if (chain.empty()) continue;
    // same base: replay gives back the view itself
    {
      const fake::tensor_desc again = fake::replay(cur.f, base.f);
      if (to_ints(again.sizes()) != to_ints(cur.f.sizes()) || to_ints(again.strides()) != to_ints(cur.f.strides()) ||
          again.storage_offset() != cur.f.storage_offset() || again.dtype() != cur.f.dtype()) {
        ++mismatches;
        if (repros.size() < 20)
          repros.push_back("replay on the same base: " + chain_text(text_a, done) + "\n    view " + describe(cur.f) +
                           "\n    replayed " + describe(again));
      }
    }
    // another base of the same rank and other sizes
    ints sizes_b = sizes_a;
    for (auto& s : sizes_b)
      if (chance(0.6)) s = pick<std::int64_t>({0, 1, 2, 3, 4, 5, 6});
    const ints strides_b = random_strides(sizes_b);
    twin other{at::empty_strided(sizes_b, strides_b, opts), fake::empty_strided(fd(sizes_b), fd(strides_b), dt)};
    const std::string text_b = "empty_strided(" + fmt(sizes_b) + ", " + fmt(strides_b) + ", " + c10::toString(st) + ")";
    std::vector<std::string> ops_text;
    for (const auto& c : chain) ops_text.push_back(c.text);
    auto fo = run_fake([&](const fake::tensor_desc& b) { return one(fake::replay(cur.f, b)); }, other.f);
    auto ao = run_aten(
        [&](const at::Tensor& b) {
          at::Tensor t = b;
          for (const auto& c : chain) t = c.aten(t).at(0);
          return one(t);
        },
        other.a);
    const std::string where = "replay of " + chain_text(text_a, ops_text) + " on " + text_b;
    if ((ao.kind == outcome_kind::ok) != (fo.kind == outcome_kind::ok) || ao.kind == outcome_kind::foreign ||
        fo.kind == outcome_kind::foreign) {
      ++mismatches;
      if (repros.size() < 20)
        repros.push_back(where + "\n    aten: " + (ao.kind == outcome_kind::ok ? describe(ao.results[0]) : ao.message) +
                         "\n    fake: " + (fo.kind == outcome_kind::ok ? describe(fo.results[0]) : fo.message));
      continue;
    }
    if (ao.kind != outcome_kind::ok) {
      ++both_raised;
      continue;
    }
    const at::Tensor& a = ao.results[0];
    const fake::tensor_desc& f = fo.results[0];
    std::string d;
    if (to_ints(a.sizes()) != to_ints(f.sizes())) d = "sizes differ";
    else if (to_ints(a.strides()) != to_ints(f.strides())) d = "strides differ";
    else if (a.storage_offset() != f.storage_offset()) d = "storage_offset differs";
    else if (std::string(c10::toString(a.scalar_type())) != name_of(f.dtype())) d = "dtype differs";
    else if (!f.is_view() || !f.shares_storage_with(other.f)) d = "replayed result is not a view of the other base";
    else if (f.base().id() != other.f.id()) d = "replayed result's base() is not the other base";
    if (!d.empty()) {
      ++mismatches;
      if (repros.size() < 20) repros.push_back(where + "\n    " + d + "\n    aten " + describe(a) + "\n    fake " + describe(f));
      continue;
    }
    ++applied;
  }
  std::cout << "views_vs_libtorch replay: " << cases << " chains, " << applied << " replays applied, " << both_raised
            << " raised on both sides, " << mismatches << " mismatches (+" << rep.total_mismatches
            << " while recording)\n";
  for (const auto& m : repros) std::cout << "MISMATCH " << m << "\n";
  for (const auto& m : rep.mismatches) std::cout << "MISMATCH (recording) " << m << "\n";
  CHECK(applied >= 300);
  CHECK(mismatches == 0);
  CHECK(rep.total_mismatches == 0);
}
