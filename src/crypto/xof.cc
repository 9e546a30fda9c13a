#include "crypto/xof.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <utility>

#include "crypto/secure.h"

namespace nextip::crypto {

namespace {
std::size_t window_size(HashAlgo algo) noexcept {
  return Xof::kWindowBlocks * rate(algo);
}
}  // namespace

Xof::Xof(EVP_MD_CTX* absorbed, EVP_MD_CTX* scratch, HashAlgo algo) noexcept
    : absorbed_(absorbed), scratch_(scratch), algo_(algo) {}

Expected<Xof, Error> Xof::create(HashAlgo algo) noexcept {
  if (algo != HashAlgo::shake128 && algo != HashAlgo::shake256) return nextip::unexpected(Error::bad_length);
  const EVP_MD* md = detail::md_of(algo);
  if (md == nullptr) return nextip::unexpected(Error::openssl);
  EVP_MD_CTX* a = EVP_MD_CTX_new();
  EVP_MD_CTX* s = EVP_MD_CTX_new();
  if (a == nullptr || s == nullptr || EVP_DigestInit_ex2(a, md, nullptr) != 1) {
    EVP_MD_CTX_free(a);
    EVP_MD_CTX_free(s);
    return nextip::unexpected(Error::openssl);
  }
  return Xof(a, s, algo);
}

Xof::Xof(Xof&& o) noexcept
    : absorbed_(std::exchange(o.absorbed_, nullptr)),
      scratch_(std::exchange(o.scratch_, nullptr)),
      algo_(o.algo_),
      squeezing_(o.squeezing_),
      produced_(o.produced_),
      pos_(o.pos_),
      window_(o.window_),
      heap_(std::move(o.heap_)) {
  o.drop_output();
}

Xof& Xof::operator=(Xof&& o) noexcept {
  if (this != &o) {
    drop_output();
    EVP_MD_CTX_free(absorbed_);
    EVP_MD_CTX_free(scratch_);
    absorbed_ = std::exchange(o.absorbed_, nullptr);
    scratch_ = std::exchange(o.scratch_, nullptr);
    algo_ = o.algo_;
    squeezing_ = o.squeezing_;
    produced_ = o.produced_;
    pos_ = o.pos_;
    window_ = o.window_;
    heap_ = std::move(o.heap_);
    o.drop_output();
  }
  return *this;
}

Xof::~Xof() {
  drop_output();
  EVP_MD_CTX_free(absorbed_);
  EVP_MD_CTX_free(scratch_);
}

const std::byte* Xof::buffer() const noexcept {
  return heap_ ? heap_.get() : window_.data();
}

void Xof::drop_output() noexcept {
  if (heap_) wipe(MutBytes(heap_.get(), produced_));
  heap_.reset();
  wipe(window_);
  produced_ = 0;
  pos_ = 0;
  squeezing_ = false;
}

Expected<void, Error> Xof::absorb(Bytes data) noexcept {
  if (squeezing_) return nextip::unexpected(Error::xof_state);
  if (data.empty()) return {};
  if (EVP_DigestUpdate(absorbed_, data.data(), data.size()) != 1) return nextip::unexpected(Error::openssl);
  return {};
}

// Makes the first `at_least` (or more) bytes of the stream available in buffer().
Expected<void, Error> Xof::produce(std::size_t at_least) noexcept {
  const std::size_t window = window_size(algo_);
  std::size_t len = std::max(at_least, window);
  std::unique_ptr<std::byte[]> heap;
  std::byte* dst = window_.data();
  if (len > window) {
    len = std::max(len, 2 * produced_);
    heap.reset(new (std::nothrow) std::byte[len]);
    if (!heap) return nextip::unexpected(Error::out_of_memory);
    dst = heap.get();
  }
  bool ok = EVP_MD_CTX_copy_ex(scratch_, absorbed_) == 1 &&
            EVP_DigestFinalXOF(scratch_, reinterpret_cast<unsigned char*>(dst), len) == 1;
  // The finalised copy is not kept around.
  ok = EVP_DigestInit_ex2(scratch_, detail::md_of(algo_), nullptr) == 1 && ok;
  if (!ok) {
    if (heap) wipe(MutBytes(heap.get(), len));
    return nextip::unexpected(Error::openssl);
  }
  if (heap_) wipe(MutBytes(heap_.get(), produced_));
  heap_ = std::move(heap);
  if (heap_) wipe(window_);
  produced_ = len;
  return {};
}

Expected<void, Error> Xof::squeeze(MutBytes out) noexcept {
  if (out.empty()) return {};
  squeezing_ = true;
  if (out.size() > produced_ - pos_) {
    if (auto r = produce(pos_ + out.size()); !r) return r;
  }
  std::memcpy(out.data(), buffer() + pos_, out.size());
  pos_ += out.size();
  return {};
}

Expected<void, Error> Xof::reset() noexcept {
  drop_output();
  if (EVP_DigestInit_ex2(absorbed_, detail::md_of(algo_), nullptr) != 1) return nextip::unexpected(Error::openssl);
  return {};
}

}  // namespace nextip::crypto
