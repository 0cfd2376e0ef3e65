// fake::describer on DLPack tensors and fake::converter (meta/describer.hpp,
// meta/converter.hpp): storage identity from the allocation, offsets, default
// strides, memoization, typed errors, views rebuilt from their base and
// assert_metadata_eq. The DLTensors point into small buffers; nothing reads them.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <dlpack/dlpack.h>

#include "faketensor/meta/converter.hpp"
#include "faketensor/meta/describer.hpp"
#include "faketensor/view/ops.hpp"

namespace {

using fake::dim_vector;

// A DLTensor with its own shape/strides arrays (strides empty: NULL).
struct dl_tensor {
  std::vector<std::int64_t> shape;
  std::vector<std::int64_t> strides;
  DLTensor t{};

  dl_tensor(void* data, std::vector<std::int64_t> shape_, std::vector<std::int64_t> strides_ = {},
            std::uint64_t byte_offset = 0, DLDataType dt = {kDLFloat, 32, 1}, DLDevice dev = {kDLCPU, 0})
      : shape(std::move(shape_)), strides(std::move(strides_)) {
    t.data = data;
    t.device = dev;
    t.ndim = static_cast<int>(shape.size());
    t.dtype = dt;
    t.shape = shape.empty() ? nullptr : shape.data();
    t.strides = strides.empty() ? nullptr : strides.data();
    t.byte_offset = byte_offset;
  }
  dl_tensor(const dl_tensor&) = delete;  // t points into this object
};

template <class Error>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no exception");
  return {};
}

}  // namespace

TEST_CASE("converter: describer DLTensors on one allocation share one storage", "[converter]") {
  std::vector<float> buf(24);
  std::vector<float> other(24);
  dl_tensor whole(buf.data(), {4, 6});
  dl_tensor row1(buf.data(), {6}, {1}, 6 * sizeof(float));
  dl_tensor col2(buf.data(), {4}, {6}, 2 * sizeof(float));
  dl_tensor elsewhere(other.data(), {4, 6});

  fake::describer d;
  const auto dw = d.describe(whole.t);
  const auto dr = d.describe(row1.t);
  const auto dc = d.describe(col2.t);
  const auto de = d.describe(elsewhere.t);
  CHECK(dr.storage.id == dw.storage.id);
  CHECK(dc.storage.id == dw.storage.id);
  CHECK(de.storage.id != dw.storage.id);
  CHECK(dw.id != dr.id);
  CHECK(dr.storage_offset == 6);
  CHECK(dc.storage_offset == 2);
  CHECK(dw.storage.nbytes == 96);
  CHECK(dr.storage.nbytes == 96);  // never shrinks to what row1 alone needs
  CHECK(d.storage_count() == 2);

  fake::converter c;
  const fake::tensor_desc fw = c(dw), fr = c(dr), fc = c(dc), fe = c(de);
  CHECK(fr.shares_storage_with(fw));
  CHECK(fc.shares_storage_with(fw));
  CHECK_FALSE(fe.shares_storage_with(fw));
  CHECK(fr.storage().id() == fw.storage().id());
  CHECK(c.storage_count() == 2);
  CHECK(fr.storage_offset() == 6);
  CHECK(fc.strides() == dim_vector{6});
  // DLPack has no views: tensors on one allocation alias, none is a view.
  CHECK_FALSE(fr.is_view());
  CHECK(fr.is_leaf());
  CHECK(fw.storage().nbytes() == 96);
}

TEST_CASE("converter: describer the storage grows to the largest extent described", "[converter]") {
  std::vector<double> buf(32);
  dl_tensor head(buf.data(), {2, 2}, {}, 0, {kDLFloat, 64, 1});
  dl_tensor tail(buf.data(), {3}, {5}, 4 * sizeof(double), {kDLFloat, 64, 1});  // elements 4, 9, 14

  fake::describer d;
  fake::converter c;
  const auto dh = d.describe(head.t);
  CHECK(dh.storage.nbytes == 4 * 8);
  const fake::tensor_desc fh = c(dh);
  CHECK(fh.storage().nbytes() == 32);
  const auto dt = d.describe(tail.t);
  CHECK(dt.storage.id == dh.storage.id);
  CHECK(dt.storage.nbytes == 15 * 8);
  const fake::tensor_desc ft = c(dt);
  // One fake storage, grown for the later tensor: the first one sees it too.
  CHECK(ft.storage().nbytes() == 120);
  CHECK(fh.storage().nbytes() == 120);
  // The first description is still met by its (grown) fake tensor.
  CHECK_NOTHROW(fake::assert_metadata_eq(dh, fh));
}

