// Which DRM card the kiosk draws on through eglfs: the one a display is plugged into, unless the KMS config names
// one. Qt 6.4's eglfs_kms otherwise opens the first card udev lists, which on a Raspberry Pi 4 may be the 3D
// engine (v3d) rather than the display controller (vc4), and on other machines a card with no screen.
#pragma once

#include <QString>

#include <optional>

namespace chiso::kiosk {

// The /dev/dri/cardN whose connector (sysfs `cardN-<connector>/status`) says "connected", the lowest N if several
// do; else the lowest card with any connector (a display controller whose screen is off or not yet plugged in,
// never a 3D engine, which has none); empty if no card has a connector. `sysfs_drm` is /sys/class/drm.
QString connected_card(const QString& sysfs_drm);

// Whether a display is plugged in, as the kernel's DRM connectors say (`cardN-<connector>/status`): connected when
// any connector says "connected" (named by it, "HDMI-A-1"), disconnected when connectors exist and none does, and
// unknown (nullopt) when there is none to ask — a window on a desktop, the offscreen platform, a VM without KMS.
struct DisplayConnection {
    std::optional<bool> connected;
    QString connector;
};
DisplayConnection display_connection(const QString& sysfs_drm);

// The JSON of an eglfs KMS config (`config`, possibly empty) with "device" set to `device`; empty when `config`
// is not a JSON object.
QByteArray config_with_device(const QByteArray& config, const QString& device);

// When the kiosk draws through eglfs_kms and its KMS config (QT_QPA_EGLFS_KMS_CONFIG) names no "device": writes a
// copy naming connected_card() to `runtime_dir` and points QT_QPA_EGLFS_KMS_CONFIG at it. Before QApplication.
// Logs what it chose; leaves everything as it was when nothing is connected or the config cannot be read.
void choose_display_card(const QString& sysfs_drm, const QString& runtime_dir);

}  // namespace chiso::kiosk
