// faketensor/analysis/sym_memory.hpp — peak memory of a graph traced on
// symbolic inputs, as expressions in their sizes.
//
//   fake::shape_env env;
//   tensor_desc ids = fake::make_symbolic(model.example_input(8, 1024), env, "tokens");  // batch s0, sequence s1
//   fake::graph g = fake::make_graph(m, model, ids);
//   fake::sym_memory_report r = fake::analyze_memory_symbolic(g);
//   fake::to_string(r.devices[0].peak_activation_bytes);  // Max(p1, p2, ...): polynomials in s0 and s1
//   env.evaluate(r.devices[0].peak_bytes(), std::vector<std::int64_t>{2, 77});  // the peak at batch 2, sequence 77
//
// The lifetimes are analyze_memory's (analysis/memory.hpp): they depend on the
// graph, not on the sizes, so one sweep holds for every size the guards allow.
// Only the bytes become expressions: each storage's, from the geometry of the
// tensor that made it. The activations live during a node are a polynomial;
// the peak is the largest of them, and which node that is can change with the
// sizes (attention's T² against the MLP's 4·C·T), so the peak is a Max over
// the live polynomials no other one dominates (q dominates p when q - p is
// non-negative over the symbols' ranges). Nothing here records a guard.
#pragma once

#include <cstdint>        // std::int64_t
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "faketensor/analysis/memory.hpp"  // fake::analyze_memory, fake::memory_options
#include "faketensor/core/sym.hpp"         // fake::sym_int, fake::sym_max
#include "faketensor/meta/sym_tensor.hpp"  // fake::sym_geometry_of

namespace fake {

struct sym_device_memory {
  fake::device device{};
  sym_int parameter_bytes{0};
  sym_int input_bytes{0};
  sym_int peak_activation_bytes{0};
  // The live-activation polynomials the peak is the Max of, and the node
  // each is live at (the first node where it is).
  std::vector<sym_int> peak_candidates;
  std::vector<node_id> candidate_at;
  [[nodiscard]] sym_int peak_bytes() const { return parameter_bytes + input_bytes + peak_activation_bytes; }
};

struct sym_memory_report {
  std::vector<sym_device_memory> devices;  // in analyze_memory's order
  std::vector<sym_int> storage_bytes;      // by analyze_memory's storages
};

namespace detail {
// Whether a - b >= 0 wherever the symbols' ranges allow, decided without a guard.
inline bool surely_at_least(const sym_int& a, const sym_int& b) {
  const sym_int d = a - b;
  if (d.is_constant()) return d.constant() >= 0;
  return d.node()->env->range_of(d).lo >= 0;
}

// The bytes a freshly made storage needs for tensor t, as an expression:
// (offset + 1 + Σ stride·(size - 1))·itemsize, or 0 with a size-0 dim. Not
// shape/numel.hpp's storage_nbytes, whose branch on a size being 0 would
// guard (or raise on an unbacked size): an analysis records nothing.
inline sym_int symbolic_storage_bytes(const tensor_desc& t, const memory_options& o) {
  if (!t.is_symbolic()) return sym_int(allocation_bytes(t.storage().nbytes(), o));
  const sym_geometry geo = sym_geometry_of(t);
  sym_int last = geo.offset;
  for (std::size_t d = 0; d < geo.sizes.size(); ++d) {
    // a size that may be 0 is one the ranges cannot exclude: a backed symbol
    // is >= 2, so this is only a bound for unbacked sizes (their hint-free
    // worst case is the non-empty formula)
    if (maybe_constant(geo.sizes[d]) == std::int64_t{0}) return sym_int(0);
    last = last + geo.strides[d] * (geo.sizes[d] - 1);
  }
  sym_int bytes = (last + 1) * static_cast<std::int64_t>(itemsize(t.dtype()));
  if (o.round_to_blocks) bytes = sym_ceil_div(bytes, 512) * 512;
  return bytes;
}
}  // namespace detail

inline sym_memory_report analyze_memory_symbolic(const graph& g, const memory_options& opts = {}) {
  const memory_report lifetimes = analyze_memory(g, opts);
  sym_memory_report r;
  r.devices.resize(lifetimes.devices.size());
  std::unordered_map<std::string, std::size_t> device_index;
  for (std::size_t d = 0; d < lifetimes.devices.size(); ++d) {
    r.devices[d].device = lifetimes.devices[d].device;
    device_index.emplace(to_string(lifetimes.devices[d].device), d);
  }
  // Each storage's bytes from the tensor of the node that made it.
  r.storage_bytes.reserve(lifetimes.storages.size());
  std::vector<std::vector<std::size_t>> allocated(g.size()), freed(g.size());
  for (std::size_t s = 0; s < lifetimes.storages.size(); ++s) {
    const storage_lifetime& life = lifetimes.storages[s];
    const tensor_desc* maker = nullptr;
    for (const tensor_desc& t : g[life.allocated_at].val.tensors)
      if (t.storage().id() == life.storage_id) {
        maker = &t;
        break;
      }
    const sym_int bytes = detail::symbolic_storage_bytes(*maker, opts);
    expect<value_error, "analyze_memory_symbolic", "node '{}' made a storage of {} bytes, but its tensor's geometry needs {}">(
        hint_of(bytes) == life.bytes, g[life.allocated_at].name, life.bytes, hint_of(bytes));
    r.storage_bytes.push_back(bytes);
    sym_device_memory& dm = r.devices[device_index.at(to_string(life.device))];
    switch (life.role) {
      case storage_lifetime::kind::parameter: dm.parameter_bytes = dm.parameter_bytes + bytes; break;
      case storage_lifetime::kind::input: dm.input_bytes = dm.input_bytes + bytes; break;
      case storage_lifetime::kind::activation:
        allocated[life.allocated_at].push_back(s);
        freed[life.last_use].push_back(s);
        break;
    }
  }
  // The sweep, per device: live bytes rise only where a storage is made, so
  // only those nodes can hold the peak.
  for (std::size_t d = 0; d < r.devices.size(); ++d) {
    sym_device_memory& dm = r.devices[d];
    const auto on_device = [&](std::size_t s) { return device_index.at(to_string(lifetimes.storages[s].device)) == d; };
    sym_int live(0);
    for (node_id i = 0; i < g.size(); ++i) {
      bool grew = false;
      for (const std::size_t s : allocated[i])
        if (on_device(s)) {
          live = live + r.storage_bytes[s];
          grew = true;
        }
      if (grew) {
        bool dominated = false;
        for (const sym_int& kept : dm.peak_candidates) dominated = dominated || detail::surely_at_least(kept, live);
        if (!dominated) {
          std::size_t out = 0;
          for (std::size_t k = 0; k < dm.peak_candidates.size(); ++k)
            if (!detail::surely_at_least(live, dm.peak_candidates[k])) {
              dm.peak_candidates[out] = dm.peak_candidates[k];
              dm.candidate_at[out++] = dm.candidate_at[k];
            }
          dm.peak_candidates.resize(out);
          dm.candidate_at.resize(out);
          dm.peak_candidates.push_back(live);
          dm.candidate_at.push_back(i);
        }
      }
      for (const std::size_t s : freed[i])
        if (on_device(s)) live = live - r.storage_bytes[s];
    }
    for (const sym_int& p : dm.peak_candidates) dm.peak_activation_bytes = sym_max(dm.peak_activation_bytes, p);
  }
  return r;
}

}  // namespace fake
