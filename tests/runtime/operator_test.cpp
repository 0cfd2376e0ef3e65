// The runtime operator path (dispatch/operator.hpp, mode_stack.hpp,
// higher_order.hpp, library.hpp): lookup by name, boxed calls with defaults
// and argument checks, key sets of tensors, the mode stack (a mode is popped
// while its rule runs), higher-order operators and custom ops.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "faketensor/dispatch/higher_order.hpp"
#include "faketensor/dispatch/library.hpp"
#include "faketensor/dispatch/operator.hpp"

namespace {

using fake::dispatch_key;
using fake::ivalue;
using fake::stack;

// Records the ops it sees and the mode stack depth while its rule runs, then
// lets the op run as if it were not there.
struct recording_mode final : fake::dispatch_mode {
  std::vector<std::string> seen;
  std::vector<std::size_t> depth_inside;
  void dispatch(const fake::op_overload& op, stack& s) override {
    seen.push_back(op.qualified_name());
    depth_inside.push_back(fake::mode_stack::size());
    op.call(s);
  }
  [[nodiscard]] std::string name() const override { return "recording_mode"; }
};

struct other_mode final : fake::dispatch_mode {
  void dispatch(const fake::op_overload& op, stack& s) override { op.call(s); }
  [[nodiscard]] std::string name() const override { return "other_mode"; }
};

}  // namespace

TEST_CASE("operators are found by qualified name, packets list their overloads", "[operator]") {
  auto& reg = fake::op_registry::global();
  fake::op_overload& tr = reg.get("aten::transpose.int");
  CHECK(tr.qualified_name() == "aten::transpose.int");
  CHECK(tr.ns() == "aten");
  CHECK(tr.base_name() == "transpose");
  CHECK(tr.overload_name() == "int");
  CHECK(tr.schema().is_view());
  CHECK(tr.has_tag(fake::op_tag::view));
  // an unnamed overload answers to its name and to ".default"
  CHECK(&reg.get("aten::t") == &reg.get("aten::t.default"));
  CHECK(reg.get("aten::t").overload_name() == "default");
  const fake::op_packet* squeeze = reg.find_packet("aten::squeeze");
  REQUIRE(squeeze != nullptr);
  CHECK(squeeze->overload_names() == std::vector<std::string>{"default", "dim", "dims"});
  CHECK(&squeeze->overload("dims") == &reg.get("aten::squeeze.dims"));
  CHECK_THROWS_WITH(squeeze->overload("nope"), Catch::Contains("has no overload name 'nope'"));
  CHECK(reg.find("aten::no_such_op") == nullptr);
  CHECK_THROWS_AS(reg.get("aten::no_such_op"), fake::unsupported_op_error);
}

TEST_CASE("a boxed call gives the view function's result and fills defaults", "[operator]") {
  const fake::tensor_desc x = fake::empty({2, 3, 4});
  const stack out = fake::call("aten::transpose.int", {x, 0, -1});
  REQUIRE(out.size() == 1);
  const fake::tensor_desc& y = out[0].to_tensor();
  const fake::tensor_desc direct = fake::transpose(x, 0, -1);
  CHECK(y.sizes() == direct.sizes());
  CHECK(y.strides() == direct.strides());
  CHECK(y.is_view());
  CHECK(y.shares_storage_with(x));
  // slice.Tensor(self, dim=0, start=None, end=None, step=1): only dim and start given
  const fake::tensor_desc s = fake::call("aten::slice.Tensor", {x, 2, 1})[0].to_tensor();
  CHECK(s.sizes() == fake::dim_vector{2, 3, 3});
  CHECK(s.storage_offset() == 1);
  // several outputs come back as one Tensor[]
  const stack parts = fake::call("aten::split.Tensor", {x, 3, 2});
  REQUIRE(parts[0].to_tensor_list().size() == 2);
  CHECK(parts[0].to_tensor_list()[1].sizes() == fake::dim_vector{2, 3, 1});
}

