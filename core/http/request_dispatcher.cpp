#include "http/request_dispatcher.hpp"

#include <Poco/URI.h>

#include "http/client_address.hpp"
#include "http/error_response.hpp"
#include "ws/upgrade_handler.hpp"

namespace fieldlink {

Answer RequestDispatcher::answer(ReceivedRequest received, const Poco::Net::SocketAddress& client,
                                 const Poco::Net::SocketAddress& server, bool secure) const {
  BufferedResponse response;
  ServedRequest request(std::move(received), client, server, secure, response);
  response.setVersion(request.getVersion());
  Answer answer;
  std::string path;
  try {
    path = Poco::URI(request.getURI()).getPath();
  } catch (const Poco::Exception&) {
    // Left empty: the router answers it as not found.
  }
  if (services_.hub && ws::isWebSocketPath(path)) {
    ws::UpgradeHandler::PublicTracking public_tracking{services_.public_tracking, &services_.abuse,
                                                       ""};
    if (public_tracking.feed && path.rfind("/ws/public/", 0) == 0)
      public_tracking.client_address =
          clientAddressOf(request, services_.trusted_proxies).toString();
    answer.upgrade = ws::UpgradeHandler(*services_.hub, services_.accounts, services_.store,
                                        std::move(public_tracking))
                         .handle(request, response);
    if (answer.upgrade) {
      ws::Hub& hub = *services_.hub;
      // Whichever registered it forgets it; the other has nothing to forget.
      answer.abandon = [&hub, feed = services_.public_tracking, connection = answer.upgrade] {
        hub.abandon(connection);
        if (feed) feed->onClosed(connection);
      };
      answer.head = response.head();
      answer.keep_alive = false;
      return answer;
    }
    response.setKeepAlive(false);
  } else {
    api_.handle(request, response);
  }
  answer.keep_alive = request.keepAlive() && response.getKeepAlive();
  response.setKeepAlive(answer.keep_alive);
  answer.head = response.head();
  if (response.file())
    answer.file = response.file();
  else if (request.getMethod() != "HEAD")
    answer.body = response.takeBody();
  if (request.getMethod() == "HEAD") answer.file.reset();
  return answer;
}

std::string refusalAnswer(int status, const std::string& code, const std::string& detail) {
  Poco::Net::HTTPResponse response(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  const std::string body = "{\"detail\":\"" + detail + "\",\"code\":\"" + code + "\"}";
  response.setContentType("application/json; charset=utf-8");
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  response.setKeepAlive(false);
  response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
  std::ostringstream out;
  response.write(out);
  return out.str() + body;
}

}  // namespace fieldlink
