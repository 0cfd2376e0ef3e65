// Live differential test of the pointwise family (ops/pointwise.hpp) against
// libtorch (ATen 1.13): random strided inputs (ranks 0-4, sizes 0-5, permuted,
// expanded, gapped, channels_last, storage offsets, views sharing a storage),
// random dtypes and Scalar kinds, broadcast partners (sometimes incompatible),
// through the functional, in-place and out= variants. Every result must agree
// on sizes, strides, storage offset and dtype; when ATen raises, the fake op
// must throw a fake::error, and the other way round.
//
// ATen runs on meta tensors. ATen's meta kernels skip the dtype checks of the
// real kernels (bitwise_and on float, abs on bool: Note [kernel dtype support])
// and 1.13's meta path skips the overlap checks of some ops, so when only the
// fake op raises the case is re-run on CPU tensors of the same geometry, which
// must then raise too. The seed is fixed and printed.
#include <ATen/ATen.h>
#include <c10/util/Logging.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "faketensor/core/dtype.hpp"
#include "faketensor/core/error.hpp"
#include "faketensor/meta/tensor_desc.hpp"
#include "faketensor/ops/pointwise.hpp"

namespace {

constexpr std::uint32_t seed = 20261201;
using ints = std::vector<std::int64_t>;
std::mt19937 gen;

std::uint32_t base_seed() {
  static const std::uint32_t s = [] {
    const char* env = std::getenv("FAKETENSOR_POINTWISE_SEED");
    const std::uint32_t v = env ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10)) : seed;
    std::cout << "pointwise_vs_libtorch: seed " << v << "\n";
    c10::SetStackTraceFetcher([] { return std::string(); });
    return v;
  }();
  return s;
}
std::int64_t uniform(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen); }
bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(gen) < p; }
template <class T>
T pick(std::initializer_list<T> values) {
  return *(values.begin() + uniform(0, static_cast<std::int64_t>(values.size()) - 1));
}
std::string fmt(const auto& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < static_cast<std::size_t>(v.size()); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

at::ScalarType aten_dtype(fake::dtype d) { return static_cast<at::ScalarType>(static_cast<int>(d)); }

// A storage shared by a real tensor (meta and cpu) and its fake twin.
struct twin_storage {
  at::Tensor meta_base, cpu_base;
  fake::storage storage;      // a meta storage: the twin of ATen's meta tensors
  fake::storage cpu_storage;  // a cpu one: the twin of ATen's cpu tensors
  fake::dtype dtype;
};

// A real tensor and its fake twin, with the geometry to rebuild it on CPU.
struct twin {
  at::Tensor a;
  fake::tensor_desc f, f_cpu;
  ints sizes, strides;
  std::int64_t offset = 0;
  std::shared_ptr<twin_storage> st;
  std::string describe() const {
    return "sizes=" + fmt(sizes) + " strides=" + fmt(strides) + " offset=" + std::to_string(offset) + " " +
           std::string(fake::c10_name(st->dtype));
  }
};

std::shared_ptr<twin_storage> make_storage(std::int64_t elements, fake::dtype d) {
  auto st = std::make_shared<twin_storage>();
  st->dtype = d;
  st->meta_base = at::empty({elements}, at::TensorOptions().dtype(aten_dtype(d)).device(at::kMeta));
  st->storage = fake::storage(elements * fake::itemsize(d), fake::device(fake::device_type::meta));
  st->cpu_storage = fake::storage(elements * fake::itemsize(d), fake::device{});
  return st;
}

twin on(const std::shared_ptr<twin_storage>& st, const ints& sizes, const ints& strides, std::int64_t offset) {
  twin t;
  t.sizes = sizes;
  t.strides = strides;
  t.offset = offset;
  t.st = st;
  t.a = st->meta_base.as_strided(sizes, strides, offset);
  t.f = fake::tensor_desc(fake::dim_vector(sizes.begin(), sizes.end()), fake::dim_vector(strides.begin(), strides.end()),
                          offset, st->dtype, st->storage);
  t.f_cpu = fake::tensor_desc(fake::dim_vector(sizes.begin(), sizes.end()), fake::dim_vector(strides.begin(), strides.end()),
                              offset, st->dtype, st->cpu_storage);
  return t;
}

std::int64_t extent(const ints& sizes, const ints& strides) {
  std::int64_t n = 1;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) return 0;
    n += (sizes[i] - 1) * strides[i];
  }
  return n;
}

