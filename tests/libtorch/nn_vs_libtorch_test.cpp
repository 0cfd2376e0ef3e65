// Live differential test of the nn ops (ops/nn.hpp) against libtorch (ATen
// 1.13): random inputs (contiguous, channels_last, permuted, sliced, offset,
// size-1 dims with odd strides), random arguments (valid and invalid), the
// same call on an ATen tensor and on a fake::tensor_desc of the same geometry.
// Sizes, strides, storage offset and dtype of every output must agree, and
// when ATen raises (c10::Error) the fake op must throw a fake::error.
// ATen runs on meta tensors where 1.13 has a C++ meta kernel; the others
// (convolution, batch/group norm, adaptive pooling, reflection_pad2d, dropout,
// embedding, nll_loss2d, cross_entropy) run on small cpu tensors.
// The seed is fixed and printed (FAKETENSOR_NN_SEED overrides it).
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
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "faketensor/core/error.hpp"
#include "faketensor/ops/nn.hpp"
#include "faketensor/view/ops.hpp"

namespace {

using ints = std::vector<std::int64_t>;

std::mt19937 gen;
std::uint32_t base_seed() {
  static const std::uint32_t s = [] {
    const char* env = std::getenv("FAKETENSOR_NN_SEED");
    const std::uint32_t v = env ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10)) : 20260611u;
    std::cout << "nn_vs_libtorch: seed " << v << "\n";
    c10::SetStackTraceFetcher([] { return std::string(); });
    return v;
  }();
  return s;
}
void reseed(std::uint32_t offset) { gen.seed(base_seed() + offset); }
std::int64_t uniform(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen); }
bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(gen) < p; }
template <class T>
T pick(std::initializer_list<T> v) {
  return *(v.begin() + uniform(0, static_cast<std::int64_t>(v.size()) - 1));
}

fake::dim_vector fd(const ints& v) { return fake::dim_vector(v.begin(), v.end()); }
ints to_ints(at::IntArrayRef a) { return ints(a.begin(), a.end()); }
ints to_ints(const fake::dim_vector& v) { return ints(v.begin(), v.end()); }
std::string str(const ints& v) {
  std::ostringstream o;
  o << "[";
  for (std::size_t i = 0; i < v.size(); ++i) o << (i ? ", " : "") << v[i];
  return o.str() + "]";
}

at::ScalarType to_aten(fake::dtype d) {
  switch (d) {
    case fake::dtype::float32: return at::kFloat;
    case fake::dtype::float64: return at::kDouble;
    case fake::dtype::float16: return at::kHalf;
    case fake::dtype::bfloat16: return at::kBFloat16;
    case fake::dtype::int64: return at::kLong;
    case fake::dtype::int32: return at::kInt;
    case fake::dtype::bool_: return at::kBool;
    default: return at::kFloat;
  }
}

// One input in both worlds.
struct input {
  at::Tensor real;
  fake::tensor_desc fake;
  std::string text;
};

// Strides for `sizes` in a random layout.
std::pair<ints, std::int64_t> random_layout(const ints& sizes) {
  const std::size_t n = sizes.size();
  ints st(n, 1);
  std::vector<std::size_t> order(n);  // innermost first
  std::iota(order.rbegin(), order.rend(), 0);
  const int kind = static_cast<int>(uniform(0, 5));
  if (kind == 1 && n == 4) order = {1, 3, 2, 0};  // channels_last
  if (kind == 2) std::shuffle(order.begin(), order.end(), gen);
  std::int64_t s = kind == 3 ? 2 : 1;  // sliced: every other element
  for (std::size_t d : order) {
    st[d] = s;
    s *= std::max<std::int64_t>(sizes[d], 1) + (kind == 3 && d == order.back() ? 1 : 0);
  }
  for (std::size_t d = 0; d < n; ++d)
    if (sizes[d] == 1 && chance(0.3)) st[d] = pick<std::int64_t>({0, 1, 7});
  const std::int64_t offset = kind == 4 ? uniform(1, 5) : 0;
  return {st, offset};
}

