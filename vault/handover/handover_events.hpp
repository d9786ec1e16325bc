// The handover domain's events (docs/formats.md "Actions" and "Handovers"). The start lists the
// accounts handed over; every later step carries the digest of that list and the unit, so each
// signer vouches for exactly what the start recorded.
#pragma once

#include "vault/handover/handover_records.hpp"
#include "vault/log/event.hpp"

#include <optional>
#include <string>
#include <vector>

namespace brankas {

// handover.start: `handover/<id>`, the unit, its receiver, its outgoing custodians (sorted) and
// a note, the accounts at their versions, and a named witness if any.
struct HandoverStarted {
    std::int64_t id = 0;
    std::string unit, receiver, note;
    std::vector<std::string> outgoing;
    std::vector<HandedOverVersion> accounts;
    std::optional<std::string> witness;
    // The outgoing custodians are asked to release it (`release` 1): every start written by this
    // version; a start without the field (older logs) completes without a release.
    bool release_asked = false;
    // BLAKE2b-256 of the encoded account list: what the later steps carry.
    [[nodiscard]] Hash accounts_digest() const;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<HandoverStarted> decode(const Event& event);
};

// What every later step carries.
struct HandoverStepFields {
    std::int64_t id = 0;
    Hash accounts_digest{};
    std::string unit;
};

// handover.accept: by the receiver, with their own key.
struct HandoverAccepted : HandoverStepFields {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<HandoverAccepted> decode(const Event& event);
};

// handover.witness: by the witness (an admin or an auditor).
struct HandoverWitnessed : HandoverStepFields {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<HandoverWitnessed> decode(const Event& event);
};

// handover.complete: by an admin; the grant, revocations and key rotation follow as events.
struct HandoverCompleted : HandoverStepFields {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<HandoverCompleted> decode(const Event& event);
};

// handover.release: by an outgoing custodian, with their own key: they hand the sub-district over.
struct HandoverReleased : HandoverStepFields {
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<HandoverReleased> decode(const Event& event);
};

// handover.cancel: by an admin, with a reason (may be empty).
struct HandoverCancelled : HandoverStepFields {
    std::string reason;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<HandoverCancelled> decode(const Event& event);
};

// The step fields of the handover as it stands.
[[nodiscard]] HandoverStepFields step_fields(const HandoverRow& row);

} // namespace brankas
