// faketensor/shape/sym_dims.hpp — runtime-rank sizes and strides whose dims are
// sym_int: the symbolic counterpart of dim_vector.
//
// The generic shape functions (broadcast_shapes, numel, contiguous strides,
// storage_nbytes, ...) return one when their per-dim function yields sym_int
// (dim_algorithms.hpp picks the container through runtime_dims_for), so the
// same kernel source gives int64 results on dim_vectors and expressions on
// sym_dims (Note [one kernel, three interpretations]).
#pragma once

#include <cstddef>           // std::size_t
#include <cstdint>           // std::int64_t
#include <concepts>          // std::convertible_to
#include <initializer_list>  // std::initializer_list
#include <iterator>          // std::input_iterator
#include <span>              // std::span
#include <string>            // std::string
#include <vector>            // std::vector

#include "faketensor/core/dim.hpp"              // fake::dim_like
#include "faketensor/core/sym.hpp"              // fake::sym_int
#include "faketensor/shape/dim_algorithms.hpp"  // fake::runtime_dims_for
#include "faketensor/shape/dim_vector.hpp"      // fake::dim_vector

namespace fake {

class sym_dims {
 public:
  using value_type = sym_int;
  using size_type = std::size_t;
  using iterator = std::vector<sym_int>::iterator;
  using const_iterator = std::vector<sym_int>::const_iterator;

  sym_dims() = default;
  explicit sym_dims(size_type count) : dims_(count) {}
  sym_dims(size_type count, default_init_t) : dims_(count) {}
  sym_dims(size_type count, sym_int value) : dims_(count, value) {}
  sym_dims(std::initializer_list<sym_int> dims) : dims_(dims) {}
  // Concrete dims, each a constant sym_int.
  explicit sym_dims(const dim_vector& dims) : dims_(dims.begin(), dims.end()) {}
  // A range of dims (expressions, or integers as constants).
  template <std::input_iterator It>
    requires std::convertible_to<std::iter_reference_t<It>, sym_int>
  sym_dims(It first, It last) : dims_(first, last) {}

  [[nodiscard]] size_type size() const noexcept { return dims_.size(); }
  [[nodiscard]] bool empty() const noexcept { return dims_.empty(); }
  [[nodiscard]] sym_int& operator[](size_type i) noexcept { return dims_[i]; }
  [[nodiscard]] const sym_int& operator[](size_type i) const noexcept { return dims_[i]; }
  [[nodiscard]] iterator begin() noexcept { return dims_.begin(); }
  [[nodiscard]] iterator end() noexcept { return dims_.end(); }
  [[nodiscard]] const_iterator begin() const noexcept { return dims_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return dims_.end(); }
  [[nodiscard]] const sym_int& back() const noexcept { return dims_.back(); }
  void push_back(sym_int d) { dims_.push_back(d); }
  void pop_back() noexcept { dims_.pop_back(); }
  void clear() noexcept { dims_.clear(); }
  void resize(size_type count, sym_int value = {}) { dims_.resize(count, value); }
  void resize(size_type count, default_init_t) { dims_.resize(count); }

  // Elementwise structural identity (equal expressions are one node).
  [[nodiscard]] bool same_as(const sym_dims& other) const noexcept {
    if (size() != other.size()) return false;
    for (size_type i = 0; i < size(); ++i)
      if (!dims_[i].same_as(other.dims_[i])) return false;
    return true;
  }

 private:
  std::vector<sym_int> dims_;
};

inline std::int64_t rank(const sym_dims& v) noexcept { return static_cast<std::int64_t>(v.size()); }

template <dim_like I>
sym_int dim_at(const sym_dims& v, I i) {
  return v[static_cast<std::size_t>(to_int64(i))];
}

// "[s0, 768*s1]"
inline std::string to_string(const sym_dims& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? ", " : "") + to_string(v[i]);
  return out + "]";
}

// Every dim at the given values of the backed symbols (in creation order).
inline dim_vector evaluate(const sym_dims& v, std::span<const std::int64_t> values) {
  dim_vector out(v.size(), default_init);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].is_constant()) {
      out[i] = v[i].constant();
      continue;
    }
    const auto value = v[i].node()->env->evaluate(v[i], values);
    if (!value) throw data_dependent_error("evaluate: " + to_string(v[i]) + " needs a value for an unbacked symbol");
    out[i] = *value;
  }
  return out;
}

// The geometry of a tensor as expressions (meta/sym_tensor.hpp puts one on a tensor_desc).
using sym_geometry = geometry<sym_dims, sym_dims, sym_int>;

// Sizes, strides and offset at the given values of the backed symbols.
inline runtime_geometry evaluate(const sym_geometry& g, std::span<const std::int64_t> values) {
  std::int64_t offset = 0;
  if (g.offset.is_constant()) {
    offset = g.offset.constant();
  } else {
    const auto value = g.offset.node()->env->evaluate(g.offset, values);
    if (!value) throw data_dependent_error("evaluate: " + to_string(g.offset) + " needs a value for an unbacked symbol");
    offset = *value;
  }
  return {evaluate(g.sizes, values), evaluate(g.strides, values), offset};
}

template <>
struct runtime_dims_for<sym_int> {
  using type = sym_dims;
};

}  // namespace fake
