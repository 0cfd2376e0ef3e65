// Live differential test of the reductions (ops/reduction.hpp) against ATen
// 1.13: random inputs (ranks 0-4, sizes 0-4, contiguous / permuted /
// channels-last / expanded / gapped strides, storage offsets, 11 dtypes) and
// random arguments (dim lists with negative, duplicate and out-of-range dims,
// keepdim, dtype) go through sum, mean, prod, amax/amin, max/min, argmax/
// argmin, var/std, var_mean/std_mean, linalg_vector_norm, all/any, logsumexp,
// cumsum/cumprod, topk, sort and argsort and their out= variants. Sizes,
// strides, offset and dtype of every output must agree, and both must raise
// or neither. Oracle rule: tests/libtorch/reduction_linalg_oracle.hpp.
// The seed is fixed and printed; FAKETENSOR_REDUCTION_SEED overrides it.
#include <ATen/ATen.h>
#include <c10/util/Logging.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "faketensor/ops/reduction.hpp"
#include "reduction_linalg_oracle.hpp"

using namespace rl_oracle;
using fake::dtype;
using fake::tensor_desc;

namespace {

std::optional<std::int64_t> random_dim(std::int64_t rank) {
  const std::int64_t r = std::max<std::int64_t>(rank, 1);
  if (chance(0.05)) return r + uniform(0, 1);  // out of range
  return uniform(-r, r - 1);
}
ints random_dims(std::int64_t rank) {
  ints d;
  const std::int64_t n = uniform(0, std::max<std::int64_t>(rank, 1));
  for (std::int64_t i = 0; i < n; ++i) d.push_back(*random_dim(rank));
  return d;
}
std::optional<dtype> random_opt_dtype() {
  if (chance(0.7)) return std::nullopt;
  return random_dtype();
}
c10::optional<c10::ScalarType> aopt(std::optional<dtype> d) {
  return d ? c10::optional<c10::ScalarType>(st(*d)) : c10::nullopt;
}
c10::optional<std::int64_t> aopt(std::optional<std::int64_t> d) { return d ? c10::optional<std::int64_t>(*d) : c10::nullopt; }

struct stats {
  int cases = 0, errors_agreed = 0, no_oracle = 0;
  std::map<std::string, int> per_op;
  std::vector<std::string> mismatches;
};

void run_one(stats& s, std::uint32_t case_no) {
  const std::int64_t rank = uniform(0, 4);
  const twin x = make_twin(random_sizes(rank), random_dtype());
  const auto& a = x;
  const bool keep = chance(0.5);
  const int which = static_cast<int>(uniform(0, 22));
  std::string name;
  outcome want;
  fake_outcome got;
  auto T = [&](bool meta) { return meta ? a.meta : a.cpu; };
  using V = std::vector<at::Tensor>;
  using F = std::vector<tensor_desc>;
  switch (which) {
    case 0: {
      name = "sum.dim_IntList";
      const bool none = chance(0.2);
      const ints d = random_dims(rank);
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) {
        return V{none ? at::sum(T(m), c10::nullopt, keep, aopt(dt)) : at::sum(T(m), at::IntArrayRef(d), keep, aopt(dt))};
      });
      got = run_fake([&] {
        return F{none ? fake::sum(a.f, fake::opt_dims(std::nullopt), keep, dt) : fake::sum(a.f, fake::opt_dims(std::span(d)), keep, dt)};
      });
      break;
    }
    case 1: {
      name = "mean.dim";
      const ints d = random_dims(rank);
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) { return V{at::mean(T(m), at::IntArrayRef(d), keep, aopt(dt))}; });
      got = run_fake([&] { return F{fake::mean(a.f, fake::opt_dims(std::span(d)), keep, dt)}; });
      break;
    }
    case 2: {
      name = "prod.dim_int";
      const std::int64_t d = *random_dim(rank);
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) { return V{at::prod(T(m), d, keep, aopt(dt))}; });
      got = run_fake([&] { return F{fake::prod(a.f, d, keep, dt)}; });
      break;
    }
    case 3:
    case 4: {
      const bool mx = which == 3;
      name = mx ? "amax" : "amin";
      const ints d = random_dims(rank);
      want = run_aten([&](bool m) { return V{mx ? at::amax(T(m), d, keep) : at::amin(T(m), d, keep)}; });
      got = run_fake([&] { return F{mx ? fake::amax(a.f, std::span(d), keep) : fake::amin(a.f, std::span(d), keep)}; });
      break;
    }
    case 5: {
      name = "max/min";
      const bool mx = chance(0.5);
      want = run_aten([&](bool m) { return V{mx ? at::max(T(m)) : at::min(T(m))}; });
      got = run_fake([&] { return F{mx ? fake::max(a.f) : fake::min(a.f)}; });
      break;
    }
    case 6: {
      name = "max.dim/min.dim";
      const bool mx = chance(0.5);
      const std::int64_t d = *random_dim(rank);
      want = run_aten([&](bool m) {
        auto r = mx ? at::max(T(m), d, keep) : at::min(T(m), d, keep);
        return V{std::get<0>(r), std::get<1>(r)};
      });
      got = run_fake([&] {
        auto r = mx ? fake::max(a.f, d, keep) : fake::min(a.f, d, keep);
        return F{r.first, r.second};
      });
      break;
    }
    case 7: {
      name = "argmax/argmin";
      const bool mx = chance(0.5);
      const auto d = chance(0.3) ? std::nullopt : random_dim(rank);
      want = run_aten([&](bool m) { return V{mx ? at::argmax(T(m), aopt(d), keep) : at::argmin(T(m), aopt(d), keep)}; });
      got = run_fake([&] { return F{mx ? fake::argmax(a.f, d, keep) : fake::argmin(a.f, d, keep)}; });
      break;
    }
    case 8:
    case 9: {
      const bool is_var = which == 8;
      name = is_var ? "var.correction" : "std.correction";
      const bool none = chance(0.2);
      const ints d = random_dims(rank);
      const c10::optional<std::int64_t> corr = chance(0.5) ? c10::optional<std::int64_t>(uniform(0, 2)) : c10::nullopt;
      want = run_aten([&](bool m) {
        const at::OptionalIntArrayRef od = none ? at::OptionalIntArrayRef(c10::nullopt) : at::OptionalIntArrayRef(d);
        return V{is_var ? at::var(T(m), od, corr, keep) : at::std(T(m), od, corr, keep)};
      });
      got = run_fake([&] {
        const fake::opt_dims od = none ? fake::opt_dims(std::nullopt) : fake::opt_dims(std::span(d));
        return F{is_var ? fake::var(a.f, od, keep) : fake::std(a.f, od, keep)};
      });
      break;
    }
    case 10: {
      const bool is_var = chance(0.5);
      name = is_var ? "var_mean.correction" : "std_mean.correction";
      const ints d = random_dims(rank);
      want = run_aten([&](bool m) {
        auto r = is_var ? at::var_mean(T(m), at::OptionalIntArrayRef(d), c10::optional<std::int64_t>(1), keep)
                        : at::std_mean(T(m), at::OptionalIntArrayRef(d), c10::optional<std::int64_t>(1), keep);
        return V{std::get<0>(r), std::get<1>(r)};
      });
      got = run_fake([&] {
        auto r = is_var ? fake::var_mean(a.f, std::span(d), keep) : fake::std_mean(a.f, std::span(d), keep);
        return F{r.first, r.second};
      });
      break;
    }
    case 11: {
      name = "linalg_vector_norm";
      const bool none = chance(0.3);
      const ints d = random_dims(rank);
      const int ord_kind = static_cast<int>(uniform(0, 4));
      const double ord = std::array<double, 5>{2.0, 1.0, 0.0, -1.0, INFINITY}[static_cast<std::size_t>(ord_kind)];
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) {
        const at::OptionalIntArrayRef od = none ? at::OptionalIntArrayRef(c10::nullopt) : at::OptionalIntArrayRef(d);
        return V{at::linalg_vector_norm(T(m), at::Scalar(ord), od, keep, aopt(dt))};
      });
      got = run_fake([&] {
        const fake::opt_dims od = none ? fake::opt_dims(std::nullopt) : fake::opt_dims(std::span(d));
        return F{fake::linalg_vector_norm(a.f, ord, od, keep, dt)};
      });
      break;
    }
    case 12: {
      const bool all = chance(0.5);
      const bool full = chance(0.3);
      name = all ? "all" : "any";
      const std::int64_t d = *random_dim(rank);
      want = run_aten([&](bool m) {
        if (full) return V{all ? at::all(T(m)) : at::any(T(m))};
        return V{all ? at::all(T(m), d, keep) : at::any(T(m), d, keep)};
      });
      got = run_fake([&] {
        const std::optional<std::int64_t> od = full ? std::nullopt : std::optional<std::int64_t>(d);
        return F{all ? fake::all(a.f, od, keep) : fake::any(a.f, od, keep)};
      });
      break;
    }
    case 13: {
      name = "logsumexp";
      const ints d = random_dims(rank);
      want = run_aten([&](bool m) { return V{at::logsumexp(T(m), d, keep)}; });
      got = run_fake([&] { return F{fake::logsumexp(a.f, std::span(d), keep)}; });
      break;
    }
    case 14:
    case 15: {
      const bool cs = which == 14;
      name = cs ? "cumsum" : "cumprod";
      const std::int64_t d = *random_dim(rank);
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) { return V{cs ? at::cumsum(T(m), d, aopt(dt)) : at::cumprod(T(m), d, aopt(dt))}; });
      got = run_fake([&] { return F{cs ? fake::cumsum(a.f, d, dt) : fake::cumprod(a.f, d, dt)}; });
      break;
    }
    case 16: {
      name = "topk";
      const std::int64_t d = *random_dim(rank);
      const std::int64_t k = uniform(-1, 5);
      want = run_aten([&](bool m) {
        auto r = at::topk(T(m), k, d);
        return V{std::get<0>(r), std::get<1>(r)};
      });
      got = run_fake([&] {
        auto r = fake::topk(a.f, k, d);
        return F{r.first, r.second};
      });
      break;
    }
    case 17: {
      name = "sort";
      const std::int64_t d = *random_dim(rank);
      want = run_aten([&](bool m) {
        auto r = at::sort(T(m), d, chance(0.5));
        return V{std::get<0>(r), std::get<1>(r)};
      });
      got = run_fake([&] {
        auto r = fake::sort(a.f, d);
        return F{r.first, r.second};
      });
      break;
    }
    case 18: {
      name = "argsort";
      const std::int64_t d = *random_dim(rank);
      want = run_aten([&](bool m) { return V{at::argsort(T(m), d)}; });
      got = run_fake([&] { return F{fake::argsort(a.f, d)}; });
      break;
    }
    case 19: {
      name = "sum.IntList_out";
      const ints d = random_dims(rank);
      const auto dt = random_opt_dtype();
      const twin o = make_twin(random_sizes(uniform(0, 2)), chance(0.5) ? x.f.dtype() : random_dtype());
      want = run_aten([&](bool m) {
        at::Tensor out = m ? o.meta : o.cpu;
        at::sum_out(out, T(m), at::IntArrayRef(d), keep, aopt(dt));
        return V{out};
      });
      got = run_fake([&] { return F{fake::sum_out(a.f, std::span(d), keep, dt, o.f)}; });
      break;
    }
    case 20: {
      name = "amax.out";
      const ints d = random_dims(rank);
      const twin o = make_twin(random_sizes(uniform(0, 2)), chance(0.7) ? x.f.dtype() : random_dtype());
      want = run_aten([&](bool m) {
        at::Tensor out = m ? o.meta : o.cpu;
        at::amax_out(out, T(m), d, keep);
        return V{out};
      });
      got = run_fake([&] { return F{fake::amax_out(a.f, std::span(d), keep, o.f)}; });
      break;
    }
    case 21: {
      name = "cumsum_";
      const std::int64_t d = *random_dim(rank);
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) {
        at::Tensor self = at::zeros(a.cpu.sizes(), at::TensorOptions().dtype(a.cpu.scalar_type()).device(m ? at::kMeta : at::kCPU));
        return V{self.cumsum_(d, aopt(dt))};
      });
      got = run_fake([&] {
        const tensor_desc self = fake::empty(a.f.sizes(), a.f.dtype());
        return F{fake::cumsum_(self, d, dt)};
      });
      break;
    }
    default: {
      name = "mean";
      const auto dt = random_opt_dtype();
      want = run_aten([&](bool m) { return V{at::mean(T(m), aopt(dt))}; });
      got = run_fake([&] { return F{fake::mean(a.f, dt)}; });
      break;
    }
  }
  ++s.cases;
  ++s.per_op[name];
  if (want.no_oracle) ++s.no_oracle;
  if (want.error && got.error) ++s.errors_agreed;
  const std::string diff = compare(want, got);
  if (!diff.empty() && s.mismatches.size() < 20)
    s.mismatches.push_back("case " + std::to_string(case_no) + " " + name + " keepdim=" + (keep ? "1" : "0") + " input " +
                           describe(x) + ": " + diff);
}

}  // namespace

TEST_CASE("reduction ops agree with ATen 1.13 on random inputs", "[reduction][libtorch]") {
  const std::uint32_t seed = base_seed("FAKETENSOR_REDUCTION_SEED", 20261201, "reduction_vs_libtorch");
  gen().seed(seed);
  stats s;
  for (std::uint32_t i = 0; i < 3000; ++i) run_one(s, i);
  std::cout << "reduction_vs_libtorch: " << s.cases << " cases (" << s.errors_agreed << " raised on both sides, " << s.no_oracle
            << " without a CPU or meta kernel to compare with); per op:";
  for (const auto& [op, n] : s.per_op) std::cout << " " << op << "=" << n;
  std::cout << "\n";
  for (const std::string& m : s.mismatches) std::cout << "  MISMATCH " << m << "\n";
  CHECK(s.mismatches.empty());
  CHECK(s.cases - s.no_oracle >= 500);
}
