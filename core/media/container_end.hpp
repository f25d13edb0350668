#pragma once

#include <string>

namespace fieldlink::media {

// Whether a file of this libavformat container ends where its own framing says it does.
// Ogg and WAV need it: a cut-off Ogg stream or WAV file still demuxes as a shorter one, and
// neither declares its length elsewhere. Other containers are checked by the duration they
// declare; for them this is always true.
bool endsCleanly(const std::string& path, const std::string& container);

}  // namespace fieldlink::media
