// Secret bytes live in sodium_malloc memory: guarded pages, locked against swapping where
// RLIMIT_MEMLOCK allows, wiped when they go. Move-only, so a secret has exactly one owner.
//
// A small secret (up to `slot_size` bytes: keys, a password, a decoded form) takes a slot: one
// locked page of sodium_malloc memory, kept by the process once its secret is wiped, so that
// the next small secret takes it again instead of mapping (and, freed, unmapping: every CPU
// flushes its TLB) pages of its own. The bytes end where the slot ends, against its guard page,
// as sodium_malloc places them. At most `kept_slots_at_most` are kept; more are freed.
#pragma once

#include "vault/crypto/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>

namespace brankas {

class SecretBytes {
public:
    SecretBytes() = default;
    // Allocates `size` zeroed bytes; throws std::bad_alloc when secure memory is exhausted.
    explicit SecretBytes(std::size_t size);
    // Copies `bytes` into secure memory (the caller wipes its own copy).
    static SecretBytes copy_of(ByteView bytes);

    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;
    ~SecretBytes();

    [[nodiscard]] std::uint8_t* data() noexcept { return data_; }
    [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] ByteView view() const noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<std::uint8_t> span() noexcept { return {data_, size_}; }
    // The bytes as text (passphrases). The view must not outlive this object.
    [[nodiscard]] std::string_view text() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }

    // Shortens the visible size (e.g. a passphrase read into a larger buffer); the tail is wiped.
    void truncate(std::size_t new_size) noexcept;
    // Wipes every byte, a truncated tail included, and gives back the size it was made with: a
    // buffer kept to be filled again (sodium_malloc maps each one with guard pages, and
    // unmapping it makes every CPU flush its TLB).
    void wipe_for_reuse() noexcept;
    // The size it was made with, before any truncate().
    [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

    // Lower-case hex of the secret, itself in secure memory (constant-time encoding).
    [[nodiscard]] SecretBytes to_hex() const;

    // Constant-time comparison.
    [[nodiscard]] bool equals(ByteView other) const noexcept;

    static constexpr std::size_t slot_size = 4064; // one page of sodium_malloc's, its canary beside
    static constexpr std::size_t kept_slots_at_most = 64;
    // How many wiped slots the process keeps now.
    [[nodiscard]] static std::size_t kept_slots() noexcept;

private:
    void release() noexcept;

    std::uint8_t* data_ = nullptr;
    std::uint8_t* slot_ = nullptr; // the slot data_ lies in, or null when data_ is sodium_malloc's own
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

// Wipes buffers kept from one piece of work to the next (a thread's buffers for sealing a
// batch's passwords) whole when it goes out of scope, however the scope ends: once a piece of
// work is done, or cut short by an exception, they hold nothing of it.
template <class... Buffers>
class WipedAtExit {
public:
    explicit WipedAtExit(Buffers&... buffers) noexcept : buffers_(buffers...) {}
    WipedAtExit(const WipedAtExit&) = delete;
    WipedAtExit& operator=(const WipedAtExit&) = delete;
    ~WipedAtExit() {
        std::apply([](auto&... buffer) { (buffer.wipe_for_reuse(), ...); }, buffers_);
    }

private:
    std::tuple<Buffers&...> buffers_;
};

} // namespace brankas
