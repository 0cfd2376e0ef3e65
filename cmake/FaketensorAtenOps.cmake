# faketensor_link_aten_ops(<target>): puts every op family's registration
# (tools/aten_ops.cpp, Note [built-in op families]) into <target>: the
# faketensor_aten_ops object library when the tools are built, else the
# source itself, compiled at -O1 without debug info (hundreds of boxed kernels).
function(faketensor_link_aten_ops target)
  if(TARGET faketensor_aten_ops)
    target_link_libraries(${target} PRIVATE faketensor_aten_ops)
  else()
    target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/tools/aten_ops.cpp")
    set_source_files_properties("${PROJECT_SOURCE_DIR}/tools/aten_ops.cpp" TARGET_DIRECTORY ${target}
      PROPERTIES COMPILE_OPTIONS "-O1;-g0")
  endif()
endfunction()
