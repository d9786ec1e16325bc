#include "cli/app.hpp"

#include "cli/commands/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/option_errors.hpp"
#include "cli/output.hpp"
#include "faces/error_text.hpp"
#include "i18n/translate.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <optional>
#include <ostream>

namespace brankas::cli {

namespace po = boost::program_options;

namespace {

// A vault must not guess what an abbreviated option meant.
constexpr int parser_style = po::command_line_style::default_style ^ po::command_line_style::allow_guessing;

po::options_description global_options(GlobalOptions& g, bool& help, bool& version) {
    po::options_description o(tr("Global options"));
    o.add_options()
        ("vault", po::value<std::string>(), tr("vault directory (or BRANKAS_VAULT)"))
        ("user", po::value<std::string>(), tr("who you are in the vault (or BRANKAS_USER)"))
        ("passphrase-file", po::value<std::string>(), tr("read the passphrase from the first line of FILE (or BRANKAS_PASSPHRASE_FILE); otherwise it is asked on the terminal"))
        ("keyfile", po::value<std::string>(), tr("unlock with this 32-byte key file instead of a passphrase (the enforcer); with `enforcer add`, where the new key file is written"))
        ("json", po::bool_switch(&g.json), tr("machine-readable output"))
        ("help,h", po::bool_switch(&help), tr("show help (also after a command)"))
        ("version", po::bool_switch(&version), tr("show the version"));
    return o;
}

using Commands = std::vector<CommandEntry>;

void print_usage(std::ostream& out, const po::options_description& global, const Commands& commands) {
    using i18n::tr;
    out << tr("Usage: brankas [global options] <command> [<subcommand>] [options]") << "\n\n"
        << tr("Brankas keeps the shared accounts of an institution in an encrypted vault with a signed,\n"
              "verifiable history.")
        << "\n\n" << tr("Commands:") << "\n";
    std::size_t width = 0;
    for (const auto& c : commands) width = std::max(width, c.name.size());
    for (const auto& c : commands)
        out << "  " << c.name << std::string(width - c.name.size() + 2, ' ') << tr(c.summary.data()) << "\n";
    out << "\n" << global << "\n" << tr("Exit codes:") << "\n";
    for (const auto& e : exit_code_table())
        out << "  " << (static_cast<int>(e.code) < 10 ? " " : "") << static_cast<int>(e.code) << "  " << tr(e.meaning.data()) << "\n";
    out << "\n" << tr("`brankas <command> --help` (or `brankas help <command>`) shows the options of a command.") << "\n";
}

// `brankas unit --help`: the subcommands of a command group.
void print_group_usage(std::ostream& out, std::string_view group, const Commands& commands) {
    const std::string prefix = std::string(group) + " ";
    out << fill(tr("Usage: brankas [global options] %s <subcommand> [options]"), {group}) << "\n\n" << tr("Subcommands:") << "\n";
    std::size_t width = 0;
    for (const auto& c : commands)
        if (c.name.starts_with(prefix)) width = std::max(width, c.name.size());
    for (const auto& c : commands)
        if (c.name.starts_with(prefix)) out << "  " << c.name << std::string(width - c.name.size() + 2, ' ') << tr(c.summary.data()) << "\n";
    out << "\n" << fill(tr("`brankas %s <subcommand> --help` shows the options of a subcommand."), {group}) << "\n";
}

int report(std::ostream& err, const Error& e) {
    // Messages can quote the vault's own (untrusted) text: keep escapes off the terminal.
    faces::ErrorText text = faces::error_text(e, [](const char* id) { return tr(id); });
    err << fill(tr("brankas: error: %s"), {for_terminal(text.message)}) << "\n";
    if (!text.hint.empty()) err << fill(tr("brankas: hint: %s"), {for_terminal(text.hint)}) << "\n";
    return static_cast<int>(exit_code_for(e.code));
}

const CommandEntry* find_command(const Commands& commands, const std::vector<std::string>& words, std::size_t& consumed) {
    if (words.size() >= 2) {
        std::string two = words[0] + " " + words[1];
        for (const auto& c : commands)
            if (c.name == two) {
                consumed = 2;
                return &c;
            }
    }
    for (const auto& c : commands)
        if (!words.empty() && c.name == words[0]) {
            consumed = 1;
            return &c;
        }
    return nullptr;
}

// The global options that take a value (a value can look like a command word).
bool global_takes_value(std::string_view name) {
    return name == "vault" || name == "user" || name == "passphrase-file" || name == "keyfile";
}

// A command may have an option of its own named like a global one: after the command's words,
// that option is the command's (`report exposure --user NAME` names the person reported on;
// `--user` before the command is who you are). Those arguments are taken out of `args`; what
// follows a `--` is no option and stays.
std::vector<std::string> claim_command_options(const Commands& commands, std::vector<std::string>& args) {
    std::size_t start = 0;
    while (start < args.size()) {
        const std::string& a = args[start];
        if (!a.starts_with("-") || a == "--") break;
        std::string name = a.starts_with("--") ? a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2) : "";
        start += (global_takes_value(name) && a.find('=') == std::string::npos) ? 2 : 1;
    }
    std::vector<std::string> words(args.begin() + static_cast<std::ptrdiff_t>(std::min(start, args.size())), args.end());
    std::size_t consumed = 0;
    const CommandEntry* entry = find_command(commands, words, consumed);
    std::vector<std::string> claimed;
    if (entry == nullptr) return claimed;
    po::options_description own = entry->make()->options();
    std::vector<std::string> kept(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(start + consumed));
    for (std::size_t i = start + consumed; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {
            kept.insert(kept.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
            break;
        }
        std::string name = a.starts_with("--") ? a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2) : "";
        if (global_takes_value(name) && own.find_nothrow(name, false) != nullptr) {
            claimed.push_back(a);
            if (a.find('=') == std::string::npos && i + 1 < args.size()) claimed.push_back(args[++i]);
            continue;
        }
        kept.push_back(a);
    }
    args = std::move(kept);
    return claimed;
}

// The first option of `parsed` given with an empty value (`--for ""`, `--since=`), as "--for";
// nullopt when there is none. An empty value is a mistake, never the option left out: a command
// reading it as not given would go on with its default. Only the options in `may_be_empty`
// (account edit's "" that removes a field) may have one. Positional words, and the command's
// options that the global parse leaves unregistered, are not looked at.
std::optional<std::string> option_with_empty_value(const po::parsed_options& parsed, const std::vector<std::string>& may_be_empty = {}) {
    for (const po::option& o : parsed.options) {
        if (o.position_key != -1 || o.unregistered) continue;
        if (std::find(may_be_empty.begin(), may_be_empty.end(), o.string_key) != may_be_empty.end()) continue;
        if (std::any_of(o.value.begin(), o.value.end(), [](const std::string& v) { return v.empty(); }))
            return "--" + o.string_key;
    }
    return std::nullopt;
}

std::string empty_value_text(const std::string& option) { return fill(tr("the option '%s' is given an empty value"), {option}); }

bool is_command_group(const Commands& commands, std::string_view word) {
    for (const auto& c : commands)
        if (c.name.starts_with(std::string(word) + " ")) return true;
    return false;
}

} // namespace

