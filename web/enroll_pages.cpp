// The pages for everyone: enrolling with the one-time code an admin handed over (the person
// chooses their own passphrase, checked by the vault as at the command line: length, and not a
// common password), and changing one's passphrase. Both derive a new slot key at the command
// line's default cost, through the same turns as sign-in (at most two derivations at once).
#include "faces/error_text.hpp"
#include "vault/people/enrollment_code.hpp"
#include "vault/vault.hpp"
#include "web/site.hpp"
#include "web/tokens.hpp"
#include "web/vault_calls.hpp"

#include <array>

namespace brankas::web {

namespace {

constexpr std::size_t max_enrolled_name = 64;
constexpr std::size_t max_code = 100;

constexpr Words passphrase_words[] = {
    {"T_NEW", tr_noop("New passphrase")},
    {"T_REPEAT", tr_noop("The new passphrase again")},
    {"T_RULES", tr_noop("At least 15 characters; a few unrelated words are easy to remember and hard to guess. "
                        "Common passwords are refused.")},
};

struct PassphraseForm {
    std::string name;
    std::optional<std::string> problem; // translated
    int status = 200;
};

// The new passphrase, typed twice alike; nullopt (and the problem said) otherwise.
std::optional<SecretBytes> new_passphrase(const Visit& visit, PassphraseForm& again) {
    std::optional<SecretBytes> first = visit.form->secret("passphrase");
    std::optional<SecretBytes> second = visit.form->secret("repeat");
    if (!first || first->empty()) {
        again.problem = std::string(visit.t.tr(tr_noop("Choose a passphrase.")));
    } else if (!second || !first->equals(ByteView(second->data(), second->size()))) {
        again.problem = std::string(visit.t.tr(tr_noop("The two passphrases differ. Type the same one twice.")));
    } else {
        return first;
    }
    again.status = 400;
    return std::nullopt;
}

// What the vault's refusal of a new passphrase means for the person (its own sentence, which
// names the rule, follows in the page's problem line).
std::string refusal(const Visit& visit, const Error& e) {
    if (e.code == ErrorCode::weak_passphrase)
        return fill(visit.t.tr(tr_noop("The vault refused this passphrase: %s")), {faces::error_text(e, [&](const char* id) { return visit.t.tr(id); }).message});
    return faces::error_text(e, [&](const char* id) { return visit.t.tr(id); }).message;
}

Result<Reply> enroll_page(Site& site, Visit& visit, const PassphraseForm& form) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Enroll")},
        {"T_INTRO", tr_noop("Your admin gave you a one-time enrollment code. With it you choose your own passphrase, "
                            "which nobody else will know.")},
        {"T_NAME", tr_noop("Name")},
        {"T_CODE", tr_noop("Enrollment code")},
        {"T_SUBMIT", tr_noop("Enroll and sign in")},
    };
    std::string sent = visit.cookie(form_cookie_name(site));
    std::string token = sent.size() == token_chars ? sent : new_token();
    Page page(visit.t, "enroll");
    page.words(words);
    page.words(passphrase_words);
    page.body().SetValue("ACTION", "/enroll");
    page.body().SetValue("CSRF", token);
    page.body().AddSectionDictionary("ENROLL")->SetValue("NAME", form.name);
    if (form.problem) page.body().SetValueAndShowSection("PROBLEM", *form.problem, "HAS_PROBLEM");
    Reply reply = Reply::page(BRANKAS_TRY(page.render(visit.frame(visit.t.tr(tr_noop("Enroll"))))), form.status);
    reply.cookies.push_back(cookie(site, form_cookie_name(site), token));
    return reply;
}

Result<Reply> show_enroll(Site& site, Visit& visit) { return enroll_page(site, visit, {}); }

