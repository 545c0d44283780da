// The sync protocol's scope document: what syncd sends a kiosk and the kiosk's sync client reads back.
// Layout (format 1), with codes as keys so a person can read it with jq:
//   values[org][indicator][period]  = 7841            (stock, flow)
//                                   = {"khien_trach": 3, ...}   (distribution, per category)
//                                   = [num, den, tenths_of_percent|null]   (ratio)
//   targets[org][indicator][period] = 400
//   by_type[period][type]           = {"orgs": 49, "members_total": 2978, ...}
//   scope.terms = [{"term": "2015-2020", "first": "2015-09-01", "last": "2020-08-31", "dated": true}]
//                 (a term's figures cover the months of its days as they run for the scope's organisation)
//   scope.review = {"period": "2015-09..2019-06", "previous": "2011-11..2015-08"}   (a review only)
#pragma once

#include "domain/scope.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace chiso::wire {

inline constexpr int kFormat = 1;

struct ScopeHeader {
    std::int64_t revision = 0;          // the dataset's revision
    std::int64_t scope_revision = 0;    // the last revision that changed this scope
    std::optional<std::int64_t> since;  // set for a delta: the revision the client held
};

std::string scope_json(const domain::Dataset& data, const domain::ScopeView& view, const ScopeHeader& header);
boost::json::object catalogue_json(const domain::Catalogue& catalogue);
// The reverse of catalogue_json, for a kiosk reading what syncd sent: lenient, as syncd checked it on import.
domain::Catalogue catalogue_from_json(const boost::json::object& catalogue);

}  // namespace chiso::wire
