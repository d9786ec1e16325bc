# The message catalogue's two jobs, run with `cmake -P`:
#   ACTION=check   (ctest) every message the sources mark has a translation in every
#                  po/<lang>.po, and po/brankas.pot lists exactly the marked messages;
#   ACTION=update  (the update-po target) rewrites po/brankas.pot from the sources and merges
#                  it into every po/<lang>.po, new entries left for the translator.
# Given by po/CMakeLists.txt: XGETTEXT MSGINIT MSGMERGE MSGCMP MSGATTRIB SOURCE_DIR SOURCES PO_DIR WORK_DIR
# LANGUAGES VERSION.

# The marked messages, read afresh from the sources. Only tr, trn (singular, plural) and
# tr_noop mark a message (i18n/translate.hpp); gettext's default names are switched off.
# Locations name the file only, so moving code within a file leaves the template alone.
set(fresh ${WORK_DIR}/brankas-fresh.pot)
execute_process(
  COMMAND ${XGETTEXT} --language=C++ --from-code=UTF-8
          --keyword --keyword=tr --keyword=trn:1,2 --keyword=tr_noop
          --add-comments=TRANSLATORS: --add-location=file --sort-by-file --force-po
          "--copyright-holder=the Brankas project"
          --package-name=brankas --package-version=${VERSION}
          --directory=${SOURCE_DIR} --files-from=${SOURCES} --output=${fresh}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext could not read the sources")
endif()
# The header's placeholders, filled once for every catalogue.
file(READ ${fresh} text)
string(REPLACE "charset=CHARSET" "charset=UTF-8" text "${text}")
string(REGEX REPLACE "# SOME DESCRIPTIVE TITLE\\.\n" "# Messages of Brankas, the credential vault.\n" text "${text}")
file(WRITE ${fresh} "${text}")

# Two templates are the same when they hold the same messages (their dates may differ).
function(same_messages a b out)
  execute_process(COMMAND ${MSGCMP} --use-untranslated ${a} ${b} RESULT_VARIABLE r1 OUTPUT_QUIET ERROR_QUIET)
  execute_process(COMMAND ${MSGCMP} --use-untranslated ${b} ${a} RESULT_VARIABLE r2 OUTPUT_QUIET ERROR_QUIET)
  if(r1 EQUAL 0 AND r2 EQUAL 0)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

if(ACTION STREQUAL "update")
  same_messages(${fresh} ${PO_DIR}/brankas.pot unchanged)
  if(NOT unchanged)
    file(COPY_FILE ${fresh} ${PO_DIR}/brankas.pot)
    message(STATUS "po/brankas.pot rewritten")
  endif()
  foreach(lang IN LISTS LANGUAGES)
    if(NOT EXISTS ${PO_DIR}/${lang}.po)
      # A new language starts from the template, its header filled for that language.
      execute_process(COMMAND ${MSGINIT} --no-translator --locale=${lang}.UTF-8
                              --input=${PO_DIR}/brankas.pot --output-file=${PO_DIR}/${lang}.po
                      RESULT_VARIABLE rc)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "msginit could not start po/${lang}.po")
      endif()
    endif()
    execute_process(COMMAND ${MSGMERGE} --quiet --update --backup=none --no-fuzzy-matching
                            --add-location=file --sort-by-file ${PO_DIR}/${lang}.po ${PO_DIR}/brankas.pot
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "msgmerge could not update po/${lang}.po")
    endif()
  endforeach()
  message(STATUS "Now translate the new (empty) entries of po/<lang>.po.")
elseif(ACTION STREQUAL "check")
  set(failed FALSE)
  foreach(lang IN LISTS LANGUAGES)
    # Without --use-untranslated and --use-fuzzy, an empty or fuzzy entry counts as missing.
    execute_process(COMMAND ${MSGCMP} ${PO_DIR}/${lang}.po ${fresh} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT rc EQUAL 0)
      # Name the messages themselves: the .po merged with the fresh template, its empty and
      # fuzzy entries.
      execute_process(COMMAND ${MSGMERGE} --quiet --no-fuzzy-matching --output-file=${WORK_DIR}/${lang}-merged.po
                              ${PO_DIR}/${lang}.po ${fresh})
      execute_process(COMMAND ${MSGATTRIB} --no-obsolete --untranslated ${WORK_DIR}/${lang}-merged.po
                      OUTPUT_VARIABLE untranslated)
      execute_process(COMMAND ${MSGATTRIB} --no-obsolete --only-fuzzy ${WORK_DIR}/${lang}-merged.po
                      OUTPUT_VARIABLE fuzzy)
      foreach(part untranslated fuzzy)
        # The first paragraph is the catalogue's header.
        string(REGEX REPLACE "^[^\n]*(\n[^\n]+)*\n\n" "" ${part} "${${part}}")
      endforeach()
      message("po/${lang}.po has no ${lang} translation (or only a fuzzy one) of:\n\n${untranslated}${fuzzy}")
      set(failed TRUE)
    endif()
  endforeach()
  same_messages(${fresh} ${PO_DIR}/brankas.pot current)
  if(NOT current)
    message("po/brankas.pot does not list the messages the sources mark")
    set(failed TRUE)
  endif()
  if(failed)
    message(FATAL_ERROR "the catalogue is behind the code: run `cmake --build <build dir> --target update-po`, "
                        "then translate every new entry of po/<lang>.po")
  endif()
  message(STATUS "every marked message has a translation in: ${LANGUAGES}")
else()
  message(FATAL_ERROR "ACTION must be check or update")
endif()