input make_input(const ints& sizes, fake::dtype dt, bool on_meta, bool zero_data = false) {
  auto [st, offset] = random_layout(sizes);
  std::int64_t need = offset + 1;
  for (std::size_t d = 0; d < sizes.size(); ++d) {
    if (sizes[d] == 0) {
      need = offset;
      break;
    }
    need += (sizes[d] - 1) * st[d];
  }
  const auto opts = at::TensorOptions().dtype(to_aten(dt)).device(on_meta ? at::kMeta : at::kCPU);
  at::Tensor base = zero_data && !on_meta ? at::zeros({std::max<std::int64_t>(need, 1)}, opts) : at::empty({std::max<std::int64_t>(need, 1)}, opts);
  if (!on_meta && !zero_data && at::isFloatingType(to_aten(dt))) base.uniform_();
  at::Tensor real = base.as_strided(sizes, st, offset);
  fake::tensor_desc fbase = fake::empty({std::max<std::int64_t>(need, 1)}, dt);
  fake::tensor_desc f = fake::as_strided(fbase, fd(sizes), fd(st), offset);
  return {real, f, str(sizes) + "@" + str(st) + "+" + std::to_string(offset) + " " + std::string(fake::name(dt))};
}

int cases = 0, raised = 0;

void compare(const at::Tensor& a, const fake::tensor_desc& f, const std::string& what) {
  INFO(what);
  CHECK(to_ints(a.sizes()) == to_ints(f.sizes()));
  CHECK(to_ints(a.strides()) == to_ints(f.strides()));
  CHECK(a.storage_offset() == f.storage_offset());
  CHECK(a.scalar_type() == to_aten(f.dtype()));
}

// Runs both; both must raise, or both succeed with equal outputs.
void run(const std::string& what, const std::function<std::vector<at::Tensor>()>& aten,
         const std::function<std::vector<fake::tensor_desc>()>& fk) {
  ++cases;
  std::vector<at::Tensor> a;
  std::string aten_error;
  try {
    a = aten();
  } catch (const c10::Error& e) {
    aten_error = e.what_without_backtrace();
  }
  std::vector<fake::tensor_desc> f;
  std::string fake_error;
  try {
    f = fk();
  } catch (const fake::error& e) {
    fake_error = e.what();
  }
  INFO(what << "\n  aten: " << (aten_error.empty() ? "ok" : aten_error) << "\n  fake: " << (fake_error.empty() ? "ok" : fake_error));
  CHECK(aten_error.empty() == fake_error.empty());
  if (!aten_error.empty()) ++raised;
  if (!aten_error.empty() || !fake_error.empty()) return;
  REQUIRE(a.size() == f.size());
  for (std::size_t i = 0; i < a.size(); ++i) compare(a[i], f[i], what + " output " + std::to_string(i));
}

fake::dtype float_dtype(bool allow_half = true) {
  return allow_half ? pick({fake::dtype::float32, fake::dtype::float64, fake::dtype::float16, fake::dtype::bfloat16})
                    : pick({fake::dtype::float32, fake::dtype::float64});
}
ints rand_sizes(std::size_t rank, std::int64_t lo, std::int64_t hi) {
  ints s(rank);
  for (auto& v : s) v = uniform(lo, hi);
  return s;
}
ints one_or_two(std::int64_t lo, std::int64_t hi) {
  return chance(0.3) ? ints{uniform(lo, hi)} : ints{uniform(lo, hi), uniform(lo, hi)};
}

}  // namespace

