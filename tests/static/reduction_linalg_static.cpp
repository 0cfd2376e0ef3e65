// Static checks of the typed reductions and products (ops/typed_reduction.hpp,
// ops/typed_linalg.hpp): on static tensors the result type is computed by the
// compiler from the same meta kernels as the runtime path, and is empty.
#include <type_traits>

#include "faketensor/ops/typed_linalg.hpp"
#include "faketensor/ops/typed_reduction.hpp"

namespace {

using fake::shape;
using fake::strides;

template <class T>
constexpr bool same_geometry(const T& t, auto sizes, auto strides_) {
  return fake::dim_vector(t.sizes()) == fake::dim_vector(sizes) && fake::dim_vector(t.strides()) == fake::dim_vector(strides_);
}

// --- matmul: every rank combination
constexpr fake::tensor<fake::f16, shape<768>, fake::cuda<0>> v;
constexpr fake::tensor<fake::f16, shape<8, 1024, 768>, fake::cuda<0>> x;
constexpr fake::tensor<fake::f16, shape<768, 3072>, fake::cuda<0>> w;
constexpr fake::tensor<fake::f16, shape<4, 768, 3072>, fake::cuda<0>> wb;
constexpr fake::tensor<fake::f16, shape<2, 1, 1024, 768>, fake::cuda<0>> x4;
constexpr fake::tensor<fake::f16, shape<1024, 768>, fake::cuda<0>> m;

constexpr auto y = fake::matmul(x, w);  // 3-D @ 2-D: folded into one mm
static_assert(y.sizes() == shape<8, 1024, 3072>{});
static_assert(std::is_empty_v<decltype(y)>);
static_assert(decltype(y)::dtype() == fake::dtype::float16);
static_assert(same_geometry(y, shape<8, 1024, 3072>{}, strides<1024 * 3072, 3072, 1>{}));

static_assert(fake::matmul(v, v).sizes() == shape<>{});                       // dot
static_assert(fake::matmul(m, v).sizes() == shape<1024>{});                   // mv
static_assert(fake::matmul(v, w).sizes() == shape<3072>{});                   // 1-D @ 2-D
static_assert(fake::matmul(m, w).sizes() == shape<1024, 3072>{});             // mm
static_assert(fake::matmul(x, v).sizes() == shape<8, 1024>{});                // N-D @ 1-D
static_assert(fake::matmul(v, wb).sizes() == shape<4, 3072>{});               // 1-D @ N-D
static_assert(fake::matmul(m, wb).sizes() == shape<4, 1024, 3072>{});         // 2-D @ N-D
static_assert(fake::matmul(x4, wb).sizes() == shape<2, 4, 1024, 3072>{});     // batch broadcast, bmm
static_assert(same_geometry(fake::matmul(x4, wb), shape<2, 4, 1024, 3072>{}, strides<4 * 1024 * 3072, 1024 * 3072, 3072, 1>{}));

// Size-1 dims keep the strides view() gives them (2-D @ 3-D: mT().contiguous() keeps a contiguous tensor).
constexpr fake::tensor<fake::f32, shape<2, 3>> a23;
constexpr fake::tensor<fake::f32, shape<4, 3, 1>> b431;
static_assert(same_geometry(fake::matmul(a23, b431), shape<4, 2, 1>{}, strides<2, 1, 2>{}));

static_assert(fake::mm(m, w).sizes() == shape<1024, 3072>{});
static_assert(std::is_empty_v<decltype(fake::mm(m, w))>);

// --- sum / mean over a static dim list
constexpr fake::tensor<fake::f32, shape<2, 3, 4, 5>> t;
static_assert(fake::sum(t, strides<1, -1>{}).sizes() == shape<2, 4>{});
static_assert(fake::sum(t, strides<1>{}, fake::bool_c<true>{}).sizes() == shape<2, 1, 4, 5>{});
static_assert(same_geometry(fake::sum(t, strides<1>{}, fake::bool_c<true>{}), shape<2, 1, 4, 5>{}, strides<20, 20, 5, 1>{}));
static_assert(fake::sum(t, strides<>{}).sizes() == shape<>{});  // [] reduces every dim
static_assert(std::is_empty_v<decltype(fake::sum(t, strides<0>{}))>);
constexpr fake::tensor<fake::i8, shape<2, 3>> ti;
static_assert(decltype(fake::sum(ti, strides<0>{}))::dtype() == fake::dtype::int64);
static_assert(decltype(fake::mean(t, strides<0, 1>{}))::dtype() == fake::dtype::float32);
// channels-last input: the reduction is contiguous anyway.
constexpr fake::tensor<fake::f32, shape<2, 3, 4, 5>, fake::cpu, strides<60, 1, 15, 3>> cl;
static_assert(same_geometry(fake::sum(cl, strides<1>{}, fake::bool_c<true>{}), shape<2, 1, 4, 5>{}, strides<20, 20, 5, 1>{}));

}  // namespace
