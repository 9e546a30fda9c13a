// `nextip node --config FILE.toml` and `nextip node status`: the node daemon
// (src/control/node.h). Filled in with the daemon.
#include <CLI/CLI.hpp>

#include "apps/nextip/cli.h"

namespace nextip::cli {

void add_node_commands(CLI::App& app, int& status) {
  (void)app;
  (void)status;
}

}  // namespace nextip::cli
