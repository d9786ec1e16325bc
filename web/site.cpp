#include "web/site.hpp"

#include "faces/error_text.hpp"
#include "faces/slot_problems.hpp"
#include "web/assets.hpp"
#include "web/menu.hpp"
#include "web/tokens.hpp"
#include "web/render.hpp"
#include "web/vault_calls.hpp"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <ostream>

namespace brankas::web {

namespace {

// Only the server's own files, no inline script or style, no frames, forms posted only here.
constexpr const char* content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

void security_headers(httplib::Response& res) {
    res.set_header("Content-Security-Policy", content_security_policy);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
    res.set_header("Cross-Origin-Resource-Policy", "same-origin");
}

std::optional<std::string> cookie_value(const httplib::Request& req, std::string_view name) {
    for (std::size_t i = 0, n = req.get_header_value_count("Cookie"); i < n; ++i) {
        std::string header = req.get_header_value("Cookie", i);
        std::string_view rest = header;
        while (!rest.empty()) {
            std::size_t semi = rest.find(';');
            std::string_view item = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            std::size_t eq = item.find('=');
            if (eq != std::string_view::npos && item.substr(0, eq) == name) return std::string(item.substr(eq + 1));
        }
    }
    return std::nullopt;
}

Language language_of(const httplib::Request& req) {
    if (auto chosen = cookie_value(req, "lang")) return parse_language(*chosen);
    return language_from_header(req.get_header_value("Accept-Language"));
}

std::string address_of(const Site& site, const httplib::Request& req) {
    if (site.options().behind_proxy && req.has_header("X-Forwarded-For")) {
        // The proxy appends the address it saw; whatever stands before it, the client wrote.
        std::string all = req.get_header_value("X-Forwarded-For");
        std::size_t comma = all.rfind(',');
        std::string last = all.substr(comma == std::string::npos ? 0 : comma + 1);
        while (!last.empty() && last.front() == ' ') last.erase(0, 1);
        return for_log(last);
    }
    return req.remote_addr;
}

// A POST from another site's page. Browsers say where a request comes from in Sec-Fetch-Site
// (same-origin for our own forms) and in Origin, which Referrer-Policy: no-referrer turns into
// "null" for our own forms too: so only an Origin naming another site counts. SameSite=Strict
// already keeps the cookie off such a request, and its token would not match; this refuses it
// before anything is read.
bool foreign_origin(const Site& site, const httplib::Request& req) {
    if (req.has_header("Sec-Fetch-Site")) {
        std::string from = req.get_header_value("Sec-Fetch-Site");
        if (from != "same-origin" && from != "none") return true;
    }
    if (!req.has_header("Origin")) return false;
    std::string origin = req.get_header_value("Origin");
    std::string expected = std::string(site.secure() ? "https://" : "http://") + req.get_header_value("Host");
    return origin != "null" && origin != expected;
}

// The page a form posted to `path` stands on: `up` segments of the path taken off ("/accounts/3/
// checkout", 1: "/accounts/3"); empty when no page of the face shows it (up < 0).
std::string page_of_form(const std::string& path, int up) {
    if (up < 0) return {};
    std::string page = path;
    for (int i = 0; i < up; ++i) {
        std::size_t slash = page.rfind('/');
        if (slash == std::string::npos || slash == 0) return "/";
        page.erase(slash);
    }
    return local_path(page);
}

// Why a form's body is refused: it is not a form, it did not arrive whole (the connection
// ended or stalled before its Content-Length), or it is longer than a form can be.
enum class BodyRefusal { not_a_form, cut_off, too_large };

// The body of a form, read straight into secure memory (never into the request's std::string):
// a kept page buffer, given back when the request is done. Only a whole body is a form: the
// fields of a body cut off midway are never acted on.
std::expected<SecretBytes, BodyRefusal> read_form_body(const httplib::Request& req, const httplib::ContentReader& reader) {
    static_assert(max_form_bytes <= PageBuffers::buffer_size);
    if (!req.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded")) return std::unexpected(BodyRefusal::not_a_form);
    SecretBytes body = page_buffers().take();
    std::size_t used = 0;
    bool too_large = false;
    const bool whole = reader([&](const char* data, std::size_t size) {
        if (size > max_form_bytes - used) {
            too_large = true;
            return false;
        }
        std::memcpy(body.data() + used, data, size);
        used += size;
        return true;
    });
    body.truncate(used);
    // cpp-httplib hands on nothing of a body whose Content-Length is past the server's limit
    // (max_form_bytes): its reader fails at once. A longer chunked body is stopped above.
    if (!whole && req.get_header_value<std::uint64_t>("Content-Length") > max_form_bytes) too_large = true;
    if (too_large || !whole) {
        page_buffers().give(std::move(body));
        return std::unexpected(too_large ? BodyRefusal::too_large : BodyRefusal::cut_off);
    }
    return body;
}

// A form's body, given back to the page buffers (wiped) when the request is done with it.
struct FormBody {
    std::optional<SecretBytes> bytes;
    FormBody() = default;
    FormBody(const FormBody&) = delete;
    FormBody& operator=(const FormBody&) = delete;
    ~FormBody() {
        if (bytes) page_buffers().give(std::move(*bytes));
    }
};

struct ErrorPage {
    int status;
    const char* heading;
    const char* text = nullptr; // what it means for the person; the vault's own sentence follows
};

ErrorPage error_page(ErrorCode code) {
    switch (code) {
    case ErrorCode::denied:
        return {403, tr_noop("Not allowed"), tr_noop("The vault refused this, and its audit log records the refusal.")};
    // A name typed into a filter (`?person=`, `?actor=`, `?as=`) that is no person's is not_found.
    case ErrorCode::no_such_user:
    case ErrorCode::not_found: return {404, tr_noop("Not found")};
    case ErrorCode::conflict: return {409, tr_noop("Not possible now")};
    case ErrorCode::usage: return {400, tr_noop("That did not work")};
    case ErrorCode::busy: return {503, tr_noop("The vault is busy")};
    case ErrorCode::clock_backwards: return {503, tr_noop("This computer's clock is behind the vault")};
    default: return {500, tr_noop("Something went wrong")};
    }
}

// The vault's own sentence (`detail`, in English until the vault's messages join the catalogue)
// stands below the page's own words: it never holds a secret (vault/error.hpp).
Reply message_page(const Visit& visit, int status, const char* heading, std::string_view text, std::string_view detail = {}) {
    // A refused form leads back to the page it stands on (the account, the rotation, ...), where
    // it can be sent again; anything else to the accounts.
    const bool to_form = !visit.form_page.empty() && visit.form_page != "/accounts";
    static constexpr Words words[] = {{"T_BACK", tr_noop("Back to the accounts")}, {"T_BACK_TO_FORM", tr_noop("Back to the page")}};
    Page page(visit.t, "message");
    page.words(words);
    std::string_view title = visit.t.tr(heading);
    page.body().SetValue("HEADING", ctemplate::TemplateString(title.data(), title.size()));
    page.body().SetValue("TEXT", ctemplate::TemplateString(text.data(), text.size()));
    if (!detail.empty()) page.body().SetValueAndShowSection("DETAIL", ctemplate::TemplateString(detail.data(), detail.size()), "HAS_DETAIL");
    if (to_form) page.body().SetValueAndShowSection("BACK_TO", visit.form_page, "BACK_TO_FORM");
    else if (visit.person) page.body().ShowSection("BACK_LINK");
    auto html = page.render(visit.frame(title));
    if (!html) return Reply{500, {}, std::nullopt, {}, {}, {}, {}, {}};
    return Reply::page(std::move(*html), status);
}

void send(httplib::Response& res, Reply reply) {
    security_headers(res);
    // Every page of the face is made for one person at one moment: none is kept by a browser
    // or a proxy, and a page that showed a password cannot come back from a cache.
    res.set_header("Cache-Control", "no-store");
    if (!reply.content_security_policy.empty()) {
        res.headers.erase("Content-Security-Policy");
        res.set_header("Content-Security-Policy", reply.content_security_policy);
    }
    for (const std::string& c : reply.cookies) res.headers.emplace("Set-Cookie", c);
    if (!reply.location.empty()) {
        res.status = 303;
        res.set_header("Location", reply.location);
        return;
    }
    res.status = reply.status;
    if (reply.download) {
        res.set_header("Content-Disposition", "attachment; filename=\"" + reply.file_name + "\"");
        res.set_content(std::move(*reply.download), reply.file_type);
        return;
    }
    if (!reply.html) return;
    // Sent from secure memory and wiped when the response is done with. A length-given provider
    // is never compressed, so a password and a token never share a compression window.
    // The buffer goes back to the page buffers when the last copy of the pointer is gone.
    std::shared_ptr<SecretBytes> html(new SecretBytes(std::move(*reply.html)), [](SecretBytes* sent) {
        page_buffers().give(std::move(*sent));
        delete sent;
    });
    res.set_content_provider(
        html->size(), "text/html; charset=utf-8",
        [html](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(reinterpret_cast<const char*>(html->data()) + offset, length);
        },
        [html](bool) mutable { html.reset(); });
}

std::string iso_now(const Clock& clock) {
    std::time_t t = static_cast<std::time_t>(clock.now_us() / 1'000'000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Runs a route: the checks every request passes, then its handler, then the reply.
// `form_page_up`: for a form's route, how many segments of its path to take off for the page the
// form stands on (page_of_form); -1 for none, and for a page's own route.
void run(Site& site, const Route& route, const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
         int form_page_up = -1) {
    Visit visit{req, Translator(language_of(req)), req.path, address_of(site, req), {}, {}, {}, page_of_form(req.path, form_page_up)};
    visit.session_cookie = cookie_value(req, session_cookie_name(site)).value_or("");
    auto refuse = [&](int status, const char* heading, std::string_view text) { send(res, message_page(visit, status, heading, text)); };

    FormBody body;
    if (reader) {
        auto read = read_form_body(req, *reader);
        if (!read && read.error() == BodyRefusal::too_large)
            return refuse(413, tr_noop("That did not work"), visit.t.tr(tr_noop("The form sent is too large to be read.")));
        if (!read) return refuse(400, tr_noop("That did not work"), visit.t.tr(tr_noop("The form could not be read.")));
        body.bytes = std::move(*read);
    }
    if (route.who == Who::signed_in) {
        visit.person = site.sessions.find(visit.session_cookie);
        if (!visit.person) {
            // Back, once signed in again, to the page asked for, or to the page whose form was
            // sent (a session that ended while a form stood open: its page, not the account list).
            std::string to = "/sign-in?ended=1";
            std::string back = route.method == Method::get ? local_path(req.target) : visit.form_page;
            if (!back.empty()) to += "&next=" + httplib::detail::encode_query_param(back);
            return send(res, Reply::redirect(to));
        }
        // A person disabled (or whose keys were replaced) since signing in does nothing more,
        // reading included: the session ends at their next request, and nothing is signed for it.
        // (A store this session no longer opens is the handler's to find, below.)
        if (auto standing = visit.person->vault.check_standing(); !standing && standing.error().code == ErrorCode::denied) {
            site.log(iso_now(site.clock()) + " session of '" + for_log(visit.person->vault.user()) + "' ended: the user may no longer act");
            visit.person = Lease{};
            site.sessions.close(visit.session_cookie);
            return send(res, Reply::redirect("/sign-in?ended=access"));
        }
    }
    if (route.method == Method::post) {
        if (foreign_origin(site, req))
            return refuse(403, tr_noop("Not allowed"), visit.t.tr(tr_noop("This form was not sent from a page of this vault.")));
        auto form = Form::parse(*body.bytes);
        if (!form) return refuse(400, tr_noop("That did not work"), visit.t.tr(tr_noop("The form could not be read.")));
        // Every form carries a token: the session's, or before sign-in the one in its cookie.
        std::string sent = form->text("csrf").value_or("");
        std::string expected = visit.person ? visit.person->csrf : cookie_value(req, form_cookie_name(site)).value_or("");
        if (!same_token(sent, expected))
            return refuse(403, tr_noop("Not allowed"),
                          visit.t.tr(tr_noop("This form has expired or did not come from your session. Open the page again and resend it.")));
        visit.form = std::move(*form);
    }

    Result<Reply> reply = route.handler(site, visit);
    if (reply) return send(res, std::move(*reply));
    const Error& e = reply.error();
    if (visit.person && (e.code == ErrorCode::store_corrupt ||
                         (e.code == ErrorCode::busy && store_rekeyed_since_open(visit.person->vault)))) {
        // An admin re-keyed the store (`user disable --rekey`), or it changed under us: this
        // session's key opens it no more. End the session; signing in again reads the new key.
        site.log(iso_now(site.clock()) + " session of '" + for_log(visit.person->vault.user()) + "' ended: the store no longer opens with its key");
        visit.person = Lease{};
        site.sessions.close(visit.session_cookie);
        return send(res, Reply::redirect("/sign-in?ended=store"));
    }
    ErrorPage p = error_page(e.code);
    // The core's sentence in the visitor's language, from its message id (faces/error_text.hpp).
    const std::string message = faces::error_text(e, [&](const char* id) { return visit.t.tr(id); }).message;
    if (p.text) send(res, message_page(visit, p.status, p.heading, visit.t.tr(p.text), message));
    else refuse(p.status, p.heading, message);
}

// A HEAD, which cpp-httplib hands to the GET route, runs no page. A GET may record something (a
// refused page is an access.denied event), take something (a password waiting for its page) or
// keep a session alive; a HEAD shows nothing, so it is refused before any of that: 405, with the
// methods the page takes (`allow`).
void refuse_head(httplib::Response& res, const std::string& allow) {
    Reply refused;
    refused.status = 405;
    send(res, std::move(refused));
    res.set_header("Allow", allow);
}

// The two pages a visitor reaches first answer a HEAD as their GET answers a visitor, with no
// body and nothing run: an uptime monitor's `curl -I` finds the server up (RFC 9110 9.1 expects
// a general-purpose server to answer HEAD). Neither looks a session up (so none is kept alive),
// sets a cookie (the sign-in form's token is the GET's) or records anything. Every other page
// refuses it (refuse_head). False: `pattern` is not one of them.
bool answer_head_as_visitor(httplib::Response& res, std::string_view pattern) {
    if (pattern == "/") {
        send(res, Reply::redirect("/accounts")); // what `home` answers
        return true;
    }
    if (pattern == "/sign-in") {
        send(res, Reply{});
        res.set_header("Content-Type", "text/html; charset=utf-8");
        return true;
    }
    return false;
}

// Who a request that no page's route answers (an unknown address, a form's address opened as a
// page, one the server could not read) comes from, for its page's frame: the person its session
// names, while they may still act, with their menu and sign-out; nobody otherwise (the bare page,
// as a visitor sees it). A HEAD touches no session (refuse_head).
Lease signed_in_visitor(Site& site, const httplib::Request& req) {
    if (req.method == "HEAD") return {};
    Lease person = site.sessions.find(cookie_value(req, session_cookie_name(site)).value_or(""));
    if (person && !person->vault.check_standing()) return {};
    return person;
}

void serve_asset(httplib::Response& res, std::string_view name, const char* type) {
    security_headers(res);
    auto bytes = find_asset(name);
    if (!bytes) {
        res.status = 404;
        return;
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_content(bytes->data(), bytes->size(), type);
}

} // namespace

int http_status(ErrorCode code) { return error_page(code).status; }

void Site::log(std::string_view line) {
    std::lock_guard lock(log_mutex_);
    log_ << "brankas serve: " << line << '\n';
    log_.flush();
}

void Site::report_slots(Session& session) {
    if (slots_reported_.exchange(true)) return;
    auto checked = check_slots(session);
    if (!checked) {
        log("the keyring slots were not compared with the log: " + for_log(checked.error().message, log_sentence_limit));
        return;
    }
    // In English, as every line of this log is.
    for (const SlotCheck& c : *checked)
        if (auto line = faces::slot_problem(c, for_log(c.principal), [](const char* id) { return id; })) log(*line);
}

std::string Visit::match(std::size_t n) const { return n < request.matches.size() ? request.matches[n].str() : std::string(); }

std::string Visit::cookie(std::string_view name) const { return cookie_value(request, name).value_or(""); }

std::string Visit::query(std::string_view name) const {
    std::string key(name);
    return request.has_param(key.c_str()) ? request.get_param_value(key.c_str()) : std::string();
}

Frame Visit::frame(std::string_view title) const {
    Frame f;
    f.title = std::string(title);
    // The language switch comes back here: a page fetched with GET; for a form's answer (which
    // cannot be fetched again), the page the form stands on. The whole address, query included, is
    // one value of the switch's own query: written as it stands, its '?' and '&' would end the
    // value early (or make the request one the server refuses).
    f.here = encode_query_value(request.method == "GET" ? local_path(request.target) : form_page.empty() ? "/accounts" : form_page);
    if (person) {
        f.user = person->vault.user();
        f.csrf = person->csrf;
        f.menu = menu_for(person->vault);
    }
    return f;
}

Reply Reply::page(SecretBytes html, int status) { return Reply{status, {}, std::move(html), {}, {}, {}, {}, {}}; }
Reply Reply::redirect(std::string to) { return Reply{303, std::move(to), std::nullopt, {}, {}, {}, {}, {}}; }
Reply Reply::file(std::string bytes, std::string type, std::string name) {
    Reply r;
    r.download = std::move(bytes);
    r.file_type = std::move(type);
    r.file_name = std::move(name);
    return r;
}

std::string encode_query_value(std::string_view value) { return httplib::detail::encode_query_param(std::string(value)); }

std::string session_cookie_name(const Site& site) { return site.secure() ? "__Host-brankas" : "brankas"; }

std::string form_cookie_name(const Site& site) { return site.secure() ? "__Host-brankas_form" : "brankas_form"; }

std::string cookie(const Site& site, std::string_view name, std::string_view value, long max_age_s) {
    std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Strict";
    if (site.secure()) c += "; Secure";
    if (max_age_s >= 0) c += "; Max-Age=" + std::to_string(max_age_s);
    return c;
}

std::string for_log(std::string_view text, std::size_t limit) {
    std::string out;
    for (char c : text.substr(0, limit)) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f && c != '\'' && c != '\\') {
            out += c;
        } else {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\x%02x", static_cast<unsigned>(u));
            out += esc;
        }
    }
    if (text.size() > limit) out += "...";
    return out;
}

std::string local_path(std::string_view next) {
    // One leading slash and no second one or backslash after it: "//host" and "/\host" are other sites.
    if (next.size() < 1 || next[0] != '/' || (next.size() > 1 && (next[1] == '/' || next[1] == '\\'))) return "/accounts";
    for (char c : next)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "/accounts";
    return std::string(next);
}

void install_routes(httplib::Server& server, Site& site) {
    std::vector<std::span<const Route>> tables{sign_in_routes(), account_routes(), audit_routes(), enroll_routes(), rotation_routes()};
    tables.push_back(admin_status_routes());
    tables.push_back(admin_account_routes());
    tables.push_back(admin_people_routes());
    tables.push_back(admin_term_routes());
    tables.push_back(admin_policy_routes());
    tables.push_back(admin_handover_routes());
    tables.push_back(approval_routes());
    tables.push_back(custodian_handover_routes());
    tables.push_back(people_routes());
    // The methods each path takes, which a HEAD's refusal names.
    struct Methods {
        bool get = false, post = false;
    };
    std::map<std::string_view, Methods> methods;
    for (auto table : tables)
        for (const Route& route : table) {
            if (route.method == Method::get) methods[route.pattern].get = true;
            else methods[route.pattern].post = true;
        }
    // The page each form's route stands on: its pattern less as many trailing segments as make it
    // a page's ("/accounts/(\d+)/checkout": 1, "/accounts/(\d+)"; "/admin/people": 0); -1 for none.
    auto form_page_up = [&methods](std::string_view pattern) {
        for (int up = 0; !pattern.empty(); ++up) {
            if (auto m = methods.find(pattern); m != methods.end() && m->second.get) return up;
            std::size_t slash = pattern.rfind('/');
            if (slash == std::string_view::npos || slash == 0) break;
            pattern = pattern.substr(0, slash);
        }
        return -1;
    };
    for (auto table : tables)
        for (const Route& route : table) {
            if (route.method == Method::get)
                server.Get(route.pattern, [&site, &route, allow = std::string(methods[route.pattern].post ? "GET, POST" : "GET")](
                                              const httplib::Request& req, httplib::Response& res) {
                    if (req.method == "HEAD") {
                        if (!answer_head_as_visitor(res, route.pattern)) refuse_head(res, allow);
                        return;
                    }
                    run(site, route, req, res, nullptr);
                });
            else
                server.Post(route.pattern, [&site, &route, up = form_page_up(route.pattern)](const httplib::Request& req, httplib::Response& res,
                                                                                         const httplib::ContentReader& reader) {
                    run(site, route, req, res, &reader, up);
                });
        }
    // The address of a form, opened as a page (typed again in the address bar, or a tab restored
    // on the answer to a form): 405 with the method it takes, and the way back to the form's page,
    // where cpp-httplib would answer that there is no such page. Nothing is run.
    for (const auto& [pattern, taken] : methods) {
        if (taken.get) continue;
        server.Get(std::string(pattern), [&site, up = form_page_up(pattern)](const httplib::Request& req, httplib::Response& res) {
            if (req.method == "HEAD") return refuse_head(res, "POST");
            Visit visit{req, Translator(language_of(req)), req.path, {}, {}, {}, {}, page_of_form(req.path, up)};
            visit.person = signed_in_visitor(site, req);
            send(res, message_page(visit, 405, tr_noop("That did not work"),
                                   visit.t.tr(tr_noop("This address takes a form sent from its page. Open the page again."))));
            res.set_header("Allow", "POST");
        });
    }
    server.Get("/static/brankas.css", [](const httplib::Request&, httplib::Response& res) {
        serve_asset(res, "static/brankas.css", "text/css; charset=utf-8");
    });
    server.Get("/static/copy.js", [](const httplib::Request&, httplib::Response& res) {
        serve_asset(res, "static/copy.js", "text/javascript; charset=utf-8");
    });
    server.Get("/language/(id|en)", [&site](const httplib::Request& req, httplib::Response& res) {
        if (req.method == "HEAD") return refuse_head(res, "GET"); // it sets a cookie
        Reply r = Reply::redirect(local_path(req.has_param("next") ? req.get_param_value("next") : "/"));
        r.cookies.push_back(cookie(site, "lang", req.matches[1].str(), 365L * 24 * 3600));
        send(res, std::move(r));
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse([&site](const httplib::Request& req, httplib::Response& res) {
        // Called for every answer of 400 and above: ours already carry their page and headers.
        if (res.has_header("Content-Security-Policy")) return httplib::Server::HandlerResponse::Unhandled;
        // The library's own refusals (no such path, a malformed request or one too long to read):
        // a page of ours, with the headers of every page, never an empty one.
        Visit visit{req, Translator(language_of(req)), req.path, {}, {}, {}, {}, {}};
        visit.person = signed_in_visitor(site, req);
        int status = res.status;
        if (status == 404) send(res, message_page(visit, 404, tr_noop("Not found"), visit.t.tr(tr_noop("There is no such page."))));
        else if (status == 421) // a Host that is not this machine (serve.cpp): perhaps a page of another site
            send(res, message_page(visit, 421, tr_noop("Wrong address"),
                                   visit.t.tr(tr_noop("This server answers only under this machine's own address: open it as 127.0.0.1 or "
                                                      "localhost, with its port."))));
        else send(res, message_page(visit, status, tr_noop("That did not work"), visit.t.tr(tr_noop("The server could not read this request. Open the page again from the menu."))));
        res.status = status;
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([&site](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        // Never the exception's text: it could quote anything.
        Visit visit{req, Translator(language_of(req)), req.path, {}, {}, {}, {}, {}};
        send(res, message_page(visit, 500, tr_noop("Something went wrong"), visit.t.tr(tr_noop("The server could not answer this request."))));
        site.log(iso_now(site.clock()) + " internal error answering " + for_log(req.path));
    });
}

} // namespace brankas::web
