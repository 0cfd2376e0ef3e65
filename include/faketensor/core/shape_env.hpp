// faketensor/core/shape_env.hpp — the shape environment: symbols, the algebra
// of symbolic expressions, value ranges, guards and deferred runtime asserts.
//
//   fake::shape_env env;
//   fake::sym_int b = env.create_symbol(8, "x.size(0)");   // s0, hint 8, range [2, inf]
//   fake::sym_int n = env.create_symbol(1024, "x.size(1)"); // s1
//   fake::sym_int m = b * n;                                // s0*s1 (sym.hpp's operators)
//   if (n >= 512) { ... }             // decided from the hint; records the guard s1 >= 512
//   env.check_guards({4, 600})        // true: the guards hold for s0 = 4, s1 = 600
//
// It plays the part of PyTorch's ShapeEnv (torch/fx/experimental/symbolic_shapes.py)
// with its own expression algebra in place of sympy (Note [sym expression
// canonical form], sym_node.hpp).
//
// Note [dynamic dims and their symbols]
// PyTorch's defaults for a dynamic input dim, which create_symbol follows:
//   * sizes 0 and 1 are specialized: they get no symbol (they decide
//     broadcasting and emptiness, so a graph is not valid across them);
//   * every other size gets a symbol whose range is [2, inf];
//   * duck shaping: input dims with the same hint share one symbol, so that
//     `x + y` on two inputs of equal size records no guard.
// Unbacked symbols (u0, ...) stand for data-dependent quantities (a nonzero
// count, an integer item()); they have no hint and range over [0, inf] unless
// told otherwise. A decision that depends on one and that its range does not
// settle is a data_dependent_error; fake::expect on one defers a runtime
// assertion instead (PyTorch's torch._check), which narrows the range.
//
// Note [guards]
// Code branches on a condition through `explicit operator bool` of sym_bool:
//   1. a constant decides itself;
//   2. a relation this environment already knows (guarded or asserted earlier,
//      or its negation) gives the known answer, with no new guard;
//   3. value ranges that settle it give the answer, with no guard;
//   4. otherwise the hints decide it: the relation that holds at the hints is
//      recorded as a guard and, when it bounds a single symbol linearly, the
//      symbol's range is narrowed.
// A graph traced under these guards is valid for any sizes that satisfy them
// (and the symbols' declared ranges): check_guards tells, without allocating.
#pragma once

#include <algorithm>      // std::sort, std::min, std::max
#include <cstddef>        // std::size_t
#include <cstdint>        // std::int64_t, std::uint64_t, std::uintptr_t
#include <deque>          // std::deque
#include <initializer_list>  // std::initializer_list
#include <limits>         // std::numeric_limits
#include <optional>       // std::optional
#include <span>           // std::span
#include <string>         // std::string, std::to_string
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::move
#include <vector>         // std::vector

#include "faketensor/core/dim.hpp"       // fake::detail::mul_overflows, fake::detail::add_overflows
#include "faketensor/core/guard_probe.hpp"  // fake::guard_needed
#include "faketensor/core/error.hpp"     // fake::sym_expression_error, fake::data_dependent_error
#include "faketensor/core/sym_node.hpp"  // fake::sym_node, fake::sym_int, fake::sym_bool

namespace fake {
namespace detail {

// Python's // and % on int64 (b != 0; the caller checks).
constexpr std::int64_t py_floordiv(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t py_mod(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

// Arithmetic on range ends: ±sym_infinity absorb, finite overflow saturates
// (a bound past int64 is as good as unbounded).
constexpr bool is_infinite(std::int64_t v) noexcept { return v == sym_infinity || v == -sym_infinity; }
constexpr std::int64_t end_mul(std::int64_t a, std::int64_t b) noexcept {
  if (a == 0 || b == 0) return 0;
  const std::int64_t sign_inf = ((a < 0) != (b < 0)) ? -sym_infinity : sym_infinity;
  if (is_infinite(a) || is_infinite(b)) return sign_inf;
  std::int64_t r = 0;
  if (mul_overflows(a, b, &r) || is_infinite(r) || r == -sym_infinity - 1) return sign_inf;
  return r;
}
// `toward` is -1 when computing a lower end and +1 for an upper end: ∞ - ∞
// then rounds outwards, which keeps the range sound.
constexpr std::int64_t end_add(std::int64_t a, std::int64_t b, int toward) noexcept {
  const bool ia = is_infinite(a), ib = is_infinite(b);
  if (ia && ib && a != b) return toward < 0 ? -sym_infinity : sym_infinity;
  if (ia) return a;
  if (ib) return b;
  std::int64_t r = 0;
  if (add_overflows(a, b, &r) || r == -sym_infinity - 1) return a < 0 ? -sym_infinity : sym_infinity;
  return r;
}
constexpr sym_range range_mul(sym_range x, sym_range y) noexcept {
  const std::int64_t p[4] = {end_mul(x.lo, y.lo), end_mul(x.lo, y.hi), end_mul(x.hi, y.lo), end_mul(x.hi, y.hi)};
  return {std::min({p[0], p[1], p[2], p[3]}), std::max({p[0], p[1], p[2], p[3]})};
}
constexpr sym_range range_add(sym_range x, sym_range y) noexcept {
  return {end_add(x.lo, y.lo, -1), end_add(x.hi, y.hi, +1)};
}
// a // d for one end of a and a positive end d of the divisor.
constexpr std::int64_t end_floordiv(std::int64_t a, std::int64_t d) noexcept {
  if (is_infinite(a)) return a;
  if (d == sym_infinity) return a >= 0 ? 0 : -1;
  return py_floordiv(a, d);
}

inline bool sub_overflows(std::int64_t a, std::int64_t b, std::int64_t* out) noexcept {
  if (b == std::numeric_limits<std::int64_t>::min()) {
    if (a >= 0) return true;
    *out = a - b;
    return false;
  }
  return add_overflows(a, -b, out);
}

// Overflow-checked coefficient arithmetic of expressions.
[[noreturn, gnu::cold]] inline void coefficient_overflow(std::string_view what, std::int64_t a, const char* op, std::int64_t b) {
  throw sym_expression_error(std::string(what) + ": integer overflow in a symbolic coefficient (" + std::to_string(a) + op +
                             std::to_string(b) + ")");
}
inline std::int64_t coeff_mul(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t r = 0;
  if (detail::mul_overflows(a, b, &r)) coefficient_overflow(what, a, " * ", b);
  return r;
}
inline std::int64_t coeff_add(std::int64_t a, std::int64_t b, std::string_view what) {
  std::int64_t r = 0;
  if (detail::add_overflows(a, b, &r)) coefficient_overflow(what, a, " + ", b);
  return r;
}

constexpr std::int64_t gcd64(std::int64_t a, std::int64_t b) noexcept {
  // magnitudes as unsigned so that INT64_MIN is fine
  std::uint64_t x = a < 0 ? 0 - static_cast<std::uint64_t>(a) : static_cast<std::uint64_t>(a);
  std::uint64_t y = b < 0 ? 0 - static_cast<std::uint64_t>(b) : static_cast<std::uint64_t>(b);
  while (y != 0) {
    const std::uint64_t t = x % y;
    x = y;
    y = t;
  }
  return static_cast<std::int64_t>(x);
}

// Monomials order by (atom id, exponent), lexicographically.
inline bool monomial_less(const std::vector<sym_factor>& a, const std::vector<sym_factor>& b) noexcept {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i].atom->id != b[i].atom->id) return a[i].atom->id < b[i].atom->id;
    if (a[i].exponent != b[i].exponent) return a[i].exponent < b[i].exponent;
  }
  return a.size() < b.size();
}

// A sum being built: the working form of every algebraic operation.
struct sym_poly {
  std::int64_t constant = 0;
  std::vector<sym_term> terms;  // canonical: sorted, distinct monomials, no zero coefficient
};

struct key_hash {
  std::size_t operator()(const std::vector<std::int64_t>& key) const noexcept {
    std::uint64_t h = 1469598103934665603ULL;
    for (const std::int64_t v : key) h = (h ^ static_cast<std::uint64_t>(v)) * 1099511628211ULL;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

}  // namespace detail

class shape_env {
 public:
  struct options {
    bool specialize_zero_one = true;  // Note [dynamic dims and their symbols]
    bool duck_shape = true;
    std::uint32_t max_expression_size = 1024;  // nodes per expression; beyond is a sym_expression_error
  };

