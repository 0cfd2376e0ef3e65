// fake-estimate [MODEL] [--batch N] [--seq N] [--image N] [--dtype DT]
//               [--device DEV] [--symbolic | --dynamic-batch | --dynamic-seq]
//               [--graph code|dot|json] [--out FILE] [--plot FILE.svg]
//
// Traces an example model (examples/models) with fake tensors and prints its
// size, FLOPs and memory: nodes, parameters, total FLOPs, peak memory per
// device (parameters + inputs + activations), the ten nodes with the most
// FLOPs and the ten during which the most memory is live, and how long the
// trace took. With no arguments: GPT-2 small, batch 8, sequence 1024, bf16 on
// cuda:0. Nothing runs on a GPU: the device is fake.
//
// --symbolic traces with the batch and (for a language model) the sequence
// as symbols (the sizes given are their hints); --dynamic-batch and
// --dynamic-seq make one of them a symbol. It also prints FLOPs and bytes as
// polynomials in them, the guards the trace recorded, and for which other
// sizes the guards let the trace be reused: a model that reads a size as a
// plain number (x.size(0) as int64) specializes it, and says so.
//
// --graph writes the traced graph (readable code, Graphviz DOT or JSON) to
// --out (or standard output); --plot writes live memory over the node
// sequence as an SVG line chart. Bad arguments print one line and exit 2.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <faketensor/analysis/flops.hpp>
#include <faketensor/analysis/memory.hpp>
#include <faketensor/analysis/sym_flops.hpp>
#include <faketensor/analysis/sym_memory.hpp>
#include <faketensor/trace/json.hpp>
#include <faketensor/trace/print.hpp>

#include "models/registry.hpp"

namespace {

struct cli {
  std::string model = "gpt2";
  fake::models::run_options run{8, 1024, 224, {fake::dtype::bfloat16, fake::parse_device("cuda:0")}};
  std::string graph_format;  // "", code, dot, json
  std::string out_file;
  std::string plot_file;
  bool dynamic_batch = false;
  bool dynamic_seq = false;
};

[[noreturn]] void bad(const std::string& why) {
  std::cerr << "fake-estimate: " << why << " (fake-estimate --help)\n";
  std::exit(2);
}

std::int64_t positive(std::string_view flag, std::string_view v) {
  std::int64_t n = 0;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  if (r.ec != std::errc{} || r.ptr != v.data() + v.size()) bad(std::string(flag) + " needs an integer, got '" + std::string(v) + "'");
  if (n <= 0) bad(std::string(flag) + " must be positive, got " + std::string(v));
  return n;
}

cli parse(int argc, char** argv) {
  cli c;
  bool have_model = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) bad(std::string(a) + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << "usage: fake-estimate [MODEL] [--batch N] [--seq N] [--image N] [--dtype DT] [--device DEV]\n"
                   "                     [--symbolic | --dynamic-batch | --dynamic-seq]\n"
                   "                     [--graph code|dot|json] [--out FILE] [--plot FILE.svg]\n"
                   "MODEL: mlp, resnet50, gpt2 (default), gpt2-medium, gpt2-large, gpt2-xl, llama2-7b\n"
                   "defaults: --batch 8 --seq 1024 --image 224 --dtype bfloat16 --device cuda:0\n";
      std::exit(0);
    }
    if (a == "--batch") c.run.batch = positive(a, value());
    else if (a == "--seq") c.run.seq = positive(a, value());
    else if (a == "--image") c.run.image = positive(a, value());
    else if (a == "--dtype") {
      const std::string_view v = value();
      const auto d = fake::parse_dtype(v);
      if (!d) bad("unknown dtype '" + std::string(v) + "'");
      c.run.options.dtype = *d;
    } else if (a == "--device") {
      const std::string_view v = value();
      try {
        c.run.options.device = fake::parse_device(v);
      } catch (const fake::error& e) {
        bad("bad device '" + std::string(v) + "': " + e.what());
      }
    } else if (a == "--graph") {
      c.graph_format = value();
      if (c.graph_format != "code" && c.graph_format != "dot" && c.graph_format != "json")
        bad("--graph takes code, dot or json, not '" + c.graph_format + "'");
    } else if (a == "--out") c.out_file = value();
    else if (a == "--plot") c.plot_file = value();
    else if (a == "--dynamic-batch") c.dynamic_batch = true;
    else if (a == "--dynamic-seq") c.dynamic_seq = true;
    else if (a == "--symbolic") c.dynamic_batch = c.dynamic_seq = true;
    else if (a.starts_with("-")) bad("unknown option '" + std::string(a) + "'");
    else if (!have_model) {
      c.model = a;
      have_model = true;
    } else bad("one model only (got '" + c.model + "' and '" + std::string(a) + "')");
  }
  if (!c.out_file.empty() && c.graph_format.empty()) bad("--out needs --graph");
  return c;
}

