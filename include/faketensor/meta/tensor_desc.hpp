// faketensor/meta/tensor_desc.hpp — the type-erased fake tensor.
//
// Everything a tensor has except its bytes: sizes, strides (inline up to rank
// 8), storage offset, dtype, device, layout, flags, a shared storage and, for a
// view, its base and view chain (Note [view chains]). A tensor_desc is a value:
// copies are the same tensor (same id(), same storage); an in-place view op
// (transpose_, as_strided_) changes the value it is called on.
#pragma once

#include <cstdint>  // std::int64_t, std::uint64_t, std::uint16_t
#include <span>     // std::span
#include <string>   // std::string
#include <type_traits>  // std::is_invocable_r_v
#include <vector>   // std::vector

#include <boost/smart_ptr/intrusive_ptr.hpp>          // boost::intrusive_ptr
#include <boost/smart_ptr/intrusive_ref_counter.hpp>  // boost::intrusive_ref_counter

#include "faketensor/core/device.hpp"       // fake::device
#include "faketensor/core/dtype.hpp"        // fake::dtype
#include "faketensor/core/expect.hpp"       // fake::expect
#include "faketensor/core/layout.hpp"       // fake::layout, fake::memory_format
#include "faketensor/meta/storage.hpp"      // fake::storage
#include "faketensor/meta/view_info.hpp"    // fake::view_step
#include "faketensor/shape/contiguity.hpp"  // fake::is_contiguous
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/geometry.hpp"    // fake::runtime_geometry
#include "faketensor/shape/numel.hpp"       // fake::numel, fake::storage_nbytes
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides

namespace fake {

// Flags of a tensor (PyTorch's Tensor attributes of the same names).
enum class tensor_flag : std::uint16_t {
  requires_grad = 1 << 0,
  is_leaf = 1 << 1,
  is_view = 1 << 2,
  is_conj = 1 << 3,
  is_neg = 1 << 4,
  is_inference = 1 << 5,
  is_parameter = 1 << 6,
  // A Python number passed where a Tensor is taken (`x * 0.5` calls mul.Tensor
  // with a 0-dim cpu tensor so marked): it promotes as a Scalar does, and a
  // graph records it as the number (c10's is_wrapped_number).
  is_wrapped_number = 1 << 7,
};

namespace detail {
// Note [symbolic geometry of a tensor]
// A tensor made symbolic (meta/sym_tensor.hpp: make_symbolic, or a view of
// one) holds, beside its concrete geometry, the same geometry as expressions
// in a shape_env's symbols. The concrete geometry is always the expressions at
// the symbols' hints, so code that reads sizes() sees a real tensor of the
// traced sizes. The expressions live behind this interface so that this header
// does not pull in the shape environment: sym_tensor.hpp implements it, and
// the view ops reach it through apply_view (the view step they record is all
// it needs), so every view of a symbolic tensor is symbolic too.
class sym_geometry_holder : public boost::intrusive_ref_counter<sym_geometry_holder, boost::thread_unsafe_counter> {
 public:
  virtual ~sym_geometry_holder() = default;
  // The symbolic geometry of the view that `step` makes of the tensor this
  // holds for; `concrete` is that view's concrete geometry, which must be the
  // result at the hints.
  [[nodiscard]] virtual boost::intrusive_ptr<const sym_geometry_holder> apply_view(const view_step& step,
                                                                                  const runtime_geometry& concrete) const = 0;
  // The geometry of a new contiguous tensor of the same sizes (a copy's);
  // `concrete` as for apply_view.
  [[nodiscard]] virtual boost::intrusive_ptr<const sym_geometry_holder> contiguous_copy(const runtime_geometry& concrete) const = 0;
  // TensorIterator's output geometry for these operands (nullptr for a
  // scalar; this holder's tensor is one of them): a new output of a pointwise
  // op whose concrete geometry is `concrete`.
  [[nodiscard]] virtual boost::intrusive_ptr<const sym_geometry_holder> tensor_iterator_output(
      std::span<const tensor_desc* const> operands, const runtime_geometry& concrete) const = 0;
  // Guards every symbol in the geometry to its hint: what an op that cannot
  // run on symbols does with a symbolic input (PyTorch's specialization).
  virtual void specialize() const = 0;
  // Guards one size to its hint (an op that reads it as a number: how many
  // pieces split makes); the rest stays symbolic.
  virtual void specialize_size(std::size_t d) const = 0;
  // Appends the expressions' words to a dispatch cache key (fake::append_key).
  virtual void append_key(std::vector<std::int64_t>& words) const = 0;
  // The sizes and strides as expressions, "[s0, s1, 768]" (FX prints these).
  [[nodiscard]] virtual std::string sizes_string() const = 0;
  [[nodiscard]] virtual std::string strides_string() const = 0;
};
using sym_geometry_ptr = boost::intrusive_ptr<const sym_geometry_holder>;

// The last tensor id handed out (ids only grow: a tracer keys the tensors it
// sees made by their distance from where it started).
inline std::uint64_t& tensor_id_counter() noexcept {
  static std::uint64_t counter = 0;
  return counter;
}
inline std::uint64_t next_tensor_id() noexcept { return ++tensor_id_counter(); }
}  // namespace detail

class tensor_desc {
 public:
  // An undefined tensor (no storage, rank 0); is_defined() is false.
  tensor_desc() = default;

