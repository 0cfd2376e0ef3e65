// faketensor/ops/schema_type.hpp — the pieces of an operator schema: types, alias annotations, default literals.
//
// These are the parts `fake::schema` (ops/schema.hpp) is made of. They hold no
// pointers and no heap memory: types, alias annotations and list-default
// elements live in fixed-capacity pools inside the schema and refer to each
// other by 16-bit index; names are std::string_view slices of the schema text.
// That keeps a parsed schema a literal type, so `constexpr fake::schema s =
// fake::parse_schema("...")` works (see Note [schema storage] in schema.hpp).
//
// Spellings follow PyTorch 1.13's function-schema language
// (torch/csrc/jit/frontend/schema_type_parser.cpp and ATen's FunctionSchema):
//   Tensor int SymInt float complex bool str Scalar ScalarType Layout MemoryFormat
//   Device Generator Dimname Storage Stream QScheme Quantizer ConstQuantizerPtr
//   Capsule Any AnyClassType AnyEnumType None, type variables (a lower-case
//   identifier: t, t1, tVal), __torch__.torch.classes.<ns>.<Class>,
//   T[] T[N] T? (T, U) Dict(K, V) Future(T) RRef(T).
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t, std::uint16_t
#include <span>         // std::span
#include <string_view>  // std::string_view

#include "faketensor/core/device.hpp"  // fake::device_type

