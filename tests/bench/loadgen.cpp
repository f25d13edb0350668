// fieldlink load generator: drives a running server over loopback and prints one JSON line
// per scenario. See scripts/bench.sh for how it is run and docs/benchmark.md for results.
//
//   loadgen --port=N --scenario=pairs   --pairs=50 --messages=2000 --window=8 [--rate=R]
//                                       [--technician-port=M: technicians on a second node]
//   loadgen --port=N --scenario=idle    --connections=15000 --server-pid=PID
//   loadgen --port=N --scenario=history --history=5000 --threads=4 --seconds=10
//   loadgen --port=N --scenario=upload  --file=PATH --message-type=voice --threads=4
//           --seconds=10 --server-pid=PID
//   loadgen --port=N --scenario=keepalive --clients=256 --seconds=20
//   loadgen --port=N --scenario=slow    --stalled=2000 --idle=10000 --seconds=5 --server-pid=PID
//   loadgen --port=N --scenario=storm   --connections=10000 --server-pid=PID
//   loadgen --port=N --scenario=hostile --server-pid=PID
//
// Accounts are made through the REST API; the dispatcher `bench` must exist
// (fieldlinkd --create-user=bench --role=dispatcher, password in FIELDLINK_PASSWORD).
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include "ws/frame_codec.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using fieldlink::ws::FrameDecoder;
using fieldlink::ws::Opcode;

std::map<std::string, std::string> g_args;

std::string arg(const std::string& name, const std::string& fallback) {
  const auto it = g_args.find(name);
  return it == g_args.end() ? fallback : it->second;
}
long argInt(const std::string& name, long fallback) {
  return std::stol(arg(name, std::to_string(fallback)));
}

// --- REST ---------------------------------------------------------------------------

struct Http {
  int port;
  Poco::JSON::Object::Ptr call(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& token,
                               int expect) const {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (!body.empty()) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::string text;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
    if (static_cast<int>(response.getStatus()) != expect)
      throw std::runtime_error(method + " " + path + " -> " + std::to_string(response.getStatus()) +
                               " " + text);
    if (text.empty() || text[0] != '{') return new Poco::JSON::Object;
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  }
  std::string login(const std::string& user, const std::string& password) const {
    return call("POST", "/api/token/",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", "", 200)
        ->getValue<std::string>("access");
  }
};

struct Pair {
  std::int64_t conversation = 0;
  std::string client_token, technician_token;
};

// P clients and technicians, one assigned request each.
std::vector<Pair> makePairs(const Http& http, int count, const std::string& tag) {
  const std::string boss = http.login("bench", arg("bench-password", "bench-password-1"));
  std::vector<Pair> pairs;
  for (int i = 0; i < count; ++i) {
    const std::string c = "c" + tag + std::to_string(i), t = "t" + tag + std::to_string(i);
    http.call(
        "POST", "/api/auth/register/",
        "{\"username\":\"" + c + "\",\"password\":\"password-123\",\"display_name\":\"" + c + "\"}",
        "", 201);
    const auto tech =
        http.call("POST", "/api/users/",
                  "{\"username\":\"" + t + "\",\"password\":\"password-123\",\"display_name\":\"" +
                      t + "\",\"role\":\"technician\"}",
                  boss, 201);
    Pair pair;
    pair.client_token = http.login(c, "password-123");
    pair.technician_token = http.login(t, "password-123");
    const auto request =
        http.call("POST", "/api/requests/", "{\"title\":\"bench " + std::to_string(i) + "\"}",
                  pair.client_token, 201);
    const auto assigned = http.call(
        "POST",
        "/api/requests/" + std::to_string(request->getValue<std::int64_t>("id")) + "/assign/",
        "{\"technician_id\":" + std::to_string(tech->getValue<std::int64_t>("id")) + "}", boss,
        200);
    pair.conversation = assigned->getValue<std::int64_t>("conversation_id");
    pairs.push_back(pair);
  }
  return pairs;
}

// --- WebSocket client connections on one epoll loop -------------------------------

// The handshake request for `target` (path and query).
std::string upgradeTo(const std::string& target) {
  return "GET " + target +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
}

struct WsConn {
  Poco::Net::StreamSocket socket;
  int fd = -1;
  bool open = false;
  bool failed = false;  // closed by the server before or after the handshake
  std::string handshake_in;
  FrameDecoder decoder{1 << 20, FrameDecoder::Peer::Server};
  std::string out;
  int role = 0;  // pairs: 0 client, 1 technician
  int pair = 0;
  // client side
  long sent = 0, acked = 0;
  // technician side
  long next_expected = 0, received = 0, out_of_order = 0, duplicates = 0;
  int close_code = 0;
};

class Loop {
 public:
  Loop() : epoll_(epoll_create1(0)) {}
  ~Loop() { ::close(epoll_); }

