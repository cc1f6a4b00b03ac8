#include "storage/EncryptedFileStore.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <openssl/crypto.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "crypto/KeyStore.h"
#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Json.h"
#include "storage/BlobStore.h"
#include "storage/PieceFormat.h"

namespace relais {

namespace {

class Wiped {
public:
    explicit Wiped(std::string s) : s_(std::move(s)) {}
    ~Wiped() { OPENSSL_cleanse(s_.data(), s_.size()); }
    const std::string& get() const { return s_; }

private:
    std::string s_;
};

// Appends one piece to a file.
class EncryptedWriter final : public FileWriter {
public:
    EncryptedWriter(EncryptedFileStore& store, EncryptedFileStore::Record record, std::uint32_t piece,
                    std::string blobName, std::unique_ptr<PieceWriter> writer, std::string reservation,
                    std::int64_t reserved)
        : store_(store),
          record_(std::move(record)),
          piece_(piece),
          blobName_(std::move(blobName)),
          writer_(std::move(writer)),
          reservation_(std::move(reservation)),
          reserved_(reserved),
          renewedAt_(std::chrono::steady_clock::now()) {}

    ~EncryptedWriter() override {
        if (!committed_) {
            writer_.reset();  // removes the pending blob
            store_.quota().release(reservation_);
        }
    }

    void write(const char* data, std::size_t size) override {
        if (committed_) throw std::logic_error("write after commit");
        const std::int64_t after = writer_->written() + static_cast<std::int64_t>(size);
        if (after > reserved_) {
            // Ahead by a chunk when the quota allows it, else exactly what is needed.
            const std::int64_t needed = after - reserved_;
            const std::int64_t ahead = std::max(needed, store_.options().reserveChunkBytes);
            try {
                store_.quota().extend(record_.tenantId, reservation_, ahead);
                reserved_ += ahead;
            } catch (const Problem&) {
                if (ahead == needed) throw;
                store_.quota().extend(record_.tenantId, reservation_, needed);
                reserved_ += needed;
            }
            renewedAt_ = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - renewedAt_ >
                   std::chrono::milliseconds(store_.options().reservationTtlMs / 3)) {
            store_.quota().renew(reservation_);
            renewedAt_ = std::chrono::steady_clock::now();
        }
        writer_->write(data, size);
    }

    std::int64_t written() const override { return writer_->written(); }

    std::int64_t commit() override {
        if (committed_) throw std::logic_error("commit twice");
        writer_->commit();  // the blob is durable before any row points to it
        const std::int64_t bytes = writer_->written();
        std::int64_t size = 0;
        store_.database().transaction([&](db::Connection& tx) {
            const bool mysql = tx.dialect() == db::Dialect::MySQL;
            auto row = tx.query(std::string("SELECT size FROM storage_files WHERE id = ? AND tenant_id = ?") +
                                    (mysql ? " FOR UPDATE" : ""),
                                {record_.id, record_.tenantId});
            if (row.empty()) throw StorageError(StorageError::Kind::NotFound, "the file was deleted meanwhile");
            const std::int64_t offset = row[0].getInt("size");
            tx.execute("INSERT INTO storage_pieces (file_id, piece, blob_name, plain_offset, plain_size, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       {record_.id, static_cast<long long>(piece_), blobName_, offset, bytes, nowMs()});
            tx.execute("UPDATE storage_files SET size = size + ?, updated_at = ? WHERE id = ?",
                       {bytes, nowMs(), record_.id});
            store_.quota().settle(tx, record_.tenantId, reservation_, bytes);
            size = offset + bytes;
        });
        committed_ = true;
        return size;
    }

private:
    EncryptedFileStore& store_;
    EncryptedFileStore::Record record_;
    std::uint32_t piece_;
    std::string blobName_;
    std::unique_ptr<PieceWriter> writer_;
    std::string reservation_;
    std::int64_t reserved_;
    std::chrono::steady_clock::time_point renewedAt_;
    bool committed_ = false;
};

// Reads a file across its pieces.
class EncryptedReader final : public FileReader {
public:
    struct Piece {
        std::uint32_t index;
        std::string blob;
        std::int64_t offset;
        std::int64_t size;
    };
    EncryptedReader(EncryptedFileStore& store, EncryptedFileStore::Record record, std::string dataKey,
                    std::vector<Piece> pieces)
        : store_(store), record_(std::move(record)), key_(std::move(dataKey)), pieces_(std::move(pieces)) {}
    ~EncryptedReader() override { OPENSSL_cleanse(key_.data(), key_.size()); }

