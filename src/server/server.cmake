# bloc serve, compiled into the bloc binary (included from the top-level CMakeLists.txt after
# the bloc_cli target): the server's sources (its own HTTP engine), and the web app's files from
# src/server/web/ turned into C arrays at build time (embed.cmake; no xxd needed).
file(GLOB BLOC_SERVER_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.c)
file(GLOB_RECURSE BLOC_WEB_FILES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/web/*)
set(BLOC_WEB_ASSETS_C ${CMAKE_BINARY_DIR}/generated/web_assets.c)
add_custom_command(
  OUTPUT ${BLOC_WEB_ASSETS_C}
  COMMAND ${CMAKE_COMMAND} -DWEB_DIR=${CMAKE_CURRENT_LIST_DIR}/web -DOUT=${BLOC_WEB_ASSETS_C}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  DEPENDS ${BLOC_WEB_FILES} ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  COMMENT "Embedding the web app (src/server/web/)"
  VERBATIM)
target_sources(bloc_cli PRIVATE ${BLOC_SERVER_SOURCES} ${BLOC_WEB_ASSETS_C})
target_include_directories(bloc_cli PRIVATE ${CMAKE_CURRENT_LIST_DIR})

target_link_libraries(bloc_cli PRIVATE Threads::Threads)