  // A tensor on an existing storage; the geometry must fit in it.
  tensor_desc(dim_vector sizes, dim_vector strides, std::int64_t storage_offset, dtype dt, fake::storage st,
              fake::layout lay = layout::strided)
      : geometry_{std::move(sizes), std::move(strides), storage_offset},
        dtype_(dt),
        device_(st.device()),
        layout_(lay),
        id_(detail::next_tensor_id()),
        storage_(std::move(st)) {
    check_geometry("tensor_desc");
    is_leaf(true);
  }

  // The same, for a caller that has checked the geometry against the storage
  // (the converter, with the describer's measurement): no check here.
  struct checked_by_caller_t {};
  static constexpr checked_by_caller_t checked_by_caller{};
  tensor_desc(checked_by_caller_t, dim_vector sizes, dim_vector strides, std::int64_t storage_offset, dtype dt,
              fake::storage st, fake::layout lay = layout::strided) noexcept
      : geometry_{std::move(sizes), std::move(strides), storage_offset},
        dtype_(dt),
        device_(st.device()),
        layout_(lay),
        id_(detail::next_tensor_id()),
        storage_(std::move(st)) {
    is_leaf(true);
  }

  // --- geometry
  [[nodiscard]] const dim_vector& sizes() const noexcept { return geometry_.sizes; }
  [[nodiscard]] const dim_vector& strides() const noexcept { return geometry_.strides; }
  [[nodiscard]] std::int64_t storage_offset() const noexcept { return geometry_.offset; }
  [[nodiscard]] const runtime_geometry& geometry() const noexcept { return geometry_; }
  [[nodiscard]] std::int64_t dim() const noexcept { return static_cast<std::int64_t>(geometry_.sizes.size()); }
  // Note [symbolic geometry of a tensor]: whether the geometry is also held as
  // expressions (sym_sizes(t), sym_strides(t) in meta/sym_tensor.hpp).
  [[nodiscard]] bool is_symbolic() const noexcept { return sym_ != nullptr; }
  [[nodiscard]] const detail::sym_geometry_ptr& symbolic_geometry() const noexcept { return sym_; }
  // Sets the expressions; `holder`'s values at the hints must be geometry()
  // (sym_tensor.hpp checks that when it makes one).
  void set_symbolic_geometry(detail::sym_geometry_ptr holder) noexcept { sym_ = std::move(holder); }
  // For code about to use this tensor's sizes or strides as plain numbers (a
  // loop over size(d), sizes copied into another op's arguments): guards a
  // symbolic geometry's symbols to their hints, so that what it computes is
  // not trusted at other sizes (Note [ops on symbolic tensors]).
  void specialize_symbolic_geometry() const {
    if (sym_) sym_->specialize();
  }
  // The same for size(d) alone (negative d as for size()).
  void specialize_symbolic_size(std::int64_t d) const {
    if (sym_) sym_->specialize_size(static_cast<std::size_t>(wrap_dim<"size">(d, dim())));
  }
  // size(d) and stride(d) accept negative dims, as PyTorch does.
  [[nodiscard]] std::int64_t size(std::int64_t d) const { return geometry_.sizes[static_cast<std::size_t>(wrap_dim<"size">(d, dim()))]; }
  [[nodiscard]] std::int64_t stride(std::int64_t d) const {
    return geometry_.strides[static_cast<std::size_t>(wrap_dim<"stride">(d, dim()))];
  }
  [[nodiscard]] std::int64_t numel() const { return fake::numel(geometry_.sizes); }
  [[nodiscard]] std::int64_t itemsize() const { return fake::itemsize(dtype_); }
  [[nodiscard]] std::int64_t nbytes() const { return checked_mul<"nbytes">(numel(), itemsize()); }
  [[nodiscard]] bool is_contiguous(memory_format format = memory_format::contiguous_format) const {
    return fake::is_contiguous(geometry_.sizes, geometry_.strides, format);
  }
  [[nodiscard]] bool is_non_overlapping_and_dense() const { return fake::is_non_overlapping_and_dense(geometry_.sizes, geometry_.strides); }
  [[nodiscard]] memory_format suggest_memory_format(bool exact_match = false) const {
    return layout_ == layout::strided ? fake::suggest_memory_format(geometry_.sizes, geometry_.strides, exact_match)
                                      : memory_format::contiguous_format;
  }