    std::int64_t size() const override { return record_.size; }

    std::size_t read(std::int64_t offset, char* buffer, std::size_t size) override {
        std::size_t done = 0;
        while (done < size && offset < record_.size) {
            // The piece holding `offset`: the last one that starts at or before it.
            auto it = std::upper_bound(pieces_.begin(), pieces_.end(), offset,
                                       [](std::int64_t o, const Piece& p) { return o < p.offset; });
            if (it == pieces_.begin()) fail("no piece holds offset " + std::to_string(offset));
            const std::size_t index = static_cast<std::size_t>(std::distance(pieces_.begin(), it) - 1);
            const Piece& p = pieces_[index];
            if (offset >= p.offset + p.size) fail("the pieces leave a gap at " + std::to_string(offset));
            const std::size_t n = readPiece(index, offset - p.offset, buffer + done,
                                            static_cast<std::size_t>(std::min<std::int64_t>(
                                                static_cast<std::int64_t>(size - done), p.offset + p.size - offset)));
            if (n == 0) fail("piece " + std::to_string(p.index) + " ends early");
            done += n;
            offset += static_cast<std::int64_t>(n);
        }
        return done;
    }

    /// Authenticates every segment of every piece.
    void verify() {
        for (std::size_t i = 0; i < pieces_.size(); ++i) {
            reader(i).verifyAll();
        }
    }

private:
    [[noreturn]] void fail(const std::string& reason) {
        store_.reportIntegrityFailure(record_, reason);
        throw StorageError(StorageError::Kind::Integrity, "file " + record_.id + ": " + reason);
    }

    PieceReader& reader(std::size_t index) {
        if (!current_ || currentIndex_ != index) {
            current_.reset();
            const Piece& p = pieces_[index];
            try {
                current_ = std::make_unique<PieceReader>(store_.blobs().open(p.blob), key_, record_.id, p.index,
                                                         record_.segmentBytes, p.size);
            } catch (const StorageError& e) {
                if (e.kind() == StorageError::Kind::Integrity || e.kind() == StorageError::Kind::NotFound) fail(e.what());
                throw;
            }
            currentIndex_ = index;
        }
        return *current_;
    }

    std::size_t readPiece(std::size_t index, std::int64_t offset, char* buffer, std::size_t size) {
        try {
            return reader(index).read(offset, buffer, size);
        } catch (const StorageError& e) {
            if (e.kind() == StorageError::Kind::Integrity) fail(e.what());
            throw;
        }
    }

