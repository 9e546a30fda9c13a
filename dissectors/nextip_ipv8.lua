-- nextip_ipv8.lua: Wireshark 4.0 dissector for IPv8, draft-thain-ipv8 (nextip project).
--
--   ipv8     the 28-byte header (thain-ipv8-facts.md, "Header"): IPv4's header with both
--            addresses widened to 64 bits r.r.r.r:h.h.h.h; first byte 0x87 (version 8,
--            IHL 7), IPv4 one's-complement header checksum over the 28 bytes
--   icmpv8   ICMPv8 (decision IPV8-5): IP protocol 1 inside IPv8 with ICMPv4 numbering
--            and layouts; the Redirect gateway is 64 bits (8 bytes after the checksum);
--            errors quote the IPv8 header and the first bytes of its payload, which are
--            dissected again
--
-- Carried by: EtherType 0x88B6 and LINKTYPE_USER1 (wiretap encapsulation USER1).
-- Field keys and value formats: docs/wire/fields.md.

local C = (function()
  if _G.NEXTIP_COMMON then return _G.NEXTIP_COMMON end
  local dir = debug.getinfo(1, "S").source:match("^@(.*)[/\\]") or "."
  return dofile(dir .. "/nextip_common.lua")
end)()

local floor = math.floor

local ETHERTYPE_IPV8 = 0x88B6
local HEADER_LEN = 28

local ipv8 = Proto.new("ipv8", "Internet Protocol version 8 (IPv8)")
local F = {
  version = ProtoField.uint8("ipv8.version", "Version", base.DEC),
  hdr_len = ProtoField.uint8("ipv8.hdr_len", "Header Length (bytes)", base.DEC),
  tos = ProtoField.uint8("ipv8.tos", "Type of Service", base.HEX),
  len = ProtoField.uint16("ipv8.len", "Total Length", base.DEC),
  id = ProtoField.uint16("ipv8.id", "Identification", base.HEX),
  df = ProtoField.uint8("ipv8.flags.df", "Don't Fragment", base.DEC, nil, 0x40),
  mf = ProtoField.uint8("ipv8.flags.mf", "More Fragments", base.DEC, nil, 0x20),
  frag_offset = ProtoField.uint16("ipv8.frag_offset", "Fragment Offset (bytes)", base.DEC),
  ttl = ProtoField.uint8("ipv8.ttl", "Time to Live", base.DEC),
  proto = ProtoField.uint8("ipv8.proto", "Protocol", base.DEC),
  checksum = ProtoField.uint16("ipv8.checksum", "Header Checksum", base.HEX),
  src = ProtoField.string("ipv8.src", "Source Address"),
  src_asn = ProtoField.uint32("ipv8.src.asn", "Source ASN", base.DEC),
  dst = ProtoField.string("ipv8.dst", "Destination Address"),
  dst_asn = ProtoField.uint32("ipv8.dst.asn", "Destination ASN", base.DEC),
}
ipv8.fields = { F.version, F.hdr_len, F.tos, F.len, F.id, F.df, F.mf, F.frag_offset, F.ttl, F.proto,
  F.checksum, F.src, F.src_asn, F.dst, F.dst_asn }
local E = {
  malformed = ProtoExpert.new("ipv8.malformed", "Malformed IPv8 packet", expert.group.MALFORMED,
    expert.severity.ERROR),
  checksum = ProtoExpert.new("ipv8.checksum_bad", "IPv8 header checksum does not verify",
    expert.group.CHECKSUM, expert.severity.WARN),
  cut = ProtoExpert.new("ipv8.quote_cut", "Quoted IPv8 packet cut short (expected in an ICMPv8 error)",
    expert.group.COMMENTS_GROUP, expert.severity.NOTE),
  lua = ProtoExpert.new("ipv8.lua_error", "nextip Lua dissector error", expert.group.UNDECODED,
    expert.severity.ERROR),
}
ipv8.experts = { E.malformed, E.checksum, E.cut, E.lua }

