// faketensor/ops/schema.hpp — PyTorch's operator schema language: parse, query, print.
//
//   constexpr fake::schema s = fake::parse_schema(
//       "add.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)");
//   static_assert(s.kind() == fake::schema_kind::out && s.argument(3).is_out());
//
// parse_schema accepts what PyTorch 1.13's torch._C.parse_schema accepts
// (torch/csrc/jit/frontend/function_schema_parser.cpp, schema_type_parser.cpp)
// and to_string(s) prints what str(torch._C.parse_schema(text)) prints
// (c10's operator<< for FunctionSchema and Argument), PyTorch's quirks
// included: `Dimname` prints as `str`, named constants (`float`, `strided`,
// `Mean`, `contiguous_format`) as their integer values, `int[2] x=[1, 1]` as
// `int[2] x=1`, `Tensor!` as `Tensor($0! -> )`. Known differences, all on
// input PyTorch garbles: hex and complex number literals, defaults of type
// complex and `cuda:N` with N > 127 are refused; `1E3` for an int is 1 as in
// PyTorch; custom classes `__torch__.torch.classes.ns.C` are accepted without
// a registry; numeric literals are limited to 60 significant digits; a newline
// is whitespace everywhere (PyTorch rejects some outside parentheses).
//
// Errors: a malformed schema throws fake::value_error at run time, "schema:
// expected ... at position N" plus the text and a caret. In a constant
// expression the parse stops at fake::detail::schema_syntax_error<"what">(N),
// which the compiler names in its diagnostic.
//
// Queries follow c10 (is_mutable, alias annotations, is_out of an argument)
// and torchgen/model.py (kind(): functional, inplace, out, mutable, scratch;
// is_view).
//
// Note [schema storage]: a `fake::schema` is a literal type with fixed
// capacities (see schema::max_*), whose names are std::string_view slices of
// the text it was parsed from. For a string literal (built-in operators) that
// is all it needs; for text built at run time use fake::owned_schema, which
// keeps the text alive next to the parsed schema.
#pragma once

#include <array>        // std::array
#include <bit>          // std::bit_cast
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t, std::uint32_t, std::uint64_t
#include <cstdio>       // std::snprintf (printing doubles as c10 does)
#include <memory>       // std::shared_ptr (owned_schema)
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_constant_evaluated
#include <utility>      // std::move

#include "faketensor/core/device.hpp"        // fake::device_type, detail::device_type_names
#include "faketensor/core/error.hpp"         // fake::value_error
#include "faketensor/core/fixed_string.hpp"  // fake::fixed_string
#include "faketensor/ops/schema_type.hpp"    // fake::type_node, alias_info, literal

namespace fake {

// torchgen's SchemaKind.
enum class schema_kind : std::uint8_t { functional, inplace, out, mutable_, scratch };

constexpr std::string_view to_string_view(schema_kind k) {
  switch (k) {
    case schema_kind::functional: return "functional";
    case schema_kind::inplace: return "inplace";
    case schema_kind::out: return "out";
    case schema_kind::mutable_: return "mutable";
    case schema_kind::scratch: return "scratch";
  }
  return "?";
}

// One argument or return (c10::Argument). Types, alias annotations and list
// elements are indices into the owning schema's pools: ask the schema.
struct schema_argument {
  std::string_view name;             // empty for an unnamed return
  schema_index type = no_index;      // in schema::type()
  std::int32_t N = -1;               // the size of `int[2]`; -1 if none
  literal default_value;             // kind absent if none
  bool kwarg_only = false;
  schema_index alias = no_index;     // in schema::alias(); no_index if none

  [[nodiscard]] constexpr bool has_default() const noexcept { return default_value.has_value(); }
  [[nodiscard]] constexpr bool has_alias() const noexcept { return alias != no_index; }
  [[nodiscard]] constexpr bool has_fixed_size() const noexcept { return N >= 0; }
};

// A small list of argument indices (mutated_arguments()).
struct schema_indices {
  std::array<std::uint8_t, 64> items{};
  std::size_t count = 0;
  [[nodiscard]] constexpr std::size_t size() const noexcept { return count; }
  [[nodiscard]] constexpr bool empty() const noexcept { return count == 0; }
  [[nodiscard]] constexpr std::size_t operator[](std::size_t i) const noexcept { return items[i]; }
  [[nodiscard]] constexpr const std::uint8_t* begin() const noexcept { return items.data(); }
  [[nodiscard]] constexpr const std::uint8_t* end() const noexcept { return items.data() + count; }
};

class schema;
namespace detail {
class schema_parser;
}
constexpr schema parse_schema(std::string_view text);

// A parsed function schema (c10::FunctionSchema). See Note [schema storage].
class schema {
 public:
  static constexpr std::size_t max_arguments = 64;
  static constexpr std::size_t max_returns = 16;
  static constexpr std::size_t max_types = 192;
  static constexpr std::size_t max_aliases = 64;
  static constexpr std::size_t max_literals = 64;

  constexpr schema() = default;

  // ------------------------------------------------------------- name --
  [[nodiscard]] constexpr std::string_view text() const noexcept { return text_; }
  [[nodiscard]] constexpr std::string_view ns() const noexcept { return ns_; }  // "" if none
  [[nodiscard]] constexpr std::string_view base_name() const noexcept { return name_; }
  [[nodiscard]] constexpr std::string_view overload_name() const noexcept { return overload_; }
  // "ns::name.overload" (each part only if present), as c10 prints it.
  [[nodiscard]] std::string full_name() const {
    std::string out;
    if (!ns_.empty()) out.append(ns_).append("::");
    out.append(name_);
    if (!overload_.empty()) out.append(".").append(overload_);
    return out;
  }
  // Compares with "ns::name.overload", "name.overload" or "name" (exact parts).
  [[nodiscard]] constexpr bool name_is(std::string_view qualified) const noexcept {
    std::string_view want_ns;
    const std::size_t colons = qualified.find("::");
    if (colons != std::string_view::npos) {
      want_ns = qualified.substr(0, colons);
      qualified.remove_prefix(colons + 2);
    }
    const std::size_t dot = qualified.find('.');
    const std::string_view want_name = qualified.substr(0, dot);
    const std::string_view want_overload =
        dot == std::string_view::npos ? std::string_view{} : qualified.substr(dot + 1);
    return want_ns == ns_ && want_name == name_ && want_overload == overload_;
  }

  // ------------------------------------------------------ arguments --
  [[nodiscard]] constexpr std::size_t num_arguments() const noexcept { return num_args_; }
  [[nodiscard]] constexpr std::size_t num_returns() const noexcept { return num_rets_; }
  [[nodiscard]] constexpr const schema_argument& argument(std::size_t i) const { return args_.at(i); }
  [[nodiscard]] constexpr const schema_argument& return_(std::size_t i) const { return rets_.at(i); }
  [[nodiscard]] constexpr std::span<const schema_argument> arguments() const noexcept {
    return {args_.data(), num_args_};
  }
  [[nodiscard]] constexpr std::span<const schema_argument> returns() const noexcept {
    return {rets_.data(), num_rets_};
  }
  [[nodiscard]] constexpr bool is_vararg() const noexcept { return is_vararg_; }
  [[nodiscard]] constexpr bool is_varret() const noexcept { return is_varret_; }

