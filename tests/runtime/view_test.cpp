// tensor_desc, storage aliasing, view chains, replay, view_from_base, and the
// agreement of typed (static and mixed) and erased views.
#include <catch2/catch.hpp>

#include "faketensor/meta/tensor.hpp"
#include "faketensor/view/typed_ops.hpp"
#include "faketensor/view/ops.hpp"

using fake::dim_vector;
using fake::tensor_desc;

TEST_CASE("views share storage, are marked views and know their root base", "[view]") {
  const tensor_desc x = fake::empty({2, 3, 4}, fake::dtype::float16, fake::device(fake::cuda<1>));
  CHECK_FALSE(x.is_view());
  CHECK(x.storage().nbytes() == 2 * 3 * 4 * 2);
  const tensor_desc y = fake::transpose(x, 0, 2);
  const tensor_desc z = fake::select(y, 1, -1);
  for (const tensor_desc* v : {&y, &z}) {
    CHECK(v->is_view());
    CHECK(v->shares_storage_with(x));
    CHECK(v->base().id() == x.id());  // the root base, not the intermediate view
    CHECK(v->device() == x.device());
    CHECK(v->dtype() == x.dtype());
  }
  CHECK(z.view_chain().size() == 2);
  CHECK(z.view_chain()[0].op == fake::view_op::transpose);
  CHECK(z.view_chain()[1].op == fake::view_op::select);
  CHECK(z.id() != y.id());
  const tensor_desc copy = z;
  CHECK(copy.id() == z.id());  // a copy is the same tensor
  const tensor_desc other = fake::empty({2, 3, 4});
  CHECK_FALSE(other.shares_storage_with(x));
  CHECK(other.storage().id() != x.storage().id());
}

TEST_CASE("replay rebuilds a view chain on a base of another size", "[view][replay]") {
  const tensor_desc x = fake::empty({4, 6});
  const tensor_desc v = fake::unsqueeze(fake::slice(fake::transpose(fake::view(x, {-1, 2}), 0, 1), 1, 1, {}, 2), 0);
  CHECK(v.sizes() == dim_vector{1, 2, 6});
  const tensor_desc bigger = fake::empty({8, 6});
  const tensor_desc r = fake::replay(v, bigger);
  // the same ops by hand on the bigger base
  const tensor_desc expected =
      fake::unsqueeze(fake::slice(fake::transpose(fake::view(bigger, {-1, 2}), 0, 1), 1, 1, {}, 2), 0);
  CHECK(expected.sizes() == dim_vector{1, 2, 12});  // view(-1, 2) inferred again
  CHECK(r.sizes() == expected.sizes());
  CHECK(r.strides() == expected.strides());
  CHECK(r.storage_offset() == expected.storage_offset());
  CHECK(r.shares_storage_with(bigger));
  CHECK(r.base().id() == bigger.id());
  // a dense view is always rebuilt from its base by as_strided
  const tensor_desc again = fake::view_from_base(x, v);
  CHECK(again.sizes() == v.sizes());
  CHECK(again.strides() == v.strides());
  CHECK(again.storage_offset() == v.storage_offset());
}

TEST_CASE("as_strided that reaches past the storage is an error", "[view][storage]") {
  const tensor_desc x = fake::empty({2, 3});
  CHECK_NOTHROW(fake::as_strided(x, {3, 2}, {1, 3}));
  CHECK_THROWS_WITH(fake::as_strided(x, {4, 2}, {2, 1}, 1),
                    "as_strided: sizes [4, 2], strides [2, 1], storage offset 1, and itemsize 4 requiring a storage size of "
                    "36 are out of bounds for storage of size 24");
  CHECK_THROWS_AS(fake::as_strided(x, {2}, {-1}), fake::shape_error);
  // a view of a view still measures against the shared storage
  const tensor_desc s = fake::narrow(x, 1, 1, 2);
  CHECK_NOTHROW(fake::as_strided(s, {6}, {1}, 0));
}

TEST_CASE("reshape says whether it viewed or copied", "[view][reshape]") {
  const tensor_desc x = fake::empty({2, 3, 4});
  bool copied = true;
  const tensor_desc r1 = fake::reshape(x, {6, 4}, &copied);
  CHECK_FALSE(copied);
  CHECK(r1.is_view());
  CHECK(r1.shares_storage_with(x));
  const tensor_desc r2 = fake::reshape(fake::transpose(x, 0, 2), {-1}, &copied);
  CHECK(copied);
  CHECK_FALSE(r2.is_view());
  CHECK_FALSE(r2.shares_storage_with(x));
  CHECK(r2.is_contiguous());
  CHECK_THROWS_WITH(fake::reshape(x, {5, -1}), "view: shape '[5, -1]' is invalid for input of size 24");
  CHECK_THROWS_WITH(fake::view(fake::transpose(x, 0, 2), {24}), Catch::Contains("view size is not compatible"));
}

