#include "vault/log/event_fields.hpp"

#include <algorithm>

namespace brankas {

std::unexpected<Error> event_refused(const Event& e, i18n::Phrase why) {
    return fail_phrase(ErrorCode::verification_failed, i18n::Phrase(i18n::tr_noop("event %1$s (%2$s) %3$s"),
                                                                    {i18n::Phrase::plain(std::to_string(e.seq)),
                                                                     i18n::Phrase::plain(std::string(e.action)), std::move(why)}));
}

std::unexpected<Error> event_refused(const Event& e, const char* why, std::vector<std::string> values) {
    return event_refused(e, i18n::Phrase::with_plain(why, std::move(values)));
}

namespace {

bool is_store_failure(const Error& e) {
    return e.code == ErrorCode::io || e.code == ErrorCode::busy || e.code == ErrorCode::store_corrupt || e.code == ErrorCode::internal;
}

} // namespace

std::unexpected<Error> event_refused(const Event& e, const Error& why) {
    if (is_store_failure(why)) return std::unexpected(why);
    return event_refused(e, phrase_of(why));
}

std::unexpected<Error> event_refused(const Event& e, const char* sentence, const Error& why) {
    if (is_store_failure(why)) return std::unexpected(why);
    return event_refused(e, i18n::Phrase(sentence, {phrase_of(why)}));
}

std::unexpected<Error> EventFields::missing(std::string_view key) const {
    return event_refused(event_, i18n::tr_noop("lacks its '%s' field"), {std::string(key)});
}

const EventDetails::Value* EventFields::take(std::string_view key) {
    const auto& fields = event_.details.fields();
    auto it = fields.find(key);
    if (it == fields.end()) return nullptr;
    read_.push_back(it->first);
    return &it->second;
}

Result<std::optional<std::string>> EventFields::optional_text(std::string_view key) {
    const auto* v = take(key);
    if (v == nullptr) return std::optional<std::string>{};
    const auto* s = std::get_if<std::string>(v);
    if (s == nullptr) return event_refused(event_, i18n::tr_noop("has a '%s' field that is not text"), {std::string(key)});
    return std::optional<std::string>(*s);
}

Result<std::string> EventFields::text(std::string_view key) {
    auto v = BRANKAS_TRY(optional_text(key));
    if (!v) return missing(key);
    return std::move(*v);
}

Result<std::optional<std::int64_t>> EventFields::optional_integer(std::string_view key) {
    const auto* v = take(key);
    if (v == nullptr) return std::optional<std::int64_t>{};
    const auto* n = std::get_if<std::int64_t>(v);
    if (n == nullptr) return event_refused(event_, i18n::tr_noop("has a '%s' field that is not an integer"), {std::string(key)});
    return std::optional<std::int64_t>(*n);
}

Result<std::int64_t> EventFields::integer(std::string_view key) {
    auto v = BRANKAS_TRY(optional_integer(key));
    if (!v) return missing(key);
    return *v;
}

Result<bool> EventFields::flag(std::string_view key) {
    std::int64_t v = BRANKAS_TRY(integer(key));
    if (v != 0 && v != 1) return event_refused(event_, i18n::tr_noop("has a malformed '%s' field"), {std::string(key)});
    return v == 1;
}

Result<std::optional<Bytes>> EventFields::optional_bytes(std::string_view key) {
    const auto* v = take(key);
    if (v == nullptr) return std::optional<Bytes>{};
    const auto* b = std::get_if<Bytes>(v);
    if (b == nullptr) return event_refused(event_, i18n::tr_noop("has a '%s' field that is not bytes"), {std::string(key)});
    return std::optional<Bytes>(*b);
}

Result<Bytes> EventFields::bytes(std::string_view key) {
    auto v = BRANKAS_TRY(optional_bytes(key));
    if (!v) return missing(key);
    return std::move(*v);
}

Status EventFields::finish() const {
    for (const auto& [key, value] : event_.details.fields())
        if (std::find(read_.begin(), read_.end(), key) == read_.end())
            return event_refused(event_, i18n::tr_noop("has an unexpected field '%s'"), {key});
    return {};
}

Status EventFields::no_target() const {
    if (!event_.target.empty()) return event_refused(event_, i18n::tr_noop("has a target its action does not take"));
    return {};
}

} // namespace brankas
