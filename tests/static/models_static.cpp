// Static checks of the typed example models (examples/models/typed.hpp): a
// GPT-2 small block, ResNet-50, Llama-2-7B and an MLP on static shapes give their result types at
// compile time; the new typed ops they use (linear, layer_norm, softmax, gelu,
// masked_fill, bitwise_not, mul by a number, contiguous) are checked one by
// one first. Compiling is the test; this file is also the subject of the
// compile-time benchmark (bench/compile_time.sh, bench/README.md).
#include <type_traits>

#include "models/typed.hpp"

namespace {

using fake::c;

// ---- the typed ops, one by one (PyTorch 1.13's metadata)

constexpr fake::tensor<fake::bf16, fake::shape<8, 128, 768>, fake::cuda<0>> x;
constexpr fake::tensor<fake::bf16, fake::shape<3072, 768>, fake::cuda<0>> w;
constexpr fake::tensor<fake::bf16, fake::shape<3072>, fake::cuda<0>> bias;

// linear with a bias on a contiguous 3-D input: addmm on the 2-D view, contiguous
constexpr auto lin = fake::linear(x, w, bias);
static_assert(lin.sizes() == fake::shape<8, 128, 3072>{});
static_assert(lin.strides() == fake::strides<393216, 3072, 1>{});
static_assert(std::is_empty_v<decltype(lin)>);
// without a bias, on a transposed (non-contiguous) input: matmul
constexpr auto lin_t = fake::linear(fake::transpose(x, c<0>{}, c<1>{}), w);
static_assert(lin_t.sizes() == fake::shape<128, 8, 3072>{});
static_assert(lin_t.strides() == fake::strides<24576, 3072, 1>{});
// a 1-D weight contracts the last dim away
constexpr fake::tensor<fake::bf16, fake::shape<768>, fake::cuda<0>> w1;
static_assert(fake::linear(x, w1).sizes() == fake::shape<8, 128>{});

// layer_norm keeps the input's sizes and dtype, contiguous
constexpr fake::tensor<fake::bf16, fake::shape<768>, fake::cuda<0>> g;
constexpr auto ln = fake::layer_norm(fake::transpose(x, c<0>{}, c<1>{}), fake::strides<768>{}, g, g);
static_assert(ln.sizes() == fake::shape<128, 8, 768>{});
static_assert(ln.strides() == fake::strides<6144, 768, 1>{});
static_assert(decltype(ln.dtype())::value == fake::dtype::bfloat16);
static_assert(fake::layer_norm(x, fake::strides<128, 768>{}).sizes() == fake::shape<8, 128, 768>{});

// softmax over the last dim of a transposed input: contiguous
constexpr auto sm = fake::softmax(fake::transpose(x, c<1>{}, c<2>{}), c<-1>{});
static_assert(sm.sizes() == fake::shape<8, 768, 128>{});
static_assert(sm.strides() == fake::strides<98304, 128, 1>{});

// gelu and bitwise_not keep the input's layout (TensorIterator, one input)
static_assert(fake::gelu<"tanh">(fake::transpose(x, c<1>{}, c<2>{})).strides() == fake::strides<98304, 1, 768>{});
constexpr fake::tensor<fake::b8, fake::shape<1, 1, 128, 128>, fake::cuda<0>> mask;
static_assert(decltype(fake::bitwise_not(mask).dtype())::value == fake::dtype::bool_);

// mul by a number: a float keeps bf16; an int64 tensor times a float is float32
static_assert(decltype(fake::mul(x, 0.125).dtype())::value == fake::dtype::bfloat16);
constexpr fake::tensor<fake::i64, fake::shape<4>> idx;
static_assert(decltype(fake::mul(idx, 0.5).dtype())::value == fake::dtype::float32);
static_assert(decltype(fake::mul(idx, 2).dtype())::value == fake::dtype::int64);

// masked_fill broadcasts the mask and self into a contiguous result of self's dtype
constexpr fake::tensor<fake::f32, fake::shape<8, 12, 1, 128>, fake::cuda<0>> scores;
constexpr auto filled = fake::masked_fill(scores, mask, -1.0);
static_assert(filled.sizes() == fake::shape<8, 12, 128, 128>{});
static_assert(filled.strides() == fake::strides<196608, 16384, 128, 1>{});
static_assert(decltype(filled.dtype())::value == fake::dtype::float32);

// contiguous: a contiguous tensor is returned as it is (its offset kept)
constexpr auto narrowed = fake::narrow(x, c<0>{}, c<2>{}, c<3>{});
static_assert(std::is_same_v<decltype(fake::contiguous(narrowed)), std::remove_cvref_t<decltype(narrowed)>>);
constexpr auto tc = fake::contiguous(fake::transpose(x, c<1>{}, c<2>{}));
static_assert(tc.strides() == fake::strides<98304, 128, 1>{});
static_assert(tc.storage_offset() == 0);

// ---- the GPT-2 small block at batch 8, sequence 1024, bf16 on cuda:0

using block = fake::models::typed_gpt2_block<fake::bf16, fake::cuda<0>, 768, 12>;
constexpr fake::tensor<fake::bf16, fake::shape<8, 1024, 768>, fake::cuda<0>> hidden;
constexpr fake::tensor<fake::b8, fake::shape<1, 1, 1024, 1024>, fake::cuda<0>> causal;
constexpr auto out = block{}(hidden, causal);
static_assert(out.sizes() == fake::shape<8, 1024, 768>{});
static_assert(out.strides() == fake::strides<786432, 768, 1>{});
static_assert(decltype(out.dtype())::value == fake::dtype::bfloat16);
static_assert(std::is_empty_v<decltype(out)>);
// a shorter sequence slices the causal mask
constexpr fake::tensor<fake::bf16, fake::shape<2, 100, 768>, fake::cuda<0>> short_hidden;
static_assert(block{}(short_hidden, causal).sizes() == fake::shape<2, 100, 768>{});

// ---- the MLP (784 -> 1024 -> 1024 -> 10)

constexpr fake::models::typed_mlp<fake::f32, fake::cpu, 784, 1024, 1024, 10> mlp;
constexpr fake::tensor<fake::f32, fake::shape<64, 784>> images;
static_assert(mlp(images).sizes() == fake::shape<64, 10>{});
static_assert(std::is_empty_v<decltype(mlp(images))>);

// ---- ResNet-50 at batch 8, 224x224, f16 on cuda:0

constexpr fake::tensor<fake::f16, fake::shape<8, 3, 224, 224>, fake::cuda<0>> images224;
constexpr auto logits = fake::models::typed_resnet50<fake::f16, fake::cuda<0>>{}(images224);
static_assert(logits.sizes() == fake::shape<8, 1000>{});
static_assert(logits.strides() == fake::strides<1000, 1>{});
static_assert(std::is_empty_v<decltype(logits)>);

// the typed ops it adds: batch_norm in evaluation keeps a channels_last
// input's layout on cuda; a 1x1 adaptive average pool is a keepdim mean
constexpr fake::tensor<fake::f16, fake::shape<2, 64, 7, 7>, fake::cuda<0>, fake::strides<3136, 1, 448, 64>> feat_cl;
constexpr fake::tensor<fake::f16, fake::shape<64>, fake::cuda<0>> per_channel;
static_assert(fake::batch_norm(feat_cl, per_channel, per_channel, per_channel, per_channel).strides() ==
              fake::strides<3136, 1, 448, 64>{});
constexpr fake::tensor<fake::f32, fake::shape<2, 64, 7, 7>> feat;
static_assert(fake::adaptive_avg_pool2d(feat, fake::strides<1, 1>{}).strides() == fake::strides<64, 1, 1, 1>{});
static_assert(fake::adaptive_avg_pool2d(feat, fake::strides<2, 3>{}).sizes() == fake::shape<2, 64, 2, 3>{});

// ---- Llama-2-7B at batch 1, sequence 128, bf16 on cuda:0; a GQA layer

constexpr fake::tensor<fake::i64, fake::shape<1, 128>, fake::cuda<0>> tokens;
constexpr auto llama_logits = fake::models::typed_llama2_7b<fake::bf16, fake::cuda<0>>{}(tokens);
static_assert(llama_logits.sizes() == fake::shape<1, 128, 32000>{});
static_assert(decltype(llama_logits.dtype())::value == fake::dtype::bfloat16);
using gqa_layer = fake::models::typed_llama_layer<fake::f32, fake::cpu, 64, 8, 2, 96>;
constexpr fake::tensor<fake::f32, fake::shape<2, 10, 64>> gqa_x;
constexpr fake::tensor<fake::f32, fake::shape<10, 8>> rotary;
constexpr fake::tensor<fake::b8, fake::shape<1, 1, 16, 16>> gqa_mask;
static_assert(gqa_layer{}(gqa_x, rotary, rotary, gqa_mask).sizes() == fake::shape<2, 10, 64>{});
// the typed ops it adds
static_assert(decltype(fake::rsqrt(idx).dtype())::value == fake::dtype::float32);      // integral -> the default dtype
static_assert(decltype(fake::pow(idx, 2).dtype())::value == fake::dtype::int64);
static_assert(decltype(fake::to(x, fake::f32).dtype())::value == fake::dtype::float32);
static_assert(fake::to(fake::transpose(x, c<1>{}, c<2>{}), fake::f32).strides() == fake::strides<98304, 1, 768>{});  // dense: kept
static_assert(fake::cat(c<-1>{}, fake::neg(x), x).sizes() == fake::shape<8, 128, 1536>{});
static_assert(fake::embedding(w, fake::tensor<fake::i64, fake::shape<4, 9>, fake::cuda<0>>{}).sizes() == fake::shape<4, 9, 768>{});

}  // namespace
