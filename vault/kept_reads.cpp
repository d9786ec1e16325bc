#include "vault/kept_reads.hpp"

#include <any>

namespace brankas {

ReplayReads* replay_reads(Database& db) {
    if (!db.counts_writes()) return nullptr;
    std::any& kept = db.kept_reads();
    if (!kept.has_value()) kept.emplace<ReplayReads>();
    return std::any_cast<ReplayReads>(&kept);
}

} // namespace brankas
