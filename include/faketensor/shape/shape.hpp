// faketensor/shape/shape.hpp — typed shapes and strides mixing static and
// dynamic extents.
//
//   fake::shape<8, fake::dyn, 768> s{batch};   // stores one int64: the batch
//   fake::get<0>(s)   -> fake::c<8>
//   fake::get<1>(s)   -> std::int64_t
//   s[i]              -> std::int64_t for a runtime i
//
// Like std::extents, only the dynamic values are stored ([[no_unique_address]]),
// so a fully static shape is an empty type and all its queries are constant
// expressions. The rank is always static; for a runtime rank see dim_vector.hpp.
// fake::strides<...> is the same representation for strides (which may be
// negative), a distinct type so the two are never confused.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <string>       // std::string
#include <type_traits>  // std::integral_constant
#include <utility>      // std::index_sequence

#include "faketensor/core/config.hpp"  // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/core/dim.hpp"     // fake::c, fake::dyn
#include "faketensor/core/expect.hpp"  // fake::expect

namespace fake {
namespace detail {

template <std::size_t N>
struct dynamic_values {
  std::int64_t values[N]{};
};
template <>
struct dynamic_values<0> {};  // std::array<T, 0> is not an empty type; this is.

// Storage and static structure shared by shape<> and strides<>.
template <std::int64_t... Es>
class dim_tuple {
 public:
  static constexpr std::size_t rank_value = sizeof...(Es);
  static constexpr std::array<std::int64_t, rank_value> static_values{Es...};
  static constexpr std::size_t num_dynamic = ((Es == dyn ? 1 : 0) + ... + 0);
  static constexpr bool is_fully_static = num_dynamic == 0;

  // For each position, its slot among the stored dynamic values.
  static constexpr std::array<std::size_t, rank_value> dynamic_slot = [] {
    std::array<std::size_t, rank_value> slots{};
    std::size_t next = 0;
    for (std::size_t i = 0; i < rank_value; ++i) slots[i] = static_values[i] == dyn ? next++ : rank_value;
    return slots;
  }();

  // The I-th extent: fake::c<E> when static, std::int64_t when dynamic.
  template <std::size_t I>
  [[nodiscard]] constexpr auto get() const noexcept {
    static_assert(I < rank_value, "fake::get<I>: index out of range for this rank");
    if constexpr (static_values[I] != dyn) return c<static_values[I]>{};
    else return dyn_.values[dynamic_slot[I]];
  }

  // The i-th extent for a runtime index (0 <= i < rank).
  [[nodiscard]] constexpr std::int64_t operator[](std::size_t i) const noexcept {
    if constexpr (num_dynamic == 0) return static_values[i];
    else return static_values[i] != dyn ? static_values[i] : dyn_.values[dynamic_slot[i]];
  }
  template <std::int64_t I>
  [[nodiscard]] constexpr auto operator[](c<I>) const noexcept {
    static_assert(I >= 0 && static_cast<std::size_t>(I) < rank_value, "fake::shape[c<I>]: index out of range");
    return get<static_cast<std::size_t>(I)>();
  }

  [[nodiscard]] static constexpr c<static_cast<std::int64_t>(rank_value)> rank() noexcept { return {}; }
  [[nodiscard]] static constexpr std::size_t size() noexcept { return rank_value; }

  [[nodiscard]] constexpr std::array<std::int64_t, rank_value> to_array() const noexcept {
    std::array<std::int64_t, rank_value> out{};
    for (std::size_t i = 0; i < rank_value; ++i) out[i] = (*this)[i];
    return out;
  }

 protected:
  constexpr dim_tuple() noexcept = default;

  // From all rank values, in order; the static positions are ignored.
  constexpr void assign_all(const std::array<std::int64_t, rank_value>& all) noexcept {
    if constexpr (num_dynamic > 0)
      for (std::size_t i = 0; i < rank_value; ++i)
        if (static_values[i] == dyn) dyn_.values[dynamic_slot[i]] = all[i];
  }
  constexpr void assign_dynamic(const std::array<std::int64_t, num_dynamic>& values) noexcept {
    if constexpr (num_dynamic > 0)
      for (std::size_t i = 0; i < num_dynamic; ++i) dyn_.values[i] = values[i];
  }

