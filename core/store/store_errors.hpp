#pragma once

#include <string>

#include "domain/errors.hpp"

namespace fieldlink {

// The database rolled the whole transaction back to break a deadlock (or a lock wait timed
// out): nothing of it is stored, and running it again may well succeed. The group-commit
// writer retries the batch; when retries run out the caller sees 503.
class TransactionAborted : public Unavailable {
 public:
  // `why` is for the log, never for a client.
  explicit TransactionAborted(std::string why)
      : Unavailable("The database was busy; try again.", "store_busy"), why_(std::move(why)) {}
  const std::string& why() const { return why_; }

 private:
  std::string why_;
};

// StoreSession::insertMessage: the sender used this client_id already (the schema's unique
// key said so; the statement failed alone and the transaction goes on).
class ClientIdTaken : public Conflict {
 public:
  ClientIdTaken() : Conflict("This client_id was already used by its sender.", "client_id_taken") {}
};

}  // namespace fieldlink
