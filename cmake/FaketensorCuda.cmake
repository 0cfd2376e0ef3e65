# FAKETENSOR_ENABLE_CUDA = AUTO | ON | OFF  ->  FAKETENSOR_HAS_CUDA (bool)
#
# AUTO enables CUDA when a working nvcc is found (no GPU needed: the CUDA
# test compiles device code and runs host code only). The CUDA toolkit of
# this project's CI lives in /usr/local/cuda; when no compiler was named
# (CMAKE_CUDA_COMPILER / $CUDACXX) it is offered through $CUDACXX, which the
# probe of check_language() inherits. Setting CMAKE_CUDA_COMPILER here
# instead would make check_language() skip its probe.
include(CheckLanguage)

set(FAKETENSOR_HAS_CUDA OFF)
string(TOUPPER "${FAKETENSOR_ENABLE_CUDA}" _ft_cuda)
if(_ft_cuda STREQUAL "OFF" OR _ft_cuda STREQUAL "FALSE" OR _ft_cuda STREQUAL "0")
  message(STATUS "faketensor: CUDA disabled (FAKETENSOR_ENABLE_CUDA=OFF)")
  return()
endif()

if(NOT DEFINED CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX}
   AND EXISTS /usr/local/cuda/bin/nvcc)
  set(ENV{CUDACXX} /usr/local/cuda/bin/nvcc)
endif()
# CUDA 13 dropped sm_5x..sm_70; CMake 3.25 does not know its default, so
# name one (compiling for it needs no GPU).
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES 90)
endif()

if(_ft_cuda STREQUAL "AUTO")
  check_language(CUDA)
  if(NOT CMAKE_CUDA_COMPILER)
    message(STATUS "faketensor: CUDA compiler not found: CUDA tests skipped")
    return()
  endif()
endif()
enable_language(CUDA) # ON: a missing compiler is a configure error

# CMake < 3.26 (Debian 12 has 3.25) does not know nvcc's C++20 mode although
# nvcc >= 12 has it: teach it, so that CUDA_STANDARD 20 / cuda_std_20 work.
if(CMAKE_CUDA_COMPILER_ID STREQUAL "NVIDIA"
   AND CMAKE_CUDA_COMPILER_VERSION VERSION_GREATER_EQUAL 12.0
   AND NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
  set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA20_COMPILE_FEATURES cuda_std_20)
  list(APPEND CMAKE_CUDA_COMPILE_FEATURES cuda_std_20)
endif()
set(FAKETENSOR_HAS_CUDA ON)
message(STATUS "faketensor: CUDA compiler found: ${CMAKE_CUDA_COMPILER} "
  "(${CMAKE_CUDA_COMPILER_ID} ${CMAKE_CUDA_COMPILER_VERSION}), "
  "architectures ${CMAKE_CUDA_ARCHITECTURES}")
unset(_ft_cuda)
