// Every word of the import page in Vietnamese (first) and English, how numbers and times are written in each, and
// the importer's reasons in Vietnamese: syncd writes them in English, each from one of the patterns below; one
// no pattern knows is shown as syncd wrote it. The choice of language is the console's (localStorage).
const LANGUAGE_KEY = "chiso.console.language";

// key: [Vietnamese, English]; {0}, {1}... are filled by t().
const STRINGS = {
  "app.title": ["chiso · Nhập số liệu", "chiso · Import figures"],
  "app.subtitle": ["· Nhập số liệu", "· Import figures"],
  "meta.forget": ["Quên mã truy cập", "Forget token"],
  "meta.revision": ["Bản số liệu hiện tại: {0}", "Current revision: {0}"],
  "login.title": ["Mã truy cập của cán bộ thống kê", "Statistician's token"],
  "login.intro": ["Trang này kiểm tra tệp số liệu, cho xem trước những gì sẽ thay đổi, áp dụng và hoàn tác. Cần mã " +
                  "truy cập của cán bộ thống kê (hoặc quản trị), tạo trên máy chủ bằng",
                  "This page checks a file of figures, shows what applying it would change, applies it and undoes " +
                  "it. It needs a statistician's (or admin) token, made on the server with"],
  "login.kept": ["Mã chỉ được giữ trong thẻ trình duyệt này.", "The token is kept in this tab only."],
  "login.token": ["Mã truy cập", "Token"],
  "login.submit": ["Mở trang nhập số liệu", "Open the import page"],
  "error.401": ["Máy chủ từ chối mã này (401: {0}). Hãy nhập mã của cán bộ thống kê hoặc quản trị.",
                "The server refused this token (401: {0}). Enter a statistician's or admin token."],
  "error.403": ["Mã này không được nhập số liệu (403: {0}). Hãy nhập mã của cán bộ thống kê hoặc quản trị.",
                "This token may not import (403: {0}). Enter a statistician's or admin token."],
  "error.http": ["chiso-syncd trả lời {0}: {1}", "chiso-syncd answered {0}: {1}"],
  "error.network": ["Không kết nối được chiso-syncd.", "Cannot reach chiso-syncd."],
  "error.too_large": ["Tệp quá lớn so với giới hạn của máy chủ (413).", "The file is larger than the server takes (413)."],

  "upload.title": ["Kiểm tra một tệp", "Check a file"],
  "upload.hint": ["Tệp CSV, JSON hoặc Excel (.xlsx). Tệp được kiểm tra toàn bộ và chưa thay đổi gì cho đến khi bấm " +
                  "«Áp dụng».",
                  "A CSV, JSON or Excel (.xlsx) file. It is checked whole, and nothing changes until you press " +
                  "“Apply”."],
  "upload.kind": ["Loại số liệu", "What it holds"],
  "upload.file": ["Tệp", "File"],
  "upload.drop": ["hoặc kéo thả tệp vào đây", "or drop the file here"],
  "upload.check": ["Kiểm tra", "Check"],
  "kind.values": ["Số liệu", "Figures"],
  "kind.targets": ["Chỉ tiêu", "Targets"],
  "kind.organisations": ["Tổ chức đảng", "Organisations"],
  "kind.catalogue": ["Danh mục chỉ số", "Catalogue"],
  "kind.undo": ["Hoàn tác", "Undo"],
  "progress.sending": ["Đang gửi tệp… {0} %", "Sending the file… {0} %"],
  "progress.checking": ["Đang kiểm tra {0} trên máy chủ…", "Checking {0} on the server…"],
  "progress.applying": ["Đang áp dụng {0}…", "Applying {0}…"],
  "progress.checked": ["Đã kiểm tra {0} trong {1} giây.", "{0} checked in {1} s."],

  "problems.title": ["{0}: {1} lỗi, chưa áp dụng gì", "{0}: {1} problems, nothing applied"],
  "problems.nothing": ["Chưa có gì thay đổi. Sửa tệp rồi kiểm tra lại.",
                       "Nothing has changed. Correct the file and check it again."],
  "problems.more": ["… và {0} lỗi nữa không liệt kê.", "… and {0} more not listed."],
  "problems.sheet": ["Trang tính", "Sheet"],
  "problems.row": ["Dòng", "Row"],
  "problems.column": ["Cột", "Column"],
  "problems.content": ["Nội dung ô", "Cell"],
  "problems.reason": ["Lý do", "Reason"],
  "problems.whole": ["cả tệp", "whole file"],

  "preview.title": ["Nếu áp dụng tệp này", "If this file is applied"],
  "preview.counts": ["{0} dòng: {1} số liệu mới, {2} thay đổi, {3} không đổi; {4} tổ chức.",
                     "{0} rows: {1} new figures, {2} changed, {3} unchanged; {4} organisations."],
  "preview.structure": ["{0} dòng hợp lệ. Tệp này thay đổi {1}: không có bảng so sánh số liệu.",
                        "{0} rows, all correct. This file changes the {1}: there is no table of figures to compare."],
  "preview.root": ["Toàn đảng bộ", "The whole organisation"],
  "preview.indicator": ["Chỉ số", "Indicator"],
  "preview.period": ["Kỳ", "Period"],
  "preview.before": ["Trước", "Before"],
  "preview.after": ["Sau", "After"],
  "preview.change": ["Thay đổi", "Change"],
  "preview.target": ["chỉ tiêu", "target"],
  "preview.more_figures": ["… và {0} số liệu nữa.", "… and {0} more figures."],
  "preview.more_organisations": ["… và {0} tổ chức nữa.", "… and {0} more organisations."],
  "preview.apply": ["Áp dụng", "Apply"],
  "preview.cancel": ["Bỏ qua", "Discard"],
  "applied": ["Đã áp dụng {0}: {1} dòng, bản số liệu {2}. Các màn hình cập nhật trong ít phút.",
              "{0} applied: {1} rows, revision {2}. Screens follow within minutes."],
  "undone": ["Đã hoàn tác bản số liệu {0}: trả lại {1} số liệu, bản số liệu {2}.",
             "Revision {0} undone: figures put back: {1}; revision {2}."],

  "history.title": ["Các lần nhập", "Imports"],
  "history.revision": ["Bản số liệu", "Revision"],
  "history.when": ["Lúc", "When"],
  "history.kind": ["Loại", "Kind"],
  "history.file": ["Tệp", "File"],
  "history.rows": ["Số dòng", "Rows"],
  "history.who": ["Người nhập", "By"],
  "history.checksum": ["Mã kiểm tra (SHA-256)", "Checksum (SHA-256)"],
  "history.undo": ["Hoàn tác", "Undo"],
  "history.redo": ["Làm lại", "Redo"],
  "history.undoes": ["hoàn tác bản {0}", "undoes {0}"],
  "history.confirm": ["Hoàn tác bản số liệu {0} ({1})? Các số liệu trước đó được trả lại thành một bản mới.",
                      "Undo revision {0} ({1})? The figures it replaced are put back as a new revision."],
  "history.empty": ["Chưa có lần nhập nào.", "No imports yet."],
};

