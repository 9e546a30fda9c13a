#include "control/node.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "control/metrics.h"
#include "control/node_log.h"
#include "engine/host/adaptor.h"
#include "engine/translate/translator.h"
#include "io/event_loop.h"
#include "io/gro.h"
#include "io/gso.h"
#include "io/ip_command.h"
#include "io/listener.h"
#include "io/packet_link.h"
#include "io/pcap.h"
#include "io/process.h"
#include "io/tun.h"

namespace nextip::control {
namespace {

namespace tr = engine::translate;
namespace hst = engine::host;
using base::Bytes;
using base::Instant;
using base::MutBytes;
using json = nlohmann::json;

constexpr std::size_t kHead = io::kEthernetHeadroom;  // room for the Ethernet header
constexpr std::size_t kTunBatch = 32;                 // TUN reads per wakeup
constexpr std::size_t kLinkRounds = 4;                // receive() batches per wakeup
constexpr std::size_t kPool = 256;                    // link frames queued before a send
constexpr std::uint64_t kCaptureLimit = 64ull << 20;  // per device: a lab must not fill /run

std::string_view mode_name(tr::Mode m) noexcept {
  return m == tr::Mode::asip ? "asip" : "siit";
}

// ---------------------------------------------------------------------------------

struct DeviceCounters {
  std::uint64_t rx_packets = 0, rx_bytes = 0, tx_packets = 0, tx_bytes = 0;
  std::uint64_t rx_errors = 0;     // reads that failed (malformed virtio header, I/O error)
  std::uint64_t rx_truncated = 0;  // link frames longer than the buffer
  std::uint64_t tx_errors = 0;     // writes that failed
  std::uint64_t tx_blocked = 0;    // packets dropped because the device would block
  std::uint64_t no_neighbour = 0;  // link: no static neighbour for the destination
  std::uint64_t too_big = 0;       // link: packet over the link MTU (no offload to cut it)
  std::uint64_t gso_errors = 0;    // super-packets that could not be segmented
  std::uint64_t ignored = 0;       // IPv6 the kernel sends into an IPv4-only TUN (RS, MLD)
  std::uint64_t kernel_drops = 0;  // link: frames the kernel dropped, receive buffer full

  [[nodiscard]] json to_json() const {
    return {{"rx_packets", rx_packets},    {"rx_bytes", rx_bytes},     {"tx_packets", tx_packets},
            {"tx_bytes", tx_bytes},        {"rx_errors", rx_errors},   {"rx_truncated", rx_truncated},
            {"tx_errors", tx_errors},      {"tx_blocked", tx_blocked}, {"no_neighbour", no_neighbour},
            {"too_big", too_big},          {"gso_errors", gso_errors}, {"ignored", ignored},
            {"kernel_drops", kernel_drops}};
  }
};

inet::MacAddress to_inet(const Mac& m) {
  inet::MacAddress out{};
  for (std::size_t i = 0; i < 6; ++i) out[i] = std::byte{m[i]};
  return out;
}

// An engine's drop counters (index 0 is "none") as {reason: count}, the non-zero ones.
template <class Reason, std::size_t N>
json nonzero_drops(const std::array<std::uint64_t, N>& drops) {
  json out = json::object();
  for (std::size_t i = 1; i < N; ++i) {
    if (drops[i] != 0) out[std::string(name(static_cast<Reason>(i)))] = drops[i];
  }
  return out;
}

std::uint64_t now_us() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

// IPv6 that only makes sense on the TUN's own link: a link-local source (fe80::/10) or
// a multicast destination (ff00::/8). The kernel sends it into every TUN.
bool kernel_chatter(Bytes v6) noexcept {
  if (v6.size() < 40) return false;
  const auto b = [&](std::size_t i) { return std::to_integer<unsigned>(v6[i]); };
  return (b(8) == 0xfe && (b(9) & 0xc0) == 0x80) || b(24) == 0xff;
}

std::string ipv6_text_of(const asip::Address& a) {
  return a.to_ipv6().to_string();
}

std::string ipv6_prefix_text_of(const asip::Prefix& p) {
  return inet::format_prefix(inet::Ipv6Prefix::containing(p.address().to_ipv6(), p.length()));
}

class Node {
 public:
  Node(NodeConfig cfg, NodeOptions opts) : cfg_(std::move(cfg)), opts_(std::move(opts)), log_(make_logger(cfg_)) {
    if (!opts_.control.empty()) cfg_.control = opts_.control;
  }
  ~Node() {
    if (!opts_.ready_file.empty()) {
      std::error_code ec;
      std::filesystem::remove(opts_.ready_file, ec);
    }
  }

