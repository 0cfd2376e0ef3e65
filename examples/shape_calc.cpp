// shape_calc — PyTorch's shape, stride and dtype rules from the command line.
//
//   shape_calc                                 a guided tour (the README's demo)
//   shape_calc broadcast 8,1,6,1 7,1,5         broadcast shapes (any number)
//   shape_calc strides 2,3,32,32 channels_last strides of a new tensor
//   shape_calc layout 2,3,4,5 60,1,15,3        contiguity and suggested format
//   shape_calc promote float16 bfloat16        promote_types
//   shape_calc result-type int32 2.5 0d:float64  result_type (tensors, 0-dim
//                                              tensors "0d:DTYPE", scalars)
//   shape_calc device cuda:1                   parse a device string
//   shape_calc bytes 4,1024,768 float16        numel and storage bytes
// Bad input prints a one-line error and exits with status 2.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <faketensor/faketensor.hpp>

namespace {

using fake::dim_vector;

dim_vector parse_dims(std::string_view text) {
  dim_vector out;
  if (text == "[]" || text == "scalar") return out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const std::size_t comma = text.find(',', pos);
    const std::string item(text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size()) throw fake::value_error("not a list of integers: '" + std::string(text) + "'");
    out.push_back(v);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

fake::dtype parse_dtype_arg(std::string_view text) {
  const auto d = fake::parse_dtype(text);
  if (!d) throw fake::value_error("unknown dtype '" + std::string(text) + "'");
  return *d;
}

fake::memory_format parse_format_arg(std::string_view text) {
  const auto m = fake::parse_memory_format(text);
  if (!m) throw fake::value_error("unknown memory format '" + std::string(text) + "'");
  return *m;
}

// "int32" (a tensor), "0d:float64" (a 0-dim tensor), "2", "2.5", "true", "1j" (scalars).
fake::operand parse_operand(std::string_view text) {
  if (text == "true" || text == "false") return fake::scalar_operand(true);
  if (text.starts_with("0d:")) return {parse_dtype_arg(text.substr(3)), fake::operand_kind::zero_dim};
  if (const auto d = fake::parse_dtype(text)) return {*d, fake::operand_kind::tensor};
  if (text.ends_with("j")) return fake::complex_scalar_operand();
  const std::string s(text);
  std::size_t used = 0;
  try {
    (void)std::stoll(s, &used);
    if (used == s.size()) return fake::int_scalar_operand();
    (void)std::stod(s, &used);
    if (used == s.size()) return fake::float_scalar_operand();
  } catch (const std::exception&) {
  }
  throw fake::value_error("not a dtype, 0d:DTYPE or number: '" + s + "'");
}

void print_layout(const dim_vector& sizes, const dim_vector& strides) {
  std::cout << "  sizes " << fake::to_string(sizes) << "  strides " << fake::to_string(strides) << "\n"
            << "  is_contiguous                " << std::boolalpha << fake::is_contiguous(sizes, strides) << "\n"
            << "  is_contiguous(channels_last) " << fake::is_channels_last_contiguous(sizes, strides) << "\n"
            << "  is_non_overlapping_and_dense " << fake::is_non_overlapping_and_dense(sizes, strides) << "\n"
            << "  suggest_memory_format        " << fake::to_string(fake::suggest_memory_format(sizes, strides)) << "\n";
}

void tour() {
  using namespace fake;
  std::cout << "faketensor shape_calc — PyTorch's metadata rules without tensors\n\n";

  std::cout << "1. Static shapes are types: the compiler computes and checks them.\n";
  constexpr auto y = broadcast_shapes(shape<8, 1, 768>{}, shape<4, 1>{});
  static_assert(y == shape<8, 4, 768>{});
  constexpr auto ys = contiguous_strides(y);
  std::cout << "   broadcast_shapes(shape<8,1,768>, shape<4,1>) = shape" << to_string(y)
            << "   (sizeof " << sizeof(y) << ", an empty type)\n"
            << "   contiguous strides " << to_string(ys) << ", numel " << to_int64(numel(y)) << "\n"
            << "   // broadcast_shapes(shape<2,3>{}, shape<4>{}) would not compile:\n"
            << "   //   static_check_failed<shape_error, \"broadcast_shapes\", \"The size of tensor a ({}) must match"
               " ...\", 3, 4, 1>\n\n";

  std::cout << "2. Mixed shapes store only their dynamic extents; statics stay static.\n";
  const std::int64_t batch = 32;
  const shape<dyn, 1024, 768> x{batch};
  const auto xs = contiguous_strides(x);
  std::cout << "   shape<dyn,1024,768>{" << batch << "}: sizeof " << sizeof(x) << ", strides " << to_string(xs)
            << " (strides<786432,768,1>: all static), numel " << numel(x) << "\n\n";

  std::cout << "3. Runtime shapes (dim_vector, rank <= 8 inline) follow PyTorch, errors included.\n";
  std::cout << "   broadcast_shapes([8,1,6,1], [7,1,5]) = "
            << to_string(broadcast_shapes(dim_vector{8, 1, 6, 1}, dim_vector{7, 1, 5})) << "\n";
  try {
    (void)broadcast_shapes(dim_vector{2, 3}, dim_vector{4});
  } catch (const shape_error& e) {
    std::cout << "   broadcast_shapes([2,3], [4]) -> shape_error: " << e.what() << "\n\n";
  }

  std::cout << "4. Memory formats and contiguity, as TensorImpl computes them.\n";
  const dim_vector nchw{2, 3, 32, 32};
  const dim_vector cl = strides_for(nchw, memory_format::channels_last);
  std::cout << "   channels_last strides of " << to_string(nchw) << ": " << to_string(cl) << "\n";
  print_layout(nchw, cl);
  std::cout << "\n";

  std::cout << "5. Type promotion and result_type, checked against PyTorch 1.13 for every pair.\n";
  std::cout << "   promote_types(float16, bfloat16) = " << to_string(promote_types(dtype::float16, dtype::bfloat16)) << "\n"
            << "   int32 tensor + 2.5               = "
            << to_string(result_type({{dtype::int32, operand_kind::tensor}, float_scalar_operand()})) << "\n"
            << "   float16 tensor + float64 0-dim   = "
            << to_string(result_type({{dtype::float16, operand_kind::tensor}, {dtype::float64, operand_kind::zero_dim}}))
            << "\n"
            << "   uint8 tensor + int8 tensor       = "
            << to_string(result_type({{dtype::uint8, operand_kind::tensor}, {dtype::int8, operand_kind::tensor}})) << "\n\n";

  std::cout << "6. Devices and storage sizes.\n";
  std::cout << "   parse_device(\"cuda:1\") = " << to_string(parse_device("cuda:1")) << "\n";
  const dim_vector act{8, 1024, 3072};
  std::cout << "   a bf16 activation " << to_string(act) << " needs "
            << storage_nbytes(act, contiguous_strides(act), itemsize(dtype::bfloat16)) << " bytes\n\n";
  std::cout << "Try: shape_calc broadcast 8,1,6,1 7,1,5 | strides 2,3,32,32 channels_last | promote int8 uint8\n";
}

int run(const std::vector<std::string_view>& args) {
  if (args.empty()) {
    tour();
    return 0;
  }
  const std::string_view cmd = args[0];
  auto need = [&](std::size_t n) {
    if (args.size() < n + 1)
      throw fake::value_error(std::string(cmd) + " needs " + std::to_string(n) + " argument(s); see the top of shape_calc.cpp");
  };
  if (cmd == "broadcast") {
    need(1);
    dim_vector acc = parse_dims(args[1]);
    for (std::size_t i = 2; i < args.size(); ++i) acc = fake::broadcast_shapes(acc, parse_dims(args[i]));
    std::cout << fake::to_string(acc) << "\n";
  } else if (cmd == "strides") {
    need(1);
    const auto format = args.size() > 2 ? parse_format_arg(args[2]) : fake::memory_format::contiguous_format;
    std::cout << fake::to_string(fake::strides_for(parse_dims(args[1]), format)) << "\n";
  } else if (cmd == "layout") {
    need(2);
    print_layout(parse_dims(args[1]), parse_dims(args[2]));
  } else if (cmd == "promote") {
    need(2);
    std::cout << fake::to_string(fake::promote_types(parse_dtype_arg(args[1]), parse_dtype_arg(args[2]))) << "\n";
  } else if (cmd == "result-type") {
    need(1);
    fake::result_type_state state;
    for (std::size_t i = 1; i < args.size(); ++i) state.update(parse_operand(args[i]));
    std::cout << fake::to_string(*state.result()) << "\n";
  } else if (cmd == "device") {
    need(1);
    std::cout << fake::to_string(fake::parse_device(args[1])) << "\n";
  } else if (cmd == "bytes") {
    need(2);
    const dim_vector sizes = parse_dims(args[1]);
    const fake::dtype d = parse_dtype_arg(args[2]);
    std::cout << "numel " << fake::numel(sizes) << ", "
              << fake::storage_nbytes(sizes, fake::contiguous_strides(sizes), fake::itemsize(d)) << " bytes\n";
  } else {
    throw fake::value_error("unknown command '" + std::string(cmd) +
                            "' (broadcast, strides, layout, promote, result-type, device, bytes)");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string_view>(argv + 1, argv + argc));
  } catch (const fake::error& e) {
    std::cerr << "shape_calc: " << e.what() << "\n";
    return 2;
  }
}
