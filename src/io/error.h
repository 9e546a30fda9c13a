// IoError: why a syscall of the I/O layer failed, as a value (STYLE.md rule 2).
//
// It names the call ("TUNSETIFF", "sendmmsg"), the errno, and the object the call was
// about (an interface name, a socket address, a path), so that message() reads like
// "TUNSETIFF on nx0: Operation not permitted". It never allocates: the object is an
// InlineString (truncated at kObjectCapacity) and `call` / `what` are static strings,
// so data-path functions can return it from noexcept code.
//
// "Would block" is never an IoError: functions that can block return a result that
// says so (std::optional, a count of 0, or false).
#pragma once

#include <cerrno>
#include <string>
#include <string_view>

#include "base/inline_string.h"

namespace nextip::io {

inline constexpr std::size_t kObjectCapacity = 112;  // a unix socket path (108) fits
using IoObject = base::InlineString<kObjectCapacity>;

struct IoError {
  const char* call = "";       // a string literal: the syscall, ioctl or step that failed
  int err = 0;                 // errno; EBADMSG when `what` names a malformed header
  IoObject object;             // what the call was about: "nx0", "udp 127.0.0.1:4242", a path
  const char* what = nullptr;  // a static reason errno cannot give, or null

  // "TUNSETIFF on nx0: Operation not permitted" (strerror, or `what` when set).
  [[nodiscard]] std::string message() const;
};

[[nodiscard]] inline IoError io_error(const char* call, int err, std::string_view object,
                                      const char* what = nullptr) noexcept {
  IoError e;
  e.call = call;
  e.err = err;
  e.object.append(object);
  e.what = what;
  return e;
}

}  // namespace nextip::io
