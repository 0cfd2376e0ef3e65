// faketensor/core/config.hpp — compiler and CUDA portability switches.
//
// Every header of the device-usable set (core/, shape/ and the static tensor
// headers) is plain constexpr C++. Under nvcc the library relies on
// --expt-relaxed-constexpr (added to the interface target for CUDA sources) so
// constexpr functions are callable from __host__ __device__ code; FAKE_HD is
// only spelled out on the few non-constexpr entry points that device code uses.
#pragma once

#if defined(__CUDACC__)
#define FAKE_HD __host__ __device__
#else
#define FAKE_HD
#endif

// True while nvcc compiles the device side of a translation unit: there is no
// exception support there, so a failed runtime check traps instead of throwing.
#if defined(__CUDA_ARCH__)
#define FAKE_DEVICE_PASS 1
#else
#define FAKE_DEVICE_PASS 0
#endif

// [[no_unique_address]]: mixed static/dynamic objects store only their dynamic
// parts, so a fully static shape or tensor is an empty type (like std::extents).
#if defined(_MSC_VER) && !defined(__clang__)
#define FAKE_NO_UNIQUE_ADDRESS [[msvc::no_unique_address]]
#else
#define FAKE_NO_UNIQUE_ADDRESS [[no_unique_address]]
#endif
