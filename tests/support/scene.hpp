#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace fieldlink::testing {

// A running server with the cast of a job: a dispatcher, a client who opened a request, the
// technician it is assigned to (so the conversation exists), and an outsider of each role.
struct Scene {
  explicit Scene(ServerProcess::Options options = {})
      : server(std::move(options)), api(server.port(), server.tlsClient()) {
    dispatcher = api.login("boss", ServerProcess::kBossPassword);
    client_id = api.registerClient("alice")->getValue<std::int64_t>("id");
    client = api.login("alice");
    technician_id = api.createUser(dispatcher, "tom", "technician")->getValue<std::int64_t>("id");
    technician = api.login("tom");
    api.registerClient("mallory");
    outsider_client = api.login("mallory");
    api.createUser(dispatcher, "ted", "technician");
    outsider_technician = api.login("ted");
    request_id = api.createRequest(client, "Boiler is broken")->getValue<std::int64_t>("id");
    conversation_id = api.assign(dispatcher, request_id, technician_id)
                          ->getValue<std::int64_t>("conversation_id");
  }

  ServerProcess server;
  ApiClient api;
  std::string dispatcher, client, technician, outsider_client, outsider_technician;
  std::int64_t client_id = 0, technician_id = 0, request_id = 0, conversation_id = 0;
};

// The value of `name` on the server's GET /metrics page ("" if it is not there).
inline std::string metricValue(const Scene& scene, const std::string& name) {
  const auto text = scene.api.http().get("/metrics").body;
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return "";
  const auto start = at + name.size() + 2;
  return text.substr(start, text.find('\n', start) - start);
}

}  // namespace fieldlink::testing
