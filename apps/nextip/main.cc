// nextip: run the proposed successors to IPv4 on real Linux networks.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "apps/nextip/cli.h"

namespace {

const char* kFooter = R"(
COMMANDS
  addr      read, classify and convert addresses of every family
  crypto    the cryptographic primitives (ML-KEM-768 interop)
  dump      dissect captures or hex packets of every family
  translate run raw packets through the SIIT / ASIP translator offline
  node      the node daemon (host, translator) and its status
  lab       build, run and tear down a lab of namespaces, nodes and programs

EXIT STATUS
  0 success, 1 an operation failed, 2 invalid input or usage

Each command has its own --help. Documentation: README.md and docs/ in the source tree.)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nextip: the proposed successors to IPv4 (ASIP, IPv8, IPxl, IPv4.5), on real networks", "nextip"};
  app.footer(kFooter);
  app.set_version_flag("--version", "nextip 0.1.0");
  app.require_subcommand(1);
  app.get_formatter()->column_width(34);

  int status = nextip::cli::kExitOk;
  nextip::cli::add_addr_commands(app, status);
  nextip::cli::add_crypto_commands(app, status);
  nextip::cli::add_dump_commands(app, status);
  nextip::cli::add_translate_commands(app, status);
  nextip::cli::add_node_commands(app, status);
  nextip::cli::add_lab_commands(app, status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return app.exit(CLI::CallForHelp());
  } catch (const CLI::CallForAllHelp&) {
    return app.exit(CLI::CallForAllHelp());
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Usage errors: name the option and the value, point at --help, exit 2.
    nextip::cli::print_error(e.what());
    std::fputs("Run with --help for usage.\n", stderr);
    return nextip::cli::kExitInvalidInput;
  }
  return status;
}
