// Capture files through libpcap: read any pcap/pcapng file, write pcap files.
//
// Link types (decision DUMP-2): Ethernet (1) for frames, with EtherType 0x88B5 for
// native ASIP and 0x88B6 for native IPv8 (ethernet.h); raw IP (101) for IPv4/IPv6
// captures (e.g. TUN devices); LINKTYPE_USER0 (147) for raw native ASIP and USER1
// (148) for raw native IPv8, which raw IP cannot tell apart (both are version 8).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/expected.h"

namespace nextip::io {

inline constexpr int kLinkEthernet = 1;
inline constexpr int kLinkRaw = 101;
inline constexpr int kLinkUser0Asip = 147;
inline constexpr int kLinkUser1Ipv8 = 148;

struct CaptureRecord {
  std::uint64_t timestamp_us = 0;
  std::uint32_t original_length = 0;  // on the wire; data may be shorter (snap length)
  std::vector<std::byte> data;
};

class PcapReader {
 public:
  [[nodiscard]] static Expected<PcapReader, std::string> open(const std::string& path);
  PcapReader(PcapReader&&) noexcept;
  PcapReader& operator=(PcapReader&&) noexcept;
  ~PcapReader();

  [[nodiscard]] int link_type() const noexcept { return link_type_; }
  // The next record, nullopt at the end, or an error message.
  [[nodiscard]] Expected<std::optional<CaptureRecord>, std::string> next();

 private:
  struct Handle;
  explicit PcapReader(std::unique_ptr<Handle> h, int link) noexcept;
  std::unique_ptr<Handle> h_;
  int link_type_ = 0;
};

class PcapWriter {
 public:
  [[nodiscard]] static Expected<PcapWriter, std::string> create(const std::string& path, int link_type,
                                                                int snap_length = 65535);
  PcapWriter(PcapWriter&&) noexcept;
  PcapWriter& operator=(PcapWriter&&) noexcept;
  ~PcapWriter();

  // Writes a record of at most the snap length bytes (the original length is kept).
  void write(base::Bytes packet, std::uint64_t timestamp_us);
  // Pushes buffered records to the file, so a reader sees whole records up to here.
  void flush();
  [[nodiscard]] Expected<void, std::string> close();

 private:
  struct Handle;
  explicit PcapWriter(std::unique_ptr<Handle> h) noexcept;
  std::unique_ptr<Handle> h_;
};

[[nodiscard]] std::string link_type_name(int link_type);

}  // namespace nextip::io
