#pragma once

#include <string>

namespace relais {
class FileStore;
}

namespace relais::plugins::wesend {

/// Crypto-shreds a stored file (its key, then its blobs). A file already gone is not an error:
/// expiry, termination and retention may each reach it.
void shredFile(FileStore& files, const std::string& tenantId, const std::string& fileId);

/// The SHA-256 (hex) of a stored file's plaintext, read back in bounded memory.
std::string sha256OfStoredFile(FileStore& files, const std::string& tenantId, const std::string& fileId);

}  // namespace relais::plugins::wesend
