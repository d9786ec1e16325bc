// `brankas serve`: the vault in a browser. One process serves every browser of the office: it
// holds the signed-in people's unlocked Sessions in memory (see docs/web.md) and reaches the
// vault only through the same API as the command line.
#pragma once

#include "vault/clock.hpp"
#include "vault/error.hpp"
#include "web/listen_address.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>

namespace brankas::web {

struct TlsFiles {
    std::filesystem::path certificate; // PEM, the server's certificate (and its chain)
    std::filesystem::path key;         // PEM, its private key
};

struct ServeOptions {
    std::filesystem::path vault;
    ListenAddress listen;      // port 0: any free port (the log line names it)
    std::optional<TlsFiles> tls;
    bool behind_proxy = false; // see SiteOptions::behind_proxy; only on a loopback address
};

// Checks everything that can be checked before serving (the address and TLS, the vault, the
// certificate and key, the port), then serves until SIGINT or SIGTERM, and returns once every
// session has ended and its keys are wiped. The server's own lines (where it listens, sign-ins,
// failed sign-ins; never a secret) go to `log`.
[[nodiscard]] Status serve(const ServeOptions& options, const Clock& clock, std::ostream& log);

} // namespace brankas::web
