// Live differential test of the shape/indexing and factory ops
// (ops/shape_index.hpp, ops/factory.hpp) against libtorch 1.13's CPU kernels
// (the oracle of the xref corpus; 1.13's meta kernels differ from them for
// flip, tril, arange and full): random ranks, sizes (0 included), layouts
// (contiguous, permuted, expanded with stride 0, channels_last, sliced),
// dtypes and arguments from a fixed, printed seed. Index tensors hold zeros so
// the real kernels read in bounds. Sizes, strides, dtype and whether both
// raise must agree.
// ATen first, then drop glog's CHECK, then Catch.
#include <ATen/ATen.h>
#include <c10/util/Logging.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "faketensor/core/error.hpp"
#include "faketensor/meta/tensor_desc.hpp"
#include "faketensor/ops/factory.hpp"
#include "faketensor/ops/shape_index.hpp"

namespace {

constexpr std::uint32_t seed = 20261124;
using ints = std::vector<std::int64_t>;
std::mt19937 gen;

std::int64_t uniform(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen); }
bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(gen) < p; }

fake::dim_vector fd(const ints& v) { return fake::dim_vector(v.begin(), v.end()); }
ints to_ints(at::IntArrayRef a) { return ints(a.begin(), a.end()); }
ints to_ints(const fake::dim_vector& v) { return ints(v.begin(), v.end()); }
std::string str(const ints& v) {
  std::ostringstream o;
  o << "[";
  for (std::size_t i = 0; i < v.size(); ++i) o << (i ? "," : "") << v[i];
  o << "]";
  return o.str();
}

at::ScalarType at_dtype(fake::dtype d) { return static_cast<at::ScalarType>(static_cast<int>(d)); }

// One input in both worlds, with the same geometry.
struct pair_t {
  at::Tensor real;
  fake::tensor_desc fake;
  std::string desc;
};

// Strides for `sizes` in a random layout.
ints random_strides(const ints& sizes) {
  const std::size_t r = sizes.size();
  ints perm(r);
  for (std::size_t i = 0; i < r; ++i) perm[i] = static_cast<std::int64_t>(i);
  const int kind = static_cast<int>(uniform(0, 4));
  if (kind == 1 || kind == 4) std::shuffle(perm.begin(), perm.end(), gen);  // permuted
  if (kind == 3 && r == 4) perm = {0, 2, 3, 1};                            // channels_last order
  ints strides(r, 0);
  std::int64_t s = 1;
  const std::int64_t gap = kind == 4 ? 2 : 1;  // sliced
  for (std::size_t k = r; k-- > 0;) {
    const auto d = static_cast<std::size_t>(perm[k]);
    strides[d] = s * (k + 1 == r ? gap : 1);
    s = strides[d] * std::max<std::int64_t>(sizes[d], 1);
  }
  if (kind == 2 && r > 0) {  // expanded: a dim with stride 0
    const auto d = static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(r) - 1));
    strides[d] = 0;
  }
  return strides;
}

pair_t make(const ints& sizes, fake::dtype dt, bool zeros = false) {
  const ints strides = random_strides(sizes);
  at::Tensor real = at::empty_strided(sizes, strides, at::TensorOptions().dtype(at_dtype(dt)));
  if (zeros || dt == fake::dtype::bool_) real.zero_();
  else if (real.numel() > 0) real.fill_(0);
  return {real, fake::empty_strided(fd(sizes), fd(strides), dt), str(sizes) + "/" + str(strides) + "/" + std::string(fake::name(dt))};
}

ints random_sizes(std::int64_t rank, std::int64_t lo = 0) {
  ints s(static_cast<std::size_t>(rank));
  for (auto& v : s) v = chance(0.08) ? 0 : uniform(std::max<std::int64_t>(lo, 1), 4);
  return s;
}

fake::dtype random_dtype() {
  static const fake::dtype ds[] = {fake::dtype::float32, fake::dtype::float64, fake::dtype::int64, fake::dtype::int32,
                                   fake::dtype::bool_, fake::dtype::float16, fake::dtype::uint8};
  return ds[uniform(0, 6)];
}

struct tally {
  int cases = 0, both_ok = 0, both_err = 0;
};

