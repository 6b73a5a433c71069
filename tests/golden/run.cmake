# Run bloc with the arguments in CMD (one line, shell-like words) and diff stdout against CMD's .out.
file(READ ${CMD} args)
string(STRIP "${args}" args)
separate_arguments(argv UNIX_COMMAND "${args}")
string(REGEX REPLACE "\\.cmd$" ".out" expected_file ${CMD})
# Relative paths in CMD (scenario files under tests/scenarios) are relative to tests/golden.
get_filename_component(cmd_dir ${CMD} DIRECTORY)
execute_process(COMMAND ${BLOC} --data ${DATA} ${argv} WORKING_DIRECTORY ${cmd_dir}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "bloc ${args} exited ${rc}: ${err}")
endif()
# The data directory differs between machines: outputs name it $BLOC_DATA.
string(REPLACE "${DATA}" "$BLOC_DATA" out "${out}")
file(READ ${expected_file} expected)
if(NOT out STREQUAL expected)
  file(WRITE ${CMD}.actual "${out}")
  message(FATAL_ERROR "bloc ${args}: output differs from ${expected_file}; see ${CMD}.actual")
endif()
