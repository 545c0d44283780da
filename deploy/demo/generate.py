#!/usr/bin/env python3
"""Generate chiso's demo data set: Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh, 2015-2026.

Python 3 standard library only and deterministic (random.Random(2019)): running it twice writes the same bytes.
Writes, beside this script:
    catalogue.json            levels, organisation types, indicators (import --kind catalogue)
    organisations.csv         the effective-dated tree, including the 2025 reorganisation (--kind organisations)
    values.csv                long CSV of reported values: base organisations, and the committees' own zeros (--kind values)
    targets.csv               long CSV of admission targets (--kind targets)
    reference-2019-H1.csv     wide CSV with a UTF-8 BOM and CRLF, Vietnamese headers: the 2019-H1 membership
                              figures (--kind values --format wide)
It then re-reads what it wrote, prints the published reference figures the data reproduces, and asserts them.

Usage:  python3 deploy/demo/generate.py [output-directory]
"""

import csv
import datetime as dt
import json
import math
import os
import random
import sys
from collections import defaultdict
from fractions import Fraction

OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = random.Random(2019)

# ---------------------------------------------------------------------------------------------------------------
# Reference figures (Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh, published July 2019)
# ---------------------------------------------------------------------------------------------------------------
TYPE_ORDER = ["hanh_chinh", "su_nghiep", "dn_nn_100", "dn_nn_tren_50", "dn_nn_duoi_50", "dn_co_phan_tu_nhan"]
REF_ORGS = {"hanh_chinh": 49, "su_nghiep": 17, "dn_nn_100": 16, "dn_nn_tren_50": 15, "dn_nn_duoi_50": 1,
            "dn_co_phan_tu_nhan": 7}
REF_MEMBERS = {"hanh_chinh": 2978, "su_nghiep": 1342, "dn_nn_100": 2179, "dn_nn_tren_50": 1000, "dn_nn_duoi_50": 11,
               "dn_co_phan_tu_nhan": 331}
REF_ADMISSIONS = 1534           # 2015-09 .. 2019-06
REF_FULL_RECOGNITIONS = 1677    # 2015-09 .. 2019-06
REF_INSPECTIONS_MIN = 2000      # inspections + supervisions, organisations and members, 2015-09 .. 2019-06: "over 2,000"
REF_DISCIPLINED = 127           # members, all forms, 2015-09 .. 2019-06
REF_REMOVED = 128               # removed from the rolls, 2017-01 .. 2019-06
REF_KHT_MEMBERS = 82            # members rated "Không hoàn thành nhiệm vụ", ratings of 2017 .. 2019
REF_SECRETARIES = 80            # of 105 at 2019-H1
REF_COMMITTEE = (700, 140, 77)  # committee members, women (20 %), young (11 %) at 2019-H1

# The published "term to date" sums are over these months: the bloc's 2015-2020 term began at its congress in
# September 2015.
TERM_FROM, TERM_TO = (2015, 9), (2019, 6)
# The catalogue's terms with their days; the two committees founded on 1/7/2025 began their term then.
TERMS = [{"code": "2015-2020", "first": "2015-09-01", "last": "2020-08-31"},
         {"code": "2020-2025", "first": "2020-09-01", "last": "2025-08-31"},
         {"code": "2025-2030", "first": "2025-09-01", "last": "2030-08-31",
          "organisations": [{"org": "HT-CQD", "first": "2025-07-01", "last": "2030-06-30"},
                            {"org": "HT-UBND", "first": "2025-07-01", "last": "2030-06-30"}]}]

# ---------------------------------------------------------------------------------------------------------------
# Months and periods. A month is an int: year * 12 + (month - 1).
# ---------------------------------------------------------------------------------------------------------------


def mon(y, m):
    return y * 12 + (m - 1)


def ym(i):
    return i // 12, i % 12 + 1


def mkey(i):
    y, m = ym(i)
    return "%04d-%02d" % (y, m)


SIM_START = mon(2013, 1)     # admissions are simulated from here so the probationary pool of 2015 is known
FLOW_START = mon(2015, 1)    # first month written
FLOW_END = mon(2026, 10)     # last month written ("today" is November 2026)
ANCHOR = mon(2019, 6)        # 30/6/2019: the published figures
HALF_YEARS = [(y, h) for y in range(2015, 2027) for h in (1, 2) if (y, h) != (2026, 2)]
RATING_YEARS = list(range(2015, 2026))
REORG = dt.date(2025, 7, 1)  # the bloc is wound up; its base organisations move


def hkey(y, h):
    return "%d-H%d" % (y, h)


def hend(y, h):
    return mon(y, 6 if h == 1 else 12)


def month_last_day(i):
    y, m = ym(i)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def poisson(lam):
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def binomial(n, p):
    return sum(1 for _ in range(n) if rng.random() < p)