  int run() {
    if (auto r = setup(); !r) {
      log_->error("start-up failed: {}", r.error());
      return 1;
    }
    log_->info("ready: role {}{}, {} device(s); metrics {}, control {}", name(cfg_.role),
               cfg_.translator ? fmt::format(" ({})", mode_name(cfg_.translator->mode)) : "", devices_.size(),
               metrics_ ? metrics_->local() : "off", control_ ? control_->local() : "off");
    if (!opts_.ready_file.empty()) {
      std::ofstream(opts_.ready_file) << io::self_pid() << "\n";
    }
    if (auto r = loop_->run(); !r) {
      log_->error("event loop: {}", r.error().message());
      return 1;
    }
    log_->info("stopped: {} packets in, {} out", total(&DeviceCounters::rx_packets),
               total(&DeviceCounters::tx_packets));
    for (auto& d : devices_) {
      if (d.pcap) (void)d.pcap->close();
    }
    return 0;
  }

 private:
  struct Device {
    std::string kind;  // "tun" or "link"
    std::string name;
    DeviceCounters c;
    std::optional<io::PcapWriter> pcap;
    std::string pcap_path;
    std::uint64_t pcap_bytes = 0;  // written so far; the capture stops at kCaptureLimit
  };

  // ---- start-up ----------------------------------------------------------------

  Expected<void, std::string> setup() {
    auto loop = io::EventLoop::create();
    if (!loop) return nextip::unexpected(loop.error().message());
    loop_ = std::move(*loop);
    if (!cfg_.tun) return nextip::unexpected("no [tun] table");
    if (cfg_.links.size() > 1) {
      return nextip::unexpected(fmt::format("{} [[link]] tables: a node drives one link for now", cfg_.links.size()));
    }
    if (cfg_.role == Role::host && cfg_.links.empty()) {
      return nextip::unexpected("role host needs a [[link]] (the ASIP link)");
    }
    if (cfg_.role == Role::translator) {
      if (!cfg_.translator) return nextip::unexpected("role translator needs a [translator] table");
      if (cfg_.translator->mode == tr::Mode::asip && cfg_.links.empty()) {
        return nextip::unexpected("translator mode asip needs a [[link]] (the ASIP side)");
      }
      if (cfg_.translator->mode == tr::Mode::siit && !cfg_.links.empty()) {
        return nextip::unexpected("translator mode siit uses its TUN for both sides: remove the [[link]]");
      }
    }
    if (auto r = open_tun(); !r) return r;
    if (!cfg_.links.empty()) {
      if (auto r = open_link(cfg_.links.front()); !r) return r;
    }
    if (auto r = make_engines(); !r) return r;
    if (auto r = open_control(); !r) return r;
    if (auto r = watch(); !r) return r;
    return {};
  }

  Expected<void, std::string> open_tun() {
    const TunConfig& t = *cfg_.tun;
    io::TunConfig tc;
    tc.name = t.name;
    tc.vnet_hdr = true;
    tc.queues = 1;
    tc.offloads = t.offload ? io::TunOffloads::all() : io::TunOffloads::none();
    tc.mtu = t.mtu;
    tc.up = true;
    if (t.queues > 1) log_->warn("tun.queues = {}: this version reads one queue; using 1", t.queues);
    auto tun = io::Tun::open(tc);
    if (!tun) return nextip::unexpected(fmt::format("TUN {}: {}", t.name, tun.error().message()));
    tun_ = std::move(*tun);
    tun_dev_ = add_device("tun", tun_->name(), io::kLinkRaw);
    log_->info("TUN {} up, mtu {}, offloads {}", tun_->name(), t.mtu, tun_->offloads().to_string());

    const io::IpCommand ip;
    for (const std::string& a : t.addresses) {
      if (auto r = ip.addr_add(tun_->name(), a, a.find(':') != std::string::npos); !r) {
        return nextip::unexpected(r.error().message());
      }
    }
    if (cfg_.host) {
      for (const asip::Address& a : cfg_.host->addresses) {
        const std::string v6 = ipv6_text_of(a) + "/128";
        if (auto r = ip.addr_add(tun_->name(), v6, true); !r) return nextip::unexpected(r.error().message());
        log_->info("address {} on {} (carrier form {})", a.to_string(), tun_->name(), v6);
      }
    }
    for (const std::string& p : t.routes) {
      if (auto r = ip.route_add(p, tun_->name()); !r) return nextip::unexpected(r.error().message());
      log_->info("route {} dev {}", p, tun_->name());
    }
    if (cfg_.host) {
      for (const asip::Prefix& p : cfg_.host->routes) {
        const std::string v6 = ipv6_prefix_text_of(p);
        if (auto r = ip.route_add(v6, tun_->name()); !r) return nextip::unexpected(r.error().message());
        log_->info("route {} (ASIP {}) dev {}", v6, asip::format_prefix(p), tun_->name());
      }
    }
    // Buffers: kTunBatch packets of up to 64 KiB (super-packets), each after headroom.
    tun_stride_ = kHead + io::kMaxTunPacket;
    tun_bufs_.assign(kTunBatch * tun_stride_, std::byte{0});
    return {};
  }

