#pragma once

#include <string>

#include <fieldlink/sdk/media.hpp>

namespace fieldlink::media {

// Opens an audio or video file with libavformat, reads every packet and fills in the
// container, codecs, stream kinds, dimensions and the duration measured from the packets.
// Throws MediaInvalid when the file cannot be demuxed, is corrupt, or ends well before the
// duration its header declares (a truncated upload).
void probeAudioVideo(const std::string& path, sdk::MediaInfo& info);

}  // namespace fieldlink::media
