// faketensor/trace/node_names.hpp — unique node names, as FX gives them.
//
// Note [node names]
// FX's _Namespace.create_name(candidate, None), which names make_fx's nodes:
// the candidate is made a Python identifier ("h.0.attn" -> "h_0_attn", "0x" ->
// "_0x"); a numeric suffix "_<n>" is split off as the number to start from
// ("arg0_1" is base "arg0", 1); then the first name of base, base_1, base_2,
// ... (or base_n, base_{n+1}, ... when the candidate had a suffix) that is
// neither used nor a Python keyword or builtin is taken. FX never gives a name
// back (erase_node leaves it used), and neither does this.
//
// Every name made so is (base, number) or a plain base, in one way only (the
// suffix is written back as a canonical decimal). So instead of FX's set of
// every name (a hash and a string per node, and a scan from 1 that is
// quadratic in the uses of one base), each base keeps whether its plain form
// is used and which numbers are: all of 1 .. next-1, and a short sorted list
// of those taken out of that order (a candidate with a suffix, an imported
// name). Naming a node is one lookup of its base and one number.
#pragma once

#include <algorithm>      // std::binary_search, std::lower_bound
#include <array>          // std::array
#include <charconv>       // std::to_chars
#include <cstdint>        // std::uint64_t, std::uintptr_t
#include <functional>     // std::equal_to
#include <iterator>       // std::begin, std::end
#include <memory>         // std::unique_ptr
#include <memory_resource>  // std::pmr::monotonic_buffer_resource
#include <optional>       // std::optional
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <unordered_set>  // std::unordered_set
#include <utility>        // std::pair
#include <vector>         // std::vector

#include "faketensor/dispatch/operator.hpp"  // fake::detail::string_hash

namespace fake::detail {

class node_namespace {
 public:
  // A new unique name from `candidate` (FX's create_name). `repeated`: the
  // candidate's text is asked for again and again (an op's name), so its split
  // is worth remembering; a parameter's name is asked for once.
  std::string create(std::string_view candidate, bool repeated = false) {
    known_candidate once;
    const known_candidate& k = repeated ? resolve(candidate) : split(candidate, once);
    auto& [base_view, b] = *k.entry;
    const std::string_view base = base_view;
    std::uint64_t number = 1;
    if (!k.suffix) {
      if (!b.plain && !k.builtin) {
        b.plain = true;
        return std::string(base);
      }
    } else {
      number = *k.suffix;
    }
    if (number >= 1 && number < b.next) number = b.next;  // FX scans 1 .. next-1, all used
    while (b.uses(number)) ++number;
    b.take(number);
    return numbered(base, number);
  }

  // Marks `name` used as it is (a graph read back from JSON); false if it was.
  bool claim(std::string_view name) {
    const auto [base, suffix] = split_suffix(name);
    if (suffix && numbered(base, *suffix) != name)  // "x_01": create never makes it
      return odd_.insert(std::string(name)).second;
    base_names& b = entry(base);
    if (!suffix) {
      const bool was = b.plain;
      b.plain = true;
      return !was;
    }
    if (b.uses(*suffix)) return false;
    b.take(*suffix);
    return true;
  }

  node_namespace() = default;
  // A copy (a graph's copy) has its own arena, and an empty memo (the memo
  // points into the bases).
  node_namespace(const node_namespace& o) : odd_(o.odd_) {
    if (o.bases_)
      for (const auto& [base, names] : o.bases_->map) find_or_add(base).second = names;
  }
  node_namespace& operator=(const node_namespace& o) {
    if (this != &o) *this = node_namespace(o);
    return *this;
  }
  node_namespace(node_namespace&&) noexcept = default;
  node_namespace& operator=(node_namespace&&) noexcept = default;
  ~node_namespace() = default;

