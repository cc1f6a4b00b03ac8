#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace relais {

/// The body cannot be read as a table at all: it holds no header line, or its header line is
/// malformed (a quote problem, a field too long, a column name given twice). `line` is the
/// 1-based physical line. The caller answers 400.
class CsvError : public std::runtime_error {
public:
    CsvError(int line, const std::string& message);
    int line() const { return line_; }

private:
    int line_;
};

/// The body is not UTF-8, typically a Windows-1252 (Latin-1) export of Excel: the caller answers
/// 400 `invalid_encoding` and asks for an export as "CSV UTF-8".
class CsvEncodingError : public CsvError {
public:
    CsvEncodingError(int line, std::size_t offset);
    /// The 0-based offset, in the body as given (a BOM counts), of the first byte that does not
    /// begin a valid UTF-8 sequence; `line()` is the 1-based line that holds it.
    std::size_t offset() const { return offset_; }

private:
    std::size_t offset_;
};

/// Why one record cannot be used. A faulty record does not stop the reading of the others,
/// except where said.
enum class CsvFault {
    None,
    UnterminatedQuote,  ///< a quoted field runs to the end of the body: nothing follows it
    StrayQuote,         ///< a quote inside an unquoted field, or text after a closing quote
    FieldCount,         ///< not as many fields as the header has columns
    FieldTooLong,       ///< a field longer than CsvReader::kMaxFieldBytes
    TooManyRecords,     ///< one record beyond the maximum: it and the rest are not read
};

/// One record (row) of a table.
struct CsvRecord {
    int line = 0;  ///< the 1-based physical line where the record starts
    /// The fields as read (unquoted, trimmed). A faulty record keeps them for reports only (none
    /// for TooManyRecords); never import from it.
    std::vector<std::string> fields;
    CsvFault fault = CsvFault::None;
    std::string error;  ///< an English sentence saying what is wrong; "" when fault is None
    bool ok() const { return fault == CsvFault::None; }
};

/// A parsed body: the header and the records after it, in order.
struct CsvTable {
    char separator = ',';
    /// The column names, trimmed and lower-cased (ASCII and À..Þ); unique unless empty.
    std::vector<std::string> header;
    std::vector<CsvRecord> records;
    /// More records than the maximum: the last record has the fault TooManyRecords.
    bool truncated = false;

    /// The index of the column `name` (compared as the header is normalised), if any.
    std::optional<std::size_t> column(const std::string& name) const;
    /// The field of `record` in the column `name`; "" when there is no such column or the record
    /// has no field there. The reference lives as long as `record`.
    const std::string& field(const CsvRecord& record, const std::string& name) const;
};

/// Reads the CSV that spreadsheets export, French Excel included. Stateless and thread-safe.
///
/// - Encoding: UTF-8 only, checked strictly (RFC 3629: no overlong forms, no surrogates, nothing
///   above U+10FFFF, no truncated sequence). A NUL byte is refused too: it only shows up in
///   UTF-16 exports, which must get the same answer. A leading UTF-8 BOM is dropped.
/// - Separator: read from the header line, outside quotes: ';' when it holds more ';' than ',',
///   else ','; a tab when it holds more tabs than either (LibreOffice and Google Sheets export
///   TSV, and a header has no tab otherwise).
/// - RFC 4180 quoting: `""` inside a quoted field is a quote; separators and line ends inside
///   quotes belong to the field (line ends become "\n"). CRLF, LF and lone CR end lines.
///   Spaces and tabs around a field, outside quotes, are trimmed.
/// - Blank lines are skipped, and so are records whose fields are all empty (Excel writes ";;;"
///   for formatted but empty rows); they do not count towards the maximum.
class CsvReader {
public:
    static constexpr std::size_t kMaxFieldBytes = 1000;

    /// Parses a whole body. Records beyond `maxRecords` are not read (see CsvTable::truncated).
    /// Throws CsvEncodingError when the body is not UTF-8, CsvError when there is no usable
    /// header line; every other problem is a fault of the record it is in.
    static CsvTable parse(const std::string& text, std::size_t maxRecords);
};

}  // namespace relais
