// The real chiso-kiosk for a test, running offscreen: its command line, its log (stderr) in a file, and what it
// shows read from its --state-file JSON (revision, connection, staleness, each page's tiles).
#pragma once

#include <ctime>

#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chiso::test {

using Clock = std::chrono::steady_clock;

class KioskProcess {
public:
    // `folder` holds the state file and the log; `arguments` follow the binary (server, token, cache…).
    // `environment` is added to the offscreen platform's (e.g. CHISO_KIOSK_HEARTBEAT for a short heartbeat).
    KioskProcess(std::filesystem::path folder, std::vector<std::string> arguments,
                 std::vector<std::pair<std::string, std::string>> environment = {})
        : folder_(std::move(folder)), arguments_(std::move(arguments)), environment_(std::move(environment)) {}
    KioskProcess(const KioskProcess&) = delete;
    KioskProcess& operator=(const KioskProcess&) = delete;
    ~KioskProcess() { kill(); }

    std::filesystem::path state_file() const { return folder_ / "kiosk-state.json"; }
    std::filesystem::path log_file() const { return folder_ / "kiosk.log"; }

    void start() {
        std::filesystem::remove(state_file());
        std::vector<std::string> arguments{CHISO_KIOSK_BIN, "--windowed",   "--size",
                                           "800x600",       "--state-file", state_file().string()};
        arguments.insert(arguments.end(), arguments_.begin(), arguments_.end());
        // Each start its own log.
        auto environment = environment_;
        environment.insert(environment.end(), {{"QT_QPA_PLATFORM", "offscreen"}, {"QT_QUICK_BACKEND", "software"}});
        pid_ = spawn(arguments, log_file(), true, environment);
    }
    bool running() const { return pid_ > 0; }
    pid_t pid() const { return pid_; }

    void kill() {
        if (!running()) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    // SIGTERM; true when it ended with status 0 within 10 s (scaled).
    bool stop() {
        if (!running()) return true;
        ::kill(pid_, SIGTERM);
        if (const auto status = wait_for_exit(pid_, scaled(std::chrono::seconds(10)))) {
            pid_ = -1;
            return WIFEXITED(*status) && WEXITSTATUS(*status) == 0;
        }
        kill();
        return false;
    }

    // The last state written; nullopt before the first (the file is replaced whole, so it always parses).
    std::optional<boost::json::object> state() const {
        std::error_code error;
        if (!std::filesystem::exists(state_file(), error)) return std::nullopt;
        try {
            return boost::json::parse(read_file(state_file())).as_object();
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }

    // Polls the state every 10 ms until `done` holds or `limit` passes; returns the state that satisfied it.
    std::optional<boost::json::object> wait_for(const std::function<bool(const boost::json::object&)>& done,
                                                std::chrono::milliseconds limit) {
        for (auto deadline = Clock::now() + limit; Clock::now() < deadline;) {
            if (auto now = state(); now && done(*now)) return now;
            int status = 0;
            if (running() && ::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                ADD_FAILURE() << "chiso-kiosk exited; its log:\n" << log();
                return std::nullopt;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return std::nullopt;
    }

    std::string log() const {
        std::error_code error;
        return std::filesystem::exists(log_file(), error) ? read_file(log_file()) : std::string();
    }

private:
    std::filesystem::path folder_;
    std::vector<std::string> arguments_;
    std::vector<std::pair<std::string, std::string>> environment_;
    pid_t pid_ = -1;
};

// A tile's value on a page of the state ("overview", indicator "members"); empty when there is none.
inline std::string tile_value(const boost::json::object& state, const std::string& page, const std::string& indicator) {
    for (const auto& p : state.at("pages").as_array()) {
        if (p.at("key").as_string() != page) continue;
        for (const auto& tile : p.at("tiles").as_array())
            if (tile.at("indicator").as_string() == indicator) return std::string(tile.at("value").as_string());
    }
    return {};
}

// Display settings whose schedule has the screen off now: one minute a day, on a weekday that is not today.
inline std::string schedule_outside_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    static const char* days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    return std::string(R"({"schedule": {"on": "03:00", "off": "03:01", "days": [")") + days[(tm.tm_wday + 3) % 7] +
           R"("]}})";
}

inline std::int64_t revision_of(const boost::json::object& state) {
    return state.at("revision").to_number<std::int64_t>();
}

inline std::string connection_of(const boost::json::object& state) {
    return std::string(state.at("connection").as_string());
}

}  // namespace chiso::test
