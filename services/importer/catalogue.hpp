// The catalogue's import (catalogue.cpp), one of import_file's kinds.
#pragma once

#include "importer/rows.hpp"

namespace chiso::importer {

// Names and labels go on the wall as written: nothing in them may read as markup to a viewer that guesses.
inline constexpr const char* kNoMarkup = "'<' is not allowed: names and labels are shown as written, never as markup";

Outcome import_catalogue(const domain::Dataset& current, Format format, std::string_view file, std::string_view body);

}  // namespace chiso::importer
