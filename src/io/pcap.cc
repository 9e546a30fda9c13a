#include "io/pcap.h"

#include <fmt/format.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cstring>

namespace nextip::io {

struct PcapReader::Handle {
  pcap_t* p = nullptr;
  ~Handle() {
    if (p != nullptr) pcap_close(p);
  }
};

PcapReader::PcapReader(std::unique_ptr<Handle> h, int link) noexcept : h_(std::move(h)), link_type_(link) {}
PcapReader::PcapReader(PcapReader&&) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&&) noexcept = default;
PcapReader::~PcapReader() = default;

Expected<PcapReader, std::string> PcapReader::open(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path.c_str(), err);
  if (p == nullptr) return nextip::unexpected(fmt::format("cannot read capture '{}': {}", path, err));
  auto h = std::make_unique<Handle>();
  h->p = p;
  const int link = pcap_datalink(p);
  return PcapReader(std::move(h), link);
}

Expected<std::optional<CaptureRecord>, std::string> PcapReader::next() {
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(h_->p, &hdr, &data);
  if (rc == PCAP_ERROR_BREAK) return std::optional<CaptureRecord>{};
  if (rc != 1) return nextip::unexpected(std::string(pcap_geterr(h_->p)));
  CaptureRecord r;
  r.timestamp_us = static_cast<std::uint64_t>(hdr->ts.tv_sec) * 1000000u + static_cast<std::uint64_t>(hdr->ts.tv_usec);
  r.original_length = hdr->len;
  r.data.resize(hdr->caplen);
  std::memcpy(r.data.data(), data, hdr->caplen);
  return std::optional<CaptureRecord>{std::move(r)};
}

struct PcapWriter::Handle {
  pcap_t* p = nullptr;
  pcap_dumper_t* d = nullptr;
  std::uint32_t snap = 65535;
  ~Handle() {
    if (d != nullptr) pcap_dump_close(d);
    if (p != nullptr) pcap_close(p);
  }
};

PcapWriter::PcapWriter(std::unique_ptr<Handle> h) noexcept : h_(std::move(h)) {}
PcapWriter::PcapWriter(PcapWriter&&) noexcept = default;
PcapWriter& PcapWriter::operator=(PcapWriter&&) noexcept = default;
PcapWriter::~PcapWriter() = default;

Expected<PcapWriter, std::string> PcapWriter::create(const std::string& path, int link_type, int snap_length) {
  auto h = std::make_unique<Handle>();
  // pcap_open_dead takes a DLT_ value; the file says LINKTYPE_ (they differ only for raw IP).
  h->p = pcap_open_dead(link_type == kLinkRaw ? DLT_RAW : link_type, snap_length);
  if (h->p == nullptr) return nextip::unexpected(fmt::format("libpcap refused link type {}", link_type));
  h->snap = static_cast<std::uint32_t>(std::max(snap_length, 1));
  h->d = pcap_dump_open(h->p, path.c_str());
  if (h->d == nullptr) return nextip::unexpected(fmt::format("cannot write '{}': {}", path, pcap_geterr(h->p)));
  return PcapWriter(std::move(h));
}

void PcapWriter::write(base::Bytes packet, std::uint64_t timestamp_us) {
  pcap_pkthdr hdr{};
  hdr.ts.tv_sec = static_cast<time_t>(timestamp_us / 1000000u);
  hdr.ts.tv_usec = static_cast<suseconds_t>(timestamp_us % 1000000u);
  hdr.len = static_cast<bpf_u_int32>(packet.size());
  hdr.caplen = std::min<bpf_u_int32>(hdr.len, h_->snap);
  pcap_dump(reinterpret_cast<u_char*>(h_->d), &hdr, reinterpret_cast<const u_char*>(packet.data()));
}

void PcapWriter::flush() {
  if (h_ && h_->d != nullptr) (void)pcap_dump_flush(h_->d);
}

Expected<void, std::string> PcapWriter::close() {
  if (h_ && h_->d != nullptr) {
    if (pcap_dump_flush(h_->d) != 0) return nextip::unexpected(std::string("flushing the capture failed"));
    pcap_dump_close(h_->d);
    h_->d = nullptr;
  }
  return {};
}

std::string link_type_name(int link_type) {
  switch (link_type) {
    case kLinkEthernet: return "ethernet";
    case kLinkRaw: return "raw-ip";
    case kLinkUser0Asip: return "user0-asip";
    case kLinkUser1Ipv8: return "user1-ipv8";
    default: {
      const char* n = pcap_datalink_val_to_name(link_type);
      return n != nullptr ? std::string(n) : fmt::format("linktype-{}", link_type);
    }
  }
}

}  // namespace nextip::io
