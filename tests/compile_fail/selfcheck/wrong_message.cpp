// expect-error: this message is not the one the compiler prints
// selfcheck-verdict: compile_fail verdict: FAIL \(wrong error\)
// Self-check: this snippet fails to compile, but with another
// message than expected, so the harness must report failure.
template <class T> inline constexpr bool false_v = false;
static_assert(false_v<int>, "selfcheck: a different message");
