// Feeds arbitrary request targets to the parser: a Problem or a clean result, nothing else;
// an accepted path never holds NUL, control characters or dot segments.

#include <cstddef>
#include <cstdint>
#include <string>

#include "http/RequestTarget.h"
#include "relais/Problem.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    try {
        const auto t = relais::http::parseRequestTarget(input);
        for (const auto& seg : t.segments) {
            if (seg == "." || seg == "..") __builtin_trap();
            for (unsigned char c : seg)
                if (c < 0x20 || c == 0x7f) __builtin_trap();
            if (!relais::isValidUtf8(seg)) __builtin_trap();
        }
    } catch (const relais::Problem&) {
    }
    return 0;
}
