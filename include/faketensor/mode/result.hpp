// faketensor/mode/result.hpp — errors as values: the errors::return_result
// policy of fake::mode and its result type (Boost.Outcome).
//
//   fake::mode<fake::errors::return_result> m;
//   fake::result<fake::stack> r = m.call("aten::view", {x, fake::dim_vector{5, -1}});
//   if (!r) std::cerr << fake::message(r.error());   // "view: shape '[5, -1]' is invalid ..."
//
// A result holds the value or the fake::error raised (as std::exception_ptr,
// so its kind survives: rethrow it, or test it with fake::holds<shape_error>).
// Only fake::error is caught; anything else (bad_alloc) still propagates.
#pragma once

#include <exception>    // std::exception_ptr, std::current_exception, std::rethrow_exception
#include <string>       // std::string
#include <type_traits>  // std::invoke_result_t
#include <utility>      // std::forward

#include <boost/outcome/result.hpp>  // BOOST_OUTCOME_V2_NAMESPACE::result

#include "faketensor/core/error.hpp"     // fake::error
#include "faketensor/mode/policies.hpp"  // fake::errors

namespace fake {

template <class T>
using result = BOOST_OUTCOME_V2_NAMESPACE::result<T, std::exception_ptr>;

namespace errors {
struct return_result {
  template <class F>
  static auto run(F&& f) -> result<std::invoke_result_t<F>> {
    try {
      return std::forward<F>(f)();
    } catch (const error&) {
      return std::current_exception();
    }
  }
};
}  // namespace errors

// The message of a failed result's error.
inline std::string message(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}
// Whether a failed result's error is of kind E (shape_error, device_error, ...).
template <class E>
bool holds(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const E&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace fake
