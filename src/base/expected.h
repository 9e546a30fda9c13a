// Expected<T, E>: the error-as-value type of every parser and engine.
//
// std::expected (C++23) where the standard library provides it (g++ 12). The clang-14
// fuzz build cannot use libstdc++ 12's <expected>, so there it is tl::expected
// (Debian libexpected-dev), which has the same interface for everything nextip uses:
// has_value(), value(), error(), operator*, operator->, operator bool.
#pragma once

#include <utility>
#include <version>

#if defined(__cpp_lib_expected)
#include <expected>
namespace nextip {
template <class T, class E>
using Expected = std::expected<T, E>;
template <class E>
[[nodiscard]] constexpr std::unexpected<E> unexpected(E e) noexcept {
  return std::unexpected<E>(std::move(e));
}
}  // namespace nextip
#else
#include <tl/expected.hpp>
namespace nextip {
template <class T, class E>
using Expected = tl::expected<T, E>;
template <class E>
[[nodiscard]] constexpr tl::unexpected<E> unexpected(E e) noexcept {
  return tl::unexpected<E>(std::move(e));
}
}  // namespace nextip
#endif
