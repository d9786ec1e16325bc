// Boost.Program_options' own complaints about a command line, as one sentence in the reader's
// language naming the option: the library writes them in English only, so each kind it throws is
// caught by type and said again through the catalogue.
#pragma once

#include <boost/program_options/errors.hpp>

#include <string>

namespace brankas::cli {

// "unrecognised option '--reason'", "the required argument for option '--vault' is missing", ...
// In English the sentences are the library's own; a kind this does not know keeps its what().
[[nodiscard]] std::string option_error_text(const boost::program_options::error& e);

} // namespace brankas::cli
