// Static facts about dispatch keys and key sets: c10's priorities, names, the
// split encoding's set algebra, highest-priority keys, the alias keys' runtime
// sets. Compiling is the test.
#include <cstddef>
#include <cstdint>

#include "faketensor/dispatch/key.hpp"
#include "faketensor/dispatch/key_set.hpp"

namespace {
using fake::backend_component;
using fake::dispatch_key;
using fake::dispatch_key_set;
using dk = fake::dispatch_key;

// ---- layout: c10's numbering scheme, 60 of 64 bits used
static_assert(fake::num_functionality_keys == 46);
static_assert(fake::num_backends == 15);
static_assert(fake::num_backends + fake::num_functionality_keys - 1 <= 64);
static_assert(fake::dispatch_table_size == 136);
static_assert(fake::num_dispatch_keys == 142);
static_assert(static_cast<int>(dk::autograd_meta) + 1 == static_cast<int>(dk::autograd));

// ---- names round-trip for every key, with PyTorch's spelling
constexpr bool names_round_trip() {
  for (std::size_t v = 0; v < fake::num_dispatch_keys; ++v) {
    const auto k = static_cast<dispatch_key>(v);
    if (fake::parse_dispatch_key(fake::to_string(k)) != k) return false;
  }
  return true;
}
static_assert(names_round_trip());
static_assert(fake::to_string(dk::cpu) == "CPU");
static_assert(fake::to_string(dk::autograd_cpu) == "AutogradCPU");
static_assert(fake::to_string(dk::composite_implicit_autograd) == "CompositeImplicitAutograd");
static_assert(fake::to_string(dk::ad_inplace_or_view) == "ADInplaceOrView");
static_assert(fake::to_string(dk::sparse_csr_meta) == "SparseCsrMeta");
static_assert(fake::to_string(dk::functorch_batched_decomposition) == "FuncTorchBatchedDecomposition");
static_assert(fake::to_string(dk::private_use1) == "PrivateUse1");
static_assert(fake::to_string(backend_component::meta) == "MetaBit");
static_assert(fake::parse_dispatch_key("AutogradOther") == dk::autograd_other);
static_assert(fake::parse_dispatch_key("PythonTLSSnapshot") == dk::python_tls_snapshot);

// ---- classification
static_assert(fake::is_alias_key(dk::autograd) && fake::is_alias_key(dk::composite_explicit_autograd_non_functional));
static_assert(!fake::is_alias_key(dk::autograd_cpu) && !fake::is_alias_key(dk::python_dispatcher));
static_assert(fake::is_runtime_key(dk::cpu) && fake::is_runtime_key(dk::autograd_other));
static_assert(!fake::is_runtime_key(dk::dense) && !fake::is_runtime_key(dk::autograd_functionality));
static_assert(!fake::is_runtime_key(dk::undefined) && !fake::is_runtime_key(dk::autograd));
static_assert(fake::is_backend_key(dk::cpu) && fake::is_backend_key(dk::meta) && fake::is_backend_key(dk::sparse_cpu));
static_assert(fake::is_backend_key(dk::quantized_cuda) && fake::is_backend_key(dk::fpga));
static_assert(!fake::is_backend_key(dk::nested_tensor_cpu) && !fake::is_backend_key(dk::autograd_cpu));
static_assert(!fake::is_backend_key(dk::python) && !fake::is_backend_key(dk::undefined));
static_assert(fake::is_autograd_key(dk::autograd_cuda) && fake::is_autograd_key(dk::autograd_other));
static_assert(fake::is_autograd_key(dk::autograd_nested_tensor) && !fake::is_autograd_key(dk::autograd_functionality));

// ---- functionality / backend decomposition
static_assert(fake::to_functionality_key(dk::cuda) == dk::dense);
static_assert(fake::to_functionality_key(dk::autograd_meta) == dk::autograd_functionality);
static_assert(fake::to_functionality_key(dk::python) == dk::python);
static_assert(fake::to_functionality_key(dk::autograd) == dk::undefined);
static_assert(fake::to_backend_component(dk::sparse_meta) == backend_component::meta);
static_assert(fake::to_backend_component(dk::cpu) == backend_component::cpu);
static_assert(fake::to_backend_component(dk::fpga) == backend_component::invalid);
static_assert(fake::to_runtime_key(dk::quantized, backend_component::cuda) == dk::quantized_cuda);
static_assert(fake::to_runtime_key(dk::python, backend_component::cuda) == dk::undefined);
constexpr bool decomposition_round_trips() {
  for (std::size_t v = static_cast<std::size_t>(dk::cpu); v < fake::dispatch_table_size; ++v) {
    const auto k = static_cast<dispatch_key>(v);
    if (fake::to_runtime_key(fake::to_functionality_key(k), fake::to_backend_component(k)) != k) return false;
  }
  return true;
}
static_assert(decomposition_round_trips());

// ---- autograd keys of backends (c10's getAutogradKeyFromBackend)
static_assert(fake::to_autograd_key(dk::cpu) == dk::autograd_cpu);
static_assert(fake::to_autograd_key(dk::meta) == dk::autograd_meta);
static_assert(fake::to_autograd_key(dk::sparse_cuda) == dk::autograd_cuda);
static_assert(fake::to_autograd_key(dk::hip) == dk::autograd_other);
static_assert(fake::to_autograd_key(dk::fpga) == dk::autograd_other);
static_assert(fake::to_autograd_key(backend_component::private_use1) == dk::autograd_private_use1);

// ---- priorities: the highest functionality wins, then the highest backend
static_assert(dispatch_key_set{dk::cpu, dk::autograd_cpu}.highest_priority_key() == dk::autograd_cpu);
static_assert(dispatch_key_set{dk::cpu, dk::ad_inplace_or_view}.highest_priority_key() == dk::ad_inplace_or_view);
static_assert(dispatch_key_set{dk::ad_inplace_or_view, dk::autograd_cpu}.highest_priority_key() == dk::autograd_cpu);
static_assert(dispatch_key_set{dk::autograd_cpu, dk::autocast_cpu}.highest_priority_key() == dk::autocast_cpu);
static_assert(dispatch_key_set{dk::python, dk::autograd_cpu}.highest_priority_key() == dk::autograd_cpu);
static_assert(dispatch_key_set{dk::python, dk::functionalize}.highest_priority_key() == dk::functionalize);
static_assert(dispatch_key_set{dk::python_dispatcher, dk::pre_dispatch}.highest_priority_key() ==
              dk::python_dispatcher);
static_assert(dispatch_key_set{dk::cpu, dk::cuda}.highest_priority_key() == dk::cuda);  // CUDA outranks CPU
static_assert(dispatch_key_set{dk::cuda, dk::meta}.highest_priority_key() == dk::meta);  // Meta is the top backend
static_assert(dispatch_key_set{dk::sparse_cpu, dk::cpu}.highest_priority_key() == dk::sparse_cpu);
static_assert(dispatch_key_set{dk::fake, dk::meta}.highest_priority_key() == dk::fake);
static_assert(dispatch_key_set{}.highest_priority_key() == dk::undefined);
static_assert(dispatch_key_set{dk::backend_select}.highest_priority_key() == dk::backend_select);
static_assert(dispatch_key_set(backend_component::cpu).highest_priority_key() == dk::undefined);
static_assert(dispatch_key_set{dk::dense}.highest_priority_key() == dk::dense);  // no backend bit: no runtime key
constexpr bool ordered_functionalities() {  // each functionality outranks the one before it
  for (std::size_t v = 2; v < fake::num_functionality_keys; ++v) {
    const auto lo = static_cast<dispatch_key>(v - 1);
    const auto hi = static_cast<dispatch_key>(v);
    const dispatch_key_set s = dispatch_key_set{lo, hi} | dispatch_key_set(backend_component::cpu);
    if (fake::to_functionality_key(s.highest_priority_key()) != hi) return false;
  }
  return true;
}
static_assert(ordered_functionalities());

// ---- set algebra (c10's split-encoding semantics)
constexpr dispatch_key_set tensor_cpu{dk::cpu, dk::ad_inplace_or_view, dk::autograd_cpu};
static_assert(tensor_cpu.has(dk::cpu) && tensor_cpu.has(dk::autograd_cpu) && tensor_cpu.has(dk::ad_inplace_or_view));
static_assert(!tensor_cpu.has(dk::cuda) && !tensor_cpu.has(dk::python) && !tensor_cpu.has(dk::undefined));
static_assert(!tensor_cpu.has(dk::autograd));  // alias keys are never in a set
static_assert(tensor_cpu.size() == 3);
static_assert(tensor_cpu.has_backend(backend_component::cpu) && !tensor_cpu.has_backend(backend_component::cuda));
// the cross product: {cpu, autograd_cuda} also holds cuda and autograd_cpu
constexpr dispatch_key_set crossed{dk::cpu, dk::autograd_cuda};
static_assert(crossed.has(dk::cuda) && crossed.has(dk::autograd_cpu) && crossed.size() == 4);
// union, intersection
static_assert((dispatch_key_set{dk::cpu} | dispatch_key_set{dk::python}) == dispatch_key_set{dk::cpu, dk::python});
static_assert((tensor_cpu & dispatch_key_set{dk::cpu, dk::python}) == dispatch_key_set{dk::cpu});
static_assert((tensor_cpu & dispatch_key_set{dk::python}).highest_priority_key() == dk::undefined);
// remove/difference clear functionality bits and keep backend bits
static_assert(tensor_cpu.remove(dk::autograd_cpu) == dispatch_key_set{dk::cpu, dk::ad_inplace_or_view});
static_assert(crossed.remove(dk::autograd_cpu) == dispatch_key_set{dk::cpu, dk::cuda});
static_assert((tensor_cpu - dispatch_key_set{dk::autograd_cuda}) == dispatch_key_set{dk::cpu, dk::ad_inplace_or_view});
static_assert((tensor_cpu - dispatch_key_set{dk::cpu}).has_backend(backend_component::cpu));
static_assert(!(tensor_cpu - dispatch_key_set{dk::cpu}).has(dk::cpu));
static_assert(tensor_cpu.add(dk::python).highest_priority_key() == dk::autograd_cpu);
static_assert(tensor_cpu.add(dk::python_tls_snapshot).highest_priority_key() == dk::python_tls_snapshot);
// a per-backend functionality without backend bits has no runtime key: c10 still picks it
static_assert(tensor_cpu.remove_backend(backend_component::cpu).highest_priority_key() == dk::autograd_functionality);
static_assert(tensor_cpu.remove_backend(backend_component::cpu).size() == 1);  // ad_inplace_or_view
static_assert(tensor_cpu.has_all(dispatch_key_set{dk::cpu, dk::autograd_cpu}));
static_assert(!tensor_cpu.has_all(dispatch_key_set{dk::cpu, dk::python}));
static_assert(tensor_cpu.has_any(dispatch_key_set{dk::python, dk::ad_inplace_or_view}));
// full, full_after (c10's FULL_AFTER keeps python_dispatcher)
static_assert(dispatch_key_set::full().has(dk::python_dispatcher) && dispatch_key_set::full().has(dk::autograd_meta));
static_assert(dispatch_key_set::full().size() == 45 - 6 + 6 * 15);
static_assert(!dispatch_key_set::full_after(dk::autograd_cpu).has(dk::autograd_cpu));
static_assert(!dispatch_key_set::full_after(dk::autograd_cpu).has(dk::autograd_cuda));
static_assert(dispatch_key_set::full_after(dk::autograd_cpu).has(dk::autograd_other));
static_assert(dispatch_key_set::full_after(dk::autograd_cpu).has(dk::python_dispatcher));
static_assert(!dispatch_key_set::full_after(dk::autograd_cpu).has(dk::tracer));
static_assert((tensor_cpu & dispatch_key_set::full_after(dk::autograd_cpu)).highest_priority_key() ==
              dk::ad_inplace_or_view);

// ---- iteration: highest priority first
constexpr bool iterates_in_priority_order() {
  constexpr dispatch_key expected[] = {dk::autograd_cuda, dk::autograd_cpu, dk::ad_inplace_or_view, dk::cuda, dk::cpu};
  const dispatch_key_set s{dk::cpu, dk::cuda, dk::ad_inplace_or_view, dk::autograd_cpu};
  std::size_t i = 0;
  for (dispatch_key k : s) {
    if (i >= 5 || k != expected[i]) return false;
    ++i;
  }
  return i == 5;
}
static_assert(iterates_in_priority_order());
constexpr bool iteration_agrees_with_has() {  // every key visited is in the set, and vice versa
  const dispatch_key_set sets[] = {tensor_cpu, crossed, dispatch_key_set::full(), fake::math_dispatch_keyset,
                                   fake::autogradother_backends, dispatch_key_set{dk::dense, dk::python}};
  for (const dispatch_key_set& s : sets) {
    std::size_t visited = 0;
    dispatch_key previous = dk::autograd;  // above everything
    for (dispatch_key k : s) {
      if (!s.has(k) || !fake::is_runtime_key(k)) return false;
      // (functionality, backend) strictly decreasing
      const auto f = fake::to_functionality_key(k);
      const auto pf = fake::to_functionality_key(previous);
      if (previous != dk::autograd &&
          !(pf > f || (pf == f && fake::to_backend_component(previous) > fake::to_backend_component(k))))
        return false;
      previous = k;
      ++visited;
    }
    std::size_t members = 0;
    for (std::size_t v = 1; v < fake::dispatch_table_size; ++v) {
      const auto k = static_cast<dispatch_key>(v);
      members += (fake::is_runtime_key(k) && s.has(k)) ? 1 : 0;
    }
    if (members != visited) return false;
  }
  return true;
}
static_assert(iteration_agrees_with_has());

// ---- runtime sets of the alias keys (c10's getRuntimeDispatchKeySet)
using fake::is_included_in_alias;
using fake::runtime_keys_for_alias;
// Autograd: every per-backend autograd key, AutogradOther, AutogradNestedTensor
static_assert(runtime_keys_for_alias(dk::autograd).has(dk::autograd_cpu));
static_assert(runtime_keys_for_alias(dk::autograd).has(dk::autograd_meta));
static_assert(runtime_keys_for_alias(dk::autograd).has(dk::autograd_other));
static_assert(runtime_keys_for_alias(dk::autograd).has(dk::autograd_nested_tensor));
static_assert(!runtime_keys_for_alias(dk::autograd).has(dk::cpu));
static_assert(runtime_keys_for_alias(dk::autograd).size() == 17);
// CompositeExplicitAutograd: the backend keys
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::cpu));
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::meta));
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::sparse_cuda));
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::quantized_cpu));
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::vulkan));
static_assert(!runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::nested_tensor_cpu));
static_assert(!runtime_keys_for_alias(dk::composite_explicit_autograd).has(dk::autograd_cpu));
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd).size() == 4 * 15 + 6);
// CompositeExplicitAutogradNonFunctional: without XLA, Lazy and Sparse
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd_non_functional).has(dk::cpu));
static_assert(!runtime_keys_for_alias(dk::composite_explicit_autograd_non_functional).has(dk::xla));
static_assert(!runtime_keys_for_alias(dk::composite_explicit_autograd_non_functional).has(dk::quantized_lazy));
static_assert(!runtime_keys_for_alias(dk::composite_explicit_autograd_non_functional).has(dk::sparse_cpu));
static_assert(runtime_keys_for_alias(dk::composite_explicit_autograd_non_functional).has(dk::sparse_csr_cpu));
// CompositeImplicitAutograd: backend + autograd keys, NestedTensor, Functionalize
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::cpu));
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::autograd_cpu));
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::autograd_other));
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::nested_tensor_cpu));
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::functionalize));
static_assert(!runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::python));
static_assert(!runtime_keys_for_alias(dk::composite_implicit_autograd).has(dk::ad_inplace_or_view));
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd).has_all(
    runtime_keys_for_alias(dk::composite_explicit_autograd) | runtime_keys_for_alias(dk::autograd)));
