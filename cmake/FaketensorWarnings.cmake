# faketensor_project_target(<target> [NO_WERROR] [NO_SANITIZE])
#
# Settings for faketensor's own tests, examples and benchmarks, never for the
# faketensor interface target (consumers choose their own warnings):
#  - -Wall -Wextra -Wpedantic for C++ sources, plus -Werror unless NO_WERROR
#    (examples and benchmarks: scripts/demo.sh builds them at -O3, where g++
#    has false positives; the tests are built at -O2 and -O0 by CI).
#    Dependencies come in through imported targets, hence as -isystem, and do
#    not trip them. CUDA sources pass -Wall,-Wextra to the host compiler,
#    without -Werror: nvcc's generated host code is not warning-clean;
#  - with FAKETENSOR_SANITIZE, ASan+UBSan at compile and link time, unless
#    NO_SANITIZE (the CUDA tests: nvcc-compiled host code is not instrumented).
set(FAKETENSOR_WARNING_FLAGS -Wall -Wextra -Wpedantic)
# g++ 12 at -O3 warns -Wrestrict inside libstdc++'s std::string operator+
# (a known false positive, fixed in g++ 13).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND FAKETENSOR_WARNING_FLAGS -Wno-restrict)
endif()

set(FAKETENSOR_SANITIZE_FLAGS
  -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
# g++ 12: UBSan's null / nonnull-attribute / returns-nonnull-attribute
# instrumentation makes a comparison of a pointer into a constexpr array with
# nullptr "not a constant expression", breaking valid constexpr code
# (`for (auto& e : table) if (...) return &e; return nullptr;` then
# `p == nullptr` in a constant expression). ASan still reports null
# dereferences (SEGV on unknown address 0x0).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND FAKETENSOR_SANITIZE_FLAGS
    -fno-sanitize=null,nonnull-attribute,returns-nonnull-attribute)
endif()

function(faketensor_project_target target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NO_WERROR;NO_SANITIZE" "" "")
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:CXX>:${FAKETENSOR_WARNING_FLAGS}>"
    $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)
  if(NOT arg_NO_WERROR)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
  endif()
  if(FAKETENSOR_SANITIZE AND NOT arg_NO_SANITIZE)
    target_compile_options(${target} PRIVATE
      "$<$<COMPILE_LANGUAGE:CXX>:${FAKETENSOR_SANITIZE_FLAGS}>")
    target_link_options(${target} PRIVATE ${FAKETENSOR_SANITIZE_FLAGS})
  endif()
endfunction()
