#pragma once

#include <string>

namespace relais {

/// Whether `text` is valid UTF-8: shortest forms only, no surrogates, nothing past U+10FFFF.
/// Request targets, JSON bodies, form fields and file names are checked with it.
bool isValidUtf8(const std::string& text);

}  // namespace relais