TEST_CASE("nn ops on random inputs match ATen", "[libtorch][nn]") {
  reseed(0);
  cases = raised = 0;

  // ---- pooling (meta)
  for (int k = 0; k < 120; ++k) {
    const std::size_t rank = chance(0.25) ? 3 : 4;
    ints sizes = rand_sizes(rank, 1, 4);
    sizes[rank - 2] = uniform(1, 9);
    sizes[rank - 1] = uniform(1, 9);
    if (chance(0.05)) sizes[0] = 0;
    input x = make_input(sizes, float_dtype(), true);
    const ints ks = one_or_two(1, 4), st = chance(0.3) ? ints{} : one_or_two(1, 3), pad = one_or_two(0, 2), dil = one_or_two(1, 2);
    const bool ceil = chance(0.5);
    std::ostringstream w;
    w << "max_pool2d_with_indices " << x.text << " k" << str(ks) << " s" << str(st) << " p" << str(pad) << " d" << str(dil) << " ceil "
      << ceil;
    run(w.str(),
        [&] {
          auto [o, i] = at::max_pool2d_with_indices(x.real, ks, st, pad, dil, ceil);
          return std::vector<at::Tensor>{o, i};
        },
        [&] {
          auto [o, i] = fake::max_pool2d_with_indices(x.fake, fd(ks), fd(st), fd(pad), fd(dil), ceil);
          return std::vector<fake::tensor_desc>{o, i};
        });
    const bool cip = chance(0.5);
    const std::optional<std::int64_t> div = chance(0.7) ? std::nullopt : std::optional<std::int64_t>(uniform(0, 3));
    run("avg_pool2d " + w.str() + " div " + (div ? std::to_string(*div) : "none"),
        [&] {
          return std::vector<at::Tensor>{at::avg_pool2d(x.real, ks, st, pad, ceil, cip, div ? c10::optional<int64_t>(*div) : c10::nullopt)};
        },
        [&] { return std::vector<fake::tensor_desc>{fake::avg_pool2d(x.fake, fd(ks), fd(st), fd(pad), ceil, cip, div)}; });
  }

  // ---- softmax (meta)
  for (int k = 0; k < 60; ++k) {
    const std::size_t rank = static_cast<std::size_t>(uniform(0, 4));
    input x = make_input(rand_sizes(rank, 1, 4), float_dtype(), true);
    const std::int64_t dim = uniform(-static_cast<std::int64_t>(rank) - 1, static_cast<std::int64_t>(rank));
    const bool h2f = x.fake.dtype() == fake::dtype::float16 && chance(0.5);
    run("_softmax " + x.text + " dim " + std::to_string(dim), [&] { return std::vector<at::Tensor>{at::_softmax(x.real, dim, h2f)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::softmax_impl(x.fake, dim, h2f)}; });
    run("_log_softmax " + x.text + " dim " + std::to_string(dim),
        [&] { return std::vector<at::Tensor>{at::_log_softmax(x.real, dim, false)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::log_softmax_impl(x.fake, dim, false)}; });
    run("softmax.int " + x.text + " dim " + std::to_string(dim), [&] { return std::vector<at::Tensor>{at::softmax(x.real, dim, at::kDouble)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::softmax(x.fake, dim, fake::dtype::float64)}; });
  }

  // ---- upsample and pads (meta)
  for (int k = 0; k < 60; ++k) {
    const std::size_t rank = chance(0.15) ? 3 : 4;
    ints sizes = rand_sizes(rank, 1, 5);
    if (chance(0.05)) sizes[1] = 0;
    input x = make_input(sizes, float_dtype(), true);
    const ints os = chance(0.1) ? ints{uniform(0, 6)} : ints{uniform(0, 6), uniform(1, 6)};
    run("upsample_nearest2d " + x.text + " " + str(os), [&] { return std::vector<at::Tensor>{at::upsample_nearest2d(x.real, os)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::upsample_nearest2d(x.fake, fd(os))}; });
    const bool ac = chance(0.5);
    run("upsample_bilinear2d " + x.text + " " + str(os),
        [&] { return std::vector<at::Tensor>{at::upsample_bilinear2d(x.real, os, ac)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::upsample_bilinear2d(x.fake, fd(os), ac)}; });
    const std::vector<double> sf{pick({0.5, 1.0, 1.5, 2.3}), pick({0.7, 1.0, 2.0})};
    run("upsample_nearest2d.vec " + x.text,
        [&] { return std::vector<at::Tensor>{at::upsample_nearest2d(x.real, c10::nullopt, c10::ArrayRef<double>(sf))}; },
        [&] { return std::vector<fake::tensor_desc>{fake::upsample_nearest2d(x.fake, std::nullopt, sf)}; });

    const ints p4{uniform(-3, 3), uniform(-3, 3), uniform(-3, 3), uniform(-3, 3)};
    run("replication_pad2d " + x.text + " " + str(p4), [&] { return std::vector<at::Tensor>{at::replication_pad2d(x.real, p4)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::replication_pad2d(x.fake, fd(p4))}; });
    const ints pn = chance(0.5) ? ints{uniform(-2, 2), uniform(-2, 2)} : ints{uniform(-2, 2), uniform(-2, 2), uniform(-2, 2), uniform(0, 2)};
    run("constant_pad_nd " + x.text + " " + str(pn), [&] { return std::vector<at::Tensor>{at::constant_pad_nd(x.real, pn, 0)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::constant_pad_nd(x.fake, fd(pn))}; });

    ints s1 = rand_sizes(chance(0.3) ? 2 : 3, 1, 5);
    input y = make_input(s1, float_dtype(), true);
    const ints p2{uniform(-3, 4), uniform(-3, 4)};
    run("reflection_pad1d " + y.text + " " + str(p2), [&] { return std::vector<at::Tensor>{at::reflection_pad1d(y.real, p2)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::reflection_pad1d(y.fake, fd(p2))}; });
    run("replication_pad1d " + y.text + " " + str(p2), [&] { return std::vector<at::Tensor>{at::replication_pad1d(y.real, p2)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::replication_pad1d(y.fake, fd(p2))}; });
  }

  // ---- losses and layer norm (meta)
  for (int k = 0; k < 50; ++k) {
    const std::size_t rank = static_cast<std::size_t>(uniform(1, 4));
    ints sa = rand_sizes(rank, 1, 4);
    ints sb = sa;
    if (chance(0.3)) sb.erase(sb.begin());
    if (chance(0.2) && !sb.empty()) sb[0] = 1;
    const fake::dtype dt = float_dtype(false);
    input a = make_input(sa, dt, true), b = make_input(sb, chance(0.3) ? float_dtype(false) : dt, true);
    const std::int64_t red = uniform(0, 2);
    run("mse_loss " + a.text + " " + b.text + " red " + std::to_string(red),
        [&] { return std::vector<at::Tensor>{at::mse_loss(a.real, b.real, red)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::mse_loss(a.fake, b.fake, red)}; });

    const std::size_t nr = static_cast<std::size_t>(uniform(1, 3));
    input x = make_input(rand_sizes(nr, 1, 5), dt, true);
    ints tgt_sizes = nr == 2 ? ints{chance(0.8) ? x.real.size(0) : x.real.size(0) + 1} : ints{};
    if (chance(0.1)) tgt_sizes.push_back(2);
    input tgt = make_input(tgt_sizes, fake::dtype::int64, true);
    const bool with_w = chance(0.3);
    input w = make_input({chance(0.9) ? x.real.size(-1) : x.real.size(-1) + 1}, dt, true);
    run("nll_loss_forward " + x.text + " " + tgt.text + " red " + std::to_string(red),
        [&] {
          auto [o, t] = at::nll_loss_forward(x.real, tgt.real, with_w ? c10::optional<at::Tensor>(w.real) : c10::nullopt, red, -100);
          return std::vector<at::Tensor>{o, t};
        },
        [&] {
          auto [o, t] = fake::nll_loss_forward(x.fake, tgt.fake, with_w ? std::optional<fake::tensor_desc>(w.fake) : std::nullopt, red, -100);
          return std::vector<fake::tensor_desc>{o, t};
        });

    // cpu, float32/float64: the meta path of 1.13's C++ needs native_batch_norm's Python meta
    input ln = make_input(rand_sizes(uniform(1, 4), 1, 4), float_dtype(false), false, true);
    const std::size_t nd = static_cast<std::size_t>(uniform(1, static_cast<std::int64_t>(ln.real.dim())));
    ints ns(ln.real.sizes().end() - static_cast<std::ptrdiff_t>(nd), ln.real.sizes().end());
    if (chance(0.15)) ns.back() += 1;
    const bool lw = chance(0.5);
    input lwt = make_input(ns, ln.fake.dtype(), false, true);
    run("native_layer_norm " + ln.text + " " + str(ns),
        [&] {
          auto [o, m, r] = at::native_layer_norm(ln.real, ns, lw ? c10::optional<at::Tensor>(lwt.real) : c10::nullopt, c10::nullopt, 1e-5);
          return std::vector<at::Tensor>{o, m, r};
        },
        [&] {
          auto [o, m, r] = fake::native_layer_norm(ln.fake, fd(ns), lw ? std::optional<fake::tensor_desc>(lwt.fake) : std::nullopt, std::nullopt);
          return std::vector<fake::tensor_desc>{o, m, r};
        });
  }

  // ---- convolution (cpu: float64 takes the slow kernels, float32 mkldnn or thnn)
  for (int k = 0; k < 120; ++k) {
    const std::size_t spatial = pick<std::size_t>({2, 2, 2, 1, 3});
    const bool transposed = chance(0.3);
    const std::int64_t groups = pick<std::int64_t>({1, 1, 2, 3});
    const std::int64_t cin = groups * uniform(1, 3), cout = groups * uniform(1, 3);
    ints xs{uniform(1, 3), chance(0.9) ? cin : cin + 1};
    for (std::size_t i = 0; i < spatial; ++i) xs.push_back(uniform(spatial == 3 ? 2 : 3, spatial == 3 ? 5 : 8));
    ints ws = transposed ? ints{cin, cout / groups} : ints{cout, cin / groups};
    for (std::size_t i = 0; i < spatial; ++i) ws.push_back(uniform(1, 3));
    const fake::dtype dt = spatial == 2 && !transposed && chance(0.4) ? fake::dtype::float32 : fake::dtype::float64;
    input x = make_input(xs, dt, false, true);
    if (spatial != 2) x = make_input(xs, dt, false, true), x.real = x.real.contiguous(), x.fake = fake::empty(fd(xs), dt);
    input w = make_input(ws, dt, false, true);
    input b = make_input({chance(0.9) ? (transposed ? cout : cout) : cout + 1}, dt, false, true);
    const bool with_b = chance(0.5);
    ints st = one_or_two(1, 2), pad = one_or_two(0, 1), dil = one_or_two(1, 2), op = ints{0};
    if (spatial != 2) st = {st[0]}, pad = {pad[0]}, dil = {dil[0]};
    if (transposed) op = {uniform(0, 1)}, dil = {1};
    std::ostringstream what;
    what << "convolution " << x.text << " w " << w.text << " s" << str(st) << " p" << str(pad) << " d" << str(dil) << " T " << transposed
         << " op" << str(op) << " g " << groups << " bias " << with_b;
    run(what.str(),
        [&] {
          return std::vector<at::Tensor>{at::convolution(x.real, w.real, with_b ? c10::optional<at::Tensor>(b.real) : c10::nullopt, st,
                                                         pad, dil, transposed, op, groups)};
        },
        [&] {
          return std::vector<fake::tensor_desc>{fake::convolution(x.fake, w.fake, with_b ? std::optional<fake::tensor_desc>(b.fake) : std::nullopt,
                                                                  fd(st), fd(pad), fd(dil), transposed, fd(op), groups)};
        });
  }

  // ---- batch/group norm, adaptive pool, reflection_pad2d, dropout, embedding, losses (cpu)
  for (int k = 0; k < 50; ++k) {
    ints sizes = rand_sizes(uniform(2, 4), 1, 4);
    if (sizes.size() == 4 && chance(0.3)) sizes[1] = 4;
    input x = make_input(sizes, fake::dtype::float32, false, true);
    const std::int64_t c = sizes[1];
    const bool training = chance(0.5);
    input rm = make_input({c}, fake::dtype::float32, false, true), rv = make_input({c}, fake::dtype::float32, false, true);
    run("native_batch_norm " + x.text + " training " + std::to_string(training),
        [&] {
          auto [o, m, r] = at::native_batch_norm(x.real, c10::nullopt, c10::nullopt, rm.real, rv.real, training, 0.1, 1e-5);
          return std::vector<at::Tensor>{o, m, r};
        },
        [&] {
          auto [o, m, r] = fake::native_batch_norm(x.fake, std::nullopt, std::nullopt, rm.fake, rv.fake, training);
          return std::vector<fake::tensor_desc>{o, m, r};
        });
    const std::int64_t groups = pick<std::int64_t>({1, 2, 4});
    std::int64_t hxw = 1;
    for (std::size_t i = 2; i < sizes.size(); ++i) hxw *= sizes[i];
    run("native_group_norm " + x.text + " groups " + std::to_string(groups),
        [&] {
          auto [o, m, r] = at::native_group_norm(x.real, c10::nullopt, c10::nullopt, sizes[0], c, hxw, groups, 1e-5);
          return std::vector<at::Tensor>{o, m, r};
        },
        [&] {
          auto [o, m, r] = fake::native_group_norm(x.fake, std::nullopt, std::nullopt, sizes[0], c, hxw, groups);
          return std::vector<fake::tensor_desc>{o, m, r};
        });
    const ints os{uniform(1, 3), pick<std::int64_t>({1, 2})};
    run("_adaptive_avg_pool2d " + x.text + " " + str(os), [&] { return std::vector<at::Tensor>{at::_adaptive_avg_pool2d(x.real, os)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::adaptive_avg_pool2d_impl(x.fake, fd(os))}; });
    run("adaptive_avg_pool2d " + x.text + " " + str(os), [&] { return std::vector<at::Tensor>{at::adaptive_avg_pool2d(x.real, os)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::adaptive_avg_pool2d(x.fake, fd(os))}; });
    run("adaptive_avg_pool2d 1x1 " + x.text, [&] { return std::vector<at::Tensor>{at::adaptive_avg_pool2d(x.real, {1, 1})}; },
        [&] { return std::vector<fake::tensor_desc>{fake::adaptive_avg_pool2d(x.fake, {1, 1})}; });
    const ints p4{uniform(-1, 2), uniform(-1, 2), uniform(-1, 2), uniform(-1, 2)};
    run("reflection_pad2d " + x.text + " " + str(p4), [&] { return std::vector<at::Tensor>{at::reflection_pad2d(x.real, p4)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::reflection_pad2d(x.fake, fd(p4))}; });
    run("native_dropout " + x.text,
        [&] {
          auto [o, m] = at::native_dropout(x.real, 0.5, true);
          return std::vector<at::Tensor>{o, m};
        },
        [&] {
          auto [o, m] = fake::native_dropout(x.fake, 0.5, true);
          return std::vector<fake::tensor_desc>{o, m};
        });
    input ew = make_input({5, uniform(1, 4)}, fake::dtype::float32, false, true);
    input idx = make_input(rand_sizes(uniform(0, 2), 1, 3), pick({fake::dtype::int64, fake::dtype::int32}), false, true);
    run("embedding " + ew.text + " " + idx.text, [&] { return std::vector<at::Tensor>{at::embedding(ew.real, idx.real)}; },
        [&] { return std::vector<fake::tensor_desc>{fake::embedding(ew.fake, idx.fake)}; });
    // cross entropy with class indices or probabilities
    ints ls = rand_sizes(uniform(1, 3), 1, 4);
    input logits = make_input(ls, fake::dtype::float32, false, true);
    ints ts = ls;
    const bool probs = chance(0.4);
    if (!probs) ts.erase(ts.begin() + (ls.size() == 1 ? 0 : 1));
    input target = make_input(ts, probs ? fake::dtype::float32 : fake::dtype::int64, false, true);
    const std::int64_t red = uniform(0, 2);
    const double smoothing = pick({0.0, 0.0, 0.2});
    run("cross_entropy_loss " + logits.text + " " + target.text + " red " + std::to_string(red),
        [&] { return std::vector<at::Tensor>{at::cross_entropy_loss(logits.real, target.real, c10::nullopt, red, probs ? -1 : -100, smoothing)}; },
        [&] {
          return std::vector<fake::tensor_desc>{fake::cross_entropy_loss(logits.fake, target.fake, std::nullopt, red, probs ? -1 : -100, smoothing)};
        });
  }

  std::cout << "nn_vs_libtorch: " << cases << " cases, " << raised << " raised in ATen\n";
  CHECK(cases >= 500);
}
