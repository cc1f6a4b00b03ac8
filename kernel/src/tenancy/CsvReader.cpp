#include "tenancy/CsvReader.h"

#include <algorithm>

namespace relais {

CsvError::CsvError(int line, const std::string& message)
    : std::runtime_error("line " + std::to_string(line) + ": " + message), line_(line) {}

CsvEncodingError::CsvEncodingError(int line, std::size_t offset)
    : CsvError(line, "byte " + std::to_string(offset) +
                         " is not UTF-8; export the file as \"CSV UTF-8\""),
      offset_(offset) {}

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr std::size_t kBomBytes = 3;

// The offset of the first byte in s[from..] that does not begin a well-formed UTF-8 sequence
// (RFC 3629, table 3-7 of Unicode), or npos. For a malformed sequence that is its lead byte.
std::size_t firstInvalidUtf8(const std::string& s, std::size_t from) {
    const std::size_t size = s.size();
    std::size_t i = from;
    while (i < size) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0)
            return i;
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0)
                low = 0xA0;  // overlong below U+0800
            if (c == 0xED)
                high = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0)
                low = 0x90;  // overlong below U+10000
            if (c == 0xF4)
                high = 0x8F;  // above U+10FFFF
        } else {
            return i;  // a continuation byte, C0/C1 (overlong) or F5..FF
        }
        if (size - i < length)
            return i;
        const auto second = static_cast<unsigned char>(s[i + 1]);
        if (second < low || second > high)
            return i;
        for (std::size_t k = 2; k < length; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
                return i;
        i += length;
    }
    return std::string::npos;
}

// The 1-based line of s[offset], counting CRLF, LF and lone CR as line ends from s[from].
int lineAt(const std::string& s, std::size_t from, std::size_t offset) {
    int line = 1;
    for (std::size_t i = from; i < offset; ++i) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')))
            ++line;
    }
    return line;
}

// Lower-cases ASCII letters and the Latin-1 capitals À..Þ (except ×), which cover French
// headers such as "PRÉNOM". `s` is valid UTF-8.
std::string normaliseName(const std::string& name) {
    std::string s = name;
    s.erase(0, s.find_first_not_of(" \t"));
    s.erase(s.find_last_not_of(" \t") + 1);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 'A' && c <= 'Z') {
            s[i] = static_cast<char>(c - 'A' + 'a');
        } else if (c == 0xC3 && i + 1 < s.size()) {
            const auto next = static_cast<unsigned char>(s[i + 1]);
            if (next >= 0x80 && next <= 0x9E && next != 0x97)
                s[i + 1] = static_cast<char>(next + 0x20);
            ++i;
        }
    }
    return s;
}

// The separator of the line starting at `pos`: counts outside quotes, up to the first line end
// outside quotes.
char detectSeparator(const std::string& s, std::size_t pos) {
    std::size_t semicolons = 0, commas = 0, tabs = 0;
    bool quoted = false;
    for (std::size_t i = pos; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ';')
            ++semicolons;
        else if (c == ',')
            ++commas;
        else if (c == '\t')
            ++tabs;
    }
    if (tabs > semicolons && tabs > commas)
        return '\t';
    return semicolons > commas ? ';' : ',';
}

// One record as scanned, before it is checked against the header.
struct RawRecord {
    int line = 0;
    std::vector<std::string> fields;
    CsvFault fault = CsvFault::None;
    std::size_t faultField = 0;  // 0-based index of the field at fault
    int quoteLine = 0;           // for UnterminatedQuote: where the quote opened
    bool blank() const {
        return fault == CsvFault::None &&
               std::all_of(fields.begin(), fields.end(), [](const auto& f) { return f.empty(); });
    }
};

// Reads records one after the other from a position of a validated body.
class RecordScanner {
public:
    RecordScanner(const std::string& text, std::size_t pos) : text_(text), pos_(pos) {}

    bool atEnd() const { return pos_ >= text_.size(); }
    int line() const { return line_; }
    std::size_t position() const { return pos_; }
    void setSeparator(char separator) { separator_ = separator; }

    // Skips lines holding only spaces and tabs.
    void skipBlankLines() {
        while (pos_ < text_.size()) {
            const std::size_t end = text_.find_first_not_of(" \t", pos_);
            if (end == std::string::npos) {
                pos_ = text_.size();
                return;
            }
            if (text_[end] != '\r' && text_[end] != '\n')
                return;
            pos_ = end;
            consumeLineEnd();
        }
    }

