// What every page of the browser face shares, and the one place requests pass through on their
// way to a page: security headers, the language, the signed-in person, the form and its CSRF
// token, and what a vault error becomes for a browser. A page is a handler in a route table
// (sign_in_pages.cpp, account_pages.cpp): adding one is a template, a handler and a table row.
#pragma once

#include "vault/clock.hpp"
#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "web/derivation_gate.hpp"
#include "web/form.hpp"
#include "web/listen_address.hpp"
#include "web/render.hpp"
#include "web/session_table.hpp"
#include "web/sign_in_limiter.hpp"
#include "web/translate.hpp"

#include <filesystem>
#include <atomic>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace httplib {
struct Request;
class Server;
} // namespace httplib

namespace brankas::web {

struct SiteOptions {
    std::filesystem::path vault;
    Transport transport = Transport::plain;
    // A reverse proxy on this machine terminates TLS and forwards here: cookies are marked
    // Secure, and the person's address is the last one the proxy put in X-Forwarded-For.
    bool behind_proxy = false;
};

// The server's state: who is signed in, who failed to, and the turns for key derivations.
class Site {
public:
    Site(SiteOptions options, const Clock& clock, std::ostream& log)
        : sessions(clock), limiter(clock), options_(std::move(options)), clock_(clock), log_(log) {}

    SessionTable sessions;
    SignInLimiter limiter;
    DerivationGate derivations;

    [[nodiscard]] const SiteOptions& options() const noexcept { return options_; }
    [[nodiscard]] const Clock& clock() const noexcept { return clock_; }
    // Cookies cross only TLS (directly, or from the proxy on): then they are marked Secure.
    [[nodiscard]] bool secure() const noexcept { return options_.transport == Transport::tls || options_.behind_proxy; }
    // One line of the server's own log (stderr: the journal, under systemd). Never a secret.
    void log(std::string_view line);
    // Once, with the first session the server holds: each keyring slot that `brankas status`
    // would call damaged or missing, a line of the log in status's words. The server unlocks
    // nothing by itself, so this is the first moment it can read the log the slots are compared
    // with; until then only a refused sign-in of that very person would tell. Nobody is refused
    // for it: the other people sign in as before.
    void report_slots(Session& session);

private:
    SiteOptions options_;
    const Clock& clock_;
    std::mutex log_mutex_;
    std::ostream& log_;
    std::atomic<bool> slots_reported_{false};
};

// One request, as a page handler sees it.
struct Visit {
    const httplib::Request& request;
    Translator t;
    std::string path;              // as requested, without the query
    std::string address;           // the person's
    std::string session_cookie;    // as sent (empty: none)
    Lease person;                  // on pages for the signed-in
    std::optional<Form> form;      // on POST, its token already checked
    std::string form_page;         // on POST, the page the form stands on (empty: none of its own)

    // The n-th group of the route's pattern (the account's number in /accounts/(\d+)).
    [[nodiscard]] std::string match(std::size_t n) const;
    // A cookie the browser sent, or empty.
    [[nodiscard]] std::string cookie(std::string_view name) const;
    // A query parameter, or empty.
    [[nodiscard]] std::string query(std::string_view name) const;
    // The frame of a page: the title (translated), and who is signed in.
    [[nodiscard]] Frame frame(std::string_view title) const;
};

// What a handler answers.
struct Reply {
    int status = 200;
    std::string location;             // set: a 303 redirect to this path
    std::optional<SecretBytes> html;  // the page, rendered into secure memory
    std::vector<std::string> cookies; // Set-Cookie values
    std::string content_security_policy; // set: replaces the site's policy for this one page

    std::optional<std::string> download; // a file to save (no secret in it): its bytes,
    std::string file_type, file_name; // its media type and the name a browser saves it under

    [[nodiscard]] static Reply page(SecretBytes html, int status = 200);
    [[nodiscard]] static Reply file(std::string bytes, std::string type, std::string name);
    [[nodiscard]] static Reply redirect(std::string to);
};

enum class Method { get, post };
enum class Who { anyone, signed_in };
using Handler = Result<Reply> (*)(Site& site, Visit& visit);

struct Route {
    Method method;
    const char* pattern; // a regular expression over the path
    Who who;
    Handler handler;
};

// The route tables of the page modules.
// The HTTP status of the page that shows an error of this kind (403, 404, 409, 400, 503, else 500).
[[nodiscard]] int http_status(ErrorCode code);

[[nodiscard]] std::span<const Route> sign_in_routes();
[[nodiscard]] std::span<const Route> account_routes();
[[nodiscard]] std::span<const Route> admin_status_routes();
[[nodiscard]] std::span<const Route> admin_account_routes();
[[nodiscard]] std::span<const Route> admin_people_routes();
[[nodiscard]] std::span<const Route> admin_term_routes();
[[nodiscard]] std::span<const Route> admin_policy_routes();
[[nodiscard]] std::span<const Route> admin_handover_routes();
[[nodiscard]] std::span<const Route> audit_routes();
[[nodiscard]] std::span<const Route> enroll_routes();
[[nodiscard]] std::span<const Route> rotation_routes();
[[nodiscard]] std::span<const Route> approval_routes();
[[nodiscard]] std::span<const Route> custodian_handover_routes();
[[nodiscard]] std::span<const Route> people_routes();

// Registers every route with the common checks around it, the static files and the error pages.
void install_routes(httplib::Server& server, Site& site);

// The session cookie's name: "__Host-brankas" where cookies are Secure (the prefix makes the
// browser refuse it from anywhere but this origin over TLS), "brankas" otherwise.
[[nodiscard]] std::string session_cookie_name(const Site& site);
// The cookie that carries the sign-in and enrollment forms' token, prefixed as the session's is.
[[nodiscard]] std::string form_cookie_name(const Site& site);
// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure where cookies are; `max_age_s`
// 0 removes it, a negative one keeps it for the browser's session.
[[nodiscard]] std::string cookie(const Site& site, std::string_view name, std::string_view value, long max_age_s = -1);
// Text typed by someone else, fit for a line of the server's log: printable ASCII, at most
// `limit` bytes of the text, "..." marking where it was cut.
[[nodiscard]] std::string for_log(std::string_view text, std::size_t limit = 64);
// The bound for the vault's own sentence of a refusal: longer than a name, since it says why
// and may repeat what it was given.
inline constexpr std::size_t log_sentence_limit = 400;
// A value for a URL's query, percent-encoded.
[[nodiscard]] std::string encode_query_value(std::string_view value);
// A path to come back to after sign-in or a language switch: only a path of this site.
[[nodiscard]] std::string local_path(std::string_view next);

} // namespace brankas::web