  // A symbol as the environment knows it.
  struct symbol_info {
    const sym_node* node = nullptr;
    std::string source;  // where it came from ("x.size(0)"), for printing
    sym_range declared;  // its range when created; check_guards checks new values against it
    bool duck = false;   // made by create_symbol(hint): shared by later dims of the same hint
  };

  // A condition that cannot be decided while tracing, to be checked on real data.
  struct runtime_assert {
    sym_bool condition;
    std::string message;
  };

  shape_env() : shape_env(options{}) {}
  explicit shape_env(options opts) : options_(opts), serial_(next_serial()) {}
  // A number no other environment of this process has had: what a cache key
  // holds instead of the address (which a later environment may reuse).
  [[nodiscard]] std::uint64_t serial() const noexcept { return serial_; }
  // Nodes point at their environment: it neither copies nor moves.
  shape_env(const shape_env&) = delete;
  shape_env& operator=(const shape_env&) = delete;

  [[nodiscard]] const options& config() const noexcept { return options_; }

  // ------------------------------------------------------------- symbols

  // A dynamic input size: a constant for 0 and 1, else a backed symbol with the
  // hint, ranging over [2, inf]; equal hints share a symbol when duck shaping.
  sym_int create_symbol(std::int64_t hint, std::string source = {}) {
    if (hint < 0) throw shape_error("create_symbol: a size must be non-negative, got " + std::to_string(hint));
    const sym_int s = [&] {
      if (options_.specialize_zero_one && (hint == 0 || hint == 1)) return sym_int(hint);
      if (options_.duck_shape)
        for (const symbol_info& info : backed_)
          if (info.duck && info.node->hint == hint) return sym_int(info.node);
      const sym_int fresh = new_symbol(true, hint, {options_.specialize_zero_one ? 2 : 0, sym_infinity}, source);
      backed_.back().duck = true;
      return fresh;
    }();
    inputs_.push_back({std::move(source), s});
    return s;
  }

  // A backed symbol with an explicit range (no specialization, no duck shaping).
  sym_int create_symbol(std::int64_t hint, sym_range range, std::string source = {}) {
    if (!range.contains(hint))
      throw shape_error("create_symbol: hint " + std::to_string(hint) + " is outside the range [" + range_string(range) + "]");
    const sym_int s = new_symbol(true, hint, range, source);
    inputs_.push_back({std::move(source), s});
    return s;
  }

  // Every input size given to create_symbol, in order, and what it became: a
  // constant (0/1 specialized), a new symbol, or one shared with an earlier
  // size of the same hint (duck shaping).
  struct input_size {
    std::string source;
    sym_int value;
  };
  [[nodiscard]] const std::vector<input_size>& input_sizes() const noexcept { return inputs_; }

  // A data-dependent quantity: no hint; a size-like one ranges over [0, inf].
  // It has an example value instead, the value of its range nearest
  // unbacked_example (PyTorch's unbacked_symint_fallback, 8192): a fake
  // tensor's concrete geometry is computed at the hints and these examples,
  // but nothing is decided from an example (a branch on the symbol that its
  // range does not settle is a data_dependent_error).
  static constexpr std::int64_t unbacked_example = 8192;
  sym_int create_unbacked_symbol(std::string source = {}, sym_range range = {0, sym_infinity}) {
    return new_symbol(false, std::clamp(unbacked_example, range.lo, range.hi), range, std::move(source));
  }

  // Note [unbacked memos]
  // A data-dependent quantity of a tensor (its nonzero count, its item(), its
  // number of unique values) is one unbacked symbol for as long as the tensor's
  // data cannot have changed: the same (quantity, tensor id) gives the same
  // symbol while the tensor's version counter and this environment's epoch are
  // those it was made under (PyTorch's SymNumberMemoDescriptor on nonzero_memo,
  // item_memo, unique_memo). A write bumps the version, new_epoch() forgets them all.
  enum class memo_kind : std::uint8_t { nonzero, item, unique };
  sym_int memo_unbacked(memo_kind kind, std::uint64_t tensor_id, std::uint64_t version, std::string source, sym_range range) {
    memo_entry& m = memos_[{static_cast<std::uint64_t>(kind), tensor_id}];
    if (m.symbol.is_symbolic() && m.version == version && m.epoch == epoch_) return m.symbol;
    m = {create_unbacked_symbol(std::move(source), range), version, epoch_};
    return m.symbol;
  }
  void new_epoch() noexcept { ++epoch_; }
  [[nodiscard]] std::uint64_t epoch() const noexcept { return epoch_; }

  [[nodiscard]] const std::vector<symbol_info>& backed_symbols() const noexcept { return backed_; }
  [[nodiscard]] const std::vector<symbol_info>& unbacked_symbols() const noexcept { return unbacked_; }

  // ------------------------------------------------------------- algebra
  // The operations sym.hpp's operators call once at least one side is symbolic.
  // Each result is memoized on its operands (Note [sym operation cache]).

  sym_int add(sym_int a, sym_int b) { return cached(op_code::add, a, b, &shape_env::add_impl); }
  sym_int sub(sym_int a, sym_int b) { return cached(op_code::sub, a, b, &shape_env::sub_impl); }
  sym_int mul(sym_int a, sym_int b) { return cached(op_code::mul, a, b, &shape_env::mul_impl); }
  sym_int floordiv(sym_int a, sym_int b) { return cached(op_code::floordiv, a, b, &shape_env::floordiv_impl); }
  sym_int mod(sym_int a, sym_int b) { return cached(op_code::mod, a, b, &shape_env::mod_impl); }
  sym_int neg(sym_int a) { return sub(sym_int(0), a); }
  // ceil(a / b) = -((-a) // b), as PyTorch's CeilDiv.
  sym_int ceil_div(sym_int a, sym_int b) { return neg(floordiv(neg(a), b)); }
  sym_int min(sym_int a, sym_int b) { return cached(op_code::min, a, b, &shape_env::min_impl); }
  sym_int max(sym_int a, sym_int b) { return cached(op_code::max, a, b, &shape_env::max_impl); }

