// The parts of a zip archive held in memory (an Excel workbook is one), each streamed through an XML parser:
// libzip unpacks a part a piece at a time and expat reads each piece, so a part is never held whole. Everything is
// bounded before it is spent: the bytes all parts may unpack to (a part declaring more is refused unread, one
// unpacking to more than it declares is stopped there), and no part may have a DTD (so no entity expands).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace chiso::importer {

// What a part's XML says, element by element, names without their namespace prefix or URI. A handler that finds
// something wrong sets `error`, and the parse stops there.
class XmlHandler {
public:
    virtual ~XmlHandler() = default;
    virtual void open(std::string_view name, const char** attributes) = 0;
    virtual void text(std::string_view) {}
    virtual void close(std::string_view) {}

    std::string error;
};

// The value of an attribute among expat's name/value pairs, by its name without namespace; empty when absent.
std::string_view attribute(const char** attributes, std::string_view name);

class Archive {
public:
    // `error()` says why when the bytes are not a zip archive.
    Archive(std::string_view bytes, std::uint64_t unpacked_budget);
    ~Archive();
    Archive(const Archive&) = delete;
    Archive& operator=(const Archive&) = delete;

    const std::string& error() const { return error_; }
    // Part names compare without case, as Office Open XML's do.
    bool has(std::string_view part) const;
    // Streams the part into `handler`; false, with error() naming the part, when it is missing, larger than the
    // budget left, damaged, not XML, or the handler stopped.
    bool parse(std::string_view part, XmlHandler& handler);

private:
    struct Zip;
    std::unique_ptr<Zip> zip_;
    std::uint64_t budget_;
    std::string error_;
};

}  // namespace chiso::importer
