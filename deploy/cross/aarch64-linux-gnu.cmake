# Cross-compiling chiso for a Raspberry Pi 4/5 (64-bit Raspberry Pi OS, i.e. Debian 12 arm64) on a Debian 12
# amd64 machine with Debian's multiarch: the compiler from crossbuild-essential-arm64, the libraries as the
# :arm64 -dev packages, Qt's build tools (moc, rcc, qmlcachegen) from the machine's own amd64 Qt.
# Used by the `rpi-arm64` preset; the steps are in README.md, Deployment.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(PKG_CONFIG_EXECUTABLE aarch64-linux-gnu-pkg-config CACHE FILEPATH "pkg-config for the arm64 libraries")

# Libraries and headers come from the arm64 multiarch folders only; programs run are the machine's own.
set(CMAKE_FIND_ROOT_PATH /usr/lib/aarch64-linux-gnu /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# Qt 6 finds its host tools through QT_HOST_PATH.
set(QT_HOST_PATH /usr CACHE PATH "the amd64 Qt installation providing moc, rcc and qmlcachegen")
set(QT_HOST_PATH_CMAKE_DIR /usr/lib/x86_64-linux-gnu/cmake CACHE PATH "the amd64 Qt's CMake packages")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
