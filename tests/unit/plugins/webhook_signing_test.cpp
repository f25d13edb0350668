#include <gtest/gtest.h>

#include "webhook_signing.hpp"

namespace fieldlink::webhook {
namespace {

using std::chrono::milliseconds;

TEST(WebhookSigning, MatchesAnHmacSha256ComputedElsewhere) {
  // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'super-secret-key'
  EXPECT_EQ(signature("super-secret-key", "1700000000", R"({"a":1})"),
            "ece39dbe43aa988bbdbd60d832edecae5505e751b325930f5212231d3fef57dd");
}

TEST(WebhookSigning, TheTimestampIsPartOfWhatIsSigned) {
  EXPECT_NE(signature("super-secret-key", "1700000000", "{}"),
            signature("super-secret-key", "1700000001", "{}"));
}

TEST(WebhookBackoff, DoublesFromTheFirstWaitUpToTheCap) {
  EXPECT_EQ(backoff(2, milliseconds(500), milliseconds(60000)), milliseconds(500));
  EXPECT_EQ(backoff(3, milliseconds(500), milliseconds(60000)), milliseconds(1000));
  EXPECT_EQ(backoff(5, milliseconds(500), milliseconds(60000)), milliseconds(4000));
  EXPECT_EQ(backoff(40, milliseconds(500), milliseconds(60000)), milliseconds(60000));
}

}  // namespace
}  // namespace fieldlink::webhook
