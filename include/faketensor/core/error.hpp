// faketensor/core/error.hpp — the typed errors a bad call raises.
//
// Every message names the op, the argument and the offending metadata
// (DESIGN.md, principle 6). Catch fake::error for all of them.
#pragma once

#include <stdexcept>  // std::runtime_error
#include <string>     // std::string

namespace fake {

// Base of every faketensor error.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sizes, strides, ranks, broadcasting, numel/storage overflow.
class shape_error : public error {
 public:
  using error::error;
};

// A dim or an index out of range (PyTorch raises IndexError for these).
class index_error : public shape_error {
 public:
  using shape_error::shape_error;
};

// Tensors that cannot be put on one device; malformed device strings.
class device_error : public error {
 public:
  using error::error;
};

// Unpromotable or unsupported dtypes, impossible casts.
class dtype_error : public error {
 public:
  using error::error;
};

// An op whose output shape depends on tensor data (nonzero, masked_select, ...).
class dynamic_output_shape_error : public error {
 public:
  using error::error;
};

// An op that needs a data value (item, _local_scalar_dense, ...).
class data_dependent_error : public error {
 public:
  using error::error;
};
using data_dependent_output_error = data_dependent_error;

// A real tensor that cannot be made fake (PyTorch's UnsupportedFakeTensorException):
// quantized dtypes, compressed-sparse and mkldnn layouts, views of sparse tensors.
class unsupported_fake_tensor_error : public error {
 public:
  using error::error;
};

// An op that faketensor has no meta kernel for.
class unsupported_op_error : public error {
 public:
  using error::error;
};

// A fake implementation (library::register_fake) whose output aliases an input
// its schema does not declare aliased (no `(a)` annotation on that return):
// the metadata would describe a new tensor where the real op returns a view.
class unsupported_mutation_aliasing_error : public error {
 public:
  using error::error;
};

// PyTorch's names for two of the errors above (UnsupportedOperatorException,
// DataDependentOutputException).
using unsupported_operator_error = unsupported_op_error;

// A symbolic expression that cannot be formed: a coefficient overflow, a
// division by zero, or an expression past the shape environment's size cap.
class sym_expression_error : public shape_error {
 public:
  using shape_error::shape_error;
};

// A malformed argument that fits none of the above (bad string, bad enum value).
class value_error : public error {
 public:
  using error::error;
};

}  // namespace fake
