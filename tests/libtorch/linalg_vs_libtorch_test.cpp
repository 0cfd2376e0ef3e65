// Live differential test of the matrix products (ops/linalg.hpp) against ATen
// 1.13: random operands of every rank combination matmul accepts (and some
// it does not), with random strides (contiguous, permuted, transposed,
// expanded, gapped, offsets), mostly matching inner/batch sizes and sometimes
// not, mostly equal dtypes and sometimes not, through mm, bmm, addmm,
// baddbmm, addbmm, dot, mv, matmul, linear, outer and mm.out / addmm_. Sizes,
// strides, offset and dtype must agree, and both must raise or neither.
// Oracle rule: tests/libtorch/reduction_linalg_oracle.hpp; one deliberate
// difference is skipped (Note [matmul dtypes]: CPU does not compare dtypes of
// a product with nothing to compute; we always do). Without a CPU kernel for
// the dtype (Half), linear, mm.out and addmm_ have no oracle: 1.13's meta
// kernels skip the in-place add_'s shape/dtype checks inside linear and the
// kernels' internal-overlap check of out=, which real kernels make.
// The seed is fixed and printed; FAKETENSOR_LINALG_SEED overrides it.
#include <ATen/ATen.h>
#include <c10/util/Logging.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "faketensor/ops/linalg.hpp"
#include "reduction_linalg_oracle.hpp"

using namespace rl_oracle;
using fake::dtype;
using fake::tensor_desc;

