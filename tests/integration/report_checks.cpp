#include "report_checks.h"

#include <cmath>
#include <cstdlib>

#include "message_fields.h"

namespace fixgate::testing {
namespace {

::testing::AssertionResult fail(const FIX::Message& m, int tag, const std::string& what) {
  return ::testing::AssertionFailure() << "tag " << tag << ": " << what << "\n  in " << client::toLine(m);
}

}  // namespace

::testing::AssertionResult hasField(const FIX::Message& m, int tag, const std::string& expected) {
  const auto value = client::field(m, tag);
  if (!value) return fail(m, tag, "absent, expected '" + expected + "'");
  if (*value != expected) return fail(m, tag, "is '" + *value + "', expected '" + expected + "'");
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult hasFieldOneOf(const FIX::Message& m, int tag,
                                         const std::vector<std::string>& expected) {
  std::string choices;
  for (const std::string& e : expected) choices += (choices.empty() ? "'" : ", '") + e + "'";
  const auto value = client::field(m, tag);
  if (!value) return fail(m, tag, "absent, expected one of " + choices);
  for (const std::string& e : expected) {
    if (*value == e) return ::testing::AssertionSuccess();
  }
  return fail(m, tag, "is '" + *value + "', expected one of " + choices);
}

::testing::AssertionResult lacksField(const FIX::Message& m, int tag) {
  const auto value = client::field(m, tag);
  if (value) return fail(m, tag, "is '" + *value + "', expected it to be absent");
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult hasNonEmptyField(const FIX::Message& m, int tag) {
  const auto value = client::field(m, tag);
  if (!value || value->empty()) return fail(m, tag, "absent or empty");
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult hasNumber(const FIX::Message& m, int tag, double expected) {
  const auto value = client::field(m, tag);
  if (!value) return fail(m, tag, "absent, expected " + std::to_string(expected));
  char* end = nullptr;
  const double number = std::strtod(value->c_str(), &end);
  if (value->empty() || *end != '\0') return fail(m, tag, "'" + *value + "' is not a number");
  if (std::fabs(number - expected) > 1e-9 * std::max(1.0, std::fabs(expected))) {
    return fail(m, tag, "is " + *value + ", expected " + std::to_string(expected));
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult fieldStartsWith(const FIX::Message& m, int tag, const std::string& prefix) {
  const auto value = client::field(m, tag);
  if (!value) return fail(m, tag, "absent, expected it to start with '" + prefix + "'");
  if (!value->starts_with(prefix))
    return fail(m, tag, "'" + *value + "' does not start with '" + prefix + "'");
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult hasExecTransTypeFor(client::FixVersion version, const FIX::Message& m,
                                               char expected_on_42) {
  if (version == client::FixVersion::Fix42) return hasField(m, FIX::FIELD::ExecTransType, {expected_on_42});
  return lacksField(m, FIX::FIELD::ExecTransType);
}

}  // namespace fixgate::testing
