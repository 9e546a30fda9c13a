// Crypto benchmarks (issue 6): placeholder until src/crypto lands.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