// CompositeImplicitAutogradNestedTensor, FuncTorchBatchedDecomposition
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd_nested_tensor).has(dk::nested_tensor_cuda));
static_assert(runtime_keys_for_alias(dk::composite_implicit_autograd_nested_tensor).has(dk::autograd_nested_tensor));
static_assert(!runtime_keys_for_alias(dk::composite_implicit_autograd_nested_tensor).has(dk::cpu));
static_assert(runtime_keys_for_alias(dk::functorch_batched_decomposition) == dispatch_key_set{dk::functorch_batched});
// a runtime key stands for itself
static_assert(runtime_keys_for_alias(dk::cpu) == dispatch_key_set{dk::cpu});
// is_included_in_alias agrees with the runtime sets for every runtime key and alias
constexpr bool inclusion_agrees_with_runtime_sets() {
  constexpr dispatch_key aliases[] = {dk::autograd,
                                      dk::composite_implicit_autograd,
                                      dk::functorch_batched_decomposition,
                                      dk::composite_implicit_autograd_nested_tensor,
                                      dk::composite_explicit_autograd,
                                      dk::composite_explicit_autograd_non_functional};
  for (dispatch_key a : aliases)
    for (std::size_t v = 1; v < fake::dispatch_table_size; ++v) {
      const auto k = static_cast<dispatch_key>(v);
      if (!fake::is_runtime_key(k)) continue;
      if (is_included_in_alias(k, a) != runtime_keys_for_alias(a).has(k)) return false;
    }
  return true;
}
static_assert(inclusion_agrees_with_runtime_sets());
static_assert(!is_included_in_alias(dk::undefined, dk::composite_implicit_autograd));
// is_backend_key is CompositeExplicitAutograd's runtime set
constexpr bool backend_keys_are_cea_set() {
  for (std::size_t v = 1; v < fake::dispatch_table_size; ++v) {
    const auto k = static_cast<dispatch_key>(v);
    if (fake::is_runtime_key(k) && fake::is_backend_key(k) != is_included_in_alias(k, dk::composite_explicit_autograd))
      return false;
  }
  return true;
}
static_assert(backend_keys_are_cea_set());

