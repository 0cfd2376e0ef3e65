// faketensor/core/device.hpp — devices: a type and an optional index.
//
// fake::device is the runtime value ("cuda:1"); fake::cpu, fake::cuda<0> and
// fake::meta are typed tags (fake::device_c<T, I>) that carry the device in
// their type and convert to fake::device. Devices are labels: nothing is
// allocated on them.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::int8_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "faketensor/core/error.hpp"   // fake::device_error
#include "faketensor/core/expect.hpp"  // fake::fail

namespace fake {

// Values are c10::DeviceType's (PyTorch 1.13).
enum class device_type : std::int8_t {
  cpu = 0,
  cuda = 1,
  mkldnn = 2,
  opengl = 3,
  opencl = 4,
  ideep = 5,
  hip = 6,
  fpga = 7,
  ort = 8,
  xla = 9,
  vulkan = 10,
  metal = 11,
  xpu = 12,
  mps = 13,
  meta = 14,
  hpu = 15,
  ve = 16,
  lazy = 17,
  ipu = 18,
  privateuseone = 19,
};

namespace detail {
struct device_type_name {
  device_type type;
  std::string_view name;
};
// In the order PyTorch's parser lists them in its error message.
inline constexpr std::array<device_type_name, 19> device_type_names{{
    {device_type::cpu, "cpu"},       {device_type::cuda, "cuda"},     {device_type::ipu, "ipu"},
    {device_type::xpu, "xpu"},       {device_type::mkldnn, "mkldnn"}, {device_type::opengl, "opengl"},
    {device_type::opencl, "opencl"}, {device_type::ideep, "ideep"},   {device_type::hip, "hip"},
    {device_type::ve, "ve"},         {device_type::fpga, "fpga"},     {device_type::ort, "ort"},
    {device_type::xla, "xla"},       {device_type::lazy, "lazy"},     {device_type::vulkan, "vulkan"},
    {device_type::mps, "mps"},       {device_type::meta, "meta"},     {device_type::hpu, "hpu"},
    {device_type::privateuseone, "privateuseone"},
}};
}  // namespace detail

constexpr std::string_view name(device_type t) {
  if (t == device_type::metal) return "metal";
  for (const auto& entry : detail::device_type_names)
    if (entry.type == t) return entry.name;
  fail<value_error, "device_type", "invalid device type value {}">(static_cast<int>(t));
}

// A device: type plus index, -1 meaning "the current one" (c10::Device).
struct device {
  device_type type = device_type::cpu;
  std::int8_t index = -1;

  constexpr device() noexcept = default;
  constexpr device(device_type t, int i = -1) : type(t), index(static_cast<std::int8_t>(i)) {  // NOLINT: implicit from a type
    if (i < -1 || i > 127)
      fail<device_error, "device", "Device index must be -1 or non-negative, got {}">(i);
    if (t == device_type::cpu && i > 0)
      fail<device_error, "device", "CPU device index must be -1 or zero, got {}">(i);
  }

  [[nodiscard]] constexpr bool has_index() const noexcept { return index >= 0; }
  [[nodiscard]] constexpr bool is_cpu() const noexcept { return type == device_type::cpu; }
  [[nodiscard]] constexpr bool is_cuda() const noexcept { return type == device_type::cuda; }
  [[nodiscard]] constexpr bool is_meta() const noexcept { return type == device_type::meta; }

