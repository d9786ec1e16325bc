// Recovery shares: typed back from paper, or read from files the holders bring, on the day the
// quorum meets. First byte even: the rest is up to five share texts separated by "\n%%\n",
// each parsed (and each of its lines checked as a person would type it at the prompt), then combined.
// First byte odd: the rest is share records (vault id, split id, threshold, share count,
// holder, y), each written as text and read back, then combined; this reaches past the
// checksum that random bytes almost never pass.
#include "fuzz_target.hpp"

#include "vault/recovery/recovery_share.hpp"

#include <algorithm>
#include <string>
#include <vector>

using namespace brankas;

namespace {

constexpr std::size_t max_texts = 5;
constexpr std::size_t record_bytes = vault_id_size + split_id_size + 3 + recovery_key_size;

bool same_share(const RecoveryShare& a, const RecoveryShare& b) {
    return a.vault_id == b.vault_id && a.split_id == b.split_id && a.threshold == b.threshold && a.shares == b.shares &&
           a.holder == b.holder && a.y.equals(b.y.view());
}

void combine(const std::vector<RecoveryShare>& shares) {
    if (shares.empty()) return;
    auto key = combine_recovery_shares(shares, shares.front().vault_id);
    if (key) fuzz::require(key->size() == recovery_key_size, "a combined key has the key's size");
}

void from_texts(std::string_view input) {
    std::vector<RecoveryShare> parsed;
    for (std::size_t n = 0; n < max_texts && !input.empty(); ++n) {
        std::size_t end = input.find("\n%%\n");
        std::string_view text = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 4);
        // Each line as typed at the prompt for the line number it would be given.
        int number = 0;
        for (std::size_t start = 0; start < text.size();) {
            std::size_t stop = std::min(text.find('\n', start), text.size());
            (void)check_share_line(text.substr(start, stop - start), number++ % share_text_lines + 1);
            start = stop + 1;
        }
        if (auto share = parse_share_text(text, "fuzz")) parsed.push_back(std::move(*share));
    }
    combine(parsed);
}

void from_records(brankas::ByteView input) {
    std::vector<RecoveryShare> parsed;
    while (input.size() >= record_bytes && parsed.size() < max_texts) {
        RecoveryShare s;
        auto at = input.begin();
        std::copy_n(at, vault_id_size, s.vault_id.begin());
        at += vault_id_size;
        std::copy_n(at, split_id_size, s.split_id.begin());
        at += split_id_size;
        s.threshold = *at++;
        s.shares = *at++;
        s.holder = *at++;
        s.y = SecretBytes::copy_of(ByteView(&*at, recovery_key_size));
        input = input.subspan(record_bytes);
        SecretBytes text = share_text(s, "Bawaslu Kabupaten Ponorogo");
        auto back = parse_share_text(text.text(), "fuzz");
        if (!back) continue; // a share no split would make (threshold above the count, holder 0...)
        fuzz::require(same_share(*back, s), "a share reads back from its text as written");
        parsed.push_back(std::move(*back));
    }
    combine(parsed);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::start_crypto();
    if (size == 0) return 0;
    if (data[0] % 2 == 0) from_texts(fuzz::text_of(data + 1, size - 1));
    else from_records(fuzz::bytes_of(data + 1, size - 1));
    return 0;
}
