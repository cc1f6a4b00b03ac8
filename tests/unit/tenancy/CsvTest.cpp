#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "tenancy/CsvReader.h"

using relais::CsvEncodingError;
using relais::CsvError;
using relais::CsvFault;
using relais::CsvReader;
using relais::CsvRecord;
using relais::CsvTable;

namespace CppUnit {
template <>
struct assertion_traits<relais::CsvFault> {
    static bool equal(relais::CsvFault a, relais::CsvFault b) { return a == b; }
    static std::string toString(relais::CsvFault f) {
        return "CsvFault " + std::to_string(static_cast<int>(f));
    }
};
}  // namespace CppUnit

namespace {

using Fields = std::vector<std::string>;

constexpr std::size_t kMany = 1000;

// The offset and line of the encoding error of `text`; fails the test when it parses.
CsvEncodingError encodingErrorOf(const std::string& text) {
    try {
        CsvReader::parse(text, kMany);
    } catch (const CsvEncodingError& e) {
        return e;
    }
    CPPUNIT_FAIL("not refused as invalid UTF-8: " + text);
    return CsvEncodingError(0, 0);
}

// The line of the CsvError (not an encoding one) of `text`; fails the test when it parses.
int headerErrorLine(const std::string& text) {
    try {
        CsvReader::parse(text, kMany);
    } catch (const CsvEncodingError& e) {
        CPPUNIT_FAIL(std::string("unexpected encoding error: ") + e.what());
    } catch (const CsvError& e) {
        return e.line();
    }
    CPPUNIT_FAIL("accepted: " + text);
    return 0;
}

// Whether `text` is well-formed UTF-8 by the same rules, checked the slow way through
// code points.
bool wellFormedUtf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const int n = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
        if (n < 0 || c > 0xF4 || i + n >= s.size())
            return false;
        std::uint32_t cp = n == 0 ? c : c & (0x3F >> n);
        for (int k = 1; k <= n; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        const std::uint32_t minimum[] = {0, 0x80, 0x800, 0x10000};
        if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0)
            return false;
        i += n + 1;
    }
    return true;
}

// Writes a field the way a careful exporter would: quoted when it must be.
std::string quoteIfNeeded(const std::string& field, char separator) {
    const bool needs =
        field.find_first_of(std::string("\"\r\n") + separator) != std::string::npos ||
        (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!needs)
        return field;
    std::string out = "\"";
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

class CsvTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CsvTest);
    CPPUNIT_TEST(frenchExcelExportWithBomAndSemicolons);
    CPPUNIT_TEST(commaAndTabFiles);
    CPPUNIT_TEST(separatorIsCountedOutsideQuotes);
    CPPUNIT_TEST(quotedFieldsHoldSeparatorsQuotesAndLineEnds);
    CPPUNIT_TEST(everyLineEndIsALineEnd);
    CPPUNIT_TEST(blankLinesAndEmptyRowsAreSkipped);
    CPPUNIT_TEST(fieldsAreTrimmedOutsideQuotes);
    CPPUNIT_TEST(latin1IsRefusedWithItsLine);
    CPPUNIT_TEST(malformedUtf8IsRefusedWhereItStarts);
    CPPUNIT_TEST(wellFormedUtf8IsAccepted);
    CPPUNIT_TEST(aBadLineDoesNotStopTheGoodOnes);
    CPPUNIT_TEST(fieldCountMustMatchTheHeader);
    CPPUNIT_TEST(unterminatedQuoteStopsAtTheLineItOpened);
    CPPUNIT_TEST(recordsBeyondTheMaximumAreNotRead);
    CPPUNIT_TEST(fieldsLongerThanTheLimitAreFaults);
    CPPUNIT_TEST(aFileWithoutAUsableHeaderIsRefused);
    CPPUNIT_TEST(headerNamesAreNormalisedAndLookedUp);
    CPPUNIT_TEST(writtenTablesReadBackIdentically);
    CPPUNIT_TEST(randomBytesNeverBreakTheReader);
    CPPUNIT_TEST_SUITE_END();