def weighted_choice(items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def apportion(total, weights, minimum=0):
    """Split total into integers proportional to weights (largest remainder), each at least minimum."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    assert rest >= 0
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    ints = [int(math.floor(r)) for r in raw]
    left = rest - sum(ints)
    order = sorted(range(n), key=lambda i: (-(raw[i] - ints[i]), i))
    for i in order[:left]:
        ints[i] += 1
    return [b + x for b, x in zip(base, ints)]


# ---------------------------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------------------------
LEVELS = [
    {"code": "provincial", "label_vi": "Đảng bộ trực thuộc Trung ương",
     "label_en": "Party committee directly under the Central Committee", "base": False},
    {"code": "upper", "label_vi": "Đảng ủy cấp trên trực tiếp cơ sở",
     "label_en": "Committee directly above the grassroots", "base": False},
    {"code": "base_committee", "label_vi": "Đảng bộ cơ sở", "label_en": "Grassroots party committee", "base": True,
     "counted_in": ["org_base_committees"]},
    {"code": "base_cell", "label_vi": "Chi bộ cơ sở", "label_en": "Grassroots party cell", "base": True,
     "counted_in": ["org_base_cells"]},
    {"code": "sub_cell", "label_vi": "Chi bộ trực thuộc", "label_en": "Subordinate party cell", "base": False,
     "counted_in": ["org_sub_cells"]},
]

ORG_TYPES = [
    {"code": "hanh_chinh", "label_vi": "Cơ quan hành chính", "label_en": "Administrative agency"},
    {"code": "su_nghiep", "label_vi": "Đơn vị sự nghiệp", "label_en": "Public service unit"},
    {"code": "dn_nn_100", "label_vi": "Doanh nghiệp 100% vốn nhà nước", "label_en": "Wholly state-owned enterprise"},
    {"code": "dn_nn_tren_50", "label_vi": "Doanh nghiệp trên 50% vốn nhà nước",
     "label_en": "Enterprise with over 50% state capital"},
    {"code": "dn_nn_duoi_50", "label_vi": "Doanh nghiệp dưới 50% vốn nhà nước",
     "label_en": "Enterprise with under 50% state capital"},
    {"code": "dn_co_phan_tu_nhan", "label_vi": "Doanh nghiệp cổ phần, tư nhân",
     "label_en": "Joint-stock and private enterprise"},
    {"code": "xa_phuong", "label_vi": "Xã/phường/đặc khu", "label_en": "Commune/ward/special zone"},
    {"code": "quan_doi", "label_vi": "Quân đội", "label_en": "Military"},
    {"code": "cong_an", "label_vi": "Công an", "label_en": "Police"},
    {"code": "khac", "label_vi": "Khác", "label_en": "Other"},
]

DISCIPLINE_MEMBER_CATS = [
    ("khien_trach", "Khiển trách", "Reprimand"),
    ("canh_cao", "Cảnh cáo", "Warning"),
    ("cach_chuc", "Cách chức", "Dismissal from post"),
    ("khai_tru", "Khai trừ", "Expulsion"),
]
DISCIPLINE_ORG_CATS = [
    ("khien_trach", "Khiển trách", "Reprimand"),
    ("canh_cao", "Cảnh cáo", "Warning"),
    ("giai_tan", "Giải tán", "Dissolution"),
]
RATING_CATS = [  # current scale first, then the older organisation scale (htt and ht are shared)
    ("htxs", "Hoàn thành xuất sắc nhiệm vụ", "Completed duties excellently"),
    ("htt", "Hoàn thành tốt nhiệm vụ", "Completed duties well"),
    ("ht", "Hoàn thành nhiệm vụ", "Completed duties"),
    ("kht", "Không hoàn thành nhiệm vụ", "Did not complete duties"),
    ("tsvm_tieu_bieu", "Trong sạch, vững mạnh tiêu biểu", "Clean and strong, exemplary"),
    ("tsvm", "Trong sạch, vững mạnh", "Clean and strong"),
    ("yeu_kem", "Yếu kém", "Weak"),
]
OLD_ORG_SCALE = ["tsvm_tieu_bieu", "tsvm", "htt", "ht", "yeu_kem"]
NEW_SCALE = ["htxs", "htt", "ht", "kht"]


def cats(lst):
    return [{"code": c, "label_vi": vi, "label_en": en} for c, vi, en in lst]


def ind(code, vi, en, group, unit, kind, hib, **extra):
    d = {"code": code, "label_vi": vi, "label_en": en, "group": group, "unit": unit, "kind": kind,
         "higher_is_better": hib, "decimals": 1 if kind == "ratio" else 0}
    d.update(extra)
    return d


INDICATORS = [
    # membership
    ind("members_total", "Tổng số đảng viên", "Party members", "membership", "người", "stock", True),
    ind("members_full", "Đảng viên chính thức", "Full members", "membership", "người", "stock", True,
        part_of="members_total"),
    ind("members_probationary", "Đảng viên dự bị", "Probationary members", "membership", "người", "stock", True,
        part_of="members_total"),
    ind("members_female", "Đảng viên nữ", "Women members", "membership", "người", "stock", True,
        part_of="members_total"),
    ind("members_youth", "Đảng viên dưới 30 tuổi", "Members under 30", "membership", "người", "stock", True,
        part_of="members_total"),
    ind("members_ethnic_minority", "Đảng viên người dân tộc thiểu số", "Ethnic minority members", "membership",
        "người", "stock", True, part_of="members_total"),
    ind("org_base_total", "Tổ chức cơ sở đảng", "Grassroots party organisations", "membership", "tổ chức", "stock",
        True),
    ind("org_base_committees", "Đảng bộ cơ sở", "Grassroots party committees", "membership", "tổ chức", "stock",
        True, part_of="org_base_total"),
    ind("org_base_cells", "Chi bộ cơ sở", "Grassroots party cells", "membership", "tổ chức", "stock", True,
        part_of="org_base_total"),
    ind("org_sub_cells", "Chi bộ trực thuộc", "Subordinate party cells", "membership", "tổ chức", "stock", True),
    ind("members_female_share", "Tỷ lệ đảng viên nữ", "Share of women members", "membership", "%", "ratio", True,
        numerator="members_female", denominator="members_total"),
    ind("members_youth_share", "Tỷ lệ đảng viên dưới 30 tuổi", "Share of members under 30", "membership", "%",
        "ratio", True, numerator="members_youth", denominator="members_total"),
    # admission
    ind("admissions", "Kết nạp đảng viên mới", "New members admitted", "admission", "người", "flow", True),
    ind("admissions_from_youth_union", "Kết nạp từ đoàn viên", "Admitted from the Youth Union", "admission", "người",
        "flow", True, part_of="admissions"),
    ind("admissions_female", "Kết nạp đảng viên nữ", "Women admitted", "admission", "người", "flow", True,
        part_of="admissions"),
    ind("candidates_trained", "Quần chúng ưu tú được bồi dưỡng", "Candidates trained", "admission", "người", "flow",
        True),
    ind("full_recognitions", "Công nhận đảng viên chính thức", "Recognised as full members", "admission", "người",
        "flow", True),
    ind("orgs_without_admissions", "TCCSĐ chưa kết nạp được đảng viên",
        "Grassroots organisations with no admissions", "admission", "tổ chức", "stock", False),
    ind("admissions_attainment", "Tỷ lệ hoàn thành chỉ tiêu kết nạp", "Admissions vs target", "admission", "%",
        "ratio", True, numerator="admissions", denominator="target:admissions"),
    # leaving
    ind("removed_from_rolls", "Xóa tên", "Removed from the rolls", "leaving", "người", "flow", False),
    ind("resigned", "Xin ra khỏi Đảng", "Resigned from the Party", "leaving", "người", "flow", False),
    ind("deaths", "Từ trần", "Deceased", "leaving", "người", "flow", False),
    ind("transfers_in", "Chuyển sinh hoạt đảng đến", "Transferred in", "leaving", "người", "flow", True),
    ind("transfers_out", "Chuyển sinh hoạt đảng đi", "Transferred out", "leaving", "người", "flow", False),
    # inspection
    ind("inspections_org", "Kiểm tra tổ chức đảng", "Inspections of party organisations", "inspection", "lượt",
        "flow", True),
    ind("inspections_member", "Kiểm tra đảng viên", "Inspections of members", "inspection", "lượt", "flow", True),
    ind("supervisions_org", "Giám sát tổ chức đảng", "Supervisions of party organisations", "inspection", "lượt",
        "flow", True),
    ind("supervisions_member", "Giám sát đảng viên", "Supervisions of members", "inspection", "lượt", "flow", True),
    ind("violations_found_org", "Tổ chức đảng được kết luận có vi phạm", "Organisations found in violation",
        "inspection", "tổ chức", "flow", False),
    ind("violations_found_member", "Đảng viên được kết luận có vi phạm", "Members found in violation",
        "inspection", "người", "flow", False),
    # discipline
    ind("discipline_members", "Đảng viên bị kỷ luật", "Members disciplined", "discipline", "người", "distribution",
        False, over_time="flow", categories=cats(DISCIPLINE_MEMBER_CATS)),
    ind("discipline_orgs", "Tổ chức đảng bị kỷ luật", "Organisations disciplined", "discipline", "tổ chức",
        "distribution", False, over_time="flow", categories=cats(DISCIPLINE_ORG_CATS)),
    # quality ratings
    ind("rating_orgs", "Xếp loại chất lượng tổ chức đảng", "Quality rating of party organisations", "quality",
        "tổ chức", "distribution", True, over_time="stock", categories=cats(RATING_CATS)),
    ind("rating_members", "Xếp loại chất lượng đảng viên", "Quality rating of members", "quality", "người",
        "distribution", True, over_time="stock", categories=cats(RATING_CATS)),
    # cadres
    ind("secretary_is_head", "Bí thư đồng thời là thủ trưởng", "Secretaries who also head their unit", "cadres",
        "người", "stock", True),
    ind("secretary_is_head_share", "Tỷ lệ bí thư đồng thời là thủ trưởng",
        "Share of secretaries who also head their unit", "cadres", "%", "ratio", True,
        numerator="secretary_is_head", denominator="org_base_total"),
    ind("committee_members", "Cấp ủy viên", "Committee members", "cadres", "người", "stock", True),
    ind("committee_female", "Cấp ủy viên nữ", "Women committee members", "cadres", "người", "stock", True,
        part_of="committee_members"),
    ind("committee_young", "Cấp ủy viên trẻ (dưới 40 tuổi)", "Young committee members (under 40)", "cadres", "người",
        "stock", True, part_of="committee_members"),
    ind("committee_female_pct", "Tỷ lệ cấp ủy viên nữ", "Share of women on committees", "cadres", "%", "ratio",
        True, numerator="committee_female", denominator="committee_members"),
    ind("committee_young_pct", "Tỷ lệ cấp ủy viên trẻ", "Share of young committee members", "cadres", "%", "ratio",
        True, numerator="committee_young", denominator="committee_members"),
]
IND_BY_CODE = {i["code"]: i for i in INDICATORS}

# ---------------------------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------------------------
ROOT, BLOC, CQD, UBND = "HT", "HT-KCQDN", "HT-CQD", "HT-UBND"

# (name without "Đảng bộ"/"Chi bộ", type, parent from 2025-07-01, sector for sub-cell names, size weight,
#  created (date or None), dissolved on (date or None), successor name for dissolved ones)
D = dt.date
BASE_SPEC = [
    # cơ quan hành chính (49): party, front and mass organisations, courts -> Đảng bộ các cơ quan Đảng tỉnh
    ("Văn phòng Tỉnh ủy", "hanh_chinh", CQD, "agency", 1.3),
    ("Ban Tổ chức Tỉnh ủy", "hanh_chinh", CQD, "agency", 0.8),
    ("Ban Tuyên giáo Tỉnh ủy", "hanh_chinh", CQD, "agency", 0.7),
    ("Ban Dân vận Tỉnh ủy", "hanh_chinh", CQD, "agency", 0.6),
    ("Ủy ban Kiểm tra Tỉnh ủy", "hanh_chinh", CQD, "agency", 0.7),
    ("Ban Nội chính Tỉnh ủy", "hanh_chinh", CQD, "agency", 0.5),
    ("Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "hanh_chinh", CQD, "agency", 0.7),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "hanh_chinh", CQD, "agency", 0.6),
    ("Hội Liên hiệp Phụ nữ tỉnh", "hanh_chinh", CQD, "agency", 0.5),
    ("Tỉnh đoàn Hà Tĩnh", "hanh_chinh", CQD, "agency", 0.5),
    ("Hội Nông dân tỉnh", "hanh_chinh", CQD, "agency", 0.5),
    ("Liên đoàn Lao động tỉnh", "hanh_chinh", CQD, "agency", 0.6),
    ("Hội Cựu chiến binh tỉnh", "hanh_chinh", CQD, "agency", 0.35),
    ("Hội Chữ thập đỏ tỉnh", "hanh_chinh", CQD, "agency", 0.3),
    ("Tòa án nhân dân tỉnh", "hanh_chinh", CQD, "court", 1.1),
    ("Viện Kiểm sát nhân dân tỉnh", "hanh_chinh", CQD, "court", 1.1),
    # cơ quan hành chính: government departments and central agencies in the province -> Đảng bộ UBND tỉnh
    ("Văn phòng Ủy ban nhân dân tỉnh", "hanh_chinh", UBND, "agency", 1.2),
    ("Sở Tài chính", "hanh_chinh", UBND, "agency", 1.3),
    ("Sở Kế hoạch và Đầu tư", "hanh_chinh", UBND, "agency", 1.0, None, D(2025, 2, 28), "Sở Tài chính"),
    ("Sở Nội vụ", "hanh_chinh", UBND, "agency", 1.0),
    ("Sở Tư pháp", "hanh_chinh", UBND, "agency", 0.8),
    ("Sở Công Thương", "hanh_chinh", UBND, "agency", 1.2),
    ("Sở Xây dựng", "hanh_chinh", UBND, "agency", 1.0),
    ("Sở Giao thông vận tải", "hanh_chinh", UBND, "agency", 1.2),
    ("Sở Tài nguyên và Môi trường", "hanh_chinh", UBND, "agency", 1.3, None, D(2025, 2, 28),
     "Sở Nông nghiệp và Môi trường"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "hanh_chinh", UBND, "agriculture", 1.8, None, D(2025, 2, 28),
     "Sở Nông nghiệp và Môi trường"),
    ("Sở Giáo dục và Đào tạo", "hanh_chinh", UBND, "agency", 1.3),
    ("Sở Y tế", "hanh_chinh", UBND, "agency", 1.0),
    ("Sở Lao động – Thương binh và Xã hội", "hanh_chinh", UBND, "agency", 1.1),
    ("Sở Văn hóa, Thể thao và Du lịch", "hanh_chinh", UBND, "agency", 1.3),
    ("Sở Khoa học và Công nghệ", "hanh_chinh", UBND, "agency", 0.8),
    ("Sở Thông tin và Truyền thông", "hanh_chinh", UBND, "agency", 0.6),
    ("Sở Ngoại vụ", "hanh_chinh", UBND, "agency", 0.4),
    ("Thanh tra tỉnh", "hanh_chinh", UBND, "agency", 0.6),
    ("Ban Quản lý Khu kinh tế tỉnh", "hanh_chinh", UBND, "agency", 1.2),
    ("Cục Thuế tỉnh", "hanh_chinh", UBND, "tax", 2.2),
    ("Cục Hải quan Hà Tĩnh", "hanh_chinh", UBND, "customs", 1.6),
    ("Kho bạc Nhà nước Hà Tĩnh", "hanh_chinh", UBND, "agency", 1.2),
    ("Cục Thống kê tỉnh", "hanh_chinh", UBND, "agency", 0.8),
    ("Cục Thi hành án dân sự tỉnh", "hanh_chinh", UBND, "agency", 1.0),
    ("Ngân hàng Nhà nước Việt Nam – Chi nhánh Hà Tĩnh", "hanh_chinh", UBND, "bank", 0.6),
    ("Cục Quản lý thị trường tỉnh", "hanh_chinh", UBND, "agency", 0.8),
    ("Liên minh Hợp tác xã tỉnh", "hanh_chinh", UBND, "agency", 0.3),
    ("Văn phòng Điều phối nông thôn mới tỉnh", "hanh_chinh", UBND, "agency", 0.3),
    ("Chi cục Kiểm lâm tỉnh", "hanh_chinh", UBND, "agency", 1.0),
    ("Chi cục Thủy sản", "hanh_chinh", UBND, "agency", 0.3),
    ("Chi cục Tiêu chuẩn Đo lường Chất lượng", "hanh_chinh", UBND, "agency", 0.3),
    ("Chi cục Phát triển nông thôn", "hanh_chinh", UBND, "agency", 0.3),
    ("Chi cục Chăn nuôi và Thú y", "hanh_chinh", UBND, "agency", 0.5),
    # đơn vị sự nghiệp (17)
    ("Bệnh viện Đa khoa tỉnh", "su_nghiep", UBND, "hospital", 5.0),
    ("Bệnh viện Y học cổ truyền tỉnh", "su_nghiep", UBND, "hospital", 1.0),
    ("Bệnh viện Phục hồi chức năng tỉnh", "su_nghiep", UBND, "hospital", 0.6),
    ("Bệnh viện Mắt tỉnh", "su_nghiep", UBND, "hospital", 0.5),
    ("Trường Đại học Hà Tĩnh", "su_nghiep", UBND, "university", 3.0),
    ("Trường Cao đẳng Kỹ thuật Việt Đức Hà Tĩnh", "su_nghiep", UBND, "college", 1.3),
    ("Trường Cao đẳng Y tế Hà Tĩnh", "su_nghiep", UBND, "college", 0.9),
    ("Trường Cao đẳng Nguyễn Du", "su_nghiep", UBND, "college", 0.8),
    ("Trường Chính trị Trần Phú", "su_nghiep", CQD, "university", 0.8),
    ("Báo Hà Tĩnh", "su_nghiep", CQD, "agency", 0.7),
    ("Đài Phát thanh – Truyền hình Hà Tĩnh", "su_nghiep", UBND, "agency", 1.2),
    ("Bảo hiểm xã hội tỉnh", "su_nghiep", UBND, "agency", 1.4),
    ("Trung tâm Kiểm soát bệnh tật tỉnh", "su_nghiep", UBND, "agency", 0.8),
    ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh", "su_nghiep", UBND, "agency", 0.6),
    ("Trường THPT Chuyên Hà Tĩnh", "su_nghiep", UBND, "school", 0.8),
    ("Trung tâm Hành chính công tỉnh", "su_nghiep", UBND, "agency", 0.35, D(2017, 7, 1)),
    ("Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh", "su_nghiep", UBND, "agency", 0.4,
     D(2018, 9, 1)),
    # doanh nghiệp 100% vốn nhà nước (16)
    ("Công ty TNHH MTV Cao su Hà Tĩnh", "dn_nn_100", UBND, "rubber", 3.0),
    ("Công ty Điện lực Hà Tĩnh", "dn_nn_100", UBND, "power", 3.0),
    ("Công ty TNHH MTV Thủy lợi Nam Hà Tĩnh", "dn_nn_100", UBND, "irrigation_south", 1.6),
    ("Công ty TNHH MTV Thủy lợi Bắc Hà Tĩnh", "dn_nn_100", UBND, "irrigation_north", 1.5),
    ("Công ty TNHH MTV Xổ số kiến thiết Hà Tĩnh", "dn_nn_100", UBND, "enterprise", 0.4),
    ("Công ty TNHH MTV Lâm nghiệp và Dịch vụ Hương Sơn", "dn_nn_100", UBND, "forestry", 0.8),
    ("Công ty TNHH MTV Lâm nghiệp Chúc A", "dn_nn_100", UBND, "forestry", 0.6),
    ("Công ty TNHH MTV Lâm nghiệp Hương Khê", "dn_nn_100", UBND, "forestry", 0.6),
    ("Viễn thông Hà Tĩnh", "dn_nn_100", UBND, "telecom", 1.5),
    ("Bưu điện tỉnh Hà Tĩnh", "dn_nn_100", UBND, "post", 1.2),
    ("Ngân hàng Nông nghiệp và Phát triển Nông thôn – Chi nhánh Hà Tĩnh", "dn_nn_100", UBND, "bank", 2.0),
    ("Ngân hàng Chính sách xã hội – Chi nhánh Hà Tĩnh", "dn_nn_100", UBND, "bank", 1.2),
    ("Ngân hàng Phát triển Việt Nam – Chi nhánh Hà Tĩnh", "dn_nn_100", UBND, "bank", 0.5),
    ("Công ty Truyền tải điện Hà Tĩnh", "dn_nn_100", UBND, "power", 0.9),
    ("Công ty TNHH MTV Phát triển hạ tầng Khu kinh tế Vũng Áng", "dn_nn_100", UBND, "enterprise", 0.5),
    ("Công ty TNHH MTV Khai thác công trình thủy lợi Kẻ Gỗ", "dn_nn_100", UBND, "enterprise", 0.6),
    # doanh nghiệp trên 50% vốn nhà nước (15)
    ("Ngân hàng TMCP Công Thương Việt Nam – Chi nhánh Hà Tĩnh", "dn_nn_tren_50", UBND, "bank", 1.2),
    ("Ngân hàng TMCP Ngoại thương Việt Nam – Chi nhánh Hà Tĩnh", "dn_nn_tren_50", UBND, "bank", 1.1),
    ("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam – Chi nhánh Hà Tĩnh", "dn_nn_tren_50", UBND, "bank", 1.1),
    ("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam – Chi nhánh Bắc Hà Tĩnh", "dn_nn_tren_50", UBND, "bank", 0.6),
    ("Công ty Xăng dầu Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 1.4),
    ("Tổng Công ty Khoáng sản và Thương mại Hà Tĩnh – CTCP", "dn_nn_tren_50", UBND, "enterprise", 1.5),
    ("Công ty Cổ phần Cấp nước Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 1.0),
    ("Công ty Bảo Việt Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.5),
    ("Công ty Điện lực Dầu khí Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.8),
    ("Công ty Cổ phần Quản lý và Xây dựng giao thông Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.9),
    ("Công ty Cổ phần Cảng Vũng Áng Việt – Lào", "dn_nn_tren_50", UBND, "enterprise", 0.8),
    ("Công ty Cổ phần Sách và Thiết bị trường học Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.3),
    ("Công ty Cổ phần Dược Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.7),
    ("Công ty Cổ phần In Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.3),
    ("Công ty Cổ phần Tư vấn Thiết kế Giao thông Hà Tĩnh", "dn_nn_tren_50", UBND, "enterprise", 0.4),
    # doanh nghiệp dưới 50% vốn nhà nước (1)
    ("Công ty Cổ phần Xây dựng Thủy lợi Hà Tĩnh", "dn_nn_duoi_50", UBND, "enterprise", 1.0),
    # doanh nghiệp cổ phần, tư nhân (7)
    ("Công ty Cổ phần Môi trường và Dịch vụ đô thị Hà Tĩnh", "dn_co_phan_tu_nhan", UBND, "enterprise", 1.5),
    ("Công ty Cổ phần Tập đoàn Hoành Sơn", "dn_co_phan_tu_nhan", UBND, "enterprise", 1.3),
    ("Công ty Cổ phần Vận tải ô tô Hà Tĩnh", "dn_co_phan_tu_nhan", UBND, "enterprise", 0.8),
    ("Công ty Cổ phần Vật liệu xây dựng Hà Tĩnh", "dn_co_phan_tu_nhan", UBND, "enterprise", 0.7),
    ("Công ty Cổ phần Thương mại và Du lịch Hà Tĩnh", "dn_co_phan_tu_nhan", UBND, "enterprise", 0.6),
    ("Công ty Cổ phần Xây lắp điện Hà Tĩnh", "dn_co_phan_tu_nhan", UBND, "enterprise", 0.6),
    ("Công ty Cổ phần Đầu tư và Phát triển hạ tầng Vũng Áng", "dn_co_phan_tu_nhan", UBND, "enterprise", 0.5,
     D(2016, 3, 1)),
]
# A base organisation founded after the reference date, under the bloc until its wind-up (the 2025 merger of
# Sở Tài nguyên và Môi trường with Sở Nông nghiệp và Phát triển nông thôn).
NEW_SPEC = ("Sở Nông nghiệp và Môi trường", "hanh_chinh", UBND, "agriculture_env", 0.0, D(2025, 3, 1))

# Names of subordinate cells ("chi bộ trực thuộc") by sector.
SUB_NAMES = {
    "agency": ["Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch – Tài chính", "Thanh tra", "Phòng Nghiệp vụ 1",
               "Phòng Nghiệp vụ 2"],
    "court": ["Văn phòng", "Phòng Tổ chức cán bộ", "Tòa Hình sự", "Tòa Dân sự", "Tòa Hành chính", "Phòng Nghiệp vụ"],
    "tax": ["Văn phòng Cục", "Phòng Kiểm tra thuế", "Phòng Thanh tra thuế", "Phòng Tuyên truyền – Hỗ trợ người nộp thuế",
            "Phòng Quản lý nợ và cưỡng chế nợ thuế", "Phòng Tin học"],
    "customs": ["Văn phòng Cục", "Chi cục Hải quan cửa khẩu quốc tế Cầu Treo", "Chi cục Hải quan cửa khẩu cảng Vũng Áng",
                "Chi cục Hải quan Hồng Lĩnh", "Đội Kiểm soát Hải quan", "Phòng Nghiệp vụ"],
    "agriculture": ["Văn phòng Sở", "Chi cục Thủy lợi", "Chi cục Trồng trọt và Bảo vệ thực vật", "Trung tâm Khuyến nông",
                    "Ban Quản lý rừng phòng hộ Nam Hà Tĩnh", "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn"],
    "agriculture_env": ["Văn phòng Sở", "Chi cục Thủy lợi", "Chi cục Quản lý đất đai", "Chi cục Bảo vệ môi trường",
                        "Trung tâm Khuyến nông", "Văn phòng Đăng ký đất đai"],
    "hospital": ["Khối Nội", "Khối Ngoại", "Khoa Sản", "Khoa Nhi", "Khối Cận lâm sàng", "Khối Hành chính"],
    "university": ["Khoa Sư phạm", "Khoa Kinh tế – Quản trị kinh doanh", "Khoa Kỹ thuật – Công nghệ", "Khoa Lý luận chính trị",
                   "Phòng Đào tạo", "Khối Văn phòng"],
    "college": ["Khoa Cơ khí", "Khoa Điện – Điện tử", "Khoa Công nghệ thông tin", "Khoa Khoa học cơ bản", "Phòng Đào tạo",
                "Khối Văn phòng"],
    "school": ["Tổ Khoa học tự nhiên", "Tổ Khoa học xã hội", "Tổ Ngoại ngữ", "Khối Văn phòng", "Tổ Tin học – Thể dục",
               "Tổ Toán"],
    "rubber": ["Nông trường Cao su Hương Khê", "Nông trường Cao su Hương Sơn", "Nông trường Cao su Can Lộc",
               "Nông trường Cao su Cẩm Xuyên", "Nhà máy Chế biến mủ cao su", "Khối Văn phòng"],
    "power": ["Khối Văn phòng", "Điện lực Thành phố Hà Tĩnh", "Điện lực Hương Sơn", "Điện lực Kỳ Anh", "Điện lực Can Lộc",
              "Điện lực Cẩm Xuyên"],
    "irrigation_south": ["Khối Văn phòng", "Xí nghiệp Thủy lợi Cẩm Xuyên", "Xí nghiệp Thủy lợi Thạch Hà",
                         "Xí nghiệp Thủy lợi Kỳ Anh", "Xí nghiệp Thủy lợi Hương Khê", "Xí nghiệp Thủy lợi Sông Rác"],
    "irrigation_north": ["Khối Văn phòng", "Xí nghiệp Thủy lợi Linh Cảm", "Xí nghiệp Thủy lợi Can Lộc",
                         "Xí nghiệp Thủy lợi Đức Thọ", "Xí nghiệp Thủy lợi Nghi Xuân", "Xí nghiệp Thủy lợi Hương Sơn"],
    "forestry": ["Khối Văn phòng", "Lâm trường số 1", "Lâm trường số 2", "Đội Bảo vệ rừng", "Xưởng Chế biến lâm sản",
                 "Lâm trường số 3"],
    "telecom": ["Khối Văn phòng", "Trung tâm Viễn thông Thành phố Hà Tĩnh", "Trung tâm Viễn thông Hồng Lĩnh",
                "Trung tâm Viễn thông Kỳ Anh", "Trung tâm Viễn thông Hương Khê", "Trung tâm Điều hành thông tin"],
    "post": ["Khối Văn phòng", "Bưu điện Thành phố Hà Tĩnh", "Bưu điện huyện Can Lộc", "Bưu điện thị xã Kỳ Anh",
             "Bưu điện huyện Hương Sơn", "Trung tâm Khai thác vận chuyển"],
    "bank": ["Phòng Khách hàng doanh nghiệp", "Phòng Khách hàng cá nhân", "Phòng Kế toán – Ngân quỹ",
             "Phòng Giao dịch Hồng Lĩnh", "Phòng Giao dịch Kỳ Anh", "Phòng Tổng hợp"],
    "enterprise": ["Khối Văn phòng", "Xí nghiệp số 1", "Xí nghiệp số 2", "Phòng Kỹ thuật – Vật tư", "Đội Thi công số 1",
                   "Xí nghiệp số 3"],
}

FEMALE_BY_SECTOR = {"hospital": 0.62, "college": 0.5, "school": 0.6, "university": 0.5, "bank": 0.52, "tax": 0.45,
                    "court": 0.35, "customs": 0.25, "rubber": 0.3, "power": 0.18, "forestry": 0.2, "telecom": 0.3,
                    "post": 0.45, "irrigation_south": 0.22, "irrigation_north": 0.22}
FEMALE_BY_TYPE = {"hanh_chinh": 0.38, "su_nghiep": 0.48, "dn_nn_100": 0.28, "dn_nn_tren_50": 0.35,
                  "dn_nn_duoi_50": 0.18, "dn_co_phan_tu_nhan": 0.22}


class Org:
    def __init__(self, code, spec):
        name, typ, after, sector, weight = spec[:5]
        self.code, self.core, self.type, self.after, self.sector, self.weight = code, name, typ, after, sector, weight
        self.created = spec[5] if len(spec) > 5 else None
        self.dissolved = spec[6] if len(spec) > 6 else None
        self.successor_name = spec[7] if len(spec) > 7 else None
        self.valid_from = self.created or D(2010, 1, 1)
        self.first = mon(self.valid_from.year, self.valid_from.month) if self.created else SIM_START
        self.last = mon(self.dissolved.year, self.dissolved.month) if self.dissolved else FLOW_END
        self.anchor = None          # members at 30/6/2019
        self.committee = False      # đảng bộ cơ sở (else chi bộ cơ sở)
        self.subcells = []
        self.flows = defaultdict(lambda: defaultdict(int))   # indicator -> month -> count
        self.disc = defaultdict(lambda: defaultdict(int))    # category -> month -> members disciplined
        self.total = {}             # month -> members at the month's end
        self.prob = {}

    @property
    def name(self):
        return ("Đảng bộ " if self.committee else "Chi bộ ") + self.core

    @property
    def level(self):
        return "base_committee" if self.committee else "base_cell"

    def exists_on(self, day):
        return self.valid_from <= day and (self.dissolved is None or day <= self.dissolved)

    def exists_month(self, i):
        return self.first <= i <= self.last


orgs = [Org("%s-%03d" % (BLOC, k + 1), spec) for k, spec in enumerate(BASE_SPEC)]
new_org = Org("%s-%03d" % (BLOC, len(orgs) + 1), NEW_SPEC)
by_name = {o.core: o for o in orgs + [new_org]}
ANCHOR_DAY = D(2019, 6, 30)
ref_orgs = [o for o in orgs if o.exists_on(ANCHOR_DAY)]
assert len(ref_orgs) == 105
for t in TYPE_ORDER:
    assert sum(1 for o in ref_orgs if o.type == t) == REF_ORGS[t], t

# ---- members at 30/6/2019, per type exactly as published ---------------------------------------------------------
for t in TYPE_ORDER:
    group = [o for o in ref_orgs if o.type == t]
    weights = [o.weight * math.exp(rng.gauss(0, 0.25)) for o in group]
    minimum = 12 if len(group) > 1 else 1
    for o, n in zip(group, apportion(REF_MEMBERS[t], weights, minimum)):
        o.anchor = n
for o in orgs:
    assert o.anchor is not None

# ---- đảng bộ cơ sở: about a third, the larger organisations founded before 2015 ---------------------------------
candidates = sorted((o for o in orgs if o.created is None and o.anchor >= 30), key=lambda o: (-o.anchor, o.code))
for o in candidates[:35]:
    o.committee = True
new_org.committee = True
new_org.size_hint = sum(o.anchor for o in orgs if o.successor_name == new_org.core)
for o in orgs + [new_org]:
    if o.committee:
        size = o.anchor if o.anchor else new_org.size_hint
        n = max(2, min(6, 2 + size // 70 + rng.randint(0, 1)))
        names = SUB_NAMES.get(o.sector, SUB_NAMES["agency"])
        o.subcells = [("%s-%02d" % (o.code, k + 1), "Chi bộ " + names[k]) for k in range(n)]

# ---------------------------------------------------------------------------------------------------------------
# Flows, month by month, per base organisation
# ---------------------------------------------------------------------------------------------------------------
ADM_SEASON = [0.6, 1.6, 1.0, 0.9, 1.6, 1.1, 0.8, 1.3, 1.1, 0.8, 0.9, 1.3]   # 3/2, 19/5 and 2/9 anniversaries
ADM_SEASON = [w * 12 / sum(ADM_SEASON) for w in ADM_SEASON]
INSP_SEASON = [0.3, 0.5, 0.8, 1.2, 1.3, 1.2, 0.8, 0.9, 1.3, 1.4, 1.3, 1.0]
INSP_SEASON = [w * 12 / sum(INSP_SEASON) for w in INSP_SEASON]
COURSE_MONTHS = (3, 6, 9, 11)   # courses for "quần chúng ưu tú"


def adm_year_factor(i):
    y, m = ym(i)
    if i < mon(2015, 9):
        return 1.35          # the admission drive before the 2015 congress
    if i <= ANCHOR:
        return 1.0
    return {2019: 0.95, 2020: 0.9, 2021: 0.8, 2022: 0.88}.get(y, 0.9)   # 2021: the pandemic


def size_of(o):
    return o.anchor if o.anchor else o.size_hint


def adm_allowed(o, i):
    """Months an organisation admits members: from two months after founding; none in the last year before a
    dissolution, so that nobody is still probationary when it is wound up."""
    if not o.exists_month(i) or i < o.first + (2 if o.created else 0):
        return False
    if o.dissolved and i > o.last - 12:
        return False
    return True


def active(o, i):
    """Months with ordinary activity (not the founding or the dissolution month)."""
    return o.exists_month(i) and not (o.created and i == o.first) and not (o.dissolved and i == o.last)


ALL = orgs + [new_org]
by_code = {o.code: o for o in ALL}
for o in ALL:
    s = size_of(o)
    adm_rate = 0.052 * s * math.exp(rng.gauss(0, 0.3)) / 12
    o.adm_rate = adm_rate
    for i in range(SIM_START, FLOW_END + 1):
        y, m = ym(i)
        if adm_allowed(o, i):
            o.flows["admissions"][i] = poisson(adm_rate * ADM_SEASON[m - 1] * adm_year_factor(i))
        if i < FLOW_START or not active(o, i):
            continue
        o.flows["transfers_in"][i] = poisson(s * 0.015 / 12)
        o.flows["transfers_out"][i] = poisson(s * (0.07 if m in (1, 12) else 0.043) / 12)   # retirements at year end
        o.flows["deaths"][i] = poisson(s * 0.0008 / 12)
        o.flows["resigned"][i] = poisson(s * 0.00015 / 12)
        if i >= mon(2017, 1):
            o.flows["removed_from_rolls"][i] = poisson(s * (0.0065 if i <= ANCHOR else 0.004) / 12)
        n_disc = poisson(s * 0.0042 / 12)
        for _ in range(n_disc):
            c = weighted_choice(["khien_trach", "canh_cao", "cach_chuc", "khai_tru"], [0.56, 0.32, 0.05, 0.07])
            o.disc[c][i] += 1
        season = INSP_SEASON[m - 1]
        o.flows["inspections_member"][i] = poisson((0.6 + s / 60) * season / 12)
        o.flows["supervisions_member"][i] = poisson((0.8 + s / 60) * season / 12)
        if o.committee:
            o.flows["inspections_org"][i] = poisson((0.8 + 0.3 * len(o.subcells)) * season / 12)
            o.flows["supervisions_org"][i] = poisson((1.0 + 0.3 * len(o.subcells)) * season / 12)

# Moves between organisations of the bloc: out of one, into another in the same month.
for i in range(FLOW_START, FLOW_END + 1):
    live = [o for o in ALL if active(o, i)]
    for _ in range(poisson(sum(size_of(o) for o in live) * 0.01 / 12)):
        a = weighted_choice(live, [size_of(o) for o in live])
        b = weighted_choice(live, [size_of(o) for o in live])
        if a is not b:
            a.flows["transfers_out"][i] += 1
            b.flows["transfers_in"][i] += 1


def adjust(cells, target, weight=lambda key: 1.0):
    """Add or remove single events in cells ({key: [dict, month]}) until they sum to target."""
    keys = sorted(cells)
    total = sum(cells[k][0][cells[k][1]] for k in keys)
    while total < target:
        k = weighted_choice(keys, [weight(k) for k in keys])
        cells[k][0][cells[k][1]] += 1
        total += 1
    while total > target:
        nz = [k for k in keys if cells[k][0][cells[k][1]] > 0]
        k = weighted_choice(nz, [cells[k][0][cells[k][1]] for k in nz])
        cells[k][0][cells[k][1]] -= 1
        total -= 1


def month_range(a, b):
    return range(mon(*a), mon(*b) + 1)


# -- about ten organisations with no admissions yet in 2026 ---------------------------------------------------------
live_2026 = [o for o in ALL if o.exists_on(D(2026, 10, 31))]
months_2026 = list(month_range((2026, 1), (2026, 10)))
no_adm = [o for o in live_2026 if sum(o.flows["admissions"][i] for i in months_2026) == 0]
if len(no_adm) > 10:
    for o in sorted(no_adm, key=lambda o: -o.adm_rate)[:len(no_adm) - 10]:
        o.flows["admissions"][rng.choice(months_2026)] += 1
elif len(no_adm) < 10:
    pool = sorted((o for o in live_2026 if o not in no_adm and o.created is None), key=lambda o: (o.adm_rate, o.code))
    for o in pool[:10 - len(no_adm)]:
        for i in months_2026:
            o.flows["admissions"][i] = 0

# -- admissions over the term to date: exactly 1,534 -----------------------------------------------------------------
term_months = list(month_range(TERM_FROM, TERM_TO))
cells = {(o.code, i): (o.flows["admissions"], i) for o in ALL for i in term_months if adm_allowed(o, i)}
rate = {o.code: o.adm_rate for o in ALL}
adjust(cells, REF_ADMISSIONS, lambda k: rate[k[0]] * ADM_SEASON[ym(k[1])[1] - 1])

# -- full-member recognition exactly twelve months after admission: the recognitions of the term to date are the
#    admissions of the same months a year earlier, so the admissions of the twelve months before the term's start
#    (2014-09..2015-08) are set to make them 1,677.
later = sum(o.flows["admissions"][i] for o in ALL for i in range(mon(*TERM_FROM), mon(*TERM_TO) - 12 + 1))
pre_months = list(range(mon(*TERM_FROM) - 12, mon(*TERM_FROM)))
cells = {(o.code, i): (o.flows["admissions"], i) for o in ALL for i in pre_months if adm_allowed(o, i)}
adjust(cells, REF_FULL_RECOGNITIONS - later, lambda k: rate[k[0]] * ADM_SEASON[ym(k[1])[1] - 1])
for o in ALL:
    for i in range(SIM_START + 12, FLOW_END + 1):
        o.flows["full_recognitions"][i] = o.flows["admissions"][i - 12]

# -- removed from the rolls: none recorded before 2017, exactly 128 in 2017-01..2019-06 -----------------------------
cells = {(o.code, i): (o.flows["removed_from_rolls"], i) for o in ALL for i in month_range((2017, 1), (2019, 6))
         if active(o, i)}
adjust(cells, REF_REMOVED, lambda k: size_of(by_code[k[0]]))

# -- members disciplined over the term to date: exactly 127 -------------------------------------------------------
cells = {(o.code, c, i): (o.disc[c], i) for o in ALL for c in ("khien_trach", "canh_cao", "cach_chuc", "khai_tru")
         for i in term_months if active(o, i)}
cat_w = {"khien_trach": 0.56, "canh_cao": 0.32, "cach_chuc": 0.05, "khai_tru": 0.07}
adjust(cells, REF_DISCIPLINED, lambda k: size_of(by_code[k[0]]) * cat_w[k[1]])

# -- inspections and supervisions over the term to date: over 2,000 -------------------------------------------------
insp = ("inspections_org", "inspections_member", "supervisions_org", "supervisions_member")
s_insp = sum(o.flows[x][i] for o in ALL for x in insp for i in term_months)
if s_insp <= REF_INSPECTIONS_MIN + 50:
    cells = {(o.code, x, i): (o.flows[x], i) for o in ALL for x in insp for i in term_months
             if active(o, i) and (o.committee or x.endswith("member"))}
    adjust(cells, REF_INSPECTIONS_MIN + 50 + rng.randint(0, 150))

# -- derived flows: parts of admissions, violations found, candidates trained ---------------------------------------
for o in ALL:
    fshare = FEMALE_BY_SECTOR.get(o.sector, FEMALE_BY_TYPE[o.type])
    o.fshare = min(0.75, max(0.12, fshare + rng.uniform(-0.06, 0.06)))
    for i in range(FLOW_START, FLOW_END + 1):
        a = o.flows["admissions"][i]
        o.flows["admissions_from_youth_union"][i] = binomial(a, 0.68)
        o.flows["admissions_female"][i] = binomial(a, min(0.85, o.fshare + 0.08))
        o.flows["violations_found_member"][i] = binomial(o.flows["inspections_member"][i], 0.12)
        o.flows["violations_found_org"][i] = binomial(o.flows["inspections_org"][i], 0.1)
        y, m = ym(i)
        if m in COURSE_MONTHS and adm_allowed(o, i):
            o.flows["candidates_trained"][i] = poisson(o.adm_rate * 12 * 1.3 / len(COURSE_MONTHS))

# -- a few organisations disciplined (chi bộ trực thuộc, reported by their base organisation) -----------------------
disc_orgs = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))   # org -> category -> month -> n
for (y, m, c) in [(2016, 10, "khien_trach"), (2018, 5, "khien_trach"), (2021, 11, "canh_cao"),
                  (2023, 8, "khien_trach"), (2025, 12, "khien_trach")]:
    pool = [o for o in ALL if o.committee and active(o, mon(y, m))]
    disc_orgs[rng.choice(pool).code][c][mon(y, m)] += 1

# ---------------------------------------------------------------------------------------------------------------
# Membership ledger. total(m) = total(m-1) + admissions + transfers in - transfers out - removed - resigned
# - deaths - expelled; probationary(m) = admissions of the last twelve months (recognition after twelve months).
# Anchored at 30/6/2019 for the 105; organisations founded later start from zero.
# ---------------------------------------------------------------------------------------------------------------
OUT_FLOWS = ("transfers_out", "removed_from_rolls", "resigned", "deaths")


def net(o, i):
    return (o.flows["admissions"][i] + o.flows["transfers_in"][i] - sum(o.flows[x][i] for x in OUT_FLOWS)
            - o.disc["khai_tru"][i])


def ledger(o):
    start = max(o.first, FLOW_START - 1)
    o.total, o.prob = {}, {}
    if o.anchor is not None:
        o.total[ANCHOR] = o.anchor
        for i in range(ANCHOR, start, -1):
            o.total[i - 1] = o.total[i] - net(o, i)
        for i in range(ANCHOR + 1, o.last + 1):
            o.total[i] = o.total[i - 1] + net(o, i)
    else:
        o.total[o.first - 1] = 0
        for i in range(o.first, o.last + 1):
            o.total[i] = o.total[i - 1] + net(o, i)
    for i in o.total:
        o.prob[i] = sum(o.flows["admissions"][k] for k in range(i - 11, i + 1))


# Founded before the reference date: their founding members transfer in (from the offices they were split from).
DONORS = {"Trung tâm Hành chính công tỉnh": "Văn phòng Ủy ban nhân dân tỉnh",
          "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh": "Sở Xây dựng"}
for o in orgs:
    if o.created:
        later_net = sum(net(o, i) for i in range(o.first, ANCHOR + 1))
        founders = o.anchor - later_net
        assert founders > 0, o.code
        o.flows["transfers_in"][o.first] += founders
        if o.core in DONORS:
            by_name[DONORS[o.core]].flows["transfers_out"][o.first] += founders
for o in orgs:
    ledger(o)
# Wound up in 2025: every member transfers to the successor, which receives them the next month.
for o in orgs:
    if o.dissolved:
        stay = o.total[o.last]
        o.flows["transfers_out"][o.last] += stay
        by_name[o.successor_name].flows["transfers_in"][o.last + 1] += stay
for o in ALL:
    ledger(o)
    for i, t in o.total.items():
        if i >= FLOW_START - 1 and i >= o.first:
            assert t - o.prob[i] >= 0, (o.code, mkey(i), t, o.prob[i])
            if not (o.dissolved and i == o.last) and not (o.created and i == o.first - 1):
                assert t >= 5, (o.code, mkey(i), t)
    if o.dissolved:
        assert o.total[o.last] == 0 and o.prob[o.last] == 0

# ---- composition of the membership at each half-year end ----------------------------------------------------------
ETHNIC = {o.code: (rng.choice([1, 1, 1, 2, 2, 3]) if rng.random() < 0.12 else 0) for o in ALL}
for o in ALL:
    o.yshare = {"hanh_chinh": 0.10, "su_nghiep": 0.15}.get(o.type, 0.13) * math.exp(rng.gauss(0, 0.2))
    if o.core == "Tỉnh đoàn Hà Tĩnh":
        o.yshare = 0.45
    if o.core == "Hội Cựu chiến binh tỉnh":
        o.yshare = 0.0
    if o.core == "Hội Liên hiệp Phụ nữ tỉnh":
        o.fshare = 0.85


def composition(o, i):
    y, m = ym(i)
    t = o.total[i]
    frac_year = y + m / 12 - 2015
    female = min(t, int(round(t * min(0.9, o.fshare + 0.003 * frac_year))))
    youth = min(t, int(round(t * o.yshare * (1 - 0.035 * frac_year))))
    return {"members_total": t, "members_probationary": o.prob[i], "members_full": t - o.prob[i],
            "members_female": female, "members_youth": youth, "members_ethnic_minority": min(t, ETHNIC[o.code])}


# ---- cadres per term: 2010-2015 (shown at 2015-H1), 2015-2020, 2020-2025, 2025-2030 -------------------------------
def term_of(y, h):
    if (y, h) < (2015, 2):
        return 0
    if (y, h) < (2020, 2):
        return 1
    if (y, h) < (2025, 2):
        return 2
    return 3


def committee_size(o, members):
    if o.committee:
        return max(7, min(15, int(round(5 + members / 22)) + rng.randint(-1, 1)))
    if members < 9:
        return 1
    return 3 if members < 30 else 5


cadres = {}   # (org, term) -> (secretary_is_head, members, female, young)
SEC_SHARE = {0: 0.70, 2: 0.82, 3: 0.88}
FEMALE_COMM = {0: 0.17, 1: 0.20, 2: 0.22, 3: 0.24}
YOUNG_COMM = {0: 0.10, 1: 0.11, 2: 0.10, 3: 0.12}
term_start_month = {0: mon(2015, 6), 1: mon(2015, 12), 2: mon(2020, 12), 3: mon(2025, 12)}
for term in (0, 1, 2, 3):
    members_of = []
    for o in ALL:
        i = max(term_start_month[term], o.first)
        if i > o.last:
            continue
        members_of.append((o, o.total.get(i, o.total.get(o.first, 0)) or size_of(o)))
    if term == 1:
        # exactly as published at 2019-H1: 80 of the 105 secretaries also head their unit; committees 20 % women,
        # 11 % young
        group = [(o, n) for o, n in members_of if o.exists_on(ANCHOR_DAY)]
        assert len(group) == 105
        sizes = [committee_size(o, o.anchor) for o, _ in group]
        target = REF_COMMITTEE[0]
        while sum(sizes) != target:
            k = rng.randrange(len(group))
            o = group[k][0]
            lo, hi = (7, 15) if o.committee else ((1, 1) if o.anchor < 9 else (3, 7))
            step = 1 if sum(sizes) < target else -1
            if lo <= sizes[k] + step <= hi:
                sizes[k] += step
        fem = apportion(REF_COMMITTEE[1], [s * by_code[o.code].fshare * rng.uniform(0.7, 1.3)
                                          for (o, _), s in zip(group, sizes)])
        yng = apportion(REF_COMMITTEE[2], [s * rng.uniform(0.5, 1.5) for s in sizes])
        # keep each part within its committee
        for part in (fem, yng):
            for k in range(len(part)):
                while part[k] > sizes[k]:
                    part[k] -= 1
                    j = min((j for j in range(len(part)) if part[j] < sizes[j]), key=lambda j: part[j] / sizes[j])
                    part[j] += 1
        heads = set(rng.sample(range(len(group)), REF_SECRETARIES))
        for k, (o, _) in enumerate(group):
            cadres[(o.code, term)] = (1 if k in heads else 0, sizes[k], fem[k], yng[k])
    else:
        for o, n in members_of:
            s = committee_size(o, n)
            f = min(s, binomial(s, FEMALE_COMM[term] * min(2.0, o.fshare / 0.38)))
            yg = min(s, binomial(s, YOUNG_COMM[term]))
            cadres[(o.code, term)] = (1 if rng.random() < SEC_SHARE[term] else 0, s, f, yg)

# ---- quality ratings ---------------------------------------------------------------------------------------------
rating_orgs = {}      # (org, year) -> category
rating_members = {}   # (org, year) -> {category: n}
for y in RATING_YEARS:
    dec = D(y, 12, 31)
    for o in ALL:
        if not o.exists_on(dec):
            continue
        if y <= 2017:
            rating_orgs[(o.code, y)] = weighted_choice(OLD_ORG_SCALE, [0.16, 0.56, 0.22, 0.05, 0.01])
        else:
            rating_orgs[(o.code, y)] = weighted_choice(NEW_SCALE, [0.19, 0.68, 0.11, 0.02])
        n = o.total[mon(y, 12)]
        counts = defaultdict(int)
        p_kht = 0.006 if y != 2019 else 0.0
        for _ in range(n):
            counts[weighted_choice(NEW_SCALE, [0.13, 0.75, 0.11, p_kht])] += 1
        rating_members[(o.code, y)] = counts
# since 2017: exactly 82 members rated "Không hoàn thành nhiệm vụ" (ratings of 2017 and 2018; 2019's came after the
# reference date, so none then)
keys = sorted(k for k in rating_members if k[1] in (2017, 2018))
kht = sum(rating_members[k]["kht"] for k in keys)
while kht != REF_KHT_MEMBERS:
    if kht < REF_KHT_MEMBERS:
        k = weighted_choice(keys, [rating_members[k]["ht"] for k in keys])
        rating_members[k]["ht"] -= 1
        rating_members[k]["kht"] += 1
        kht += 1
    else:
        nz = [k for k in keys if rating_members[k]["kht"] > 0]
        k = weighted_choice(nz, [rating_members[k]["kht"] for k in nz])
        rating_members[k]["kht"] -= 1
        rating_members[k]["ht"] += 1
        kht -= 1

# ---------------------------------------------------------------------------------------------------------------
# Targets (admissions)
# ---------------------------------------------------------------------------------------------------------------
BLOC_YEAR_TARGET = {2015: 380, 2016: 360, 2017: 360, 2018: 350, 2019: 350,
                    2020: 360, 2021: 340, 2022: 360, 2023: 370, 2024: 370}
targets = [(BLOC, "admissions", "2015-2020", 1800), (BLOC, "admissions", "2020-2025", 1800)]
assert sum(BLOC_YEAR_TARGET[y] for y in range(2015, 2020)) == 1800
assert sum(BLOC_YEAR_TARGET[y] for y in range(2020, 2025)) == 1800
org_targets = {}
for y in range(2015, 2027):
    if y <= 2024:
        group = [o for o in ALL if o.valid_from <= D(y, 12, 31) and (o.dissolved is None or o.dissolved >= D(y, 1, 1))]
        total = BLOC_YEAR_TARGET[y]
        targets.append((BLOC, "admissions", str(y), total))
    else:
        group = [o for o in ALL if o.exists_on(REORG)]
        total = {2025: 370, 2026: 380}[y]
    weights = [max(0.2, o.adm_rate * 12 * rng.uniform(0.75, 1.15)) for o in group]
    for o, n in zip(group, apportion(total, weights, 1)):
        org_targets[(o.code, y)] = n
        targets.append((o.code, "admissions", str(y), n))
for upper in (CQD, UBND):
    per_year = {y: sum(org_targets[(o.code, y)] for o in ALL if o.after == upper and (o.code, y) in org_targets)
                for y in (2025, 2026)}
    targets.append((upper, "admissions", "2025-2030", int(round(per_year[2026] * 5, -1))))
    for y in (2025, 2026):
        targets.append((upper, "admissions", str(y), per_year[y]))

# ---------------------------------------------------------------------------------------------------------------
# Write the files
# ---------------------------------------------------------------------------------------------------------------
os.makedirs(OUT, exist_ok=True)
P = lambda name: os.path.join(OUT, name)  # noqa: E731

with open(P("catalogue.json"), "w", encoding="utf-8", newline="\n") as f:
    json.dump({"levels": LEVELS, "org_types": ORG_TYPES, "indicators": INDICATORS, "terms": TERMS}, f,
              ensure_ascii=False, indent=2)
    f.write("\n")

org_rows = [(ROOT, "Tỉnh ủy Hà Tĩnh", "", "provincial", "", "2010-01-01", ""),
            (BLOC, "Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh", ROOT, "upper", "", "2010-01-01",
             "2025-06-30"),
            (CQD, "Đảng bộ các cơ quan Đảng tỉnh", ROOT, "upper", "", "2025-07-01", ""),
            (UBND, "Đảng bộ Ủy ban nhân dân tỉnh", ROOT, "upper", "", "2025-07-01", "")]
BLOC_LAST = D(2025, 6, 30)
for o in ALL:
    end = o.dissolved
    if end is None or end > BLOC_LAST:
        org_rows.append((o.code, o.name, BLOC, o.level, o.type, o.valid_from.isoformat(), BLOC_LAST.isoformat()))
        org_rows.append((o.code, o.name, o.after, o.level, o.type, REORG.isoformat(), end.isoformat() if end else ""))
    else:
        org_rows.append((o.code, o.name, BLOC, o.level, o.type, o.valid_from.isoformat(), end.isoformat()))
    for code, name in o.subcells:
        org_rows.append((code, name, o.code, "sub_cell", "", o.valid_from.isoformat(), end.isoformat() if end else ""))
with open(P("organisations.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "name", "parent", "level", "type", "valid_from", "valid_to"])
    w.writerows(org_rows)

WIDE_INDICATORS = ["members_total", "members_full", "members_probationary", "members_female"]
values = []   # (sort key, org, indicator, period, category, value)
for (y, h) in HALF_YEARS:
    i, period = hend(y, h), hkey(y, h)
    day = month_last_day(i)
    for o in ALL:
        if not o.exists_on(day):
            continue
        comp = composition(o, i)
        for code, v in comp.items():
            if period == "2019-H1" and code in WIDE_INDICATORS:
                continue          # provided by reference-2019-H1.csv
            values.append((i, o.code, code, period, "", v))
        values.append((i, o.code, "org_base_total", period, "", 1))
        values.append((i, o.code, "org_base_committees" if o.committee else "org_base_cells", period, "", 1))
        if o.subcells:
            values.append((i, o.code, "org_sub_cells", period, "", len(o.subcells)))
        sec, cm, cf, cy = cadres[(o.code, term_of(y, h))]
        # zeros are written: a stock's value for a longer period is its last one, so a 1 must be overwritten by a 0
        values.append((i, o.code, "secretary_is_head", period, "", sec))
        values.append((i, o.code, "committee_members", period, "", cm))
        values.append((i, o.code, "committee_female", period, "", cf))
        values.append((i, o.code, "committee_young", period, "", cy))
FLOW_CODES = ["admissions", "admissions_from_youth_union", "admissions_female", "candidates_trained",
              "full_recognitions", "removed_from_rolls", "resigned", "deaths", "transfers_in", "transfers_out",
              "inspections_org", "inspections_member", "supervisions_org", "supervisions_member",
              "violations_found_org", "violations_found_member"]
for o in ALL:
    for i in range(max(FLOW_START, o.first), o.last + 1):
        for code in FLOW_CODES:
            v = o.flows[code][i]
            if v:
                values.append((i, o.code, code, mkey(i), "", v))
        for c, _, _ in DISCIPLINE_MEMBER_CATS:
            if o.disc[c][i]:
                values.append((i, o.code, "discipline_members", mkey(i), c, o.disc[c][i]))
        for c, _, _ in DISCIPLINE_ORG_CATS:
            if disc_orgs[o.code][c][i]:
                values.append((i, o.code, "discipline_orgs", mkey(i), c, disc_orgs[o.code][c][i]))
# The committees file the report form whole: a month without events is a 0 of their own, not a blank, so the
# screens show "0" where nothing happened rather than "not reported".
for committee, first, last in ((BLOC, FLOW_START, mon(2025, 6)), (CQD, mon(2025, 7), FLOW_END),
                               (UBND, mon(2025, 7), FLOW_END)):
    for i in range(first, last + 1):
        for code in FLOW_CODES:
            values.append((i, committee, code, mkey(i), "", 0))
        for c, _, _ in DISCIPLINE_MEMBER_CATS:
            values.append((i, committee, "discipline_members", mkey(i), c, 0))
        for c, _, _ in DISCIPLINE_ORG_CATS:
            values.append((i, committee, "discipline_orgs", mkey(i), c, 0))
for (code, y), c in rating_orgs.items():
    values.append((mon(y, 12), code, "rating_orgs", str(y), c, 1))
for (code, y), counts in rating_members.items():
    for c in NEW_SCALE:
        if counts[c]:
            values.append((mon(y, 12), code, "rating_members", str(y), c, counts[c]))
# by the period's last month, then the shorter period first, then organisation and indicator
plen = lambda p: 0 if len(p) == 7 and p[4] == "-" and p[5].isdigit() else (1 if "H" in p else 2)  # noqa: E731
values.sort(key=lambda r: (r[0], plen(r[3]), r[1], r[2], r[4]))
with open(P("values.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["org", "indicator", "period", "category", "value"])
    for _, org, code, period, cat, v in values:
        assert isinstance(v, int) and v >= 0
        w.writerow([org, code, period, cat, v])

with open(P("targets.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["org", "indicator", "period", "value"])
    order = {BLOC: 0, CQD: 1, UBND: 2}
    for row in sorted(targets, key=lambda r: (order.get(r[0], 3), r[0], len(r[2]) != 4, r[2])):
        w.writerow(row)

with open(P("reference-2019-H1.csv"), "w", encoding="utf-8-sig", newline="") as f:   # BOM and CRLF, like Excel
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["tổ chức", "kỳ"] + [IND_BY_CODE[c]["label_vi"] for c in WIDE_INDICATORS])
    for o in ref_orgs:
        comp = composition(o, ANCHOR)
        w.writerow([o.code, "2019-H1"] + [comp[c] for c in WIDE_INDICATORS])

# ---------------------------------------------------------------------------------------------------------------
# Verify: re-read the files and check the published figures and the data's own consistency
# ---------------------------------------------------------------------------------------------------------------


def vn(n):
    return "{:,}".format(n).replace(",", ".")


def pct(num, den):
    """Percent to one decimal, rounded half away from zero on the exact value, with a decimal comma."""
    q = Fraction(num) * 1000 / Fraction(den)
    tenths = int(q) + (1 if q - int(q) >= Fraction(1, 2) else 0)
    return "%d,%d %%" % (tenths // 10, tenths % 10)


def verify():
    ok = []

    def check(cond, what):
        ok.append(cond)
        print(("  ok    " if cond else "  FAIL  ") + what)

    with open(P("catalogue.json"), encoding="utf-8") as f:
        cat = json.load(f)
    inds = {i["code"]: i for i in cat["indicators"]}
    with open(P("organisations.csv"), encoding="utf-8", newline="") as f:
        orows = list(csv.DictReader(f))
    with open(P("values.csv"), encoding="utf-8", newline="") as f:
        vrows = list(csv.DictReader(f))
    with open(P("targets.csv"), encoding="utf-8", newline="") as f:
        trows = list(csv.DictReader(f))
    with open(P("reference-2019-H1.csv"), "rb") as f:
        raw = f.read()
    wide_has_bom = raw.startswith(b"\xef\xbb\xbf")
    with open(P("reference-2019-H1.csv"), encoding="utf-8-sig", newline="") as f:
        wrows = list(csv.reader(f))

    levels = {l["code"]: l for l in cat["levels"]}
    intervals = defaultdict(list)
    for r in orows:
        intervals[r["code"]].append(r)

    def row_on(code, day):
        for r in intervals[code]:
            if r["valid_from"] <= day and (not r["valid_to"] or day <= r["valid_to"]):
                return r
        return None

    def under(code, ancestor, day):
        r = row_on(code, day)
        while r is not None:
            if r["parent"] == ancestor:
                return True
            r = row_on(r["parent"], day) if r["parent"] else None
        return False

    day = "2019-06-30"
    base_ref = [c for c in intervals if row_on(c, day) and levels[row_on(c, day)["level"]]["base"]
                and under(c, BLOC, day)]
    type_of = {c: intervals[c][0]["type"] for c in intervals}

    print("Reference figures (Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh Hà Tĩnh, 30/6/2019):")
    check(len(base_ref) == 105, "base organisations at 30/6/2019: %d" % len(base_ref))
    header = wrows[0]
    wide = {r[0]: dict(zip(header[2:], map(int, r[2:]))) for r in wrows[1:]}
    lab = {c: inds[c]["label_vi"] for c in WIDE_INDICATORS}
    check(wide_has_bom and all(r[1] == "2019-H1" for r in wrows[1:]) and set(wide) == set(base_ref),
          "reference-2019-H1.csv: BOM, %d rows, headers %s" % (len(wrows) - 1, ", ".join(header)))
    total = 0
    for t in TYPE_ORDER:
        codes = [c for c in base_ref if type_of[c] == t]
        m = sum(wide[c][lab["members_total"]] for c in codes)
        total += m
        label = next(x["label_vi"] for x in cat["org_types"] if x["code"] == t)
        check(len(codes) == REF_ORGS[t] and m == REF_MEMBERS[t],
              "%-36s %3d tổ chức, %6s đảng viên" % (label, len(codes), vn(m)))
    check(total == 7841, "members at 2019-H1: %s" % vn(total))
    fem = sum(wide[c][lab["members_female"]] for c in base_ref)
    prob = sum(wide[c][lab["members_probationary"]] for c in base_ref)
    check(all(wide[c][lab["members_full"]] + wide[c][lab["members_probationary"]] == wide[c][lab["members_total"]]
              and wide[c][lab["members_female"]] <= wide[c][lab["members_total"]] for c in base_ref),
          "2019-H1 full + probationary = total for every organisation (women %s = %s, probationary %s)"
          % (vn(fem), pct(fem, total), vn(prob)))
    check(not any(r["period"] == "2019-H1" and r["indicator"] in WIDE_INDICATORS for r in vrows),
          "values.csv leaves the four 2019-H1 membership figures to the wide file")

    def flow_sum(codes, a, b, cat=None):
        lo, hi = "%04d-%02d" % a, "%04d-%02d" % b
        return sum(int(r["value"]) for r in vrows if r["indicator"] in codes and len(r["period"]) == 7
                   and r["period"][4] == "-" and r["period"][5] != "H" and r["period"][5] != "Q"
                   and lo <= r["period"] <= hi and (cat is None or r["category"] == cat))

    print("Term 2015–2020 to date (%s .. %s):" % ("%04d-%02d" % TERM_FROM, "%04d-%02d" % TERM_TO))
    a = flow_sum({"admissions"}, TERM_FROM, TERM_TO)
    check(a == REF_ADMISSIONS, "admitted: %s" % vn(a))
    r = flow_sum({"full_recognitions"}, TERM_FROM, TERM_TO)
    check(r == REF_FULL_RECOGNITIONS, "recognised as full members: %s" % vn(r))
    i_ = flow_sum(set(insp), TERM_FROM, TERM_TO)
    check(i_ > REF_INSPECTIONS_MIN, "inspection and supervision occasions: %s (over 2.000)" % vn(i_))
    d = flow_sum({"discipline_members"}, TERM_FROM, TERM_TO)
    check(d == REF_DISCIPLINED, "members disciplined: %s (%s)" % (vn(d), ", ".join(
        "%s %d" % (c, flow_sum({"discipline_members"}, TERM_FROM, TERM_TO, c)) for c, _, _ in DISCIPLINE_MEMBER_CATS)))
    rm = flow_sum({"removed_from_rolls"}, (2017, 1), (2019, 6))
    rm_all = flow_sum({"removed_from_rolls"}, (2015, 1), (2019, 6))
    check(rm == REF_REMOVED and rm_all == rm, "removed from the rolls since 2017: %s (none recorded before 2017)" % rm)
    kh = sum(int(r["value"]) for r in vrows if r["indicator"] == "rating_members" and r["category"] == "kht"
             and r["period"] in ("2017", "2018", "2019"))
    check(kh == REF_KHT_MEMBERS, "members rated 'Không hoàn thành nhiệm vụ', ratings 2017–2019: %d" % kh)
    print("  info  over the whole calendar years of the term (from 2015-01): admitted %s, "
          "recognised %s, inspections+supervisions %s, disciplined %s"
          % (vn(flow_sum({"admissions"}, (2015, 1), TERM_TO)), vn(flow_sum({"full_recognitions"}, (2015, 1), TERM_TO)),
             vn(flow_sum(set(insp), (2015, 1), TERM_TO)), vn(flow_sum({"discipline_members"}, (2015, 1), TERM_TO))))

    print("Cadres at 2019-H1:")
    at = defaultdict(int)
    for r in vrows:
        if r["period"] == "2019-H1":
            at[r["indicator"]] += int(r["value"])
    check(at["secretary_is_head"] == REF_SECRETARIES and at["org_base_total"] == 105,
          "secretaries who also head their unit: %d of %d (%s)"
          % (at["secretary_is_head"], at["org_base_total"], pct(at["secretary_is_head"], at["org_base_total"])))
    check(Fraction(at["committee_female"], at["committee_members"]) == Fraction(1, 5)
          and Fraction(at["committee_young"], at["committee_members"]) == Fraction(11, 100),
          "committee members %d: women %d (%s), young %d (%s)"
          % (at["committee_members"], at["committee_female"], pct(at["committee_female"], at["committee_members"]),
             at["committee_young"], pct(at["committee_young"], at["committee_members"])))
    check(at["org_base_committees"] + at["org_base_cells"] == 105,
          "đảng bộ cơ sở %d, chi bộ cơ sở %d, chi bộ trực thuộc %d"
          % (at["org_base_committees"], at["org_base_cells"], at["org_sub_cells"]))

    print("Consistency:")
    known = set(inds)
    cat_ok = all(r["indicator"] in known and (r["category"] == "" if inds[r["indicator"]]["kind"] != "distribution"
                 else r["category"] in {c["code"] for c in inds[r["indicator"]]["categories"]}) for r in vrows)
    check(cat_ok and all(r["indicator"] in known for r in trows),
          "every indicator and category used is in the catalogue (%d indicators)" % len(inds))
    check(cat.get("terms") == TERMS, "catalogue terms: %s" % ", ".join(
        "%s (%s .. %s)" % (t["code"], t["first"], t["last"]) for t in cat.get("terms", [])))
    check(all(i["part_of"] in known for i in inds.values() if "part_of" in i)
          and all(i["numerator"] in known and i["denominator"].replace("target:", "") in known
                  for i in inds.values() if i["kind"] == "ratio"), "part_of, numerators and denominators resolve")

    def period_days(p):
        if len(p) == 4:
            return "%s-01-01" % p, "%s-12-31" % p
        if p[5] == "H":
            y = p[:4]
            return ((y + "-01-01", y + "-06-30") if p[6] == "1" else (y + "-07-01", y + "-12-31"))
        if len(p) == 9 and p[4] == "-" and p[5] != "H":
            return "%s-01-01" % p[:4], "%s-12-31" % p[5:]
        last = month_last_day(mon(int(p[:4]), int(p[5:7]))).isoformat()
        return p + "-01", last

    bad = 0
    for r in vrows:
        a_, b_ = period_days(r["period"])
        rr = row_on(r["org"], b_) if inds[r["indicator"]]["kind"] != "flow" and not (
            inds[r["indicator"]].get("over_time") == "flow") else (row_on(r["org"], b_) or row_on(r["org"], a_))
        committee_zero = rr is not None and r["org"] in (BLOC, CQD, UBND) and r["value"] == "0"
        if rr is None or not (levels[rr["level"]]["base"] or committee_zero):
            bad += 1
    check(bad == 0, "values only for organisations that exist in their period: base organisations, and the "
                    "committees' own zeros (%d rows)" % len(vrows))
    tgt_bad = sum(1 for r in trows if r["org"] not in intervals or r["indicator"] != "admissions")
    check(tgt_bad == 0, "targets name known organisations (%d rows)" % len(trows))

    stock = defaultdict(dict)
    for r in vrows:
        if r["category"] == "":
            stock[(r["org"], r["period"])][r["indicator"]] = int(r["value"])
    for c in base_ref:
        for k in WIDE_INDICATORS:
            stock[(c, "2019-H1")][k] = wide[c][lab[k]]
    parts_ok = True
    for key, s in stock.items():
        if "members_total" in s:
            t = s["members_total"]
            parts_ok &= s["members_full"] + s["members_probationary"] == t
            parts_ok &= all(s[x] <= t for x in ("members_female", "members_youth", "members_ethnic_minority"))
        if "committee_members" in s:
            parts_ok &= s["committee_female"] <= s["committee_members"] and s["committee_young"] <= s["committee_members"]
        if "admissions" in s:
            parts_ok &= s.get("admissions_from_youth_union", 0) <= s["admissions"]
            parts_ok &= s.get("admissions_female", 0) <= s["admissions"]
        parts_ok &= "admissions_from_youth_union" not in s or "admissions" in s
        parts_ok &= "admissions_female" not in s or "admissions" in s
    check(parts_ok, "parts never exceed their whole; full + probationary = total everywhere")
    rm_sum = defaultdict(int)
    for r in vrows:
        if r["indicator"] == "rating_members":
            rm_sum[(r["org"], r["period"] + "-H2")] += int(r["value"])
    check(all(v == stock[k]["members_total"] for k, v in rm_sum.items()),
          "members rated each year = members at 31/12 (%d organisation-years)" % len(rm_sum))
    ro = defaultdict(int)
    for r in vrows:
        if r["indicator"] == "rating_orgs":
            ro[(r["org"], r["period"])] += int(r["value"])
            old = int(r["period"]) <= 2017
            if (r["category"] in OLD_ORG_SCALE) != old and r["category"] not in ("htt", "ht"):
                ro[("scale", "")] = 99
    check(all(v == 1 for v in ro.values()), "one rating per organisation and year; old scale 2015–2017, current 2018–")
    live = [c for c in intervals if row_on(c, "2026-10-31") and levels[row_on(c, "2026-10-31")["level"]]["base"]]
    adm26 = defaultdict(int)
    for r in vrows:
        if r["indicator"] == "admissions" and r["period"].startswith("2026-"):
            adm26[r["org"]] += int(r["value"])
    none26 = sorted(c for c in live if adm26[c] == 0)
    check(8 <= len(none26) <= 12, "organisations with no admissions yet in 2026: %d of %d" % (len(none26), len(live)))
    yt = defaultdict(int)
    for r in trows:
        if len(r["period"]) == 4 and r["org"].count("-") == 2:
            yt[r["period"]] += int(r["value"])
    bloc_t = {r["period"]: int(r["value"]) for r in trows if r["org"] == BLOC}
    check(all(yt[str(y)] == bloc_t[str(y)] for y in range(2015, 2025)) and bloc_t["2015-2020"] == 1800,
          "base organisations' yearly targets add up to the bloc's (2015–2024); bloc term 2015-2020: %s"
          % vn(bloc_t["2015-2020"]))
    adm_y = {y: flow_sum({"admissions"}, (y, 1), (y, 12)) for y in range(2015, 2026)}
    print("  info  admissions by year: " + ", ".join("%d %s/%s" % (y, adm_y[y], yt[str(y)]) for y in adm_y))
    mt = {y: sum(v["members_total"] for (o, p), v in stock.items() if p == "%d-H2" % y and "members_total" in v)
          for y in range(2015, 2026)}
    print("  info  members at 31/12: " + ", ".join("%d %s" % (y, vn(mt[y])) for y in mt))
    size = os.path.getsize(P("values.csv"))
    check(size < 8 * 1024 * 1024, "values.csv is %.1f MB" % (size / 1048576))
    return all(ok)


if not verify():
    sys.exit("verification failed")
print("all reference figures hold; files in %s" % OUT)