int run(const std::vector<std::string>& args, const Environment& env, std::ostream& out, std::ostream& err,
        const Clock& clock, PassphraseInput* passphrases, std::span<const CommandEntry> more_commands) {
    Commands commands(command_table().begin(), command_table().end());
    commands.insert(commands.end(), more_commands.begin(), more_commands.end());
    GlobalOptions global;
    bool help = false;
    bool version = false;
    po::options_description global_desc = global_options(global, help, version);
    po::options_description words_desc;
    words_desc.add_options()("words", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(global_desc).add(words_desc);
    po::positional_options_description positional;
    positional.add("words", -1);

    std::vector<std::string> rest;
    std::vector<std::string> global_args = args;
    std::vector<std::string> claimed = claim_command_options(commands, global_args);
    // `--` ends the options (POSIX): what follows it are words, even one that starts with '-'
    // (`unit add CODE -- -X`). The global parse sees the arguments before it; the command's
    // parse is handed a `--` before the words that came after it.
    std::vector<std::string> after_end;
    if (auto end = std::find(global_args.begin(), global_args.end(), "--"); end != global_args.end()) {
        after_end.assign(end + 1, global_args.end());
        global_args.erase(end, global_args.end());
    }
    try {
        po::variables_map vm;
        auto parsed = po::command_line_parser(global_args).options(all).positional(positional).allow_unregistered().style(parser_style).run();
        if (auto empty = option_with_empty_value(parsed))
            return report(err, Error{ErrorCode::usage, empty_value_text(*empty), tr("give it a value, or leave the option out")});
        po::store(parsed, vm);
        po::notify(vm);
        rest = po::collect_unrecognized(parsed.options, po::include_positional);
        if (vm.count("vault")) global.vault = vm["vault"].as<std::string>();
        if (vm.count("user")) global.user = vm["user"].as<std::string>();
        if (vm.count("passphrase-file")) {
            global.passphrase_file = vm["passphrase-file"].as<std::string>();
            global.passphrase_file_given_by = GivenBy::command_line;
        }
        if (vm.count("keyfile")) global.keyfile = vm["keyfile"].as<std::string>();
    } catch (const po::error& e) {
        return report(err, Error{ErrorCode::usage, option_error_text(e), tr("see `brankas --help`")});
    }
    if (!global.vault && env.vault) global.vault = *env.vault;
    if (!global.user && env.user) global.user = *env.user;
    if (!global.passphrase_file && env.passphrase_file) global.passphrase_file = *env.passphrase_file;
    global.allow_test_kdf = env.allow_test_kdf;
    global.err_is_terminal = env.err_is_terminal;

    if (version) {
        // `brankas --version status` did not run `status`: say so rather than seem to.
        if (!rest.empty() || !after_end.empty())
            return report(err, Error{ErrorCode::usage,
                                     fill(tr("--version takes no command or arguments, and '%s' was given"),
                                          {rest.empty() ? after_end.front() : rest.front()}),
                                     tr("run `brankas --version` alone")});
        out << "brankas " << BRANKAS_VERSION << "\n";
        return 0;
    }
    // `brankas help [COMMAND]` is `brankas [COMMAND] --help`.
    if (!rest.empty() && rest[0] == "help") {
        rest.erase(rest.begin());
        help = true;
    }
    const std::size_t words_before_end = rest.size();
    rest.insert(rest.end(), after_end.begin(), after_end.end());
    std::size_t consumed = 0;
    const CommandEntry* entry = find_command(commands, rest, consumed);
    if (entry == nullptr) {
        if (rest.empty()) {
            print_usage(help ? out : err, global_desc, commands);
            return help ? 0 : static_cast<int>(ExitCode::usage);
        }
        // An option brankas does not know, before any command word (`brankas --frob`): the
        // global parse lets it through for the command's own parse, and there is no command.
        if (rest[0].starts_with("-"))
            return report(err, Error{ErrorCode::usage, fill(tr("unrecognised option '%s'"), {i18n::echo(rest[0].substr(0, rest[0].find('=')))}),
                                     tr("see `brankas --help`")});
        // Help on a group without its subcommand lists the subcommands.
        if (help && is_command_group(commands, rest[0]) && (rest.size() == 1 || rest[1].starts_with("-"))) {
            print_group_usage(out, rest[0], commands);
            return 0;
        }
        if (is_command_group(commands, rest[0]))
            return report(err, Error{ErrorCode::usage,
                                     rest.size() < 2 ? fill(tr("'%s' needs a subcommand"), {i18n::echo(rest[0])})
                                                     : fill(tr("unknown subcommand '%1$s' of '%2$s'"), {i18n::echo(rest[1]), rest[0]}),
                                     fill(tr("`brankas %s --help` lists its subcommands"), {rest[0]})});
        return report(err, Error{ErrorCode::usage, fill(tr("unknown command '%s'"), {i18n::echo(rest[0])}), tr("see `brankas --help`")});
    }

    std::unique_ptr<Command> command = entry->make();
    po::options_description command_desc = command->options();
    if (help) {
        out << fill(tr("Usage: brankas [global options] %s [options]"), {entry->name}) << "\n\n" << tr(entry->summary.data()) << "\n\n"
            << command_desc << "\n" << global_desc;
        return 0;
    }
    try {
        std::vector<std::string> command_args(rest.begin() + static_cast<std::ptrdiff_t>(consumed), rest.end());
        // The command's options end where the global ones did (at once, if `--` came before the
        // command's words); its own options claimed above go before that end.
        const auto options_end = static_cast<std::ptrdiff_t>(words_before_end > consumed ? words_before_end - consumed : 0);
        if (!after_end.empty()) command_args.insert(command_args.begin() + options_end, "--");
        command_args.insert(command_args.begin() + options_end, claimed.begin(), claimed.end());
        po::variables_map vm;
        auto parsed = po::command_line_parser(command_args).options(command_desc).positional(command->positionals()).style(parser_style).run();
        if (auto empty = option_with_empty_value(parsed, command->options_that_may_be_empty()))
            return report(err, Error{ErrorCode::usage, fill(tr("%1$s (in '%2$s')"), {empty_value_text(*empty), entry->name}),
                                     tr("give it a value, or leave the option out")});
        po::store(parsed, vm);
        po::notify(vm);
        if (auto ok = command->setup(vm); !ok) return report(err, ok.error());
    } catch (const po::required_option& e) {
        // A required option that is also a word after the command was most likely left out as
        // a word: say what is missing and both ways to give it, not only the option's name.
        const po::positional_options_description words = command->positionals();
        const std::string option = e.get_option_name();
        for (unsigned i = 0; i < std::min(words.max_total_count(), 16u); ++i) {
            if ("--" + words.name_for_position(i) != option) continue;
            const po::option_description* described = command_desc.find_nothrow(words.name_for_position(i), false);
            if (described == nullptr) break;
            return report(err, Error{ErrorCode::usage,
                                     fill(tr("missing: %1$s (word %2$s after '%3$s', or %4$s)"),
                                          {described->description(), std::to_string(i + 1), entry->name, option}),
                                     fill(tr("see `brankas %s --help`"), {entry->name})});
        }
        return report(err, Error{ErrorCode::usage, fill(tr("%1$s (in '%2$s')"), {option_error_text(e), entry->name}),
                                 fill(tr("see `brankas %s --help`"), {entry->name})});
    } catch (const po::error& e) {
        return report(err, Error{ErrorCode::usage, fill(tr("%1$s (in '%2$s')"), {option_error_text(e), entry->name}),
                                 fill(tr("see `brankas %s --help`"), {entry->name})});
    }

    FileOrTerminalInput default_input(global.passphrase_file, &err);
    Context context(out, err, passphrases ? *passphrases : default_input, clock, global);
    if (auto ok = command->run(context); !ok) return report(err, ok.error());
    return 0;
}

} // namespace brankas::cli
