#include "logging.hpp"

Q_LOGGING_CATEGORY(lcKiosk, "chiso.kiosk", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSync, "chiso.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCharts, "chiso.charts", QtInfoMsg)
