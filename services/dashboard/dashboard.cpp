#include "dashboard/dashboard.hpp"

#include "domain/percent.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>
#include <string_view>

namespace chiso::dashboard {
namespace {

using domain::Day;
using domain::Period;
using domain::PeriodKind;
using Amount = std::function<std::optional<std::int64_t>(const Period&)>;

Period month_period(int y, int m) {
    return {PeriodKind::month, static_cast<short>(y), static_cast<short>(m)};
}
Period half_period(int y, int h) {
    return {PeriodKind::half, static_cast<short>(y), static_cast<short>(h)};
}
Period year_period(int y) {
    return {PeriodKind::year, static_cast<short>(y), 0};
}

int year_of(Day day) {
    return day / 10000;
}
int month_of(Day day) {
    return day / 100 % 100;
}

// Quality ratings by rank, best first, across both scales (Quy định 366-QĐ/TW and the scale before 2018), so a
// stacked bar of an old-scale year and of a current-scale year each read best to worst. Codes not here follow.
constexpr std::array<std::string_view, 7> kRatingRank{"tsvm_tieu_bieu", "htxs", "tsvm", "htt", "ht", "kht", "yeu_kem"};
bool rated_good_or_better(std::string_view code) {
    return code == "htxs" || code == "htt" || code == "tsvm_tieu_bieu" || code == "tsvm";
}
bool rated_failing(std::string_view code) {
    return code == "kht" || code == "yeu_kem";
}
std::size_t rating_rank(std::string_view code) {
    auto it = std::find(kRatingRank.begin(), kRatingRank.end(), code);
    return static_cast<std::size_t>(it - kRatingRank.begin());
}

// "Hoàn thành tốt nhiệm vụ" → "hoàn thành tốt nhiệm vụ", for a label inside a sentence (ASCII capitals and Đ).
std::string lower_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    else if (text.starts_with("\u0110"))
        text.replace(0, 2, "\u0111");
    return text;
}

std::int64_t sum(const std::map<std::string, std::int64_t>& categories) {
    std::int64_t total = 0;
    for (const auto& [code, count] : categories) total += count;
    return total;
}

class Builder {
public:
    Builder(const wire::ScopeDocument& document, const Formatter& format)
        : doc_(document),
          f_(format),
          org_(document.org()),
          as_of_(document.as_of()),
          y_(year_of(as_of_)),
          m_(month_of(as_of_)) {
        for (const Period& period : doc_.scope_periods())
            if (period.kind == PeriodKind::year) years_.push_back(period.year);
        std::sort(years_.begin(), years_.end());
    }

    Page build(const std::string& key) {
        Page page = key == "overview"     ? overview()
                    : key == "membership" ? membership()
                    : key == "admission"  ? admission()
                    : key == "discipline" ? discipline()
                                          : rating();
        // A chart of indicators the catalogue does not have is left out; one with no figures says so.
        std::erase_if(page.charts, [](const Chart& c) { return c.series.empty() || c.categories.empty(); });
        for (Chart& c : page.charts) {
            bool any = false;
            for (const Series& series : c.series)
                for (const auto& v : series.values) any = any || v.has_value();
            if (!any) c.note = f_.tr("Chưa có số liệu", "No figures yet");
        }
        return page;
    }

    Page empty_page(const std::string& key) const {
        Page page;
        page.key = key;
        page.title = title(key);
        return page;
    }

private:
    const wire::ScopeDocument& doc_;
    const Formatter& f_;
    std::string org_;
    Day as_of_;
    int y_, m_;
    std::vector<int> years_;  // the years of the scope's window, oldest first

    // ---- the catalogue, in the chosen language ----
    const domain::Indicator* indicator(std::string_view code) const {
        int index = doc_.catalogue().indicator(code);
        return index < 0 ? nullptr : &doc_.catalogue().indicators[index];
    }
    std::string pick(const domain::Label& label) const {
        const std::string& text = f_.language() == Language::vi ? label.label_vi : label.label_en;
        return text.empty() ? (label.label_vi.empty() ? label.code : label.label_vi) : text;
    }
    bool known(std::string_view code) const { return indicator(code) != nullptr; }
    std::string label(std::string_view code) const {
        const domain::Indicator* found = indicator(code);
        return found ? pick(*found) : std::string(code);
    }
    // The catalogue's label, or ours when the catalogue has no such indicator.
    std::string label_or(std::string_view code, const char* vietnamese, const char* english) const {
        return known(code) ? label(code) : f_.tr(vietnamese, english);
    }
    std::string category_label(std::string_view code, std::string_view category) const {
        if (const domain::Indicator* found = indicator(code))
            for (const domain::Label& c : found->categories)
                if (c.code == category) return pick(c);
        return std::string(category);
    }
    std::string type_label(std::string_view type) const {
        for (const domain::Label& t : doc_.catalogue().org_types)
            if (t.code == type) return pick(t);
        return type.empty() ? f_.tr("Chưa phân loại", "Unclassified") : std::string(type);
    }
    std::string unit(std::string_view code) const {
        const domain::Indicator* found = indicator(code);
        std::string u = found ? found->unit : std::string();
        if (f_.language() == Language::en) {
            if (u == "người") return "people";
            if (u == "tổ chức") return "organisations";
            if (u == "lượt") return "occasions";
        }
        return u;
    }
    bool higher_is_better(std::string_view code) const {
        const domain::Indicator* found = indicator(code);
        return found ? found->higher_is_better : true;
    }
    std::vector<std::string> category_codes(std::string_view code) const {
        std::vector<std::string> codes;
        if (const domain::Indicator* found = indicator(code))
            for (const domain::Label& c : found->categories) codes.push_back(c.code);
        return codes;
    }

    std::string title(const std::string& key) const {
        if (key == "overview") return f_.tr("Tổng quan", "Overview");
        if (key == "membership") return f_.tr("Đảng viên", "Membership");
        if (key == "admission") return f_.tr("Kết nạp đảng viên", "Admissions");
        if (key == "discipline")
            return f_.tr("Kiểm tra – giám sát – kỷ luật", "Inspection, supervision and discipline");
        if (key == "rating") return f_.tr("Xếp loại chất lượng", "Quality ratings");
        return key;
    }

