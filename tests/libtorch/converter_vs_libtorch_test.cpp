// Real at::Tensors described (interop/libtorch.hpp) and converted
// (meta/converter.hpp), checked against the real tensors themselves: a
// model-like state dict with tied weights, views of views, non-contiguous
// tensors, storage offsets, dtype views, conj/neg views and inference tensors.
// The oracle is ATen: storages shared exactly where storage().is_alias_of()
// holds, views of the converted _base, equal geometry and flags, memoized.
// Also the cross-reference mode, which runs every op against ATen.
// ATen pulls in glog, whose CHECK macro would silently replace Catch's: include
// ATen first, drop glog's CHECK, then include Catch.
#include <ATen/ATen.h>
#include <ATen/DLConvertor.h>
#undef CHECK
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "faketensor/dispatch/library.hpp"
#include "faketensor/interop/libtorch.hpp"
#include "faketensor/interop/libtorch_cross_ref.hpp"
#include "faketensor/meta/converter.hpp"
#include "faketensor/meta/describer.hpp"
#include "faketensor/mode/mode.hpp"
#include "models/gpt2.hpp"
#include "models/llama.hpp"
#include "models/mlp.hpp"

namespace {

fake::dim_vector dims(at::IntArrayRef a) { return fake::dim_vector(a.begin(), a.end()); }

// The fake tensor against the real one (not against its description).
void check_like_real(const std::string& name, const at::Tensor& real, const fake::tensor_desc& f, bool is_parameter) {
  INFO(name << ": real sizes " << real.sizes() << " strides " << real.strides() << " offset " << real.storage_offset()
            << "; fake " << fake::to_string(f));
  CHECK(f.sizes() == dims(real.sizes()));
  CHECK(f.strides() == dims(real.strides()));
  CHECK(f.storage_offset() == real.storage_offset());
  CHECK(f.dtype() == fake::from_aten(real.scalar_type()));
  CHECK(fake::c10_name(f.dtype()) == std::string(c10::toString(real.scalar_type())));
  CHECK(fake::to_string(f.device()) == real.device().str());
  CHECK(f.requires_grad() == real.requires_grad());
  CHECK(f.is_leaf() == real.is_leaf());
  CHECK(f.is_view() == real.is_view());
  CHECK(f.is_conj() == real.is_conj());
  CHECK(f.is_neg() == real.is_neg());
  CHECK(f.is_inference() == real.is_inference());
  CHECK(f.is_parameter() == is_parameter);
  CHECK(f.storage().nbytes() == static_cast<std::int64_t>(real.storage().nbytes()));
  CHECK(f.is_contiguous() == real.is_contiguous());
}

struct entry {
  std::string name;
  at::Tensor real;
  bool is_parameter = false;
};

// Describes and converts every entry twice and checks what the brief of
// MetaConverter promises: geometry and flags, aliasing, views, memoization.
void convert_and_check(const std::vector<entry>& entries) {
  fake::describer d;
  fake::converter c;
  std::vector<fake::tensor_desc> fakes;
  for (const entry& e : entries) {
    const fake::tensor_description desc = fake::describe(d, e.real, e.is_parameter);
    fakes.push_back(c(desc));
    INFO(e.name << ": " << fake::to_string(desc));
    CHECK_NOTHROW(fake::assert_metadata_eq(desc, fakes.back()));
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const entry& e = entries[i];
    const fake::tensor_desc& f = fakes[i];
    check_like_real(e.name, e.real, f, e.is_parameter);
    if (e.real.is_view()) {
      INFO(e.name << " is a view");
      REQUIRE(f.is_view());
      const fake::tensor_desc base = c(fake::describe(d, e.real._base()));
      CHECK(f.base().id() == base.id());
      CHECK_FALSE(base.is_view());
      CHECK(f.shares_storage_with(base));
      // the base is a parameter when the state dict names it as one
      bool base_is_parameter = false;
      for (const entry& other : entries)
        base_is_parameter |= other.is_parameter && other.real.unsafeGetTensorImpl() == e.real._base().unsafeGetTensorImpl();
      check_like_real(e.name + "._base", at::Tensor(e.real._base()), base, base_is_parameter);
    }
    for (std::size_t j = 0; j < entries.size(); ++j) {
      INFO(e.name << " vs " << entries[j].name);
      const bool real_alias = e.real.storage().is_alias_of(entries[j].real.storage());
      CHECK(f.shares_storage_with(fakes[j]) == real_alias);
      CHECK((f.storage().id() == fakes[j].storage().id()) == real_alias);
      // one real tensor object is one fake tensor
      const bool same_object = e.real.unsafeGetTensorImpl() == entries[j].real.unsafeGetTensorImpl();
      CHECK((f.id() == fakes[j].id()) == same_object);
    }
  }
  // memoized: again, in reverse order, the same fake tensors
  const std::size_t converted = c.tensor_count();
  for (std::size_t i = entries.size(); i-- > 0;) {
    INFO(entries[i].name << " converted again");
    CHECK(c(fake::describe(d, entries[i].real, entries[i].is_parameter)).id() == fakes[i].id());
  }
  CHECK(c.tensor_count() == converted);
}

}  // namespace