TEST_CASE("converter: describer byte_offset / itemsize is the storage offset", "[converter]") {
  std::vector<std::int16_t> buf(16);
  fake::describer d;
  dl_tensor i16(buf.data(), {2}, {}, 6, {kDLInt, 16, 1});
  CHECK(d.describe(i16.t).storage_offset == 3);
  dl_tensor c64(buf.data(), {1}, {}, 16, {kDLComplex, 64, 1});
  CHECK(d.describe(c64.t).storage_offset == 2);
  const auto dc = d.describe(c64.t);
  CHECK(dc.storage.nbytes == (2 + 1) * 8);

  dl_tensor misaligned(buf.data(), {2}, {}, 6, {kDLFloat, 32, 1});
  const std::string msg = message_of<fake::value_error>([&] { d.describe(misaligned.t); });
  CHECK_THAT(msg, Catch::Contains("byte_offset 6") && Catch::Contains("itemsize 4"));
}

TEST_CASE("converter: describer NULL strides are compact row-major", "[converter]") {
  std::vector<float> buf(8);
  fake::describer d;
  dl_tensor t(buf.data(), {2, 3, 4});
  const auto dt = d.describe(t.t);
  CHECK(dt.strides == dim_vector{12, 4, 1});
  CHECK(dt.storage.nbytes == 96);

  // size-0 and size-1 dims get PyTorch's contiguous strides (a 0 counts as 1)
  dl_tensor empty(buf.data(), {2, 0, 3});
  CHECK(d.describe(empty.t).strides == fake::empty({2, 0, 3}).strides());
  CHECK(d.describe(empty.t).strides == dim_vector{3, 3, 1});

  // a 0-dim tensor: no shape, no strides, one element
  dl_tensor scalar(buf.data(), {});
  const auto ds = d.describe(scalar.t);
  CHECK(ds.sizes.empty());
  CHECK(ds.strides.empty());
  CHECK(ds.storage.nbytes >= 4);
  fake::converter c;
  CHECK(c(ds).dim() == 0);

  // explicit strides are kept as given
  dl_tensor transposed(buf.data(), {3, 2}, {1, 3});
  CHECK(d.describe(transposed.t).strides == dim_vector{1, 3});
  CHECK_FALSE(c(d.describe(transposed.t)).is_contiguous());
}

TEST_CASE("converter: the same DLTensor converts to the same fake tensor", "[converter]") {
  std::vector<float> buf(12);
  dl_tensor t(buf.data(), {3, 4});
  fake::describer d;
  fake::converter c;
  const auto d1 = d.describe(t.t);
  const auto d2 = d.describe(t.t);
  CHECK(d1.id == d2.id);
  CHECK(d1.storage.id == d2.storage.id);
  const fake::tensor_desc f1 = c(d1), f2 = c(d2);
  CHECK(f1.id() == f2.id());
  CHECK(c.tensor_count() == 1);
  REQUIRE(c.lookup(d1.id) != nullptr);
  CHECK(c.lookup(d1.id)->id() == f1.id());

  // A second DLTensor with the same contents is another tensor object (as
  // two torch.Tensors on one storage): another fake tensor, the same storage.
  dl_tensor twin(buf.data(), {3, 4});
  const fake::tensor_desc f3 = c(d.describe(twin.t));
  CHECK(f3.id() != f1.id());
  CHECK(f3.shares_storage_with(f1));

  // DLManagedTensor: the DLTensor inside it.
  DLManagedTensor managed{};
  managed.dl_tensor = t.t;
  const auto m1 = d.describe(managed), m2 = d.describe(managed);
  CHECK(m1.id == m2.id);
  CHECK(m1.storage.id == d1.storage.id);
  CHECK(c(m1).id() == c(m2).id());

  // The same address with other contents (a reused stack slot) is a new tensor.
  t.shape[0] = 2;
  const auto d4 = d.describe(t.t);
  CHECK(d4.id != d1.id);
  CHECK(d4.storage.id == d1.storage.id);
  CHECK(c(d4).id() != f1.id());
  CHECK(c(d4).sizes() == dim_vector{2, 4});
}