  WsConn* open(int port, const std::string& target) {
    auto c = std::make_unique<WsConn>();
    c->socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    c->socket.setBlocking(false);
    c->socket.setNoDelay(true);
    c->fd = c->socket.impl()->sockfd();
    c->out = upgradeTo(target);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.ptr = c.get();
    epoll_ctl(epoll_, EPOLL_CTL_ADD, c->fd, &ev);
    conns_.push_back(std::move(c));
    return conns_.back().get();
  }

  void send(WsConn* c, const std::string& text) {
    c->out += fieldlink::ws::encodeMaskedFrame(Opcode::Text, text, mask_++);
    flush(c);
  }

  // Runs until `done()` or `timeout`; calls on_text for each text frame.
  template <class OnText, class Done>
  bool run(OnText&& on_text, Done&& done, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    epoll_event events[256];
    while (!done()) {
      if (Clock::now() > deadline) return false;
      const int n = epoll_wait(epoll_, events, 256, 5);
      for (int i = 0; i < n; ++i) {
        auto* c = static_cast<WsConn*>(events[i].data.ptr);
        if (events[i].events & EPOLLOUT) flush(c);
        if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) read(c, on_text);
      }
      tick_();
    }
    return true;
  }
  std::function<void()> tick_ = [] {};
  std::vector<std::unique_ptr<WsConn>>& conns() { return conns_; }

 private:
  void flush(WsConn* c) {
    while (!c->out.empty()) {
      const ssize_t n = ::send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
      if (n <= 0) break;
      c->out.erase(0, static_cast<std::size_t>(n));
    }
    epoll_event ev{};
    ev.events = EPOLLIN | (c->out.empty() ? 0u : static_cast<unsigned>(EPOLLOUT));
    ev.data.ptr = c;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c->fd, &ev);
  }

  template <class OnText>
  void read(WsConn* c, OnText&& on_text) {
    char buffer[65536];
    for (;;) {
      const ssize_t n = ::recv(c->fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        // Gone: stop watching it, or level-triggered epoll reports it readable forever.
        c->open = false;
        c->failed = true;
        epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
        break;
      }
      if (n < 0) break;
      std::size_t offset = 0;
      if (!c->open) {
        c->handshake_in.append(buffer, static_cast<std::size_t>(n));
        const auto end = c->handshake_in.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (c->handshake_in.compare(9, 3, "101") != 0)
          throw std::runtime_error("handshake refused: " + c->handshake_in.substr(0, 40));
        c->open = true;
        const std::string rest = c->handshake_in.substr(end + 4);
        c->handshake_in.clear();
        c->decoder.feed(rest.data(), rest.size());
        offset = static_cast<std::size_t>(n);
      }
      if (offset == 0) c->decoder.feed(buffer, static_cast<std::size_t>(n));
      while (auto frame = c->decoder.next()) {
        if (frame->opcode == Opcode::Text) on_text(c, frame->payload);
        if (frame->opcode == Opcode::Ping) {
          c->out += fieldlink::ws::encodeMaskedFrame(Opcode::Pong, frame->payload, mask_++);
          flush(c);
        }
        if (frame->opcode == Opcode::Close && frame->payload.size() >= 2)
          c->close_code = (static_cast<unsigned char>(frame->payload[0]) << 8) |
                          static_cast<unsigned char>(frame->payload[1]);
      }
    }
  }

  int epoll_;
  std::uint32_t mask_ = 0x9e3779b9;
  std::vector<std::unique_ptr<WsConn>> conns_;
};

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  const std::size_t k =
      std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
  return values[k];
}

std::int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

// --- scenarios ------------------------------------------------------------------------

