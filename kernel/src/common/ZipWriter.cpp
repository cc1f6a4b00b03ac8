#include "relais/ZipWriter.h"

#include <Poco/Checksum.h>
#include <Poco/DateTime.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <ctime>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <unordered_set>
#include <vector>

// Record layouts follow PKWARE's APPNOTE.TXT 6.3.x: 4.3.7 local file header, 4.3.9 data
// descriptor, 4.3.12 central directory header, 4.3.14-4.3.16 ZIP64 end of central directory
// record and locator and end of central directory record, 4.5.3 ZIP64 extended information.
//
// Why every local header carries a ZIP64 extra field (sizes 0xFFFFFFFF in the header, 0 or the
// declared size in the field) and every entry a 24-byte data descriptor: the size may be unknown
// when the header is written, and APPNOTE 4.3.9.2 says the descriptor holds 8-byte sizes when
// the ZIP64 field is present. Readers decide the descriptor's size from the local header: 7-Zip
// reads 24 bytes exactly when the local header has a ZIP64 field (CLocalItem::GetDescriptorSize).
// Info-ZIP unzip 6 and Python's zipfile take CRC and sizes from the central directory when bit 3
// is set. Info-ZIP Zip 3.0 writes the same local header and descriptor when it streams to a pipe.
//
// Info-ZIP unzip 6.0 reads the local ZIP64 field whenever the size it holds for the entry (or
// for the last central record it parsed) is exactly 0xFFFFFFFF; a field of zeros then makes the
// entry empty. Hence beginEntry()'s declared size, written into that field.