  // The index of the first argument called `name`.
  [[nodiscard]] constexpr std::optional<std::size_t> argument_index(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < num_args_; ++i)
      if (args_[i].name == name) return i;
    return std::nullopt;
  }
  [[nodiscard]] constexpr const schema_argument* find_argument(std::string_view name) const noexcept {
    const auto i = argument_index(name);
    return i ? &args_[*i] : nullptr;
  }

  // ---------------------------------------------------------- pools --
  [[nodiscard]] constexpr const type_node& type(schema_index t) const { return types_.at(t); }
  [[nodiscard]] constexpr const type_node& type_of(const schema_argument& a) const { return types_.at(a.type); }
  // The element of a list/optional/future/rref, the i-th element of a tuple,
  // key (0) and value (1) of a dict.
  [[nodiscard]] constexpr schema_index child(schema_index t, std::size_t i = 0) const {
    schema_index c = types_.at(t).first;
    for (; i > 0 && c != no_index; --i) c = types_[c].next;
    return c;
  }
  [[nodiscard]] constexpr std::size_t num_children(schema_index t) const {
    std::size_t n = 0;
    for (schema_index c = types_.at(t).first; c != no_index; c = types_[c].next) ++n;
    return n;
  }
  // Optional<T> → T; anything else unchanged.
  [[nodiscard]] constexpr schema_index unwrap_optional(schema_index t) const {
    return types_.at(t).kind == type_kind::optional ? types_[t].first : t;
  }
  [[nodiscard]] constexpr const alias_info* alias(const schema_argument& a) const {
    return a.alias == no_index ? nullptr : &aliases_.at(a.alias);
  }
  [[nodiscard]] constexpr const alias_info& alias_at(schema_index i) const { return aliases_.at(i); }
  // The annotation that names alias sets: the argument's own, or for a list
  // annotated only on its element (`Tensor(a)[]`), the element's.
  [[nodiscard]] constexpr const alias_info* set_alias(const schema_argument& a) const {
    const alias_info* info = alias(a);
    while (info != nullptr && info->num_before == 0 && info->contained != no_index)
      info = &aliases_[info->contained];
    return info != nullptr && info->num_before > 0 ? info : nullptr;
  }
  // The i-th element of a list default (for `int[2] x=1`, the repeated value).
  [[nodiscard]] constexpr const literal& list_element(const literal& list, std::size_t i) const {
    return literals_.at(list.first + (list.repeated ? 0 : i));
  }

  // ------------------------------------------------- argument facts --
  // Tensor, Tensor?, Tensor[], Tensor?[] ...: a tensor at the bottom of list/optional.
  [[nodiscard]] constexpr bool is_tensor_like(const schema_argument& a) const {
    schema_index t = a.type;
    while (types_[t].kind == type_kind::optional || types_[t].kind == type_kind::list) t = types_[t].first;
    return types_[t].kind == type_kind::tensor;
  }
  // c10: the argument is written (its annotation, or its list container, has `!`).
  [[nodiscard]] constexpr bool is_write(const schema_argument& a) const {
    const alias_info* info = alias(a);
    return info != nullptr && info->is_write;
  }
  // c10 Argument::is_out: keyword-only and written.
  [[nodiscard]] constexpr bool is_out(const schema_argument& a) const { return a.kwarg_only && is_write(a); }

  // -------------------------------------------------------- queries --
  // c10 FunctionSchema::is_mutable: some argument is written.
  [[nodiscard]] constexpr bool is_mutable() const {
    for (std::size_t i = 0; i < num_args_; ++i)
      if (is_write(args_[i])) return true;
    return false;
  }
  // The arguments that are written, in order.
  [[nodiscard]] constexpr schema_indices mutated_arguments() const {
    schema_indices out;
    for (std::size_t i = 0; i < num_args_; ++i)
      if (is_write(args_[i])) out.items[out.count++] = static_cast<std::uint8_t>(i);
    return out;
  }
  // torchgen's out arguments: the keyword-only written ones.
  [[nodiscard]] constexpr std::size_t num_out_arguments() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < num_args_; ++i) n += is_out(args_[i]) ? 1 : 0;
    return n;
  }
  // torchgen BaseOperatorName.inplace: `add_`, or a dunder `__iadd__` (one
  // of Python's augmented assignments; a dunder's name has no '_' inside).
  [[nodiscard]] constexpr bool has_inplace_name() const noexcept {
    const std::string_view n = name_;
    if (n.size() > 4 && n.starts_with("__") && n.ends_with("__") &&
        n.substr(2, n.size() - 4).find('_') == std::string_view::npos) {
      constexpr std::array<std::string_view, 11> augmented{"add", "sub", "mul", "div", "mod", "pow",
                                                           "lshift", "rshift", "and", "xor", "or"};
      const std::string_view inner = n.substr(2, n.size() - 4);
      for (std::string_view a : augmented)
        if (inner.size() == a.size() + 1 && inner[0] == 'i' && inner.substr(1) == a) return true;
      return false;
    }
    return !n.empty() && n.back() == '_';
  }
  // torchgen FunctionSchema.kind(): inplace name, else scratch/out (a written
  // keyword-only argument; scratch when one is named _scratch_*), else mutable
  // (a written positional argument after `self`, or any positional one when
  // there is no `self`), else functional.
  [[nodiscard]] constexpr schema_kind kind() const {
    if (has_inplace_name()) return schema_kind::inplace;
    bool any_out = false;
    bool scratch = false;
    for (std::size_t i = 0; i < num_args_; ++i) {
      if (!is_out(args_[i])) continue;
      any_out = true;
      scratch = scratch || args_[i].name.starts_with("_scratch_");
    }
    if (scratch) return schema_kind::scratch;
    if (any_out) return schema_kind::out;
    std::size_t first = 0;  // first post-self positional argument
    for (std::size_t i = 0; i < num_args_ && !args_[i].kwarg_only; ++i)
      if (args_[i].name == "self") {
        first = i + 1;
        break;
      }
    for (std::size_t i = first; i < num_args_ && !args_[i].kwarg_only; ++i)
      if (is_write(args_[i])) return schema_kind::mutable_;
    return schema_kind::functional;
  }
  [[nodiscard]] constexpr bool is_functional() const { return kind() == schema_kind::functional; }
  [[nodiscard]] constexpr bool is_out() const {
    const schema_kind k = kind();
    return k == schema_kind::out || k == schema_kind::scratch;
  }
  // An in-place op: inplace name and a written first argument (`Tensor(a!) self`).
  [[nodiscard]] constexpr bool is_inplace() const {
    return kind() == schema_kind::inplace && num_args_ > 0 && is_write(args_[0]);
  }
  // torchgen is_view_op (the schema part): some return is annotated and not
  // written (`-> Tensor(a)`), or some argument's after-set is the wildcard
  // (`Tensor(a -> *) self`: split, unbind).
  [[nodiscard]] constexpr bool is_view() const {
    for (std::size_t r = 0; r < num_rets_; ++r) {
      const alias_info* info = set_alias(rets_[r]);
      if (info != nullptr && !info->is_write) return true;
    }
    for (std::size_t i = 0; i < num_args_; ++i) {
      const alias_info* info = set_alias(args_[i]);
      if (info != nullptr && info->is_wildcard_after()) return true;
    }
    return false;
  }
  // The first input argument that shares an alias set with return `r`
  // (wildcards do not count), or nullopt.
  [[nodiscard]] constexpr std::optional<std::size_t> aliased_input(std::size_t r) const {
    const alias_info* ret = set_alias(rets_.at(r));
    if (ret == nullptr) return std::nullopt;
    for (std::size_t i = 0; i < num_args_; ++i) {
      const alias_info* arg = set_alias(args_[i]);
      if (arg == nullptr) continue;
      for (std::string_view set : ret->before_sets())
        if (set != "*" && arg->has_before(set)) return i;
    }
    return std::nullopt;
  }

 private:
  friend class detail::schema_parser;

  std::string_view text_;
  std::string_view ns_;
  std::string_view name_;
  std::string_view overload_;
  std::array<schema_argument, max_arguments> args_{};
  std::array<schema_argument, max_returns> rets_{};
  std::array<type_node, max_types> types_{};
  std::array<alias_info, max_aliases> aliases_{};
  std::array<literal, max_literals> literals_{};
  std::size_t num_args_ = 0;
  std::size_t num_rets_ = 0;
  std::size_t num_types_ = 0;
  std::size_t num_aliases_ = 0;
  std::size_t num_literals_ = 0;
  bool is_vararg_ = false;
  bool is_varret_ = false;
};

