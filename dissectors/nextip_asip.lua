-- nextip_asip.lua: Wireshark 4.0 dissector for ASIP, draft-hause-asip-00 (nextip project).
--
--   asip            the 40-byte header (001 §5.1): version 8, traffic class, flow label,
--                   payload length, next header, hop limit, 128-bit r:z:s:h addresses
--   asip.hopopts, asip.routing, asip.fragment, asip.ah, asip.dstopts
--                   extension headers (001 §5.3, RFC 8200 layouts), bounded by 001 §14.12:
--                   at most 8 headers and 256 bytes, the upper-layer header in the first
--                   fragment
--   icmpasip        ICMP-ASIP, next header 143 (001 §9): ICMPv6 numbering and layouts, errors
--                   with the quoted ASIP packet dissected again, Packet Too Big, Echo, and
--                   Neighbor Discovery (RS, RA, NS, NA, Redirect) with options
--
-- Carried by: EtherType 0x88B5, GENEVE protocol type 0x88B5 (both through Wireshark's
-- "ethertype" table) and LINKTYPE_USER0 (wiretap encapsulation USER0).
-- Field keys and value formats: docs/wire/fields.md. Addresses print in nextip's default
-- (compressed) form, decision ASIP-1 of docs/spec-decisions.md.

local C = (function()
  if _G.NEXTIP_COMMON then return _G.NEXTIP_COMMON end
  local dir = debug.getinfo(1, "S").source:match("^@(.*)[/\\]") or "."
  return dofile(dir .. "/nextip_common.lua")
end)()

local floor = math.floor

local ETHERTYPE_ASIP = 0x88B5
local NH_ICMPASIP = 143
local MAX_EXT_HEADERS = 8 -- 001 §14.12
local MAX_EXT_BYTES = 256 -- 001 §14.12

-- ASIP header ----------------------------------------------------------------------------

local asip = Proto.new("asip", "AS-Structured Internet Protocol (ASIP)")
local F = {
  version = ProtoField.uint8("asip.version", "Version", base.DEC),
  tclass = ProtoField.uint8("asip.tclass", "Traffic Class", base.HEX),
  flow = ProtoField.uint32("asip.flow", "Flow Label", base.HEX),
  plen = ProtoField.uint16("asip.plen", "Payload Length", base.DEC),
  nxt = ProtoField.uint8("asip.nxt", "Next Header", base.DEC),
  hlim = ProtoField.uint8("asip.hlim", "Hop Limit", base.DEC),
  src = ProtoField.string("asip.src", "Source Address"),
  dst = ProtoField.string("asip.dst", "Destination Address"),
}
asip.fields = { F.version, F.tclass, F.flow, F.plen, F.nxt, F.hlim, F.src, F.dst }

local E = {
  malformed = ProtoExpert.new("asip.malformed", "Malformed ASIP packet", expert.group.MALFORMED,
    expert.severity.ERROR),
  cut = ProtoExpert.new("asip.quote_cut", "Quoted ASIP packet cut short (expected in an ICMP error)",
    expert.group.COMMENTS_GROUP, expert.severity.NOTE),
  lua = ProtoExpert.new("asip.lua_error", "nextip Lua dissector error", expert.group.UNDECODED,
    expert.severity.ERROR),
}
asip.experts = { E.malformed, E.cut, E.lua }

-- Extension headers ---------------------------------------------------------------------