    EncryptedFileStore& store_;
    EncryptedFileStore::Record record_;
    std::string key_;
    std::vector<Piece> pieces_;
    std::unique_ptr<PieceReader> current_;
    std::size_t currentIndex_ = 0;
};

}  // namespace

EncryptedFileStore::EncryptedFileStore(db::Database& database, BlobStore& blobs, KeyStore& keys, Journal& journal,
                                       Poco::Logger& log, FileStoreOptions options)
    : db_(database),
      blobs_(blobs),
      keys_(keys),
      journal_(journal),
      log_(log),
      options_(options),
      quota_(database, options.reservationTtlMs) {}

EncryptedFileStore::Record EncryptedFileStore::load(const std::string& tenantId, const std::string& fileId) {
    auto rows = db_.query("SELECT id, tenant_id, size, sealed, segment_bytes, tenant_key_version, wrapped_key, created_at"
                          " FROM storage_files WHERE id = ? AND tenant_id = ?",
                          {fileId, tenantId});
    if (rows.empty()) throw StorageError(StorageError::Kind::NotFound, "no such file");
    const db::Row& r = rows[0];
    Record rec;
    rec.id = r.getString("id");
    rec.tenantId = r.getString("tenant_id");
    rec.size = r.getInt("size");
    rec.sealed = r.getInt("sealed") != 0;
    rec.segmentBytes = static_cast<std::uint32_t>(r.getInt("segment_bytes"));
    rec.tenantKeyVersion = static_cast<int>(r.getInt("tenant_key_version"));
    rec.wrappedKey = r.getString("wrapped_key");
    rec.createdAtMs = r.getInt("created_at");
    return rec;
}

std::string EncryptedFileStore::dataKey(const Record& record) {
    try {
        return keys_.unwrapDataKey(record.tenantId, record.id, record.tenantKeyVersion, fromHex(record.wrappedKey));
    } catch (const KeyUnavailable&) {
        throw StorageError(StorageError::Kind::NotFound, "the file's key is gone");
    } catch (const std::exception&) {  // does not authenticate, or is not even hex
        reportIntegrityFailure(record, "its data key does not open");
        throw StorageError(StorageError::Kind::Integrity, "file " + record.id + ": its data key does not open");
    }
}

void EncryptedFileStore::reportIntegrityFailure(const Record& record, const std::string& reason) {
    log_.critical("integrity failure: file %s of tenant %s: %s", record.id, record.tenantId, reason);
    try {
        Poco::JSON::Object details;
        details.set("reason", reason);
        journal_.append(JournalEntry{record.tenantId, {"system", "storage", ""}, "storage.integrity_failure", "file",
                                     record.id, "", http::toJson(details)});
    } catch (const std::exception& e) {
        log_.error("cannot journal the integrity failure of %s: %s", record.id, std::string(e.what()));
    }
}

std::string EncryptedFileStore::createFile(const std::string& tenantId) {
    const std::string id = randomId("fl");
    Wiped key(randomBytes(32));
    int tenantKeyVersion = 0;
    const std::string wrapped = keys_.wrapDataKey(tenantId, id, key.get(), tenantKeyVersion);
    const std::int64_t now = nowMs();
    db_.execute("INSERT INTO storage_files (id, tenant_id, size, sealed, segment_bytes, tenant_key_version,"
                " wrapped_key, created_at, updated_at) VALUES (?, ?, 0, 0, ?, ?, ?, ?, ?)",
                {id, tenantId, static_cast<long long>(options_.segmentBytes), tenantKeyVersion, toHex(wrapped), now, now});
    return id;
}

std::unique_ptr<FileWriter> EncryptedFileStore::append(const std::string& tenantId, const std::string& fileId,
                                                       std::int64_t expectedBytes) {
    Record rec = load(tenantId, fileId);
    if (rec.sealed) throw Problem(409, "file_sealed", "The file is complete and takes no more data.");
    const std::int64_t reserved = std::max<std::int64_t>(expectedBytes, 0);
    const std::string reservation = quota_.reserve(tenantId, reserved);
    try {
        Wiped key(dataKey(rec));
        const auto next = db_.query("SELECT COALESCE(MAX(piece) + 1, 0) AS n FROM storage_pieces WHERE file_id = ?",
                                    {fileId});
        const auto piece = static_cast<std::uint32_t>(next[0].getInt("n"));
        const std::string blob = BlobStore::newName();
        auto writer = std::make_unique<PieceWriter>(blobs_.create(blob), key.get(), rec.id, piece, rec.segmentBytes);
        return std::make_unique<EncryptedWriter>(*this, std::move(rec), piece, blob, std::move(writer), reservation,
                                                 reserved);
    } catch (...) {
        quota_.release(reservation);
        throw;
    }
}

void EncryptedFileStore::seal(const std::string& tenantId, const std::string& fileId) {
    if (db_.execute("UPDATE storage_files SET sealed = 1, updated_at = ? WHERE id = ? AND tenant_id = ?",
                    {nowMs(), fileId, tenantId}) == 0)
        throw StorageError(StorageError::Kind::NotFound, "no such file");
}

std::unique_ptr<FileReader> EncryptedFileStore::open(const std::string& tenantId, const std::string& fileId) {
    Record rec = load(tenantId, fileId);
    std::vector<EncryptedReader::Piece> pieces;
    for (const auto& r : db_.query("SELECT piece, blob_name, plain_offset, plain_size FROM storage_pieces"
                                   " WHERE file_id = ? ORDER BY piece",
                                   {fileId}))
        pieces.push_back({static_cast<std::uint32_t>(r.getInt("piece")), r.getString("blob_name"),
                          r.getInt("plain_offset"), r.getInt("plain_size")});
    std::string key = dataKey(rec);
    return std::make_unique<EncryptedReader>(*this, std::move(rec), std::move(key), std::move(pieces));
}

StoredFileInfo EncryptedFileStore::stat(const std::string& tenantId, const std::string& fileId) {
    const Record rec = load(tenantId, fileId);
    return StoredFileInfo{rec.id, rec.size, rec.sealed, rec.createdAtMs};
}

void EncryptedFileStore::remove(const std::string& tenantId, const std::string& fileId) {
    std::vector<std::string> blobs;
    db_.transaction([&](db::Connection& tx) {
        blobs.clear();
        auto file = tx.query("SELECT size FROM storage_files WHERE id = ? AND tenant_id = ?", {fileId, tenantId});
        if (file.empty()) throw StorageError(StorageError::Kind::NotFound, "no such file");
        for (const auto& r : tx.query("SELECT blob_name FROM storage_pieces WHERE file_id = ?", {fileId}))
            blobs.push_back(r.getString("blob_name"));
        // The wrapped data key goes with the row: from here on the blobs are noise.
        tx.execute("DELETE FROM storage_pieces WHERE file_id = ?", {fileId});
        tx.execute("DELETE FROM storage_files WHERE id = ? AND tenant_id = ?", {fileId, tenantId});
        quota_.free(tx, tenantId, file[0].getInt("size"));
    });
    for (const auto& b : blobs) blobs_.remove(BlobInfo{b, 0, 0, false});
}

StorageUsage EncryptedFileStore::usage(const std::string& tenantId) { return quota_.usage(tenantId); }

std::vector<StoredFileInfo> EncryptedFileStore::listFiles(const std::string& tenantId, const std::string& afterId,
                                                          int limit) {
    std::vector<StoredFileInfo> out;
    for (const auto& r : db_.query("SELECT id, size, sealed, created_at FROM storage_files"
                                   " WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?",
                                   {tenantId, afterId, limit}))
        out.push_back(StoredFileInfo{r.getString("id"), r.getInt("size"), r.getInt("sealed") != 0,
                                     r.getInt("created_at")});
    return out;
}

void EncryptedFileStore::setQuota(const std::string& tenantId, std::int64_t quotaBytes) {
    quota_.setQuota(tenantId, quotaBytes);
}

void EncryptedFileStore::purgeTenant(const std::string& tenantId) {
    std::vector<std::string> blobs;
    db_.transaction([&](db::Connection& tx) {
        blobs.clear();
        for (const auto& r : tx.query("SELECT p.blob_name FROM storage_pieces p JOIN storage_files f ON f.id = p.file_id"
                                      " WHERE f.tenant_id = ?",
                                      {tenantId}))
            blobs.push_back(r.getString("blob_name"));
        tx.execute("DELETE FROM storage_pieces WHERE file_id IN (SELECT id FROM storage_files WHERE tenant_id = ?)",
                   {tenantId});
        tx.execute("DELETE FROM storage_files WHERE tenant_id = ?", {tenantId});
        keys_.destroyTenantKeys(tx, tenantId);
        quota_.forget(tx, tenantId);
    });
    for (const auto& b : blobs) blobs_.remove(BlobInfo{b, 0, 0, false});
    log_.notice("tenant %s purged: its keys are destroyed and %z blob(s) removed", tenantId, blobs.size());
}

std::pair<int, std::int64_t> EncryptedFileStore::rotateTenantKey(const std::string& tenantId) {
    const int version = keys_.addTenantKeyVersion(tenantId);
    std::int64_t rewrapped = 0;
    for (;;) {
        auto page = db_.query("SELECT id, tenant_key_version, wrapped_key FROM storage_files"
                              " WHERE tenant_id = ? AND tenant_key_version < ? ORDER BY id LIMIT 500",
                              {tenantId, version});
        if (page.empty()) break;
        for (const auto& r : page) {
            const int from = static_cast<int>(r.getInt("tenant_key_version"));
            int to = 0;
            const std::string wrapped =
                keys_.rewrapDataKey(tenantId, r.getString("id"), from, fromHex(r.getString("wrapped_key")), to);
            rewrapped += static_cast<std::int64_t>(
                db_.execute("UPDATE storage_files SET tenant_key_version = ?, wrapped_key = ?"
                            " WHERE id = ? AND tenant_key_version = ?",
                            {to, toHex(wrapped), r.getString("id"), from}));
        }
    }
    keys_.destroyTenantKeysBefore(tenantId, version);
    Poco::JSON::Object details;
    details.set("version", version);
    details.set("data_keys_rewrapped", rewrapped);
    journal_.append(JournalEntry{tenantId, {"system", "keys", ""}, "keys.tenant_rotated", "tenant", tenantId, "",
                                 http::toJson(details)});
    log_.notice("tenant %s: key rotated to version %d, %s data key(s) re-wrapped", tenantId, version,
                std::to_string(rewrapped));
    return {version, rewrapped};
}

std::int64_t EncryptedFileStore::verifyAll(const std::function<void(const BadFile&)>& bad) {
    std::int64_t checked = 0;
    std::string after;
    for (;;) {
        auto page = db_.query("SELECT id, tenant_id FROM storage_files WHERE id > ? ORDER BY id LIMIT 200", {after});
        if (page.empty()) break;
        for (const auto& r : page) {
            after = r.getString("id");
            const std::string tenantId = r.getString("tenant_id");
            ++checked;
            try {
                auto reader = open(tenantId, after);
                static_cast<EncryptedReader&>(*reader).verify();
            } catch (const std::exception& e) {
                bad(BadFile{after, tenantId, e.what()});
            }
        }
    }
    return checked;
}

EncryptedFileStore::Collected EncryptedFileStore::collectGarbage() {
    Collected c;
    c.reservations = quota_.expire();
    const std::int64_t before = nowMs() - options_.gcGraceMs;
    std::vector<BlobInfo> old;
    blobs_.list([&](const BlobInfo& b) {
        if (b.modifiedMs < before) old.push_back(b);
    });
    std::vector<std::string> candidates;
    for (const auto& b : old) {
        if (b.pending) {
            if (blobs_.remove(b)) ++c.pending;
        } else {
            candidates.push_back(b.name);
        }
    }
    // Only blobs that no row names, looked up in batches.
    for (std::size_t i = 0; i < candidates.size(); i += 200) {
        const std::size_t end = std::min(candidates.size(), i + 200);
        std::string marks;
        db::Params params;
        for (std::size_t j = i; j < end; ++j) {
            marks += marks.empty() ? "?" : ", ?";
            params.emplace_back(candidates[j]);
        }
        std::set<std::string> referenced;
        for (const auto& r : db_.query("SELECT blob_name FROM storage_pieces WHERE blob_name IN (" + marks + ")", params))
            referenced.insert(r.getString("blob_name"));
        for (std::size_t j = i; j < end; ++j)
            if (!referenced.count(candidates[j]) && blobs_.remove(BlobInfo{candidates[j], 0, 0, false})) ++c.orphans;
    }
    if (c.orphans || c.pending || c.reservations)
        log_.information("storage GC: %s orphan blob(s), %s abandoned write(s), %s expired reservation(s)",
                         std::to_string(c.orphans), std::to_string(c.pending), std::to_string(c.reservations));
    return c;
}

}  // namespace relais
