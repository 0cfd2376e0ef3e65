# Driver of the packaging tests (see CMakeLists.txt here). Standalone use:
#   cmake -D MODE=install_find_package|add_subdirectory
#         -D CONSUMER_SOURCE_DIR=... -D WORK_DIR=... -D FAKETENSOR_SOURCE_DIR=...
#         -D FAKETENSOR_BUILD_DIR=... [-D GENERATOR=Ninja] [-D MAKE_PROGRAM=...]
#         [-D CXX_COMPILER=...] -P run_consumer.cmake
cmake_minimum_required(VERSION 3.21)

foreach(var MODE CONSUMER_SOURCE_DIR WORK_DIR FAKETENSOR_SOURCE_DIR FAKETENSOR_BUILD_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_consumer.cmake: -D ${var}=... is required")
  endif()
endforeach()
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()

function(run step)
  list(JOIN ARGN " " shown)
  message(STATUS "[${step}] ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAIL: packaging ${MODE}: step '${step}' exited with ${rc}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(consumer_build "${WORK_DIR}/consumer-build")
set(configure_args -S "${CONSUMER_SOURCE_DIR}" -B "${consumer_build}" -G "${GENERATOR}"
  -D CMAKE_BUILD_TYPE=Release
  # only the prefix given here may provide faketensor
  -D CMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -D CMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND configure_args -D "CMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args -D "CMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()

if(MODE STREQUAL "install_find_package")
  set(prefix "${WORK_DIR}/prefix")
  run(install "${CMAKE_COMMAND}" --install "${FAKETENSOR_BUILD_DIR}" --prefix "${prefix}")
  run(configure "${CMAKE_COMMAND}" ${configure_args}
    -D "CMAKE_PREFIX_PATH=${prefix}"
    -D "EXPECTED_FAKETENSOR_PREFIX=${prefix}")
elseif(MODE STREQUAL "add_subdirectory")
  run(configure "${CMAKE_COMMAND}" ${configure_args}
    -D "FAKETENSOR_SOURCE_DIR=${FAKETENSOR_SOURCE_DIR}")
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE '${MODE}'")
endif()

run(build "${CMAKE_COMMAND}" --build "${consumer_build}" -j 2)
run(run "${consumer_build}/consumer")
message(STATUS "PASS: packaging ${MODE}")
