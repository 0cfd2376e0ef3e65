// Operator schemas (ops/schema.hpp) against PyTorch 1.13's parser: every
// registered schema and hand-written corner cases parse, print as
// str(torch._C.parse_schema(text)) prints them, and report c10's and
// torchgen's facts; malformed inputs that torch rejects are refused with the
// position torch marks (tests/data/gen_schemas.py).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "faketensor/ops/schema.hpp"
#include "test_support.hpp"

using fake::testing::load_json;

namespace {

const nlohmann::json& schemas() {
  static const nlohmann::json t = load_json("schemas.json");
  return t;
}

// c10 keeps alias sets in an unordered_set; with several sets in one
// annotation its printed order is not the source order. Sort the names inside
// each "(...)" that holds a '|' so both prints compare.
std::string sort_alias_sets(const std::string& s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t open = s.find('(', i);
    if (open == std::string::npos) {
      out += s.substr(i);
      break;
    }
    const std::size_t close = s.find(')', open);
    const std::size_t inner_open = s.find('(', open + 1);
    if (close == std::string::npos || (inner_open != std::string::npos && inner_open < close) ||
        s.substr(open, close - open).find('|') == std::string::npos) {
      out += s.substr(i, open + 1 - i);
      i = open + 1;
      continue;
    }
    out += s.substr(i, open + 1 - i);
    std::string body = s.substr(open + 1, close - open - 1);
    // body: sets[!][ -> sets]
    auto sort_part = [](std::string part) {
      std::vector<std::string> names;
      std::size_t p = 0;
      while (true) {
        const std::size_t bar = part.find('|', p);
        names.push_back(part.substr(p, bar - p));
        if (bar == std::string::npos) break;
        p = bar + 1;
      }
      std::sort(names.begin(), names.end());
      std::string r;
      for (std::size_t k = 0; k < names.size(); ++k) r += (k ? "|" : "") + names[k];
      return r;
    };
    const std::size_t arrow = body.find(" -> ");
    std::string before = body.substr(0, arrow);
    std::string after = arrow == std::string::npos ? "" : body.substr(arrow + 4);
    std::string bang;
    if (!before.empty() && before.back() == '!') {
      before.pop_back();
      bang = "!";
    }
    out += sort_part(before) + bang;
    if (arrow != std::string::npos) out += " -> " + sort_part(after);
    out += ")";
    i = close + 1;
  }
  return out;
}

std::vector<std::string> sorted_sets(std::span<const std::string_view> sets) {
  std::vector<std::string> out(sets.begin(), sets.end());
  std::sort(out.begin(), out.end());
  return out;
}

void check_alias(const fake::alias_info* info, const nlohmann::json& want) {
  if (want.is_null()) {
    CHECK(info == nullptr);
    return;
  }
  REQUIRE(info != nullptr);
  CHECK(info->is_write == want.at("is_write").get<bool>());
  CHECK(sorted_sets(info->before_sets()) == want.at("before").get<std::vector<std::string>>());
  CHECK(sorted_sets(info->after_sets()) == want.at("after").get<std::vector<std::string>>());
}

void check_scalar(const fake::literal& v, const nlohmann::json& want) {
  if (want.is_boolean()) {
    REQUIRE(v.kind == fake::literal_kind::boolean);
    CHECK(v.boolean == want.get<bool>());
  } else if (want.is_number_integer()) {
    REQUIRE(v.kind == fake::literal_kind::integer);
    CHECK(v.integer == want.get<std::int64_t>());
  } else {
    REQUIRE(v.kind == fake::literal_kind::floating);
    CHECK(v.floating == want.get<double>());  // exact: Note [exact doubles]
  }
}

void check_default(const fake::schema& s, const fake::schema_argument& a, const nlohmann::json& want) {
  const fake::literal& v = a.default_value;
  if (want.is_null()) {
    CHECK_FALSE(v.has_value());
    return;
  }
  const std::string kind = want.at("kind").get<std::string>();
  if (kind == "none") {
    CHECK(v.kind == fake::literal_kind::none);
  } else if (kind == "bool" || kind == "int" || kind == "float") {
    check_scalar(v, want.at("value"));
  } else if (kind == "str") {
    // A str default, or a string given to an Optional[Device] (kept as a string by c10).
    REQUIRE(v.kind == fake::literal_kind::string);
    CHECK(v.string_equals(want.at("value").get<std::string>()));
  } else if (kind == "device") {
    REQUIRE(v.kind == fake::literal_kind::device);
    std::string dev(fake::name(v.dev_type));
    if (v.dev_index >= 0) dev += ":" + std::to_string(v.dev_index);
    CHECK(dev == want.at("value").get<std::string>());
  } else {
    REQUIRE(kind == "list");
    REQUIRE(v.kind == fake::literal_kind::list);
    const auto& values = want.at("value");
    REQUIRE(v.size == values.size());
    for (std::size_t i = 0; i < values.size(); ++i) check_scalar(s.list_element(v, i), values[i]);
  }
}

