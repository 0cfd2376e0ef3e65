// The one translation unit that compiles every op family's registration
// (Note [built-in op families]): fake-xref and faketensor_tests link this
// object, and find every op in fake::op_registry::global().
#include "faketensor/dispatch/aten_ops.hpp"
