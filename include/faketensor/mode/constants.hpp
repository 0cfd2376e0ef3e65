// faketensor/mode/constants.hpp — constant propagation in fake::mode
// (FakeTensorMode.dispatch's constant branch, PyTorch 1.13).
//
// Note [constant propagation]
// Constant tensors keep their values (Note [constant tensors],
// meta/constant.hpp). When every tensor argument of an op is a constant, the
// op is not tagged nondeterministic_seeded or inplace_view, and no argument
// is symbolic, PyTorch runs the op on the real constants and keeps the
// results as constants when each has at most CONSTANT_NUMEL_LIMIT elements;
// otherwise it drops the constants of everything the results alias. Here:
// * the op's kernels give the results' metadata, as for any call;
// * their values come from a rule of this file: pointwise arithmetic,
//   comparisons and logical ops with broadcasting and type promotion, where,
//   clamp, copies and casts (clone, _to_copy, copy_, fill_, zero_), the
//   reductions sum/mean/prod/amax/amin/max/min/all/any, and in-place and out=
//   variants of these. A view needs no rule: it reads its base's values;
//   item() / _local_scalar_dense of a constant is its value.
// * An op with no rule leaves fresh results without values, and forgets the
//   values its results alias (a view past the limit, a write).
// * An op that writes an argument and is not folded forgets that argument's
//   values (invalidate_written_to_constants).
// Values are computed in the op's computation dtype (PyTorch's result_type)
// in double or int64 arithmetic and then stored as the result dtype stores
// them. Two differences from running the real kernel: float32 / float16
// reductions of several elements accumulate in double (the real kernels
// accumulate in float with their own order), and transcendental functions are
// the C library's double ones rounded to the dtype. An integer division or
// remainder by zero, or an integer to a negative power — errors in ATen — are
// not folded: the results stay without values.
#pragma once

#include <cmath>       // std::exp, std::log, ...
#include <cstdint>     // std::int64_t, std::uint64_t
#include <functional>  // std::function
#include <optional>    // std::optional
#include <span>        // std::span
#include <string_view> // std::string_view
#include <vector>      // std::vector

#include "faketensor/core/result_type.hpp"   // fake::result_type_state
#include "faketensor/core/scalar_value.hpp"  // fake::scalar_value
#include "faketensor/dispatch/operator.hpp"  // fake::op_overload
#include "faketensor/meta/constant.hpp"      // fake::constant_values, fake::set_constant_values
#include "faketensor/ops/ivalue.hpp"         // fake::ivalue, fake::stack

