#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fieldlink::sdk {

// What the host's media probe read from an upload's bytes (libmagic, libavformat, exiv2).
// Nothing here comes from the client: not the file name, not its Content-Type.
struct MediaInfo {
  std::string content_type;         // sniffed, e.g. "image/jpeg", "audio/ogg", "audio/webm"
  std::string container;            // libavformat's demuxer for audio/video, e.g. "ogg"
  std::vector<std::string> codecs;  // of the audio and video streams, e.g. {"opus"}
  bool has_audio = false;
  bool has_video = false;
  std::optional<std::int64_t> duration_ms;  // measured from the packets, audio and video
  std::optional<int> width;                 // images and video
  std::optional<int> height;
  bool has_location = false;  // the file carries GPS coordinates in its metadata
};

// An uploaded file, as a message's content refers to it (`content.attachment_id`).
struct Attachment {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string name;  // the client's file name, sanitised; may be empty
  MediaInfo media;
};

// A message type's verdict on an upload meant for it.
class UploadDecision {
 public:
  enum class Verdict { Accept, TooLarge, Unsupported, Invalid };

  // `strip_location`: remove GPS metadata before the file is stored.
  static UploadDecision accept(bool strip_location = false) {
    UploadDecision d;
    d.strip_location_ = strip_location;
    return d;
  }
  static UploadDecision tooLarge(std::string reason) { return refuse(Verdict::TooLarge, reason); }
  static UploadDecision unsupported(std::string reason) {
    return refuse(Verdict::Unsupported, reason);
  }
  static UploadDecision invalid(std::string reason) { return refuse(Verdict::Invalid, reason); }

  Verdict verdict() const { return verdict_; }
  bool accepted() const { return verdict_ == Verdict::Accept; }
  bool stripLocation() const { return strip_location_; }
  const std::string& reason() const { return reason_; }  // shown to the client as is

 private:
  static UploadDecision refuse(Verdict verdict, std::string& reason) {
    UploadDecision d;
    d.verdict_ = verdict;
    d.reason_ = std::move(reason);
    return d;
  }
  Verdict verdict_ = Verdict::Accept;
  bool strip_location_ = false;
  std::string reason_;
};

// Implemented by message types that carry a file (file, voice, video). The host streams
// the upload to disk (never more than maxBytes()), screens it (UploadScreen, below, when the
// policy has one), probes it, then asks review(); it
// answers 413, 415 or 400 with the reason when the verdict is not Accept.
// Both are called concurrently from HTTP threads: thread-safe, no blocking.
class UploadPolicy {
 public:
  virtual ~UploadPolicy() = default;
  virtual std::int64_t maxBytes() const = 0;
  virtual UploadDecision review(const MediaInfo& media, std::int64_t size) const = 0;
};

// Optional, beside UploadPolicy (the same object implements both; the host finds it with
// dynamic_cast, so a plugin without it loads as before): the policy's word on an upload
// before anything decodes it, so that a file it could never accept costs no decoding.
// The host asks screen() first with the sniffed type alone (`container` empty; a sniffed
// "video/..." may still turn out to be sound only, so it asks again with "audio/..." before
// refusing), then, for audio and video, with what the container's header declares:
// container, codecs, stream kinds, dimensions, and as `duration_ms` the duration the header
// states (unset when it states none). Nothing in either has been decoded or measured.
// Any verdict but accept refuses the upload at once; accept lets it go on to the decode and
// review(), which has the last word. Judge only what is set: a field not known yet is not a
// reason to refuse. Same threading rules as UploadPolicy.
class UploadScreen {
 public:
  virtual ~UploadScreen() = default;
  virtual UploadDecision screen(const MediaInfo& known, std::int64_t size) const = 0;
};

}  // namespace fieldlink::sdk
