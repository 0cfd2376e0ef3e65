// faketensor/shape/geometry.hpp — sizes, strides and storage offset together
// (ATen's TensorGeometry): what every view op computes.
//
// Typed (fake::shape, fake::strides, c<N>) or runtime (dim_vector, int64).
// tensor_desc keeps a runtime_geometry, and view kernels build their result's
// geometry as one prvalue, so it is constructed in place in the new tensor.
#pragma once

#include <cstdint>  // std::int64_t

#include "faketensor/core/config.hpp"       // FAKE_NO_UNIQUE_ADDRESS
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector

namespace fake {

template <class Sizes, class Strides, class Offset = std::int64_t>
struct geometry {
  FAKE_NO_UNIQUE_ADDRESS Sizes sizes;
  FAKE_NO_UNIQUE_ADDRESS Strides strides;
  FAKE_NO_UNIQUE_ADDRESS Offset offset;
};
template <class S, class T, class O>
geometry(S, T, O) -> geometry<S, T, O>;

using runtime_geometry = geometry<dim_vector, dim_vector, std::int64_t>;

}  // namespace fake