namespace fake::detail {

// One operand of a rule: a tensor's values with its sizes, or a number.
struct const_operand {
  dim_vector sizes;
  std::vector<scalar_value> values;
  dtype type = dtype::float64;
  operand_kind kind = operand_kind::tensor;
};

// A scalar_value held as the calculation kind wants it.
struct calc_value {
  bool fp;
  double f;
  std::int64_t i;
};

inline std::optional<const_operand> operand_of(const ivalue& v) {
  if (v.is_tensor()) {
    const tensor_desc& t = v.to_tensor();
    auto values = constant_values(t);
    if (!values) return std::nullopt;
    const operand_kind kind = t.is_wrapped_number() ? operand_kind::wrapped_scalar
                              : t.dim() == 0        ? operand_kind::zero_dim
                                                    : operand_kind::tensor;
    return const_operand{t.sizes(), std::move(*values), t.dtype(), kind};
  }
  if (v.is_bool()) return const_operand{{}, {scalar_value::of(v.to_bool())}, dtype::bool_, operand_kind::wrapped_scalar};
  if (v.is_int()) return const_operand{{}, {scalar_value::of(v.to_int())}, dtype::int64, operand_kind::wrapped_scalar};
  if (v.is_double()) return const_operand{{}, {scalar_value::of(v.to_double())}, dtype::float64, operand_kind::wrapped_scalar};
  return std::nullopt;
}

// The values of an elementwise op over `ops` broadcast to `out_sizes`, each
// operand first cast to `compute`: f gets one calc_value per operand.
template <class F>
std::optional<std::vector<scalar_value>> elementwise(const dim_vector& out_sizes, std::span<const const_operand> ops,
                                                     dtype compute, F f) {
  const std::size_t rank = out_sizes.size();
  std::int64_t n = 1;
  for (std::int64_t s : out_sizes) n *= s;
  // per operand: the row-major stride of each output dim (0 where broadcast)
  std::vector<std::vector<std::int64_t>> strides(ops.size(), std::vector<std::int64_t>(rank, 0));
  for (std::size_t j = 0; j < ops.size(); ++j) {
    const dim_vector& s = ops[j].sizes;
    if (s.size() > rank) return std::nullopt;  // not broadcastable to the result (the kernel would have refused)
    std::int64_t stride = 1;
    for (std::size_t k = s.size(); k-- > 0;) {
      const std::size_t d = rank - (s.size() - k);
      strides[j][d] = s[k] == 1 ? 0 : stride;
      stride *= s[k];
    }
  }
  const bool fp = is_floating_point(compute);
  std::vector<scalar_value> out;
  out.reserve(static_cast<std::size_t>(n));
  std::vector<std::int64_t> idx(rank, 0);
  std::vector<calc_value> args(ops.size());
  for (std::int64_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < ops.size(); ++j) {
      std::int64_t at = 0;
      for (std::size_t d = 0; d < rank; ++d) at += idx[d] * strides[j][d];
      const scalar_value v = cast_to(compute, ops[j].values[static_cast<std::size_t>(at)]);
      args[j] = calc_value{fp, v.to_double(), v.to_int()};
    }
    const std::optional<scalar_value> r = f(std::span<const calc_value>(args));
    if (!r) return std::nullopt;
    out.push_back(*r);
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < out_sizes[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

// Integer arithmetic that wraps (two's complement) instead of overflowing.
inline std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}
inline std::int64_t wrap_mul(std::int64_t a, std::int64_t b) {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(b));
}

inline scalar_value num(bool fp, double f, std::int64_t i) { return fp ? scalar_value::of(f) : scalar_value::of(i); }

// c10's div_floor for floating types.
inline double div_floor(double a, double b) {
  if (b == 0) return a / b;
  const double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
  if (div == 0) return std::copysign(0.0, a / b);
  double floordiv = std::floor(div);
  if (div - floordiv > 0.5) floordiv += 1.0;
  return floordiv;
}

using scalar_fn = std::function<std::optional<scalar_value>(std::span<const calc_value>)>;

// The rule of a binary op's base name (in-place and overload suffixes
// removed), with `alpha` for add/sub and a rounding mode for div.
inline std::optional<scalar_fn> binary_rule(std::string_view name, scalar_value alpha, std::string_view rounding) {
  using R = std::optional<scalar_value>;
  using A = std::span<const calc_value>;
  if (name == "add" || name == "sub") {
    const bool neg = name == "sub";
    return [alpha, neg](A a) -> R {
      if (a[0].fp) return scalar_value::of(a[0].f + (neg ? -1 : 1) * alpha.to_double() * a[1].f);
      const std::int64_t b = wrap_mul(alpha.to_int(), a[1].i);
      return scalar_value::of(wrap_add(a[0].i, neg ? static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(b)) : b));
    };
  }
  if (name == "mul") return [](A a) -> R { return num(a[0].fp, a[0].f * a[1].f, wrap_mul(a[0].i, a[1].i)); };
  if (name == "div" || name == "true_divide" || name == "floor_divide") {
    if (name == "floor_divide") rounding = "floor";
    if (rounding.empty()) return [](A a) -> R { return scalar_value::of(a[0].f / a[1].f); };
    const bool floor = rounding == "floor";
    return [floor](A a) -> R {
      if (a[0].fp) return scalar_value::of(floor ? div_floor(a[0].f, a[1].f) : std::trunc(a[0].f / a[1].f));
      if (a[1].i == 0) return std::nullopt;                                        // ZeroDivisionError in ATen
      if (a[1].i == -1) return scalar_value::of(wrap_mul(a[0].i, -1));             // INT64_MIN / -1 wraps
      std::int64_t q = a[0].i / a[1].i;
      if (floor && a[0].i % a[1].i != 0 && ((a[0].i < 0) != (a[1].i < 0))) --q;
      return scalar_value::of(q);
    };
  }
  if (name == "remainder" || name == "fmod") {
    const bool python = name == "remainder";
    return [python](A a) -> R {
      if (a[0].fp) {
        double m = std::fmod(a[0].f, a[1].f);
        if (python && m != 0 && ((a[1].f < 0) != (m < 0))) m += a[1].f;
        return scalar_value::of(m);
      }
      if (a[1].i == 0) return std::nullopt;
      if (a[1].i == -1) return scalar_value::of(std::int64_t{0});
      std::int64_t m = a[0].i % a[1].i;
      if (python && m != 0 && ((a[1].i < 0) != (m < 0))) m += a[1].i;
      return scalar_value::of(m);
    };
  }
  if (name == "maximum" || name == "minimum" || name == "max" || name == "min") {
    const bool hi = name == "maximum" || name == "max";
    return [hi](A a) -> R {
      if (a[0].fp) {
        if (std::isnan(a[0].f) || std::isnan(a[1].f)) return scalar_value::of(std::nan(""));
        return scalar_value::of(hi ? std::max(a[0].f, a[1].f) : std::min(a[0].f, a[1].f));
      }
      return scalar_value::of(hi ? std::max(a[0].i, a[1].i) : std::min(a[0].i, a[1].i));
    };
  }
  if (name == "pow")
    return [](A a) -> R {
      if (a[0].fp) return scalar_value::of(std::pow(a[0].f, a[1].f));
      if (a[1].i < 0) return std::nullopt;  // "Integers to negative integer powers are not allowed."
      std::int64_t result = 1;
      std::int64_t base = a[0].i;
      for (std::int64_t e = a[1].i; e > 0; e >>= 1) {
        if (e & 1) result = wrap_mul(result, base);
        base = wrap_mul(base, base);
      }
      return scalar_value::of(result);
    };
  if (name == "atan2") return [](A a) -> R { return scalar_value::of(std::atan2(a[0].f, a[1].f)); };
  const auto compare = [](auto cmp) -> scalar_fn {
    return [cmp](A a) -> R { return scalar_value::of(a[0].fp ? cmp(a[0].f, a[1].f) : cmp(a[0].i, a[1].i)); };
  };
  if (name == "eq") return compare([](auto x, auto y) { return x == y; });
  if (name == "ne") return compare([](auto x, auto y) { return x != y; });
  if (name == "lt") return compare([](auto x, auto y) { return x < y; });
  if (name == "le") return compare([](auto x, auto y) { return x <= y; });
  if (name == "gt") return compare([](auto x, auto y) { return x > y; });
  if (name == "ge") return compare([](auto x, auto y) { return x >= y; });
  const auto truth = [](const calc_value& v) { return v.fp ? v.f != 0 : v.i != 0; };
  if (name == "logical_and") return [truth](A a) -> R { return scalar_value::of(truth(a[0]) && truth(a[1])); };
  if (name == "logical_or") return [truth](A a) -> R { return scalar_value::of(truth(a[0]) || truth(a[1])); };
  if (name == "logical_xor") return [truth](A a) -> R { return scalar_value::of(truth(a[0]) != truth(a[1])); };
  if (name == "bitwise_and") return [](A a) -> R { return scalar_value::of(a[0].i & a[1].i); };
  if (name == "bitwise_or") return [](A a) -> R { return scalar_value::of(a[0].i | a[1].i); };
  if (name == "bitwise_xor") return [](A a) -> R { return scalar_value::of(a[0].i ^ a[1].i); };
  return std::nullopt;
}

