// bench_storage DIR SIZE_MIB SEGMENT_BYTES...: encrypt-and-write, then read-and-decrypt, one
// file of SIZE_MIB through the whole storage stack (FileStore over SQLite and a local blob
// folder in DIR), for each segment size. Prints one line per segment size:
//   segment=<bytes> write_gbps=<x> commit_ms=<fsync+rename+row> read_gbps=<y>
// GB is 10^9 bytes. The file is read back right after it is written (page cache warm).

#include <Poco/Logger.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "audit/ChainedJournal.h"
#include "crypto/KeyStore.h"
#include "crypto/MasterKeyring.h"
#include "events/InProcessEventBus.h"
#include "migrate/Migrator.h"
#include "relais/Database.h"
#include "storage/EncryptedFileStore.h"
#include "storage/LocalBlobStore.h"

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_storage DIR SIZE_MIB SEGMENT_BYTES...\n");
        return 64;
    }
    namespace fs = std::filesystem;
    using clock = std::chrono::steady_clock;
    const std::string dir = argv[1];
    const std::int64_t total = std::stoll(argv[2]) << 20;
    fs::remove_all(dir);
    fs::create_directories(dir);
    relais::db::DatabaseOptions o;
    o.sqlitePath = dir + "/relais.sqlite3";
    auto db = relais::db::Database::open(o);
    relais::Migrator(*db, {RELAIS_SOURCE_DIR "/migrations"}, Poco::Logger::get("bench")).migrate("kernel");
    auto ring = relais::MasterKeyring::load(dir + "/master.key", true);
    relais::KeyStore keys(*db, ring, Poco::Logger::get("bench"));
    relais::InProcessEventBus events(Poco::Logger::get("bench"));
    relais::ChainedJournal journal(*db, events, keys.platformKey("journal"), Poco::Logger::get("bench"));
    relais::LocalBlobStore blobs(dir + "/blobs");
    std::vector<char> block(1 << 20);
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>(i * 131);

    for (int a = 3; a < argc; ++a) {
        relais::FileStoreOptions fo;
        fo.segmentBytes = static_cast<std::uint32_t>(std::stoul(argv[a]));
        relais::EncryptedFileStore files(*db, blobs, keys, journal, Poco::Logger::get("bench"), fo);
        ::sync();  // start each size with no writeback pending from the previous one
        const std::string id = files.createFile("tn_bench");
        auto w = files.append("tn_bench", id, total);
        const auto t0 = clock::now();
        for (std::int64_t done = 0; done < total; done += static_cast<std::int64_t>(block.size()))
            w->write(block.data(), block.size());
        const auto t1 = clock::now();
        w->commit();
        const auto t2 = clock::now();
        auto r = files.open("tn_bench", id);
        std::int64_t at = 0;
        while (std::size_t n = r->read(at, block.data(), block.size())) at += static_cast<std::int64_t>(n);
        const auto t3 = clock::now();
        auto seconds = [](auto d) { return std::chrono::duration<double>(d).count(); };
        std::printf("segment=%u write_gbps=%.2f commit_ms=%.0f read_gbps=%.2f\n", fo.segmentBytes,
                    static_cast<double>(total) / seconds(t2 - t0) / 1e9, seconds(t2 - t1) * 1000,
                    static_cast<double>(total) / seconds(t3 - t2) / 1e9);
        std::fflush(stdout);
        files.remove("tn_bench", id);
    }
    fs::remove_all(dir);
    return 0;
}