namespace detail {

// ----------------------------------------------------------------- errors --

// The message of a schema error: "schema: <what> at position N" + the text
// and a caret under position N.
inline std::string schema_error_message(std::string_view what, std::size_t pos, std::string_view text) {
  std::string msg = "schema: ";
  msg.append(what).append(" at position ").append(std::to_string(pos)).append("\n  ");
  msg.append(text).append("\n  ");
  // One caret line; tabs kept so the caret lines up under tab-indented text.
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) msg.push_back(text[i] == '\t' ? '\t' : ' ');
  msg.push_back('^');
  return msg;
}

// Reached only when a schema is parsed in a constant expression and is
// malformed: not constexpr, so the compiler stops at the call and names the
// template argument (what was expected).
template <fixed_string What>
[[noreturn]] void schema_syntax_error(std::size_t position) {
  throw value_error(schema_error_message(What.view(), position, "<constant expression>"));
}

// Throws the value_error; in a constant expression, stops compilation with a
// diagnostic that shows What (in the chain of "in 'constexpr' expansion of
// ...fail<fake::fixed_string<N>{"expected ..."}>") and the position: GCC
// prints the out-of-range subscript value, which is the position in the text.
template <fixed_string What>
constexpr void schema_fail(std::string_view text, std::size_t pos) {
  if (pos == static_cast<std::size_t>(-1)) return;  // never; keeps GCC evaluating the call
  if (std::is_constant_evaluated()) {
    constexpr char schema_syntax_error_at_position[1] = {};
    const char past = schema_syntax_error_at_position[pos];
    (void)past;
    schema_syntax_error<What>(pos);
  }
  throw value_error(schema_error_message(What.view(), pos, text));
}

// ------------------------------------------------------ decimal → double --

// An unsigned big integer of 32-bit limbs, only as wide as a correctly rounded
// decimal → double conversion of a schema literal needs (Note [exact doubles]).
struct big_uint {
  static constexpr std::size_t limbs = 48;  // 1536 bits
  std::array<std::uint32_t, limbs> d{};
  std::size_t n = 0;  // used limbs, no leading zero limb

  constexpr void trim() {
    while (n > 0 && d[n - 1] == 0) --n;
  }
  constexpr bool is_zero() const { return n == 0; }
  constexpr void mul_add(std::uint32_t m, std::uint32_t a) {
    std::uint64_t carry = a;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t v = std::uint64_t{d[i]} * m + carry;
      d[i] = static_cast<std::uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) d[n++] = static_cast<std::uint32_t>(carry);
  }
  constexpr std::size_t bit_length() const {
    if (n == 0) return 0;
    return (n - 1) * 32 + static_cast<std::size_t>(std::bit_width(d[n - 1]));
  }
  constexpr bool bit(std::size_t i) const {
    return i / 32 < n && ((d[i / 32] >> (i % 32)) & 1U) != 0;
  }
  constexpr void shift_left(std::size_t s) {
    if (n == 0 || s == 0) return;
    const std::size_t w = s / 32;
    const std::size_t b = s % 32;
    std::array<std::uint32_t, limbs> r{};
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t v = std::uint64_t{d[i]} << b;
      r[i + w] |= static_cast<std::uint32_t>(v);
      if (i + w + 1 < limbs) r[i + w + 1] |= static_cast<std::uint32_t>(v >> 32);
    }
    d = r;
    n = n + w + 1 < limbs ? n + w + 1 : limbs;
    trim();
  }
  friend constexpr int compare(const big_uint& a, const big_uint& b) {
    if (a.n != b.n) return a.n < b.n ? -1 : 1;
    for (std::size_t i = a.n; i-- > 0;)
      if (a.d[i] != b.d[i]) return a.d[i] < b.d[i] ? -1 : 1;
    return 0;
  }
  constexpr void subtract(const big_uint& b) {  // requires *this >= b
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::int64_t v = std::int64_t{d[i]} - (i < b.n ? std::int64_t{b.d[i]} : 0) - borrow;
      borrow = v < 0 ? 1 : 0;
      if (v < 0) v += std::int64_t{1} << 32;
      d[i] = static_cast<std::uint32_t>(v);
    }
    trim();
  }
};

// Note [exact doubles]: PyTorch reads a float default with std::stod (correctly
// rounded) and prints it with 17 significant digits, so a value that is off by
// one ulp prints differently. The conversion is exact: the decimal m·10^e is
// made an integer ratio, the top 64 bits of it are taken with a sticky bit, and
// rounded once, to nearest even. Results std::stod refuses (overflow, and
// underflow into the subnormal range, where glibc sets ERANGE) are refused.
struct decimal_to_double_result {
  double value = 0.0;
  bool ok = false;
};