    // ---- figures of the scope organisation ----
    std::optional<std::int64_t> value(std::string_view code, const Period& period, std::string_view org = {}) const {
        auto figure = doc_.figure(org.empty() ? std::string_view(org_) : org, code, period);
        if (figure) return figure->value;
        return std::nullopt;
    }
    // A count: a stock's or flow's value, a distribution's sum over its categories.
    std::optional<std::int64_t> amount(std::string_view code, const Period& period, std::string_view org = {}) const {
        const domain::Indicator* found = indicator(code);
        if (found && found->kind == domain::Kind::distribution) {
            auto categories = doc_.categories(org.empty() ? std::string_view(org_) : org, code, period);
            if (categories.empty()) return std::nullopt;
            return sum(categories);
        }
        return value(code, period, org);
    }
    Amount amount_of(std::string code) const {
        return [this, code](const Period& period) { return amount(code, period); };
    }
    std::optional<std::int64_t> tenths_of(std::string_view ratio, const Period& period) const {
        auto figure = doc_.figure(org_, ratio, period);
        return figure ? figure->tenths : std::nullopt;
    }

    // "Năm 2026 (đến 31/10/2026)": the period, and the day it is counted to while it is still running.
    std::string covers(const Period& period) const {
        std::string text = f_.period(period);
        if (doc_.to_date(period)) text += std::string(f_.tr(" (đến ", " (to ")) + f_.day(as_of_) + ")";
        return text;
    }
    std::string as_at(Day day) const { return f_.tr("đến ", "as at ") + f_.day(day); }

    static Tile tile(std::string key, std::string label, std::string unit) {
        Tile t;
        t.indicator = std::move(key);
        t.label = std::move(label);
        t.unit = std::move(unit);
        return t;
    }
    static void set_missing(Tile& t, std::string period) {
        t.value = kDash;
        t.missing = true;
        t.period = std::move(period);
    }
    void set_change(Tile& t, std::int64_t delta, const std::string& reference, bool better_higher,
                    const std::string& delta_text = {}) const {
        t.change_sign = delta > 0 ? 1 : delta < 0 ? -1 : 0;
        t.change_is_good = t.change_sign == 0 || (t.change_sign > 0) == better_higher;
        std::string compared = f_.tr("so với ", "vs ") + reference;
        t.change = delta == 0 ? std::string(f_.tr("không đổi ", "no change ")) + compared
                              : (delta_text.empty() ? f_.signed_number(delta) : delta_text) + " " + compared;
    }

    // ---- stocks: the latest snapshot, compared with the end of the half year before it ----
    struct Snapshot {
        std::int64_t value = 0;
        Period period;
        Day day = 0;
    };
    std::optional<Snapshot> latest_stock(std::string_view code) const {
        std::vector<Period> candidates;
        for (int y = y_; y >= y_ - 1; --y)
            for (int m = 12; m >= 1; --m) candidates.push_back(month_period(y, m));
        for (int y = y_; y >= y_ - 2; --y) candidates.insert(candidates.end(), {half_period(y, 2), half_period(y, 1)});
        for (auto it = years_.rbegin(); it != years_.rend(); ++it) candidates.push_back(year_period(*it));
        for (const Period& period : candidates) {
            if (period.first_day() > as_of_) continue;
            if (auto v = value(code, period)) return Snapshot{*v, period, std::min(period.last_day(), as_of_)};
        }
        return std::nullopt;
    }
    static Period half_before(Day day) {
        return month_of(day) <= 6 ? half_period(year_of(day) - 1, 2) : half_period(year_of(day), 1);
    }

    Tile stock_tile(const std::string& code) const {
        Tile t = tile(code, label(code), unit(code));
        auto snapshot = latest_stock(code);
        if (!snapshot) {
            set_missing(t, f_.day(as_of_));
            return t;
        }
        t.value = f_.number(snapshot->value);
        t.period = f_.day(snapshot->day);
        Period before = half_before(snapshot->day);
        if (auto previous = value(code, before))
            set_change(t, snapshot->value - *previous, f_.day(before.last_day()), higher_is_better(code));
        return t;
    }

    // A part of the members (women, youth, ...) with its share of all members on the same day: the share syncd
    // computed when the catalogue has the ratio, else composed exactly from the two counts.
    Tile member_part_tile(const std::string& code) const {
        Tile t = stock_tile(code);
        auto snapshot = latest_stock(code);
        if (!snapshot) return t;
        std::optional<std::int64_t> tenths;
        for (const domain::Indicator& ratio : doc_.catalogue().indicators)
            if (ratio.kind == domain::Kind::ratio && ratio.numerator == code && ratio.denominator == "members_total")
                tenths = tenths_of(ratio.code, snapshot->period);
        if (!tenths)
            if (auto total = value("members_total", snapshot->period))
                tenths = domain::percent_tenths(snapshot->value, *total);
        if (tenths) t.detail = f_.percent_tenths(*tenths) + f_.tr(" tổng số đảng viên", " of all members");
        return t;
    }

    // ---- flows: this year to date, compared with the same months of last year ----
    struct Reference {
        std::int64_t value = 0;
        std::string text;  // "cùng kỳ năm 2025", "năm 2025"
    };
    std::optional<Reference> same_period_last_year(const Amount& get) const {
        const std::string last_year = std::to_string(y_ - 1);
        if (as_of_ == year_period(y_).last_day()) {
            if (auto whole = get(year_period(y_ - 1))) return Reference{*whole, f_.tr("năm ", "") + last_year};
            return std::nullopt;
        }
        // Only when last year is known month by month: a figure reported for the whole year has no "same months".
        auto whole = get(year_period(y_ - 1));
        if (!whole) return std::nullopt;
        std::int64_t months = 0, part = 0;
        for (int m = 1; m <= 12; ++m)
            if (auto v = get(month_period(y_ - 1, m))) {
                months += *v;
                if (m <= m_) part += *v;
            }
        if (months != *whole) return std::nullopt;
        return Reference{part, f_.tr("cùng kỳ năm ", "the same period of ") + last_year};
    }