// Everything the table knows about one record.
void check_record(const nlohmann::json& row) {
  const std::string text = row.at("text").get<std::string>();
  INFO(text);
  const fake::schema s = fake::parse_schema(text);
  const std::string printed = fake::to_string(s);
  const std::string want = row.at("printed").get<std::string>();
  if (row.at("unordered_alias_sets").get<bool>()) CHECK(sort_alias_sets(printed) == sort_alias_sets(want));
  else CHECK(printed == want);
  // Printing is a fixed point where c10's print reads back; where it does not
  // (`Tensor($0! -> )`, `Tensor?(a)[]`, `Device d=cpu`), ours does not either.
  if (row.at("reparses").get<bool>()) CHECK(fake::to_string(fake::parse_schema(printed)) == printed);
  else if (!row.at("unordered_alias_sets").get<bool>())  // there, c10's set order decides (`(*|a)`)
    CHECK_THROWS_AS(fake::parse_schema(printed), fake::value_error);

  CHECK(s.full_name() == row.at("name").get<std::string>() +
                             (row.at("overload").get<std::string>().empty()
                                  ? ""
                                  : "." + row.at("overload").get<std::string>()));
  CHECK(s.overload_name() == row.at("overload").get<std::string>());
  CHECK(s.is_mutable() == row.at("is_mutable").get<bool>());
  const auto& args = row.at("arguments");
  const auto& rets = row.at("returns");
  REQUIRE(s.num_arguments() == args.size());
  REQUIRE(s.num_returns() == rets.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& w = args[i];
    const fake::schema_argument& a = s.argument(i);
    INFO("argument " << i);
    CHECK(a.name == w.at("name").get<std::string>());
    if (w.at("N").is_null()) CHECK_FALSE(a.has_fixed_size());
    else CHECK(a.N == w.at("N").get<int>());
    CHECK(a.kwarg_only == w.at("kwarg_only").get<bool>());
    CHECK(s.is_out(a) == w.at("is_out").get<bool>());
    check_alias(s.alias(a), w.at("alias"));
    check_default(s, a, w.at("default"));
  }
  for (std::size_t i = 0; i < rets.size(); ++i) {
    INFO("return " << i);
    CHECK(s.return_(i).name == rets[i].at("name").get<std::string>());
    check_alias(s.alias(s.return_(i)), rets[i].at("alias"));
  }
  const auto& tg = row.at("torchgen");
  if (!tg.is_null()) {
    CHECK(fake::to_string_view(s.kind()) == tg.at("kind").get<std::string>());
    CHECK(s.is_view() == tg.at("is_view").get<bool>());
    const auto& shares = tg.at("shares_alias_set");
    const auto& aliased = tg.at("aliased_return_names");  // same annotation: a narrower notion
    REQUIRE(shares.size() == s.num_returns());
    for (std::size_t r = 0; r < shares.size(); ++r) {
      INFO("aliased input of return " << r);
      const std::optional<std::size_t> in = s.aliased_input(r);
      if (shares[r].is_null()) {
        CHECK_FALSE(in.has_value());
      } else {
        REQUIRE(in.has_value());
        CHECK(s.argument(*in).name == shares[r].get<std::string>());
      }
      if (!aliased.is_null() && !aliased[r].is_null()) {
        REQUIRE(in.has_value());
        CHECK(s.argument(*in).name == aliased[r].get<std::string>());
      }
    }
  }
}

}  // namespace

TEST_CASE("every registered PyTorch schema parses and prints as PyTorch prints it", "[schema][oracle]") {
  const auto& rows = schemas().at("registered");
  REQUIRE(rows.size() > 3000);
  for (const auto& row : rows) check_record(row);
}

