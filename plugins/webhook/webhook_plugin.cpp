// The `webhook` notifier: POSTs each notification as JSON to the configured URLs, signed
// with HMAC-SHA256, retried with back-off, from its own thread so the chat never waits.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>
#include <fieldlink/sdk/plugin.hpp>

#include "webhook_signing.hpp"

namespace {

using namespace fieldlink;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Delivery {
  Poco::URI url;
  std::string body;
  int attempt = 1;
  Clock::time_point due;
};

class WebhookPlugin final : public sdk::Plugin, public sdk::NotifierPlugin {
 public:
  sdk::StartResult start(sdk::HostContext& host) override {
    host_ = &host;
    const auto& config = host.config();
    try {
      Poco::StringTokenizer urls(
          config.getString("urls", ""), ",",
          Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
      for (const auto& text : urls) {
        Poco::URI url(text);
        if ((url.getScheme() != "http" && url.getScheme() != "https") || url.getHost().empty())
          return sdk::StartResult::failed("plugins.webhook.urls: not an http(s) URL: " + text);
        urls_.push_back(url);
      }
      secret_ = config.getString("secret", "");
      max_attempts_ = config.getInt("max_attempts", 6);
      first_backoff_ = milliseconds(config.getInt("initial_backoff_ms", 1000));
      max_backoff_ = milliseconds(config.getInt("max_backoff_ms", 60000));
      timeout_ = milliseconds(config.getInt("timeout_ms", 5000));
      queue_max_ = static_cast<std::size_t>(config.getInt("queue_max", 10000));
    } catch (const Poco::Exception& e) {
      return sdk::StartResult::failed("plugins.webhook.*: " + e.displayText());
    }
    if (urls_.empty()) return sdk::StartResult::failed("plugins.webhook.urls is empty");
    if (secret_.size() < 16)
      return sdk::StartResult::failed("plugins.webhook.secret must have at least 16 characters");
    if (max_attempts_ < 1 || first_backoff_.count() < 1 || timeout_.count() < 100 || queue_max_ < 1)
      return sdk::StartResult::failed(
          "plugins.webhook: max_attempts, initial_backoff_ms, timeout_ms (>= 100) and "
          "queue_max must be positive");
    worker_ = std::thread([this] { run(); });
    return sdk::StartResult::ok();
  }

  void stop() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
    if (!queue_.empty())
      host_->logger().warning("webhook: %z deliveries not sent at shutdown", queue_.size());
  }

  sdk::NotifierPlugin* notifier() override { return this; }

  void deliver(const Poco::JSON::Object& notification) override {
    std::ostringstream body;
    notification.stringify(body);
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& url : urls_) {
      if (queue_.size() >= queue_max_) {
        // A receiver that is down for long must not grow the server's memory without bound.
        host_->logger().error("webhook: queue full (%z), dropping the oldest delivery",
                              queue_.size());
        queue_.pop_front();
      }
      queue_.push_back({url, body.str(), 1, Clock::now()});
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      auto next =
          std::min_element(queue_.begin(), queue_.end(),
                           [](const Delivery& a, const Delivery& b) { return a.due < b.due; });
      if (next == queue_.end()) {
        wake_.wait(lock);
        continue;
      }
      if (next->due > Clock::now()) {
        wake_.wait_until(lock, next->due);
        continue;
      }
      Delivery delivery = std::move(*next);
      queue_.erase(next);
      lock.unlock();
      const bool sent = post(delivery);
      lock.lock();
      if (sent) continue;
      if (delivery.attempt >= max_attempts_) {
        host_->logger().error("webhook: giving up on %s after %d attempts", delivery.url.toString(),
                              delivery.attempt);
        continue;
      }
      ++delivery.attempt;
      delivery.due =
          Clock::now() + webhook::backoff(delivery.attempt, first_backoff_, max_backoff_);
      queue_.push_back(std::move(delivery));
    }
  }

  // True when the receiver answered 2xx.
  bool post(const Delivery& delivery) const {
    try {
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (delivery.url.getScheme() == "https")
        session = std::make_unique<Poco::Net::HTTPSClientSession>(delivery.url.getHost(),
                                                                  delivery.url.getPort());
      else
        session = std::make_unique<Poco::Net::HTTPClientSession>(delivery.url.getHost(),
                                                                 delivery.url.getPort());
      session->setTimeout(Poco::Timespan(timeout_.count() * 1000));
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, delivery.url.getPathEtc(),
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      const std::string timestamp =
          std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count());
      request.setContentType("application/json");
      request.setContentLength64(static_cast<Poco::Int64>(delivery.body.size()));
      request.set("X-Fieldlink-Timestamp", timestamp);
      request.set("X-Fieldlink-Signature",
                  "sha256=" + webhook::signature(secret_, timestamp, delivery.body));
      request.set("X-Fieldlink-Attempt", std::to_string(delivery.attempt));
      session->sendRequest(request) << delivery.body;
      Poco::Net::HTTPResponse response;
      Poco::NullOutputStream discard;
      Poco::StreamCopier::copyStream(session->receiveResponse(response), discard);
      const int status = static_cast<int>(response.getStatus());
      if (status >= 200 && status < 300) return true;
      host_->logger().warning("webhook: %s answered %d (attempt %d)", delivery.url.toString(),
                              status, delivery.attempt);
    } catch (const Poco::Exception& e) {
      host_->logger().warning("webhook: %s failed: %s (attempt %d)", delivery.url.toString(),
                              e.displayText(), delivery.attempt);
    } catch (const std::exception& e) {
      host_->logger().warning("webhook: %s failed: %s (attempt %d)", delivery.url.toString(),
                              std::string(e.what()), delivery.attempt);
    }
    return false;
  }

  sdk::HostContext* host_ = nullptr;
  std::vector<Poco::URI> urls_;
  std::string secret_;
  int max_attempts_ = 6;
  milliseconds first_backoff_{1000};
  milliseconds max_backoff_{60000};
  milliseconds timeout_{5000};
  std::size_t queue_max_ = 10000;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Delivery> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace

FIELDLINK_PLUGIN(WebhookPlugin, "webhook", "1.0.0", Notifier)