// Random strides for `sizes`: contiguous, permuted, channels_last, gapped, expanded.
ints random_strides(const ints& sizes) {
  const std::size_t r = sizes.size();
  std::vector<std::size_t> order(r);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (r == 4 && chance(0.2)) order = {0, 2, 3, 1};  // channels_last
  else if (chance(0.4)) std::shuffle(order.begin(), order.end(), gen);
  ints strides(r, 0);
  std::int64_t running = chance(0.1) ? 2 : 1;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    strides[*it] = chance(0.08) ? 0 : running;
    running *= std::max<std::int64_t>(sizes[*it], 1) * (chance(0.1) ? 2 : 1);
  }
  return strides;
}

fake::dtype random_dtype() {
  using fake::dtype;
  return pick<dtype>({dtype::float32, dtype::float32, dtype::float64, dtype::float16, dtype::bfloat16, dtype::int64,
                      dtype::int32, dtype::int8, dtype::uint8, dtype::bool_});
}

twin random_tensor(const ints& sizes, fake::dtype d) {
  const ints strides = random_strides(sizes);
  const std::int64_t offset = chance(0.2) ? uniform(1, 4) : 0;
  return on(make_storage(offset + extent(sizes, strides) + uniform(0, 2), d), sizes, strides, offset);
}

ints random_shape(std::int64_t max_rank = 4) {
  ints s;
  const std::int64_t r = uniform(0, max_rank);
  for (std::int64_t i = 0; i < r; ++i) s.push_back(pick<std::int64_t>({0, 1, 1, 2, 3, 3, 4, 5}));
  return s;
}

// A shape that broadcasts with `s` (a suffix with some dims 1, sometimes a
// longer one), or, rarely, one that does not.
ints partner_shape(const ints& s) {
  if (chance(0.25)) return s;
  ints p;
  const std::int64_t keep = uniform(0, static_cast<std::int64_t>(s.size()));
  for (std::size_t i = s.size() - static_cast<std::size_t>(keep); i < s.size(); ++i) p.push_back(chance(0.3) ? 1 : s[i]);
  if (chance(0.2)) p.insert(p.begin(), pick<std::int64_t>({1, 2}));
  if (!p.empty() && chance(0.05)) p[static_cast<std::size_t>(uniform(0, static_cast<std::int64_t>(p.size()) - 1))] += 1;
  return p;
}

// A Scalar argument: bool, int or float, for both sides.
struct twin_scalar {
  at::Scalar a;
  fake::scalar f;
};
twin_scalar random_scalar() {
  switch (uniform(0, 2)) {
    case 0: return {at::Scalar(true), fake::scalar(true)};
    case 1: {
      const std::int64_t v = uniform(-3, 3);
      return {at::Scalar(v), fake::scalar(v)};
    }
    default: break;
  }
  return {at::Scalar(0.5), fake::scalar(0.5)};
}

// One call: what ATen does on the twins' real tensors, and the fake op.
struct op_case {
  std::string name;
  std::function<at::Tensor(std::vector<at::Tensor>&)> aten;
  std::function<fake::tensor_desc(std::vector<fake::tensor_desc>&)> fake;
};

at::Tensor on_cpu(const twin& t) {
  if (!t.st->cpu_base.defined())
    t.st->cpu_base = at::zeros({t.st->meta_base.numel()}, at::TensorOptions().dtype(aten_dtype(t.st->dtype)));
  return t.st->cpu_base.as_strided(t.sizes, t.strides, t.offset);
}

