// faketensor/analysis/memory.hpp — tensor lifetimes and peak live memory per
// device of a graph, and its parameter count.
//
//   fake::memory_report r = fake::analyze_memory(g, {.round_to_blocks = true});
//   r.devices[0].peak_bytes;        // parameters + inputs + peak activations
//   r.live_bytes[i];                // activation bytes live while node i runs
//
// Memory is counted per storage, never per tensor: a view, an _unsafe_view,
// a getitem or an in-place result lives on a storage already counted. A
// storage made by a node is allocated when that node runs and freed after the
// last node that uses any tensor on it (an output of the graph lives to the
// end). Parameters (get_attr) and inputs (placeholders) are live throughout.
// With round_to_blocks each allocation is rounded up to the CUDA caching
// allocator's 512-byte blocks.
#pragma once

#include <algorithm>      // std::max
#include <cstdint>        // std::int64_t
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "faketensor/trace/graph.hpp"  // fake::graph

namespace fake {

struct memory_options {
  bool round_to_blocks = false;  // round each allocation up to 512 bytes
};

// One storage's life in the graph.
struct storage_lifetime {
  std::uint64_t storage_id = 0;
  fake::device device{};
  std::int64_t bytes = 0;
  node_id allocated_at = 0;  // the node that made it
  node_id last_use = 0;      // the last node that reads it (the output node for results)
  enum class kind : std::uint8_t { parameter, input, activation } role = kind::activation;
};

struct device_memory {
  fake::device device{};
  std::int64_t parameter_bytes = 0;
  std::int64_t input_bytes = 0;
  std::int64_t peak_activation_bytes = 0;
  node_id peak_at = 0;  // the node during which activations peak
  [[nodiscard]] std::int64_t peak_bytes() const noexcept { return parameter_bytes + input_bytes + peak_activation_bytes; }
};

struct memory_report {
  std::vector<storage_lifetime> storages;
  std::vector<device_memory> devices;
  // Activation bytes live while node i runs, all devices together (by node id).
  std::vector<std::int64_t> live_bytes;
};

inline std::int64_t allocation_bytes(std::int64_t nbytes, const memory_options& o) {
  if (!o.round_to_blocks || nbytes == 0) return nbytes;
  return (nbytes + 511) / 512 * 512;
}

inline memory_report analyze_memory(const graph& g, const memory_options& opts = {}) {
  memory_report r;
  std::unordered_map<std::uint64_t, std::size_t> index;  // storage id -> r.storages
  for (node_id i = 0; i < g.size(); ++i) {
    const node& n = g[i];
    if (n.erased) continue;
    for (const tensor_desc& t : n.val.tensors) {
      auto [it, fresh] = index.try_emplace(t.storage().id(), r.storages.size());
      if (!fresh) continue;
      storage_lifetime s;
      s.storage_id = t.storage().id();
      s.device = t.storage().device();
      s.bytes = allocation_bytes(t.storage().nbytes(), opts);
      s.allocated_at = i;
      s.last_use = i;
      s.role = n.op == node_op::get_attr      ? storage_lifetime::kind::parameter
               : n.op == node_op::placeholder ? storage_lifetime::kind::input
                                              : storage_lifetime::kind::activation;
      r.storages.push_back(s);
    }
    // Every use of a tensor extends the life of its storage to this node.
    n.for_each_input([&](node_id in) {
      for (const tensor_desc& t : g[in].val.tensors) {
        auto it = index.find(t.storage().id());
        if (it != index.end()) r.storages[it->second].last_use = std::max(r.storages[it->second].last_use, i);
      }
    });
  }

  // Sweep: +bytes where a storage is made, -bytes after its last use.
  std::vector<std::int64_t> delta(g.size() + 1, 0);
  std::unordered_map<std::string, std::size_t> device_index;
  const auto device_of = [&](const fake::device& d) -> device_memory& {
    auto [it, fresh] = device_index.try_emplace(to_string(d), r.devices.size());
    if (fresh) r.devices.push_back(device_memory{d});
    return r.devices[it->second];
  };
  std::vector<std::vector<std::int64_t>> per_device_delta;
  for (const storage_lifetime& s : r.storages) {
    device_memory& dm = device_of(s.device);
    if (s.role == storage_lifetime::kind::parameter) dm.parameter_bytes += s.bytes;
    else if (s.role == storage_lifetime::kind::input) dm.input_bytes += s.bytes;
  }
  per_device_delta.assign(r.devices.size(), std::vector<std::int64_t>(g.size() + 1, 0));
  for (const storage_lifetime& s : r.storages) {
    if (s.role != storage_lifetime::kind::activation) continue;
    const std::size_t d = device_index.at(to_string(s.device));
    per_device_delta[d][s.allocated_at] += s.bytes;
    per_device_delta[d][s.last_use + 1] -= s.bytes;
    delta[s.allocated_at] += s.bytes;
    delta[s.last_use + 1] -= s.bytes;
  }
  r.live_bytes.assign(g.size(), 0);
  std::int64_t live = 0;
  for (node_id i = 0; i < g.size(); ++i) {
    live += delta[i];
    r.live_bytes[i] = live;
  }
  for (std::size_t d = 0; d < r.devices.size(); ++d) {
    std::int64_t dl = 0;
    for (node_id i = 0; i < g.size(); ++i) {
      dl += per_device_delta[d][i];
      if (dl > r.devices[d].peak_activation_bytes) {
        r.devices[d].peak_activation_bytes = dl;
        r.devices[d].peak_at = i;
      }
    }
  }
  return r;
}

// The number of parameter elements the graph uses: get_attr tensors flagged
// is_parameter (buffers and constants are not), each storage once (tied
// weights are one storage).
inline std::int64_t parameter_count(const graph& g) {
  std::unordered_map<std::uint64_t, bool> seen;
  std::int64_t n = 0;
  for (const node& x : g.nodes())
    if (!x.erased && x.op == node_op::get_attr && x.val.type == node_value::kind::tensor && x.val.tensor().is_parameter())
      if (seen.try_emplace(x.val.tensor().storage().id(), true).second) n += x.val.tensor().numel();
  return n;
}

}  // namespace fake
