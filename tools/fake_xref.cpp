// fake-xref FILE [--filter REGEX] [--strict] [--verbose]
//
// Runs operator-metadata cross-reference cases (tests/data/xref/FORMAT.md)
// through faketensor's type-erased path by op name; prints one line per
// failing case (id, expected vs got, field by field) and ends with
// "N passed, M failed, K skipped". Exit status: 0 when nothing failed (and,
// with --strict, nothing was skipped), 1 otherwise, 2 for bad usage.
#include <fstream>
#include <iostream>
#include <regex>
#include <string>
#include <string_view>

#include <faketensor/dispatch/operator.hpp>  // fake::op_registry (every family: tools/aten_ops.cpp)

#include "xref_runner.hpp"

namespace {
int usage(const char* why) {
  std::cerr << "fake-xref: " << why << "\n"
            << "usage: fake-xref FILE [--filter REGEX] [--strict] [--verbose]\n"
            << "  FILE        JSON Lines cases (format: tests/data/xref/FORMAT.md); - for standard input\n"
            << "  --filter R  run only the cases whose id matches the ECMAScript regex R\n"
            << "  --strict    also fail when a case is skipped (op not supported)\n"
            << "  --verbose   list the skipped cases and why\n";
  return 2;
}
}  // namespace

int main(int argc, char** argv) {
  std::string file;
  bool strict = false;
  fake::xref::options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--strict") strict = true;
    else if (a == "--verbose") opt.verbose = true;
    else if (a == "--filter") {
      if (++i == argc) return usage("--filter needs a regex");
      try {
        opt.filter.emplace(argv[i]);
      } catch (const std::regex_error& e) {
        return usage((std::string("bad --filter regex: ") + e.what()).c_str());
      }
    } else if (a == "-h" || a == "--help") {
      usage("help");
      return 0;
    } else if (a.starts_with("--")) {
      return usage((std::string("unknown option ") + std::string(a)).c_str());
    } else if (file.empty()) {
      file = a;
    } else {
      return usage("more than one FILE");
    }
  }
  if (file.empty()) return usage("no FILE");
  fake::xref::summary s;
  if (file == "-") {
    s = fake::xref::run(std::cin, std::cout, opt);
  } else {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "fake-xref: cannot open " << file << "\n";
      return 2;
    }
    s = fake::xref::run(in, std::cout, opt);
  }
  return s.failed == 0 && (!strict || s.skipped == 0) ? 0 : 1;
}