TEST_CASE("converter: describer storages are per device, and empty tensors have their own", "[converter]") {
  std::vector<float> buf(4);
  fake::describer d;
  dl_tensor on_cpu(buf.data(), {4});
  dl_tensor on_cuda0(buf.data(), {4}, {}, 0, {kDLFloat, 32, 1}, {kDLCUDA, 0});
  dl_tensor on_cuda1(buf.data(), {4}, {}, 0, {kDLFloat, 32, 1}, {kDLCUDA, 1});
  const auto a = d.describe(on_cpu.t), b = d.describe(on_cuda0.t), e = d.describe(on_cuda1.t);
  CHECK(a.device == fake::device(fake::device_type::cpu));
  CHECK(fake::to_string(b.device) == "cuda:0");
  CHECK(fake::to_string(e.device) == "cuda:1");
  CHECK(a.storage.id != b.storage.id);
  CHECK(b.storage.id != e.storage.id);
  fake::converter c;
  CHECK(c(e).device() == fake::device(fake::device_type::cuda, 1));
  CHECK(c(e).storage().device() == fake::device(fake::device_type::cuda, 1));

  dl_tensor empty1(nullptr, {0, 3});
  dl_tensor empty2(nullptr, {0, 3});
  const auto x1 = d.describe(empty1.t), x2 = d.describe(empty2.t);
  CHECK(x1.storage.id != x2.storage.id);
  CHECK(d.describe(empty1.t).storage.id == x1.storage.id);
  CHECK(x1.storage.nbytes == 0);
}

TEST_CASE("converter: describer every supported DLPack dtype and flags", "[converter]") {
  struct row {
    std::uint8_t code;
    std::uint8_t bits;
    fake::dtype expected;
  };
  const std::array<row, 14> rows{{
      {kDLInt, 8, fake::dtype::int8},
      {kDLInt, 16, fake::dtype::int16},
      {kDLInt, 32, fake::dtype::int32},
      {kDLInt, 64, fake::dtype::int64},
      {kDLUInt, 8, fake::dtype::uint8},
      {kDLFloat, 16, fake::dtype::float16},
      {kDLFloat, 32, fake::dtype::float32},
      {kDLFloat, 64, fake::dtype::float64},
      {kDLBfloat, 16, fake::dtype::bfloat16},
      {kDLComplex, 32, fake::dtype::complex32},
      {kDLComplex, 64, fake::dtype::complex64},
      {kDLComplex, 128, fake::dtype::complex128},
      {fake::dlpack_bool_code, 8, fake::dtype::bool_},
      {kDLUInt, 8, fake::dtype::uint8},  // DLPack 0.6's bool: indistinguishable from uint8
  }};
  std::vector<std::uint64_t> buf(8);
  for (const row& r : rows) {
    fake::describer fresh;  // one buffer: a shared describer would grow one storage
    dl_tensor t(buf.data(), {2}, {}, 0, {r.code, r.bits, 1});
    const auto desc = fresh.describe(t.t);
    CHECK(desc.dtype == r.expected);
    CHECK(fake::itemsize(desc.dtype) * 8 == r.bits);
    CHECK(desc.storage.nbytes == 2 * r.bits / 8);
  }

  fake::describer d;
  dl_tensor w(buf.data(), {2, 2});
  const auto dw = d.describe(w.t, {.requires_grad = true, .is_parameter = true});
  fake::converter c;
  const fake::tensor_desc fw = c(dw);
  CHECK(fw.requires_grad());
  CHECK(fw.is_parameter());
  CHECK(fw.is_leaf());
  CHECK_FALSE(fw.is_view());
}

