// dtypes, promotion, result_type and device strings against tables generated
// from PyTorch 1.13 (tests/data/gen_core_tables.py).
#include <catch2/catch.hpp>

#include <string>

#include "faketensor/core/device.hpp"
#include "faketensor/core/dtype.hpp"
#include "faketensor/core/result_type.hpp"
#include "test_support.hpp"

using fake::testing::dtype_of;
using fake::testing::load_json;

namespace {
const nlohmann::json& tables() {
  static const nlohmann::json t = load_json("core_tables.json");
  return t;
}
}  // namespace

TEST_CASE("dtype properties match PyTorch", "[dtype][oracle]") {
  const auto& rows = tables().at("dtypes");
  REQUIRE(rows.size() == 18);
  for (const auto& row : rows) {
    const fake::dtype d = dtype_of(row.at("name"));
    INFO(row.dump());
    CHECK(fake::to_string(d) == row.at("repr").get<std::string>());
    if (!row.at("itemsize").is_null()) CHECK(fake::itemsize(d) == row.at("itemsize").get<std::int64_t>());
    CHECK(fake::is_floating_point(d) == row.at("is_floating_point").get<bool>());
    CHECK(fake::is_complex(d) == row.at("is_complex").get<bool>());
    if (row.at("is_signed").is_null()) CHECK_THROWS_AS(fake::is_signed(d), fake::dtype_error);
    else CHECK(fake::is_signed(d) == row.at("is_signed").get<bool>());
    CHECK(fake::is_quantized(d) == row.at("is_quantized").get<bool>());
  }
}

TEST_CASE("promote_types matches PyTorch for every pair", "[dtype][oracle]") {
  const auto& rows = tables().at("promote_types");
  REQUIRE(rows.size() == 18 * 18);
  for (const auto& row : rows) {
    INFO(row.dump());
    const fake::dtype a = dtype_of(row.at("a"));
    const fake::dtype b = dtype_of(row.at("b"));
    if (row.contains("error")) {
      try {
        (void)fake::promote_types(a, b);
        FAIL("expected a dtype_error");
      } catch (const fake::dtype_error& e) {
        CHECK(std::string(e.what()) == "promote_types: " + row.at("error").get<std::string>());
      }
    } else {
      CHECK(fake::promote_types(a, b) == dtype_of(row.at("result")));
    }
  }
}

TEST_CASE("float8 dtypes promote only to themselves", "[dtype]") {
  CHECK(fake::promote_types(fake::dtype::float8_e5m2, fake::dtype::float8_e5m2) == fake::dtype::float8_e5m2);
  CHECK_THROWS_WITH(fake::promote_types(fake::dtype::float8_e5m2, fake::dtype::float32),
                    "promote_types: Promotion for Float8 Types is not supported, attempted to promote Float8_e5m2 and Float");
  CHECK_THROWS_AS(fake::promote_types(fake::dtype::float8_e4m3fn, fake::dtype::float8_e5m2), fake::dtype_error);
}

namespace {
fake::operand operand_of(const nlohmann::json& j) {
  const std::string kind = j.at("kind").get<std::string>();
  if (kind == "scalar") {
    const std::string type = j.at("type").get<std::string>();
    if (type == "bool") return fake::scalar_operand(true);
    if (type == "int") return fake::int_scalar_operand();
    if (type == "float") return fake::float_scalar_operand();
    if (type == "complex") return fake::complex_scalar_operand();
    throw std::runtime_error("unknown scalar type " + type);
  }
  return {dtype_of(j.at("dtype")), kind == "tensor" ? fake::operand_kind::tensor : fake::operand_kind::zero_dim};
}
}  // namespace

TEST_CASE("result_type matches PyTorch for tensors, 0-dim tensors and scalars", "[dtype][oracle]") {
  const auto& rows = tables().at("result_type");
  REQUIRE(rows.size() >= 1000);
  std::size_t checked = 0;
  for (const auto& row : rows) {
    INFO(row.dump());
    fake::result_type_state state;
    for (const auto& op : row.at("operands")) state.update(operand_of(op));
    REQUIRE(row.contains("result"));
    REQUIRE(state.result().has_value());
    CHECK(*state.result() == dtype_of(row.at("result")));
    ++checked;
  }
  CHECK(checked == rows.size());
}

TEST_CASE("result_type with float64 as the default dtype", "[dtype]") {
  fake::result_type_state state(fake::dtype::float64);
  state.update({fake::dtype::int32, fake::operand_kind::tensor}).update(fake::float_scalar_operand());
  CHECK(state.result() == fake::dtype::float64);
  fake::result_type_state complex_state(fake::dtype::float64);
  complex_state.update({fake::dtype::int32, fake::operand_kind::tensor}).update(fake::complex_scalar_operand());
  CHECK(complex_state.result() == fake::dtype::complex128);
  CHECK_THROWS_AS(fake::result_type({}), fake::dtype_error);
}

TEST_CASE("device strings parse and print as in PyTorch", "[device][oracle]") {
  const auto& rows = tables().at("devices");
  REQUIRE(rows.size() > 40);
  for (const auto& row : rows) {
    const std::string input = row.at("input").get<std::string>();
    INFO(row.dump());
    if (row.contains("error")) {
      try {
        (void)fake::parse_device(input);
        FAIL("expected a device_error");
      } catch (const fake::device_error& e) {
        CHECK(std::string(e.what()) == "device: " + row.at("error").get<std::string>());
      }
      continue;
    }
    const long long index = row.at("index").is_null() ? -1 : row.at("index").get<long long>();
    const bool pytorch_wrapped = std::stoll(input.substr(input.find(':') == std::string::npos ? input.size() : input.find(':') + 1).empty()
                                                ? "0"
                                                : input.substr(input.find(':') + 1)) > 127;
    if (row.at("type") == "cpu" && index > 0) {
      // Release builds of PyTorch skip c10::Device::validate and accept "cpu:1";
      // we keep c10's rule that a cpu index is -1 or 0.
      CHECK_THROWS_WITH(fake::parse_device(input), Catch::Contains("CPU device index must be -1 or zero"));
      continue;
    }
    if (pytorch_wrapped) {
      // PyTorch 1.13 (release build) wraps int8 device indices: "cuda:128" is
      // cuda:-128. We refuse such strings instead.
      CHECK_THROWS_AS(fake::parse_device(input), fake::device_error);
      continue;
    }
    const fake::device d = fake::parse_device(input);
    CHECK(std::string(fake::name(d.type)) == row.at("type").get<std::string>());
    CHECK(d.index == index);
    CHECK(fake::to_string(d) == row.at("str").get<std::string>());
  }
}

TEST_CASE("device index rules", "[device]") {
  CHECK_THROWS_WITH(fake::device(fake::device_type::cpu, 1), "device: CPU device index must be -1 or zero, got 1");
  CHECK_THROWS_WITH(fake::device(fake::device_type::cuda, -2), "device: Device index must be -1 or non-negative, got -2");
  CHECK(fake::to_string(fake::device(fake::cuda<3>)) == "cuda:3");
  CHECK(fake::to_string(fake::device(fake::meta)) == "meta");
}
