# Dependencies of the faketensor interface target. Keep in step with
# cmake/faketensorConfig.cmake.in (find_dependency), vcpkg.json and conanfile.py.
#
# Debian 12 notes:
#  - Boost 1.74 installs BoostConfig.cmake; FindBoost defers to it and it
#    provides Boost::headers (Hana is header-only, no component needed).
#  - range-v3 0.12's config-version file uses ExactVersion compatibility, so
#    asking for any version other than exactly 0.12.0 fails: request none.
#    Its config exports range-v3::range-v3 (plus ::meta, ::concepts).
#  - dlpack's package reports version 0.1.0 whatever the header says (0.6 on
#    Debian, DLPACK_VERSION 60): request none.
find_package(Boost 1.74 REQUIRED)
find_package(range-v3 CONFIG REQUIRED)
find_package(dlpack CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
