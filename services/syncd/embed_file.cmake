# cmake -DINPUT=page.html -DOUTPUT=page.cpp -DFUNCTION=name -DNAMESPACE=ns -P embed_file.cmake
# Writes a C++ file defining `std::string_view ns::name()` that returns INPUT's bytes. Run at build time (see
# services/CMakeLists.txt), so the file stays legible in the tree and an edit to it rebuilds only this.
foreach(variable INPUT OUTPUT FUNCTION NAMESPACE)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "embed_file.cmake: -D${variable}=... is required")
  endif()
endforeach()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# Bytes as character literals, not one string literal: any byte is safe, and no limit on literal length applies.
# Sixteen bytes a line (CMake's regular expressions have no {n}, hence the repeated pattern).
string(REPEAT "[0-9a-f]" 32 sixteen_bytes)
string(REGEX REPLACE "(${sixteen_bytes})" "\\1\n    " hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by embed_file.cmake; edit that file, not this one.
#include <string_view>

namespace ${NAMESPACE} {
namespace {
constexpr char bytes[${size} + 1] = {
    ${bytes}'\\0'};
}  // namespace

std::string_view ${FUNCTION}() {
    return {bytes, ${size}};
}

}  // namespace ${NAMESPACE}
")
# Only a changed result touches OUTPUT, so an unchanged page recompiles nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
