# libbloc.so, from the same objects as libbloc.a (included from the top-level CMakeLists.txt
# after the bloc_objects target). Versioned with a soname: libbloc.so.MAJOR.MINOR.PATCH, soname
# libbloc.so.MAJOR.MINOR (before 1.0 a minor release may change the ABI).
#
# Only the public API is exported: a linker version script lists the functions declared in
# include/bloc/*.h (cmake/exports.cmake writes it at build time); the library-internal bloc__*
# functions and everything else stay local. ctest shared_exports checks the result.
set(BLOC_VERSION_SCRIPT ${CMAKE_BINARY_DIR}/generated/libbloc.map)
file(GLOB BLOC_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/include/bloc/*.h)
add_custom_command(
  OUTPUT ${BLOC_VERSION_SCRIPT}
  COMMAND ${CMAKE_COMMAND} -DINCLUDE_DIR=${CMAKE_SOURCE_DIR}/include -DOUT=${BLOC_VERSION_SCRIPT}
          -P ${CMAKE_SOURCE_DIR}/cmake/exports.cmake
  DEPENDS ${BLOC_PUBLIC_HEADERS} ${CMAKE_SOURCE_DIR}/cmake/exports.cmake
  COMMENT "Listing libbloc.so's exports (include/bloc/*.h)"
  VERBATIM)
add_custom_target(bloc_version_script DEPENDS ${BLOC_VERSION_SCRIPT})

add_library(bloc_shared SHARED $<TARGET_OBJECTS:bloc_objects>)
add_dependencies(bloc_shared bloc_version_script)
set_target_properties(
  bloc_shared
  PROPERTIES OUTPUT_NAME bloc
             EXPORT_NAME bloc
             VERSION ${PROJECT_VERSION}
             SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
             LINK_DEPENDS ${BLOC_VERSION_SCRIPT})
target_include_directories(bloc_shared PUBLIC $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/include>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(bloc_shared PRIVATE PkgConfig::JANSSON Threads::Threads m)
target_link_options(bloc_shared PRIVATE LINKER:--version-script=${BLOC_VERSION_SCRIPT})
if(NOT BLOC_SANITIZE)
  # every symbol the library needs comes from its own objects or the libraries it links (the
  # sanitizers' runtime is the executable's, so not with BLOC_SANITIZE)
  target_link_options(bloc_shared PRIVATE LINKER:--no-undefined)
endif()
add_library(bloc::bloc ALIAS bloc_shared)
