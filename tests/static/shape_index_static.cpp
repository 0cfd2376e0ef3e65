// Typed cat/stack (ops/typed_shape_index.hpp): fully static inputs give a
// result whose sizes, strides and dtype are in its type.
#include <faketensor/ops/typed_shape_index.hpp>

#include <type_traits>

namespace {
using fake::c;
constexpr fake::tensor<fake::f32, fake::shape<2, 3>> a;
constexpr fake::tensor<fake::f16, fake::shape<2, 5>> b;

constexpr auto y = fake::cat(c<1>{}, a, b);
static_assert(std::is_same_v<std::remove_cv_t<decltype(y)>,
                             fake::tensor<fake::f32, fake::shape<2, 8>, fake::cpu, fake::strides<8, 1>, c<0>>>);
static_assert(std::is_empty_v<decltype(y)>);

// negative dim, three inputs of rank 3
constexpr fake::tensor<fake::f32, fake::shape<4, 2, 5>> x3;
constexpr auto y3 = fake::cat(c<-2>{}, x3, x3, x3);
static_assert(decltype(y3)::shape_type{} == fake::shape<4, 6, 5>{});

// channels_last inputs keep channels_last (cat's output memory format)
constexpr fake::tensor<fake::f32, fake::shape<2, 3, 4, 5>, fake::cpu, fake::strides<60, 1, 15, 3>> cl;
constexpr auto ycl = fake::cat(c<1>{}, cl, cl);
static_assert(decltype(ycl)::strides_type{} == fake::strides<120, 1, 30, 6>{});

// dtype promotion: int64 + float16 -> float16
constexpr fake::tensor<fake::i64, fake::shape<3>> i;
constexpr fake::tensor<fake::f16, fake::shape<2>> h;
static_assert(decltype(fake::cat(c<0>{}, i, h))::dtype() == fake::f16);

// stack: a new dim, split from cat's
constexpr auto s0 = fake::stack_tensors(c<0>{}, a, a);
static_assert(decltype(s0)::shape_type{} == fake::shape<2, 2, 3>{});
static_assert(decltype(s0)::strides_type{} == fake::strides<6, 3, 1>{});
constexpr auto s2 = fake::stack_tensors(c<-1>{}, a, a, a);
static_assert(decltype(s2)::shape_type{} == fake::shape<2, 3, 3>{});
static_assert(decltype(fake::stack_tensors(c<1>{}, cl, cl))::strides_type{} == fake::strides<120, 3, 1, 30, 6>{});
}  // namespace
