#include "wire/family/any_address.h"

#include <fmt/format.h>

namespace nextip::family {

namespace {

// Families with a Form enum list it as Address::kAllForms; IPv4 and IPv6 have one form.
template <class A>
concept HasForms = requires {
  A::kAllForms;
};

template <class A>
std::vector<FormText> forms_of(const A& a) {
  std::vector<FormText> out;
  if constexpr (HasForms<A>) {
    for (auto f : A::kAllForms) out.push_back({name(f), std::string(a.format(f).view())});
  } else {
    out.push_back({"canonical", std::string(a.format().view())});
  }
  return out;
}

template <class A>
std::vector<FormText> prefix_forms_of(const base::Prefix<A>& p) {
  std::vector<FormText> out;
  if constexpr (HasForms<A>) {
    for (auto f : A::kAllForms) out.push_back({name(f), format_prefix(p, f)});
  } else {
    out.push_back({"canonical", format_prefix(p)});
  }
  return out;
}

}  // namespace

std::string to_string(const AnyAddress& a) {
  return std::visit([](const auto& x) { return std::string(x.format().view()); }, a);
}

std::string to_string(const AnyPrefix& p) {
  // Every family's format_prefix is found by argument-dependent lookup.
  return std::visit([](const auto& x) { return format_prefix(x); }, p);
}

std::vector<FormText> all_forms(const AnyAddress& a) {
  return std::visit([](const auto& x) { return forms_of(x); }, a);
}

std::vector<FormText> all_forms(const AnyPrefix& p) {
  return std::visit([](const auto& x) { return prefix_forms_of(x); }, p);
}

std::string to_hex(const AnyAddress& a) {
  return std::visit(
      [](const auto& x) {
        using A = std::decay_t<decltype(x)>;
        const base::u128 v = x.to_uint();
        std::string out;
        for (int i = static_cast<int>(A::kSize) - 1; i >= 0; --i) {
          out += fmt::format("{:02x}", static_cast<unsigned>((v >> (8 * i)) & 0xff));
        }
        return out;
      },
      a);
}

}  // namespace nextip::family
