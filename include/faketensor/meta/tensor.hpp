// faketensor/meta/tensor.hpp — the typed fake tensor for static and mixed shapes.
//
//   constexpr fake::tensor<fake::f16, fake::shape<8, 1024, 768>, fake::cuda<0>> x;
//   static_assert(x.numel() == 8 * 1024 * 768 && std::is_empty_v<decltype(x)>);
//   fake::tensor<fake::f32, fake::shape<fake::dyn, 768>> y{fake::shape<fake::dyn, 768>{batch}};
//
// dtype and device are typed tags (template arguments), the geometry is typed:
// a fully static contiguous tensor is an empty type and every query on it is a
// constant expression; a mixed one stores only its dynamic extents (and its
// strides/offset when they are not the contiguous default). Typed tensors are
// pure metadata: they carry no storage. to_desc() gives the type-erased
// tensor_desc (with a fresh storage); from_desc<T>() checks the way back.
#pragma once

#include <cstdint>      // std::int64_t
#include <type_traits>  // std::is_same_v

#include "faketensor/core/config.hpp"       // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/core/device.hpp"       // fake::device_c
#include "faketensor/core/dtype.hpp"        // fake::dtype_c
#include "faketensor/meta/tensor_desc.hpp"  // fake::tensor_desc
#include "faketensor/shape/contiguity.hpp"  // fake::is_contiguous
#include "faketensor/shape/numel.hpp"       // fake::numel
#include "faketensor/shape/shape.hpp"       // fake::shape
#include "faketensor/shape/strides.hpp"     // fake::contiguous_strides
#include "faketensor/view/geometry.hpp"     // fake::geometry

namespace fake {

// Marks a tensor whose strides are the contiguous strides of its shape
// (computed, never stored).
struct contiguous_layout {};

namespace detail {
// (A function rather than a lambda in decltype: nvcc's front end rejects the latter.)
template <class Shape, class Strides>
constexpr auto strides_type_of() {
  if constexpr (std::is_same_v<Strides, contiguous_layout>) return contiguous_strides(Shape{});
  else return Strides{};
}
}  // namespace detail

template <auto DType, class Shape, auto Device = cpu, class Strides = contiguous_layout, class Offset = c<0>>
class tensor {
  static_assert(is_static_dtype_v<decltype(DType)>, "fake::tensor: DType must be a typed dtype tag such as fake::f32");
  static_assert(is_static_device_v<decltype(Device)>, "fake::tensor: Device must be a typed device tag such as fake::cpu");
  static_assert(is_typed_dims_v<Shape>, "fake::tensor: Shape must be a fake::shape<...>");
  static constexpr bool contiguous_by_type = std::is_same_v<Strides, contiguous_layout>;
  using stored_strides = std::conditional_t<contiguous_by_type, contiguous_layout, Strides>;

 public:
  using shape_type = Shape;
  using strides_type = decltype(detail::strides_type_of<Shape, Strides>());
  using offset_type = Offset;
  static constexpr std::size_t rank_value = Shape::rank_value;

  constexpr tensor() = default;
  constexpr explicit tensor(Shape sizes) : sizes_(sizes) {}
  constexpr tensor(Shape sizes, Strides strides_, Offset offset)
    requires(!contiguous_by_type)
      : sizes_(sizes), strides_(strides_), offset_(offset) {}

  [[nodiscard]] constexpr const Shape& sizes() const noexcept { return sizes_; }
  [[nodiscard]] constexpr auto strides() const {
    if constexpr (contiguous_by_type) return contiguous_strides(sizes_);
    else return strides_;
  }
  [[nodiscard]] constexpr Offset storage_offset() const noexcept { return offset_; }
  [[nodiscard]] static constexpr auto dtype() noexcept { return DType; }
  [[nodiscard]] static constexpr auto device() noexcept { return Device; }
  [[nodiscard]] static constexpr auto dim() noexcept { return Shape::rank(); }
  [[nodiscard]] constexpr auto numel() const { return fake::numel(sizes_); }
  [[nodiscard]] constexpr auto nbytes() const {
    return checked_mul<"nbytes">(numel(), c<itemsize(decltype(DType)::value)>{});
  }
  [[nodiscard]] constexpr bool is_contiguous() const {
    if constexpr (contiguous_by_type) return true;
    else return fake::is_contiguous(sizes_, strides_);
  }
  [[nodiscard]] constexpr auto geometry() const {
    return fake::geometry<Shape, strides_type, Offset>{sizes_, strides(), offset_};  // no CTAD: nvcc rejects it here
  }

