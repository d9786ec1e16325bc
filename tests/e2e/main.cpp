#define DOCTEST_CONFIG_IMPLEMENT
#include "support/doctest_main.hpp"

int main(int argc, char** argv) { return brankas::test::run_test_cases(argc, argv); }