local icmpv8 = Proto.new("icmpv8", "Internet Control Message Protocol for IPv8 (ICMPv8)")
local I = {
  type = ProtoField.uint8("icmpv8.type", "Type", base.DEC, {
    [0] = "Echo Reply", [3] = "Destination Unreachable", [4] = "Source Quench", [5] = "Redirect",
    [8] = "Echo Request", [11] = "Time Exceeded", [12] = "Parameter Problem" }),
  code = ProtoField.uint8("icmpv8.code", "Code", base.DEC),
  checksum = ProtoField.uint16("icmpv8.checksum", "Checksum", base.HEX),
  ident = ProtoField.uint16("icmpv8.ident", "Identifier", base.DEC),
  seq = ProtoField.uint16("icmpv8.seq", "Sequence Number", base.DEC),
  mtu = ProtoField.uint16("icmpv8.mtu", "Next-Hop MTU", base.DEC),
  pointer = ProtoField.uint8("icmpv8.pointer", "Pointer", base.DEC),
  gateway = ProtoField.string("icmpv8.gateway", "Gateway Address"),
  unused = ProtoField.bytes("icmpv8.unused", "Unused"),
}
icmpv8.fields = { I.type, I.code, I.checksum, I.ident, I.seq, I.mtu, I.pointer, I.gateway, I.unused }
local IE = {
  malformed = ProtoExpert.new("icmpv8.malformed", "Malformed ICMPv8 message", expert.group.MALFORMED,
    expert.severity.ERROR),
  checksum = ProtoExpert.new("icmpv8.checksum_bad", "ICMPv8 checksum does not verify", expert.group.CHECKSUM,
    expert.severity.WARN),
  lua = ProtoExpert.new("icmpv8.lua_error", "nextip Lua dissector error", expert.group.UNDECODED,
    expert.severity.ERROR),
}
icmpv8.experts = { IE.malformed, IE.checksum, IE.lua }

local ipv8_handle -- set below

-- ICMPv8 ---------------------------------------------------------------------------------

-- Types whose body quotes the offending packet, and where the quote starts.
local QUOTE_AT = { [3] = 8, [4] = 8, [5] = 12, [11] = 8, [12] = 8 }

local function dissect_icmpv8(tvb, pinfo, root, depth)
  local len = tvb:len()
  local t = root:add(icmpv8, tvb())
  local function short(need)
    if depth == 0 then
      t:add_proto_expert_info(IE.malformed, string.format("icmpv8: %d bytes, the message needs %d", len, need))
    end
  end
  if len < 4 then
    if len >= 1 then t:add(I.type, tvb(0, 1)) end
    if len >= 2 then t:add(I.code, tvb(1, 1)) end
    short(4)
    return nil
  end
  local mtype, code = tvb(0, 1):uint(), tvb(1, 1):uint()
  t:add(I.type, tvb(0, 1))
  t:add(I.code, tvb(1, 1))
  local ck = t:add(I.checksum, tvb(2, 2))
  if depth == 0 and not C.sum_verifies(C.sum_range(0, tvb())) then ck:add_proto_expert_info(IE.checksum) end
  local need = (mtype == 5) and 12 or 8
  if len < need then
    short(need)
    return nil
  end
  local summary
  if mtype == 0 or mtype == 8 then
    t:add(I.ident, tvb(4, 2))
    t:add(I.seq, tvb(6, 2))
    summary = string.format("Echo (ping) %s id %d seq %d", mtype == 8 and "request" or "reply", tvb(4, 2):uint(),
      tvb(6, 2):uint())
    C.call_data(tvb, 8, pinfo, root)
    return summary
  end
  if mtype == 5 then
    t:add(I.gateway, tvb(4, 8), C.ipv8_text(tvb(4, 4):uint(), tvb(8, 4):uint()))
  elseif mtype == 3 and code == 4 then
    t:add(I.unused, tvb(4, 2))
    t:add(I.mtu, tvb(6, 2))
  elseif mtype == 12 then
    t:add(I.pointer, tvb(4, 1))
    t:add(I.unused, tvb(5, 3))
  else
    t:add(I.unused, tvb(4, 4))
  end
  summary = string.format("ICMPv8 type %d code %d", mtype, code)
  local q = QUOTE_AT[mtype]
  if q ~= nil then
    if len > q then C.call_with(ipv8_handle, tvb(q):tvb(), pinfo, t, { depth = depth + 1 }) end
  else
    C.call_data(tvb, 8, pinfo, root)
  end
  return summary
