// faketensor/ops/boxing.hpp — boxed arguments against a schema: a default
// literal as an ivalue, and the check (with PyTorch's implicit conversions)
// that a boxed argument fits its declared type.
//
// Conversions are those of torch's argument parser for the kinds a meta kernel
// sees: an int for a float, a bool/int/float for a Scalar, None for an
// optional, one int for a fixed-size list (`int[2] stride=1`), an int code for
// ScalarType/Layout/MemoryFormat (schema defaults such as `dtype=long` are
// c10 codes), a list of tensors for Tensor?[].
#pragma once

#include <optional>  // std::optional
#include <string>    // std::string
#include <string_view>  // std::string_view
#include <vector>    // std::vector

#include "faketensor/core/device.hpp"  // fake::device
#include "faketensor/core/dtype.hpp"   // fake::dtype
#include "faketensor/core/error.hpp"   // fake::value_error
#include "faketensor/core/layout.hpp"  // fake::layout, fake::memory_format
#include "faketensor/ops/ivalue.hpp"   // fake::ivalue
#include "faketensor/ops/schema.hpp"   // fake::schema, fake::schema_argument, fake::literal

namespace fake {
namespace detail {

inline ivalue literal_value(const schema& s, const literal& l) {
  switch (l.kind) {
    case literal_kind::absent:
    case literal_kind::none: return {};
    case literal_kind::boolean: return l.boolean;
    case literal_kind::integer: return l.integer;
    case literal_kind::floating: return l.floating;
    case literal_kind::string: {
      std::string out;
      decode_string_literal(l.text, [&](char c) { out.push_back(c); });
      return out;
    }
    case literal_kind::device: return device(l.dev_type, static_cast<std::int8_t>(l.dev_index));
    case literal_kind::list: {
      if (l.element_kind == literal_kind::floating) {
        std::vector<double> v;
        for (std::size_t i = 0; i < l.size; ++i) v.push_back(s.list_element(l, i).floating);
        return v;
      }
      if (l.element_kind == literal_kind::boolean) {
        std::vector<bool> v;
        for (std::size_t i = 0; i < l.size; ++i) v.push_back(s.list_element(l, i).boolean);
        return v;
      }
      dim_vector v;
      for (std::size_t i = 0; i < l.size; ++i) v.push_back(s.list_element(l, i).integer);
      return v;
    }
  }
  return {};
}

// `op` names the op in the message; empty: the schema's full name.
[[noreturn]] inline void bad_argument(std::string_view op, const schema& s, const schema_argument& a, schema_index t,
                                      const ivalue& v) {
  throw value_error((op.empty() ? s.full_name() : std::string(op)) + "() Expected a value of type '" + type_to_string(s, t) + "' for argument '" + std::string(a.name) +
                    "' but instead found type '" + std::string(name(v.kind())) + "'.");
}

// Checks `v` against type `t`, converting in place where PyTorch converts.
// A symbolic SymInt or SymInt[] stays one where the schema says SymInt (or
// Scalar) and the op accepts them (`keep_symbolic`); anywhere else it is
// specialized to its hints with guards (Note [symbolic ints in boxed calls]).
inline void coerce(std::string_view op, const schema& s, const schema_argument& a, schema_index t, ivalue& v,
                   bool keep_symbolic = false) {
  const type_node& n = s.type(t);
  auto fail = [&] { bad_argument(op, s, a, t, v); };
  switch (n.kind) {
    case type_kind::optional:
      if (!v.is_none()) coerce(op, s, a, n.first, v, keep_symbolic);
      return;
    case type_kind::tensor:
      // a real tensor is a Tensor too: a fake mode converts it, and the
      // dispatcher refuses it when no mode is on (Note [real tensors in boxed calls])
      if (!v.is_tensor() && !v.is_real_tensor()) fail();
      return;
    case type_kind::int_:
    case type_kind::sym_int:
      if (v.is_sym_int()) {
        if (keep_symbolic && n.kind == type_kind::sym_int) return;
        v = v.to_int();
      }
      if (!v.is_int()) fail();
      return;
    case type_kind::float_:
      if (v.is_int() || v.is_sym_int()) v = v.to_double();
      if (!v.is_double()) fail();
      return;
    case type_kind::bool_:
      if (!v.is_bool()) fail();
      return;
    case type_kind::scalar:
    case type_kind::complex:
      if (v.is_sym_int() && !(keep_symbolic && n.kind == type_kind::scalar)) v = v.to_int();
      if (!v.is_scalar()) fail();
      return;
    case type_kind::str:
    case type_kind::dimname:
      if (v.kind() != ivalue_kind::string) fail();
      return;
    case type_kind::scalar_type:
      if (v.is_int()) v = static_cast<dtype>(v.to_int());
      if (v.kind() != ivalue_kind::scalar_type) fail();
      return;
    case type_kind::layout:
      if (v.is_int()) v = static_cast<layout>(v.to_int());
      if (v.kind() != ivalue_kind::layout) fail();
      return;
    case type_kind::memory_format:
      if (v.is_int()) v = static_cast<memory_format>(v.to_int());
      if (v.kind() != ivalue_kind::memory_format) fail();
      return;
    case type_kind::device:
      if (v.kind() == ivalue_kind::string) v = parse_device(v.to_string_ref());
      if (v.kind() != ivalue_kind::device) fail();
      return;
    case type_kind::list: {
      const type_node& elem = s.type(n.first);
      const bool ints = elem.kind == type_kind::int_ || elem.kind == type_kind::sym_int;
      if (ints) {
        if (v.is_sym_int_list()) {
          if (keep_symbolic && elem.kind == type_kind::sym_int) return;
          v = v.to_int_list();
        }
        if (v.is_sym_int()) v = v.to_int();
        if (v.is_int() && a.has_fixed_size()) v = dim_vector(static_cast<std::size_t>(a.N), v.to_int());
        if (v.kind() != ivalue_kind::int_list) fail();
        return;
      }
      if (elem.kind == type_kind::tensor) {
        if (!v.is_tensor_list()) fail();
        return;
      }
      if (elem.kind == type_kind::optional && s.type(elem.first).kind == type_kind::tensor) {
        if (v.is_tensor_list()) {
          std::vector<std::optional<tensor_desc>> o(v.to_tensor_list().begin(), v.to_tensor_list().end());
          v = std::move(o);
        }
        if (v.kind() != ivalue_kind::optional_tensor_list) fail();
        return;
      }
      if (elem.kind == type_kind::float_) {
        if (v.is_double() && a.has_fixed_size()) v = std::vector<double>(static_cast<std::size_t>(a.N), v.to_double());
        if (v.kind() != ivalue_kind::float_list) fail();
        return;
      }
      if (elem.kind == type_kind::bool_) {
        if (v.is_bool() && a.has_fixed_size()) v = std::vector<bool>(static_cast<std::size_t>(a.N), v.to_bool());
        if (v.kind() != ivalue_kind::bool_list) fail();
        return;
      }
      return;  // other lists (Scalar[], str[], ...) are passed through unchecked
    }
    default: return;  // Generator, Storage, Any, type variables: not checked
  }
}

}  // namespace detail

// The value of a's default ("dim=0" → 0, "int[2] stride=1" → [1, 1],
// "ScalarType? dtype=None" → None).
inline ivalue default_value(const schema& s, const schema_argument& a) {
  ivalue v = detail::literal_value(s, a.default_value);
  if (!v.is_none()) detail::coerce({}, s, a, a.type, v);  // the op's name is made only for an error
  return v;
}

// Checks (and converts in place, where PyTorch does) a boxed argument against
// its schema argument; a misfit is a value_error naming the op, the argument,
// the declared type and the kind given.
inline void check_argument(const schema& s, const schema_argument& a, ivalue& v, std::string_view op,
                           bool keep_symbolic = false) {
  detail::coerce(op, s, a, a.type, v, keep_symbolic);
}

}  // namespace fake