  // FX never names a node after a Python keyword or builtin ("sum" -> "sum_1"),
  // nor after the names its generated code imports; "self" is forward's first
  // parameter in that code. (Python 3.11's dir(builtins) and keyword.kwlist.)
  static bool is_python_builtin(std::string_view s) {
    static constexpr std::string_view names[] = {
        "ArithmeticError", "AssertionError", "AttributeError", "BaseException", "BaseExceptionGroup",
        "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning", "ChildProcessError",
        "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
        "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning", "EnvironmentError", "Exception",
        "ExceptionGroup", "False", "FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
        "GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError", "IndexError",
        "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
        "ModuleNotFoundError", "NameError", "None", "NoneType", "NotADirectoryError", "NotImplemented",
        "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning", "PermissionError",
        "ProcessLookupError", "RecursionError", "ReferenceError", "ResourceWarning", "RuntimeError",
        "RuntimeWarning", "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
        "SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError", "UnicodeDecodeError",
        "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError", "UnicodeWarning", "UserWarning",
        "ValueError", "Warning", "ZeroDivisionError", "__build_class__", "__debug__", "__doc__", "__import__",
        "__loader__", "__name__", "__package__", "__spec__", "abs", "aiter", "all", "and", "anext", "any", "as",
        "ascii", "assert", "async", "await", "bin", "bool", "break", "breakpoint", "bytearray", "bytes",
        "callable", "chr", "class", "classmethod", "compile", "complex", "continue", "copyright", "credits",
        "def", "del", "delattr", "device", "dict", "dir", "divmod", "elif", "else", "enumerate", "eval",
        "except", "exec", "exit", "filter", "finally", "float", "for", "format", "from", "frozenset",
        "fx_pytree", "getattr", "global", "globals", "hasattr", "hash", "help", "hex", "id", "if", "import",
        "in", "inf", "input", "int", "is", "isinstance", "issubclass", "iter", "lambda", "len", "license",
        "list", "locals", "map", "max", "memoryview", "min", "nan", "next", "nonlocal", "not", "object", "oct",
        "open", "or", "ord", "pass", "pow", "print", "property", "pytree", "quit", "raise", "range", "repr",
        "return", "reversed", "round", "self", "set", "setattr", "slice", "sorted", "staticmethod", "str",
        "sum", "super", "torch", "try", "tuple", "type", "vars", "while", "with", "yield", "zip"};
    static_assert(std::is_sorted(std::begin(names), std::end(names)));
    // the only ones with an underscore are dunders and fx_pytree: a
    // parameter's name ("h_0_attn_c_attn_weight") is no builtin at a glance
    if (s.size() < 2 || (s.find('_') != std::string_view::npos && !s.starts_with("__") && s != "fx_pytree")) return false;
    return std::binary_search(std::begin(names), std::end(names), s);
  }

 private:
  // The numbers of one base in use.
  struct base_names {
    bool plain = false;               // the base itself
    std::uint64_t next = 1;           // 1 .. next-1 are used
    std::vector<std::uint64_t> more;  // used outside that run (0, or past next), sorted

    [[nodiscard]] bool uses(std::uint64_t n) const {
      return (n >= 1 && n < next) || std::binary_search(more.begin(), more.end(), n);
    }
    void take(std::uint64_t n) {
      if (n != next) {
        more.insert(std::lower_bound(more.begin(), more.end(), n), n);
        return;
      }
      ++next;
      for (auto it = std::lower_bound(more.begin(), more.end(), next); it != more.end() && *it == next;) {
        it = more.erase(it);
        ++next;
      }
    }
  };

  // The bases by name; the names and the map's entries live in an arena the
  // graph frees at once (a traced model has a base per parameter).
  using base_map = std::pmr::unordered_map<std::string_view, base_names, string_hash, std::equal_to<>>;
  struct base_table {
    std::pmr::monotonic_buffer_resource arena{std::size_t{8192}};
    base_map map{&arena};
    base_table() { map.reserve(256); }  // a model's parameters and ops without rehashing
  };

  base_names& entry(std::string_view base) { return find_or_add(base).second; }
  base_map::value_type& find_or_add(std::string_view base) {
    if (!bases_) bases_ = std::make_unique<base_table>();
    auto it = bases_->map.find(base);
    if (it == bases_->map.end()) {
      char* text = static_cast<char*>(bases_->arena.allocate(base.size() == 0 ? 1 : base.size(), 1));
      std::copy(base.begin(), base.end(), text);
      it = bases_->map.emplace(std::string_view(text, base.size()), base_names{}).first;
    }
    return *it;
  }