int pairsScenario(int port) {
  const int pair_count = static_cast<int>(argInt("pairs", 50));
  const long per_client = argInt("messages", 2000);
  const long window = argInt("window", 8);
  const double rate = std::stod(arg("rate", "0"));  // total messages/s; 0: as fast as acks allow
  // With two nodes, each pair talks across them: the client on `port`, the technician here.
  const int technician_port = static_cast<int>(argInt("technician-port", port));
  Http http{port};
  const auto pairs = makePairs(http, pair_count, arg("tag", "p"));
  Loop loop;
  std::vector<WsConn*> clients, technicians;
  for (int i = 0; i < pair_count; ++i) {
    auto* c = loop.open(port, "/ws/chat/" + std::to_string(pairs[i].conversation) +
                                  "/?token=" + pairs[i].client_token);
    c->pair = i;
    auto* t = loop.open(technician_port, "/ws/chat/" + std::to_string(pairs[i].conversation) +
                                             "/?token=" + pairs[i].technician_token);
    t->role = 1;
    t->pair = i;
    clients.push_back(c);
    technicians.push_back(t);
  }
  if (!loop.run([](WsConn*, const std::string&) {},
                [&] {
                  return std::all_of(loop.conns().begin(), loop.conns().end(),
                                     [](auto& c) { return c->open; });
                },
                std::chrono::seconds(30)))
    throw std::runtime_error("connections did not open");

  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<std::size_t>(pair_count * per_client));
  long total_received = 0, errors = 0;
  const long total = per_client * pair_count;
  const auto start = Clock::now();
  long paced_sent = 0;
  auto sendOne = [&](WsConn* c) {
    const long seq = c->sent++;
    loop.send(c, "{\"type\":\"message\",\"message_type\":\"text\",\"client_id\":\"b" +
                     std::to_string(seq) + "\",\"content\":{\"text\":\"" + std::to_string(seq) +
                     " " + std::to_string(nowNs()) + "\"}}");
  };
  auto topUp = [&](WsConn* c) {
    while (c->sent < per_client && c->sent - c->acked < window) {
      if (rate > 0) {
        const double allowed = std::chrono::duration<double>(Clock::now() - start).count() * rate;
        if (static_cast<double>(paced_sent) >= allowed) return;
        ++paced_sent;
      }
      sendOne(c);
    }
  };
  if (rate > 0) {
    loop.tick_ = [&] {
      for (auto* c : clients) topUp(c);
    };
  }
  for (auto* c : clients) topUp(c);
  const bool finished = loop.run(
      [&](WsConn* c, const std::string& text) {
        if (text.compare(0, 12, "{\"client_id\"") == 0 ||
            text.find("\"type\":\"ack\"") != std::string::npos) {
          ++c->acked;
          topUp(c);
          return;
        }
        if (text.find("\"type\":\"error\"") != std::string::npos) {
          ++errors;
          return;
        }
        if (c->role != 1 || text.find("\"type\":\"message\"") == std::string::npos) return;
        const auto at = text.find("\"text\":\"");
        if (at == std::string::npos) return;
        long seq = 0;
        std::int64_t sent_ns = 0;
        std::sscanf(text.c_str() + at + 8, "%ld %ld", &seq, &sent_ns);
        latencies_ms.push_back(static_cast<double>(nowNs() - sent_ns) / 1e6);
        if (seq == c->next_expected) {
          ++c->next_expected;
        } else if (seq < c->next_expected) {
          ++c->duplicates;
        } else {
          ++c->out_of_order;
          c->next_expected = seq + 1;
        }
        ++c->received;
        ++total_received;
      },
      [&] { return total_received >= total; }, std::chrono::seconds(argInt("timeout", 300)));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  long out_of_order = 0, duplicates = 0;
  for (auto* t : technicians) {
    out_of_order += t->out_of_order;
    duplicates += t->duplicates;
  }
  const double max_ms =
      latencies_ms.empty() ? 0 : *std::max_element(latencies_ms.begin(), latencies_ms.end());
  std::printf(
      "{\"scenario\":\"pairs\",\"pairs\":%d,\"messages\":%ld,\"window\":%ld,\"target_rate\":%.0f,"
      "\"delivered\":%ld,\"seconds\":%.3f,\"delivered_per_second\":%.0f,\"latency_ms\":{\"p50\":%."
      "3f,"
      "\"p99\":%.3f,\"max\":%.3f},\"exactly_once_in_order\":%s,\"out_of_order\":%ld,\"duplicates\":"
      "%ld,"
      "\"missing\":%ld,\"errors\":%ld}\n",
      pair_count, total, window, rate, total_received, seconds,
      static_cast<double>(total_received) / seconds, percentile(latencies_ms, 0.5),
      percentile(latencies_ms, 0.99), max_ms,
      (finished && out_of_order == 0 && duplicates == 0 && errors == 0) ? "true" : "false",
      out_of_order, duplicates, total - total_received, errors);
  return finished && out_of_order == 0 && duplicates == 0 ? 0 : 1;
}

std::map<std::string, long> procStatus(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::map<std::string, long> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    if (key == "VmRSS" || key == "VmHWM" || key == "Threads")
      out[key] = std::stol(line.substr(colon + 1));
  }
  return out;
}

