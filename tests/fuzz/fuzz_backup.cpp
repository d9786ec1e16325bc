// A backup bundle and its manifest: restored or verified on the day the vault is lost, from a
// file that spent years on a USB stick. First byte 0: the rest is the bundle file as it is.
// First byte 1: the rest is a manifest (u16 length, little-endian, then its bytes) and the
// parts after it, signed here with a fixed key so that everything behind the signature (the
// manifest's decoding, the sizes, the part hashes, the keyring's parsing) is reached too.
#include "fuzz_target.hpp"

#include "vault/backup/backup_bundle.hpp"
#include "vault/keyring.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace brankas;
namespace fs = std::filesystem;

namespace {

// One private directory for the whole run; the two files in it are replaced at every input,
// and the directory goes when the run ends.
struct WorkDirectory {
    fs::path path;
    ~WorkDirectory() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

const fs::path& work_directory() {
    static const WorkDirectory dir{[] {
        // The reader syncs the store it writes out: on tmpfs that costs nothing.
        std::error_code ec;
        fs::path parent = std::getenv("TMPDIR") == nullptr && fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
        std::string pattern = (parent / "brankas-fuzz-backup-XXXXXX").string();
        fuzz::require(::mkdtemp(pattern.data()) != nullptr, "a private directory for the bundle");
        return fs::path(pattern);
    }()};
    return dir.path;
}

const SigningKey& fixed_signer() {
    static const SigningKey key = [] {
        SecretBytes seed(32);
        for (std::size_t i = 0; i < seed.size(); ++i) seed.data()[i] = static_cast<std::uint8_t>(i * 7 + 1);
        return SigningKey::from_seed(seed);
    }();
    return key;
}

// The bundle a signer would write around these manifest bytes and parts, or nothing when the
// input is too short to say the manifest's length.
std::optional<Bytes> signed_bundle(ByteView input) {
    if (input.size() < 2) return std::nullopt;
    std::size_t length = input[0] | (std::size_t{input[1]} << 8);
    input = input.subspan(2);
    if (length > input.size()) length = input.size();
    Bytes head = backup_signed_bytes(fixed_signer().public_key(), input.first(length));
    Signature signature = fixed_signer().sign(backup_signing_message(head));
    Bytes file = head;
    file.insert(file.end(), signature.begin(), signature.end());
    file.insert(file.end(), input.begin() + static_cast<std::ptrdiff_t>(length), input.end());
    return file;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::start_crypto();
    if (size == 0 || data[0] > 1) return 0;
    ByteView input = fuzz::bytes_of(data + 1, size - 1);
    ByteView manifest_part = input; // what the manifest decoder is given on its own
    std::optional<Bytes> signed_file;
    if (data[0] == 1) {
        if (input.size() >= 2) manifest_part = input.subspan(2, std::min<std::size_t>(input[0] | (std::size_t{input[1]} << 8), input.size() - 2));
        signed_file = signed_bundle(input);
        if (!signed_file) return 0;
        input = *signed_file;
    }
    const fs::path bundle = work_directory() / "bundle";
    const fs::path store = work_directory() / "store";
    {
        std::ofstream out(bundle, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
        fuzz::require(out.good(), "the bundle is written for the reader");
    }
    std::error_code ec;
    fs::remove(store, ec);
    auto opened = read_backup_bundle(bundle, store);
    if (opened) {
        fuzz::require(opened->keyring.size() == opened->manifest.keyring_size, "the keyring part has its signed size");
        fuzz::require(fs::file_size(store, ec) == opened->manifest.store_size, "the store part has its signed size");
        (void)Keyring::parse(opened->keyring); // what a restore does next
    }
    // The manifest decoder on its own, and its one encoding.
    if (auto manifest = decode_backup_manifest(manifest_part)) {
        auto again = encode_backup_manifest(*manifest);
        fuzz::require(again && *again == Bytes(manifest_part.begin(), manifest_part.end()), "a decoded manifest encodes to the same bytes");
    }
    return 0;
}
