// faketensor/core/layout.hpp — tensor layouts and memory formats.
#pragma once

#include <cstdint>      // std::int8_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "faketensor/core/error.hpp"   // fake::value_error
#include "faketensor/core/expect.hpp"  // fake::fail

namespace fake {

// Values are c10::Layout's.
enum class layout : std::int8_t {
  strided = 0,
  sparse_coo = 1,
  sparse_csr = 2,
  mkldnn = 3,
  sparse_csc = 4,
  sparse_bsr = 5,
  sparse_bsc = 6,
};

constexpr std::string_view name(layout l) {
  switch (l) {
    case layout::strided: return "strided";
    case layout::sparse_coo: return "sparse_coo";
    case layout::sparse_csr: return "sparse_csr";
    case layout::mkldnn: return "_mkldnn";
    case layout::sparse_csc: return "sparse_csc";
    case layout::sparse_bsr: return "sparse_bsr";
    case layout::sparse_bsc: return "sparse_bsc";
  }
  fail<value_error, "layout", "invalid layout value {}">(static_cast<int>(l));
}
inline std::string to_string(layout l) { return "torch." + std::string(name(l)); }

// Parses "strided", "torch.strided", ... (name()'s spellings).
constexpr std::optional<layout> parse_layout(std::string_view s) noexcept {
  if (s.starts_with("torch.")) s.remove_prefix(6);
  for (auto l : {layout::strided, layout::sparse_coo, layout::sparse_csr, layout::mkldnn, layout::sparse_csc, layout::sparse_bsr,
                 layout::sparse_bsc})
    if (name(l) == s) return l;
  return std::nullopt;
}

constexpr bool is_sparse(layout l) noexcept { return l != layout::strided && l != layout::mkldnn; }

// Values are c10::MemoryFormat's.
enum class memory_format : std::int8_t {
  contiguous_format = 0,
  preserve_format = 1,
  channels_last = 2,
  channels_last_3d = 3,
};

constexpr std::string_view name(memory_format m) {
  switch (m) {
    case memory_format::contiguous_format: return "contiguous_format";
    case memory_format::preserve_format: return "preserve_format";
    case memory_format::channels_last: return "channels_last";
    case memory_format::channels_last_3d: return "channels_last_3d";
  }
  fail<value_error, "memory_format", "invalid memory format value {}">(static_cast<int>(m));
}
inline std::string to_string(memory_format m) { return "torch." + std::string(name(m)); }

constexpr std::optional<memory_format> parse_memory_format(std::string_view s) noexcept {
  if (s.starts_with("torch.")) s.remove_prefix(6);
  for (auto m : {memory_format::contiguous_format, memory_format::preserve_format, memory_format::channels_last,
                 memory_format::channels_last_3d})
    if (name(m) == s) return m;
  return std::nullopt;
}

}  // namespace fake
