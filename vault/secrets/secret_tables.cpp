#include "vault/secrets/secret_tables.hpp"

#include "policy/document.hpp"
#include "vault/decisions.hpp"
#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

Result<Bytes> required_sealed_secret(const Event& e) {
    auto sealed = e.details.get_bytes("sealed");
    if (!sealed || sealed->size() <= sealed_box_overhead || sealed->size() > max_sealed_secret)
        return event_refused(e, "lacks a sealed secret of an acceptable size");
    return std::move(*sealed);
}

} // namespace brankas
