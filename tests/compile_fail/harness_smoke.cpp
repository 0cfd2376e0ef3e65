// expect-error: static assertion failed
// expect-error: harness smoke
// Harness end-to-end check (tests/compile_fail/CMakeLists.txt): a snippet
// that fails with the expected message. Needs nothing from faketensor.
template <class T> inline constexpr bool false_v = false;
static_assert(false_v<int>, "harness smoke");
