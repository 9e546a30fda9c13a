// InlineString<N>: a fixed-capacity string that lives on the stack, so that address
// formatters never allocate. Converts to std::string_view.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace nextip::base {

template <std::size_t N>
class InlineString {
 public:
  static constexpr std::size_t kCapacity = N;

  constexpr InlineString() noexcept = default;

  // Appends; silently truncates at capacity (formatters size N for their worst case,
  // and a test checks that worst case).
  constexpr void push_back(char c) noexcept {
    if (len_ < N) buf_[len_++] = c;
  }
  constexpr void append(std::string_view s) noexcept {
    for (char c : s) push_back(c);
  }
  constexpr void clear() noexcept { len_ = 0; }

  [[nodiscard]] constexpr std::size_t size() const noexcept { return len_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return len_ == 0; }
  [[nodiscard]] constexpr const char* data() const noexcept { return buf_.data(); }
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {buf_.data(), len_}; }
  constexpr operator std::string_view() const noexcept { return view(); }  // NOLINT(google-explicit-constructor)
  [[nodiscard]] std::string str() const { return std::string(view()); }

  friend constexpr bool operator==(const InlineString& a, std::string_view b) noexcept { return a.view() == b; }

 private:
  std::array<char, N> buf_{};
  std::size_t len_ = 0;
};

}  // namespace nextip::base
