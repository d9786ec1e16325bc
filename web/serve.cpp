#include "web/serve.hpp"

#include "vault/encoding.hpp"
#include "vault/session.hpp"
#include "web/render.hpp"
#include "web/site.hpp"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fstream>
#include <ostream>
#include <pthread.h>
#include <thread>
#include <vector>

namespace brankas::web {

namespace {

// cpp-httplib gives a connection a thread for as long as it stays open (up to the keep-alive
// limits below), not for one request: a browser keeps several connections open, and a
// connection that waits for a free thread waits with its request already sent. So there are
// threads for every connection a busy office keeps open; an idle one costs its stack's touched
// pages, and the work they do at once is bounded elsewhere (two key derivations, one writer).
constexpr std::size_t worker_threads = 64;

// cpp-httplib 0.11 listens with a queue of 5 connections. When more browsers connect at once
// than the accept thread has taken (twenty people checking out in the same second, on a loaded
// machine), Linux drops the extra handshakes or answers them with SYN cookies, and a cookie it
// cannot match later is answered with a reset: the browser shows "connection reset". The queue
// is made as deep as the system allows (Linux caps it at net.core.somaxconn).
constexpr int listen_queue = SOMAXCONN;

// `message_id` names the file ("cannot read the TLS key %1$s: %2$s"): the reason goes in second.
Status check_readable(const std::filesystem::path& file, const char* message_id) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail_phrased(ErrorCode::io, message_id, {file.string(), std::strerror(errno)});
    return {};
}

std::string openssl_reason() {
    unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "no reason given";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

// TLS 1.2's suites: ECDHE key exchange (forward secrecy) and an AEAD only, the "intermediate"
// list every browser of the last ten years speaks. OpenSSL's default also offers CBC suites with
// SHA-1 or SHA-384 MACs (Lucky13-style padding oracles) and a static RSA key exchange (no forward
// secrecy): none of them is needed. TLS 1.3's suites are all AEAD and stay OpenSSL's.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// A TLS server whose context we set up ourselves: TLS 1.2 at least, with its AEAD suites only
// (tls12_ciphers), the certificate chain and key from their files, and a key that belongs to
// the certificate.
Result<std::unique_ptr<httplib::Server>> tls_server(const TlsFiles& files) {
    BRANKAS_TRY(check_readable(files.certificate, i18n::tr_noop("cannot read the TLS certificate %1$s: %2$s")));
    BRANKAS_TRY(check_readable(files.key, i18n::tr_noop("cannot read the TLS key %1$s: %2$s")));
    // What went wrong, as a sentence to translate and its values.
    const char* problem = nullptr;
    std::vector<std::string> values;
    auto server = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
        SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
        // No session tickets: a TLS 1.2 ticket is sealed under one key for the process's life, so
        // whoever takes that key reads every session it resumed (no forward secrecy until a
        // restart); sessions resume from the server's own cache instead.
        SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
        if (SSL_CTX_set_cipher_list(&ctx, tls12_ciphers) != 1) return false; // "could not be set up", below
        if (SSL_CTX_use_certificate_chain_file(&ctx, files.certificate.c_str()) != 1) {
            problem = i18n::tr_noop("the TLS certificate %1$s does not load (%2$s)");
            values = {files.certificate.string(), openssl_reason()};
            return false;
        }
        if (SSL_CTX_use_PrivateKey_file(&ctx, files.key.c_str(), SSL_FILETYPE_PEM) != 1) {
            if (ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH) {
                problem = i18n::tr_noop("the TLS key %1$s does not belong to the certificate %2$s");
                values = {files.key.string(), files.certificate.string()};
            } else {
                problem = i18n::tr_noop("the TLS key %1$s does not load (%2$s)");
                values = {files.key.string(), openssl_reason()};
            }
            ERR_clear_error();
            return false;
        }
        if (SSL_CTX_check_private_key(&ctx) != 1) {
            problem = i18n::tr_noop("the TLS key %1$s does not belong to the certificate %2$s");
            values = {files.key.string(), files.certificate.string()};
            return false;
        }
        return true;
    });
    if (!server->is_valid()) {
        if (problem == nullptr) return fail_phrased(ErrorCode::usage, i18n::tr_noop("the TLS certificate and key could not be set up"), {});
        return fail_phrased(ErrorCode::usage, problem, std::move(values));
    }
    return std::unique_ptr<httplib::Server>(std::move(server));
}

Status bind(httplib::Server& server, ListenAddress& address) {
    errno = 0;
    bool bound = address.port == 0 ? (address.port = server.bind_to_any_port(address.host)) > 0
                                   : server.bind_to_port(address.host, address.port);
    if (bound) return {};
    int e = errno;
    std::string where = address.text();
    if (e == EADDRINUSE)
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %s: the port is in use"), {where},
                            i18n::tr_noop("stop what listens there, or choose another port with --listen"));
    if (e == EADDRNOTAVAIL) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %s: this machine has no such address"), {where});
    if (e == EACCES)
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %s: ports below 1024 need privileges"), {where},
                            i18n::tr_noop("choose a port above 1024"));
    if (e == 0) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %s"), {where});
    return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %1$s: %2$s"), {where, std::strerror(e)});
}