constexpr decimal_to_double_result decimal_to_double(std::string_view digits, std::int64_t exp10) {
  // `digits`: the significant decimal digits without leading zeros.
  big_uint m;
  for (char ch : digits) m.mul_add(10, static_cast<std::uint32_t>(ch - '0'));
  if (m.is_zero()) return {0.0, true};
  const std::int64_t magnitude = static_cast<std::int64_t>(digits.size()) + exp10;  // value < 10^magnitude
  if (magnitude > 310) return {};
  if (magnitude < -308) return {};
  big_uint q;  // the integer whose top 64 bits are kept
  bool sticky = false;
  std::int64_t e2 = 0;  // value = q * 2^e2 (before truncation to 64 bits)
  if (exp10 >= 0) {
    q = m;
    for (std::int64_t i = 0; i < exp10; ++i) q.mul_add(10, 0);
  } else {
    big_uint den;
    den.d[0] = 1;
    den.n = 1;
    for (std::int64_t i = 0; i < -exp10; ++i) den.mul_add(10, 0);
    // num = m * 2^k with k chosen so that num / den has 64 or 65 bits.
    const std::int64_t k = static_cast<std::int64_t>(den.bit_length()) -
                           static_cast<std::int64_t>(m.bit_length()) + 64;
    big_uint num = m;
    num.shift_left(static_cast<std::size_t>(k > 0 ? k : 0));
    e2 = -(k > 0 ? k : 0);
    // Binary long division: quotient bits from the top.
    big_uint rem;
    for (std::size_t i = num.bit_length(); i-- > 0;) {
      rem.shift_left(1);
      if (num.bit(i)) {
        if (rem.n == 0) rem.n = 1;
        rem.d[0] |= 1U;
      }
      q.shift_left(1);
      if (compare(rem, den) >= 0) {
        rem.subtract(den);
        if (q.n == 0) q.n = 1;
        q.d[0] |= 1U;
      }
    }
    sticky = !rem.is_zero();
  }
  // Keep the top 64 bits of q.
  const std::size_t bl = q.bit_length();
  std::uint64_t top = 0;
  for (std::size_t i = 0; i < 64; ++i) {
    const std::size_t src = bl >= 64 ? bl - 64 + i : i;
    if (bl < 64 && i >= bl) break;
    if (q.bit(src)) top |= std::uint64_t{1} << i;
  }
  if (bl >= 64) {
    for (std::size_t i = 0; i < bl - 64 && !sticky; ++i) sticky = q.bit(i);
    e2 += static_cast<std::int64_t>(bl) - 64;
  } else {
    top <<= (64 - bl);
    e2 -= static_cast<std::int64_t>(64 - bl);
  }
  // Round top (64 bits, top bit set) to 53 bits.
  std::uint64_t mant = top >> 11;
  const std::uint64_t rest = top & 0x7FF;
  if (rest > 0x400 || (rest == 0x400 && (sticky || (mant & 1U) != 0))) ++mant;
  std::int64_t exponent = e2 + 63;  // of the leading bit
  if (mant == (std::uint64_t{1} << 53)) {
    mant >>= 1;
    ++exponent;
  }
  if (exponent > 1023 || exponent < -1022) return {};
  const std::uint64_t bits = (static_cast<std::uint64_t>(exponent + 1023) << 52) |
                             (mant & ((std::uint64_t{1} << 52) - 1));
  return {std::bit_cast<double>(bits), true};
}

// ------------------------------------------------------------------ lexer --

enum class tok : std::uint8_t { eof, ident, keyword, kw_true, kw_false, kw_none, number, string, arrow, dots, punct };

struct token {
  tok kind = tok::eof;
  std::size_t begin = 0;
  std::size_t end = 0;
  char ch = 0;  // punct: the character
};

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Words the TorchScript lexer makes tokens of: never an identifier.
// `NoneType` is one too, though the type parser accepts it as a type.
inline constexpr std::array<std::string_view, 25> schema_keywords{
    "def", "if",    "else",   "elif",  "while",    "return", "is",   "and",
    "or",  "not",   "global", "for",   "in",       "raise",  "assert", "break",
    "continue", "del", "pass", "class", "import", "with", "as", "Ellipsis", "NoneType"};

class schema_parser {
 public:
  constexpr explicit schema_parser(std::string_view text) : t_(text) {
    s_.text_ = text;
    cur_ = lex(0);
  }

  constexpr schema parse() {
    parse_name();
    // Arguments.
    bool kwarg_only = false;
    expect_punct<"expected '(' to open the argument list">('(');
    if (!is_punct(')')) {
      do {
        if (s_.is_vararg_) fail<"'...' must be the last element of the argument list">(cur_.begin);
        if (next_if_punct('*')) {
          kwarg_only = true;
        } else if (cur_.kind == tok::dots) {
          advance();
          s_.is_vararg_ = true;
        } else {
          if (s_.num_args_ == schema::max_arguments) fail<"at most 64 arguments are supported">(cur_.begin);
          s_.args_[s_.num_args_++] = parse_argument(false, kwarg_only);
        }
      } while (next_if_punct(','));
    }
    expect_punct<"expected ',' or ')' in the argument list">(')');
    if (cur_.kind != tok::arrow) fail<"expected '->' after the argument list">(cur_.begin);
    advance();
    // Returns.
    if (cur_.kind == tok::dots) {
      advance();
      s_.is_varret_ = true;
    } else if (is_punct('(')) {
      advance();
      if (!is_punct(')')) {
        do {
          if (s_.is_varret_) fail<"'...' must be the last element of the return list">(cur_.begin);
          if (cur_.kind == tok::dots) {
            advance();
            s_.is_varret_ = true;
          } else {
            add_return(parse_argument(true, false));
          }
        } while (next_if_punct(','));
      }
      expect_punct<"expected ',' or ')' in the return list">(')');
    } else {
      add_return(parse_argument(true, false));
    }
    if (cur_.kind != tok::eof) fail<"expected the end of the schema">(cur_.begin);
    return s_;
  }

 private:
  std::string_view t_;
  schema s_{};
  token cur_{};
  std::size_t fresh_ = 0;  // next `Tensor!` set number

  // Does not return (schema_fail throws or stops constant evaluation).
  template <fixed_string What>
  constexpr void fail(std::size_t pos) const {
    schema_fail<What>(t_, pos);
  }