TEST_CASE("an op's defaults are its schema's as ivalues, made once, and what a boxed call fills in", "[operator]") {
  // sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None)
  const fake::op_overload& sum = fake::op_registry::global().get("aten::sum.dim_IntList");
  const auto& d = sum.defaults();
  REQUIRE(d.size() == 4);
  CHECK_FALSE(d[0].has_value());
  CHECK_FALSE(d[1].has_value());
  CHECK(d[2]->to_bool() == false);
  CHECK(d[3]->is_none());
  CHECK(&sum.defaults() == &d);
  // conv2d's "SymInt[2] stride=1" is the list [1, 1]
  const fake::op_overload& conv2d = fake::op_registry::global().get("aten::conv2d");
  CHECK(conv2d.defaults().at(3)->int_list_ref() == fake::dim_vector{1, 1});
  const fake::tensor_desc x = fake::empty({2, 3});
  const fake::tensor_desc s = fake::call("aten::sum.dim_IntList", {x, fake::dim_vector{1}})[0].to_tensor();
  CHECK(s.sizes() == fake::dim_vector{2});
  CHECK(s.dtype() == fake::dtype::float32);
}

TEST_CASE("boxed arguments are checked against the schema", "[operator]") {
  const fake::tensor_desc x = fake::empty({2, 3});
  CHECK_THROWS_WITH(fake::call("aten::transpose.int", {x, x, 1}),
                    "aten::transpose.int() Expected a value of type 'int' for argument 'dim0' but instead found type 'Tensor'.");
  CHECK_THROWS_WITH(fake::call("aten::transpose.int", {x}), Catch::StartsWith("aten::transpose.int() is missing value for argument 'dim0'"));
  CHECK_THROWS_WITH(fake::call("aten::t", {x, 1}), Catch::Contains("expected at most 1 argument(s) but received 2"));
  // the kernel's own errors come through unchanged
  CHECK_THROWS_AS(fake::call("aten::transpose.int", {x, 0, 5}), fake::index_error);
}

TEST_CASE("a tensor's dispatch keys follow c10: backend, autograd unless inference", "[operator]") {
  fake::tensor_desc c = fake::empty({2}, fake::dtype::float32, fake::device(fake::device_type::cuda, 0));
  const fake::dispatch_key_set ks = fake::dispatch_keys_of(c);
  CHECK(ks.has(dispatch_key::cuda));
  CHECK(ks.has(dispatch_key::autograd_cuda));
  CHECK(ks.has(dispatch_key::ad_inplace_or_view));
  CHECK_FALSE(ks.has(dispatch_key::cpu));
  c.set(fake::tensor_flag::is_inference);
  CHECK_FALSE(fake::dispatch_keys_of(c).has(dispatch_key::autograd_cuda));
  CHECK(fake::dispatch_keys_of(c).highest_priority_key() == dispatch_key::cuda);
}

TEST_CASE("a mode sees every op and is popped while its rule runs", "[operator][mode]") {
  const fake::tensor_desc x = fake::empty({2, 3});
  recording_mode outer;
  recording_mode inner;
  {
    fake::mode_guard g1(outer);
    fake::mode_guard g2(inner);
    CHECK(fake::mode_stack::size() == 2);
    const stack out = fake::call("aten::t", {x});
    CHECK(out[0].to_tensor().sizes() == fake::dim_vector{3, 2});
  }
  CHECK(fake::mode_stack::empty());
  // innermost first; each ran with itself popped; the inner's redispatch reached the outer
  CHECK(inner.seen == std::vector<std::string>{"aten::t"});
  CHECK(inner.depth_inside == std::vector<std::size_t>{1});
  CHECK(outer.seen == std::vector<std::string>{"aten::t"});
  CHECK(outer.depth_inside == std::vector<std::size_t>{0});
}

