#include "app/demo_seed.hpp"

#include <sstream>

namespace fieldlink {
namespace {

struct DemoAccount {
  const char* username;
  const char* password;
  const char* display_name;
  const char* phone;
  Role role;
};

constexpr DemoAccount kAccounts[] = {
    {"dispatcher", "dispatcher-demo", "Dana Dispatcher", "+33 1 40 00 00 01", Role::Dispatcher},
    {"client", "client-demo", "Claire Client", "+33 6 12 34 56 78", Role::Client},
    {"technician", "technician-demo", "Thomas Technician", "+33 6 98 76 54 32", Role::Technician},
};

User ensureUser(Runtime& runtime, const DemoAccount& account) {
  if (auto existing = runtime.store().read(
          [&](StoreSession& s) { return s.findUserByUsername(account.username); }))
    return *existing;
  return runtime.accounts().createUser(
      std::nullopt,
      {account.username, account.password, account.display_name, account.phone, account.role});
}

}  // namespace

std::string seedDemo(Runtime& runtime, const std::string& base_url) {
  const User dispatcher = ensureUser(runtime, kAccounts[0]);
  const User client = ensureUser(runtime, kAccounts[1]);
  const User technician = ensureUser(runtime, kAccounts[2]);
  auto requests = runtime.requests().list(client);
  if (requests.empty()) {
    const ServiceRequest request = runtime.requests().create(
        client, {"Leak under the kitchen sink", "Water drips from the trap, getting worse.",
                 "12 rue de la Paix, 75002 Paris", GeoPoint{48.8686, 2.3314}});
    runtime.requests().assign(dispatcher, request.id, technician.id);
    requests = runtime.requests().list(client);
  }
  std::ostringstream out;
  out << "Demo accounts (username / password):\n";
  for (const auto& account : kAccounts)
    out << "  " << toString(account.role) << ": " << account.username << " / " << account.password
        << "\n";
  const ServiceRequest& request = requests.front();
  out << "Demo request " << request.id.value << " (" << toString(request.status)
      << "), conversation " << (request.conversation_id ? request.conversation_id->value : 0)
      << "\nServer: " << base_url << "\n";
  return out.str();
}

}  // namespace fieldlink
