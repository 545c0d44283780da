#include "clock_text.hpp"

#include <array>

namespace chiso::kiosk {

std::string date_text(const dashboard::Formatter& format, domain::Day day, int weekday) {
    static constexpr std::array<const char*, 7> vi{"Thứ Hai", "Thứ Ba",  "Thứ Tư",  "Thứ Năm",
                                                   "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"};
    static constexpr std::array<const char*, 7> en{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                   "Friday", "Saturday", "Sunday"};
    const auto index = static_cast<std::size_t>(((weekday % 7) + 7) % 7);
    return std::string(format.tr(vi[index], en[index])) + ", " + format.day(day);
}

std::string time_text(int minute_of_day) {
    const int hours = minute_of_day / 60 % 24, minutes = minute_of_day % 60;
    std::string text;
    text += static_cast<char>('0' + hours / 10);
    text += static_cast<char>('0' + hours % 10);
    text += ':';
    text += static_cast<char>('0' + minutes / 10);
    text += static_cast<char>('0' + minutes % 10);
    return text;
}

std::string as_of_text(const dashboard::Formatter& format, const std::string& as_of) {
    if (as_of.empty()) return format.tr("Chưa có số liệu", "No figures yet");
    return format.tr("Số liệu đến ", "Figures as of ") + as_of;
}

std::string last_sync_text(const dashboard::Formatter& format, std::int64_t synced_at, std::int64_t now) {
    if (synced_at <= 0) return format.tr("Chưa đồng bộ", "Not synced yet");
    const std::int64_t age = now > synced_at ? now - synced_at : 0;
    if (age < 60) return format.tr("Vừa đồng bộ", "Synced just now");
    return format.tr("Đồng bộ ", "Synced ") + format.age(age) + format.tr(" trước", " ago");
}

std::string stale_text(const dashboard::Formatter& format, std::int64_t age_seconds, const std::string& server) {
    return format.tr("Số liệu chưa được cập nhật ", "Figures not updated for ") + format.age(age_seconds) +
           format.tr(" — đang thử kết nối lại ", " — trying to reach ") + server;
}

std::string enrolment_text(const dashboard::Formatter& format, const std::string& server) {
    return format.tr("Màn hình này chưa được đăng ký. Trong trang quản trị ", "This screen is not enrolled yet. In the console at ") +
           server + "/fleet" +
           format.tr(", chọn «Đăng ký màn hình mới» và nhập mã:", ", choose \"Enrol a new screen\" and enter the code:");
}

std::string waiting_text(const dashboard::Formatter& format, const std::string& server) {
    return format.tr("Đang chờ dữ liệu lần đầu từ ", "Waiting for the first data from ") + server;
}

}  // namespace chiso::kiosk
