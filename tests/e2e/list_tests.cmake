# Writes OUTPUT, a file of ctest commands: one test per test case of HARNESS (an end-to-end test
# program built elsewhere), named "e2e:" and its name as in a build that compiles the program, each
# run in WORKING_DIRECTORY with BRANKAS_E2E_BINARY=BINARY and BRANKAS_E2E_SANITIZED=SANITIZED in
# its environment: the program drives that binary (tests/e2e/run_binary.hpp). Run at build time,
# after both programs are built (tests/CMakeLists.txt).
#   cmake -DHARNESS=... -DBINARY=... -DSANITIZED=1|0 -DWORKING_DIRECTORY=... -DOUTPUT=... -P list_tests.cmake
foreach(variable IN ITEMS HARNESS BINARY SANITIZED WORKING_DIRECTORY OUTPUT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "list_tests.cmake: -D${variable}=... is missing")
  endif()
endforeach()
if(NOT EXISTS "${HARNESS}")
  message(FATAL_ERROR "list_tests.cmake: no end-to-end test program at ${HARNESS} (build it first)")
endif()

execute_process(COMMAND "${HARNESS}" --list-test-cases
                OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "list_tests.cmake: ${HARNESS} --list-test-cases failed (${status}): ${errors}")
endif()

# A name is written as a bracket argument, which keeps every character as it is but the bracket's
# own closing sequence. (A name with a ';' is cut in two here, as doctest_discover_tests cuts it,
# and each half then fails: it matches no test case, tests/support/doctest_main.hpp.)
set(script "")
set(count 0)
string(REPLACE "\n" ";" lines "${listing}")
foreach(name IN LISTS lines)
  if(name STREQUAL "" OR name MATCHES "^=+$" OR name MATCHES "^\\[doctest\\] ")
    continue()
  endif()
  if(name MATCHES "]==]")
    message(FATAL_ERROR "list_tests.cmake: a test case's name holds ']==]': ${name}")
  endif()
  # doctest reads a ',' in a filter as the start of another filter.
  string(REPLACE "," "\\," filter "${name}")
  string(APPEND script
    "add_test([==[e2e:${name}]==] [==[${HARNESS}]==] [==[--test-case=${filter}]==])\n"
    "set_tests_properties([==[e2e:${name}]==] PROPERTIES WORKING_DIRECTORY [==[${WORKING_DIRECTORY}]==]\n"
    "  ENVIRONMENT [==[BRANKAS_E2E_BINARY=${BINARY};BRANKAS_E2E_SANITIZED=${SANITIZED}]==])\n")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "list_tests.cmake: ${HARNESS} lists no test case")
endif()
file(WRITE "${OUTPUT}" "${script}")
