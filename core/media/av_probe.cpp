#include "media/av_probe.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include <algorithm>
#include <map>
#include <memory>

#include "media/container_end.hpp"
#include "media/media_error.hpp"

namespace fieldlink::media {
namespace {

// Only the containers fieldlink accepts, and only local files: a playlist format would
// otherwise make the server fetch whatever URLs an upload names.
constexpr const char* kFormatWhitelist = "ogg,matroska,webm,mov,mp4,m4a,mp3,wav";
constexpr const char* kProtocolWhitelist = "file";

// A file that stops this far short of the duration its header declares was cut off.
constexpr double kTruncatedBelow = 0.97;
constexpr std::int64_t kToleranceMs = 100;

// What libav reported as an error while this thread probed a file: demuxers and decoders
// log (rather than return) much of what they find wrong, such as a page checksum mismatch.
thread_local std::string* probe_errors = nullptr;

void captureErrors(void* context, int level, const char* format, va_list args) {
  if (!probe_errors || level > AV_LOG_ERROR || !probe_errors->empty()) return;
  char line[256];
  int print_prefix = 0;
  av_log_format_line(context, level, format, args, line, sizeof line, &print_prefix);
  *probe_errors = line;
}

const bool kLogCaptured = [] {
  av_log_set_callback(captureErrors);  // and nothing on stderr: refusals go to the client
  return true;
}();

class ErrorCapture {
 public:
  ErrorCapture() { probe_errors = &errors_; }
  ~ErrorCapture() { probe_errors = nullptr; }
  void check() const {
    if (!errors_.empty()) throw MediaInvalid("The file's data is corrupt.");
  }

