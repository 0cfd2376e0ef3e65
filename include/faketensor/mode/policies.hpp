// faketensor/mode/policies.hpp — the policies a fake::mode is made of
// (DESIGN.md, principle 4): small tag types, one per concern.
//
//   fake::mode<fake::memo::dispatch_cache<>, fake::devices::propagate> m;
//
// A mode holds state only for the policies it names ([[no_unique_address]]
// for the rest), and `if constexpr` keeps the code of an absent policy out of
// the binary: mode<> is an empty dispatch mode that runs every op as given.
#pragma once

#include <cstddef>      // std::size_t
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_same_v
#include <utility>      // std::forward

namespace fake {

class op_overload;
class tensor_desc;

// Memoization of op results.
namespace memo {
// No memoization (the default).
struct none {};
// A bounded cache from (op, canonical argument metadata) to how to make the
// outputs (FakeTensorMode's dispatch cache); least recently used entries are
// evicted past Capacity.
template <std::size_t Capacity = 4096>
struct dispatch_cache {
  static constexpr std::size_t capacity = Capacity;
};
}  // namespace memo

// What devices fake tensors report. A user's device policy is a type with
//   static void check(const op_overload& op, std::string_view argument, const tensor_desc& t);
// called for every tensor argument before the op runs (throw to refuse it);
// the outputs' devices are then propagated as PyTorch does (examples/custom_mode.cpp).
namespace devices {
// Outputs carry the device PyTorch would give (the kernels' common-device
// rule); fake tensors on the meta device are refused unless the mode allows
// them (FakeTensorMode's default).
struct propagate {};
// Everything is on the meta device (plain meta tensors): inputs of any device
// are accepted and outputs report meta.
struct meta_only {};
}  // namespace devices

// How a mode's own calls (mode.call, mode.run) report errors.
namespace errors {
// As exceptions (fake::error and its kinds): the default.
struct throw_exceptions {
  template <class F>
  static decltype(auto) run(F&& f) {
    return std::forward<F>(f)();
  }
};
// As a value: fake::result<T> (mode/result.hpp, Boost.Outcome) holding the
// result or the fake::error raised; other exceptions (bad_alloc) propagate.
struct return_result;
}  // namespace errors

namespace detail {
template <class P>
struct is_memo_policy : std::false_type {};
template <>
struct is_memo_policy<memo::none> : std::true_type {};
template <std::size_t N>
struct is_memo_policy<memo::dispatch_cache<N>> : std::true_type {};

template <class P>
inline constexpr bool is_user_device_policy_v =
    requires(const op_overload& op, std::string_view arg, const tensor_desc& t) { P::check(op, arg, t); };
template <class P>
inline constexpr bool is_device_policy_v =
    std::is_same_v<P, devices::propagate> || std::is_same_v<P, devices::meta_only> || is_user_device_policy_v<P>;
template <class P>
struct is_error_policy : std::bool_constant<std::is_same_v<P, errors::throw_exceptions> || std::is_same_v<P, errors::return_result>> {};

// The first policy of a kind in Ps..., or Default.
template <template <class> class Is, class Default, class... Ps>
struct pick_policy {
  using type = Default;
};
template <template <class> class Is, class Default, class P, class... Ps>
struct pick_policy<Is, Default, P, Ps...> {
  using type = std::conditional_t<Is<P>::value, P, typename pick_policy<Is, Default, Ps...>::type>;
};
template <class P>
struct is_device_policy : std::bool_constant<is_device_policy_v<P>> {};

// A recording policy names the recorder a mode holds and calls on every op
// (fake::trace::graph: a tracer, trace/tracer.hpp): recorder.record(mode, op,
// stack, run) appends what it records and runs an op with run(op, stack).
template <class P>
struct is_record_policy : std::bool_constant<requires { typename P::recorder; }> {};
struct no_recorder {};  // the recorder member of a mode without a recording policy
template <class P>
struct recorder_of {
  using type = typename P::recorder;
};
template <>
struct recorder_of<no_recorder> {
  using type = no_recorder;
};

template <class P>
inline constexpr bool is_known_policy_v =
    is_memo_policy<P>::value || is_device_policy_v<P> || is_record_policy<P>::value || is_error_policy<P>::value;
}  // namespace detail

}  // namespace fake
