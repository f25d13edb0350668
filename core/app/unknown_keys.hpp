#pragma once

#include <string>
#include <vector>

namespace fieldlink {

// Keys a configuration names that fieldlink does not know. A misspelled key is otherwise
// ignored without a word, and its default used: "http.prot = 9000" would leave the server on
// 8000. `given`: the keys of the config file and of --set. A plugin's own section
// (plugins.<name>.<key>) and Poco's logging.* are not checked here: they are not fieldlink's
// keys to know. One line per unknown key, with the nearest known key when one is close:
// "unknown key 'http.prot' (did you mean 'http.port'?)".
std::vector<std::string> unknownKeys(const std::vector<std::string>& given);

}  // namespace fieldlink
