// The header's date and clock, and the footer's status lines, in the kiosk's language: "Thứ Hai, 23/11/2026",
// "10:25", "Số liệu đến 31/10/2026", "Đồng bộ 2 phút trước". Built on dashboard::Formatter; Qt-free and tested.
#pragma once

#include "dashboard/format.hpp"
#include "domain/period.hpp"

#include <cstdint>
#include <string>

namespace chiso::kiosk {

// weekday: 0 = Monday … 6 = Sunday.
std::string date_text(const dashboard::Formatter& format, domain::Day day, int weekday);
std::string time_text(int minute_of_day);  // "07:05"

std::string as_of_text(const dashboard::Formatter& format, const std::string& as_of);  // "Số liệu đến 31/10/2026"
// "Đồng bộ 2 phút trước"; "Chưa đồng bộ" when synced_at is 0.
std::string last_sync_text(const dashboard::Formatter& format, std::int64_t synced_at, std::int64_t now);
// The stale banner: "Số liệu chưa được cập nhật 3 giờ 10 phút — đang thử lại http://…".
std::string stale_text(const dashboard::Formatter& format, std::int64_t age_seconds, const std::string& server);
std::string waiting_text(const dashboard::Formatter& format, const std::string& server);
// A screen without a token, above the enrolment code it shows: where IT enters it.
std::string enrolment_text(const dashboard::Formatter& format, const std::string& server);

}  // namespace chiso::kiosk
