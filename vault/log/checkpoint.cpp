#include "vault/log/checkpoint.hpp"

#include "vault/encoding.hpp"
#include "vault/field_rules.hpp"

#include <charconv>
#include <map>

namespace brankas {

namespace {
constexpr std::string_view signing_context = "brankas-checkpoint-v1";
constexpr std::string_view first_line = "brankas checkpoint v1";

std::unexpected<Error> bad_file(std::string why) {
    return fail(ErrorCode::usage, "the checkpoint file is malformed: " + why);
}
} // namespace

Bytes checkpoint_signing_message(const Checkpoint& c) {
    ByteWriter w;
    w.raw(as_bytes(signing_context)).raw(c.vault_id).u64(c.seq).raw(c.head).i64(c.time_us).str8(c.signer);
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

Result<Checkpoint> parse_checkpoint(std::string_view text) {
    if (text.size() > max_checkpoint_file) return bad_file("it is larger than any checkpoint");
    std::map<std::string, std::string, std::less<>> fields;
    bool first = true;
    std::size_t line_no = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (first) {
            if (line != first_line) return bad_file("line 1 is not '" + std::string(first_line) + "'");
            first = false;
            continue;
        }
        if (line.empty()) continue;
        auto colon = line.find(": ");
        if (colon == std::string_view::npos) return bad_file("line " + std::to_string(line_no) + " is not 'name: value'");
        std::string key(line.substr(0, colon));
        if (fields.contains(key)) return bad_file("'" + key + "' appears twice");
        fields.emplace(std::move(key), std::string(line.substr(colon + 2)));
    }
    if (first) return bad_file("it is empty");
    for (const char* k : {"vault", "sequence", "head", "time-us", "signer", "signer-key", "signature"})
        if (!fields.contains(k)) return bad_file(std::string("'") + k + "' is missing");
    if (fields.size() != 7) return bad_file("it has unknown lines");

    Checkpoint c;
    auto number = [](const std::string& s, auto& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc() && p == s.data() + s.size() && !s.empty();
    };
    if (!from_hex(fields["vault"], c.vault_id)) return bad_file("'vault' is not 32 hex digits");
    if (!number(fields["sequence"], c.seq) || c.seq == 0) return bad_file("'sequence' is not a positive number");
    if (!from_hex(fields["head"], c.head)) return bad_file("'head' is not 64 hex digits");
    if (!number(fields["time-us"], c.time_us)) return bad_file("'time-us' is not a number");
    c.signer = fields["signer"];
    if (!is_valid_principal_name(c.signer)) return bad_file("'signer' is not a user name");
    if (!from_hex(fields["signer-key"], c.signer_key)) return bad_file("'signer-key' is not 64 hex digits");
    if (!from_hex(fields["signature"], c.signature)) return bad_file("'signature' is not 128 hex digits");
    return c;
}

} // namespace brankas
