# The Debian package (`make package`, CPack's DEB generator): install rules for the three
# binaries, the systemd unit, the example configuration and the operator docs. Install
# rules only: how the binaries are built is untouched. Sanitizer and fuzz builds are not
# packaged.
if(C2P_SANITIZE OR C2P_FUZZ)
  return()
endif()

include(GNUInstallDirs)

install(TARGETS c2pd c2psim c2pctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# /usr/lib/systemd/system: the package's own units (Debian 12 merges /lib into /usr/lib).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/c2pd.service DESTINATION lib/systemd/system)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/c2pd.toml.example DESTINATION /etc/c2p)
# The docs an operator and an issuer's engineers need on the machine.
set(C2P_PACKAGED_DOCS operations configuration integration quickstart notifications
    issuer-backend batch c2pctl)
list(TRANSFORM C2P_PACKAGED_DOCS PREPEND ${PROJECT_SOURCE_DIR}/docs/)
list(TRANSFORM C2P_PACKAGED_DOCS APPEND .md)
install(FILES ${C2P_PACKAGED_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "c2p")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "c2p")
set(CPACK_PACKAGE_CONTACT "c2p maintainers <c2p-maintainers@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Click to Pay enrolment service for card issuers")
set(CPACK_PACKAGE_DESCRIPTION
    "c2pd enrols issuers' cardholders and cards into Visa and Mastercard Click to Pay \
through a D1-shaped API; c2psim simulates the networks and an issuer backend; c2pctl is \
the command-line client for issuers' engineers and operators.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
# /etc/c2p is a configuration path, not under the prefix: expected, not a mistake.
set(CPACK_WARN_ON_ABSOLUTE_INSTALL_DESTINATION OFF)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Shared-library dependencies come from dpkg-shlibdeps; adduser is for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_LIST_DIR}/postinst;${CMAKE_CURRENT_LIST_DIR}/prerm;${CMAKE_CURRENT_LIST_DIR}/postrm;${CMAKE_CURRENT_LIST_DIR}/conffiles")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