  // A candidate as split once: a tracer asks for the same few op names over
  // and over, with the same text (the op's own), so the split and the base's
  // entry are kept by the text's address in a small direct-mapped memo; a slot
  // counts as a hit only if it holds the same characters.
  struct known_candidate {
    const char* data = nullptr;
    std::string text;
    base_map::value_type* entry = nullptr;
    std::optional<std::uint64_t> suffix;
    bool builtin = false;  // the base is a Python keyword or builtin
  };
  static constexpr int memo_bits = 6;
  static constexpr std::size_t memo_slots = std::size_t{1} << memo_bits;
  const known_candidate& resolve(std::string_view candidate) {
    if (!memo_) memo_ = std::make_unique<known_candidate[]>(memo_slots);
    // Fibonacci hashing of the address: op objects are large and alike, so
    // their names' low address bits repeat
    const std::uint64_t h = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(candidate.data())) * 0x9E3779B97F4A7C15ull;
    known_candidate& k = memo_[h >> (64 - memo_bits)];
    if (k.data == candidate.data() && k.text == candidate && k.entry != nullptr) return k;
    k.data = candidate.data();
    k.text.assign(candidate);
    return split(candidate, k);
  }
  known_candidate& split(std::string_view candidate, known_candidate& k) {
    const auto [base, suffix] = split_suffix(identifier(candidate, scratch_));
    k.entry = &find_or_add(base);  // unordered_map entries stay put
    k.suffix = suffix;
    k.builtin = !suffix && is_python_builtin(base);
    return k;
  }

  // FX's illegal-character substitution and leading-digit rule; `s` itself
  // when it is already an identifier (an op's name), else a copy in `scratch`.
  static std::string_view identifier(std::string_view s, std::string& scratch) {
    static constexpr auto word_table = [] {
      std::array<bool, 256> t{};
      for (int c = 0; c < 256; ++c) t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      return t;
    }();
    const auto word = [](char c) { return word_table[static_cast<unsigned char>(c)]; };
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (!s.empty() && !digit(s[0]) && std::all_of(s.begin(), s.end(), word)) return s;
    scratch.assign(1, '_');  // kept only before a leading digit
    scratch.append(s);
    std::size_t out = 1;
    for (std::size_t i = 1; i < scratch.size();) {  // a run of illegal characters becomes one '_'
      if (word(scratch[i])) {
        scratch[out++] = scratch[i++];
        continue;
      }
      while (i < scratch.size() && !word(scratch[i])) ++i;  // skipped before writing: out < i
      scratch[out++] = '_';
    }
    scratch.resize(out);
    if (out > 1 && !digit(scratch[1])) return std::string_view(scratch).substr(1);
    return scratch;
  }

  // FX's "(.*)_(\d+)$": the base and the number of a suffixed name (a number
  // past 18 digits is left in the base).
  static std::pair<std::string_view, std::optional<std::uint64_t>> split_suffix(std::string_view s) {
    std::size_t digits = 0;
    while (digits < s.size() && s[s.size() - 1 - digits] >= '0' && s[s.size() - 1 - digits] <= '9') ++digits;
    if (digits == 0 || digits > 18 || digits == s.size() || s[s.size() - 1 - digits] != '_') return {s, std::nullopt};
    std::uint64_t n = 0;
    for (std::size_t i = s.size() - digits; i < s.size(); ++i) n = n * 10 + static_cast<std::uint64_t>(s[i] - '0');
    return {s.substr(0, s.size() - 1 - digits), n};
  }

  static std::string numbered(std::string_view base, std::uint64_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    std::string out;
    out.reserve(base.size() + 1 + static_cast<std::size_t>(end - digits));
    out += base;
    out += '_';
    out.append(digits, end);
    return out;
  }

  std::unique_ptr<base_table> bases_;  // made on first use; moves keep its address
  std::string scratch_;  // identifier()'s buffer, kept for its capacity
  std::unique_ptr<known_candidate[]> memo_;
  std::unordered_set<std::string> odd_;  // claimed names with a non-canonical suffix ("x_01")
};

}  // namespace fake::detail
