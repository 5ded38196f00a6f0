#include "core/gateway/streamdeflater.h"

#include "core/gateway/zlibstreamdeflater.h"
#include "core/gateway/zstdstreamdeflater.h"
#include "core/gateway/zstdstreaminflater.h"

namespace Gatescope {

std::unique_ptr<StreamDeflater> StreamDeflater::create(Compression compression, int zlibLevel)
{
    switch (compression) {
    case Compression::ZlibStream:
        return std::make_unique<ZlibStreamDeflater>(zlibLevel);
    case Compression::ZstdStream:
        if (ZstdStreamInflater::isSupported())
            return std::make_unique<ZstdStreamDeflater>();
        return nullptr;
    case Compression::None:
        break;
    }
    return nullptr;
}

} // namespace Gatescope