// Runs both; compares results or that both raised.
void compare(tally& t, const std::string& what, const std::function<at::Tensor()>& real,
             const std::function<fake::tensor_desc()>& fake_) {
  ++t.cases;
  std::optional<at::Tensor> r;
  std::string real_err;
  try {
    r = real();
  } catch (const c10::Error& e) {
    real_err = e.what_without_backtrace();
  }
  std::optional<fake::tensor_desc> f;
  std::string fake_err;
  try {
    f = fake_();
  } catch (const fake::error& e) {
    fake_err = e.what();
  }
  INFO(what << "\n  aten: " << (r ? str(to_ints(r->sizes())) + " " + str(to_ints(r->strides())) : "error " + real_err.substr(0, 200))
            << "\n  fake: " << (f ? str(to_ints(f->sizes())) + " " + str(to_ints(f->strides())) : "error " + fake_err));
  REQUIRE(r.has_value() == f.has_value());
  if (!r) {
    ++t.both_err;
    return;
  }
  ++t.both_ok;
  CHECK(to_ints(r->sizes()) == to_ints(f->sizes()));
  CHECK(to_ints(r->strides()) == to_ints(f->strides()));
  CHECK(static_cast<int>(r->scalar_type()) == static_cast<int>(f->dtype()));
}

}  // namespace

