// HTTPS and WSS served by fieldlinkd itself, with a certificate made at test time.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "support/scene.hpp"
#include "support/tls_fixtures.hpp"
#include "support/ws_client.hpp"

namespace fieldlink::testing {
namespace {

ServerProcess::Options tlsOptions(const TestCertificate& certificate) {
  ServerProcess::Options options;
  options.tls = certificate;
  options.env["FIELDLINK_WS_MESSAGES_PER_SECOND"] = "100000";
  options.env["FIELDLINK_WS_MESSAGE_BURST"] = "100000";
  return options;
}

// Whether a TLS handshake with this context succeeds (a REST call answered).
bool handshakeSucceeds(int port, const Poco::Net::Context::Ptr& context) {
  try {
    return HttpClient(port, context).get("/readyz").status == 200;
  } catch (const Poco::Exception&) {
    return false;
  }
}

TEST(Tls, RestOverHttpsWithStrictTransportSecurity) {
  TempDir certificates;
  Scene scene(tlsOptions(makeTestCertificate(certificates)));  // its set-up ran over HTTPS
  const auto requests = scene.api.http().get("/api/requests/", scene.client);
  EXPECT_EQ(requests.status, 200) << requests.body;
  EXPECT_NE(requests.body.find("Boiler is broken"), std::string::npos);
  EXPECT_EQ(requests.headers.at("Strict-Transport-Security"), "max-age=31536000");
  const auto refused = scene.api.http().get("/api/requests/", "not-a-token");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.headers.at("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_NE(scene.server.log().find("TLS on: CN = server"), std::string::npos);
}

TEST(Tls, PlainHttpAndOldProtocolVersionsAreRefused) {
  TempDir certificates;
  const auto certificate = makeTestCertificate(certificates);
  ServerProcess server(tlsOptions(certificate));
  EXPECT_THROW(HttpClient(server.port()).get("/readyz"), Poco::Exception);

  auto tls11 = clientContextTrusting(certificate.certificate_file);
  SSL_CTX_set_min_proto_version(tls11->sslContext(), TLS1_1_VERSION);
  SSL_CTX_set_max_proto_version(tls11->sslContext(), TLS1_1_VERSION);
  SSL_CTX_set_security_level(tls11->sslContext(), 0);  // so that the client would offer it
  EXPECT_FALSE(handshakeSucceeds(server.port(), tls11));

  auto tls12 = clientContextTrusting(certificate.certificate_file);
  SSL_CTX_set_max_proto_version(tls12->sslContext(), TLS1_2_VERSION);
  EXPECT_TRUE(handshakeSucceeds(server.port(), tls12));
  // A weak TLS 1.2 suite is not on the server's list.
  auto weak = clientContextTrusting(certificate.certificate_file);
  SSL_CTX_set_max_proto_version(weak->sslContext(), TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(weak->sslContext(), "AES128-SHA");
  EXPECT_FALSE(handshakeSucceeds(server.port(), weak));
  // Nor does a client that trusts another certificate get through.
  TempDir other;
  EXPECT_FALSE(handshakeSucceeds(
      server.port(), clientContextTrusting(makeTestCertificate(other).certificate_file)));
  EXPECT_TRUE(server.running());
}

TEST(Tls, WebSocketOverTlsCarriesABurstInOrderBothWays) {
  TempDir certificates;
  Scene scene(tlsOptions(makeTestCertificate(certificates)));
  const auto tls = scene.server.tlsClient();
  WsClient client(scene.server.port(), chatPath(scene.conversation_id, scene.client), {}, tls);
  WsClient technician(scene.server.port(), chatPath(scene.conversation_id, scene.technician), {},
                      tls);
  ASSERT_EQ(client.status(), 101);
  ASSERT_EQ(technician.status(), 101);

  client.sendJson(R"({"type":"typing","is_typing":true})");
  ASSERT_TRUE(technician.nextOfType("typing"));

  // Far more than one TLS record each way, in one write: partial writes and records split
  // across reads on both sides.
  const std::size_t history_before = scene.api.history(scene.client, scene.conversation_id).size();
  constexpr int kCount = 300;
  const std::string padding(400, 'p');
  std::string burst;
  for (int i = 0; i < kCount; ++i)
    burst += ws::encodeMaskedFrame(
        ws::Opcode::Text,
        messageFrame(scene.conversation_id, std::to_string(i) + padding, "t-" + std::to_string(i)),
        0x0badf00d);
  client.sendRaw(burst);
  const auto acks = client.collect("ack", kCount, 30s);
  const auto received = technician.collect("message", kCount, 30s);
  ASSERT_EQ(acks.size(), static_cast<std::size_t>(kCount));
  ASSERT_EQ(received.size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i)
    EXPECT_EQ(
        received[i]->getObject("message")->getObject("content")->getValue<std::string>("text"),
        std::to_string(i) + padding);

  technician.sendJson(messageFrame(scene.conversation_id, "on my way", "back-1"));
  const auto reply = client.nextOfType("message");
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->getObject("message")->getObject("content")->getValue<std::string>("text"),
            "on my way");
  EXPECT_EQ(scene.api.history(scene.client, scene.conversation_id).size(),
            history_before + kCount + 1);

  // Protocol errors close with their code over TLS too.
  client.sendRaw(ws::encodeFrame(ws::Opcode::Text, R"({"type":"ping"})"));  // unmasked
  EXPECT_EQ(client.awaitClose(), 1002);
  WsClient outsider(scene.server.port(), chatPath(scene.conversation_id, scene.outsider_client), {},
                    tls);
  EXPECT_EQ(outsider.awaitClose(), 4403);
}

TEST(Tls, SighupPresentsANewCertificateWithoutDroppingConnections) {
  TempDir certificates;
  const auto first = makeTestCertificate(certificates, "first");
  const auto second = makeTestCertificate(certificates, "second");
  // The server reads these paths; the test puts other certificates there.
  TestCertificate live{certificates.file("live-cert.pem"), certificates.file("live-key.pem")};
  const auto install = [&](const TestCertificate& from) {
    std::filesystem::copy_file(from.certificate_file, live.certificate_file,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(from.key_file, live.key_file,
                               std::filesystem::copy_options::overwrite_existing);
  };
  install(first);
  Scene scene(tlsOptions(live));
  const auto trusts_first = clientContextTrusting(first.certificate_file);
  const auto trusts_second = clientContextTrusting(second.certificate_file);
  WsClient before(scene.server.port(), chatPath(scene.conversation_id, scene.client), {},
                  trusts_first);
  ASSERT_EQ(before.status(), 101);

  install(second);
  scene.server.signal(SIGHUP);
  bool switched = false;
  for (int i = 0; i < 100 && !switched; ++i) {
    switched = handshakeSucceeds(scene.server.port(), trusts_second);
    if (!switched) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(switched) << scene.server.log();
  EXPECT_FALSE(handshakeSucceeds(scene.server.port(), trusts_first));
  // The connection made before the reload goes on.
  before.sendJson(R"({"type":"ping"})");
  EXPECT_TRUE(before.nextOfType("pong"));

  // Unusable files: logged, and the certificate in use stays.
  { std::ofstream(live.key_file) << "not a key\n"; }
  scene.server.signal(SIGHUP);
  for (int i = 0;
       i < 100 && scene.server.log().find("certificate not reloaded") == std::string::npos; ++i)
    std::this_thread::sleep_for(50ms);
  EXPECT_NE(scene.server.log().find("certificate not reloaded"), std::string::npos);
  EXPECT_TRUE(handshakeSucceeds(scene.server.port(), trusts_second));
}

TEST(Tls, UnusableCertificateFilesStopTheStartWithAConfigurationError) {
  TempDir dir;
  const auto one = makeTestCertificate(dir, "one");
  const auto two = makeTestCertificate(dir, "two");
  auto env = ServerProcess::baseEnvironment();
  const auto start = [&](const std::string& certificate, const std::string& key) {
    env["FIELDLINK_TLS_CERTIFICATE"] = certificate;
    env["FIELDLINK_TLS_PRIVATE_KEY"] = key;
    std::string output;
    const int code =
        ServerProcess::runCommand({"--data-dir=" + dir.file("data"), "--port=0"}, env, output);
    return std::make_pair(code, output);
  };
  auto [code, output] = start(one.certificate_file, two.key_file);
  EXPECT_EQ(code, 78);  // EX_CONFIG
  EXPECT_NE(output.find("is not the key of the certificate"), std::string::npos) << output;
  std::tie(code, output) = start(dir.file("missing.pem"), one.key_file);
  EXPECT_EQ(code, 78);
  EXPECT_NE(output.find("cannot read"), std::string::npos) << output;
  std::tie(code, output) = start(one.certificate_file, "");
  EXPECT_EQ(code, 78);
  EXPECT_NE(output.find("go together"), std::string::npos) << output;
}

}  // namespace
}  // namespace fieldlink::testing
