// expect-error: .*
// selfcheck-verdict: compile_fail verdict: FAIL \(compiled\)
// Self-check: this snippet compiles, so the harness must report
// failure even though its expect-error regex matches anything.
int main() { return 0; }
