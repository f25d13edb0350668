#include <gtest/gtest.h>

#include "domain/service_requests.hpp"

namespace fieldlink {
namespace {

using S = RequestStatus;

TEST(StatusTransitions, TheUsualJourneyIsAllowed) {
  EXPECT_TRUE(isAllowedTransition(S::Assigned, S::EnRoute));
  EXPECT_TRUE(isAllowedTransition(S::EnRoute, S::OnSite));
  EXPECT_TRUE(isAllowedTransition(S::OnSite, S::Completed));
}

TEST(StatusTransitions, FinalStatesAreFinal) {
  for (S to : {S::EnRoute, S::OnSite, S::Completed, S::Cancelled}) {
    EXPECT_FALSE(isAllowedTransition(S::Completed, to));
    EXPECT_FALSE(isAllowedTransition(S::Cancelled, to));
  }
}

TEST(StatusTransitions, PendingCanOnlyBeCancelled) {
  EXPECT_TRUE(isAllowedTransition(S::Pending, S::Cancelled));
  for (S to : {S::EnRoute, S::OnSite, S::Completed})
    EXPECT_FALSE(isAllowedTransition(S::Pending, to));
}

TEST(StatusTransitions, SameStatusAndBackToAssignedAreRefused) {
  EXPECT_FALSE(isAllowedTransition(S::EnRoute, S::EnRoute));
  EXPECT_FALSE(isAllowedTransition(S::OnSite, S::Assigned));
  EXPECT_FALSE(isAllowedTransition(S::OnSite, S::Pending));
}

}  // namespace
}  // namespace fieldlink