    Tile flow_tile(const std::string& key, std::string tile_label, std::string tile_unit, bool better_higher,
                   const Amount& get) const {
        Tile t = tile(key, std::move(tile_label), std::move(tile_unit));
        const Period year = year_period(y_);
        auto now = get(year);
        if (!now) {
            set_missing(t, covers(year));
            return t;
        }
        t.value = f_.number(*now);
        t.period = covers(year);
        if (auto before = same_period_last_year(get)) set_change(t, *now - before->value, before->text, better_higher);
        return t;
    }
    Tile flow_tile(const std::string& code) const {
        return flow_tile(code, label(code), unit(code), higher_is_better(code), amount_of(code));
    }
    // A distribution's tile with its categories on the detail line: "Khiển trách 10 · Cảnh cáo 7".
    Tile distribution_tile(const std::string& code) const {
        Tile t = flow_tile(code);
        auto categories = doc_.categories(org_, code, year_period(y_));
        for (const std::string& category : category_codes(code)) {
            auto it = categories.find(category);
            if (it == categories.end() || it->second == 0) continue;
            if (!t.detail.empty()) t.detail += " · ";
            t.detail += category_label(code, category) + " " + f_.number(it->second);
        }
        return t;
    }

    // A sum of several flows; missing when none of them was reported.
    Amount sum_of(std::vector<std::string> codes) const {
        return [this, codes](const Period& period) -> std::optional<std::int64_t> {
            std::optional<std::int64_t> total;
            for (const std::string& code : codes)
                if (auto v = amount(code, period)) total = total.value_or(0) + *v;
            return total;
        };
    }
    Tile inspections_tile() const {
        Tile t = flow_tile(
            "inspections", f_.tr("Kiểm tra, giám sát", "Inspections and supervisions"), unit("inspections_org"), true,
            sum_of({"inspections_org", "inspections_member", "supervisions_org", "supervisions_member"}));
        const Period year = year_period(y_);
        auto inspections = sum_of({"inspections_org", "inspections_member"})(year);
        auto supervisions = sum_of({"supervisions_org", "supervisions_member"})(year);
        if (inspections || supervisions)
            t.detail = f_.tr("kiểm tra ", "inspections ") + f_.number(inspections.value_or(0)) + " · " +
                       f_.tr("giám sát ", "supervisions ") + f_.number(supervisions.value_or(0));
        return t;
    }

    // ---- admissions against the target ----
    std::string attainment_detail(const Period& period, std::optional<std::int64_t> done) const {
        auto target = doc_.target(org_, "admissions", period);
        if (!target) return f_.tr("chưa có chỉ tiêu ", "no target for ") + lower_first(f_.period(period));
        std::string text = f_.tr("chỉ tiêu ", "target ") + f_.number(*target);
        std::optional<std::int64_t> tenths = tenths_of("admissions_attainment", period);
        if (!tenths && done) tenths = domain::percent_tenths(*done, *target);
        if (tenths)
            text += " · " + (f_.language() == Language::vi ? "đạt " + f_.percent_tenths(*tenths)
                                                           : f_.percent_tenths(*tenths) + " reached");
        return text;
    }
    Tile admissions_tile() const {
        Tile t = flow_tile("admissions");
        t.detail = attainment_detail(year_period(y_), amount("admissions", year_period(y_)));
        return t;
    }
    std::optional<Period> current_term() const {
        for (const Period& term : doc_.catalogue().terms)
            if (term.first_day() <= as_of_ && as_of_ <= term.last_day()) return term;
        return std::nullopt;
    }
    Tile term_admissions_tile() const {
        Tile t = tile("admissions_term", f_.tr("Kết nạp đảng viên trong nhiệm kỳ", "Admitted during the term"),
                      unit("admissions"));
        auto term = current_term();
        if (!term) {
            set_missing(t, f_.tr("Nhiệm kỳ hiện tại", "Current term"));
            t.detail = f_.tr("danh mục chưa có nhiệm kỳ này", "the catalogue has no current term");
            return t;
        }
        auto done = amount("admissions", *term);
        if (done)
            t.value = f_.number(*done);
        else
            set_missing(t, covers(*term));
        t.period = covers(*term);
        t.detail = attainment_detail(*term, done);
        return t;
    }

