// At most two key derivations at once: each sign-in runs Argon2id with its slot's cost (256 MiB
// and about a second by default), so a burst of sign-ins waits its turn instead of exhausting
// the machine's memory.
#pragma once

#include <semaphore>

namespace brankas::web {

class DerivationGate {
public:
    static constexpr int at_once = 2;

    // Held for the length of one derivation.
    class Turn {
    public:
        explicit Turn(DerivationGate& gate) : gate_(gate) { gate_.slots_.acquire(); }
        Turn(const Turn&) = delete;
        Turn& operator=(const Turn&) = delete;
        ~Turn() { gate_.slots_.release(); }

    private:
        DerivationGate& gate_;
    };

    // Whether a derivation could start now without waiting (tests).
    [[nodiscard]] bool try_take() { return slots_.try_acquire(); }
    void give_back() { slots_.release(); }

private:
    std::counting_semaphore<at_once> slots_{at_once};
};

} // namespace brankas::web
