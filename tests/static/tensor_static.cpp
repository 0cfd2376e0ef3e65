// Static facts about typed tensors and typed views: a fully static tensor is an
// empty type, its queries are constant expressions, and views of it are
// computed by the compiler.
#include <type_traits>

#include "faketensor/view/typed_ops.hpp"

namespace {
using namespace fake;

template <class A, class B>
inline constexpr bool same = std::is_same_v<std::remove_cvref_t<A>, B>;

constexpr tensor<f16, shape<8, 1024, 768>, cuda<0>> x;
static_assert(std::is_empty_v<decltype(x)>);
static_assert(same<decltype(x.numel()), c<8 * 1024 * 768>>);
static_assert(same<decltype(x.nbytes()), c<8 * 1024 * 768 * 2>>);
static_assert(x.dtype() == f16 && device(x.device()) == device(cuda<0>));
static_assert(same<decltype(x.dim()), c<3>>);
static_assert(same<decltype(x.strides()), strides<786432, 768, 1>>);
static_assert(same<decltype(x.storage_offset()), c<0>>);
static_assert(x.is_contiguous());

// mixed: only the dynamic extent is stored
static_assert(sizeof(tensor<f32, shape<dyn, 768>>) == sizeof(std::int64_t));

// typed views: static dims and indices give static results
constexpr auto xt = transpose(x, c<0>{}, c<-1>{});
static_assert(same<decltype(xt.sizes()), shape<768, 1024, 8>>);
static_assert(same<decltype(xt.strides()), strides<1, 768, 786432>>);
static_assert(std::is_empty_v<decltype(xt)> && !xt.is_contiguous());
constexpr auto xs = select(x, c<1>{}, c<-1>{});
static_assert(same<decltype(xs.sizes()), shape<8, 768>>);
static_assert(same<decltype(xs.storage_offset()), c<1023 * 768>>);
constexpr auto xu = unsqueeze(x, c<1>{});
static_assert(same<decltype(xu.sizes()), shape<8, 1, 1024, 768>>);
static_assert(same<decltype(xu.strides()), strides<786432, 786432, 768, 1>>);
constexpr auto m = t(tensor<f32, shape<3, 5>>{});
static_assert(same<decltype(m.strides()), strides<1, 5>>);

// negative checks
static_assert(!std::is_constructible_v<tensor<f32, shape<dyn, 3>>, int>);  // needs a shape
}  // namespace

// The other view ops run their runtime kernel in constant evaluation for a
// fully static tensor with static arguments (Note [typed views]).
namespace {
using namespace fake;
template <class A, class B>
inline constexpr bool same_t = std::is_same_v<std::remove_cvref_t<A>, B>;

constexpr tensor<f32, shape<2, 3, 4>> y;
constexpr auto yv = view(y, strides<6, -1>{});
static_assert(same_t<decltype(yv.sizes()), shape<6, 4>> && same_t<decltype(yv.strides()), strides<4, 1>>);
constexpr auto ys = slice(y, c<2>{}, c<1>{}, c<100>{}, c<2>{});
static_assert(same_t<decltype(ys.sizes()), shape<2, 3, 2>> && same_t<decltype(ys.strides()), strides<12, 4, 2>>);
static_assert(same_t<decltype(ys.storage_offset()), c<1>>);
constexpr auto yp = permute(y, strides<2, 0, -2>{});
static_assert(same_t<decltype(yp.sizes()), shape<4, 2, 3>> && same_t<decltype(yp.strides()), strides<1, 12, 4>>);
constexpr auto ye = expand(tensor<f32, shape<3, 1>>{}, strides<2, -1, 5>{});
static_assert(same_t<decltype(ye.sizes()), shape<2, 3, 5>> && same_t<decltype(ye.strides()), strides<0, 1, 0>>);
constexpr auto yd = diagonal(tensor<f32, shape<4, 5>>{}, c<1>{}, c<0>{}, c<1>{});
static_assert(same_t<decltype(yd.sizes()), shape<4>> && same_t<decltype(yd.strides()), strides<6>> && yd.storage_offset() == 1);
constexpr auto yu = unfold(y, c<2>{}, c<2>{}, c<1>{});
static_assert(same_t<decltype(yu.sizes()), shape<2, 3, 3, 2>> && same_t<decltype(yu.strides()), strides<12, 4, 1, 1>>);
constexpr auto yq = squeeze(tensor<f32, shape<2, 1, 3>>{}, c<1>{});
static_assert(same_t<decltype(yq.sizes()), shape<2, 3>>);
constexpr auto yn = narrow(y, c<1>{}, c<-2>{}, c<2>{});
static_assert(same_t<decltype(yn.sizes()), shape<2, 2, 4>> && yn.storage_offset() == 4);
static_assert(std::is_empty_v<decltype(yv)> && std::is_empty_v<decltype(ys)>);
}  // namespace

// The multi-output, dtype-changing and reshaping ops on static tensors.
namespace {
using namespace fake;
template <class A, class B>
inline constexpr bool same_u = std::is_same_v<std::remove_cvref_t<A>, B>;

constexpr tensor<f32, shape<2, 3, 4>> u;
static_assert(same_u<decltype(movedim(u, strides<0>{}, strides<-1>{}).sizes()), shape<3, 4, 2>>);
constexpr auto uf = flatten(u, c<1>{}, c<2>{});
static_assert(same_u<decltype(uf.sizes()), shape<2, 12>> && same_u<decltype(uf.strides()), strides<12, 1>>);
constexpr auto uc = flatten(transpose(u, c<0>{}, c<2>{}));  // not viewable: a contiguous copy
static_assert(same_u<decltype(uc.sizes()), shape<24>> && uc.is_contiguous());
static_assert(same_u<decltype(unflatten(u, c<2>{}, strides<2, -1>{}).sizes()), shape<2, 3, 2, 2>>);
static_assert(same_u<decltype(reshape(u, strides<4, -1>{}).strides()), strides<6, 1>>);

constexpr tensor<c64, shape<3, 2>> cz;
constexpr auto czr = view_as_real(cz);
static_assert(czr.dtype() == f32 && same_u<decltype(czr.sizes()), shape<3, 2, 2>>);
static_assert(same_u<decltype(czr.strides()), strides<4, 2, 1>>);
static_assert(view_as_complex(czr).dtype() == c64 && imag(cz).storage_offset() == 1);
static_assert(same_u<decltype(real(u)), tensor<f32, shape<2, 3, 4>>>);  // real of a real tensor is itself

constexpr auto us = split(u, c<3>{}, c<2>{});
static_assert(std::tuple_size_v<decltype(us)> == 2);
static_assert(same_u<decltype(std::get<1>(us).sizes()), shape<2, 3, 1>> && std::get<1>(us).storage_offset() == 3);
static_assert(std::tuple_size_v<decltype(chunk(u, c<2>{}, c<-1>{}))> == 2);
static_assert(std::get<2>(unbind(u, c<1>{})).storage_offset() == 8);
constexpr auto ut = tensor_split(u, c<3>{}, c<1>{});
static_assert(std::tuple_size_v<decltype(ut)> == 3 && same_u<decltype(std::get<2>(ut).sizes()), shape<2, 1, 4>>);
static_assert(same_u<decltype(expand_as(tensor<f32, shape<3, 1>>{}, tensor<f32, shape<2, 3, 5>>{}).strides()), strides<0, 1, 0>>);
static_assert(as_strided(u, shape<2, 2>{}, strides<1, 2>{}, c<3>{}).storage_offset() == 3);
}  // namespace