std::string grouped(std::int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}
std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string bytes(std::int64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return fixed(v, u == 0 ? 0 : 2) + " " + units[u];
}
std::string flops(std::int64_t f) {
  const char* units[] = {"FLOP", "KFLOP", "MFLOP", "GFLOP", "TFLOP", "PFLOP"};
  double v = static_cast<double>(f);
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    ++u;
  }
  return fixed(v, 2) + " " + units[u];
}

void write_plot(const std::string& file, const fake::graph& g, const fake::memory_report& mem, const std::string& title) {
  std::int64_t fixed_bytes = 0;
  for (const auto& d : mem.devices) fixed_bytes += d.parameter_bytes + d.input_bytes;
  std::vector<std::int64_t> total(mem.live_bytes.size());
  for (std::size_t i = 0; i < total.size(); ++i) total[i] = fixed_bytes + mem.live_bytes[i];
  const std::int64_t top = std::max<std::int64_t>(1, total.empty() ? 1 : *std::max_element(total.begin(), total.end()));
  const double w = 900, h = 400, left = 80, bottom = 40, right = 20, topm = 40;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << left << "\" y=\"20\" font-size=\"14\">" << title << "</text>\n"
      << "<line x1=\"" << left << "\" y1=\"" << h - bottom << "\" x2=\"" << w - right << "\" y2=\"" << h - bottom << "\" stroke=\"black\"/>\n"
      << "<line x1=\"" << left << "\" y1=\"" << topm << "\" x2=\"" << left << "\" y2=\"" << h - bottom << "\" stroke=\"black\"/>\n"
      << "<text x=\"" << (w / 2) << "\" y=\"" << h - 8 << "\" text-anchor=\"middle\">node (" << g.size() << ")</text>\n"
      << "<text x=\"" << left - 6 << "\" y=\"" << topm + 4 << "\" text-anchor=\"end\">" << bytes(top) << "</text>\n"
      << "<text x=\"" << left - 6 << "\" y=\"" << h - bottom << "\" text-anchor=\"end\">0</text>\n"
      << "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"";
  const double n = static_cast<double>(std::max<std::size_t>(1, total.size() - 1));
  for (std::size_t i = 0; i < total.size(); ++i) {
    const double x = left + (w - left - right) * static_cast<double>(i) / n;
    const double y = (h - bottom) - (h - bottom - topm) * static_cast<double>(total[i]) / static_cast<double>(top);
    svg << fixed(x, 1) << "," << fixed(y, 1) << " ";
  }
  svg << "\"/>\n</svg>\n";
  std::ofstream out(file);
  if (!out) bad("cannot write '" + file + "'");
  out << svg.str();
}

