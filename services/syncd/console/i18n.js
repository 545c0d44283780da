// Every word of IT's console in Vietnamese (first) and English, and how numbers, durations and times are written in
// each. The choice is kept in localStorage; applyLanguage() rewrites every element marked data-i18n, and each part
// of the console redraws what it built (onLanguage). Statuses are syncd's; only their names are translated here.
const LANGUAGE_KEY = "chiso.console.language";

// key: [Vietnamese, English]; {0}, {1}... are filled by t().
const STRINGS = {
  "app.title": ["chiso · Bảng điều khiển IT", "chiso · IT console"],
  "app.subtitle": ["· Bảng điều khiển IT", "· IT console"],
  "counts.label": ["Số màn hình theo trạng thái", "Screens by status"],
  "meta.refresh": ["Làm mới", "Refresh"],
  "meta.forget": ["Quên mã truy cập", "Forget token"],
  "meta.updated": ["cập nhật {0}", "updated {0}"],
  "meta.loading": ["đang tải…", "loading…"],
  "tab.table": ["Bảng", "Table"],
  "tab.wall": ["Tường ảnh", "Wall"],
  "tab.settings": ["Cài đặt hiển thị", "Display settings"],
  "tab.enrol": ["Đăng ký màn hình mới", "Enrol a new screen"],

  "login.title": ["Mã truy cập của IT", "IT token"],
  "login.intro": ["Bảng điều khiển liệt kê mọi màn hình với tín hiệu gần nhất, ảnh chụp và cài đặt. Cần mã truy cập " +
                  "của IT (hoặc quản trị), tạo trên máy chủ bằng",
                  "The console lists every screen with its last heartbeat, screenshot and settings. It needs an IT " +
                  "(or admin) token, made on the server with"],
  "login.kept": ["Mã chỉ được giữ trong thẻ trình duyệt này.", "The token is kept in this tab only."],
  "login.token": ["Mã truy cập", "Token"],
  "login.submit": ["Mở bảng điều khiển", "Open the console"],

  "error.401": ["Máy chủ từ chối mã này (401: {0}). Hãy nhập mã của IT hoặc quản trị.",
                "The server refused this token (401: {0}). Enter an IT or admin token."],
  "error.403": ["Mã này không phải của IT hoặc quản trị (403: {0}). Hãy nhập mã của IT hoặc quản trị.",
                "This token is not an IT or admin token (403: {0}). Enter an IT or admin token."],
  "error.http": ["chiso-syncd trả lời {0}: {1}. Thử lại sau mỗi {2} giây.",
                 "chiso-syncd answered {0}: {1}. Trying again every {2} s."],
  "error.unreachable": ["Không kết nối được chiso-syncd ({0}). Thử lại sau mỗi {1} giây",
                        "Cannot reach chiso-syncd ({0}). Trying again every {1} s"],
  "error.kept": ["; bảng vẫn hiện lần trả lời cuối.", "; the table shows the last answer."],
  "error.timeout": ["không có trả lời sau {0} giây", "no answer within {0} s"],
  "error.network": ["lỗi mạng", "network error"],

  "status.silent": ["Im lặng", "Silent"],
  "status.never_seen": ["Chưa từng kết nối", "Never seen"],
  "status.display_disconnected": ["Mất kết nối màn hình", "No display"],
  "status.display_off": ["Màn hình tắt trong giờ", "Display off"],
  "status.stale": ["Số liệu cũ", "Stale"],
  "status.online": ["Hoạt động", "Online"],
  "status.revoked": ["Đã thu hồi", "Revoked"],
  "reason.silent": ["không có tín hiệu {0} (im lặng sau {1})"],
  "reason.never_seen": ["chưa gửi tín hiệu nào kể từ khi được cấp mã"],
  "reason.display_disconnected": ["không có màn hình nào được cắm"],
  "reason.display_disconnected_at": ["không có màn hình nào được cắm ({0} ngắt kết nối)"],
  "reason.display_off": ["màn hình ở chế độ chờ trong giờ hoạt động (HDMI-CEC)"],
  "reason.no_data": ["đang chạy nhưng chưa có số liệu"],
  "reason.stale": ["số liệu từ {0} trước (quá hạn sau {1})"],
  "reason.online_now": ["tín hiệu vừa xong, số liệu từ {0} trước"],
  "reason.online": ["tín hiệu {0} trước, số liệu từ {1} trước"],
  "reason.revoked": ["mã truy cập đã bị thu hồi"],

  "thresholds": ["Im lặng khi quá {0} không có tín hiệu · số liệu cũ khi quá {1} · làm mới mỗi {2} giây",
                 "Silent after {0} without a heartbeat · stale when a screen's data is older than {1} · " +
                 "refreshed every {2} s"],
  "col.name": ["Màn hình", "Screen"],
  "col.scope": ["Tổ chức", "Organisation"],
  "col.groups": ["Nhóm", "Groups"],
  "col.status": ["Trạng thái", "Status"],
  "col.heartbeat": ["Tín hiệu gần nhất", "Last heartbeat"],
  "col.revision": ["Bản số liệu", "Revision"],
  "col.data_age": ["Tuổi số liệu", "Data age"],
  "col.page": ["Trang", "Page"],
  "col.display": ["Màn hình hiển thị", "Display"],
  "col.settings": ["Cài đặt", "Settings"],
  "table.empty": ["Chưa có màn hình nào. Hãy đăng ký một màn hình mới.", "No screens yet. Enrol a new one."],
  "never": ["chưa bao giờ", "never"],
  "no_data": ["chưa có số liệu", "no data"],
  "just_now": ["vừa xong", "just now"],
  "ago": ["{0} trước", "{0} ago"],
  "display.none": ["Không có màn hình", "No display"],
  "display.standby": ["Chờ", "Standby"],
  "display.schedule_off": ["Tắt theo lịch", "Off (schedule)"],
  "display.on": ["Bật", "On"],
  "display.cec": ["CEC: {0}", "CEC: {0}"],
  "power.on": ["bật", "on"],
  "power.standby": ["chờ", "standby"],
  "power.unknown": ["không rõ", "unknown"],
  "settings.current": ["Đã áp dụng", "Applied"],
  "settings.pending": ["Chưa áp dụng", "Not yet applied"],
  "settings.pending_title": ["Tín hiệu gần nhất của màn hình chưa báo đang dùng cài đặt mới nhất",
                             "The screen's last heartbeat does not name its latest settings"],

  "wall.hint": ["Ảnh chụp gần nhất của mỗi màn hình, kèm bản số liệu nó đang hiển thị. Bấm vào một ảnh để xem cỡ " +
                "thật hoặc chụp ảnh mới.",
                "Each screen's latest screenshot, with the data revision it shows. Click one to see it at full size " +
                "or to take a new one."],
  "wall.empty": ["Chưa có màn hình nào.", "No screens yet."],
  "wall.no_shot": ["Chưa có ảnh chụp", "No screenshot yet"],
  "wall.heartbeat": ["Theo tín hiệu: bản {0} · {1}", "From its heartbeat: revision {0} · {1}"],
  "wall.loading": ["Đang tải ảnh…", "Loading the image…"],
  "wall.pending": ["Đang chờ màn hình gửi ảnh mới…", "Waiting for the screen to send a new screenshot…"],
  "wall.open": ["Xem ảnh chụp của {0}", "Open the screenshot of {0}"],
  "wall.revision": ["Bản {0}", "Revision {0}"],
  "wall.unsupported": ["Máy chủ này chưa có ảnh chụp màn hình (cần chiso-syncd mới hơn).",
                       "This server has no screenshots yet (it needs a newer chiso-syncd)."],
  "wall.list_failed": ["Không tải được danh sách ảnh chụp ({0}).", "Could not load the screenshots ({0})."],
  "shot.close": ["Đóng", "Close"],
  "shot.request": ["Chụp ngay", "Take one now"],
  "shot.caption": ["Bản số liệu {0} · {1} · vẽ lúc {2} · nhận lúc {3} · {4} điểm ảnh",
                   "Revision {0} · {1} · drawn {2} · received {3} · {4} pixels"],
  "shot.waiting": ["Đã gửi yêu cầu; đang chờ màn hình chụp và gửi ảnh…",
                   "Asked; waiting for the screen to take and send it…"],
  "shot.arrived": ["Ảnh mới đã đến lúc {0}.", "The new screenshot came at {0}."],
  "shot.late": ["Màn hình chưa gửi ảnh sau {0} giây. Nó có đang hoạt động không?",
                "The screen has not sent it after {0} s. Is it running?"],
  "shot.refused": ["Không gửi được yêu cầu ({0}).", "The request was refused ({0})."],

  "layers.label": ["Lớp cài đặt", "Settings layers"],
  "layers.title": ["Lớp cài đặt", "Settings layers"],
  "layers.hint": ["Màn hình dùng giá trị của lớp cụ thể nhất: của chính nó, rồi của các nhóm (theo thứ tự), rồi " +
                  "mặc định.",
                  "A screen takes each value from its most specific layer: its own, then its groups (in order), " +
                  "then the defaults."],
  "layers.marker": ["lớp có giá trị riêng", "a layer with values of its own"],
  "layers.groups": ["Nhóm", "Groups"],
  "layers.devices": ["Màn hình", "Screens"],
  "layers.no_groups": ["Chưa có nhóm. Một nhóm có ngay khi một màn hình được đặt vào nó.",
                       "No groups yet. A group exists as soon as a screen is put in it."],
  "layer.defaults": ["Mặc định", "Defaults"],
  "layer.defaults_detail": ["mọi màn hình", "every screen"],
  "layer.defaults_title": ["Mặc định cho mọi màn hình", "Defaults for every screen"],
  "layer.group": ["Nhóm {0}", "Group {0}"],
  "layer.group_title": ["Nhóm {0}", "Group {0}"],
  "layer.device_title": ["Màn hình {0}", "Screen {0}"],
  "layer.device": ["Màn hình này", "This screen"],
  "layer.member": ["1 màn hình", "1 screen"],
  "layer.members": ["{0} màn hình", "{0} screens"],
  "settings.hint": ["Để trống một ô: lớp này không đặt giá trị đó, màn hình lấy nó từ lớp dưới.",
                    "Leave a field empty and this layer does not set it: the screen takes it from the layer beneath."],
  "pages.legend": ["Trang hiển thị, theo thứ tự", "Pages shown, in order"],
  "pages.inherited": ["Không chọn trang nào: lấy từ lớp dưới ({0}).", "No page ticked: from the layer beneath ({0})."],
  "pages.up": ["Đưa {0} lên", "Move {0} up"],
  "pages.down": ["Đưa {0} xuống", "Move {0} down"],
  "field.pages": ["Trang hiển thị", "Pages"],
  "field.dwell_seconds": ["Thời gian mỗi trang (giây)", "Seconds per page"],
  "field.language": ["Ngôn ngữ", "Language"],
  "field.theme": ["Giao diện", "Theme"],
  "field.rotation": ["Xoay màn hình", "Rotation"],
  "field.pin_page": ["Ghim một trang", "Pin one page"],
  "field.stale_minutes": ["Báo số liệu cũ sau (phút)", "Data stale after (minutes)"],
  "field.schedule": ["Lịch bật màn hình", "Display schedule"],
  "field.pixel_shift": ["Dịch điểm ảnh (chống lưu ảnh)", "Pixel shift (burn-in guard)"],
  "field.review": ["Kỳ sơ kết, tổng kết", "Review period"],
  "settings.review_hint": ["Mọi trang hiển thị kỳ này: 2019-H1, 2019, 2015-2020 (nhiệm kỳ) hoặc 2015-09..2019-06",
                           "Every page shows this period: 2019-H1, 2019, 2015-2020 (a term) or 2015-09..2019-06"],
  "settings.schedule_hint": ['always, hoặc {"on": "07:00", "off": "19:00", "days": ["mon", "tue", "wed", "thu", "fri"]}',
                             'always, or {"on": "07:00", "off": "19:00", "days": ["mon", "tue", "wed", "thu", "fri"]}'],
  "inherit.option": ["— lấy từ lớp dưới: {0} —", "— from beneath: {0} —"],
  "inherit.placeholder": ["lấy từ lớp dưới: {0}", "from beneath: {0}"],
  "inherit.kiosk": ["cấu hình của máy", "the kiosk's own"],
  "settings.save": ["Lưu lớp này", "Save this layer"],
  "settings.reset": ["Bỏ thay đổi", "Undo changes"],
  "settings.clear": ["Để trống mọi ô", "Empty every field"],
  "settings.saved": ["Đã lưu lúc {0}. Các màn hình nhận cài đặt mới trong vài giây.",
                     "Saved at {0}. The screens take the new settings within seconds."],
  "settings.refused": ["Máy chủ không nhận lớp này ({0}); không có gì được lưu:",
                       "The server refused this layer ({0}); nothing was saved:"],
  "groups.title": ["Nhóm của màn hình", "The screen's groups"],
  "groups.hint": ["Tên nhóm cách nhau bằng dấu phẩy, theo thứ tự; nhóm sau thắng nhóm trước. Một nhóm mới có ngay " +
                  "khi bạn đặt một màn hình vào nó.",
                  "Group names separated by commas, in order; a later group wins over an earlier one. A new group " +
                  "exists as soon as you put a screen in it."],
  "groups.save": ["Lưu nhóm", "Save groups"],
  "groups.saved": ["Đã lưu nhóm lúc {0}.", "Groups saved at {0}."],
  "groups.refused": ["Máy chủ không nhận các nhóm này ({0}):", "The server refused these groups ({0}):"],
  "members.title": ["Màn hình trong nhóm", "Screens in this group"],
  "effective.title": ["Kết quả trên màn hình", "What a screen gets"],
  "effective.device": ["Màn hình", "Screen"],
  "effective.key": ["Cài đặt", "Setting"],
  "effective.value": ["Giá trị", "Value"],
  "effective.from": ["Từ lớp", "From"],
  "effective.note": ["Theo các giá trị đã lưu. Cài đặt không lớp nào đặt: màn hình dùng cấu hình của chính nó.",
                     "From the saved values. A setting no layer sets: the screen uses its own configuration."],

  "enrol.title": ["Đăng ký màn hình mới", "Enrol a new screen"],
  "enrol.hint": ["Một màn hình mới, chưa có mã truy cập, hiện một mã đăng ký. Nhập mã đó, đặt tên cho màn hình và " +
                 "chọn tổ chức mà nó hiển thị: nó sẽ nhận mã truy cập và tải số liệu trong giây lát.",
                 "A new screen without a token shows an enrolment code. Type that code, name the screen and choose " +
                 "the organisation it shows: it receives its token and loads its figures within moments."],
  "enrol.code": ["Mã trên màn hình", "Code on the screen"],
  "enrol.name": ["Tên màn hình", "Screen name"],
  "enrol.org": ["Tổ chức (mã)", "Organisation (code)"],
  "enrol.groups": ["Nhóm (cách nhau bằng dấu phẩy)", "Groups (comma separated)"],
  "enrol.submit": ["Đăng ký", "Enrol"],
  "enrol.done": ["Đã đăng ký {0} ({1}). Màn hình sẽ nhận mã truy cập và hiện số liệu trong giây lát.",
                 "{0} ({1}) is enrolled. The screen receives its token and shows its figures within moments."],
  "enrol.400": ["Máy chủ không nhận đăng ký này:", "The server refused this enrolment:"],
  "enrol.unknown_org": ["Không có tổ chức nào mang mã này.", "No organisation has this code."],
  "enrol.404": ["Không có màn hình nào đang chờ với mã này (sai hoặc đã hết hạn).",
                "No screen is waiting with this code (wrong or expired)."],
  "enrol.409": ["Tên này đã được dùng cho một màn hình khác.", "This name is already in use."],
  "enrol.429": ["Nhập sai mã quá nhiều lần; hãy đợi một lát rồi thử lại.",
                "Too many wrong codes; wait a moment and try again."],
  "enrol.failed": ["Không đăng ký được ({0}):", "The enrolment failed ({0}):"],
  "enrol.unsupported": ["Máy chủ này chưa hỗ trợ đăng ký bằng mã (cần chiso-syncd mới hơn).",
                        "This server cannot enrol by code yet (it needs a newer chiso-syncd)."],

  "page.overview": ["Tổng quan", "Overview"],
  "page.membership": ["Đảng viên", "Membership"],
  "page.admission": ["Kết nạp", "Admissions"],
  "page.discipline": ["Kiểm tra, kỷ luật", "Discipline"],
  "page.rating": ["Xếp loại chất lượng", "Quality ratings"],
  "page.cadres": ["Cấp ủy – cán bộ", "Committees and cadres"],
  "value.seconds": ["{0} giây", "{0} s"],
  "value.minutes": ["{0} phút", "{0} min"],
  "value.vi": ["Tiếng Việt", "Vietnamese"],
  "value.en": ["Tiếng Anh", "English"],
  "value.dark": ["Tối", "Dark"],
  "value.light": ["Sáng", "Light"],
  "value.on": ["Bật", "On"],
  "value.off": ["Tắt", "Off"],
  "value.no_pin": ["Không ghim", "None"],
  "value.no_review": ["Số liệu mới nhất", "The latest figures"],
  "value.always": ["Luôn bật", "Always on"],
  "value.every_day": ["mọi ngày", "every day"],
  "day.mon": ["T2", "Mon"], "day.tue": ["T3", "Tue"], "day.wed": ["T4", "Wed"], "day.thu": ["T5", "Thu"],
  "day.fri": ["T6", "Fri"], "day.sat": ["T7", "Sat"], "day.sun": ["CN", "Sun"],
  "unit.s": ["giây", "s"], "unit.min": ["phút", "min"], "unit.h": ["giờ", "h"], "unit.d": ["ngày", "d"],
};

