#include "process_cpu.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fixgate::bench {
namespace {

struct StatFields {
  pid_t ppid = 0;
  long long utime = 0, stime = 0, cutime = 0, cstime = 0;  // clock ticks
};

// Fields after the command name, which is in parentheses and may hold spaces.
bool readStat(pid_t pid, StatFields& out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return false;
  const auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> values;
  for (std::string value; fields >> value && values.size() < 15;) values.push_back(value);
  if (values.size() < 15) return false;
  // values[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
  out.ppid = static_cast<pid_t>(std::stol(values[1]));
  out.utime = std::stoll(values[11]);
  out.stime = std::stoll(values[12]);
  out.cutime = std::stoll(values[13]);
  out.cstime = std::stoll(values[14]);
  return true;
}

double ticksToSeconds(long long ticks) {
  return static_cast<double>(ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

double processCpuSeconds(pid_t pid) {
  StatFields stat;
  if (!readStat(pid, stat)) return -1;
  return ticksToSeconds(stat.utime + stat.stime);
}

double processTreeCpuSeconds(pid_t pid) {
  StatFields parent;
  if (!readStat(pid, parent)) return -1;
  long long ticks = parent.utime + parent.stime + parent.cutime + parent.cstime;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    StatFields child;
    if (readStat(static_cast<pid_t>(std::stol(name)), child) && child.ppid == pid)
      ticks += child.utime + child.stime + child.cutime + child.cstime;
  }
  return ticksToSeconds(ticks);
}

}  // namespace fixgate::bench
