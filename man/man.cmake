# Manual pages and bash completion, both from the CLI itself (docs/design.md, "The front-ends"):
# `bloc help --man [COMMAND]` writes each page from the option tables and text of --help, and
# `bloc __complete` gives completion/bloc.bash its words. The pages are written into man/man1/ of
# the build tree every time bloc is linked, so any build of bloc has them (MANPATH=build/man
# man bloc-project reads them before installing).

set(BLOC_MAN1 ${CMAKE_BINARY_DIR}/man/man1)
add_custom_command(
  TARGET bloc_cli POST_BUILD
  COMMAND ${CMAKE_COMMAND} -DBLOC=$<TARGET_FILE:bloc_cli> -DOUT=${BLOC_MAN1} -P
          ${CMAKE_SOURCE_DIR}/man/gen.cmake
  COMMENT "Writing the manual pages (bloc help --man)"
  VERBATIM)

install(DIRECTORY ${BLOC_MAN1}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING
        PATTERN "*.1")
install(FILES ${CMAKE_SOURCE_DIR}/completion/bloc.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME bloc)
