// faketensor/ops/typed_pointwise.hpp — add, mul (by a tensor or a number),
// pow (by a number), where, masked_fill, relu, gelu, silu, neg, rsqrt,
// bitwise_not, to (a dtype) and contiguous on typed fake::tensor: the result
// type is computed by the compiler.
//
// Note [typed pointwise ops]
// The runtime kernel of ops/tensor_iterator.hpp (ti_output_geometry: broadcast
// shape and TensorIterator's output strides) is constant-evaluated on the
// inputs' static geometry, as the typed views do (Note [typed views]):
//  * all inputs fully static: the result is a fully static tensor type (an
//    empty type, zero instructions at run time); its dtype is result_type of
//    the inputs (0-dim inputs as 0-dim tensors), its device the common one;
//    a broadcast mismatch is a compile error naming the op, PyTorch's message
//    and the two sizes (fake::detail::static_check_failed<shape_error, "add",
//    "The size of tensor a ({}) must match ...", 3, 4, 1>);
//  * otherwise the same kernel runs at run time and the result is a typed
//    tensor of the broadcast rank with dynamic extents (a mismatch between two
//    static extents is still a compile error).
// Devices must agree at compile time, except a cpu 0-dim input (it adapts).
#pragma once

#include <algorithm>  // std::max
#include <array>      // std::array
#include <type_traits> // std::is_arithmetic_v
#include <cstdint>    // std::int64_t
#include <utility>    // std::index_sequence

#include "faketensor/core/dtype.hpp"          // fake::dtype_c
#include "faketensor/core/result_type.hpp"    // fake::result_type
#include "faketensor/meta/tensor.hpp"         // fake::tensor
#include "faketensor/ops/common.hpp"          // fake::like_strides
#include "faketensor/ops/tensor_iterator.hpp" // fake::ti_output_geometry
#include "faketensor/shape/broadcast.hpp"     // fake::broadcast_shapes
#include "faketensor/view/typed_ops.hpp"      // fake::detail::packed_geometry, dynamic_view