namespace {

std::int64_t dim_size() { return chance(0.06) ? 0 : uniform(1, 4); }
// `n` most of the time, sometimes another size (a mismatch).
std::int64_t maybe_off(std::int64_t n) { return chance(0.12) ? n + uniform(1, 2) : n; }
dtype main_dtype() { return pick<dtype>({dtype::float32, dtype::float32, dtype::float64, dtype::float16, dtype::int64, dtype::bfloat16}); }
dtype maybe_other(dtype d) { return chance(0.1) ? pick<dtype>({dtype::float32, dtype::float64, dtype::int64}) : d; }

struct stats {
  int cases = 0, errors_agreed = 0, no_oracle = 0, skipped = 0;
  std::map<std::string, int> per_op;
  std::vector<std::string> mismatches;
};

// The shape of a matmul operand of rank r whose last matrix dims are (rows, cols).
ints operand(std::int64_t rank, const ints& batch, std::int64_t rows, std::int64_t cols) {
  if (rank == 1) return {cols};
  ints s(batch.end() - std::min<std::int64_t>(static_cast<std::int64_t>(batch.size()), rank - 2), batch.end());
  s.push_back(rows);
  s.push_back(cols);
  return s;
}

void run_one(stats& s, std::uint32_t case_no) {
  const int which = static_cast<int>(uniform(0, 11));
  const dtype d = main_dtype();
  const std::int64_t n = dim_size(), k = dim_size(), m = dim_size(), b = dim_size();
  std::string name;
  std::vector<twin> in;
  outcome want;
  fake_outcome got;
  using V = std::vector<at::Tensor>;
  using F = std::vector<tensor_desc>;
  auto A = [&](std::size_t i, bool meta) { return meta ? in[i].meta : in[i].cpu; };
  bool mixed_dtypes = false;
  switch (which) {
    case 0:
      name = "mm";
      in = {make_twin(chance(0.05) ? ints{n, k, 2} : ints{n, k}, d), make_twin({maybe_off(k), m}, maybe_other(d))};
      want = run_aten([&](bool mt) { return V{at::mm(A(0, mt), A(1, mt))}; });
      got = run_fake([&] { return F{fake::mm(in[0].f, in[1].f)}; });
      break;
    case 1:
      name = "bmm";
      in = {make_twin({b, n, k}, d), make_twin({maybe_off(b), maybe_off(k), m}, maybe_other(d))};
      want = run_aten([&](bool mt) { return V{at::bmm(A(0, mt), A(1, mt))}; });
      got = run_fake([&] { return F{fake::bmm(in[0].f, in[1].f)}; });
      break;
    case 2: {
      name = "addmm";
      const ints self = pick<ints>({{n, m}, {m}, {1, m}, {n, 1}, {}, {maybe_off(m)}, {maybe_off(n), m}});
      in = {make_twin(self, maybe_other(d)), make_twin({n, k}, maybe_other(d)), make_twin({maybe_off(k), m}, d)};
      want = run_aten([&](bool mt) { return V{at::addmm(A(0, mt), A(1, mt), A(2, mt), 2, 0.5)}; });
      got = run_fake([&] { return F{fake::addmm(in[0].f, in[1].f, in[2].f)}; });
      break;
    }
    case 3: {
      name = "baddbmm";
      const ints self = pick<ints>({{b, n, m}, {m}, {1, n, m}, {n, 1}, {}, {maybe_off(m)}, {1, b, n, m}});
      in = {make_twin(self, maybe_other(d)), make_twin({b, n, k}, d), make_twin({maybe_off(b), maybe_off(k), m}, maybe_other(d))};
      want = run_aten([&](bool mt) { return V{at::baddbmm(A(0, mt), A(1, mt), A(2, mt))}; });
      got = run_fake([&] { return F{fake::baddbmm(in[0].f, in[1].f, in[2].f)}; });
      break;
    }
    case 4: {
      name = "addbmm";
      const ints self = pick<ints>({{n, m}, {m}, {1, m}, {}, {maybe_off(m)}, {maybe_off(n), m}});
      in = {make_twin(self, maybe_other(d)), make_twin({b, n, k}, maybe_other(d)), make_twin({maybe_off(b), maybe_off(k), m}, d)};
      want = run_aten([&](bool mt) { return V{at::addbmm(A(0, mt), A(1, mt), A(2, mt))}; });
      got = run_fake([&] { return F{fake::addbmm(in[0].f, in[1].f, in[2].f)}; });
      break;
    }
    case 5:
      name = "dot";
      in = {make_twin(chance(0.05) ? ints{k, 1} : ints{k}, d), make_twin({maybe_off(k)}, maybe_other(d))};
      want = run_aten([&](bool mt) { return V{at::dot(A(0, mt), A(1, mt))}; });
      got = run_fake([&] { return F{fake::dot(in[0].f, in[1].f)}; });
      break;
    case 6:
      name = "mv";
      in = {make_twin(chance(0.05) ? ints{k} : ints{n, k}, d), make_twin({maybe_off(k)}, maybe_other(d))};
      want = run_aten([&](bool mt) { return V{at::mv(A(0, mt), A(1, mt))}; });
      got = run_fake([&] { return F{fake::mv(in[0].f, in[1].f)}; });
      break;
    case 7:
      name = "outer";
      in = {make_twin(chance(0.05) ? ints{n, 1} : ints{n}, d), make_twin({m}, pick<dtype>({d, d, dtype::int32, dtype::bool_}))};
      want = run_aten([&](bool mt) { return V{at::outer(A(0, mt), A(1, mt))}; });
      got = run_fake([&] { return F{fake::outer(in[0].f, in[1].f)}; });
      break;
    case 8:
    case 9: {
      name = "matmul";
      const std::int64_t r1 = uniform(chance(0.03) ? 0 : 1, 4), r2 = uniform(1, 4);
      ints batch;
      for (int i = 0; i < 2; ++i) batch.push_back(dim_size());
      ints batch2 = batch;
      for (auto& x : batch2)
        if (chance(0.25)) x = chance(0.8) ? 1 : x + 1;  // broadcast (or mismatch)
      ints batch1 = batch;
      if (chance(0.25)) batch1[static_cast<std::size_t>(uniform(0, 1))] = 1;
      in = {make_twin(r1 == 0 ? ints{} : operand(r1, batch1, n, k), d),
            make_twin(r2 == 1 ? ints{maybe_off(k)} : operand(r2, batch2, maybe_off(k), m), maybe_other(d))};
      // A 3-D operand with its last two dims transposed (1.13's should_fold refuses to fold it).
      if (r1 == 3 && chance(0.3)) {
        const ints sz = operand(3, batch1, n, k);
        const at::Tensor base = at::zeros({sz[0], sz[2], sz[1]}, at::TensorOptions().dtype(st(d))).transpose(1, 2);
        in[0].cpu = base;
        in[0].meta = at::empty({sz[0], sz[2], sz[1]}, at::TensorOptions().dtype(st(d)).device(at::kMeta)).transpose(1, 2);
        in[0].f = fake::empty_strided(fake::dim_vector(sz.begin(), sz.end()),
                                      fake::dim_vector(base.strides().begin(), base.strides().end()), d);
      }
      want = run_aten([&](bool mt) { return V{at::matmul(A(0, mt), A(1, mt))}; });
      got = run_fake([&] { return F{fake::matmul(in[0].f, in[1].f)}; });
      break;
    }
    case 10: {
      name = "linear";
      const std::int64_t r = uniform(chance(0.03) ? 0 : 1, 4);
      ints batch{dim_size(), dim_size()};
      const ints input = r == 0 ? ints{} : operand(r, batch, n, k);
      const bool w1 = chance(0.08);
      const int bias_kind = static_cast<int>(uniform(0, 4));  // 0: none
      in = {make_twin(input, d), make_twin(w1 ? ints{maybe_off(k)} : ints{m, maybe_off(k)}, maybe_other(d))};
      if (bias_kind == 1) in.push_back(make_twin({m}, maybe_other(d)));
      if (bias_kind == 2) in.push_back(make_twin({}, d));
      if (bias_kind == 3) in.push_back(make_twin({maybe_off(m)}, d));
      if (bias_kind == 4) in.push_back(make_twin(chance(0.5) ? ints{n, m} : ints{2, n, m}, d));
      want = run_aten([&](bool mt) {
        return V{at::linear(A(0, mt), A(1, mt), in.size() > 2 ? c10::optional<at::Tensor>(A(2, mt)) : c10::nullopt)};
      });
      got = run_fake([&] {
        return F{fake::linear(in[0].f, in[1].f, in.size() > 2 ? std::optional<tensor_desc>(in[2].f) : std::nullopt)};
      });
      break;
    }
    default: {
      const bool inplace = chance(0.5);
      name = inplace ? "addmm_" : "mm.out";
      in = {make_twin({n, k}, d), make_twin({maybe_off(k), m}, d),
            make_twin(pick<ints>({{n, m}, {m, n}, {n * m}, {}, {n, m}}), maybe_other(d))};
      if (inplace) {
        want = run_aten([&](bool mt) {
          at::Tensor self = at::zeros(A(2, mt).sizes(), A(2, mt).options());
          return V{self.addmm_(A(0, mt), A(1, mt))};
        });
        got = run_fake([&] {
          const tensor_desc self = fake::empty(in[2].f.sizes(), in[2].f.dtype());
          return F{fake::addmm_(self, in[0].f, in[1].f)};
        });
      } else {
        want = run_aten([&](bool mt) {
          at::Tensor out = A(2, mt);
          at::mm_out(out, A(0, mt), A(1, mt));
          return V{out};
        });
        got = run_fake([&] { return F{fake::mm_out(in[0].f, in[1].f, in[2].f)}; });
      }
      break;
    }
  }
  for (const twin& t : in)
    if (t.f.dtype() != in[0].f.dtype()) mixed_dtypes = true;
  ++s.cases;
  ++s.per_op[name];
  if (want.from_meta && (name == "linear" || name == "mm.out" || name == "addmm_")) want.no_oracle = true;
  if (want.no_oracle) ++s.no_oracle;
  // Note [matmul dtypes]: CPU skips the dtype comparison when nothing is computed.
  if (mixed_dtypes && !want.error && got.error) {
    ++s.skipped;
    return;
  }
  if (want.error && got.error) ++s.errors_agreed;
  const std::string diff = compare(want, got);
  if (!diff.empty() && s.mismatches.size() < 20) {
    std::string ins;
    for (const twin& t : in) ins += " [" + describe(t) + "]";
    s.mismatches.push_back("case " + std::to_string(case_no) + " " + name + ins + ": " + diff);
  }
}

}  // namespace

TEST_CASE("linalg ops agree with ATen 1.13 on random operands", "[linalg][libtorch]") {
  const std::uint32_t seed = base_seed("FAKETENSOR_LINALG_SEED", 20261202, "linalg_vs_libtorch");
  gen().seed(seed);
  stats s;
  for (std::uint32_t i = 0; i < 3000; ++i) run_one(s, i);
  std::cout << "linalg_vs_libtorch: " << s.cases << " cases (" << s.errors_agreed << " raised on both sides, " << s.no_oracle
            << " without a CPU or meta kernel, " << s.skipped << " skipped: mixed dtypes with nothing to compute); per op:";
  for (const auto& [op, n] : s.per_op) std::cout << " " << op << "=" << n;
  std::cout << "\n";
  for (const std::string& m : s.mismatches) std::cout << "  MISMATCH " << m << "\n";
  CHECK(s.mismatches.empty());
  CHECK(s.cases - s.no_oracle - s.skipped >= 500);
}