namespace relais {

namespace {

constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr std::uint32_t kDataDescriptorSignature = 0x08074b50;
constexpr std::uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kEndSignature = 0x06054b50;

constexpr std::uint16_t kVersionNeeded = 45;  // 4.5: ZIP64
// Host system 3 (Unix), so that readers apply the permissions of the external attributes.
constexpr std::uint16_t kVersionMadeBy = (3 << 8) | kVersionNeeded;
constexpr std::uint16_t kFlags = (1 << 3) | (1 << 11);  // data descriptor, UTF-8 name
constexpr std::uint16_t kMethodStored = 0;
constexpr std::uint32_t kExternalAttributes = 0100644u << 16;  // regular file, rw-r--r--

constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint16_t kTimestampExtraId = 0x5455;  // Info-ZIP extended timestamp
constexpr std::uint8_t kTimestampHasMtime = 0x01;

constexpr std::uint16_t kMax16 = 0xFFFF;
constexpr std::uint32_t kMax32 = 0xFFFFFFFF;

// The central directory goes out in pieces of about this size rather than record by record.
constexpr std::size_t kFlushBytes = std::size_t{64} * 1024;

// Appends little-endian fields to a string.
class Record {
public:
    void u8(std::uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
    void u16(std::uint16_t v) { put(v, 2); }
    void u32(std::uint32_t v) { put(v, 4); }
    void u64(std::uint64_t v) { put(v, 8); }
    void append(const std::string& s) { bytes_ += s; }
    std::string& bytes() { return bytes_; }

private:
    void put(std::uint64_t v, int size) {
        for (int i = 0; i < size; ++i)
            bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
    }
    std::string bytes_;
};

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

struct DosDateTime {
    std::uint16_t time;
    std::uint16_t date;
};

// MS-DOS date and time in UTC, two-second resolution, within what the format can hold.
DosDateTime dosDateTime(std::int64_t epochMs) {
    constexpr std::int64_t kFirstSeconds = 315532800;  // 1980-01-01T00:00:00Z
    constexpr std::int64_t kLastSeconds = 4354819198;  // 2107-12-31T23:59:58Z
    const std::int64_t seconds = std::clamp(floorDiv(epochMs, 1000), kFirstSeconds, kLastSeconds);
    const Poco::DateTime t(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(seconds)));
    DosDateTime d;
    d.time = static_cast<std::uint16_t>((t.hour() << 11) | (t.minute() << 5) | (t.second() / 2));
    d.date = static_cast<std::uint16_t>(((t.year() - 1980) << 9) | (t.month() << 5) | t.day());
    return d;
}

[[noreturn]] void refuse(const char* why) {
    throw std::invalid_argument(std::string("ZIP entry name ") + why);
}

// Throws std::invalid_argument unless `name` is a relative path of valid UTF-8 that extracts
// to a file under the destination folder on Unix and Windows alike.
void checkName(const std::string& name) {
    if (name.empty())
        refuse("is empty");
    if (name.size() > kMax16)
        refuse("is longer than 65535 bytes");
    if (name[0] == '/')
        refuse("is an absolute path");
    const auto c0 = static_cast<unsigned char>(name[0]);
    if (name.size() >= 2 && name[1] == ':' && ((c0 | 0x20) >= 'a' && (c0 | 0x20) <= 'z'))
        refuse("starts with a drive letter");

    std::size_t i = 0;
    while (i < name.size()) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                refuse("has a control character");
            if (c == '\\')
                refuse("has a backslash");
            ++i;
            continue;
        }
        // A multi-byte sequence: the shortest form of a scalar value (no surrogates).
        std::size_t length;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            cp = c & 0x07;
        } else {
            refuse("is not valid UTF-8");
        }
        if (i + length > name.size())
            refuse("is not valid UTF-8");
        for (std::size_t k = 1; k < length; ++k) {
            const auto cc = static_cast<unsigned char>(name[i + k]);
            if ((cc & 0xC0) != 0x80)
                refuse("is not valid UTF-8");
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((length == 3 && cp < 0x800) || (length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            refuse("is not valid UTF-8");
        if (cp >= 0x80 && cp <= 0x9F)
            refuse("has a control character");
        i += length;
    }

    std::size_t start = 0;
    while (true) {
        const std::size_t slash = name.find('/', start);
        const std::size_t end = slash == std::string::npos ? name.size() : slash;
        const std::size_t size = end - start;
        if (size == 0)
            refuse("has an empty segment or ends with '/'");
        if (name.compare(start, size, ".") == 0 || name.compare(start, size, "..") == 0)
            refuse("has a '.' or '..' segment");
        if (slash == std::string::npos)
            break;
        start = slash + 1;
    }
}

}  // namespace

struct ZipWriter::State {
    // What the central directory needs of an entry; the name lives in `names`.
    struct Entry {
        const std::string* name;
        std::uint64_t offset;
        std::uint64_t size;
        std::uint32_t crc;
        DosDateTime modified;
        bool hasUnixTime;
        std::uint32_t unixTime;
    };

    explicit State(std::ostream& o) : out(o) {}

    // Passes bytes to the stream; a failed stream breaks the writer for good.
    void emit(const char* data, std::size_t size) {
        out.write(data, static_cast<std::streamsize>(size));
        if (!out) {
            failed = true;
            throw std::runtime_error("ZipWriter: writing to the output stream failed");
        }
        written += size;
    }
    void emit(std::string& bytes) {
        emit(bytes.data(), bytes.size());
        bytes.clear();
    }

    void checkUsable() const {
        if (failed)
            throw std::runtime_error("ZipWriter: the output stream failed earlier");
        if (finished)
            throw std::logic_error("ZipWriter: the archive is finished");
    }

