// Shared by reduction_vs_libtorch_test.cpp and linalg_vs_libtorch_test.cpp:
// random strided twins (an ATen tensor and a fake::tensor_desc of the same
// geometry) and the oracle rule.
//
// Oracle: the op runs on small zero-filled CPU tensors (what real PyTorch 1.13
// does). When the CPU kernel is missing for the dtype ("... not implemented
// for 'Half'"), which is a gap of one backend's kernels, not a metadata rule,
// the same call on meta tensors decides. Include <ATen/ATen.h> before this.
#pragma once

#include <algorithm>
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

namespace rl_oracle {

using ints = std::vector<std::int64_t>;

inline std::mt19937& gen() {
  static std::mt19937 g;
  return g;
}
inline std::uint32_t base_seed(const char* env_name, std::uint32_t fallback, const char* label) {
  const char* env = std::getenv(env_name);
  const std::uint32_t v = env ? static_cast<std::uint32_t>(std::strtoul(env, nullptr, 10)) : fallback;
  std::cout << label << ": seed " << v << " (" << env_name << ")\n";
  c10::SetStackTraceFetcher([] { return std::string(); });  // expected errors need no backtrace
  return v;
}
inline std::int64_t uniform(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(gen()); }
inline bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(gen()) < p; }
template <class T>
T pick(std::initializer_list<T> values) {
  return *(values.begin() + uniform(0, static_cast<std::int64_t>(values.size()) - 1));
}

inline std::string fmt(at::IntArrayRef v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// Random strides for `sizes`: contiguous, permuted (channels-last among them),
// expanded (stride 0) or gapped (a step-2 slice), and a storage offset.
struct layout {
  ints sizes, strides;
  std::int64_t offset = 0;
};
inline layout random_layout(const ints& sizes) {
  layout l{sizes, ints(sizes.size(), 0), 0};
  std::vector<std::size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const int mode = static_cast<int>(uniform(0, 4));
  if (mode == 1) std::shuffle(order.begin(), order.end(), gen());
  if (mode == 2 && sizes.size() == 4) order = {0, 2, 3, 1};  // channels_last
  std::int64_t running = 1;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    l.strides[*it] = running;
    running *= std::max<std::int64_t>(sizes[*it], 1) * (mode == 4 ? 2 : 1);
  }
  if (mode == 3)
    for (std::size_t i = 0; i < sizes.size(); ++i)
      if (chance(0.4)) l.strides[i] = 0;  // expanded
  if (chance(0.3)) l.offset = uniform(1, 5);
  return l;
}
inline std::int64_t storage_elements(const layout& l) {
  std::int64_t n = l.offset + 1;
  for (std::size_t i = 0; i < l.sizes.size(); ++i) {
    if (l.sizes[i] == 0) return l.offset + 1;
    n += (l.sizes[i] - 1) * l.strides[i];
  }
  return n;
}

// An ATen CPU tensor, its meta twin and its fake twin.
struct twin {
  at::Tensor cpu, meta;
  fake::tensor_desc f;
};
inline twin make_twin(const ints& sizes, fake::dtype dt) {
  const layout l = random_layout(sizes);
  const std::int64_t n = storage_elements(l);
  const auto st = static_cast<c10::ScalarType>(static_cast<int>(dt));
  twin t;
  t.cpu = at::zeros({n}, at::TensorOptions().dtype(st)).as_strided(l.sizes, l.strides, l.offset);
  t.meta = at::empty({n}, at::TensorOptions().dtype(st).device(at::kMeta)).as_strided(l.sizes, l.strides, l.offset);
  t.f = fake::tensor_desc(fake::dim_vector(l.sizes.begin(), l.sizes.end()), fake::dim_vector(l.strides.begin(), l.strides.end()),
                          l.offset, dt, fake::storage(n * fake::itemsize(dt), fake::device{}));
  return t;
}
inline std::string describe(const twin& t) {
  return "sizes=" + fmt(t.cpu.sizes()) + " strides=" + fmt(t.cpu.strides()) + " offset=" + std::to_string(t.cpu.storage_offset()) +
         " dtype=" + std::string(c10::toString(t.cpu.scalar_type()));
}

