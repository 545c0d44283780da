#include "termination.hpp"

#include "logging.hpp"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>
#include <csignal>

namespace chiso::kiosk {
namespace {

int signal_pipe[2] = {-1, -1};

// A signal handler may only do async-signal-safe things: it writes one byte for the event loop to read.
void on_signal(int) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signal_pipe[0], &byte, 1);
}

}  // namespace

void quit_on_termination_signals() {
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signal_pipe) != 0) {
        qCWarning(lcKiosk) << "cannot watch for SIGTERM; stopping will end the kiosk abruptly";
        return;
    }
    auto* notifier = new QSocketNotifier(signal_pipe[1], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, QCoreApplication::instance(), [] {
        char byte = 0;
        [[maybe_unused]] const ssize_t read = ::read(signal_pipe[1], &byte, 1);
        qCInfo(lcKiosk) << "stopping";
        QCoreApplication::quit();
    });
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}

}  // namespace chiso::kiosk
