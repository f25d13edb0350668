#pragma once

#include <functional>
#include <string>

#include "metrics/instruments.hpp"

namespace fieldlink::metrics {

// What fieldlink counts about itself, for GET /metrics. Owned by the runtime; the parts of
// the server that do the work record into it.
struct ServerMetrics {
  Counter messages_received;   // new messages stored (REST, WebSocket, system)
  Counter messages_delivered;  // message frames queued to WebSocket connections
  Histogram store_write_seconds{{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                 2.5}};  // queued to durable
  Histogram store_read_seconds{
      {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1}};
  StatusCounter http_responses;
  Counter http_deadline_closes;  // connections closed for a request too slow to arrive
  Counter bus_events_rejected;   // from Redis without a valid signature: dropped
  Counter media_decodes;         // audio and video uploads opened with libav to check them
  LabelledCounter plugin_errors;
  // Read at scrape time; unset means 0.
  std::function<std::size_t()> websocket_connections;
  std::function<std::size_t()> open_connections;  // every client connection, HTTP or WebSocket
};

// The Prometheus text exposition format (version 0.0.4) of everything above, plus the
// process's resident memory, open file descriptors and uptime.
std::string prometheusText(const ServerMetrics& metrics);

}  // namespace fieldlink::metrics