inline ints random_sizes(std::int64_t rank, std::int64_t max_size = 4) {
  ints s;
  for (std::int64_t i = 0; i < rank; ++i) s.push_back(chance(0.08) ? 0 : uniform(1, max_size));
  return s;
}
inline fake::dtype random_dtype() {
  using fake::dtype;
  return pick<dtype>({dtype::float32, dtype::float32, dtype::float64, dtype::float16, dtype::bfloat16, dtype::int64, dtype::int32,
                      dtype::int8, dtype::uint8, dtype::bool_, dtype::complex64});
}

// What PyTorch did: the outputs, or an error (`error` holds its message).
struct outcome {
  std::vector<at::Tensor> outs;
  std::optional<std::string> error;
  bool no_oracle = false;  // no CPU kernel for the dtype and no meta kernel either
  bool from_meta = false;  // no CPU kernel for the dtype: the meta kernels decided
};
inline outcome run_aten(const std::function<std::vector<at::Tensor>(bool meta)>& f) {
  outcome o;
  try {
    o.outs = f(false);
    return o;
  } catch (const c10::Error& e) {
    const std::string msg = e.what_without_backtrace();
    if (msg.find("not implemented for") == std::string::npos) {
      o.error = msg;
      return o;
    }
  }
  o.from_meta = true;
  try {
    o.outs = f(true);
  } catch (const c10::Error& e) {
    o.error = e.what_without_backtrace();
    if (o.error->find("with arguments from the 'Meta' backend") != std::string::npos) o.no_oracle = true;
  }
  return o;
}

struct fake_outcome {
  std::vector<fake::tensor_desc> outs;
  std::optional<std::string> error;
};
inline fake_outcome run_fake(const std::function<std::vector<fake::tensor_desc>()>& f) {
  fake_outcome o;
  try {
    o.outs = f();
  } catch (const fake::error& e) {
    o.error = e.what();
  }
  return o;
}

// Compares; returns an empty string when they agree, else what differs.
inline std::string compare(const outcome& want, const fake_outcome& got) {
  if (want.no_oracle) return {};
  if (want.error || got.error) {
    if (want.error && got.error) return {};
    return want.error ? "ATen raised '" + *want.error + "' but fake returned" : "fake raised '" + *got.error + "' but ATen returned";
  }
  if (want.outs.size() != got.outs.size()) return "output count differs";
  for (std::size_t i = 0; i < want.outs.size(); ++i) {
    const at::Tensor& a = want.outs[i];
    const fake::tensor_desc& f = got.outs[i];
    const ints fs(f.sizes().begin(), f.sizes().end()), fst(f.strides().begin(), f.strides().end());
    const bool same = ints(a.sizes().begin(), a.sizes().end()) == fs && ints(a.strides().begin(), a.strides().end()) == fst &&
                      a.storage_offset() == f.storage_offset() && static_cast<int>(a.scalar_type()) == static_cast<int>(f.dtype());
    if (!same)
      return "output " + std::to_string(i) + ": ATen sizes=" + fmt(a.sizes()) + " strides=" + fmt(a.strides()) +
             " offset=" + std::to_string(a.storage_offset()) + " dtype=" + c10::toString(a.scalar_type()) + " vs fake sizes=" +
             fmt(at::IntArrayRef(fs)) + " strides=" + fmt(at::IntArrayRef(fst)) + " offset=" + std::to_string(f.storage_offset()) +
             " dtype=" + std::string(fake::c10_name(f.dtype()));
  }
  return {};
}

inline c10::ScalarType st(fake::dtype d) { return static_cast<c10::ScalarType>(static_cast<int>(d)); }

}  // namespace rl_oracle