  // --- type and placement
  [[nodiscard]] fake::dtype dtype() const noexcept { return dtype_; }
  [[nodiscard]] fake::device device() const noexcept { return device_; }
  [[nodiscard]] fake::layout layout() const noexcept { return layout_; }

  // --- identity and aliasing
  [[nodiscard]] bool is_defined() const noexcept { return id_ != 0; }
  // The same tensor (copies of one tensor_desc) has the same id.
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  [[nodiscard]] const fake::storage& storage() const noexcept { return storage_; }
  [[nodiscard]] bool shares_storage_with(const tensor_desc& other) const noexcept {
    return storage_.defined() && storage_ == other.storage_;
  }

  // --- flags
  [[nodiscard]] bool has(tensor_flag f) const noexcept { return (flags_ & static_cast<std::uint16_t>(f)) != 0; }
  tensor_desc& set(tensor_flag f, bool on = true) noexcept {
    flags_ = on ? (flags_ | static_cast<std::uint16_t>(f)) : (flags_ & ~static_cast<std::uint16_t>(f));
    return *this;
  }
  [[nodiscard]] bool requires_grad() const noexcept { return has(tensor_flag::requires_grad); }
  [[nodiscard]] bool is_leaf() const noexcept { return has(tensor_flag::is_leaf); }
  [[nodiscard]] bool is_view() const noexcept { return has(tensor_flag::is_view); }
  [[nodiscard]] bool is_conj() const noexcept { return has(tensor_flag::is_conj); }
  [[nodiscard]] bool is_neg() const noexcept { return has(tensor_flag::is_neg); }
  [[nodiscard]] bool is_inference() const noexcept { return has(tensor_flag::is_inference); }
  [[nodiscard]] bool is_parameter() const noexcept { return has(tensor_flag::is_parameter); }
  [[nodiscard]] bool is_wrapped_number() const noexcept { return has(tensor_flag::is_wrapped_number); }
  tensor_desc& is_wrapped_number(bool on) noexcept { return set(tensor_flag::is_wrapped_number, on); }
  tensor_desc& requires_grad(bool on) noexcept { return set(tensor_flag::requires_grad, on); }
  tensor_desc& is_leaf(bool on) noexcept { return set(tensor_flag::is_leaf, on); }