// Ends the server at SIGINT or SIGTERM: the signals are blocked in every thread and taken here.
class SignalWatch {
public:
    explicit SignalWatch(httplib::Server& server) {
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        sigaddset(&signals_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
        thread_ = std::thread([this, &server] {
            int sig = 0;
            sigwait(&signals_, &sig);
            if (!done_) server.stop();
        });
    }
    SignalWatch(const SignalWatch&) = delete;
    SignalWatch& operator=(const SignalWatch&) = delete;
    ~SignalWatch() {
        done_ = true;
        pthread_kill(thread_.native_handle(), SIGTERM); // wakes it if no signal came
        thread_.join();
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }

private:
    sigset_t signals_{}, previous_{};
    std::atomic<bool> done_{false};
    std::thread thread_;
};

// Ends the sessions past a limit every second, so keys go even if their person never returns.
class Sweeper {
public:
    explicit Sweeper(SessionTable& sessions)
        : thread_([this, &sessions] {
              std::unique_lock lock(mutex_);
              while (!stop_) {
                  wake_.wait_for(lock, std::chrono::seconds(1));
                  sessions.sweep();
              }
          }) {}
    Sweeper(const Sweeper&) = delete;
    Sweeper& operator=(const Sweeper&) = delete;
    ~Sweeper() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace

Status serve(const ServeOptions& options, const Clock& clock, std::ostream& log) {
    Transport transport = options.tls ? Transport::tls : Transport::plain;
    BRANKAS_TRY(check_listen_policy(options.listen, transport));
    if (options.behind_proxy && !is_loopback(options.listen))
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("--behind-proxy needs a loopback address: the proxy runs on this machine"), {},
                            i18n::tr_noop("listen on 127.0.0.1 and let the proxy serve the office network"));
    if (!std::filesystem::exists(VaultPaths{options.vault}.keyring()))
        return fail_phrased(ErrorCode::no_vault, i18n::tr_noop("no vault at %1$s"), {options.vault.string(), shell_word(options.vault.string())},
                            i18n::tr_noop("create one with `brankas --vault %2$s init --institution NAME`, or set --vault/BRANKAS_VAULT"));
    BRANKAS_TRY(load_templates());
    // A browser that goes away mid-answer must not end the server (OpenSSL writes with write(2)).
    std::signal(SIGPIPE, SIG_IGN);

    std::unique_ptr<httplib::Server> server;
    if (options.tls) server = BRANKAS_TRY(tls_server(*options.tls));
    else server = std::make_unique<httplib::Server>();
    // Serving TLS itself, the server tells browsers to come back over HTTPS only (HSTS), on every
    // answer; behind a proxy, the proxy says it (contrib/proxy/nginx-brankas.conf).
    if (options.tls) server->set_default_headers({{"Strict-Transport-Security", "max-age=31536000"}});
    // Serving plain HTTP on loopback by itself, a request must name this machine: a page that
    // reached 127.0.0.1 under its own name (DNS rebinding) is answered 421 before any route runs,
    // with the page of every refused request (install_routes' error handler).
    if (!options.tls && !options.behind_proxy)
        server->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
            if (names_this_machine(req.get_header_value("Host"))) return httplib::Server::HandlerResponse::Unhandled;
            res.status = 421;
            return httplib::Server::HandlerResponse::Handled;
        });
    server->new_task_queue = [] { return new httplib::ThreadPool(worker_threads); };
    server->set_payload_max_length(max_form_bytes);
    server->set_read_timeout(30);
    server->set_write_timeout(30);
    // An idle kept-alive connection is closed after 5 s: a stop (SIGTERM) waits for the
    // connections still open, so a browser left on a page must not hold it for long.
    server->set_keep_alive_timeout(5);
    // cpp-httplib closes a connection after 5 requests unless told otherwise: a browser (or the
    // bench's wrk) then connects again, and a new connection costs the handshake, an accept and
    // a queued task. A busy connection holds its thread either way; the timeout above ends idle ones.
    server->set_keep_alive_max_count(100);
    // A page goes out in several writes (the headers, then the body). With Nagle's algorithm
    // on, the body waits for the ACK of the headers, which the browser delays by 40 ms when it
    // has nothing to send: every page on a kept-alive connection took at least 40 ms. cpp-httplib
    // 0.11 applies set_tcp_nodelay to no socket, so TCP_NODELAY is set on the listening socket,
    // whose options Linux gives every socket it accepts. cpp-httplib's own options are not used:
    // they set SO_REUSEPORT, with which a second `brankas serve` on the same address started
    // too and the kernel shared the browsers' connections between the two, each with its own
    // sessions. SO_REUSEADDR alone lets a restarted server listen while the last one's closed
    // connections linger, and refuses a second listener.
    // The options are set on each socket cpp-httplib tries before it binds and listens; the
    // last one tried is the one that listens once the bind succeeded.
    socket_t listening = INVALID_SOCKET;
    server->set_socket_options([&listening](socket_t sock) {
        int on = 1;
        (void)::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        (void)::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        listening = sock;
    });

    Site site({options.vault, transport, options.behind_proxy}, clock, log);
    install_routes(*server, site);
    ListenAddress address = options.listen;
    // Blocked before any thread starts, so that every thread inherits the mask.
    SignalWatch signals(*server);
    BRANKAS_TRY(bind(*server, address));
    // Listening again on a listening socket only sets its queue's length (listen(2)).
    if (listening == INVALID_SOCKET) return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %s"), {address.text()});
    if (::listen(listening, listen_queue) != 0)
        return fail_phrased(ErrorCode::io, i18n::tr_noop("cannot listen on %1$s: %2$s"), {address.text(), std::strerror(errno)});
    Sweeper sweeper(site.sessions);
    site.log(std::string("listening on ") + (options.tls ? "https://" : "http://") + address.text() + " (vault " +
             for_log(options.vault.string()) + ")");
    bool clean = server->listen_after_bind();
    site.log("stopped; " + std::to_string(site.sessions.size()) + " session(s) ended, their keys wiped");
    if (!clean) return fail_phrased(ErrorCode::io, i18n::tr_noop("the server stopped listening on %s"), {address.text()});
    return {};
}

} // namespace brankas::web
