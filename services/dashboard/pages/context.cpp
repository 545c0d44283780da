#include "dashboard/pages/context.hpp"

#include "domain/percent.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace chiso::dashboard::pages {
namespace {

// Quality ratings by rank, best first, across both scales (Quy định 366-QĐ/TW and the scale before 2018), so a
// stacked bar of an old-scale year and of a current-scale year each read best to worst. Codes not here follow.
constexpr std::array<std::string_view, 7> kRatingRank{"tsvm_tieu_bieu", "htxs", "tsvm", "htt", "ht", "kht", "yeu_kem"};

Period half_before(Day day) {
    return month_of(day) <= 6 ? half_period(year_of(day) - 1, 2) : half_period(year_of(day), 1);
}

std::vector<int> years_of(const wire::ScopeDocument& document) {
    std::vector<int> years;
    for (const Period& period : document.scope_periods())
        if (period.kind == PeriodKind::year) years.push_back(period.year);
    std::sort(years.begin(), years.end());
    return years;
}

}  // namespace

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
std::pair<std::int64_t, std::int64_t> good_of(const std::map<std::string, std::int64_t>& categories) {
    std::int64_t good = 0;
    for (const auto& [code, count] : categories)
        if (rated_good_or_better(code)) good += count;
    return {good, sum(categories)};
}

Tile tile(std::string key, std::string label, std::string unit) {
    Tile t;
    t.indicator = std::move(key);
    t.label = std::move(label);
    t.unit = std::move(unit);
    return t;
}
void set_missing(Tile& t, std::string period) {
    t.value = kDash;
    t.missing = true;
    t.period = std::move(period);
}

PageContext::PageContext(const wire::ScopeDocument& document, const Formatter& formatter)
    : doc(document),
      format(formatter),
      scope_org(document.org()),
      as_of(document.as_of()),
      as_of_year(year_of(as_of)),
      as_of_month(month_of(as_of)),
      years(years_of(document)),
      review(document.review()),
      review_previous(document.review_previous()) {}

const domain::Indicator* PageContext::indicator(std::string_view code) const {
    int index = doc.catalogue().indicator(code);
    return index < 0 ? nullptr : &doc.catalogue().indicators[index];
}
std::string PageContext::pick(const domain::Label& label) const {
    const std::string& text = format.language() == Language::vi ? label.label_vi : label.label_en;
    return text.empty() ? (label.label_vi.empty() ? label.code : label.label_vi) : text;
}
bool PageContext::known(std::string_view code) const {
    return indicator(code) != nullptr;
}
std::string PageContext::label(std::string_view code) const {
    const domain::Indicator* found = indicator(code);
    return found ? pick(*found) : std::string(code);
}
std::string PageContext::label_or(std::string_view code, const char* vietnamese, const char* english) const {
    return known(code) ? label(code) : format.tr(vietnamese, english);
}
std::string PageContext::category_label(std::string_view code, std::string_view category) const {
    if (const domain::Indicator* found = indicator(code))
        for (const domain::Label& c : found->categories)
            if (c.code == category) return pick(c);
    return std::string(category);
}
std::string PageContext::type_label(std::string_view type) const {
    for (const domain::Label& t : doc.catalogue().org_types)
        if (t.code == type) return pick(t);
    return type.empty() ? format.tr("Chưa phân loại", "Unclassified") : std::string(type);
}
std::string PageContext::unit(std::string_view code) const {
    const domain::Indicator* found = indicator(code);
    std::string u = found ? found->unit : std::string();
    if (format.language() == Language::en) {
        if (u == "người") return "people";
        if (u == "tổ chức") return "organisations";
        if (u == "lượt") return "occasions";
    }
    return u;
}
bool PageContext::higher_is_better(std::string_view code) const {
    const domain::Indicator* found = indicator(code);
    return found ? found->higher_is_better : true;
}
std::vector<std::string> PageContext::category_codes(std::string_view code) const {
    std::vector<std::string> codes;
    if (const domain::Indicator* found = indicator(code))
        for (const domain::Label& c : found->categories) codes.push_back(c.code);
    return codes;
}

