// The REF argument every account and secret command takes: platform/handle or a number,
// given as the first positional argument.
#pragma once

#include "cli/context.hpp"

#include <boost/program_options.hpp>

#include <string>

namespace brankas::cli {

inline void add_ref_option(boost::program_options::options_description& o, std::string& ref) {
    o.add_options()("ref", boost::program_options::value<std::string>(&ref)->required(), tr("platform/handle or the account's number"));
}

inline boost::program_options::positional_options_description ref_positional() { return positional_words({"ref"}); }

} // namespace brankas::cli