    std::ostream& out;
    std::uint64_t written = 0;
    std::unordered_set<std::string> names;  // node-based: Entry::name stays valid
    std::vector<Entry> entries;
    bool entryOpen = false;
    bool finished = false;
    bool failed = false;
    Poco::Checksum crc{Poco::Checksum::TYPE_CRC32};
    std::uint64_t entrySize = 0;
    std::int64_t entryDeclaredSize = -1;
};

ZipWriter::ZipWriter(std::ostream& out) : state_(new State(out)) {}

ZipWriter::~ZipWriter() {
    delete state_;
}

void ZipWriter::beginEntry(const std::string& name, std::int64_t modifiedAtMs,
                           std::int64_t sizeBytes) {
    State& s = *state_;
    s.checkUsable();
    if (s.entryOpen)
        throw std::logic_error("ZipWriter: an entry is already open");
    checkName(name);
    if (s.names.count(name) != 0)
        throw std::invalid_argument("ZIP entry name is already in the archive");

    State::Entry e{};
    e.offset = s.written;
    e.modified = dosDateTime(modifiedAtMs);
    const std::int64_t unixTime = floorDiv(modifiedAtMs, 1000);
    e.hasUnixTime = unixTime >= 0 && unixTime <= std::numeric_limits<std::int32_t>::max();
    e.unixTime = e.hasUnixTime ? static_cast<std::uint32_t>(unixTime) : 0;

    Record r;
    r.u32(kLocalHeaderSignature);
    r.u16(kVersionNeeded);
    r.u16(kFlags);
    r.u16(kMethodStored);
    r.u16(e.modified.time);
    r.u16(e.modified.date);
    r.u32(0);       // CRC-32: in the data descriptor
    r.u32(kMax32);  // compressed size: in the ZIP64 field
    r.u32(kMax32);  // uncompressed size: likewise
    r.u16(static_cast<std::uint16_t>(name.size()));
    r.u16(static_cast<std::uint16_t>(4 + 16 + (e.hasUnixTime ? 4 + 5 : 0)));
    r.append(name);
    r.u16(kZip64ExtraId);
    r.u16(16);
    // The sizes when the caller knows them, else 0 as bit 3 wants (readers then take them
    // from the central directory).
    const std::uint64_t knownSize = sizeBytes >= 0 ? static_cast<std::uint64_t>(sizeBytes) : 0;
    r.u64(knownSize);  // uncompressed size
    r.u64(knownSize);  // compressed size
    if (e.hasUnixTime) {
        r.u16(kTimestampExtraId);
        r.u16(5);
        r.u8(kTimestampHasMtime);
        r.u32(e.unixTime);
    }

    e.name = &*s.names.insert(name).first;
    s.entries.push_back(e);
    s.entryOpen = true;
    s.crc = Poco::Checksum(Poco::Checksum::TYPE_CRC32);
    s.entrySize = 0;
    s.entryDeclaredSize = sizeBytes < 0 ? -1 : sizeBytes;
    s.emit(r.bytes());
}

void ZipWriter::write(const char* data, std::size_t size) {
    State& s = *state_;
    s.checkUsable();
    if (!s.entryOpen)
        throw std::logic_error("ZipWriter: write() with no open entry");
    if (size == 0)
        return;
    if (s.entryDeclaredSize >= 0 &&
        size > static_cast<std::uint64_t>(s.entryDeclaredSize) - s.entrySize)
        throw std::logic_error("ZipWriter: more bytes than the entry's declared size");
    s.emit(data, size);
    // Poco's CRC takes at most UINT_MAX bytes at a time.
    for (std::size_t done = 0; done < size;) {
        const std::size_t n = std::min<std::size_t>(size - done, 1u << 30);
        s.crc.update(data + done, static_cast<unsigned>(n));
        done += n;
    }
    s.entrySize += size;
}

void ZipWriter::endEntry() {
    State& s = *state_;
    s.checkUsable();
    if (!s.entryOpen)
        throw std::logic_error("ZipWriter: endEntry() with no open entry");
    if (s.entryDeclaredSize >= 0 && s.entrySize != static_cast<std::uint64_t>(s.entryDeclaredSize))
        throw std::logic_error("ZipWriter: fewer bytes than the entry's declared size");
    State::Entry& e = s.entries.back();
    e.crc = s.crc.checksum();
    e.size = s.entrySize;
    s.entryOpen = false;

    Record r;
    r.u32(kDataDescriptorSignature);
    r.u32(e.crc);
    r.u64(e.size);  // compressed size
    r.u64(e.size);  // uncompressed size
    s.emit(r.bytes());
}

void ZipWriter::addEntry(const std::string& name, const std::string& content,
                         std::int64_t modifiedAtMs) {
    beginEntry(name, modifiedAtMs, static_cast<std::int64_t>(content.size()));
    write(content.data(), content.size());
    endEntry();
}

void ZipWriter::finish() {
    State& s = *state_;
    s.checkUsable();
    if (s.entryOpen)
        throw std::logic_error("ZipWriter: finish() with an open entry");

    const std::uint64_t directoryOffset = s.written;
    Record r;
    for (const State::Entry& e : s.entries) {
        // With a ZIP64 field, all three of its values (4.5.3 allows 0xFFFFFFFF in a field that
        // would fit): Info-ZIP unzip 6.0 decides which values a field holds partly from the
        // previous entry's sizes, and misreads an offset-only field after an entry of exactly
        // 0xFFFFFFFF bytes.
        const bool zip64 = e.size >= kMax32 || e.offset >= kMax32;
        const auto extraBytes =
            static_cast<std::uint16_t>((zip64 ? 4 + 24 : 0) + (e.hasUnixTime ? 4 + 5 : 0));
        const auto size32 = static_cast<std::uint32_t>(zip64 ? kMax32 : e.size);
        r.u32(kCentralHeaderSignature);
        r.u16(kVersionMadeBy);
        r.u16(kVersionNeeded);
        r.u16(kFlags);
        r.u16(kMethodStored);
        r.u16(e.modified.time);
        r.u16(e.modified.date);
        r.u32(e.crc);
        r.u32(size32);  // compressed
        r.u32(size32);  // uncompressed
        r.u16(static_cast<std::uint16_t>(e.name->size()));
        r.u16(extraBytes);
        r.u16(0);  // comment length
        r.u16(0);  // disk number start
        r.u16(0);  // internal attributes
        r.u32(kExternalAttributes);
        r.u32(static_cast<std::uint32_t>(zip64 ? kMax32 : e.offset));
        r.append(*e.name);
        if (zip64) {
            r.u16(kZip64ExtraId);
            r.u16(24);
            r.u64(e.size);  // uncompressed
            r.u64(e.size);  // compressed
            r.u64(e.offset);
        }
        if (e.hasUnixTime) {
            r.u16(kTimestampExtraId);
            r.u16(5);
            r.u8(kTimestampHasMtime);
            r.u32(e.unixTime);
        }
        if (r.bytes().size() >= kFlushBytes)
            s.emit(r.bytes());
    }
    s.emit(r.bytes());
    const std::uint64_t directorySize = s.written - directoryOffset;
    const std::uint64_t count = s.entries.size();

    // 0xFFFF entries is itself the "see the ZIP64 record" value, hence >=.
    if (count >= kMax16 || directorySize >= kMax32 || directoryOffset >= kMax32) {
        const std::uint64_t zip64EndOffset = s.written;
        r.u32(kZip64EndSignature);
        r.u64(44);  // size of the rest of the record
        r.u16(kVersionMadeBy);
        r.u16(kVersionNeeded);
        r.u32(0);  // this disk
        r.u32(0);  // disk of the central directory
        r.u64(count);
        r.u64(count);
        r.u64(directorySize);
        r.u64(directoryOffset);
        r.u32(kZip64LocatorSignature);
        r.u32(0);  // disk of the ZIP64 end record
        r.u64(zip64EndOffset);
        r.u32(1);  // number of disks
    }
    const auto count16 = static_cast<std::uint16_t>(std::min<std::uint64_t>(count, kMax16));
    r.u32(kEndSignature);
    r.u16(0);  // this disk
    r.u16(0);  // disk of the central directory
    r.u16(count16);
    r.u16(count16);
    r.u32(static_cast<std::uint32_t>(std::min<std::uint64_t>(directorySize, kMax32)));
    r.u32(static_cast<std::uint32_t>(std::min<std::uint64_t>(directoryOffset, kMax32)));
    r.u16(0);  // comment length
    s.emit(r.bytes());

    s.out.flush();
    if (!s.out) {
        s.failed = true;
        throw std::runtime_error("ZipWriter: flushing the output stream failed");
    }
    s.finished = true;
}

std::uint64_t ZipWriter::bytesWritten() const {
    return state_->written;
}

}  // namespace relais
