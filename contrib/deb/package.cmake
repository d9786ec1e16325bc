# The Debian package, made by CPack's DEB generator from this build tree's install rules
# (scripts/package.sh runs it): what `cmake --install` installs is exactly what the package
# holds, plus the maintainer scripts and the Debian documents of this folder.

set(BRANKAS_PACKAGE_MAINTAINER "Brankas <dev@brankas.invalid>" CACHE STRING
    "The package's Maintainer: field (name <address>)")

set(deb_dir ${PROJECT_SOURCE_DIR}/contrib/deb)
set(deb_build ${PROJECT_BINARY_DIR}/contrib/deb)

# Debian wants the changelog and the copyright in share/doc/<package>, the changelog gzipped.
configure_file(${deb_dir}/changelog.in ${deb_build}/changelog @ONLY)
find_program(BRANKAS_DEB_GZIP gzip REQUIRED)
add_custom_command(OUTPUT ${deb_build}/changelog.gz
  COMMAND ${BRANKAS_DEB_GZIP} -9 -n --force --keep ${deb_build}/changelog
  DEPENDS ${deb_build}/changelog
  VERBATIM)
add_custom_target(brankas_deb_changelog ALL DEPENDS ${deb_build}/changelog.gz)
install(FILES ${deb_build}/changelog.gz ${deb_dir}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME brankas)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "credential vault for the shared accounts of an institution")
# The extended description: CPack puts the summary above it and indents it as Debian wants.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Brankas keeps the social-media and e-mail accounts that an institution hands
from one team to the next in one encrypted vault per district (SQLCipher,
libsodium), with a signed, hash-chained audit log that an auditor can verify.
District admins check passwords out for a reason and a limited time, rotate
them and hand sub-districts over; custodians see only their own sub-district;
auditors and the unattended enforcer can read no password by construction.

This package installs the brankas command, its manual in English and
Indonesian, its bash completion and the Indonesian messages, creates the
brankas system user with its private home /var/lib/brankas, and ships the
enforcer's systemd service and daily timer and the browser face's service
(brankas serve, behind the sample nginx configuration), all disabled until
the admin enables them.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BRANKAS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # brankas_<version>_<arch>.deb
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Depends: on the libraries the binary links, found by dpkg-shlibdeps, and on what the
# maintainer scripts run (adduser, debconf).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, debconf (>= 0.5) | debconf-2.0")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${deb_dir}/config ${deb_dir}/templates ${deb_dir}/postinst ${deb_dir}/prerm ${deb_dir}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The package installs where the build was configured to install (the systemd unit names that
# path), and holds the stripped binary.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/package)
include(CPack)
