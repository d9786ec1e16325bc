// The bench stops at the first error the vault returns: figures measured after one mean nothing.
#pragma once

#include "vault/error.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace brankas::bench {

struct BenchFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[nodiscard]] inline BenchFailure failure(std::string_view what, const Error& e) {
    return BenchFailure(std::string(what) + ": " + e.message + (e.hint.empty() ? "" : " (" + e.hint + ")"));
}

template <typename T>
T checked(Result<T> result, std::string_view what) {
    if (!result) throw failure(what, result.error());
    return std::move(*result);
}

inline void checked(Status status, std::string_view what) {
    if (!status) throw failure(what, status.error());
}

} // namespace brankas::bench