  // ---------------------------------------------------------- lexing --
  constexpr std::size_t skip_space(std::size_t p) const {
    while (p < t_.size()) {
      const char c = t_[p];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++p;
      } else if (c == '\\' && p + 1 < t_.size() && t_[p + 1] == '\n') {
        p += 2;
      } else if (c == '#') {
        while (p < t_.size() && t_[p] != '\n') ++p;
      } else {
        break;
      }
    }
    return p;
  }

  constexpr token lex(std::size_t from) const {
    const std::size_t p = skip_space(from);
    token k;
    k.begin = p;
    if (p >= t_.size()) {
      k.end = p;
      return k;
    }
    const char c = t_[p];
    // Numbers as strtod reads them: digits [. digits] [e[+-]digits], or .digits...
    if (is_digit(c) || (c == '.' && p + 1 < t_.size() && is_digit(t_[p + 1]))) {
      if (c == '0' && p + 1 < t_.size() && (t_[p + 1] == 'x' || t_[p + 1] == 'X'))
        fail<"hexadecimal number literals are not supported">(p);
      std::size_t q = p;
      while (q < t_.size() && is_digit(t_[q])) ++q;
      if (q < t_.size() && t_[q] == '.') {
        ++q;
        while (q < t_.size() && is_digit(t_[q])) ++q;
      }
      if (q < t_.size() && (t_[q] == 'e' || t_[q] == 'E')) {
        std::size_t r = q + 1;
        if (r < t_.size() && (t_[r] == '+' || t_[r] == '-')) ++r;
        if (r < t_.size() && is_digit(t_[r])) {
          while (r < t_.size() && is_digit(t_[r])) ++r;
          q = r;
        }
      }
      if (q < t_.size() && t_[q] == 'j') fail<"complex number literals are not supported">(p);
      k.kind = tok::number;
      k.end = q;
      return k;
    }
    if (c == '"' || c == '\'') {
      const bool triple = p + 2 < t_.size() && t_[p + 1] == c && t_[p + 2] == c;
      const std::size_t ql = triple ? 3 : 1;
      std::size_t q = p + ql;
      while (true) {
        if (q >= t_.size()) fail<"unterminated string literal">(p);
        if (triple ? (q + 2 < t_.size() && t_[q] == c && t_[q + 1] == c && t_[q + 2] == c) : t_[q] == c) break;
        if (t_[q] == '\n' && !triple) fail<"unterminated string literal">(p);
        if (t_[q] == '\\') ++q;
        ++q;
      }
      k.kind = tok::string;
      k.end = q + ql;
      return k;
    }
    if (is_alpha(c) || c == '_') {
      std::size_t q = p + 1;
      while (q < t_.size() && (is_alpha(t_[q]) || is_digit(t_[q]) || t_[q] == '_')) ++q;
      k.end = q;
      const std::string_view word = t_.substr(p, q - p);
      k.kind = tok::ident;
      if (word == "True") k.kind = tok::kw_true;
      else if (word == "False") k.kind = tok::kw_false;
      else if (word == "None") k.kind = tok::kw_none;
      else
        for (std::string_view kw : schema_keywords)
          if (word == kw) k.kind = tok::keyword;
      return k;
    }
    if (c == '-' && p + 1 < t_.size() && t_[p + 1] == '>') {
      k.kind = tok::arrow;
      k.end = p + 2;
      return k;
    }
    if (c == '.' && p + 2 < t_.size() && t_[p + 1] == '.' && t_[p + 2] == '.') {
      k.kind = tok::dots;
      k.end = p + 3;
      return k;
    }
    constexpr std::string_view punct = "()[],.:*!?=|-";
    if (punct.find(c) == std::string_view::npos) fail<"unexpected character">(p);
    k.kind = tok::punct;
    k.ch = c;
    k.end = p + 1;
    return k;
  }

  constexpr void advance() { cur_ = lex(cur_.end); }
  constexpr std::string_view text_of(const token& k) const { return t_.substr(k.begin, k.end - k.begin); }
  constexpr bool is_punct(char c) const { return cur_.kind == tok::punct && cur_.ch == c; }
  constexpr bool is_ident(std::string_view w) const { return cur_.kind == tok::ident && text_of(cur_) == w; }
  constexpr bool next_if_punct(char c) {
    if (!is_punct(c)) return false;
    advance();
    return true;
  }
  template <fixed_string What>
  constexpr void expect_punct(char c) {
    if (!is_punct(c)) fail<What>(cur_.begin);
    advance();
  }
  template <fixed_string What>
  constexpr std::string_view expect_ident() {
    if (cur_.kind != tok::ident) fail<What>(cur_.begin);
    const std::string_view w = text_of(cur_);
    advance();
    return w;
  }

  // ------------------------------------------------------------ pools --
  constexpr schema_index new_type(type_kind k, schema_index first = no_index) {
    if (s_.num_types_ == schema::max_types) fail<"at most 192 type nodes are supported">(cur_.begin);
    s_.types_[s_.num_types_].kind = k;
    s_.types_[s_.num_types_].first = first;
    return static_cast<schema_index>(s_.num_types_++);
  }
  constexpr schema_index new_alias() {
    if (s_.num_aliases_ == schema::max_aliases) fail<"at most 64 alias annotations are supported">(cur_.begin);
    return static_cast<schema_index>(s_.num_aliases_++);
  }
  constexpr schema_index new_literal(const literal& v) {
    if (s_.num_literals_ == schema::max_literals)
      fail<"at most 64 list-default elements are supported">(cur_.begin);
    s_.literals_[s_.num_literals_] = v;
    return static_cast<schema_index>(s_.num_literals_++);
  }
  constexpr void add_return(const schema_argument& a) {
    if (s_.num_rets_ == schema::max_returns) fail<"at most 16 returns are supported">(cur_.begin);
    s_.rets_[s_.num_rets_++] = a;
  }

  // ------------------------------------------------------------- name --
  constexpr void parse_name() {
    std::string_view first = expect_ident<"expected the operator name">();
    if (next_if_punct(':')) {
      expect_punct<"expected '::' after the namespace">(':');
      s_.ns_ = first;
      first = expect_ident<"expected the operator name after '::'">();
    }
    s_.name_ = first;
    if (next_if_punct('.')) s_.overload_ = expect_ident<"expected the overload name after '.'">();
  }

  // ------------------------------------------------------------ types --
  // An alias annotation: (a), (a!), (a|b), (a -> *), (*), or `!`.
  constexpr schema_index parse_alias_annotation() {
    if (next_if_punct('(')) {
      alias_info info;
      parse_alias_sets(info.before, info.num_before);
      if (next_if_punct('!')) info.is_write = true;
      if (cur_.kind == tok::arrow) {
        advance();
        parse_alias_sets(info.after, info.num_after);
      } else {
        info.after = info.before;
        info.num_after = info.num_before;
      }
      expect_punct<"expected ')' to close the alias annotation">(')');
      const schema_index i = new_alias();
      s_.aliases_[i] = info;
      return i;
    }
    if (is_punct('!')) {
      if (fresh_ >= fresh_alias_names.size()) fail<"too many 'T!' annotations">(cur_.begin);
      advance();
      const schema_index i = new_alias();
      s_.aliases_[i].before[0] = fresh_alias_names[fresh_++];
      s_.aliases_[i].num_before = 1;
      s_.aliases_[i].is_write = true;  // and an empty after-set, as c10 leaves it
      return i;
    }
    return no_index;
  }

  // `a|b|*`: after a wildcard, later names are not read (c10 ignores them, so
  // the closing ')' is then missing); duplicates collapse as in a set.
  constexpr void parse_alias_sets(std::array<std::string_view, alias_info::max_sets>& sets, std::uint8_t& count) {
    bool wildcard = false;
    do {
      std::string_view name;
      if (is_punct('*')) {
        name = text_of(cur_);
        advance();
        wildcard = true;
      } else if (!wildcard) {
        name = expect_ident<"expected an alias set name or '*'">();
      } else {
        continue;
      }
      bool seen = false;
      for (std::size_t i = 0; i < count; ++i) seen = seen || sets[i] == name;
      if (!seen) {
        if (count == alias_info::max_sets) fail<"at most 4 alias sets per annotation are supported">(cur_.begin);
        sets[count++] = name;
      }
    } while (next_if_punct('|'));
  }

  // A list container annotation: the `(b)` of `Tensor(a)[](b)`; with none, an
  // empty one carrying the element's write flag (c10's rule).
  constexpr schema_index wrap_container(schema_index element_alias) {
    schema_index container = parse_alias_annotation();
    if (element_alias != no_index) {
      if (container == no_index) {
        container = new_alias();
        s_.aliases_[container].is_write = s_.aliases_[element_alias].is_write;
      }
      s_.aliases_[container].contained = element_alias;
    }
    return container;
  }

  struct typed {
    schema_index type;
    schema_index alias;
  };

  constexpr typed parse_type() {
    schema_index type = no_index;
    schema_index alias = no_index;
    if (is_punct('(')) {  // tuple; element annotations are dropped, as in c10
      advance();
      type = new_type(type_kind::tuple);
      schema_index last = no_index;
      if (!is_punct(')')) {
        do {
          const schema_index e = parse_type().type;
          if (last == no_index) s_.types_[type].first = e;
          else s_.types_[last].next = e;
          last = e;
        } while (next_if_punct(','));
      }
      expect_punct<"expected ',' or ')' in the tuple type">(')');
    } else if (is_ident("Future") || is_ident("RRef")) {
      const type_kind k = is_ident("Future") ? type_kind::future : type_kind::rref;
      advance();
      expect_punct<"expected '(' after Future or RRef">('(');
      const schema_index e = parse_type().type;
      expect_punct<"expected ')' to close Future(...) or RRef(...)">(')');
      type = new_type(k, e);
    } else if (is_ident("Tensor")) {
      advance();
      type = new_type(type_kind::tensor);
      alias = parse_alias_annotation();
    } else if (is_ident("Dict")) {
      advance();
      expect_punct<"expected '(' after Dict">('(');
      const schema_index key = parse_type().type;
      expect_punct<"expected ',' between the key and value types of Dict">(',');
      const schema_index value = parse_type().type;
      expect_punct<"expected ')' to close Dict(...)">(')');
      s_.types_[key].next = value;
      type = new_type(type_kind::dict, key);
      alias = parse_alias_annotation();
    } else if (is_ident("__torch__")) {
      advance();
      expect_punct<"expected '.' in a custom class name">('.');
      const std::size_t at = cur_.begin;
      if (expect_ident<"expected torch.classes after __torch__.">() != "torch")
        fail<"expected classes namespace: __torch__.torch.classes.<ns>.<Class>">(at);
      expect_punct<"expected '.' in a custom class name">('.');
      const std::size_t at2 = cur_.begin;
      if (expect_ident<"expected torch.classes after __torch__.">() != "classes")
        fail<"expected classes namespace: __torch__.torch.classes.<ns>.<Class>">(at2);
      expect_punct<"expected '.' in a custom class name">('.');
      const std::string_view ns = expect_ident<"expected the custom class namespace">();
      expect_punct<"expected '.' in a custom class name">('.');
      const std::string_view cls = expect_ident<"expected the custom class name">();
      type = new_type(type_kind::class_);
      s_.types_[type].name = ns;
      s_.types_[type].name2 = cls;
    } else {
      if (cur_.kind != tok::ident && cur_.kind != tok::kw_none && !(cur_.kind == tok::keyword && text_of(cur_) == "NoneType"))
        fail<"expected a type">(cur_.begin);
      const std::size_t at = cur_.begin;
      const std::string_view word = text_of(cur_);
      advance();
      bool found = false;
      for (const auto& entry : base_type_names)
        if (entry.name == word) {
          type = new_type(entry.kind);
          found = true;
        }
      if (!found) {
        if (!(word[0] >= 'a' && word[0] <= 'z')) fail<"unknown type specifier">(at);
        type = new_type(type_kind::var);
        s_.types_[type].name = word;
      }
      alias = parse_alias_annotation();
    }
    while (true) {
      if (is_punct('[') && lex(cur_.end).kind == tok::punct && lex(cur_.end).ch == ']') {
        advance();
        advance();
        type = new_type(type_kind::list, type);
        alias = wrap_container(alias);
      } else if (next_if_punct('?')) {
        type = new_type(type_kind::optional, type);
      } else {
        break;
      }
    }
    return {type, alias};
  }

  // ---------------------------------------------------------- arguments --
  // std::stoll: the leading digits of `text` (a number token), or fail.
  constexpr std::int64_t leading_integer(std::string_view text, bool negative, std::size_t at) const {
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      v = v * 10 + static_cast<std::uint64_t>(text[i] - '0');
      if (v > (std::uint64_t{1} << 63)) fail<"integer literal out of range of int64">(at);
    }
    if (i == 0) fail<"expected an integer">(at);  // ".5" read by stoll
    if (!negative && v == (std::uint64_t{1} << 63)) fail<"integer literal out of range of int64">(at);
    return negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  }

  constexpr double parse_double(std::string_view text, bool negative, std::size_t at) const {
    // Split into significant digits and a decimal exponent.
    std::array<char, 60> digits{};
    std::size_t nd = 0;
    std::int64_t exp10 = 0;
    bool seen_dot = false;
    std::size_t i = 0;
    for (; i < text.size(); ++i) {
      const char ch = text[i];
      if (ch == '.') {
        seen_dot = true;
        continue;
      }
      if (!is_digit(ch)) break;
      if (nd == 0 && ch == '0') {
        if (seen_dot) --exp10;
        continue;
      }
      if (nd == digits.size()) fail<"at most 60 significant digits in a number literal">(at);
      digits[nd++] = ch;
      if (seen_dot) --exp10;
    }
    if (i < text.size()) {  // exponent
      ++i;
      bool eneg = false;
      if (text[i] == '+' || text[i] == '-') eneg = text[i++] == '-';
      std::int64_t e = 0;
      for (; i < text.size(); ++i) {
        e = e * 10 + (text[i] - '0');
        if (e > 100000) fail<"number literal out of range of double">(at);
      }
      exp10 += eneg ? -e : e;
    }
    const auto r = decimal_to_double(std::string_view(digits.data(), nd), exp10);
    if (!r.ok) fail<"number literal out of range of double (as std::stod)">(at);
    return negative ? -r.value : r.value;
  }

  // parseSingleConstant: `as_float` when the (fake) type is float.
  constexpr literal parse_single_constant(bool as_float) {
    literal v;
    const token k = cur_;
    v.text = text_of(k);
    switch (k.kind) {
      case tok::kw_true:
      case tok::kw_false:
        advance();
        v.kind = literal_kind::boolean;
        v.boolean = k.kind == tok::kw_true;
        return v;
      case tok::kw_none:
        advance();
        v.kind = literal_kind::none;
        return v;
      case tok::string:
        advance();
        check_string_escapes(k);
        v.kind = literal_kind::string;
        return v;
      case tok::ident: {
        advance();
        const std::string_view w = text_of(k);
        v.kind = literal_kind::integer;
        // c10's values: at::kFloat, at::kLong, at::kStrided, Reduction::Mean, MemoryFormat::Contiguous.
        if (w == "float") v.integer = 6;
        else if (w == "long") v.integer = 4;
        else if (w == "strided") v.integer = 0;
        else if (w == "Mean") v.integer = 1;
        else if (w == "contiguous_format") v.integer = 0;
        else fail<"invalid numeric default value">(cur_.begin);  // torch marks the next token
        return v;
      }
      default: {
        const bool negative = next_if_punct('-');
        if (cur_.kind != tok::number) fail<"expected a number">(cur_.begin);
        const token n = cur_;
        advance();
        const std::string_view nt = text_of(n);
        v.text = t_.substr(k.begin, n.end - k.begin);
        // c10 looks for '.' and a lower-case 'e' only; `1E3` is read by stoll as 1.
        if (as_float || nt.find('.') != std::string_view::npos || nt.find('e') != std::string_view::npos) {
          v.kind = literal_kind::floating;
          v.floating = parse_double(nt, negative, n.begin);
        } else {
          v.kind = literal_kind::integer;
          v.integer = leading_integer(nt, negative, n.begin);
        }
        return v;
      }
    }
  }

  constexpr void check_string_escapes(const token& k) const {
    const std::string_view s = text_of(k);
    const std::size_t q = (s.size() >= 6 && s[0] == s[1] && s[1] == s[2]) ? 3 : 1;
    const std::string_view body = s.substr(q, s.size() - 2 * q);
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (body[i] != '\\') continue;
      const char e = i + 1 < body.size() ? body[i + 1] : '\0';
      if (e == 'x') fail<"unsupported hex specifier">(k.begin);
      if (e == 'u' || e == 'U') fail<"unsupported unicode specifier">(k.begin);
      constexpr std::string_view simple = "\\'\"\nabfnvt";
      if (simple.find(e) == std::string_view::npos || e == '\0') {
        // \ooo with three octal digits below 256
        bool ok = i + 3 < body.size();
        int v = 0;
        for (std::size_t j = 1; ok && j <= 3; ++j) {
          ok = body[i + j] >= '0' && body[i + j] <= '7';
          v = v * 8 + (body[i + j] - '0');
        }
        if (!ok || v >= 256) fail<"ill formed octal specifier">(k.begin);
        i += 3;
      } else {
        ++i;
      }
    }
  }

  // convertToList: elements must fit the list's element kind.
  constexpr literal_kind list_element_kind(type_kind element, std::size_t at) const {
    if (element == type_kind::float_) return literal_kind::floating;
    if (is_int_like(element)) return literal_kind::integer;
    if (element == type_kind::bool_) return literal_kind::boolean;
    fail<"lists are only supported for float, int and bool defaults">(at);
    return literal_kind::absent;  // not reached
  }
  constexpr void check_element(const literal& v, literal_kind want, std::size_t at) const {
    if (v.kind != want) fail<"list default element does not match the list type">(at);
  }

  constexpr literal parse_default(schema_index type, std::int32_t n) {
    const std::size_t at = cur_.begin;
    const type_kind k = s_.types_[type].kind;
    switch (k) {
      case type_kind::tensor:
      case type_kind::generator: {
        if (cur_.kind != tok::kw_none) fail<"expected None (the only default of a Tensor or Generator)">(at);
        literal v;
        v.kind = literal_kind::none;
        v.text = text_of(cur_);
        advance();
        return v;
      }
      case type_kind::device: {
        if (cur_.kind != tok::string) fail<"expected a device string literal">(at);
        const token str = cur_;
        advance();
        check_string_escapes(str);
        return parse_device_literal(str);
      }
      case type_kind::list: {
        const type_kind elem = s_.types_[s_.types_[type].first].kind;
        if (cur_.kind == tok::ident) fail<"expected None">(at);  // PyTorch's parseTensorDefault
        literal v;
        v.kind = literal_kind::list;
        if (n >= 0 && !is_punct('[')) {
          const literal_kind want = list_element_kind(elem, at);
          const literal e = parse_single_constant(elem == type_kind::float_);
          check_element(e, want, at);
          v.element_kind = want;
          v.first = new_literal(e);
          v.size = static_cast<std::uint32_t>(n);
          v.repeated = true;
          v.text = e.text;
          return v;
        }
        expect_punct<"expected '[' to open a list default">('[');
        const literal_kind want = list_element_kind(elem, at);
        v.element_kind = want;
        if (!is_punct(']')) {
          do {
            const std::size_t eat = cur_.begin;
            const literal e = parse_single_constant(elem == type_kind::float_);
            check_element(e, want, eat);
            const schema_index i = new_literal(e);
            if (v.size == 0) v.first = i;
            ++v.size;
          } while (next_if_punct(','));
        }
        const std::size_t close = cur_.begin;
        expect_punct<"expected ',' or ']' in a list default">(']');
        v.text = t_.substr(at, close + 1 - at);
        return v;
      }
      case type_kind::str:
      case type_kind::dimname:
      case type_kind::optional:
      case type_kind::scalar:
      case type_kind::bool_:
      case type_kind::float_:
        return parse_single_constant(k == type_kind::float_);
      default:
        if (is_int_like(k)) return parse_single_constant(false);
        fail<"a default value is not supported for this type">(at);
        return {};  // not reached
    }
  }

  // c10::Device(string): TYPE or TYPE:INDEX, INDEX without leading zeros.
  constexpr literal parse_device_literal(const token& str) const {
    literal v;
    v.kind = literal_kind::device;
    v.text = text_of(str);
    const std::string_view s = v.text.substr(1, v.text.size() - 2);
    if (v.text.size() >= 6 && v.text[1] == v.text[0]) fail<"invalid device string">(str.begin);
    if (s.empty()) fail<"invalid device string: Device string must not be empty">(str.begin);
    const std::size_t colon = s.find(':');
    const std::string_view type_name = s.substr(0, colon);
    bool found = false;
    for (const auto& entry : device_type_names)
      if (entry.name == type_name) {
        v.dev_type = entry.type;
        found = true;
      }
    if (!found) fail<"invalid device string: expected a device type (cpu, cuda, meta, ...)">(str.begin);
    if (colon != std::string_view::npos) {
      const std::string_view digits = s.substr(colon + 1);
      if (digits.empty() || (digits.size() > 1 && digits[0] == '0'))
        fail<"invalid device string: bad device index">(str.begin);
      int index = 0;
      for (char ch : digits) {
        if (!is_digit(ch)) fail<"invalid device string: bad device index">(str.begin);
        index = index * 10 + (ch - '0');
        if (index > 127) fail<"invalid device string: device index above 127">(str.begin);
      }
      v.dev_index = static_cast<std::int16_t>(index);
    }
    return v;
  }

  constexpr schema_argument parse_argument(bool is_return, bool kwarg_only) {
    schema_argument a;
    auto [type, alias] = parse_type();
    if (next_if_punct('[')) {  // T[N]: a fixed size only at argument level
      type = new_type(type_kind::list, type);
      if (cur_.kind != tok::number) fail<"expected the list size">(cur_.begin);
      const std::int64_t n = leading_integer(text_of(cur_), false, cur_.begin);
      if (n > 0x7FFFFFFF) fail<"list size out of range">(cur_.begin);
      a.N = static_cast<std::int32_t>(n);
      advance();
      expect_punct<"expected ']' after the list size">(']');
      alias = wrap_container(alias);
      if (next_if_punct('?')) type = new_type(type_kind::optional, type);
    }
    a.type = type;
    a.alias = alias;
    if (is_return) {
      if (cur_.kind == tok::ident) {
        a.name = text_of(cur_);
        advance();
      }
    } else {
      a.name = expect_ident<"expected an argument name">();
      a.kwarg_only = kwarg_only;
      if (next_if_punct('=')) a.default_value = parse_default(type, a.N);
    }
    return a;
  }
};

}  // namespace detail