std::optional<std::int64_t> PageContext::value(std::string_view code, const Period& period,
                                               std::string_view org) const {
    auto figure = doc.figure(org.empty() ? std::string_view(scope_org) : org, code, period);
    if (figure) return figure->value;
    return std::nullopt;
}
std::optional<std::int64_t> PageContext::amount(std::string_view code, const Period& period,
                                                std::string_view org) const {
    const domain::Indicator* found = indicator(code);
    if (found && found->kind == domain::Kind::distribution) {
        auto categories = doc.categories(org.empty() ? std::string_view(scope_org) : org, code, period);
        if (categories.empty()) return std::nullopt;
        return sum(categories);
    }
    return value(code, period, org);
}
Amount PageContext::amount_of(std::string code) const {
    return [this, code](const Period& period) { return amount(code, period); };
}
std::optional<std::int64_t> PageContext::tenths_of(std::string_view ratio, const Period& period) const {
    auto figure = doc.figure(scope_org, ratio, period);
    return figure ? figure->tenths : std::nullopt;
}

std::string PageContext::covers(const Period& period) const {
    std::string text = format.period(period);
    if (doc.to_date(period)) text += std::string(format.tr(" (đến ", " (to ")) + format.day(as_of) + ")";
    return text;
}
std::string PageContext::as_at(Day day) const {
    return format.tr("đến ", "as at ") + format.day(day);
}

void PageContext::set_change(Tile& t, std::int64_t delta, const std::string& reference, bool better_higher,
                             const std::string& delta_text) const {
    t.change_sign = delta > 0 ? 1 : delta < 0 ? -1 : 0;
    t.change_is_good = t.change_sign == 0 || (t.change_sign > 0) == better_higher;
    std::string compared = format.tr("so với ", "vs ") + reference;
    t.change = delta == 0 ? std::string(format.tr("không đổi ", "no change ")) + compared
                          : (delta_text.empty() ? format.signed_number(delta) : delta_text) + " " + compared;
}

std::optional<PageContext::Snapshot> PageContext::latest_stock(std::string_view code) const {
    std::vector<Period> candidates;
    for (int y = as_of_year; y >= as_of_year - 1; --y)
        for (int m = 12; m >= 1; --m) candidates.push_back(month_period(y, m));
    for (int y = as_of_year; y >= as_of_year - 2; --y)
        candidates.insert(candidates.end(), {half_period(y, 2), half_period(y, 1)});
    for (auto it = years.rbegin(); it != years.rend(); ++it) candidates.push_back(year_period(*it));
    for (const Period& period : candidates) {
        if (period.first_day() > as_of) continue;
        if (auto v = value(code, period)) return Snapshot{*v, period, std::min(period.last_day(), as_of)};
    }
    return std::nullopt;
}

Period PageContext::stock_compared_with(Day day) const {
    return half_before(review ? doc.months_of(*review).first_day() : day);
}

Tile PageContext::stock_tile(const std::string& code) const {
    Tile t = tile(code, label(code), unit(code));
    auto snapshot = latest_stock(code);
    if (!snapshot) {
        set_missing(t, format.day(as_of));
        return t;
    }
    t.value = format.number(snapshot->value);
    t.period = format.day(snapshot->day);
    const Period before = stock_compared_with(snapshot->day);
    if (auto previous = value(code, before))
        set_change(t, snapshot->value - *previous, format.day(before.last_day()), higher_is_better(code));
    return t;
}

std::optional<PageContext::Reference> PageContext::same_period_last_year(const Amount& get) const {
    const std::string last_year = std::to_string(as_of_year - 1);
    if (as_of == year_period(as_of_year).last_day()) {
        if (auto whole = get(year_period(as_of_year - 1))) return Reference{*whole, format.tr("năm ", "") + last_year};
        return std::nullopt;
    }
    // Only when last year is known month by month: a figure reported for the whole year has no "same months".
    auto whole = get(year_period(as_of_year - 1));
    if (!whole) return std::nullopt;
    std::int64_t months = 0, part = 0;
    for (int m = 1; m <= 12; ++m)
        if (auto v = get(month_period(as_of_year - 1, m))) {
            months += *v;
            if (m <= as_of_month) part += *v;
        }
    if (months != *whole) return std::nullopt;
    return Reference{part, format.tr("cùng kỳ năm ", "the same period of ") + last_year};
}