// The rule of a unary op; `input` is the input's dtype (bitwise_not of bool
// is logical not, isnan of an integer is false).
inline std::optional<scalar_fn> unary_rule(std::string_view name, dtype input) {
  using R = std::optional<scalar_value>;
  using A = std::span<const calc_value>;
  const auto fp_only = [](double (*f)(double)) -> scalar_fn { return [f](A a) -> R { return scalar_value::of(f(a[0].f)); }; };
  if (name == "neg") return [](A a) -> R { return num(a[0].fp, -a[0].f, wrap_mul(a[0].i, -1)); };
  if (name == "abs") return [](A a) -> R { return num(a[0].fp, std::fabs(a[0].f), a[0].i < 0 ? wrap_mul(a[0].i, -1) : a[0].i); };
  if (name == "relu")
    return [](A a) -> R { return num(a[0].fp, std::isnan(a[0].f) || a[0].f > 0 ? a[0].f : 0.0, a[0].i > 0 ? a[0].i : 0); };
  if (name == "sign")
    return [](A a) -> R {
      return num(a[0].fp, static_cast<double>((0 < a[0].f) - (a[0].f < 0)), (0 < a[0].i) - (a[0].i < 0));
    };
  if (name == "logical_not") return [](A a) -> R { return scalar_value::of(a[0].fp ? a[0].f == 0 : a[0].i == 0); };
  if (name == "bitwise_not") {
    if (input == dtype::bool_) return [](A a) -> R { return scalar_value::of(a[0].i == 0); };
    return [](A a) -> R { return scalar_value::of(~a[0].i); };
  }
  if (name == "isnan") return [](A a) -> R { return scalar_value::of(a[0].fp && std::isnan(a[0].f)); };
  // rounding is the identity on integers
  if (name == "floor" || name == "ceil" || name == "round" || name == "trunc") {
    double (*f)(double) = name == "floor" ? static_cast<double (*)(double)>(std::floor)
                          : name == "ceil" ? static_cast<double (*)(double)>(std::ceil)
                          : name == "round" ? static_cast<double (*)(double)>(std::nearbyint)
                                            : static_cast<double (*)(double)>(std::trunc);
    return [f](A a) -> R { return num(a[0].fp, a[0].fp ? f(a[0].f) : 0.0, a[0].i); };
  }
  using F = double (*)(double);
  struct entry {
    std::string_view name;
    F f;
  };
  static const entry table[] = {
      {"exp", static_cast<F>(std::exp)},     {"exp2", static_cast<F>(std::exp2)},   {"expm1", static_cast<F>(std::expm1)},
      {"log", static_cast<F>(std::log)},     {"log2", static_cast<F>(std::log2)},   {"log10", static_cast<F>(std::log10)},
      {"log1p", static_cast<F>(std::log1p)}, {"sqrt", static_cast<F>(std::sqrt)},   {"sin", static_cast<F>(std::sin)},
      {"cos", static_cast<F>(std::cos)},     {"tan", static_cast<F>(std::tan)},     {"asin", static_cast<F>(std::asin)},
      {"acos", static_cast<F>(std::acos)},   {"atan", static_cast<F>(std::atan)},   {"sinh", static_cast<F>(std::sinh)},
      {"cosh", static_cast<F>(std::cosh)},   {"tanh", static_cast<F>(std::tanh)},   {"erf", static_cast<F>(std::erf)},
      {"erfc", static_cast<F>(std::erfc)},   {"rsqrt", [](double x) { return 1 / std::sqrt(x); }},
      {"reciprocal", [](double x) { return 1 / x; }},
      {"sigmoid", [](double x) { return 1 / (1 + std::exp(-x)); }},
  };
  for (const entry& e : table)
    if (e.name == name) return fp_only(e.f);
  return std::nullopt;
}