 private:
  std::string errors_;
};

struct FreeCodec {
  void operator()(AVCodecContext* codec) const { avcodec_free_context(&codec); }
};
using Decoder = std::unique_ptr<AVCodecContext, FreeCodec>;

Decoder openDecoder(const AVStream& stream) {
  const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
  if (!codec) throw MediaInvalid("The file's codec cannot be decoded here.");
  Decoder decoder(avcodec_alloc_context3(codec));
  if (!decoder) throw std::bad_alloc();
  if (avcodec_parameters_to_context(decoder.get(), stream.codecpar) < 0)
    throw MediaInvalid("The file's codec parameters are invalid.");
  // Refuse damaged data instead of concealing it.
  decoder->err_recognition = AV_EF_CRCCHECK | AV_EF_BITSTREAM | AV_EF_EXPLODE;
  // Sound is cheap to decode in full; pictures are not (seconds of CPU per minute of HD), so
  // only key frames are decoded: damage between two of them goes unnoticed (docs/api.md).
  if (decoder->codec_type == AVMEDIA_TYPE_VIDEO) decoder->skip_frame = AVDISCARD_NONKEY;
  if (avcodec_open2(decoder.get(), codec, nullptr) < 0)
    throw MediaInvalid("The file's codec cannot be decoded here.");
  return decoder;
}

// Sends one packet (null: the end) and takes every frame it yields; returns the audio
// samples among them (the decoder has dropped encoder delay and padding already).
std::int64_t decode(AVCodecContext& decoder, const AVPacket* packet, AVFrame& frame) {
  if (avcodec_send_packet(&decoder, packet) < 0) throw MediaInvalid("The file's data is corrupt.");
  std::int64_t samples = 0;
  int rc;
  while ((rc = avcodec_receive_frame(&decoder, &frame)) >= 0) {
    if (decoder.codec_type == AVMEDIA_TYPE_AUDIO) samples += frame.nb_samples;
    av_frame_unref(&frame);
  }
  if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) throw MediaInvalid("The file's data is corrupt.");
  return samples;
}

struct CloseInput {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct FreePacket {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FreeFrame {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};

bool expired(const DecodeBudget& budget) {
  return std::chrono::steady_clock::now() >= budget.deadline;
}

void throwIfExpired(const DecodeBudget& budget) {
  if (expired(budget))
    throw MediaTooCostly("The file takes too long to check (attachments.decode_budget_seconds).");
}

// libav asks this during every blocking step (opening, probing, reading packets); non-zero
// stops the step with AVERROR_EXIT.
int interruptAtDeadline(void* budget) { return expired(*static_cast<const DecodeBudget*>(budget)); }

std::unique_ptr<AVFormatContext, CloseInput> openInput(const std::string& path,
                                                       const DecodeBudget& budget) {
  AVFormatContext* context = avformat_alloc_context();
  if (!context) throw std::bad_alloc();
  context->format_whitelist = av_strdup(kFormatWhitelist);
  context->protocol_whitelist = av_strdup(kProtocolWhitelist);
  context->interrupt_callback.callback = &interruptAtDeadline;
  context->interrupt_callback.opaque = const_cast<DecodeBudget*>(&budget);
  // On failure avformat_open_input frees the context itself.
  if (avformat_open_input(&context, path.c_str(), nullptr, nullptr) < 0) {
    throwIfExpired(budget);
    throw MediaInvalid("The file is not a readable audio or video container.");
  }
  return std::unique_ptr<AVFormatContext, CloseInput>(context);
}

bool isMedia(const AVStream& stream) {
  const auto type = stream.codecpar->codec_type;
  // A cover picture inside an audio file is not video.
  return type == AVMEDIA_TYPE_AUDIO ||
         (type == AVMEDIA_TYPE_VIDEO && !(stream.disposition & AV_DISPOSITION_ATTACHED_PIC));
}

// Fills in what the streams' parameters say; false when no stream is audio or video.
bool describeStreams(const AVFormatContext& context, sdk::MediaInfo& info) {
  info.container = context.iformat->name;
  info.codecs.clear();
  info.has_audio = info.has_video = false;
  info.width.reset();
  info.height.reset();
  for (unsigned i = 0; i < context.nb_streams; ++i) {
    const AVStream& stream = *context.streams[i];
    if (!isMedia(stream)) continue;
    const AVCodecParameters& codec = *stream.codecpar;
    info.codecs.emplace_back(avcodec_get_name(codec.codec_id));
    if (codec.codec_type == AVMEDIA_TYPE_AUDIO) {
      info.has_audio = true;
    } else {
      info.has_video = true;
      if (codec.width > 0 && codec.height > 0 && !info.width) {
        info.width = codec.width;
        info.height = codec.height;
      }
    }
  }
  return info.has_audio || info.has_video;
}

// Decodes the audio and the video key frames (damage shows there, not in the container) and
// returns how long the file plays: the decoded sound, and the last video packet's end.
std::int64_t decodeAll(AVFormatContext& context, const DecodeBudget& budget) {
  std::unique_ptr<AVPacket, FreePacket> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, FreeFrame> frame(av_frame_alloc());
  if (!packet || !frame) throw std::bad_alloc();
  std::map<int, Decoder> decoders;
  for (unsigned i = 0; i < context.nb_streams; ++i)
    if (isMedia(*context.streams[i])) decoders.emplace(i, openDecoder(*context.streams[i]));

  std::map<int, std::int64_t> audio_samples;
  std::map<int, std::int64_t> first_video_ms;
  std::int64_t video_end_ms = 0;
  int rc;
  while ((rc = av_read_frame(&context, packet.get())) >= 0) {
    // Decoding one packet is short; many are not.
    if (expired(budget)) {
      av_packet_unref(packet.get());
      throwIfExpired(budget);
    }
    const auto decoder = decoders.find(packet->stream_index);
    if (decoder != decoders.end()) {
      const AVStream& stream = *context.streams[packet->stream_index];
      const std::int64_t at = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      if (stream.codecpar->codec_type == AVMEDIA_TYPE_VIDEO && at != AV_NOPTS_VALUE) {
        const AVRational ms{1, 1000};
        const std::int64_t start = av_rescale_q(at, stream.time_base, ms);
        const std::int64_t end =
            av_rescale_q(at + std::max<std::int64_t>(packet->duration, 0), stream.time_base, ms);
        auto [first, inserted] = first_video_ms.try_emplace(packet->stream_index, start);
        first->second = std::min(first->second, start);
        video_end_ms = std::max(video_end_ms, end - first->second);
      }
      audio_samples[packet->stream_index] += decode(*decoder->second, packet.get(), *frame);
    }
    av_packet_unref(packet.get());
  }
  if (rc != AVERROR_EOF) {
    throwIfExpired(budget);
    throw MediaInvalid("The file's data is corrupt.");
  }
  std::int64_t end_ms = video_end_ms;
  for (auto& [index, decoder] : decoders) {
    const std::int64_t samples = audio_samples[index] + decode(*decoder, nullptr, *frame);
    if (decoder->codec_type == AVMEDIA_TYPE_AUDIO && decoder->sample_rate > 0)
      end_ms = std::max(end_ms, samples * 1000 / decoder->sample_rate);
  }
  return end_ms;
}

}  // namespace

struct AvInput::State {
  explicit State(DecodeBudget b) : budget(b) {}
  DecodeBudget budget;  // the interrupt callback reads it: never moves
  ErrorCapture errors;
  std::unique_ptr<AVFormatContext, CloseInput> context;
};

AvInput::AvInput(const std::string& path, DecodeBudget budget)
    : state_(std::make_unique<State>(budget)), path_(path) {
  state_->context = openInput(path, state_->budget);
}

AvInput::~AvInput() = default;

void AvInput::declared(sdk::MediaInfo& info) {
  const AVFormatContext& context = *state_->context;
  describeStreams(context, info);
  info.duration_ms.reset();
  if (context.duration != AV_NOPTS_VALUE && context.duration > 0)
    info.duration_ms = context.duration / 1000;
}

void AvInput::measure(sdk::MediaInfo& info) {
  AVFormatContext& context = *state_->context;
  const DecodeBudget& budget = state_->budget;
  // What the header left open (a codec's parameters), from the first packets.
  if (avformat_find_stream_info(&context, nullptr) < 0) {
    throwIfExpired(budget);
    throw MediaInvalid("The file's audio or video streams cannot be read.");
  }
  if (!describeStreams(context, info)) throw MediaInvalid("The file has no audio or video stream.");
  // Before decoding a frame of it: a frame's size is what its decoder allocates.
  for (unsigned i = 0; budget.max_pixels > 0 && i < context.nb_streams; ++i) {
    const AVCodecParameters& codec = *context.streams[i]->codecpar;
    if (codec.codec_type == AVMEDIA_TYPE_VIDEO &&
        std::int64_t{codec.width} * codec.height > budget.max_pixels)
      throw MediaTooCostly(
          "The video's frames have more pixels than attachments.max_pixels allows.");
  }
  if (!endsCleanly(path_, info.container))
    throw MediaInvalid("The file is truncated: it stops before the end of its container.");
  const std::int64_t measured = decodeAll(context, budget);
  state_->errors.check();
  if (measured <= 0) throw MediaInvalid("The file holds no audio or video data.");
  if (context.duration != AV_NOPTS_VALUE && context.duration > 0) {
    const std::int64_t declared = context.duration / 1000;
    if (measured + kToleranceMs < static_cast<std::int64_t>(declared * kTruncatedBelow))
      throw MediaInvalid("The file is truncated: its data ends at " +
                         std::to_string(measured / 1000.0).substr(0, 5) + " s of the " +
                         std::to_string(declared / 1000.0).substr(0, 5) + " s it declares.");
  }
  info.duration_ms = measured;
}

}  // namespace fieldlink::media