TEST_CASE("converter vs libtorch: a state dict with tied weights", "[converter]") {
  at::manual_seed(0);
  const at::Tensor embed = at::randn({10, 4}).requires_grad_();
  const at::Tensor qkv = at::randn({12, 4}).requires_grad_();
  const at::Tensor bias = at::zeros({4}).requires_grad_();
  // A buffer that is a view of a non-grad tensor, with a storage offset.
  const at::Tensor positions = at::arange(20, at::kLong).view({4, 5}).narrow(0, 1, 2);
  std::vector<entry> state{
      {"embed.weight", embed, true},
      {"lm_head.weight", embed, true},  // tied: the same parameter under two names
      {"attn.qkv.weight", qkv, true},
      {"attn.q", qkv.narrow(0, 0, 4), false},  // views of a parameter: not leaves
      {"attn.k", qkv.slice(0, 4, 8), false},
      {"attn.v", qkv.narrow(0, 8, 4).t(), false},
      {"norm.bias", bias, true},
      {"positions", positions, false},
      {"embed.detached", embed.detach(), false},
      {"hidden", embed * 2, false},  // a non-leaf that requires grad
  };
  CHECK(state[3].real.is_view());
  CHECK_FALSE(state[3].real.is_leaf());
  CHECK(state[7].real.storage_offset() == 5);
  // detach() shares the storage but is neither a view nor attached to autograd
  CHECK_FALSE(state[8].real.is_view());
  CHECK(state[8].real.storage().is_alias_of(embed.storage()));
  convert_and_check(state);

  // the views' base is the parameter, and is described as one
  fake::describer d;
  fake::converter c;
  const fake::tensor_desc w = c(fake::describe(d, qkv, true));
  const fake::tensor_desc q = c(fake::describe(d, state[3].real));
  CHECK(q.base().id() == w.id());
  CHECK(q.base().is_parameter());
  CHECK_FALSE(q.is_parameter());
}

TEST_CASE("converter vs libtorch: views of views keep the root base", "[converter]") {
  const at::Tensor x = at::randn({4, 5});
  const at::Tensor a = x.t().slice(0, 1);                     // x.t()[1:]
  const at::Tensor b = x.select(0, 1).unsqueeze(0);           // x.select(0, 1).unsqueeze(0)
  const at::Tensor deep = x.t().slice(0, 1).t().narrow(1, 1, 2).unsqueeze(2);
  REQUIRE(a.is_view());
  REQUIRE(b.is_view());
  // PyTorch's _base is the root, never an intermediate view
  CHECK(a._base().unsafeGetTensorImpl() == x.unsafeGetTensorImpl());
  CHECK(deep._base().unsafeGetTensorImpl() == x.unsafeGetTensorImpl());
  convert_and_check({{"x", x}, {"a", a}, {"b", b}, {"deep", deep}});

  // converting a view first converts its base, the same fake tensor as x's
  fake::describer d;
  fake::converter c;
  const fake::tensor_desc fdeep = c(fake::describe(d, deep));
  const fake::tensor_desc fx = c(fake::describe(d, x));
  CHECK(fdeep.base().id() == fx.id());
  CHECK(c.tensor_count() == 2);
}

