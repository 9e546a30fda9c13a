# Helpers shared by every CMakeLists.txt of the project.

set(NEXTIP_SRC_DIR ${PROJECT_SOURCE_DIR}/src)

# Warnings: -Werror comes from the preset (dev, asan, CI), not from here, so that a
# newer compiler's new warning never breaks a user's release build.
set(NEXTIP_WARNINGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)

# The clang-14 fuzz build has no std::expected (libstdc++ 12 gates it on C++20
# concepts that clang 14 lacks); base/expected.h falls back to tl::expected there.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  find_path(NEXTIP_TL_EXPECTED_DIR tl/expected.hpp REQUIRED)
endif()

function(nextip_options target)
  target_compile_options(${target} PRIVATE ${NEXTIP_WARNINGS})
  target_include_directories(${target} PUBLIC ${NEXTIP_SRC_DIR})
  if(NEXTIP_TL_EXPECTED_DIR)
    target_include_directories(${target} SYSTEM PUBLIC ${NEXTIP_TL_EXPECTED_DIR})
  endif()
endfunction()

# nextip_library(NAME SOURCES ... DEPS ...)
function(nextip_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  nextip_options(${name})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# nextip_test(NAME SOURCES ... DEPS ... [LABELS ...])
# One gtest binary per library; each TEST becomes a ctest test at test time.
function(nextip_test name)
  if(NOT NEXTIP_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  nextip_options(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    PROPERTIES LABELS "${ARG_LABELS}"
               ENVIRONMENT "NEXTIP_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