local EXT = {
  [0] = { key = "hopopts", name = "ASIP Hop-by-Hop Options" },
  [43] = { key = "routing", name = "ASIP Routing Header" },
  [44] = { key = "fragment", name = "ASIP Fragment Header" },
  [51] = { key = "ah", name = "ASIP Authentication Header" },
  [60] = { key = "dstopts", name = "ASIP Destination Options" },
}
for _, e in pairs(EXT) do
  local k = "asip." .. e.key
  e.proto = Proto.new(k, e.name)
  e.nxt = ProtoField.uint8(k .. ".nxt", "Next Header", base.DEC)
  local fields = { e.nxt }
  if e.key == "fragment" then
    e.offset = ProtoField.uint16(k .. ".offset", "Fragment Offset (bytes)", base.DEC)
    e.more = ProtoField.uint8(k .. ".more", "More Fragments", base.DEC)
    e.id = ProtoField.uint32(k .. ".id", "Identification", base.HEX)
    fields[#fields + 1] = e.offset
    fields[#fields + 1] = e.more
    fields[#fields + 1] = e.id
  else
    e.len = ProtoField.uint16(k .. ".len", "Length (bytes)", base.DEC)
    fields[#fields + 1] = e.len
    if e.key == "routing" then
      e.rtype = ProtoField.uint8(k .. ".type", "Routing Type", base.DEC)
      e.segleft = ProtoField.uint8(k .. ".segleft", "Segments Left", base.DEC)
      fields[#fields + 1] = e.rtype
      fields[#fields + 1] = e.segleft
    elseif e.key == "ah" then
      e.spi = ProtoField.uint32(k .. ".spi", "SPI", base.HEX)
      e.seq = ProtoField.uint32(k .. ".sequence", "Sequence Number", base.DEC)
      fields[#fields + 1] = e.spi
      fields[#fields + 1] = e.seq
    end
  end
  e.proto.fields = fields
end

-- Each extension header is its own dissector (so that it is a layer of its own in
-- frame.protocols); the chain walker checks the bounds and passes what it found in
-- the context: { hlen = bytes, cut = true when only the first bytes are present }.
for nh, e in pairs(EXT) do
  local lua_expert = ProtoExpert.new("asip." .. e.key .. ".lua_error", "nextip Lua dissector error",
    expert.group.UNDECODED, expert.severity.ERROR)
  e.proto.experts = { lua_expert }
  local function dissect_ext(tvb, pinfo, tree)
    local ctx = C.ctx_top() or { hlen = tvb:len() }
    local t = tree:add(e.proto, tvb())
    t:add(e.nxt, tvb(0, 1))
    if ctx.cut then return tvb:len() end
    local hlen = ctx.hlen
    if nh == 44 then
      local fo = tvb(2, 2):uint()
      local frag_off = floor(fo / 8) * 8
      t:add(e.offset, tvb(2, 2), frag_off)
      t:add(e.more, tvb(3, 1), fo % 2)
      t:add(e.id, tvb(4, 4))
      t:append_text(string.format(", offset %d, %s", frag_off, fo % 2 == 1 and "more" or "last"))
    else
      t:add(e.len, tvb(1, 1), hlen)
      if nh == 43 then
        t:add(e.rtype, tvb(2, 1))
        t:add(e.segleft, tvb(3, 1))
      elseif nh == 51 and hlen >= 12 then
        t:add(e.spi, tvb(4, 4))
        t:add(e.seq, tvb(8, 4))
      end
    end
    return tvb:len()
  end
  e.proto.dissector = function(tvb, pinfo, tree) return C.guard(e.proto, lua_expert, dissect_ext, tvb, pinfo, tree) end
  e.handle = Dissector.get("asip." .. e.key)
end

-- ICMP-ASIP ---------------------------------------------------------------------------

local icmpasip = Proto.new("icmpasip", "ICMP for ASIP (ICMP-ASIP)")
local I = {
  type = ProtoField.uint8("icmpasip.type", "Type", base.DEC, {
    [1] = "Destination Unreachable", [2] = "Packet Too Big", [3] = "Time Exceeded",
    [4] = "Parameter Problem", [128] = "Echo Request", [129] = "Echo Reply",
    [133] = "Router Solicitation", [134] = "Router Advertisement", [135] = "Neighbor Solicitation",
    [136] = "Neighbor Advertisement", [137] = "Redirect" }),
  code = ProtoField.uint8("icmpasip.code", "Code", base.DEC),
  checksum = ProtoField.uint16("icmpasip.checksum", "Checksum", base.HEX),
  reserved = ProtoField.uint32("icmpasip.reserved", "Reserved", base.HEX),
  mtu = ProtoField.uint32("icmpasip.mtu", "MTU", base.DEC),
  pointer = ProtoField.uint32("icmpasip.pointer", "Pointer", base.DEC),
  echo_id = ProtoField.uint16("icmpasip.echo.identifier", "Identifier", base.DEC),
  echo_seq = ProtoField.uint16("icmpasip.echo.sequence_number", "Sequence Number", base.DEC),
  ra_hop = ProtoField.uint8("icmpasip.nd.ra.cur_hop_limit", "Cur Hop Limit", base.DEC),
  ra_m = ProtoField.uint8("icmpasip.nd.ra.flag.m", "Managed address configuration", base.DEC, nil, 0x80),
  ra_o = ProtoField.uint8("icmpasip.nd.ra.flag.o", "Other configuration", base.DEC, nil, 0x40),
  ra_life = ProtoField.uint16("icmpasip.nd.ra.router_lifetime", "Router Lifetime (s)", base.DEC),
  ra_reach = ProtoField.uint32("icmpasip.nd.ra.reachable_time", "Reachable Time (ms)", base.DEC),
  ra_retrans = ProtoField.uint32("icmpasip.nd.ra.retrans_timer", "Retrans Timer (ms)", base.DEC),
  na_flags = ProtoField.uint8("icmpasip.nd.na.flags", "Flags (R S O)", base.DEC),
  target = ProtoField.string("icmpasip.nd.target", "Target Address"),
  destination = ProtoField.string("icmpasip.nd.redirect.destination", "Destination Address"),
  opt_type = ProtoField.uint8("icmpasip.opt.type", "Option Type", base.DEC, {
    [1] = "Source link-layer address", [2] = "Target link-layer address", [3] = "Prefix information",
    [4] = "Redirected header", [5] = "MTU" }),
  opt_length = ProtoField.uint8("icmpasip.opt.length", "Option Length (8-byte units)", base.DEC),
  opt_linkaddr = ProtoField.bytes("icmpasip.opt.linkaddr", "Link-layer address"),
  opt_prefix_len = ProtoField.uint8("icmpasip.opt.prefix.length", "Prefix Length", base.DEC),
  opt_prefix_l = ProtoField.uint8("icmpasip.opt.prefix.flag.l", "On-link flag (L)", base.DEC, nil, 0x80),
  opt_prefix_a = ProtoField.uint8("icmpasip.opt.prefix.flag.a", "Autonomous flag (A)", base.DEC, nil, 0x40),
  opt_prefix_valid = ProtoField.uint32("icmpasip.opt.prefix.valid_lifetime", "Valid Lifetime", base.DEC),
  opt_prefix_pref = ProtoField.uint32("icmpasip.opt.prefix.preferred_lifetime", "Preferred Lifetime", base.DEC),
  opt_prefix = ProtoField.string("icmpasip.opt.prefix", "Prefix"),
  opt_mtu = ProtoField.uint32("icmpasip.opt.mtu", "MTU", base.DEC),
}
do
  local list = {}
  for _, f in pairs(I) do list[#list + 1] = f end
  icmpasip.fields = list
end
local IE = {
  malformed = ProtoExpert.new("icmpasip.malformed", "Malformed ICMP-ASIP message", expert.group.MALFORMED,
    expert.severity.ERROR),
  checksum = ProtoExpert.new("icmpasip.checksum_bad", "ICMP-ASIP checksum does not verify",
    expert.group.CHECKSUM, expert.severity.WARN),
  lua = ProtoExpert.new("icmpasip.lua_error", "nextip Lua dissector error", expert.group.UNDECODED,
    expert.severity.ERROR),
}
icmpasip.experts = { IE.malformed, IE.checksum, IE.lua }

local asip_handle -- set once asip.dissector exists

-- The bytes each type's fixed part needs (header included).
local function icmp_fixed_len(t)
  if t == 134 then return 16 end
  if t == 135 or t == 136 then return 24 end
  if t == 137 then return 40 end
  return 8
end

local function add_nd_options(tvb, off, t, depth)
  while off < tvb:len() do
    local avail = tvb:len() - off
    if avail < 2 then
      if depth == 0 then t:add_tvb_expert_info(IE.malformed, tvb(off), "icmpasip.opt.length: option cut") end
      return
    end
    local otype = tvb(off, 1):uint()
    local olen = tvb(off + 1, 1):uint() * 8
    if olen == 0 or olen > avail then
      local ot = t:add(tvb(off, avail), "ND option (bad length)")
      ot:add(I.opt_type, tvb(off, 1))
      ot:add(I.opt_length, tvb(off + 1, 1))
      if depth == 0 or olen == 0 then
        ot:add_tvb_expert_info(IE.malformed, tvb(off + 1, 1),
          string.format("icmpasip.opt.length at %d: length %d bytes with %d left", off + 1, olen, avail))
      end
      return
    end
    local ot = t:add(tvb(off, olen), "ND option")
    ot:add(I.opt_type, tvb(off, 1))
    ot:add(I.opt_length, tvb(off + 1, 1))
    if otype == 3 and olen == 32 then
      ot:set_text("Prefix information: " .. C.asip_range_text(tvb(off + 16, 16)) .. "/" .. tvb(off + 2, 1):uint())
      ot:add(I.opt_prefix_len, tvb(off + 2, 1))
      ot:add(I.opt_prefix_l, tvb(off + 3, 1))
      ot:add(I.opt_prefix_a, tvb(off + 3, 1))
      ot:add(I.opt_prefix_valid, tvb(off + 4, 4))
      ot:add(I.opt_prefix_pref, tvb(off + 8, 4))
      ot:add(I.opt_prefix, tvb(off + 16, 16), C.asip_range_text(tvb(off + 16, 16)))
    elseif otype == 3 then
      ot:add_tvb_expert_info(IE.malformed, tvb(off, olen), "Prefix information option must be 32 bytes")
    elseif otype == 5 and olen == 8 then
      ot:set_text("MTU: " .. tvb(off + 4, 4):uint())
      ot:add(I.opt_mtu, tvb(off + 4, 4))
    elseif (otype == 1 or otype == 2) and olen > 2 then
      ot:set_text(otype == 1 and "Source link-layer address" or "Target link-layer address")
      ot:add(I.opt_linkaddr, tvb(off + 2, olen - 2))
    end
    off = off + olen
  end
end

-- `pseudo` = { src = TvbRange, dst = TvbRange } of the carrying header, or nil when the
-- checksum cannot be checked (a quote or a fragment).
local function dissect_icmpasip(tvb, pinfo, root, depth, pseudo)
  local len = tvb:len()
  if len == 0 then return nil end
  local t = root:add(icmpasip, tvb())
  if len < 4 then
    if len >= 1 then t:add(I.type, tvb(0, 1)) end
    if len >= 2 then t:add(I.code, tvb(1, 1)) end
    if depth == 0 then
      t:add_proto_expert_info(IE.malformed, string.format("icmpasip header cut at %d of 4 bytes", len))
    end
    return
  end
  local mtype = tvb(0, 1):uint()
  t:add(I.type, tvb(0, 1))
  t:add(I.code, tvb(1, 1))
  local ck = t:add(I.checksum, tvb(2, 2))
  if pseudo ~= nil and depth == 0 then
    local acc = C.sum_range(0, pseudo.src)
    acc = C.sum_range(acc, pseudo.dst)
    acc = acc + floor(len / 65536) + (len % 65536) + NH_ICMPASIP
    acc = C.sum_range(acc, tvb())
    if not C.sum_verifies(acc) then ck:add_proto_expert_info(IE.checksum) end
  end
  local need = icmp_fixed_len(mtype)
  if len < need then
    if depth == 0 then
      t:add_proto_expert_info(IE.malformed, string.format("icmpasip type %d needs %d bytes, %d present",
        mtype, need, len))
    end
    return
  end
  local summary = nil
  if mtype == 128 or mtype == 129 then
    t:add(I.echo_id, tvb(4, 2))
    t:add(I.echo_seq, tvb(6, 2))
    summary = string.format("Echo %s id %d seq %d", mtype == 128 and "request" or "reply", tvb(4, 2):uint(),
      tvb(6, 2):uint())
    C.call_data(tvb, 8, pinfo, root)
  elseif mtype < 128 then
    if mtype == 2 then
      t:add(I.mtu, tvb(4, 4))
    elseif mtype == 4 then
      t:add(I.pointer, tvb(4, 4))
    else
      t:add(I.reserved, tvb(4, 4))
    end
    summary = string.format("Error type %d code %d", mtype, tvb(1, 1):uint())
    if len > 8 then C.call_with(asip_handle, tvb(8):tvb(), pinfo, t, { depth = depth + 1 }) end
  elseif mtype == 133 then
    t:add(I.reserved, tvb(4, 4))
    add_nd_options(tvb, 8, t, depth)
    summary = "Router Solicitation"
  elseif mtype == 134 then
    t:add(I.ra_hop, tvb(4, 1))
    t:add(I.ra_m, tvb(5, 1))
    t:add(I.ra_o, tvb(5, 1))
    t:add(I.ra_life, tvb(6, 2))
    t:add(I.ra_reach, tvb(8, 4))
    t:add(I.ra_retrans, tvb(12, 4))
    add_nd_options(tvb, 16, t, depth)
    summary = "Router Advertisement"
  elseif mtype == 135 or mtype == 136 then
    if mtype == 136 then
      t:add(I.na_flags, tvb(4, 1), floor(tvb(4, 1):uint() / 32))
    else
      t:add(I.reserved, tvb(4, 4))
    end
    local target = C.asip_range_text(tvb(8, 16))
    t:add(I.target, tvb(8, 16), target)
    add_nd_options(tvb, 24, t, depth)
    summary = (mtype == 135 and "Neighbor Solicitation for " or "Neighbor Advertisement ") .. target
  elseif mtype == 137 then
    t:add(I.reserved, tvb(4, 4))
    t:add(I.target, tvb(8, 16), C.asip_range_text(tvb(8, 16)))
    t:add(I.destination, tvb(24, 16), C.asip_range_text(tvb(24, 16)))
    add_nd_options(tvb, 40, t, depth)
    summary = "Redirect"
  else
    t:add(I.reserved, tvb(4, 4))
    C.call_data(tvb, 8, pinfo, root)
    summary = string.format("Type %d code %d", mtype, tvb(1, 1):uint())
  end
  t:append_text(", " .. summary)
  return summary
end

function icmpasip.dissector(tvb, pinfo, tree)
  return C.guard(icmpasip, IE.lua, function(t, p, r)
    local ctx = C.ctx_top() or { depth = p.in_error_pkt and 1 or 0 }
    ctx.summary = dissect_icmpasip(t, p, r, ctx.depth, ctx.pseudo)
    return math.max(t:len(), 1)
  end, tvb, pinfo, tree)
end
local icmpasip_handle = Dissector.get("icmpasip")

-- ASIP -----------------------------------------------------------------------------------

-- The least bytes of an upper-layer header that a first fragment must hold (001 §14.12).
local MIN_UPPER = { [6] = 20, [17] = 8, [58] = 4, [NH_ICMPASIP] = 4 }

local function malformed(item, range, text)
  if range ~= nil then
    item:add_tvb_expert_info(E.malformed, range, text)
  else
    item:add_proto_expert_info(E.malformed, text)
  end
end

-- Walks the extension headers of `ptvb` (the payload) from next header `nh`. Returns
-- { nh = upper protocol, off = where it starts, later_fragment = bool, fragment = bool,
-- first_fragment = bool } or nil when the chain is malformed or cut (already reported).
local function walk_chain(ptvb, nh, pinfo, root, item, depth)
  local off, count, bytes = 0, 0, 0
  local res = { fragment = false }
  while EXT[nh] ~= nil do
    local e = EXT[nh]
    local avail = ptvb:len() - off
    local hlen = nil
    if nh == 44 then
      hlen = 8
    elseif avail >= 2 then
      local l = ptvb(off + 1, 1):uint()
      hlen = (nh == 51) and (l + 2) * 4 or (l + 1) * 8
    end
    if hlen == nil or hlen > avail then
      if avail > 0 then C.call_with(e.handle, ptvb(off):tvb(), pinfo, root, { cut = true }) end
      if depth == 0 then
        malformed(item, nil, string.format("asip.ext.len at %d: %s header of %s bytes with %d left",
          off + 40, e.key, hlen and tostring(hlen) or "?", avail))
      else
        item:add_proto_expert_info(E.cut)
      end
      return nil
    end
    if nh == 0 and count > 0 then
      malformed(item, nil, "asip.ext: Hop-by-Hop Options header not first in the chain")
      return nil
    end
    count = count + 1
    bytes = bytes + hlen
    if count > MAX_EXT_HEADERS then
      malformed(item, nil, string.format("asip.ext at %d: more than %d extension headers (001 §14.12)",
        off + 40, MAX_EXT_HEADERS))
      return nil
    end
    if bytes > MAX_EXT_BYTES then
      malformed(item, nil, string.format("asip.ext at %d: extension header chain longer than %d bytes (001 §14.12)",
        off + 40, MAX_EXT_BYTES))
      return nil
    end
    C.call_with(e.handle, ptvb(off, hlen):tvb(), pinfo, root, { hlen = hlen })
    local next_nh = ptvb(off, 1):uint()
    if nh == 44 then
      local frag_off = floor(ptvb(off + 2, 2):uint() / 8) * 8
      res.fragment = true
      res.first_fragment = frag_off == 0
      if frag_off ~= 0 then
        res.later_fragment = true
        res.nh = next_nh
        res.off = off + hlen
        return res
      end
    end
    off = off + hlen
    nh = next_nh
  end
  res.nh = nh
  res.off = off
  return res
end

-- depth 0: a packet of its own; depth >= 1: the quoted packet of an ICMP-ASIP error, which
-- is expected to be cut short. Returns the number of bytes that belong to the packet.
local function dissect_asip(tvb, pinfo, root, depth)
  local len = tvb:len()
  local item = root:add(asip, tvb(0, math.min(len, 40)))
  if depth > 0 then item:append_text(" (quoted)") end
  local function short(key, at)
    if depth == 0 then
      malformed(item, nil, string.format("%s at %d: truncated (%d of 40 header bytes)", key, at, len))
    else
      item:add_proto_expert_info(E.cut)
    end
  end
  if len < 1 then short("asip.version", 0) return len end
  item:add(F.version, tvb(0, 1), floor(tvb(0, 1):uint() / 16))
  if len < 4 then short("asip.flow", 1) return len end
  item:add(F.tclass, tvb(0, 2), floor(tvb(0, 2):uint() / 16) % 256)
  item:add(F.flow, tvb(1, 3), tvb(1, 3):uint() % 0x100000)
  if len < 8 then short(len < 6 and "asip.plen" or (len < 7 and "asip.nxt" or "asip.hlim"), 4) return len end
  item:add(F.plen, tvb(4, 2))
  item:add(F.nxt, tvb(6, 1))
  item:add(F.hlim, tvb(7, 1))
  if len < 24 then short("asip.src", 8) return len end
  local src = C.asip_range_text(tvb(8, 16))
  item:add(F.src, tvb(8, 16), src)
  if len < 40 then short("asip.dst", 24) return len end
  local dst = C.asip_range_text(tvb(24, 16))
  item:add(F.dst, tvb(24, 16), dst)
  item:append_text(", Src: " .. src .. ", Dst: " .. dst)

  local version = floor(tvb(0, 1):uint() / 16)
  if version ~= 8 then
    malformed(item, tvb(0, 1), string.format("asip.version at 0: version %d, not 8", version))
    return 40
  end
  if depth == 0 then
    pinfo.cols.protocol:set("ASIP")
    pinfo.cols.src:set(src)
    pinfo.cols.dst:set(dst)
    pinfo.cols.info:set(string.format("ASIP %s -> %s, next header %d, hop limit %d", src, dst,
      tvb(6, 1):uint(), tvb(7, 1):uint()))
  end

  local plen = tvb(4, 2):uint()
  local avail = len - 40
  if plen > avail then
    if depth == 0 then
      malformed(item, tvb(4, 2), string.format("asip.payload at 40: payload length %d, %d bytes present",
        plen, avail))
      return len
    end
    item:add_proto_expert_info(E.cut, string.format("quoted packet cut at %d of %d bytes", len, 40 + plen))
    plen = avail
  end
  if plen == 0 then return 40 end
  local ptvb = tvb(40, plen):tvb()

  local chain = walk_chain(ptvb, tvb(6, 1):uint(), pinfo, root, item, depth)
  if chain == nil then return 40 + plen end
  if chain.later_fragment then
    if depth == 0 then pinfo.cols.info:append(" (a later fragment)") end
    C.call_data(ptvb, chain.off, pinfo, root)
    return 40 + plen
  end
  local upper_len = plen - chain.off
  local need = MIN_UPPER[chain.nh]
  if chain.first_fragment and need ~= nil and upper_len < need and depth == 0 then
    malformed(item, nil, string.format("asip.upper at %d: the first fragment holds %d bytes of the %d-byte "
      .. "upper-layer header (001 §14.12)", 40 + chain.off, upper_len, need))
    return 40 + plen
  end
  if chain.nh == 59 then
    C.call_data(ptvb, chain.off, pinfo, root)
  elseif chain.nh == NH_ICMPASIP then
    if upper_len > 0 then
      local ctx = { depth = depth }
      if not chain.fragment then ctx.pseudo = { src = tvb(8, 16), dst = tvb(24, 16) } end
      C.call_with(icmpasip_handle, ptvb(chain.off):tvb(), pinfo, root, ctx)
      if depth == 0 then
        pinfo.cols.protocol:set("ICMP-ASIP")
        if ctx.summary then
          pinfo.cols.info:clear_fence()
          pinfo.cols.info:set(ctx.summary)
        end
      end
    elseif depth == 0 then
      malformed(item, nil, "icmpasip at " .. (40 + chain.off) .. ": no bytes")
    end
  else
    C.call_upper(chain.nh, ptvb, chain.off, pinfo, root, depth > 0 or chain.fragment)
  end
  return 40 + plen
end

function asip.dissector(tvb, pinfo, tree)
  return C.guard(asip, E.lua, function(t, p, r)
    local ctx = C.ctx_top() or { depth = p.in_error_pkt and 1 or 0 }
    -- A dissector that returns 0 is taken as "not mine"; an empty payload is still ASIP's.
    return math.max(dissect_asip(t, p, r, ctx.depth), 1)
  end, tvb, pinfo, tree)
end
asip_handle = Dissector.get("asip")

DissectorTable.get("ethertype"):add(ETHERTYPE_ASIP, asip)
DissectorTable.get("wtap_encap"):add((wtap_encaps and wtap_encaps.USER0) or 45, asip)
