#include "http/content_encoding.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>

namespace fieldlink {
namespace {

TEST(ContentEncoding, ReadsAcceptEncodingWithQualities) {
  EXPECT_TRUE(acceptsGzip("gzip"));
  EXPECT_TRUE(acceptsGzip("deflate, gzip;q=0.5, br"));
  EXPECT_TRUE(acceptsGzip("GZIP"));
  EXPECT_TRUE(acceptsGzip("*"));
  EXPECT_FALSE(acceptsGzip(""));
  EXPECT_FALSE(acceptsGzip("br, deflate"));
  EXPECT_FALSE(acceptsGzip("gzip;q=0"));
  EXPECT_FALSE(acceptsGzip("*, gzip;q=0"));  // the explicit entry wins
  EXPECT_FALSE(acceptsGzip("gzip;q=nonsense"));
  EXPECT_TRUE(acceptsGzip("identity;q=0, *;q=0.1"));
}

TEST(ContentEncoding, GzipRoundTrips) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "{\"id\":" + std::to_string(i) + ",\"text\":\"hello\"},";
  const std::string packed = gzipped(text);
  EXPECT_LT(packed.size(), text.size() / 5);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);  // the gzip magic
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
  std::istringstream in(packed);
  Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string unpacked;
  Poco::StreamCopier::copyToString(inflate, unpacked);
  EXPECT_EQ(unpacked, text);
}

}  // namespace
}  // namespace fieldlink
