// Pages are server-rendered from the templates compiled into the binary (templates/*.tpl),
// expanded by ctemplate with HTML auto-escaping ({{%AUTOESCAPE context="HTML"}}: every value is
// escaped for where it stands, so no text from the vault can become markup), straight into
// secure memory: a page may show a password, and is wiped once it has been sent.
#pragma once

#include "vault/crypto/secret_bytes.hpp"
#include "vault/error.hpp"
#include "web/translate.hpp"

#include <cstring> // before ctemplate, whose str_ref.h calls strlen without including it
#include <ctemplate/template_dictionary.h>

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace brankas::web {

// The secure memory pages are expanded into, kept from one page to the next. sodium_malloc maps
// each buffer between guard pages and locks it, and freeing it unmaps it, which makes every CPU
// flush its TLB: a third of a list page's CPU when each page had buffers of its own. A buffer
// given back is wiped at once, so a kept one holds nothing of the page it carried.
class PageBuffers {
public:
    static constexpr std::size_t buffer_size = 64 * 1024; // a list page is about 21 KB
    static constexpr std::size_t kept_at_most = 16;       // 1 MiB locked, ample for the threads

    PageBuffers();
    // buffer_size zeroed bytes: a kept buffer, else a new one.
    [[nodiscard]] SecretBytes take();
    // Wipes `buffer`; keeps it when take() made it and fewer than kept_at_most are kept, else
    // frees it.
    void give(SecretBytes buffer) noexcept;
    [[nodiscard]] std::size_t kept() const;

private:
    mutable std::mutex mutex_;
    std::vector<SecretBytes> kept_; // capacity kept_at_most from the start: give() never allocates
};

// The server's one set of page buffers.
[[nodiscard]] PageBuffers& page_buffers();

// Puts every template into a template cache of its own, then freezes it, so ctemplate never
// looks for a template on disk. Call once before serving.
[[nodiscard]] Status load_templates();

// One marker of a template and the message it shows: a page's words, translated when shown.
struct Words {
    const char* marker;
    const char* msgid;
};

// One page of the menu in the header: where it leads, its id, and its label (a msgid).
struct MenuLink {
    std::string href;
    const char* id;
    const char* msgid;
};

// What the frame around every page shows.
struct Frame {
    std::string title;                // translated
    std::optional<std::string> user;  // signed in: named, with a sign-out button
    std::string csrf;                 // the sign-out form's token
    std::string here;                 // this page's address, encoded as a query value, for the language switch to come back to
    std::optional<std::string> notice; // a line above the page (translated): what just happened
    std::optional<std::vector<MenuLink>> menu; // signed in: the pages offered to them (menu_for, web/menu.hpp)
    std::optional<int> refresh_s;      // the browser fetches the page again after this many seconds
};

class Page {
public:
    // `body` names the page's template: "accounts" is templates/accounts.tpl.
    Page(const Translator& t, std::string_view body);
    Page(const Page&) = delete;
    Page& operator=(const Page&) = delete;
    ~Page();

    [[nodiscard]] const Translator& t() const noexcept { return t_; }
    // The body's dictionary: values (escaped when expanded), sections and their rows.
    [[nodiscard]] ctemplate::TemplateDictionary& body() noexcept { return *body_; }
    // Sets each marker to its message, translated (in `dict`, or the body).
    void words(std::span<const Words> words);
    void words(ctemplate::TemplateDictionary& dict, std::span<const Words> words);
    // A secret shown on this page: the dictionary points at `secret`, which must outlive render().
    void secret(std::string_view marker, const SecretBytes& secret);

    [[nodiscard]] Result<SecretBytes> render(const Frame& frame);

private:
    const Translator& t_;
    std::string body_template_;
    std::unique_ptr<ctemplate::TemplateDictionary> root_;
    ctemplate::TemplateDictionary* body_; // owned by root_
};

} // namespace brankas::web
