#include "vault/log/signer_keys.hpp"

#include "vault/log/actions.hpp"
#include "vault/log/event_fields.hpp"

namespace brankas {

std::optional<PublicKey> SignerKeys::expected(const Event& e) const {
    std::optional<SignerStanding> actor;
    if (auto it = principals_.find(e.actor); it != principals_.end()) actor = SignerStanding{it->second.status, it->second.signing_key};
    return signing_key_for(e, actor);
}

Status SignerKeys::learn(const Event& e) {
    const std::string_view subject = signer_subject(e);
    if (subject.empty()) return {};
    if (e.action == actions::vault_create && !principals_.empty()) return event_refused(e, i18n::tr_noop("is not the only genesis"));
    std::optional<Signer> before;
    if (auto it = principals_.find(subject); it != principals_.end()) before = it->second;
    auto after = BRANKAS_TRY(signer_after(e, before));
    if (after) principals_.insert_or_assign(std::string(subject), std::move(*after));
    return {};
}

} // namespace brankas
