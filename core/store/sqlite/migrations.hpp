#pragma once

#include <Poco/Data/Session.h>

namespace fieldlink::sqlite {

// Brings the database to the newest schema version, one transaction per version. A
// database newer than this build is refused rather than guessed at.
void migrate(Poco::Data::Session& session);
int latestSchemaVersion();

}  // namespace fieldlink::sqlite