 private:
  FAKE_NO_UNIQUE_ADDRESS dynamic_values<num_dynamic> dyn_{};
};

}  // namespace detail

// Tag for constructors that take every extent (static ones included, checked).
struct all_extents_t {
  explicit constexpr all_extents_t() = default;
};
inline constexpr all_extents_t all_extents{};

template <std::int64_t... Es>
class shape : public detail::dim_tuple<Es...> {
  using base = detail::dim_tuple<Es...>;

  static constexpr bool check_static_sizes() {
    ((expect<shape_error, "shape", "negative static size {}">(bool_c<(Es == dyn || Es >= 0)>{}, c<Es>{})), ...);
    return true;
  }
  static_assert(check_static_sizes());

  constexpr void check_dynamic() const {
    for (std::size_t i = 0; i < base::rank_value; ++i)
      if (base::static_values[i] == dyn)
        expect<shape_error, "shape", "Trying to create tensor with negative dimension {}: {}">((*this)[i] >= 0, (*this)[i],
                                                                                                *this);
  }

 public:
  // Fully static shapes, and mixed shapes with their dynamic values zero.
  constexpr shape() noexcept = default;

  // The dynamic extents, in order: fake::shape<dyn, 3, dyn>{2, 5}.
  template <dynamic_dim... Ints>
    requires(sizeof...(Ints) == base::num_dynamic && base::num_dynamic > 0)
  constexpr explicit shape(Ints... dynamic) {
    base::assign_dynamic({static_cast<std::int64_t>(dynamic)...});
    check_dynamic();
  }

  // Every extent: fake::shape<dyn, 3>{fake::all_extents, 2, 3}; a value that
  // disagrees with a static extent is a shape_error.
  template <dynamic_dim... Ints>
    requires(sizeof...(Ints) == base::rank_value)
  constexpr shape(all_extents_t, Ints... all) {
    const std::array<std::int64_t, base::rank_value> values{static_cast<std::int64_t>(all)...};
    for (std::size_t i = 0; i < base::rank_value; ++i)
      if (base::static_values[i] != dyn)
        expect<shape_error, "shape", "size {} at dimension {} disagrees with the static size {}">(
            values[i] == base::static_values[i], values[i], i, base::static_values[i]);
    base::assign_all(values);
    check_dynamic();
  }

  // Internal: build from values known to be consistent (see make_shape).
  struct unchecked_t {};
  constexpr shape(unchecked_t, const std::array<std::int64_t, base::rank_value>& all) noexcept { base::assign_all(all); }
};

template <std::int64_t... Es>
class strides : public detail::dim_tuple<Es...> {
  using base = detail::dim_tuple<Es...>;

 public:
  constexpr strides() noexcept = default;

  template <dynamic_dim... Ints>
    requires(sizeof...(Ints) == base::num_dynamic && base::num_dynamic > 0)
  constexpr explicit strides(Ints... dynamic) noexcept {
    base::assign_dynamic({static_cast<std::int64_t>(dynamic)...});
  }

  template <dynamic_dim... Ints>
    requires(sizeof...(Ints) == base::rank_value)
  constexpr strides(all_extents_t, Ints... all) {
    const std::array<std::int64_t, base::rank_value> values{static_cast<std::int64_t>(all)...};
    for (std::size_t i = 0; i < base::rank_value; ++i)
      if (base::static_values[i] != dyn)
        expect<shape_error, "strides", "stride {} at dimension {} disagrees with the static stride {}">(
            values[i] == base::static_values[i], values[i], i, base::static_values[i]);
    base::assign_all(values);
  }