Tile PageContext::flow_tile(const std::string& key, std::string tile_label, std::string tile_unit, bool better_higher,
                            const Amount& get) const {
    Tile t = tile(key, std::move(tile_label), std::move(tile_unit));
    const Period period = shown();
    auto now = get(period);
    if (!now) {
        set_missing(t, covers(period));
        return t;
    }
    t.value = format.number(*now);
    t.period = covers(period);
    if (review) {
        if (review_previous)
            if (auto before = get(*review_previous))
                set_change(t, *now - *before, format.period(*review_previous), better_higher);
    } else if (auto before = same_period_last_year(get)) {
        set_change(t, *now - before->value, before->text, better_higher);
    }
    return t;
}
Tile PageContext::flow_tile(const std::string& code) const {
    return flow_tile(code, label(code), unit(code), higher_is_better(code), amount_of(code));
}
Tile PageContext::distribution_tile(const std::string& code) const {
    Tile t = flow_tile(code);
    auto categories = doc.categories(scope_org, code, shown());
    for (const std::string& category : category_codes(code)) {
        auto it = categories.find(category);
        if (it == categories.end() || it->second == 0) continue;
        if (!t.detail.empty()) t.detail += " · ";
        t.detail += category_label(code, category) + " " + format.number(it->second);
    }
    return t;
}

std::string PageContext::attainment_detail(const Period& period, std::optional<std::int64_t> done,
                                           bool of_the_term) const {
    auto target = doc.target(scope_org, "admissions", period);
    if (!target) return format.tr("chưa có chỉ tiêu ", "no target for ") + lower_first(format.period(period));
    std::string text = format.tr("chỉ tiêu ", "target ") + format.number(*target);
    if (of_the_term) text = format.tr("chỉ tiêu nhiệm kỳ ", "term target ") + format.number(*target);
    std::optional<std::int64_t> tenths = tenths_of("admissions_attainment", period);
    if (!tenths && done) tenths = domain::percent_tenths(*done, *target);
    if (tenths)
        text += " · " + (format.language() == Language::vi ? "đạt " + format.percent_tenths(*tenths)
                                                           : format.percent_tenths(*tenths) + " reached");
    return text;
}
Tile PageContext::admissions_tile() const {
    Tile t = flow_tile("admissions");
    // A review from a term's start is measured against the term's target, as its report does.
    Period against = shown();
    if (review && review->kind == PeriodKind::range)
        for (const domain::TermSpan& span : doc.terms())
            if (span.months.first_day() == review->first_day() && doc.target(scope_org, "admissions", span.term))
                against = span.term;
    t.detail = attainment_detail(against, amount("admissions", shown()), against != shown());
    return t;
}

std::optional<int> PageContext::latest_rated_year(std::string_view code, int before) const {
    for (auto it = years.rbegin(); it != years.rend(); ++it)
        if (*it < before && !doc.categories(scope_org, code, year_period(*it)).empty()) return *it;
    return std::nullopt;
}

Tile PageContext::good_share_tile(const std::string& code) const {
    const bool orgs = code == "rating_orgs";
    Tile t = tile(code + "_good_share",
                  orgs ? format.tr("TCCSĐ hoàn thành tốt nhiệm vụ trở lên", "Organisations rated good or better")
                       : format.tr("Đảng viên hoàn thành tốt nhiệm vụ trở lên", "Members rated good or better"),
                  "");  // the value carries its "%"
    auto year = latest_rated_year(code, as_of_year + 1);
    if (!year) {
        set_missing(t, format.period(year_period(as_of_year - 1)));
        return t;
    }
    auto [good, total] = good_of(doc.categories(scope_org, code, year_period(*year)));
    auto tenths = domain::percent_tenths(good, total);
    if (!tenths) {
        set_missing(t, covers(year_period(*year)));
        return t;
    }
    t.value = format.percent_tenths(*tenths);
    t.period = covers(year_period(*year));
    std::string counted = unit(code);
    if (counted.empty()) counted = orgs ? format.tr("tổ chức", "organisations") : format.tr("người", "people");
    t.detail = format.number(good) + "/" + format.number(total) + " " + counted;
    if (auto previous_year = latest_rated_year(code, *year)) {
        auto [good_before, total_before] = good_of(doc.categories(scope_org, code, year_period(*previous_year)));
        if (auto delta = domain::share_change_tenths(good, total, good_before, total_before))
            set_change(t, *delta, format.tr("năm ", "") + std::to_string(*previous_year), true,
                       format.percent_points(*delta));
    }
    return t;
}

