#include "vault/terms/term_events.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

namespace {

Event on_term(std::string_view action, const std::string& name) {
    Event e;
    e.action = std::string(action);
    e.target = name;
    return e;
}

std::string unit_list_text(const std::vector<std::string>& units) {
    std::string out;
    for (const auto& code : units) out += (out.empty() ? "" : ",") + code;
    return out;
}

// "35.02.01,35.02.02" -> the codes; "" -> none. An empty code (",," or a ',' at either end) is
// malformed; whether each names a unit, once, is the rule's to say (terms.hpp).
Result<std::vector<std::string>> read_unit_list(EventFields& f) {
    std::string text = BRANKAS_TRY(f.text("units"));
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        if (comma == start || comma + 1 == text.size()) return f.refuse(i18n::tr_noop("has a malformed unit list"));
        out.push_back(text.substr(start, comma - start));
        start = comma + 1;
    }
    return out;
}

} // namespace

Event TermAdded::encode() const {
    Event e = on_term(actions::term_add, name);
    e.details.integer("start_us", start_us).integer("end_us", end_us).text("units", unit_list_text(units));
    return e;
}

Result<TermAdded> TermAdded::decode(const Event& e) {
    EventFields f(e);
    TermAdded t;
    t.name = e.target;
    t.start_us = BRANKAS_TRY(f.integer("start_us"));
    t.end_us = BRANKAS_TRY(f.integer("end_us"));
    t.units = BRANKAS_TRY(read_unit_list(f));
    BRANKAS_TRY(f.finish());
    return t;
}

Event TermExtended::encode() const {
    Event e = on_term(actions::term_extend, name);
    e.details.integer("end_us", end_us).text("units", unit_list_text(units));
    return e;
}

Result<TermExtended> TermExtended::decode(const Event& e) {
    EventFields f(e);
    TermExtended t;
    t.name = e.target;
    t.end_us = BRANKAS_TRY(f.integer("end_us"));
    t.units = BRANKAS_TRY(read_unit_list(f));
    BRANKAS_TRY(f.finish());
    return t;
}

Event TermEnded::encode() const {
    Event e = on_term(actions::term_end, name);
    e.details.text("units", unit_list_text(units));
    if (reason) e.details.text("reason", *reason);
    return e;
}

Result<TermEnded> TermEnded::decode(const Event& e) {
    EventFields f(e);
    TermEnded t;
    t.name = e.target;
    t.units = BRANKAS_TRY(read_unit_list(f));
    t.reason = BRANKAS_TRY(f.optional_text("reason"));
    BRANKAS_TRY(f.finish());
    return t;
}

} // namespace brankas
