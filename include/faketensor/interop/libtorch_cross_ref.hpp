// faketensor/interop/libtorch_cross_ref.hpp — PyTorch's CrossRefFakeMode for C++: every
// op runs on the fake tensors and, with libtorch, on real CPU tensors of the
// same geometry; their outputs' metadata must agree.
//
//   fake::cross_ref_mode check;
//   { fake::mode_guard on(check); model(x); }  // metadata_mismatch_error on a difference
//   check.report().checked;                    // ops compared
//
// Note [cross-reference mode]
// * The fake call runs first, below the mode (Note [mode popped while its
//   handler runs]): its results are what the caller gets.
// * The real call is the same op found by name in ATen's dispatcher, boxed:
//   each fake tensor argument becomes a CPU tensor with its sizes, strides,
//   storage offset and dtype (at::empty of its storage then as_strided).
//   Values: ones for floating tensors, zeros for the others, so that an index
//   tensor is in range and a divisor of floats is not zero.
// * Compared, per output tensor: sizes, strides, storage offset, dtype (and
//   the number of outputs). A call that raises on one side only is a mismatch;
//   raising on both is agreement, and the fake error is rethrown.
// * Not compared (counted in report().skipped by reason): ops ATen 1.13 does
//   not have; calls with a tensor off the cpu (libtorch here has no other
//   device); data-dependent and dynamic-output ops, whose fake call raises by
//   design; symbolic or callable arguments; inputs over max_numel elements.
// Aliasing between inputs is not reproduced: each real input has a storage of
// its own.
#pragma once

#include <cstdint>    // std::int64_t
#include <exception>  // std::exception_ptr
#include <map>        // std::map
#include <optional>   // std::optional
#include <string>     // std::string
#include <vector>     // std::vector

#include <ATen/ATen.h>
#include <ATen/core/dispatch/Dispatcher.h>

#include "faketensor/core/error.hpp"         // fake::data_dependent_error, fake::dynamic_output_shape_error
#include "faketensor/dispatch/mode_stack.hpp"  // fake::dispatch_mode
#include "faketensor/dispatch/operator.hpp"  // fake::op_overload
#include "faketensor/meta/converter.hpp"     // fake::metadata_mismatch_error

namespace fake {

namespace detail {

inline c10::ScalarType to_aten(dtype d) {
  switch (d) {
    case dtype::uint8: return c10::ScalarType::Byte;
    case dtype::int8: return c10::ScalarType::Char;
    case dtype::int16: return c10::ScalarType::Short;
    case dtype::int32: return c10::ScalarType::Int;
    case dtype::int64: return c10::ScalarType::Long;
    case dtype::float16: return c10::ScalarType::Half;
    case dtype::float32: return c10::ScalarType::Float;
    case dtype::float64: return c10::ScalarType::Double;
    case dtype::complex32: return c10::ScalarType::ComplexHalf;
    case dtype::complex64: return c10::ScalarType::ComplexFloat;
    case dtype::complex128: return c10::ScalarType::ComplexDouble;
    case dtype::bool_: return c10::ScalarType::Bool;
    case dtype::bfloat16: return c10::ScalarType::BFloat16;
    default: break;
  }
  fail<dtype_error, "cross_ref", "dtype {} has no real counterpart here">(d);
}

}  // namespace detail

class cross_ref_mode final : public dispatch_mode {
 public:
  struct settings {
    bool check_strides = true;
    // Calls with a tensor argument of more elements than this are not run for real.
    std::int64_t max_numel = std::int64_t{1} << 22;
  };
  struct report_type {
    std::size_t checked = 0;
    std::map<std::string, std::size_t> skipped;  // reason -> calls
  };

  cross_ref_mode() = default;
  explicit cross_ref_mode(settings s) : settings_(s) {}

  [[nodiscard]] std::string name() const override { return "fake::cross_ref_mode"; }
  [[nodiscard]] const report_type& report() const noexcept { return report_; }

