// The base vocabulary every inet codec uses, in one place.
#pragma once

#include "base/bytes.h"
#include "base/wire.h"

namespace nextip::inet {
using base::Bytes;
using base::FieldSpan;
using base::MutBytes;
using base::u16;
using base::u32;
using base::u64;
using base::u8;
using base::WireErrc;
using base::WireError;
using base::WireResult;
}  // namespace nextip::inet