  // Relations; each normalizes to `e ⋈ 0` (Note [sym expression canonical form]).
  // One that ranges or known facts already decide is a constant.
  sym_bool eq(sym_int a, sym_int b) { return compare(op_code::eq, a, b); }
  sym_bool ne(sym_int a, sym_int b) { return compare(op_code::ne, a, b); }
  sym_bool ge(sym_int a, sym_int b) { return compare(op_code::ge, a, b); }
  sym_bool le(sym_int a, sym_int b) { return compare(op_code::ge, b, a); }
  sym_bool gt(sym_int a, sym_int b) { return compare(op_code::gt, a, b); }
  sym_bool lt(sym_int a, sym_int b) { return compare(op_code::gt, b, a); }
  sym_bool logical_not(sym_bool b) {
    if (b.is_constant()) return sym_bool(!b.constant());
    const sym_node* n = b.node();
    switch (n->op) {
      case sym_op::eq: return relation(sym_op::ne, n->lhs);
      case sym_op::ne: return relation(sym_op::eq, n->lhs);
      default: return relation(sym_op::ge, sub(neg(n->lhs), sym_int(1)));  // !(e >= 0) is -e - 1 >= 0
    }
  }

 private:
  sym_int add_impl(sym_int a, sym_int b) {
    detail::sym_poly p = to_poly(a);
    add_into(p, to_poly(b), 1);
    return from_poly(std::move(p));
  }
  sym_int sub_impl(sym_int a, sym_int b) {
    detail::sym_poly p = to_poly(a);
    add_into(p, to_poly(b), -1);
    return from_poly(std::move(p));
  }
  sym_int mul_impl(sym_int a, sym_int b) {
    if (a.is_constant() && a.constant() == 0) return sym_int(0);
    if (b.is_constant() && b.constant() == 0) return sym_int(0);
    return from_poly(mul_poly(to_poly(a), to_poly(b)));
  }

  // Python's a // b. Exact parts come out: (2*s0 + 1)//2 = s0, s0*s1//s1 = s0,
  // (a//k1)//k2 = a//(k1*k2); a remainder whose range lies in [0, k) vanishes.
  sym_int floordiv_impl(sym_int a, sym_int b) {
    if (b.is_constant()) {
      const std::int64_t k = b.constant();
      if (k == 0) throw sym_expression_error("floordiv: division by zero in " + to_string(a) + " // 0");
      if (a.is_constant()) return sym_int(detail::py_floordiv(a.constant(), k));
      if (k == 1) return a;
      if (k == -1) return neg(a);
      if (k > 0) {
        const sym_node* n = a.node();
        if (n->op == sym_op::floordiv && n->rhs.is_constant() && n->rhs.constant() > 0) {
          std::int64_t kk = 0;
          if (!detail::mul_overflows(n->rhs.constant(), k, &kk)) return floordiv(n->lhs, sym_int(kk));
        }
        auto [q, r] = split_divisible(to_poly(a), k, nullptr);
        const sym_int rest = from_poly(std::move(r));
        const sym_int quotient = from_poly(std::move(q));
        if (rest.is_constant()) return add(quotient, sym_int(detail::py_floordiv(rest.constant(), k)));
        const sym_range rr = range_of(rest);
        if (rr.lo >= 0 && rr.hi < k) return quotient;
        return add(quotient, make_binary(sym_op::floordiv, rest, b));
      }
      return make_binary(sym_op::floordiv, a, b);
    }
    if (a.same_as(b)) return sym_int(1);
    if (const auto divisor = single_term(b)) {
      auto [q, r] = split_divisible(to_poly(a), divisor->coeff, &divisor->monomial);
      if (!q.terms.empty() || q.constant != 0) {
        const sym_int rest = from_poly(std::move(r));
        const sym_int quotient = from_poly(std::move(q));
        if (rest.is_constant() && rest.constant() == 0) return quotient;
        return add(quotient, floordiv(rest, b));
      }
      if (const auto c = common_positive_factor(a, *divisor)) return floordiv(c->a, c->b);  // (c*x)//(c*y) = x//y
    }
    return make_binary(sym_op::floordiv, a, b);
  }

  // Python's a % b: parts divisible by b drop out; a remainder already in
  // [0, k) is its own residue.
  sym_int mod_impl(sym_int a, sym_int b) {
    if (b.is_constant()) {
      const std::int64_t k = b.constant();
      if (k == 0) throw sym_expression_error("mod: division by zero in " + to_string(a) + " % 0");
      if (a.is_constant()) return sym_int(detail::py_mod(a.constant(), k));
      if (k == 1 || k == -1) return sym_int(0);
      if (k > 0) {
        auto [q, r] = split_divisible(to_poly(a), k, nullptr);
        const sym_int rest = from_poly(std::move(r));
        if (rest.is_constant()) return sym_int(detail::py_mod(rest.constant(), k));
        const sym_range rr = range_of(rest);
        if (rr.lo >= 0 && rr.hi < k) return rest;
        return make_binary(sym_op::mod, rest, b);
      }
      return make_binary(sym_op::mod, a, b);
    }
    if (a.same_as(b)) return sym_int(0);
    if (const auto divisor = single_term(b)) {
      auto [q, r] = split_divisible(to_poly(a), divisor->coeff, &divisor->monomial);
      const sym_int rest = from_poly(std::move(r));
      if (rest.is_constant() && rest.constant() == 0) return sym_int(0);
      if (!q.terms.empty() || q.constant != 0) return mod(rest, b);
      if (const auto c = common_positive_factor(a, *divisor)) return mul(c->factor, mod(c->a, c->b));  // Mod(c*x, c*y) = c*Mod(x, y)
    }
    return make_binary(sym_op::mod, a, b);
  }

  // a = c·a' and b = c·b' for a factor c > 0 (an integer and atoms whose
  // ranges are positive) common to a's terms and the single term b.
  struct common_factor {
    sym_int factor, a, b;
  };
  std::optional<common_factor> common_positive_factor(sym_int a, const sym_term& b) {
    const detail::sym_poly p = to_poly(a);
    if (p.constant != 0 || p.terms.empty()) return std::nullopt;
    std::int64_t g = b.coeff;
    std::vector<sym_factor> m;
    for (const sym_factor& f : b.monomial)
      if (range_of(sym_int(f.atom)).lo > 0) m.push_back(f);
    for (const sym_term& t : p.terms) {
      g = detail::gcd64(g, t.coeff);
      std::vector<sym_factor> kept;
      for (const sym_factor& f : m)
        for (const sym_factor& h : t.monomial)
          if (h.atom == f.atom) kept.push_back({f.atom, std::min(f.exponent, h.exponent)});
      m = std::move(kept);
    }
    if (g <= 1 && m.empty()) return std::nullopt;
    if (g <= 0) g = 1;
    detail::sym_poly c;
    c.terms.push_back({g, m});
    const sym_term divisor{g, m};
    auto [qa, ra] = split_divisible(p, divisor.coeff, &divisor.monomial);
    auto [qb, rb] = split_divisible(to_poly(from_poly({0, {b}})), divisor.coeff, &divisor.monomial);
    return common_factor{from_poly(std::move(c)), from_poly(std::move(qa)), from_poly(std::move(qb))};
  }

