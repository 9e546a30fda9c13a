#include "io/ip_command.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>

#include "io/fd.h"

namespace nextip::io {
namespace {

constexpr const char* kFallbackDirs[] = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
constexpr std::size_t kMaxOutput = 1 << 20;  // stdout kept; the rest is read and dropped

Expected<void, CommandError> as_void(Expected<std::string, CommandError> r) {
  if (!r) return nextip::unexpected(std::move(r.error()));
  return {};
}

}  // namespace

std::string CommandError::message() const {
  std::string m;
  for (const auto& a : argv) {
    if (!m.empty()) m += ' ';
    m += a;
  }
  m += ": ";
  if (err != 0) {
    const char* d = strerrordesc_np(err);
    m += d != nullptr ? d : "errno " + std::to_string(err);
  } else if (exit_status >= 0) {
    m += "exit " + std::to_string(exit_status);
  } else {
    m += "killed by a signal";
  }
  std::string text = stderr_text;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) m += ": " + text;
  return m;
}

IpCommand::IpCommand(Sys& sys, std::string netns) : sys_(&sys), netns_(std::move(netns)) {}

std::optional<std::string> IpCommand::find_ip() const {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::string_view p(path);
    while (!p.empty()) {
      const auto colon = p.find(':');
      const auto dir = p.substr(0, colon);
      if (!dir.empty() && dir.front() == '/') dirs.emplace_back(dir);
      p = colon == std::string_view::npos ? std::string_view() : p.substr(colon + 1);
    }
  }
  for (const char* d : kFallbackDirs) dirs.emplace_back(d);
  for (const auto& d : dirs) {
    std::string candidate = d + "/ip";
    if (sys_->access(candidate.c_str(), X_OK)) return candidate;
  }
  return std::nullopt;
}

std::vector<std::string> IpCommand::argv_for(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"ip"};
  if (!netns_.empty()) {
    argv.emplace_back("-n");
    argv.push_back(netns_);
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Expected<std::string, CommandError> IpCommand::run(const std::vector<std::string>& args) const {
  CommandError error;
  error.argv = argv_for(args);
  const auto path = find_ip();
  if (!path) {
    error.err = ENOENT;
    error.stderr_text = "iproute2's ip not found in PATH, /usr/sbin, /sbin, /usr/bin or /bin";
    return nextip::unexpected(std::move(error));
  }
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  if (auto r = sys_->pipe2(out_pipe, O_CLOEXEC); !r) {
    error.err = r.error();
    return nextip::unexpected(std::move(error));
  }
  Fd out_r(*sys_, out_pipe[0]);
  Fd out_w(*sys_, out_pipe[1]);
  if (auto r = sys_->pipe2(err_pipe, O_CLOEXEC); !r) {
    error.err = r.error();
    return nextip::unexpected(std::move(error));
  }
  Fd err_r(*sys_, err_pipe[0]);
  Fd err_w(*sys_, err_pipe[1]);

  std::vector<const char*> argv;
  for (const auto& a : error.argv) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  auto pid = sys_->spawn(path->c_str(), argv.data(), SpawnStdio{-1, out_w.get(), err_w.get()});
  out_w.reset();  // the child holds the write ends now; EOF comes when it exits
  err_w.reset();
  if (!pid) {
    error.err = pid.error();
    return nextip::unexpected(std::move(error));
  }

  // Read both pipes to EOF, whichever has data, so that neither can fill and block the child.
  std::string out;
  std::array<std::byte, 4096> buf{};
  std::array<pollfd, 2> fds{pollfd{out_r.get(), POLLIN, 0}, pollfd{err_r.get(), POLLIN, 0}};
  std::string* sinks[2] = {&out, &error.stderr_text};
  int open_pipes = 2;
  while (open_pipes > 0) {
    auto ready = sys_->poll(fds, -1);
    if (!ready) {
      if (ready.error() == EINTR) continue;
      error.err = ready.error();
      break;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      auto n = sys_->read(fds[i].fd, buf);
      if (!n && n.error() == EINTR) continue;
      if (!n || *n == 0) {
        fds[i].fd = -1;  // EOF (or an error: stop reading this pipe)
        --open_pipes;
        continue;
      }
      if (sinks[i]->size() < kMaxOutput) sinks[i]->append(reinterpret_cast<const char*>(buf.data()), *n);
    }
  }
  // At EOF these are closed by the child's exit; after an error, closing them makes a
  // child still writing get EPIPE instead of blocking, so that waitpid() returns.
  out_r.reset();
  err_r.reset();
  SysResult<int> status;
  do {
    status = sys_->waitpid(*pid);
  } while (!status && status.error() == EINTR);
  if (!status) {
    error.err = status.error();
    return nextip::unexpected(std::move(error));
  }
  if (error.err != 0) return nextip::unexpected(std::move(error));
  if (WIFEXITED(*status) && WEXITSTATUS(*status) == 0) return out;
  error.exit_status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  return nextip::unexpected(std::move(error));
}

Expected<void, CommandError> IpCommand::link_up(std::string_view name, std::optional<int> mtu) const {
  std::vector<std::string> args{"link", "set", std::string(name)};
  if (mtu) {
    args.emplace_back("mtu");
    args.push_back(std::to_string(*mtu));
  }
  args.emplace_back("up");
  return as_void(run(args));
}

Expected<void, CommandError> IpCommand::link_del(std::string_view name) const {
  return as_void(run({"link", "del", std::string(name)}));
}

Expected<void, CommandError> IpCommand::addr_add(std::string_view name, std::string_view cidr, bool nodad) const {
  std::vector<std::string> args{"addr", "add", std::string(cidr), "dev", std::string(name)};
  if (nodad) args.emplace_back("nodad");
  return as_void(run(args));
}

Expected<void, CommandError> IpCommand::route_add(std::string_view prefix, std::string_view dev,
                                                  std::optional<std::string_view> via) const {
  std::vector<std::string> args{"route", "add", std::string(prefix)};
  if (via) {
    args.emplace_back("via");
    args.emplace_back(*via);
  }
  args.emplace_back("dev");
  args.emplace_back(dev);
  return as_void(run(args));
}

Expected<void, CommandError> IpCommand::route_del(std::string_view prefix, std::optional<std::string_view> dev) const {
  std::vector<std::string> args{"route", "del", std::string(prefix)};
  if (dev) {
    args.emplace_back("dev");
    args.emplace_back(*dev);
  }
  return as_void(run(args));
}

}  // namespace nextip::io