int run_case(const op_case& c, const std::vector<twin>& twins, std::string& log) {
  std::vector<at::Tensor> a;
  std::vector<fake::tensor_desc> f;
  for (const twin& t : twins) {
    a.push_back(t.a);
    f.push_back(t.f);
  }
  log = c.name + " on";
  for (const twin& t : twins) log += " {" + t.describe() + (t.st == twins[0].st && &t != &twins[0] ? " shared" : "") + "}";
  std::optional<at::Tensor> ar;
  std::string aerr;
  auto run_aten = [&](std::vector<at::Tensor>& args) {
    ar.reset();
    aerr.clear();
    try {
      ar = c.aten(args);
    } catch (const c10::Error& e) {
      aerr = e.what_without_backtrace();
      aerr = aerr.substr(0, aerr.find('\n'));
    }
  };
  auto cpu_args = [&] {
    std::vector<at::Tensor> cpu;
    for (const twin& t : twins) cpu.push_back(on_cpu(t));
    return cpu;
  };
  run_aten(a);
  // 1.13 has no Meta kernel for some ops (logical_and.out, where): ask the CPU one
  bool on_cpu_kernel = false;
  if (!ar && aerr.find("'Meta' backend") != std::string::npos) {
    std::vector<at::Tensor> cpu = cpu_args();
    run_aten(cpu);
    on_cpu_kernel = true;
    f.clear();  // and the fake op on cpu tensors (Note [cpu input promotion])
    for (const twin& t : twins) f.push_back(t.f_cpu);
  }
  std::optional<fake::tensor_desc> fr;
  std::string ferr;
  try {
    fr = c.fake(f);
  } catch (const fake::error& e) {
    ferr = e.what();
  }
  if (ar && !fr) {
    // ATen's meta path may skip a real kernel's check: ask the CPU kernel
    std::optional<at::Tensor> meta_result = ar;
    if (!on_cpu_kernel) {
      std::vector<at::Tensor> cpu = cpu_args();
      run_aten(cpu);
      if (!ar) return 1;  // both refuse
    }
    log += "\n  fake raised: " + ferr + "\n  ATen gave sizes=" + fmt(meta_result->sizes()) +
           " strides=" + fmt(meta_result->strides());
    return -1;
  }
  if (!ar && fr) {
    // a gap of the CPU backend (no float16 kernel), not a rule of the op
    if (on_cpu_kernel && (aerr.find("'Half'") != std::string::npos || aerr.find("'BFloat16'") != std::string::npos))
      return 0;
    log += "\n  ATen raised: " + aerr + "\n  fake gave sizes=" + fmt(fr->sizes()) + " strides=" + fmt(fr->strides()) +
           " dtype=" + std::string(fake::c10_name(fr->dtype()));
    return -1;
  }
  if (!ar) return 1;
  const bool same = fmt(ar->sizes()) == fmt(fr->sizes()) && fmt(ar->strides()) == fmt(fr->strides()) &&
                    ar->storage_offset() == fr->storage_offset() && static_cast<int>(ar->scalar_type()) == static_cast<int>(fr->dtype());
  if (!same) {
    log += "\n  ATen: sizes=" + fmt(ar->sizes()) + " strides=" + fmt(ar->strides()) + " offset=" +
           std::to_string(ar->storage_offset()) + " " + std::string(c10::toString(ar->scalar_type())) +
           "\n  fake: sizes=" + fmt(fr->sizes()) + " strides=" + fmt(fr->strides()) + " offset=" +
           std::to_string(fr->storage_offset()) + " " + std::string(fake::c10_name(fr->dtype()));
    return -1;
  }
  return 1;
}

// ------------------------------------------------------------ the op table

using T = at::Tensor;
using F = fake::tensor_desc;
using VT = std::vector<T>;
using VF = std::vector<F>;

