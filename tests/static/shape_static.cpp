// Static facts about shapes and strides: empty types for static shapes, only
// dynamic values stored, broadcasting/strides/numel static where inputs are.
#include <cstdint>
#include <type_traits>

#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/contiguity.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/shape.hpp"
#include "faketensor/shape/strides.hpp"

namespace {
using namespace fake;

template <class A, class B>
inline constexpr bool same = std::is_same_v<std::remove_cvref_t<A>, B>;

// storage: a fully static shape is empty; a mixed one stores only its dynamic values
static_assert(std::is_empty_v<shape<8, 1024, 768>>);
static_assert(std::is_empty_v<shape<>>);
static_assert(sizeof(shape<dyn, 1024, 768>) == sizeof(std::int64_t));
static_assert(sizeof(shape<dyn, 3, dyn>) == 2 * sizeof(std::int64_t));
static_assert(std::is_empty_v<strides<12, 4, 1>>);

// queries are constant expressions and static where the extent is
constexpr shape<2, dyn, 4> mixed{3};
static_assert(same<decltype(get<0>(mixed)), c<2>>);
static_assert(same<decltype(get<1>(mixed)), std::int64_t>);
static_assert(get<1>(mixed) == 3 && mixed[1] == 3 && mixed[2] == 4);
static_assert(same<decltype(rank(mixed)), c<3>>);
static_assert(shape<2, 3>{} == shape<2, 3>{});
static_assert(same<decltype(shape<2, 3>{} == shape<2, 4>{}), false_c>);
static_assert(same<decltype(shape<2, 3>{} == shape<2, 3, 1>{}), false_c>);
static_assert(make_shape(c<2>{}, std::int64_t{5}) == shape<2, dyn>{5});

// broadcasting
static_assert(same<decltype(broadcast_shapes(shape<8, 1, 768>{}, shape<4, 1>{})), shape<8, 4, 768>>);
static_assert(same<decltype(broadcast_shapes(shape<>{}, shape<3>{})), shape<3>>);
static_assert(same<decltype(broadcast_shapes(shape<2, 1>{}, shape<1, 0>{})), shape<2, 0>>);
static_assert(same<decltype(broadcast_shapes(shape<1>{}, shape<2, 1>{}, shape<3, 1, 5>{})), shape<3, 2, 5>>);
// a static extent other than 1 absorbs a dynamic one; a static 1 defers to it
static_assert(same<decltype(broadcast_shapes(shape<dyn, 768>{}, shape<1, 768>{})), shape<dyn, 768>>);
static_assert(same<decltype(broadcast_shapes(shape<dyn>{}, shape<768>{})), shape<768>>);
static_assert(same<decltype(broadcast_shapes(shape<dyn>{}, shape<dyn>{})), shape<dyn>>);
static_assert(broadcast_shapes(shape<dyn, 1>{7}, shape<1, 5>{}) == shape<7, 5>{});
static_assert(is_expandable_to(shape<3, 1>{}, shape<2, 3, 4>{}));
static_assert(!is_expandable_to(shape<3, 2>{}, shape<2, 3, 4>{}));

// contiguous strides: static wherever the sizes they depend on are
static_assert(same<decltype(contiguous_strides(shape<2, 3, 4>{})), strides<12, 4, 1>>);
static_assert(same<decltype(contiguous_strides(shape<dyn, 1024, 768>{})), strides<786432, 768, 1>>);
static_assert(same<decltype(contiguous_strides(shape<4, dyn, 5>{})), strides<dyn, 5, 1>>);
static_assert(same<decltype(contiguous_strides(shape<2, 0, 4>{})), strides<4, 4, 1>>);  // size 0 counts as 1
static_assert(same<decltype(contiguous_strides(shape<>{})), strides<>>);
static_assert(same<decltype(channels_last_strides(shape<2, 3, 4, 5>{})), strides<60, 1, 15, 3>>);
static_assert(same<decltype(channels_last_strides(shape<2, 0, 4, 5>{})), strides<0, 1, 0, 0>>);
static_assert(same<decltype(channels_last_3d_strides(shape<2, 3, 4, 5, 6>{})), strides<360, 1, 90, 18, 3>>);

// contiguity answers at compile time for static shapes
static_assert(is_contiguous(shape<2, 3>{}, strides<3, 1>{}));
static_assert(!is_contiguous(shape<2, 3>{}, strides<1, 2>{}));
static_assert(is_contiguous(shape<2, 1>{}, strides<1, 7>{}));  // size-1 dims are free
static_assert(is_channels_last_contiguous(shape<2, 3, 4, 5>{}, strides<60, 1, 15, 3>{}));
static_assert(suggest_memory_format(shape<2, 3, 4, 5>{}, strides<60, 1, 15, 3>{}) == memory_format::channels_last);
static_assert(is_non_overlapping_and_dense(shape<2, 3>{}, strides<1, 2>{}));
static_assert(!is_non_overlapping_and_dense(shape<2, 3>{}, strides<0, 1>{}));

// numel and storage bytes are static for static inputs
static_assert(same<decltype(numel(shape<2, 3, 4>{})), c<24>>);
static_assert(same<decltype(numel(shape<>{})), c<1>>);
static_assert(same<decltype(numel(shape<2, dyn>{5})), std::int64_t>);
static_assert(same<decltype(storage_nbytes(shape<2, 3>{}, strides<3, 1>{}, c<4>{})), c<24>>);
static_assert(same<decltype(storage_nbytes(shape<2, 0>{}, strides<3, 1>{}, c<4>{}, c<9>{})), c<0>>);
static_assert(storage_nbytes(shape<2, 3>{}, strides<1, 2>{}, c<2>{}, c<5>{}) == 2 * (5 + 1 + 1 + 4));
}  // namespace

// Negative checks: misuse is rejected by the constructors' constraints (clean
// substitution failure, not an error inside the library).
namespace {
using fake::dyn;
static_assert(!std::is_constructible_v<fake::shape<2, 3>, int>);          // no dynamic extent to set
static_assert(!std::is_constructible_v<fake::shape<dyn, 3>, int, int>);   // all extents need fake::all_extents
static_assert(std::is_constructible_v<fake::shape<dyn, 3>, fake::all_extents_t, int, int>);
static_assert(!std::is_constructible_v<fake::shape<dyn, 3>, double>);     // dims are integers
static_assert(!std::is_convertible_v<int, fake::shape<dyn>>);             // no implicit shape from an int
static_assert(fake::typed_dims<fake::shape<1, 2>> && !fake::typed_dims<fake::dim_vector>);
}  // namespace
