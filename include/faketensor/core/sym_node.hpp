// faketensor/core/sym_node.hpp — the representation of symbolic dims:
// expression nodes, value ranges, and the sym_int / sym_bool handles.
//
// A sym_int is either a plain integer (no node) or a pointer to an interned
// expression node owned by a fake::shape_env (shape_env.hpp). Interning makes
// structurally equal expressions one node, so `a == b` on expressions is a
// pointer compare. The handles are trivially copyable, 16 bytes, and a sym_int
// that holds a constant is usable in constant expressions. The arithmetic, the
// comparisons and the link to the dim kinds of core/dim.hpp are in sym.hpp;
// this header is only what the shape environment needs to name.
//
// Note [sym expression canonical form]
// Every integer expression is one of
//   * a constant (a sym_int with no node);
//   * an atom: a symbol (s0, u0) or an opaque application FloorDiv(a, b),
//     Mod(a, b), Min(a, b), Max(a, b) whose arguments are expressions;
//   * a sum: constant + Σ coeff·monomial, a monomial being a product of atoms
//     with positive exponents. Terms are sorted by monomial (atoms compare by
//     creation id), like terms are combined, zero terms dropped; a sum that is
//     one atom with coefficient 1 and no constant *is* that atom.
// A relation (sym_bool) is `e == 0`, `e != 0` or `e >= 0` over a non-constant
// expression e: a < b is stored as b - a - 1 >= 0, coefficients are divided by
// their gcd, and an (in)equality has a positive leading coefficient. So
// `s0 < s1`, `s0 + 1 <= s1` and `2*s0 + 2 <= 2*s1` are one node.
#pragma once

#include <concepts>  // std::integral, std::same_as
#include <cstdint>   // std::int64_t, std::uint32_t
#include <limits>   // std::numeric_limits
#include <string>   // std::string
#include <vector>   // std::vector

namespace fake {

class shape_env;
struct sym_node;

// A closed integer interval; the ends ±sym_infinity stand for "unbounded".
inline constexpr std::int64_t sym_infinity = std::numeric_limits<std::int64_t>::max();

struct sym_range {
  std::int64_t lo = -sym_infinity;
  std::int64_t hi = sym_infinity;
  [[nodiscard]] constexpr bool contains(std::int64_t v) const noexcept { return lo <= v && v <= hi; }
  [[nodiscard]] constexpr bool is_point() const noexcept { return lo == hi; }
  friend constexpr bool operator==(const sym_range&, const sym_range&) = default;
};

// An integer expression: a constant, or an interned node of a shape_env.
class sym_int {
 public:
  constexpr sym_int() noexcept = default;
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  constexpr sym_int(I value) noexcept : value_(static_cast<std::int64_t>(value)) {}  // NOLINT: implicit, like an int64 dim
  constexpr explicit sym_int(const sym_node* node) noexcept : node_(node) {}

  [[nodiscard]] constexpr bool is_symbolic() const noexcept { return node_ != nullptr; }
  [[nodiscard]] constexpr bool is_constant() const noexcept { return node_ == nullptr; }
  // The node of a symbolic expression (nullptr for a constant).
  [[nodiscard]] constexpr const sym_node* node() const noexcept { return node_; }
  // The value of a constant (precondition: is_constant()).
  [[nodiscard]] constexpr std::int64_t constant() const noexcept { return value_; }

  // Structural identity: equal expressions are one node (Note [sym expression canonical form]).
  [[nodiscard]] constexpr bool same_as(const sym_int& other) const noexcept {
    return node_ == other.node_ && (node_ != nullptr || value_ == other.value_);
  }

  // The value a dim-taking API needs: a constant as is, a symbolic expression
  // specialized to its hint with a guard (PyTorch's guard_int). Defined in sym.hpp.
  explicit operator std::int64_t() const;

 private:
  const sym_node* node_ = nullptr;
  std::int64_t value_ = 0;
};

// A condition on expressions: a constant, or an interned relation node.
class sym_bool {
 public:
  constexpr sym_bool() noexcept = default;
  constexpr sym_bool(bool value) noexcept : value_(value) {}  // NOLINT: implicit, like a bool condition
  constexpr explicit sym_bool(const sym_node* node) noexcept : node_(node) {}

  [[nodiscard]] constexpr bool is_symbolic() const noexcept { return node_ != nullptr; }
  [[nodiscard]] constexpr bool is_constant() const noexcept { return node_ == nullptr; }
  [[nodiscard]] constexpr const sym_node* node() const noexcept { return node_; }
  [[nodiscard]] constexpr bool constant() const noexcept { return value_; }
  [[nodiscard]] constexpr bool same_as(const sym_bool& other) const noexcept {
    return node_ == other.node_ && (node_ != nullptr || value_ == other.value_);
  }

  // Branching on a condition decides it: constants as they are, symbolic ones
  // by the shape environment (from ranges when they decide, else from the hints
  // with a recorded guard). Defined in sym.hpp.
  explicit operator bool() const;

 private:
  const sym_node* node_ = nullptr;
  bool value_ = false;
};

enum class sym_op : std::uint8_t {
  symbol,    // s0, u0: a leaf
  sum,       // constant + Σ coeff·monomial
  floordiv,  // FloorDiv(lhs, rhs): Python's //
  mod,       // Mod(lhs, rhs): Python's %
  min,       // Min(lhs, rhs)
  max,       // Max(lhs, rhs)
  eq,        // lhs == 0 (a relation: sym_bool)
  ne,        // lhs != 0
  ge,        // lhs >= 0
};

[[nodiscard]] constexpr bool is_relation(sym_op op) noexcept { return op == sym_op::eq || op == sym_op::ne || op == sym_op::ge; }

// One factor of a monomial: atom^exponent.
struct sym_factor {
  const sym_node* atom = nullptr;
  std::int32_t exponent = 1;
  friend bool operator==(const sym_factor&, const sym_factor&) = default;
};

struct sym_term {
  std::int64_t coeff = 0;
  std::vector<sym_factor> monomial;  // sorted by atom id, each atom once
};

// An interned expression. Immutable once created, except for a symbol's
// range, which the shape environment narrows as guards and assertions teach
// it more (a range only ever shrinks, so a simplification made earlier from a
// range stays valid).
struct sym_node {
  sym_op op = sym_op::symbol;
  std::uint32_t id = 0;    // creation order in its environment: the order of atoms in a canonical form
  std::uint32_t size = 1;  // nodes in the expression tree, for the size cap
  shape_env* env = nullptr;

  // symbol
  std::uint32_t symbol_index = 0;  // position in the environment's symbol table
  bool backed = true;              // has a hint (an input size); unbacked ones are data-dependent
  std::int64_t hint = 0;
  mutable sym_range range{};
  std::string name;  // "s0", "u0"

  // sum
  std::int64_t constant = 0;
  std::vector<sym_term> terms;

  // floordiv, mod, min, max (lhs, rhs); relations (lhs: the expression compared with 0)
  sym_int lhs{};
  sym_int rhs{};
};

}  // namespace fake
