#include "config/toml_reader.hpp"

#include <algorithm>

namespace chiso::config {
namespace {

std::string name(std::string_view section, std::string_view key) {
    return std::string(section) + "." + std::string(key);
}

bool known_key(std::initializer_list<std::string_view> known, std::string_view key) {
    return std::find(known.begin(), known.end(), key) != known.end();
}

}  // namespace

TomlReader::TomlReader(const std::filesystem::path& file) : file_(file.string()) {
    try {
        root_ = toml::parse_file(file_);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        if (where.line == 0)  // not a syntax error: the file could not be read
            throw std::runtime_error("cannot read " + file_ + ": " + std::string(e.description()));
        throw std::runtime_error(file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                                 std::string(e.description()));
    }
}

void TomlReader::check_sections(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, value] : root_)
        if (!known_key(known, key.str())) fail(value, "unknown key '" + std::string(key.str()) + "'");
}

const toml::table* TomlReader::section(std::string_view section_name,
                                       std::initializer_list<std::string_view> known) const {
    const toml::node* node = root_.get(section_name);
    if (!node) return nullptr;
    const toml::table* table = node->as_table();
    const std::string quoted(section_name);
    if (!table) fail(*node, "'" + quoted + "' must be a table ([" + quoted + "])");
    for (const auto& [key, value] : *table)
        if (!known_key(known, key.str())) fail(value, "unknown key '" + name(section_name, key.str()) + "'");
    return table;
}

std::optional<std::string> TomlReader::string(const toml::table* table, std::string_view section,
                                              std::string_view key) const {
    const toml::node* found = table ? table->get(key) : nullptr;
    if (!found) return std::nullopt;
    if (!found->is_string()) fail(*found, "'" + name(section, key) + "' must be a string");
    return found->as_string()->get();
}

std::optional<std::int64_t> TomlReader::integer(const toml::table* table, std::string_view section,
                                                std::string_view key, std::int64_t min, std::int64_t max) const {
    const toml::node* found = table ? table->get(key) : nullptr;
    if (!found) return std::nullopt;
    if (!found->is_integer()) fail(*found, "'" + name(section, key) + "' must be an integer");
    const std::int64_t value = found->as_integer()->get();
    if (value < min || value > max)
        fail(*found,
             "'" + name(section, key) + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
    return value;
}

std::optional<bool> TomlReader::boolean(const toml::table* table, std::string_view section,
                                        std::string_view key) const {
    const toml::node* found = table ? table->get(key) : nullptr;
    if (!found) return std::nullopt;
    if (!found->is_boolean()) fail(*found, "'" + name(section, key) + "' must be true or false");
    return found->as_boolean()->get();
}

std::optional<std::vector<std::string>> TomlReader::strings(const toml::table* table, std::string_view section,
                                                            std::string_view key) const {
    const toml::node* found = table ? table->get(key) : nullptr;
    if (!found) return std::nullopt;
    const toml::array* array = found->as_array();
    if (!array) fail(*found, "'" + name(section, key) + "' must be a list of strings");
    std::vector<std::string> result;
    for (const toml::node& item : *array) {
        if (!item.is_string()) fail(item, "'" + name(section, key) + "' must be a list of strings");
        result.push_back(item.as_string()->get());
    }
    return result;
}

void TomlReader::fail(const toml::node& at, const std::string& what) const {
    const auto& where = at.source().begin;
    throw std::runtime_error(file_ + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": " +
                             what);
}

}  // namespace chiso::config
