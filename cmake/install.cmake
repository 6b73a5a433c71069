# Install rules (GNUInstallDirs; make install PREFIX=... configures CMAKE_INSTALL_PREFIX, which
# the library also bakes in as the installed data directory, BLOC_DATA_INSTALL_DIR):
#   bin/bloc
#   lib/libbloc.so.X.Y.Z (soname libbloc.so.X.Y, link libbloc.so), lib/libbloc.a
#   include/bloc/*.h
#   lib/pkgconfig/bloc.pc                      pkg-config --cflags --libs bloc
#   lib/cmake/bloc/blocConfig*.cmake, blocTargets*.cmake   find_package(bloc): bloc::bloc
#   share/bloc/data/                           the data (CATALOG.csv, SOURCES.md, CHECKSUMS, ...)
# The manual pages and bash completion are installed by their own rules (man/).
include(CMakePackageConfigHelpers)

install(TARGETS bloc_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(
  TARGETS bloc_shared
  EXPORT blocTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS bloc ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/bloc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bloc/data)

# pkg-config: paths relative to ${prefix} when GNUInstallDirs gives them relative (the usual case)
foreach(dir LIBDIR INCLUDEDIR DATADIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(BLOC_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(BLOC_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(${CMAKE_SOURCE_DIR}/cmake/bloc.pc.in ${CMAKE_BINARY_DIR}/generated/bloc.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/generated/bloc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake: find_package(bloc) gives the imported target bloc::bloc (the shared library; its
# dependencies are private to it, so the package needs nothing else)
set(BLOC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/bloc)
install(EXPORT blocTargets NAMESPACE bloc:: DESTINATION ${BLOC_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/blocConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/generated/blocConfig.cmake
                              INSTALL_DESTINATION ${BLOC_CMAKE_DIR} PATH_VARS CMAKE_INSTALL_DATADIR)
# before 1.0 a minor release may change the API: only the same major.minor is compatible
write_basic_package_version_file(${CMAKE_BINARY_DIR}/generated/blocConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/generated/blocConfig.cmake
              ${CMAKE_BINARY_DIR}/generated/blocConfigVersion.cmake DESTINATION ${BLOC_CMAKE_DIR})