  // The type-erased tensor, on a storage of its own just large enough.
  [[nodiscard]] tensor_desc to_desc() const {
    const dim_vector sizes(sizes_);
    const dim_vector strides_v(strides());
    const std::int64_t item = itemsize(decltype(DType)::value);
    const std::int64_t nbytes_ = storage_nbytes(sizes, strides_v, item, to_int64(offset_));
    return tensor_desc(sizes, strides_v, to_int64(offset_), decltype(DType)::value, fake::storage(nbytes_, Device));
  }

 private:
  FAKE_NO_UNIQUE_ADDRESS Shape sizes_{};
  FAKE_NO_UNIQUE_ADDRESS stored_strides strides_{};
  FAKE_NO_UNIQUE_ADDRESS Offset offset_{};
};

// A typed tensor from a geometry (what typed view ops return).
template <auto DType, auto Device, class S, class T, class O>
constexpr auto make_tensor(const geometry<S, T, O>& g) {
  return tensor<DType, S, Device, T, O>(g.sizes, g.strides, g.offset);
}

template <class T>
struct is_typed_tensor : std::false_type {};
template <auto D, class S, auto Dev, class St, class O>
struct is_typed_tensor<tensor<D, S, Dev, St, O>> : std::true_type {};
template <class T>
inline constexpr bool is_typed_tensor_v = is_typed_tensor<std::remove_cvref_t<T>>::value;

// A tensor_desc as typed tensor T: dtype, device, rank and every static extent
// must agree (a shape_error / dtype_error / device_error names the field).
template <class T>
T from_desc(const tensor_desc& d) {
  static_assert(is_typed_tensor_v<T>, "fake::from_desc<T>: T must be a fake::tensor<...>");
  expect<dtype_error, "from_desc", "dtype {} does not match the typed tensor's {}">(d.dtype() == T::dtype(), d.dtype(),
                                                                                  T::dtype());
  expect<device_error, "from_desc", "device {} does not match the typed tensor's {}">(d.device() == device(T::device()),
                                                                                    d.device(), device(T::device()));
  expect<shape_error, "from_desc", "rank {} does not match the typed tensor's {}">(
      d.dim() == static_cast<std::int64_t>(T::rank_value), d.dim(), T::rank_value);
  auto sizes = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return typename T::shape_type(all_extents, d.sizes()[I]...);
  }(std::make_index_sequence<T::rank_value>{});
  if constexpr (std::is_same_v<typename T::strides_type, decltype(contiguous_strides(typename T::shape_type{}))> &&
                std::is_same_v<T, tensor<T::dtype(), typename T::shape_type, T::device()>>) {
    const T out(sizes);
    expect<shape_error, "from_desc", "strides {} are not the contiguous strides {} the typed tensor has">(
        dim_vector(out.strides()) == d.strides(), d.strides(), dim_vector(out.strides()));
    expect<shape_error, "from_desc", "storage offset {} is not 0">(d.storage_offset() == 0, d.storage_offset());
    return out;
  } else {
    auto strides_ = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return typename T::strides_type(all_extents, d.strides()[I]...);
    }(std::make_index_sequence<T::rank_value>{});
    using O = typename T::offset_type;
    if constexpr (static_dim<O>)
      expect<shape_error, "from_desc", "storage offset {} disagrees with the static offset {}">(
          d.storage_offset() == O::value, d.storage_offset(), O::value);
    return T(sizes, strides_, O(d.storage_offset()));
  }
}

}  // namespace fake