end

function icmpv8.dissector(tvb, pinfo, tree)
  return C.guard(icmpv8, IE.lua, function(t, p, r)
    local ctx = C.ctx_top() or { depth = p.in_error_pkt and 1 or 0 }
    ctx.summary = dissect_icmpv8(t, p, r, ctx.depth)
    return math.max(t:len(), 1)
  end, tvb, pinfo, tree)
end
local icmpv8_handle = Dissector.get("icmpv8")

-- IPv8 -----------------------------------------------------------------------------------

local function dissect_ipv8(tvb, pinfo, root, depth)
  local len = tvb:len()
  local item = root:add(ipv8, tvb(0, math.min(len, HEADER_LEN)))
  if depth > 0 then item:append_text(" (quoted)") end
  -- The header fields in order, each added only when its bytes are present.
  local layout = {
    { "ipv8.version", 0, 1 }, { "ipv8.tos", 1, 1 }, { "ipv8.len", 2, 2 }, { "ipv8.id", 4, 2 },
    { "ipv8.flags", 6, 2 }, { "ipv8.ttl", 8, 1 }, { "ipv8.proto", 9, 1 }, { "ipv8.checksum", 10, 2 },
    { "ipv8.src.r", 12, 4 }, { "ipv8.src.h", 16, 4 }, { "ipv8.dst.r", 20, 4 }, { "ipv8.dst.h", 24, 4 },
  }
  if len < HEADER_LEN then
    if len >= 1 then
      item:add(F.version, tvb(0, 1), floor(tvb(0, 1):uint() / 16))
      item:add(F.hdr_len, tvb(0, 1), (tvb(0, 1):uint() % 16) * 4)
    end
    if len >= 2 then item:add(F.tos, tvb(1, 1)) end
    if len >= 4 then item:add(F.len, tvb(2, 2)) end
    if len >= 6 then item:add(F.id, tvb(4, 2)) end
    if len >= 8 then
      item:add(F.df, tvb(6, 1))
      item:add(F.mf, tvb(6, 1))
      item:add(F.frag_offset, tvb(6, 2), (tvb(6, 2):uint() % 0x2000) * 8)
    end
    if len >= 9 then item:add(F.ttl, tvb(8, 1)) end
    if len >= 10 then item:add(F.proto, tvb(9, 1)) end
    if len >= 12 then item:add(F.checksum, tvb(10, 2)) end
    if depth == 0 then
      local missing = "ipv8"
      for _, l in ipairs(layout) do
        if l[2] + l[3] > len then missing = l[1] .. " at " .. l[2] break end
      end
      item:add_proto_expert_info(E.malformed, string.format("%s: truncated (%d of %d header bytes)", missing, len,
        HEADER_LEN))
    else
      item:add_proto_expert_info(E.cut)
    end
    return len
  end
  local b0 = tvb(0, 1):uint()
  local version, ihl = floor(b0 / 16), b0 % 16
  item:add(F.version, tvb(0, 1), version)
  local hl = item:add(F.hdr_len, tvb(0, 1), ihl * 4)
  item:add(F.tos, tvb(1, 1))
  item:add(F.len, tvb(2, 2))
  item:add(F.id, tvb(4, 2))
  item:add(F.df, tvb(6, 1))
  item:add(F.mf, tvb(6, 1))
  item:add(F.frag_offset, tvb(6, 2), (tvb(6, 2):uint() % 0x2000) * 8)
  item:add(F.ttl, tvb(8, 1))
  item:add(F.proto, tvb(9, 1))
  local ck = item:add(F.checksum, tvb(10, 2))
  local src_r, dst_r = tvb(12, 4):uint(), tvb(20, 4):uint()
  local src = C.ipv8_text(src_r, tvb(16, 4):uint())
  local dst = C.ipv8_text(dst_r, tvb(24, 4):uint())
  item:add(F.src, tvb(12, 8), src)
  item:add(F.src_asn, tvb(12, 4))
  item:add(F.dst, tvb(20, 8), dst)
  item:add(F.dst_asn, tvb(20, 4))
  item:append_text(", Src: " .. src .. ", Dst: " .. dst)

  if version ~= 8 then
    item:add_proto_expert_info(E.malformed, string.format("ipv8.version at 0: version %d, not 8", version))
    return HEADER_LEN
  end
  if ihl ~= 7 then
    hl:add_proto_expert_info(E.malformed, string.format("ipv8.hdr_len at 0: IHL %d, IPv8 has no options (IHL 7)", ihl))
    return HEADER_LEN
  end
  if not C.sum_verifies(C.sum_range(0, tvb(0, HEADER_LEN))) then
    if depth == 0 then ck:add_proto_expert_info(E.checksum) end
  end
  local total = tvb(2, 2):uint()
  if total < HEADER_LEN then
    item:add_proto_expert_info(E.malformed, string.format("ipv8.len at 2: total length %d below the %d-byte header",
      total, HEADER_LEN))
    return HEADER_LEN
  end
  if total > len then
    if depth == 0 then
      item:add_proto_expert_info(E.malformed, string.format("ipv8.payload at %d: total length %d, %d bytes present",
        HEADER_LEN, total, len))
      return len
    end
    item:add_proto_expert_info(E.cut, string.format("quoted packet cut at %d of %d bytes", len, total))
    total = len
  end
  if depth == 0 then
    pinfo.cols.protocol:set("IPv8")
    pinfo.cols.src:set(src)
    pinfo.cols.dst:set(dst)
    pinfo.cols.info:set(string.format("IPv8 %s -> %s, protocol %d, ttl %d", src, dst, tvb(9, 1):uint(),
      tvb(8, 1):uint()))
  end
  if total == HEADER_LEN then return total end
  local ptvb = tvb(0, total):tvb()
  local proto = tvb(9, 1):uint()
  local frag = tvb(6, 2):uint() % 0x2000
  if frag ~= 0 then
    C.call_data(ptvb, HEADER_LEN, pinfo, root)
  elseif proto == 1 then
    local ctx = { depth = depth }
    C.call_with(icmpv8_handle, ptvb(HEADER_LEN):tvb(), pinfo, root, ctx)
    if depth == 0 then
      pinfo.cols.protocol:set("ICMPv8")
      if ctx.summary then
        pinfo.cols.info:clear_fence()
        pinfo.cols.info:set(ctx.summary)
      end
    end
  else
    -- A first fragment (MF set) or a quote may cut the transport short.
    C.call_upper(proto, ptvb, HEADER_LEN, pinfo, root, depth > 0 or tvb(6, 1):uint() % 0x40 >= 0x20)
  end
  return total
end

function ipv8.dissector(tvb, pinfo, tree)
  return C.guard(ipv8, E.lua, function(t, p, r)
    local ctx = C.ctx_top() or { depth = p.in_error_pkt and 1 or 0 }
    return math.max(dissect_ipv8(t, p, r, ctx.depth), 1)
  end, tvb, pinfo, tree)
end
ipv8_handle = Dissector.get("ipv8")

DissectorTable.get("ethertype"):add(ETHERTYPE_IPV8, ipv8)
DissectorTable.get("wtap_encap"):add((wtap_encaps and wtap_encaps.USER1) or 46, ipv8)
