// faketensor/dispatch/key.hpp — dispatch keys: c10's DispatchKey and BackendComponent.
//
// A dispatch key names one "level" of dispatch that a kernel can be
// registered for: a backend (CPU, CUDA, Meta ...), a functionality that runs
// before the backend (Autograd, Python, Functionalize ...) or an alias that
// stands for several runtime keys (CompositeImplicitAutograd ...). The enum
// follows c10's (PyTorch 2.x) layout so that priorities, names and the alias
// rules are PyTorch's; see Note [dispatch key encoding]. Everything here is
// constexpr; sets of keys and the alias expansions (runtime_keys_for_alias,
// is_included_in_alias) are in key_set.hpp, since they return sets.
#pragma once

#include <array>        // std::array
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <string_view>  // std::string_view

#include "faketensor/core/error.hpp"   // fake::value_error
#include "faketensor/core/expect.hpp"  // fake::fail

namespace fake {

// Note [dispatch key encoding]
// ~~~~~~~~~~~~~~~~~~~~~~~~~~~~
// c10 encodes a DispatchKeySet in 64 bits split in two: the low bits are
// *backend components* (CPUBit, CUDABit, ... MetaBit), the high bits are
// *functionality keys* in priority order (Dense < ... < AutogradFunctionality
// < ... < PythonDispatcher). Six functionalities are "per backend" (Dense,
// Quantized, Sparse, SparseCsr, NestedTensor, AutogradFunctionality): their
// runtime keys are the cross product with the backend bits (Dense x CPUBit =
// CPU, AutogradFunctionality x CUDABit = AutogradCUDA, ...). A flat bitset with
// one bit per runtime key would need 15 backends x 6 + 40 = 130 bits, so we
// keep c10's split encoding: 15 backend bits + 45 functionality bits = 60.
//
// fake::dispatch_key lists, in this order and with c10's numbering scheme:
//   undefined; the 45 functionality keys, lowest priority first; then one
//   block of 15 runtime keys per per-backend functionality, in backend order
//   (cpu ... meta, quantized_cpu ... quantized_meta, ..., autograd_cpu ...
//   autograd_meta); then the 6 alias keys.
// A key's value below `dispatch_table_size` is its slot in an operator's
// runtime table (kernel_table): unlike c10, which packs the table, the six
// per-backend functionality keys themselves (dense, quantized, ...) keep a
// slot that never holds a kernel; that costs six entries and makes the slot
// of a key its enum value.
//
// Intentional differences from c10 (PyTorch main as of 2.x):
// * The set of backends and functionality keys is the one of c10 at the time
//   of writing, fixed: MTIA is a backend component, MAIA a non-customizable
//   backend, Autocast keys are CPU/XPU/IPU/HPU/XLA/CUDA/PrivateUse1. c10 keeps
//   adding keys; only names matter to users (to_string/parse_dispatch_key).
// * Undefined has the value 0 and no bit; so does c10's. c10's placeholder
//   enumerators (StartOfDenseBackends, EndOfFunctionalityKeys, ...) and its
//   backwards-compatibility aliases (CPUTensorId, DefaultBackend, ...) are not
//   keys here.
// * PyTorch 1.13 (the local oracle) orders Meta before PrivateUse1..3 and has
//   no MTIA; 2.x moved Meta last (highest-priority backend). We follow 2.x.

// c10::BackendComponent: the backend bits of a dispatch key set. invalid is "no
// backend"; a component's bit is its value - 1.
enum class backend_component : std::uint8_t {
  invalid = 0,
  cpu, cuda, hip, xla, mps, ipu, xpu, hpu, ve, lazy, mtia, private_use1, private_use2, private_use3, meta,
};

inline constexpr std::uint8_t num_backends = 15;

// c10::DispatchKey (see Note [dispatch key encoding] for the layout).
enum class dispatch_key : std::uint8_t {
  undefined = 0,
  // ---- functionality keys, lowest priority first (one bit each)
  dense, fpga, maia, vulkan, metal, quantized, custom_rng_key_id, mkldnn_cpu, sparse, sparse_csr,
  nested_tensor, backend_select, python, fake, functorch_dynamic_layer_back_mode, functionalize, named,
  conjugate, negative, zero_tensor, ad_inplace_or_view, autograd_other, autograd_functionality,
  autograd_nested_tensor, tracer, autocast_cpu, autocast_xpu, autocast_ipu, autocast_hpu, autocast_xla,
  autocast_cuda, autocast_private_use1, functorch_batched, batched_nested_tensor, functorch_vmap_mode,
  batched, vmap_mode, functorch_grad_wrapper, deferred_init, python_tls_snapshot,
  functorch_dynamic_layer_front_mode, testing_only_generic_wrapper, testing_only_generic_mode, pre_dispatch,
  python_dispatcher,
  // ---- per-backend runtime keys: Dense x backends
  cpu, cuda, hip, xla, mps, ipu, xpu, hpu, ve, lazy, mtia, private_use1, private_use2, private_use3, meta,
  // Quantized x backends
  quantized_cpu, quantized_cuda, quantized_hip, quantized_xla, quantized_mps, quantized_ipu, quantized_xpu,
  quantized_hpu, quantized_ve, quantized_lazy, quantized_mtia, quantized_private_use1,
  quantized_private_use2, quantized_private_use3, quantized_meta,
  // Sparse x backends
  sparse_cpu, sparse_cuda, sparse_hip, sparse_xla, sparse_mps, sparse_ipu, sparse_xpu, sparse_hpu, sparse_ve,
  sparse_lazy, sparse_mtia, sparse_private_use1, sparse_private_use2, sparse_private_use3, sparse_meta,
  // SparseCsr x backends
  sparse_csr_cpu, sparse_csr_cuda, sparse_csr_hip, sparse_csr_xla, sparse_csr_mps, sparse_csr_ipu,
  sparse_csr_xpu, sparse_csr_hpu, sparse_csr_ve, sparse_csr_lazy, sparse_csr_mtia, sparse_csr_private_use1,
  sparse_csr_private_use2, sparse_csr_private_use3, sparse_csr_meta,
  // NestedTensor x backends
  nested_tensor_cpu, nested_tensor_cuda, nested_tensor_hip, nested_tensor_xla, nested_tensor_mps,
  nested_tensor_ipu, nested_tensor_xpu, nested_tensor_hpu, nested_tensor_ve, nested_tensor_lazy,
  nested_tensor_mtia, nested_tensor_private_use1, nested_tensor_private_use2, nested_tensor_private_use3,
  nested_tensor_meta,
  // AutogradFunctionality x backends
  autograd_cpu, autograd_cuda, autograd_hip, autograd_xla, autograd_mps, autograd_ipu, autograd_xpu,
  autograd_hpu, autograd_ve, autograd_lazy, autograd_mtia, autograd_private_use1, autograd_private_use2,
  autograd_private_use3, autograd_meta,
  // ---- alias keys (never in a key set, never dispatched to)
  autograd, composite_implicit_autograd, functorch_batched_decomposition,
  composite_implicit_autograd_nested_tensor, composite_explicit_autograd,
  composite_explicit_autograd_non_functional,
};

// Counts. num_functionality_keys includes undefined (c10's EndOfFunctionalityKeys).
inline constexpr std::uint8_t num_functionality_keys = static_cast<std::uint8_t>(dispatch_key::cpu);
inline constexpr std::size_t dispatch_table_size = static_cast<std::size_t>(dispatch_key::autograd);
inline constexpr std::size_t num_dispatch_keys =
    static_cast<std::size_t>(dispatch_key::composite_explicit_autograd_non_functional) + 1;

namespace detail {

inline constexpr std::array<std::string_view, num_dispatch_keys> dispatch_key_names{{
    "Undefined", "Dense", "FPGA", "MAIA", "Vulkan", "Metal", "Quantized", "CustomRNGKeyId", "MkldnnCPU",
    "Sparse", "SparseCsr", "NestedTensor", "BackendSelect", "Python", "Fake",
    "FuncTorchDynamicLayerBackMode", "Functionalize", "Named", "Conjugate", "Negative", "ZeroTensor",
    "ADInplaceOrView", "AutogradOther", "AutogradFunctionality", "AutogradNestedTensor", "Tracer",
    "AutocastCPU", "AutocastXPU", "AutocastIPU", "AutocastHPU", "AutocastXLA", "AutocastCUDA",
    "AutocastPrivateUse1", "FuncTorchBatched", "BatchedNestedTensor", "FuncTorchVmapMode", "Batched",
    "VmapMode", "FuncTorchGradWrapper", "DeferredInit", "PythonTLSSnapshot",
    "FuncTorchDynamicLayerFrontMode", "TESTING_ONLY_GenericWrapper", "TESTING_ONLY_GenericMode",
    "PreDispatch", "PythonDispatcher", "CPU", "CUDA", "HIP", "XLA", "MPS", "IPU", "XPU", "HPU", "VE", "Lazy",
    "MTIA", "PrivateUse1", "PrivateUse2", "PrivateUse3", "Meta", "QuantizedCPU", "QuantizedCUDA",
    "QuantizedHIP", "QuantizedXLA", "QuantizedMPS", "QuantizedIPU", "QuantizedXPU", "QuantizedHPU",
    "QuantizedVE", "QuantizedLazy", "QuantizedMTIA", "QuantizedPrivateUse1", "QuantizedPrivateUse2",
    "QuantizedPrivateUse3", "QuantizedMeta", "SparseCPU", "SparseCUDA", "SparseHIP", "SparseXLA",
    "SparseMPS", "SparseIPU", "SparseXPU", "SparseHPU", "SparseVE", "SparseLazy", "SparseMTIA",
    "SparsePrivateUse1", "SparsePrivateUse2", "SparsePrivateUse3", "SparseMeta", "SparseCsrCPU",
    "SparseCsrCUDA", "SparseCsrHIP", "SparseCsrXLA", "SparseCsrMPS", "SparseCsrIPU", "SparseCsrXPU",
    "SparseCsrHPU", "SparseCsrVE", "SparseCsrLazy", "SparseCsrMTIA", "SparseCsrPrivateUse1",
    "SparseCsrPrivateUse2", "SparseCsrPrivateUse3", "SparseCsrMeta", "NestedTensorCPU", "NestedTensorCUDA",
    "NestedTensorHIP", "NestedTensorXLA", "NestedTensorMPS", "NestedTensorIPU", "NestedTensorXPU",
    "NestedTensorHPU", "NestedTensorVE", "NestedTensorLazy", "NestedTensorMTIA", "NestedTensorPrivateUse1",
    "NestedTensorPrivateUse2", "NestedTensorPrivateUse3", "NestedTensorMeta", "AutogradCPU", "AutogradCUDA",
    "AutogradHIP", "AutogradXLA", "AutogradMPS", "AutogradIPU", "AutogradXPU", "AutogradHPU", "AutogradVE",
    "AutogradLazy", "AutogradMTIA", "AutogradPrivateUse1", "AutogradPrivateUse2", "AutogradPrivateUse3",
    "AutogradMeta", "Autograd", "CompositeImplicitAutograd", "FuncTorchBatchedDecomposition",
    "CompositeImplicitAutogradNestedTensor", "CompositeExplicitAutograd",
    "CompositeExplicitAutogradNonFunctional",
}};

inline constexpr std::array<std::string_view, num_backends + 1> backend_component_names{{
    "InvalidBit", "CPUBit", "CUDABit", "HIPBit", "XLABit", "MPSBit", "IPUBit", "XPUBit", "HPUBit", "VEBit",
    "LazyBit", "MTIABit", "PrivateUse1Bit", "PrivateUse2Bit", "PrivateUse3Bit", "MetaBit",
}};

// The per-backend functionalities, in priority order, and where their block of
// runtime keys starts.
inline constexpr std::array<dispatch_key, 6> per_backend_functionalities{{
    dispatch_key::dense,
    dispatch_key::quantized,
    dispatch_key::sparse,
    dispatch_key::sparse_csr,
    dispatch_key::nested_tensor,
    dispatch_key::autograd_functionality,
}};
inline constexpr std::array<dispatch_key, 6> per_backend_block_start{{
    dispatch_key::cpu,
    dispatch_key::quantized_cpu,
    dispatch_key::sparse_cpu,
    dispatch_key::sparse_csr_cpu,
    dispatch_key::nested_tensor_cpu,
    dispatch_key::autograd_cpu,
}};

constexpr std::uint8_t key_value(dispatch_key k) noexcept { return static_cast<std::uint8_t>(k); }

// Index of k's block in per_backend_block_start, or -1 when k is not a
// per-backend runtime key.
constexpr int per_backend_block(dispatch_key k) noexcept {
  const auto v = key_value(k);
  if (v < key_value(dispatch_key::cpu) || v >= dispatch_table_size) return -1;
  return (v - key_value(dispatch_key::cpu)) / num_backends;
}

}  // namespace detail

// "CPU", "AutogradCUDA", "CompositeImplicitAutograd": c10's toString.
constexpr std::string_view to_string(dispatch_key k) {
  const auto v = static_cast<std::size_t>(k);
  if (v >= num_dispatch_keys) fail<value_error, "dispatch_key", "invalid dispatch key value {}">(static_cast<int>(v));
  return detail::dispatch_key_names[v];
}

// "CPUBit", "MetaBit", "InvalidBit".
constexpr std::string_view to_string(backend_component b) {
  const auto v = static_cast<std::size_t>(b);
  if (v > num_backends)
    fail<value_error, "backend_component", "invalid backend component value {}">(static_cast<int>(v));
  return detail::backend_component_names[v];
}

// c10::parseDispatchKey: the exact names to_string gives; anything else throws
// value_error "could not parse dispatch key: <name>".
constexpr dispatch_key parse_dispatch_key(std::string_view name) {
  for (std::size_t i = 0; i < num_dispatch_keys; ++i)
    if (detail::dispatch_key_names[i] == name) return static_cast<dispatch_key>(i);
  fail<value_error, "parse_dispatch_key", "could not parse dispatch key: {}">(name);
}

// The alias keys (c10's isAliasDispatchKey).
constexpr bool is_alias_key(dispatch_key k) noexcept { return k >= dispatch_key::autograd; }

// Functionalities that are customized per backend (c10's isPerBackendFunctionalityKey).
constexpr bool is_per_backend_functionality_key(dispatch_key k) noexcept {
  for (dispatch_key f : detail::per_backend_functionalities)
    if (f == k) return true;
  return false;
}

// A key that owns a slot in an operator's runtime table and can be dispatched
// to: not undefined, not an alias, not one of the six per-backend
// functionalities (their runtime keys are e.g. cpu, autograd_cpu).
constexpr bool is_runtime_key(dispatch_key k) noexcept {
  return k != dispatch_key::undefined && !is_alias_key(k) && !is_per_backend_functionality_key(k);
}

// c10::toFunctionalityKey: cpu -> dense, autograd_cuda -> autograd_functionality;
// a functionality key is its own; an alias key gives undefined.
constexpr dispatch_key to_functionality_key(dispatch_key k) noexcept {
  if (detail::key_value(k) < num_functionality_keys) return k;
  const int block = detail::per_backend_block(k);
  return block < 0 ? dispatch_key::undefined : detail::per_backend_functionalities[static_cast<std::size_t>(block)];
}

// c10::toBackendComponent: the backend of a per-backend runtime key (cpu ->
// cpu, sparse_meta -> meta); invalid for every other key.
constexpr backend_component to_backend_component(dispatch_key k) noexcept {
  const int block = detail::per_backend_block(k);
  if (block < 0) return backend_component::invalid;
  return static_cast<backend_component>(
      (detail::key_value(k) - detail::key_value(dispatch_key::cpu)) % num_backends + 1);
}

// c10::toRuntimePerBackendFunctionalityKey: (dense, cuda) -> cuda,
// (autograd_functionality, meta) -> autograd_meta. undefined when
// `functionality` is not per-backend or `backend` is invalid.
constexpr dispatch_key to_runtime_key(dispatch_key functionality, backend_component backend) noexcept {
  if (backend == backend_component::invalid) return dispatch_key::undefined;
  for (std::size_t i = 0; i < detail::per_backend_functionalities.size(); ++i)
    if (detail::per_backend_functionalities[i] == functionality)
      return static_cast<dispatch_key>(detail::key_value(detail::per_backend_block_start[i]) +
                                       static_cast<std::uint8_t>(backend) - 1);
  return dispatch_key::undefined;
}

// c10::getAutogradKeyFromBackend: the autograd key of a backend. Backends with
// their own autograd key in c10's getAutogradRelatedKeySetFromBackend get it
// (cpu -> autograd_cpu, meta -> autograd_meta); hip and ve, and every backend
// without a backend bit (fpga, vulkan, mkldnn_cpu, ...), get autograd_other.
// AutogradHIP and AutogradVE exist as runtime keys but no backend maps to them.
constexpr dispatch_key to_autograd_key(backend_component b) noexcept {
  switch (b) {
    case backend_component::hip:
    case backend_component::ve:
    case backend_component::invalid: return dispatch_key::autograd_other;
    default: return to_runtime_key(dispatch_key::autograd_functionality, b);
  }
}

// The autograd key of a backend key: by its backend component, as c10 does
// (sparse_cpu -> autograd_cpu, fpga -> autograd_other).
constexpr dispatch_key to_autograd_key(dispatch_key backend) noexcept {
  return to_autograd_key(to_backend_component(backend));
}

// c10::isBackendDispatchKey: the keys CompositeExplicitAutograd covers. Dense,
// Quantized, Sparse and SparseCsr for every backend (cpu, quantized_meta, ...),
// plus the backends without a backend bit (fpga, maia, vulkan, metal,
// custom_rng_key_id, mkldnn_cpu). Not NestedTensor (c10's Note [NestedTensor
// Not Included in Backend Keys]). Like c10, a per-backend functionality key
// itself (dense, sparse ...) counts: c10 tests its bit.
constexpr bool is_backend_key(dispatch_key k) noexcept {
  switch (to_functionality_key(k)) {
    case dispatch_key::dense:
    case dispatch_key::fpga:
    case dispatch_key::maia:
    case dispatch_key::vulkan:
    case dispatch_key::metal:
    case dispatch_key::quantized:
    case dispatch_key::custom_rng_key_id:
    case dispatch_key::mkldnn_cpu:
    case dispatch_key::sparse:
    case dispatch_key::sparse_csr: return true;
    default: return false;
  }
}

// The autograd keys: the per-backend ones, autograd_other, autograd_nested_tensor.
constexpr bool is_autograd_key(dispatch_key k) noexcept {
  const dispatch_key f = to_functionality_key(k);
  return f == dispatch_key::autograd_other || f == dispatch_key::autograd_nested_tensor ||
         (f == dispatch_key::autograd_functionality && k != dispatch_key::autograd_functionality);
}

}  // namespace fake
