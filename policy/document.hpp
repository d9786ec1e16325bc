// The policy document: a TOML file a district edits by hand. Every key is known (an unknown one
// is an error with its line), every value is checked, and what is left out keeps its default.
#pragma once

#include "i18n/translate.hpp"
#include "policy/policy.hpp"

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brankas::policy {

// A policy document is a few kilobytes; anything far larger is refused unread.
inline constexpr std::size_t max_document_size = 64 * 1024;

struct DocumentError {
    DocumentError() = default;
    DocumentError(int at, std::string english, i18n::Phrase said = {}) : line(at), message(std::move(english)), phrase(std::move(said)) {}

    int line = 0; // 1-based; 0 when the error is about the document as a whole
    std::string message;  // English
    i18n::Phrase phrase;  // the same sentence, for a face to say in its reader's language (no id: `message` as it is)
    // Two errors are the same when they say the same at the same line.
    friend bool operator==(const DocumentError& a, const DocumentError& b) { return a.line == b.line && a.message == b.message; }
};

// The error at `line` that `message` says (its English in DocumentError::message).
[[nodiscard]] DocumentError error_of(int line, i18n::Phrase message);

// All the errors found, in line order (not only the first), or the policy.
[[nodiscard]] std::expected<Policy, std::vector<DocumentError>> parse_policy_document(std::string_view text);

// The language of a document's comments: a face's translation of a catalogue id (i18n::tr, the
// browser's per-request one); the keys and values stay as they are.
using CommentLanguage = std::function<std::string(const char* msgid)>;
inline std::string english_comments(const char* msgid) { return msgid; }

// The effective policy as a document that parses back to the same Policy (`policy show`), its
// comments said through `say` (English for --json and for what a program reads).
[[nodiscard]] std::string render_policy_document(const Policy& policy, const CommentLanguage& say = english_comments);

// "2h", "90m", "7d", "1d12h", "45s", "2w", "0d": <number><unit> groups, units w d h m s, each
// at most once and largest first. Zero is a duration (the document says where it is refused);
// nullopt when malformed or larger than ten years.
[[nodiscard]] std::optional<std::int64_t> parse_duration(std::string_view text);
// The canonical form that reads back the same: largest unit first, days the largest written
// (weeks are read, not written), "0s" for zero: "2h", "1h30m", "1d12h", "180d".
[[nodiscard]] std::string format_duration(std::int64_t us);

} // namespace brankas::policy
