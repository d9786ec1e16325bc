#include "vault/log/event.hpp"

#include "vault/field_rules.hpp"

namespace brankas {

namespace {

enum class FieldType : std::uint8_t { text = 1, integer = 2, bytes = 3 };

constexpr std::size_t max_field_key = 64;
constexpr std::size_t max_field_count = 256;
constexpr std::size_t max_action = 64;
constexpr std::size_t max_target = 1024;
constexpr std::size_t max_text_value = 0xffff;
constexpr std::size_t max_bytes_value = 64 * 1024;
constexpr std::string_view event_signing_context = "brankas-event-sig-v1";

bool valid_key(std::string_view k) {
    if (k.empty() || k.size() > max_field_key) return false;
    for (char c : k)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
    return true;
}

bool valid_action(std::string_view a) { return valid_key(a); }

// `why` is a literal marked with tr_noop, with `values` in it.
std::unexpected<Error> malformed(const char* why, std::vector<std::string> values = {}) {
    return fail_phrase(ErrorCode::verification_failed,
                       i18n::Phrase(i18n::tr_noop("malformed event body: %s"), {i18n::Phrase::with_plain(why, std::move(values))}));
}

} // namespace

EventDetails& EventDetails::text(std::string key, std::string value) {
    fields_.insert_or_assign(std::move(key), std::move(value));
    return *this;
}
EventDetails& EventDetails::integer(std::string key, std::int64_t value) {
    fields_.insert_or_assign(std::move(key), value);
    return *this;
}
EventDetails& EventDetails::bytes(std::string key, Bytes value) {
    fields_.insert_or_assign(std::move(key), std::move(value));
    return *this;
}

std::optional<std::string> EventDetails::get_text(std::string_view key) const {
    auto it = fields_.find(key);
    if (it == fields_.end() || !std::holds_alternative<std::string>(it->second)) return std::nullopt;
    return std::get<std::string>(it->second);
}
std::optional<std::int64_t> EventDetails::get_integer(std::string_view key) const {
    auto it = fields_.find(key);
    if (it == fields_.end() || !std::holds_alternative<std::int64_t>(it->second)) return std::nullopt;
    return std::get<std::int64_t>(it->second);
}
std::optional<Bytes> EventDetails::get_bytes(std::string_view key) const {
    auto it = fields_.find(key);
    if (it == fields_.end() || !std::holds_alternative<Bytes>(it->second)) return std::nullopt;
    return std::get<Bytes>(it->second);
}

Result<Bytes> encode_event(const Event& e) {
    if (!is_valid_principal_name(e.actor)) return fail_phrased(ErrorCode::internal, i18n::tr_noop("event actor is not a valid name"), {});
    if (!valid_action(e.action)) return fail_phrased(ErrorCode::internal, i18n::tr_noop("event action is not a valid name"), {});
    if (e.target.size() > max_target || !is_printable_utf8(e.target))
        return fail_phrased(ErrorCode::internal, i18n::tr_noop("event target is too long or not printable UTF-8"), {});
    if (e.details.fields().size() > max_field_count) return fail_phrased(ErrorCode::internal, i18n::tr_noop("event has too many fields"), {});

    ByteWriter w;
    w.u8(event_body_version).u64(e.seq).i64(e.time_us).str8(e.actor).str8(e.action).str16(e.target);
    w.u16(static_cast<std::uint16_t>(e.details.fields().size()));
    // std::map iterates keys in ascending byte order: the canonical order.
    for (const auto& [key, value] : e.details.fields()) {
        if (!valid_key(key)) return fail_phrased(ErrorCode::internal, i18n::tr_noop("event field key '%s' is not valid"), {std::string(key)});
        w.str8(key);
        if (const auto* t = std::get_if<std::string>(&value)) {
            if (t->size() > max_text_value || !is_printable_utf8(*t))
                return fail_phrased(ErrorCode::internal, i18n::tr_noop("event field '%s' is too long or not printable UTF-8"), {std::string(key)});
            w.u8(static_cast<std::uint8_t>(FieldType::text)).str16(*t);
        } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            w.u8(static_cast<std::uint8_t>(FieldType::integer)).i64(*i);
        } else {
            const auto& b = std::get<Bytes>(value);
            if (b.size() > max_bytes_value) return fail_phrased(ErrorCode::internal, i18n::tr_noop("event field '%s' is too large"),
                                                                {std::string(key)});
            w.u8(static_cast<std::uint8_t>(FieldType::bytes)).bytes32(b);
        }
    }
    if (w.bytes().size() > max_event_body) return fail_phrased(ErrorCode::internal, i18n::tr_noop("event body is too large"), {});
    return std::move(w).take();
}

