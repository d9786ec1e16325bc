// The expected values of docs/formats.md's test vectors (tests/vectors/formats.txt), and
// small helpers for writing and reading the files the tests build from them.
#pragma once

#include "vault/crypto/bytes.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace brankas::test {

inline std::map<std::string, std::string> vectors() {
    std::ifstream in(BRANKAS_VECTORS_FILE);
    REQUIRE_MESSAGE(in.good(), "cannot read " BRANKAS_VECTORS_FILE);
    std::map<std::string, std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto eq = line.find(" = ");
        REQUIRE(eq != std::string::npos);
        out[line.substr(0, eq)] = line.substr(eq + 3);
    }
    return out;
}

inline Bytes unhex(const std::string& hex) {
    Bytes out(hex.size() / 2);
    REQUIRE(from_hex(hex, out));
    return out;
}

inline void write_bytes(const std::filesystem::path& p, ByteView bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline Bytes read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string s((std::istreambuf_iterator<char>(in)), {});
    return Bytes(s.begin(), s.end());
}

} // namespace brankas::test