TEST_CASE("converter vs libtorch: non-contiguous tensors and storage offsets", "[converter]") {
  const at::Tensor cube = at::randn({3, 4, 5});
  const at::Tensor permuted = cube.permute({2, 0, 1});
  const at::Tensor sliced = permuted.slice(1, 1, 3);
  const at::Tensor expanded = at::randn({3, 1}).expand({3, 4});
  const at::Tensor diag = at::randn({4, 4}).diagonal(1);
  const at::Tensor windows = at::randn({10}).unfold(0, 3, 2);
  const at::Tensor strided = cube.as_strided({2, 2}, {7, 3}, 11);
  const at::Tensor channels_last = at::randn({2, 3, 4, 5}).contiguous(at::MemoryFormat::ChannelsLast);
  const at::Tensor stepped = at::randn({20}).slice(0, 3, 17, 4);
  const at::Tensor empty_slice = at::randn({4, 3}).slice(0, 4, 4);
  CHECK(sliced.storage_offset() == 20);  // permuted strides are {1, 20, 5}
  CHECK(expanded.stride(1) == 0);
  CHECK(empty_slice.numel() == 0);
  convert_and_check({{"cube", cube},
                     {"permuted", permuted},
                     {"sliced", sliced},
                     {"expanded", expanded},
                     {"diag", diag},
                     {"windows", windows},
                     {"strided", strided},
                     {"channels_last", channels_last},
                     {"stepped", stepped},
                     {"empty_slice", empty_slice}});
}

TEST_CASE("converter vs libtorch: dtype views, conj and neg views, inference tensors", "[converter]") {
  const at::Tensor z = at::randn({3, 2}, at::kComplexFloat);
  const at::Tensor as_real = at::view_as_real(z);
  const at::Tensor imag = at::imag(z);
  const at::Tensor conj = z.conj();         // a lazy conjugate: is_conj
  const at::Tensor neg = at::imag(conj);    // the imaginary part of a conj view: is_neg
  const at::Tensor f = at::randn({2, 6});
  const at::Tensor as_int = f.view(at::kInt);
  const at::Tensor pairs = at::randn({4, 2});
  const at::Tensor as_complex = at::view_as_complex(pairs);
  const at::Tensor doubles = at::randn({3}, at::kDouble);
  const at::Tensor halfs = at::randn({3}, at::kHalf);
  const at::Tensor bools = at::ones({3}, at::kBool);
  const at::Tensor bf16 = at::randn({3}, at::kBFloat16);
  const at::Tensor bytes = at::ones({3}, at::kByte);
  CHECK(conj.is_conj());
  CHECK(neg.is_neg());
  at::Tensor inference;
  at::Tensor inference_view;
  {
    c10::InferenceMode guard;
    inference = at::randn({2, 3});
    inference_view = inference.t();
  }
  CHECK(inference.is_inference());
  // a view taken in inference mode is not tracked as a view, yet aliases
  CHECK_FALSE(inference_view.is_view());
  CHECK(inference_view.storage().is_alias_of(inference.storage()));
  CHECK(neg._base().unsafeGetTensorImpl() == z.unsafeGetTensorImpl());
  convert_and_check({{"z", z},
                     {"as_real", as_real},
                     {"imag", imag},
                     {"conj", conj},
                     {"neg", neg},
                     {"f", f},
                     {"as_int", as_int},
                     {"pairs", pairs},
                     {"as_complex", as_complex},
                     {"doubles", doubles},
                     {"halfs", halfs},
                     {"bools", bools},
                     {"bf16", bf16},
                     {"bytes", bytes},
                     {"inference", inference},
                     {"inference_view", inference_view}});
}