// The kiosk's pages (services/dashboard/dashboard.cpp), in the order a kiosk shows them by default.
export const PAGES = ["overview", "membership", "admission", "discipline", "rating", "cadres"];
// syncd's statuses, worst first, as it sorts them.
export const STATUS_ORDER = ["silent", "never_seen", "display_disconnected", "display_off", "stale", "online",
                             "revoked"];

let language = "vi";
try { if (localStorage.getItem(LANGUAGE_KEY) === "en") language = "en"; } catch { /* storage refused: Vietnamese */ }
const listeners = [];
const locale = () => (language === "en" ? "en-GB" : "vi-VN");

export function t(key, ...args) {
  const entry = STRINGS[key];
  if (!entry) return key;
  const text = entry[language === "en" ? 1 : 0] ?? entry[0];
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
}

export const onLanguage = (listener) => listeners.push(listener);

// Every element marked data-i18n (its text), data-i18n-aria-label, data-i18n-placeholder; the page's lang and title;
// and the toggle, which names the other language in that language.
export function applyLanguage() {
  document.documentElement.lang = language;
  document.title = t("app.title");
  for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll("[data-i18n-aria-label]"))
    element.setAttribute("aria-label", t(element.dataset.i18nAriaLabel));
  const toggle = document.getElementById("language");
  toggle.textContent = language === "vi" ? "English" : "Tiếng Việt";
  toggle.lang = language === "vi" ? "en" : "vi";
}

