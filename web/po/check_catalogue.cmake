# Fails when a message the browser face marks (tr, tr_noop) has no Indonesian entry in
# web/po/id.po, naming the messages. Run with `cmake -P`; SOURCE_DIR and WORK_DIR given.
# To bring id.po up to date after changing messages:
#   xgettext --language=C++ --keyword --keyword=tr --keyword=tr_noop --no-wrap -o web.pot web/*.cpp web/*.hpp
#   msgmerge --update --no-fuzzy-matching web/po/id.po web.pot     (then translate the new entries)
find_program(XGETTEXT xgettext REQUIRED)
find_program(MSGCMP msgcmp REQUIRED)
file(GLOB sources RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/web/*.cpp ${SOURCE_DIR}/web/*.hpp)
set(pot ${WORK_DIR}/web-messages.pot)
execute_process(COMMAND ${XGETTEXT} --language=C++ --from-code=UTF-8 --keyword --keyword=tr --keyword=tr_noop
                        --force-po --output=${pot} ${sources}
                WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext could not read the web face's sources")
endif()
# Without --use-untranslated and --use-fuzzy, an empty or fuzzy entry counts as missing.
execute_process(COMMAND ${MSGCMP} ${SOURCE_DIR}/web/po/id.po ${pot} RESULT_VARIABLE rc ERROR_VARIABLE missing)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "web/po/id.po lacks an Indonesian translation:\n${missing}")
endif()
message(STATUS "every message of the browser face has its Indonesian translation")
