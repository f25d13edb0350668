#pragma once

#include <map>
#include <string>

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace fieldlink::testing {

// Real media made at test time: a WAV written here in code, the rest encoded from it (or
// from a test picture) by ffmpeg, and a JPEG given GPS coordinates by exiftool. Made once
// per build tree (FIELDLINK_MEDIA_FIXTURE_DIR) and shared by the test processes ctest runs.
class MediaFixtures {
 public:
  MediaFixtures();  // generates what is missing; throws if a tool fails

  // By name: "voice.wav", "voice.ogg", "voice.webm", "voice.m4a", "voice.mp3",
  // "clip.mp4", "clip.webm", "clip.mkv" (H.264 in Matroska), "clip_mpeg4.mp4" (MPEG-4 Part 2),
  // "photo.png", "photo_gps.jpg", "photo.heic" (640x480),
  // "photo_gps.heic", "notes.txt".
  const std::string& path(const std::string& name) const;
  std::string bytes(const std::string& name) const;
  // The true length of the sound in every audio file, and of the clips.
  static constexpr std::int64_t kAudioMs = 4000;
  static constexpr std::int64_t kClipMs = 3000;

 private:
  void generate(const std::string& dir);

  std::string dir_;
  std::map<std::string, std::string> paths_;
};

// A PCM WAV file of `ms` milliseconds of a 440 Hz tone, 16-bit mono 16 kHz.
std::string makeWav(std::int64_t ms);

// Runs a command line through /bin/sh; returns its exit code, its output in `output`.
int runShell(const std::string& command, std::string& output);

// A multipart/form-data body with one file part named "file" and the given fields.
struct Multipart {
  std::string content_type;
  std::string body;
};
Multipart multipart(const std::string& file_bytes, const std::string& file_name,
                    const std::string& declared_type = "application/octet-stream",
                    const std::map<std::string, std::string>& fields = {});

// POSTs a multipart body to `path` with the bearer token.
HttpResult postMultipart(const HttpClient& http, const std::string& path, const std::string& token,
                         const Multipart& form,
                         std::map<std::string, std::string> extra_headers = {});

std::string readFile(const std::string& path);

}  // namespace fieldlink::testing
