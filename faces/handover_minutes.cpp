#include "faces/handover_minutes.hpp"

#include <algorithm>
#include <array>

namespace brankas {

namespace {

constexpr std::array<const char*, 7> day_names{"Kamis", "Jumat", "Sabtu", "Minggu", "Senin", "Selasa", "Rabu"}; // 1970-01-01 was a Thursday
constexpr std::array<const char*, 12> month_names{"Januari", "Februari", "Maret",     "April",   "Mei",      "Juni",
                                                  "Juli",    "Agustus",  "September", "Oktober", "November", "Desember"};

struct LocalTime {
    std::int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, weekday = 0; // weekday: 0 = Thursday
};

LocalTime local_time_of(std::int64_t us, const policy::TimeZone& zone) {
    std::int64_t seconds = us / 1'000'000 + std::int64_t{zone.utc_offset_minutes} * 60;
    std::int64_t days = seconds / 86'400;
    std::int64_t rest = seconds % 86'400;
    if (rest < 0) {
        rest += 86'400;
        --days;
    }
    LocalTime t;
    t.hour = rest / 3600;
    t.minute = rest / 60 % 60;
    t.weekday = ((days % 7) + 7) % 7;
    // Days since the epoch to the civil date (proleptic Gregorian calendar).
    std::int64_t z = days + 719'468;
    const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
    const std::int64_t doe = z - era * 146'097;
    const std::int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    t.day = doy - (153 * mp + 2) / 5 + 1;
    t.month = mp < 10 ? mp + 3 : mp - 9;
    t.year = yoe + era * 400 + (t.month <= 2 ? 1 : 0);
    return t;
}

std::string two(std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// Text from the vault goes into a document: markup in it stays text.
std::string html_escaped(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += ' ';
            else out += c;
        }
    }
    return out;
}

// Markdown: free text escapes the characters that would become markup or break a table row.
std::string md_escaped(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\`*_{}[]<>#|!~").find(c) != std::string_view::npos) out += '\\';
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
        out += c;
    }
    return out;
}

// Handles and addresses as code spans, so they read exactly as typed (no escapes inside).
std::string md_code(std::string_view s) {
    if (s.empty()) return "-";
    std::string out = "`";
    for (char c : s) out += (c == '`' || c == '|' || static_cast<unsigned char>(c) < 0x20) ? '\'' : c;
    return out + "`";
}

std::string login_of(const HandoverAccount& a) {
    if (!a.email.empty() && !a.phone.empty()) return a.email + " / " + a.phone;
    return !a.email.empty() ? a.email : a.phone;
}

struct Party {
    std::string role, name;
};

constexpr const char* not_recorded = "(tidak tercatat)";

// A person as the minutes name them: full name, NIP and position from their record, each
// "(tidak tercatat)" where the vault does not hold it.
struct Named {
    std::string full_name, nip, position;
};

Named named(const HandoverInfo& h, const std::string& who) {
    Named n{not_recorded, not_recorded, not_recorded};
    auto it = h.records.find(who);
    if (it == h.records.end()) return n;
    const PersonRecord& r = it->second;
    if (r.full_name) n.full_name = *r.full_name;
    if (r.nip) n.nip = nip_as_written(*r.nip);
    if (r.position) n.position = *r.position;
    return n;
}

// Under a signature line: the full name (or the login name when none is recorded) and the NIP.
std::string signature_name(const HandoverInfo& h, const std::string& who) {
    auto it = h.records.find(who);
    return it != h.records.end() && it->second.full_name ? *it->second.full_name : who;
}

std::string signature_nip(const HandoverInfo& h, const std::string& who) {
    auto it = h.records.find(who);
    return "NIP. " + (it != h.records.end() && it->second.nip ? nip_as_written(*it->second.nip) : std::string(not_recorded));
}

const HandoverStep* release_of(const HandoverInfo& h, const std::string& who) {
    auto it = std::find_if(h.releases.begin(), h.releases.end(), [&](const HandoverStep& r) { return r.by == who; });
    return it == h.releases.end() ? nullptr : &*it;
}

// What the vault recorded of each party's own signature: the outgoing custodians' release, the
// receiver's acceptance; and, when the policy let an admin complete without a release, the
// words that say so. Empty for a handover that asked for no release (older ones).
std::vector<std::string> signature_record(const HandoverInfo& h, bool html) {
    auto esc = [html](std::string_view s) { return html ? html_escaped(s) : md_escaped(s); };
    std::vector<std::string> lines;
    if (!h.release_asked) return lines;
    for (const std::string& from : h.outgoing) {
        if (const HandoverStep* r = release_of(h, from))
            lines.push_back("Pihak Pertama, " + esc(signature_name(h, from)) + " (" + esc(from) + "), telah melepaskan akun-akun di atas dengan " +
                            "tanda tangan elektroniknya sendiri pada " + indonesian_date_time(r->time_us, h.time_zone) + " (peristiwa " +
                            std::to_string(r->seq) + ").");
    }
    if (h.accepted.seq != 0)
        lines.push_back("Pihak Kedua, " + esc(signature_name(h, h.receiver)) + " (" + esc(h.receiver) + "), telah menerima akun-akun di atas dengan " +
                        "tanda tangan elektroniknya sendiri pada " + indonesian_date_time(h.accepted.time_us, h.time_zone) + " (peristiwa " +
                        std::to_string(h.accepted.seq) + ").");
    for (const std::string& from : h.unreleased())
        lines.push_back("Serah terima ini diselesaikan TANPA pelepasan oleh Pihak Pertama, " + esc(signature_name(h, from)) + " (" + esc(from) +
                        "), yang tidak menandatangani pelepasan di brankas; kebijakan kantor mengizinkan penyelesaian tanpa pelepasan "
                        "(release_required = false), dan penyelesaiannya dicatat atas tanggung jawab administrator " +
                        esc(signature_name(h, h.ended.by)) + " (" + esc(h.ended.by) + ").");
    return lines;
}

// Without outgoing custodians (a unit nobody held), the admin who started it hands over.
std::vector<std::string> first_party(const HandoverInfo& h) {
    return h.outgoing.empty() ? std::vector<std::string>{h.started.by} : h.outgoing;
}

std::vector<Party> parties_of(const HandoverInfo& h) {
    std::vector<Party> p;
    for (const std::string& from : first_party(h)) p.push_back({"Pihak Pertama (yang menyerahkan)", from});
    p.push_back({"Pihak Kedua (yang menerima)", h.receiver});
    if (!h.witnessed.by.empty()) p.push_back({"Saksi", h.witnessed.by});
    p.push_back({"Administrator (yang memulai)", h.started.by});
    if (h.ended.by != h.started.by) p.push_back({"Administrator (yang menyelesaikan)", h.ended.by});
    return p;
}

// The signature blocks: the outgoing custodians, the receiver, the witness.
std::vector<Party> signers_of(const HandoverInfo& h) {
    std::vector<Party> s;
    for (const std::string& from : first_party(h)) s.push_back({"Pihak Pertama", from});
    s.push_back({"Pihak Kedua", h.receiver});
    if (!h.witnessed.by.empty()) s.push_back({"Saksi", h.witnessed.by});
    else s.push_back({"Mengetahui, Administrator", h.ended.by});
    return s;
}

std::string opening(const HandoverInfo& h, bool html) {
    auto esc = [html](std::string_view s) { return html ? html_escaped(s) : md_escaped(s); };
    return "Pada " + indonesian_date_time(h.ended.time_us, h.time_zone) + ", di " + esc(h.institution) +
           ", telah dilaksanakan serah terima pengelolaan akun media sosial Kecamatan " + esc(h.unit_name) + " (" + esc(h.unit) +
           ") dari Pihak Pertama kepada Pihak Kedua, sebagaimana tercatat dalam serah terima nomor " + std::to_string(h.id) +
           " pada brankas.";
}

constexpr const char* closing =
    "Dengan selesainya serah terima ini, akses Pihak Pertama telah dicabut, kunci kecamatan telah diganti, dan kata sandi "
    "setiap akun di atas wajib diganti. Kata sandi tidak dicantumkan dalam berita acara ini.";

std::string markdown(const HandoverInfo& h) {
    std::string d;
    d += "# BERITA ACARA SERAH TERIMA AKUN MEDIA SOSIAL\n\n";
    d += "**" + md_escaped(h.institution) + "**  \n";
    d += "Nomor: " + h.number + "\n\n";
    d += opening(h, false) + "\n\n";
    d += "## Para pihak\n\n| Peran | Nama lengkap | NIP | Jabatan | Pengguna |\n|---|---|---|---|---|\n";
    for (const Party& p : parties_of(h)) {
        const Named n = named(h, p.name);
        d += "| " + p.role + " | " + md_escaped(n.full_name) + " | " + md_escaped(n.nip) + " | " + md_escaped(n.position) + " | " + md_code(p.name) + " |\n";
    }
    d += "\n## Daftar akun yang diserahterimakan\n\n| No. | Kecamatan | Platform | Akun | Surel / telepon masuk |\n|---|---|---|---|---|\n";
    std::size_t n = 0;
    for (const HandoverAccount& a : h.accounts)
        d += "| " + std::to_string(++n) + " | " + md_escaped(h.unit_name) + " (" + md_escaped(a.unit) + ") | " + md_escaped(a.platform) + " | " +
             md_code(a.handle) + " | " + md_code(login_of(a)) + " |\n";
    if (h.accounts.empty()) d += "| - | - | - | - | - |\n";
    d += "\nCatatan: " + md_escaped(h.note) + "\n\n" + closing + "\n\n";
    for (const std::string& line : signature_record(h, false)) d += line + "\n\n";
    d += "## Tanda tangan\n\n";
    for (const Party& s : signers_of(h))
        d += "**" + s.role + "**\n\n\n\n.............................  \n" + md_escaped(signature_name(h, s.name)) + "  \n" +
             md_escaped(signature_nip(h, s.name)) + "\n\n";
    d += "---\n\nKode verifikasi: **" + h.code + "**  \nPeriksa dengan: `brankas handover lookup " + h.code + "`\n";
    return d;
}

std::string html(const HandoverInfo& h) {
    std::string d;
    d += "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n";
    d += "<title>Berita Acara Serah Terima " + html_escaped(h.number) + "</title>\n";
    d += "<style>\n"
         "@page { size: A4; margin: 20mm 20mm 25mm 25mm; }\n"
         "body { font-family: 'Times New Roman', Times, serif; font-size: 12pt; line-height: 1.4; color: #000; margin: 0; }\n"
         "h1 { font-size: 14pt; text-align: center; margin: 0 0 4pt; }\n"
         "h2 { font-size: 12pt; margin: 14pt 0 6pt; }\n"
         ".center { text-align: center; }\n"
         "table { border-collapse: collapse; width: 100%; page-break-inside: auto; }\n"
         "tr { page-break-inside: avoid; }\n"
         "th, td { border: 1px solid #000; padding: 3pt 5pt; text-align: left; vertical-align: top; }\n"
         "table.signatures td { border: none; text-align: center; height: 70pt; vertical-align: bottom; }\n"
         ".signatures { page-break-inside: avoid; margin-top: 18pt; }\n"
         ".code { margin-top: 18pt; font-size: 10pt; border-top: 1px solid #000; padding-top: 4pt; }\n"
         "</style>\n</head>\n<body>\n";
    d += "<h1>BERITA ACARA SERAH TERIMA AKUN MEDIA SOSIAL</h1>\n";
    d += "<p class=\"center\"><strong>" + html_escaped(h.institution) + "</strong><br>Nomor: " + html_escaped(h.number) + "</p>\n";
    d += "<p>" + opening(h, true) + "</p>\n";
    d += "<h2>Para pihak</h2>\n<table>\n<tr><th>Peran</th><th>Nama lengkap</th><th>NIP</th><th>Jabatan</th><th>Pengguna</th></tr>\n";
    for (const Party& p : parties_of(h)) {
        const Named n = named(h, p.name);
        d += "<tr><td>" + p.role + "</td><td>" + html_escaped(n.full_name) + "</td><td>" + html_escaped(n.nip) + "</td><td>" +
             html_escaped(n.position) + "</td><td>" + html_escaped(p.name) + "</td></tr>\n";
    }
    d += "</table>\n<h2>Daftar akun yang diserahterimakan</h2>\n<table>\n"
         "<tr><th>No.</th><th>Kecamatan</th><th>Platform</th><th>Akun</th><th>Surel / telepon masuk</th></tr>\n";
    std::size_t n = 0;
    for (const HandoverAccount& a : h.accounts)
        d += "<tr><td>" + std::to_string(++n) + "</td><td>" + html_escaped(h.unit_name) + " (" + html_escaped(a.unit) + ")</td><td>" +
             html_escaped(a.platform) + "</td><td>" + html_escaped(a.handle) + "</td><td>" + html_escaped(login_of(a)) + "</td></tr>\n";
    if (h.accounts.empty()) d += "<tr><td colspan=\"5\">-</td></tr>\n";
    d += "</table>\n<p>Catatan: " + html_escaped(h.note) + "</p>\n<p>" + closing + "</p>\n";
    for (const std::string& line : signature_record(h, true)) d += "<p>" + line + "</p>\n";
    d += "<table class=\"signatures\">\n<tr>";
    for (const Party& s : signers_of(h)) d += "<th style=\"border:none\">" + s.role + "</th>";
    d += "</tr>\n<tr>";
    for (const Party& s : signers_of(h))
        d += "<td>" + html_escaped(signature_name(h, s.name)) + "<br>" + html_escaped(signature_nip(h, s.name)) + "</td>";
    d += "</tr>\n</table>\n";
    d += "<p class=\"code\">Kode verifikasi: <strong>" + h.code + "</strong> &mdash; periksa dengan <code>brankas handover lookup " + h.code +
         "</code></p>\n</body>\n</html>\n";
    return d;
}

} // namespace

std::string indonesian_date_time(std::int64_t unix_us, const policy::TimeZone& zone) {
    LocalTime t = local_time_of(unix_us, zone);
    return "hari " + std::string(day_names[static_cast<std::size_t>(t.weekday)]) + ", tanggal " + std::to_string(t.day) + " " +
           month_names[static_cast<std::size_t>(t.month - 1)] + " " + std::to_string(t.year) + ", pukul " + two(t.hour) + "." +
           two(t.minute) + " " + zone.name;
}

std::string render_minutes(const HandoverInfo& h, MinutesFormat format) {
    return format == MinutesFormat::html ? html(h) : markdown(h);
}

} // namespace brankas
