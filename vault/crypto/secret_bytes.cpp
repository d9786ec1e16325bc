#include "vault/crypto/secret_bytes.hpp"

#include <sodium.h>

#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

namespace brankas {

namespace {

// The wiped slots, every byte zero. Never destroyed: a secret that outlives static destruction
// still has somewhere to go (the slots are wiped; the process's end unmaps them).
struct KeptSlots {
    std::mutex mutex;
    std::vector<std::uint8_t*> slots;
};

KeptSlots& kept_slots_of_process() {
    static KeptSlots* kept = [] {
        auto* k = new KeptSlots;
        k->slots.reserve(SecretBytes::kept_slots_at_most);
        return k;
    }();
    return *kept;
}

std::uint8_t* take_slot() {
    KeptSlots& kept = kept_slots_of_process();
    {
        std::lock_guard lock(kept.mutex);
        if (!kept.slots.empty()) {
            std::uint8_t* slot = kept.slots.back();
            kept.slots.pop_back();
            return slot;
        }
    }
    auto* slot = static_cast<std::uint8_t*>(sodium_malloc(SecretBytes::slot_size));
    if (slot == nullptr) throw std::bad_alloc();
    sodium_memzero(slot, SecretBytes::slot_size); // sodium_malloc fills with a marker byte
    return slot;
}

// `slot` is wiped.
void give_slot(std::uint8_t* slot) noexcept {
    KeptSlots& kept = kept_slots_of_process();
    {
        std::lock_guard lock(kept.mutex);
        if (kept.slots.size() < SecretBytes::kept_slots_at_most) {
            kept.slots.push_back(slot); // reserved: never allocates
            return;
        }
    }
    sodium_free(slot);
}

} // namespace

SecretBytes::SecretBytes(std::size_t size) : size_(size), capacity_(size) {
    if (size > 0 && size <= slot_size) {
        slot_ = take_slot();
        data_ = slot_ + (slot_size - size);
        return; // a kept slot is all zero
    }
    // sodium_malloc(0) is allowed but returns a pointer we must still free; keep one byte.
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
    if (data_ == nullptr) throw std::bad_alloc();
    sodium_memzero(data_, size == 0 ? 1 : size);
}

void SecretBytes::release() noexcept {
    if (data_ == nullptr) return;
    if (slot_ != nullptr) {
        // Every byte it was made with, a truncated tail included: the slot goes back all zero.
        sodium_memzero(data_, capacity_);
        give_slot(slot_);
    } else {
        sodium_free(data_); // wipes the region before unmapping it
    }
    data_ = nullptr;
    slot_ = nullptr;
}

std::size_t SecretBytes::kept_slots() noexcept {
    KeptSlots& kept = kept_slots_of_process();
    std::lock_guard lock(kept.mutex);
    return kept.slots.size();
}

SecretBytes SecretBytes::copy_of(ByteView bytes) {
    SecretBytes s(bytes.size());
    if (!bytes.empty()) std::memcpy(s.data_, bytes.data(), bytes.size());
    return s;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      slot_(std::exchange(other.slot_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        slot_ = std::exchange(other.slot_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

SecretBytes::~SecretBytes() { release(); }

void SecretBytes::truncate(std::size_t new_size) noexcept {
    if (new_size >= size_) return;
    sodium_memzero(data_ + new_size, size_ - new_size);
    size_ = new_size;
}

void SecretBytes::wipe_for_reuse() noexcept {
    // The tail past size_ was wiped by truncate().
    if (data_ != nullptr) sodium_memzero(data_, size_);
    size_ = capacity_;
}

SecretBytes SecretBytes::to_hex() const {
    SecretBytes hex(size_ * 2 + 1); // sodium_bin2hex writes a terminating NUL
    sodium_bin2hex(reinterpret_cast<char*>(hex.data()), hex.size(), data_, size_);
    hex.truncate(size_ * 2);
    return hex;
}

bool SecretBytes::equals(ByteView other) const noexcept {
    return other.size() == size_ && (size_ == 0 || sodium_memcmp(data_, other.data(), size_) == 0);
}

} // namespace brankas
