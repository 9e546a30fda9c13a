// `nextip lab up|down|status|exec`: the lab (src/control/lab.h). Filled in with the lab.
#include <CLI/CLI.hpp>

#include "apps/nextip/cli.h"

namespace nextip::cli {

void add_lab_commands(CLI::App& app, int& status) {
  (void)app;
  (void)status;
}

}  // namespace nextip::cli
