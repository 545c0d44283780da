// A logging category per subsystem of the kiosk: QT_LOGGING_RULES="chiso.sync.debug=true" turns one on.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcKiosk)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcCharts)