  sym_int min_impl(sym_int a, sym_int b) { return min_max(sym_op::min, a, b); }
  sym_int max_impl(sym_int a, sym_int b) { return min_max(sym_op::max, a, b); }

  // Note [sym operation cache]
  // Kernels form the same expressions over and over (every op of a trace asks
  // for the same numel, the same size-1 tests). Each operation's result is
  // memoized on its operands, so forming an existing expression is one hash
  // lookup instead of a canonicalization and an interning. A comparison that
  // ranges or known facts decide is cached as its constant: ranges only ever
  // narrow and facts are never forgotten, so the answer cannot change.
  enum class op_code : std::uint8_t { add, sub, mul, floordiv, mod, min, max, eq, ne, ge, gt };
  struct op_key {
    const sym_node* a_node;
    const sym_node* b_node;
    std::int64_t a_value;
    std::int64_t b_value;
    op_code op;
    friend bool operator==(const op_key&, const op_key&) = default;
  };
  struct op_key_hash {
    std::size_t operator()(const op_key& k) const noexcept {
      std::uint64_t h = static_cast<std::uint64_t>(k.op) * 0x9E3779B97F4A7C15ULL;
      for (const std::uint64_t v : {reinterpret_cast<std::uintptr_t>(k.a_node), reinterpret_cast<std::uintptr_t>(k.b_node),
                                    static_cast<std::uint64_t>(k.a_value), static_cast<std::uint64_t>(k.b_value)})
        h = (h ^ v) * 0xBF58476D1CE4E5B9ULL, h ^= h >> 31;
      return static_cast<std::size_t>(h);
    }
  };
  static op_key key_of(op_code op, sym_int a, sym_int b) noexcept {
    return {a.node(), b.node(), a.is_constant() ? a.constant() : 0, b.is_constant() ? b.constant() : 0, op};
  }

  sym_int cached(op_code op, sym_int a, sym_int b, sym_int (shape_env::*compute)(sym_int, sym_int)) {
    const op_key key = key_of(op, a, b);
    if (const auto it = int_cache_.find(key); it != int_cache_.end()) return it->second;
    const sym_int r = (this->*compute)(a, b);
    int_cache_.emplace(key, r);
    return r;
  }

  sym_bool compare(op_code op, sym_int a, sym_int b) {
    const op_key key = key_of(op, a, b);
    if (const auto it = bool_cache_.find(key); it != bool_cache_.end()) {
      if (it->second.is_constant()) return it->second;
      if (const auto v = static_value(it->second)) return it->second = sym_bool(*v);
      return it->second;
    }
    sym_bool r;
    switch (op) {
      case op_code::eq: r = relation(sym_op::eq, sub(a, b)); break;
      case op_code::ne: r = relation(sym_op::ne, sub(a, b)); break;
      case op_code::ge: r = relation(sym_op::ge, sub(a, b)); break;
      default: r = relation(sym_op::ge, sub(sub(a, b), sym_int(1))); break;  // a > b is a - b - 1 >= 0
    }
    if (const auto v = static_value(r)) r = sym_bool(*v);
    bool_cache_.emplace(key, r);
    return r;
  }

 public:
  // ------------------------------------------------------------- ranges and values

