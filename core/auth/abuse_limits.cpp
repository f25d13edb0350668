#include "auth/abuse_limits.hpp"

#include "auth/account_name.hpp"
#include "domain/errors.hpp"

namespace fieldlink {

AbuseLimits::AbuseLimits(const AbuseLimitSettings& settings)
    : settings_(settings),
      account_failures_(settings.login_failures_per_account, settings.login_window),
      address_failures_(settings.login_failures_per_address, settings.login_window),
      registrations_(settings.registrations_per_address, settings.registration_window),
      public_tracking_(settings.public_tracking_per_minute, std::chrono::seconds(60)) {}

void AbuseLimits::login(const std::string& username, const std::string& address,
                        const std::function<void()>& attempt) {
  const auto now = AttemptLimiter::Clock::now();
  // Counted by the key the account is found by: "Alice" and " alice" must not get counts of
  // their own. A name that can be no account's is counted by address only: it can never
  // sign in, and giving each such spelling an entry would let a client grow the map.
  const std::optional<std::string> account = accountNameKey(username);
  std::chrono::seconds wait{0};
  if (account && settings_.login_failures_per_account > 0)
    wait = std::max(wait, account_failures_.waitFor(*account, now));
  if (settings_.login_failures_per_address > 0)
    wait = std::max(wait, address_failures_.waitFor(address, now));
  // The same answer whether the account exists or not, so the limit tells nothing about it.
  if (wait.count() > 0)
    throw TooManyRequests(
        "Too many failed logins. Try again in " + std::to_string(wait.count()) + " seconds.", wait);
  try {
    attempt();
  } catch (const Unauthorized&) {
    if (account) account_failures_.record(*account, now);
    address_failures_.record(address, now);
    throw;
  }
  if (account) account_failures_.forget(*account);
}

namespace {

// Counts one attempt of `address` against `limiter` (limit 0: none), or refuses it with 429
// when the window is full; `what` names the attempts for the client.
void countOrRefuse(AttemptLimiter& limiter, int limit, const std::string& address,
                   const std::string& what) {
  if (limit <= 0) return;
  const auto now = AttemptLimiter::Clock::now();
  const auto wait = limiter.waitFor(address, now);
  if (wait.count() > 0)
    throw TooManyRequests("Too many " + what + " from this address. Try again in " +
                              std::to_string(wait.count()) + " seconds.",
                          wait);
  limiter.record(address, now);
}

}  // namespace

void AbuseLimits::registration(const std::string& address) {
  countOrRefuse(registrations_, settings_.registrations_per_address, address, "registrations");
}

void AbuseLimits::publicTracking(const std::string& address) {
  countOrRefuse(public_tracking_, settings_.public_tracking_per_minute, address,
                "looks at tracking links");
}

}  // namespace fieldlink
