// Typed op handles (ops/handle.hpp): the schema is parsed at compile time, a
// call on static tensors is a constant expression with a static result type,
// and fake::invoke picks a typed mode's rule by overload resolution.
#include <type_traits>

#include "faketensor/meta/tensor.hpp"
#include "faketensor/ops/handle.hpp"

namespace {
using namespace fake;
template <class A, class B>
inline constexpr bool same = std::is_same_v<A, B>;

constexpr tensor<f16, shape<8, 16, 32>, cuda<0>> x;

// the schema facts a dispatcher needs, at compile time
static_assert(aten::transpose_int.schema.is_view());
static_assert(aten::transpose_int.schema.aliased_input(0) == 0);
static_assert(aten::transpose_int.schema.base_name() == "transpose");
static_assert(aten::transpose_int.schema.overload_name() == "int");
static_assert(aten::view.schema.num_arguments() == 2);
static_assert(std::is_empty_v<std::remove_cvref_t<decltype(aten::transpose_int)>>);

// a typed call is the kernel's typed result
constexpr auto y = aten::transpose_int(x, c<0>{}, c<2>{});
static_assert(same<decltype(y.sizes()), const shape<32, 16, 8>&> || same<std::remove_cvref_t<decltype(y.sizes())>, shape<32, 16, 8>>);
static_assert(same<std::remove_cvref_t<decltype(aten::select_int(x, c<1>{}, c<-1>{}).sizes())>, shape<8, 32>>);
static_assert(same<std::remove_cvref_t<decltype(aten::unsqueeze(x, c<0>{}).sizes())>, shape<1, 8, 16, 32>>);

// a typed mode with a rule for transpose only
struct counting_mode {
  int transposes = 0;
  template <class... A>
  constexpr auto handle(const std::remove_cvref_t<decltype(aten::transpose_int)>& op, const A&... args) {
    ++transposes;
    return op(args...);
  }
};
constexpr int rule_runs() {
  counting_mode m;
  (void)invoke(m, aten::transpose_int, x, c<0>{}, c<1>{});
  (void)invoke(m, aten::t, tensor<f32, shape<2, 3>>{});  // no rule: the kernel runs
  (void)invoke(m, aten::transpose_int, x, c<1>{}, c<2>{});
  return m.transposes;
}
static_assert(rule_runs() == 2);

// a user's own op gets a typed handle the same way: schema checked by the
// compiler, kernel called directly (the runtime side is fake::library)
struct double_rows_kernel {
  template <auto D, std::int64_t R, std::int64_t C, auto Dev>
  constexpr auto operator()(const tensor<D, shape<R, C>, Dev>&) const {
    return tensor<D, shape<2 * R, C>, Dev>{};
  }
};
inline constexpr op_handle<"mylib::double_rows(Tensor x) -> Tensor", double_rows_kernel> double_rows{};
static_assert(double_rows.schema.ns() == "mylib" && double_rows.schema.is_functional());
static_assert(same<std::remove_cvref_t<decltype(double_rows(tensor<f32, shape<3, 4>>{}).sizes())>, shape<6, 4>>);
static_assert(!std::is_invocable_v<decltype(double_rows), int>);  // the kernel's constraints are the handle's
}  // namespace