// ---- backend keys of autograd keys (c10's getBackendKeySetFromAutograd)
static_assert(fake::backend_keyset_from_autograd(dk::autograd_cpu) == dispatch_key_set{dk::cpu});
static_assert(fake::backend_keyset_from_autograd(dk::autograd_meta) == dispatch_key_set{dk::meta});
static_assert(fake::backend_keyset_from_autograd(dk::autograd_other) == fake::autogradother_backends);
static_assert(fake::backend_keyset_from_autograd(dk::autograd_nested_tensor).has(dk::nested_tensor_cpu));
static_assert(fake::backend_keyset_from_autograd(dk::autograd_hip).empty());
static_assert(fake::backend_keyset_from_autograd(dk::cpu).empty());
static_assert(fake::autogradother_backends.has(dk::sparse_cpu) && fake::autogradother_backends.has(dk::quantized_meta));
static_assert(fake::autogradother_backends.has(dk::fpga) && !fake::autogradother_backends.has(dk::cpu));
static_assert(!fake::autogradother_backends.has(dk::hip));

// ---- fallthrough masks (c10's DispatchKeyExtractor)
constexpr fake::fallthrough_mask autograd_cpu_falls_through = [] {
  fake::fallthrough_mask m;
  m.set_fallthrough(dk::autograd_cpu, true);
  return m;
}();
static_assert(autograd_cpu_falls_through.per_backend());
static_assert(autograd_cpu_falls_through.is_fallthrough(dk::autograd_cpu));
static_assert(!autograd_cpu_falls_through.is_fallthrough(dk::autograd_cuda));
static_assert(autograd_cpu_falls_through.apply(tensor_cpu).highest_priority_key() == dk::ad_inplace_or_view);
static_assert(autograd_cpu_falls_through.apply(dispatch_key_set{dk::cuda, dk::autograd_cuda}).highest_priority_key() ==
              dk::autograd_cuda);
constexpr fake::fallthrough_mask adinplace_falls_through = [] {
  fake::fallthrough_mask m;
  m.set_fallthrough(dk::ad_inplace_or_view, true);
  m.set_fallthrough(dk::autograd_cpu, true);
  m.set_fallthrough(dk::autograd_cpu, false);  // and back
  return m;
}();
static_assert(!adinplace_falls_through.per_backend());
static_assert(adinplace_falls_through.apply(tensor_cpu.remove(dk::autograd_cpu)).highest_priority_key() == dk::cpu);
static_assert(adinplace_falls_through.apply(tensor_cpu).highest_priority_key() == dk::autograd_cpu);

}  // namespace