TEST_CASE("schema corner cases parse and print as PyTorch does", "[schema][oracle]") {
  const auto& rows = schemas().at("extra");
  REQUIRE(rows.size() > 40);
  for (const auto& row : rows) check_record(row);
}

TEST_CASE("malformed schemas PyTorch rejects are value_errors at its position", "[schema][oracle]") {
  const auto& rows = schemas().at("malformed");
  REQUIRE(rows.size() > 50);
  for (const auto& row : rows) {
    const std::string text = row.at("text").get<std::string>();
    INFO(text << "\n  torch: " << row.at("torch_error").get<std::string>());
    std::string message;
    try {
      (void)fake::parse_schema(text);
      FAIL("accepted");
    } catch (const fake::value_error& e) {
      message = e.what();
    }
    CHECK(message.rfind("schema: ", 0) == 0);
    if (!row.at("torch_position").is_null())
      CHECK_THAT(message, Catch::Contains("at position " + std::to_string(row.at("torch_position").get<int>()) + "\n"));
  }
}

TEST_CASE("schema errors name what was expected, the position and point at it", "[schema]") {
  CHECK_THROWS_AS(fake::parse_schema("add(Tensor self,) -> Tensor"), fake::value_error);
  CHECK_THROWS_WITH(fake::parse_schema("add(Tensor self,) -> Tensor"),
                    "schema: expected a type at position 16\n"
                    "  add(Tensor self,) -> Tensor\n"
                    "                  ^");
  CHECK_THROWS_WITH(fake::parse_schema("add(Tensor self) Tensor"),
                    Catch::StartsWith("schema: expected '->' after the argument list at position 17"));
  CHECK_THROWS_WITH(fake::parse_schema("add(Foo x) -> Tensor"),
                    Catch::StartsWith("schema: unknown type specifier at position 4"));
  CHECK_THROWS_WITH(fake::parse_schema("f(float x=1e400) -> ()"),
                    Catch::StartsWith("schema: number literal out of range of double"));
  CHECK_THROWS_WITH(fake::parse_schema("f(int x=0x10) -> ()"),
                    Catch::StartsWith("schema: hexadecimal number literals are not supported at position 8"));
  CHECK_THROWS_WITH(fake::parse_schema("f(Device d=\"cuda:128\") -> ()"),
                    Catch::StartsWith("schema: invalid device string: device index above 127 at position 11"));
  CHECK_THROWS_WITH(fake::parse_schema("f(int x) -> ()\ng() -> ()"),
                    Catch::StartsWith("schema: expected the end of the schema at position 15"));
  // Fixed capacities are errors, not overflows.
  std::string many = "f(";
  for (int i = 0; i < 65; ++i) many += (i ? ", int a" : "int a") + std::to_string(i);
  many += ") -> ()";
  CHECK_THROWS_WITH(fake::parse_schema(many), Catch::StartsWith("schema: at most 64 arguments are supported"));
}

