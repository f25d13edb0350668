#include "domain/model.hpp"

#include <array>
#include <utility>

namespace fieldlink {
namespace {

constexpr std::array<std::pair<Role, const char*>, 3> kRoles{
    {{Role::Client, "client"}, {Role::Technician, "technician"}, {Role::Dispatcher, "dispatcher"}}};

constexpr std::array<std::pair<RequestStatus, const char*>, 6> kStatuses{
    {{RequestStatus::Pending, "pending"},
     {RequestStatus::Assigned, "assigned"},
     {RequestStatus::EnRoute, "en_route"},
     {RequestStatus::OnSite, "on_site"},
     {RequestStatus::Completed, "completed"},
     {RequestStatus::Cancelled, "cancelled"}}};

template <class Enum, std::size_t N>
std::string nameOf(const std::array<std::pair<Enum, const char*>, N>& table, Enum value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char*>, N>& table,
                            const std::string& text) {
  for (const auto& [v, name] : table)
    if (text == name) return v;
  return std::nullopt;
}

}  // namespace

std::string toString(Role role) { return nameOf(kRoles, role); }
std::optional<Role> parseRole(const std::string& text) { return valueOf(kRoles, text); }
std::string toString(RequestStatus status) { return nameOf(kStatuses, status); }
std::optional<RequestStatus> parseRequestStatus(const std::string& text) {
  return valueOf(kStatuses, text);
}

}  // namespace fieldlink
