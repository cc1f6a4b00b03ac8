// Terminate → export → purge, end to end: the export holds every stored file, decrypted, and
// a manifest; after the purge nothing of the tenant remains (no row in any table, no blob, no
// key), the platform journal records the purge and the deletion certificate's signature holds.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <set>

#include "../wesend/WesendSupport.h"
#include "TenancySupport.h"
#include "TestSupport.h"
#include "crypto/Ed25519.h"
#include "relais/Database.h"
#include "relais/FileStore.h"
#include "relais/Random.h"
#include "relais/Sha256.h"
#include "relais/Time.h"
#include "runtime/Runtime.h"

namespace fs = std::filesystem;
using relais::test::call;
using relais::test::problemCode;

namespace {

Poco::JSON::Object::Ptr json(const std::string& text) { return relais::test::jsonObject(text); }

// Stores `content` as a sealed file of the tenant through the kernel's storage API.
std::string storeFile(relais::Runtime& rt, const std::string& tenantId, const std::string& content) {
    auto& files = rt.files();
    const std::string id = files.createFile(tenantId);
    auto writer = files.append(tenantId, id, static_cast<std::int64_t>(content.size()));
    for (std::size_t at = 0; at < content.size(); at += 700000)
        writer->write(content.data() + at, std::min<std::size_t>(700000, content.size() - at));
    writer->commit();
    files.seal(tenantId, id);
    return id;
}

std::set<std::string> blobNames(const std::string& dir) {
    std::set<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.insert(e.path().filename().string());
    return out;
}

std::vector<std::string> tables(relais::db::Database& db) {
    std::vector<std::string> out;
    const auto rows = db.dialect() == relais::db::Dialect::MySQL
                          ? db.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()")
                          : db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    for (const auto& r : rows) out.push_back(r.getString("name"));
    return out;
}

}  // namespace

class LifecycleTest : public relais::test::DatabaseFixture {
    CPPUNIT_TEST_SUITE(LifecycleTest);
    CPPUNIT_TEST(terminateExportPurgeLeavesNothing);
    CPPUNIT_TEST(theOperatorCanPurgeOnlyTerminatedTenants);
    CPPUNIT_TEST(expiredSecretsDoNotLinger);
    CPPUNIT_TEST_SUITE_END();

public:

    void terminateExportPurgeLeavesNothing() {
        // With the product's plugins: WeSend's tables and files must go with the tenant too.
        auto settings = relais::test::productSettings(dir_, *db_);
        settings["tenancy.export_window_ms"] = "4000";
        settings["tenancy.purge_interval_ms"] = "200";
        settings["storage.segment_bytes"] = "65536";
        relais::test::TestServer server(settings);
        auto& rt = server.runtime();
        const auto port = server.port();

        auto acme = relais::test::createTenant(rt, "acme", "pro");
        auto other = relais::test::createTenant(rt, "autre", "pro");
        auto admin = relais::test::createUser(rt, acme.id, "tenant_admin", "admin@acme.example");
        auto user = relais::test::createUser(rt, acme.id, "user", "marie@acme.example");
        auto reseller = relais::test::createUser(rt, "", "reseller_admin", "rev@revendeur.example", acme.resellerId);
        auto operatorUser = relais::test::createUser(rt, "", "operator", "ops@relais.example");
        auto otherAdmin = relais::test::createUser(rt, other.id, "tenant_admin", "admin@autre.example");

        // Files of both tenants, of several sizes (empty, one segment, many segments).
        std::map<std::string, std::string> stored;
        for (const std::string& content : {std::string(), std::string("Compte rendu\n"), relais::randomBytes(3 * 1024 * 1024 + 17)})
            stored[storeFile(rt, acme.id, content)] = content;
        const std::string otherContent = relais::randomBytes(200000);
        const std::string otherFile = storeFile(rt, other.id, otherContent);
        // WeSend: a transfer, and an upload request with a guest's deposit.
        std::set<std::string> wesendNeedles;
        std::vector<std::string> wesendFiles;
        {
            using relais::test::wesend::upload;
            const auto session = relais::test::login(port, acme.host, user.email);
            const std::string sentContent = relais::randomBytes(150000);
            const std::string up = upload(port, acme.host, session.token, sentContent, "rapport.bin", "application/octet-stream");
            auto tr = call(port, acme.host, session.token, "POST", "/api/v1/transfers",
                           R"({"recipients": ["paul@client.example"], "subject": "Rapport", "uploads": [")" + up + "\"]}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(tr.body, 201, tr.status);
            auto transfer = json(tr.body);
            const std::string link = transfer->getValue<std::string>("link");
            const std::string token = link.substr(link.rfind('/') + 1);
            CPPUNIT_ASSERT_EQUAL(200, call(port, acme.host, "", "GET", "/api/v1/public/transfers/" + token + "/zip").status);
            auto rq = call(port, acme.host, session.token, "POST", "/api/v1/upload-requests",
                           R"({"recipients": ["client@client.example"]})");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(rq.body, 201, rq.status);
            auto request = json(rq.body);
            const std::string rlink = request->getValue<std::string>("link");
            const std::string rtoken = rlink.substr(rlink.rfind('/') + 1);
            const std::string depositContent = "Pièce déposée\n";
            const std::string gup = upload(port, acme.host, "", depositContent, "piece.txt", "text/plain",
                                           "/api/v1/public/upload-requests/" + rtoken + "/uploads");
            auto dep = call(port, acme.host, "", "POST", "/api/v1/public/upload-requests/" + rtoken + "/deposits",
                            R"({"uploads": [")" + gup + R"("], "sender_email": "client@client.example"})");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(dep.body, 201, dep.status);
            wesendNeedles = {transfer->getValue<std::string>("id"), request->getValue<std::string>("id"),
                             json(dep.body)->getValue<std::string>("id"), relais::sha256Hex(token),
                             relais::sha256Hex(rtoken), "paul@client.example", "client@client.example"};
            auto& db = rt.database();
            for (const auto& row : db.query("SELECT file_id FROM wesend_transfer_files WHERE tenant_id = ?", {acme.id})) {
                wesendFiles.push_back(row.getString("file_id"));
                stored[row.getString("file_id")] = sentContent;
            }
            for (const auto& row : db.query("SELECT file_id FROM wesend_deposit_files WHERE tenant_id = ?", {acme.id})) {
                wesendFiles.push_back(row.getString("file_id"));
                stored[row.getString("file_id")] = depositContent;
            }
            CPPUNIT_ASSERT_EQUAL(std::size_t{2}, wesendFiles.size());
            // The tenant has rows in WeSend's tables (so the check after the purge means something).
            for (const char* table : {"wesend_transfers", "wesend_transfer_files", "wesend_transfer_recipients",
                                      "wesend_links", "wesend_events", "wesend_upload_requests", "wesend_deposits",
                                      "wesend_deposit_files", "wesend_stats_daily", "wesend_download_grants"})
                CPPUNIT_ASSERT_MESSAGE(table, db.query(std::string("SELECT COUNT(*) AS n FROM ") + table +
                                                           " WHERE tenant_id = ?",
                                                       {acme.id})[0].getInt("n") > 0);
        }
        const std::string blobDir = dir_.file("blobs");
        const auto blobsBefore = blobNames(blobDir);

        const auto adminSession = relais::test::login(port, acme.host, admin.email);
        const auto resellerSession = relais::test::login(port, "localhost", reseller.email);
        const auto userSession = relais::test::login(port, acme.host, user.email);
        CPPUNIT_ASSERT_EQUAL(201, call(port, acme.host, adminSession.token, "POST", "/api/v1/admin/profiles",
                                       R"({"name": "Externes", "features": ["send"], "allowed_ips": ["192.0.2.0/24"]})")
                                      .status);
        // The usage the reseller reads counts the transfer of the last 30 days (WeSend's figures).
        auto usage = call(port, "localhost", resellerSession.token, "GET", "/api/v1/tenants/" + acme.id + "/usage");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(usage.body, 200, usage.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, json(usage.body)->getValue<std::int64_t>("transfers_30d"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{150000}, json(usage.body)->getValue<std::int64_t>("bytes_sent_30d"));

        // Terminate: the users are out, the admin may still log in and take the export.
        auto t = call(port, "localhost", resellerSession.token, "POST", "/api/v1/tenants/" + acme.id + "/terminate");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t.body, 200, t.status);
        CPPUNIT_ASSERT_EQUAL(std::string("terminated"), json(t.body)->getValue<std::string>("state"));
        CPPUNIT_ASSERT(!json(t.body)->isNull("export_until"));
        auto r = call(port, acme.host, userSession.token, "GET", "/api/v1/me");
        CPPUNIT_ASSERT_EQUAL(401, r.status);  // the users' sessions were revoked
        r = call(port, acme.host, "", "POST", "/api/v1/auth/login",
                 R"({"email": "marie@acme.example", "password": ")" + std::string(relais::test::kPassword) + "\"}");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_terminated"), problemCode(r));
        r = call(port, acme.host, adminSession.token, "GET", "/api/v1/admin/users");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("tenant_terminated"), problemCode(r));
        const auto again = relais::test::login(port, acme.host, admin.email);

        auto exported = call(port, acme.host, again.token, "GET", "/api/v1/admin/export");
        CPPUNIT_ASSERT_EQUAL(200, exported.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/zip"), exported.header("content-type"));
        const std::string zip = dir_.file("export.zip");
        relais::test::writeFile(zip, exported.body);
        std::string out;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand("unzip -tq " + zip, &out));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, relais::test::runCommand("7z t " + zip + " >/dev/null", &out));
        const std::string extracted = dir_.file("extracted");
        CPPUNIT_ASSERT_EQUAL(0, relais::test::runCommand("unzip -q " + zip + " -d " + extracted, &out));
        for (const auto& [id, content] : stored)
            CPPUNIT_ASSERT_MESSAGE("file " + id + " differs in the export",
                                   relais::test::readFile(extracted + "/files/" + id) == content);
        CPPUNIT_ASSERT(!fs::exists(extracted + "/files/" + otherFile));
        CPPUNIT_ASSERT(relais::test::readFile(extracted + "/README.txt").find("manifest.json") != std::string::npos);
        auto manifest = json(relais::test::readFile(extracted + "/manifest.json"));
        CPPUNIT_ASSERT_EQUAL(std::string("acme"), manifest->getObject("tenant")->getValue<std::string>("slug"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, manifest->getArray("users")->size());
        CPPUNIT_ASSERT(manifest->getArray("users")->getObject(0)->has("email"));
        CPPUNIT_ASSERT(exported.body.find("$argon2id$") == std::string::npos);  // no password hash
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, manifest->getArray("profiles")->size());
        CPPUNIT_ASSERT_EQUAL(stored.size(), manifest->getArray("files")->size());
        for (std::size_t i = 0; i < stored.size(); ++i) {
            auto f = manifest->getArray("files")->getObject(static_cast<unsigned>(i));
            const std::string& content = stored.at(f->getValue<std::string>("id"));
            relais::Sha256 digest;
            digest.update(content.data(), content.size());
            CPPUNIT_ASSERT_EQUAL(digest.hexDigest(), f->getValue<std::string>("sha256"));
            CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(content.size()), f->getValue<std::int64_t>("size"));
        }
        // The transfer and the deposit, with the files they name under files/<file_id>.
        auto transfers = manifest->getArray("transfers");
        CPPUNIT_ASSERT(transfers);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, transfers->size());
        CPPUNIT_ASSERT_EQUAL(std::string("Rapport"), transfers->getObject(0)->getValue<std::string>("subject"));
        CPPUNIT_ASSERT_EQUAL(std::string("paul@client.example"),
                             transfers->getObject(0)->getArray("recipients")->getElement<std::string>(0));
        const std::string sentFile =
            transfers->getObject(0)->getArray("files")->getObject(0)->getValue<std::string>("file_id");
        CPPUNIT_ASSERT(stored.count(sentFile) == 1);
        CPPUNIT_ASSERT(std::filesystem::exists(extracted + "/files/" + sentFile));
        auto requests = manifest->getArray("upload_requests");
        CPPUNIT_ASSERT(requests);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, requests->size());
        auto deposit = requests->getObject(0)->getArray("deposits")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("client@client.example"), deposit->getValue<std::string>("sender_email"));
        const std::string depositFile = deposit->getArray("files")->getObject(0)->getValue<std::string>("file_id");
        CPPUNIT_ASSERT_EQUAL(std::string("Pièce déposée\n"), relais::test::readFile(extracted + "/files/" + depositFile));
        CPPUNIT_ASSERT(manifest->getArray("folders"));
        CPPUNIT_ASSERT(manifest->getObject("journal_check")->getValue<bool>("ok"));
        std::set<std::string> actions;
        for (std::size_t i = 0; i < manifest->getArray("journal")->size(); ++i)
            actions.insert(manifest->getArray("journal")->getObject(static_cast<unsigned>(i))->getValue<std::string>("action"));
        for (const char* a : {"tenant.created", "user.created", "auth.login", "profile.created", "tenant.terminated"})
            CPPUNIT_ASSERT_MESSAGE(std::string("the exported journal lacks ") + a, actions.count(a));
        // Python's zipfile reads it too.
        CPPUNIT_ASSERT_EQUAL(0, relais::test::runCommand(
                                    "/usr/bin/python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                                    "assert z.testzip() is None; assert 'manifest.json' in z.namelist()\" " + zip,
                                    &out));

        // The window passes; the purge job runs.
        relais::test::waitUntil(
            [&] {
                auto g = call(port, "localhost", resellerSession.token, "GET", "/api/v1/tenants/" + acme.id);
                return g.status == 200 && json(g.body)->getValue<std::string>("state") == "purged";
            },
            20000, "the purge after the export window");
        CPPUNIT_ASSERT_EQUAL(404, relais::test::http(port, "GET", "/api/v1/me", "", "", {{"Host", acme.host}}).status);
        r = call(port, acme.host, "", "POST", "/api/v1/auth/login",
                 R"({"email": "admin@acme.example", "password": ")" + std::string(relais::test::kPassword) + "\"}");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown_host"), problemCode(r));

        // Nothing of the tenant in any table but the platform's own records of it.
        std::set<std::string> needles = {acme.id, admin.id, user.id, admin.email, user.email};
        for (const auto& [id, content] : stored) needles.insert(id);
        needles.insert(wesendNeedles.begin(), wesendNeedles.end());
        auto& db = rt.database();
        // No WeSend row of the tenant, in any of the module's tables that has a tenant_id.
        for (const auto& table : tables(db)) {
            if (table.rfind("wesend_", 0) != 0) continue;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("table " + table, std::int64_t{0},
                                         db.query("SELECT COUNT(*) AS n FROM " + table + " WHERE tenant_id = ?",
                                                  {acme.id})[0].getInt("n"));
        }
        for (const auto& f : wesendFiles) {
            bool gone = false;
            try {
                rt.files().stat(acme.id, f);
            } catch (const relais::StorageError& e) {
                gone = e.kind() == relais::StorageError::Kind::NotFound;
            }
            CPPUNIT_ASSERT_MESSAGE("WeSend file " + f + " outlived the purge", gone);
        }
        for (const auto& table : tables(db)) {
            if (table == "deletion_certificates") continue;
            for (const auto& row : db.query("SELECT * FROM " + table)) {
                // The platform chain of the journal records the tenant's life, by id.
                if (table == "journal" && row.getString("chain") == "platform") continue;
                for (std::size_t i = 0; i < row.size(); ++i)
                    for (const auto& needle : needles)
                        CPPUNIT_ASSERT_MESSAGE("table " + table + " still holds " + needle,
                                               row.at(i).asText().find(needle) == std::string::npos);
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             db.query("SELECT COUNT(*) AS n FROM tenant_keys WHERE tenant_id = ?", {acme.id})[0].getInt("n"));
        // The tenant's blobs are gone; the other tenant's are all there and still read back.
        const auto blobsAfter = blobNames(blobDir);
        CPPUNIT_ASSERT(blobsAfter.size() < blobsBefore.size());
        for (const auto& b : blobsAfter) CPPUNIT_ASSERT(blobsBefore.count(b));
        auto reader = rt.files().open(other.id, otherFile);
        std::string back(otherContent.size(), '\0');
        std::size_t got = 0;
        while (got < back.size()) {
            const std::size_t n = reader->read(static_cast<std::int64_t>(got), back.data() + got, back.size() - got);
            CPPUNIT_ASSERT(n > 0);
            got += n;
        }
        CPPUNIT_ASSERT(back == otherContent);
        CPPUNIT_ASSERT_EQUAL(200, call(port, other.host, relais::test::login(port, other.host, otherAdmin.email).token,
                                       "GET", "/api/v1/admin/journal/verify")
                                      .status);

        // The platform journal records the purge, and its chain still verifies.
        const auto ops = relais::test::login(port, "localhost", operatorUser.email);
        r = call(port, "localhost", ops.token, "GET", "/api/v1/platform/journal?action=tenant.purged");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        auto entries = json(r.body)->getArray("items");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, entries->size());
        CPPUNIT_ASSERT_EQUAL(acme.id, entries->getObject(0)->getObject("object")->getValue<std::string>("id"));
        r = call(port, "localhost", ops.token, "GET", "/api/v1/platform/journal/verify");
        CPPUNIT_ASSERT(json(r.body)->getValue<bool>("ok"));

        // The deletion certificate: what was deleted, signed with Ed25519 under the published key.
        r = call(port, "localhost", resellerSession.token, "GET", "/api/v1/tenants/" + acme.id + "/deletion-certificate");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto cert = json(r.body);
        auto doc = cert->getObject("document");
        CPPUNIT_ASSERT_EQUAL(acme.id, doc->getObject("tenant")->getValue<std::string>("id"));
        CPPUNIT_ASSERT_EQUAL(static_cast<std::int64_t>(stored.size()), doc->getObject("deleted")->getValue<std::int64_t>("files"));
        CPPUNIT_ASSERT_EQUAL(std::string("destroyed"), doc->getObject("deleted")->getValue<std::string>("tenant_keys"));
        CPPUNIT_ASSERT(doc->getObject("deleted")->getValue<std::int64_t>("journal_entries") > 0);
        auto key = json(call(port, "localhost", "", "GET", "/api/v1/deletion-certificates/public-key").body);
        const std::string publicKey = relais::fromHex(key->getValue<std::string>("public_key"));
        const std::string text = cert->getValue<std::string>("document_text");
        const std::string signature = relais::fromHex(cert->getValue<std::string>("signature"));
        CPPUNIT_ASSERT(relais::Ed25519::verify(publicKey, text, signature));
        std::string forged = text;
        forged[forged.find("\"files\":") + 8] ^= 1;
        CPPUNIT_ASSERT(!relais::Ed25519::verify(publicKey, forged, signature));
        // Another reseller's admin cannot read it.
        auto stranger = relais::test::createTenant(rt, "ailleurs", "pro", "Autre revendeur");
        auto strangerAdmin = relais::test::createUser(rt, "", "reseller_admin", "rev@autre.example", stranger.resellerId);
        r = call(port, "localhost", relais::test::login(port, "localhost", strangerAdmin.email).token, "GET",
                 "/api/v1/tenants/" + acme.id + "/deletion-certificate");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
    }

    // The tenancy.cleanup job deletes expired sessions, stale links and old lockout counts, and
    // leaves live ones alone.
    void expiredSecretsDoNotLinger() {
        auto settings = relais::test::baseSettings(dir_, *db_);
        settings["tenancy.purge_interval_ms"] = "200";
        relais::test::TestServer server(settings);
        auto& rt = server.runtime();
        auto acme = relais::test::createTenant(rt, "acme", "pro");
        auto user = relais::test::createUser(rt, acme.id, "user", "marie@acme.example");
        const auto live = relais::test::login(server.port(), acme.host, user.email);
        auto& db = rt.database();
        const long long now = relais::nowMs();
        const long long day = 24LL * 3600 * 1000;
        db.execute("INSERT INTO sessions (id, public_id, user_id, csrf_hash, created_at, last_seen_at, expires_at, ip,"
                   " user_agent, totp_pending) VALUES ('old-absolute', 'ss_a', ?, 'x', ?, ?, ?, '127.0.0.1', 'test', 0)",
                   {user.id, now - 2 * day, now - 1000, now - 1000});
        db.execute("INSERT INTO sessions (id, public_id, user_id, csrf_hash, created_at, last_seen_at, expires_at, ip,"
                   " user_agent, totp_pending) VALUES ('old-idle', 'ss_b', ?, 'x', ?, ?, ?, '127.0.0.1', 'test', 0)",
                   {user.id, now - 2 * day, now - 2 * day, now + day});
        db.execute("INSERT INTO user_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES"
                   " ('stale-link', ?, 'password_reset', ?, ?)",
                   {user.id, now - day, now - 1000});
        db.execute("INSERT INTO auth_throttle (throttle_key, failures, last_failure_at, blocked_until) VALUES"
                   " ('ip:192.0.2.1', 3, ?, 0)",
                   {now - day});
        auto count = [&](const std::string& sql) { return db.query(sql)[0].getInt("n"); };
        relais::test::waitUntil(
            [&] {
                return count("SELECT COUNT(*) AS n FROM sessions WHERE id IN ('old-absolute', 'old-idle')") == 0 &&
                       count("SELECT COUNT(*) AS n FROM user_tokens WHERE token_hash = 'stale-link'") == 0 &&
                       count("SELECT COUNT(*) AS n FROM auth_throttle WHERE throttle_key = 'ip:192.0.2.1'") == 0;
            },
            10000, "the tenancy.cleanup job");
        CPPUNIT_ASSERT_EQUAL(200, call(server.port(), acme.host, live.token, "GET", "/api/v1/me").status);
    }

    void theOperatorCanPurgeOnlyTerminatedTenants() {
        auto settings = relais::test::baseSettings(dir_, *db_);
        relais::test::TestServer server(settings);
        auto& rt = server.runtime();
        const auto port = server.port();
        auto acme = relais::test::createTenant(rt, "acme", "essentiel");
        storeFile(rt, acme.id, "contenu");
        auto reseller = relais::test::createUser(rt, "", "reseller_admin", "rev@revendeur.example", acme.resellerId);
        auto operatorUser = relais::test::createUser(rt, "", "operator", "ops@relais.example");
        const auto ops = relais::test::login(port, "localhost", operatorUser.email);
        const auto rev = relais::test::login(port, "localhost", reseller.email);

        auto r = call(port, "localhost", ops.token, "POST", "/api/v1/tenants/" + acme.id + "/purge");
        CPPUNIT_ASSERT_EQUAL(409, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_state"), problemCode(r));
        CPPUNIT_ASSERT_EQUAL(200, call(port, "localhost", rev.token, "POST", "/api/v1/tenants/" + acme.id + "/terminate").status);
        // A reseller cannot cut the export window short; the operator can (a request for erasure).
        r = call(port, "localhost", rev.token, "POST", "/api/v1/tenants/" + acme.id + "/purge");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        r = call(port, "localhost", ops.token, "POST", "/api/v1/tenants/" + acme.id + "/purge");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1},
                             json(r.body)->getObject("document")->getObject("deleted")->getValue<std::int64_t>("files"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             rt.database().query("SELECT COUNT(*) AS n FROM tenants WHERE id = ?", {acme.id})[0].getInt("n"));
        r = call(port, "localhost", ops.token, "GET", "/api/v1/tenants/" + acme.id);
        CPPUNIT_ASSERT_EQUAL(std::string("purged"), json(r.body)->getValue<std::string>("state"));
        // Purging again: nothing left to purge.
        CPPUNIT_ASSERT_EQUAL(404, call(port, "localhost", ops.token, "POST", "/api/v1/tenants/" + acme.id + "/purge").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LifecycleTest);
