#include <execinfo.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "app/fieldlink_server.hpp"

namespace {

// Whatever escapes a thread ends the process; say what it was before it does.
[[noreturn]] void reportAndAbort() {
  if (const auto error = std::current_exception()) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "fieldlinkd: fatal: uncaught exception: " << e.what() << std::endl;
    } catch (...) {
      std::cerr << "fieldlinkd: fatal: uncaught non-standard exception" << std::endl;
    }
  } else {
    std::cerr << "fieldlinkd: fatal: std::terminate called" << std::endl;
  }
  std::abort();
}

// A crash leaves its stack in the log (async-signal-safe calls only), then dies as it would.
void reportFatalSignal(int signal_number) {
  const char header[] = "fieldlinkd: fatal signal, backtrace:\n";
  (void)!::write(STDERR_FILENO, header, sizeof header - 1);
  void* frames[64];
  const int count = ::backtrace(frames, 64);
  ::backtrace_symbols_fd(frames, count, STDERR_FILENO);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

const bool kHandlersSet = [] {
  std::set_terminate(reportAndAbort);
  std::signal(SIGABRT, reportFatalSignal);
  std::signal(SIGSEGV, reportFatalSignal);
  std::signal(SIGBUS, reportFatalSignal);
  return true;
}();

}  // namespace

POCO_SERVER_MAIN(fieldlink::FieldlinkServer)
