// faketensor/meta/view_info.hpp — what a view remembers: its base and the chain
// of view ops that made it (PyTorch's _base and ViewFunc).
//
// Note [view chains]
// A view keeps a pointer to an immutable node {parent node, step}; the chain
// ends at a root node that holds the base (a non-view tensor, as it was when
// its first view was taken — PyTorch's _base is always the root base, never an
// intermediate view) and no step. The base caches its root node, so taking a
// view costs one small allocation; the chain is shared by all views derived
// from it. replay() in view/replay.hpp re-applies the steps to
// another base; view_from_base() rebuilds any view with as_strided.
#pragma once

#include <algorithm>  // std::min
#include <cstdint>  // std::int64_t
#include <memory>   // std::unique_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <boost/smart_ptr/intrusive_ptr.hpp>          // boost::intrusive_ptr
#include <boost/smart_ptr/intrusive_ref_counter.hpp>  // boost::intrusive_ref_counter

#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector

namespace fake {

class tensor_desc;

// One view op with its arguments as the caller gave them (so that replaying
// `view(-1, 4)` on a bigger base infers again).
enum class view_op : std::uint8_t {
  view,             // ints: sizes (may hold one -1)
  unsafe_view,      // ints: sizes
  transpose,        // a, b: dims
  permute,          // ints: dims
  select,           // a: dim, b: index
  slice,            // a: dim, b: start, c: end, d: step
  narrow,           // a: dim, b: start, c: length
  unsqueeze,        // a: dim
  squeeze,          // all size-1 dims
  squeeze_dims,     // ints: dims (one or several)
  expand,           // ints: sizes (may hold -1)
  as_strided,       // ints: sizes then strides, a: storage offset (-1: keep)
  diagonal,         // a: offset, b: dim1, c: dim2
  unfold,           // a: dim, b: size, c: step
  view_as_real,     //
  view_as_complex,  //
  real,             //
  imag,             //
  alias,            //
};

std::string_view name(view_op op);

namespace detail {
struct int_list : boost::intrusive_ref_counter<int_list, boost::thread_unsafe_counter> {
  dim_vector values;
};
inline const dim_vector& empty_int_list() noexcept {
  static const dim_vector empty{};
  return empty;
}
}  // namespace detail

// Kept small (every view carries its last step): scalar arguments in a..d; a
// list argument (view's sizes, permute's dims; as_strided's sizes then
// strides) inline when it has at most 6 entries, else shared on the heap, so
// the common view ops allocate nothing for their record.
struct view_step {
  static constexpr std::size_t inline_ints = 6;

  view_op op{};
  std::uint8_t count = 0;  // entries in the list argument
  std::int64_t a = 0, b = 0, c = 0, d = 0;
  std::int64_t small[inline_ints]{};
  boost::intrusive_ptr<const detail::int_list> list;  // set when count > inline_ints

  [[nodiscard]] dim_vector ints() const {
    if (list) return list->values;
    return dim_vector(small, small + count);
  }
  void set_ints(const dim_vector& values) {
    if (values.size() <= inline_ints) {
      count = static_cast<std::uint8_t>(values.size());
      for (std::size_t i = 0; i < values.size(); ++i) small[i] = values[i];
      list.reset();
      return;
    }
    auto l = boost::intrusive_ptr<detail::int_list>(new detail::int_list);
    l->values = values;
    count = static_cast<std::uint8_t>(std::min<std::size_t>(values.size(), 255));
    list = std::move(l);
  }
};

namespace detail {
struct view_node : boost::intrusive_ref_counter<view_node, boost::thread_unsafe_counter> {
  boost::intrusive_ptr<const view_node> parent;  // null at the root
  std::unique_ptr<const tensor_desc> base;        // set at the root only (which has no step)
  view_step step;
  [[nodiscard]] bool is_root() const noexcept { return base != nullptr; }
};
}  // namespace detail

}  // namespace fake
