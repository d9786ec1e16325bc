// The people domain's events (docs/formats.md "Actions"): the vault's genesis and its first
// admin, and the principals added, enrolled, granted, revoked and disabled.
#pragma once

#include "vault/log/event.hpp"
#include "vault/people/people.hpp"

#include <optional>
#include <string>

namespace brankas {

// vault.create: the first event; the vault's id and institution, and its first admin (the
// event's actor, introduced active with these keys). It has no target.
struct VaultCreated {
    std::string institution;
    VaultId vault_id{};
    PublicKey signing_key{}, box_key{};
    [[nodiscard]] Event encode() const; // the role is always "admin"
    [[nodiscard]] static Result<VaultCreated> decode(const Event& event);
};

// user.add: a principal of `role` with the keys of their enrollment slot (an enforcer's key file
// slot: no expiry then).
struct UserAdded {
    std::string name, role;
    PublicKey signing_key{}, box_key{};
    std::optional<std::int64_t> expires_us; // when the enrollment code stops working
    std::optional<Hash> slot_hash;          // of the slot written with it (formats.md, "Slot hashes")
    PersonRecord record;                    // full_name, nip, position: each only when given
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UserAdded> decode(const Event& event);
};

// user.edit: an admin sets a person's full name, NIP or position (at least one of them).
struct UserEdited {
    std::string name;
    PersonRecord record;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UserEdited> decode(const Event& event);
};

// user.enroll: a pending person (the actor and the target) introduces keys of their own.
struct UserEnrolled {
    std::string name;
    PublicKey signing_key{}, box_key{};
    std::optional<Hash> slot_hash;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UserEnrolled> decode(const Event& event);
};

// user.grant: a custodian is given a sub-district.
struct UserGranted {
    std::string name, unit;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UserGranted> decode(const Event& event);
};

// user.revoke: a custodian's grant of a sub-district ends.
struct UserRevoked {
    std::string name, unit;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UserRevoked> decode(const Event& event);
};

// The K_db a store moves to, announced by the user.disable that asks for it: its generation and
// the check that the keyring's envelopes carry that very key.
struct StoreKeyAnnounced {
    std::int64_t generation = 0;
    Hash check{};
};

// user.disable: a principal is ended; with `rekey`, the store moves to a new K_db.
struct UserDisabled {
    std::string name;
    std::optional<StoreKeyAnnounced> rekey;
    std::optional<std::string> reason; // "created by <name>" when it ends with the one who made it;
                                       // under dual control, the reason of the request it used
    std::optional<std::int64_t> request = std::nullopt; // dual control: the approved request (a re-key only)
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<UserDisabled> decode(const Event& event);
};

// user.passwd: a person sealed their own slot under a new passphrase.
struct PassphraseChanged {
    std::string name;
    std::optional<Hash> slot_hash;
    [[nodiscard]] Event encode() const;
    [[nodiscard]] static Result<PassphraseChanged> decode(const Event& event);
};

} // namespace brankas
