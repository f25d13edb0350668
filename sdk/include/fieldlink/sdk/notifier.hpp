#pragma once

#include <Poco/JSON/Object.h>

namespace fieldlink::sdk {

// Forwards notifications to the outside (a webhook, SMS, e-mail, mobile push).
class NotifierPlugin {
 public:
  virtual ~NotifierPlugin() = default;
  // Called once per stored notification, on the host's event thread, with the notification
  // as the API shows it plus its `user_id`. Queue it and return at once: never block (the
  // next notification waits behind this call) and report failures through the logger.
  virtual void deliver(const Poco::JSON::Object& notification) = 0;
};

}  // namespace fieldlink::sdk