std::vector<op_case> binary_cases(const twin_scalar& sc, const twin_scalar& alpha) {
  const at::Scalar as = sc.a, aa = alpha.a;
  const fake::scalar fs = sc.f, fa = alpha.f;
  return {
      {"add", [aa](VT& t) { return at::add(t[0], t[1], aa); }, [fa](VF& t) { return fake::add(t[0], t[1], fa); }},
      {"sub", [aa](VT& t) { return at::sub(t[0], t[1], aa); }, [fa](VF& t) { return fake::sub(t[0], t[1], fa); }},
      {"rsub", [aa](VT& t) { return at::rsub(t[0], t[1], aa); }, [fa](VF& t) { return fake::rsub(t[0], t[1], fa); }},
      {"mul", [](VT& t) { return at::mul(t[0], t[1]); }, [](VF& t) { return fake::mul(t[0], t[1]); }},
      {"div", [](VT& t) { return at::div(t[0], t[1]); }, [](VF& t) { return fake::div(t[0], t[1]); }},
      {"div_trunc", [](VT& t) { return at::div(t[0], t[1], "trunc"); }, [](VF& t) { return fake::div(t[0], t[1], "trunc"); }},
      {"div_floor", [](VT& t) { return at::div(t[0], t[1], "floor"); }, [](VF& t) { return fake::div(t[0], t[1], "floor"); }},
      {"remainder", [](VT& t) { return at::remainder(t[0], t[1]); }, [](VF& t) { return fake::remainder(t[0], t[1]); }},
      {"fmod", [](VT& t) { return at::fmod(t[0], t[1]); }, [](VF& t) { return fake::fmod(t[0], t[1]); }},
      {"maximum", [](VT& t) { return at::maximum(t[0], t[1]); }, [](VF& t) { return fake::maximum(t[0], t[1]); }},
      {"minimum", [](VT& t) { return at::minimum(t[0], t[1]); }, [](VF& t) { return fake::minimum(t[0], t[1]); }},
      {"atan2", [](VT& t) { return at::atan2(t[0], t[1]); }, [](VF& t) { return fake::atan2(t[0], t[1]); }},
      {"pow", [](VT& t) { return at::pow(t[0], t[1]); }, [](VF& t) { return fake::pow(t[0], t[1]); }},
      {"eq", [](VT& t) { return at::eq(t[0], t[1]); }, [](VF& t) { return fake::eq(t[0], t[1]); }},
      {"lt", [](VT& t) { return at::lt(t[0], t[1]); }, [](VF& t) { return fake::lt(t[0], t[1]); }},
      {"ge", [](VT& t) { return at::ge(t[0], t[1]); }, [](VF& t) { return fake::ge(t[0], t[1]); }},
      {"logical_and", [](VT& t) { return at::logical_and(t[0], t[1]); }, [](VF& t) { return fake::logical_and(t[0], t[1]); }},
      {"logical_xor", [](VT& t) { return at::logical_xor(t[0], t[1]); }, [](VF& t) { return fake::logical_xor(t[0], t[1]); }},
      {"bitwise_and", [](VT& t) { return at::bitwise_and(t[0], t[1]); }, [](VF& t) { return fake::bitwise_and(t[0], t[1]); }},
      {"bitwise_or", [](VT& t) { return at::bitwise_or(t[0], t[1]); }, [](VF& t) { return fake::bitwise_or(t[0], t[1]); }},
      {"add.Scalar", [as, aa](VT& t) { return at::add(t[0], as, aa); }, [fs, fa](VF& t) { return fake::add(t[0], fs, fa); }},
      {"mul.Scalar", [as](VT& t) { return at::mul(t[0], as); }, [fs](VF& t) { return fake::mul(t[0], fs); }},
      {"div.Scalar", [as](VT& t) { return at::div(t[0], as); }, [fs](VF& t) { return fake::div(t[0], fs); }},
      {"rsub.Scalar", [as](VT& t) { return at::rsub(t[0], as); }, [fs](VF& t) { return fake::rsub(t[0], fs); }},
      {"eq.Scalar", [as](VT& t) { return at::eq(t[0], as); }, [fs](VF& t) { return fake::eq(t[0], fs); }},
      {"remainder.Scalar", [as](VT& t) { return at::remainder(t[0], as); }, [fs](VF& t) { return fake::remainder(t[0], fs); }},
      {"pow.Tensor_Scalar", [as](VT& t) { return at::pow(t[0], as); }, [fs](VF& t) { return fake::pow(t[0], fs); }},
      {"pow.Scalar", [as](VT& t) { return at::pow(as, t[1]); }, [fs](VF& t) { return fake::pow(fs, t[1]); }},
      {"lerp.Scalar", [](VT& t) { return at::lerp(t[0], t[1], 0.5); }, [](VF& t) { return fake::lerp(t[0], t[1], 0.5); }},
      {"clamp.Tensor", [](VT& t) { return at::clamp(t[0], t[1], c10::nullopt); },
       [](VF& t) { return fake::clamp(t[0], std::optional<F>(t[1]), std::nullopt); }},
      {"add_", [aa](VT& t) { return t[0].add_(t[1], aa); }, [fa](VF& t) { return fake::add_(t[0], t[1], fa); }},
      {"sub_", [](VT& t) { return t[0].sub_(t[1]); }, [](VF& t) { return fake::sub_(t[0], t[1]); }},
      {"mul_", [](VT& t) { return t[0].mul_(t[1]); }, [](VF& t) { return fake::mul_(t[0], t[1]); }},
      {"div_", [](VT& t) { return t[0].div_(t[1]); }, [](VF& t) { return fake::div_(t[0], t[1]); }},
      {"eq_", [](VT& t) { return t[0].eq_(t[1]); }, [](VF& t) { return fake::eq_(t[0], t[1]); }},
      {"logical_and_", [](VT& t) { return t[0].logical_and_(t[1]); }, [](VF& t) { return fake::logical_and_(t[0], t[1]); }},
      {"mul_.Scalar", [as](VT& t) { return t[0].mul_(as); }, [fs](VF& t) { return fake::mul_(t[0], fs); }},
      {"copy_", [](VT& t) { return t[0].copy_(t[1]); }, [](VF& t) { return fake::copy_(t[0], t[1]); }},
      {"masked_fill_", [](VT& t) { return t[0].masked_fill_(t[1].to(at::kBool), 1); },
       [](VF& t) { return fake::masked_fill_(t[0], fake::to(t[1], fake::dtype::bool_), 1); }},
      {"masked_fill", [](VT& t) { return t[0].masked_fill(t[1].to(at::kBool), 1); },
       [](VF& t) { return fake::masked_fill(t[0], fake::to(t[1], fake::dtype::bool_), 1); }},
  };
}

