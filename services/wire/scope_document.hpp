// A scope document as a kiosk holds it: read from syncd's JSON (wire/scope_json.hpp describes the layout),
// brought up to date by deltas, written back as JSON for the kiosk's cache. Lookups by code; nothing here
// computes a figure — every number comes from syncd as it is.
#pragma once

#include "domain/dataset.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chiso::wire {

struct DocumentOrg {
    std::string code;
    std::string name;   // the latest name
    std::string level;
    std::string type;   // organisation type code; empty above the base level
    int depth = 0;      // 0: the scope organisation
    bool base = false;  // its level is a base level (tổ chức cơ sở đảng)
    domain::Day valid_to = domain::kForever;
};

// A stock, flow or distribution category: value; a ratio: value is the numerator, and denominator and
// tenths (tenths of a percent, as syncd rounded it; none when the denominator is 0) are set.
struct DocumentFigure {
    std::int64_t value = 0;
    std::optional<std::int64_t> denominator;
    std::optional<std::int64_t> tenths;
};

class ScopeDocument {
public:
    // A snapshot document; nullopt (and *error set) when it is not one this version can read.
    static std::optional<ScopeDocument> parse(std::string_view json, std::string* error = nullptr);

    // Brings the document up to date with a reply from syncd: a snapshot replaces it, a delta (whose `since`
    // must equal this document's revision) sets every figure it carries. False, and *error set, otherwise —
    // the document is then unchanged.
    bool apply(std::string_view json, std::string* error = nullptr);

    std::string to_json() const;

    std::int64_t revision() const;
    std::int64_t scope_revision() const;
    std::string org() const;  // the scope organisation's code
    int depth() const;
    domain::Day as_of() const;  // 0 when the scope holds no data yet

    const domain::Catalogue& catalogue() const { return catalogue_; }
    const std::vector<DocumentOrg>& organisations() const { return orgs_; }
    const DocumentOrg* organisation(std::string_view code) const;

    const std::vector<domain::Period>& scope_periods() const { return scope_periods_; }
    const std::vector<domain::Period>& member_periods() const { return member_periods_; }
    bool to_date(const domain::Period& period) const;  // still running on the as-of day
    // A review's period and the one it is compared with (wire/scope_json.hpp); nullopt without a review.
    std::optional<domain::Period> review() const { return review_; }
    std::optional<domain::Period> review_previous() const { return review_previous_; }
    // The catalogue's terms with the days they run for the scope's organisation.
    const std::vector<domain::TermSpan>& terms() const { return terms_; }
    const domain::TermSpan* term(const domain::Period& period) const;
    // The months a period's figures cover: a term's as it runs for the scope's organisation, any other's own.
    domain::Period months_of(const domain::Period& period) const;

    std::optional<DocumentFigure> figure(std::string_view org, std::string_view indicator,
                                         const domain::Period& period) const;
    // A distribution's figure per category code; empty when nothing was reported.
    std::map<std::string, std::int64_t> categories(std::string_view org, std::string_view indicator,
                                                   const domain::Period& period) const;
    std::optional<std::int64_t> target(std::string_view org, std::string_view indicator,
                                       const domain::Period& period) const;

    // The breakdown of the scope by organisation type: the number of base organisations of the type, and
    // the figures summed over them.
    std::vector<std::string> types(const domain::Period& period) const;
    std::optional<std::int64_t> type_orgs(const domain::Period& period, std::string_view type) const;
    std::optional<DocumentFigure> type_figure(const domain::Period& period, std::string_view type,
                                              std::string_view indicator) const;

private:
    ScopeDocument() = default;
    bool load(boost::json::value document, std::string* error);

    boost::json::value json_;
    domain::Catalogue catalogue_;
    std::vector<DocumentOrg> orgs_;
    std::vector<domain::Period> scope_periods_, member_periods_, to_date_;
    std::vector<domain::TermSpan> terms_;
    std::optional<domain::Period> review_, review_previous_;
};

}  // namespace chiso::wire