TEST_CASE("schema queries for the dispatcher", "[schema]") {
  const fake::schema add = fake::parse_schema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor");
  CHECK(add.ns() == "aten");
  CHECK(add.base_name() == "add");
  CHECK(add.overload_name() == "Tensor");
  CHECK(add.name_is("aten::add.Tensor"));
  CHECK_FALSE(add.name_is("add.Tensor"));
  CHECK(add.kind() == fake::schema_kind::functional);
  CHECK(add.is_functional());
  CHECK_FALSE(add.is_mutable());
  CHECK_FALSE(add.is_view());
  CHECK(add.argument_index("alpha") == std::optional<std::size_t>{2});
  CHECK(add.find_argument("beta") == nullptr);
  REQUIRE(add.find_argument("alpha") != nullptr);
  CHECK(add.find_argument("alpha")->kwarg_only);
  CHECK(add.type_of(*add.find_argument("alpha")).kind == fake::type_kind::scalar);

  const fake::schema add_ = fake::parse_schema("add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)");
  CHECK(add_.is_inplace());
  CHECK(add_.kind() == fake::schema_kind::inplace);
  CHECK(add_.is_mutable());
  CHECK_FALSE(add_.is_view());
  CHECK(add_.aliased_input(0) == std::optional<std::size_t>{0});
  CHECK(add_.mutated_arguments().size() == 1);

  const fake::schema out = fake::parse_schema(
      "add.out(Tensor self, Tensor other, *, Scalar alpha=1, Tensor(a!) out) -> Tensor(a!)");
  CHECK(out.is_out());
  CHECK(out.kind() == fake::schema_kind::out);
  CHECK(out.num_out_arguments() == 1);
  CHECK(out.aliased_input(0) == std::optional<std::size_t>{3});
  const auto mutated = out.mutated_arguments();
  REQUIRE(mutated.size() == 1);
  CHECK(mutated[0] == 3);

  const fake::schema split = fake::parse_schema("split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]");
  CHECK(split.is_view());
  CHECK(split.aliased_input(0) == std::optional<std::size_t>{0});
  CHECK(split.alias(split.argument(0))->is_wildcard_after());
  CHECK(fake::type_to_string(split, split.return_(0).type) == "Tensor[]");

  const fake::schema fused = fake::parse_schema("_fused(Tensor self, Tensor(a!) running, bool flag) -> Tensor");
  CHECK(fused.kind() == fake::schema_kind::mutable_);
  const fake::schema scratch =
      fake::parse_schema("_foo.out(Tensor self, *, Tensor(a!) out, Tensor(b!) _scratch_x) -> Tensor(a!)");
  CHECK(scratch.kind() == fake::schema_kind::scratch);
  CHECK(scratch.is_out());
  CHECK(fake::parse_schema("__iand__.Tensor(Tensor(a!) self, Tensor other) -> Tensor(a!)").is_inplace());
  CHECK_FALSE(fake::parse_schema("__and__.Tensor(Tensor self, Tensor other) -> Tensor").is_inplace());

  const fake::schema idx = fake::parse_schema("index.Tensor(Tensor self, Tensor?[] indices) -> Tensor");
  CHECK(idx.is_tensor_like(idx.argument(1)));
  const fake::schema_index t = idx.argument(1).type;
  CHECK(idx.type(t).kind == fake::type_kind::list);
  CHECK(idx.type(idx.child(t)).kind == fake::type_kind::optional);
  CHECK(idx.type(idx.child(idx.child(t))).kind == fake::type_kind::tensor);
}

TEST_CASE("owned_schema keeps a run-time text alive", "[schema]") {
  std::optional<fake::owned_schema> kept;
  {
    std::string text = "mylib::foo.";
    text += "bar(Tensor(a!) x, *, str mode=\"fast\") -> (Tensor(a!) r, Tensor b)";
    kept.emplace(text);
    text.assign(text.size(), '#');  // the caller's buffer changes; the schema does not
  }
  const fake::owned_schema copy = *kept;
  kept.reset();
  CHECK(copy->ns() == "mylib");
  CHECK(copy->full_name() == "mylib::foo.bar");
  CHECK(copy->argument(1).default_value.string_equals("fast"));
  CHECK(fake::to_string(copy) == "mylib::foo.bar(Tensor(a!) x, *, str mode=\"fast\") -> (Tensor(a!) r, Tensor b)");
  CHECK_THROWS_AS(fake::owned_schema("mylib::foo("), fake::value_error);
}

TEST_CASE("float defaults are read exactly as std::stod reads them", "[schema]") {
  std::mt19937_64 rng(1234);
  std::uniform_int_distribution<int> digits(1, 25);
  std::uniform_int_distribution<int> exponent(-320, 310);
  std::uniform_int_distribution<int> digit(0, 9);
  int checked = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string num;
    const int n = digits(rng);
    for (int k = 0; k < n; ++k) num.push_back(static_cast<char>('0' + digit(rng)));
    if (i % 3 == 0) num.insert(num.size() / 2, ".");
    num += "e" + std::to_string(exponent(rng));
    errno = 0;
    const double want = std::strtod(num.c_str(), nullptr);
    const bool in_range = errno != ERANGE;
    const std::string text = "f(float x=" + num + ") -> ()";
    INFO(num);
    if (in_range) {
      CHECK(fake::parse_schema(text).argument(0).default_value.floating == want);
      ++checked;
    } else {
      CHECK_THROWS_AS(fake::parse_schema(text), fake::value_error);
    }
  }
  CHECK(checked > 1500);
  // Halfway cases, rounded to even.
  CHECK(fake::parse_schema("f(float x=9007199254740993) -> ()").argument(0).default_value.floating == 9007199254740992.0);
  CHECK(fake::parse_schema("f(float x=9007199254740995) -> ()").argument(0).default_value.floating == 9007199254740996.0);
}
