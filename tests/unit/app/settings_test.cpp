#include "app/settings.hpp"

#include <gtest/gtest.h>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Util/MapConfiguration.h>

namespace fieldlink {
namespace {

Poco::AutoPtr<Poco::Util::MapConfiguration> defaults() {
  Poco::AutoPtr<Poco::Util::MapConfiguration> c(new Poco::Util::MapConfiguration);
  for (const auto& key : settingKeys()) c->setString(key.key, key.default_value);
  c->setString("plugins.dir", "/plugins");
  return c;
}

std::string errorOf(const Poco::Util::AbstractConfiguration& c) {
  try {
    Settings::from(c);
  } catch (const Poco::Exception& e) {
    return e.message();
  }
  return "";
}

TEST(Settings, PlaceholderSecretIsRefusedOutsideDevMode) {
  auto c = defaults();
  EXPECT_NE(errorOf(*c).find("auth.jwt_secret"), std::string::npos);
  c->setString("server.dev_mode", "true");
  EXPECT_EQ(errorOf(*c), "");
}

TEST(Settings, ShortSecretIsRefused) {
  auto c = defaults();
  c->setString("auth.jwt_secret", "short");
  EXPECT_NE(errorOf(*c).find("auth.jwt_secret"), std::string::npos);
}

TEST(Settings, ErrorsNameTheKey) {
  auto c = defaults();
  c->setString("auth.jwt_secret", std::string(40, 'k'));
  c->setString("http.port", "70000");
  EXPECT_NE(errorOf(*c).find("http.port"), std::string::npos);
  c->setString("http.port", "eighty");
  EXPECT_NE(errorOf(*c).find("http.port"), std::string::npos);
}

TEST(Settings, PluginListAndDatabasePathAreDerived) {
  auto c = defaults();
  c->setString("auth.jwt_secret", std::string(40, 'k'));
  c->setString("plugins.enabled", " text , voice,,");
  c->setString("data.dir", "/srv/fl");
  const Settings s = Settings::from(*c);
  EXPECT_EQ(s.plugins_enabled, (std::vector<std::string>{"text", "voice"}));
  EXPECT_EQ(s.database_path, "/srv/fl/fieldlink.db");
}

TEST(Settings, TheMysqlStoreNeedsAUrlAndTakesItsPasswordApart) {
  auto c = defaults();
  c->setString("auth.jwt_secret", std::string(40, 'k'));
  EXPECT_FALSE(Settings::from(*c).mysql);  // SQLite by default
  c->setString("store.backend", "postgres");
  EXPECT_NE(errorOf(*c).find("store.backend"), std::string::npos);
  c->setString("store.backend", "mysql");
  EXPECT_NE(errorOf(*c).find("store.mysql.url"), std::string::npos);
  c->setString("store.mysql.url", "mysql://fl@db:3307/fieldlink");
  c->setString("store.mysql.password", "from-the-environment");
  const Settings s = Settings::from(*c);
  ASSERT_TRUE(s.mysql);
  EXPECT_EQ(s.mysql->describe(), "fl@db:3307/fieldlink");
  EXPECT_EQ(s.mysql->password, "from-the-environment");
}

TEST(Settings, RedisJoinsNodesWhenGivenAsHostAndPort) {
  auto c = defaults();
  c->setString("auth.jwt_secret", std::string(40, 'k'));
  EXPECT_FALSE(Settings::from(*c).redis);  // one node by default
  c->setString("bus.redis", "redis:6379");
  EXPECT_NE(errorOf(*c).find("store.backend = mysql"), std::string::npos);  // SQLite is one node's
  c->setString("store.backend", "mysql");
  c->setString("store.mysql.url", "mysql://fl@db/fieldlink");
  for (const char* wrong : {"redis:", ":6379", "redis:http", "redis:70000", "redis:6379x"}) {
    c->setString("bus.redis", wrong);
    EXPECT_NE(errorOf(*c).find("bus.redis"), std::string::npos) << wrong;
  }
  c->setString("bus.redis", "redis");
  // Events from Redis are taken only signed with the nodes' shared secret.
  EXPECT_NE(errorOf(*c).find("bus.secret"), std::string::npos);
  c->setString("bus.secret", "too-short");
  EXPECT_NE(errorOf(*c).find("bus.secret"), std::string::npos);
  c->setString("bus.secret", "a-bus-secret-0123456789");
  EXPECT_EQ(Settings::from(*c).redis->port, 6379);  // the default port
  EXPECT_EQ(Settings::from(*c).redis->secret, "a-bus-secret-0123456789");
  c->setString("bus.redis", "10.0.0.5:6380");
  c->setString("bus.node_id", "node-a");
  const Settings s = Settings::from(*c);
  ASSERT_TRUE(s.redis);
  EXPECT_EQ(s.redis->host, "10.0.0.5");
  EXPECT_EQ(s.redis->port, 6380);
  EXPECT_EQ(s.redis->node_id, "node-a");
  EXPECT_EQ(s.redis->channel, "fieldlink");
  c->setString("bus.node_id", "");
  EXPECT_FALSE(Settings::from(*c).redis->node_id.empty());  // host name and process id
  // A Redis that wants credentials, and a database for the keys.
  EXPECT_TRUE(Settings::from(*c).redis->password.empty());
  EXPECT_EQ(Settings::from(*c).redis->database, 0);
  c->setString("bus.redis_user", "fieldlink");
  EXPECT_NE(errorOf(*c).find("bus.redis_password"), std::string::npos);
  c->setString("bus.redis_password", "s3cret");
  c->setString("bus.redis_database", "2");
  EXPECT_EQ(Settings::from(*c).redis->user, "fieldlink");
  EXPECT_EQ(Settings::from(*c).redis->password, "s3cret");
  EXPECT_EQ(Settings::from(*c).redis->database, 2);
  c->setString("bus.redis_database", "-1");
  EXPECT_NE(errorOf(*c).find("bus.redis_database"), std::string::npos);
}

TEST(Settings, NetworkAndOriginListsAreCheckedAtStart) {
  auto c = defaults();
  c->setString("server.dev_mode", "true");
  c->setString("http.trusted_proxies", "10.0.0.0/8, ::1");
  c->setString("http.cors_allowed_origins", "https://app.example.com, http://localhost:5173");
  EXPECT_EQ(errorOf(*c), "");
  const Settings s = Settings::from(*c);
  EXPECT_TRUE(s.cors.allows("http://localhost:5173"));
  EXPECT_FALSE(s.cors.allows("https://app.example.com/"));
  for (const char* bad :
       {"https://app.example.com/", "app.example.com", "ftp://x", "https://x/y"}) {
    c->setString("http.cors_allowed_origins", bad);
    EXPECT_NE(errorOf(*c).find("http.cors_allowed_origins"), std::string::npos) << bad;
  }
  c->setString("http.cors_allowed_origins", "");
  c->setString("http.trusted_proxies", "10.0.0.0/33");
  EXPECT_NE(errorOf(*c).find("http.trusted_proxies"), std::string::npos);
}

TEST(Settings, TlsKeysGoTogetherAndDecideStrictTransportSecurity) {
  auto c = defaults();
  c->setString("server.dev_mode", "true");
  Settings s = Settings::from(*c);
  EXPECT_FALSE(s.tls.enabled());
  EXPECT_EQ(tls::strictTransportSecurity(s.tls), "");  // plain HTTP: a proxy's business
  c->setString("tls.certificate", "/etc/fl/cert.pem");
  EXPECT_NE(errorOf(*c).find("tls.private_key"), std::string::npos);
  c->setString("tls.private_key", "/etc/fl/key.pem");
  s = Settings::from(*c);
  EXPECT_TRUE(s.tls.enabled());
  EXPECT_FALSE(s.tls.tls13_only);
  EXPECT_EQ(tls::strictTransportSecurity(s.tls), "max-age=31536000");
  c->setString("tls.hsts_max_age", "0");
  c->setString("tls.min_version", "1.3");
  s = Settings::from(*c);
  EXPECT_TRUE(s.tls.tls13_only);
  EXPECT_EQ(tls::strictTransportSecurity(s.tls), "");
  c->setString("tls.min_version", "1.1");
  EXPECT_NE(errorOf(*c).find("tls.min_version"), std::string::npos);
}

TEST(Settings, EnvironmentNamesFollowTheKeys) {
  EXPECT_EQ(environmentNameOf("http.port"), "FIELDLINK_HTTP_PORT");
  EXPECT_EQ(environmentNameOf("plugins.text.max_length"), "FIELDLINK_PLUGINS_TEXT_MAX_LENGTH");
}

}  // namespace
}  // namespace fieldlink
