// faketensor/shape/dim_vector.hpp — runtime-rank sizes and strides.
//
// Note [dim_vector]
// The type-erased path (tensor_desc, op-by-name calls, graphs, JSON tools)
// keeps sizes and strides in dim_vectors: up to 8 int64 inline, on the heap
// beyond (still correct for any rank). It plays the role of c10's DimVector /
// SizesAndStrides. It started as a Boost.Container small_vector; every view op
// copies and builds several of them, and measured there a small_vector copy of
// 4 dims took 4.2 ns against 1.5 ns for copying a plain inline array (bench:
// bench/README.md), which put the 20 ns per view op out of reach. Because dims
// are trivially copyable int64 values, a copy here is one fixed-size memcpy of
// the inline buffer, with no per-element loop and no allocator logic. It is a
// distinct type so that fake:: functions are found for it by ADL.
#pragma once

#include <algorithm>         // std::copy, std::equal
#include <cstddef>           // std::size_t, std::ptrdiff_t
#include <cstdint>           // std::int64_t, std::uint32_t
#include <cstring>           // std::memcpy
#include <initializer_list>  // std::initializer_list
#include <iterator>          // std::distance, std::reverse_iterator
#include <memory>            // std::unique_ptr
#include <new>               // std::bad_alloc
#include <string>            // std::string

#include "faketensor/core/dim.hpp"     // fake::dim_like
#include "faketensor/shape/shape.hpp"  // fake::detail::dims_to_string

namespace fake {

inline constexpr std::size_t inline_rank = 8;

// Tag: construct with `count` elements left uninitialized (they are written next).
struct default_init_t {
  explicit constexpr default_init_t() = default;
};
inline constexpr default_init_t default_init{};

class dim_vector {
 public:
  using value_type = std::int64_t;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = std::int64_t&;
  using const_reference = const std::int64_t&;
  using pointer = std::int64_t*;
  using const_pointer = const std::int64_t*;
  using iterator = std::int64_t*;
  using const_iterator = const std::int64_t*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;

  constexpr dim_vector() noexcept {}
  constexpr dim_vector(size_type count, default_init_t) { grow_uninitialized(count); }
  constexpr explicit dim_vector(size_type count, std::int64_t value = 0) {
    grow_uninitialized(count);
    std::fill(begin(), end(), value);
  }
  constexpr dim_vector(std::initializer_list<std::int64_t> values) : dim_vector(values.begin(), values.end()) {}
  template <class It>
    requires(!std::integral<It>)
  constexpr dim_vector(It first, It last) {
    const auto n = static_cast<size_type>(std::distance(first, last));
    grow_uninitialized(n);
    std::copy(first, last, begin());
  }
  // Copies any typed shape/strides.
  template <typed_dims S>
  constexpr explicit dim_vector(const S& s) {
    grow_uninitialized(s.size());
    for (size_type i = 0; i < s.size(); ++i) data()[i] = s[i];
  }

  constexpr dim_vector(const dim_vector& other) { copy_from(other); }
  constexpr dim_vector(dim_vector&& other) noexcept { steal(other); }
  constexpr dim_vector& operator=(const dim_vector& other) {
    if (this != &other) {
      release();
      copy_from(other);
    }
    return *this;
  }
  constexpr dim_vector& operator=(dim_vector&& other) noexcept {
    if (this != &other) {
      release();
      steal(other);
    }
    return *this;
  }
  constexpr ~dim_vector() { release(); }

  // --- access
  [[nodiscard]] constexpr size_type size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] constexpr size_type capacity() const noexcept { return is_inline() ? inline_rank : capacity_; }
  [[nodiscard]] constexpr bool is_inline() const noexcept { return capacity_ == 0; }
  // At run time one load; in constant evaluation the pointer is not trusted for
  // inline elements (nvcc's evaluator may relocate a returned object without
  // re-pointing it), so it is recomputed.
  [[nodiscard]] constexpr std::int64_t* data() noexcept {
    if (std::is_constant_evaluated()) return is_inline() ? inline_ : data_;
    return data_;
  }
  [[nodiscard]] constexpr const std::int64_t* data() const noexcept {
    if (std::is_constant_evaluated()) return is_inline() ? inline_ : data_;
    return data_;
  }
  constexpr std::int64_t& operator[](size_type i) noexcept { return data()[i]; }
  constexpr const std::int64_t& operator[](size_type i) const noexcept { return data()[i]; }
  constexpr std::int64_t& front() noexcept { return data()[0]; }
  constexpr const std::int64_t& front() const noexcept { return data()[0]; }
  constexpr std::int64_t& back() noexcept { return data()[size_ - 1]; }
  constexpr const std::int64_t& back() const noexcept { return data()[size_ - 1]; }
  constexpr iterator begin() noexcept { return data(); }
  constexpr iterator end() noexcept { return data() + size_; }
  constexpr const_iterator begin() const noexcept { return data(); }
  constexpr const_iterator end() const noexcept { return data() + size_; }
  constexpr const_iterator cbegin() const noexcept { return begin(); }
  constexpr const_iterator cend() const noexcept { return end(); }
  constexpr reverse_iterator rbegin() noexcept { return reverse_iterator(end()); }
  constexpr reverse_iterator rend() noexcept { return reverse_iterator(begin()); }
  constexpr const_reverse_iterator rbegin() const noexcept { return const_reverse_iterator(end()); }
  constexpr const_reverse_iterator rend() const noexcept { return const_reverse_iterator(begin()); }

