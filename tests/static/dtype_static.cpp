// Static facts about dtypes, devices and result_type.
#include <type_traits>

#include "faketensor/core/device.hpp"
#include "faketensor/core/dtype.hpp"
#include "faketensor/core/layout.hpp"
#include "faketensor/core/result_type.hpp"

namespace {
using namespace fake;

template <class A, class B>
inline constexpr bool same = std::is_same_v<std::remove_cvref_t<A>, B>;

// typed tags carry the dtype in their type; promotion of tags is a tag
static_assert(std::is_empty_v<dtype_c<dtype::float32>>);
static_assert(same<decltype(promote_types(f16, bf16)), dtype_c<dtype::float32>>);
static_assert(same<decltype(promote_types(u8, i8)), dtype_c<dtype::int16>>);
static_assert(same<decltype(promote_types(b8, u8)), dtype_c<dtype::uint8>>);
static_assert(same<decltype(promote_types(bf16, c32)), dtype_c<dtype::complex64>>);
static_assert(same<decltype(f32 == f32), true_c>);

// the enum path is constexpr too
static_assert(promote_types(dtype::int32, dtype::float16) == dtype::float16);
static_assert(promote_types(dtype::float64, dtype::complex64) == dtype::complex128);
static_assert(itemsize(dtype::bfloat16) == 2 && itemsize(dtype::complex128) == 16);
static_assert(is_floating_point(dtype::float8_e4m3fn) && !is_floating_point(dtype::complex64));
static_assert(name(dtype::bool_) == "bool" && c10_name(dtype::float32) == "Float");
static_assert(parse_dtype("torch.half") == dtype::float16 && !parse_dtype("float17"));

// result_type: 0-dim tensors and scalars matter only from a higher category
static_assert(result_type({{dtype::int32, operand_kind::tensor}, float_scalar_operand()}) == dtype::float32);
static_assert(result_type({{dtype::float16, operand_kind::tensor}, {dtype::float64, operand_kind::zero_dim}}) ==
              dtype::float16);
static_assert(result_type({{dtype::uint8, operand_kind::tensor}, {dtype::int64, operand_kind::zero_dim}}) == dtype::uint8);
static_assert(result_type({{dtype::float16, operand_kind::tensor}, complex_scalar_operand()}) == dtype::complex32);
static_assert(result_type({{dtype::bool_, operand_kind::tensor}, int_scalar_operand()}) == dtype::int64);

// devices
static_assert(same<decltype(cuda<0> == cuda<0>), true_c>);
static_assert(same<decltype(cuda<0> == cuda<1>), false_c>);
static_assert(device(cuda<1>) == device(device_type::cuda, 1));
static_assert(device(cpu).type == device_type::cpu && !device(cpu).has_index());
static_assert(std::is_empty_v<decltype(meta)>);

static_assert(parse_memory_format("channels_last") == memory_format::channels_last);
}  // namespace