TEST_CASE("converter: describer unsupported input raises typed errors naming the argument", "[converter]") {
  std::vector<float> buf(8);
  fake::describer d;
  const auto dtype_message = [&](DLDataType dt) {
    dl_tensor t(buf.data(), {2}, {}, 0, dt);
    return message_of<fake::dtype_error>([&] { d.describe(t.t); });
  };
  CHECK_THAT(dtype_message({kDLFloat, 32, 4}), Catch::Contains("lanes is 4"));
  CHECK_THAT(dtype_message({kDLUInt, 16, 1}), Catch::Contains("kDLUInt with 16 bits"));
  CHECK_THAT(dtype_message({kDLFloat, 8, 1}), Catch::Contains("kDLFloat with 8 bits"));
  CHECK_THAT(dtype_message({kDLBfloat, 32, 1}), Catch::Contains("kDLBfloat with 32 bits"));
  CHECK_THAT(dtype_message({kDLComplex, 16, 1}), Catch::Contains("kDLComplex with 16 bits"));
  CHECK_THAT(dtype_message({kDLOpaqueHandle, 64, 1}), Catch::Contains("dtype.code 3"));
  CHECK_THAT(dtype_message({fake::dlpack_bool_code, 1, 1}), Catch::Contains("kDLBool with 1 bits"));

  dl_tensor opencl(buf.data(), {2}, {}, 0, {kDLFloat, 32, 1}, {kDLOpenCL, 0});
  CHECK_THAT(message_of<fake::device_error>([&] { d.describe(opencl.t); }), Catch::Contains("device.device_type 4"));
  dl_tensor bad_gpu(buf.data(), {2}, {}, 0, {kDLFloat, 32, 1}, {kDLCUDA, -1});
  CHECK_THAT(message_of<fake::device_error>([&] { d.describe(bad_gpu.t); }), Catch::Contains("device_id -1"));

  dl_tensor negative_size(buf.data(), {2, -1});
  CHECK_THAT(message_of<fake::shape_error>([&] { d.describe(negative_size.t); }), Catch::Contains("shape[1] is -1"));
  dl_tensor negative_stride(buf.data(), {2, 2}, {2, -1});
  CHECK_THAT(message_of<fake::shape_error>([&] { d.describe(negative_stride.t); }), Catch::Contains("strides[1] is -1"));
  dl_tensor no_shape(buf.data(), {2});
  no_shape.t.shape = nullptr;
  CHECK_THAT(message_of<fake::value_error>([&] { d.describe(no_shape.t); }), Catch::Contains("shape is NULL"));
  // nothing was recorded for the rejected tensors
  CHECK(d.tensor_count() == 0);
}

