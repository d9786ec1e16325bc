#include "cli/commands/checkpoint_file.hpp"

#include "cli/context.hpp"
#include "vault/file_io.hpp"

namespace brankas::cli {

Result<Checkpoint> read_checkpoint_file(const std::string& file) {
    auto bytes = read_file_bounded(file, max_checkpoint_file);
    if (!bytes) {
        // Too large is the file's fault, not the system's: bad input (usage), and the limit said.
        if (bytes.error().too_large)
            return fail(ErrorCode::usage, fill(tr("the checkpoint file %1$s is larger than a checkpoint may be (%2$s bytes)"),
                                               {file, std::to_string(max_checkpoint_file)}),
                        tr("give it the file that `brankas audit checkpoint` wrote"));
        return fail(ErrorCode::io, fill(tr("cannot read the checkpoint file %1$s: %2$s"), {file, bytes.error().what}));
    }
    return parse_checkpoint(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
}

} // namespace brankas::cli