  Expected<void, std::string> open_link(const LinkConfig& l) {
    io::PacketLinkConfig pc;
    pc.interface = l.interface;
    pc.ethertype = l.ethertype;
    auto link = io::PacketLink::open(pc);
    if (!link) return nextip::unexpected(fmt::format("link {}: {}", l.interface, link.error().message()));
    link_ = std::move(*link);
    link_cfg_ = &l;
    link_dev_ = add_device("link", link_->interface(), io::kLinkEthernet);
    log_->info("link {} (EtherType 0x{:04X}), mtu {}, {} static neighbour(s)", link_->interface(), l.ethertype,
               link_->mtu(), l.neighbours.size());
    frame_stride_ = kHead + static_cast<std::size_t>(std::max(link_->mtu(), 1280)) + 64;
    rx_bufs_storage_.assign(io::kMaxLinkBatch * frame_stride_, std::byte{0});
    for (std::size_t i = 0; i < io::kMaxLinkBatch; ++i) {
      rx_bufs_[i] = MutBytes(rx_bufs_storage_.data() + i * frame_stride_, frame_stride_);
    }
    pool_.assign(kPool * frame_stride_, std::byte{0});
    if (cfg_.tun->offload) {
      gro_buf_.assign(io::kMaxTunPacket, std::byte{0});
      gro_.emplace(MutBytes(gro_buf_));
    }
    return {};
  }

  Expected<void, std::string> make_engines() {
    if (cfg_.role == Role::host) {
      hst::HostConfig hc;
      for (const asip::Address& a : cfg_.host->addresses) hc.own.push_back(asip::Prefix::containing(a, 128));
      if (auto e = hc.validate()) return nextip::unexpected(fmt::format("host adaptor: {}", *e));
      host_.emplace(std::move(hc));
    } else {
      translator_ = std::make_unique<tr::Translator>(*cfg_.translator);
    }
    return {};
  }

  Expected<void, std::string> open_control() {
    if (!cfg_.metrics.empty()) {
      auto m = io::Listener::tcp(cfg_.metrics);
      if (!m) return nextip::unexpected(fmt::format("metrics = \"{}\": {}", cfg_.metrics, m.error().message()));
      metrics_.emplace(std::move(*m));
    }
    if (!cfg_.control.empty()) {
      auto c = io::Listener::unix_socket(cfg_.control);
      if (!c) return nextip::unexpected(fmt::format("control = \"{}\": {}", cfg_.control, c.error().message()));
      control_.emplace(std::move(*c));
    }
    if (!cfg_.pcap_dir.empty()) {
      for (Device& d : devices_) {
        d.pcap_path = fmt::format("{}/{}-{}.pcap", cfg_.pcap_dir, cfg_.name, d.name);
        auto w =
            io::PcapWriter::create(d.pcap_path, d.kind == "tun" ? io::kLinkRaw : io::kLinkEthernet, kCaptureSnapLength);
        if (!w) return nextip::unexpected(fmt::format("pcap-dir: {}", w.error()));
        d.pcap.emplace(std::move(*w));
        log_->info("capturing {} to {}", d.name, d.pcap_path);
      }
    }
    return {};
  }

