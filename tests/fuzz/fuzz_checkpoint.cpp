// A checkpoint file: kept outside the vault (another machine, an e-mail) and handed to
// `audit verify --checkpoint`, so it arrives from anywhere.
#include "fuzz_target.hpp"

#include "vault/log/checkpoint.hpp"

using namespace brankas;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::start_crypto();
    auto checkpoint = parse_checkpoint(fuzz::text_of(data, size));
    if (!checkpoint) return 0;
    (void)checkpoint_signature_valid(*checkpoint);
    // What parsed, written again, parses to the same checkpoint.
    std::string text = format_checkpoint(*checkpoint);
    auto again = parse_checkpoint(text);
    fuzz::require(again.has_value(), "a formatted checkpoint parses");
    fuzz::require(format_checkpoint(*again) == text, "a checkpoint reads back as written");
    return 0;
}