Series PageContext::series(std::string name, std::string role, std::vector<std::optional<double>> values,
                           const std::function<std::string(double)>& format_value) const {
    Series s;
    s.name = std::move(name);
    s.role = std::move(role);
    for (const auto& v : values) s.labels.push_back(v ? format_value(*v) : std::string());
    s.values = std::move(values);
    return s;
}
std::string PageContext::count_text(double v) const {
    return format.number(static_cast<std::int64_t>(v));
}
Series PageContext::count_series(std::string name, std::string role,
                                 const std::vector<std::optional<std::int64_t>>& counts) const {
    std::vector<std::optional<double>> values;
    for (const auto& c : counts) values.push_back(c ? std::optional<double>(static_cast<double>(*c)) : std::nullopt);
    return series(std::move(name), std::move(role), std::move(values), [this](double v) { return count_text(v); });
}
Chart PageContext::year_chart(std::string key, std::string chart_title, Chart::Kind kind,
                              const std::vector<std::string>& wanted) const {
    Chart chart;
    chart.key = std::move(key);
    chart.title = std::move(chart_title);
    chart.kind = kind;
    std::size_t first = years.size();
    std::vector<std::vector<std::optional<std::int64_t>>> columns;
    std::vector<std::string> codes;
    for (const std::string& code : wanted)
        if (known(code)) codes.push_back(code);
    for (const std::string& code : codes) {
        std::vector<std::optional<std::int64_t>> column;
        for (std::size_t i = 0; i < years.size(); ++i) {
            column.push_back(amount(code, year_period(years[i])));
            if (column.back()) first = std::min(first, i);
        }
        columns.push_back(std::move(column));
    }
    for (const std::string& code : codes)  // a unit only when every series shares it
        chart.unit = code == codes.front() || unit(code) == chart.unit ? unit(code) : std::string();
    if (first == years.size()) first = years.empty() ? 0 : years.size() - 1;  // nothing at all: the last year
    for (std::size_t i = first; i < years.size(); ++i) chart.categories.push_back(std::to_string(years[i]));
    for (std::size_t c = 0; c < codes.size(); ++c) {
        std::vector<std::optional<std::int64_t>> column(columns[c].begin() + static_cast<long>(first),
                                                        columns[c].end());
        chart.series.push_back(count_series(label(codes[c]), "value", column));
    }
    if (doc.to_date(year_period(as_of_year))) chart.note = std::to_string(as_of_year) + ": " + as_at(as_of);
    return chart;
}
Chart PageContext::distribution_chart(std::string key, std::string chart_title, const std::string& code,
                                      const std::vector<int>& chart_years, bool by_rank) const {
    Chart chart;
    chart.key = std::move(key);
    chart.title = std::move(chart_title);
    chart.kind = Chart::Kind::stacked_bar;
    chart.unit = unit(code);
    if (!known(code)) return chart;
    const std::vector<int> shown = chart_years.empty() ? std::vector<int>{as_of_year - 1} : chart_years;
    std::vector<std::map<std::string, std::int64_t>> per_year;
    std::set<std::string> present;
    for (int year : shown) {
        chart.categories.push_back(std::to_string(year));
        per_year.push_back(doc.categories(scope_org, code, year_period(year)));
        for (const auto& [category, count] : per_year.back()) present.insert(category);
    }
    std::vector<std::string> order = category_codes(code);
    for (const std::string& category : present)
        if (std::find(order.begin(), order.end(), category) == order.end()) order.push_back(category);
    if (by_rank)
        std::stable_sort(order.begin(), order.end(),
                         [](const std::string& a, const std::string& b) { return rating_rank(a) < rating_rank(b); });
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
    if (std::find(shown.begin(), shown.end(), as_of_year) != shown.end() && doc.to_date(year_period(as_of_year)))
        chart.note = std::to_string(as_of_year) + ": " + as_at(as_of);
    return chart;
}

bool PageContext::has_base_orgs() const {
    return std::any_of(doc.organisations().begin(), doc.organisations().end(),
                       [](const wire::DocumentOrg& org) { return org.base && org.depth > 0; });
}

Tile PageContext::members_tile() const {
    Tile t = stock_tile("members_total");
    if (auto snapshot = latest_stock("members_total")) {
        auto full = value("members_full", snapshot->period);
        auto probationary = value("members_probationary", snapshot->period);
        if (full && probationary)
            t.detail = format.tr("chính thức ", "full ") + format.number(*full) + " · " +
                       format.tr("dự bị ", "probationary ") + format.number(*probationary);
    }
    return t;
}

}  // namespace chiso::dashboard::pages
