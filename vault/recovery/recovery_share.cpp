#include "vault/recovery/recovery_share.hpp"

#include "i18n/translate.hpp"
#include "vault/crypto/primitives.hpp"

// libgfshare's header declares C functions without extern "C".
extern "C" {
#include <libgfshare.h>
}
#include <sodium.h>

#include <algorithm>
#include <memory>

namespace brankas {

namespace {

// libgfshare draws the polynomial's coefficients through this pointer, and overwrites its
// buffers through it before freeing them (for a combination too). It starts NULL, which crashes;
// its offered fallback is random(), which is not a CSPRNG.
void fill_from_libsodium(unsigned char* out, unsigned int size) { randombytes_buf(out, size); }

struct GfshareFree {
    void operator()(gfshare_ctx* ctx) const noexcept { gfshare_ctx_free(ctx); }
};
using GfshareContext = std::unique_ptr<gfshare_ctx, GfshareFree>;

// Every context is made through here, so the pointer is set before libgfshare can use it.
enum class Direction { split, combine };
GfshareContext new_context(Direction direction, unsigned char* numbers, unsigned int count, unsigned char threshold) {
    gfshare_fill_rand = fill_from_libsodium;
    return GfshareContext(direction == Direction::split ? gfshare_ctx_init_enc(numbers, count, threshold, recovery_key_size)
                                  : gfshare_ctx_init_dec(numbers, count, recovery_key_size));
}

// ---- the record behind a share's text ----

constexpr std::uint8_t share_format_version = 1;
// version, vault id, split id, threshold, share count, holder, y
constexpr std::size_t record_size = 1 + vault_id_size + split_id_size + 3 + recovery_key_size; // 60
constexpr std::size_t checksum_size = 5;                                                        // 40 bits
constexpr std::size_t encoded_bytes = record_size + checksum_size;                              // 65
constexpr std::size_t symbol_count = encoded_bytes * 8 / 5;                                     // 104, exactly
static_assert(encoded_bytes * 8 % 5 == 0, "the record fills whole base32 symbols");
constexpr std::size_t symbols_per_line = 20; // five groups of four
constexpr std::size_t group_size = 4;
static_assert((share_text_lines - 1) * symbols_per_line < symbol_count && share_text_lines * symbols_per_line >= symbol_count);

// Crockford's base32: no I, L, O or U, so a share read aloud or copied by hand survives.
constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::size_t symbols_on_line(int number) {
    std::size_t before = static_cast<std::size_t>(number - 1) * symbols_per_line;
    return std::min(symbols_per_line, symbol_count - before);
}

// The value of a typed symbol, forgiving lower case and the usual misreadings (O for 0, I or L
// for 1); -1 for anything else.
int symbol_value(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    auto at = alphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// BLAKE2b-256("brankas-recovery-share-v1" || record), first five bytes: one share in 2^40
// mistyped in a way that every line check missed still passes.
std::array<std::uint8_t, checksum_size> record_checksum(ByteView record) {
    constexpr std::string_view label = "brankas-recovery-share-v1";
    SecretBytes message(label.size() + record.size());
    std::copy(label.begin(), label.end(), message.data());
    std::copy(record.begin(), record.end(), message.data() + label.size());
    Hash h = blake2b_256(message.view());
    std::array<std::uint8_t, checksum_size> out{};
    std::copy_n(h.begin(), out.size(), out.begin());
    return out;
}

// One line's check symbol: BLAKE2b-256("brankas-share-line-v1" || u8 line number || the line's
// symbol values, one byte each), first byte mod 32. A typo in a line is caught there, with its
// number, 31 times in 32; the number in the hash catches lines typed in the wrong order.
char line_check(int number, const std::uint8_t* values, std::size_t count) {
    constexpr std::string_view label = "brankas-share-line-v1";
    SecretBytes message(label.size() + 1 + count);
    std::copy(label.begin(), label.end(), message.data());
    message.data()[label.size()] = static_cast<std::uint8_t>(number);
    std::copy_n(values, count, message.data() + label.size() + 1);
    return alphabet[blake2b_256(message.view())[0] & 31];
}

// A share line as typed: "N: XXXX XXXX XXXX XXXX XXXX  C". `values` receives the symbol values.
struct TypedLine {
    int number = 0;
    std::size_t count = 0;
    char check = 0;
};

std::optional<i18n::Phrase> read_line(std::string_view line, TypedLine& out, SecretBytes& values) {
    std::size_t i = line.find_first_not_of(" \t");
    if (i == std::string_view::npos) return i18n::Phrase(i18n::tr_noop("it is empty"));
    int number = 0;
    std::size_t digits = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 2) {
        number = number * 10 + (line[i] - '0');
        ++i;
        ++digits;
    }
    if (digits == 0 || i >= line.size() || line[i] != ':') return i18n::Phrase(i18n::tr_noop("it does not start with its line number and ':'"));
    ++i;
    std::size_t end = line.find_last_not_of(" \t\r\n");
    if (end == std::string_view::npos || end < i) return i18n::Phrase(i18n::tr_noop("it has no symbols"));
    // The last symbol, standing alone, is the check symbol.
    if (end == i || (line[end - 1] != ' ' && line[end - 1] != '\t')) return i18n::Phrase(i18n::tr_noop("its check symbol, alone at the end, is missing"));
    int check = symbol_value(line[end]);
    if (check < 0) return i18n::Phrase(i18n::tr_noop("its check symbol is not one of 0-9 and A-Z (without I, L, O, U)"));
    std::size_t count = 0;
    for (std::size_t k = i; k < end; ++k) {
        char c = line[k];
        if (c == ' ' || c == '\t' || c == '-') continue;
        int v = symbol_value(c);
        if (v < 0) return i18n::Phrase(i18n::tr_noop("it holds a character that is not one of 0-9 and A-Z (without I, L, O, U)"));
        if (count == values.size()) return i18n::Phrase(i18n::tr_noop("it has too many symbols"));
        values.data()[count++] = static_cast<std::uint8_t>(v);
    }
    out = TypedLine{number, count, alphabet[static_cast<std::size_t>(check)]};
    return std::nullopt;
}

// Checks the line's length and check symbol.
std::optional<i18n::Phrase> check_typed(const TypedLine& t, const SecretBytes& values) {
    std::size_t expected = symbols_on_line(t.number);
    if (t.count != expected)
        return i18n::Phrase::with_plain(i18n::tr_noop("it has %1$s symbols before its check symbol, not %2$s"),
                                        {std::to_string(t.count), std::to_string(expected)});
    if (line_check(t.number, values.data(), t.count) != t.check) return i18n::Phrase(i18n::tr_noop("its check symbol does not match: a symbol is mistyped"));
    return std::nullopt;
}

void put_bits(const SecretBytes& bytes, SecretBytes& symbols) {
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t out = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        acc = (acc << 8) | bytes.data()[i];
        bits += 8;
        while (bits >= 5) {
            symbols.data()[out++] = static_cast<std::uint8_t>((acc >> (bits - 5)) & 31);
            bits -= 5;
        }
    }
    sodium_memzero(&acc, sizeof acc);
}

void take_bits(const SecretBytes& symbols, SecretBytes& bytes) {
    std::uint32_t acc = 0;
    int bits = 0;
    std::size_t out = 0;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        acc = (acc << 5) | symbols.data()[i];
        bits += 5;
        if (bits >= 8) {
            bytes.data()[out++] = static_cast<std::uint8_t>((acc >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    sodium_memzero(&acc, sizeof acc);
}

SecretBytes record_of(const RecoveryShare& s) {
    SecretBytes r(encoded_bytes);
    std::uint8_t* p = r.data();
    *p++ = share_format_version;
    p = std::copy(s.vault_id.begin(), s.vault_id.end(), p);
    p = std::copy(s.split_id.begin(), s.split_id.end(), p);
    *p++ = s.threshold;
    *p++ = s.shares;
    *p++ = s.holder;
    p = std::copy_n(s.y.data(), recovery_key_size, p);
    auto sum = record_checksum({r.data(), record_size});
    std::copy(sum.begin(), sum.end(), p);
    return r;
}

std::string hex_of(ByteView b) { return to_hex(b); }

} // namespace

Result<std::vector<RecoveryShare>> split_recovery_key(const SecretBytes& key, const VaultId& vault_id, const SplitId& split_id,
                                                      int threshold, int shares) {
    if (key.size() != recovery_key_size) return fail_phrased(ErrorCode::internal, i18n::tr_noop("the recovery key must be 32 bytes"), {});
    if (shares < min_recovery_shares || shares > max_recovery_shares || threshold < min_recovery_shares || threshold > shares)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("choose 2 to %s shares and a threshold from 2 to the number of shares"),
                            {std::to_string(max_recovery_shares)});
    std::array<unsigned char, max_recovery_shares> numbers{};
    for (int i = 0; i < shares; ++i) numbers[static_cast<std::size_t>(i)] = static_cast<unsigned char>(i + 1); // x = 1..n; 0 would be the secret
    GfshareContext ctx = new_context(Direction::split, numbers.data(), static_cast<unsigned int>(shares), static_cast<unsigned char>(threshold));
    if (!ctx) return fail_phrased(ErrorCode::internal, i18n::tr_noop("libgfshare refused to prepare the split"), {});
    SecretBytes secret = SecretBytes::copy_of(key.view()); // libgfshare takes a non-const pointer
    gfshare_ctx_enc_setsecret(ctx.get(), secret.data());
    std::vector<RecoveryShare> out;
    for (int i = 0; i < shares; ++i) {
        RecoveryShare s{vault_id, split_id, static_cast<std::uint8_t>(threshold), static_cast<std::uint8_t>(shares),
                        static_cast<std::uint8_t>(i + 1), SecretBytes(recovery_key_size)};
        gfshare_ctx_enc_getshare(ctx.get(), static_cast<unsigned char>(i), s.y.data());
        out.push_back(std::move(s));
    }
    return out;
}

Result<SecretBytes> combine_recovery_shares(const std::vector<RecoveryShare>& given, const VaultId& vault_id) {
    if (given.empty()) return fail_phrased(ErrorCode::usage, i18n::tr_noop("no recovery share was given"), {});
    for (std::size_t i = 0; i < given.size(); ++i) {
        const RecoveryShare& s = given[i];
        if (s.vault_id != vault_id)
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("share %1$s belongs to another vault (id %2$s), not this one (id %3$s)"),
                                {std::to_string(i + 1), std::string(hex_of(s.vault_id)), std::string(hex_of(vault_id))},
                                i18n::tr_noop("use the shares printed for this vault"));
        if (s.split_id != given[0].split_id || s.threshold != given[0].threshold || s.shares != given[0].shares)
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("shares 1 and %1$s come from different splits (%2$s and %3$s)"),
                                {std::to_string(i + 1), std::string(hex_of(given[0].split_id)), std::string(hex_of(s.split_id))},
                                i18n::tr_noop("only the shares of the latest `recovery split` work"));
        for (std::size_t j = 0; j < i; ++j)
            if (given[j].holder == s.holder)
                return fail_phrased(ErrorCode::usage, i18n::tr_noop("shares %1$s and %2$s are the same holder's (holder %3$s)"),
                                    {std::to_string(j + 1), std::to_string(i + 1), std::to_string(s.holder)},
                                    i18n::tr_noop("each holder's share counts once"));
    }
    const std::size_t need = given[0].threshold;
    if (given.size() < need)
        return fail_phrased(ErrorCode::usage,
                            given.size() == 1 ? i18n::tr_noop("%1$s shares are needed and %2$s was given")
                                              : i18n::tr_noop("%1$s shares are needed and %2$s were given"),
                            {std::to_string(need), std::to_string(given.size()), std::to_string(given[0].shares)},
                            i18n::tr_noop("bring together %1$s of the %3$s holders"));
    // Exactly the threshold's worth: more add nothing to the interpolation.
    std::array<unsigned char, max_recovery_shares> numbers{};
    for (std::size_t i = 0; i < need; ++i) numbers[i] = given[i].holder;
    GfshareContext ctx = new_context(Direction::combine, numbers.data(), static_cast<unsigned int>(need), 0);
    if (!ctx) return fail_phrased(ErrorCode::internal, i18n::tr_noop("libgfshare refused to prepare the combination"), {});
    for (std::size_t i = 0; i < need; ++i) {
        SecretBytes y = SecretBytes::copy_of(given[i].y.view()); // libgfshare takes a non-const pointer
        gfshare_ctx_dec_giveshare(ctx.get(), static_cast<unsigned char>(i), y.data());
    }
    SecretBytes key(recovery_key_size);
    gfshare_ctx_dec_extract(ctx.get(), key.data());
    return key;
}

