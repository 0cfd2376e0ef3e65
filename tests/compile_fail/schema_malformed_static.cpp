// expect-error: schema_fail<fake::fixed_string<16>{"expected a type"}>
// expect-error: add\(Tensor self,\) -> Tensor
// expect-error: array subscript value .*16.* is outside the bounds of array .*schema_syntax_error_at_position
// A malformed schema parsed in a constant expression does not compile; the
// diagnostic names what was expected, the schema text and the position
// (16: the ')' after the trailing ',').
#include <faketensor/ops/schema.hpp>

int main() {
  constexpr fake::schema s = fake::parse_schema("add(Tensor self,) -> Tensor");
  (void)s;
}
