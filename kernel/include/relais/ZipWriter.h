#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace relais {

/// Writes a ZIP archive to a stream in one forward pass: no seeking, and memory that does not
/// depend on the size of the entries (each entry's bytes go straight to the stream; only one
/// small central-directory record per entry is kept until finish()). Made for archives sent
/// as an HTTP response body while they are being produced, such as tenant exports.
///
/// Entries are "stored" (method 0, not compressed): exports are mostly already-compressed
/// user files, and the point is streaming speed. Every entry has a data descriptor (flag
/// bit 3, since its CRC-32 and size are known only at its end), a UTF-8 name (flag bit 11), a
/// ZIP64 extra field in its local header and a 64-bit data descriptor, so that an entry may
/// grow past 4 GiB without knowing it in advance. The central directory uses ZIP64 only where a
/// size, an offset or the entry count needs it. Info-ZIP unzip 6, 7-Zip and Python's zipfile
/// read the result; readers that walk the local headers without the central directory (Java's
/// ZipInputStream) do not support stored entries with a data descriptor.
///
/// Usage: beginEntry(), write() any number of times, endEntry(); or addEntry(); then finish().
/// Not thread-safe: one thread drives a writer.
///
/// Errors:
/// - a name that is not acceptable throws std::invalid_argument and changes nothing: the
///   caller may go on with another entry;
/// - a call out of order (write() with no open entry, finish() with an open entry, anything
///   after finish()) throws std::logic_error;
/// - a failure of the stream (failbit or badbit after a write, e.g. the client went away)
///   throws std::runtime_error; the archive is then broken and every later call throws
///   std::runtime_error too.
class ZipWriter {
public:
    /// `out` must outlive the writer. Nothing is written until the first entry.
    explicit ZipWriter(std::ostream& out);
    /// Writes nothing, and never throws. If finish() was not called, what reached the stream is
    /// a truncated archive with no central directory, which readers refuse: a failed export
    /// must never look complete. An HTTP handler should then abort the response rather than
    /// end it normally.
    ~ZipWriter();
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    /// Starts an entry and writes its local header. `name` is the path inside the archive,
    /// UTF-8, with '/' between folders; it is refused (std::invalid_argument) when it is empty,
    /// longer than 65535 bytes, not valid UTF-8, absolute ("/x", "C:x"), has an empty, "." or
    /// ".." segment or a trailing '/', a backslash, a control character (NUL included), or is
    /// the name of an earlier entry of this archive. Folders are implied by the paths of the
    /// files. `modifiedAtMs` (Unix epoch milliseconds) becomes the DOS date and time, in UTC,
    /// clamped to 1980..2107, and the Unix mtime of an extended-timestamp field (0x5455) when it
    /// lies within 1970..2038.
    ///
    /// `sizeBytes` is the entry's exact size when the caller knows it, else -1. It goes into
    /// the local header, and write() and endEntry() then refuse (std::logic_error, nothing
    /// written, the entry still open) more or fewer bytes. Pass it when known: Info-ZIP unzip
    /// 6.0 reads an entry of exactly 4 GiB - 1 bytes whose size is only at its end as empty,
    /// and the other entries listed with it too (7-Zip and Python are not affected).
    void beginEntry(const std::string& name, std::int64_t modifiedAtMs,
                    std::int64_t sizeBytes = -1);
    /// Appends bytes to the open entry; they are passed to the stream at once, not kept.
    void write(const char* data, std::size_t size);
    /// Ends the open entry: writes its data descriptor (CRC-32 and sizes).
    void endEntry();
    /// beginEntry() with the size of `content`, write(content), endEntry().
    void addEntry(const std::string& name, const std::string& content, std::int64_t modifiedAtMs);

    /// Writes the central directory and the end records (ZIP64 ones when needed) and flushes
    /// the stream. No entry may be open. An archive with no entry is valid (22 bytes).
    void finish();

    /// Bytes passed to the stream so far; after finish(), the size of the archive.
    std::uint64_t bytesWritten() const;

private:
    struct State;
    State* state_;  // owned; keeps POCO and the bookkeeping out of the SDK header
};

}  // namespace relais
