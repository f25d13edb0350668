#include "attachments/attachment_service.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <sstream>

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Util/TimerTaskAdapter.h>

#include "attachments/file_name.hpp"
#include "attachments/media_json.hpp"
#include "domain/errors.hpp"
#include "media/image_metadata.hpp"
#include "media/media_error.hpp"

namespace fieldlink {
namespace {

Poco::Logger& log() { return Poco::Logger::get("fieldlink.attachments"); }

void enforce(const sdk::UploadDecision& decision) {
  using Verdict = sdk::UploadDecision::Verdict;
  switch (decision.verdict()) {
    case Verdict::Accept:
      return;
    case Verdict::TooLarge:
      throw TooLarge(decision.reason());
    case Verdict::Unsupported:
      throw UnsupportedMediaType(decision.reason());
    case Verdict::Invalid:
      throw BadRequest(decision.reason(), "invalid_media");
  }
}

sdk::Attachment toSdk(const AttachmentRecord& record) {
  sdk::Attachment a;
  a.id = record.id;
  a.owner_id = record.owner_id.value;
  a.content_type = record.content_type;
  a.size = record.size;
  a.sha256 = record.sha256;
  a.name = record.name;
  a.media = attachments::mediaFromJson(record.media_json);
  return a;
}

std::int64_t attachmentIdOf(const Poco::JSON::Object& content) {
  const Poco::Dynamic::Var value = content.get("attachment_id");
  if (value.isInteger() && !value.isBoolean()) {
    const Poco::Int64 id = value.convert<Poco::Int64>();
    if (id > 0) return id;
  }
  throw InvalidInput("content.attachment_id", "Must be the id of an uploaded attachment.");
}

}  // namespace

AttachmentService::AttachmentService(Store& store, const PluginHost& plugins,
                                     AttachmentSettings settings)
    : store_(store),
      plugins_(plugins),
      settings_(std::move(settings)),
      blobs_(settings_.root),
      probe_(settings_.concurrent_decodes, settings_.decodes, settings_.budget) {
  if (settings_.uploads_per_hour > 0)
    uploads_ = std::make_unique<AttemptLimiter>(settings_.uploads_per_hour, std::chrono::hours(1));
}

AttachmentService::~AttachmentService() {
  if (purge_timer_) purge_timer_->cancel(true);
}

std::int64_t AttachmentService::uploadLimit(const std::string& message_type) const {
  return std::min(settings_.max_bytes, plugins_.uploadLimit(message_type));
}

void AttachmentService::checkQuota(std::int64_t unreferenced, std::int64_t size) const {
  if (settings_.user_quota_bytes > 0 && unreferenced + size > settings_.user_quota_bytes)
    throw TooLarge("Your uploads that no message uses yet hold " + std::to_string(unreferenced) +
                       " bytes; with this one they would pass the " +
                       std::to_string(settings_.user_quota_bytes) +
                       " allowed. Send or wait for them to expire.",
                   "upload_quota_exceeded");
}

void AttachmentService::refuseUnaffordable(const User& uploader, std::int64_t size) {
  struct statvfs disk {};
  if (settings_.min_free_bytes > 0 && statvfs(settings_.root.c_str(), &disk) == 0) {
    const auto free =
        static_cast<std::int64_t>(disk.f_bavail) * static_cast<std::int64_t>(disk.f_frsize);
    if (free - size < settings_.min_free_bytes)
      throw InsufficientStorage(
          "The server is short of disk space: uploads are refused until some is freed.");
  }
  if (uploads_) {
    const std::string key = std::to_string(uploader.id.value);
    const auto now = AttemptLimiter::Clock::now();
    const auto wait = uploads_->waitFor(key, now);
    if (wait.count() > 0)
      throw TooManyRequests(
          "Too many uploads. Try again in " + std::to_string(wait.count()) + " s.", wait);
    uploads_->record(key, now);
  }
  checkQuota(store_.read([&](StoreSession& s) { return s.unreferencedBytesOf(uploader.id); }),
             size);
}

void AttachmentService::screen(const std::string& message_type, const sdk::MediaInfo& known,
                               std::int64_t size) const {
  sdk::UploadDecision decision = plugins_.screenUpload(message_type, known, size);
  // A sniffed "video/..." may hold sound only (a browser's voice recording in WebM): until
  // its streams are known, "audio/..." is what it may turn out to be.
  if (!decision.accepted() && known.container.empty() &&
      known.content_type.rfind("video/", 0) == 0) {
    sdk::MediaInfo as_sound = known;
    as_sound.content_type = "audio/" + known.content_type.substr(6);
    if (plugins_.screenUpload(message_type, as_sound, size).accepted()) return;
  }
  enforce(decision);
}

AttachmentRecord AttachmentService::accept(const User& uploader, const std::string& message_type,
                                           const std::string& received_path,
                                           const std::string& client_name) {
  Poco::File received(received_path);
  const auto size = static_cast<std::int64_t>(received.getSize());
  if (size == 0) throw InvalidInput("file", "The file is empty.");
  if (size > uploadLimit(message_type))
    throw TooLarge("The file is larger than " + std::to_string(uploadLimit(message_type)) +
                   " bytes.");
  refuseUnaffordable(uploader, size);
  sdk::MediaInfo media;
  try {
    media = probe_.probe(received_path,
                         [&](const sdk::MediaInfo& known) { screen(message_type, known, size); });
    const sdk::UploadDecision decision = plugins_.reviewUpload(message_type, media, size);
    enforce(decision);
    if (decision.stripLocation() && media.has_location) {
      media::stripLocation(received_path, media.content_type);
      sdk::MediaInfo stripped;
      stripped.content_type = media.content_type;
      media::probeImage(received_path, stripped);
      // Never store coordinates the operator asked to remove.
      if (stripped.has_location)
        throw media::MediaInvalid("The image's location cannot be removed.");
      media.has_location = false;
    }
  } catch (const media::MediaInvalid& e) {
    throw BadRequest(e.what(), "invalid_media");
  } catch (const media::MediaTooCostly& e) {
    throw TooLarge(e.what(), "media_too_costly");
  }

  AttachmentRecord record;
  record.owner_id = uploader.id;
  record.sha256 = attachments::BlobStore::sha256Of(received_path);
  record.content_type = media.content_type;
  record.size = static_cast<std::int64_t>(received.getSize());
  record.name = attachments::sanitiseFileName(client_name);
  record.created_at = nowMs();
  record.message_type = message_type;
  std::ostringstream json;
  attachments::mediaToJson(media)->stringify(json);
  record.media_json = json.str();

  std::lock_guard<std::mutex> lock(blob_mutex_);
  blobs_.adopt(received_path, record.sha256);
  try {
    return store_.write([&](StoreSession& s) {
      // Again where it counts: two uploads at once each saw the quota without the other.
      checkQuota(s.unreferencedBytesOf(uploader.id), record.size);
      return s.insertAttachment(record);
    });
  } catch (...) {
    const bool in_use = store_.read([&](StoreSession& s) { return s.blobInUse(record.sha256); });
    if (!in_use) blobs_.remove(record.sha256);
    throw;
  }
}

AttachmentService::Download AttachmentService::open(const User& caller, std::int64_t id) {
  auto record = store_.read([&](StoreSession& s) -> std::optional<AttachmentRecord> {
    auto found = s.findAttachment(id);
    if (!found) return std::nullopt;
    if (found->owner_id == caller.id) return found;
    if (!found->conversation_id) return std::nullopt;
    const auto participants = s.participantIds(*found->conversation_id);
    if (std::find(participants.begin(), participants.end(), caller.id) == participants.end())
      return std::nullopt;
    return found;
  });
  // The same answer for "does not exist" and "not yours".
  if (!record) throw NotFound("Attachment not found.");
  return {*record, blobs_.pathOf(record->sha256)};
}

std::vector<sdk::Attachment> AttachmentService::resolve(const User& sender,
                                                        const std::string& message_type,
                                                        const Poco::JSON::Object& content) {
  if (!content.has("attachment_id")) return {};
  const std::int64_t id = attachmentIdOf(content);
  const auto record = store_.read([&](StoreSession& s) { return s.findAttachment(id); });
  if (!record || record->owner_id != sender.id)
    throw InvalidInput("content.attachment_id", "No such attachment among your uploads.");
  if (record->message_type != message_type)
    throw InvalidInput("content.attachment_id", "This file was uploaded for the '" +
                                                    record->message_type + "' message type.");
  return {toSdk(*record)};
}

int AttachmentService::purgeUnreferenced(TimePoint now) {
  const TimePoint cutoff = now - settings_.unreferenced_ttl;
  std::lock_guard<std::mutex> lock(blob_mutex_);
  const auto doomed =
      store_.read([&](StoreSession& s) { return s.unreferencedAttachments(cutoff, 1000); });
  if (doomed.empty()) return 0;
  int deleted = 0;
  std::vector<std::string> orphans;
  store_.write([&](StoreSession& s) {
    deleted = 0;
    orphans.clear();
    for (const auto& record : doomed) {
      if (!s.deleteUnreferencedAttachment(record.id)) continue;  // sent meanwhile
      ++deleted;
      if (!s.blobInUse(record.sha256)) orphans.push_back(record.sha256);
    }
  });
  for (const auto& sha256 : orphans) blobs_.remove(sha256);
  log().information("purged %d unused attachments (%z files)", deleted, orphans.size());
  return deleted;
}

void AttachmentService::startPurging() {
  purge_timer_ = std::make_unique<Poco::Util::Timer>();
  const long interval_ms = static_cast<long>(settings_.purge_interval.count()) * 1000;
  purge_timer_->scheduleAtFixedRate(
      new Poco::Util::TimerTaskAdapter<AttachmentService>(*this, &AttachmentService::purgeTick),
      interval_ms, interval_ms);
}

void AttachmentService::purgeTick(Poco::Util::TimerTask&) {
  try {
    purgeUnreferenced(nowMs());
  } catch (const std::exception& e) {
    log().error("purging unused attachments failed: %s", std::string(e.what()));
  }
}

}  // namespace fieldlink
