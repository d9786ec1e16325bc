#include "vault/names.hpp"

namespace brankas {

bool is_valid_principal_name(std::string_view name) {
    if (name.empty() || name.size() > max_principal_name) return false;
    if (name[0] < 'a' || name[0] > 'z') return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

} // namespace brankas
