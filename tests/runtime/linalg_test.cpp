// Matrix products (ops/linalg.hpp) on tensor_desc and by name: every matmul
// rank combination and path, linear's three paths, the primitive products'
// checks and messages, out= and in-place variants, and the linalg cases of
// the xref corpus.
#include <catch2/catch.hpp>

#include <string>

#include "faketensor/ops/linalg.hpp"
#include "reduction_xref_support.hpp"

using fake::testing::message_of;

using fake::dim_vector;
using fake::dtype;
using fake::tensor_desc;

namespace {

tensor_desc strided(dim_vector sizes, dim_vector strides_, dtype dt = dtype::float32, fake::device dev = fake::device{}) {
  return fake::empty_strided(std::move(sizes), std::move(strides_), dt, dev);
}
tensor_desc dense(dim_vector sizes, dtype dt = dtype::float32, fake::device dev = fake::device{}) {
  return fake::empty(std::move(sizes), dt, dev);
}

}  // namespace

TEST_CASE("linalg: every xref case of the family's products", "[linalg]") {
  const int n = fake::testing::run_xref_cases("aten::(mm|bmm|addmm|baddbmm|addbmm|dot|mv|matmul|linear|outer)");
  CHECK(n >= 25);  // the corpus holds 25 of them
}

TEST_CASE("linalg: mm checks ranks, inner sizes, dtypes and devices", "[linalg]") {
  const tensor_desc r = fake::mm(strided({5, 5}, {1, 5}), dense({5, 2}));
  CHECK(r.sizes() == dim_vector{5, 2});
  CHECK(r.strides() == dim_vector{2, 1});
  CHECK(message_of<fake::shape_error>([] { fake::mm(dense({2, 3}), dense({4, 5})); }) ==
        "mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  CHECK(message_of<fake::shape_error>([] { fake::mm(dense({2, 2, 4}), dense({4, 2})); }) == "mm: self must be a matrix");
  CHECK(message_of<fake::shape_error>([] { fake::mm(dense({2, 3}), dense({3})); }) == "mm: mat2 must be a matrix");
  CHECK(message_of<fake::dtype_error>([] { fake::mm(dense({2, 3}), dense({3, 4}, dtype::float64)); }) ==
        "mm: expected scalar type Float but found Double");
  CHECK_THROWS_AS(fake::mm(dense({2, 3}, dtype::float32, fake::device(fake::device_type::cuda, 0)), dense({3, 4})), fake::device_error);
  CHECK(fake::mm(dense({2, 0}), dense({0, 4})).sizes() == dim_vector{2, 4});
}

TEST_CASE("linalg: bmm, baddbmm and addbmm", "[linalg]") {
  CHECK(fake::bmm(dense({2, 2, 3}), dense({2, 3, 4})).strides() == dim_vector{8, 4, 1});
  CHECK(message_of<fake::shape_error>([] { fake::bmm(dense({1, 5, 4}), dense({2, 4, 3})); }) ==
        "bmm: Expected size for first two dimensions of batch2 tensor to be: [1, 4] but got: [2, 4].");
  CHECK_THROWS_WITH(fake::bmm(dense({2, 3}), dense({2, 3, 4})), Catch::Contains("batch1 must be a 3D tensor"));
  // baddbmm: self expands to the product; its dtype may differ (1.13), the batches' may not.
  CHECK(fake::baddbmm(dense({4}, dtype::float64), dense({2, 2, 3}), dense({2, 3, 4})).dtype() == dtype::float32);
  CHECK_THROWS_WITH(fake::baddbmm(dense({3}), dense({2, 2, 3}), dense({2, 3, 4})),
                    Catch::Contains("The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 2"));
  CHECK_THROWS_AS(fake::baddbmm(dense({4}), dense({2, 2, 3}, dtype::float64), dense({2, 3, 4})), fake::dtype_error);
  // addbmm sums over the batch: [n, p] in self's dtype.
  CHECK(fake::addbmm(dense({4}), dense({2, 2, 3}), dense({2, 3, 4})).sizes() == dim_vector{2, 4});
  CHECK_THROWS_WITH(fake::addbmm(dense({4}), dense({2, 2, 3}), dense({3, 3, 4})),
                    Catch::Contains("batch1 and batch2 must have same number of batches, got 2 and 3"));
  CHECK_THROWS_WITH(fake::addbmm(dense({4}), dense({2, 2, 3}), dense({2, 4, 4})),
                    Catch::Contains("Incompatible matrix sizes for bmm (2x3 and 4x4)"));
  CHECK(fake::addbmm(dense({4}, dtype::float64), dense({0, 2, 3}), dense({0, 3, 4})).dtype() == dtype::float64);
}

TEST_CASE("linalg: addmm's dtype checks, then self's broadcast", "[linalg]") {
  CHECK(fake::addmm(dense({}), dense({2, 3}), dense({3, 4})).sizes() == dim_vector{2, 4});
  CHECK(fake::addmm(strided({4, 2}, {1, 4}), dense({4, 3}), dense({3, 2})).strides() == dim_vector{2, 1});
  CHECK(message_of<fake::dtype_error>([] { fake::addmm(dense({4}), dense({2, 3}), dense({3, 4}, dtype::float64)); }) ==
        "addmm: self and mat2 must have the same dtype");
  CHECK(message_of<fake::dtype_error>([] { fake::addmm(dense({4}), dense({2, 3}, dtype::float64), dense({3, 4})); }) ==
        "addmm: mat1 and mat2 must have the same dtype");
  CHECK_THROWS_WITH(fake::addmm(dense({4}), dense({3}), dense({3, 4})), Catch::Contains("mat1 must be a matrix, got 1-D tensor"));
  CHECK_THROWS_WITH(fake::addmm(dense({3, 4}), dense({2, 3}), dense({3, 4})),
                    Catch::Contains("The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0"));
  CHECK_THROWS_WITH(fake::addmm(dense({1, 2, 4}), dense({2, 3}), dense({3, 4})),
                    Catch::Contains("the number of sizes provided (2) must be greater or equal to the number of dimensions in the tensor (3)"));
  // addmm_: self must be the product's shape.
  const tensor_desc self = dense({2, 4});
  CHECK(fake::addmm_(self, dense({2, 3}), dense({3, 4})).id() == self.id());
  CHECK_THROWS_WITH(fake::addmm_(dense({4}), dense({2, 3}), dense({3, 4})),
                    Catch::Contains("Bad in-place call: input tensor size [4] and output tensor size [2, 4] should match"));
  // addmm.out keeps out's strides when its shape is right, restrides it otherwise.
  const tensor_desc out = strided({2, 4}, {1, 2});
  CHECK(fake::addmm_out(dense({4}), dense({2, 3}), dense({3, 4}), out).strides() == dim_vector{1, 2});
  CHECK(fake::mm_out(dense({2, 3}), dense({3, 4}), dense({4, 2})).strides() == dim_vector{4, 1});
  CHECK_THROWS_WITH(fake::mm_out(dense({2, 3}), dense({3, 4}), dense({2, 4}, dtype::float64)),
                    Catch::Contains("Expected out tensor to have dtype float, but got double instead"));
}

TEST_CASE("linalg: dot, mv and outer", "[linalg]") {
  CHECK(fake::dot(dense({3}), strided({3}, {0})).sizes().empty());
  CHECK(message_of<fake::shape_error>([] { fake::dot(dense({3, 1}), dense({3})); }) ==
        "dot: 1D tensors expected, but got 2D and 1D tensors");
  CHECK_THROWS_WITH(fake::dot(dense({3}), dense({4})), Catch::Contains("inconsistent tensor size, expected tensor [3] and src [4]"));
  CHECK_THROWS_WITH(fake::dot(dense({3}), dense({3}, dtype::float64)),
                    Catch::Contains("dot : expected both vectors to have same dtype, but found Float and Double"));
  CHECK(fake::mv(dense({4, 1}), dense({1})).sizes() == dim_vector{4});
  CHECK(message_of<fake::shape_error>([] { fake::mv(dense({2, 3}), dense({4})); }) == "mv: size mismatch, got 2, 2x3,4");
  CHECK_THROWS_WITH(fake::mv(dense({3}), dense({3})), Catch::Contains("vector + matrix @ vector expected, got 1, 1, 1"));
  const tensor_desc o = fake::outer(dense({4}, dtype::bool_), dense({3}, dtype::int8));
  CHECK(o.sizes() == dim_vector{4, 3});
  CHECK(o.strides() == dim_vector{3, 1});
  CHECK(o.dtype() == dtype::int8);
  CHECK_THROWS_WITH(fake::outer(dense({2, 1}), dense({3})), Catch::Contains("outer: Expected 1-D argument self, but got 2-D"));
}

TEST_CASE("linalg: matmul follows at::native::matmul's paths", "[linalg]") {
  using fake::matmul;
  CHECK(matmul(dense({3}), dense({3})).sizes().empty());                                // dot
  CHECK(matmul(dense({2, 3}), dense({3})).sizes() == dim_vector{2});                   // mv
  CHECK(matmul(dense({3}), dense({3, 4})).sizes() == dim_vector{4});                   // mm of [1, 3]
  CHECK(matmul(dense({2, 3}), dense({3, 4})).strides() == dim_vector{4, 1});           // mm
  CHECK(matmul(dense({2, 3, 4, 5}), dense({5})).strides() == dim_vector{12, 4, 1});    // folded mv
  CHECK(matmul(dense({4}), dense({2, 3, 4, 5})).strides() == dim_vector{15, 5, 1});    // folded mv, transposed
  CHECK(matmul(dense({2, 3}), dense({4, 3, 5})).sizes() == dim_vector{4, 2, 5});       // folded mm, transposed
  CHECK(matmul(dense({2, 2, 3, 5}), strided({2, 5, 4}, {0, 4, 1})).strides() == dim_vector{24, 12, 4, 1});  // bmm
  CHECK(matmul(strided({4, 1, 4, 2}, {1, 8, 8, 4}), dense({3, 2, 4})).sizes() == dim_vector{4, 3, 4, 4});
  CHECK(matmul(dense({3, 5, 0}), dense({0, 0})).strides() == dim_vector{5, 1, 1});
  // Which path runs decides the message.
  CHECK(message_of<fake::shape_error>([] { matmul(dense({2, 2, 3}), dense({4, 4})); }) ==
        "mm: mat1 and mat2 shapes cannot be multiplied (4x3 and 4x4)");
  CHECK(message_of<fake::shape_error>([] { matmul(dense({3}), dense({2, 4, 5})); }) == "mv: size mismatch, got 10, 10x4,3");
  CHECK(message_of<fake::shape_error>([] { matmul(dense({2, 3}), dense({2, 4, 5})); }) ==
        "mm: mat1 and mat2 shapes cannot be multiplied (10x4 and 3x2)");
  // A transposed 3-D first operand is not folded (1.13's should_fold): bmm's message.
  CHECK(message_of<fake::shape_error>([] { matmul(strided({2, 2, 3}, {6, 1, 2}), dense({4, 5})); }) ==
        "bmm: Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].");
  CHECK_THROWS_WITH(matmul(dense({2, 2, 3}), dense({3, 3, 5})),
                    Catch::Contains("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"));
  CHECK(message_of<fake::shape_error>([] { matmul(dense({}), dense({3})); }) ==
        "matmul: both arguments to matmul need to be at least 1D, but they are 0D and 1D");
  CHECK_THROWS_AS(matmul(strided({2, 3, 2}, {0, 2, 1}, dtype::float32, fake::device(fake::device_type::cuda, 0)), strided({2, 4}, {0, 1})),
                  fake::device_error);
}

TEST_CASE("linalg: linear's three paths", "[linalg]") {
  using fake::linear;
  CHECK(linear(dense({2, 3}), dense({4, 3})).sizes() == dim_vector{2, 4});
  CHECK(linear(dense({3}), dense({4, 3}), dense({4})).sizes() == dim_vector{4});
  CHECK(linear(dense({2, 3}), dense({3})).sizes() == dim_vector{2});
  CHECK(linear(strided({2, 5, 3}, {3, 6, 1}), dense({4, 3}), dense({4})).strides() ==
        dim_vector{20, 4, 1});
  CHECK_THROWS_WITH(linear(dense({2, 3}), dense({2, 4, 3})), Catch::Contains("t() expects a tensor with <= 2 dimensions, but self is 3D"));
  // 2-D input with a bias: addmm, whose self must expand to the product.
  CHECK_THROWS_WITH(linear(dense({2, 3}), dense({4, 3}), dense({3})),
                    Catch::Contains("The expanded size of the tensor (4) must match the existing size (3)"));
  CHECK(message_of<fake::dtype_error>([] { linear(dense({2, 3}), dense({4, 3}), dense({4}, dtype::float64)); }) ==
        "addmm: self and mat2 must have the same dtype");
  // contiguous 3-D input with a bias: addmm on the flattened input.
  CHECK_THROWS_WITH(linear(dense({5, 2, 3}), dense({4, 3}), dense({2, 4})),
                    Catch::Contains("Target sizes: [10, 4].  Tensor sizes: [2, 4]"));
  // otherwise matmul then add_: the bias may be wider in dtype (it is cast) but must broadcast.
  const tensor_desc perm = strided({2, 5, 3}, {3, 6, 1});
  CHECK(linear(perm, dense({4, 3}), dense({4}, dtype::float64)).dtype() == dtype::float32);
  CHECK_THROWS_WITH(linear(perm, dense({4, 3}), dense({3, 4})),
                    Catch::Contains("The size of tensor a (5) must match the size of tensor b (3)"));
  CHECK_THROWS_WITH(linear(perm, dense({4, 3}), dense({7, 2, 5, 4})),
                    Catch::Contains("output with shape [2, 5, 4] doesn't match the broadcast shape [7, 2, 5, 4]"));
}

TEST_CASE("linalg: by name through the registry", "[linalg]") {
  const fake::op_registry& r = fake::testing::reduction_linalg_registry();
  const fake::op_overload& addmm = r.get("aten::addmm");
  auto out = addmm(addmm.bind({dense({4}), dense({2, 3}), dense({3, 4})}, {{"beta", std::int64_t{2}}, {"alpha", 0.5}}));
  CHECK(out[0].to_tensor().sizes() == dim_vector{2, 4});
  const fake::op_overload& lin = r.get("aten::linear");
  CHECK(lin({dense({8, 16}), dense({32, 16})})[0].to_tensor().sizes() == dim_vector{8, 32});
  const fake::op_overload& mo = r.get("aten::mm.out");
  const tensor_desc o = dense({1});
  auto res = mo(mo.bind({dense({2, 3}), dense({3, 4})}, {{"out", o}}));
  CHECK(res[0].to_tensor().shares_storage_with(o));
  CHECK(res[0].to_tensor().sizes() == dim_vector{2, 4});
  CHECK(r.get("aten::mm").has_tag(fake::op_tag::core));
}
