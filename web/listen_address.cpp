#include "web/listen_address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace brankas::web {

std::string ListenAddress::text() const {
    bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
    auto bad = [&](const char* message_id) {
        return fail_phrased(ErrorCode::usage, message_id, {std::string(text)}, i18n::tr_noop("write it as ADDRESS:PORT, e.g. 127.0.0.1:8420"));
    };
    std::string_view host, port;
    if (text.starts_with('[')) {
        auto close = text.find("]:");
        if (close == std::string_view::npos) return bad(i18n::tr_noop("--listen '%s' has no port after the IPv6 address"));
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return bad(i18n::tr_noop("--listen '%s' has no port"));
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return bad(i18n::tr_noop("--listen '%s' is an IPv6 address without brackets"));
    }
    ListenAddress a;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), a.port);
    if (ec != std::errc() || end != port.data() + port.size() || a.port < 0 || a.port > 65535)
        return bad(i18n::tr_noop("--listen '%s' has no port number (1 to 65535, or 0 for any free port)"));
    if (host == "localhost") host = "127.0.0.1";
    unsigned char bytes[16];
    bool v4 = inet_pton(AF_INET, std::string(host).c_str(), bytes) == 1;
    bool v6 = !v4 && inet_pton(AF_INET6, std::string(host).c_str(), bytes) == 1;
    if (!v4 && !v6) return bad(i18n::tr_noop("--listen '%s' does not name an IP address (or localhost)"));
    a.host = std::string(host);
    return a;
}

bool is_loopback(const ListenAddress& address) {
    unsigned char bytes[16] = {};
    if (inet_pton(AF_INET, address.host.c_str(), bytes) == 1) return bytes[0] == 127;
    if (inet_pton(AF_INET6, address.host.c_str(), bytes) != 1) return false;
    for (int i = 0; i < 15; ++i)
        if (bytes[i] != 0) return false;
    return bytes[15] == 1;
}

bool names_this_machine(std::string_view host) {
    if (host.empty()) return true;
    // Without its port: "[::1]:8420" -> "::1", "127.0.0.1:8420" -> "127.0.0.1".
    std::string name;
    if (host.front() == '[') {
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos) return false;
        const std::string_view after = host.substr(close + 1);
        if (!after.empty() && (after.front() != ':' || after.find_first_not_of("0123456789", 1) != std::string_view::npos)) return false;
        name = std::string(host.substr(1, close - 1));
        unsigned char bytes[16] = {};
        return inet_pton(AF_INET6, name.c_str(), bytes) == 1;
    }
    const std::size_t colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find_first_not_of("0123456789", colon + 1) != std::string_view::npos) return false;
    name = std::string(host.substr(0, colon));
    std::string lower;
    for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (lower == "localhost") return true;
    unsigned char bytes[4] = {};
    return inet_pton(AF_INET, name.c_str(), bytes) == 1;
}

Status check_listen_policy(const ListenAddress& address, Transport transport) {
    if (transport == Transport::tls || is_loopback(address)) return {};
    return fail_phrased(ErrorCode::usage,
                        i18n::tr_noop("refusing to serve %s without TLS: only the loopback address may be served in plain HTTP"),
                        {address.text()},
                        i18n::tr_noop("give --tls-cert FILE --tls-key FILE, or listen on 127.0.0.1 behind a reverse proxy (contrib/proxy/)"));
}

} // namespace brankas::web