// --symbolic (--dynamic-batch, --dynamic-seq): the counts as polynomials in
// the symbols, the guards, and for which other sizes the trace holds.
void print_symbolic(const fake::graph& g, const fake::shape_env& env, const cli& c) {
  const fake::sym_flop_report s = fake::count_flops_symbolic(g);
  struct dynamic_dim {
    std::string what;
    std::string source;
    std::int64_t hint;
  };
  std::vector<dynamic_dim> dims;
  if (c.dynamic_batch) dims.push_back({"batch", "input.size(0)", c.run.batch});
  if (c.dynamic_seq && c.model != "mlp" && c.model != "resnet50") dims.push_back({"sequence", "input.size(1)", c.run.seq});
  const std::vector<fake::shape_env::symbol_info>& symbols = env.backed_symbols();
  const auto symbol_of = [&](const dynamic_dim& d) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < symbols.size(); ++i)
      if (symbols[i].source == d.source) return i;
    return std::nullopt;  // a size of 0 or 1 is never a symbol
  };
  std::cout << "symbolic   ";
  for (const dynamic_dim& d : dims) {
    const std::optional<std::size_t> i = symbol_of(d);
    std::cout << " " << d.what << " = " << (i ? fake::to_string(fake::sym_int(symbols[*i].node)) : "(not a symbol)") << " (traced at "
              << d.hint << ");";
  }
  std::cout << "\n            FLOPs " << fake::to_string(s.total) << "\n            bytes read " << fake::to_string(s.total_bytes_read)
            << "\n            bytes written " << fake::to_string(s.total_bytes_written) << "\n";
  // peak memory as the Max of the live-byte polynomials no other one dominates
  for (const fake::sym_device_memory& d : fake::analyze_memory_symbolic(g).devices)
    std::cout << "            peak memory " << fake::to_string(d.device) << ": " << fake::to_string(d.peak_bytes()) << " bytes\n";
  std::string guards = "none";
  if (!env.guards().empty()) {  // the shape_env's listing, one line each, indented under this one
    guards = env.guards_string();
    while (!guards.empty() && guards.back() == '\n') guards.pop_back();
    for (std::size_t at = guards.find('\n'); at != std::string::npos; at = guards.find('\n', at + 1)) guards.insert(at + 1, 20, ' ');
  }
  std::cout << "            guards: " << guards << "\n";
  // each dynamic dim changed alone, the others at their hints
  std::vector<std::int64_t> hints(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) hints[i] = symbols[i].node->hint;
  for (const dynamic_dim& d : dims) {
    const std::optional<std::size_t> i = symbol_of(d);
    const std::int64_t tried[] = {2, d.hint + 1, 2 * d.hint + 3, 4096};
    std::string holds, fails;
    for (const std::int64_t v : tried) {
      std::vector<std::int64_t> values = hints;
      if (i) values[*i] = v;
      std::string& into = (i && env.check_guards(values)) || (!i && v == d.hint) ? holds : fails;
      into += (into.empty() ? "" : ", ") + std::to_string(v);
    }
    std::cout << "            " << d.what << ": " << (i ? "" : "specialized (a size of 0 or 1 is never a symbol); ")
              << "the guards hold at " << (holds.empty() ? "none" : holds) << " of (" << tried[0] << ", " << tried[1] << ", "
              << tried[2] << ", " << tried[3] << ")" << (fails.empty() || holds.empty() ? "" : ", not at " + fails) << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  cli c = parse(argc, argv);
  fake::shape_env env;
  if (c.dynamic_batch || c.dynamic_seq) {
    c.run.shapes = &env;
    c.run.dynamic_batch = c.dynamic_batch;
    c.run.dynamic_seq = c.dynamic_seq;
  }
  fake::models::traced_model t;
  try {
    t = fake::models::trace_model(c.model, c.run);
  } catch (const fake::error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  const fake::graph& g = t.graph;
  const fake::flop_report fl = fake::count_flops(g);
  const fake::memory_report mem = fake::analyze_memory(g);
  std::size_t calls = 0;
  for (const auto& n : g.nodes()) calls += n.op == fake::node_op::call_function;

  const bool lm = c.model != "mlp" && c.model != "resnet50";
  std::cout << "model       " << t.name << ", batch " << c.run.batch;
  if (lm) std::cout << ", sequence " << c.run.seq;
  if (c.model == "resnet50") std::cout << ", image " << c.run.image << "x" << c.run.image;
  std::cout << ", " << fake::name(c.run.options.dtype) << " on " << fake::to_string(c.run.options.device) << "\n";
  std::cout << "graph       " << grouped(static_cast<std::int64_t>(g.size())) << " nodes (" << grouped(static_cast<std::int64_t>(calls))
            << " op calls), traced in " << fixed(t.trace_seconds * 1e3, 2) << " ms\n";
  std::cout << "parameters  " << grouped(t.parameters) << "\n";
  std::cout << "FLOPs       " << flops(fl.total) << " (" << grouped(fl.total) << ") forward\n";
  if (!fl.without_formula.empty()) {
    std::cout << "            ops without a FLOP formula (not counted):";
    for (const auto& [op, count] : fl.without_formula) std::cout << " " << op << " x" << count;
    std::cout << "\n";
  }
  std::cout << "bytes       " << bytes(fl.total_bytes_read) << " read, " << bytes(fl.total_bytes_written) << " written\n";
  for (const fake::device_memory& d : mem.devices)
    std::cout << "memory      " << fake::to_string(d.device) << ": peak " << bytes(d.peak_bytes()) << " = parameters and buffers "
              << bytes(d.parameter_bytes) << " + inputs " << bytes(d.input_bytes) << " + activations "
              << bytes(d.peak_activation_bytes) << " (at node " << g[d.peak_at].name << ")\n";

  if (c.run.shapes != nullptr) print_symbolic(g, env, c);

  std::vector<fake::node_id> order(g.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<fake::node_id> by_flops;
  for (fake::node_id i : order)
    if (fl.per_node[i]) by_flops.push_back(i);
  std::stable_sort(by_flops.begin(), by_flops.end(), [&](auto a, auto b) { return *fl.per_node[a] > *fl.per_node[b]; });
  std::cout << "\ntop nodes by FLOPs\n";
  for (std::size_t k = 0; k < std::min<std::size_t>(10, by_flops.size()); ++k) {
    const auto& n = g[by_flops[k]];
    std::cout << "  " << flops(*fl.per_node[by_flops[k]]) << "  " << n.name << " = " << n.target_name() << "  "
              << fake::tensor_signature(n.val.tensors.front()) << "\n";
  }
  std::vector<fake::node_id> by_live = order;
  std::stable_sort(by_live.begin(), by_live.end(), [&](auto a, auto b) { return mem.live_bytes[a] > mem.live_bytes[b]; });
  std::cout << "\ntop nodes by live activation memory\n";
  for (std::size_t k = 0; k < std::min<std::size_t>(10, by_live.size()); ++k) {
    const auto& n = g[by_live[k]];
    std::cout << "  " << bytes(mem.live_bytes[by_live[k]]) << "  " << n.name << " = " << n.target_name() << "\n";
  }

  if (!c.graph_format.empty()) {
    std::string text;
    if (c.graph_format == "code") text = fake::to_code(g);
    else if (c.graph_format == "dot") text = fake::to_dot(g, t.name);
    else text = fake::to_json(g).dump(1) + "\n";
    if (c.out_file.empty()) std::cout << "\n" << text;
    else {
      std::ofstream out(c.out_file);
      if (!out) bad("cannot write '" + c.out_file + "'");
      out << text;
      std::cout << "\ngraph written to " << c.out_file << "\n";
    }
  }
  if (!c.plot_file.empty()) {
    write_plot(c.plot_file, g, mem, t.name + ": live memory (parameters + inputs + activations) per node");
    std::cout << "plot written to " << c.plot_file << "\n";
  }
  return 0;
}
