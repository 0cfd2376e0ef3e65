// Static facts about the typed pointwise ops (Note [typed pointwise ops]):
// on fully static tensors the result type — shape, TensorIterator strides,
// promoted dtype, device — is computed by the compiler and the result is an
// empty type; mixed tensors give dynamic extents of the broadcast rank.
#include <type_traits>

#include "faketensor/ops/typed_pointwise.hpp"

namespace {
using namespace fake;

template <class A, class B>
inline constexpr bool same = std::is_same_v<std::remove_cvref_t<A>, B>;

// broadcast add of rank-4 and rank-3 tensors: contiguous result, a plain type
constexpr tensor<f32, shape<8, 1, 32, 64>> a;
constexpr tensor<f32, shape<16, 1, 64>> b;
constexpr auto ab = add(a, b);
static_assert(same<decltype(ab), tensor<f32, shape<8, 16, 32, 64>, cpu>>);
static_assert(std::is_empty_v<decltype(ab)>);

// promotion: int32 tensor * float16 tensor -> float16; a 0-dim float64 does not promote float16
static_assert(same<decltype(mul(tensor<i32, shape<2, 3>>{}, tensor<f16, shape<3>>{}).dtype()), dtype_c<dtype::float16>>);
static_assert(same<decltype(add(tensor<f16, shape<4>>{}, tensor<f64, shape<>>{}).dtype()), dtype_c<dtype::float16>>);
static_assert(same<decltype(add(tensor<u8, shape<4>>{}, tensor<i64, shape<>>{}).dtype()), dtype_c<dtype::uint8>>);
static_assert(same<decltype(add(tensor<i64, shape<>>{}, tensor<f16, shape<>>{}).dtype()), dtype_c<dtype::float16>>);

// TensorIterator strides: a transposed input keeps its layout
constexpr auto xt = transpose(tensor<f32, shape<3, 5>>{}, c<0>{}, c<1>{});  // [5, 3] strides [1, 5]
constexpr auto sum_t = add(xt, xt);
static_assert(same<decltype(sum_t.sizes()), shape<5, 3>>);
static_assert(same<decltype(sum_t.strides()), strides<1, 5>>);
constexpr auto bcast_t = mul(tensor<f32, shape<3>>{}, xt);  // the non-broadcast input decides
static_assert(same<decltype(bcast_t.strides()), strides<1, 5>>);

// devices: a cpu 0-dim tensor adapts to cuda
constexpr auto on_cuda = add(tensor<f32, shape<2, 2>, cuda<1>>{}, tensor<f32, shape<>>{});
static_assert(device(on_cuda.device()) == device(cuda<1>));

// where: the condition broadcasts but does not promote
constexpr auto w = where(tensor<b8, shape<4, 1>>{}, tensor<i8, shape<3>>{}, tensor<bf16, shape<>>{});
static_assert(same<decltype(w), tensor<bf16, shape<4, 3>, cpu>>);

// relu keeps dtype and layout
constexpr auto r = relu(xt);
static_assert(same<decltype(r.strides()), strides<1, 5>>);
static_assert(same<decltype(r.dtype()), dtype_c<dtype::float32>>);

// an op chain over static tensors is still a constant
constexpr auto chain = relu(add(mul(a, b), b));
static_assert(same<decltype(chain), tensor<f32, shape<8, 16, 32, 64>, cpu>>);

// mixed: dynamic extents of the broadcast rank
inline auto mixed(std::int64_t n) {
  const tensor<f32, shape<dyn, 4>> x{shape<dyn, 4>{n}};
  return add(x, tensor<f32, shape<4>>{});
}
static_assert(same<decltype(mixed(2).sizes()), shape<dyn, dyn>>);

}  // namespace
