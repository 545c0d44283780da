#include "syncd/roles.hpp"

#include <array>
#include <utility>

namespace chiso::syncd {

namespace {
constexpr std::array<std::pair<Role, std::string_view>, 4> kNames{
    {{Role::device, "device"}, {Role::admin, "admin"}, {Role::it, "it"}, {Role::statistician, "statistician"}}};
}  // namespace

std::string_view role_name(Role role) {
    for (const auto& [r, name] : kNames)
        if (r == role) return name;
    return "device";
}

std::optional<Role> parse_role(std::string_view name) {
    for (const auto& [role, n] : kNames)
        if (n == name) return role;
    return std::nullopt;
}

bool may(Role role, Right right) {
    switch (role) {
        case Role::admin:
            return true;
        case Role::it:
            return right == Right::run_fleet || right == Right::read_any_scope;
        case Role::statistician:
            return right == Right::import_figures || right == Right::read_any_scope;
        case Role::device:
            return false;
    }
    return false;
}

std::string_view who_may(Right right) {
    switch (right) {
        case Right::import_figures:
            return "this route needs an admin or statistician token";
        case Right::run_fleet:
            return "this route needs an admin or IT token";
        case Right::read_any_scope:
            return "this route needs a person's token, not a device's";
    }
    return "this route needs another role";
}

}  // namespace chiso::syncd
