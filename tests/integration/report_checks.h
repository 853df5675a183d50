// Assertions on received FIX messages that print the whole message when they fail, so a failing test
// shows what the gateway actually sent.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fix_version.h"
#include "quickfix/quickfix.h"

namespace fixgate::testing {

[[nodiscard]] ::testing::AssertionResult hasField(const FIX::Message& m, int tag,
                                                  const std::string& expected);
[[nodiscard]] ::testing::AssertionResult hasFieldOneOf(const FIX::Message& m, int tag,
                                                       const std::vector<std::string>& expected);
[[nodiscard]] ::testing::AssertionResult lacksField(const FIX::Message& m, int tag);
[[nodiscard]] ::testing::AssertionResult hasNonEmptyField(const FIX::Message& m, int tag);
// Numeric comparison, so "40", "40.0" and "40.00" all equal 40.
[[nodiscard]] ::testing::AssertionResult hasNumber(const FIX::Message& m, int tag, double expected);
[[nodiscard]] ::testing::AssertionResult fieldStartsWith(const FIX::Message& m, int tag,
                                                         const std::string& prefix);

// FIX 4.2 puts ExecTransType (20) on every ExecutionReport ('0' new, '3' status); FIX 4.4 and 5.0 removed
// the field, so there it must be absent.
[[nodiscard]] ::testing::AssertionResult hasExecTransTypeFor(client::FixVersion version,
                                                             const FIX::Message& m,
                                                             char expected_on_42 = '0');

}  // namespace fixgate::testing
