#include "vault/handover/handover_events.hpp"

#include "vault/crypto/primitives.hpp"
#include "vault/field_rules.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Result<std::int64_t> handover_of_target(const Event& e) {
    auto id = parse_handover_target(e.target);
    if (!id) return event_refused(e, i18n::tr_noop("does not name a handover"));
    return *id;
}

// "ani,budi" -> the names; "" -> none. Each a valid name, in ascending order (so none twice).
Result<std::vector<std::string>> read_name_list(EventFields& f, std::string_view key) {
    std::string text = BRANKAS_TRY(f.text(key));
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        out.push_back(text.substr(start, comma - start));
        if (!is_valid_principal_name(out.back()) || (out.size() > 1 && out[out.size() - 2] >= out.back()) || comma + 1 == text.size())
            return f.refuse(i18n::tr_noop("has a malformed '%s' list"), {std::string(key)});
        start = comma + 1;
    }
    return out;
}

std::string name_list_text(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) out += (out.empty() ? "" : ",") + name;
    return out;
}

Event step_event(std::string_view action, const HandoverStepFields& step) {
    Event e;
    e.action = std::string(action);
    e.target = handover_target(step.id);
    e.details.bytes("accounts_digest", Bytes(step.accounts_digest.begin(), step.accounts_digest.end())).text("unit", step.unit);
    return e;
}

Result<HandoverStepFields> read_step(const Event& e, EventFields& f) {
    HandoverStepFields step;
    step.id = BRANKAS_TRY(handover_of_target(e));
    step.accounts_digest = BRANKAS_TRY(f.array<hash_size>("accounts_digest"));
    step.unit = BRANKAS_TRY(f.text("unit"));
    return step;
}

template <class Step>
Result<Step> decode_step(const Event& e) {
    EventFields f(e);
    Step step;
    static_cast<HandoverStepFields&>(step) = BRANKAS_TRY(read_step(e, f));
    BRANKAS_TRY(f.finish());
    return step;
}

} // namespace

Hash HandoverStarted::accounts_digest() const { return blake2b_256(encode_handed_over(accounts)); }

Event HandoverStarted::encode() const {
    Event e;
    e.action = std::string(actions::handover_start);
    e.target = handover_target(id);
    e.details.text("unit", unit)
        .text("receiver", receiver)
        .text("outgoing", name_list_text(outgoing))
        .text("note", note)
        .bytes("accounts", encode_handed_over(accounts));
    if (witness) e.details.text("witness", *witness);
    if (release_asked) e.details.integer("release", 1);
    return e;
}

Result<HandoverStarted> HandoverStarted::decode(const Event& e) {
    EventFields f(e);
    HandoverStarted h;
    h.id = BRANKAS_TRY(handover_of_target(e));
    h.unit = BRANKAS_TRY(f.text("unit"));
    h.receiver = BRANKAS_TRY(f.text("receiver"));
    h.note = BRANKAS_TRY(f.text("note"));
    h.outgoing = BRANKAS_TRY(read_name_list(f, "outgoing"));
    // One encoding per list (ascending accounts, counted length), so encode() gives these bytes back.
    auto accounts = decode_handed_over(BRANKAS_TRY(f.bytes("accounts")));
    if (!accounts) return f.refuse(i18n::tr_noop("has a malformed list of accounts"));
    h.accounts = std::move(*accounts);
    h.witness = BRANKAS_TRY(f.optional_text("witness"));
    // Present only as 1: one encoding for a start that asks for the release.
    auto release = BRANKAS_TRY(f.optional_integer("release"));
    if (release && *release != 1) return f.refuse(i18n::tr_noop("has a 'release' field that is not 1"));
    h.release_asked = release.has_value();
    BRANKAS_TRY(f.finish());
    return h;
}

Event HandoverAccepted::encode() const { return step_event(actions::handover_accept, *this); }
Result<HandoverAccepted> HandoverAccepted::decode(const Event& e) { return decode_step<HandoverAccepted>(e); }

Event HandoverWitnessed::encode() const { return step_event(actions::handover_witness, *this); }
Result<HandoverWitnessed> HandoverWitnessed::decode(const Event& e) { return decode_step<HandoverWitnessed>(e); }

Event HandoverCompleted::encode() const { return step_event(actions::handover_complete, *this); }
Result<HandoverCompleted> HandoverCompleted::decode(const Event& e) { return decode_step<HandoverCompleted>(e); }

Event HandoverReleased::encode() const { return step_event(actions::handover_release, *this); }
Result<HandoverReleased> HandoverReleased::decode(const Event& e) { return decode_step<HandoverReleased>(e); }

Event HandoverCancelled::encode() const {
    Event e = step_event(actions::handover_cancel, *this);
    e.details.text("reason", reason);
    return e;
}

Result<HandoverCancelled> HandoverCancelled::decode(const Event& e) {
    EventFields f(e);
    HandoverCancelled c;
    static_cast<HandoverStepFields&>(c) = BRANKAS_TRY(read_step(e, f));
    c.reason = BRANKAS_TRY(f.text("reason"));
    BRANKAS_TRY(f.finish());
    return c;
}

HandoverStepFields step_fields(const HandoverRow& row) { return {row.id, row.accounts_digest, row.unit}; }

} // namespace brankas