int idleScenario(int port) {
  const long connections = argInt("connections", 15000);
  const long per_user = argInt("per-user", 100);
  const long pid = argInt("server-pid", 0);
  Http http{port};
  // Users with one conversation each, so presence and membership are part of the cost.
  const long users = (connections + per_user - 1) / per_user;
  const auto pairs = makePairs(http, static_cast<int>((users + 1) / 2), arg("tag", "i"));
  std::vector<std::string> tokens;
  for (const auto& p : pairs) {
    tokens.push_back(p.client_token);
    tokens.push_back(p.technician_token);
  }
  const auto before = procStatus(pid);
  Loop loop;
  const auto start = Clock::now();
  long opened = 0, retried = 0;
  while (opened < connections) {
    // Batches below the server's accept queue (http.queue); a connection the server turned
    // away is opened again, as a real client would.
    const long batch = std::min(200L, connections - opened);
    std::vector<WsConn*> pending;
    for (long i = 0; i < batch; ++i, ++opened)
      pending.push_back(
          loop.open(port, "/ws/?token=" + tokens[static_cast<std::size_t>(opened / per_user)]));
    for (int attempt = 0; attempt < 5 && !pending.empty(); ++attempt) {
      loop.run([](WsConn*, const std::string&) {},
               [&] {
                 return std::all_of(pending.begin(), pending.end(),
                                    [](WsConn* c) { return c->open || c->failed; });
               },
               std::chrono::seconds(30));
      std::vector<WsConn*> again;
      for (auto* c : pending)
        if (!c->open)
          again.push_back(loop.open(
              port, "/ws/?token=" + tokens[static_cast<std::size_t>((opened - 1) / per_user)]));
      retried += static_cast<long>(again.size());
      pending.swap(again);
    }
  }
  const double connect_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  long open_count = 0;
  loop.run([](WsConn*, const std::string&) {}, [] { return false; },
           std::chrono::seconds(3));  // settle
  for (auto& c : loop.conns()) open_count += c->open && !c->failed && c->close_code == 0;
  const auto after = procStatus(pid);
  const double rss_kib = static_cast<double>(after.at("VmRSS") - before.at("VmRSS"));
  std::printf(
      "{\"scenario\":\"idle\",\"connections\":%ld,\"open\":%ld,\"connect_seconds\":%.2f,"
      "\"server_rss_kib_before\":%ld,\"server_rss_kib_after\":%ld,\"rss_kib_per_connection\":%.2f,"
      "\"threads_before\":%ld,\"threads_after\":%ld,\"reconnects\":%ld}\n",
      connections, open_count, connect_seconds, before.at("VmRSS"), after.at("VmRSS"),
      rss_kib / static_cast<double>(connections), before.at("Threads"), after.at("Threads"),
      retried);
  return open_count == connections ? 0 : 1;
}