TEST_CASE("an op's rule for a mode type replaces the mode's generic dispatch", "[operator][mode]") {
  fake::op_overload& t = fake::op_registry::global().get("aten::t");
  recording_mode m;
  int rule_calls = 0;
  {
    fake::registration r = t.py_impl<recording_mode>(fake::kernel([&](stack& s) {
      ++rule_calls;
      s = {ivalue(fake::empty({7}))};
    }));
    fake::mode_guard g(m);
    CHECK(fake::call("aten::t", {fake::empty({2, 3})})[0].to_tensor().sizes() == fake::dim_vector{7});
    // another op has no rule: the generic dispatch runs
    fake::call("aten::alias", {fake::empty({2})});
  }
  CHECK(rule_calls == 1);
  CHECK(m.seen == std::vector<std::string>{"aten::alias"});
  // the rule is gone with its registration
  recording_mode m2;
  fake::mode_guard g(m2);
  fake::call("aten::t", {fake::empty({2, 3})});
  CHECK(m2.seen == std::vector<std::string>{"aten::t"});
}

TEST_CASE("mode guards must be left in order", "[operator][mode]") {
  recording_mode a, b;
  auto* ga = new fake::mode_guard(a);
  auto* gb = new fake::mode_guard(b);
  CHECK_THROWS_AS(delete ga, fake::value_error);  // b is still above a
  delete gb;
  fake::mode_stack::pop();  // a: its guard threw without popping
  CHECK(fake::mode_stack::empty());
  CHECK_THROWS_AS(fake::mode_stack::pop(), fake::value_error);
}

TEST_CASE("custom ops: define, fake kernel, kernels per key, removal with the library", "[operator][library]") {
  const fake::tensor_desc x = fake::empty({4, 5});
  const fake::tensor_desc m = fake::empty({4, 5}, fake::dtype::float32, fake::device(fake::device_type::meta));
  {
    fake::library lib("faketensor_test", fake::library::kind::def);
    fake::op_overload& op = lib.define("double_rows(Tensor x, int times=2) -> Tensor", {fake::op_tag::pointwise});
    CHECK(op.qualified_name() == "faketensor_test::double_rows");
    CHECK(op.has_tag(fake::op_tag::pointwise));
    // no kernel yet: the dispatcher says which key it could not serve
    CHECK_THROWS_WITH(fake::call("faketensor_test::double_rows", {x}),
                      Catch::Contains("could not find kernel for faketensor_test::double_rows at dispatch key CPU"));
    lib.register_fake("double_rows", [](stack& s) {
      const fake::tensor_desc& in = s[0].to_tensor();
      fake::dim_vector sizes = in.sizes();
      sizes[0] *= s[1].to_int();
      s = {ivalue(fake::empty(sizes, in.dtype(), in.device()))};
    });
    CHECK(op.fake_impl() != nullptr);
    // the fake kernel serves Meta
    CHECK(fake::call("faketensor_test::double_rows", {m})[0].to_tensor().sizes() == fake::dim_vector{8, 5});
    // impl() without a key is CompositeImplicitAutograd: serves CPU
    lib.impl("double_rows", [](stack& s) { s = {ivalue(fake::empty({1}))}; });
    CHECK(fake::call("faketensor_test::double_rows", {x, 3})[0].to_tensor().sizes() == fake::dim_vector{1});
    // a CPU kernel is a direct registration: it wins over the composite one for CPU
    lib.impl("double_rows", [](stack& s) { s = {ivalue(fake::empty({2}))}; }, dispatch_key::cpu);
    CHECK(fake::call("faketensor_test::double_rows", {x})[0].to_tensor().sizes() == fake::dim_vector{2});
    CHECK(fake::call("faketensor_test::double_rows", {m})[0].to_tensor().sizes() == fake::dim_vector{8, 5});
    // one def library per namespace; aten belongs to the built-ins
    CHECK_THROWS_WITH(fake::library("faketensor_test", fake::library::kind::def), Catch::Contains("Only a single TORCH_LIBRARY"));
    CHECK_THROWS_AS(fake::library("aten", fake::library::kind::def), fake::value_error);
    fake::library frag("faketensor_test", fake::library::kind::fragment);
    frag.define("faketensor_test::other(Tensor x) -> Tensor");
    CHECK_THROWS_WITH(frag.define("elsewhere::other(Tensor x) -> Tensor"), Catch::Contains("cannot define elsewhere::other"));
    fake::library impl_only("faketensor_test", fake::library::kind::impl);
    CHECK_THROWS_AS(impl_only.define("third(Tensor x) -> Tensor"), fake::value_error);
  }
  CHECK(fake::op_registry::global().find("faketensor_test::double_rows") == nullptr);
  CHECK(fake::op_registry::global().find("faketensor_test::other") == nullptr);
  // the namespace is free again
  fake::library again("faketensor_test", fake::library::kind::def);
  CHECK_THROWS_WITH(again.define("bad(Tensor x -> Tensor"), Catch::Contains("schema"));
}