namespace fake {
namespace detail {

template <class T>
using shape_of = typename std::remove_cvref_t<T>::shape_type;

// The first pair of static extents that do not broadcast, counted from the
// right over the output's dims; rank() when there is none.
struct static_mismatch {
  std::int64_t at = -1;  // output dim, -1: none
  std::int64_t a = 0, b = 0;
};
template <class SA, class SB>
constexpr static_mismatch first_static_mismatch() {
  constexpr std::size_t ra = SA::rank_value, rb = SB::rank_value;
  constexpr std::size_t n = ra > rb ? ra : rb;
  for (std::size_t off = 0; off < n; ++off) {
    const std::int64_t a = off < ra ? SA::static_values[ra - 1 - off] : 1;
    const std::int64_t b = off < rb ? SB::static_values[rb - 1 - off] : 1;
    if (a == dyn || b == dyn) continue;
    if (a != b && a != 1 && b != 1) return {static_cast<std::int64_t>(n - 1 - off), a, b};
  }
  return {};
}

// A compile error naming Op, PyTorch's message and the sizes when two static
// shapes (folded left to right, as compute_shape does) cannot broadcast.
template <fixed_string Op, class SA, class SB>
constexpr void check_static_broadcast() {
  constexpr static_mismatch m = first_static_mismatch<SA, SB>();
  expect<shape_error, Op, "The size of tensor a ({}) must match the size of tensor b ({}) at non-singleton dimension {}">(
      bool_c<(m.at < 0)>{}, c<m.a>{}, c<m.b>{}, c<m.at>{});
}

template <class T>
constexpr operand typed_operand() {
  return {decltype(T::dtype())::value, T::rank_value == 0 ? operand_kind::zero_dim : operand_kind::tensor};
}

// The common device of typed inputs (a cpu 0-dim input adapts), at compile time.
template <class... Ts>
constexpr device typed_common_device() {
  device chosen{};
  bool have = false, ok = true;
  (
      [&] {
        const device d = device(Ts::device());
        const bool adapts = Ts::rank_value == 0 && d.is_cpu();
        if (!have) {
          chosen = d;
          have = true;
        } else if (d != chosen) {
          const bool chosen_adapts = chosen.is_cpu();
          if (adapts) return;
          if (chosen_adapts) chosen = d;
          else ok = false;
        }
      }(),
      ...);
  return ok ? chosen : device(device_type::meta, 99);  // marker checked by the caller
}

template <class... Ts>
inline constexpr bool typed_devices_agree_v = [] {
  std::array<bool, sizeof...(Ts)> cpu_scalar{(Ts::rank_value == 0 && device(Ts::device()).is_cpu())...};
  std::array<device, sizeof...(Ts)> devs{device(Ts::device())...};
  for (std::size_t i = 0; i < devs.size(); ++i)
    for (std::size_t j = 0; j < devs.size(); ++j)
      if (devs[i] != devs[j] && !cpu_scalar[i] && !cpu_scalar[j]) return false;
  return true;
}();

// Runs ti_output_geometry on the inputs' geometry: at compile time when all
// are fully static (a static result type), else at run time (dynamic extents).
template <fixed_string Op, auto DOut, auto Dev, class... Ts>
constexpr auto typed_ti(const Ts&... ts) {
  constexpr std::size_t rank = std::max({std::size_t{0}, Ts::rank_value...});
  if constexpr ((is_fully_static_tensor_v<Ts> && ...)) {
    constexpr packed_geometry p = [] {
      const std::array<runtime_geometry, sizeof...(Ts)> g{runtime_geometry_of(Ts{})...};
      std::array<ti_geometry, sizeof...(Ts)> in{};
      for (std::size_t i = 0; i < g.size(); ++i) in[i] = ti_geometry{&g[i].sizes, &g[i].strides};
      runtime_geometry out{};
      ti_output_geometry<Op>(std::span<const ti_geometry>(in.data(), in.size()), out.sizes, out.strides);
      return pack(out);
    }();
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      using S = shape<p.sizes[I]...>;
      using St = strides<p.strides[I]...>;
      if constexpr (std::is_same_v<St, decltype(contiguous_strides(S{}))>) return tensor<DOut, S, Dev>{};
      else return tensor<DOut, S, Dev, St, c<0>>{};
    }(std::make_index_sequence<p.rank>{});
  } else {
    const std::array<runtime_geometry, sizeof...(Ts)> g{runtime_geometry_of(ts)...};
    std::array<ti_geometry, sizeof...(Ts)> in{};
    for (std::size_t i = 0; i < g.size(); ++i) in[i] = ti_geometry{&g[i].sizes, &g[i].strides};
    runtime_geometry out{};
    ti_output_geometry<Op>(std::span<const ti_geometry>(in.data(), in.size()), out.sizes, out.strides);
    return dynamic_view<DOut, Dev, rank>(out);
  }
}

// The device tag of the common device of typed inputs.
template <class... Ts>
constexpr auto typed_device_tag() {
  static_assert(typed_devices_agree_v<Ts...>,
                "fake: pointwise op on typed tensors of different devices (only a cpu 0-dim tensor adapts)");
  constexpr device d = typed_common_device<Ts...>();
  return device_c<d.type, d.index>{};
}

template <fixed_string Op, class A, class B>
constexpr auto typed_binary(const A& a, const B& b) {
  check_static_broadcast<Op, shape_of<A>, shape_of<B>>();
  constexpr dtype d = result_type({typed_operand<A>(), typed_operand<B>()});
  return typed_ti<Op, dtype_c<d>{}, typed_device_tag<A, B>()>(a, b);
}

}  // namespace detail

// add(a, b) / mul(a, b) on typed tensors (alpha 1): broadcast, promoted, TensorIterator strides.
template <class A, class B>
  requires(is_typed_tensor_v<A> && is_typed_tensor_v<B>)
constexpr auto add(const A& a, const B& b) {
  return detail::typed_binary<"add">(a, b);
}
template <class A, class B>
  requires(is_typed_tensor_v<A> && is_typed_tensor_v<B>)
constexpr auto mul(const A& a, const B& b) {
  return detail::typed_binary<"mul">(a, b);
}