Result<Reply> enroll_now(Site& site, Visit& visit) {
    PassphraseForm again{visit.form->text("name").value_or(""), std::nullopt, 200};
    std::optional<SecretBytes> code = visit.form->secret("code");
    if (again.name.empty() || again.name.size() > max_enrolled_name || !code || code->empty() || code->size() > max_code) {
        again.problem = std::string(visit.t.tr(tr_noop("Enter your name and your enrollment code.")));
        again.status = 400;
        return enroll_page(site, visit, again);
    }
    std::optional<SecretBytes> passphrase = new_passphrase(visit, again);
    if (!passphrase) return enroll_page(site, visit, again);
    // What is no code at all is said for every name alike, before any name is looked up.
    if (auto typed = normalized_code(code->text()); !typed) {
        again.problem = refusal(visit, typed.error());
        again.status = 400;
        return enroll_page(site, visit, again);
    }
    std::string who = "'" + for_log(again.name) + "' from " + for_log(visit.address);
    // A code is guessed the way a passphrase is: the same back-off, counted before the derivation.
    if (std::int64_t wait = site.limiter.reserve(again.name, visit.address); wait > 0) {
        site.log("enrollment refused for " + who + ": too many failures");
        again.problem = fill(visit.t.tr(tr_noop("Too many failed sign-ins. Try again in %s seconds.")),
                             {std::to_string((wait + 999'999) / 1'000'000)});
        again.status = 429;
        return enroll_page(site, visit, again);
    }
    Result<Session> enrolled = [&]() -> Result<Session> {
        DerivationGate::Turn turn(site.derivations);
        Result<Session> s = enroll(site.options().vault, again.name, code->text(),
                                   [&]() -> Result<SecretBytes> { return std::move(*passphrase); }, site.clock());
        // Until the code is proven, a visitor learns nothing of the name: an unknown one, one
        // enrolled already and one whose code expired are refused as a wrong code is, as slowly
        // (an enrollment slot has the cost `user add` gives it).
        if (!s && refuses_the_name(s.error()) && s.error().code != ErrorCode::wrong_passphrase)
            derive_for_nothing(site.options().vault, SlotKind::enrollment, KdfProfile::interactive);
        return s;
    }();
    if (!enrolled) {
        const Error& e = enrolled.error();
        bool wrong = refuses_the_name(e);
        if (wrong) site.limiter.wrong(again.name, visit.address);
        else site.limiter.take_back(again.name, visit.address); // no guess failed
        site.log("enrollment refused for " + who + ": " + (wrong ? std::string("wrong name or code") + " (" + for_log(e.message, log_sentence_limit) + ")" : for_log(e.message, log_sentence_limit)));
        again.problem = wrong ? std::string(visit.t.tr(tr_noop("Wrong name or enrollment code, or the code has expired.")))
                              : refusal(visit, e);
        again.status = wrong ? 401 : 400;
        return enroll_page(site, visit, again);
    }
    site.limiter.succeeded(again.name, visit.address);
    policy::Policy policy = BRANKAS_TRY(policy_in_force(*enrolled));
    site.sessions.close(visit.session_cookie); // the session this browser had ends, as at sign-in
    site.report_slots(*enrolled);
    std::string session = site.sessions.open(std::move(*enrolled), {policy.web_idle_timeout_us, policy.web_session_lifetime_us});
    site.log("enrolled and signed in " + who);
    Reply reply = Reply::redirect("/accounts?done=enrolled");
    reply.cookies.push_back(cookie(site, session_cookie_name(site), session));
    reply.cookies.push_back(cookie(site, form_cookie_name(site), "", 0));
    return reply;
}

Result<Reply> passphrase_page(Visit& visit, const PassphraseForm& form, std::optional<std::string> notice = std::nullopt) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Change your passphrase")},
        {"T_INTRO", tr_noop("Your old passphrase opens nothing once the new one is set. Other people's passphrases do not change.")},
        {"T_CURRENT", tr_noop("Current passphrase")},
        {"T_SUBMIT", tr_noop("Change the passphrase")},
    };
    Page page(visit.t, "enroll");
    page.words(words);
    page.words(passphrase_words);
    page.body().SetValue("ACTION", "/passphrase");
    page.body().SetValue("CSRF", visit.person->csrf);
    page.body().ShowSection("CURRENT");
    if (form.problem) page.body().SetValueAndShowSection("PROBLEM", *form.problem, "HAS_PROBLEM");
    Frame frame = visit.frame(visit.t.tr(tr_noop("Passphrase")));
    frame.notice = std::move(notice);
    return Reply::page(BRANKAS_TRY(page.render(frame)), form.status);
}

Result<Reply> show_passphrase(Site&, Visit& visit) {
    std::optional<std::string> notice;
    if (visit.query("done") == "1") notice = std::string(visit.t.tr(tr_noop("Your passphrase is changed.")));
    return passphrase_page(visit, {}, std::move(notice));
}

Result<Reply> change(Site& site, Visit& visit) {
    Session& vault = visit.person->vault;
    PassphraseForm again;
    std::optional<SecretBytes> current = visit.form->secret("current");
    std::string who = "'" + for_log(vault.user()) + "' from " + for_log(visit.address);
    std::optional<SecretBytes> fresh = new_passphrase(visit, again);
    if (!fresh) return passphrase_page(visit, again);
    // Counted before the current passphrase is checked, as at sign-in.
    if (std::int64_t wait = site.limiter.reserve(vault.user(), visit.address); wait > 0) {
        again.problem = fill(visit.t.tr(tr_noop("Too many failed sign-ins. Try again in %s seconds.")),
                             {std::to_string((wait + 999'999) / 1'000'000)});
        again.status = 429;
        return passphrase_page(visit, again);
    }
    // Whoever sits at a browser left signed in must still know the passphrase to replace it:
    // the current one is checked as a sign-in checks it (the same slot, the same cost).
    Status changed = [&]() -> Status {
        DerivationGate::Turn turn(site.derivations);
        if (!current || current->empty()) return fail(ErrorCode::wrong_passphrase, "no current passphrase");
        BRANKAS_TRY(Vault::open(site.options().vault, vault.user(), [&]() -> Result<SecretBytes> { return std::move(*current); },
                                site.clock()));
        return change_passphrase(vault, [&]() -> Result<SecretBytes> { return std::move(*fresh); });
    }();
    if (!changed) {
        const Error& e = changed.error();
        bool wrong = e.code == ErrorCode::wrong_passphrase;
        if (wrong) site.limiter.wrong(vault.user(), visit.address);
        else site.limiter.take_back(vault.user(), visit.address);
        if (e.code == ErrorCode::store_corrupt) return std::unexpected(e); // a re-keyed store ends the session
        site.log("passphrase change refused for " + who + ": " + (wrong ? std::string("wrong current passphrase") : for_log(e.message, log_sentence_limit)));
        again.problem = wrong ? std::string(visit.t.tr(tr_noop("The current passphrase is wrong."))) : refusal(visit, e);
        again.status = wrong ? 401 : 400;
        return passphrase_page(visit, again);
    }
    site.limiter.succeeded(vault.user(), visit.address);
    // Whoever is signed in elsewhere with the old passphrase (the usual reason to change it) is out.
    const std::size_t ended = site.sessions.close_others(vault.user(), visit.session_cookie);
    site.log("passphrase changed by " + who + (ended ? "; " + std::to_string(ended) + " other session(s) ended" : std::string()));
    return Reply::redirect("/passphrase?done=1");
}

} // namespace

std::span<const Route> enroll_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/enroll", Who::anyone, &show_enroll},
        Route{Method::post, "/enroll", Who::anyone, &enroll_now},
        Route{Method::get, "/passphrase", Who::signed_in, &show_passphrase},
        Route{Method::post, "/passphrase", Who::signed_in, &change},
    };
    return routes;
}

} // namespace brankas::web