  Expected<void, std::string> watch() {
    auto fail = [](const io::IoError& e) { return nextip::unexpected(e.message()); };
    if (auto r = loop_->add_reader(tun_->fd(0), [this] { on_tun(); }); !r) return fail(r.error());
    if (link_) {
      if (auto r = loop_->add_reader(link_->fd(), [this] { on_link(); }); !r) return fail(r.error());
    }
    if (metrics_) {
      if (auto r = loop_->add_reader(metrics_->fd(), [this] { on_metrics(); }); !r) return fail(r.error());
    }
    if (control_) {
      if (auto r = loop_->add_reader(control_->fd(), [this] { on_control(); }); !r) return fail(r.error());
    }
    for (int sig : {SIGTERM, SIGINT}) {
      auto r = loop_->on_signal(sig, [this](int s) {
        log_->info("{}: shutting down", s == SIGTERM ? "SIGTERM" : "SIGINT");
        loop_->stop();
      });
      if (!r) return fail(r.error());
    }
    if (auto r = loop_->on_signal(SIGHUP, [this](int) { reload(); }); !r) return fail(r.error());
    started_ = loop_->sys().now();
    loop_->add_periodic(started_ + std::chrono::seconds(1), std::chrono::seconds(1), [this] { housekeeping(); });
    return {};
  }

  std::size_t add_device(std::string kind, std::string dev_name, int /*link_type*/) {
    devices_.push_back(Device{std::move(kind), std::move(dev_name), {}, std::nullopt, {}});
    return devices_.size() - 1;
  }

  // ---- data path ----------------------------------------------------------------

  void capture(Device& d, Bytes frame) {
    if (!d.pcap) return;
    d.pcap->write(frame, now_us());
    d.pcap_bytes += 16 + std::min<std::size_t>(frame.size(), kCaptureSnapLength);
    if (d.pcap_bytes >= kCaptureLimit) {
      (void)d.pcap->close();
      d.pcap.reset();
      log_->info("capture {} reached {} MiB: stopped (restart the node for a new one)", d.pcap_path,
                 kCaptureLimit >> 20);
    }
  }

  void on_tun() {
    const Instant now = loop_->now();
    for (std::size_t i = 0; i < kTunBatch; ++i) {
      // Room for this packet's frame in place (queue_asip_in_place never flushes: the
      // flush would release the buffer the frame sits in).
      if (tun_used_ == kTunBatch || pending_ == kPool) flush_link();
      MutBytes buf(tun_bufs_.data() + tun_used_ * tun_stride_, tun_stride_);
      auto r = tun_->read(0, buf.subspan(kHead));
      Device& d = devices_[tun_dev_];
      if (!r) {
        ++d.c.rx_errors;
        if (limiter_.allow(now)) log_->warn("TUN read: {}", r.error().message());
        if (r.error().err == EBADMSG) continue;
        break;
      }
      if (!*r) break;
      io::TunPacket& p = **r;
      ++d.c.rx_packets;
      d.c.rx_bytes += p.packet.size();
      capture(d, p.packet);
      from_tun(buf, p, now);
    }
    flush_link();
  }

  void from_tun(MutBytes buf, io::TunPacket& p, Instant now) {
    if (host_) {
      const hst::HostResult res = host_->kernel_to_asip(p.packet, p.offload);
      if (!res) {
        host_drop(res.reason, "kernel -> ASIP", now);
        return;
      }
      queue_asip_in_place(buf.first(kHead + res.length), p.offload);
      return;
    }
    const unsigned version = p.packet.empty() ? 0 : std::to_integer<unsigned>(p.packet[0]) >> 4;
    if (cfg_.translator->mode == tr::Mode::siit && version == 6 && kernel_chatter(p.packet)) {
      // The kernel's own link-scoped IPv6 (router solicitations, MLD) into the TUN.
      ++devices_[tun_dev_].c.ignored;
    } else if (cfg_.translator->mode == tr::Mode::siit && version == 6) {
      emit(translator_->from_v6(p.packet, now, p.offload), now);
    } else if (version == 6) {
      // The kernel's own IPv6 chatter (router solicitations, MLD) on the IPv4 side.
      ++devices_[tun_dev_].c.ignored;
    } else {
      emit(translator_->from_v4(p.packet, now, p.offload), now);
    }
  }

