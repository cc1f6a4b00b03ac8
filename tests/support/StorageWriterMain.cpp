// storage_writer DIR: a process that writes a file into the storage under DIR (relais.sqlite3,
// already migrated; master.key; blobs/) and never finishes, so that a test can kill it in the
// middle of a write. Prints "writing <file id>" once the first block is stored.

#include <Poco/Logger.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "audit/ChainedJournal.h"
#include "crypto/KeyStore.h"
#include "crypto/MasterKeyring.h"
#include "events/InProcessEventBus.h"
#include "relais/Database.h"
#include "storage/EncryptedFileStore.h"
#include "storage/LocalBlobStore.h"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: storage_writer DIR\n");
        return 64;
    }
    const std::string dir = argv[1];
    relais::db::DatabaseOptions o;
    o.sqlitePath = dir + "/relais.sqlite3";
    auto db = relais::db::Database::open(o);
    auto ring = relais::MasterKeyring::load(dir + "/master.key", false);
    relais::KeyStore keys(*db, ring, Poco::Logger::get("writer"));
    relais::InProcessEventBus events(Poco::Logger::get("writer"));
    relais::ChainedJournal journal(*db, events, keys.platformKey("journal"), Poco::Logger::get("writer"));
    relais::LocalBlobStore blobs(dir + "/blobs");
    relais::FileStoreOptions fo;
    fo.segmentBytes = 4096;
    fo.reservationTtlMs = 300;
    relais::EncryptedFileStore files(*db, blobs, keys, journal, Poco::Logger::get("writer"), fo);

    const std::string id = files.createFile("tn_crash");
    auto writer = files.append("tn_crash", id, -1);
    const std::string block(64 * 1024, 'c');
    writer->write(block.data(), block.size());
    std::printf("writing %s\n", id.c_str());
    std::fflush(stdout);
    for (;;) {
        writer->write(block.data(), block.size());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}