  struct unchecked_t {};
  constexpr strides(unchecked_t, const std::array<std::int64_t, base::rank_value>& all) noexcept {
    base::assign_all(all);
  }
};

// ------------------------------------------------------------------ traits

template <class T>
struct is_typed_dims : std::false_type {};
template <std::int64_t... Es>
struct is_typed_dims<shape<Es...>> : std::true_type {};
template <std::int64_t... Es>
struct is_typed_dims<strides<Es...>> : std::true_type {};
template <class T>
inline constexpr bool is_typed_dims_v = is_typed_dims<std::remove_cvref_t<T>>::value;

template <class T>
concept typed_dims = is_typed_dims_v<T>;

template <class T>
concept static_dims = typed_dims<T> && std::remove_cvref_t<T>::is_fully_static;

template <class T>
inline constexpr bool is_static_shape_v = static_dims<T>;

// ------------------------------------------------------------- construction

// A typed shape/strides from a pack of dims: each c<N> becomes a static extent,
// each runtime value a dynamic one. Tpl is fake::shape or fake::strides.
template <template <std::int64_t...> class Tpl, dim_like... Ds>
constexpr auto make_dims(Ds... ds) noexcept {
  static_assert((!is_extra_dim_v<Ds> && ...),
                "fake::make_dims: typed shapes hold static and int64 extents; symbolic dims go in sym_dims (a runtime rank)");
  using result = Tpl<static_value_or_dyn<Ds>...>;
  return result(typename result::unchecked_t{}, std::array<std::int64_t, sizeof...(Ds)>{to_int64(ds)...});
}
template <dim_like... Ds>
constexpr auto make_shape(Ds... ds) noexcept {
  return make_dims<shape>(ds...);
}
template <dim_like... Ds>
constexpr auto make_strides(Ds... ds) noexcept {
  return make_dims<strides>(ds...);
}

// ------------------------------------------------------------------ access

template <std::size_t I, std::int64_t... Es>
constexpr auto get(const shape<Es...>& s) noexcept {
  return s.template get<I>();
}
template <std::size_t I, std::int64_t... Es>
constexpr auto get(const strides<Es...>& s) noexcept {
  return s.template get<I>();
}

template <typed_dims S>
constexpr auto rank(const S&) noexcept {
  return std::remove_cvref_t<S>::rank();
}

// The extent at index i: i is a static index (c<I>) or a runtime one.
template <typed_dims S, dim_like I>
constexpr auto dim_at(const S& s, I i) noexcept {
  if constexpr (static_dim<I>) return s[i];
  else return s[static_cast<std::size_t>(i)];
}

// ---------------------------------------------------------------- equality
// Two fully static tuples compare statically; otherwise at run time. Different
// ranks are unequal.

template <std::int64_t... As, std::int64_t... Bs>
constexpr auto operator==(const shape<As...>& a, const shape<Bs...>& b) noexcept {
  if constexpr (sizeof...(As) != sizeof...(Bs)) return false_c{};
  else if constexpr (shape<As...>::is_fully_static && shape<Bs...>::is_fully_static) return bool_c<((As == Bs) && ...)>{};
  else return a.to_array() == b.to_array();
}
template <std::int64_t... As, std::int64_t... Bs>
constexpr auto operator==(const strides<As...>& a, const strides<Bs...>& b) noexcept {
  if constexpr (sizeof...(As) != sizeof...(Bs)) return false_c{};
  else if constexpr (strides<As...>::is_fully_static && strides<Bs...>::is_fully_static) return bool_c<((As == Bs) && ...)>{};
  else return a.to_array() == b.to_array();
}

namespace detail {
template <class S>
std::string dims_to_string(const S& s) {
  std::string out = "[";
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(s[i]);
  }
  return out + "]";
}
}  // namespace detail

// "[2, 3]", as PyTorch prints sizes in messages.
template <std::int64_t... Es>
std::string to_string(const shape<Es...>& s) {
  return detail::dims_to_string(s);
}
template <std::int64_t... Es>
std::string to_string(const strides<Es...>& s) {
  return detail::dims_to_string(s);
}

}  // namespace fake