// Parses `text`; the schema views `text` (Note [schema storage]). Throws
// fake::value_error for a malformed schema; in a constant expression, fails
// to compile at fake::detail::schema_syntax_error<"what">(position).
constexpr schema parse_schema(std::string_view text) { return detail::schema_parser(text).parse(); }

// ---------------------------------------------------------------- printing --

namespace detail {

// c10's printQuotedString (signed-char octal escapes included).
inline void print_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '"': out += "\\\""; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (ch >= 32 && ch < 127) {
          out.push_back(ch);
        } else {
          // As c10 computes it on a (signed) char: bytes >= 128 come out garbled, like PyTorch's.
          signed char v = static_cast<signed char>(ch);
          char buf[4] = "000";
          buf[2] = static_cast<char>(buf[2] + v % 8);
          v = static_cast<signed char>(v / 8);
          buf[1] = static_cast<char>(buf[1] + v % 8);
          v = static_cast<signed char>(v / 8);
          buf[0] = static_cast<char>(buf[0] + v);
          out.push_back('\\');
          out.append(buf, 3);
        }
    }
  }
  out.push_back('"');
}

// c10 IValue printing of a double: an integral value below 2^63 prints as
// "<int>." ("1.", "0." also for -0.0), anything else with 17 significant digits.
inline void print_double(std::string& out, double d) {
  if (d == d && d > -9223372036854775808.0 && d < 9223372036854775808.0 &&
      static_cast<double>(static_cast<std::int64_t>(d)) == d) {
    out += std::to_string(static_cast<std::int64_t>(d));
    out.push_back('.');
    return;
  }
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", d);
  out.append(buf, static_cast<std::size_t>(n));
}

