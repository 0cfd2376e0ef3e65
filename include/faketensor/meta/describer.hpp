// faketensor/meta/describer.hpp — real tensors to descriptions (PyTorch's
// MetaTensorDescriber and MetaTensorDesc in torch/_subclasses/meta_utils.py).
//
// A fake::tensor_description is plain data: everything the converter
// (meta/converter.hpp) needs to rebuild a fake tensor, and nothing that points
// at real memory. A fake::describer is stateful: it gives every real tensor
// object and every real storage an id, the same one each time it sees the
// same object, so that the converter can memoize by id and rebuild aliasing.
//
// Note [describer identities]
// * A real tensor's identity is its object's address. For ATen tensors
//   (interop/libtorch.hpp) the describer keeps a weak reference to the
//   TensorImpl, which keeps the address from being reused while the describer
//   lives. A DLTensor has no such handle, so an address is checked against the
//   DLTensor's contents (data, device, dtype, shape, strides, byte_offset): a
//   DLTensor at a known address with other contents is a new tensor (a stack
//   slot reused in a loop), one with the same contents is the same tensor.
// * A storage's identity is its allocation. DLPack: the `data` pointer on its
//   device (two DLTensors with the same `data` are views of one allocation;
//   byte_offset / itemsize is the storage offset). A producer that folds the
//   offset into `data` — PyTorch's toDLPack does, with byte_offset 0 — gives
//   each of its views a storage of its own: the aliasing is not visible in
//   DLPack. A DLTensor with a null `data` (an empty tensor) has a storage of
//   its own. ATen: the StorageImpl.
// * A storage's size is the largest extent any tensor described on it needs
//   (DLPack does not tell the allocation's size), or the real size when the
//   source knows it (ATen); it only grows.
#pragma once

#include <cstdint>        // std::int64_t, std::uint64_t, std::uint8_t, INT64_MAX
#include <atomic>         // std::atomic
#include <memory>         // std::shared_ptr
#include <memory_resource>  // std::pmr::monotonic_buffer_resource
#include <unordered_map>  // std::pmr::unordered_map
#include <string>         // std::string
#include <unordered_set>  // std::unordered_set
#include <utility>        // std::move

#include <dlpack/dlpack.h>  // DLTensor, DLManagedTensor, DLDataType, DLDevice

#include "faketensor/core/device.hpp"       // fake::device
#include "faketensor/core/dtype.hpp"        // fake::dtype, fake::itemsize
#include "faketensor/core/error.hpp"        // fake::dtype_error, fake::device_error, fake::value_error
#include "faketensor/core/expect.hpp"       // fake::expect, fake::fail
#include "faketensor/core/layout.hpp"       // fake::layout
#include "faketensor/shape/dim_vector.hpp"  // fake::dim_vector
#include "faketensor/shape/numel.hpp"       // fake::storage_nbytes
#include "faketensor/shape/strides.hpp"     // fake::strides_for

namespace fake {
namespace detail {

// Tensor and storage ids of every describer come from one process-wide
// counter: an id names one object, so a converter fed by two describers cannot
// confuse their tensors. (PyTorch numbers tensors and storages apart, per
// describer; its converter owns its describer.)
// A describer takes its ids in blocks (one atomic add per block, not per id).
inline constexpr std::uint64_t description_id_block = 256;
inline std::uint64_t take_description_ids(std::uint64_t count) noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(count, std::memory_order_relaxed) + 1;
}

}  // namespace detail

// The storage a description lives on (MetaStorageDesc): its describer id and
// size in bytes when the description was made.
struct storage_description {
  std::uint64_t id = 0;
  std::int64_t nbytes = 0;
};