  // --- modification
  constexpr void reserve(size_type n) {
    if (n > capacity()) reallocate(n);
  }
  constexpr void clear() noexcept { size_ = 0; }
  constexpr void push_back(std::int64_t v) {
    if (size_ == capacity()) reallocate(capacity() * 2);
    data()[size_++] = v;
  }
  constexpr void emplace_back(std::int64_t v) { push_back(v); }
  constexpr void pop_back() noexcept { --size_; }
  constexpr void resize(size_type n, std::int64_t value = 0) {
    reserve(n);
    if (n > size_) std::fill(data() + size_, data() + n, value);
    size_ = static_cast<std::uint32_t>(n);
  }
  // Resizes leaving new elements uninitialized (the caller writes them next).
  constexpr void resize(size_type n, default_init_t) {
    reserve(n);
    size_ = static_cast<std::uint32_t>(n);
  }
  template <class It>
  constexpr void assign(It first, It last) {
    clear();
    insert(end(), first, last);
  }
  // Inserts [first, last) before pos; returns an iterator to the first inserted.
  template <class It>
  constexpr iterator insert(const_iterator pos, It first, It last) {
    const auto at = static_cast<size_type>(pos - begin());
    const auto n = static_cast<size_type>(std::distance(first, last));
    reserve(size_ + n);
    std::int64_t* d = data();
    std::copy_backward(d + at, d + size_, d + size_ + n);
    std::copy(first, last, d + at);
    size_ = static_cast<std::uint32_t>(size_ + n);
    return d + at;
  }
  constexpr iterator insert(const_iterator pos, std::int64_t v) { return insert(pos, &v, &v + 1); }
  constexpr iterator erase(const_iterator pos) noexcept {
    const auto at = static_cast<size_type>(pos - begin());
    std::copy(begin() + at + 1, end(), begin() + at);
    --size_;
    return begin() + at;
  }

  friend constexpr bool operator==(const dim_vector& a, const dim_vector& b) noexcept {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  constexpr void grow_uninitialized(size_type n) {
    if (n > inline_rank) reallocate(n);
    size_ = static_cast<std::uint32_t>(n);
  }
  constexpr void reallocate(size_type n) {
    if (n > 0xffffffffu) throw std::bad_alloc();
    auto* fresh = new std::int64_t[n];
    copy_n(data(), size_, fresh);
    if (!is_inline()) delete[] data_;
    data_ = fresh;
    capacity_ = static_cast<std::uint32_t>(n);
  }
  // Run time: memcpy. Constant evaluation: element by element, only those in
  // use (the rest of the inline buffer is indeterminate).
  static constexpr void copy_n(const std::int64_t* from, std::size_t n, std::int64_t* to) noexcept {
    if (std::is_constant_evaluated()) {
      for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
    } else if (n > 0) {
      std::memcpy(to, from, n * sizeof(std::int64_t));
    }
  }
  constexpr void copy_inline(const dim_vector& other) noexcept {
    if (std::is_constant_evaluated()) copy_n(other.inline_, other.size_, inline_);
    else std::memcpy(inline_, other.inline_, sizeof inline_);  // fixed size: one unrolled copy
  }
  constexpr void copy_from(const dim_vector& other) {
    data_ = inline_;
    capacity_ = 0;
    if (other.is_inline()) {
      copy_inline(other);
      size_ = other.size_;
    } else {
      size_ = 0;
      grow_uninitialized(other.size_);
      copy_n(other.data(), other.size_, data());
    }
  }
  constexpr void steal(dim_vector& other) noexcept {
    if (other.is_inline()) {
      copy_inline(other);
      data_ = inline_;
      capacity_ = 0;
    } else {
      data_ = other.data_;
      capacity_ = other.capacity_;
      other.data_ = other.inline_;
      other.capacity_ = 0;
    }
    size_ = other.size_;
    other.size_ = 0;
  }
  constexpr void release() noexcept {
    if (!is_inline()) delete[] data_;
    data_ = inline_;
    capacity_ = 0;
  }

  // data_ points at inline_ or at a heap buffer of capacity_ elements
  // (capacity_ == 0: inline): element access is one load at run time, whichever
  // it is (copies and moves re-point it).
  std::int64_t* data_ = inline_;
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;
  // Not zeroed at run time: only the first size_ elements are ever read; copies
  // move the whole buffer with one fixed-size memcpy, which copies bytes, not
  // values. (Constant evaluation copies element by element.)
  std::int64_t inline_[inline_rank];
};

template <class T>
concept runtime_dims = std::same_as<std::remove_cvref_t<T>, dim_vector>;

// The rank of a runtime shape is a runtime value.
constexpr std::int64_t rank(const dim_vector& v) noexcept { return static_cast<std::int64_t>(v.size()); }

template <dim_like I>
constexpr std::int64_t dim_at(const dim_vector& v, I i) noexcept {
  return v[static_cast<std::size_t>(to_int64(i))];
}

inline std::string to_string(const dim_vector& v) { return detail::dims_to_string(v); }

// Typed against runtime: equal when ranks and values agree.
template <typed_dims S>
constexpr bool operator==(const S& a, const dim_vector& b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}

}  // namespace fake
