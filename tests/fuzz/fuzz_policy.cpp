// The policy document: typed by a district, stored in the log by `policy set`, and parsed
// again by every `audit verify`. The syntax check (policy/document_syntax.hpp) runs first and
// toml++ behind it, compiled into the fuzz build with its assertions, the sanitizers and
// coverage: what the check lets through is what toml++ is fuzzed with.
#include "fuzz_target.hpp"

#include "policy/document.hpp"

using namespace brankas;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto policy = policy::parse_policy_document(fuzz::text_of(data, size));
    if (!policy) {
        fuzz::require(!policy.error().empty(), "a refused document has at least one error");
        return 0;
    }
    // `policy show` writes what `policy set` reads.
    std::string shown = policy::render_policy_document(*policy);
    auto again = policy::parse_policy_document(shown);
    fuzz::require(again.has_value(), "a rendered policy parses");
    fuzz::require(*again == *policy, "a rendered policy parses to the same policy");
    return 0;
}