    struct Pacing {
        std::optional<std::int64_t> target;
        std::int64_t done = 0, remaining = 0, per_month = 0;
        int months_left = 0;
    };
    Pacing pacing() const {
        Pacing p;
        p.target = doc_.target(org_, "admissions", year_period(y_));
        p.done = amount("admissions", year_period(y_)).value_or(0);
        p.months_left = as_of_ == year_period(y_).last_day() ? 0 : 12 - m_;
        if (p.target) {
            p.remaining = *p.target - p.done;
            if (p.remaining > 0 && p.months_left > 0) p.per_month = (p.remaining + p.months_left - 1) / p.months_left;
        }
        return p;
    }
    std::string pacing_text(const Pacing& p) const {
        const std::string year = std::to_string(y_);
        const bool vi = f_.language() == Language::vi;
        if (!p.target) return vi ? "Chưa có chỉ tiêu kết nạp năm " + year : "No admissions target for " + year;
        if (p.remaining <= 0) {
            std::string text = vi ? "Đã đạt chỉ tiêu kết nạp năm " + year : year + " admissions target reached";
            if (p.remaining < 0) text += (vi ? " (vượt " : " (exceeded by ") + f_.number(-p.remaining) + ")";
            return text;
        }
        if (p.months_left == 0)
            return vi ? "Năm " + year + " còn thiếu " + f_.number(p.remaining) + " so với chỉ tiêu"
                      : year + " ended " + f_.number(p.remaining) + " short of the target";
        if (vi)
            return "Cần kết nạp thêm " + f_.number(p.remaining) + " trong " + std::to_string(p.months_left) +
                   " tháng còn lại: " + f_.number(p.per_month) + "/tháng";
        return f_.number(p.remaining) + " more to admit in the " + std::to_string(p.months_left) + " month" +
               (p.months_left == 1 ? "" : "s") + " left: " + f_.number(p.per_month) + " a month";
    }
    Tile pacing_tile() const {
        Pacing p = pacing();
        Tile t = tile("admissions_pacing", f_.tr("Cần kết nạp thêm để đạt chỉ tiêu", "Still to admit for the target"),
                      unit("admissions"));
        t.period = covers(year_period(y_));
        if (!p.target) {
            set_missing(t, covers(year_period(y_)));
            t.detail = pacing_text(p);
            return t;
        }
        t.value = f_.number(std::max<std::int64_t>(p.remaining, 0));
        if (p.remaining > 0 && p.months_left > 0) {
            t.detail = f_.language() == Language::vi
                           ? f_.number(p.per_month) + "/tháng trong " + std::to_string(p.months_left) + " tháng còn lại"
                           : f_.number(p.per_month) + " a month over the " + std::to_string(p.months_left) + " month" +
                                 (p.months_left == 1 ? "" : "s") + " left";
            if (auto elapsed = domain::percent_tenths(12 - p.months_left, 12))
                t.detail +=
                    f_.tr(" · đã qua ", " · ") + f_.percent_tenths(*elapsed) + f_.tr(" thời gian", " of the year gone");
        } else {
            t.detail = pacing_text(p);
        }
        return t;
    }

    // ---- ratings: the share rated good or better in the latest rated year ----
    std::optional<int> latest_rated_year(std::string_view code, int before) const {
        for (auto it = years_.rbegin(); it != years_.rend(); ++it)
            if (*it < before && !doc_.categories(org_, code, year_period(*it)).empty()) return *it;
        return std::nullopt;
    }
    static std::pair<std::int64_t, std::int64_t> good_of(const std::map<std::string, std::int64_t>& categories) {
        std::int64_t good = 0;
        for (const auto& [code, count] : categories)
            if (rated_good_or_better(code)) good += count;
        return {good, sum(categories)};
    }
    Tile good_share_tile(const std::string& code) const {
        const bool orgs = code == "rating_orgs";
        Tile t = tile(code + "_good_share",
                      orgs ? f_.tr("TCCSĐ hoàn thành tốt nhiệm vụ trở lên", "Organisations rated good or better")
                           : f_.tr("Đảng viên hoàn thành tốt nhiệm vụ trở lên", "Members rated good or better"),
                      "");  // the value carries its "%"
        auto year = latest_rated_year(code, y_ + 1);
        if (!year) {
            set_missing(t, f_.period(year_period(y_ - 1)));
            return t;
        }
        auto [good, total] = good_of(doc_.categories(org_, code, year_period(*year)));
        auto tenths = domain::percent_tenths(good, total);
        if (!tenths) {
            set_missing(t, covers(year_period(*year)));
            return t;
        }
        t.value = f_.percent_tenths(*tenths);
        t.period = covers(year_period(*year));
        std::string counted = unit(code);
        if (counted.empty()) counted = orgs ? f_.tr("tổ chức", "organisations") : f_.tr("người", "people");
        t.detail = f_.number(good) + "/" + f_.number(total) + " " + counted;
        if (auto previous_year = latest_rated_year(code, *year)) {
            auto [good_before, total_before] = good_of(doc_.categories(org_, code, year_period(*previous_year)));
            // The change of the share, exactly: good/total − good_before/total_before over one denominator.
            if (auto delta = domain::percent_tenths(good * total_before - good_before * total, total * total_before))
                set_change(t, *delta, f_.tr("năm ", "") + std::to_string(*previous_year), true,
                           f_.percent_points(*delta));
        }
        return t;
    }
    // The count of one rating (the best, or the failing one) in the latest rated year, with its share.
    std::optional<Tile> rating_category_tile(const std::string& code, bool best) const {
        auto year = latest_rated_year(code, y_ + 1);
        if (!year) return std::nullopt;
        auto categories = doc_.categories(org_, code, year_period(*year));
        std::optional<std::string> chosen;
        for (const auto& [category, count] : categories) {
            if (!best && !rated_failing(category)) continue;
            if (!chosen ||
                (best ? rating_rank(category) < rating_rank(*chosen) : rating_rank(category) > rating_rank(*chosen)))
                chosen = category;
        }
        if (!chosen) return std::nullopt;
        const bool orgs = code == "rating_orgs";
        Tile t = tile(code + "." + *chosen,
                      (orgs ? f_.tr("TCCSĐ ", "Organisations: ") : f_.tr("Đảng viên ", "Members: ")) +
                          (f_.language() == Language::vi ? lower_first(category_label(code, *chosen))
                                                         : category_label(code, *chosen)),
                      unit(code));
        const std::int64_t count = categories[*chosen];
        t.value = f_.number(count);
        t.period = covers(year_period(*year));
        if (auto tenths = domain::percent_tenths(count, sum(categories)))
            t.detail = f_.percent_tenths(*tenths) + f_.tr(" số được xếp loại", " of those rated");
        if (auto previous_year = latest_rated_year(code, *year)) {
            auto before = doc_.categories(org_, code, year_period(*previous_year));
            if (auto it = before.find(*chosen); it != before.end())  // the same scale both years
                set_change(t, count - it->second, f_.tr("năm ", "") + std::to_string(*previous_year), best);
        }
        return t;
    }