inline void print_scalar_literal(std::string& out, const literal& v, bool quote_strings) {
  switch (v.kind) {
    case literal_kind::none: out += "None"; break;
    case literal_kind::boolean: out += v.boolean ? "True" : "False"; break;
    case literal_kind::integer: out += std::to_string(v.integer); break;
    case literal_kind::floating: print_double(out, v.floating); break;
    case literal_kind::string: {
      std::string s;
      decode_string_literal(v.text, [&](char ch) { s.push_back(ch); });
      if (quote_strings) print_quoted(out, s);
      else out += s;
      break;
    }
    case literal_kind::device:
      out += name(v.dev_type);
      if (v.dev_index >= 0) out.append(":").append(std::to_string(v.dev_index));
      break;
    default: break;
  }
}

inline void print_type(std::string& out, const schema& s, schema_index t, bool fake_types) {
  const type_node& n = s.type(t);
  switch (n.kind) {
    case type_kind::var: out += n.name; return;
    case type_kind::class_: out.append("__torch__.torch.classes.").append(n.name).append(".").append(n.name2); return;
    case type_kind::list: print_type(out, s, n.first, fake_types); out += "[]"; return;
    case type_kind::optional: print_type(out, s, n.first, fake_types); out += "?"; return;
    case type_kind::tuple: {
      out += "(";
      for (schema_index c = n.first; c != no_index; c = s.type(c).next) {
        if (c != n.first) out += ", ";
        print_type(out, s, c, true);
      }
      out += ")";
      return;
    }
    case type_kind::dict:
      out += "Dict(";
      print_type(out, s, n.first, true);
      out += ", ";
      print_type(out, s, s.type(n.first).next, true);
      out += ")";
      return;
    case type_kind::future:
    case type_kind::rref:
      out += n.kind == type_kind::future ? "Future(" : "RRef(";
      print_type(out, s, n.first, true);
      out += ")";
      return;
    default: out += leaf_type_spelling(n.kind, fake_types); return;
  }
}

