// A custom fake mode made by writing one policy (issue: the fake mode).
//
// `on_one_gpu` is a device policy: fake::mode calls its check() for every
// tensor argument of every op before the op runs, then propagates devices as
// PyTorch does. This one keeps a model on a single GPU, as a test of a
// placement plan might: a tensor anywhere else is refused, naming the op and
// the argument. errors::return_result makes the mode's own calls return
// fake::result<stack> instead of throwing.
//
//   build/examples/custom_mode
#include <iostream>
#include <string>
#include <string_view>

#include <faketensor/faketensor.hpp>
#include <faketensor/mode/result.hpp>

struct on_one_gpu {
  static void check(const fake::op_overload& op, std::string_view argument, const fake::tensor_desc& t) {
    if (t.device() != fake::device(fake::device_type::cuda, 0))
      throw fake::device_error(op.qualified_name() + ": argument '" + std::string(argument) + "' is on " +
                               fake::to_string(t.device()) + ", but this model must stay on cuda:0");
  }
};

int main() {
  fake::mode<on_one_gpu, fake::errors::return_result> m;
  const fake::tensor_desc x = fake::empty({8, 1024, 768}, fake::dtype::bfloat16, fake::parse_device("cuda:0"));

  // fine: a view on cuda:0
  fake::result<fake::stack> heads = m.call("aten::view", {x, fake::dim_vector{8, 1024, 12, 64}});
  std::cout << "view: " << fake::to_string(heads.value()[0].to_tensor()) << "\n";

  // a bad shape comes back as a value, not an exception
  fake::result<fake::stack> bad = m.call("aten::view", {x, fake::dim_vector{5, -1}});
  std::cout << "bad view: " << (fake::holds<fake::shape_error>(bad.error()) ? "shape_error: " : "") << fake::message(bad.error())
            << "\n";

  // the policy's own refusal: a tensor on the cpu
  fake::result<fake::stack> off = m.call("aten::t", {fake::empty({4, 4})});
  std::cout << "off the gpu: " << fake::message(off.error()) << "\n";
  return heads && !bad && !off ? 0 : 1;
}