  void on_link() {
    const Instant now = loop_->now();
    Device& d = devices_[link_dev_];
    for (std::size_t round = 0; round < kLinkRounds; ++round) {
      auto n = link_->receive(rx_bufs_, rx_frames_);
      if (!n) {
        ++d.c.rx_errors;
        if (limiter_.allow(now)) log_->warn("link receive: {}", n.error().message());
        break;
      }
      if (*n == 0) break;
      for (std::size_t i = 0; i < *n; ++i) {
        io::LinkFrame& f = rx_frames_[i];
        ++d.c.rx_packets;
        d.c.rx_bytes += f.payload.size();
        capture(d, rx_bufs_[i].first(kHead + f.payload.size()));
        if (f.truncated) {
          ++d.c.rx_truncated;
          if (limiter_.allow(now)) log_->warn("link {}: frame longer than the MTU buffer, dropped", d.name);
          continue;
        }
        if (gro_) {
          // In-order TCP segments of one flow become one super-packet (io/gro.h).
          if (gro_->merge(f.payload)) continue;
          flush_gro(now);
          if (gro_->start(f.payload)) continue;
        }
        base::Offload none;
        from_link(f.payload, none, now);
      }
      if (*n < io::kMaxLinkBatch) break;
    }
    flush_gro(now);
    flush_link();
  }

  void flush_gro(Instant now) {
    if (!gro_ || !gro_->pending()) return;
    base::Offload off;
    const MutBytes p = gro_->take(off);
    from_link(p, off, now);
  }

  void from_link(MutBytes payload, base::Offload& off, Instant now) {
    if (host_) {
      const hst::HostResult res = host_->asip_to_kernel(payload, off);
      if (!res) {
        host_drop(res.reason, "ASIP -> kernel", now);
        return;
      }
      tun_write(payload.first(res.length), off);
      return;
    }
    emit(translator_->from_v6(payload, now, off), now);
  }

  void emit(const tr::Outcome& out, Instant now) {
    if (out.verdict == tr::Verdict::icmp_error || out.verdict == tr::Verdict::dropped) {
      if (limiter_.allow(now)) {
        log_->info("translator: {} ({}){}", tr::name(out.reason), tr::describe(out.reason),
                   out.verdict == tr::Verdict::icmp_error ? ", answered with an ICMP error" : "");
      }
    }
    const bool siit = cfg_.translator->mode == tr::Mode::siit;
    for (const tr::Emitted& e : out.packets) {
      if (siit || e.side == tr::Side::v4) {
        tun_write(e.packet, e.offload);
      } else {
        queue_asip_copy(e.packet, e.offload);
      }
    }
  }

  void host_drop(hst::HostDrop reason, std::string_view dir, Instant now) {
    if (hst::routine(reason)) return;
    if (limiter_.allow(now)) log_->info("host adaptor {}: {} ({})", dir, hst::name(reason), hst::describe(reason));
  }

  void tun_write(Bytes packet, const base::Offload& off) {
    Device& d = devices_[tun_dev_];
    auto w = tun_->write(0, off, packet);
    if (!w) {
      ++d.c.tx_errors;
      if (limiter_.allow(loop_->now())) log_->warn("TUN write: {}", w.error().message());
      return;
    }
    if (!*w) {
      ++d.c.tx_blocked;
      return;
    }
    ++d.c.tx_packets;
    d.c.tx_bytes += packet.size();
    capture(d, packet);
  }

  // The next hop of an ASIP packet (destination at bytes 24..40), or nullopt (counted).
  std::optional<inet::MacAddress> next_hop(Bytes asip_packet) {
    Device& d = devices_[link_dev_];
    if (asip_packet.size() < 40) {
      ++d.c.too_big;  // cannot happen: the engines emit whole headers
      return std::nullopt;
    }
    const auto dst = asip::Address::from_bytes(asip_packet.subspan<24, 16>());
    const auto mac = link_cfg_->next_hop(dst);
    if (!mac) {
      ++d.c.no_neighbour;
      if (limiter_.allow(loop_->now())) {
        log_->warn("link {}: no neighbour for {}: add a [[link.neighbour]] prefix", d.name, dst.to_string());
      }
      return std::nullopt;
    }
    return to_inet(*mac);
  }

  MutBytes pool_buf() { return MutBytes(pool_.data() + pool_used_++ * frame_stride_, frame_stride_); }

  // `frame` = headroom + an ASIP packet in the current TUN buffer, which stays
  // reserved until flush_link().
  void queue_asip_in_place(MutBytes frame, const base::Offload& off) {
    Bytes packet = frame.subspan(kHead);
    const auto mac = next_hop(packet);
    if (!mac) return;
    if (off.any()) {
      segment_into_pool(packet, off, *mac);
      return;
    }
    Device& d = devices_[link_dev_];
    if (packet.size() > static_cast<std::size_t>(link_->mtu())) {
      ++d.c.too_big;
      return;
    }
    if (pending_ == kPool) return;  // unreachable: on_tun() makes room first
    out_[pending_++] = io::OutFrame{*mac, frame};
    ++tun_used_;
  }