// The importer's reasons (services/importer), English pattern → Vietnamese; $1, $2... are the pattern's parts.
const REASONS = [
  [/^not a whole number: (.*)$/s, "không phải số nguyên: $1"],
  [/^a count cannot be negative: (.*)$/s, "số đếm không thể âm: $1"],
  [/^too large for a count: (.*) \(at most (\d+)\)$/s, "quá lớn: $1 (tối đa $2)"],
  [/^unknown organisation (.*)$/s, "không có tổ chức $1"],
  [/^unknown indicator (.*)$/s, "không có chỉ số $1"],
  [/^unknown category (.*) of (.*)$/s, "không có phân loại $1 của $2"],
  [/^unknown column (.*)$/s, "không có cột $1"],
  [/^unknown field$/, "không có trường này"],
  [/^unknown level (.*)$/s, "không có cấp $1"],
  [/^unknown organisation type (.*)$/s, "không có loại hình $1"],
  [/^unknown parent organisation (.*) of (.*)$/s, "không có tổ chức cấp trên $1 của $2"],
  [/^bad period (.*?): expected .*$/s, "kỳ không hợp lệ $1: cần dạng tháng 2026-03, quý 2026-Q1, 6 tháng 2026-H1, 9 " +
                                        "tháng 2026-9M, năm 2026, nhiệm kỳ 2020-2025 hoặc các tháng 2015-09..2019-06"],
  [/^bad date (.*?): expected YYYY-MM-DD$/s, "ngày không hợp lệ $1: cần dạng YYYY-MM-DD"],
  [/^(.*) is a ratio: it is computed from its numerator and denominator$/s,
   "$1 là tỷ lệ: được tính từ tử số và mẫu số, không nhập"],
  [/^(.*) is a distribution: a category is needed$/s, "$1 là chỉ số phân loại: cần cột phân loại"],
  [/^(.*) has no categories$/s, "$1 không có phân loại"],
  [/^organisation (.*) did not exist during (.*)$/s, "tổ chức $1 không tồn tại trong kỳ $2"],
  [/^a duplicate of (.*) with another value \((.*), here (.*)\)$/s, "trùng với $1 nhưng khác giá trị ($2, ở đây $3)"],
  [/^the part (.*) \((.*)\) is larger than its whole (.*) \((.*)\)$/s, "phần $1 ($2) lớn hơn tổng $3 ($4)"],
  [/^the whole (.*) \((.*)\) is smaller than its stored part (.*) \((.*)\)$/s,
   "tổng $1 ($2) nhỏ hơn phần $3 đã có ($4)"],
  [/^the column (.*) is missing$/s, "thiếu cột $1"],
  [/^column (.*) appears twice$/s, "cột $1 xuất hiện hai lần"],
  [/^expected (\d+) fields, found (\d+)$/, "cần $1 trường, có $2"],
  [/^the file is empty: a header line is expected$/, "tệp rỗng: cần một dòng tiêu đề"],
  [/^a quoted field is never closed$/, "một trường có dấu ngoặc kép không được đóng"],
  [/^this cell is right of the table's last header: .*$/s,
   "ô này nằm bên phải cột tiêu đề cuối cùng: hãy đặt tiêu đề cho cột hoặc xóa ô"],
  [/^the formula(.*) was saved without being calculated .*$/s,
   "công thức$1 được lưu mà chưa tính: giá trị chưa biết. Hãy mở tệp bằng chương trình bảng tính và lưu lại"],
  [/^the formula(.*) has no saved value: .*$/s,
   "công thức$1 không có giá trị đã lưu. Hãy mở tệp bằng chương trình bảng tính và lưu lại"],
  [/^no sheet has a table: .*$/s, "không trang tính nào có bảng: cần một dòng tiêu đề có cột tổ chức"],
  [/^this is a zip archive, as an Excel workbook is: .*$/s,
   "đây là tệp nén như tệp Excel: hãy đặt tên tệp .xlsx"],
  [/^not a zip archive, as an \.xlsx workbook is: (.*)$/s, "không phải tệp Excel (.xlsx) hợp lệ: $1"],
  [/^not an Excel workbook \(\.xlsx\): .*$/s, "không phải tệp Excel (.xlsx)"],
  [/^(.*) unpacks to (.*), more than the (.*) left of what a workbook may unpack to$/s,
   "$1 giải nén ra $2, vượt giới hạn $3 của một tệp Excel"],
  [/^(.*) unpacks to more than the (.*) bytes it declares$/s, "$1 giải nén ra nhiều hơn $2 byte như khai báo"],
  [/^(.*) has a document type declaration \(DTD\).*$/s, "$1 có khai báo DTD, điều một tệp Excel không bao giờ có"],
  [/^(.*) is damaged: (.*)$/s, "$1 bị hỏng: $2"],
  [/^(.*) is not well-formed XML (.*)$/s, "$1 không phải XML hợp lệ $2"],
  [/^(.*) is missing$/s, "thiếu $1"],
  [/^not valid JSON: (.*)$/s, "không phải JSON hợp lệ: $1"],
  [/^an organisation needs a code$/, "tổ chức cần có mã"],
  [/^an organisation needs a name$/, "tổ chức cần có tên"],
  [/^a base organisation needs its organisation type.*$/s, "tổ chức cơ sở đảng cần có loại hình"],
  [/^overlaps another interval of (.*) \((.*) to (.*)\)$/s, "trùng thời gian với một giai đoạn khác của $1 ($2 đến $3)"],
  [/^(.*) cannot be its own parent$/s, "$1 không thể là cấp trên của chính nó"],
  [/^the parent (.*) does not exist on (.*)$/s, "tổ chức cấp trên $1 không tồn tại vào ngày $2"],
  [/^ends before it begins$/, "kết thúc trước khi bắt đầu"],
  [/^'<' is not allowed: .*$/s, "không được dùng ký tự '<': tên và nhãn hiển thị đúng như viết"],
];

