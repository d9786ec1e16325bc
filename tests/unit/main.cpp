#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "vault/crypto/primitives.hpp"

int main(int argc, char** argv) {
    if (!brankas::initialize_crypto()) return 1;
    doctest::Context context(argc, argv);
    return context.run();
}
