#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "auth/attempt_limiter.hpp"

namespace fieldlink {

struct AbuseLimitSettings {
  int login_failures_per_account = 10;  // 0: no limit
  int login_failures_per_address = 50;
  std::chrono::seconds login_window{900};
  int registrations_per_address = 20;
  std::chrono::seconds registration_window{3600};
  int public_tracking_per_minute = 60;  // tracking links opened per address; 0: no limit
};

// Brute-force and sign-up flood limits. Refusals throw TooManyRequests (429, Retry-After)
// before any password is hashed, so a flood of guesses costs the server little.
class AbuseLimits {
 public:
  explicit AbuseLimits(const AbuseLimitSettings& settings);

  // Runs `attempt` (a login) unless the account or the address failed too often in the
  // window. An attempt that throws Unauthorized counts against both; a success clears the
  // account's count (not the address's: one good password must not reset a guesser).
  void login(const std::string& username, const std::string& address,
             const std::function<void()>& attempt);
  // Counts one registration from `address`, accepted or not.
  void registration(const std::string& address);
  // Counts one look through a tracking link from `address`: links need no account, so
  // guessing them is held back per address.
  void publicTracking(const std::string& address);

 private:
  AbuseLimitSettings settings_;
  AttemptLimiter account_failures_;
  AttemptLimiter address_failures_;
  AttemptLimiter registrations_;
  AttemptLimiter public_tracking_;
};

}  // namespace fieldlink