    // ---- charts ----
    Series series(std::string name, std::string role, std::vector<std::optional<double>> values,
                  const std::function<std::string(double)>& format_value) const {
        Series s;
        s.name = std::move(name);
        s.role = std::move(role);
        for (const auto& v : values) s.labels.push_back(v ? format_value(*v) : std::string());
        s.values = std::move(values);
        return s;
    }
    std::string count_text(double v) const { return f_.number(static_cast<std::int64_t>(v)); }
    Series count_series(std::string name, std::string role,
                        const std::vector<std::optional<std::int64_t>>& counts) const {
        std::vector<std::optional<double>> values;
        for (const auto& c : counts)
            values.push_back(c ? std::optional<double>(static_cast<double>(*c)) : std::nullopt);
        return series(std::move(name), std::move(role), std::move(values), [this](double v) { return count_text(v); });
    }
    // One series per indicator over the scope's years, leading years where nothing is reported left out.
    Chart year_chart(std::string key, std::string chart_title, Chart::Kind kind,
                     const std::vector<std::string>& wanted) const {
        Chart chart;
        chart.key = std::move(key);
        chart.title = std::move(chart_title);
        chart.kind = kind;
        std::size_t first = years_.size();
        std::vector<std::vector<std::optional<std::int64_t>>> columns;
        std::vector<std::string> codes;
        for (const std::string& code : wanted)
            if (known(code)) codes.push_back(code);
        for (const std::string& code : codes) {
            std::vector<std::optional<std::int64_t>> column;
            for (std::size_t i = 0; i < years_.size(); ++i) {
                column.push_back(amount(code, year_period(years_[i])));
                if (column.back()) first = std::min(first, i);
            }
            columns.push_back(std::move(column));
        }
        for (const std::string& code : codes)  // a unit only when every series shares it
            chart.unit = code == codes.front() || unit(code) == chart.unit ? unit(code) : std::string();
        if (first == years_.size()) first = years_.empty() ? 0 : years_.size() - 1;  // nothing at all: the last year
        for (std::size_t i = first; i < years_.size(); ++i) chart.categories.push_back(std::to_string(years_[i]));
        for (std::size_t c = 0; c < codes.size(); ++c) {
            std::vector<std::optional<std::int64_t>> column(columns[c].begin() + static_cast<long>(first),
                                                            columns[c].end());
            chart.series.push_back(count_series(label(codes[c]), "value", column));
        }
        if (doc_.to_date(year_period(y_))) chart.note = std::to_string(y_) + ": " + as_at(as_of_);
        return chart;
    }
    // A distribution stacked by category over the given years: a series per category reported in any of them.
    Chart distribution_chart(std::string key, std::string chart_title, const std::string& code,
                             const std::vector<int>& chart_years, bool by_rank) const {
        Chart chart;
        chart.key = std::move(key);
        chart.title = std::move(chart_title);
        chart.kind = Chart::Kind::stacked_bar;
        chart.unit = unit(code);
        if (!known(code)) return chart;
        const std::vector<int> shown = chart_years.empty() ? std::vector<int>{y_ - 1} : chart_years;
        std::vector<std::map<std::string, std::int64_t>> per_year;
        std::set<std::string> present;
        for (int year : shown) {
            chart.categories.push_back(std::to_string(year));
            per_year.push_back(doc_.categories(org_, code, year_period(year)));
            for (const auto& [category, count] : per_year.back()) present.insert(category);
        }
        std::vector<std::string> order = category_codes(code);
        for (const std::string& category : present)
            if (std::find(order.begin(), order.end(), category) == order.end()) order.push_back(category);
        if (by_rank)
            std::stable_sort(order.begin(), order.end(), [](const std::string& a, const std::string& b) {
                return rating_rank(a) < rating_rank(b);
            });
        for (const std::string& category : order) {
            if (!present.empty() && !present.contains(category)) continue;
            std::vector<std::optional<std::int64_t>> counts;
            for (const auto& year : per_year) {
                auto it = year.find(category);
                counts.push_back(it == year.end() ? std::nullopt : std::optional<std::int64_t>(it->second));
            }
            Series s = count_series(category_label(code, category), "value", counts);
            s.role = category;  // the category code, so a theme can colour "kht" and "yeu_kem" alike
            chart.series.push_back(std::move(s));
        }
        if (std::find(shown.begin(), shown.end(), y_) != shown.end() && doc_.to_date(year_period(y_)))
            chart.note = std::to_string(y_) + ": " + as_at(as_of_);
        return chart;
    }
    // The years holding a figure of the indicator.
    std::vector<int> years_with(const std::string& code) const {
        std::vector<int> result;
        for (int year : years_)
            if (amount(code, year_period(year))) result.push_back(year);
        return result;
    }

    // The breakdown by organisation type on the members' snapshot day.
    std::pair<Period, std::vector<std::string>> type_breakdown() const {
        std::vector<Period> candidates;
        if (auto snapshot = latest_stock("members_total")) {
            candidates.push_back(month_of(snapshot->day) <= 6 ? half_period(year_of(snapshot->day), 1)
                                                              : half_period(year_of(snapshot->day), 2));
            candidates.push_back(year_period(year_of(snapshot->day)));
        }
        for (const Period& period : doc_.member_periods()) candidates.push_back(period);
        for (const Period& period : candidates) {
            std::vector<std::string> present = doc_.types(period);
            if (present.empty()) continue;
            std::vector<std::string> ordered;
            for (const domain::Label& type : doc_.catalogue().org_types)
                if (std::find(present.begin(), present.end(), type.code) != present.end()) ordered.push_back(type.code);
            for (const std::string& type : present)
                if (std::find(ordered.begin(), ordered.end(), type) == ordered.end()) ordered.push_back(type);
            return {period, ordered};
        }
        return {year_period(y_), {}};
    }
    Chart type_chart(std::string key, std::string chart_title, const std::string& code) const {
        auto [period, types] = type_breakdown();
        Chart chart;
        if (!code.empty() && !known(code)) return chart;
        chart.key = std::move(key);
        chart.title = std::move(chart_title);
        chart.kind = Chart::Kind::horizontal_bar;
        chart.unit = code.empty() ? unit("org_base_total") : unit(code);
        std::vector<std::optional<std::int64_t>> counts;
        for (const std::string& type : types) {
            chart.categories.push_back(type_label(type));
            if (code.empty()) {
                counts.push_back(doc_.type_orgs(period, type));
            } else {
                auto figure = doc_.type_figure(period, type, code);
                counts.push_back(figure ? std::optional<std::int64_t>(figure->value) : std::nullopt);
            }
        }
        chart.series.push_back(count_series(code.empty() ? label("org_base_total") : label(code), "value", counts));
        chart.note = as_at(std::min(period.last_day(), as_of_));
        return chart;
    }

