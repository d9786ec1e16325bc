// The handover minutes, *Berita Acara Serah Terima Akun Media Sosial*: the paper the district
// files, in Indonesian, as Markdown or as HTML that prints on A4. Built only from what a
// handover records (parties, accounts, times, the verification code): never a password.
#pragma once

#include "vault/handover/handover.hpp"

#include <string>

namespace brankas {

enum class MinutesFormat { markdown, html };

// "hari Senin, tanggal 3 Desember 2029, pukul 10.15 WIB": the moment as the minutes write it.
[[nodiscard]] std::string indonesian_date_time(std::int64_t unix_us, const policy::TimeZone& zone);

// The minutes of a completed handover (the caller checks that it is).
[[nodiscard]] std::string render_minutes(const HandoverInfo& h, MinutesFormat format);

} // namespace brankas
