#include "vault/replay_cache.hpp"

#include <any>

namespace brankas {

ReplayCache* replay_cache(Database& db) {
    if (!db.counts_writes()) return nullptr;
    std::any& kept = db.replay_cache_slot();
    if (!kept.has_value()) kept.emplace<ReplayCache>();
    return std::any_cast<ReplayCache>(&kept);
}

Result<ReadsKeptForWrite> ReadsKeptForWrite::begin(Database& db) {
    if (db.counts_writes()) return ReadsKeptForWrite(nullptr);
    BRANKAS_TRY(db.count_writes());
    return ReadsKeptForWrite(&db);
}

} // namespace brankas