export function toggleLanguage() {
  language = language === "vi" ? "en" : "vi";
  try { localStorage.setItem(LANGUAGE_KEY, language); } catch { /* kept for this page only */ }
  applyLanguage();
  for (const listener of listeners) listener();
}

// ---- numbers, durations, times ------------------------------------------------------------------------------------

export const number = (n) => new Intl.NumberFormat(locale()).format(n);

// As a person reads it at a glance: "45 giây", "12 phút", "2 giờ 5 phút", "3 ngày 4 giờ" (minutes dropped past 10 h).
export function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const u = (n, unit) => n + " " + t("unit." + unit);
  if (s < 60) return u(s, "s");
  if (s < 3600) return u(Math.floor(s / 60), "min");
  if (s < 86400) {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h < 10 && m ? u(h, "h") + " " + u(m, "min") : u(h, "h");
  }
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
  return d < 10 && h ? u(d, "d") + " " + u(h, "h") : u(d, "d");
}

export const ago = (seconds) => (seconds < 5 ? t("just_now") : t("ago", duration(seconds)));

// A unix time: "14:03" today, "22/11 14:03" another day (the browser's time zone).
export function clock(unix) {
  const at = new Date(unix * 1000);
  const time = new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  if (at.toDateString() === new Date().toDateString()) return time;
  return new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit" }).format(at) + " " + time;
}