// The row-major values of a reduction of `in` over `dims` (all dims when
// empty) with `combine`, starting from `init`; mean divides at the end.
inline std::vector<scalar_value> reduce(const const_operand& in, std::vector<bool> reduced, dtype compute, std::string_view kind) {
  const std::size_t rank = in.sizes.size();
  const bool fp = is_floating_point(compute);
  // output position of each input element: the row-major index over the kept dims
  std::int64_t out_n = 1;
  for (std::size_t d = 0; d < rank; ++d)
    if (!reduced[d]) out_n *= in.sizes[d];
  std::vector<calc_value> acc(static_cast<std::size_t>(out_n));
  std::vector<std::int64_t> count(static_cast<std::size_t>(out_n), 0);
  std::vector<std::int64_t> idx(rank, 0);
  for (std::size_t k = 0; k < in.values.size(); ++k) {
    std::int64_t at = 0;
    for (std::size_t d = 0; d < rank; ++d)
      if (!reduced[d]) at = at * in.sizes[d] + idx[d];
    const scalar_value v = cast_to(compute, in.values[k]);
    calc_value& a = acc[static_cast<std::size_t>(at)];
    const calc_value x{fp, v.to_double(), v.to_int()};
    if (count[static_cast<std::size_t>(at)]++ == 0) {
      a = x;
    } else if (kind == "sum" || kind == "mean") {
      a.f += x.f;
      a.i = wrap_add(a.i, x.i);
    } else if (kind == "prod") {
      a.f *= x.f;
      a.i = wrap_mul(a.i, x.i);
    } else if (kind == "all" || kind == "any") {
      const bool t = x.fp ? x.f != 0 : x.i != 0;
      const bool s = a.fp ? a.f != 0 : a.i != 0;
      const bool r = kind == "all" ? s && t : s || t;
      a = calc_value{false, r ? 1.0 : 0.0, r ? 1 : 0};
    } else {  // amax / amin / max / min: NaN wins
      const bool hi = kind == "amax" || kind == "max";
      if (fp) {
        if (std::isnan(a.f) || std::isnan(x.f)) a.f = std::nan("");
        else a.f = hi ? std::max(a.f, x.f) : std::min(a.f, x.f);
      } else {
        a.i = hi ? std::max(a.i, x.i) : std::min(a.i, x.i);
      }
    }
    for (std::size_t d = rank; d-- > 0;) {
      if (++idx[d] < in.sizes[d]) break;
      idx[d] = 0;
    }
  }
  std::vector<scalar_value> out;
  out.reserve(acc.size());
  for (std::size_t k = 0; k < acc.size(); ++k) {
    const calc_value& a = acc[k];
    if (count[k] == 0) {  // an empty reduction: sum 0, prod 1, all true, any false, mean NaN
      const double e = kind == "prod" || kind == "all" ? 1.0 : kind == "mean" ? std::nan("") : 0.0;
      out.push_back(num(fp, e, static_cast<std::int64_t>(e == 1.0)));
    } else if (kind == "all" || kind == "any") {
      out.push_back(scalar_value::of(a.i != 0));
    } else if (kind == "mean") {
      out.push_back(scalar_value::of(a.f / static_cast<double>(count[k])));
    } else {
      out.push_back(num(fp, a.f, a.i));
    }
  }
  return out;
}