TEST_CASE("converter: assert_metadata_eq passes on a converted tensor, names the first differing field", "[converter]") {
  std::vector<float> buf(24);
  dl_tensor t(buf.data(), {4, 3}, {1, 4}, 4 * sizeof(float));
  fake::describer d;
  fake::converter c;
  const auto desc = d.describe(t.t);
  const fake::tensor_desc f = c(desc);
  CHECK_NOTHROW(fake::assert_metadata_eq(desc, f));

  const auto mismatch = [&](auto perturb) {
    fake::tensor_description p = desc;
    perturb(p);
    try {
      fake::assert_metadata_eq(p, f);
    } catch (const fake::metadata_mismatch_error& e) {
      return e.field() + " | " + e.what();
    }
    return std::string("no mismatch");
  };
  CHECK(mismatch([](auto& p) { p.strides = {4, 1}; }) ==
        "strides | assert_metadata_eq: strides differs: description [4, 1] vs fake [1, 4]");
  CHECK(mismatch([](auto& p) { p.sizes = {4, 2}; }) ==
        "sizes | assert_metadata_eq: sizes differs: description [4, 2] vs fake [4, 3]");
  CHECK(mismatch([](auto& p) { p.storage_offset = 3; }) ==
        "storage_offset | assert_metadata_eq: storage_offset differs: description 3 vs fake 4");
  CHECK(mismatch([](auto& p) { p.dtype = fake::dtype::float64; }) ==
        "dtype | assert_metadata_eq: dtype differs: description torch.float64 vs fake torch.float32");
  CHECK(mismatch([](auto& p) { p.device = fake::device(fake::device_type::cuda, 0); }) ==
        "device | assert_metadata_eq: device differs: description cuda:0 vs fake cpu");
  CHECK(mismatch([](auto& p) { p.requires_grad = true; }) ==
        "requires_grad | assert_metadata_eq: requires_grad differs: description true vs fake false");
  CHECK(mismatch([](auto& p) { p.is_leaf = false; }).starts_with("is_leaf | "));
  CHECK(mismatch([](auto& p) { p.is_conj = true; }).starts_with("is_conj | "));
  CHECK(mismatch([](auto& p) { p.is_neg = true; }).starts_with("is_neg | "));
  CHECK(mismatch([](auto& p) { p.is_inference = true; }).starts_with("is_inference | "));
  CHECK(mismatch([](auto& p) { p.is_parameter = true; }).starts_with("is_parameter | "));
  CHECK(mismatch([](auto& p) { p.layout = fake::layout::sparse_coo; }).starts_with("layout | "));
  CHECK(mismatch([](auto& p) { p.storage.nbytes = 1000; }).starts_with("storage_nbytes | "));
  // the first difference in PyTorch's order wins: dtype before strides
  CHECK(mismatch([](auto& p) {
          p.strides = {4, 1};
          p.dtype = fake::dtype::int32;
        }).starts_with("dtype | "));
}

// Views as an adapter describes them (interop/libtorch.hpp does this for
// at::Tensor): a description with is_view and the base's description.
TEST_CASE("converter: a view is rebuilt as a view of its converted base", "[converter]") {
  std::vector<float> buf(24);
  dl_tensor base_dl(buf.data(), {4, 6});
  fake::describer d;
  const auto base = std::make_shared<const fake::tensor_description>(d.describe(base_dl.t));

  int view_object = 0;  // stands for the view's tensor object
  fake::tensor_description v;
  v.id = d.tensor_id(fake::describer::source::other, &view_object);
  v.sizes = {6, 3};
  v.strides = {1, 6};
  v.storage_offset = 1;  // x.t()[:, 1:4]-like
  v.dtype = fake::dtype::float32;
  v.is_view = true;
  v.is_leaf = true;
  v.storage = base->storage;
  v.base = base;

  fake::converter c;
  const fake::tensor_desc fv = c(v);
  const fake::tensor_desc* fb = c.lookup(base->id);
  REQUIRE(fb != nullptr);
  CHECK(fv.is_view());
  CHECK(fv.base().id() == fb->id());
  CHECK(fv.shares_storage_with(*fb));
  CHECK(fv.sizes() == dim_vector{6, 3});
  CHECK(fv.strides() == dim_vector{1, 6});
  CHECK(fv.storage_offset() == 1);
  CHECK(fv.view_chain().size() == 1);
  CHECK(fv.view_chain()[0].op == fake::view_op::as_strided);
  CHECK_NOTHROW(fake::assert_metadata_eq(v, fv));
  CHECK(c(v).id() == fv.id());

  // assert_metadata_eq compares the bases too
  fake::tensor_description wrong_base = v;
  auto b2 = std::make_shared<fake::tensor_description>(*base);
  b2->sizes = {4, 5};
  wrong_base.base = b2;
  try {
    fake::assert_metadata_eq(wrong_base, fv);
    FAIL("no mismatch");
  } catch (const fake::metadata_mismatch_error& e) {
    CHECK(e.field() == "base.sizes");
    CHECK_THAT(std::string(e.what()), Catch::Contains("base.sizes differs: description [4, 5] vs fake [4, 6]"));
  }
  fake::tensor_description not_view = v;
  not_view.is_view = false;
  not_view.base = nullptr;
  CHECK_THROWS_AS(fake::assert_metadata_eq(not_view, fv), fake::metadata_mismatch_error);

  // a view with a real dtype of a complex base goes through view_as_real
  std::vector<float> cbuf(16);
  dl_tensor cbase_dl(cbuf.data(), {2, 4}, {}, 0, {kDLComplex, 64, 1});
  const auto cbase = std::make_shared<const fake::tensor_description>(d.describe(cbase_dl.t));
  int real_object = 0;
  fake::tensor_description rv;
  rv.id = d.tensor_id(fake::describer::source::other, &real_object);
  rv.sizes = {2, 4};
  rv.strides = {8, 2};
  rv.storage_offset = 1;  // .imag
  rv.dtype = fake::dtype::float32;
  rv.is_view = true;
  rv.storage = cbase->storage;
  rv.base = cbase;
  const fake::tensor_desc frv = c(rv);
  CHECK(frv.dtype() == fake::dtype::float32);
  CHECK(frv.base().id() == c(*cbase).id());
  CHECK(frv.base().dtype() == fake::dtype::complex64);
  REQUIRE(frv.view_chain().size() == 2);
  CHECK(frv.view_chain()[0].op == fake::view_op::view_as_real);
  CHECK_NOTHROW(fake::assert_metadata_eq(rv, frv));

  // a view of another dtype of the same size (x.view(torch.int32))
  int int_object = 0;
  fake::tensor_description iv = v;
  iv.id = d.tensor_id(fake::describer::source::other, &int_object);
  iv.dtype = fake::dtype::int32;
  const fake::tensor_desc fiv = c(iv);
  CHECK(fiv.dtype() == fake::dtype::int32);
  CHECK(fiv.base().id() == fb->id());
  CHECK_NOTHROW(fake::assert_metadata_eq(iv, fiv));

  // a dtype view that changes the itemsize has no op to rebuild it yet
  int half_object = 0;
  fake::tensor_description hv = v;
  hv.id = d.tensor_id(fake::describer::source::other, &half_object);
  hv.dtype = fake::dtype::int16;
  CHECK_THROWS_WITH(c(hv), Catch::Contains("changes the itemsize"));

  // malformed view descriptions are value errors
  fake::tensor_description orphan = v;
  orphan.id = d.tensor_id(fake::describer::source::other, &orphan);
  orphan.base = nullptr;
  CHECK_THROWS_AS(c(orphan), fake::value_error);
}