  void dispatch(const op_overload& op, stack& s) override {
    op.normalize(s);
    const stack args = s;
    std::exception_ptr fake_error;
    try {
      op.call(s);
    } catch (const data_dependent_error&) {
      ++report_.skipped["data-dependent"];
      throw;
    } catch (const dynamic_output_shape_error&) {
      ++report_.skipped["dynamic output shape"];
      throw;
    } catch (const error&) {
      fake_error = std::current_exception();
    }
    const c10::optional<c10::OperatorHandle> real_op = find_aten(op);
    if (!real_op) return skip("no ATen op", fake_error);
    std::vector<c10::IValue> real_stack;
    if (const char* why = to_real(op, args, real_stack)) return skip(why, fake_error);
    std::string real_message;
    try {
      real_op->callBoxed(&real_stack);
    } catch (const std::exception& e) {
      real_message = e.what();
      real_message = real_message.substr(0, real_message.find('\n'));
    }
    ++report_.checked;
    if (fake_error) {
      if (!real_message.empty()) std::rethrow_exception(fake_error);
      try {
        std::rethrow_exception(fake_error);
      } catch (const error& e) {
        throw metadata_mismatch_error("error", op.qualified_name() + ": the fake kernel raised \"" + e.what() +
                                                   "\" but ATen's CPU kernel returned");
      }
    }
    if (!real_message.empty())
      throw metadata_mismatch_error("error", op.qualified_name() + ": ATen's CPU kernel raised \"" + real_message +
                                                 "\" but the fake kernel returned");
    compare(op, s, real_stack);
  }

 private:
  void skip(const char* why, const std::exception_ptr& fake_error) {
    ++report_.skipped[why];
    if (fake_error) std::rethrow_exception(fake_error);
  }

  static c10::optional<c10::OperatorHandle> find_aten(const op_overload& op) {
    if (op.ns() != "aten") return c10::nullopt;
    const std::string overload = op.overload_name() == "default" ? "" : std::string(op.overload_name());
    return c10::Dispatcher::singleton().findSchema({"aten::" + std::string(op.base_name()), overload});
  }

  [[nodiscard]] at::Tensor real_tensor_of(const tensor_desc& t) const {
    const at::TensorOptions o = at::TensorOptions().dtype(detail::to_aten(t.dtype()));
    const std::int64_t elements = t.storage().nbytes() / t.itemsize();
    at::Tensor storage = at::empty({elements}, o);
    if (is_floating_point(t.dtype()) || is_complex(t.dtype())) storage.fill_(1);
    else storage.zero_();
    return storage.as_strided(at::IntArrayRef(t.sizes().data(), t.sizes().size()), at::IntArrayRef(t.strides().data(), t.strides().size()), t.storage_offset());
  }

