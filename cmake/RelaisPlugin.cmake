# relais_add_plugin(<name> [OUTPUT_DIR <dir>] SOURCES <file>...)
#
# Builds a Relais plugin: a MODULE library with hidden visibility, linked to the kernel library
# and built against kernel/include/relais only. Product plugins land in RELAIS_PLUGIN_OUTPUT_DIR;
# test fixtures pass their own OUTPUT_DIR so that no placeholder ships with the product.
function(relais_add_plugin name)
  cmake_parse_arguments(P "" "OUTPUT_DIR" "SOURCES" ${ARGN})
  set(product FALSE)
  if(NOT P_OUTPUT_DIR)
    set(P_OUTPUT_DIR ${RELAIS_PLUGIN_OUTPUT_DIR})
    set(product TRUE)
  endif()
  add_library(${name} MODULE ${P_SOURCES})
  target_link_libraries(${name} PRIVATE relais_kernel)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(product)
    add_dependencies(relais_product ${name})
  endif()
endfunction()
