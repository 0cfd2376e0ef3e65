// faketensor/core/fixed_string.hpp — a string usable as a template argument.
//
// Op names and check messages are template arguments of fake::expect, so that a
// failed static check shows them in the compiler's diagnostic (see expect.hpp).
#pragma once

#include <cstddef>      // std::size_t
#include <string_view>  // std::string_view

namespace fake {

template <std::size_t N>
struct fixed_string {
  char chars[N]{};  // includes the terminating NUL

  constexpr fixed_string(const char (&text)[N]) noexcept {
    for (std::size_t i = 0; i < N; ++i) chars[i] = text[i];
  }
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {chars, N - 1}; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return N - 1; }
};

}  // namespace fake
