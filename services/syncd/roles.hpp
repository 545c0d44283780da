// Who may do what: every token has one role. A device reads its own scope and reports on itself; IT runs the
// fleet (devices, settings, screenshots, enrolment); a statistician imports figures; an admin does all of it.
// People's roles read any organisation's figures (the console and the import page show them).
#pragma once

#include <optional>
#include <string_view>

namespace chiso::syncd {

enum class Role { device, admin, it, statistician };
enum class Right { read_any_scope, import_figures, run_fleet };

std::string_view role_name(Role role);  // "device", "admin", "it", "statistician"
std::optional<Role> parse_role(std::string_view name);
bool may(Role role, Right right);
// For a 403: "this route needs an admin or statistician token".
std::string_view who_may(Right right);

}  // namespace chiso::syncd
