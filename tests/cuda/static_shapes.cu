// nvcc test: the device-usable headers (core/ and shape/, umbrella included)
// compile under nvcc, and static shapes work inside __host__ __device__ code
// and kernels: every answer is a type, so device code carries no shape logic.
// The host main needs no GPU; it launches the kernel only when one is present.
#include <cstdio>
#include <type_traits>

#include <cuda_runtime.h>

#include <faketensor/faketensor.hpp>

namespace {
using namespace fake;

// A static "linear layer" shape rule evaluated in device code.
template <class X, class W>
__host__ __device__ constexpr auto linear_out(X, W) {
  static_assert(std::is_same_v<decltype(get<X::rank_value - 1>(X{}) == get<0>(W{})), true_c>,
                "linear_out: inner dims differ");
  return make_shape(get<0>(X{}), get<1>(X{}), get<1>(W{}));
}

using activations = shape<8, 1024, 768>;
using weight = shape<768, 3072>;
using out = decltype(linear_out(activations{}, weight{}));
static_assert(std::is_same_v<out, shape<8, 1024, 3072>>);
static_assert(std::is_empty_v<out>);
static_assert(std::is_same_v<decltype(broadcast_shapes(shape<8, 1, 3072>{}, shape<3072>{})), shape<8, 1, 3072>>);
static_assert(std::is_same_v<decltype(contiguous_strides(out{})), strides<3145728, 3072, 1>>);
static_assert(std::is_same_v<decltype(numel(out{})), c<25165824>>);
static_assert(promote_types(dtype::bfloat16, dtype::float16) == dtype::float32);

// typed tensors and their views (Note [typed views]) are device-usable too
constexpr tensor<bf16, shape<8, 1024, 768>, cuda<0>> act;
static_assert(std::is_empty_v<decltype(act)>);
static_assert(std::is_same_v<std::remove_cvref_t<decltype(transpose(act, c<1>{}, c<2>{}).sizes())>, shape<8, 768, 1024>>);
static_assert(std::is_same_v<std::remove_cvref_t<decltype(view(act, strides<8, -1, 64>{}).strides())>, strides<786432, 64, 1>>);
static_assert(select(act, c<0>{}, c<-1>{}).storage_offset() == 7 * 1024 * 768);

struct results {
  long long numel;
  long long stride0;
  long long nbytes;
  int contiguous;
};

__host__ __device__ results compute() {
  constexpr auto y = broadcast_shapes(out{}, shape<3072>{});
  constexpr auto s = contiguous_strides(y);
  constexpr auto heads = view(act, strides<8, 1024, 12, 64>{});  // computed by the compiler
  return {to_int64(numel(y)), to_int64(get<0>(s)), to_int64(storage_nbytes(y, s, c<2>{})),
          is_contiguous(y, s) && heads.is_contiguous() ? 1 : 0};
}

__global__ void compute_kernel(results* r) { *r = compute(); }

bool check(const results& r, const char* where) {
  const bool ok = r.numel == 25165824 && r.stride0 == 3145728 && r.nbytes == 2 * 25165824 && r.contiguous == 1;
  std::printf("static shapes (%s): numel %lld stride0 %lld nbytes %lld contiguous %d: %s\n", where, r.numel, r.stride0,
              r.nbytes, r.contiguous, ok ? "ok" : "FAILED");
  return ok;
}
}  // namespace

int main() {
  bool ok = check(compute(), "host");
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    std::printf("no CUDA device: kernel compiled, not launched\n");
    return ok ? 0 : 1;
  }
  results* r = nullptr;
  if (cudaMallocManaged(&r, sizeof(results)) != cudaSuccess) return 1;
  compute_kernel<<<1, 1>>>(r);
  ok = cudaDeviceSynchronize() == cudaSuccess && check(*r, "device") && ok;
  cudaFree(r);
  return ok ? 0 : 1;
}
