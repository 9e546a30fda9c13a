#include "crypto/error.h"

namespace nextip::crypto {

std::string_view name(Error e) noexcept {
  switch (e) {
#define NEXTIP_X(name, text) \
  case Error::name: return #name;
    NEXTIP_CRYPTO_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "unknown";
}

std::string_view describe(Error e) noexcept {
  switch (e) {
#define NEXTIP_X(name, text) \
  case Error::name: return text;
    NEXTIP_CRYPTO_ERRORS(NEXTIP_X)
#undef NEXTIP_X
  }
  return "unknown error";
}

}  // namespace nextip::crypto
