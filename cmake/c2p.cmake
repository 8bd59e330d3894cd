# Project-wide compile flags and the helpers every CMakeLists.txt uses, so each target is
# declared with an explicit source list and the same warnings.

set(C2P_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false positives inside Boost.Asio coroutine frames, std::variant and,
  # at -O3, libstdc++'s own streambuf (-Wnull-dereference): those are left to clang.
  list(APPEND C2P_WARNINGS -Wno-maybe-uninitialized -Wno-restrict -Wno-array-bounds
       -Wno-stringop-overflow -Wno-mismatched-new-delete)
else()
  list(APPEND C2P_WARNINGS -Wnull-dereference -Wno-unused-command-line-argument)
endif()

# Boost.Asio: no deprecated names; Beast: use the separately compiled Boost.JSON/URL libs.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_DISABLE_CONCEPTS
                        SPDLOG_FMT_EXTERNAL)

if(CMAKE_BUILD_TYPE STREQUAL "Release" OR CMAKE_BUILD_TYPE STREQUAL "RelWithDebInfo")
  # Hardening for what ships.
  add_compile_options(-fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE)
  add_link_options(-pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
endif()

if(C2P_SANITIZE OR C2P_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# ThreadSanitizer (the tsan preset, scripts/tsan.sh): its runtime cannot share a process
# with ASan's, so it is a build of its own.
if(C2P_TSAN)
  if(C2P_SANITIZE OR C2P_FUZZ)
    message(FATAL_ERROR "C2P_TSAN cannot be combined with C2P_SANITIZE or C2P_FUZZ")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  # Asio's std::atomic reference count (ref_count_down) is a release decrement followed by
  # an acquire fence, and TSan does not model fences (GCC's -Wtsan refuses to build it):
  # the last owner's delete of an executor would be reported as racing with the previous
  # owner's use. Without std::atomic Asio counts with acq_rel read-modify-writes, which
  # TSan sees; the rest of Asio is unchanged.
  add_compile_definitions(BOOST_ASIO_DISABLE_STD_ATOMIC)
endif()

if(C2P_FUZZ)
  # Coverage counters in every library, not just the fuzz targets' own sources: the code
  # under test (Beast's parser, the router, the JSON reader) lives in the libraries.
  # clang-14's -fsanitize=function cannot emit C++20 coroutines ("Cannot represent a
  # difference across sections"); the other UBSan checks stay on.
  add_compile_options(-fsanitize=fuzzer-no-link -fno-sanitize=function)
endif()

# Precompiled headers (C2P_PCH, on in the asan preset): cmake/pch/common.hpp for libraries
# and executables, cmake/pch/test.hpp for tests, each built once (targets c2p_pch and
# c2p_test_pch) and reused by every target. clang accepts a reused header when the target
# defines at least the macros the header was built with, so the two pch targets carry only
# the project-wide definitions (and GoogleTest's, for the tests'). Fuzz targets compile
# with -fsanitize=fuzzer and build theirs without one.
if(C2P_PCH AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Built and tried with clang only: GCC's rules for reusing a header differ, and with
  # -Winvalid-pch and -Werror a refused header is an error in every target.
  message(FATAL_ERROR "C2P_PCH needs clang (the asan preset)")
endif()
if(C2P_PCH)
  add_library(c2p_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/pch.cpp)
  target_compile_options(c2p_pch PRIVATE ${C2P_WARNINGS})
  target_precompile_headers(c2p_pch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch/common.hpp)
  if(C2P_TESTS)
    add_library(c2p_test_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch/pch.cpp)
    target_compile_options(c2p_test_pch PRIVATE ${C2P_WARNINGS} -O0) # as c2p_test's
    target_link_libraries(c2p_test_pch PRIVATE GTest::gtest)
    target_precompile_headers(c2p_test_pch PRIVATE ${PROJECT_SOURCE_DIR}/cmake/pch/test.hpp)
  endif()
endif()
function(c2p_use_pch name from)
  if(C2P_PCH)
    target_precompile_headers(${name} REUSE_FROM ${from})
  endif()
endfunction()

# c2p_library(NAME SRCS a.cpp b.cpp DEPS x y)
function(c2p_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${name} PRIVATE ${C2P_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  c2p_use_pch(${name} c2p_pch)
endfunction()

# c2p_executable(NAME SRCS main.cpp DEPS x y)
function(c2p_executable name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${C2P_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  c2p_use_pch(${name} c2p_pch)
endfunction()

# c2p_test(NAME SRCS foo_test.cpp DEPS x y [LABELS e2e]) — a GoogleTest binary run by ctest.
function(c2p_test name)
  if(NOT C2P_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  # A test's own code is thin (the work is in the libraries and processes it drives), so it
  # is not optimised: that halves its compile time on a cold CI machine.
  target_compile_options(${name} PRIVATE ${C2P_WARNINGS} -O0)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  c2p_use_pch(${name} c2p_test_pch)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "C2P_BIN_DIR=${CMAKE_BINARY_DIR}/bin;C2P_SOURCE_DIR=${PROJECT_SOURCE_DIR};C2P_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# c2p_fuzzer(NAME SRCS f.cpp DEPS x) — a libFuzzer target, only with C2P_FUZZ (asan preset).
function(c2p_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${C2P_WARNINGS} -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# c2p_uses_test_postgres(TEST) — TEST needs the throwaway PostgreSQL that the c2p_pg ctest
# fixture starts (scripts/pg.sh) under the build directory; its URL reaches the test
# through the file C2P_PG_URL_FILE names.
set(C2P_TEST_PG_DIR ${CMAKE_BINARY_DIR}/pg)
function(c2p_uses_test_postgres name)
  if(NOT TEST ${name})
    return()
  endif()
  set_property(TEST ${name} APPEND PROPERTY FIXTURES_REQUIRED c2p_pg)
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "C2P_PG_URL_FILE=${C2P_TEST_PG_DIR}/url")
endfunction()