  // An ASIP packet in an engine's arena (valid until the engine's next call): copied.
  void queue_asip_copy(Bytes packet, const base::Offload& off) {
    const auto mac = next_hop(packet);
    if (!mac) return;
    if (off.any()) {
      segment_into_pool(packet, off, *mac);
      return;
    }
    Device& d = devices_[link_dev_];
    if (packet.size() + kHead > frame_stride_ || packet.size() > static_cast<std::size_t>(link_->mtu())) {
      ++d.c.too_big;
      return;
    }
    if (pool_used_ == kPool || pending_ == kPool) flush_link();
    MutBytes b = pool_buf();
    std::memcpy(b.data() + kHead, packet.data(), packet.size());
    out_[pending_++] = io::OutFrame{*mac, b.first(kHead + packet.size())};
  }

  // Finishes a partial checksum or cuts a super-packet (the link has no offloads).
  void segment_into_pool(Bytes packet, const base::Offload& off, const inet::MacAddress& mac) {
    Device& d = devices_[link_dev_];
    const std::size_t n = io::segment_count(packet, off);
    if (n == 0 || n > kPool) {
      ++d.c.gso_errors;
      return;
    }
    if (pool_used_ + n > kPool || pending_ + n > kPool) flush_link();
    std::array<MutBytes, kPool> outs{};
    std::array<std::size_t, kPool> sizes{};
    for (std::size_t i = 0; i < n; ++i)
      outs[i] = MutBytes(pool_.data() + (pool_used_ + i) * frame_stride_ + kHead, frame_stride_ - kHead);
    auto r =
        io::segment(packet, off, std::span<const MutBytes>(outs.data(), n), std::span<std::size_t>(sizes.data(), n));
    if (!r) {
      ++d.c.gso_errors;
      if (limiter_.allow(loop_->now())) log_->warn("segmentation: {}", io::describe(r.error()));
      return;
    }
    for (std::size_t i = 0; i < *r; ++i) {
      MutBytes b = pool_buf();
      if (sizes[i] > static_cast<std::size_t>(link_->mtu())) {
        ++d.c.too_big;
        continue;
      }
      out_[pending_++] = io::OutFrame{mac, b.first(kHead + sizes[i])};
    }
  }

  void flush_link() {
    if (pending_ > 0 && link_) {
      Device& d = devices_[link_dev_];
      std::size_t sent = 0;
      while (sent < pending_) {
        auto r = link_->send(std::span<const io::OutFrame>(out_.data() + sent, pending_ - sent));
        if (!r) {
          ++d.c.tx_errors;
          ++sent;  // skip the frame the error belongs to
          if (limiter_.allow(loop_->now())) log_->warn("link send: {}", r.error().message());
          continue;
        }
        if (*r == 0) break;
        for (std::size_t i = sent; i < sent + *r; ++i) {
          ++d.c.tx_packets;
          d.c.tx_bytes += out_[i].frame.size() - kHead;
          capture(d, out_[i].frame);
        }
        sent += *r;
      }
      d.c.tx_blocked += pending_ - sent;
    }
    pending_ = 0;
    pool_used_ = 0;
    tun_used_ = 0;
  }

  // ---- control plane -------------------------------------------------------------

  void housekeeping() {
    const Instant now = loop_->now();
    if (translator_) (void)translator_->expire(now);
    for (Device& d : devices_) {
      if (d.pcap) d.pcap->flush();
    }
    if (link_) {
      DeviceCounters& c = devices_[link_dev_].c;
      const std::uint64_t k = link_->kernel_drops();
      if (k > c.kernel_drops && limiter_.allow(now)) {
        log_->warn("link {}: the kernel dropped {} frame(s) for a full receive buffer", link_->interface(),
                   k - c.kernel_drops);
      }
      c.kernel_drops = k;
    }
    if (const std::uint64_t s = limiter_.take_suppressed(); s > 0) {
      log_->info("{} more drop/error line(s) suppressed in the last second (see the metrics)", s);
    }
  }

