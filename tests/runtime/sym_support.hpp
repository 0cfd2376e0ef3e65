// Helpers of the symbolic-shape tests.
#pragma once

#include <cstdint>
#include <vector>

#include "faketensor/core/shape_env.hpp"

namespace fake::testing {

// Runs check(values) at sizes other than the hints (each symbol bumped alike)
// wherever every recorded guard holds there; returns how many it ran.
template <class Check>
int at_other_sizes(const fake::shape_env& env, Check check) {
  int ran = 0;
  for (const std::int64_t bump : {1, 3, 17, 1000}) {
    std::vector<std::int64_t> other = env.hints();
    for (std::int64_t& v : other) v += bump;
    if (!env.check_guards(other)) continue;
    ++ran;
    check(other);
  }
  return ran;
}

}  // namespace fake::testing