  [[nodiscard]] sym_range range_of(sym_int e) const {
    if (e.is_constant()) return {e.constant(), e.constant()};
    const sym_node* n = e.node();
    switch (n->op) {
      case sym_op::symbol: return n->range;
      case sym_op::sum: return range_of_terms(n->terms, n->constant);
      case sym_op::floordiv: {
        const sym_range a = range_of(n->lhs), d = range_of(n->rhs);
        if (d.lo <= 0) return {};
        using detail::end_floordiv;
        return {std::min(end_floordiv(a.lo, d.lo), end_floordiv(a.lo, d.hi)),
                std::max(end_floordiv(a.hi, d.lo), end_floordiv(a.hi, d.hi))};
      }
      case sym_op::mod: {
        const sym_range a = range_of(n->lhs), d = range_of(n->rhs);
        if (d.lo <= 0) return {};
        sym_range r{0, d.hi == sym_infinity ? sym_infinity : d.hi - 1};
        if (a.lo >= 0) r.hi = std::min(r.hi, a.hi);
        return r;
      }
      case sym_op::min: {
        const sym_range a = range_of(n->lhs), b = range_of(n->rhs);
        return {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
      }
      case sym_op::max: {
        const sym_range a = range_of(n->lhs), b = range_of(n->rhs);
        return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
      }
      default: return {0, 1};  // a relation read as an integer
    }
  }

  // Interval arithmetic over the terms, tightened by factoring out a monomial
  // common to all of them: s0*s1 - s1 is s1*(s0 - 1), which is >= 2 when both
  // are >= 2, while term by term it could be anything. Both bounds are sound,
  // so the result is their intersection.
  [[nodiscard]] sym_range range_of_terms(const std::vector<sym_term>& terms, std::int64_t constant) const {
    sym_range total{constant, constant};
    for (const sym_term& t : terms) total = detail::range_add(total, range_of_monomial(t.monomial, sym_range{t.coeff, t.coeff}));
    if (terms.size() < 2) return total;
    std::vector<sym_factor> common = terms.front().monomial;
    for (const sym_term& t : terms) {
      std::vector<sym_factor> kept;
      for (const sym_factor& f : common)
        for (const sym_factor& g : t.monomial)
          if (g.atom == f.atom) kept.push_back({f.atom, std::min(f.exponent, g.exponent)});
      common = std::move(kept);
      if (common.empty()) return total;
    }
    std::vector<sym_term> quotient;
    for (const sym_term& t : terms) {
      std::vector<sym_factor> rest;
      divide_monomial(t.monomial, common, rest);
      quotient.push_back({t.coeff, std::move(rest)});
    }
    const sym_range factored =
        detail::range_add({constant, constant}, detail::range_mul(range_of_monomial(common, {1, 1}), range_of_terms(quotient, 0)));
    return {std::max(total.lo, factored.lo), std::min(total.hi, factored.hi)};
  }
  [[nodiscard]] sym_range range_of_monomial(const std::vector<sym_factor>& monomial, sym_range acc) const {
    for (const sym_factor& f : monomial) {
      const sym_range r = range_of(sym_int(f.atom));
      for (std::int32_t i = 0; i < f.exponent; ++i) acc = detail::range_mul(acc, r);
    }
    return acc;
  }

  // The value of e for the given values of the backed symbols (in creation
  // order); nullopt when e needs an unbacked symbol, divides by zero or overflows.
  [[nodiscard]] std::optional<std::int64_t> evaluate(sym_int e, std::span<const std::int64_t> values) const noexcept {
    std::int64_t out = 0;
    if (!eval(e, values, out)) return std::nullopt;
    return out;
  }
  [[nodiscard]] std::optional<bool> evaluate(sym_bool b, std::span<const std::int64_t> values) const noexcept {
    if (b.is_constant()) return b.constant();
    std::int64_t v = 0;
    if (!eval(b.node()->lhs, values, v)) return std::nullopt;
    return holds(b.node()->op, v);
  }
  // The value at the hints (nullopt when an unbacked symbol is involved).
  [[nodiscard]] std::optional<std::int64_t> hint_of(sym_int e) const noexcept { return evaluate(e, hints_); }
  // The value at the hints and the unbacked symbols' examples (nullopt on
  // division by zero or overflow): where a fake tensor's concrete geometry is.
  [[nodiscard]] std::optional<std::int64_t> example_of(sym_int e) const noexcept {
    std::int64_t out = 0;
    if (!eval(e, hints_, out, /*examples=*/true)) return std::nullopt;
    return out;
  }
  // The hints of the backed symbols, in creation order: the values at which
  // every expression is its traced value (check_guards(hints()) holds).
  [[nodiscard]] const std::vector<std::int64_t>& hints() const noexcept { return hints_; }

  // ------------------------------------------------------------- decisions

  // What ranges and known facts say of b, without recording anything.
  [[nodiscard]] std::optional<bool> static_value(sym_bool b) const {
    if (b.is_constant()) return b.constant();
    const sym_node* n = b.node();
    if (const auto it = known_.find(n); it != known_.end()) return it->second;
    const sym_range r = range_of(n->lhs);
    switch (n->op) {
      case sym_op::ge:
        if (r.lo >= 0) return true;
        if (r.hi < 0) return false;
        break;
      case sym_op::eq:
      case sym_op::ne:
        if (r.lo > 0 || r.hi < 0) return n->op == sym_op::ne;
        if (r.lo == 0 && r.hi == 0) return n->op == sym_op::eq;
        break;
      default: break;
    }
    return std::nullopt;
  }

  // Decides b for a branch (Note [guards]). A condition on unbacked symbols that
  // ranges cannot settle is a data_dependent_error.
  bool guard_bool(sym_bool b) {
    if (const auto v = static_value(b)) return *v;
    if (detail::guard_probe_depth() > 0) throw guard_needed{};  // a without_guards probe (core/guard_probe.hpp)
    const auto at_hint = evaluate(b, hints_);
    if (!at_hint)
      throw data_dependent_error("Could not guard on data-dependent expression " + to_string(b) +
                                 " (it depends on unbacked symbols, which have no value while tracing); "
                                 "check it with fake::expect to defer it to run time");
    const sym_bool held = *at_hint ? b : logical_not(b);
    guards_.push_back(held);
    learn(held);
    return *at_hint;
  }

  // Note [size-oblivious decisions]
  // A layout query asks whether a size is 0 or 1 (contiguity skips size-1
  // dims, broadcasting's effective strides zero them). On an unbacked size
  // (nonzero's count) that question has no hint to decide it, and PyTorch's
  // guard_size_oblivious answers as if the size were neither 0 nor 1. Here
  // such a condition is decided at the unbacked symbols' examples (values of
  // their ranges nearest 8192: not 0 or 1 unless the range says so), the
  // values the fake tensor's concrete geometry was computed at, without a
  // guard; a condition on backed symbols is a decision as any other.
  bool decide_size_oblivious(sym_bool b) {
    if (const auto v = static_value(b)) return *v;
    if (!evaluate(b, hints_)) {  // it involves an unbacked symbol
      std::int64_t v = 0;
      if (eval(b.node()->lhs, hints_, v, /*examples=*/true)) return holds(b.node()->op, v);
    }
    return guard_bool(b);
  }

  // Specializes e to its hint, with the guard `e == hint` (PyTorch's guard_int).
  std::int64_t guard_int(sym_int e) {
    if (e.is_constant()) return e.constant();
    const auto v = hint_of(e);
    if (!v)
      throw data_dependent_error("Could not extract a value from the data-dependent expression " + to_string(e) +
                                 " (it depends on unbacked symbols)");
    (void)guard_bool(eq(e, sym_int(*v)));
    return *v;
  }

  // A check that must hold (fake::expect): decided like a branch when the hints
  // can decide it; on unbacked symbols, deferred to run time as an assertion
  // that the environment then takes as known (and narrows ranges with).
  bool expect_true(sym_bool b, std::string message = {}) {
    if (const auto v = static_value(b)) return *v;
    if (evaluate(b, hints_)) return guard_bool(b);
    runtime_asserts_.push_back({b, std::move(message)});
    learn(b);
    return true;
  }

  // ------------------------------------------------------------- guards

  [[nodiscard]] const std::vector<sym_bool>& guards() const noexcept { return guards_; }
  [[nodiscard]] const std::vector<runtime_assert>& runtime_asserts() const noexcept { return runtime_asserts_; }

  // One guard per line, after the symbols and what they stand for:
  //   s0: x.size(0), hint 8, range [2, inf]
  //   s1 >= 512
  [[nodiscard]] std::string guards_string() const {
    std::string out;
    for (const symbol_info& s : backed_) {
      out += s.node->name + ": " + (s.source.empty() ? "" : s.source + ", ") + "hint " + std::to_string(s.node->hint) +
             ", range [" + range_string(s.declared) + "]";
      for (const input_size& in : inputs_)  // other sizes that share it (duck shaping)
        if (in.value.node() == s.node && !in.source.empty() && in.source != s.source) out += ", = " + in.source;
      out += "\n";
    }
    for (const input_size& in : inputs_)
      if (in.value.is_constant() && !in.source.empty()) out += in.source + " == " + std::to_string(in.value.constant()) + "\n";
    for (const sym_bool& g : guards_) out += to_string(g) + "\n";
    return out;
  }

  // Whether new concrete sizes for the backed symbols (in creation order) lie
  // in the symbols' declared ranges and satisfy every guard: then what was
  // traced under these guards holds for them too.
  [[nodiscard]] bool check_guards(std::span<const std::int64_t> values) const noexcept {
    if (values.size() != backed_.size()) return false;
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!backed_[i].declared.contains(values[i])) return false;
    for (const sym_bool& g : guards_) {
      std::int64_t v = 0;
      if (!eval(g.node()->lhs, values, v) || !holds(g.node()->op, v)) return false;
    }
    return true;
  }
  [[nodiscard]] bool check_guards(std::initializer_list<std::int64_t> values) const noexcept {
    return check_guards(std::span<const std::int64_t>(values.begin(), values.size()));
  }

  // The same from new input sizes, one per create_symbol call in order (what a
  // caller has at hand): a specialized size must have its value again, sizes
  // that share a symbol must be equal (the implicit guards of Note [dynamic
  // dims and their symbols]), and the symbols' values must pass check_guards.
  // `scratch` holds one value per backed symbol, so nothing is allocated.
  [[nodiscard]] bool check_input_sizes(std::span<const std::int64_t> sizes, std::span<std::int64_t> scratch) const noexcept {
    if (sizes.size() != inputs_.size() || scratch.size() != backed_.size()) return false;
    constexpr std::int64_t unset = -1;
    for (std::int64_t& v : scratch) v = unset;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      const sym_int s = inputs_[i].value;
      if (s.is_constant()) {
        if (sizes[i] != s.constant()) return false;
        continue;
      }
      std::int64_t& slot = scratch[s.node()->symbol_index];
      if (slot != unset && slot != sizes[i]) return false;
      slot = sizes[i];
    }
    return check_guards(std::span<const std::int64_t>(scratch.data(), scratch.size()));
  }