TEST_CASE("multi-output views", "[view][split]") {
  const tensor_desc x = fake::empty({5, 4});
  const auto parts = fake::split(x, 2);
  REQUIRE(parts.size() == 3);
  CHECK(parts[2].sizes() == dim_vector{1, 4});
  CHECK(parts[2].storage_offset() == 16);
  const auto chunks = fake::chunk(fake::empty({0}), 3);
  CHECK(chunks.size() == 3);
  const auto rows = fake::unbind(x, 1);
  REQUIRE(rows.size() == 4);
  CHECK(rows[3].storage_offset() == 3);
  CHECK(fake::tensor_split(x, 3, 0)[0].sizes() == dim_vector{2, 4});
  CHECK(fake::tensor_split(x, dim_vector{1, 3}, 1)[2].sizes() == dim_vector{5, 1});
  CHECK_THROWS_WITH(fake::split_with_sizes(x, {2, 2}),
                    Catch::Contains("split_with_sizes expects split_sizes to sum exactly to 5"));
}

TEST_CASE("complex views reinterpret the dtype", "[view][complex]") {
  const tensor_desc z = fake::as_strided(fake::empty({20}, fake::dtype::complex64), {3, 2}, {2, 1}, 9);
  const tensor_desc r = fake::view_as_real(z);
  CHECK(r.dtype() == fake::dtype::float32);
  CHECK(r.sizes() == dim_vector{3, 2, 2});
  CHECK(r.strides() == dim_vector{4, 2, 1});
  CHECK(r.storage_offset() == 18);
  CHECK(fake::imag(z).storage_offset() == 19);
  CHECK(fake::view_as_complex(r).sizes() == z.sizes());
  CHECK_THROWS_WITH(fake::imag(fake::empty({2})), "imag: imag is not implemented for tensors with non-complex dtypes.");
  CHECK(fake::real(fake::empty({2})).id() != 0);
}

TEST_CASE("detach shares storage but is not a view", "[view]") {
  const tensor_desc x = fake::empty({3}).requires_grad(true);
  const tensor_desc d = fake::detach(x);
  CHECK(d.shares_storage_with(x));
  CHECK_FALSE(d.is_view());
  CHECK_FALSE(d.requires_grad());
}

TEST_CASE("typed views agree with erased views for static, mixed and runtime dims", "[view][typed]") {
  using fake::c;
  using fake::dyn;
  constexpr fake::tensor<fake::f32, fake::shape<2, 3, 4>> s;
  const fake::tensor<fake::f32, fake::shape<dyn, 3, dyn>> m{fake::shape<dyn, 3, dyn>{2, 4}};
  const tensor_desc e = fake::empty({2, 3, 4});
  auto same_geometry = [](const auto& typed, const tensor_desc& erased) {
    CHECK(dim_vector(typed.sizes()) == erased.sizes());
    CHECK(dim_vector(typed.strides()) == erased.strides());
    CHECK(fake::to_int64(typed.storage_offset()) == erased.storage_offset());
  };
  same_geometry(fake::transpose(s, c<0>{}, c<2>{}), fake::transpose(e, 0, 2));
  same_geometry(fake::transpose(m, 0, -1), fake::transpose(e, 0, -1));
  same_geometry(fake::select(s, c<1>{}, c<-2>{}), fake::select(e, 1, -2));
  same_geometry(fake::select(m, 2, 3), fake::select(e, 2, 3));
  same_geometry(fake::unsqueeze(s, c<3>{}), fake::unsqueeze(e, 3));
  same_geometry(fake::unsqueeze(m, -1), fake::unsqueeze(e, -1));
  CHECK_THROWS_AS(fake::select(m, 0, 2), fake::index_error);  // dynamic: checked at run time
}

TEST_CASE("typed and erased tensors convert both ways, checked", "[tensor]") {
  using fake::dyn;
  using mixed = fake::tensor<fake::bf16, fake::shape<dyn, 768>, fake::cuda<0>>;
  const mixed m{fake::shape<dyn, 768>{16}};
  const tensor_desc d = m.to_desc();
  CHECK(d.sizes() == dim_vector{16, 768});
  CHECK(d.device() == fake::device(fake::cuda<0>));
  CHECK(d.storage().nbytes() == 16 * 768 * 2);
  CHECK(fake::from_desc<mixed>(d).sizes()[0] == 16);
  using wrong_size = fake::tensor<fake::bf16, fake::shape<dyn, 512>, fake::cuda<0>>;
  using wrong_dtype = fake::tensor<fake::f32, fake::shape<dyn, 768>, fake::cuda<0>>;
  using wrong_device = fake::tensor<fake::bf16, fake::shape<dyn, 768>>;
  CHECK_THROWS_AS(fake::from_desc<wrong_size>(d), fake::shape_error);
  CHECK_THROWS_AS(fake::from_desc<wrong_dtype>(d), fake::dtype_error);
  CHECK_THROWS_AS(fake::from_desc<wrong_device>(d), fake::device_error);
  CHECK_THROWS_AS(fake::from_desc<mixed>(fake::transpose(fake::empty({768, 16}, fake::dtype::bfloat16,
                                                                     fake::device(fake::cuda<0>)), 0, 1)),
                  fake::shape_error);  // not contiguous
}