SecretBytes share_text(const RecoveryShare& share, std::string_view institution) {
    // The heading and the note are for the holder, in the language of whoever splits the key; a
    // reader takes only the numbered lines, so a share printed in one language is read in any.
    const std::string holder = std::to_string(share.holder), shares = std::to_string(share.shares),
                      threshold = std::to_string(share.threshold), vault_id = hex_of(share.vault_id), split_id = hex_of(share.split_id);
    const std::string head =
        i18n::fill(i18n::tr("BRANKAS RECOVERY SHARE %1$s of %2$s (any %3$s of them recover the vault)"), {holder, shares, threshold}) + "\n" +
        i18n::fill(i18n::tr("Vault: %s"), {institution}) + "\n" + i18n::fill(i18n::tr("Vault id: %s"), {vault_id}) + "\n" +
        i18n::fill(i18n::tr("Split: %s"), {split_id}) + "\n\n";
    const std::string tail = std::string("\n") +
                             i18n::tr("Type the numbered lines exactly as printed (spaces do not matter; the last symbol of each\n"
                                      "line checks it). Keep this paper private: with enough other shares it opens the vault.") +
                             "\n";
    SecretBytes record = record_of(share);
    SecretBytes symbols(symbol_count);
    put_bits(record, symbols);
    // Each line: "N: " + groups + "  C\n" -> at most 3 + 20 + 4 + 3 + 1 bytes.
    SecretBytes text(head.size() + share_text_lines * 32 + tail.size());
    std::size_t n = 0;
    auto put = [&](char c) { text.data()[n++] = static_cast<std::uint8_t>(c); };
    for (char c : head) put(c);
    std::size_t at = 0;
    for (int line = 1; line <= share_text_lines; ++line) {
        std::size_t count = symbols_on_line(line);
        put(static_cast<char>('0' + line));
        put(':');
        for (std::size_t k = 0; k < count; ++k) {
            if (k % group_size == 0) put(' ');
            put(alphabet[symbols.data()[at + k]]);
        }
        put(' ');
        put(' ');
        put(line_check(line, symbols.data() + at, count));
        put('\n');
        at += count;
    }
    for (char c : tail) put(c);
    text.truncate(n);
    return text;
}

