// The main of both test programs: doctest's, except that a run in which no test case passed the
// filters fails. ctest asks for each test case by name, and CMake cuts a name at its first ';' (a
// list separator to it), so a test case named with one was asked for by a name that matches
// nothing; doctest answers that with success, and the test would pass without running. A run that
// may rightly match none (the sanitizer build's run of the test cases in no listed file) says so
// with BRANKAS_TESTS_MAY_MATCH_NONE=1 in its environment.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace brankas::test {

// Counts the test cases that passed the filters (doctest's listeners see every run).
class RunCounter final : public doctest::IReporter {
public:
    static inline unsigned matched = 0;

    explicit RunCounter(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats& stats) override { matched = stats.numTestCasesPassingFilters; }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

inline int run_test_cases(int argc, char** argv) {
    doctest::Context context(argc, argv);
    int result = context.run();
    if (context.shouldExit() || result != 0) return result; // a query (--list-test-cases), or a failure
    const char* may_match_none = std::getenv("BRANKAS_TESTS_MAY_MATCH_NONE");
    if (RunCounter::matched == 0 && !(may_match_none && std::strcmp(may_match_none, "1") == 0)) {
        std::fputs("no test case passed the filters: nothing ran\n", stderr);
        return 1;
    }
    return result;
}

} // namespace brankas::test

DOCTEST_REGISTER_LISTENER("brankas_run_counter", 1, brankas::test::RunCounter);
