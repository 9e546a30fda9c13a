// Listener: a non-blocking listening socket (TCP on an address:port, or a unix stream
// socket on a path) for the daemons' control plane — the Prometheus text endpoint and
// the control socket `nextip node status` talks to. Not data path.
//
// serve_one() handles one connection synchronously: it accepts, reads one request
// (up to kMaxRequest bytes, until a blank line for HTTP or a newline for the control
// protocol), calls the handler, writes its answer and closes. Each step is bounded by
// a short timeout (kClientTimeout), so a stuck client costs the event loop at most
// that long; the daemons accept that for a control plane that is asked a few times a
// second at most.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "io/error.h"
#include "io/fd.h"
#include "io/sys.h"

namespace nextip::io {

inline constexpr std::size_t kMaxRequest = 4096;
inline constexpr int kClientTimeoutMs = 1000;

class Listener {
 public:
  // "127.0.0.1:9100", "[::1]:9100"; port 0 lets the kernel choose (see local()).
  [[nodiscard]] static Expected<Listener, IoError> tcp(std::string_view address, Sys& sys = real_sys());
  // A unix stream socket at `path` (a stale socket file there is replaced; the file is
  // removed when the Listener is destroyed).
  [[nodiscard]] static Expected<Listener, IoError> unix_socket(const std::string& path, Sys& sys = real_sys());

  Listener(Listener&& o) noexcept;
  Listener& operator=(Listener&& o) noexcept;
  ~Listener();

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  // "127.0.0.1:9100" or the socket path.
  [[nodiscard]] const std::string& local() const noexcept { return local_; }

  // The request's bytes -> the answer's bytes.
  using Handler = std::function<std::string(std::string_view request)>;
  // Accepts and serves one waiting connection; false when none was waiting.
  [[nodiscard]] Expected<bool, IoError> serve_one(const Handler& handler);

 private:
  Listener(Sys& sys, Fd fd, std::string local, std::string unlink_path) noexcept;
  Sys* sys_;
  Fd fd_;
  std::string local_;
  std::string unlink_path_;
};

// Client side of the control protocol: connects to the unix socket at `path`, sends
// `request`, and returns everything the server wrote before closing.
[[nodiscard]] Expected<std::string, IoError> unix_request(const std::string& path, std::string_view request,
                                                          int timeout_ms = 3000, Sys& sys = real_sys());

// A minimal HTTP/1.0 answer for `request`: GET of one of the `paths` gets `body` from
// the matching callback with the given content type; anything else 404 / 405.
struct HttpRoute {
  std::string path;
  std::string content_type;
  std::function<std::string()> body;
};
[[nodiscard]] std::string http_answer(std::string_view request, const std::vector<HttpRoute>& routes);

}  // namespace nextip::io
