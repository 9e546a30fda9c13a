// IpCommand: configures links, addresses and routes by running iproute2's `ip`, as an
// operator would, rather than speaking netlink: the commands are the documentation,
// they appear in logs as written, and `ip` knows every link type and attribute.
//
// `ip` is looked up in PATH, then /usr/sbin, /sbin, /usr/bin, /bin, and started with
// posix_spawn (argv, no shell). Its stdout is the result; its stderr goes into the
// error. With a namespace name every command runs as `ip -n NAME …` (a namespace
// created by `ip netns add`). Blocking and control-path only: each call waits for the
// command to finish.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "io/sys.h"

namespace nextip::io {

struct CommandError {
  std::vector<std::string> argv;
  int exit_status = -1;  // the exit code, or -1 when it did not run or died of a signal
  int err = 0;           // errno when it could not be started or read
  std::string stderr_text;

  // "ip -n lab1 route add 10.0.0.0/8 dev x: exit 2: Error: Nexthop device is not up."
  [[nodiscard]] std::string message() const;
};

class IpCommand {
 public:
  explicit IpCommand(Sys& sys = real_sys(), std::string netns = {});

  // The absolute path of `ip`, or nullopt if none is found.
  [[nodiscard]] std::optional<std::string> find_ip() const;
  // The argv run for `args`: ip, -n NS when set, then args.
  [[nodiscard]] std::vector<std::string> argv_for(const std::vector<std::string>& args) const;

  // Runs `ip args…`; its stdout on exit status 0.
  [[nodiscard]] Expected<std::string, CommandError> run(const std::vector<std::string>& args) const;

  // ip link set NAME [mtu MTU] up
  [[nodiscard]] Expected<void, CommandError> link_up(std::string_view name, std::optional<int> mtu = {}) const;
  // ip link del NAME
  [[nodiscard]] Expected<void, CommandError> link_del(std::string_view name) const;
  // ip addr add ADDR/LEN dev NAME [nodad]  (nodad for IPv6: usable at once)
  [[nodiscard]] Expected<void, CommandError> addr_add(std::string_view name, std::string_view cidr,
                                                      bool nodad = false) const;
  // ip route add PREFIX dev DEV [via VIA]
  [[nodiscard]] Expected<void, CommandError> route_add(std::string_view prefix, std::string_view dev,
                                                       std::optional<std::string_view> via = {}) const;
  // ip route del PREFIX [dev DEV]
  [[nodiscard]] Expected<void, CommandError> route_del(std::string_view prefix,
                                                       std::optional<std::string_view> dev = {}) const;

 private:
  Sys* sys_;
  std::string netns_;
};

}  // namespace nextip::io