int historyScenario(int port) {
  const long history = argInt("history", 5000);
  const int threads = static_cast<int>(argInt("threads", 4));
  const double seconds = static_cast<double>(argInt("seconds", 10));
  Http http{port};
  const auto pair = makePairs(http, 1, arg("tag", "h"))[0];
  // Fill the conversation from several threads so group commit batches the writes.
  std::atomic<long> next{0};
  std::vector<std::thread> fillers;
  for (int t = 0; t < 8; ++t)
    fillers.emplace_back([&] {
      for (long i = next++; i < history; i = next++)
        http.call("POST", "/api/chat/messages/",
                  "{\"conversation_id\":" + std::to_string(pair.conversation) +
                      ",\"message_type\":\"text\",\"content\":{\"text\":\"history message " +
                      std::to_string(i) + "\"}}",
                  pair.client_token, 201);
    });
  for (auto& f : fillers) f.join();
  const auto last = http.call("GET",
                              "/api/chat/messages/conversation_messages/?limit=1&conversation_id=" +
                                  std::to_string(pair.conversation),
                              "", pair.technician_token, 200);
  const std::int64_t newest = last->getArray("results")->getObject(0)->getValue<std::int64_t>("id");

  std::vector<std::vector<double>> per_thread(static_cast<std::size_t>(threads));
  std::vector<std::thread> readers;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  for (int t = 0; t < threads; ++t)
    readers.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t));
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
      session.setKeepAlive(true);
      while (Clock::now() < deadline) {
        const std::int64_t before_id =
            newest - static_cast<std::int64_t>(random() % static_cast<unsigned>(history)) + 1;
        Poco::Net::HTTPRequest request(
            "GET",
            "/api/chat/messages/conversation_messages/?limit=50&conversation_id=" +
                std::to_string(pair.conversation) + "&before_id=" + std::to_string(before_id),
            Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + pair.technician_token);
        request.setKeepAlive(true);
        const auto t0 = Clock::now();
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
          throw std::runtime_error("history page failed");
        per_thread[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  for (auto& r : readers) r.join();
  std::vector<double> all;
  for (auto& v : per_thread) all.insert(all.end(), v.begin(), v.end());
  std::printf(
      "{\"scenario\":\"history\",\"messages\":%ld,\"page\":50,\"threads\":%d,\"requests\":%zu,"
      "\"requests_per_second\":%.0f,\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f}}\n",
      history, threads, all.size(), static_cast<double>(all.size()) / seconds, percentile(all, 0.5),
      percentile(all, 0.99));
  return 0;
}

// The same file uploaded again and again: each upload is received, sniffed, probed (audio
// and video decoded), hashed and recorded; the bytes are stored once.
int uploadScenario(int port) {
  const std::string path = arg("file", "");
  const std::string type = arg("message-type", "file");
  const int threads = static_cast<int>(argInt("threads", 4));
  const double seconds = static_cast<double>(argInt("seconds", 10));
  const long server_pid = argInt("server-pid", 0);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read --file=" + path);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string boundary = "fieldlink-bench-boundary";
  const std::string body =
      "--" + boundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      bytes + "\r\n--" + boundary + "--\r\n";
  Http http{port};
  const std::string token = makePairs(http, 1, arg("tag", "u"))[0].client_token;
  const auto before = server_pid ? procStatus(server_pid) : std::map<std::string, long>{};

  std::vector<std::vector<double>> per_thread(static_cast<std::size_t>(threads));
  std::vector<std::thread> uploaders;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  for (int t = 0; t < threads; ++t)
    uploaders.emplace_back([&, t] {
      while (Clock::now() < deadline) {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
        Poco::Net::HTTPRequest request("POST", "/api/chat/attachments/?message_type=" + type,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + token);
        request.setContentType("multipart/form-data; boundary=" + boundary);
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
        const auto t0 = Clock::now();
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::string answer;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_CREATED)
          throw std::runtime_error("upload refused: " + answer);
        per_thread[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  for (auto& u : uploaders) u.join();
  std::vector<double> all;
  for (auto& v : per_thread) all.insert(all.end(), v.begin(), v.end());
  const auto after = server_pid ? procStatus(server_pid) : std::map<std::string, long>{};
  std::printf(
      "{\"scenario\":\"upload\",\"message_type\":\"%s\",\"file_bytes\":%zu,\"threads\":%d,"
      "\"uploads\":%zu,\"uploads_per_second\":%.1f,\"mib_per_second\":%.1f,"
      "\"latency_ms\":{\"p50\":%.1f,\"p99\":%.1f},\"server_rss_kib_before\":%ld,"
      "\"server_rss_kib_after\":%ld,\"server_peak_rss_kib\":%ld}\n",
      type.c_str(), bytes.size(), threads, all.size(), static_cast<double>(all.size()) / seconds,
      static_cast<double>(all.size() * bytes.size()) / seconds / (1 << 20), percentile(all, 0.5),
      percentile(all, 0.99), server_pid ? before.at("VmRSS") : 0L,
      server_pid ? after.at("VmRSS") : 0L, server_pid ? after.at("VmHWM") : 0L);
  return 0;
}

// --- the front door under load and attack ---------------------------------------------

// A blocking loopback connection, for clients that misbehave on purpose. `receive_buffer`
// shrinks the socket's receive buffer (a client that reads slowly or never).
int connectTo(int port, int receive_buffer = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (receive_buffer > 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed: " + std::string(std::strerror(errno)));
  }
  return fd;
}

// Sends what the server takes within `timeout_ms`; -1 once the connection failed.
long sendSome(int fd, const std::string& bytes, int timeout_ms) {
  std::size_t sent = 0;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (sent < bytes.size() && Clock::now() < deadline) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (p.revents & (POLLERR | POLLHUP)) return -1;
    const ssize_t n =
        ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN) return -1;
    if (n > 0) sent += static_cast<std::size_t>(n);
  }
  return static_cast<long>(sent);
}

// The answer's head (up to the blank line), "" when the connection closed or nothing came.
std::string readHead(int fd, int timeout_ms) {
  std::string in;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[4096];
  while (in.find("\r\n\r\n") == std::string::npos && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    in.append(buffer, static_cast<std::size_t>(n));
  }
  return in.substr(0, in.find("\r\n\r\n"));
}

// The server's resident memory, sampled every 50 ms: its peak over a scenario.
class RssSampler {
 public:
  explicit RssSampler(long pid) : pid_(pid) {
    if (pid_ > 0)
      thread_ = std::thread([this] {
        while (!stop_) {
          peak_ = std::max(peak_.load(), procStatus(pid_)["VmRSS"]);
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      });
  }
  ~RssSampler() { stop(); }
  long stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return peak_;
  }

 private:
  long pid_;
  std::atomic<bool> stop_{false};
  std::atomic<long> peak_{0};
  std::thread thread_;
};

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// N keep-alive clients posting messages as fast as they are answered: every request must be
// answered, none dropped by the server closing a connection a client is about to reuse.
int keepaliveScenario(int port) {
  const int clients = static_cast<int>(argInt("clients", 256));
  const double seconds = static_cast<double>(argInt("seconds", 20));
  Http http{port};
  const auto pair = makePairs(http, 1, arg("tag", "k"))[0];
  const std::string body = "{\"conversation_id\":" + std::to_string(pair.conversation) +
                           ",\"message_type\":\"text\",\"content\":{\"text\":\"keep-alive\"}}";
  std::atomic<long> failed{0};
  std::vector<std::vector<double>> per_thread(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&, t] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
      session.setKeepAlive(true);
      session.setTimeout(Poco::Timespan(30, 0));
      while (Clock::now() < deadline) {
        Poco::Net::HTTPRequest request("POST", "/api/chat/messages/",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + pair.client_token);
        request.setKeepAlive(true);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        const auto t0 = Clock::now();
        try {
          session.sendRequest(request) << body;
          Poco::Net::HTTPResponse response;
          std::string text;
          Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
          if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_CREATED) ++failed;
        } catch (const std::exception&) {
          ++failed;
          session.reset();
        }
        per_thread[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (auto& v : per_thread) all.insert(all.end(), v.begin(), v.end());
  std::printf(
      "{\"scenario\":\"keepalive\",\"clients\":%d,\"requests\":%zu,\"failed\":%ld,"
      "\"requests_per_second\":%.0f,\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f}}\n",
      clients, all.size(), failed.load(), static_cast<double>(all.size()) / seconds,
      percentile(all, 0.5), percentile(all, 0.99));
  return failed == 0 ? 0 : 1;
}

// Idle keep-alive connections and stalled requests held open while a normal client reads
// history pages: its latency and whether every one of its requests is answered.
int slowScenario(int port) {
  const long stalled = argInt("stalled", 2000);
  const long idle = argInt("idle", 10000);
  const double seconds = static_cast<double>(argInt("seconds", 5));
  const long pid = argInt("server-pid", 0);
  Http http{port};
  const auto pair = makePairs(http, 1, arg("tag", "w"))[0];
  for (int i = 0; i < 200; ++i)
    http.call("POST", "/api/chat/messages/",
              "{\"conversation_id\":" + std::to_string(pair.conversation) +
                  ",\"message_type\":\"text\",\"content\":{\"text\":\"page " + std::to_string(i) +
                  "\"}}",
              pair.client_token, 201);
  auto before = procStatus(pid);
  std::vector<int> held;
  long idle_answered = 0;
  const std::string health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (long i = 0; i < idle; ++i) {  // first: they may wait http.idle_timeout (30 s)
    const int fd = connectTo(port);
    held.push_back(fd);
    if (sendSome(fd, health, 5000) == static_cast<long>(health.size()) &&
        readHead(fd, 5000).rfind("HTTP/1.1 200", 0) == 0)
      ++idle_answered;
  }
  for (long i = 0; i < stalled; ++i) {  // then: they are cut after http.header_timeout (10 s)
    const int fd = connectTo(port);
    held.push_back(fd);
    sendSome(fd,
             i % 2 ? "GET /api/requests/ HTTP/1.1\r\nHo"
                   : "POST /api/token/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{",
             1000);
  }
  auto during = procStatus(pid);
  std::vector<double> latencies;
  long failed = 0;
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setKeepAlive(true);
  session.setTimeout(Poco::Timespan(10, 0));
  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < deadline) {
    Poco::Net::HTTPRequest request(
        "GET",
        "/api/chat/messages/conversation_messages/?limit=50&conversation_id=" +
            std::to_string(pair.conversation),
        Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + pair.technician_token);
    request.setKeepAlive(true);
    const auto t0 = Clock::now();
    try {
      session.sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::string text;
      Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
      if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) ++failed;
    } catch (const std::exception&) {
      ++failed;
      session.reset();
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  for (int fd : held) ::close(fd);
  std::printf(
      "{\"scenario\":\"slow\",\"stalled\":%ld,\"idle\":%ld,\"idle_answered\":%ld,\"requests\":%zu,"
      "\"failed\":%ld,\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f},\"server_rss_kib_before\":%ld,"
      "\"server_rss_kib_during\":%ld,\"threads_before\":%ld,\"threads_during\":%ld}\n",
      stalled, idle, idle_answered, latencies.size(), failed, percentile(latencies, 0.5),
      percentile(latencies, 0.99), before["VmRSS"], during["VmRSS"], before["Threads"],
      during["Threads"]);
  return failed == 0 && idle_answered == idle ? 0 : 1;
}

// A reconnect storm: one WebSocket per account, all opened at once.
int stormScenario(int port) {
  const long connections = argInt("connections", 10000);
  const long pid = argInt("server-pid", 0);
  Http http{port};
  const std::string tag = arg("tag", "s");
  std::vector<std::string> tokens(static_cast<std::size_t>(connections));
  std::atomic<long> next{0};
  std::vector<std::thread> makers;
  for (int t = 0; t < 8; ++t)
    makers.emplace_back([&] {
      for (long i = next++; i < connections; i = next++) {
        const std::string name = "storm" + tag + std::to_string(i);
        http.call("POST", "/api/auth/register/",
                  "{\"username\":\"" + name +
                      "\",\"password\":\"password-123\",\"display_name\":\"" + name + "\"}",
                  "", 201);
        tokens[static_cast<std::size_t>(i)] = http.login(name, "password-123");
      }
    });
  for (auto& m : makers) m.join();
  auto before = procStatus(pid);
  Loop loop;
  const auto start = Clock::now();
  for (const auto& token : tokens) loop.open(port, "/ws/?token=" + token);
  loop.run([](WsConn*, const std::string&) {},
           [&] {
             return std::all_of(loop.conns().begin(), loop.conns().end(),
                                [](auto& c) { return c->open || c->failed; });
           },
           std::chrono::seconds(120));
  const double took = secondsSince(start);
  long open = 0;
  for (auto& c : loop.conns()) open += c->open && !c->failed;
  auto after = procStatus(pid);
  std::printf(
      "{\"scenario\":\"storm\",\"connections\":%ld,\"open\":%ld,\"seconds_to_last\":%.2f,"
      "\"server_rss_kib_before\":%ld,\"server_rss_kib_after\":%ld,\"threads_before\":%ld,"
      "\"threads_after\":%ld}\n",
      connections, open, took, before["VmRSS"], after["VmRSS"], before["Threads"],
      after["Threads"]);
  return open == connections ? 0 : 1;
}

// How long until `push`, misbehaving again and again, finds the connection reset; -1: not
// within 60 s.
template <class Push>
double secondsUntilReset(Push&& push) {
  const auto start = Clock::now();
  while (secondsSince(start) < 60)
    if (!push()) return secondsSince(start);
  return -1;
}

// Open WebSocket connections, from the server's own gauge (GET /metrics, from loopback).
long websocketGauge(int port) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request("GET", "/metrics", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string text;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), text);
  const std::string name = "\nfieldlink_websocket_connections ";
  const auto at = text.find(name);
  return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size()));
}

