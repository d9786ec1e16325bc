#include "web/render.hpp"

#include "web/assets.hpp"

#include <algorithm>
#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_emitter.h>

#include <cstring>
#include <utility>

namespace brankas::web {

namespace {

constexpr std::string_view template_prefix = "templates/";
constexpr ctemplate::Strip strip = ctemplate::STRIP_BLANK_LINES;

ctemplate::TemplateCache& template_cache() {
    static ctemplate::TemplateCache cache;
    return cache;
}

// Appends into secure memory, a kept page buffer first, doubling as it grows (the smaller
// buffer is wiped as it goes).
class SecureEmitter final : public ctemplate::ExpandEmitter {
public:
    void Emit(char c) override { Emit(&c, 1); }
    void Emit(const std::string& s) override { Emit(s.data(), s.size()); }
    void Emit(const char* s) override { Emit(s, std::strlen(s)); }
    void Emit(const char* s, size_t n) override {
        if (used_ + n > out_.size()) {
            std::size_t size = out_.size();
            while (used_ + n > size) size *= 2;
            SecretBytes larger(size);
            std::memcpy(larger.data(), out_.data(), used_);
            page_buffers().give(std::exchange(out_, std::move(larger)));
        }
        std::memcpy(out_.data() + used_, s, n);
        used_ += n;
    }
    SecretBytes finish() {
        out_.truncate(used_);
        return std::move(out_);
    }

private:
    SecretBytes out_ = page_buffers().take();
    std::size_t used_ = 0;
};

} // namespace

PageBuffers::PageBuffers() { kept_.reserve(kept_at_most); }

SecretBytes PageBuffers::take() {
    {
        std::lock_guard lock(mutex_);
        if (!kept_.empty()) {
            SecretBytes buffer = std::move(kept_.back());
            kept_.pop_back();
            return buffer;
        }
    }
    return SecretBytes(buffer_size);
}

void PageBuffers::give(SecretBytes buffer) noexcept {
    if (buffer.capacity() != buffer_size) return; // freed here, wiped by sodium_free
    buffer.wipe_for_reuse();
    std::lock_guard lock(mutex_);
    if (kept_.size() < kept_at_most) kept_.push_back(std::move(buffer));
}

std::size_t PageBuffers::kept() const {
    std::lock_guard lock(mutex_);
    return kept_.size();
}

PageBuffers& page_buffers() {
    static PageBuffers buffers;
    return buffers;
}

Status load_templates() {
    ctemplate::TemplateCache& cache = template_cache();
    for (const Asset& a : embedded_assets()) {
        if (!a.name.starts_with(template_prefix)) continue;
        if (!cache.StringToTemplateCache(std::string(a.name), a.bytes.data(), a.bytes.size(), strip))
            return fail(ErrorCode::internal, "the page template " + std::string(a.name) + " does not parse");
    }
    cache.Freeze();
    return {};
}

Page::Page(const Translator& t, std::string_view body)
    : t_(t), body_template_(std::string(template_prefix) + std::string(body) + ".tpl"),
      root_(std::make_unique<ctemplate::TemplateDictionary>("page")), body_(root_->AddIncludeDictionary("BODY")) {
    body_->SetFilename(body_template_);
}

Page::~Page() = default;

void Page::words(std::span<const Words> words) { this->words(*body_, words); }

void Page::words(ctemplate::TemplateDictionary& dict, std::span<const Words> words) {
    for (const Words& w : words) {
        std::string_view text = t_.tr(w.msgid);
        dict.SetValue(w.marker, ctemplate::TemplateString(text.data(), text.size()));
    }
}

void Page::secret(std::string_view marker, const SecretBytes& secret) {
    // Not copied into the dictionary's own memory, which is not wiped: read from `secret` as
    // the page is expanded into secure memory.
    body_->SetValueWithoutCopy(ctemplate::TemplateString(marker.data(), marker.size()),
                               ctemplate::TemplateString(reinterpret_cast<const char*>(secret.data()), secret.size()));
}

Result<SecretBytes> Page::render(const Frame& frame) {
    static constexpr Words frame_words[] = {
        {"T_APP", tr_noop("Brankas")},
        {"T_SIGN_OUT", tr_noop("Sign out")},
        {"T_SIGNED_IN_AS", tr_noop("Signed in as")},
        {"T_SKIP", tr_noop("Skip to the page")},
    };
    words(*root_, frame_words);
    root_->SetValue("LANG", std::string(language_code(t_.language())));
    root_->SetValue("OTHER_LANG", t_.language() == Language::id ? "en" : "id");
    // The other language, named in itself: whoever needs the switch reads that one.
    root_->SetValue("OTHER_LANGUAGE", t_.language() == Language::id ? "English" : "Bahasa Indonesia");
    root_->SetValue("TITLE", frame.title);
    root_->SetValue("HERE", frame.here);
    if (frame.user) {
        ctemplate::TemplateDictionary* who = root_->AddSectionDictionary("SIGNED_IN");
        who->SetValue("USER", *frame.user);
        who->SetValue("CSRF", frame.csrf);
    }
    if (frame.notice) root_->SetValueAndShowSection("NOTICE", *frame.notice, "HAS_NOTICE");
    if (frame.menu) {
        // The links inside one <nav>: ctemplate has no first/last sections to open and close it.
        ctemplate::TemplateDictionary* menu = root_->AddSectionDictionary("HAS_MENU");
        std::string_view name = t_.tr(tr_noop("Menu"));
        menu->SetValue("MENU_NAME", ctemplate::TemplateString(name.data(), name.size()));
        for (const MenuLink& m : *frame.menu) {
            ctemplate::TemplateDictionary* link = menu->AddSectionDictionary("MENU");
            link->SetValue("HREF", m.href);
            link->SetValue("ID", m.id);
            std::string_view label = t_.tr(m.msgid);
            link->SetValue("LABEL", ctemplate::TemplateString(label.data(), label.size()));
        }
    }
    if (frame.refresh_s) root_->SetValueAndShowSection("REFRESH", std::to_string(*frame.refresh_s), "HAS_REFRESH");
    SecureEmitter out;
    if (!template_cache().ExpandWithData("templates/layout.tpl", strip, root_.get(), nullptr, &out))
        return fail(ErrorCode::internal, "the page " + body_template_ + " could not be rendered");
    return out.finish();
}

} // namespace brankas::web
