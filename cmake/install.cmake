# What `cmake --install` and the Debian packages hold, in two components:
#   server  fieldlinkd, the plugins, the web page, the commented configuration (with the
#           installed data folder), the systemd units: package `fieldlink`
#   sdk     headers, CMake package, templates and fieldlink-new-plugin for plugin authors:
#           package `fieldlink-sdk` (installed by sdk/CMakeLists.txt)
# With CMAKE_INSTALL_PREFIX=/usr (scripts/package.sh), GNUInstallDirs puts the configuration
# in /etc and the data in /var, as Debian expects.

install(DIRECTORY ${FIELDLINK_WEB_OUTPUT_DIR}/ DESTINATION ${FIELDLINK_WEB_SUBDIR} COMPONENT server)

# The commented configuration, pointed at the installed data folder.
set(FIELDLINK_DATA_DIR ${CMAKE_INSTALL_FULL_LOCALSTATEDIR}/lib/fieldlink)
set(FIELDLINK_CONFIG_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/fieldlink)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/config/fieldlink.properties)
file(READ ${PROJECT_SOURCE_DIR}/config/fieldlink.properties installed_config)
string(REGEX REPLACE "\ndata\\.dir = [^\n]*" "\ndata.dir = ${FIELDLINK_DATA_DIR}"
       installed_config "${installed_config}")
if(NOT installed_config MATCHES "\ndata\\.dir = ${FIELDLINK_DATA_DIR}\n")
  message(FATAL_ERROR "config/fieldlink.properties has no 'data.dir = ...' line to install")
endif()
file(WRITE ${CMAKE_BINARY_DIR}/packaging/fieldlink.properties "${installed_config}")
install(FILES ${CMAKE_BINARY_DIR}/packaging/fieldlink.properties
        DESTINATION ${FIELDLINK_CONFIG_DIR} COMPONENT server)

# systemd units, with the installed paths.
set(FIELDLINK_BIN ${CMAKE_INSTALL_FULL_BINDIR}/fieldlinkd)
foreach(unit fieldlink.service fieldlink-backup.service fieldlink-backup.timer)
  configure_file(${PROJECT_SOURCE_DIR}/packaging/${unit}.in ${CMAKE_BINARY_DIR}/packaging/${unit} @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/packaging/${unit} DESTINATION lib/systemd/system
          COMPONENT server)
endforeach()

# Debian packages (scripts/package.sh): build/fieldlink_VERSION_amd64.deb and
# build/fieldlink-sdk_VERSION_amd64.deb, Depends: computed by dpkg-shlibdeps.
foreach(script postinst prerm postrm)
  configure_file(${PROJECT_SOURCE_DIR}/packaging/${script}.in ${CMAKE_BINARY_DIR}/packaging/${script} @ONLY)
  file(CHMOD ${CMAKE_BINARY_DIR}/packaging/${script} PERMISSIONS OWNER_READ OWNER_WRITE
       OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/packaging/conffiles "${FIELDLINK_CONFIG_DIR}/fieldlink.properties\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME fieldlink)
set(CPACK_PACKAGE_VENDOR "fieldlink")
set(CPACK_PACKAGE_CONTACT "fieldlink maintainers <fieldlink@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "chat between clients and field technicians")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server sdk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME fieldlink)
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "fieldlinkd serves real-time chat, voice notes, photos and files, live tracking and video calls between the clients of a field-service company and its technicians. This package holds the server, its plugins, its web page, a commented configuration in /etc/fieldlink and systemd units (the server, and a daily backup timer).")
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${CMAKE_BINARY_DIR}/packaging/postinst ${CMAKE_BINARY_DIR}/packaging/prerm
    ${CMAKE_BINARY_DIR}/packaging/postrm ${CMAKE_BINARY_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_SDK_PACKAGE_NAME fieldlink-sdk)
set(CPACK_COMPONENT_SDK_DESCRIPTION "plugin SDK for the fieldlink server")
set(CPACK_DEBIAN_SDK_DESCRIPTION
    "Headers, CMake package, templates and fieldlink-new-plugin for writing plugins of the fieldlink server.")
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "libpoco-dev, libboost-dev, cmake")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_SOURCE_DIR}/build)
include(CPack)
