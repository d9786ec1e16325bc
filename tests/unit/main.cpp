#define DOCTEST_CONFIG_IMPLEMENT
#include "support/doctest_main.hpp"

#include "vault/crypto/primitives.hpp"

int main(int argc, char** argv) {
    if (!brankas::initialize_crypto()) return 1;
    return brankas::test::run_test_cases(argc, argv);
}