  // ------------------------------------------------------------- printing

  [[nodiscard]] std::string to_string(sym_int e) const {
    if (e.is_constant()) return std::to_string(e.constant());
    const sym_node* n = e.node();
    switch (n->op) {
      case sym_op::symbol: return n->name;
      case sym_op::sum: {
        std::string out;
        for (const sym_term& t : n->terms) append_signed(out, t.coeff, monomial_string(t.monomial));
        if (n->constant != 0) append_signed(out, n->constant, {});
        return out;
      }
      case sym_op::floordiv: return "(" + operand_string(n->lhs) + "//" + operand_string(n->rhs) + ")";
      case sym_op::mod: return "Mod(" + to_string(n->lhs) + ", " + to_string(n->rhs) + ")";
      case sym_op::min: return "Min(" + to_string(n->lhs) + ", " + to_string(n->rhs) + ")";
      case sym_op::max: return "Max(" + to_string(n->lhs) + ", " + to_string(n->rhs) + ")";
      default: return to_string(sym_bool(n));
    }
  }

  // A relation as `lhs ⋈ rhs`, positive terms on the left: "s0 == 768",
  // "s1 >= s0", "s0 > s1" (for s0 - s1 - 1 >= 0).
  [[nodiscard]] std::string to_string(sym_bool b) const {
    if (b.is_constant()) return b.constant() ? "True" : "False";
    const sym_node* n = b.node();
    detail::sym_poly left, right;
    const detail::sym_poly e = to_poly(n->lhs);
    for (const sym_term& t : e.terms) (t.coeff > 0 ? left : right).terms.push_back({t.coeff > 0 ? t.coeff : -t.coeff, t.monomial});
    const char* rel = n->op == sym_op::eq ? " == " : n->op == sym_op::ne ? " != " : " >= ";
    if (left.terms.empty()) {  // e.g. -s0 + 5 >= 0: print as s0 <= 5
      std::swap(left, right);
      right.constant = e.constant;
      rel = n->op == sym_op::eq ? " == " : n->op == sym_op::ne ? " != " : " <= ";
    } else {
      right.constant = -e.constant;
      if (n->op == sym_op::ge && right.constant == 1 && !right.terms.empty()) {
        right.constant = 0;
        rel = " > ";
      }
    }
    return poly_string(left) + rel + poly_string(right);
  }

  [[nodiscard]] static std::string range_string(sym_range r) {
    auto end = [](std::int64_t v) {
      return v == sym_infinity ? std::string("inf") : v == -sym_infinity ? std::string("-inf") : std::to_string(v);
    };
    return end(r.lo) + ", " + end(r.hi);
  }

 private:
  sym_int new_symbol(bool backed, std::int64_t hint, sym_range range, std::string source) {
    std::vector<symbol_info>& table = backed ? backed_ : unbacked_;
    sym_node& n = nodes_.emplace_back();
    n.op = sym_op::symbol;
    n.id = static_cast<std::uint32_t>(nodes_.size() - 1);
    n.env = this;
    n.symbol_index = static_cast<std::uint32_t>(table.size());
    n.backed = backed;
    n.hint = hint;
    n.range = range;
    n.name = (backed ? "s" : "u") + std::to_string(table.size());
    table.push_back({&n, std::move(source), range});
    if (backed) hints_.push_back(hint);
    return sym_int(&n);
  }

  // ----- canonical forms

  [[nodiscard]] detail::sym_poly to_poly(sym_int e) const {
    detail::sym_poly p;
    if (e.is_constant()) {
      p.constant = e.constant();
    } else if (e.node()->op == sym_op::sum) {
      p.constant = e.node()->constant;
      p.terms = e.node()->terms;
    } else {
      p.terms.push_back({1, {{e.node(), 1}}});
    }
    return p;
  }

  // p += sign * q, merging sorted terms.
  static void add_into(detail::sym_poly& p, const detail::sym_poly& q, std::int64_t sign) {
    p.constant = detail::coeff_add(p.constant, detail::coeff_mul(sign, q.constant, "sym_int"), "sym_int");
    std::vector<sym_term> out;
    out.reserve(p.terms.size() + q.terms.size());
    std::size_t i = 0, j = 0;
    while (i < p.terms.size() || j < q.terms.size()) {
      if (j == q.terms.size() || (i < p.terms.size() && detail::monomial_less(p.terms[i].monomial, q.terms[j].monomial))) {
        out.push_back(std::move(p.terms[i++]));
      } else if (i == p.terms.size() || detail::monomial_less(q.terms[j].monomial, p.terms[i].monomial)) {
        out.push_back({detail::coeff_mul(sign, q.terms[j].coeff, "sym_int"), q.terms[j].monomial});
        ++j;
      } else {
        const std::int64_t c = detail::coeff_add(p.terms[i].coeff, detail::coeff_mul(sign, q.terms[j].coeff, "sym_int"), "sym_int");
        if (c != 0) out.push_back({c, std::move(p.terms[i].monomial)});
        ++i;
        ++j;
      }
    }
    p.terms = std::move(out);
  }

  [[nodiscard]] static std::vector<sym_factor> monomial_mul(const std::vector<sym_factor>& a, const std::vector<sym_factor>& b) {
    std::vector<sym_factor> out;
    out.reserve(a.size() + b.size());
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
      if (j == b.size() || (i < a.size() && a[i].atom->id < b[j].atom->id)) out.push_back(a[i++]);
      else if (i == a.size() || b[j].atom->id < a[i].atom->id) out.push_back(b[j++]);
      else {
        out.push_back({a[i].atom, a[i].exponent + b[j].exponent});
        ++i;
        ++j;
      }
    }
    return out;
  }

  [[nodiscard]] detail::sym_poly mul_poly(const detail::sym_poly& a, const detail::sym_poly& b) const {
    detail::sym_poly out;
    out.constant = detail::coeff_mul(a.constant, b.constant, "sym_int");
    std::vector<sym_term> terms;
    auto scaled = [&](const detail::sym_poly& p, std::int64_t k) {
      if (k == 0) return;
      for (const sym_term& t : p.terms) terms.push_back({detail::coeff_mul(t.coeff, k, "sym_int"), t.monomial});
    };
    scaled(a, b.constant);
    scaled(b, a.constant);
    for (const sym_term& x : a.terms)
      for (const sym_term& y : b.terms) terms.push_back({detail::coeff_mul(x.coeff, y.coeff, "sym_int"), monomial_mul(x.monomial, y.monomial)});
    if (terms.size() > options_.max_expression_size)
      throw sym_expression_error("sym_int: a product of " + std::to_string(terms.size()) +
                                 " terms exceeds the expression size cap of " + std::to_string(options_.max_expression_size));
    std::sort(terms.begin(), terms.end(), [](const sym_term& x, const sym_term& y) { return detail::monomial_less(x.monomial, y.monomial); });
    for (sym_term& t : terms) {
      if (!out.terms.empty() && out.terms.back().monomial == t.monomial) {
        out.terms.back().coeff = detail::coeff_add(out.terms.back().coeff, t.coeff, "sym_int");
        if (out.terms.back().coeff == 0) out.terms.pop_back();
      } else {
        out.terms.push_back(std::move(t));
      }
    }
    return out;
  }

