# cmake -D FLAGS_FILE=<compile_fail_flags.cmake> -D SOURCE=<snippet.cpp> -P run_compile_fail.cmake
#
# Passes (exit 0) only if SOURCE fails to compile AND every
# `// expect-error: <regex>` line of SOURCE matches the compiler's output.
# Fails when SOURCE compiles ("compile_fail verdict: FAIL (compiled)"), when a
# regex does not match ("... FAIL (wrong error)"), or on misuse (no
# expect-error line, missing -D).
cmake_minimum_required(VERSION 3.21)

foreach(var FLAGS_FILE SOURCE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_compile_fail.cmake: -D ${var}=... is required")
  endif()
endforeach()
include("${FLAGS_FILE}")

# Read the snippet line by line. `;`, `[` and `]` are list syntax in CMake, so
# they travel through the lists below as placeholders, restored before matching.
string(ASCII 1 semi)
string(ASCII 2 lbr)
string(ASCII 3 rbr)
file(READ "${SOURCE}" content)
string(REPLACE ";" "${semi}" content "${content}")
string(REPLACE "[" "${lbr}" content "${content}")
string(REPLACE "]" "${rbr}" content "${content}")
string(REPLACE "\r" "" content "${content}")
string(REPLACE "\n" ";" lines "${content}")
set(patterns)
foreach(line IN LISTS lines)
  if(line MATCHES "^[ \t]*//[ \t]*expect-error:(.*)$")
    string(STRIP "${CMAKE_MATCH_1}" pattern)
    if(pattern STREQUAL "")
      message(FATAL_ERROR "${SOURCE}: empty `// expect-error:` line")
    endif()
    list(APPEND patterns "${pattern}")
  endif()
endforeach()
if(NOT patterns)
  message(FATAL_ERROR "${SOURCE}: no `// expect-error: <regex>` line; "
    "a compile-fail snippet must say which error it expects")
endif()

# -I for the usage requirements, minus the compiler's own system directories
# (-I/usr/include would break libstdc++'s #include_next).
set(args ${FT_CXX_FLAGS})
foreach(dir IN LISTS FT_INCLUDE_DIRS)
  if(NOT dir IN_LIST FT_IMPLICIT_INCLUDE_DIRS)
    list(APPEND args "-I${dir}")
  endif()
endforeach()
foreach(def IN LISTS FT_DEFINITIONS)
  list(APPEND args "-D${def}")
endforeach()
if(FT_CXX MATCHES "(g\\+\\+|clang\\+\\+|c\\+\\+)[^/]*$")
  list(APPEND args -fdiagnostics-color=never)
endif()

# Plain ASCII quotes and English messages in diagnostics, whatever the
# caller's locale (g++ prints ‘x’ instead of 'x' under UTF-8 locales).
set(ENV{LC_ALL} C)
set(ENV{LANG} C)

list(JOIN args " " shown)
message(STATUS "compile: ${FT_CXX} ${shown} ${SOURCE}")
execute_process(
  COMMAND "${FT_CXX}" ${args} "${SOURCE}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)

if(rc EQUAL 0)
  message(FATAL_ERROR "compile_fail verdict: FAIL (compiled): ${SOURCE} compiled, but it must not")
endif()

set(missing)
foreach(pattern IN LISTS patterns)
  string(REPLACE "${semi}" ";" pattern "${pattern}")
  string(REPLACE "${lbr}" "[" pattern "${pattern}")
  string(REPLACE "${rbr}" "]" pattern "${pattern}")
  if(output MATCHES "${pattern}")
    message(STATUS "matched:     ${pattern}")
  else()
    message(STATUS "NOT matched: ${pattern}")
    list(APPEND missing "${pattern}")
  endif()
endforeach()
if(missing)
  message("---- compiler output (exit ${rc}) ----\n${output}----")
  message(FATAL_ERROR "compile_fail verdict: FAIL (wrong error): ${SOURCE} failed to compile, "
    "but not with the expected error(s)")
endif()
message(STATUS "compile_fail verdict: PASS: ${SOURCE} fails to compile as expected")
