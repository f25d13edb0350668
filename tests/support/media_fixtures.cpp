#include "support/media_fixtures.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Process.h>

namespace fieldlink::testing {
namespace {

void littleEndian(std::string& out, std::uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void mustRun(const std::string& command) {
  std::string output;
  if (runShell(command, output) != 0)
    throw std::runtime_error("fixture command failed: " + command + "\n" + output);
}

}  // namespace

std::string makeWav(std::int64_t ms) {
  constexpr std::uint32_t kRate = 16000;
  const auto samples = static_cast<std::uint32_t>(kRate * ms / 1000);
  std::string data;
  for (std::uint32_t i = 0; i < samples; ++i) {
    const double t = static_cast<double>(i) / kRate;
    littleEndian(
        data,
        static_cast<std::uint16_t>(static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * t))),
        2);
  }
  std::string wav = "RIFF";
  littleEndian(wav, static_cast<std::uint32_t>(36 + data.size()), 4);
  wav += "WAVEfmt ";
  littleEndian(wav, 16, 4);         // fmt chunk size
  littleEndian(wav, 1, 2);          // PCM
  littleEndian(wav, 1, 2);          // mono
  littleEndian(wav, kRate, 4);      // sample rate
  littleEndian(wav, kRate * 2, 4);  // byte rate
  littleEndian(wav, 2, 2);          // block align
  littleEndian(wav, 16, 2);         // bits per sample
  wav += "data";
  littleEndian(wav, static_cast<std::uint32_t>(data.size()), 4);
  return wav + data;
}

int runShell(const std::string& command, std::string& output) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  char buffer[4096];
  output.clear();
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

namespace {

const char* const kFixtureNames[] = {"voice.wav",      "voice.ogg", "voice.webm",    "voice.m4a",
                                     "voice.mp3",      "clip.mp4",  "clip.webm",     "clip.mkv",
                                     "clip_mpeg4.mp4", "photo.png", "photo_gps.jpg", "photo.heic",
                                     "photo_gps.heic", "notes.txt"};
// Bumped whenever the set above changes, so an older set in a build tree is not used.
const char* const kFixtureVersion = "v3";

}  // namespace

MediaFixtures::MediaFixtures()
    : dir_(std::string(FIELDLINK_MEDIA_FIXTURE_DIR) + "/" + kFixtureVersion) {
  for (const char* name : kFixtureNames) paths_[name] = dir_ + "/" + name;
  if (Poco::File(dir_ + "/complete").exists()) return;
  // Made aside and renamed into place, so parallel test processes never see half of it.
  const std::string staging = dir_ + ".staging-" + std::to_string(Poco::Process::id());
  Poco::File(staging).createDirectories();
  Poco::File(Poco::Path(dir_).parent()).createDirectories();
  generate(staging);
  std::ofstream(staging + "/complete") << "1\n";
  try {
    Poco::File(staging).renameTo(dir_);
  } catch (const Poco::Exception&) {
    Poco::File(staging).remove(true);  // another process finished first
  }
}

void MediaFixtures::generate(const std::string& dir) {
  auto at = [&](const std::string& name) { return dir + "/" + name; };
  writeFile(at("voice.wav"), makeWav(kAudioMs));
  const std::string ffmpeg = "ffmpeg -nostdin -loglevel error -y ";
  const std::string wav = at("voice.wav");
  mustRun(ffmpeg + "-i " + wav + " -c:a libopus " + at("voice.ogg"));
  mustRun(ffmpeg + "-i " + wav + " -c:a libopus " + at("voice.webm"));
  mustRun(ffmpeg + "-i " + wav + " -c:a aac " + at("voice.m4a"));
  mustRun(ffmpeg + "-i " + wav + " -c:a libmp3lame " + at("voice.mp3"));
  const std::string pattern =
      "-f lavfi -i testsrc=size=320x240:rate=25:duration=" + std::to_string(kClipMs / 1000) + " ";
  mustRun(ffmpeg + pattern + "-pix_fmt yuv420p -c:v libx264 " + at("clip.mp4"));
  mustRun(ffmpeg + pattern + "-c:v libvpx " + at("clip.webm"));
  mustRun(ffmpeg + pattern + "-pix_fmt yuv420p -c:v libx264 " + at("clip.mkv"));
  // MPEG-4 Part 2: a codec no message type takes.
  mustRun(ffmpeg + pattern + "-c:v mpeg4 " + at("clip_mpeg4.mp4"));
  mustRun(ffmpeg + "-f lavfi -i testsrc=size=64x48 -frames:v 1 " + at("photo.png"));
  mustRun(ffmpeg + "-f lavfi -i testsrc=size=64x48 -frames:v 1 " + at("photo_gps.jpg"));
  mustRun(
      "exiftool -q -overwrite_original -GPSLatitude=48.8584 -GPSLatitudeRef=N "
      "-GPSLongitude=2.2945 -GPSLongitudeRef=E -Make=FieldlinkTest " +
      at("photo_gps.jpg"));
  mustRun(ffmpeg + "-f lavfi -i testsrc=size=640x480 -frames:v 1 " + at("big.png"));
  mustRun("heif-enc -q 50 " + at("big.png") + " -o " + at("photo.heic"));
  mustRun("cp " + at("photo.heic") + " " + at("photo_gps.heic"));
  mustRun("exiftool -q -overwrite_original -GPSLatitude=48.8584 -GPSLatitudeRef=N " +
          at("photo_gps.heic"));
  writeFile(at("notes.txt"), "Boiler model X-200, serial 12345.\n");
}

const std::string& MediaFixtures::path(const std::string& name) const {
  const auto it = paths_.find(name);
  if (it == paths_.end()) throw std::out_of_range("no fixture " + name);
  return it->second;
}

std::string MediaFixtures::bytes(const std::string& name) const { return readFile(path(name)); }

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Multipart multipart(const std::string& file_bytes, const std::string& file_name,
                    const std::string& declared_type,
                    const std::map<std::string, std::string>& fields) {
  const std::string boundary = "fieldlink-test-boundary-7c1e";
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
          file_name + "\"\r\nContent-Type: " + declared_type + "\r\n\r\n" + file_bytes + "\r\n";
  body += "--" + boundary + "--\r\n";
  return {"multipart/form-data; boundary=" + boundary, body};
}

HttpResult postMultipart(const HttpClient& http, const std::string& path, const std::string& token,
                         const Multipart& form, std::map<std::string, std::string> extra_headers) {
  extra_headers["Content-Type"] = form.content_type;
  extra_headers["Authorization"] = "Bearer " + token;
  return http.request("POST", path, form.body, extra_headers);
}

}  // namespace fieldlink::testing