// Per output tensor, the values of `op` on constant `args` (normalized), or
// nothing when no rule covers the op (Note [constant propagation]).
// `operands` are operand_of(args[i]), taken before the op ran (an in-place op
// has written its inputs since).
inline std::optional<std::vector<std::vector<scalar_value>>> rule_values(const op_overload& op, const stack& args,
                                                                         const std::vector<std::optional<const_operand>>& operands,
                                                                         const std::vector<const tensor_desc*>& outs) {
  if (outs.size() != 1) return std::nullopt;
  const tensor_desc& out = *outs[0];
  std::string_view name = op.base_name();
  if (name.ends_with('_') && !name.starts_with('_')) name.remove_suffix(1);  // add_ -> add; _to_copy stays
  const auto& params = op.schema().arguments();
  const auto arg = [&](std::string_view n) -> const ivalue* {
    for (std::size_t i = 0; i < params.size() && i < args.size(); ++i)
      if (params[i].name == n) return &args[i];
    return nullptr;
  };
  const auto operand = [&](std::string_view n) -> std::optional<const_operand> {
    const ivalue* v = arg(n);
    return v == nullptr ? std::nullopt : operands[static_cast<std::size_t>(v - args.data())];
  };
  const auto one = [](std::optional<std::vector<scalar_value>> v) -> std::optional<std::vector<std::vector<scalar_value>>> {
    if (!v) return std::nullopt;
    return std::vector<std::vector<scalar_value>>{std::move(*v)};
  };
  const auto common = [](std::span<const const_operand> ops) {
    result_type_state state(dtype::float32);
    for (const const_operand& o : ops) state.update(fake::operand{o.type, o.kind});
    return *state.result();
  };
  const auto identity = [](std::span<const calc_value> a) -> std::optional<scalar_value> {
    return num(a[0].fp, a[0].f, a[0].i);
  };
  const auto has_values = [](dtype d) { return has_scalar_values(d); };

  // copies and casts: the value of the source as the result stores it
  if (name == "clone" || name == "_to_copy" || name == "lift_fresh_copy" || name == "copy" || name == "fill") {
    auto src = operand(name == "copy" ? "src" : name == "fill" ? "value" : "self");
    if (!src || !has_values(src->type)) return std::nullopt;
    const const_operand ops[] = {std::move(*src)};
    return one(elementwise(out.sizes(), ops, ops[0].type, identity));
  }
  if (name == "zero") return std::vector<std::vector<scalar_value>>{
      std::vector<scalar_value>(static_cast<std::size_t>(out.numel()), scalar_value::of(std::int64_t{0}))};
  if (name == "where") {
    auto c = operand("condition"), a = operand("self"), b = operand("other");
    if (!c || !a || !b) return std::nullopt;
    const const_operand ab[] = {*a, *b};
    const dtype compute = common(ab);
    if (!has_values(compute)) return std::nullopt;
    const const_operand ops[] = {std::move(*c), std::move(*a), std::move(*b)};  // a bool cast to any dtype keeps its truth
    return one(elementwise(out.sizes(), ops, compute, [](std::span<const calc_value> v) -> std::optional<scalar_value> {
      const calc_value& pick = (v[0].fp ? v[0].f != 0 : v[0].i != 0) ? v[1] : v[2];
      return num(pick.fp, pick.f, pick.i);
    }));
  }
  if (name == "clamp" || name == "clamp_min" || name == "clamp_max") {
    std::vector<const_operand> ops;
    auto x = operand("self");
    if (!x) return std::nullopt;
    ops.push_back(std::move(*x));
    const ivalue* lo = arg("min");
    const ivalue* hi = arg("max");
    const bool has_lo = lo != nullptr && !lo->is_none(), has_hi = hi != nullptr && !hi->is_none();
    for (std::string_view b : {has_lo ? "min" : "", has_hi ? "max" : ""}) {
      if (b.empty()) continue;
      auto o = operand(b);
      if (!o) return std::nullopt;
      ops.push_back(std::move(*o));
    }
    dtype compute = common(ops);
    if (is_floating_point(out.dtype()) && !is_floating_point(compute)) compute = out.dtype();
    if (!has_values(compute)) return std::nullopt;
    return one(elementwise(out.sizes(), ops, compute, [has_lo, has_hi](std::span<const calc_value> v) -> std::optional<scalar_value> {
      calc_value r = v[0];
      std::size_t k = 1;
      const auto bound = [&](bool upper) {
        const calc_value& b = v[k++];
        if (r.fp) {
          if (std::isnan(r.f)) return;
          r.f = std::isnan(b.f) ? b.f : upper ? std::min(r.f, b.f) : std::max(r.f, b.f);
        } else {
          r.i = upper ? std::min(r.i, b.i) : std::max(r.i, b.i);
        }
      };
      if (has_lo) bound(false);
      if (has_hi) bound(true);
      return num(r.fp, r.f, r.i);
    }));
  }
  // reductions
  const bool is_reduction = name == "sum" || name == "mean" || name == "prod" || name == "amax" || name == "amin" ||
                            name == "all" || name == "any" || ((name == "max" || name == "min") && args.size() == 1);
  if (is_reduction) {
    auto in = operand("self");
    if (!in || !has_values(in->type) || !has_values(out.dtype())) return std::nullopt;
    const std::size_t rank = in->sizes.size();
    std::vector<bool> reduced(rank, true);
    if (const ivalue* d = arg("dim"); d != nullptr && !d->is_none() && rank > 0) {  // a 0-dim input has nothing to pick
      const dim_vector dims = d->to_int_list();
      if (!dims.empty()) {
        reduced.assign(rank, false);
        for (std::int64_t k : dims) reduced[static_cast<std::size_t>(wrap_dim<"constant">(k, static_cast<std::int64_t>(rank)))] = true;
      }
    }
    const bool in_out_dtype = name == "sum" || name == "mean" || name == "prod";
    const dtype compute = in_out_dtype ? out.dtype() : in->type;
    return std::vector<std::vector<scalar_value>>{reduce(*in, std::move(reduced), compute, name)};
  }
  // pointwise: binary (self, other or exponent), then unary (self)
  std::string_view rounding;
  if (const ivalue* r = arg("rounding_mode"); r != nullptr && !r->is_none()) rounding = r->to_string_ref();
  scalar_value alpha = scalar_value::of(std::int64_t{1});
  if (const ivalue* a = arg("alpha"); a != nullptr && !a->is_none()) {
    auto o = operand_of(*a);
    if (!o) return std::nullopt;
    alpha = o->values[0];
  }
  if (auto rule = binary_rule(name, alpha, rounding)) {
    auto a = operand("self");
    auto b = operand(arg("other") != nullptr ? "other" : "exponent");
    if (!a || !b) return std::nullopt;
    const const_operand ops[] = {std::move(*a), std::move(*b)};
    dtype compute = common(ops);
    if (is_floating_point(out.dtype()) && !is_floating_point(compute)) compute = out.dtype();
    if (!has_values(compute)) return std::nullopt;
    return one(elementwise(out.sizes(), ops, compute, *rule));
  }
  auto x = operand("self");
  if (!x || !has_values(x->type)) return std::nullopt;
  if (auto rule = unary_rule(name, x->type)) {
    const dtype compute = is_floating_point(x->type) || !is_floating_point(out.dtype()) ? x->type : out.dtype();
    const const_operand ops[] = {std::move(*x)};
    return one(elementwise(out.sizes(), ops, compute, *rule));
  }
  return std::nullopt;
}

