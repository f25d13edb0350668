#include "domain/views.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "util/clock.hpp"
#include "util/json_text.hpp"

namespace fieldlink {
namespace {

Message sample() {
  Message m;
  m.id = MessageId(41);
  m.conversation_id = ConversationId(7);
  m.sender_id = UserId(3);
  m.message_type = "text";
  m.content = Poco::JSON::Parser()
                  .parse(R"({"text":"Je suis \"en route\"\n","n":1.5})")
                  .extract<Poco::JSON::Object::Ptr>();
  m.client_id = "c-1";
  m.created_at = fromEpochMs(1764633600123);
  return m;
}

// The text writer and the object must never drift apart: REST pages use one, live frames
// the other.
void expectSameAsObject(const Message& m) {
  std::string text;
  views::appendMessage(text, m);
  EXPECT_EQ(text, json_text::of(*views::message(m)));
}

TEST(MessageView, TextIsTheObjectWritten) { expectSameAsObject(sample()); }

TEST(MessageView, TextIsTheObjectWrittenForSystemMessagesAndAttachments) {
  Message m = sample();
  m.sender_id.reset();
  m.client_id.reset();
  m.message_type = "system";
  expectSameAsObject(m);
  m = sample();
  m.attachment_ids = {5, 9};
  expectSameAsObject(m);
  std::string text;
  views::appendMessage(text, m);
  EXPECT_NE(text.find(R"("attachments":[5,9])"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("created_at":"2025-12-02T00:00:00.123Z")"), std::string::npos) << text;
}

}  // namespace
}  // namespace fieldlink