  // a = k·m·q + r: the terms (and the constant's part) divisible by k·m go to q.
  // m == nullptr divides by the integer k only.
  [[nodiscard]] static std::pair<detail::sym_poly, detail::sym_poly> split_divisible(detail::sym_poly a, std::int64_t k,
                                                                                    const std::vector<sym_factor>* m) {
    detail::sym_poly q, r;
    if (m == nullptr) {
      q.constant = detail::py_floordiv(a.constant, k);
      r.constant = detail::py_mod(a.constant, k);
    } else {
      r.constant = a.constant;  // a constant is not divisible by a monomial
    }
    for (sym_term& t : a.terms) {
      std::vector<sym_factor> rest;
      if (t.coeff % k == 0 && (m == nullptr || divide_monomial(t.monomial, *m, rest)))
        q.terms.push_back({t.coeff / k, m == nullptr ? std::move(t.monomial) : std::move(rest)});
      else
        r.terms.push_back(std::move(t));
    }
    // Dividing by a monomial can reorder terms (or make a constant): restore the canonical form.
    if (m != nullptr) {
      detail::sym_poly sorted;
      for (sym_term& t : q.terms) {
        detail::sym_poly one;
        if (t.monomial.empty()) one.constant = t.coeff;
        else one.terms.push_back(std::move(t));
        add_into(sorted, one, 1);
      }
      q = std::move(sorted);
    }
    return {std::move(q), std::move(r)};
  }

  // Whether m divides `of`; the quotient monomial in `out`.
  static bool divide_monomial(const std::vector<sym_factor>& of, const std::vector<sym_factor>& m, std::vector<sym_factor>& out) {
    std::size_t j = 0;
    for (const sym_factor& f : of) {
      if (j < m.size() && m[j].atom == f.atom) {
        if (f.exponent < m[j].exponent) return false;
        if (f.exponent > m[j].exponent) out.push_back({f.atom, f.exponent - m[j].exponent});
        ++j;
      } else {
        out.push_back(f);
      }
    }
    return j == m.size();
  }

  // b as a single term k·m with k > 0 and no constant, or nullopt.
  [[nodiscard]] std::optional<sym_term> single_term(sym_int b) const {
    const detail::sym_poly p = to_poly(b);
    if (p.constant != 0 || p.terms.size() != 1 || p.terms[0].coeff <= 0) return std::nullopt;
    return p.terms[0];
  }

  sym_int from_poly(detail::sym_poly p) {
    if (p.terms.empty()) return sym_int(p.constant);
    if (p.constant == 0 && p.terms.size() == 1 && p.terms[0].coeff == 1 && p.terms[0].monomial.size() == 1 &&
        p.terms[0].monomial[0].exponent == 1)
      return sym_int(p.terms[0].monomial[0].atom);
    std::vector<std::int64_t> key{static_cast<std::int64_t>(sym_op::sum), p.constant};
    std::uint32_t size = 1;
    for (const sym_term& t : p.terms) {
      key.push_back(t.coeff);
      key.push_back(static_cast<std::int64_t>(t.monomial.size()));
      for (const sym_factor& f : t.monomial) {
        key.push_back(f.atom->id);
        key.push_back(f.exponent);
        size += f.atom->size;
      }
    }
    return sym_int(intern(std::move(key), size, [&](sym_node& n) {
      n.op = sym_op::sum;
      n.constant = p.constant;
      n.terms = std::move(p.terms);
    }));
  }

  static void push_operand(std::vector<std::int64_t>& key, sym_int e) {
    key.push_back(e.is_symbolic() ? 1 : 0);
    key.push_back(e.is_symbolic() ? static_cast<std::int64_t>(e.node()->id) : e.constant());
  }
  static std::uint32_t operand_size(sym_int e) noexcept { return e.is_symbolic() ? e.node()->size : 1; }

  // An opaque atom; one whose range is a single value is that constant.
  sym_int make_binary(sym_op op, sym_int a, sym_int b) {
    std::vector<std::int64_t> key{static_cast<std::int64_t>(op)};
    push_operand(key, a);
    push_operand(key, b);
    const sym_node* n = intern(std::move(key), 1 + operand_size(a) + operand_size(b), [&](sym_node& node) {
      node.op = op;
      node.lhs = a;
      node.rhs = b;
    });
    const sym_range r = range_of(sym_int(n));
    if (r.is_point() && !detail::is_infinite(r.lo)) return sym_int(r.lo);
    return sym_int(n);
  }

  sym_int min_max(sym_op op, sym_int a, sym_int b) {
    if (a.is_constant() && b.is_constant())
      return sym_int(op == sym_op::min ? std::min(a.constant(), b.constant()) : std::max(a.constant(), b.constant()));
    if (a.same_as(b)) return a;
    const sym_range d = range_of(sub(a, b));
    if (d.hi <= 0) return op == sym_op::min ? a : b;  // a <= b
    if (d.lo >= 0) return op == sym_op::min ? b : a;  // a >= b
    // commutative: order the arguments (constants first, then by id)
    const auto rank = [](sym_int e) { return e.is_constant() ? -1 : static_cast<std::int64_t>(e.node()->id); };
    if (rank(b) < rank(a) || (a.is_constant() && b.is_constant() && b.constant() < a.constant())) std::swap(a, b);
    return make_binary(op, a, b);
  }

  sym_bool relation(sym_op op, sym_int e) {
    if (e.is_constant()) return sym_bool(holds(op, e.constant()));
    detail::sym_poly p = to_poly(e);
    std::int64_t g = 0;
    for (const sym_term& t : p.terms) g = detail::gcd64(g, t.coeff);
    if (op == sym_op::ge) {
      p.constant = detail::py_floordiv(p.constant, g);  // Σ g·c_i·m_i + k >= 0  <=>  Σ c_i·m_i + floor(k/g) >= 0
    } else {
      if (p.constant % g != 0) return sym_bool(op == sym_op::ne);  // Σ g·(...) never equals -k
      p.constant /= g;
      if (p.terms.front().coeff < 0) g = -g;  // a positive leading coefficient
    }
    for (sym_term& t : p.terms) t.coeff /= g;
    if (op != sym_op::ge && g < 0) p.constant = -p.constant;
    // Without a constant, a positive atom common to every term does not change
    // the sign: s0*Mod(s1, 5) == 0 is Mod(s1, 5) == 0, 768*s0*s1 >= 0 is s0*s1 >= 0.
    if (p.constant == 0) {
      std::vector<sym_factor> common;
      for (const sym_factor& f : p.terms.front().monomial)
        if (range_of(sym_int(f.atom)).lo > 0) common.push_back(f);
      for (const sym_term& t : p.terms) {
        std::vector<sym_factor> kept;
        for (const sym_factor& f : common)
          for (const sym_factor& h : t.monomial)
            if (h.atom == f.atom) kept.push_back({f.atom, std::min(f.exponent, h.exponent)});
        common = std::move(kept);
      }
      if (!common.empty()) p = split_divisible(std::move(p), 1, &common).first;
    }
    const sym_int lhs = from_poly(std::move(p));
    std::vector<std::int64_t> key{static_cast<std::int64_t>(op)};
    push_operand(key, lhs);
    return sym_bool(intern(std::move(key), 1 + operand_size(lhs), [&](sym_node& n) {
      n.op = op;
      n.lhs = lhs;
    }));
  }