inline void print_alias(std::string& out, const alias_info& a) {
  out += "(";
  for (std::size_t i = 0; i < a.num_before; ++i) {
    if (i > 0) out += "|";
    out += a.before[i];
  }
  if (a.is_write) out += "!";
  if (!a.same_before_after()) {
    out += " -> ";
    for (std::size_t i = 0; i < a.num_after; ++i) {
      if (i > 0) out += "|";
      out += a.after[i];
    }
  }
  out += ")";
}

}  // namespace detail

// A type as c10 prints it in a schema ("Tensor?[]", "Dict(str, t)", "SymInt").
inline std::string type_to_string(const schema& s, schema_index t) {
  std::string out;
  detail::print_type(out, s, t, false);
  return out;
}

// An argument or return as c10 prints it: Type(alias)? name=default.
inline std::string to_string(const schema& s, const schema_argument& a) {
  std::string out;
  const type_node& top = s.type(a.type);
  const bool is_opt = top.kind == type_kind::optional;
  const schema_index u = is_opt ? top.first : a.type;
  const alias_info* info = s.alias(a);
  if (s.type(u).kind == type_kind::list) {
    detail::print_type(out, s, s.type(u).first, false);
    if (info != nullptr && info->contained != no_index) detail::print_alias(out, s.alias_at(info->contained));
    out += "[";
    if (a.N >= 0) out += std::to_string(a.N);
    out += "]";
  } else {
    detail::print_type(out, s, u, false);
  }
  if (info != nullptr && info->num_before > 0) detail::print_alias(out, *info);
  if (is_opt) out += "?";
  if (!a.name.empty()) out.append(" ").append(a.name);
  const literal& v = a.default_value;
  if (v.has_value()) {
    out += "=";
    if (v.kind == literal_kind::list) {
      // `int[2] x=[1, 1]` prints as `int[2] x=1` (only a non-optional list of int).
      const type_kind elem = s.type(s.type(u).first).kind;
      bool same = v.size > 1 && !is_opt &&
                  (elem == type_kind::int_ || elem == type_kind::const_quantizer_ptr);
      for (std::size_t i = 1; same && i < v.size; ++i)
        same = s.list_element(v, i).integer == s.list_element(v, 0).integer;
      if (same) {
        detail::print_scalar_literal(out, s.list_element(v, 0), false);
      } else {
        out += "[";
        for (std::size_t i = 0; i < v.size; ++i) {
          if (i > 0) out += ", ";
          detail::print_scalar_literal(out, s.list_element(v, i), false);
        }
        out += "]";
      }
    } else {
      const type_kind unopt = s.type(u).kind;
      detail::print_scalar_literal(out, v, unopt == type_kind::str || unopt == type_kind::dimname);
    }
  }
  return out;
}

// The schema as str(torch._C.parse_schema(text)) prints it.
inline std::string to_string(const schema& s) {
  std::string out = s.full_name();
  out += "(";
  bool seen_kwarg_only = false;
  for (std::size_t i = 0; i < s.num_arguments(); ++i) {
    if (i > 0) out += ", ";
    if (s.argument(i).kwarg_only && !seen_kwarg_only) {
      out += "*, ";
      seen_kwarg_only = true;
    }
    out += to_string(s, s.argument(i));
  }
  if (s.is_vararg()) {
    if (s.num_arguments() > 0) out += ", ";
    out += "...";
  }
  out += ") -> ";
  const std::size_t nr = s.num_returns();
  bool paren = !((nr == 1 && !s.is_varret()) || (nr == 0 && s.is_varret()));
  std::string single;
  if (nr == 1 && !s.is_varret()) {
    single = to_string(s, s.return_(0));
    if (!single.empty() && single.front() == '(') paren = true;  // a tuple type: keep it one return
  }
  if (paren) out += "(";
  for (std::size_t i = 0; i < nr; ++i) {
    if (i > 0) out += ", ";
    out += nr == 1 && !s.is_varret() ? single : to_string(s, s.return_(i));
  }
  if (s.is_varret()) {
    if (nr != 0) out += ", ";
    out += "...";
  }
  if (paren) out += ")";
  return out;
}

// ------------------------------------------------------------ owned_schema --

// A schema together with its text, for schemas built at run time (custom ops):
// copies share the text, so the views inside stay valid.
class owned_schema {
 public:
  explicit owned_schema(std::string text)
      : text_(std::make_shared<const std::string>(std::move(text))), schema_(parse_schema(*text_)) {}

  [[nodiscard]] const schema& get() const noexcept { return schema_; }
  const schema& operator*() const noexcept { return schema_; }
  const schema* operator->() const noexcept { return &schema_; }
  [[nodiscard]] const std::string& text() const noexcept { return *text_; }

 private:
  std::shared_ptr<const std::string> text_;
  schema schema_;
};

inline std::string to_string(const owned_schema& s) { return to_string(s.get()); }

}  // namespace fake
