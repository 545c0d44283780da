#include "support/national_data.hpp"

#include <charconv>
#include <cstdio>
#include <iterator>

namespace chiso::test::national {

namespace {
constexpr std::array<const char*, 4> kTypes{"hanh_chinh", "su_nghiep", "doanh_nghiep", "xa_phuong"};

}  // namespace

Tree make_tree(bool national) {
    const int provinces = national ? 34 : 1, committees = national ? 100 : 40, bases = national ? 15 : 25;
    Tree tree;
    tree.csv = "code,name,parent,level,type,valid_from,valid_to\n";
    auto row = [&](const std::string& code, const std::string& name, const std::string& parent, const char* level,
                   const char* type) {
        tree.csv += code + "," + name + "," + parent + "," + level + "," + type + ",2020-01-01,\n";
        ++tree.rows;
    };
    if (national) row(tree.root = "VN", "Đảng bộ toàn quốc", "", "national", "");
    tree.middle_level = national ? "province" : "committee";
    for (int p = 0; p < provinces; ++p) {
        const std::string province = "P" + std::to_string(p);
        row(province, "Đảng bộ tỉnh " + province, tree.root, "province", "");
        if (!national) tree.root = province;
        if (national) tree.middles.push_back(province);
        for (int c = 0; c < committees; ++c) {
            const std::string committee = province + "-" + std::to_string(c);
            row(committee, "Đảng ủy " + committee, province, "committee", "");
            if (!national) tree.middles.push_back(committee);
            for (int b = 0; b < bases; ++b) {
                const std::string base = committee + "-" + std::to_string(b);
                row(base, "Chi bộ " + base, committee, "base", kTypes[tree.bases.size() % kTypes.size()]);
                tree.bases.push_back(base);
            }
        }
    }
    return tree;
}

const char* const kCatalogue = R"({
  "levels": [{"code": "national", "label_vi": "Toàn quốc"}, {"code": "province", "label_vi": "Đảng bộ tỉnh"},
             {"code": "committee", "label_vi": "Đảng ủy cấp trên trực tiếp cơ sở"},
             {"code": "base", "label_vi": "Tổ chức cơ sở đảng", "base": true}],
  "org_types": [{"code": "hanh_chinh", "label_vi": "Cơ quan hành chính"}, {"code": "su_nghiep", "label_vi": "Đơn vị sự nghiệp"},
                {"code": "doanh_nghiep", "label_vi": "Doanh nghiệp"}, {"code": "xa_phuong", "label_vi": "Xã, phường"}],
  "terms": ["2020-2025", "2025-2030"],
  "indicators": [
    {"code": "members_total", "label_vi": "Tổng số đảng viên", "kind": "stock"},
    {"code": "members_female", "label_vi": "Đảng viên nữ", "kind": "stock", "part_of": "members_total"},
    {"code": "members_youth", "label_vi": "Đảng viên dưới 30 tuổi", "kind": "stock", "part_of": "members_total"},
    {"code": "members_probationary", "label_vi": "Đảng viên dự bị", "kind": "stock", "part_of": "members_total"},
    {"code": "committee_members", "label_vi": "Cấp ủy viên", "kind": "stock"},
    {"code": "committee_female", "label_vi": "Cấp ủy viên nữ", "kind": "stock", "part_of": "committee_members"},
    {"code": "secretary_is_head", "label_vi": "Bí thư đồng thời là thủ trưởng", "kind": "stock"},
    {"code": "admissions", "label_vi": "Kết nạp đảng viên mới", "kind": "flow"},
    {"code": "admissions_female", "label_vi": "Kết nạp đảng viên nữ", "kind": "flow", "part_of": "admissions"},
    {"code": "candidates_trained", "label_vi": "Quần chúng ưu tú được bồi dưỡng", "kind": "flow"},
    {"code": "full_recognitions", "label_vi": "Công nhận đảng viên chính thức", "kind": "flow"},
    {"code": "transfers_in", "label_vi": "Chuyển sinh hoạt đảng đến", "kind": "flow"},
    {"code": "transfers_out", "label_vi": "Chuyển sinh hoạt đảng đi", "kind": "flow"},
    {"code": "deaths", "label_vi": "Từ trần", "kind": "flow"},
    {"code": "inspections_org", "label_vi": "Kiểm tra tổ chức đảng", "kind": "flow"},
    {"code": "inspections_member", "label_vi": "Kiểm tra đảng viên", "kind": "flow"},
    {"code": "discipline_members", "label_vi": "Đảng viên bị kỷ luật", "kind": "distribution", "over_time": "flow",
     "categories": [{"code": "khien_trach", "label_vi": "Khiển trách"}, {"code": "canh_cao", "label_vi": "Cảnh cáo"}]},
    {"code": "rating_members", "label_vi": "Xếp loại đảng viên", "kind": "distribution", "over_time": "stock",
     "categories": [{"code": "htxs", "label_vi": "Hoàn thành xuất sắc"}, {"code": "htt", "label_vi": "Hoàn thành tốt"}]},
    {"code": "members_female_share", "label_vi": "Tỷ lệ đảng viên nữ", "unit": "%", "kind": "ratio",
     "numerator": "members_female", "denominator": "members_total", "decimals": 1},
    {"code": "committee_female_share", "label_vi": "Tỷ lệ cấp ủy viên nữ", "unit": "%", "kind": "ratio",
     "numerator": "committee_female", "denominator": "committee_members", "decimals": 1}]})";