// A real tensor's metadata (MetaTensorDesc). `id` is the describer's id of the
// tensor object; a view (is_view) holds the description of its base, which —
// as PyTorch's _base — is never itself a view.
struct tensor_description {
  std::uint64_t id = 0;
  dim_vector sizes;
  dim_vector strides;
  std::int64_t storage_offset = 0;
  fake::dtype dtype = fake::dtype::float32;
  fake::device device{};
  fake::layout layout = fake::layout::strided;
  bool requires_grad = false;
  bool is_leaf = true;
  bool is_view = false;
  bool is_conj = false;
  bool is_neg = false;
  bool is_inference = false;
  bool is_parameter = false;
  storage_description storage;
  std::shared_ptr<const tensor_description> base;  // set exactly when is_view
  // The bytes sizes/strides/storage_offset reach (storage_nbytes), as the
  // describer computed them: the converter then does not compute them again.
  // -1 (unknown) in a description built by hand: the converter checks.
  std::int64_t geometry_nbytes = -1;

  [[nodiscard]] std::uint64_t base_id() const noexcept { return base ? base->id : 0; }
};

// "description(id=3, sizes=[2, 3], strides=[3, 1], offset=0, dtype=torch.float32,
// device=cpu, storage=2 (24 bytes), base=1)"
inline std::string to_string(const tensor_description& d) {
  std::string out = "description(id=" + std::to_string(d.id) + ", sizes=" + to_string(d.sizes) +
                    ", strides=" + to_string(d.strides) + ", offset=" + std::to_string(d.storage_offset) +
                    ", dtype=" + to_string(d.dtype) + ", device=" + to_string(d.device) +
                    ", storage=" + std::to_string(d.storage.id) + " (" + std::to_string(d.storage.nbytes) + " bytes)";
  if (d.is_view) out += ", base=" + std::to_string(d.base_id());
  return out + ")";
}

// Flags DLPack cannot carry, given by the caller.
struct dlpack_flags {
  bool requires_grad = false;
  bool is_parameter = false;
};

// Note [DLPack dtypes]
// As PyTorch's at::toScalarType(DLDataType) (1.13): kDLInt 8/16/32/64,
// kDLUInt 8 (uint8), kDLFloat 16/32/64, kDLBfloat 16, kDLComplex 32/64/128;
// lanes must be 1. DLPack 0.6 (Debian's) has no boolean code: a bool buffer
// exported as kDLUInt 8 is described as uint8 — the bits cannot tell them
// apart. Code 6 with 8 bits is accepted as bool: that is kDLBool of DLPack
// >= 0.8, a fixed value of the spec, so newer producers' bools are bools.
inline constexpr std::uint8_t dlpack_bool_code = 6;

inline dtype from_dlpack(DLDataType t) {
  expect<dtype_error, "describe", "DLTensor dtype.lanes is {}: only lanes == 1 is supported (vector dtypes have no tensor dtype)">(
      t.lanes == 1, static_cast<int>(t.lanes));
  const int bits = t.bits;
  switch (t.code) {
    case kDLInt:
      switch (bits) {
        case 8: return dtype::int8;
        case 16: return dtype::int16;
        case 32: return dtype::int32;
        case 64: return dtype::int64;
        default: break;
      }
      fail<dtype_error, "describe", "DLTensor dtype kDLInt with {} bits is not supported (8, 16, 32 or 64)">(bits);
    case kDLUInt:
      if (bits == 8) return dtype::uint8;
      fail<dtype_error, "describe", "DLTensor dtype kDLUInt with {} bits is not supported (only 8: uint8)">(bits);
    case kDLFloat:
      switch (bits) {
        case 16: return dtype::float16;
        case 32: return dtype::float32;
        case 64: return dtype::float64;
        default: break;
      }
      fail<dtype_error, "describe", "DLTensor dtype kDLFloat with {} bits is not supported (16, 32 or 64)">(bits);
    case kDLBfloat:
      if (bits == 16) return dtype::bfloat16;
      fail<dtype_error, "describe", "DLTensor dtype kDLBfloat with {} bits is not supported (only 16)">(bits);
    case kDLComplex:
      switch (bits) {
        case 32: return dtype::complex32;
        case 64: return dtype::complex64;
        case 128: return dtype::complex128;
        default: break;
      }
      fail<dtype_error, "describe", "DLTensor dtype kDLComplex with {} bits is not supported (32, 64 or 128)">(bits);
    case dlpack_bool_code:
      if (bits == 8) return dtype::bool_;
      fail<dtype_error, "describe", "DLTensor dtype kDLBool with {} bits is not supported (only 8)">(bits);
    default: break;
  }
  fail<dtype_error, "describe", "DLTensor dtype.code {} is not supported (kDLInt, kDLUInt, kDLFloat, kDLBfloat, kDLComplex, kDLBool)">(
      static_cast<int>(t.code));
}

