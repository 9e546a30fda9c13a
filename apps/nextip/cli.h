// Shared pieces of the nextip command line: exit codes, error printing, and the
// registration functions of each command group.
#pragma once

#include <string>
#include <string_view>

#include "base/addr_error.h"

namespace CLI {
class App;
}

namespace nextip::cli {

// Exit status, the same for every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;       // an operation failed (I/O, system)
inline constexpr int kExitInvalidInput = 2;  // the input cannot be read or done as asked

// "nextip: <message>" on standard error.
void print_error(std::string_view message);
// A parse error with the input echoed and a caret under the offending position.
void print_parse_error(std::string_view input, const base::ParseError& e);

// Each command group adds its subcommands to the top-level app; the callbacks store
// the exit status in `status`.
void add_addr_commands(CLI::App& app, int& status);
void add_crypto_commands(CLI::App& app, int& status);
void add_dump_commands(CLI::App& app, int& status);
void add_translate_commands(CLI::App& app, int& status);
void add_node_commands(CLI::App& app, int& status);
void add_lab_commands(CLI::App& app, int& status);

}  // namespace nextip::cli
