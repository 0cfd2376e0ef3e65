"""Conan 2 recipe of faketensor, a C++20 header-only library.

    conan create . --build=missing               # package (+ runs the tests)
    conan install . --build=missing && cmake --preset conan-release

Dependencies mirror CMakeLists.txt (cmake/FaketensorDeps.cmake) and
vcpkg.json; versions follow Debian 12's packages where ConanCenter has them.
Consumers: find_package(faketensor CONFIG REQUIRED), faketensor::faketensor.
"""
import os

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy

required_conan_version = ">=2.0"


class FaketensorConan(ConanFile):
    name = "faketensor"
    version = "0.1.0"
    description = ("Tensor programs without their data: PyTorch's fake-tensor "
                   "metadata rules as a C++20 header-only library")
    topics = ("tensor", "pytorch", "shape-inference", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    no_copy_source = True
    # Only Boost's headers are used (Hana).
    default_options = {"boost/*:header_only": True}
    exports_sources = ("CMakeLists.txt", "cmake/*", "include/*", "tests/*",
                       "LICENSE*")

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # Header-only usage requirements of faketensor::faketensor.
        self.requires("boost/1.83.0")          # Hana (Debian 12: 1.74)
        self.requires("range-v3/0.12.0")       # Debian 12: 0.12.0
        self.requires("dlpack/0.6")            # Debian 12: 0.6
        self.requires("nlohmann_json/3.11.2")  # Debian 12: 3.11.2

    def build_requirements(self):
        self.test_requires("catch2/2.13.10")   # v2 API (catch2/catch.hpp); Debian 12: 2.13.10

    def validate(self):
        check_min_cppstd(self, 20)

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["FAKETENSOR_BUILD_TESTS"] = True
        tc.cache_variables["FAKETENSOR_BUILD_BENCH"] = False
        tc.cache_variables["FAKETENSOR_BUILD_EXAMPLES"] = False
        tc.cache_variables["FAKETENSOR_ENABLE_CUDA"] = "OFF"
        tc.cache_variables["CMAKE_DISABLE_FIND_PACKAGE_Torch"] = True
        # For CMake.test() (the `test` target): the packaging tests need the
        # system packages and Ninja, not Conan's dependencies; skip them.
        tc.cache_variables["CMAKE_CTEST_ARGUMENTS"] = "--output-on-failure;-LE;packaging"
        tc.generate()
        CMakeDeps(self).generate()

    def build(self):
        # Nothing to compile for the package itself: build and run the tests
        # unless tools.build:skip_test is set.
        if self.conf.get("tools.build:skip_test", default=False):
            return
        cmake = CMake(self)
        cmake.configure()
        cmake.build()
        cmake.test()

    def package(self):
        copy(self, "LICENSE*", src=self.source_folder,
             dst=os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", src=os.path.join(self.source_folder, "include"),
             dst=os.path.join(self.package_folder, "include"))

    def package_id(self):
        self.info.clear()

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "faketensor")
        self.cpp_info.set_property("cmake_target_name", "faketensor::faketensor")
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        # Usage requirements: all of requirements() (Boost, range-v3,
        # dlpack, nlohmann_json) propagate to consumers by default.
