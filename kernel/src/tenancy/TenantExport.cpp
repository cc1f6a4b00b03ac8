#include "tenancy/TenantExport.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <set>
#include <vector>

#include "relais/Journal.h"
#include "relais/Sha256.h"
#include "relais/TenantData.h"
#include "relais/Time.h"
#include "relais/Version.h"
#include "relais/ZipWriter.h"
#include "relais/http/Json.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/Representations.h"
#include "tenancy/UserStore.h"

namespace relais {

namespace {

constexpr const char* kReadme =
    "Export Relais\n"
    "=============\n\n"
    "Cette archive contient toutes les données de l'organisation au moment de l'export.\n\n"
    "  files/<identifiant>  chaque fichier stocké, déchiffré, tel qu'il a été déposé ;\n"
    "  manifest.json        l'organisation, ses utilisateurs (sans mot de passe), ses profils,\n"
    "                       ses modules, la liste des fichiers avec leur taille et leur empreinte\n"
    "                       SHA-256, les transferts (avec leurs fichiers et leurs destinataires),\n"
    "                       les demandes de dépôt et les dépôts reçus, les dossiers et le journal\n"
    "                       complet. Les fichiers des transferts et des dépôts sont désignés par\n"
    "                       leur \"file_id\" : files/<file_id>.\n\n"
    "Le manifeste est un objet JSON en UTF-8. Les dates sont au format RFC 3339 en UTC, les\n"
    "tailles en octets. \"files[].path\" donne le chemin du fichier dans l'archive ;\n"
    "\"files[].sha256\" permet d'en vérifier l'intégrité (sha256sum). \"journal\" reprend chaque\n"
    "entrée du journal (qui, quoi, quand, depuis quelle adresse) ; \"journal_check\" indique si\n"
    "la chaîne d'empreintes du journal était intacte au moment de l'export.\n\n"
    "English\n"
    "-------\n\n"
    "This archive holds all the data of the organisation at the time of the export.\n\n"
    "  files/<id>     every stored file, decrypted, as it was uploaded;\n"
    "  manifest.json  the organisation, its users (without passwords), its profiles, its\n"
    "                 modules, the list of files with their size and SHA-256 digest, the\n"
    "                 transfers (with their files and recipients), the upload requests and the\n"
    "                 deposits received, the folders and the whole journal. Files of transfers\n"
    "                 and deposits are named by \"file_id\": files/<file_id>.\n\n"
    "The manifest is a UTF-8 JSON object. Times are RFC 3339 in UTC, sizes are bytes.\n"
    "\"files[].path\" is the file's path in the archive; \"files[].sha256\" lets you check it\n"
    "(sha256sum). \"journal\" lists every journal entry (who, what, when, from which address);\n"
    "\"journal_check\" says whether the journal's hash chain was intact when exported.\n";

struct ExportedFile {
    StoredFileInfo info;
    std::string sha256;
};

// Writes a JSON array of pages without holding them all: "[a,b,...]".
class ArrayWriter {
public:
    explicit ArrayWriter(ZipWriter& zip) : zip_(zip) { put("["); }
    void add(const Poco::Dynamic::Var& value) { addRaw(http::toJson(value)); }
    /// An element already serialised.
    void addRaw(const std::string& json) {
        if (!first_) put(",\n");
        first_ = false;
        put(json);
    }
    void close() { put("]"); }

private:
    void put(const std::string& s) { zip_.write(s.data(), s.size()); }
    ZipWriter& zip_;
    bool first_ = true;
};

}  // namespace

void TenantExport::write(const Tenant& tenant, std::ostream& out) {
    const std::int64_t now = nowMs();
    ZipWriter zip(out);
    zip.addEntry("README.txt", kReadme, now);

    std::vector<ExportedFile> files;
    std::vector<char> buffer(1 << 20);
    for (std::string after;;) {
        auto page = s_.files.listFiles(tenant.id, after, 500);
        if (page.empty()) break;
        after = page.back().id;
        for (const auto& info : page) {
            auto reader = s_.files.open(tenant.id, info.id);
            Sha256 digest;
            zip.beginEntry("files/" + info.id, info.createdAtMs, reader->size());
            for (std::int64_t offset = 0;;) {
                const std::size_t n = reader->read(offset, buffer.data(), buffer.size());
                if (n == 0) break;
                digest.update(buffer.data(), n);
                zip.write(buffer.data(), n);
                offset += static_cast<std::int64_t>(n);
            }
            zip.endEntry();
            files.push_back({info, digest.hexDigest()});
        }
    }

    zip.beginEntry("manifest.json", now);
    auto put = [&](const std::string& s) { zip.write(s.data(), s.size()); };
    Poco::JSON::Object head;
    head.set("format", "relais.export");
    head.set("version", 1);
    head.set("generated_at", formatRfc3339(now));
    head.set("generator", std::string("relaisd ") + kVersion);
    std::string text = http::toJson(head);
    text.pop_back();  // continue the object
    put(text);
    put(",\n\"tenant\":" + http::toJson(repr::tenant(tenant, s_.settings.platformDomain)));

    put(",\n\"users\":");
    ArrayWriter users(zip);
    for (std::string after;;) {
        auto page = s_.users.list(tenant.id, "", after, 500);
        if (page.empty()) break;
        after = page.back().email;
        for (const auto& u : page) users.add(repr::user(u));
    }
    users.close();

    put(",\n\"profiles\":");
    ArrayWriter profiles(zip);
    for (const auto& p : s_.users.profiles(tenant.id)) profiles.add(repr::profile(p));
    profiles.close();

    put(",\n\"files\":");
    ArrayWriter fileList(zip);
    for (const auto& f : files) {
        Poco::JSON::Object o;
        o.set("id", f.info.id);
        o.set("path", "files/" + f.info.id);
        o.set("size", f.info.size);
        o.set("sha256", f.sha256);
        o.set("complete", f.info.sealed);
        o.set("created_at", formatRfc3339(f.info.createdAtMs));
        fileList.add(o);
    }
    fileList.close();

    // The modules' objects: transfers, folders, upload requests...
    std::set<std::string> written;
    for (const auto& module : s_.tenantData)
        for (const auto& member : module->exportMembers()) {
            if (!written.insert(member).second) continue;  // one module per member
            put(",\n" + http::toJson(member) + ":");
            ArrayWriter objects(zip);
            module->exportMember(tenant.id, member, [&](const std::string& json) { objects.addRaw(json); });
            objects.close();
        }
    for (const char* member : {"transfers", "folders"})
        if (!written.count(member)) put(std::string(",\n\"") + member + "\":[]");

    const JournalVerification check = s_.journal.verify(tenant.id);
    Poco::JSON::Object checkJson;
    checkJson.set("ok", check.ok);
    checkJson.set("entries_checked", check.entriesChecked);
    checkJson.set("first_bad_entry_id",
                  check.firstBadEntryId ? Poco::Dynamic::Var(std::to_string(check.firstBadEntryId)) : Poco::Dynamic::Var());
    put(",\n\"journal_check\":" + http::toJson(checkJson));

    put(",\n\"journal\":");
    ArrayWriter journal(zip);
    JournalQuery q;
    q.tenantId = tenant.id;
    q.limit = 1000;
    for (;;) {
        auto page = s_.journal.list(q);
        if (page.empty()) break;
        q.afterId = page.back().id;
        for (const auto& e : page) journal.add(repr::journalEntry(e));
    }
    journal.close();
    put("}\n");
    zip.endEntry();
    zip.finish();
}

}  // namespace relais