namespace fake {

// An index into one of a schema's pools; `no_index` means "none".
using schema_index = std::uint16_t;
inline constexpr schema_index no_index = 0xFFFF;

// What a type node is. Leaves first, then the type constructors.
enum class type_kind : std::uint8_t {
  tensor,
  int_,
  sym_int,
  float_,
  complex,
  bool_,
  str,
  scalar,                // PyTorch's NumberType, spelled `Scalar`
  scalar_type,
  layout,
  memory_format,
  device,
  generator,
  dimname,               // PyTorch 1.13 stores and prints it as `str`
  storage,
  stream,
  qscheme,
  quantizer,
  const_quantizer_ptr,   // PyTorch 1.13 stores and prints it as `int`
  capsule,
  any,
  any_class,
  any_enum,
  none,                  // `None`; printed `NoneType`
  var,                   // a type variable: `t`, `t1`, `tVal`
  class_,                // `__torch__.torch.classes.<ns>.<Class>`
  list,                  // T[]  (a fixed size T[N] lives on the argument, as in c10)
  optional,              // T?
  tuple,                 // (T, U, ...)
  dict,                  // Dict(K, V)
  future,                // Future(T)
  rref,                  // RRef(T)
};

// A node of a schema's type pool. Children form a singly linked list:
// `first` is the first child (the element of list/optional/future/rref, the
// first element of a tuple, the key of a dict), `next` the following sibling.
struct type_node {
  type_kind kind = type_kind::tensor;
  schema_index first = no_index;
  schema_index next = no_index;
  std::string_view name;   // var: its name; class_: the namespace
  std::string_view name2;  // class_: the class name
};

namespace detail {

// The spelling of a leaf type as PyTorch 1.13 prints it in a schema.
// `fake_types` is the spelling inside a tuple, dict, future or rref, where
// c10 prints a type's "fake" form (SymInt, ScalarType, Layout, MemoryFormat
// become int).
constexpr std::string_view leaf_type_spelling(type_kind k, bool fake_types) {
  switch (k) {
    case type_kind::tensor: return "Tensor";
    case type_kind::int_: return "int";
    case type_kind::sym_int: return fake_types ? "int" : "SymInt";
    case type_kind::float_: return "float";
    case type_kind::complex: return "complex";
    case type_kind::bool_: return "bool";
    case type_kind::str: return "str";
    case type_kind::scalar: return "Scalar";
    case type_kind::scalar_type: return fake_types ? "int" : "ScalarType";
    case type_kind::layout: return fake_types ? "int" : "Layout";
    case type_kind::memory_format: return fake_types ? "int" : "MemoryFormat";
    case type_kind::device: return "Device";
    case type_kind::generator: return "Generator";
    case type_kind::dimname: return "str";
    case type_kind::storage: return "Storage";
    case type_kind::stream: return "Stream";
    case type_kind::qscheme: return "QScheme";
    case type_kind::quantizer: return "Quantizer";
    case type_kind::const_quantizer_ptr: return "int";
    case type_kind::capsule: return "Capsule";
    case type_kind::any: return "Any";
    case type_kind::any_class: return "AnyClassType";
    case type_kind::any_enum: return "AnyEnumType";
    case type_kind::none: return "NoneType";
    default: return {};
  }
}

struct base_type_name {
  std::string_view name;
  type_kind kind;
};

// The base types of schema_type_parser.cpp's type_map (PyTorch 1.13).
inline constexpr std::array<base_type_name, 25> base_type_names{{
    {"Tensor", type_kind::tensor},
    {"int", type_kind::int_},
    {"SymInt", type_kind::sym_int},
    {"float", type_kind::float_},
    {"complex", type_kind::complex},
    {"bool", type_kind::bool_},
    {"str", type_kind::str},
    {"Scalar", type_kind::scalar},
    {"ScalarType", type_kind::scalar_type},
    {"Layout", type_kind::layout},
    {"MemoryFormat", type_kind::memory_format},
    {"Device", type_kind::device},
    {"Generator", type_kind::generator},
    {"Dimname", type_kind::dimname},
    {"Storage", type_kind::storage},
    {"Stream", type_kind::stream},
    {"QScheme", type_kind::qscheme},
    {"Quantizer", type_kind::quantizer},
    {"ConstQuantizerPtr", type_kind::const_quantizer_ptr},
    {"Capsule", type_kind::capsule},
    {"Any", type_kind::any},
    {"AnyClassType", type_kind::any_class},
    {"AnyEnumType", type_kind::any_enum},
    {"None", type_kind::none},
    {"NoneType", type_kind::none},
}};

// Kinds that c10 stores as IntType (their "fake" type): a default for them is
// parsed as an int.
constexpr bool is_int_like(type_kind k) {
  return k == type_kind::int_ || k == type_kind::sym_int || k == type_kind::scalar_type ||
         k == type_kind::layout || k == type_kind::memory_format ||
         k == type_kind::const_quantizer_ptr;
}

// Names for `Tensor!` fresh alias sets, "$0", "$1", ... as c10 names them.
// Static strings, so that a set name is always a string_view with static
// lifetime or a slice of the schema text.
inline constexpr std::array<std::string_view, 32> fresh_alias_names{{
    "$0",  "$1",  "$2",  "$3",  "$4",  "$5",  "$6",  "$7",  "$8",  "$9",  "$10",
    "$11", "$12", "$13", "$14", "$15", "$16", "$17", "$18", "$19", "$20", "$21",
    "$22", "$23", "$24", "$25", "$26", "$27", "$28", "$29", "$30", "$31",
}};

}  // namespace detail

// ----------------------------------------------------------------- aliases --

// An alias annotation, c10's AliasInfo: `Tensor(a)`, `Tensor(a!)`,
// `Tensor(a -> *)`, `Tensor(a|b)`, `Tensor!` (a fresh set "$N", written, with
// an empty after-set — PyTorch prints it `Tensor($0! -> )`).
// The wildcard set is spelled "*". A list whose element is annotated
// (`Tensor(a!)[]`) gets a container annotation with no sets whose `contained`
// is the element's annotation, and whose is_write is copied from it.
struct alias_info {
  static constexpr std::size_t max_sets = 4;

  std::array<std::string_view, max_sets> before{};
  std::array<std::string_view, max_sets> after{};
  std::uint8_t num_before = 0;
  std::uint8_t num_after = 0;
  bool is_write = false;
  schema_index contained = no_index;  // the element's annotation (lists)

