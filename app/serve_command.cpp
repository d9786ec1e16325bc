#include "app/serve_command.hpp"

#include "i18n/translate.hpp"
#include "web/serve.hpp"

#include <array>
#include <ostream>

namespace brankas::app {

namespace po = boost::program_options;

namespace {

class ServeCommand final : public cli::Command {
public:
    po::options_description options() override {
        po::options_description o(i18n::tr("Options for serve"));
        o.add_options()
            ("listen", po::value<std::string>(&listen_)->default_value(std::string(web::default_listen)),
             i18n::tr("ADDRESS:PORT to listen on; any address but loopback (127.0.0.1, ::1) needs --tls-cert and --tls-key"))
            ("tls-cert", po::value<std::string>(&cert_), i18n::tr("serve HTTPS with this PEM certificate (and chain)"))
            ("tls-key", po::value<std::string>(&key_), i18n::tr("the PEM private key of --tls-cert"))
            ("behind-proxy", po::bool_switch(&behind_proxy_),
             i18n::tr("a reverse proxy on this machine serves HTTPS and forwards here: mark cookies Secure, read the address from X-Forwarded-For"));
        return o;
    }
    Status setup(const po::variables_map&) override {
        if (cert_.empty() != key_.empty())
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("--tls-cert and --tls-key go together"), {}, i18n::tr_noop("give both, or neither"));
        options_.listen = BRANKAS_TRY(web::parse_listen_address(listen_));
        if (!cert_.empty()) options_.tls = web::TlsFiles{cert_, key_};
        options_.behind_proxy = behind_proxy_;
        return {};
    }
    Status run(cli::Context& ctx) override {
        // People sign in in their browsers: the server itself unlocks nothing, so --user,
        // --passphrase-file and --keyfile mean nothing here.
        options_.vault = BRANKAS_TRY(ctx.vault_dir());
        return web::serve(options_, ctx.clock, ctx.err);
    }

private:
    std::string listen_, cert_, key_;
    bool behind_proxy_ = false;
    web::ServeOptions options_;
};

std::unique_ptr<cli::Command> make_serve_command() { return std::make_unique<ServeCommand>(); }

constexpr std::array commands{
    cli::CommandEntry{"serve", i18n::tr_noop("serve the vault to browsers: people sign in with their passphrase (--listen, --tls-cert, --tls-key)"),
                      &make_serve_command},
};

} // namespace

std::span<const cli::CommandEntry> more_commands() { return commands; }

} // namespace brankas::app
