// Filled in with issue 5.
#include <gtest/gtest.h>