std::vector<op_case> unary_cases(const twin_scalar& sc, fake::dtype other_dtype, at::MemoryFormat mf) {
  const at::Scalar as = sc.a;
  const fake::scalar fs = sc.f;
  const at::ScalarType ad = aten_dtype(other_dtype);
  const auto fmf = static_cast<fake::memory_format>(static_cast<int>(mf));
  return {
      {"abs", [](VT& t) { return at::abs(t[0]); }, [](VF& t) { return fake::abs(t[0]); }},
      {"neg", [](VT& t) { return at::neg(t[0]); }, [](VF& t) { return fake::neg(t[0]); }},
      {"exp", [](VT& t) { return at::exp(t[0]); }, [](VF& t) { return fake::exp(t[0]); }},
      {"sigmoid", [](VT& t) { return at::sigmoid(t[0]); }, [](VF& t) { return fake::sigmoid(t[0]); }},
      {"sqrt", [](VT& t) { return at::sqrt(t[0]); }, [](VF& t) { return fake::sqrt(t[0]); }},
      {"ceil", [](VT& t) { return at::ceil(t[0]); }, [](VF& t) { return fake::ceil(t[0]); }},
      {"sign", [](VT& t) { return at::sign(t[0]); }, [](VF& t) { return fake::sign(t[0]); }},
      {"relu", [](VT& t) { return at::relu(t[0]); }, [](VF& t) { return fake::relu(t[0]); }},
      {"gelu", [](VT& t) { return at::gelu(t[0]); }, [](VF& t) { return fake::gelu(t[0]); }},
      {"silu", [](VT& t) { return at::silu(t[0]); }, [](VF& t) { return fake::silu(t[0]); }},
      {"hardtanh", [](VT& t) { return at::hardtanh(t[0]); }, [](VF& t) { return fake::hardtanh(t[0]); }},
      {"leaky_relu", [](VT& t) { return at::leaky_relu(t[0]); }, [](VF& t) { return fake::leaky_relu(t[0]); }},
      {"logical_not", [](VT& t) { return at::logical_not(t[0]); }, [](VF& t) { return fake::logical_not(t[0]); }},
      {"bitwise_not", [](VT& t) { return at::bitwise_not(t[0]); }, [](VF& t) { return fake::bitwise_not(t[0]); }},
      {"isnan", [](VT& t) { return at::isnan(t[0]); }, [](VF& t) { return fake::isnan(t[0]); }},
      {"clamp", [as](VT& t) { return at::clamp(t[0], as); }, [fs](VF& t) { return fake::clamp(t[0], fs); }},
      {"clamp_", [as](VT& t) { return t[0].clamp_(as); }, [fs](VF& t) { return fake::clamp_(t[0], fs); }},
      {"relu_", [](VT& t) { return t[0].relu_(); }, [](VF& t) { return fake::relu_(t[0]); }},
      {"sigmoid_", [](VT& t) { return t[0].sigmoid_(); }, [](VF& t) { return fake::sigmoid_(t[0]); }},
      {"abs_", [](VT& t) { return t[0].abs_(); }, [](VF& t) { return fake::abs_(t[0]); }},
      {"clone", [mf](VT& t) { return t[0].clone(mf); }, [fmf](VF& t) { return fake::clone(t[0], fmf); }},
      {"contiguous", [mf](VT& t) { return t[0].contiguous(mf); }, [fmf](VF& t) { return fake::contiguous(t[0], fmf); }},
      {"_to_copy", [ad, mf](VT& t) { return at::_to_copy(t[0], ad, c10::nullopt, c10::nullopt, c10::nullopt, false, mf); },
       [other_dtype, fmf](VF& t) { return fake::to_copy(t[0], other_dtype, std::nullopt, std::nullopt, std::nullopt, false, fmf); }},
      {"to.dtype", [ad](VT& t) { return t[0].to(ad); }, [other_dtype](VF& t) { return fake::to(t[0], other_dtype); }},
      {"fill_", [](VT& t) { return t[0].fill_(1); }, [](VF& t) { return fake::fill_(t[0], 1); }},
  };
}

}  // namespace