TEST_CASE("tensor_desc rejects bad geometry", "[tensor]") {
  const fake::storage st(16, fake::device{});
  CHECK_THROWS_AS(tensor_desc({2, 3}, {3, 1}, 0, fake::dtype::float32, st), fake::shape_error);  // 24 bytes > 16
  CHECK_THROWS_AS(tensor_desc({-1}, {1}, 0, fake::dtype::float32, st), fake::shape_error);
  CHECK_THROWS_AS(tensor_desc({2}, {1, 1}, 0, fake::dtype::float32, st), fake::shape_error);
  CHECK_THROWS_AS(fake::empty({2, -3}), fake::shape_error);
  CHECK_THROWS_AS(fake::empty_strided({2, 3}, {1}), fake::shape_error);
  CHECK(fake::empty_strided({2, 3}, {1, 2}).storage().nbytes() == 24);
  CHECK_THROWS_AS(fake::empty({2}).size(1), fake::index_error);
}

TEST_CASE("typed views of mixed tensors run the runtime kernels and agree with tensor_desc", "[view][typed]") {
  using fake::c;
  using fake::dyn;
  using fake::strides;
  const fake::tensor<fake::f32, fake::shape<dyn, 3, 4>> m{fake::shape<dyn, 3, 4>{5}};
  const tensor_desc e = fake::empty({5, 3, 4});
  auto same_geometry = [](const auto& typed, const tensor_desc& erased) {
    CHECK(dim_vector(typed.sizes()) == erased.sizes());
    CHECK(dim_vector(typed.strides()) == erased.strides());
    CHECK(fake::to_int64(typed.storage_offset()) == erased.storage_offset());
  };
  same_geometry(fake::view(m, strides<-1, 4>{}), fake::view(e, {-1, 4}));
  same_geometry(fake::slice(m, 0, 1, 4, 2), fake::slice(e, 0, 1, 4, 2));
  same_geometry(fake::narrow(m, c<2>{}, 1, 2), fake::narrow(e, 2, 1, 2));
  same_geometry(fake::permute(m, strides<2, 0, 1>{}), fake::permute(e, {2, 0, 1}));
  same_geometry(fake::expand(m, strides<2, -1, 3, 4>{}), fake::expand(e, {2, -1, 3, 4}));
  same_geometry(fake::diagonal(m, 0, 1, 2), fake::diagonal(e, 0, 1, 2));
  same_geometry(fake::unfold(m, 0, 2, 2), fake::unfold(e, 0, 2, 2));
  same_geometry(fake::squeeze(fake::tensor<fake::f32, fake::shape<dyn, 1>>{fake::shape<dyn, 1>{7}}, c<1>{}),
                fake::squeeze(fake::empty({7, 1}), 1));
  // runtime failures are the erased path's errors
  CHECK_THROWS_WITH(fake::view(m, strides<7, -1>{}), "view: shape '[7, -1]' is invalid for input of size 60");
  CHECK_THROWS_AS(fake::expand(m, strides<5, 2, 4>{}), fake::shape_error);
}

TEST_CASE("typed reshape and flatten of mixed tensors view when they can and copy when they must", "[view][typed]") {
  using fake::dyn;
  using fake::strides;
  const fake::tensor<fake::f32, fake::shape<dyn, 3>> m{fake::shape<dyn, 3>{4}};
  const auto v = fake::reshape(m, strides<-1>{});
  CHECK(dim_vector(v.strides()) == dim_vector{1});
  const auto copy = fake::reshape(fake::transpose(m, 0, 1), strides<-1>{});  // not viewable
  CHECK(dim_vector(copy.sizes()) == dim_vector{12});
  CHECK(copy.is_contiguous());
  const auto f = fake::flatten(fake::tensor<fake::f32, fake::shape<dyn, 3, 4>>{fake::shape<dyn, 3, 4>{2}}, fake::c<1>{});
  CHECK(dim_vector(f.sizes()) == dim_vector{2, 12});
  CHECK_THROWS_AS(fake::reshape(m, strides<5, -1>{}), fake::shape_error);
}