public:
    void frenchExcelExportWithBomAndSemicolons() {
        const CsvTable t = CsvReader::parse(
            "\xEF\xBB\xBFNom;Pr\xC3\xA9nom;E-mail;R\xC3\xB4le\r\n"
            "Durand;H\xC3\xA9l\xC3\xA8ne;helene.durand@example.fr;admin\r\n"
            "Martin;Jean-Fran\xC3\xA7ois;jf.martin@example.fr;membre\r\n",
            kMany);
        CPPUNIT_ASSERT_EQUAL(';', t.separator);
        CPPUNIT_ASSERT(t.header == Fields({"nom", "pr\xC3\xA9nom", "e-mail", "r\xC3\xB4le"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, t.records.size());
        CPPUNIT_ASSERT(!t.truncated);
        const CsvRecord& helene = t.records[0];
        CPPUNIT_ASSERT(helene.ok());
        CPPUNIT_ASSERT_EQUAL(2, helene.line);
        CPPUNIT_ASSERT_EQUAL(std::string(""), helene.error);
        CPPUNIT_ASSERT_EQUAL(std::string("Durand"), helene.fields[0]);  // no BOM left anywhere
        CPPUNIT_ASSERT_EQUAL(std::string("H\xC3\xA9l\xC3\xA8ne"), t.field(helene, "prénom"));
        CPPUNIT_ASSERT_EQUAL(std::string("helene.durand@example.fr"), t.field(helene, "e-mail"));
        CPPUNIT_ASSERT_EQUAL(3, t.records[1].line);
        CPPUNIT_ASSERT_EQUAL(std::string("membre"), t.field(t.records[1], "rôle"));
    }

    void commaAndTabFiles() {
        const CsvTable comma = CsvReader::parse("email,name\nalice@example.fr,Alice\n", kMany);
        CPPUNIT_ASSERT_EQUAL(',', comma.separator);
        CPPUNIT_ASSERT(comma.header == Fields({"email", "name"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, comma.records.size());
        CPPUNIT_ASSERT(comma.records[0].fields == Fields({"alice@example.fr", "Alice"}));

        // A single column: no separator at all, commas by default.
        const CsvTable single = CsvReader::parse("email\nbob@example.fr\n", kMany);
        CPPUNIT_ASSERT_EQUAL(',', single.separator);
        CPPUNIT_ASSERT(single.records[0].fields == Fields({"bob@example.fr"}));

        const CsvTable tab =
            CsvReader::parse("email\tnom\tville\nbob@example.fr\tBob, Jr\tLyon; 3e\n", kMany);
        CPPUNIT_ASSERT_EQUAL('\t', tab.separator);
        CPPUNIT_ASSERT(tab.records[0].ok());
        CPPUNIT_ASSERT(tab.records[0].fields == Fields({"bob@example.fr", "Bob, Jr", "Lyon; 3e"}));

        // As many ';' as ',': ','; one more ';': ';'.
        CPPUNIT_ASSERT_EQUAL(',', CsvReader::parse("a;b,c\n1;2,3\n", kMany).separator);
        CPPUNIT_ASSERT_EQUAL(';', CsvReader::parse("a;b;c,d\n1;2;3,4\n", kMany).separator);
    }

    void separatorIsCountedOutsideQuotes() {
        const CsvTable t = CsvReader::parse(
            "\"Nom; pr\xC3\xA9nom; titre\",email\n\"Durand; H\",h@example.fr\n", kMany);
        CPPUNIT_ASSERT_EQUAL(',', t.separator);
        CPPUNIT_ASSERT(t.header == Fields({"nom; pr\xC3\xA9nom; titre", "email"}));
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT(t.records[0].fields == Fields({"Durand; H", "h@example.fr"}));

        const CsvTable u = CsvReader::parse("a;b;\"c,d,e,f\"\n1;2;3\n", kMany);
        CPPUNIT_ASSERT_EQUAL(';', u.separator);
        CPPUNIT_ASSERT(u.header == Fields({"a", "b", "c,d,e,f"}));
    }

    void quotedFieldsHoldSeparatorsQuotesAndLineEnds() {
        const CsvTable t = CsvReader::parse(
            "nom;adresse;note\n"
            "\"Dupont; Jean\";\"12, rue \"\"Haute\"\"\r\nB\xC3\xA2t. B\";\"\"\"\"\n"
            "Martin;\"a\nb\nc\";\"\"\n",
            kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, t.records.size());
        const CsvRecord& dupont = t.records[0];
        CPPUNIT_ASSERT(dupont.ok());
        CPPUNIT_ASSERT_EQUAL(2, dupont.line);
        CPPUNIT_ASSERT(dupont.fields ==
                       Fields({"Dupont; Jean", "12, rue \"Haute\"\nB\xC3\xA2t. B", "\""}));
        // The record after a three-line field starts on line 4 of the file, and its own field
        // spans lines 4 to 6.
        const CsvRecord& martin = t.records[1];
        CPPUNIT_ASSERT(martin.ok());
        CPPUNIT_ASSERT_EQUAL(4, martin.line);
        CPPUNIT_ASSERT(martin.fields == Fields({"Martin", "a\nb\nc", ""}));
    }

    void everyLineEndIsALineEnd() {
        const CsvTable t = CsvReader::parse("a;b\r\n1;2\n3;4\r5;\"x\ry\r\nz\"\r\n6;7\r", kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, t.records.size());
        const int lines[] = {2, 3, 4, 7};
        for (std::size_t i = 0; i < 4; ++i) {
            CPPUNIT_ASSERT(t.records[i].ok());
            CPPUNIT_ASSERT_EQUAL(lines[i], t.records[i].line);
            for (const auto& f : t.records[i].fields)
                CPPUNIT_ASSERT(f.find('\r') == std::string::npos);
        }
        CPPUNIT_ASSERT(t.records[1].fields == Fields({"3", "4"}));
        CPPUNIT_ASSERT(t.records[2].fields == Fields({"5", "x\ny\nz"}));
        CPPUNIT_ASSERT(t.records[3].fields == Fields({"6", "7"}));
        // No line end after the last record.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, CsvReader::parse("a;b\n1;2", kMany).records.size());
    }

    void blankLinesAndEmptyRowsAreSkipped() {
        const CsvTable t = CsvReader::parse(
            "\n  \r\nemail;nom\n\nx@example.fr;X\n   \n;\n ; \n\"\";\"\"\ny@example.fr;Y\n\n\n",
            kMany);
        CPPUNIT_ASSERT(t.header == Fields({"email", "nom"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, t.records.size());
        CPPUNIT_ASSERT_EQUAL(5, t.records[0].line);
        CPPUNIT_ASSERT_EQUAL(10, t.records[1].line);
        CPPUNIT_ASSERT(t.records[1].ok());
        // Excel's formatted empty rows, wider than the header, are empty rows too.
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             CsvReader::parse("a;b\n1;2\n;;;;\n;;;;\n", kMany).records.size());
    }

    void fieldsAreTrimmedOutsideQuotes() {
        const CsvTable t =
            CsvReader::parse("  Email ; Nom  \n  a@example.fr ;  \" Jean \"  \n", kMany);
        CPPUNIT_ASSERT(t.header == Fields({"email", "nom"}));
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT(t.records[0].fields == Fields({"a@example.fr", " Jean "}));
        // Inner spaces stay.
        const CsvTable u = CsvReader::parse("nom\n Le  Gall \n", kMany);
        CPPUNIT_ASSERT_EQUAL(std::string("Le  Gall"), u.records[0].fields[0]);
    }

    void latin1IsRefusedWithItsLine() {
        // "Hélène" as Excel writes it in Windows-1252: 0x48 0xE9 0x6C 0xE8 0x6E 0x65.
        const std::string body = "nom;prenom\r\nDurand;Jean\r\nMartin;H\xE9l\xE8ne\r\n";
        const CsvEncodingError e = encodingErrorOf(body);
        CPPUNIT_ASSERT_EQUAL(3, e.line());
        CPPUNIT_ASSERT_EQUAL(body.find('\xE9'), e.offset());
        CPPUNIT_ASSERT(std::string(e.what()).find("line 3") != std::string::npos);
        CPPUNIT_ASSERT(std::string(e.what()).find("CSV UTF-8") != std::string::npos);
        // It is a CsvError too, for callers that only want one catch.
        try {
            CsvReader::parse(body, kMany);
            CPPUNIT_FAIL("accepted");
        } catch (const CsvError& base) {
            CPPUNIT_ASSERT_EQUAL(3, base.line());
        }
        // The offset counts the BOM: it is an offset in the body as sent.
        const CsvEncodingError withBom = encodingErrorOf("\xEF\xBB\xBF" + body);
        CPPUNIT_ASSERT_EQUAL(3, withBom.line());
        CPPUNIT_ASSERT_EQUAL(body.find('\xE9') + 3, withBom.offset());
        // Even inside quotes, and on the header line.
        CPPUNIT_ASSERT_EQUAL(1, encodingErrorOf("\"Pr\xE9nom\";nom\n").line());
        // A UTF-16 export (BOM FF FE, then NULs): refused as well.
        CPPUNIT_ASSERT_EQUAL(std::size_t{0},
                             encodingErrorOf(std::string("\xFF\xFEn\0o\0m\0", 8)).offset());
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, encodingErrorOf(std::string("n\0o\0m\0", 6)).offset());
    }

    void malformedUtf8IsRefusedWhereItStarts() {
        struct Case {
            std::string bad;
            const char* what;
        };
        const Case cases[] = {
            {"\x80", "lone continuation byte"},
            {"\xBF", "lone continuation byte"},
            {"\xC0\xAF", "overlong '/' on two bytes"},
            {"\xC1\xBF", "overlong on two bytes"},
            {"\xE0\x80\xAF", "overlong '/' on three bytes"},
            {"\xE0\x9F\xBF", "overlong U+07FF on three bytes"},
            {"\xF0\x80\x80\xAF", "overlong '/' on four bytes"},
            {"\xF0\x8F\xBF\xBF", "overlong U+FFFF on four bytes"},
            {"\xED\xA0\x80", "high surrogate U+D800"},
            {"\xED\xBF\xBF", "low surrogate U+DFFF"},
            {"\xF4\x90\x80\x80", "above U+10FFFF"},
            {"\xF5\x80\x80\x80", "F5 lead byte"},
            {"\xFF", "FF byte"},
            {"\xC3", "truncated two-byte sequence"},
            {"\xE2\x82", "truncated three-byte sequence"},
            {"\xF0\x9F\x98", "truncated four-byte sequence"},
            {"\xC3(", "lead byte without its continuation"},
            {"\xE2\x28\xA1", "bad second byte"},
            {"\xE2\x82\x28", "bad third byte"},
            {"\xF0\x9F\x98\x28", "bad fourth byte"},
        };
        for (const Case& c : cases) {
            for (const std::string& end : {std::string(), std::string("x\n"), std::string(";z")}) {
                const std::string prefix = "a;b\r1;2\n\xC3\xA9t\xC3\xA9;";  // line 3 starts here
                const CsvEncodingError e = encodingErrorOf(prefix + c.bad + end);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what, prefix.size(), e.offset());
                CPPUNIT_ASSERT_EQUAL_MESSAGE(c.what, 3, e.line());
            }
        }
    }

    void wellFormedUtf8IsAccepted() {
        const std::string values[] = {
            "\xC2\x80",          // U+0080, the first two-byte one
            "\xDF\xBF",          // U+07FF
            "\xE0\xA0\x80",      // U+0800, the first three-byte one
            "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
            "\xEE\x80\x80",      // U+E000, just above them
            "\xEF\xBB\xBF",      // U+FEFF: a BOM past the start is a character
            "\xEF\xBF\xBF",      // U+FFFF
            "\xF0\x90\x80\x80",  // U+10000, the first four-byte one
            "\xF0\x9F\x98\x80",  // an emoji
            "\xF4\x8F\xBF\xBF",  // U+10FFFF, the last one
        };
        for (const std::string& v : values) {
            const CsvTable t = CsvReader::parse("nom\n" + v + "\n", kMany);
            CPPUNIT_ASSERT_EQUAL(std::size_t{1}, t.records.size());
            CPPUNIT_ASSERT(t.records[0].fields == Fields({v}));
        }
    }

    void aBadLineDoesNotStopTheGoodOnes() {
        const CsvTable t = CsvReader::parse(
            "email;nom\n"
            "a@example.fr;A\n"
            "b@example.fr;O\"Brien\n"  // a quote inside an unquoted field
            "c@example.fr;C\n"
            "\"d@example.fr\"x;D\n"  // text after a closing quote
            "e@example.fr;\"E\"\n",
            kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, t.records.size());
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT_EQUAL(CsvFault::StrayQuote, t.records[1].fault);
        CPPUNIT_ASSERT_EQUAL(3, t.records[1].line);
        CPPUNIT_ASSERT(t.records[1].error.find("field 2 (nom)") != std::string::npos);
        CPPUNIT_ASSERT(t.records[2].ok());
        CPPUNIT_ASSERT_EQUAL(4, t.records[2].line);
        CPPUNIT_ASSERT_EQUAL(std::string("c@example.fr"), t.field(t.records[2], "email"));
        CPPUNIT_ASSERT_EQUAL(CsvFault::StrayQuote, t.records[3].fault);
        CPPUNIT_ASSERT_EQUAL(5, t.records[3].line);
        CPPUNIT_ASSERT(t.records[3].error.find("field 1 (email)") != std::string::npos);
        CPPUNIT_ASSERT(t.records[4].ok());
        CPPUNIT_ASSERT_EQUAL(6, t.records[4].line);
        CPPUNIT_ASSERT_EQUAL(std::string("E"), t.field(t.records[4], "nom"));
        for (const CsvRecord& r : t.records)
            CPPUNIT_ASSERT_EQUAL(r.ok(), r.error.empty());
    }

    void fieldCountMustMatchTheHeader() {
        const CsvTable t = CsvReader::parse(
            "email;nom;role\na@x.fr;A;admin\nb@x.fr;B\nc@x.fr;C;membre;de trop\n"
            "d@x.fr;D;membre\n",
            kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, t.records.size());
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT_EQUAL(CsvFault::FieldCount, t.records[1].fault);
        CPPUNIT_ASSERT_EQUAL(3, t.records[1].line);
        CPPUNIT_ASSERT_EQUAL(std::string("2 fields where the header has 3"), t.records[1].error);
        CPPUNIT_ASSERT_EQUAL(CsvFault::FieldCount, t.records[2].fault);
        CPPUNIT_ASSERT_EQUAL(4, t.records[2].line);
        CPPUNIT_ASSERT(t.records[3].ok());
        // The missing column of a short record reads as empty, never out of bounds.
        CPPUNIT_ASSERT_EQUAL(std::string(""), t.field(t.records[1], "role"));
    }

    void unterminatedQuoteStopsAtTheLineItOpened() {
        const CsvTable t = CsvReader::parse("a;b\n1;2\n3;\"oops\n4;5\n6;7\n", kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, t.records.size());
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT_EQUAL(CsvFault::UnterminatedQuote, t.records[1].fault);
        CPPUNIT_ASSERT_EQUAL(3, t.records[1].line);
        CPPUNIT_ASSERT(t.records[1].error.find("line 3") != std::string::npos);

        // The record starts on line 2, the quote that never closes opens on line 3.
        const CsvTable u = CsvReader::parse("a;b;c\n1;\"x\ny\";\"open\n\n4;5;6\n", kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, u.records.size());
        CPPUNIT_ASSERT_EQUAL(2, u.records[0].line);
        CPPUNIT_ASSERT_EQUAL(CsvFault::UnterminatedQuote, u.records[0].fault);
        CPPUNIT_ASSERT(u.records[0].error.find("line 3") != std::string::npos);

        // Even when the record already had another fault.
        const CsvTable v = CsvReader::parse("a;b\nx\"y;\"z\n", kMany);
        CPPUNIT_ASSERT_EQUAL(CsvFault::UnterminatedQuote, v.records[0].fault);

        // In the header, nothing can be read.
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine("\"email;nom\n1;2\n"));
    }

    void recordsBeyondTheMaximumAreNotRead() {
        const std::string body = "n\n1\n2\n\n3\n4\n5\n";
        const CsvTable t = CsvReader::parse(body, 3);
        CPPUNIT_ASSERT(t.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, t.records.size());
        for (std::size_t i = 0; i < 3; ++i)
            CPPUNIT_ASSERT(t.records[i].ok());
        CPPUNIT_ASSERT_EQUAL(CsvFault::TooManyRecords, t.records[3].fault);
        CPPUNIT_ASSERT_EQUAL(6, t.records[3].line);  // the blank line 4 does not count
        CPPUNIT_ASSERT(t.records[3].error.find("more than 3 records") != std::string::npos);

        const CsvTable exact = CsvReader::parse(body, 5);
        CPPUNIT_ASSERT(!exact.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{5}, exact.records.size());
        // Trailing empty rows do not make a full file overflow.
        CPPUNIT_ASSERT(!CsvReader::parse(body + ",,\n\n", 5).truncated);

        const CsvTable none = CsvReader::parse(body, 0);
        CPPUNIT_ASSERT(none.truncated);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, none.records.size());
        CPPUNIT_ASSERT_EQUAL(2, none.records[0].line);
        // Faulty records count too: a file of garbage cannot grow the table without limit.
        CPPUNIT_ASSERT(CsvReader::parse("a;b\nx\ny\nz\n", 2).truncated);
    }

    void fieldsLongerThanTheLimitAreFaults() {
        const std::string longest(CsvReader::kMaxFieldBytes, 'x');
        const CsvTable t = CsvReader::parse("a;b\n" + longest + ";1\n" + longest + "y;2\n\"" +
                                                longest + "\"\"\";3\n4;  " + longest + "  \n",
                                            kMany);
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, t.records.size());
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT_EQUAL(CsvFault::FieldTooLong, t.records[1].fault);
        CPPUNIT_ASSERT_EQUAL(3, t.records[1].line);
        CPPUNIT_ASSERT(t.records[1].error.find("field 1 (a)") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(CsvFault::FieldTooLong, t.records[2].fault);  // 1001 once unquoted
        CPPUNIT_ASSERT(t.records[3].ok());  // trimmed spaces do not count
        // A long header name makes the header unusable.
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine(longest + "y;b\n1;2\n"));
    }

    void aFileWithoutAUsableHeaderIsRefused() {
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine(""));
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine("\xEF\xBB\xBF"));
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine("\n \r\n\t\n"));
        CPPUNIT_ASSERT_EQUAL(2, headerErrorLine("\n;;;\n1;2;3;4\n"));
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine("Email;nom;EMAIL\n1;2;3\n"));
        CPPUNIT_ASSERT_EQUAL(1, headerErrorLine("em\"ail;nom\n1;2\n"));
        // Unnamed columns (an empty header cell) are allowed, and never match a lookup.
        const CsvTable t = CsvReader::parse("email;;nom;\na;b;c;d\n", kMany);
        CPPUNIT_ASSERT(t.header == Fields({"email", "", "nom", ""}));
        CPPUNIT_ASSERT(t.records[0].ok());
        CPPUNIT_ASSERT(!t.column(""));
        CPPUNIT_ASSERT_EQUAL(std::string(""), t.field(t.records[0], ""));
    }

    void headerNamesAreNormalisedAndLookedUp() {
        const CsvTable t = CsvReader::parse(
            "PR\xC3\x89NOM;\xC3\x80 JOUR;E-Mail;Na\xC3\xAFve\xC3\x97\n"
            "H\xC3\xA9l\xC3\xA8ne;oui;h@x.fr;1\n",
            kMany);
        // É → é, À → à, ï stays, × is not a letter.
        CPPUNIT_ASSERT(t.header == Fields({"pr\xC3\xA9nom", "\xC3\xA0 jour", "e-mail",
                                           "na\xC3\xAFve\xC3\x97"}));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, *t.column("E-MAIL"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, *t.column(" Pr\xC3\x89nom "));
        CPPUNIT_ASSERT(!t.column("mail"));
        const CsvRecord& r = t.records[0];
        CPPUNIT_ASSERT_EQUAL(std::string("H\xC3\xA9l\xC3\xA8ne"), t.field(r, "PRÉNOM"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), t.field(r, "t\xC3\xA9l\xC3\xA9phone"));
    }

    // Tables written with proper quoting, any separator and line end, read back as written.
    void writtenTablesReadBackIdentically() {
        std::mt19937 random(20240611);
        const std::vector<std::string> pieces = {
            "a", "Z", "0", " ", ";", ",", "\t", "\"", "\n", "\r\n", "\xC3\xA9", "\xE2\x82\xAC",
            "@"};
        const char separators[] = {';', ',', '\t'};
        const char* lineEnds[] = {"\n", "\r\n", "\r"};
        for (int round = 0; round < 500; ++round) {
            const char separator = separators[random() % 3];
            const std::string lineEnd = lineEnds[random() % 3];
            const std::size_t columns = 2 + random() % 4;
            std::string body = random() % 2 ? "\xEF\xBB\xBF" : "";
            Fields header;
            for (std::size_t c = 0; c < columns; ++c) {
                header.push_back("col" + std::to_string(c));
                body += (c ? std::string(1, separator) : "") + header.back();
            }
            body += lineEnd;
            std::vector<Fields> rows(random() % 8);
            for (Fields& row : rows) {
                for (std::size_t c = 0; c < columns; ++c) {
                    std::string field = c == 0 ? "k" : "";  // never an all-empty row
                    const std::size_t length = random() % 6;
                    for (std::size_t k = 0; k < length; ++k)
                        field += pieces[random() % pieces.size()];
                    // Outside quotes a tab is trimmed like a space, so this writer quotes it too.
                    if (!field.empty() && (field.back() == '\t' || field.front() == '\t'))
                        field = "[" + field + "]";
                    body += (c ? std::string(1, separator) : "") + quoteIfNeeded(field, separator);
                    for (std::size_t p = 0; (p = field.find("\r\n", p)) != std::string::npos;)
                        field.replace(p, 2, "\n");  // what the reader gives back
                    row.push_back(field);
                }
                body += lineEnd;
            }
            const CsvTable t = CsvReader::parse(body, kMany);
            CPPUNIT_ASSERT_EQUAL(separator, t.separator);
            CPPUNIT_ASSERT(t.header == header);
            CPPUNIT_ASSERT_EQUAL(rows.size(), t.records.size());
            for (std::size_t i = 0; i < rows.size(); ++i) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(t.records[i].error, true, t.records[i].ok());
                CPPUNIT_ASSERT(t.records[i].fields == rows[i]);
            }
        }
    }

    // libFuzzer-style: random and mutated bodies, a fixed seed; never a crash (ASan and UBSan
    // watch), and whatever comes back holds together.
    void randomBytesNeverBreakTheReader() {
        std::mt19937 random(424242);
        const std::string seed =
            "\xEF\xBB\xBFNom;Pr\xC3\xA9nom;E-mail\r\n\"Dupont; J\";\"a\"\"b\nc\";x@y.fr\r\n"
            "Martin;H\xC3\xA9l\xC3\xA8ne;h@y.fr\n\n;;\n\"open";
        const std::string alphabet = std::string(";,\t\"\r\n aZ0") + std::string("\0", 1) +
                                     "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xFF\x80\xED\xA0";
        int parsed = 0, refused = 0;
        for (int round = 0; round < 20000; ++round) {
            std::string body;
            if (round % 2 == 0) {
                const std::size_t length = random() % 96;
                for (std::size_t i = 0; i < length; ++i)
                    body += random() % 8 ? alphabet[random() % alphabet.size()]
                                         : static_cast<char>(random() % 256);
            } else {
                body = seed;
                const int mutations = 1 + static_cast<int>(random() % 4);
                for (int m = 0; m < mutations && !body.empty(); ++m) {
                    const std::size_t at = random() % body.size();
                    switch (random() % 3) {
                        case 0:
                            body[at] = alphabet[random() % alphabet.size()];
                            break;
                        case 1:
                            body.erase(at, 1 + random() % 8);
                            break;
                        default:
                            body.insert(at, 1, alphabet[random() % alphabet.size()]);
                    }
                }
            }
            const std::size_t maxRecords = random() % 6;
            try {
                const CsvTable t = CsvReader::parse(body, maxRecords);
                ++parsed;
                CPPUNIT_ASSERT(wellFormedUtf8(
                    body.compare(0, 3, "\xEF\xBB\xBF") == 0 ? body.substr(3) : body));
                CPPUNIT_ASSERT(!t.header.empty());
                CPPUNIT_ASSERT(t.records.size() <= maxRecords + 1);
                CPPUNIT_ASSERT_EQUAL(t.truncated, t.records.size() == maxRecords + 1);
                int previous = 1;
                for (const CsvRecord& r : t.records) {
                    CPPUNIT_ASSERT(r.line > previous);
                    previous = r.line;
                    CPPUNIT_ASSERT_EQUAL(r.ok(), r.error.empty());
                    if (!r.ok())
                        continue;
                    CPPUNIT_ASSERT_EQUAL(t.header.size(), r.fields.size());
                    for (const auto& f : r.fields) {
                        CPPUNIT_ASSERT(f.size() <= CsvReader::kMaxFieldBytes);
                        CPPUNIT_ASSERT(f.find('\r') == std::string::npos);
                        CPPUNIT_ASSERT(wellFormedUtf8(f));
                    }
                }
            } catch (const CsvEncodingError& e) {
                ++refused;
                CPPUNIT_ASSERT(e.offset() < body.size());
                CPPUNIT_ASSERT(e.line() >= 1);
                CPPUNIT_ASSERT(!wellFormedUtf8(
                    body.compare(0, 3, "\xEF\xBB\xBF") == 0 ? body.substr(3) : body));
            } catch (const CsvError& e) {
                CPPUNIT_ASSERT(e.line() >= 1);
            }
        }
        // Both paths were exercised, or the loop proves little.
        CPPUNIT_ASSERT(parsed > 1000);
        CPPUNIT_ASSERT(refused > 1000);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CsvTest);