// Whether any tensor argument holds values (the cheap test on every call).
inline bool any_constant_tensor(const stack& s) {
  for (const ivalue& v : s) {
    bool found = false;
    v.for_each_tensor([&](const tensor_desc& t) { found = found || t.storage().constant() != nullptr; });
    if (found) return true;
  }
  return false;
}

// Whether every tensor argument is a constant, there is one at least, and none is symbolic.
inline bool all_constant_tensors(const stack& s) {
  std::size_t tensors = 0;
  bool all = true;
  for (const ivalue& v : s) {
    if (v.is_symbolic()) return false;
    v.for_each_tensor([&](const tensor_desc& t) {
      ++tensors;
      all = all && is_constant(t);
    });
  }
  return all && tensors > 0;
}

// invalidate_written_to_constants: the arguments the op writes forget their values.
inline void forget_written_constants(const op_overload& op, const stack& args) {
  const auto& params = op.schema().arguments();
  for (std::size_t i = 0; i < params.size() && i < args.size(); ++i)
    if (op.schema().is_write(params[i])) args[i].for_each_tensor([](const tensor_desc& t) { t.storage().forget_constant(); });
}

// item() / _local_scalar_dense of a constant: its value, boxed as the Scalar it returns.
inline std::optional<ivalue> constant_scalar_result(const op_overload& op, const stack& args) {
  const std::string& n = op.qualified_name();
  if ((n != "aten::_local_scalar_dense" && n != "aten::item") || args.empty() || !args[0].is_tensor()) return std::nullopt;
  const std::optional<scalar_value> v = constant_item(args[0].to_tensor());
  if (!v) return std::nullopt;
  switch (v->type()) {
    case scalar_value::kind::boolean: return ivalue(v->to_bool());
    case scalar_value::kind::integer: return ivalue(v->to_int());
    case scalar_value::kind::floating: break;
  }
  return ivalue(v->to_double());
}