// where(condition, self, other): the condition (bool or uint8) takes part in
// the broadcast and the strides, not in the dtype.
template <class C, class A, class B>
  requires(is_typed_tensor_v<C> && is_typed_tensor_v<A> && is_typed_tensor_v<B>)
constexpr auto where(const C& condition, const A& a, const B& b) {
  constexpr dtype cd = decltype(C::dtype())::value;
  static_assert(cd == dtype::bool_ || cd == dtype::uint8, "fake::where: expected condition to be a boolean tensor");
  detail::check_static_broadcast<"where", detail::shape_of<C>, detail::shape_of<A>>();
  detail::check_static_broadcast<"where", decltype(broadcast_shapes(detail::shape_of<C>{}, detail::shape_of<A>{})),
                                 detail::shape_of<B>>();
  constexpr dtype d = result_type({detail::typed_operand<A>(), detail::typed_operand<B>()});
  return detail::typed_ti<"where", dtype_c<d>{}, detail::typed_device_tag<C, A, B>()>(condition, a, b);
}

// relu(x): same dtype (bool refused), TensorIterator's strides for one input.
template <class T>
  requires is_typed_tensor_v<T>
constexpr auto relu(const T& x) {
  static_assert(decltype(T::dtype())::value != dtype::bool_, "fake::relu: Boolean inputs not supported for relu");
  return detail::typed_ti<"relu", T::dtype(), T::device()>(x);
}

namespace detail {
// A C++ number as an operand: a wrapped scalar of its kind.
template <class N>
constexpr operand number_operand() {
  if constexpr (std::is_same_v<N, bool>) return scalar_operand(true);
  else if constexpr (std::is_floating_point_v<N>) return float_scalar_operand();
  else return int_scalar_operand();
}
// x op number: one TensorIterator input, the dtype promoted with the number.
template <fixed_string Op, class A, class N>
constexpr auto typed_binary_number(const A& a) {
  constexpr dtype d = result_type({typed_operand<A>(), number_operand<N>()});
  return typed_ti<Op, dtype_c<d>{}, A::device()>(a);
}
}  // namespace detail

// add(x, number) / mul(x, number) / pow(x, number): the number promotes as a
// Python scalar (a float keeps a floating tensor's dtype and turns an
// integral one into the default dtype).
template <class A, class N>
  requires(is_typed_tensor_v<A> && std::is_arithmetic_v<N>)
constexpr auto add(const A& a, N) {
  return detail::typed_binary_number<"add", A, N>(a);
}
template <class A, class N>
  requires(is_typed_tensor_v<A> && std::is_arithmetic_v<N>)
constexpr auto mul(const A& a, N) {
  return detail::typed_binary_number<"mul", A, N>(a);
}
template <class A, class N>
  requires(is_typed_tensor_v<A> && std::is_arithmetic_v<N>)
constexpr auto pow(const A& a, N) {
  static_assert(decltype(A::dtype())::value != dtype::bool_ || !std::is_same_v<N, bool>, "fake::pow: bool tensors are not supported");
  return detail::typed_binary_number<"pow", A, N>(a);
}

// neg(x): same dtype (bool refused, as PyTorch does).
template <class T>
  requires is_typed_tensor_v<T>
constexpr auto neg(const T& x) {
  static_assert(decltype(T::dtype())::value != dtype::bool_,
                "fake::neg: Negation, the `-` operator, on a bool tensor is not supported.");
  return detail::typed_ti<"neg", T::dtype(), T::device()>(x);
}

// rsqrt(x): floating and complex dtypes kept, integral ones give the default dtype.
template <class T>
  requires is_typed_tensor_v<T>
constexpr auto rsqrt(const T& x) {
  constexpr dtype in = decltype(T::dtype())::value;
  constexpr dtype out = is_floating_point(in) || is_complex(in) ? in : dtype::float32;
  return detail::typed_ti<"rsqrt", dtype_c<out>{}, T::device()>(x);
}

// silu(x): floating and complex dtypes only.
template <class T>
  requires is_typed_tensor_v<T>
constexpr auto silu(const T& x) {
  expect<dtype_error, "silu", "\"silu\" not implemented for '{}'">(
      bool_c<is_floating_point(decltype(T::dtype())::value) || is_complex(decltype(T::dtype())::value)>{}, T::dtype());
  return detail::typed_ti<"silu", T::dtype(), T::device()>(x);
}

