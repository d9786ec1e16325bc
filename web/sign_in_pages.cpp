// Signing in and out. Sign-in derives the person's keys exactly as the command line does
// (Vault::open: the same slot, the same Argon2id cost), at most two at once; the unlocked
// Session stays on the server, named by a random cookie. Failed sign-ins slow the next try
// down and are written to the server's log (never the passphrase).
#include "faces/error_text.hpp"
#include "vault/crypto/primitives.hpp"
#include "vault/vault.hpp"
#include "web/site.hpp"
#include "web/tokens.hpp"
#include "web/vault_calls.hpp"

#include <array>

namespace brankas::web {

namespace {

constexpr std::size_t max_sign_in_name = 64;

struct SignInForm {
    std::string name, next;
    std::optional<std::string> problem; // translated, shown above the form
    int status = 200;
};

Result<Reply> sign_in_page(Site& site, Visit& visit, const SignInForm& form) {
    static constexpr Words words[] = {
        {"T_HEADING", tr_noop("Sign in to the vault")},
        {"T_NAME", tr_noop("Name")},
        {"T_PASSPHRASE", tr_noop("Passphrase")},
        {"T_SUBMIT", tr_noop("Sign in")},
        {"T_HINT", tr_noop("Your passphrase is the one you chose when you enrolled. Nobody else knows it.")},
        {"T_ENROLL", tr_noop("New here, with an enrollment code? Enroll")},
    };
    // The form's token: the one its cookie holds already (another tab's form stays good), else new.
    std::string sent = visit.cookie(form_cookie_name(site));
    std::string token = sent.size() == token_chars ? sent : new_token();
    Page page(visit.t, "sign_in");
    page.words(words);
    page.body().SetValue("CSRF", token);
    page.body().SetValue("NAME", form.name);
    page.body().SetValue("NEXT", form.next);
    if (form.problem) page.body().SetValueAndShowSection("PROBLEM", *form.problem, "HAS_PROBLEM");
    Frame frame = visit.frame(visit.t.tr(tr_noop("Sign in")));
    std::string ended = visit.query("ended");
    if (ended == "store")
        frame.notice = std::string(visit.t.tr(tr_noop("The vault's key was changed by an admin. Sign in again.")));
    else if (ended == "access")
        frame.notice = std::string(visit.t.tr(tr_noop("Your session ended: an admin disabled your user or replaced its keys.")));
    else if (!ended.empty())
        frame.notice = std::string(visit.t.tr(tr_noop("Your session ended. Sign in again.")));
    else if (!visit.query("bye").empty())
        frame.notice = std::string(visit.t.tr(tr_noop("You signed out. The keys this session unlocked are wiped.")));
    Reply reply = Reply::page(BRANKAS_TRY(page.render(frame)), form.status);
    reply.cookies.push_back(cookie(site, form_cookie_name(site), token));
    return reply;
}

Result<Reply> show_sign_in(Site& site, Visit& visit) {
    return sign_in_page(site, visit, {{}, local_path(visit.query("next")), std::nullopt, 200});
}

Result<Reply> sign_in(Site& site, Visit& visit) {
    SignInForm again{visit.form->text("name").value_or(""), local_path(visit.form->text("next").value_or("/accounts")), std::nullopt, 200};
    std::optional<SecretBytes> passphrase = visit.form->secret("passphrase");
    if (again.name.empty() || again.name.size() > max_sign_in_name || !passphrase || passphrase->empty()) {
        again.problem = std::string(visit.t.tr(tr_noop("Enter your name and your passphrase.")));
        again.status = 400;
        return sign_in_page(site, visit, again);
    }
    std::string who = "'" + for_log(again.name) + "' from " + for_log(visit.address);
    // Counted as a failure before the derivation, and taken back once it proves right (or tested
    // nothing): tries sent at once are limited as tries sent one after another.
    if (std::int64_t wait = site.limiter.reserve(again.name, visit.address); wait > 0) {
        site.log("sign-in refused for " + who + ": too many failures, " + std::to_string((wait + 999'999) / 1'000'000) + " s to wait");
        again.problem = fill(visit.t.tr(tr_noop("Too many failed sign-ins. Try again in %s seconds.")),
                             {std::to_string((wait + 999'999) / 1'000'000)});
        again.status = 429;
        return sign_in_page(site, visit, again);
    }
    Result<Session> opened = [&]() -> Result<Session> {
        DerivationGate::Turn turn(site.derivations);
        Result<Session> s = Vault::open(site.options().vault, again.name, [&]() -> Result<SecretBytes> { return std::move(*passphrase); },
                                        site.clock());
        // As long as a wrong passphrase would have taken, so the answer's timing does not tell a
        // name that exists (not enrolled yet, a key file's) from one that does not, nor from a
        // wrong passphrase (the page says the same for all of them): a derivation at the cost most
        // people's slots have.
        if (!s && refuses_the_name(s.error()) && s.error().code != ErrorCode::wrong_passphrase)
            derive_for_nothing(site.options().vault, SlotKind::passphrase, KdfProfile::moderate);
        return s;
    }();
    if (!opened) {
        const Error& e = opened.error();
        bool wrong = refuses_the_name(e);
        if (wrong) site.limiter.wrong(again.name, visit.address);
        else site.limiter.take_back(again.name, visit.address); // not a wrong name or passphrase
        // The server's log says which (for whoever reads it); the page does not.
        site.log("sign-in refused for " + who + ": " +
                 (e.code == ErrorCode::no_such_user ? std::string("no such user")
                  : e.code == ErrorCode::wrong_passphrase ? std::string("wrong passphrase")
                                                          : for_log(e.message, log_sentence_limit)));
        again.problem = wrong ? std::string(visit.t.tr(tr_noop("Wrong name or passphrase.")))
                              : faces::error_text(e, [&](const char* id) { return visit.t.tr(id); }).message;
        again.status = wrong ? 401 : 503;
        return sign_in_page(site, visit, again);
    }
    site.limiter.succeeded(again.name, visit.address);
    policy::Policy policy = BRANKAS_TRY(policy_in_force(*opened));
    // The session this browser had (an earlier one, or another person's) ends here: its keys do
    // not wait in memory for its idle timeout.
    site.sessions.close(visit.session_cookie);
    site.report_slots(*opened);
    std::string session = site.sessions.open(std::move(*opened), {policy.web_idle_timeout_us, policy.web_session_lifetime_us});
    site.log("signed in " + who);
    Reply reply = Reply::redirect(again.next);
    reply.cookies.push_back(cookie(site, session_cookie_name(site), session));
    reply.cookies.push_back(cookie(site, form_cookie_name(site), "", 0));
    return reply;
}

Result<Reply> sign_out(Site& site, Visit& visit) {
    site.log("signed out '" + for_log(visit.person->vault.user()) + "' from " + for_log(visit.address));
    site.sessions.close(visit.session_cookie); // the Session, and its keys, go when this request is done
    Reply reply = Reply::redirect("/sign-in?bye=1");
    reply.cookies.push_back(cookie(site, session_cookie_name(site), "", 0));
    return reply;
}

Result<Reply> home(Site&, Visit&) { return Reply::redirect("/accounts"); }

} // namespace

std::span<const Route> sign_in_routes() {
    static constexpr std::array routes{
        Route{Method::get, "/", Who::anyone, &home},
        Route{Method::get, "/sign-in", Who::anyone, &show_sign_in},
        Route{Method::post, "/sign-in", Who::anyone, &sign_in},
        Route{Method::post, "/sign-out", Who::signed_in, &sign_out},
    };
    return routes;
}

} // namespace brankas::web
