#include "StoredFiles.h"

#include <vector>

#include "relais/FileStore.h"
#include "relais/Sha256.h"

namespace relais::plugins::wesend {

void shredFile(FileStore& files, const std::string& tenantId, const std::string& fileId) {
    try {
        files.remove(tenantId, fileId);
    } catch (const StorageError& e) {
        if (e.kind() != StorageError::Kind::NotFound) throw;
    }
}

std::string sha256OfStoredFile(FileStore& files, const std::string& tenantId, const std::string& fileId) {
    auto reader = files.open(tenantId, fileId);
    Sha256 sha;
    std::vector<char> buf(1 << 20);
    std::int64_t offset = 0;
    while (std::size_t n = reader->read(offset, buf.data(), buf.size())) {
        sha.update(buf.data(), n);
        offset += static_cast<std::int64_t>(n);
    }
    return sha.hexDigest();
}

}  // namespace relais::plugins::wesend