TEST_CASE("shape/index ops agree with ATen on random inputs", "[shape_index][libtorch]") {
  // FAKETENSOR_SHAPE_INDEX_SEED explores other inputs
  const char* env = std::getenv("FAKETENSOR_SHAPE_INDEX_SEED");
  const std::uint32_t s = env ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10)) : seed;
  std::cout << "shape_index_vs_libtorch: seed " << s << "\n";
  c10::SetStackTraceFetcher([] { return std::string(); });
  gen.seed(s);
  tally t;
  for (int iter = 0; iter < 700; ++iter) {
    const int op = static_cast<int>(uniform(0, 9));
    if (std::getenv("FAKETENSOR_SHAPE_INDEX_TRACE")) std::cerr << "iter " << iter << " op " << op << std::endl;
    std::ostringstream w;
    if (op == 0 || op == 1) {  // cat / stack
      const std::int64_t rank = uniform(1, 4);
      const ints base = random_sizes(rank);
      const std::int64_t dim = uniform(-rank - (op == 1 ? 1 : 0), rank - 1 + (op == 1 ? 1 : 0));
      const std::int64_t n = uniform(1, 4);
      std::vector<pair_t> ins;
      const bool same_dtype = chance(0.5);
      const fake::dtype dt0 = random_dtype();
      for (std::int64_t i = 0; i < n; ++i) {
        ints s = base;
        const auto wd = static_cast<std::size_t>(((dim % rank) + rank) % rank);
        if (op == 0 && wd < s.size()) s[wd] = uniform(0, 3);
        if (chance(0.05) && !s.empty()) s[0] += 1;  // mismatch
        if (op == 0 && chance(0.08)) s = {0};       // legacy skipped tensor
        ins.push_back(make(s, same_dtype ? dt0 : random_dtype()));
      }
      std::vector<at::Tensor> rs;
      std::vector<fake::tensor_desc> fs;
      w << (op == 0 ? "cat" : "stack") << " dim " << dim;
      for (auto& p : ins) {
        rs.push_back(p.real);
        fs.push_back(p.fake);
        w << " " << p.desc;
      }
      if (op == 0) compare(t, w.str(), [&] { return at::cat(rs, dim); }, [&] { return fake::cat(fs, dim); });
      else compare(t, w.str(), [&] { return at::stack(rs, dim); }, [&] { return fake::stack_tensors(fs, dim); });
    } else if (op == 2 || op == 3) {  // index.Tensor
      const std::int64_t rank = uniform(1, 4);
      pair_t self = make(random_sizes(rank), random_dtype() == fake::dtype::bool_ ? fake::dtype::float32 : fake::dtype::float32);
      const std::int64_t nidx = uniform(1, rank);
      const ints ishape = random_sizes(uniform(0, 2), 1);
      c10::List<c10::optional<at::Tensor>> ri;
      std::vector<std::optional<fake::tensor_desc>> fi;
      w << "index " << self.desc;
      bool any = false;
      for (std::int64_t k = 0; k < nidx; ++k) {
        if (chance(0.35) && !(k == nidx - 1 && !any)) {
          ri.push_back(c10::nullopt);
          fi.push_back(std::nullopt);
          w << " None";
          continue;
        }
        any = true;
        ints s = ishape;
        if (!s.empty() && chance(0.3)) s[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(s.size()) - 1))] = 1;
        if (chance(0.2) && !s.empty()) s.erase(s.begin());
        if (chance(0.03)) s.push_back(7);  // broadcast mismatch (mostly)
        pair_t ix = make(s, chance(0.03) ? fake::dtype::int32 : fake::dtype::int64, true);
        ri.push_back(ix.real);
        fi.push_back(ix.fake);
        w << " " << ix.desc;
      }
      compare(t, w.str(), [&] { return at::index(self.real, ri); }, [&] { return fake::index(self.fake, fi); });
    } else if (op == 4) {  // flip / roll
      const std::int64_t rank = uniform(1, 4);
      pair_t self = make(random_sizes(rank), random_dtype());
      const std::int64_t d = uniform(-rank, rank - 1);
      w << "flip/roll " << self.desc << " dim " << d;
      compare(t, w.str() + " flip", [&] { return at::flip(self.real, {d}); }, [&] { return fake::flip(self.fake, {d}); });
      const std::int64_t sh = uniform(-5, 5);
      if (chance(0.3))
        compare(t, w.str() + " roll flat", [&] { return at::roll(self.real, {sh}); }, [&] { return fake::roll(self.fake, {sh}); });
      else
        compare(t, w.str() + " roll", [&] { return at::roll(self.real, {sh}, {d}); }, [&] { return fake::roll(self.fake, {sh}, {d}); });
    } else if (op == 5) {  // repeat / tril
      const std::int64_t rank = uniform(0, 4);
      pair_t self = make(random_sizes(rank), random_dtype() == fake::dtype::float16 ? fake::dtype::float32 : fake::dtype::int64);
      ints reps = random_sizes(uniform(std::max<std::int64_t>(rank - 1, 0), rank + 1));
      w << "repeat/tril " << self.desc << " " << str(reps);
      compare(t, w.str() + " repeat", [&] { return self.real.repeat(reps); }, [&] { return fake::repeat(self.fake, fd(reps)); });
      compare(t, w.str() + " tril", [&] { return at::tril(self.real, 1); }, [&] { return fake::tril(self.fake, 1); });
    } else if (op == 6) {  // index_select / gather / scatter
      const std::int64_t rank = uniform(1, 3);
      ints ss = random_sizes(rank, 1);
      for (auto& v : ss) v = std::max<std::int64_t>(v, 1);  // index 0 must be in bounds: the value check is data
      pair_t self = make(ss, fake::dtype::float32);
      const std::int64_t d = uniform(-rank, rank - 1);
      pair_t i1 = make({uniform(0, 4)}, chance(0.1) ? fake::dtype::float32 : fake::dtype::int64, true);
      w << "isel/gather/scatter " << self.desc << " dim " << d << " " << i1.desc;
      compare(t, w.str() + " index_select", [&] { return at::index_select(self.real, d, i1.real); },
              [&] { return fake::index_select(self.fake, d, i1.fake); });
      ints is = ss;
      for (auto& v : is) v = chance(0.85) ? uniform(std::min<std::int64_t>(1, v), v) : v + 1;
      pair_t gi = make(is, fake::dtype::int64, true);
      compare(t, w.str() + " gather " + gi.desc, [&] { return at::gather(self.real, d, gi.real); },
              [&] { return fake::gather(self.fake, d, gi.fake); });
      compare(t, w.str() + " scatter " + gi.desc, [&] { return at::scatter(self.real, d, gi.real, 1.0); },
              [&] { return fake::scatter(self.fake, d, gi.fake, 1.0); });
    } else if (op == 7) {  // arange
      auto scalar = [&]() -> std::pair<at::Scalar, fake::factory_scalar> {
        if (chance(0.5)) {
          const std::int64_t v = uniform(-6, 6);
          return {at::Scalar(v), fake::factory_scalar(v)};
        }
        const double v = static_cast<double>(uniform(-60, 60)) / 10.0;
        return {at::Scalar(v), fake::factory_scalar(v)};
      };
      auto [s0, f0] = scalar();
      auto [s1, f1] = scalar();
      auto [s2, f2] = scalar();
      std::optional<fake::dtype> dt;
      if (chance(0.5)) dt = chance(0.5) ? fake::dtype::int32 : (chance(0.5) ? fake::dtype::int64 : fake::dtype::float64);
      w << "arange " << s0.toDouble() << " " << s1.toDouble() << " " << s2.toDouble() << " dtype " << (dt ? fake::name(dt.value()) : "None");
      const fake::dtype inferred = fake::arange_dtype(f0, f1, f2, dt);
      compare(t, w.str(),
              [&] { return at::arange(s0, s1, s2, at::TensorOptions().dtype(at_dtype(inferred))); },
              [&] { return fake::arange(f0, f1, f2, dt); });
    } else {  // *_like and full
      const std::int64_t rank = uniform(0, 4);
      pair_t self = make(random_sizes(rank), random_dtype());
      w << "like " << self.desc;
      compare(t, w.str() + " empty_like", [&] { return at::empty_like(self.real); }, [&] { return fake::empty_like(self.fake); });
      compare(t, w.str() + " full int", [&] { return at::full(self.real.sizes(), at::Scalar(std::int64_t{3})); },
              [&] { return fake::full(self.fake.sizes(), std::int64_t{3}); });
    }
  }
  std::cout << "shape_index_vs_libtorch: " << t.cases << " cases, " << t.both_ok << " results, " << t.both_err << " errors\n";
  CHECK(t.cases >= 500);
  CHECK(t.both_ok > t.cases / 2);
}