  [[nodiscard]] constexpr std::span<const std::string_view> before_sets() const noexcept {
    return {before.data(), num_before};
  }
  [[nodiscard]] constexpr std::span<const std::string_view> after_sets() const noexcept {
    return {after.data(), num_after};
  }
  [[nodiscard]] constexpr bool has_before(std::string_view set) const noexcept {
    for (std::size_t i = 0; i < num_before; ++i)
      if (before[i] == set) return true;
    return false;
  }
  [[nodiscard]] constexpr bool has_after(std::string_view set) const noexcept {
    for (std::size_t i = 0; i < num_after; ++i)
      if (after[i] == set) return true;
    return false;
  }
  [[nodiscard]] constexpr bool is_wildcard_before() const noexcept { return has_before("*"); }
  [[nodiscard]] constexpr bool is_wildcard_after() const noexcept { return has_after("*"); }
  // Before- and after-sets are equal as sets (then no " -> " is printed).
  [[nodiscard]] constexpr bool same_before_after() const noexcept {
    if (num_before != num_after) return false;
    for (std::size_t i = 0; i < num_before; ++i)
      if (!has_after(before[i])) return false;
    return true;
  }
};

// --------------------------------------------------------------- literals --

enum class literal_kind : std::uint8_t {
  absent,    // no default value
  none,      // None
  boolean,   // True / False
  integer,   // 1, -1, and the named constants float/long/strided/Mean/contiguous_format
  floating,  // 1e-05, 0.5, 1.  (any number with '.' or 'e', or any number for a float)
  string,    // "mean", 'none' (text keeps the quotes and escapes; see string_equals)
  device,    // "cpu", "cuda:1" for a Device argument
  list,      // [0, 1], [], or one value repeated N times for T[N]
};

// A default value as PyTorch's parser types it (c10 IValue), plus its source
// text. List elements live in the schema's literal pool: elements(s) there.
struct literal {
  literal_kind kind = literal_kind::absent;
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0.0;
  std::string_view text;  // the source text (string: with quotes; list: from '[' to ']')
  device_type dev_type = device_type::cpu;
  std::int16_t dev_index = -1;
  literal_kind element_kind = literal_kind::absent;  // list: integer, floating or boolean
  schema_index first = no_index;                     // list: first element in the pool
  std::uint32_t size = 0;                            // list: number of elements
  bool repeated = false;                             // list: one pooled element stands for all (`int[2] x=1`)

  [[nodiscard]] constexpr bool has_value() const noexcept { return kind != literal_kind::absent; }
  [[nodiscard]] constexpr bool is_none() const noexcept { return kind == literal_kind::none; }

  // A string default's value equals `s` (escapes decoded as PyTorch does).
  [[nodiscard]] constexpr bool string_equals(std::string_view s) const noexcept;
};

namespace detail {

// Decodes the string literal `tok` (with its quotes) one character at a time,
// as torch/csrc/jit/frontend/parse_string_literal.h does. The caller has
// validated the escapes (schema parsing rejects \x, \u, \U and bad octals).
template <class Sink>
constexpr void decode_string_literal(std::string_view tok, Sink&& sink) {
  const std::size_t q = (tok.size() >= 6 && tok[0] == tok[1] && tok[1] == tok[2]) ? 3 : 1;
  const std::string_view body = tok.substr(q, tok.size() - 2 * q);
  for (std::size_t i = 0; i < body.size(); ++i) {
    char ch = body[i];
    if (ch == '\\' && i + 1 < body.size()) {
      const char e = body[i + 1];
      i += 1;
      switch (e) {
        case 'a': ch = '\a'; break;
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'v': ch = '\v'; break;
        case 't': ch = '\t'; break;
        case '\\': case '\'': case '"': case '\n': ch = e; break;
        default: {  // \ooo, validated
          int v = 0;
          for (std::size_t j = 0; j < 3; ++j) v = v * 8 + (body[i + j] - '0');
          i += 2;
          ch = static_cast<char>(v);
        }
      }
    }
    sink(ch);
  }
}

}  // namespace detail

constexpr bool literal::string_equals(std::string_view s) const noexcept {
  if (kind != literal_kind::string) return false;
  std::size_t at = 0;
  bool same = true;
  detail::decode_string_literal(text, [&](char ch) {
    if (at >= s.size() || s[at] != ch) same = false;
    ++at;
  });
  return same && at == s.size();
}

}  // namespace fake
