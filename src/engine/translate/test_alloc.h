// The translate test binary counts every global operator new (locator_table_test.cc
// replaces them), so any test can prove that a run allocates nothing.
#pragma once

#include <cstddef>

namespace nextip::engine::translate::testing {
[[nodiscard]] std::size_t allocation_count() noexcept;
}  // namespace nextip::engine::translate::testing