  // --- views (Note [view chains])
  // The root base of a view (PyTorch's _base); undefined for a non-view.
  [[nodiscard]] const tensor_desc& base() const noexcept;
  // The view op that made this view (the chain's last step); all zero for a non-view.
  [[nodiscard]] const view_step& last_view_step() const noexcept { return step_; }
  // The chain of view ops from base() to this tensor, oldest first.
  [[nodiscard]] std::vector<view_step> view_chain() const;
  // The node that views of this tensor hang from: for a view, its own {parent,
  // step}; for a base, the root node holding a snapshot of it. Made on the first
  // view and cached (copies of this tensor share it), so a view op allocates
  // nothing for its chain in the common case.
  [[nodiscard]] const boost::intrusive_ptr<const detail::view_node>& view_node() const;

  // --- construction helpers used by ops (not for users: they skip checks the
  // op has made)
  struct result_tag {};
  // A new tensor (new id) sharing `from`'s storage, dtype, device and flags.
  tensor_desc(result_tag, const tensor_desc& from, dim_vector sizes, dim_vector strides, std::int64_t offset) noexcept
      : tensor_desc(result_tag{}, from, [&] { return runtime_geometry{std::move(sizes), std::move(strides), offset}; }) {}
  // The same with the geometry made by `make` (a callable returning a
  // runtime_geometry prvalue): constructed in place, nothing is copied.
  template <class MakeGeometry>
    requires std::is_invocable_r_v<runtime_geometry, MakeGeometry&>
  tensor_desc(result_tag, const tensor_desc& from, MakeGeometry&& make)
      : geometry_(make()),
        dtype_(from.dtype_),
        device_(from.device_),
        layout_(from.layout_),
        flags_(static_cast<std::uint16_t>(from.flags_ & ~static_cast<std::uint16_t>(tensor_flag::is_view))),
        id_(detail::next_tensor_id()),
        storage_(from.storage_) {}  // a view only once set_view() says so

  // A new concrete geometry (an out= tensor resized); expressions of the old one
  // no longer describe it, so a symbolic tensor becomes a concrete one.
  void set_geometry_unchecked(dim_vector sizes, dim_vector strides, std::int64_t offset) noexcept {
    geometry_ = runtime_geometry{std::move(sizes), std::move(strides), offset};
    sym_.reset();
    node_.reset();  // a cached base snapshot is stale now
  }
  void set_dtype_unchecked(fake::dtype d) noexcept {
    dtype_ = d;
    node_.reset();
  }
  // Makes this tensor the view of the tensor whose view_node() is `parent`;
  // returns its step record (all zero) for the caller to fill in place.
  view_step& set_view(boost::intrusive_ptr<const detail::view_node> parent) noexcept {
    parent_ = std::move(parent);
    if (is_view()) step_ = view_step{};  // a fresh result's record is already empty
    node_.reset();
    set(tensor_flag::is_view, true);
    return step_;
  }

  // Checks sizes >= 0, matching ranks and that the geometry fits the storage;
  // `op` names the caller in the error.
  void check_geometry(std::string_view op) const {
    if (geometry_.sizes.size() != geometry_.strides.size())
      throw shape_error(std::string(op) + ": sizes " + to_string(geometry_.sizes) + " and strides " + to_string(geometry_.strides) +
                        " have different ranks");
    for (std::int64_t s : geometry_.sizes)
      if (s < 0)
        throw shape_error(std::string(op) + ": Trying to create tensor with negative dimension " + std::to_string(s) +
                          ": " + to_string(geometry_.sizes));
    if (geometry_.offset < 0) throw shape_error(std::string(op) + ": negative storage offset " + std::to_string(geometry_.offset));
    const std::int64_t needed = storage_nbytes(geometry_.sizes, geometry_.strides, fake::itemsize(dtype_), geometry_.offset);
    if (needed > storage_.nbytes())
      throw shape_error(std::string(op) + ": sizes " + to_string(geometry_.sizes) + ", strides " + to_string(geometry_.strides) +
                        ", storage offset " + std::to_string(geometry_.offset) + ", and itemsize " +
                        std::to_string(fake::itemsize(dtype_)) + " requiring a storage size of " + std::to_string(needed) +
                        " are out of bounds for storage of size " + std::to_string(storage_.nbytes()));
  }