TEST_CASE("converter: a memoized tensor whose real tensor changed is an error", "[converter]") {
  std::vector<float> buf(12);
  dl_tensor t(buf.data(), {3, 4});
  fake::describer d;
  fake::converter c;
  const auto desc = d.describe(t.t);
  (void)c(desc);
  // as after an in-place t_() on an ATen tensor: same object, other strides
  fake::tensor_description changed = desc;
  changed.sizes = {4, 3};
  changed.strides = {1, 4};
  try {
    (void)c(changed);
    FAIL("no error");
  } catch (const fake::metadata_mismatch_error& e) {
    CHECK(e.field() == "sizes");
    CHECK_THAT(std::string(e.what()), Catch::Contains("changed in place"));
  }
}

TEST_CASE("converter: what PyTorch cannot make fake is an unsupported_fake_tensor_error", "[converter]") {
  std::vector<float> buf(24);
  dl_tensor t(buf.data(), {4, 3}, {3, 1}, 12 * sizeof(float));
  fake::describer d;
  fake::converter c;
  const auto desc = d.describe(t.t);
  const auto refused = [&](auto change) {
    fake::tensor_description p = desc;
    change(p);
    return message_of<fake::unsupported_fake_tensor_error>([&] { (void)c(p); });
  };
  CHECK_THAT(refused([](auto& p) { p.dtype = fake::dtype::qint8; }),
             Catch::Contains("convert: quantized tensors are not supported by fake tensors") && Catch::Contains("qint8"));
  CHECK_THAT(refused([](auto& p) { p.layout = fake::layout::sparse_csr; }),
             Catch::StartsWith("convert: the sparse_csr layout is not supported by fake tensors"));
  CHECK_THAT(refused([](auto& p) { p.layout = fake::layout::mkldnn; }), Catch::Contains("mkldnn layout"));
  // a refused description leaves nothing memoized: the tensor itself still converts
  CHECK_NOTHROW(fake::assert_metadata_eq(desc, c(desc)));
}
