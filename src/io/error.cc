#include "io/error.h"

#include <cstring>

namespace nextip::io {

std::string IoError::message() const {
  std::string m(call);
  if (!object.empty()) {
    m += " on ";
    m += object.view();
  }
  m += ": ";
  if (what != nullptr) {
    m += what;
  } else {
    const char* d = strerrordesc_np(err);
    m += d != nullptr ? d : "errno " + std::to_string(err);
  }
  return m;
}

}  // namespace nextip::io
