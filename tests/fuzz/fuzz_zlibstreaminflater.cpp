// Fuzz target: ZlibStreamInflater, the zlib-stream transport decoder (see streaminflaterfuzz.h
// for what is checked).
#include "core/gateway/zlibstreamdeflater.h"
#include "core/gateway/zlibstreaminflater.h"
#include "streaminflaterfuzz.h"

using namespace Gatescope;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    Fuzz::silenceQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return Fuzz::fuzzStreamInflater<ZlibStreamInflater, ZlibStreamDeflater>(data, size);
}