  // The real arguments of the call, or why they cannot be made.
  const char* to_real(const op_overload& op, const stack& args, std::vector<c10::IValue>& out) const {
    const auto& params = op.schema().arguments();
    for (std::size_t i = 0; i < args.size(); ++i) {
      const ivalue& v = args[i];
      bool off_cpu = false, too_big = false;
      v.for_each_tensor([&](const tensor_desc& t) {
        off_cpu = off_cpu || !t.device().is_cpu();
        too_big = too_big || t.storage().nbytes() / std::max<std::int64_t>(t.itemsize(), 1) > settings_.max_numel;
      });
      if (off_cpu) return "a tensor off the cpu";
      if (too_big) return "an input over max_numel";
      switch (v.kind()) {
        case ivalue_kind::none: out.emplace_back(); break;
        case ivalue_kind::boolean: out.emplace_back(v.to_bool()); break;
        case ivalue_kind::integer: out.emplace_back(v.to_int()); break;
        case ivalue_kind::floating: out.emplace_back(v.to_double()); break;
        case ivalue_kind::string: out.emplace_back(v.to_string_ref()); break;
        case ivalue_kind::tensor: out.emplace_back(real_tensor_of(v.to_tensor())); break;
        case ivalue_kind::int_list: out.emplace_back(std::vector<std::int64_t>(v.int_list_ref().begin(), v.int_list_ref().end())); break;
        case ivalue_kind::float_list: out.emplace_back(v.to_float_list()); break;
        case ivalue_kind::bool_list: {
          c10::List<bool> list;
          for (bool b : v.to_bool_list()) list.push_back(b);
          out.emplace_back(std::move(list));
          break;
        }
        case ivalue_kind::tensor_list: {
          c10::List<at::Tensor> list;
          for (const tensor_desc& t : v.to_tensor_list()) list.push_back(real_tensor_of(t));
          out.emplace_back(std::move(list));
          break;
        }
        case ivalue_kind::optional_tensor_list: {
          c10::List<c10::optional<at::Tensor>> list;
          for (const auto& t : v.to_optional_tensor_list())
            list.push_back(t ? c10::optional<at::Tensor>(real_tensor_of(*t)) : c10::nullopt);
          out.emplace_back(std::move(list));
          break;
        }
        case ivalue_kind::scalar_type: out.emplace_back(detail::to_aten(v.to_dtype())); break;
        case ivalue_kind::device:
          if (!v.to_device().is_cpu()) return "a tensor off the cpu";
          out.emplace_back(c10::Device(c10::DeviceType::CPU));
          break;
        case ivalue_kind::layout: out.emplace_back(static_cast<c10::Layout>(v.to_layout())); break;
        case ivalue_kind::memory_format: out.emplace_back(static_cast<c10::MemoryFormat>(v.to_memory_format())); break;
        default: return "a symbolic or callable argument";
      }
      (void)params;
    }
    return nullptr;
  }

  void compare(const op_overload& op, const stack& fake_out, const std::vector<c10::IValue>& real_out) const {
    std::vector<const tensor_desc*> fakes;
    for (const ivalue& v : fake_out) v.for_each_tensor([&](const tensor_desc& t) { fakes.push_back(&t); });
    std::vector<at::Tensor> reals;
    for (const c10::IValue& v : real_out) {
      if (v.isTensor()) reals.push_back(v.toTensor());
      else if (v.isTensorList())
        for (const at::Tensor& t : v.toTensorVector()) reals.push_back(t);
    }
    if (fakes.size() != reals.size())
      throw metadata_mismatch_error("outputs", op.qualified_name() + ": the fake kernel gave " + std::to_string(fakes.size()) +
                                                   " tensors, ATen's CPU kernel " + std::to_string(reals.size()));
    for (std::size_t k = 0; k < fakes.size(); ++k) {
      const tensor_desc& f = *fakes[k];
      const at::Tensor& r = reals[k];
      const auto differs = [&](const char* field, const std::string& fake_value, const std::string& real_value) {
        throw metadata_mismatch_error(field, op.qualified_name() + ": output " + std::to_string(k) + " " + field +
                                                 ": fake " + fake_value + " vs ATen " + real_value);
      };
      const dim_vector sizes(r.sizes().begin(), r.sizes().end());
      const dim_vector strides(r.strides().begin(), r.strides().end());
      if (f.sizes() != sizes) differs("sizes", to_string(f.sizes()), to_string(sizes));
      if (detail::to_aten(f.dtype()) != r.scalar_type()) differs("dtype", to_string(f.dtype()), c10::toString(r.scalar_type()));
      if (settings_.check_strides && f.numel() > 0) {
        if (f.strides() != strides) differs("strides", to_string(f.strides()), to_string(strides));
        if (f.storage_offset() != r.storage_offset())
          differs("storage_offset", std::to_string(f.storage_offset()), std::to_string(r.storage_offset()));
      }
    }
  }

  settings settings_{};
  report_type report_{};
};

}  // namespace fake