// A unix time in full: "14:03:27 22/11/2026".
export function dateTime(unix) {
  const at = new Date(unix * 1000);
  return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .format(at) + " " + new Intl.DateTimeFormat(locale(), { day: "2-digit", month: "2-digit", year: "numeric" }).format(at);
}

// ---- the words for syncd's values -----------------------------------------------------------------------------------

export const pageTitle = (page) => (PAGES.includes(page) ? t("page." + page) : page);
export const statusLabel = (status) => (STRINGS["status." + status] ? t("status." + status) : status);

// The reason under a status. In English, syncd's own line; in Vietnamese the same line, said from the same fields.
export function reasonText(d, limits) {
  if (language === "en" || !STRINGS["status." + d.status]) return d.reason || "";
  switch (d.status) {
    case "silent": return t("reason.silent", duration(d.silent_s), duration(limits.silent_after_s));
    case "display_disconnected":
      return d.display_connector ? t("reason.display_disconnected_at", d.display_connector)
                                 : t("reason.display_disconnected");
    case "stale":
      return d.data_age_s < 0 ? t("reason.no_data")
                              : t("reason.stale", duration(d.data_age_s), duration(limits.stale_after_s));
    case "online":
      return d.silent_s < 5 ? t("reason.online_now", duration(d.data_age_s))
                            : t("reason.online", duration(d.silent_s), duration(d.data_age_s));
    default: return t("reason." + d.status);
  }
}

