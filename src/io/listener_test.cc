// The control-plane listener: TCP and unix sockets, one request per connection, and
// the minimal HTTP answers of the metrics endpoint.
#include "io/listener.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

namespace nextip::io {
namespace {

std::string temp_socket_path() {
  return "/tmp/nextip-listener-test-" + std::to_string(::getpid()) + ".sock";
}

TEST(Listener, UnixRequestAnswer) {
  const std::string path = temp_socket_path();
  auto l = Listener::unix_socket(path);
  ASSERT_TRUE(l) << l.error().message();
  std::string answer;
  std::thread client([&] {
    auto r = unix_request(path, "status\n");
    answer = r ? *r : "error: " + r.error().message();
  });
  bool served = false;
  for (int i = 0; i < 200 && !served; ++i) {
    auto s = l->serve_one([](std::string_view req) { return "you said " + std::string(req); });
    ASSERT_TRUE(s);
    served = *s;
    if (!served) usleep(5000);
  }
  client.join();
  EXPECT_TRUE(served);
  EXPECT_EQ(answer, "you said status\n");
}

TEST(Listener, UnixSocketFileRemovedWithTheListener) {
  const std::string path = temp_socket_path() + "2";
  {
    auto l = Listener::unix_socket(path);
    ASSERT_TRUE(l);
    EXPECT_EQ(::access(path.c_str(), F_OK), 0);
  }
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
}

TEST(Listener, StaleSocketFileIsReplaced) {
  const std::string path = temp_socket_path() + "3";
  {
    auto first = Listener::unix_socket(path);
    ASSERT_TRUE(first);
    Fd keep(real_sys(), dup(first->fd()));  // a daemon that died without cleaning up
    auto second = Listener::unix_socket(path);
    ASSERT_TRUE(second) << second.error().message();
  }
}

TEST(Listener, NoServerIsAClearError) {
  auto r = unix_request("/tmp/nextip-no-such-socket.sock", "status\n", 200);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("/tmp/nextip-no-such-socket.sock"), std::string::npos);
}

TEST(Listener, TcpOnAnEphemeralPort) {
  auto l = Listener::tcp("127.0.0.1:0");
  ASSERT_TRUE(l) << l.error().message();
  EXPECT_EQ(l->local().rfind("127.0.0.1:", 0), 0u) << l->local();
  EXPECT_NE(l->local(), "127.0.0.1:0");
  auto none = l->serve_one([](std::string_view) { return std::string(); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);  // nobody connected
}

TEST(Listener, BadTcpAddressNamesIt) {
  auto l = Listener::tcp("localhost");
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().message().find("localhost"), std::string::npos);
}

TEST(HttpAnswer, RoutesAndErrors) {
  const std::vector<HttpRoute> routes = {{"/metrics", "text/plain", [] { return std::string("a 1\n"); }}};
  const std::string ok = http_answer("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", routes);
  EXPECT_EQ(ok.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_NE(ok.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_TRUE(ok.ends_with("\r\n\r\na 1\n"));
  EXPECT_EQ(http_answer("GET /metrics?x=1 HTTP/1.0\r\n\r\n", routes).rfind("HTTP/1.0 200", 0), 0u);
  EXPECT_EQ(http_answer("GET /nope HTTP/1.0\r\n\r\n", routes).rfind("HTTP/1.0 404", 0), 0u);
  EXPECT_EQ(http_answer("POST /metrics HTTP/1.0\r\n\r\n", routes).rfind("HTTP/1.0 405", 0), 0u);
  EXPECT_EQ(http_answer("garbage", routes).rfind("HTTP/1.0 400", 0), 0u);
}

}  // namespace
}  // namespace nextip::io