// The operands of a call on constants, taken before it runs.
inline std::vector<std::optional<const_operand>> constant_operands(const stack& args) {
  std::vector<std::optional<const_operand>> out;
  out.reserve(args.size());
  for (const ivalue& a : args) out.push_back(operand_of(a));
  return out;
}

// After `op` ran on all-constant `args` (normalized; `operands` taken before
// the call) and left `results`: the results become constants when a rule
// gives their values and each has at most `limit` elements; otherwise every
// result forgets the values it aliases, and the written arguments theirs.
inline void fold_constants(const op_overload& op, const stack& args, const std::vector<std::optional<const_operand>>& operands,
                           const stack& results, std::int64_t limit) {
  std::vector<const tensor_desc*> outs;
  for (const ivalue& v : results) v.for_each_tensor([&](const tensor_desc& t) { outs.push_back(&t); });
  bool small = true;
  for (const tensor_desc* t : outs) small = small && t->numel() <= limit;
  const auto give_up = [&] {
    for (const tensor_desc* t : outs) t->storage().forget_constant();
    forget_written_constants(op, args);
  };
  if (!small) return give_up();
  // a view (of an op that writes nothing) reads its base's values
  const bool writes = op.schema().is_mutable();
  bool all_views = !outs.empty() && !writes;
  for (const tensor_desc* t : outs) {
    bool aliases = false;
    for (const ivalue& a : args) a.for_each_tensor([&](const tensor_desc& in) { aliases = aliases || in.storage() == t->storage(); });
    all_views = all_views && aliases;
  }
  if (all_views) return;
  auto values = rule_values(op, args, operands, outs);
  if (!values) return give_up();
  for (std::size_t k = 0; k < outs.size(); ++k)
    if (!set_constant_values(*outs[k], (*values)[k])) return give_up();
}

}  // namespace fake::detail
