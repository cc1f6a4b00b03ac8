// make_piece_seeds DIR: writes valid encrypted pieces, in the fuzz input layout, as seeds.

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "PieceFuzzInput.h"
#include "storage/PieceFormat.h"

namespace {
class StringWriter final : public relais::BlobWriter {
public:
    explicit StringWriter(std::string& out) : out_(out) {}
    void write(const char* data, std::size_t size) override { out_.append(data, size); }
    void commit() override {}

private:
    std::string& out_;
};
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_piece_seeds DIR\n");
        return 64;
    }
    using namespace relais::fuzz;
    int n = 0;
    for (std::size_t size : {0u, 1u, 100u, 4095u, 4096u, 4097u, 10000u}) {
        std::string blob;
        relais::PieceWriter w(std::make_unique<StringWriter>(blob), kKey, kFileId, 3, kSegmentBytes);
        const std::string plain(size, 'p');
        w.write(plain.data(), plain.size());
        w.commit();
        std::string input(kPrefixBytes, '\0');
        for (int i = 0; i < 8; ++i) input[i] = static_cast<char>(static_cast<std::uint64_t>(size) >> (8 * i));
        input[8] = 3;
        std::ofstream(std::string(argv[1]) + "/seed-" + std::to_string(n++), std::ios::binary) << input << blob;
    }
    return 0;
}