TEST_CASE("converter vs libtorch: a tensor changed in place after conversion", "[converter]") {
  at::Tensor x = at::randn({2, 3});
  fake::describer d;
  fake::converter c;
  const fake::tensor_desc before = c(fake::describe(d, x));
  x.t_();  // same TensorImpl, new geometry
  const fake::tensor_description after = fake::describe(d, x);
  CHECK(after.sizes == fake::dim_vector{3, 2});
  CHECK_THROWS_AS(c(after), fake::metadata_mismatch_error);
  // a new converter rebuilds it
  fake::converter fresh;
  CHECK(fresh(after).sizes() == fake::dim_vector{3, 2});
  CHECK(before.sizes() == fake::dim_vector{2, 3});
}

TEST_CASE("converter vs libtorch: undefined, sparse and meta tensors", "[converter]") {
  fake::describer d;
  CHECK_THROWS_AS(fake::describe(d, at::Tensor()), fake::value_error);
  const at::Tensor sparse = at::randn({3, 3}).to_sparse();
  CHECK_THROWS_WITH(fake::describe(d, sparse), Catch::Contains("layout torch.sparse_coo is not supported"));
  // a meta tensor has a storage without data: still one storage per allocation
  const at::Tensor m = at::empty({4, 4}, at::TensorOptions().device(at::kMeta));
  const at::Tensor mt = m.t();
  fake::converter c;
  const fake::tensor_desc fm = c(fake::describe(d, m)), fmt = c(fake::describe(d, mt));
  CHECK(fm.device().is_meta());
  CHECK(fmt.shares_storage_with(fm));
  CHECK(fmt.base().id() == fm.id());
}

// DLPack exported by ATen: geometry matches the ATen path, but at::toDLPack
// puts data_ptr() (the offset already applied) in `data` with byte_offset 0,
// so a view with an offset does not share its base's DLPack storage.
TEST_CASE("converter vs libtorch: DLPack exported by ATen", "[converter]") {
  const at::Tensor x = at::randn({4, 6});
  const at::Tensor row = x.select(0, 2);
  const at::Tensor col = x.select(1, 0);  // offset 0: same data pointer as x
  fake::describer d;
  struct managed {
    DLManagedTensor* p;
    ~managed() { p->deleter(p); }
  };
  const managed dx{at::toDLPack(x)}, drow{at::toDLPack(row)}, dcol{at::toDLPack(col)};
  CHECK(drow.p->dl_tensor.byte_offset == 0);
  const auto desc_x = d.describe(*dx.p), desc_row = d.describe(*drow.p), desc_col = d.describe(*dcol.p);
  CHECK(desc_row.sizes == dims(row.sizes()));
  CHECK(desc_row.strides == dims(row.strides()));
  CHECK(desc_row.storage_offset == 0);  // not row.storage_offset() == 12
  CHECK(desc_row.storage.id != desc_x.storage.id);
  CHECK(desc_col.storage.id == desc_x.storage.id);
  CHECK(desc_col.strides == fake::dim_vector{6});
  CHECK(desc_x.dtype == fake::dtype::float32);
}

