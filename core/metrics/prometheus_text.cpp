#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "metrics/server_metrics.hpp"
#include "util/build_info.hpp"

namespace fieldlink::metrics {
namespace {

const auto kStarted = std::chrono::steady_clock::now();

void header(std::ostream& out, const char* name, const char* type, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

void histogram(std::ostream& out, const char* name, const char* help, const Histogram& h) {
  header(out, name, "histogram", help);
  const auto snap = h.snapshot();
  for (std::size_t i = 0; i < snap.upper_bounds.size(); ++i)
    out << name << "_bucket{le=\"" << snap.upper_bounds[i] << "\"} " << snap.cumulative[i] << '\n';
  out << name << "_bucket{le=\"+Inf\"} " << snap.count << '\n';
  out << name << "_sum " << snap.sum_seconds << '\n' << name << "_count " << snap.count << '\n';
}

// Label values may hold anything but these three must be escaped.
std::string labelValue(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

long residentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  statm >> pages_total >> pages_resident;
  return pages_resident * sysconf(_SC_PAGESIZE);
}

std::size_t openDescriptors() {
  std::error_code error;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error))
    ++n;
  return n;
}

}  // namespace

std::string prometheusText(const ServerMetrics& m) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  header(out, "fieldlink_websocket_connections", "gauge", "Open WebSocket connections.");
  out << "fieldlink_websocket_connections "
      << (m.websocket_connections ? m.websocket_connections() : 0) << '\n';
  header(out, "fieldlink_http_deadline_closes_total", "counter",
         "HTTP connections closed because a request did not arrive in time (slow clients)");
  out << "fieldlink_http_deadline_closes_total " << m.http_deadline_closes.value() << '\n';
  header(out, "fieldlink_connections_open", "gauge",
         "Open client connections, HTTP and WebSocket (each holds one of http.max_connections).");
  out << "fieldlink_connections_open " << (m.open_connections ? m.open_connections() : 0) << '\n';
  header(out, "fieldlink_messages_received_total", "counter",
         "New messages stored (REST, WebSocket and system messages).");
  out << "fieldlink_messages_received_total " << m.messages_received.value() << '\n';
  header(out, "fieldlink_messages_delivered_total", "counter",
         "Message frames queued to WebSocket connections.");
  out << "fieldlink_messages_delivered_total " << m.messages_delivered.value() << '\n';
  header(out, "fieldlink_bus_events_rejected_total", "counter",
         "Events from Redis dropped for a missing or wrong signature (bus.secret).");
  out << "fieldlink_bus_events_rejected_total " << m.bus_events_rejected.value() << '\n';
  header(out, "fieldlink_media_decodes_total", "counter",
         "Audio and video uploads opened with libav to check them.");
  out << "fieldlink_media_decodes_total " << m.media_decodes.value() << '\n';
  histogram(out, "fieldlink_store_write_seconds",
            "Time from a write being queued to its commit being durable.", m.store_write_seconds);
  histogram(out, "fieldlink_store_read_seconds", "Time of one read from the store.",
            m.store_read_seconds);
  header(out, "fieldlink_http_responses_total", "counter", "HTTP responses by status code.");
  for (const auto& [status, count] : m.http_responses.nonZero())
    out << "fieldlink_http_responses_total{code=\"" << status << "\"} " << count << '\n';
  header(out, "fieldlink_plugin_errors_total", "counter",
         "Exceptions thrown by plugins, caught by the host.");
  for (const auto& [plugin, count] : m.plugin_errors.values())
    out << "fieldlink_plugin_errors_total{plugin=\"" << labelValue(plugin) << "\"} " << count
        << '\n';
  header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out << "process_resident_memory_bytes " << residentBytes() << '\n';
  header(out, "process_open_fds", "gauge", "Open file descriptors.");
  out << "process_open_fds " << openDescriptors() << '\n';
  const BuildInfo& build = buildInfo();
  header(out, "fieldlink_build_info", "gauge", "The build: version, git commit, SDK API version.");
  out << "fieldlink_build_info{version=\"" << labelValue(build.version) << "\",commit=\""
      << labelValue(build.commit) << "\",sdk_api=\"" << build.sdk_api << "\"} 1\n";
  header(out, "fieldlink_uptime_seconds", "gauge", "Seconds since the server started.");
  out << "fieldlink_uptime_seconds "
      << std::chrono::duration<double>(std::chrono::steady_clock::now() - kStarted).count() << '\n';
  return out.str();
}

}  // namespace fieldlink::metrics
