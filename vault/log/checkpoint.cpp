#include "vault/log/checkpoint.hpp"

#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"

#include <charconv>
#include <span>

namespace brankas {

namespace {
constexpr std::string_view checkpoint_context = "brankas-checkpoint-v1";
constexpr std::string_view first_line = "brankas checkpoint v1";

// `why` is a literal marked with tr_noop, with `values` in it.
std::unexpected<Error> bad_file(const char* why, std::vector<std::string> values = {}) {
    return fail_phrase(ErrorCode::usage,
                       i18n::Phrase(i18n::tr_noop("the checkpoint file is malformed: %s"), {i18n::Phrase::with_plain(why, std::move(values))}));
}
} // namespace

Bytes checkpoint_signing_message(const Checkpoint& c) {
    ByteWriter w;
    w.raw(as_bytes(checkpoint_context)).raw(c.vault_id).u64(c.seq).raw(c.head).i64(c.time_us).str8(c.signer);
    return std::move(w).take();
}

Checkpoint sign_checkpoint(Checkpoint c, const SigningKey& key) {
    c.signer_key = key.public_key();
    c.signature = key.sign(checkpoint_signing_message(c));
    return c;
}

bool checkpoint_signature_valid(const Checkpoint& c) {
    return verify_signature(c.signer_key, checkpoint_signing_message(c), c.signature);
}

std::string format_checkpoint(const Checkpoint& c) {
    std::string out;
    out += first_line;
    out += "\nvault: " + to_hex(c.vault_id);
    out += "\nsequence: " + std::to_string(c.seq);
    out += "\nhead: " + to_hex(c.head);
    out += "\ntime-us: " + std::to_string(c.time_us);
    out += "\nsigner: " + c.signer;
    out += "\nsigner-key: " + to_hex(c.signer_key);
    out += "\nsignature: " + to_hex(c.signature);
    out += "\n";
    return out;
}

namespace {

// One line "name: value\n" of the file, taken off the front of `text`.
Result<std::string_view> take_line(std::string_view& text, std::string_view name) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) return bad_file(i18n::tr_noop("the line '%s' is missing or lacks its line feed"), {std::string(name)});
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    if (!line.starts_with(name) || line.substr(name.size()).substr(0, 2) != ": ")
        return bad_file(i18n::tr_noop("'%s: ' is not where it belongs (the lines come in one order)"), {std::string(name)});
    return line.substr(name.size() + 2);
}

// Lower-case hex of exactly out.size() bytes: upper case is another spelling of the same
// bytes, and the file has one spelling.
bool lower_hex(std::string_view s, std::span<std::uint8_t> out) {
    if (s.size() != 2 * out.size()) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return from_hex(s, out);
}

// "0", or a digit 1-9 followed by digits: no sign, no leading zero.
template <class Number>
bool canonical_decimal(std::string_view s, Number& out) {
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

Result<Checkpoint> parse_checkpoint(std::string_view text) {
    // One form per checkpoint (docs/formats.md "Checkpoint"): eight lines in their order, each
    // ending in '\n', nothing else. Two readers then never disagree about a file.
    if (text.size() > max_checkpoint_file) return bad_file(i18n::tr_noop("it is larger than any checkpoint"));
    if (text.empty()) return bad_file(i18n::tr_noop("it is empty"));
    if (text.find('\r') != std::string_view::npos) return bad_file(i18n::tr_noop("it has a carriage return (its lines must end in a line feed alone)"));
    std::string header = std::string(first_line) + "\n";
    if (!text.starts_with(header)) return bad_file(i18n::tr_noop("line 1 is not '%s'"), {std::string(first_line)});
    text.remove_prefix(header.size());

    Checkpoint c;
    std::string_view vault = BRANKAS_TRY(take_line(text, "vault"));
    std::string_view sequence = BRANKAS_TRY(take_line(text, "sequence"));
    std::string_view head = BRANKAS_TRY(take_line(text, "head"));
    std::string_view time = BRANKAS_TRY(take_line(text, "time-us"));
    std::string_view signer = BRANKAS_TRY(take_line(text, "signer"));
    std::string_view signer_key = BRANKAS_TRY(take_line(text, "signer-key"));
    std::string_view signature = BRANKAS_TRY(take_line(text, "signature"));
    if (!text.empty()) return bad_file(i18n::tr_noop("a line follows the signature (a line repeated, unknown or blank)"));

    if (!lower_hex(vault, c.vault_id)) return bad_file(i18n::tr_noop("'vault' is not 32 lower-case hex digits"));
    if (!canonical_decimal(sequence, c.seq) || c.seq == 0)
        return bad_file(i18n::tr_noop("'sequence' is not a positive number written without sign or leading zero"));
    if (!lower_hex(head, c.head)) return bad_file(i18n::tr_noop("'head' is not 64 lower-case hex digits"));
    if (!canonical_decimal(time, c.time_us)) return bad_file(i18n::tr_noop("'time-us' is not a number written without sign or leading zero"));
    c.signer = std::string(signer);
    if (!is_valid_principal_name(c.signer)) return bad_file(i18n::tr_noop("'signer' is not a user name"));
    if (!lower_hex(signer_key, c.signer_key)) return bad_file(i18n::tr_noop("'signer-key' is not 64 lower-case hex digits"));
    if (!lower_hex(signature, c.signature)) return bad_file(i18n::tr_noop("'signature' is not 128 lower-case hex digits"));
    return c;
}

} // namespace brankas