    // The record starting at the current position; the caller checks atEnd() first.
    RawRecord next() {
        enum class State { Start, Unquoted, Quoted, AfterQuote };
        RawRecord r;
        r.line = line_;
        std::string field;
        bool wasQuoted = false;
        State state = State::Start;
        const auto fail = [&r](CsvFault fault) {
            if (r.fault == CsvFault::None) {
                r.fault = fault;
                r.faultField = r.fields.size();
            }
        };
        const auto finishField = [&] {
            if (!wasQuoted)
                field.erase(field.find_last_not_of(" \t") + 1);
            if (field.size() > CsvReader::kMaxFieldBytes)
                fail(CsvFault::FieldTooLong);
            r.fields.push_back(std::move(field));
            field.clear();
            wasQuoted = false;
            state = State::Start;
        };
        while (pos_ < text_.size()) {
            const char c = text_[pos_];
            if (state == State::Quoted) {
                if (c == '"') {
                    if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                        field += '"';
                        pos_ += 2;
                    } else {
                        state = State::AfterQuote;
                        ++pos_;
                    }
                } else if (c == '\r' || c == '\n') {
                    consumeLineEnd();
                    field += '\n';
                } else {
                    field += c;
                    ++pos_;
                }
                continue;
            }
            if (c == separator_) {
                ++pos_;
                finishField();
                continue;
            }
            if (c == '\r' || c == '\n') {
                consumeLineEnd();
                finishField();
                return r;
            }
            ++pos_;
            switch (state) {
                case State::Start:
                    if (c == ' ' || c == '\t')
                        break;
                    if (c == '"') {
                        state = State::Quoted;
                        wasQuoted = true;
                        r.quoteLine = line_;
                        break;
                    }
                    field += c;
                    state = State::Unquoted;
                    break;
                case State::Unquoted:
                    if (c == '"')
                        fail(CsvFault::StrayQuote);
                    field += c;
                    break;
                case State::AfterQuote:
                    if (c == ' ' || c == '\t')
                        break;
                    fail(CsvFault::StrayQuote);
                    field += c;
                    state = State::Unquoted;
                    break;
                case State::Quoted:
                    break;  // handled above
            }
        }
        if (state == State::Quoted) {
            // It swallowed the rest of the body: that is the problem to tell, whatever came first.
            r.fault = CsvFault::UnterminatedQuote;
            r.faultField = r.fields.size();
        }
        finishField();
        return r;
    }

private:
    // At '\r' or '\n': moves past one line end (CRLF counts once).
    void consumeLineEnd() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')
            ++pos_;
        ++pos_;
        ++line_;
    }

    const std::string& text_;
    std::size_t pos_;
    int line_ = 1;
    char separator_ = ',';
};

// "field 3 (email)", or "field 3" past the header.
std::string fieldName(std::size_t index, const std::vector<std::string>& header) {
    std::string name = "field " + std::to_string(index + 1);
    if (index < header.size() && !header[index].empty())
        name += " (" + header[index] + ")";
    return name;
}

std::string describe(const RawRecord& r, const std::vector<std::string>& header) {
    switch (r.fault) {
        case CsvFault::UnterminatedQuote:
            return "the quote opened on line " + std::to_string(r.quoteLine) + " is never closed";
        case CsvFault::StrayQuote:
            return fieldName(r.faultField, header) +
                   ": a quote in a field must be inside a quoted field and doubled";
        case CsvFault::FieldTooLong:
            return fieldName(r.faultField, header) + " is longer than " +
                   std::to_string(CsvReader::kMaxFieldBytes) + " bytes";
        default:
            return {};
    }
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
    const std::string wanted = normaliseName(name);
    if (wanted.empty())
        return std::nullopt;
    const auto it = std::find(header.begin(), header.end(), wanted);
    if (it == header.end())
        return std::nullopt;
    return static_cast<std::size_t>(it - header.begin());
}

const std::string& CsvTable::field(const CsvRecord& record, const std::string& name) const {
    static const std::string kNone;
    const auto index = column(name);
    if (!index || *index >= record.fields.size())
        return kNone;
    return record.fields[*index];
}

CsvTable CsvReader::parse(const std::string& text, std::size_t maxRecords) {
    const std::size_t start = text.compare(0, kBomBytes, kBom) == 0 ? kBomBytes : 0;
    const std::size_t invalid = firstInvalidUtf8(text, start);
    if (invalid != std::string::npos)
        throw CsvEncodingError(lineAt(text, start, invalid), invalid);

    CsvTable table;
    RecordScanner scanner(text, start);
    scanner.skipBlankLines();
    if (scanner.atEnd())
        throw CsvError(1, "the file is empty; a header line is expected");
    table.separator = detectSeparator(text, scanner.position());
    scanner.setSeparator(table.separator);

    const RawRecord header = scanner.next();
    if (header.fault != CsvFault::None)
        throw CsvError(header.line, "the header line is malformed: " + describe(header, {}));
    if (header.blank())
        throw CsvError(header.line, "the header line has no column names");
    for (const auto& name : header.fields) {
        std::string normalised = normaliseName(name);
        if (!normalised.empty() &&
            std::find(table.header.begin(), table.header.end(), normalised) != table.header.end())
            throw CsvError(header.line, "the column '" + normalised + "' appears twice");
        table.header.push_back(std::move(normalised));
    }

    while (!scanner.atEnd()) {
        RawRecord raw = scanner.next();
        if (raw.blank())
            continue;
        CsvRecord record;
        record.line = raw.line;
        if (table.records.size() >= maxRecords) {
            record.fault = CsvFault::TooManyRecords;
            record.error = "the file holds more than " + std::to_string(maxRecords) +
                           " records; this one and those after it were not read";
            table.records.push_back(std::move(record));
            table.truncated = true;
            break;
        }
        record.fault = raw.fault;
        record.error = describe(raw, table.header);
        if (raw.fault == CsvFault::None && raw.fields.size() != table.header.size()) {
            record.fault = CsvFault::FieldCount;
            record.error = std::to_string(raw.fields.size()) + " fields where the header has " +
                           std::to_string(table.header.size());
        }
        record.fields = std::move(raw.fields);
        table.records.push_back(std::move(record));
    }
    return table;
}

}  // namespace relais
