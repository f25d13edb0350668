#include "web/map_tiles.hpp"

#include <gtest/gtest.h>

#include <Poco/Exception.h>

namespace fieldlink {
namespace {

TEST(MapTilesTest, UnsetMeansNoTiles) {
  const MapTiles none("", "");
  EXPECT_FALSE(none.configured());
  EXPECT_EQ(none.origin(), "");
}

TEST(MapTilesTest, TheOriginIsSchemeHostAndAnyPort) {
  EXPECT_EQ(MapTiles("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "").origin(),
            "https://tile.openstreetmap.org");
  EXPECT_EQ(MapTiles("http://127.0.0.1:8080/t/{z}/{x}/{y}.png?key=k", "").origin(),
            "http://127.0.0.1:8080");
  const MapTiles tiles("https://tiles.example.org/{z}/{y}/{x}", "© OSM");
  EXPECT_TRUE(tiles.configured());
  EXPECT_EQ(tiles.attribution(), "© OSM");
}

TEST(MapTilesTest, RefusesWhatCannotServeTilesOrWouldBreakThePolicy) {
  for (const char* bad : {
           "https://tile.example.org/{z}/{x}.png",          // no {y}
           "ftp://tile.example.org/{z}/{x}/{y}.png",        // not http(s)
           "/tiles/{z}/{x}/{y}.png",                        // no host
           "https://{s}.tile.example.org/{z}/{x}/{y}.png",  // a host that varies
           "https://tile.example.org/{z}/{x}/{y}.png; script-src *",
           "https://tile.example.org/{z}/{x}/{y}.png'",
           "https://user:secret@tile.example.org/{z}/{x}/{y}.png",
       })
    EXPECT_THROW(MapTiles(bad, ""), Poco::InvalidArgumentException) << bad;
}

}  // namespace
}  // namespace fieldlink