    // ---- the base organisations with no admissions this year ----
    // Those of the document that are base organisations, still existed this year (not wound up before it, with
    // some figure of their own in the document) and have no admissions, or 0, for the year.
    std::vector<const wire::DocumentOrg*> without_admissions() const {
        std::vector<const wire::DocumentOrg*> result;
        const Period year = year_period(y_);
        for (const wire::DocumentOrg& org : doc_.organisations()) {
            if (!org.base || org.depth == 0 || org.valid_to < year.first_day()) continue;
            if (!has_figures(org.code)) continue;  // not yet founded by the as-of day
            auto admitted = value("admissions", year, org.code);
            if (!admitted || *admitted == 0) result.push_back(&org);
        }
        return result;
    }
    bool has_figures(std::string_view org) const {
        for (const domain::Indicator& indicator : doc_.catalogue().indicators)
            for (const Period& period : doc_.member_periods()) {
                if (indicator.kind == domain::Kind::distribution) {
                    if (!doc_.categories(org, indicator.code, period).empty()) return true;
                } else if (doc_.figure(org, indicator.code, period)) {
                    return true;
                }
            }
        return false;
    }
    bool has_base_orgs() const {
        return std::any_of(doc_.organisations().begin(), doc_.organisations().end(),
                           [](const wire::DocumentOrg& org) { return org.base && org.depth > 0; });
    }

    Tile members_tile() const {
        Tile t = stock_tile("members_total");
        if (auto snapshot = latest_stock("members_total")) {
            auto full = value("members_full", snapshot->period);
            auto probationary = value("members_probationary", snapshot->period);
            if (full && probationary)
                t.detail = f_.tr("chính thức ", "full ") + f_.number(*full) + " · " + f_.tr("dự bị ", "probationary ") +
                           f_.number(*probationary);
        }
        return t;
    }

    // ---- pages ----
    Page overview() const {
        Page page = empty_page("overview");
        if (known("members_total")) page.tiles.push_back(members_tile());
        if (known("org_base_total")) {
            Tile orgs = stock_tile("org_base_total");
            if (auto snapshot = latest_stock("org_base_total")) {
                auto committees = value("org_base_committees", snapshot->period);
                auto cells = value("org_base_cells", snapshot->period);
                if (committees && cells)
                    orgs.detail = label("org_base_committees") + " " + f_.number(*committees) + " · " +
                                  label("org_base_cells") + " " + f_.number(*cells);
            }
            page.tiles.push_back(std::move(orgs));
        }
        if (known("admissions")) page.tiles.push_back(admissions_tile());
        if (known("full_recognitions")) page.tiles.push_back(flow_tile("full_recognitions"));
        if (known("inspections_org") || known("inspections_member") || known("supervisions_org") ||
            known("supervisions_member"))
            page.tiles.push_back(inspections_tile());
        for (const char* code : {"discipline_members", "discipline_orgs"})
            if (known(code)) page.tiles.push_back(distribution_tile(code));
        if (known("rating_orgs")) page.tiles.push_back(good_share_tile("rating_orgs"));
        return page;
    }

    Page membership() const {
        Page page = empty_page("membership");
        if (known("members_total")) page.tiles.push_back(members_tile());
        for (const char* code :
             {"members_full", "members_probationary", "members_female", "members_youth", "members_ethnic_minority"})
            if (known(code)) page.tiles.push_back(member_part_tile(code));

        Chart trend = year_chart("membership_trend", label("members_total"), Chart::Kind::line, {"members_total"});
        trend.note = trend_note();  // a stock's year to date is its latest snapshot
        page.charts.push_back(std::move(trend));
        Chart composition =
            year_chart("composition", f_.tr("Đảng viên chính thức và dự bị", "Full and probationary members"),
                       Chart::Kind::stacked_bar, {"members_full", "members_probationary"});
        composition.note = trend_note();
        page.charts.push_back(std::move(composition));
        Chart groups = year_chart(
            "member_groups", f_.tr("Đảng viên nữ, trẻ, dân tộc thiểu số", "Women, young and ethnic minority members"),
            Chart::Kind::bar, {"members_female", "members_youth", "members_ethnic_minority"});
        groups.note = trend_note();
        page.charts.push_back(std::move(groups));
        page.charts.push_back(type_chart(
            "members_by_type",
            f_.tr("Đảng viên theo loại hình tổ chức cơ sở đảng", "Members by type of grassroots organisation"),
            "members_total"));
        page.charts.push_back(type_chart(
            "orgs_by_type", f_.tr("Tổ chức cơ sở đảng theo loại hình", "Grassroots organisations by type"), ""));
        return page;
    }
    std::string trend_note() const {
        if (!doc_.to_date(year_period(y_))) return {};
        auto snapshot = latest_stock("members_total");
        return std::to_string(y_) + ": " + as_at(snapshot ? snapshot->day : as_of_);
    }

