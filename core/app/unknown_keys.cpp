#include "app/unknown_keys.hpp"

#include <algorithm>
#include <cstddef>

#include <Poco/String.h>

#include "app/settings.hpp"

namespace fieldlink {
namespace {

// Levenshtein distance: edits (insert, delete, replace) from one key to the other.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// plugins.<name>.<key>: a plugin's section, whose keys the plugin alone knows.
bool isPluginSection(const std::string& key) {
  return Poco::startsWith(key, std::string("plugins.")) &&
         std::count(key.begin(), key.end(), '.') >= 2;
}

}  // namespace

std::vector<std::string> unknownKeys(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& key : given) {
    if (isPluginSection(key) || Poco::startsWith(key, std::string("logging."))) continue;
    const auto& known = settingKeys();
    if (std::any_of(known.begin(), known.end(), [&](const SettingKey& k) { return key == k.key; }))
      continue;
    // The nearest known key, if a slip of a few characters away (a third of the key at most).
    const SettingKey* nearest = nullptr;
    std::size_t best = std::max<std::size_t>(1, std::min<std::size_t>(3, key.size() / 3)) + 1;
    for (const auto& k : known) {
      const std::size_t d = distance(key, k.key);
      if (d < best) {
        best = d;
        nearest = &k;
      }
    }
    out.push_back("unknown key '" + key + "'" +
                  (nearest ? " (did you mean '" + std::string(nearest->key) + "'?)" : ""));
  }
  return out;
}

}  // namespace fieldlink