// The gauge once it holds still: connections of an earlier scenario (a storm's 10,000) may
// still be closing, and a count taken meanwhile would be wrong by the time it is compared.
long settledWebsocketGauge(int port) {
  long last = websocketGauge(port);
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const long now = websocketGauge(port);
    if (now == last) return now;
    last = now;
  }
  return last;
}

// One of each hostile client, one after the other; the server's memory over all of them.
int hostileScenario(int port) {
  const long pid = argInt("server-pid", 0);
  Http http{port};
  const auto pair = makePairs(http, 1, arg("tag", "x"))[0];
  const std::string chat =
      "/ws/chat/" + std::to_string(pair.conversation) + "/?token=" + pair.client_token;
  const long rss_before = procStatus(pid)["VmRSS"];
  RssSampler sampler(pid);

  // Pings, never reading the pongs.
  int fd = connectTo(port, 4096);
  sendSome(fd, upgradeTo(chat), 5000);
  readHead(fd, 5000);
  std::string pings;
  for (int i = 0; i < 500; ++i)
    pings += fieldlink::ws::encodeMaskedFrame(Opcode::Ping, std::string(125, 'p'), 7u + i);
  const double pinger = secondsUntilReset([&] { return sendSome(fd, pings, 200) >= 0; });
  ::close(fd);

  // Never reading while messages are sent to it: gone when only the sender is left.
  const long others = settledWebsocketGauge(port);
  const int deaf = connectTo(port, 4096);
  sendSome(deaf, upgradeTo(chat), 5000);
  readHead(deaf, 5000);
  Loop loop;
  WsConn* sender = loop.open(
      port, "/ws/chat/" + std::to_string(pair.conversation) + "/?token=" + pair.technician_token);
  const std::string text(3000, 'm');
  long sent = 0;
  auto sendTen = [&] {
    for (int i = 0; i < 10; ++i)
      loop.send(sender, "{\"type\":\"message\",\"message_type\":\"text\",\"client_id\":\"d" +
                            std::to_string(sent++) + "\",\"content\":{\"text\":\"" + text + "\"}}");
  };
  const auto deaf_start = Clock::now();
  long acked = 0;
  loop.run([](WsConn*, const std::string&) {}, [&] { return sender->open; },
           std::chrono::seconds(10));
  sendTen();
  loop.run(
      [&](WsConn*, const std::string& t) {
        if (t.find("\"type\":\"ack\"") != std::string::npos && ++acked % 10 == 0) sendTen();
      },
      [&] { return acked > 0 && acked % 100 == 0 && websocketGauge(port) == others + 1; },
      std::chrono::seconds(60));
  const double deaf_reader = websocketGauge(port) == others + 1 ? secondsSince(deaf_start) : -1;
  ::close(deaf);

  // Junk after a protocol error.
  fd = connectTo(port);
  sendSome(fd, upgradeTo(chat), 5000);
  readHead(fd, 5000);
  sendSome(fd, std::string("\xF1\x80\x01\x02\x03\x04", 6), 1000);
  const std::string junk(1 << 20, 'j');
  long junk_sent = 0;
  const double junk_cut = secondsUntilReset([&] {
    const long n = sendSome(fd, junk, 200);
    if (n > 0) junk_sent += n;
    return n >= 0;
  });
  ::close(fd);

  // A 1 GiB body declared.
  fd = connectTo(port);
  auto start = Clock::now();
  sendSome(fd,
           "POST /api/token/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 1073741824\r\n\r\n{",
           1000);
  const std::string huge_answer = readHead(fd, 60000);
  const double huge_seconds = secondsSince(start);
  ::close(fd);

  // Headers that never end.
  fd = connectTo(port);
  start = Clock::now();
  sendSome(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n", 1000);
  const std::string filler = "X-Filler: " + std::string(4000, 'f') + "\r\n";
  std::string endless_answer;
  while (secondsSince(start) < 60 && endless_answer.empty()) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0)
      endless_answer = readHead(fd, 5000);
    else if (sendSome(fd, filler, 200) < 0)
      break;
  }
  const double endless_seconds = secondsSince(start);
  ::close(fd);

  const long peak = sampler.stop();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long rss_after = procStatus(pid)["VmRSS"];
  auto status = [](const std::string& head) { return head.substr(0, head.find("\r\n")); };
  std::printf(
      "{\"scenario\":\"hostile\",\"pinger_cut_seconds\":%.2f,\"deaf_reader_cut_seconds\":%.2f,"
      "\"deaf_reader_messages_acked\":%ld,\"junk_cut_seconds\":%.2f,\"junk_bytes_taken\":%ld,"
      "\"huge_body_answer\":\"%s\",\"huge_body_seconds\":%.3f,\"endless_headers_answer\":\"%s\","
      "\"endless_headers_seconds\":%.3f,\"server_rss_kib_before\":%ld,\"server_rss_kib_peak\":%ld,"
      "\"server_rss_kib_after\":%ld,\"server_rss_growth_kib\":%ld}\n",
      pinger, deaf_reader, acked, junk_cut, junk_sent, status(huge_answer).c_str(), huge_seconds,
      status(endless_answer).c_str(), endless_seconds, rss_before, peak, rss_after,
      std::max(peak, rss_after) - rss_before);
  return pinger >= 0 && deaf_reader >= 0 && junk_cut >= 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) continue;
    const auto eq = a.find('=');
    g_args[a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2)] =
        eq == std::string::npos ? "1" : a.substr(eq + 1);
  }
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  try {
    const int port = static_cast<int>(argInt("port", 8000));
    const std::string scenario = arg("scenario", "pairs");
    if (scenario == "pairs") return pairsScenario(port);
    if (scenario == "idle") return idleScenario(port);
    if (scenario == "history") return historyScenario(port);
    if (scenario == "upload") return uploadScenario(port);
    if (scenario == "keepalive") return keepaliveScenario(port);
    if (scenario == "slow") return slowScenario(port);
    if (scenario == "storm") return stormScenario(port);
    if (scenario == "hostile") return hostileScenario(port);
    std::cerr << "unknown scenario " << scenario << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "loadgen: " << e.what() << "\n";
    return 1;
  }
}
