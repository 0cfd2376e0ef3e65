// Shared helpers of the runtime tests: test data loading and JSON decoding.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "faketensor/core/dtype.hpp"
#include "faketensor/shape/dim_vector.hpp"

namespace fake::testing {

// Reads tests/data/<name> (FAKETENSOR_TEST_DATA_DIR is set by the build).
inline nlohmann::json load_json(const std::string& name) {
  const std::string path = std::string(FAKETENSOR_TEST_DATA_DIR) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open test data " + path);
  return nlohmann::json::parse(in);
}

inline dim_vector dims_of(const nlohmann::json& array) {
  dim_vector out;
  for (const auto& v : array) out.push_back(v.get<std::int64_t>());
  return out;
}

inline dtype dtype_of(const nlohmann::json& name) {
  const auto d = parse_dtype(name.get<std::string>());
  if (!d) throw std::runtime_error("unknown dtype in test data: " + name.dump());
  return *d;
}

}  // namespace fake::testing
