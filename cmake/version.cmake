# The build's version for `c2pd --version` and `c2pctl --version`: the project version and
# the git commit, written into a generated header at configure time (`unknown` outside a
# git checkout). A commit makes CMake configure again (the ref files are configure
# dependencies), so the commit shown is the one built.
set(C2P_GIT_COMMIT "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
                  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                  OUTPUT_VARIABLE c2p_git_commit RESULT_VARIABLE c2p_git_rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(c2p_git_rc EQUAL 0 AND NOT c2p_git_commit STREQUAL "")
    set(C2P_GIT_COMMIT "${c2p_git_commit}")
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE c2p_git_head OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --symbolic-full-name HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE c2p_git_ref OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT c2p_git_ref STREQUAL "" AND NOT c2p_git_ref STREQUAL "HEAD")
      execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --git-path ${c2p_git_ref}
                      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                      OUTPUT_VARIABLE c2p_git_ref_file OUTPUT_STRIP_TRAILING_WHITESPACE
                      ERROR_QUIET)
    endif()
    foreach(f ${c2p_git_head} ${c2p_git_ref_file})
      if(NOT IS_ABSOLUTE "${f}")
        set(f "${PROJECT_SOURCE_DIR}/${f}")
      endif()
      if(EXISTS "${f}")
        set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${f}")
      endif()
    endforeach()
  endif()
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/build_version.hpp.in
               ${CMAKE_BINARY_DIR}/generated/c2p/build_version.hpp @ONLY)
add_library(c2p_version INTERFACE)
target_include_directories(c2p_version INTERFACE ${CMAKE_BINARY_DIR}/generated)