    Page admission() const {
        Page page = empty_page("admission");
        if (!known("admissions")) return page;
        page.tiles.push_back(admissions_tile());
        page.tiles.push_back(term_admissions_tile());
        page.tiles.push_back(pacing_tile());
        for (const char* code : {"admissions_from_youth_union", "admissions_female"}) {
            if (!known(code)) continue;
            Tile t = flow_tile(code);
            auto part = amount(code, year_period(y_));
            auto whole = amount("admissions", year_period(y_));
            if (part && whole)
                if (auto tenths = domain::percent_tenths(*part, *whole))
                    t.detail = f_.percent_tenths(*tenths) + f_.tr(" số được kết nạp", " of those admitted");
            page.tiles.push_back(std::move(t));
        }
        for (const char* code : {"candidates_trained", "full_recognitions"})
            if (known(code)) page.tiles.push_back(flow_tile(code));

        // The organisations with no admissions yet: from the base organisations when the scope reaches them,
        // else the figure reported for the scope organisation.
        const wire::DocumentOrg* scope = doc_.organisation(org_);
        const bool wound_up = scope && scope->valid_to < year_period(y_).first_day();
        const bool listed = has_base_orgs() && !wound_up;
        auto without = without_admissions();
        const std::string none_label = label_or("orgs_without_admissions", "TCCSĐ chưa kết nạp được đảng viên",
                                                "Grassroots organisations with no admissions");
        Tile none = tile(
            "orgs_without_admissions", none_label,
            known("orgs_without_admissions") ? unit("orgs_without_admissions") : f_.tr("tổ chức", "organisations"));
        none.period = covers(year_period(y_));
        if (listed)
            none.value = f_.number(static_cast<std::int64_t>(without.size()));
        else if (auto reported = value("orgs_without_admissions", year_period(y_)))
            none.value = f_.number(*reported);
        else
            set_missing(none, covers(year_period(y_)));
        page.tiles.push_back(std::move(none));

        // Monthly admissions this year beside last year's.
        Chart monthly;
        monthly.key = "admissions_monthly";
        monthly.title = label("admissions") + f_.tr(" theo tháng", " by month");
        monthly.kind = Chart::Kind::bar;
        monthly.unit = unit("admissions");
        std::vector<std::optional<std::int64_t>> this_year, last_year;
        for (int m = 1; m <= 12; ++m) {
            monthly.categories.push_back(f_.period_short(month_period(y_, m)));
            this_year.push_back(m <= m_ ? amount("admissions", month_period(y_, m)) : std::nullopt);
            last_year.push_back(amount("admissions", month_period(y_ - 1, m)));
        }
        monthly.series.push_back(count_series(f_.period(year_period(y_)), "value", this_year));
        monthly.series.push_back(count_series(f_.period(year_period(y_ - 1)), "comparison", last_year));
        page.charts.push_back(std::move(monthly));

        // Cumulative against the target, and the pace that would still reach it.
        Pacing p = pacing();
        Chart cumulative;
        cumulative.key = "admissions_cumulative";
        cumulative.title = f_.tr("Kết nạp lũy kế so với chỉ tiêu năm ", "Cumulative admissions against the target, ") +
                           std::to_string(y_);
        cumulative.kind = Chart::Kind::line;
        cumulative.unit = unit("admissions");
        cumulative.categories = page.charts.back().categories;
        std::vector<std::optional<std::int64_t>> running, running_last;
        std::int64_t total = 0, total_last = 0;
        for (int m = 1; m <= 12; ++m) {
            total += this_year[static_cast<std::size_t>(m - 1)].value_or(0);
            running.push_back(m <= m_ ? std::optional<std::int64_t>(total) : std::nullopt);
            total_last += last_year[static_cast<std::size_t>(m - 1)].value_or(0);
            running_last.push_back(total_last);
        }
        cumulative.series.push_back(count_series(f_.period(year_period(y_)), "cumulative", running));
        if (same_period_last_year(amount_of("admissions")))  // last year known month by month
            cumulative.series.push_back(count_series(f_.period(year_period(y_ - 1)), "comparison", running_last));
        if (p.target) {
            cumulative.series.push_back(count_series(f_.tr("Chỉ tiêu", "Target"), "target",
                                                     std::vector<std::optional<std::int64_t>>(12, *p.target)));
            if (p.remaining > 0 && p.months_left > 0) {
                std::vector<std::optional<double>> pace(12);
                for (int m = m_; m <= 12; ++m)
                    pace[static_cast<std::size_t>(m - 1)] =
                        static_cast<double>(total) + static_cast<double>(p.remaining) * static_cast<double>(m - m_) /
                                                         static_cast<double>(p.months_left);
                Series s = series(f_.tr("Tiến độ cần đạt", "Pace needed"), "pace", std::move(pace),
                                  [](double) { return std::string(); });
                s.labels.back() = f_.number(*p.target);
                cumulative.series.push_back(std::move(s));
            }
        }
        cumulative.note = pacing_text(p);
        page.charts.push_back(std::move(cumulative));

        page.charts.push_back(year_chart("admissions_by_group", f_.tr("Kết nạp theo đối tượng", "Admissions by group"),
                                         Chart::Kind::bar,
                                         {"admissions", "admissions_from_youth_union", "admissions_female"}));

        ItemList list;
        list.key = "orgs_without_admissions";
        list.unit = f_.tr("tổ chức", "organisations");
        const std::string year_text = std::to_string(y_);
        if (listed) {
            for (const wire::DocumentOrg* org : without) {
                ListItem item{org->name, type_label(org->type)};
                if (auto target = doc_.target(org->code, "admissions", year_period(y_)))
                    item.detail += f_.tr(" · chỉ tiêu ", " · target ") + f_.number(*target);
                list.items.push_back(std::move(item));
            }
            list.title = none_label + f_.tr(" năm ", " in ") + year_text + " (" +
                         f_.number(static_cast<std::int64_t>(without.size())) + ")";
            list.empty_text = f_.language() == Language::vi
                                  ? "Tất cả tổ chức cơ sở đảng đã kết nạp được đảng viên trong năm " + year_text
                                  : "Every grassroots organisation has admitted members in " + year_text;
        } else {
            list.title = none_label + f_.tr(" năm ", " in ") + year_text;
            list.empty_text = wound_up ? f_.tr("Tổ chức đã kết thúc hoạt động ngày ", "The organisation ended on ") +
                                             f_.day(scope->valid_to)
                                       : f_.tr("Màn hình này không hiển thị đến cấp tổ chức cơ sở đảng",
                                               "This screen's scope does not reach the grassroots organisations");
        }
        page.lists.push_back(std::move(list));
        return page;
    }

