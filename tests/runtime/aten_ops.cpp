// The one translation unit of faketensor_tests that includes the op families'
// registrations (Note [built-in op families]): their kernels are compiled
// once, and every test finds them in fake::op_registry::global().
#include "faketensor/dispatch/aten_ops.hpp"
