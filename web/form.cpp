#include "web/form.hpp"

#include <cstring>

namespace brankas::web {

namespace {

int hex_digit(std::uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes `size` bytes of a name or value ('+' is a space, %XX a byte) into `out`; returns the
// decoded length, or nullopt when a % is not followed by two hex digits.
std::optional<std::size_t> decode(const std::uint8_t* in, std::size_t size, std::uint8_t* out) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < size; ++i) {
        std::uint8_t c = in[i];
        if (c == '+') {
            out[n++] = ' ';
        } else if (c == '%') {
            if (i + 2 >= size) return std::nullopt;
            int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out[n++] = static_cast<std::uint8_t>(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = c;
        }
    }
    return n;
}

} // namespace

Result<Form> Form::parse(const SecretBytes& body) {
    Form form;
    // Decoding never lengthens: the decoded values fit in a buffer of the body's size.
    form.decoded_ = SecretBytes(body.size());
    const std::uint8_t* in = body.data();
    std::size_t at = 0, written = 0;
    while (at < body.size()) {
        std::size_t end = at;
        while (end < body.size() && in[end] != '&') ++end;
        std::size_t equals = at;
        while (equals < end && in[equals] != '=') ++equals;
        if (equals == end) return fail(ErrorCode::usage, "the form sent is malformed");
        std::string name(equals - at, '\0'); // names are no secret
        auto name_size = decode(in + at, equals - at, reinterpret_cast<std::uint8_t*>(name.data()));
        auto value_size = decode(in + equals + 1, end - equals - 1, form.decoded_.data() + written);
        if (!name_size || !value_size) return fail(ErrorCode::usage, "the form sent is malformed");
        name.resize(*name_size);
        form.fields_.push_back({std::move(name), written, *value_size});
        written += *value_size;
        at = end + 1;
    }
    return form;
}

const Form::Field* Form::find(std::string_view name) const {
    for (const Field& f : fields_)
        if (f.name == name) return &f;
    return nullptr;
}

std::optional<std::string> Form::text(std::string_view name) const {
    const Field* f = find(name);
    if (!f) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(decoded_.data()) + f->offset, f->size);
}

std::optional<SecretBytes> Form::secret(std::string_view name) const {
    const Field* f = find(name);
    if (!f) return std::nullopt;
    return SecretBytes::copy_of(decoded_.view().subspan(f->offset, f->size));
}

} // namespace brankas::web