// ---------------------------------------------------------------------------
// The cross-reference mode (interop/libtorch_cross_ref.hpp, Note
// [cross-reference mode]): the example models, small, with every op run on
// the fake tensors and on real CPU tensors; and a wrong kernel caught.
TEST_CASE("cross-reference mode: the example models agree with ATen op by op", "[cross_ref]") {
  const fake::models::tensor_options cpu_f32{};
  fake::cross_ref_mode check;
  {
    const fake::models::mlp mlp({{16, 32, 8}}, cpu_f32);
    fake::mode_guard on(check);
    CHECK(mlp(mlp.example_input(4)).sizes() == fake::dim_vector{4, 8});
  }
  const std::size_t after_mlp = check.report().checked;
  CHECK(after_mlp >= 5);  // linear (t, addmm) per layer and the relu
  {
    const fake::models::gpt2 gpt2({100, 16, 2, 2, 16}, cpu_f32);
    fake::mode_guard on(check);
    CHECK(gpt2(gpt2.example_input(2, 8)).sizes() == fake::dim_vector{2, 8, 100});
  }
  CHECK(check.report().checked >= after_mlp + 40);
  {
    const fake::models::llama llama({100, 32, 1, 4, 2, 32, 64, 1e-5}, cpu_f32);
    fake::mode_guard on(check);
    CHECK(llama(llama.example_input(2, 8)).sizes() == fake::dim_vector{2, 8, 100});
  }
  // nothing was left unchecked but what cannot run for real
  for (const auto& [why, count] : check.report().skipped) {
    INFO(why << ": " << count);
    CHECK(why == "no ATen op");
  }
}

TEST_CASE("cross-reference mode: a kernel that disagrees with ATen is caught, and errors must agree", "[cross_ref]") {
  const fake::tensor_desc x = fake::empty({2, 3});
  fake::cross_ref_mode check;
  {
    // a wrong relu for cpu tensors, for the life of `wrong`
    fake::library wrong("aten", fake::library::kind::impl);
    wrong.impl("relu", [](fake::stack& s) { s = {fake::ivalue(fake::empty({3, 2}))}; }, fake::dispatch_key::cpu);
    fake::mode_guard on(check);
    CHECK_THROWS_WITH(fake::call("aten::relu", {x}),
                      Catch::StartsWith("aten::relu: output 0 sizes: fake [3, 2] vs ATen [2, 3]"));
  }
  fake::mode_guard on(check);
  CHECK(fake::call("aten::relu", {x})[0].to_tensor().sizes() == fake::dim_vector{2, 3});
  // both raise: the fake error comes back
  CHECK_THROWS_AS(fake::call("aten::mm", {x, x}), fake::shape_error);
  // data-dependent ops are not run for real
  CHECK_THROWS_AS(fake::call("aten::nonzero", {x}), fake::dynamic_output_shape_error);
  CHECK(check.report().skipped.at("dynamic output shape") == 1);
}

TEST_CASE("at::Tensors through a fake mode: memoized, tied weights share a storage, and a small one keeps its value", "[mode][real]") {
  const at::Tensor w = at::randn({4, 3});
  const at::Tensor tied = w.t();  // a view of w
  const at::Tensor scale = at::full({}, 2.5);
  fake::mode<> m;
  const fake::tensor_desc fw = m.from_real_tensor(*fake::real(w, /*is_parameter=*/true).to_real_tensor());
  const fake::tensor_desc ft = m.from_real_tensor(*fake::real(tied).to_real_tensor());
  CHECK(m.from_real_tensor(*fake::real(w).to_real_tensor()).id() == fw.id());
  CHECK(fw.is_parameter());
  CHECK(ft.is_view());
  CHECK(ft.storage() == fw.storage());
  CHECK(ft.strides() == fake::dim_vector{1, 3});
  const fake::tensor_desc fs = m.from_real_tensor(*fake::real(scale).to_real_tensor(), /*make_constant=*/true);
  REQUIRE(fake::constant_item(fs).has_value());
  CHECK(fake::constant_item(fs)->to_double() == 2.5);

  fake::mode<> lenient({.allow_non_fake_inputs = true});
  fake::mode_guard on(lenient);
  const fake::stack out = fake::call("aten::add.Tensor", {fake::empty({4, 3}), fake::real(w)});
  CHECK(out[0].to_tensor().sizes() == fake::dim_vector{4, 3});
}
