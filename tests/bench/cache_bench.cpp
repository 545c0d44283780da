// Applying a full scope to the kiosk's cache: syncclient::Cache::store of a scope document (the demo's
// Tỉnh ủy Hà Tĩnh at depth 2, fetched by tests/bench/kiosk_bench), beside the least any durable write of it
// could cost: the same bytes written to a plain file and fsync'd.
// Usage: cache_bench SCOPE.json [Google Benchmark flags]
#include "syncclient/cache.hpp"
#include "wire/scope_document.hpp"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {
using namespace chiso;

std::string json;  // the scope document as syncd sent it

std::filesystem::path scratch(const char* name) {
    return std::filesystem::temp_directory_path() / ("chiso-cache-bench-" + std::to_string(::getpid())) / name;
}

void baseline_write_and_fsync(benchmark::State& state) {
    const auto file = scratch("scope.json");
    std::filesystem::create_directories(file.parent_path());
    for (auto _ : state) {
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || ::write(fd, json.data(), json.size()) != static_cast<ssize_t>(json.size()) || ::fsync(fd) != 0)
            state.SkipWithError("cannot write the scratch file");
        ::close(fd);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
    std::filesystem::remove_all(file.parent_path());
}
BENCHMARK(baseline_write_and_fsync)->Unit(benchmark::kMillisecond)->UseRealTime();

void cache_store(benchmark::State& state) {
    const auto file = scratch("cache.db");
    std::filesystem::create_directories(file.parent_path());
    std::string error;
    const auto document = wire::ScopeDocument::parse(json, &error);
    if (!document) {
        state.SkipWithError(("the scope does not parse: " + error).c_str());
        return;
    }
    syncclient::Cache cache(file);
    syncclient::SyncState sync{"http://127.0.0.1:8470", "\"etag\"", 0};
    for (auto _ : state) {
        ++sync.synced_at;
        cache.store(*document, sync);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
    std::filesystem::remove_all(file.parent_path());
}
BENCHMARK(cache_store)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: cache_bench SCOPE.json [benchmark flags]\n");
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    json = text.str();
    std::printf("scope document: %zu bytes\n", json.size());
    benchmark::AddCustomContext("scope_bytes", std::to_string(json.size()));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
