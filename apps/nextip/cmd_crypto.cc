// nextip crypto … (issue 6): placeholder until src/crypto lands.
#include <CLI/CLI.hpp>

#include "apps/nextip/cli.h"

namespace nextip::cli {

void add_crypto_commands(CLI::App& /*app*/, int& /*status*/) {}

}  // namespace nextip::cli