TEST_CASE("higher-order operators run their callables, and tensor predicates are data-dependent", "[operator][hop]") {
  const fake::tensor_desc x = fake::empty({3, 4});
  const fake::boxed_callable twice_rows = [](const stack& a) {
    const fake::tensor_desc& t = a[0].to_tensor();
    return stack{ivalue(fake::empty({t.size(0) * 2, t.size(1)}))};
  };
  const fake::boxed_callable same = [](const stack& a) { return stack{a[0]}; };
  const std::vector<fake::tensor_desc> ops{x};
  CHECK(fake::hops::cond()({true, twice_rows, same, ops})[0].to_tensor().sizes() == fake::dim_vector{6, 4});
  CHECK(fake::hops::cond()({false, twice_rows, same, ops})[0].to_tensor().sizes() == fake::dim_vector{3, 4});
  CHECK_THROWS_AS(fake::hops::cond()({fake::empty({}, fake::dtype::bool_), twice_rows, same, ops}), fake::data_dependent_error);

  // map over dim 0: the body sees a slice [4], the results are stacked
  const fake::boxed_callable row_sum = [](const stack& a) {
    CHECK(a[0].to_tensor().sizes() == fake::dim_vector{4});
    return stack{ivalue(fake::empty({2}))};
  };
  CHECK(fake::hops::map()({row_sum, ops, std::vector<fake::tensor_desc>{}})[0].to_tensor().sizes() == fake::dim_vector{3, 2});
  CHECK_THROWS_WITH(fake::hops::map()({row_sum, std::vector<fake::tensor_desc>{x, fake::empty({2, 4})}, std::vector<fake::tensor_desc>{}}),
                    Catch::Contains("Leading dimensions of mapped xs must be consistent"));

  // while_loop with a host counter in the condition
  int iterations = 0;
  const fake::boxed_callable three_times = [&](const stack&) { return stack{ivalue(iterations++ < 3)}; };
  CHECK(fake::hops::while_loop()({three_times, same, ops, std::vector<fake::tensor_desc>{}})[0].to_tensor().sizes() ==
        fake::dim_vector{3, 4});
  CHECK(iterations == 4);
  const fake::boxed_callable grows = [](const stack& a) { return stack{ivalue(fake::empty({a[0].to_tensor().size(0) + 1, 4}))}; };
  const fake::boxed_callable once = [n = 0](const stack&) mutable { return stack{ivalue(n++ == 0)}; };
  CHECK_THROWS_WITH(fake::hops::while_loop()({once, grows, ops, std::vector<fake::tensor_desc>{}}),
                    Catch::Contains("they must agree"));
}

TEST_CASE("a higher-order operator under a mode needs a rule for that mode", "[operator][hop][mode]") {
  const fake::tensor_desc x = fake::empty({3, 4});
  const fake::boxed_callable same = [](const stack& a) { return stack{a[0]}; };
  const std::vector<fake::tensor_desc> ops{x};
  other_mode m;
  {
    fake::mode_guard g(m);
    CHECK_THROWS_WITH(fake::hops::cond()({true, same, same, ops}),
                      "There was no rule registered for HOP cond and mode other_mode. We recommend filing an issue.");
  }
  CHECK(fake::mode_stack::empty());  // the failed rule lookup restored the stack
  fake::registration rule = fake::hops::cond().py_impl<other_mode>([](const fake::higher_order_operator& op, fake::dispatch_key_set, stack& s) {
    CHECK(fake::mode_stack::empty());  // popped while the rule runs
    op.call(s);                        // on to the dense kernel
  });
  fake::mode_guard g(m);
  CHECK(fake::hops::cond()({true, same, same, ops})[0].to_tensor().sizes() == fake::dim_vector{3, 4});
}