function scheduleText(schedule) {
  if (schedule === "always") return t("value.always");
  if (!schedule || typeof schedule !== "object") return JSON.stringify(schedule);
  const hours = schedule.on || schedule.off ? (schedule.on || "…") + "–" + (schedule.off || "…") : "";
  const days = Array.isArray(schedule.days) ? schedule.days.map((d) => (STRINGS["day." + d] ? t("day." + d) : d))
                                                           .join(" ")
                                            : t("value.every_day");
  return [hours, days].filter(Boolean).join(", ");
}

// One setting's value for a person: "30 giây", "Tiếng Việt", "90°", "07:00–19:00, T2 T3 T4 T5 T6"...
export function settingText(key, value) {
  switch (key) {
    case "pages": return Array.isArray(value) ? value.map(pageTitle).join(", ") : JSON.stringify(value);
    case "dwell_seconds": return t("value.seconds", value);
    case "stale_minutes": return t("value.minutes", value);
    case "language": case "theme": return STRINGS["value." + value] ? t("value." + value) : String(value);
    case "rotation": return value + "°";
    case "pin_page": return value === "" ? t("value.no_pin") : pageTitle(value);
    case "review": return value === "" ? t("value.no_review") : String(value);
    case "schedule": return scheduleText(value);
    case "pixel_shift": return t(value ? "value.on" : "value.off");
    default: return typeof value === "string" ? value : JSON.stringify(value);
  }
}
