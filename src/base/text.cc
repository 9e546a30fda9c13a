#include "base/text.h"

#include <algorithm>
#include <vector>

namespace nextip::base::text {

std::string decimal_pow2(int k) {
  std::vector<int> digits{1};  // little-endian decimal digits
  for (int i = 0; i < k; ++i) {
    int carry = 0;
    for (int& d : digits) {
      const int v = d * 2 + carry;
      d = v % 10;
      carry = v / 10;
    }
    if (carry != 0) digits.push_back(carry);
  }
  std::string out;
  out.reserve(digits.size());
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(static_cast<char>('0' + *it));
  return out;
}

}  // namespace nextip::base::text
