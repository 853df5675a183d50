// fixgate-audit without a database: UTC times, CSV quoting, the retention cutoff.
#include <sstream>

#include <gtest/gtest.h>

#include "common.h"
#include "retention.h"

namespace fixgate::audit_tools {
namespace {

TEST(AuditTime, ParsesUtcForms) {
  EXPECT_EQ(parseUtcTime("1970-01-01", "t"), 0);
  EXPECT_EQ(parseUtcTime("2024-11-22T08:00:00.123456Z", "t"), 1732262400123456);
  EXPECT_EQ(parseUtcTime("2024-11-22 08:00:00.1", "t"), 1732262400100000);
  EXPECT_EQ(parseUtcTime("2024-11-22T08:00+00:00", "t"), 1732262400000000);
  EXPECT_THROW((void)parseUtcTime("2024-11-22T08:00:00+01:00", "t"), UsageError);
  EXPECT_THROW((void)parseUtcTime("2024-02-30", "t"), UsageError);
  EXPECT_THROW((void)parseUtcTime("2024-11-22T08:00:00.1234567", "t"), UsageError);
  EXPECT_THROW((void)parseUtcTime("yesterday", "t"), UsageError);
}

TEST(AuditTime, FormatsMicroseconds) {
  EXPECT_EQ(formatUtcMicros(1732262400123456), "2024-11-22 08:00:00.123456");
  EXPECT_EQ(formatUtcMicros(0), "1970-01-01 00:00:00.000000");
  EXPECT_EQ(utcDateOf(1732233599999999), "2024-11-21");
  EXPECT_EQ(isoDateFromDays(daysFromIsoDate("2000-02-29")), "2000-02-29");
}

TEST(AuditCsv, QuotesPerRfc4180) {
  std::ostringstream out;
  CsvWriter csv(out);
  const std::vector<std::string> header = {"a", "b"};
  csv.writeHeader(header);
  const std::vector<Value> row = {std::string("x,y"), std::string("say \"hi\"")};
  csv.writeRow(row);
  const std::vector<Value> nulls = {std::nullopt, std::string()};
  csv.writeRow(nulls);
  const std::vector<Value> lines = {std::string("one\ntwo"), std::string("plain")};
  csv.writeRow(lines);
  EXPECT_EQ(out.str(), "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n,\"\"\r\n\"one\ntwo\",plain\r\n");
}

TEST(AuditRetention, CutoffIsYearsBeforeToday) {
  EXPECT_EQ(retentionCutoff("2025-06-15", 5), "2020-06-15");
  EXPECT_EQ(retentionCutoff("2024-02-29", 5), "2019-02-28");
  EXPECT_EQ(retentionCutoff("2024-02-29", 7), "2017-02-28");
}

}  // namespace
}  // namespace fixgate::audit_tools
