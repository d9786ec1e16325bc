// The built-in deactivation checklist (Policy::default_checklist) in the reader's language. Its
// texts are stored with each checklist as the policy gave them, in English; a face shows a step
// whose id and text are still the built-in ones through the catalogue, and any other as written.
#pragma once

#include <string_view>

namespace brankas::policy {

// The catalogue's literal (marked with tr_noop) for the built-in step `id` when `text` is its
// built-in text; nullptr for a step the policy wrote.
[[nodiscard]] const char* built_in_step_text(std::string_view id, std::string_view text) noexcept;

} // namespace brankas::policy