// to(x, dtype): x itself for its own dtype, else _to_copy, which keeps x's
// strides when x is dense (memory_format=preserve_format).
template <class T, dtype D>
  requires is_typed_tensor_v<T>
constexpr auto to(const T& x, dtype_c<D>) {
  if constexpr (decltype(T::dtype())::value == D) {
    return x;
  } else if constexpr (detail::is_fully_static_tensor_v<T>) {
    constexpr detail::packed_geometry p = [] {
      const runtime_geometry g = detail::runtime_geometry_of(T{});
      return detail::pack(runtime_geometry{g.sizes, like_strides(g.sizes, g.strides, memory_format::preserve_format), 0});
    }();
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return tensor<dtype_c<D>{}, shape<p.sizes[I]...>, T::device(), strides<p.strides[I]...>, c<0>>{};
    }(std::make_index_sequence<p.rank>{});
  } else {
    const runtime_geometry g = detail::runtime_geometry_of(x);
    return detail::dynamic_view<dtype_c<D>{}, T::device(), T::rank_value>(
        runtime_geometry{g.sizes, like_strides(g.sizes, g.strides, memory_format::preserve_format), 0});
  }
}

// masked_fill(x, mask, value): x and mask broadcast; the result is a
// contiguous tensor of x's dtype (ATen clones the expanded x, then fills).
template <class A, class M, class N>
  requires(is_typed_tensor_v<A> && is_typed_tensor_v<M> && std::is_arithmetic_v<N>)
constexpr auto masked_fill(const A& a, const M& mask, N) {
  detail::check_static_broadcast<"masked_fill", detail::shape_of<M>, detail::shape_of<A>>();
  const auto sizes = broadcast_shapes(mask.sizes(), a.sizes());
  return tensor<A::dtype(), std::remove_cvref_t<decltype(sizes)>, detail::typed_device_tag<A, M>()>(sizes);
}

// gelu<"none" | "tanh">(x): floating dtypes only; the approximation changes no metadata.
template <fixed_string Approximate = "none", class T>
  requires is_typed_tensor_v<T>
constexpr auto gelu(const T& x) {
  static_assert(Approximate.view() == "none" || Approximate.view() == "tanh",
                "fake::gelu: approximate argument must be either none or tanh.");
  expect<dtype_error, "gelu", "\"GeluKernelImpl\" not implemented for '{}'">(bool_c<is_floating_point(decltype(T::dtype())::value)>{},
                                                                             T::dtype());
  return detail::typed_ti<"gelu", T::dtype(), T::device()>(x);
}

// bitwise_not(x): bool and integral dtypes only.
template <class T>
  requires is_typed_tensor_v<T>
constexpr auto bitwise_not(const T& x) {
  expect<dtype_error, "bitwise_not", "\"bitwise_not_cpu\" not implemented for '{}'">(
      bool_c<is_integral(decltype(T::dtype())::value, true)>{}, T::dtype());
  return detail::typed_ti<"bitwise_not", T::dtype(), T::device()>(x);
}

// contiguous(x): x itself when it is contiguous (PyTorch's rule: strides of
// size-1 dims do not matter), else a fresh contiguous tensor of its sizes.
// Static tensors decide at compile time; otherwise the result has dynamic
// extents and x's geometry or the contiguous one.
template <class T>
  requires is_typed_tensor_v<T>
constexpr auto contiguous(const T& x) {
  if constexpr (detail::is_fully_static_tensor_v<T>) {
    if constexpr (fake::is_contiguous(typename T::shape_type{}, typename T::strides_type{})) return x;
    else return tensor<T::dtype(), typename T::shape_type, T::device()>{};
  } else {
    runtime_geometry g = detail::runtime_geometry_of(x);
    if (!fake::is_contiguous(g.sizes, g.strides)) g = {g.sizes, dim_vector(contiguous_strides(g.sizes)), 0};
    return detail::dynamic_view<T::dtype(), T::device(), T::rank_value>(g);
  }
}

}  // namespace fake
