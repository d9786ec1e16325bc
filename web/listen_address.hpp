// Where the server listens, and the rule about it: the loopback interface by default; any other
// address only with TLS, since a session cookie and every password would otherwise cross the
// office network in clear text.
#pragma once

#include "vault/error.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace brankas::web {

inline constexpr std::string_view default_listen = "127.0.0.1:8420";

struct ListenAddress {
    std::string host; // an IPv4 or IPv6 address as written, without brackets
    int port = 0;     // 0: any free port, which the server names once it listens
    [[nodiscard]] std::string text() const; // "127.0.0.1:8420", "[::1]:8420"
};

enum class Transport { plain, tls };

// "ADDR:PORT", "[IPV6]:PORT" or "localhost:PORT" (PORT 0: any free one). Host names other than localhost are refused:
// a name can resolve to another interface than the one its owner meant.
[[nodiscard]] Result<ListenAddress> parse_listen_address(std::string_view text);
// 127.0.0.0/8 and ::1.
[[nodiscard]] bool is_loopback(const ListenAddress& address);
// Whether a request's Host header may reach a server serving plain HTTP on loopback by itself:
// an IP address (127.0.0.1, [::1]) or "localhost", with or without a port, or no Host at all.
// A page of another site whose name an attacker's DNS points at 127.0.0.1 (DNS rebinding) sends
// its own name, and its Origin agrees with it: without this, it could read the sign-in page and
// post the sign-in form as if it were ours. Under TLS the certificate names the site (such a
// page gets no handshake), and behind a proxy the Host is the proxy's to check.
[[nodiscard]] bool names_this_machine(std::string_view host);
// Refuses a non-loopback address without TLS, in one sentence (ErrorCode::usage).
[[nodiscard]] Status check_listen_policy(const ListenAddress& address, Transport transport);

} // namespace brankas::web