// kDLCPU is cpu, kDLCUDA is cuda:device_id; no other DLPack device has a
// faketensor counterpart that PyTorch's fromDLPack would give.
inline device from_dlpack(DLDevice d) {
  switch (d.device_type) {
    case kDLCPU: return device(device_type::cpu);
    case kDLCUDA:
      expect<device_error, "describe", "DLTensor device.device_id {} is out of range for kDLCUDA (0 to 127)">(
          d.device_id >= 0 && d.device_id <= 127, d.device_id);
      return device(device_type::cuda, d.device_id);
    default: break;
  }
  fail<device_error, "describe", "DLTensor device.device_type {} is not supported (only kDLCPU = 1 and kDLCUDA = 2)">(
      static_cast<int>(d.device_type));
}

class describer {
 public:
  // Which kind of object an address belongs to: the tables are separate, so
  // that a DLTensor and a TensorImpl that lived at one address never meet.
  enum class source : std::uint8_t { dlpack, dlpack_empty, libtorch, other };

  describer() { tensors_.reserve(1024); storages_.reserve(256); }
  // Ids are the describer's own: copying one would fork them.
  describer(const describer&) = delete;
  describer& operator=(const describer&) = delete;
  describer(describer&&) noexcept = default;
  describer& operator=(describer&&) noexcept = default;

  // A DLTensor (or the one in a DLManagedTensor): never a view (DLPack has no
  // views), a leaf, not conjugated or negated; requires_grad and is_parameter
  // come from `flags`.
  tensor_description describe(const DLTensor& t, dlpack_flags flags = {}) {
    tensor_description d;
    d.dtype = from_dlpack(t.dtype);
    d.device = from_dlpack(t.device);
    expect<value_error, "describe", "DLTensor ndim is {}: must be >= 0">(t.ndim >= 0, t.ndim);
    expect<value_error, "describe", "DLTensor shape is NULL with ndim {}">(t.ndim == 0 || t.shape != nullptr, t.ndim);
    const auto rank = static_cast<std::size_t>(t.ndim);
    d.sizes = rank == 0 ? dim_vector{} : dim_vector(t.shape, t.shape + rank);
    for (std::size_t i = 0; i < rank; ++i)
      expect<shape_error, "describe", "DLTensor shape[{}] is {}: sizes must be >= 0">(d.sizes[i] >= 0, i, d.sizes[i]);
    if (t.strides == nullptr) {
      d.strides = strides_for(d.sizes, memory_format::contiguous_format);  // NULL: compact row-major
    } else {
      d.strides = dim_vector(t.strides, t.strides + rank);
      for (std::size_t i = 0; i < rank; ++i)
        expect<shape_error, "describe", "DLTensor strides[{}] is {}: negative strides are not supported (PyTorch has none)">(
            d.strides[i] >= 0, i, d.strides[i]);
    }
    const std::int64_t item = itemsize(d.dtype);
    expect<value_error, "describe", "DLTensor byte_offset {} is not a multiple of the itemsize {} of {}">(
        t.byte_offset % static_cast<std::uint64_t>(item) == 0, t.byte_offset, item, d.dtype);
    expect<value_error, "describe", "DLTensor byte_offset {} is out of range">(
        t.byte_offset / static_cast<std::uint64_t>(item) <= static_cast<std::uint64_t>(INT64_MAX), t.byte_offset);
    d.storage_offset = static_cast<std::int64_t>(t.byte_offset / static_cast<std::uint64_t>(item));
    d.requires_grad = flags.requires_grad;
    d.is_parameter = flags.is_parameter;
    d.is_leaf = true;

    d.id = intern_dlpack_tensor(t, d);
    const std::int64_t needed = storage_nbytes(d.sizes, d.strides, item, d.storage_offset);
    d.geometry_nbytes = needed;
    // An empty DLTensor's storage is keyed by the tensor, so that describing it
    // twice gives the same storage.
    d.storage = t.data == nullptr ? intern_storage(source::dlpack_empty, &t, d.device, needed)
                                  : intern_storage(source::dlpack, t.data, d.device, needed);
    return d;
  }
  tensor_description describe(const DLManagedTensor& t, dlpack_flags flags = {}) { return describe(t.dl_tensor, flags); }

