// Proof of render and enrolment by code on the real chiso-syncd: a device sends PNGs of its screen, IT lists them,
// opens one and asks for a new one (which ends the device's long-poll and names the request); enrolment opens a
// code without a token, IT claims it with a name, scope and groups, and the kiosk's key receives the token once.
// Bad input — not a PNG, too large (refused before the body is read), too soon, a wrong or used code, a bad
// name — is refused with a reason and stores nothing. Enrolment's expiry and rate limits run on a given clock.
#include "support/syncd_process.hpp"
#include "support/time_scale.hpp"
#include "syncd/enrolment.hpp"
#include "syncd/service.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <future>

namespace chiso::test {
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

void put_u32(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((value >> shift) & 0xff);
}

void put_chunk(std::string& out, const std::string& type, const std::string& data) {
    put_u32(out, static_cast<std::uint32_t>(data.size()));
    const std::string both = type + data;
    out += both;
    put_u32(out, static_cast<std::uint32_t>(
                     crc32(0, reinterpret_cast<const Bytef*>(both.data()), static_cast<uInt>(both.size()))));
}

// A real PNG of width × height grey pixels (zlib for its one IDAT).
std::string png(std::uint32_t width, std::uint32_t height) {
    std::string out("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    put_u32(header, width), put_u32(header, height);
    header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale
    put_chunk(out, "IHDR", header);
    std::string raw;
    for (std::uint32_t y = 0; y < height; ++y) raw += '\0' + std::string(width, '\x80');
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::string packed(size, '\0');
    compress(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(raw.data()),
             static_cast<uLong>(raw.size()));
    packed.resize(size);
    put_chunk(out, "IDAT", packed);
    put_chunk(out, "IEND", "");
    return out;
}

// Sends only the header of a screenshot upload announcing a megabyte, and reads the status syncd answers with;
// 0 when it answers nothing within 5 s (scaled), as it would if it waited for the body.
int status_from_header_alone(int port, const std::string& target, const std::string& token) {
    const int fd = connect_to(port);
    if (fd < 0) return -1;
    const timeval limit{static_cast<time_t>(std::chrono::duration_cast<std::chrono::seconds>(scaled(5s)).count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    const std::string header = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
                               "\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\n\r\n";
    ::send(fd, header.data(), header.size(), MSG_NOSIGNAL);
    char answer[64] = {};
    const ssize_t got = ::recv(fd, answer, sizeof answer - 1, 0);
    ::close(fd);
    const std::string text(answer, got > 0 ? static_cast<std::size_t>(got) : 0);
    return text.starts_with("HTTP/1.1 ") && text.size() >= 12 ? std::stoi(text.substr(9, 3)) : 0;
}

std::string shot_target(int revision, const std::string& page, std::int64_t request = 0) {
    std::string target = "/api/v1/screenshot?revision=" + std::to_string(revision) + "&page=" + page +
                         "&drawn_at=1796300000";
    if (request) target += "&request=" + std::to_string(request);
    return target;
}

}  // namespace

class SyncdScreens : public ::testing::Test {
protected:
    void SetUp() override {
        syncd.start();
        import_test_data(syncd);
        hall = syncd.add_device("hall-1", "U2");
        office = syncd.add_device("office", "U2");
        it = syncd.add_person("it-staff", "it");
        statistician = syncd.add_person("stats", "statistician");
    }
    void TearDown() override { syncd.stop(); }

    json::value list() const {
        const HttpResponse answer = syncd.get("/api/v1/screenshots", it);
        EXPECT_EQ(answer.status, 200) << answer.body;
        return json::parse(answer.body);
    }

    SyncdProcess syncd;
    std::string hall, office, it, statistician;
};

TEST_F(SyncdScreens, a_device_sends_its_screen_and_it_sees_the_latest_with_revision_and_page) {
    const std::string image = png(480, 270);
    const HttpResponse sent = syncd.post(shot_target(3, "overview"), hall, image);
    ASSERT_EQ(sent.status, 201) << sent.body;
    const std::int64_t id = json::parse(sent.body).at("id").as_int64();

    const json::value all = list();
    ASSERT_EQ(all.at("screenshots").as_array().size(), 1u);
    const json::value& shot = all.at("screenshots").at(0);
    EXPECT_EQ(shot.at("device"), "hall-1");
    EXPECT_EQ(shot.at("id").as_int64(), id);
    EXPECT_EQ(shot.at("revision").as_int64(), 3);
    EXPECT_EQ(shot.at("page"), "overview");
    EXPECT_EQ(shot.at("width").as_int64(), 480);
    EXPECT_EQ(shot.at("height").as_int64(), 270);
    EXPECT_EQ(shot.at("drawn_at").as_int64(), 1796300000);

    const HttpResponse opened = syncd.get("/api/v1/screenshot?id=" + std::to_string(id), it);
    ASSERT_EQ(opened.status, 200);
    EXPECT_EQ(opened.body, image);
    EXPECT_EQ(opened.header("content-type"), "image/png");
    EXPECT_EQ(opened.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(opened.header("chiso-revision"), "3");
    // Only IT and admins see them; only a device sends one.
    EXPECT_EQ(syncd.get("/api/v1/screenshots", statistician).status, 403);
    EXPECT_EQ(syncd.get("/api/v1/screenshot?id=" + std::to_string(id), hall).status, 403);
    EXPECT_EQ(syncd.post(shot_target(3, "overview"), it, image).status, 403);
}

TEST_F(SyncdScreens, it_asks_for_a_new_one_the_device_s_long_poll_ends_naming_the_request_which_it_answers_at_once) {
    ASSERT_EQ(syncd.post(shot_target(3, "overview"), hall, png(48, 27)).status, 201);
    const HttpResponse first = syncd.get("/api/v1/scope", hall);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.header("chiso-capture"), "");
    auto poll = std::async(std::launch::async, [&] {
        return syncd.get("/api/v1/scope?wait=60", hall, {{"If-None-Match", first.header("etag")}});
    });
    ASSERT_TRUE(syncd.wait_for_metric("chiso_longpolls_waiting", 1, scaled(10s)));
    const auto asked_at = std::chrono::steady_clock::now();
    const HttpResponse asked = syncd.post("/api/v1/screenshot-request?device=hall-1", it, "");
    ASSERT_EQ(asked.status, 202) << asked.body;
    const std::int64_t request = json::parse(asked.body).at("request").as_int64();
    const HttpResponse woken = poll.get();
    EXPECT_EQ(woken.status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - asked_at, scaled(5s));
    EXPECT_EQ(woken.header("chiso-capture"), std::to_string(request));
    EXPECT_EQ(list().at("pending"), json::parse(R"(["hall-1"])"));
    // The other device is not asked.
    EXPECT_EQ(syncd.get("/api/v1/scope", office).header("chiso-capture"), "");

    // Within the 10 s between periodic ones, a requested one is taken; the request is then answered.
    const HttpResponse answer = syncd.post(shot_target(4, "admission", request), hall, png(48, 27));
    ASSERT_EQ(answer.status, 201) << answer.body;
    const json::value all = list();
    EXPECT_EQ(all.at("pending"), json::array());
    EXPECT_EQ(all.at("screenshots").at(0).at("requested"), true);
    EXPECT_EQ(all.at("screenshots").at(0).at("page"), "admission");
    EXPECT_EQ(syncd.get("/api/v1/scope", hall).header("chiso-capture"), "");
    EXPECT_EQ(syncd.post("/api/v1/screenshot-request?device=nobody", it, "").status, 404);
    EXPECT_EQ(syncd.post("/api/v1/screenshot-request?device=it-staff", it, "").status, 404);
}

TEST_F(SyncdScreens, bad_screenshots_are_refused_with_a_reason_and_nothing_is_stored) {
    struct Case {
        std::string target, body;
        int status;
        std::string reason;
    };
    const std::string good = png(48, 27);
    std::string lying = png(48, 27);
    lying[16] = '\x7f';  // the header claims a width of two billion
    const std::vector<Case> cases{
        {shot_target(3, "overview"), "GIF89a not a png at all, really", 400, "must be a PNG image"},
        {shot_target(3, "overview"), good.substr(0, 20), 400, "must be a PNG image"},
        {shot_target(3, "overview"), png(4000, 1), 400, "at most 3840 pixels a side"},
        {shot_target(3, "overview"), lying, 400, "must be a PNG image"},
        {shot_target(3, "overview"), good + std::string(1100000, 'x'), 413, "larger than 1048576 bytes"},
        {shot_target(3, "<b>x</b>"), good, 400, "page must be a page's name"},
        {shot_target(-1, "overview"), good, 400, "revision must not be negative"},
        {"/api/v1/screenshot?page=overview&drawn_at=1", good, 400, "name the revision"},
    };
    for (const Case& c : cases) {
        const HttpResponse answer = syncd.post(c.target, hall, c.body);
        EXPECT_EQ(answer.status, c.status) << c.target;
        EXPECT_NE(answer.body.find(c.reason), std::string::npos) << c.target << ": " << answer.body;
    }
    EXPECT_EQ(list().at("screenshots"), json::array());
    // An unknown token, another role's, or a device sending too soon is answered from the header alone: the
    // answer comes while the megabyte it announces is still unsent.
    EXPECT_EQ(status_from_header_alone(syncd.port(), shot_target(3, "overview"), "not-a-token"), 401);
    EXPECT_EQ(status_from_header_alone(syncd.port(), shot_target(3, "overview"), it), 403);

    ASSERT_EQ(syncd.post(shot_target(3, "overview"), hall, good).status, 201);
    const HttpResponse soon = syncd.post(shot_target(3, "overview"), hall, good);
    EXPECT_EQ(soon.status, 429);
    EXPECT_NE(soon.body.find("every 10 s at most"), std::string::npos) << soon.body;
    EXPECT_EQ(status_from_header_alone(syncd.port(), shot_target(3, "overview"), hall), 429);
}

TEST_F(SyncdScreens, a_device_keeps_its_latest_three) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        const std::int64_t request = json::parse(syncd.post("/api/v1/screenshot-request?device=hall-1", it, "").body)
                                         .at("request")
                                         .as_int64();
        const HttpResponse sent = syncd.post(shot_target(i, "overview", request), hall, png(48, 27));
        ASSERT_EQ(sent.status, 201) << sent.body;
        ids.push_back(json::parse(sent.body).at("id").as_int64());
    }
    EXPECT_EQ(syncd.get("/api/v1/screenshot?id=" + std::to_string(ids[0]), it).status, 404);
    EXPECT_EQ(syncd.get("/api/v1/screenshot?id=" + std::to_string(ids[1]), it).status, 404);
    for (int i = 2; i < 5; ++i) EXPECT_EQ(syncd.get("/api/v1/screenshot?id=" + std::to_string(ids[i]), it).status, 200);
    EXPECT_EQ(list().at("screenshots").at(0).at("id").as_int64(), ids[4]);
}

TEST_F(SyncdScreens, a_code_claimed_by_it_once_gives_the_kiosk_its_token_and_the_device_its_scope_and_groups) {
    const HttpResponse opened = syncd.post("/api/v1/enrolment", "", "");
    ASSERT_EQ(opened.status, 201) << opened.body;
    const json::value code = json::parse(opened.body);
    const std::string poll_body = json::serialize(json::object{{"code", code.at("code")}, {"key", code.at("key")}});
    EXPECT_EQ(json::parse(syncd.post("/api/v1/enrolment/poll", "", poll_body).body).at("status"), "waiting");

    // Typed as a person would: lower case, a space for the dash.
    std::string typed = json::value_to<std::string>(code.at("code"));
    for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string claim = json::serialize(
        json::object{{"code", typed}, {"name", "hall-2"}, {"org", "U2"}, {"groups", json::array{"hall"}}});
    const HttpResponse claimed = syncd.post("/api/v1/enrolment/claim", it, claim);
    ASSERT_EQ(claimed.status, 201) << claimed.body;
    // Used once: the same code again is refused.
    EXPECT_EQ(syncd.post("/api/v1/enrolment/claim", it, claim).status, 404);

    const HttpResponse enrolled = syncd.post("/api/v1/enrolment/poll", "", poll_body);
    ASSERT_EQ(enrolled.status, 200);
    const json::value answer = json::parse(enrolled.body);
    EXPECT_EQ(answer.at("status"), "enrolled");
    EXPECT_EQ(answer.at("name"), "hall-2");
    const std::string token = json::value_to<std::string>(answer.at("token"));
    // An answer lost on the way costs nothing: the key's holder is given the same token again.
    const HttpResponse again = syncd.post("/api/v1/enrolment/poll", "", poll_body);
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(json::parse(again.body).at("token"), token.c_str());

    const HttpResponse scope = syncd.get("/api/v1/scope", token);
    ASSERT_EQ(scope.status, 200);
    EXPECT_EQ(json::parse(scope.body).at("scope").at("org"), "U2");
    const json::value layers = json::parse(syncd.get("/api/v1/settings", it).body);
    EXPECT_EQ(layers.at("devices").at("hall-2").at("groups"), json::parse(R"(["hall"])"));
}

TEST_F(SyncdScreens, wrong_codes_bad_names_and_unknown_scopes_are_refused_and_create_nothing) {
    const json::value code = json::parse(syncd.post("/api/v1/enrolment", "", "").body);
    auto claim = [&](const std::string& typed, const std::string& name, const std::string& org) {
        return syncd.post("/api/v1/enrolment/claim", it,
                          json::serialize(json::object{{"code", typed}, {"name", name}, {"org", org}}));
    };
    const std::string real = json::value_to<std::string>(code.at("code"));
    struct Case {
        HttpResponse answer;
        int status;
        std::string reason;
    };
    const std::vector<Case> cases{
        {claim("ZZZZ-ZZZZ", "hall-2", "U2"), 404, "no screen is waiting with this code"},
        {claim("12", "hall-2", "U2"), 400, "8 letters and digits"},
        {claim(real, "Hội trường", "U2"), 400, "a screen's name is"},
        {claim(real, "hall-1", "U2"), 409, "hall-1"},
        {claim(real, "hall-2", "NOPE"), 404, "unknown organisation 'NOPE'"},
        {syncd.post("/api/v1/enrolment/claim", it,
                    json::serialize(json::object{{"code", real}, {"name", "hall-2"}, {"org", "U2"},
                                                 {"groups", json::array{"hall", "hall"}}})),
         400, "group 'hall' is listed twice"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(c.answer.status, c.status) << c.answer.body;
        EXPECT_NE(c.answer.body.find(c.reason), std::string::npos) << c.answer.body;
    }
    EXPECT_EQ(syncd.post("/api/v1/enrolment/claim", statistician,
                         json::serialize(json::object{{"code", real}, {"name", "hall-2"}, {"org", "U2"}}))
                  .status,
              403);
    // Nothing was made, and the code still waits.
    EXPECT_EQ(syncd.cli({"device", "list"}).find("hall-2"), std::string::npos);
    const std::string poll_body = json::serialize(json::object{{"code", real}, {"key", code.at("key")}});
    EXPECT_EQ(json::parse(syncd.post("/api/v1/enrolment/poll", "", poll_body).body).at("status"), "waiting");
    // The key is what the kiosk asks with: the code alone is not enough.
    const std::string guessed = json::serialize(json::object{{"code", real}, {"key", std::string(64, '0')}});
    EXPECT_EQ(syncd.post("/api/v1/enrolment/poll", "", guessed).status, 404);
}

// The limits run on a given clock: no test waits fifteen minutes.
TEST(Enrolment, a_code_expires_opening_is_limited_per_address_and_wrong_codes_per_token) {
    using syncd::Enrolment;
    using syncd::ServiceError;
    Enrolment enrolment;
    const auto t0 = Enrolment::Clock::now();
    const auto code = enrolment.open("10.0.0.5", t0);
    EXPECT_EQ(code.expires_in, std::chrono::seconds(900));
    EXPECT_EQ(code.code.size(), 9u);
    EXPECT_FALSE(enrolment.poll(code.code, code.key, t0 + 899s).enrolled);
    try {
        enrolment.poll(code.code, code.key, t0 + 900s);
        ADD_FAILURE() << "an expired code was answered";
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.status, 410);
    }
    const auto later = enrolment.open("10.0.0.5", t0 + 1s);
    bool made = false;
    try {
        enrolment.claim(later.code, "it", t0 + 901s, "x", [&] { return made = true, std::string("t"); });
        ADD_FAILURE() << "an expired code was claimed";
    } catch (const ServiceError& e) {
        EXPECT_EQ(e.status, 404);
    }
    EXPECT_FALSE(made);

    // Five a minute from one address, then 429; another address is not held back; a minute on, again.
    for (int i = 0; i < 3; ++i) enrolment.open("10.0.0.5", t0 + 2s);
    EXPECT_THROW(enrolment.open("10.0.0.5", t0 + 3s), ServiceError);
    EXPECT_NO_THROW(enrolment.open("10.0.0.6", t0 + 3s));
    EXPECT_NO_THROW(enrolment.open("10.0.0.5", t0 + 61s));

    // Ten wrong codes from one token, then 429 even for a right one; another token is not held back.
    const auto right = enrolment.open("10.0.0.7", t0 + 100s);
    auto status_of_claim = [&](const std::string& typed, const std::string& by, Enrolment::Clock::time_point at) {
        try {
            enrolment.claim(typed, by, at, "x", [] { return std::string("t"); });
            return 201;
        } catch (const ServiceError& e) {
            return e.status;
        }
    };
    // One wrong code was the expired one above; nine more are 404, then even the right code is 429.
    for (int i = 0; i < 9; ++i) EXPECT_EQ(status_of_claim("AAAA-AAAA", "it", t0 + 100s), 404) << i;
    EXPECT_EQ(status_of_claim("AAAA-AAAA", "it", t0 + 100s), 429);
    EXPECT_EQ(status_of_claim(right.code, "it", t0 + 101s), 429);
    EXPECT_NO_THROW(enrolment.claim(right.code, "other-it", t0 + 101s, "x", [] { return std::string("t"); }));
    EXPECT_TRUE(enrolment.poll(right.code, right.key, t0 + 102s).enrolled);
}

TEST(Enrolment, a_code_claimed_just_before_it_expires_is_still_collected_after_other_codes_are_opened) {
    using syncd::Enrolment;
    Enrolment enrolment;
    const auto t0 = Enrolment::Clock::now();
    const auto code = enrolment.open("10.0.0.5", t0);
    enrolment.claim(code.code, "it", t0 + 899s, "hall-9", [] { return std::string("the-token"); });
    enrolment.open("10.0.0.6", t0 + 950s);  // forgets what expired: not a claimed code waiting to be collected
    const auto status = enrolment.poll(code.code, code.key, t0 + 951s);
    EXPECT_TRUE(status.enrolled);
    EXPECT_EQ(status.token, "the-token");
    EXPECT_EQ(status.name, "hall-9");
}

}  // namespace chiso::test