TEST_CASE("pointwise ops match ATen on random strided inputs", "[pointwise][libtorch]") {
  gen.seed(base_seed());
  int passed = 0, failed = 0, skipped = 0;
  std::string log;
  for (int iter = 0; iter < 400; ++iter) {
    const ints s0 = random_shape();
    const fake::dtype d0 = random_dtype();
    const fake::dtype d1 = chance(0.6) ? d0 : random_dtype();
    const twin a = random_tensor(s0, d0);
    // the partner: its own storage, or a view of a's storage (overlap cases)
    twin b;
    if (chance(0.15) && d1 == d0) {
      const ints ps = partner_shape(s0);
      const ints pst = random_strides(ps);
      const std::int64_t need = extent(ps, pst);
      b = need <= a.st->meta_base.numel() ? on(a.st, ps, pst, uniform(0, a.st->meta_base.numel() - need))
                                          : random_tensor(ps, d1);
    } else {
      b = random_tensor(partner_shape(s0), d1);
    }
    const twin_scalar sc = random_scalar(), alpha = chance(0.7) ? twin_scalar{at::Scalar(1), fake::scalar(1)} : random_scalar();
    for (const op_case& c : binary_cases(sc, alpha)) {
      const int r = run_case(c, {a, b}, log);
      if (r > 0) ++passed;
      else if (r == 0) ++skipped;
      else {
        ++failed;
        FAIL_CHECK(log);
      }
    }
    const at::MemoryFormat mf = s0.size() == 4 ? pick<at::MemoryFormat>({at::MemoryFormat::Preserve, at::MemoryFormat::Contiguous,
                                                                          at::MemoryFormat::ChannelsLast})
                                               : pick<at::MemoryFormat>({at::MemoryFormat::Preserve, at::MemoryFormat::Contiguous});
    for (const op_case& c : unary_cases(sc, random_dtype(), mf)) {
      const int r = run_case(c, {a}, log);
      if (r > 0) ++passed;
      else if (r == 0) ++skipped;
      else {
        ++failed;
        FAIL_CHECK(log);
      }
    }
    // where(cond, a, b) with a bool condition of a third broadcast shape
    const twin cond = random_tensor(partner_shape(s0), chance(0.9) ? fake::dtype::bool_ : fake::dtype::float32);
    const op_case w{"where", [](VT& t) { return at::where(t[0], t[1], t[2]); },
                    [](VF& t) { return fake::where(t[0], t[1], t[2]); }};
    if (const int r = run_case(w, {cond, a, b}, log); r > 0) ++passed;
    else if (r == 0) ++skipped;
    else {
      ++failed;
      FAIL_CHECK(log);
    }
    // out= with an out of the right shape, another shape, or empty
    const ints out_shape = pick<int>({0, 1, 2}) == 0 ? ints{0} : chance(0.5) ? random_shape() : s0;
    const fake::dtype out_dtype = chance(0.8) ? d0 : random_dtype();
    const ints out_strides = random_strides(out_shape);
    const op_case add_out{"add.out", [](VT& t) { return at::add_out(t[2], t[0], t[1]); },
                          [](VF& t) { return fake::add_out(t[2], t[0], t[1]); }};
    const op_case eq_out{"eq.out", [](VT& t) { return at::eq_out(t[2], t[0], t[1]); },
                         [](VF& t) { return fake::eq_out(t[2], t[0], t[1]); }};
    const op_case abs_out{"abs.out", [](VT& t) { return at::abs_out(t[2], t[0]); },
                          [](VF& t) { return fake::abs_out(t[2], t[0]); }};
    for (const op_case* c : {&add_out, &eq_out, &abs_out}) {
      // a fresh out each time: out= resizes it
      const twin out = on(make_storage(extent(out_shape, out_strides) + 1, out_dtype), out_shape, out_strides, 0);
      if (const int r = run_case(*c, {a, b, out}, log); r > 0) ++passed;
      else if (r == 0) ++skipped;
      else {
        ++failed;
        FAIL_CHECK(log);
      }
    }
  }
  std::cout << "pointwise_vs_libtorch: " << passed << " cases agree, " << failed << " differ, " << skipped
            << " skipped (a CPU kernel without float16/bfloat16 support)\n";
  CHECK(passed >= 500);
  CHECK(failed == 0);
}
