// Fd: owns one file descriptor and closes it through the Sys that opened it.
// Move-only; a moved-from or default Fd holds nothing (-1).
#pragma once

#include <utility>

#include "io/sys.h"

namespace nextip::io {

class Fd {
 public:
  Fd() noexcept = default;
  Fd(Sys& sys, int fd) noexcept : sys_(&sys), fd_(fd) {}
  Fd(Fd&& o) noexcept : sys_(o.sys_), fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      sys_ = o.sys_;
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  // Gives up ownership without closing.
  [[nodiscard]] int release() noexcept { return std::exchange(fd_, -1); }
  void reset() noexcept {
    if (fd_ >= 0 && sys_ != nullptr) (void)sys_->close(fd_);
    fd_ = -1;
  }

 private:
  Sys* sys_ = nullptr;
  int fd_ = -1;
};

}  // namespace nextip::io
