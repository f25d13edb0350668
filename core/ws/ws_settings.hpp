#pragma once

#include <chrono>
#include <cstddef>

namespace fieldlink::ws {

// Limits and timings of the WebSocket hub (the ws.* configuration keys).
struct WsSettings {
  int reactor_threads = 2;
  int worker_threads = 2;  // for the blocking parts of read receipts and resume
  std::size_t max_frame_bytes = 64 * 1024;
  std::size_t max_queue_bytes = 1024 * 1024;  // unsent bytes before a reader is too slow
  double messages_per_second = 20;            // sustained, per connection
  double message_burst = 40;
  // Messages read but held back by the rate limit; past this the sender is closed (1008).
  std::size_t max_backlog_bytes = 256 * 1024;
  int max_connections_per_user = 10;
  std::chrono::seconds ping_interval{30};
  std::chrono::seconds idle_timeout{75};
  std::chrono::seconds message_timeout{30};  // from a message's first byte to its last
  std::size_t deflate_min_bytes = 256;       // 0: permessage-deflate not offered
  std::chrono::milliseconds typing_timeout{5000};
  std::chrono::milliseconds typing_throttle{2000};
  int resume_max_messages = 5000;
  // How often the store is asked for users disabled or given a new password.
  std::chrono::seconds access_check_interval{2};
};

}  // namespace fieldlink::ws