  // --- building blocks for adapters of other tensor types (interop/libtorch.hpp)

  // The id of the tensor object at `address`. `keep_alive` is held as long as
  // the describer: pass a weak reference to the object, so that no other
  // object can be created at its address meanwhile (Note [describer identities]).
  std::uint64_t tensor_id(source src, const void* address, std::shared_ptr<const void> keep_alive = {}) {
    return intern_tensor(src, address, std::move(keep_alive));
  }

  // The storage at `address` on `dev`, grown to at least `nbytes`: its id and
  // current size. `keep_alive` as for tensor_id.
  storage_description storage(source src, const void* address, device dev, std::int64_t nbytes,
                              std::shared_ptr<const void> keep_alive = {}) {
    return intern_storage(src, address, dev, nbytes, std::move(keep_alive));
  }

  // A sticky per-tensor mark for facts the source cannot tell again later (an
  // ATen view's base is an at::Tensor, not an nn.Parameter): set once, kept.
  void mark_parameter(std::uint64_t tensor_id) { parameters_.insert(tensor_id); }
  [[nodiscard]] bool is_marked_parameter(std::uint64_t tensor_id) const { return parameters_.contains(tensor_id); }

  [[nodiscard]] std::size_t tensor_count() const noexcept { return tensors_.size(); }
  [[nodiscard]] std::size_t storage_count() const noexcept { return storages_.size(); }

 private:
  struct key {
    source src;
    const void* address;
    device_type dev_type;
    std::int8_t dev_index;
    friend bool operator==(const key&, const key&) = default;
  };
  struct key_hash {
    std::size_t operator()(const key& k) const noexcept {
      auto h = reinterpret_cast<std::uintptr_t>(k.address);
      h ^= (static_cast<std::uintptr_t>(k.src) << 8 | static_cast<std::uintptr_t>(k.dev_type) << 16 |
            static_cast<std::uintptr_t>(static_cast<std::uint8_t>(k.dev_index)) << 24) *
           0x9e3779b97f4a7c15ULL;
      return static_cast<std::size_t>(h ^ (h >> 29));
    }
  };
  // What a DLTensor at a known address held: its sizes and strides live in
  // the describer's arena (2 * rank words), so that an entry stays small.
  struct dlpack_fingerprint {
    const void* data = nullptr;
    std::uint64_t byte_offset = 0;
    std::int64_t* dims = nullptr;  // sizes, then strides
    std::uint32_t rank = 0;
    std::uint32_t capacity = 0;  // words at dims
    device dev{};
    std::uint8_t code = 0;
    std::uint8_t bits = 0;
    bool null_strides = false;
    [[nodiscard]] bool matches(const DLTensor& t, const tensor_description& d) const noexcept {
      if (data != t.data || dev != d.device || code != t.dtype.code || bits != t.dtype.bits ||
          null_strides != (t.strides == nullptr) || byte_offset != t.byte_offset || rank != d.sizes.size())
        return false;
      for (std::size_t i = 0; i < rank; ++i)
        if (dims[i] != d.sizes[i] || dims[rank + i] != d.strides[i]) return false;
      return true;
    }
  };
  struct tensor_entry {
    std::uint64_t id = 0;
    std::shared_ptr<const void> keep_alive;
    dlpack_fingerprint print;  // DLPack entries only
  };
  struct storage_entry {
    std::uint64_t id;
    std::int64_t nbytes;
    std::shared_ptr<const void> keep_alive;
  };