  void on_metrics() {
    for (int i = 0; i < 4; ++i) {
      auto r = metrics_->serve_one([this](std::string_view req) {
        return io::http_answer(req, {{"/metrics", "text/plain; version=0.0.4", [this] { return metrics_text(); }},
                                     {"/status", "application/json", [this] { return status().dump(2) + "\n"; }}});
      });
      if (!r || !*r) break;
    }
  }

  void on_control() {
    for (int i = 0; i < 4; ++i) {
      auto r = control_->serve_one([this](std::string_view req) -> std::string {
        while (!req.empty() && (req.back() == '\n' || req.back() == '\r' || req.back() == ' ')) req.remove_suffix(1);
        if (req == "status") return status().dump() + "\n";
        if (req == "metrics") return metrics_text();
        if (req == "stop") {
          log_->info("stop requested on the control socket");
          loop_->stop();
          return R"({"stopping":true})"
                 "\n";
        }
        return json{{"error", fmt::format("unknown request '{}': status, metrics or stop", req)}}.dump() + "\n";
      });
      if (!r || !*r) break;
    }
  }

  std::uint64_t total(std::uint64_t DeviceCounters::*field) const {
    std::uint64_t n = 0;
    for (const Device& d : devices_) n += d.c.*field;
    return n;
  }

  [[nodiscard]] json status() const {
    json j;
    j["name"] = cfg_.name;
    j["role"] = std::string(name(cfg_.role));
    if (cfg_.translator) j["mode"] = std::string(mode_name(cfg_.translator->mode));
    j["pid"] = io::self_pid();
    j["uptime_s"] = std::chrono::duration<double>(loop_->sys().now() - started_).count();
    j["config"] = cfg_.source;
    j["metrics"] = metrics_ ? metrics_->local() : "";
    j["control"] = control_ ? control_->local() : "";
    json devs = json::array();
    for (const Device& d : devices_) {
      json dj = d.c.to_json();
      dj["kind"] = d.kind;
      dj["name"] = d.name;
      if (d.kind == "tun") dj["offloads"] = tun_->offloads().to_string();
      if (d.kind == "link") dj["mtu"] = link_->mtu();
      if (!d.pcap_path.empty()) dj["pcap"] = d.pcap_path;
      devs.push_back(std::move(dj));
    }
    j["devices"] = std::move(devs);
    if (gro_) {
      const auto& g = gro_->stats();
      j["gro"] = {{"segments_in", g.segments_in}, {"packets_out", g.packets_out}, {"bad_checksum", g.bad_checksum}};
    }
    if (translator_) {
      const tr::Stats& s = translator_->stats();
      json drops = nonzero_drops<tr::DropReason>(s.drops);
      j["translator"] = {{"in_v4", s.in_v4},
                         {"in_v6", s.in_v6},
                         {"out_v4", s.out_v4},
                         {"out_v6", s.out_v6},
                         {"translated", s.translated},
                         {"hairpinned", s.hairpinned},
                         {"icmp_generated", s.icmp_generated},
                         {"fragments_made", s.fragments_made},
                         {"dropped", s.dropped()},
                         {"drops", std::move(drops)},
                         {"locator_entries", translator_->locators().size()}};
    }
    if (host_) {
      const hst::HostStats& s = host_->stats();
      json drops = nonzero_drops<hst::HostDrop>(s.drops);
      j["host"] = {{"to_asip", s.to_asip},
                   {"to_kernel", s.to_kernel},
                   {"icmp_renamed", s.icmp_renamed},
                   {"dropped", s.dropped()},
                   {"drops", std::move(drops)}};
    }
    return j;
  }

