//===- Compare.cpp - ssm-run --compare: binaries side by side -------------===//
//
// Part of the ssm project.
//
//===----------------------------------------------------------------------===//

#include "ssmrt/Run/Compare.h"

#include "Text.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace ssmrt {

//===----------------------------------------------------------------------===//
// Lowering choices
//===----------------------------------------------------------------------===//

LoweringChoices loweringChoices(const Manifest &manifest,
                                const EntrySpec &entry) {
  LoweringChoices choices(manifest.options.begin(), manifest.options.end());
  std::map<std::string, size_t> uses;
  for (const OpSpec &op : entry.ops)
    ++uses[op.op];
  for (size_t k = 0; k < entry.ops.size(); ++k) {
    const OpSpec &op = entry.ops[k];
    std::string name = op.op.rfind("ssm.", 0) == 0 ? op.op.substr(4) : op.op;
    if (uses[op.op] > 1)
      name += "[" + std::to_string(k) + "]";
    for (const auto &[key, value] : op.lowering)
      choices.emplace_back(name + "." + key, value);
  }
  return choices;
}

/// The value of `key` in `choices`, if any.
static std::optional<std::string> lookup(const LoweringChoices &choices,
                                         const std::string &key) {
  for (const auto &[name, value] : choices)
    if (name == key)
      return value;
  return std::nullopt;
}

std::vector<std::string>
differingKeys(const std::vector<LoweringChoices> &choices) {
  std::vector<std::string> keys, differing;
  std::set<std::string> seen;
  for (const LoweringChoices &binary : choices)
    for (const auto &choice : binary)
      if (seen.insert(choice.first).second)
        keys.push_back(choice.first);
  for (const std::string &key : keys) {
    std::optional<std::string> first = lookup(choices.front(), key);
    if (std::any_of(choices.begin(), choices.end(),
                    [&](const LoweringChoices &binary) {
                      return lookup(binary, key) != first;
                    }))
      differing.push_back(key);
  }
  return differing;
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

/// "'u' (f32[1,4,37])".
static std::string quoted(const TensorSpec &tensor) {
  return "'" + tensor.name + "' (" + describe(tensor) + ")";
}

std::string signatureMismatch(const EntrySpec &first, const EntrySpec &other) {
  size_t common = std::min(first.tensors.size(), other.tensors.size());
  for (size_t i = 0; i < common; ++i) {
    const TensorSpec &want = first.tensors[i], &got = other.tensors[i];
    if (got.name != want.name)
      return "tensor " + std::to_string(i) + " is " + quoted(got) +
             ", expected " + quoted(want);
    if (got.role != want.role)
      return "tensor '" + got.name + "' is " + roleName(got.role) +
             ", expected " + roleName(want.role);
    if (got.dtype != want.dtype || got.shape != want.shape)
      return "tensor '" + got.name + "' is " + describe(got) + ", expected " +
             describe(want);
  }
  if (other.tensors.size() < first.tensors.size())
    return "tensor " + quoted(first.tensors[common]) + " is missing";
  if (other.tensors.size() > first.tensors.size())
    return "tensor " + quoted(other.tensors[common]) + " is extra";
  return "";
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

std::vector<std::string> shortNames(const std::vector<std::string> &paths) {
  std::vector<std::string> names;
  std::set<std::string> unique;
  for (const std::string &path : paths) {
    names.push_back(std::filesystem::path(path).filename().string());
    unique.insert(names.back());
  }
  if (unique.size() != paths.size() ||
      std::any_of(names.begin(), names.end(),
                  [](const std::string &name) { return name.empty(); }))
    return paths;
  return names;
}

namespace {
/// One column of the table: a header over one cell per row.
struct Column {
  std::string header;
  bool rightAligned;
  std::vector<std::string> cells;
};
} // namespace

/// "1.23x", or "-" without a positive reference to divide by.
static std::string ratio(double value, double reference) {
  return reference > 0.0 ? format("%.2fx", value / reference) : "-";
}

/// The cells of one row's lines, padded to each column's width, two spaces
/// apart, without trailing blanks.
static std::string formatLine(const std::vector<Column> &columns,
                              const std::vector<size_t> &widths,
                              std::optional<size_t> row) {
  std::string line;
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string &text = row ? columns[c].cells[*row] : columns[c].header;
    std::string padding(widths[c] - text.size(), ' ');
    if (c)
      line += "  ";
    line += columns[c].rightAligned ? padding + text : text + padding;
  }
  line.erase(line.find_last_not_of(' ') + 1);
  return line + "\n";
}

std::string formatCompareTable(const std::vector<std::string> &keys,
                               const std::vector<CompareRow> &rows) {
  if (rows.empty())
    return "";
  std::vector<Column> columns;
  auto add = [&](std::string header, bool rightAligned, auto cell) {
    Column column{std::move(header), rightAligned, {}};
    for (const CompareRow &row : rows)
      column.cells.push_back(cell(row));
    columns.push_back(std::move(column));
  };
  add("binary", false, [](const CompareRow &row) { return row.name; });
  for (const std::string &key : keys)
    add(key, false, [&](const CompareRow &row) {
      return lookup(row.lowering, key).value_or("-");
    });
  add("median ms", true,
      [](const CompareRow &row) { return format("%.4f", row.time.median); });
  add("min ms", true,
      [](const CompareRow &row) { return format("%.4f", row.time.min); });
  add("max ms", true,
      [](const CompareRow &row) { return format("%.4f", row.time.max); });
  add("spread", true, [](const CompareRow &row) {
    return format("%.1f%%", row.time.spreadPercent());
  });
  double firstMedian = rows.front().time.median;
  add("time/first", true, [&](const CompareRow &row) {
    return ratio(row.time.median, firstMedian);
  });
  bool kernels = std::any_of(rows.begin(), rows.end(), [](const CompareRow &r) {
    return r.kernelTime.has_value();
  });
  if (kernels) {
    std::optional<TimeStats> firstKernel = rows.front().kernelTime;
    add("kernel ms", true, [](const CompareRow &row) {
      return row.kernelTime ? format("%.4f", row.kernelTime->median) : "-";
    });
    add("kernel/first", true, [&](const CompareRow &row) {
      return row.kernelTime && firstKernel
                 ? ratio(row.kernelTime->median, firstKernel->median)
                 : "-";
    });
    add("launches", true, [](const CompareRow &row) {
      return row.kernelTime ? std::to_string(row.launches) : "-";
    });
  }
  std::vector<size_t> widths;
  for (const Column &column : columns) {
    size_t width = column.header.size();
    for (const std::string &cell : column.cells)
      width = std::max(width, cell.size());
    widths.push_back(width);
  }
  std::string table = formatLine(columns, widths, std::nullopt);
  for (size_t r = 0; r < rows.size(); ++r)
    table += formatLine(columns, widths, r);
  table += std::string("time/first: median over the first binary's median, "
                       "above 1.00x is slower") +
           (kernels ? "; kernel/first: the same for kernel time" : "") + "\n";
  return table;
}

} // namespace ssmrt