  // A DLTensor's id: the same address with the same contents is the same
  // tensor; the fingerprint is written only when a new entry is made.
  std::uint64_t intern_dlpack_tensor(const DLTensor& t, const tensor_description& d) {
    // one hash: find or make the entry, then fill it in place
    auto [it, fresh] = tensors_.try_emplace(key{source::dlpack, &t, device_type::cpu, -1});
    tensor_entry& e = it->second;
    if (!fresh && e.print.matches(t, d)) return e.id;
    // new, or another tensor at a reused address
    e.id = next_id();
    e.keep_alive.reset();
    dlpack_fingerprint& p = e.print;
    const auto rank = static_cast<std::uint32_t>(d.sizes.size());
    if (2 * rank > p.capacity) {
      p.dims = static_cast<std::int64_t*>(arena_->allocate(2 * rank * sizeof(std::int64_t), alignof(std::int64_t)));
      p.capacity = 2 * rank;
    }
    for (std::size_t i = 0; i < rank; ++i) {
      p.dims[i] = d.sizes[i];
      p.dims[rank + i] = d.strides[i];
    }
    p.rank = rank;
    p.data = t.data;
    p.dev = d.device;
    p.code = t.dtype.code;
    p.bits = t.dtype.bits;
    p.null_strides = t.strides == nullptr;
    p.byte_offset = t.byte_offset;
    return e.id;
  }

  std::uint64_t intern_tensor(source src, const void* address, std::shared_ptr<const void> keep_alive) {
    auto [it, fresh] = tensors_.try_emplace(key{src, address, device_type::cpu, -1});
    if (fresh) {
      it->second.id = next_id();
      it->second.keep_alive = std::move(keep_alive);
    }
    return it->second.id;
  }

  storage_description intern_storage(source src, const void* address, device dev, std::int64_t nbytes,
                                     std::shared_ptr<const void> keep_alive = {}) {
    expect<shape_error, "describe", "negative storage size {} bytes">(nbytes >= 0, nbytes);
    const key k{src, address, dev.type, dev.index};
    auto it = storages_.find(k);
    if (it == storages_.end())
      it = storages_.emplace(k, storage_entry{next_id(), nbytes, std::move(keep_alive)}).first;
    else if (nbytes > it->second.nbytes)
      it->second.nbytes = nbytes;
    return {it->second.id, it->second.nbytes};
  }

  // The next id of this describer's block, taking a new block when it is used up.
  std::uint64_t next_id() noexcept {
    if (next_id_ == end_id_) {
      next_id_ = detail::take_description_ids(detail::description_id_block);
      end_id_ = next_id_ + detail::description_id_block;
    }
    return next_id_++;
  }

  // Hash tables whose nodes come from one arena per describer (entries are
  // never erased, so a monotonic resource is enough): describing a tensor
  // costs no general-purpose allocation. The arena is a unique_ptr so that a
  // moved describer keeps its tables' memory.
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_ = std::make_unique<std::pmr::monotonic_buffer_resource>();
  std::pmr::unordered_map<key, tensor_entry, key_hash> tensors_{arena_.get()};
  std::pmr::unordered_map<key, storage_entry, key_hash> storages_{arena_.get()};
  std::unordered_set<std::uint64_t> parameters_;
  std::uint64_t next_id_ = 0;
  std::uint64_t end_id_ = 0;
};

}  // namespace fake