std::optional<i18n::Phrase> check_share_line(std::string_view line, int expected_number) {
    TypedLine t;
    SecretBytes values(symbols_per_line + 8);
    if (auto bad = read_line(line, t, values)) return bad;
    if (t.number != expected_number)
        return i18n::Phrase::with_plain(i18n::tr_noop("it is numbered %1$s, not %2$s"), {std::to_string(t.number), std::to_string(expected_number)});
    return check_typed(t, values);
}

Result<RecoveryShare> parse_share_text(std::string_view text, std::string_view source) {
    const std::string where(source);
    SecretBytes symbols(symbol_count);
    std::size_t at = 0;
    int lines = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t stop = text.find('\n', start);
        if (stop == std::string_view::npos) stop = text.size();
        std::string_view line = text.substr(start, stop - start);
        start = stop + 1;
        // A share line starts with its number and a colon; headings and notes are ignored.
        std::size_t i = line.find_first_not_of(" \t");
        if (i == std::string_view::npos || line[i] < '0' || line[i] > '9') continue;
        std::size_t colon = line.find(':', i);
        if (colon == std::string_view::npos || colon - i > 2 ||
            line.substr(i, colon - i).find_first_not_of("0123456789") != std::string_view::npos)
            continue;
        ++lines;
        if (lines > share_text_lines)
            return fail_phrased(ErrorCode::usage, i18n::tr_noop("%1$s has more than %2$s numbered lines"),
                                {std::string(where), std::to_string(share_text_lines)});
        TypedLine t;
        SecretBytes values(symbols_per_line + 8);
        auto bad = read_line(line, t, values);
        if (!bad && t.number != lines)
            bad = i18n::Phrase::with_plain(i18n::tr_noop("it is numbered %1$s where line %2$s belongs"),
                                           {std::to_string(t.number), std::to_string(lines)});
        if (!bad) bad = check_typed(t, values);
        if (bad)
            return fail_phrase(ErrorCode::usage,
                               i18n::Phrase(i18n::tr_noop("%1$s: line %2$s of the share is wrong: %3$s"),
                                            {i18n::Phrase::plain(std::string(where)), i18n::Phrase::plain(std::to_string(lines)), std::move(*bad)}),
                               i18n::tr_noop("compare it with the printed share, symbol by symbol"));
        std::copy_n(values.data(), t.count, symbols.data() + at);
        at += t.count;
    }
    if (lines == 0) return fail_phrased(ErrorCode::usage, i18n::tr_noop("%s is not a Brankas recovery share (it has no numbered share lines)"),
                                        {std::string(where)});
    if (lines != share_text_lines)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("%1$s has %2$s share lines; a share has %3$s"),
                            {std::string(where), std::to_string(lines), std::to_string(share_text_lines)},
                            i18n::tr_noop("type every numbered line of the printed share"));
    SecretBytes record(encoded_bytes);
    take_bits(symbols, record);
    auto sum = record_checksum({record.data(), record_size});
    if (sodium_memcmp(sum.data(), record.data() + record_size, checksum_size) != 0)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("%s: the share's checksum does not match: a line is mistyped"), {std::string(where)},
                            i18n::tr_noop("compare every line with the printed share"));
    const std::uint8_t* p = record.data();
    if (p[0] != share_format_version)
        return fail_phrased(ErrorCode::unsupported, i18n::tr_noop("%1$s is a share of format %2$s, which this brankas does not know"),
                            {std::string(where), std::to_string(p[0])});
    RecoveryShare s;
    std::copy_n(p + 1, vault_id_size, s.vault_id.begin());
    std::copy_n(p + 1 + vault_id_size, split_id_size, s.split_id.begin());
    s.threshold = p[1 + vault_id_size + split_id_size];
    s.shares = p[2 + vault_id_size + split_id_size];
    s.holder = p[3 + vault_id_size + split_id_size];
    if (s.shares < min_recovery_shares || s.shares > max_recovery_shares || s.threshold < min_recovery_shares ||
        s.threshold > s.shares || s.holder < 1 || s.holder > s.shares)
        return fail_phrased(ErrorCode::usage, i18n::tr_noop("%s names an impossible holder, threshold or share count"), {std::string(where)});
    s.y = SecretBytes::copy_of({p + 4 + vault_id_size + split_id_size, recovery_key_size});
    return s;
}

} // namespace brankas
