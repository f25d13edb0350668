#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/Util/Timer.h>
#include <fieldlink/sdk/media.hpp>

#include "attachments/blob_store.hpp"
#include "auth/attempt_limiter.hpp"
#include "domain/model.hpp"
#include "media/media_probe.hpp"
#include "plugins/plugin_host.hpp"
#include "store/store.hpp"

namespace fieldlink {

struct AttachmentSettings {
  std::string root;            // <data dir>/attachments
  std::int64_t max_bytes = 0;  // no upload is ever larger, whatever a plugin allows
  std::chrono::seconds unreferenced_ttl{86400};
  std::chrono::seconds purge_interval{600};
  int concurrent_decodes = 0;           // 0: one per core
  metrics::Counter* decodes = nullptr;  // counts audio and video decoded (optional)
  media::ProbeBudget budget;
  // What one user can make the server keep, and the disk it must keep free (0: no limit).
  std::int64_t user_quota_bytes = 0;  // of uploads no message uses yet
  int uploads_per_hour = 0;           // per user
  std::int64_t min_free_bytes = 0;    // on the attachments' file system
};

// Uploaded files: accepted through the media probe and the message type's review, stored by
// content hash, tied to the message that uses them, served to that conversation's
// participants, and purged when no message used them in time.
class AttachmentService {
 public:
  AttachmentService(Store& store, const PluginHost& plugins, AttachmentSettings settings);
  ~AttachmentService();

  // Where uploads are received before accept() (same file system as the store).
  const std::string& receiveDir() const { return blobs_.tempDir(); }
  // The most bytes an upload for `message_type` may have.
  std::int64_t uploadLimit(const std::string& message_type) const;
  // Probes the received file, asks the message type, strips location data if it says so,
  // and stores it. The received file is moved into the store or left for the caller to
  // delete. Throws TooLarge, UnsupportedMediaType or BadRequest("invalid_media").
  AttachmentRecord accept(const User& uploader, const std::string& message_type,
                          const std::string& received_path, const std::string& client_name);

  struct Download {
    AttachmentRecord record;
    std::string path;
  };
  // NotFound unless the caller uploaded it or takes part in the conversation that uses it.
  Download open(const User& caller, std::int64_t id);

  // The attachment a message's `content.attachment_id` names, checked: it exists, `sender`
  // uploaded it and it was accepted for `message_type`. Empty when the content names none.
  std::vector<sdk::Attachment> resolve(const User& sender, const std::string& message_type,
                                       const Poco::JSON::Object& content);

  // Deletes attachments that no message uses and that are older than the configured time,
  // and their bytes when nothing else names them. Returns how many went.
  int purgeUnreferenced(TimePoint now);
  // Runs purgeUnreferenced() every purge_interval on a timer thread until destruction.
  void startPurging();

 private:
  void purgeTick(Poco::Util::TimerTask&);
  // Refuses an upload the disk, the user's rate or the user's quota cannot take (507, 429,
  // 413), before anything reads the file.
  void refuseUnaffordable(const User& uploader, std::int64_t size);
  void checkQuota(std::int64_t unreferenced, std::int64_t size) const;
  // The message type's word on what is known of an upload before it is decoded; throws the
  // refusal.
  void screen(const std::string& message_type, const sdk::MediaInfo& known,
              std::int64_t size) const;

  Store& store_;
  const PluginHost& plugins_;
  AttachmentSettings settings_;
  attachments::BlobStore blobs_;
  media::MediaProbe probe_;
  // Adopting bytes and deleting them are serialised, so that a purge never removes bytes an
  // upload has just found already stored.
  std::mutex blob_mutex_;
  std::unique_ptr<Poco::Util::Timer> purge_timer_;
  std::unique_ptr<AttemptLimiter> uploads_;  // per user and hour; null: no limit
};

}  // namespace fieldlink