let language = localStorage.getItem(LANGUAGE_KEY) === "en" ? "en" : "vi";
const listeners = [];
const locale = () => (language === "en" ? "en-GB" : "vi-VN");

export function t(key, ...args) {
  const words = STRINGS[key] ? STRINGS[key][language === "en" ? 1 : 0] : key;
  return words.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
}

// The importer's reason in the language shown: a JSON path before it (values[3].value: ...) is kept as it is.
export function reason(text) {
  if (language === "en") return text;
  const path = /^([A-Za-z_]+\[\d+\][^:]*): (.*)$/s.exec(text);
  const [prefix, rest] = path ? [path[1] + ": ", path[2]] : ["", text];
  for (const [pattern, words] of REASONS)
    if (pattern.test(rest)) return prefix + rest.replace(pattern, words);
  return text;
}

export const onLanguage = (listener) => listeners.push(listener);
export const number = (n) => new Intl.NumberFormat(locale()).format(n);
export function dateTime(iso) {
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? iso
    : new Intl.DateTimeFormat(locale(), { day: "numeric", month: "numeric", year: "numeric", hour: "2-digit",
                                          minute: "2-digit", second: "2-digit" }).format(when);
}

export function applyLanguage() {
  document.documentElement.lang = language;
  document.title = t("app.title");
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  const toggle = document.getElementById("language");
  toggle.textContent = language === "en" ? "Tiếng Việt" : "English";
  toggle.lang = language === "en" ? "vi" : "en";
  for (const listener of listeners) listener();
}

export function toggleLanguage() {
  language = language === "en" ? "vi" : "en";
  localStorage.setItem(LANGUAGE_KEY, language);
  applyLanguage();
}
