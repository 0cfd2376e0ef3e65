// faketensor/trace/print.hpp — a graph as readable code (FX's print_readable)
// and as Graphviz DOT.
//
//   std::cout << fake::to_code(g);
//   def forward(self, arg0_1: "f32[8, 1024, 768]"):
//       t = torch.ops.aten.t.default(h_0_attn_c_attn_weight)  # f32[768, 2304] cuda:0
//       ...
//       return (add_1,)
//
// One line per node; the comment after it is the value's metadata: dtype
// (FX's abbreviations), shape, and device; strides too when they are not the
// contiguous ones.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include "faketensor/shape/strides.hpp"  // fake::contiguous_strides
#include "faketensor/trace/graph.hpp"    // fake::graph

namespace fake {

// FX's dtype_abbrs: "f32", "bf16", "i64", "b8", ...
constexpr std::string_view dtype_abbr(dtype d) {
  switch (d) {
    case dtype::float32: return "f32";
    case dtype::float64: return "f64";
    case dtype::float16: return "f16";
    case dtype::bfloat16: return "bf16";
    case dtype::int64: return "i64";
    case dtype::int32: return "i32";
    case dtype::int16: return "i16";
    case dtype::int8: return "i8";
    case dtype::uint8: return "u8";
    case dtype::bool_: return "b8";
    case dtype::complex64: return "c64";
    case dtype::complex128: return "c128";
    case dtype::complex32: return "c32";
    case dtype::float8_e5m2: return "f8e5m2";
    case dtype::float8_e4m3fn: return "f8e4m3fn";
    default: return name(d);
  }
}

// "f32[8, 1024, 768]", with "{strides}" when not contiguous; a symbolic
// tensor's sizes and strides as expressions ("f32[s0, s1, 768]"), as FX
// prints a symbolic trace.
inline std::string tensor_signature(const tensor_desc& t) {
  std::string s(dtype_abbr(t.dtype()));
  s += t.is_symbolic() ? t.symbolic_geometry()->sizes_string() : to_string(t.sizes());
  if (t.dim() > 0 && t.strides() != dim_vector(contiguous_strides(t.sizes()))) {
    std::string st = t.is_symbolic() ? t.symbolic_geometry()->strides_string() : to_string(t.strides());  // "[a, b]" -> "{a, b}"
    st.front() = '{';
    st.back() = '}';
    s += st;
  }
  return s;
}

namespace detail {
inline std::string value_comment(const node_value& v) {
  switch (v.type) {
    case node_value::kind::none: return "";
    case node_value::kind::scalar: return to_string(v.scalar);
    case node_value::kind::symint: return "Sym(" + std::get<std::string>(v.scalar.value()) + ")";
    case node_value::kind::tensor: return tensor_signature(v.tensors.front()) + " " + to_string(v.tensors.front().device());
    case node_value::kind::tensors: {
      std::string s = "(";
      for (std::size_t i = 0; i < v.tensors.size(); ++i) s += (i ? ", " : "") + tensor_signature(v.tensors[i]);
      s += ")";
      if (!v.tensors.empty()) s += " " + to_string(v.tensors.front().device());
      return s;
    }
  }
  return "";
}

// The Python operator of a SymInt arithmetic op (dispatch/builtin_sym.hpp): "+" for _operator::add; "" for others.
inline std::string_view python_operator(const op_overload& op) {
  if (op.ns() != "_operator") return "";
  const std::string_view b = op.base_name();
  if (b == "add") return "+";
  if (b == "sub") return "-";
  if (b == "mul") return "*";
  if (b == "floordiv") return "//";
  if (b == "mod") return "%";
  return "";
}

inline std::string arg_code(const graph& g, const node_arg& a) {
  switch (a.type()) {
    case node_arg::kind::node: return g[a.node()].name;
    case node_arg::kind::constant: return to_string(a.constant());
    case node_arg::kind::list: {
      std::string s = "[";
      for (std::size_t i = 0; i < a.items().size(); ++i) s += (i ? ", " : "") + arg_code(g, a.items()[i]);
      return s + "]";
    }
  }
  return "";
}
}  // namespace detail

// The graph as Python code, as FX's print_readable prints a make_fx graph.
inline std::string to_code(const graph& g, std::string_view function_name = "forward") {
  std::string out = "def ";
  out += function_name;
  out += "(self";
  for (const node& n : g.nodes())
    if (!n.erased && n.op == node_op::placeholder)
      out += ", " + n.name + (n.val.type == node_value::kind::tensor ? ": \"" + tensor_signature(n.val.tensor()) + "\"" : "");
  out += "):\n";
  for (const node& n : g.nodes()) {
    if (n.erased || n.op == node_op::placeholder) continue;
    std::string line = "    ";
    switch (n.op) {
      case node_op::get_attr: line += n.name + " = self." + n.attr; break;
      case node_op::call_function:
        if (n.is_getitem()) {
          line += n.name + " = " + detail::arg_code(g, n.args[0]) + "[" + detail::arg_code(g, n.args[1]) + "]";
        } else if (const std::string_view op = n.target != nullptr ? detail::python_operator(*n.target) : std::string_view();
                   !op.empty()) {
          // SymInt arithmetic as FX prints operator.add & co: `mul = sym_size * sym_size_1`
          line += n.name + " = " + detail::arg_code(g, n.args.at(0)) + " " + std::string(op) + " " + detail::arg_code(g, n.args.at(1));
        } else if (n.target != nullptr && n.target->ns() == "_operator") {  // min, max (a HOP has no target)
          line += n.name + " = " + std::string(n.target->base_name()) + "(" + detail::arg_code(g, n.args.at(0)) + ", " +
                  detail::arg_code(g, n.args.at(1)) + ")";
        } else {
          line += n.name + " = torch.ops." + n.target_name() + "(";
          bool first = true;
          for (const node_arg& a : n.args) {
            line += (first ? "" : ", ") + detail::arg_code(g, a);
            first = false;
          }
          for (const auto& [k, a] : n.kwargs) {
            line += (first ? "" : ", ") + k + " = " + detail::arg_code(g, a);
            first = false;
          }
          line += ")";
        }
        break;
      case node_op::output: {
        const auto& items = n.args.at(0).items();
        line += "return (";
        for (std::size_t i = 0; i < items.size(); ++i) line += (i ? ", " : "") + detail::arg_code(g, items[i]);
        line += items.size() == 1 ? ",)" : ")";
        break;
      }
      case node_op::placeholder: break;
    }
    const std::string comment = detail::value_comment(n.val);
    if (!comment.empty()) line += "  # " + comment;
    out += line + "\n";
  }
  // Note [subgraphs]: a HOP's branches and bodies follow, as functions of their own.
  for (const auto& [name, sub] : g.subgraphs()) out += "\n" + to_code(*sub, name);
  return out;
}

// The graph in Graphviz DOT: a box per node labelled with its name, target
// and value, an edge per use.
inline std::string to_dot(const graph& g, std::string_view graph_name = "faketensor") {
  const auto escape = [](const std::string& s) {
    std::string e;
    for (char c : s) {
      if (c == '"' || c == '\\') e += '\\';
      e += c;
    }
    return e;
  };
  std::string out = "digraph \"" + escape(std::string(graph_name)) + "\" {\n  node [shape=record, fontname=\"monospace\"];\n";
  for (node_id i = 0; i < g.size(); ++i) {
    const node& n = g[i];
    if (n.erased) continue;
    std::string label = n.name + "|" + std::string(name(n.op));
    if (n.op == node_op::call_function || n.op == node_op::get_attr) label += " " + n.target_name();
    const std::string v = detail::value_comment(n.val);
    if (!v.empty()) label += "|" + v;
    std::string escaped;
    for (char c : escape(label)) {
      if (c == '{' || c == '}' || c == '<' || c == '>') escaped += '\\';
      escaped += c;
    }
    out += "  n" + std::to_string(i) + " [label=\"{" + escaped + "}\"];\n";
  }
  for (node_id i = 0; i < g.size(); ++i) {
    if (g[i].erased) continue;
    for (node_id u : g[i].users) out += "  n" + std::to_string(i) + " -> n" + std::to_string(u) + ";\n";
  }
  return out + "}\n";
}

}  // namespace fake