  friend constexpr bool operator==(const device&, const device&) noexcept = default;
};

// Note [the current cuda device]
// A fake tensor is never on "cuda" without an index: FakeTensor turns it into
// cuda:<torch.cuda.current_device()>. Here the current device comes from a
// source function: 0 by default; in a translation unit compiled by nvcc, the
// CUDA runtime's cudaGetDevice when it answers (a machine with a device), else
// 0. A program may set its own (set_current_cuda_device_source).
using current_cuda_device_fn = int (*)();
namespace detail {
inline int no_cuda_runtime_device() noexcept { return 0; }
inline current_cuda_device_fn& current_cuda_device_source() noexcept {
  static current_cuda_device_fn source = &no_cuda_runtime_device;
  return source;
}
}  // namespace detail
inline void set_current_cuda_device_source(current_cuda_device_fn f) noexcept {
  detail::current_cuda_device_source() = f != nullptr ? f : &detail::no_cuda_runtime_device;
}
inline int current_cuda_device() {
  const int i = detail::current_cuda_device_source()();
  return i >= 0 && i <= 127 ? i : 0;
}
// `d` as a tensor's device: cuda without an index is the current cuda device.
inline device tensor_device(device d) {
  if (d.type == device_type::cuda && !d.has_index()) return device(device_type::cuda, current_cuda_device());
  return d;
}

// "cpu", "cuda:1" — as str(torch.device(...)) prints it.
inline std::string to_string(const device& d) {
  std::string out(name(d.type));
  if (d.has_index()) out += ":" + std::to_string(static_cast<int>(d.index));
  return out;
}

// Parses PyTorch's device strings: TYPE or TYPE:INDEX, where TYPE is one of the
// names above and INDEX a decimal without leading zeros. Throws device_error with
// PyTorch's message for anything else.
inline device parse_device(std::string_view s) {
  if (s.empty()) fail<device_error, "device", "Device string must not be empty">();
  const std::size_t colon = s.find(':');
  const std::string_view type_name = s.substr(0, colon);
  bool ok = !type_name.empty();
  for (char ch : type_name)
    ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_');
  std::string_view digits;
  if (colon != std::string_view::npos) {
    digits = s.substr(colon + 1);
    ok = ok && !digits.empty() && !(digits.size() > 1 && digits[0] == '0');
    for (char ch : digits) ok = ok && ch >= '0' && ch <= '9';
  }
  if (!ok) fail<device_error, "device", "Invalid device string: '{}'">(s);
  device_type type{};
  bool found = false;
  for (const auto& entry : detail::device_type_names)
    if (entry.name == type_name) {
      type = entry.type;
      found = true;
    }
  if (!found) {
    std::string names;
    for (const auto& entry : detail::device_type_names) {
      if (!names.empty()) names += ", ";
      names += entry.name;
    }
    fail<device_error, "device", "Expected one of {} device type at start of device string: {}">(names, type_name);
  }
  if (digits.empty()) return device(type);
  long long index = 0;
  for (char ch : digits) {
    index = index * 10 + (ch - '0');
    // PyTorch parses with std::stoi: beyond int it cannot parse.
    if (index > 2147483647LL)
      fail<device_error, "device", "Could not parse device index '{}' in device string '{}'">(digits, s);
  }
  // c10::DeviceIndex is int8_t. A release build of PyTorch 1.13 wraps larger
  // values silently ("cuda:128" becomes cuda:-128, "cuda:256" cuda:0); we refuse
  // them instead of inventing a device.
  if (index > 127)
    fail<device_error, "device", "Device index {} in device string '{}' is out of range: at most 127">(index, s);
  return device(type, static_cast<int>(index));
}

// ----------------------------------------------------------------- typed tags

template <device_type T, int I = -1>
struct device_c {
  static constexpr device value{T, I};
  constexpr operator device() const noexcept { return value; }  // NOLINT: implicit by design
};

template <class T>
struct is_static_device : std::false_type {};
template <device_type T, int I>
struct is_static_device<device_c<T, I>> : std::true_type {};
template <class T>
inline constexpr bool is_static_device_v = is_static_device<std::remove_cvref_t<T>>::value;

template <device_type A, int IA, device_type B, int IB>
constexpr bool_c<A == B && IA == IB> operator==(device_c<A, IA>, device_c<B, IB>) noexcept { return {}; }

inline constexpr device_c<device_type::cpu> cpu{};
inline constexpr device_c<device_type::meta> meta{};
template <int I>
inline constexpr device_c<device_type::cuda, I> cuda{};

}  // namespace fake

#if defined(__CUDACC__)
#include <cuda_runtime_api.h>  // cudaGetDevice
namespace fake::detail {
namespace {
// Note [the current cuda device]: an nvcc translation unit asks the runtime.
inline int cuda_runtime_device() noexcept {
  int i = 0;
  return cudaGetDevice(&i) == cudaSuccess ? i : 0;
}
[[maybe_unused]] const bool cuda_runtime_device_installed = (set_current_cuda_device_source(&cuda_runtime_device), true);
}  // namespace
}  // namespace fake::detail
#endif
