// Static checks of the typed nn ops (ops/typed_nn.hpp, Note [typed nn ops]):
// conv2d and max_pool2d on static NCHW tensors give their result type at
// compile time, channels_last included; compiling is the test.
#include <type_traits>

#include "faketensor/ops/typed_nn.hpp"

namespace {

using fake::c;

constexpr fake::tensor<fake::f32, fake::shape<8, 64, 56, 56>> x;
constexpr fake::tensor<fake::f32, fake::shape<128, 64, 3, 3>> w;

// stride 2, padding 1: (56 + 2 - 3) / 2 + 1 = 28
constexpr auto y = fake::conv2d(x, w, fake::strides<2>{}, fake::strides<1>{});
static_assert(y.sizes() == fake::shape<8, 128, 28, 28>{});
static_assert(y.strides() == fake::strides<100352, 784, 28, 1>{});
static_assert(std::is_empty_v<decltype(y)>);

// defaults: stride 1, no padding
constexpr auto y1 = fake::conv2d(x, w);
static_assert(y1.sizes() == fake::shape<8, 128, 54, 54>{});

// grouped and dilated, one value per spatial dim
constexpr fake::tensor<fake::f16, fake::shape<2, 6, 9, 7>> xg;
constexpr fake::tensor<fake::f16, fake::shape<4, 3, 3, 1>> wg;
constexpr auto yg = fake::conv2d(xg, wg, fake::strides<1, 2>{}, fake::strides<1, 0>{}, fake::strides<2, 1>{}, c<2>{});
static_assert(yg.sizes() == fake::shape<2, 4, 7, 4>{});

// a channels_last input gives a channels_last output (Note [convolution memory format])
constexpr fake::tensor<fake::f32, fake::shape<2, 3, 5, 7>, fake::cpu, fake::strides<105, 1, 21, 3>> xcl;
constexpr fake::tensor<fake::f32, fake::shape<3, 3, 3, 1>> wcl;
constexpr auto ycl = fake::conv2d(xcl, wcl, fake::strides<1, 2>{}, fake::strides<0, 1>{}, fake::strides<2, 1>{});
static_assert(ycl.sizes() == fake::shape<2, 3, 1, 5>{});
static_assert(ycl.strides() == fake::strides<15, 1, 15, 3>{});

// max_pool2d: ceil mode, padding, dilation
constexpr fake::tensor<fake::f32, fake::shape<2, 3, 6, 6>> p;
constexpr auto mp = fake::max_pool2d(p, fake::strides<3>{}, fake::strides<2>{}, fake::strides<1>{}, fake::strides<1>{},
                                     fake::bool_c<true>{});
static_assert(mp.sizes() == fake::shape<2, 3, 4, 4>{});
static_assert(mp.strides() == fake::strides<48, 16, 4, 1>{});
constexpr auto mp2 = fake::max_pool2d(y, fake::strides<2>{});
static_assert(mp2.sizes() == fake::shape<8, 128, 14, 14>{});

// a 3-D (unbatched) input to max_pool2d keeps rank 3
constexpr fake::tensor<fake::bf16, fake::shape<3, 7, 9>> p3;
static_assert(fake::max_pool2d(p3, fake::strides<2>{}).sizes() == fake::shape<3, 3, 4>{});

}  // namespace