 private:
  runtime_geometry geometry_{};
  fake::dtype dtype_ = dtype::float32;
  fake::device device_{};
  fake::layout layout_ = layout::strided;
  std::uint16_t flags_ = 0;
  std::uint64_t id_ = 0;
  fake::storage storage_;
  detail::sym_geometry_ptr sym_;  // Note [symbolic geometry of a tensor]; null for a concrete tensor
  // Note [view chains]: for a view, the view_node() of the tensor it was taken
  // from and the op that made it; node_ caches view_node().
  boost::intrusive_ptr<const detail::view_node> parent_;
  view_step step_;
  mutable boost::intrusive_ptr<const detail::view_node> node_;
};

namespace detail {
inline const tensor_desc& undefined_tensor() noexcept {
  static const tensor_desc t{};
  return t;
}
}  // namespace detail

inline const tensor_desc& tensor_desc::base() const noexcept {
  if (!is_view()) return detail::undefined_tensor();
  const detail::view_node* n = parent_.get();
  while (n->parent) n = n->parent.get();
  return *n->base;
}

inline std::vector<view_step> tensor_desc::view_chain() const {
  std::vector<view_step> steps;
  if (!is_view()) return steps;
  steps.push_back(step_);
  for (const detail::view_node* n = parent_.get(); n != nullptr && !n->is_root(); n = n->parent.get())
    steps.push_back(n->step);
  return {steps.rbegin(), steps.rend()};
}

inline const boost::intrusive_ptr<const detail::view_node>& tensor_desc::view_node() const {
  if (!node_) {
    auto node = boost::intrusive_ptr<detail::view_node>(new detail::view_node);
    if (is_view()) {
      node->parent = parent_;
      node->step = step_;
    } else {
      auto snapshot = std::make_unique<tensor_desc>(*this);
      snapshot->node_.reset();  // the snapshot must not own its own root: no cycle
      node->base = std::move(snapshot);
    }
    node_ = std::move(node);
  }
  return node_;
}

// A new contiguous (or memory-format strided) tensor with a storage of its own:
// fake::empty({2, 3}, fake::f32, fake::cuda<0>).
inline tensor_desc empty(dim_vector sizes, dtype dt = dtype::float32, device dev = device{},
                         memory_format format = memory_format::contiguous_format) {
  for (std::int64_t s : sizes)
    expect<shape_error, "empty", "Trying to create tensor with negative dimension {}: {}">(s >= 0, s, sizes);
  dim_vector strides = strides_for(sizes, format);
  const std::int64_t nbytes = storage_nbytes(sizes, strides, itemsize(dt));
  // the storage is made to fit: nothing left to check
  return tensor_desc(tensor_desc::checked_by_caller, std::move(sizes), std::move(strides), 0, dt, fake::storage(nbytes, dev));
}

// A strided tensor with a storage of its own just large enough.
inline tensor_desc empty_strided(dim_vector sizes, dim_vector strides, dtype dt = dtype::float32, device dev = device{}) {
  expect<shape_error, "empty_strided", "sizes {} and strides {} have different ranks">(sizes.size() == strides.size(), sizes,
                                                                                        strides);
  for (std::int64_t s : sizes)
    expect<shape_error, "empty_strided", "Trying to create tensor with negative dimension {}: {}">(s >= 0, s, sizes);
  for (std::int64_t s : strides)
    expect<shape_error, "empty_strided", "negative stride {} in {}">(s >= 0, s, strides);
  const std::int64_t nbytes = storage_nbytes(sizes, strides, itemsize(dt));
  return tensor_desc(tensor_desc::checked_by_caller, std::move(sizes), std::move(strides), 0, dt, fake::storage(nbytes, dev));
}

// "tensor(sizes=[2, 3], strides=[3, 1], offset=0, dtype=torch.float32, device=cpu)"
inline std::string to_string(const tensor_desc& t) {
  return "tensor(sizes=" + to_string(t.sizes()) + ", strides=" + to_string(t.strides()) +
         ", offset=" + std::to_string(t.storage_offset()) + ", dtype=" + to_string(t.dtype()) +
         ", device=" + to_string(t.device()) + ")";
}

}  // namespace fake
