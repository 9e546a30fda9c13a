#include "io/error.h"

#include <gtest/gtest.h>

namespace nextip::io {
namespace {

TEST(IoError, MessageNamesCallObjectAndErrno) {
  EXPECT_EQ(io_error("TUNSETIFF", EPERM, "nx0").message(), "TUNSETIFF on nx0: Operation not permitted");
  EXPECT_EQ(io_error("epoll_create1", EMFILE, "").message(), "epoll_create1: Too many open files");
  EXPECT_EQ(io_error("virtio_net_hdr", EBADMSG, "nx1", "unknown GSO type").message(),
            "virtio_net_hdr on nx1: unknown GSO type");
}

TEST(IoError, LongObjectsAreCutNotAllocated) {
  const std::string path(300, 'p');
  const IoError e = io_error("bind", EADDRINUSE, path);
  EXPECT_EQ(e.object.size(), kObjectCapacity);
}

}  // namespace
}  // namespace nextip::io