Result<Event> decode_event(ByteView body) {
    if (body.size() > max_event_body) return malformed(i18n::tr_noop("longer than the maximum"));
    ByteReader r(body);
    auto version = r.u8();
    if (!version) return malformed(i18n::tr_noop("empty"));
    if (*version != event_body_version) return malformed(i18n::tr_noop("unknown version %s"), {std::to_string(*version)});
    Event e;
    auto seq = r.u64();
    auto time = r.i64();
    auto actor = r.str8(max_principal_name);
    auto action = r.str8(max_action);
    auto target = r.str16(max_target);
    auto count = r.u16();
    if (!seq || !time || !actor || !action || !target || !count) return malformed(i18n::tr_noop("truncated header"));
    if (!is_valid_principal_name(*actor)) return malformed(i18n::tr_noop("actor is not a valid name"));
    if (!valid_action(*action)) return malformed(i18n::tr_noop("action is not a valid name"));
    if (!is_printable_utf8(*target)) return malformed(i18n::tr_noop("target is not printable UTF-8"));
    if (*count > max_field_count) return malformed(i18n::tr_noop("too many fields"));
    e.seq = *seq;
    e.time_us = *time;
    e.actor = std::move(*actor);
    e.action = std::move(*action);
    e.target = std::move(*target);

    std::string previous_key;
    for (std::uint16_t i = 0; i < *count; ++i) {
        auto key = r.str8(max_field_key);
        auto type = r.u8();
        if (!key || !type) return malformed(i18n::tr_noop("truncated field"));
        if (!valid_key(*key)) return malformed(i18n::tr_noop("field key is not valid"));
        if (i > 0 && *key <= previous_key) return malformed(i18n::tr_noop("field keys are not in strictly ascending order"));
        switch (static_cast<FieldType>(*type)) {
        case FieldType::text: {
            auto v = r.str16(max_text_value);
            if (!v) return malformed(i18n::tr_noop("truncated text field '%s'"), {*key});
            if (!is_printable_utf8(*v)) return malformed(i18n::tr_noop("text field '%s' is not printable UTF-8"), {*key});
            e.details.text(*key, std::move(*v));
            break;
        }
        case FieldType::integer: {
            auto v = r.i64();
            if (!v) return malformed(i18n::tr_noop("truncated integer field '%s'"), {*key});
            e.details.integer(*key, *v);
            break;
        }
        case FieldType::bytes: {
            ByteView v;
            if (!r.bytes32(max_bytes_value, v)) return malformed(i18n::tr_noop("truncated bytes field '%s'"), {*key});
            e.details.bytes(*key, Bytes(v.begin(), v.end()));
            break;
        }
        default:
            return malformed(i18n::tr_noop("field '%1$s' has unknown type %2$s"), {*key, std::to_string(*type)});
        }
        previous_key = *key;
    }
    if (!r.at_end()) return malformed(i18n::tr_noop("trailing bytes"));
    return e;
}

Hash chain_hash(const Hash& previous, ByteView body) {
    return Hasher().update(previous).update(body).finish();
}

Bytes event_signing_message(const Hash& hash) {
    ByteWriter w;
    w.raw(as_bytes(event_signing_context)).raw(hash);
    return std::move(w).take();
}

} // namespace brankas
