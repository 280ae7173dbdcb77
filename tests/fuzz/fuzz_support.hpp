// Shared by the fuzz targets: invariant checks that abort (so libFuzzer and the replay driver both report them)
// and deterministic cut points for feeding an input in pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace ahttp::fuzz {

inline void check(bool ok, const char* target, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "%s invariant failed: %s\n", target, what);
        std::abort();
    }
}

/// Cut points from splitmix64 seeded with an FNV-1a hash of the input: mostly pieces of 1..small bytes (inside
/// tokens), one in four of 1..large bytes.
class splitter {
  public:
    splitter(std::string_view input, std::size_t small, std::size_t large) : small_(small), large_(large) {
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : input)
            h = (h ^ c) * 1099511628211ull;
        state_ = h;
    }
    std::size_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        return (z & 3) != 0 ? 1 + (z >> 8) % small_ : 1 + (z >> 8) % large_;
    }

  private:
    std::uint64_t state_ = 0;
    std::size_t small_;
    std::size_t large_;
};

} // namespace ahttp::fuzz