// clang-format off
const std::array<Column, 20> kColumns{{
    {"members_total", ""}, {"members_female", ""}, {"members_youth", ""}, {"members_probationary", ""},
    {"committee_members", ""}, {"committee_female", ""}, {"secretary_is_head", ""}, {"admissions", ""},
    {"admissions_female", ""}, {"candidates_trained", ""}, {"full_recognitions", ""}, {"transfers_in", ""},
    {"transfers_out", ""}, {"deaths", ""}, {"inspections_org", ""}, {"inspections_member", ""},
    {"discipline_members", "khien_trach"}, {"discipline_members", "canh_cao"},
    {"rating_members", "htxs"}, {"rating_members", "htt"}}};
// clang-format on

std::string period_of(int month) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", 2026 + month / 12, month % 12 + 1);
    return text;
}

Month make_month(const Tree& tree, const std::string& period, std::mt19937_64& random) {
    Month month{period, "org,indicator,period,category,value\n", {}};
    month.csv.reserve(tree.bases.size() * kColumns.size() * 44);
    month.values.reserve(tree.bases.size() * kColumns.size());
    auto draw = [&](int below) { return static_cast<std::int32_t>(random() % static_cast<unsigned>(below)); };
    for (const std::string& base : tree.bases) {
        const int members = 5 + draw(200), committee = 3 + draw(9), admitted = draw(5);
        // A braced list is evaluated left to right, so a seed always gives the same values. Parts fit their wholes.
        // clang-format off
        const std::int32_t row[] = {members, draw(members + 1), draw(members / 3 + 1), draw(members / 10 + 1),
                                    committee, draw(committee + 1), draw(2), admitted, draw(admitted + 1), draw(8),
                                    draw(5), draw(4), draw(4), draw(2), draw(2), draw(6), draw(2), draw(2),
                                    draw(members / 4 + 1), draw(members / 2 + 1)};
        // clang-format on
        static_assert(std::size(row) == kColumns.size());
        for (std::size_t i = 0; i < kColumns.size(); ++i) {
            char digits[12];
            const auto end = std::to_chars(digits, digits + sizeof digits, row[i]).ptr;
            ((((month.csv += base) += ',') += kColumns[i].indicator) += ',') += period;
            ((month.csv += ',') += kColumns[i].category) += ',';
            month.csv.append(digits, end) += '\n';
            month.values.push_back(row[i]);
        }
    }
    return month;
}

}  // namespace chiso::test::national