  [[nodiscard]] std::string metrics_text() const {
    MetricsText m;
    m.gauge("nextip_node_info", "The node: its name and role", {{"node", cfg_.name}, {"role", name(cfg_.role)}}, 1);
    m.gauge("nextip_node_uptime_seconds", "Seconds since the node started", {},
            std::chrono::duration<double>(loop_->sys().now() - started_).count());
    for (const Device& d : devices_) {
      const auto& c = d.c;
      const auto dev = [&](std::string_view metric, std::string_view help, std::string_view dir, std::uint64_t v) {
        m.counter(metric, help, {{"device", d.name}, {"kind", d.kind}, {"direction", dir}}, v);
      };
      dev("nextip_device_packets_total", "Packets read from (rx) and written to (tx) a device", "rx", c.rx_packets);
      dev("nextip_device_packets_total", "Packets read from (rx) and written to (tx) a device", "tx", c.tx_packets);
      dev("nextip_device_bytes_total", "Bytes read from (rx) and written to (tx) a device", "rx", c.rx_bytes);
      dev("nextip_device_bytes_total", "Bytes read from (rx) and written to (tx) a device", "tx", c.tx_bytes);
      constexpr std::string_view kErr = "nextip_device_drops_total";
      constexpr std::string_view kErrHelp = "Packets a device lost, by reason";
      const auto drop = [&](std::string_view reason, std::uint64_t v) {
        m.counter(kErr, kErrHelp, {{"device", d.name}, {"kind", d.kind}, {"reason", reason}}, v);
      };
      drop("rx_error", c.rx_errors);
      drop("rx_truncated", c.rx_truncated);
      drop("tx_error", c.tx_errors);
      drop("tx_blocked", c.tx_blocked);
      drop("no_neighbour", c.no_neighbour);
      drop("too_big", c.too_big);
      drop("gso_error", c.gso_errors);
      drop("ignored_ipv6", c.ignored);
      drop("kernel_rx_buffer_full", c.kernel_drops);
    }
    if (gro_) {
      const auto& g = gro_->stats();
      m.counter("nextip_gro_segments_total", "TCP segments from the link offered to software GRO", {}, g.segments_in);
      m.counter("nextip_gro_packets_total", "Packets (super-packets or single segments) GRO passed on", {},
                g.packets_out);
      m.counter("nextip_gro_bad_checksum_total", "TCP segments GRO left alone because their checksum failed", {},
                g.bad_checksum);
    }
    if (translator_) render_translator(m, translator_->stats(), translator_->locators());
    if (host_) render_host(m, host_->stats());
    return m.text();
  }

  void reload() {
    if (opts_.config_path.empty()) {
      log_->warn("SIGHUP: no configuration file to reload");
      return;
    }
    auto c = load_node_config(opts_.config_path);
    if (!c) {
      log_->error("SIGHUP: keeping the running configuration: {}", c.error());
      return;
    }
    if (c->role != cfg_.role || c->name != cfg_.name) {
      log_->error("SIGHUP: name or role changed: restart the node to apply");
      return;
    }
    log_->set_level(spdlog::level::from_str(c->log_level));
    cfg_.log_level = c->log_level;
    if (translator_ && c->translator && c->translator->mode == cfg_.translator->mode) {
      translator_ = std::make_unique<tr::Translator>(*c->translator);
      cfg_.translator = c->translator;
      log_->info("SIGHUP: translator settings reloaded (per-flow locator state starts afresh)");
    } else if (translator_) {
      log_->error("SIGHUP: translator mode changed: restart the node to apply");
    }
    log_->info("SIGHUP: log level {}; device changes (TUN, links) need a restart", c->log_level);
  }

  NodeConfig cfg_;
  NodeOptions opts_;
  std::shared_ptr<spdlog::logger> log_;
  LogLimiter limiter_;
  std::unique_ptr<io::EventLoop> loop_;
  Instant started_{};

  std::optional<io::Tun> tun_;
  std::optional<io::PacketLink> link_;
  const LinkConfig* link_cfg_ = nullptr;
  std::vector<Device> devices_;
  std::size_t tun_dev_ = 0;
  std::size_t link_dev_ = 0;

  std::vector<std::byte> gro_buf_;
  std::optional<io::TcpCoalescer> gro_;  // link receive -> TUN, when the TUN takes offloads
  std::optional<hst::HostAdaptor> host_;
  std::unique_ptr<tr::Translator> translator_;

  std::optional<io::Listener> metrics_;
  std::optional<io::Listener> control_;

  // Buffers (sized at start-up; the data path allocates nothing).
  std::size_t tun_stride_ = 0;
  std::vector<std::byte> tun_bufs_;
  std::size_t tun_used_ = 0;  // TUN buffers referenced by queued frames
  std::size_t frame_stride_ = 0;
  std::vector<std::byte> rx_bufs_storage_;
  std::array<MutBytes, io::kMaxLinkBatch> rx_bufs_{};
  std::array<io::LinkFrame, io::kMaxLinkBatch> rx_frames_{};
  std::vector<std::byte> pool_;
  std::size_t pool_used_ = 0;
  std::array<io::OutFrame, kPool> out_{};
  std::size_t pending_ = 0;
};

}  // namespace

int run_node(NodeConfig config, const NodeOptions& options) {
  Node node(std::move(config), options);
  return node.run();
}

}  // namespace nextip::control
