#include "vault/crypto/secret_bytes.hpp"

#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

namespace brankas {

SecretBytes::SecretBytes(std::size_t size) : size_(size), capacity_(size) {
    // sodium_malloc(0) is allowed but returns a pointer we must still free; keep one byte.
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
    if (data_ == nullptr) throw std::bad_alloc();
    sodium_memzero(data_, size == 0 ? 1 : size);
}

SecretBytes SecretBytes::copy_of(ByteView bytes) {
    SecretBytes s(bytes.size());
    if (!bytes.empty()) std::memcpy(s.data_, bytes.data(), bytes.size());
    return s;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
        if (data_ != nullptr) sodium_free(data_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

SecretBytes::~SecretBytes() {
    // sodium_free wipes the region before unmapping it.
    if (data_ != nullptr) sodium_free(data_);
}

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
