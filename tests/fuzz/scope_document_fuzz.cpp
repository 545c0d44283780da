// Fuzzes what the kiosk's sync client reads from the network: a scope document (snapshot) and a delta applied
// on top of the demo's. Bad bytes must be refused with an error, and a refused delta must leave the document
// exactly as it was, never half applied.
#include "wire/scope_document.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace {

const std::string& base_document() {
    static const std::string json = [] {
        std::ifstream in(CHISO_SCOPE_FIXTURE, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    }();
    return json;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    std::string error;
    if (auto document = chiso::wire::ScopeDocument::parse(bytes, &error)) (void)document->to_json();

    static const auto base = chiso::wire::ScopeDocument::parse(base_document());
    if (!base) __builtin_trap();
    auto copy = *base;
    if (!copy.apply(bytes, &error) && copy.to_json() != base->to_json()) __builtin_trap();  // half applied
    return 0;
}
