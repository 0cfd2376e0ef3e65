// The cross-reference runner (tools/xref_runner.hpp, the fake-xref tool):
// cases pass, fail field by field, or are skipped; malformed input is a failed
// case and never stops the run.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "xref_runner.hpp"

namespace {
fake::xref::summary run_text(const std::string& text, std::string& printed, fake::xref::options opt = {}) {
  std::istringstream in(text);
  std::ostringstream out;
  const fake::xref::summary s = fake::xref::run(in, out, opt);
  printed = out.str();
  return s;
}

const std::string transpose_case =
    R"({"id":"transpose.int/basic/000","op":"aten::transpose.int","args":[{"t":{"size":[2,3],"stride":[3,1],"offset":0,"dtype":"float32","device":"cpu"}},{"i":0},{"i":1}],"expect":{"out":[{"size":[3,2],"stride":[1,3],"offset":0,"dtype":"float32","device":"cpu","alias":0}]}})";
}  // namespace

TEST_CASE("a matching case passes and the summary line is exact", "[xref]") {
  std::string printed;
  const auto s = run_text(transpose_case + "\n", printed);
  CHECK(s.passed == 1);
  CHECK(s.failed == 0);
  CHECK(printed == "1 passed, 0 failed, 0 skipped\n");
}

TEST_CASE("a wrong expectation fails naming the field, expected and got", "[xref]") {
  std::string c = transpose_case;
  c.replace(c.find(R"("stride":[1,3])"), 14, R"("stride":[1,4])");
  std::string printed;
  const auto s = run_text(c, printed);
  CHECK(s.failed == 1);
  CHECK_THAT(printed, Catch::Contains("FAIL transpose.int/basic/000: out[0].stride expected [1, 4] got [1, 3]"));
  CHECK_THAT(printed, Catch::EndsWith("0 passed, 1 failed, 0 skipped\n"));
}

TEST_CASE("aliasing is checked: a view must share its input's storage", "[xref]") {
  std::string c = transpose_case;
  c.replace(c.find(R"("alias":0)"), 9, R"("alias":null)");
  std::string printed;
  CHECK(run_text(c, printed).failed == 1);
  CHECK_THAT(printed, Catch::Contains("out[0].alias expected new storage got args[0]'s storage"));
}

TEST_CASE("errors are matched by kind", "[xref]") {
  const std::string bad_dim =
      R"({"id":"transpose.int/err/000","op":"aten::transpose.int","args":[{"t":{"size":[2,3],"stride":[3,1],"offset":0,"dtype":"float32","device":"cpu"}},{"i":0},{"i":5}],"expect":{"error":{"kind":"other","message":"Dimension out of range"}}})";
  std::string printed;
  CHECK(run_text(bad_dim, printed).passed == 1);
  std::string wrong_kind = bad_dim;
  wrong_kind.replace(wrong_kind.find(R"("kind":"other")"), 14, R"("kind":"device")");
  CHECK(run_text(wrong_kind, printed).failed == 1);
  CHECK_THAT(printed, Catch::Contains("expected error kind device"));
}

TEST_CASE("malformed input is reported per case and the run goes on", "[xref]") {
  const std::string text = std::string("{not json\n") +
      R"({"id":"x/dtype","op":"aten::t","args":[{"t":{"size":[2],"stride":[1],"offset":0,"dtype":"float99","device":"cpu"}}],"expect":{"out":[]}})" "\n" +
      R"({"id":"x/past","op":"aten::t","args":[{"t":{"size":[4],"stride":[1],"offset":0,"dtype":"float32","device":"cpu","storage":0,"storage_size":2}}],"expect":{"out":[]}})" "\n" +
      R"({"id":"x/name","op":"transpose","args":[],"expect":{"out":[]}})" "\n" +
      R"({"id":"x/enc","op":"aten::t","args":[{"q":1}],"expect":{"out":[]}})" "\n" +
      R"([1, 2, 3])" "\n" +
      R"({"id":"x/unknown","op":"aten::no_such_op","args":[],"expect":{"out":[]}})" "\n" + transpose_case + "\n";
  std::string printed;
  const auto s = run_text(text, printed, {std::nullopt, true});
  CHECK(s.passed == 1);
  CHECK(s.failed == 6);
  CHECK(s.skipped == 1);
  CHECK_THAT(printed, Catch::Contains("FAIL line 1: malformed JSON"));
  CHECK_THAT(printed, Catch::Contains("FAIL x/dtype: malformed case: unknown dtype \"float99\""));
  CHECK_THAT(printed, Catch::Contains("FAIL x/past: malformed case: bad input tensor"));
  CHECK_THAT(printed, Catch::Contains("FAIL x/name: malformed case: op 'transpose' is not of the form ns::name[.overload]"));
  CHECK_THAT(printed, Catch::Contains("FAIL x/enc: malformed case: unknown argument encoding 'q'"));
  CHECK_THAT(printed, Catch::Contains("SKIP x/unknown: op aten::no_such_op is not supported"));
  CHECK_THAT(printed, Catch::EndsWith("1 passed, 6 failed, 1 skipped\n"));
}

TEST_CASE("the filter option selects cases by id", "[xref]") {
  std::string printed;
  fake::xref::options opt;
  opt.filter.emplace("^mm/");
  CHECK(run_text(transpose_case, printed, opt).passed == 0);
  CHECK(printed == "0 passed, 0 failed, 0 skipped\n");
}
