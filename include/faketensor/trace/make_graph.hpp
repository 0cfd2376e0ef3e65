// faketensor/trace/make_graph.hpp — fake::make_graph: make_fx for C++.
//
//   fake::mode<fake::memo::dispatch_cache<>, fake::trace::graph> m;
//   fake::graph g = fake::make_graph(m, [](const tensor_desc& x, const tensor_desc& w) {
//     return fake::at::gelu(fake::at::linear(x, w));
//   }, x, w);
//
// The inputs (tensor_desc, or typed tensors, which enter as their to_desc())
// become placeholders arg0_1, arg1_1, ... (make_fx's names for positional
// inputs); fn runs with the mode on the stack and gets the inputs as
// tensor_desc; every op it calls through the dispatcher (fake::at, fake::call)
// becomes a node. fn may return a tensor, a std::vector of tensors, a
// tuple/pair of these, or a Boost.Hana-adapted struct of them: they become the
// output node, flattened in order.
//
// A callable with a `for_each_parameter(f)` member (the models in examples/)
// declares its parameters first: f(qualified_name, tensor) for each, and each
// becomes a get_attr node where it is first used.
#pragma once

#include <string>       // std::string
#include <tuple>        // std::apply
#include <type_traits>  // std::decay_t
#include <utility>      // std::forward
#include <vector>       // std::vector

#include <boost/hana/for_each.hpp>  // boost::hana::for_each
#include <boost/hana/members.hpp>   // boost::hana::members
#include <boost/hana/concept/struct.hpp>  // boost::hana::Struct

#include "faketensor/dispatch/mode_stack.hpp"  // fake::mode_guard
#include "faketensor/trace/tracer.hpp"         // fake::tracer

namespace fake {

namespace detail {
template <class T>
tensor_desc as_tensor_desc(const T& t) {
  if constexpr (std::is_same_v<T, tensor_desc>) return t;
  else return t.to_desc();
}

// Appends the tensors of a result, in order.
template <class R>
void flatten_results(const R& r, std::vector<tensor_desc>& out) {
  if constexpr (std::is_same_v<R, tensor_desc>) out.push_back(r);
  else if constexpr (requires { r.to_desc(); }) out.push_back(r.to_desc());
  else if constexpr (requires { typename R::value_type; r.begin(); r.end(); })
    for (const auto& x : r) flatten_results(x, out);
  else if constexpr (requires { std::tuple_size<R>::value; })
    std::apply([&](const auto&... xs) { (flatten_results(xs, out), ...); }, r);
  else if constexpr (boost::hana::Struct<R>::value)
    boost::hana::for_each(boost::hana::members(r), [&](const auto& x) { flatten_results(x, out); });
  else static_assert(sizeof(R) == 0, "fake::make_graph: the function must return tensors (a tensor, a vector, a tuple or a "
                                     "Boost.Hana struct of them)");
}
}  // namespace detail

// Traces fn(inputs...) under `m`, whose recording policy is fake::trace::graph.
template <class Mode, class Fn, class... Inputs>
  requires Mode::has_recorder
fake::graph make_graph(Mode& m, Fn&& fn, const Inputs&... inputs) {
  tracer& tr = m.recorder();
  tr.reset();
  if constexpr (requires { fn.for_each_parameter([](const std::string&, const tensor_desc&) {}); })
    fn.for_each_parameter([&](const std::string& name, const tensor_desc& t) { tr.parameter(name, t); });
  std::size_t index = 0;
  const auto placeholder = [&](const auto& input) {
    tensor_desc t = detail::as_tensor_desc(input);
    tr.input("arg" + std::to_string(index++) + "_1", t);
    return t;
  };
  std::vector<tensor_desc> results;
  {
    // Braced: the placeholders are made left to right.
    std::tuple<decltype(detail::as_tensor_desc(inputs))...> args{placeholder(inputs)...};
    mode_guard on(m);
    detail::flatten_results(std::apply(fn, args), results);
  }
  tr.output(results);
  return tr.take_graph();
}

}  // namespace fake
