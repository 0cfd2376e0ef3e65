// faketensor/faketensor.hpp — the umbrella header: everything faketensor offers.
#pragma once

#include "faketensor/core/config.hpp"
#include "faketensor/core/device.hpp"
#include "faketensor/core/dim.hpp"
#include "faketensor/core/dtype.hpp"
#include "faketensor/core/error.hpp"
#include "faketensor/core/expect.hpp"
#include "faketensor/core/fixed_string.hpp"
#include "faketensor/core/layout.hpp"
#include "faketensor/core/result_type.hpp"
#include "faketensor/shape/broadcast.hpp"
#include "faketensor/shape/contiguity.hpp"
#include "faketensor/shape/dim_algorithms.hpp"
#include "faketensor/shape/dim_vector.hpp"
#include "faketensor/shape/numel.hpp"
#include "faketensor/shape/shape.hpp"
#include "faketensor/shape/strides.hpp"
