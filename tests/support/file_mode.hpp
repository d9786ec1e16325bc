// The permission bits of a file, for tests that check what brankas leaves on disk.
#pragma once

#include <doctest/doctest.h>

#include <filesystem>
#include <sys/stat.h>

namespace brankas::test {

inline unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

} // namespace brankas::test
