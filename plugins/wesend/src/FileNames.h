#pragma once

#include <set>
#include <string>

#include "relais/Text.h"

namespace relais::plugins::wesend {

/// File names are metadata, never paths: these turn what a client sends into a name that is
/// safe to show, to put in a Content-Disposition header and to write as a ZIP entry.

/// The name to store for a client's file name. Refuses (returns "" with `why` set) invalid
/// UTF-8, NUL and control characters, and names over 255 bytes. Neutralises the rest: only
/// the last path component is kept (`../../etc/passwd` is `passwd`, `C:\x\y.txt` is `y.txt`),
/// characters Windows forbids become '_', leading and trailing spaces and dots are trimmed
/// (so no name is hidden or relative),
/// and a name left empty (or "." or "..") becomes "fichier".
std::string sanitiseFileName(const std::string& raw, std::string& why);

/// A media type "type/subtype" (RFC 6838 characters, at most 127 bytes, parameters dropped),
/// lower-case; "" if `raw` is not one.
std::string sanitiseMediaType(const std::string& raw);

/// A ZIP entry name for `name`, unique among `used` (which it extends): "a.txt", then
/// "a (2).txt", "a (3).txt"... Compared case-insensitively, as Windows and macOS would.
std::string uniqueEntryName(const std::string& name, std::set<std::string>& used);

/// The Content-Disposition value for a download of `name` (RFC 6266 with the RFC 8187
/// filename* parameter, and an ASCII fallback).
std::string contentDisposition(const std::string& name);

}  // namespace relais::plugins::wesend