  template <class Init>
  const sym_node* intern(std::vector<std::int64_t> key, std::uint32_t size, Init&& init) {
    if (const auto it = interned_.find(key); it != interned_.end()) return it->second;
    if (size > options_.max_expression_size)
      throw sym_expression_error("sym_int: an expression of " + std::to_string(size) +
                                 " nodes exceeds the shape environment's cap of " +
                                 std::to_string(options_.max_expression_size));
    sym_node& n = nodes_.emplace_back();
    n.id = static_cast<std::uint32_t>(nodes_.size() - 1);
    n.size = size;
    n.env = this;
    init(n);
    interned_.emplace(std::move(key), &n);
    return &n;
  }

  // ----- evaluation

  static constexpr bool holds(sym_op op, std::int64_t v) noexcept {
    return op == sym_op::eq ? v == 0 : op == sym_op::ne ? v != 0 : v >= 0;
  }

  // examples: an unbacked symbol takes its example value (else it has none)
  static bool eval(sym_int e, std::span<const std::int64_t> values, std::int64_t& out, bool examples = false) noexcept {
    if (e.is_constant()) {
      out = e.constant();
      return true;
    }
    const sym_node* n = e.node();
    switch (n->op) {
      case sym_op::symbol:
        if (!n->backed && examples) {
          out = n->hint;  // an unbacked symbol's example (create_unbacked_symbol)
          return true;
        }
        if (!n->backed || n->symbol_index >= values.size()) return false;
        out = values[n->symbol_index];
        return true;
      case sym_op::sum: {
        std::int64_t total = n->constant;
        for (const sym_term& t : n->terms) {
          std::int64_t m = t.coeff;
          for (const sym_factor& f : t.monomial) {
            std::int64_t a = 0;
            if (!eval(sym_int(f.atom), values, a, examples)) return false;
            for (std::int32_t i = 0; i < f.exponent; ++i)
              if (detail::mul_overflows(m, a, &m)) return false;
          }
          if (detail::add_overflows(total, m, &total)) return false;
        }
        out = total;
        return true;
      }
      default: {
        std::int64_t a = 0, b = 0;
        if (!eval(n->lhs, values, a, examples)) return false;
        if (is_relation(n->op)) {
          out = holds(n->op, a) ? 1 : 0;
          return true;
        }
        if (!eval(n->rhs, values, b, examples)) return false;
        switch (n->op) {
          case sym_op::floordiv:
          case sym_op::mod:
            if (b == 0 || (b == -1 && a == -sym_infinity - 1)) return false;
            out = n->op == sym_op::floordiv ? detail::py_floordiv(a, b) : detail::py_mod(a, b);
            return true;
          case sym_op::min: out = std::min(a, b); return true;
          default: out = std::max(a, b); return true;
        }
      }
    }
  }

  // ----- learning from a relation that holds

  void learn(sym_bool held) {
    known_[held.node()] = true;
    const sym_bool negation = logical_not(held);
    if (negation.is_symbolic()) known_[negation.node()] = false;
    // a·s + k ⋈ 0 on one symbol narrows its range
    const sym_node* n = held.node();
    const detail::sym_poly p = to_poly(n->lhs);
    if (p.terms.size() != 1 || p.terms[0].monomial.size() != 1 || p.terms[0].monomial[0].exponent != 1) return;
    const sym_node* s = p.terms[0].monomial[0].atom;
    if (s->op != sym_op::symbol) return;
    const std::int64_t a = p.terms[0].coeff, k = p.constant;
    sym_range& r = s->range;
    switch (n->op) {
      case sym_op::eq:
        if (k % a == 0) r.lo = r.hi = -k / a;
        break;
      case sym_op::ne:
        if (k % a == 0) {
          if (r.lo == -k / a) ++r.lo;
          if (r.hi == -k / a) --r.hi;
        }
        break;
      default:
        if (a > 0) r.lo = std::max(r.lo, -detail::py_floordiv(k, a));  // s >= ceil(-k / a)
        else r.hi = std::min(r.hi, detail::py_floordiv(k, -a));         // s <= floor(k / -a)
        break;
    }
  }

  // ----- printing helpers

  [[nodiscard]] std::string monomial_string(const std::vector<sym_factor>& m) const {
    std::string out;
    for (const sym_factor& f : m) {
      if (!out.empty()) out += "*";
      out += to_string(sym_int(f.atom));
      if (f.exponent != 1) out += "**" + std::to_string(f.exponent);
    }
    return out;
  }
  static void append_signed(std::string& out, std::int64_t coeff, const std::string& monomial) {
    const bool negative = coeff < 0;
    const std::string magnitude = negative ? std::to_string(coeff).substr(1) : std::to_string(coeff);
    if (out.empty()) out += negative ? "-" : "";
    else out += negative ? " - " : " + ";
    if (monomial.empty()) out += magnitude;
    else out += (magnitude == "1" ? "" : magnitude + "*") + monomial;
  }
  [[nodiscard]] std::string poly_string(const detail::sym_poly& p) const {
    std::string out;
    for (const sym_term& t : p.terms) append_signed(out, t.coeff, monomial_string(t.monomial));
    if (p.constant != 0 || out.empty()) append_signed(out, p.constant, {});
    return out;
  }
  [[nodiscard]] std::string operand_string(sym_int e) const {
    const std::string s = to_string(e);
    return e.is_symbolic() && e.node()->op == sym_op::sum ? "(" + s + ")" : s;
  }

  options options_;
  std::uint64_t serial_;
  static std::uint64_t next_serial() noexcept {
    static std::uint64_t counter = 0;
    return ++counter;
  }
  std::deque<sym_node> nodes_;  // stable addresses
  std::unordered_map<std::vector<std::int64_t>, const sym_node*, detail::key_hash> interned_;
  std::unordered_map<const sym_node*, bool> known_;  // relations decided by guards or assertions
  std::unordered_map<op_key, sym_int, op_key_hash> int_cache_;
  std::unordered_map<op_key, sym_bool, op_key_hash> bool_cache_;
  std::vector<symbol_info> backed_;
  std::vector<symbol_info> unbacked_;
  std::vector<std::int64_t> hints_;  // of the backed symbols, in order
  std::vector<input_size> inputs_;
  std::vector<sym_bool> guards_;
  std::vector<runtime_assert> runtime_asserts_;
  struct memo_entry {
    sym_int symbol;
    std::uint64_t version = 0;
    std::uint64_t epoch = 0;
  };
  struct memo_key_hash {
    std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& k) const noexcept {
      return static_cast<std::size_t>((k.second * 0x9E3779B97F4A7C15ULL) ^ k.first);
    }
  };
  std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, memo_entry, memo_key_hash> memos_;
  std::uint64_t epoch_ = 0;
};

}  // namespace fake
