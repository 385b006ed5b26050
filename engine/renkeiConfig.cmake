# SPDX-License-Identifier: Apache-2.0
# find_package(renkei): renkei::shared (and its alias renkei::renkei) and renkei::static, with the
# libraries they need found again here (zstd, xxHash by pkg-config; OpenSSL's libcrypto; OpenMP).
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)
if(NOT TARGET PkgConfig::ZSTD)
  pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
endif()
if(NOT TARGET PkgConfig::XXHASH)
  pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
endif()
find_dependency(OpenSSL 3.0 COMPONENTS Crypto)
find_dependency(OpenMP COMPONENTS C)
include("${CMAKE_CURRENT_LIST_DIR}/renkeiTargets.cmake")
if(NOT TARGET renkei::renkei)
  add_library(renkei::renkei ALIAS renkei::shared)
endif()
