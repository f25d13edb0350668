#pragma once

// The SDK's API version. The host reads it from a plugin's manifest before it touches
// anything else in the plugin, and refuses a plugin built against another version.
// Bump it whenever a type or virtual function in these headers changes shape.
// 2: uploads (media.hpp, MessageTypePlugin::uploads(), MessageContext::attachments).
// 3: notifier plugins (notifier.hpp, PluginKind::Notifier, Plugin::notifier()).
// 4: statistics (StoreReader::conversations(), ParticipantView and request_status in
//    ConversationView, StatsScope::conversation_ids).
// 5: the build record (build_record.hpp, the fieldlink_plugin_build symbol).
// 6: WebSocket frames owned by plugins (frames.hpp, Plugin::frames()), and
//    HostContext::sendFrame() and postMessage().
#define FIELDLINK_SDK_API_VERSION 6

namespace fieldlink::sdk {
inline constexpr int kApiVersion = FIELDLINK_SDK_API_VERSION;
}  // namespace fieldlink::sdk