    Page discipline() const {
        Page page = empty_page("discipline");
        for (const char* code : {"inspections_org", "inspections_member", "supervisions_org", "supervisions_member",
                                 "violations_found_org", "violations_found_member"})
            if (known(code)) page.tiles.push_back(flow_tile(code));
        for (const char* code : {"discipline_members", "discipline_orgs"})
            if (known(code)) page.tiles.push_back(distribution_tile(code));
        if (known("removed_from_rolls")) page.tiles.push_back(flow_tile("removed_from_rolls"));

        page.charts.push_back(year_chart(
            "inspections_by_year", f_.tr("Kiểm tra, giám sát theo năm", "Inspections and supervisions by year"),
            Chart::Kind::bar, {"inspections_org", "inspections_member", "supervisions_org", "supervisions_member"}));
        page.charts.push_back(year_chart("violations_by_year", f_.tr("Kết luận có vi phạm", "Violations found"),
                                         Chart::Kind::bar, {"violations_found_org", "violations_found_member"}));
        page.charts.push_back(distribution_chart("discipline_members_by_form",
                                                 label("discipline_members") + f_.tr(" theo hình thức", " by form"),
                                                 "discipline_members", {y_ - 1, y_}, false));
        page.charts.push_back(distribution_chart("discipline_orgs_by_form",
                                                 label("discipline_orgs") + f_.tr(" theo hình thức", " by form"),
                                                 "discipline_orgs", {y_ - 1, y_}, false));
        page.charts.push_back(
            year_chart("removed_by_year", label("removed_from_rolls"), Chart::Kind::bar, {"removed_from_rolls"}));
        return page;
    }

    Page rating() const {
        Page page = empty_page("rating");
        for (const char* code : {"rating_orgs", "rating_members"}) {
            if (!known(code)) continue;
            page.tiles.push_back(good_share_tile(code));
            if (auto t = rating_category_tile(code, true)) page.tiles.push_back(std::move(*t));
            if (auto t = rating_category_tile(code, false)) page.tiles.push_back(std::move(*t));
        }

        page.charts.push_back(distribution_chart("rating_orgs_by_year", label("rating_orgs"), "rating_orgs",
                                                 years_with("rating_orgs"), true));
        page.charts.push_back(distribution_chart("rating_members_by_year", label("rating_members"), "rating_members",
                                                 years_with("rating_members"), true));

        // The share rated good or better, year by year.
        Chart shares;
        shares.key = "good_share_trend";
        shares.title = f_.tr("Tỷ lệ hoàn thành tốt nhiệm vụ trở lên", "Share rated good or better");
        shares.kind = Chart::Kind::line;
        shares.unit = "%";
        std::vector<int> rated = years_with("rating_orgs");
        for (int year : years_with("rating_members"))
            if (std::find(rated.begin(), rated.end(), year) == rated.end()) rated.push_back(year);
        std::sort(rated.begin(), rated.end());
        for (int year : rated) shares.categories.push_back(std::to_string(year));
        for (const char* code : {"rating_orgs", "rating_members"}) {
            if (!known(code)) continue;
            std::vector<std::optional<double>> values;
            std::vector<std::string> labels;
            for (int year : rated) {
                auto categories = doc_.categories(org_, code, year_period(year));
                auto [good, total] = good_of(categories);
                auto tenths = categories.empty() ? std::nullopt : domain::percent_tenths(good, total);
                values.push_back(tenths ? std::optional<double>(static_cast<double>(*tenths) / 10.0) : std::nullopt);
                labels.push_back(tenths ? f_.percent_tenths(*tenths) : std::string());
            }
            Series s;
            s.name = std::string(code) == "rating_orgs" ? f_.tr("Tổ chức cơ sở đảng", "Grassroots organisations")
                                                        : f_.tr("Đảng viên", "Members");
            s.role = "value";
            s.values = std::move(values);
            s.labels = std::move(labels);
            shares.series.push_back(std::move(s));
        }
        page.charts.push_back(std::move(shares));

        // The organisations rated failing in the latest rated year, when the scope holds their own ratings.
        if (auto year = latest_rated_year("rating_orgs", y_ + 1); year && known("rating_orgs")) {
            ItemList list;
            list.key = "orgs_failing";
            list.unit = f_.tr("tổ chức", "organisations");
            for (const wire::DocumentOrg& org : doc_.organisations()) {
                if (org.depth == 0) continue;
                auto categories = doc_.categories(org.code, "rating_orgs", year_period(*year));
                for (const auto& [category, count] : categories)
                    if (rated_failing(category) && count > 0 && org.base)
                        list.items.push_back({org.name, category_label("rating_orgs", category)});
            }
            list.title =
                f_.tr("TCCSĐ không hoàn thành nhiệm vụ năm ", "Organisations not completing their duties in ") +
                std::to_string(*year);
            if (has_base_orgs()) {
                list.title += " (" + f_.number(static_cast<std::int64_t>(list.items.size())) + ")";
                list.empty_text = f_.tr("Không có", "None");
            } else {
                list.empty_text = f_.tr("Màn hình này không hiển thị đến cấp tổ chức cơ sở đảng",
                                        "This screen's scope does not reach the grassroots organisations");
            }
            page.lists.push_back(std::move(list));
        }
        return page;
    }
};

}  // namespace

Dashboard build_dashboard(const wire::ScopeDocument& document, const Formatter& format,
                          const std::vector<std::string>& pages) {
    Dashboard dashboard;
    if (const wire::DocumentOrg* org = document.organisation(document.org())) dashboard.org_name = org->name;
    const std::vector<std::string>& keys = pages.empty() ? all_pages() : pages;
    Builder builder(document, format);
    if (document.as_of() > 0) dashboard.as_of = format.day(document.as_of());
    for (const std::string& key : keys) {
        if (std::find(all_pages().begin(), all_pages().end(), key) == all_pages().end()) continue;
        dashboard.pages.push_back(document.as_of() > 0 ? builder.build(key) : builder.empty_page(key));
    }
    return dashboard;
}

}  // namespace chiso::dashboard
