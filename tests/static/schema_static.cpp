// Operator schemas parsed in constant expressions (ops/schema.hpp): names,
// argument kinds, defaults, keyword-only flags, alias annotations and the
// dispatcher's queries, all checked by the compiler.
#include <faketensor/ops/schema.hpp>

namespace {

using fake::literal_kind;
using fake::schema_kind;
using fake::type_kind;

constexpr fake::schema add = fake::parse_schema("add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
static_assert(add.base_name() == "add" && add.overload_name() == "Tensor" && add.ns().empty());
static_assert(add.num_arguments() == 3 && add.num_returns() == 1);
static_assert(add.type_of(add.argument(0)).kind == type_kind::tensor);
static_assert(add.type_of(add.argument(2)).kind == type_kind::scalar);
static_assert(!add.argument(1).kwarg_only && add.argument(2).kwarg_only);
static_assert(add.argument(2).default_value.kind == literal_kind::integer && add.argument(2).default_value.integer == 1);
static_assert(add.kind() == schema_kind::functional && add.is_functional() && !add.is_mutable());
static_assert(!add.is_view() && !add.is_inplace() && !add.is_out());
static_assert(!add.aliased_input(0).has_value());
static_assert(add.argument_index("other") == 1 && !add.argument_index("out").has_value());

constexpr fake::schema transpose = fake::parse_schema("transpose.int(Tensor(a) self, int dim0, int dim1) -> Tensor(a)");
static_assert(transpose.is_view() && !transpose.is_mutable());
static_assert(transpose.aliased_input(0) == 0);
static_assert(transpose.alias(transpose.argument(0))->before_sets().size() == 1);
static_assert(transpose.alias(transpose.argument(0))->before[0] == "a");
static_assert(!transpose.alias(transpose.return_(0))->is_write);

constexpr fake::schema add_ = fake::parse_schema("add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)");
static_assert(add_.is_inplace() && add_.kind() == schema_kind::inplace && add_.is_mutable() && !add_.is_view());
static_assert(add_.alias(add_.argument(0))->is_write && add_.aliased_input(0) == 0);
static_assert(add_.mutated_arguments().size() == 1 && add_.mutated_arguments()[0] == 0);

constexpr fake::schema add_out = fake::parse_schema(
    "add.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)");
static_assert(add_out.is_out() && add_out.kind() == schema_kind::out && !add_out.is_inplace());
static_assert(add_out.is_out(add_out.argument(3)) && !add_out.is_out(add_out.argument(2)));
static_assert(add_out.aliased_input(0) == 3);

constexpr fake::schema max_dim = fake::parse_schema("max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)");
static_assert(max_dim.num_returns() == 2 && max_dim.return_(0).name == "values" && max_dim.return_(1).name == "indices");
static_assert(max_dim.argument(2).default_value.kind == literal_kind::boolean && !max_dim.argument(2).default_value.boolean);

constexpr fake::schema split = fake::parse_schema("split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]");
static_assert(split.is_view() && split.aliased_input(0) == 0);
static_assert(split.alias(split.argument(0))->is_wildcard_after() && !split.alias(split.argument(0))->is_wildcard_before());
static_assert(split.type_of(split.argument(1)).kind == type_kind::sym_int);
static_assert(split.type_of(split.return_(0)).kind == type_kind::list);
static_assert(split.set_alias(split.return_(0))->before[0] == "a");

constexpr fake::schema sum = fake::parse_schema(
    "sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor");
static_assert(sum.type_of(sum.argument(1)).kind == type_kind::optional);
static_assert(sum.type(sum.unwrap_optional(sum.argument(1).type)).kind == type_kind::list);
static_assert(sum.argument(1).N == 1 && !sum.argument(1).has_default());
static_assert(sum.argument(3).kwarg_only && sum.argument(3).default_value.is_none());

constexpr fake::schema gelu = fake::parse_schema("gelu(Tensor self, *, str approximate='none') -> Tensor");
static_assert(gelu.argument(1).default_value.string_equals("none") && !gelu.argument(1).default_value.string_equals("tanh"));

constexpr fake::schema conv = fake::parse_schema(
    "convolution(Tensor input, Tensor weight, Tensor? bias, SymInt[] stride, SymInt[] padding, SymInt[] dilation, "
    "bool transposed, SymInt[] output_padding, SymInt groups) -> Tensor");
static_assert(conv.num_arguments() == 9 && conv.is_tensor_like(conv.argument(2)) && !conv.is_tensor_like(conv.argument(3)));

constexpr fake::schema defaults = fake::parse_schema(
    "f(int[2] stride=1, int[] pad=[0, 1], float eps=1e-05, float p=0.5, int d=-1, Layout l=strided, "
    "ScalarType s=float, str r=\"mean\", Device dev=\"cuda:1\", Generator? g=None, bool[3] m=True) -> ()");
static_assert(defaults.argument(0).default_value.kind == literal_kind::list && defaults.argument(0).default_value.size == 2);
static_assert(defaults.list_element(defaults.argument(0).default_value, 1).integer == 1);
static_assert(defaults.list_element(defaults.argument(1).default_value, 1).integer == 1);
static_assert(defaults.argument(2).default_value.floating == 1e-05);
static_assert(defaults.argument(3).default_value.floating == 0.5);
static_assert(defaults.argument(4).default_value.integer == -1);
static_assert(defaults.argument(5).default_value.integer == 0);  // at::kStrided
static_assert(defaults.argument(6).default_value.integer == 6);  // at::kFloat
static_assert(defaults.argument(7).default_value.string_equals("mean"));
static_assert(defaults.argument(8).default_value.dev_type == fake::device_type::cuda && defaults.argument(8).default_value.dev_index == 1);
static_assert(defaults.argument(9).default_value.is_none());
static_assert(defaults.list_element(defaults.argument(10).default_value, 2).boolean);

constexpr fake::schema mylib = fake::parse_schema("mylib::foo.bar(Tensor x, t y, t[] z, Any w, Dimname n, Tensor?[] i) -> Tensor");
static_assert(mylib.ns() == "mylib" && mylib.name_is("mylib::foo.bar"));
static_assert(mylib.type_of(mylib.argument(1)).kind == type_kind::var && mylib.type_of(mylib.argument(1)).name == "t");
static_assert(mylib.type_of(mylib.argument(3)).kind == type_kind::any);
static_assert(mylib.type_of(mylib.argument(4)).kind == type_kind::dimname);
static_assert(mylib.is_tensor_like(mylib.argument(5)));

constexpr fake::schema foreach_ = fake::parse_schema("_foreach_add_.List(Tensor(a!)[] self, Tensor[] other, *, Scalar alpha=1) -> ()");
static_assert(foreach_.num_returns() == 0 && foreach_.is_inplace() && foreach_.is_mutable());
static_assert(foreach_.alias(foreach_.argument(0))->contained != fake::no_index);

constexpr fake::schema mutable_ = fake::parse_schema("_fused(Tensor self, Tensor(a!) running, bool flag) -> Tensor");
static_assert(mutable_.kind() == schema_kind::mutable_);

constexpr fake::schema shorthand = fake::parse_schema("f(Tensor! x, Tensor! y) -> ()");
static_assert(shorthand.alias(shorthand.argument(1))->before[0] == "$1" && shorthand.alias(shorthand.argument(1))->num_after == 0);

}  // namespace
