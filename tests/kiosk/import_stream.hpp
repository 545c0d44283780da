// A stream of small imports into a real chiso-syncd, one every 40 ms on a thread of its own, each changing one
// base organisation's November admissions: what keeps a kiosk writing its cache while a test kills it.
#pragma once

#include "support/syncd_process.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace chiso::test {

class ImportStream {
public:
    explicit ImportStream(const SyncdProcess& syncd)
        : thread_([this, &syncd] {
              for (int value = 1; running_; ++value) {
                  const std::string body = "org,indicator,period,value\nHT-KCQDN-00" + std::to_string(1 + value % 9) +
                                           ",admissions,2026-11," + std::to_string(value % 7) + "\n";
                  if (syncd.import("values", body, "stream.csv").status == 200) ++imports_;
                  std::this_thread::sleep_for(std::chrono::milliseconds(40));  // the stream's pace, not a wait
              }
          }) {}
    ~ImportStream() { stop(); }
    ImportStream(const ImportStream&) = delete;
    ImportStream& operator=(const ImportStream&) = delete;

    // Ends the stream; how many imports were applied.
    int stop() {
        running_ = false;
        if (thread_.joinable()) thread_.join();
        return imports_;
    }

private:
    std::atomic<bool> running_{true};
    std::atomic<int> imports_{0};
    std::thread thread_;  // last, so that it starts once the counters exist
};

}  // namespace chiso::test
