-- nextip_ipv45.lua: Wireshark 4.0 dissector for IPv4.5, draft-matsukami-intarea-ipv45-00
-- (nextip project; layouts of docs/wire/ipv45.md).
--
--   ipv45        the 24-byte fixed header (decision IPV45-3): version 1, type, hop limit,
--                payload length, next header, flags E F X M C N, flow label, source and
--                destination Site ID + EID; with the outer IPv4 header (Mode C over UDP 4242,
--                Mode D as IP protocol 144) also the full 96-bit addresses ipv45.src/.dst
--   ipv45.ext    a generic extension header (types 0x00-0x02, 0x04-0x06)
--   ipv45.frag   the Fragmentation header (type 0x03)
--   ipv45.hs     HANDSHAKE: Client Hello, Server Hello (identity-material TLVs)
--   ipv45.ctl    CONTROL with its TLVs
--   ipv45.echo   ECHO request / reply
--   ipv45.err    ERROR, with the quoted offending packet dissected again
--   ipv45.ka     KEEPALIVE
--   ipv45.data   the protected DATA container (E set): session, sequence, sealed bytes
--   DATA without E carries the upper-layer packet named by Next Header (TCP, UDP, ...).
--
-- Carried by: UDP port 4242 (either end) and IP protocol 144.
-- Field keys and value formats: docs/wire/fields.md.

local C = (function()
  if _G.NEXTIP_COMMON then return _G.NEXTIP_COMMON end
  local dir = debug.getinfo(1, "S").source:match("^@(.*)[/\\]") or "."
  return dofile(dir .. "/nextip_common.lua")
end)()

local floor = math.floor

local UDP_PORT = 4242
local IP_PROTO = 144
local HEADER_LEN = 24
local MAX_EXT_HEADERS = 8
local MAX_EXT_BYTES = 256
local NH_BODY = 0xFF -- "the Type's message body follows"

local FLAG_E, FLAG_F, FLAG_X, FLAG_M, FLAG_C, FLAG_N = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04
local FLAGS_RESERVED = 0x03

local TYPES = { [0] = "DATA", [1] = "HANDSHAKE", [2] = "CONTROL", [3] = "ECHO", [4] = "ERROR", [5] = "KEEPALIVE",
  [15] = "reserved" }
local EXT_TYPES = { [0] = "Hop-by-Hop", [1] = "Routing", [2] = "Mobility", [3] = "Fragmentation",
  [4] = "Authentication", [5] = "ESP-X", [6] = "Destination Options" }

-- Fixed header ---------------------------------------------------------------------------

local ipv45 = Proto.new("ipv45", "IPv4.5")
local F = {
  version = ProtoField.uint8("ipv45.version", "Version", base.DEC, nil, 0xF0),
  type = ProtoField.uint8("ipv45.type", "Type", base.DEC, TYPES, 0x0F),
  hlim = ProtoField.uint8("ipv45.hlim", "Hop Limit", base.DEC),
  plen = ProtoField.uint16("ipv45.plen", "Payload Length", base.DEC),
  nh = ProtoField.uint8("ipv45.nh", "Next Header", base.DEC),
  flags = ProtoField.uint8("ipv45.flags", "Flags", base.HEX),
  flag_e = ProtoField.uint8("ipv45.flags.e", "E (AEAD-protected)", base.DEC, nil, FLAG_E),
  flag_f = ProtoField.uint8("ipv45.flags.f", "F (fragmentation header)", base.DEC, nil, FLAG_F),
  flag_x = ProtoField.uint8("ipv45.flags.x", "X (extension headers)", base.DEC, nil, FLAG_X),
  flag_m = ProtoField.uint8("ipv45.flags.m", "M (more fragments)", base.DEC, nil, FLAG_M),
  flag_c = ProtoField.uint8("ipv45.flags.c", "C (compression)", base.DEC, nil, FLAG_C),
  flag_n = ProtoField.uint8("ipv45.flags.n", "N (NAT traversal)", base.DEC, nil, FLAG_N),
  flag_rsv = ProtoField.uint8("ipv45.flags.reserved", "Reserved", base.HEX, nil, FLAGS_RESERVED),
  flow = ProtoField.uint16("ipv45.flow", "Flow Label", base.HEX),
  src_site = ProtoField.uint16("ipv45.src.site", "Source Site ID", base.HEX),
  src_eid = ProtoField.bytes("ipv45.src.eid", "Source EID"),
  dst_site = ProtoField.uint16("ipv45.dst.site", "Destination Site ID", base.HEX),
  dst_eid = ProtoField.bytes("ipv45.dst.eid", "Destination EID"),
  src = ProtoField.string("ipv45.src", "Source Address"),
  dst = ProtoField.string("ipv45.dst", "Destination Address"),
}
ipv45.fields = { F.version, F.type, F.hlim, F.plen, F.nh, F.flags, F.flag_e, F.flag_f, F.flag_x, F.flag_m,
  F.flag_c, F.flag_n, F.flag_rsv, F.flow, F.src_site, F.src_eid, F.dst_site, F.dst_eid, F.src, F.dst }
local E = {
  malformed = ProtoExpert.new("ipv45.malformed", "Malformed IPv4.5 packet", expert.group.MALFORMED,
    expert.severity.ERROR),
  no_df = ProtoExpert.new("ipv45.mode_c_without_df", "Mode C packet without DF in the outer IPv4 header",
    expert.group.PROTOCOL, expert.severity.WARN),
  cut = ProtoExpert.new("ipv45.quote_cut", "Quoted IPv4.5 packet cut short (expected in an ERROR)",
    expert.group.COMMENTS_GROUP, expert.severity.NOTE),
  lua = ProtoExpert.new("ipv45.lua_error", "nextip Lua dissector error", expert.group.UNDECODED,
    expert.severity.ERROR),
}
ipv45.experts = { E.malformed, E.no_df, E.cut, E.lua }

-- Sub-layers: each one a Proto with its own dissector, so that it is a layer of its own.
local function sub(key, name)
  return Proto.new("ipv45." .. key, name)
end
local P = {
  ext = sub("ext", "IPv4.5 Extension Header"),
  frag = sub("frag", "IPv4.5 Fragmentation Header"),
  hs = sub("hs", "IPv4.5 HANDSHAKE"),
  ctl = sub("ctl", "IPv4.5 CONTROL"),
  echo = sub("echo", "IPv4.5 ECHO"),
  err = sub("err", "IPv4.5 ERROR"),
  ka = sub("ka", "IPv4.5 KEEPALIVE"),
  data = sub("data", "IPv4.5 protected DATA"),
}

local X = {
  nh = ProtoField.uint8("ipv45.ext.nh", "Next Header", base.DEC),
  type = ProtoField.uint8("ipv45.ext.type", "Extension Type", base.DEC, EXT_TYPES),
  len = ProtoField.uint16("ipv45.ext.len", "Length (bytes)", base.DEC),
  flags = ProtoField.uint8("ipv45.ext.flags", "Flags", base.HEX),
  flag_e = ProtoField.uint8("ipv45.ext.flags.e", "E (Next Header is an extension type)", base.DEC, nil, 0x80),
  data = ProtoField.bytes("ipv45.ext.data", "Data"),
}
P.ext.fields = { X.nh, X.type, X.len, X.flags, X.flag_e, X.data }

local FR = {
  nh = ProtoField.uint8("ipv45.frag.nh", "Next Header", base.DEC),
  reserved = ProtoField.uint8("ipv45.frag.reserved", "Reserved", base.HEX),
  offset = ProtoField.uint16("ipv45.frag.offset", "Fragment Offset (bytes)", base.DEC),
  m = ProtoField.uint8("ipv45.frag.m", "More Fragments", base.DEC),
  id = ProtoField.uint32("ipv45.frag.id", "Identification", base.HEX),
}
P.frag.fields = { FR.nh, FR.reserved, FR.offset, FR.m, FR.id }

local HS = {
  subtype = ProtoField.uint8("ipv45.hs.subtype", "Subtype", base.DEC,
    { [1] = "Client Hello", [2] = "Server Hello", [3] = "Cookie challenge" }),
  identity_type = ProtoField.uint8("ipv45.hs.identity_type", "Identity Type", base.DEC,
    { [0] = "anonymous", [1] = "X.509", [2] = "DID", [3] = "PSK" }),
  suite1 = ProtoField.uint8("ipv45.hs.suite1", "Cipher Suite 1", base.DEC,
    { [0] = "none", [1] = "AES-256-GCM", [2] = "ChaCha20-Poly1305" }),
  suite2 = ProtoField.uint8("ipv45.hs.suite2", "Cipher Suite 2", base.DEC,
    { [0] = "none", [1] = "AES-256-GCM", [2] = "ChaCha20-Poly1305" }),
  selected_suite = ProtoField.uint8("ipv45.hs.selected_suite", "Selected Cipher", base.DEC,
    { [0] = "none", [1] = "AES-256-GCM", [2] = "ChaCha20-Poly1305" }),
  session_id = ProtoField.uint16("ipv45.hs.session_id", "Session ID", base.DEC),
  nonce = ProtoField.bytes("ipv45.hs.nonce", "Random Nonce"),
  x25519 = ProtoField.bytes("ipv45.hs.x25519", "X25519 Public Key"),
  mlkem_ek = ProtoField.bytes("ipv45.hs.mlkem_ek", "ML-KEM-768 Encapsulation Key"),
  mlkem_ek_len = ProtoField.uint16("ipv45.hs.mlkem_ek.len", "ML-KEM-768 Encapsulation Key Length", base.DEC),
  mlkem_ct = ProtoField.bytes("ipv45.hs.mlkem_ct", "ML-KEM-768 Ciphertext"),
  mlkem_ct_len = ProtoField.uint16("ipv45.hs.mlkem_ct.len", "ML-KEM-768 Ciphertext Length", base.DEC),
  identity_len = ProtoField.uint16("ipv45.hs.identity.len", "Identity Material Length", base.DEC),
  tlv_type = ProtoField.uint8("ipv45.hs.tlv.type", "TLV Type", base.HEX, {
    [1] = "PSK identity", [2] = "Cookie", [3] = "X.509 certificate chain", [4] = "DID",
    [5] = "Signature / MAC", [6] = "Padding" }),
  tlv_len = ProtoField.uint16("ipv45.hs.tlv.len", "TLV Length", base.DEC),
  tlv_value = ProtoField.bytes("ipv45.hs.tlv.value", "TLV Value"),
  body = ProtoField.bytes("ipv45.hs.body", "Body"),
}
P.hs.fields = { HS.subtype, HS.identity_type, HS.suite1, HS.suite2, HS.selected_suite, HS.session_id, HS.nonce,
  HS.x25519, HS.mlkem_ek, HS.mlkem_ek_len, HS.mlkem_ct, HS.mlkem_ct_len, HS.identity_len, HS.tlv_type, HS.tlv_len,
  HS.tlv_value, HS.body }

local CT = {
  subtype = ProtoField.uint8("ipv45.ctl.subtype", "Subtype", base.DEC, {
    [1] = "ELMS Map-Request", [2] = "ELMS Map-Reply", [3] = "INP Request", [4] = "INP Response",
    [5] = "Mobility Notification", [6] = "Mobility Acknowledgement" }),
  flags = ProtoField.uint8("ipv45.ctl.flags", "Flags", base.HEX),
  length = ProtoField.uint16("ipv45.ctl.length", "TLV Area Length", base.DEC),
  tlv_type = ProtoField.uint8("ipv45.ctl.tlv.type", "TLV Type", base.HEX, {
    [1] = "EID", [2] = "Site ID", [3] = "Locator", [4] = "SLA class", [5] = "TTL", [6] = "Status",
    [7] = "Request nonce" }),
  tlv_len = ProtoField.uint16("ipv45.ctl.tlv.len", "TLV Length", base.DEC),
  tlv_value = ProtoField.bytes("ipv45.ctl.tlv.value", "TLV Value"),
}
P.ctl.fields = { CT.subtype, CT.flags, CT.length, CT.tlv_type, CT.tlv_len, CT.tlv_value }

local EC = {
  subtype = ProtoField.uint8("ipv45.echo.subtype", "Subtype", base.DEC, { [1] = "request", [2] = "reply" }),
  reserved = ProtoField.uint8("ipv45.echo.reserved", "Reserved", base.HEX),
  id = ProtoField.uint16("ipv45.echo.id", "Identifier", base.DEC),
  seq = ProtoField.uint32("ipv45.echo.seq", "Sequence", base.DEC),
  data = ProtoField.bytes("ipv45.echo.data", "Data"),
}
P.echo.fields = { EC.subtype, EC.reserved, EC.id, EC.seq, EC.data }

local ER = {
  code = ProtoField.uint8("ipv45.err.code", "Code", base.DEC, {
    [0] = "UNSPECIFIED", [1] = "HOP_LIMIT_EXCEEDED", [2] = "MTU_EXCEEDED", [3] = "UNREACHABLE",
    [4] = "AUTH_FAILED", [5] = "POLICY_DENIED" }),
  type = ProtoField.uint8("ipv45.err.type", "Type of the offending packet", base.DEC, TYPES),
  info = ProtoField.uint16("ipv45.err.info", "Info", base.DEC),
  reserved = ProtoField.uint32("ipv45.err.reserved", "Reserved", base.HEX),
}
P.err.fields = { ER.code, ER.type, ER.info, ER.reserved }

local KA = {
  flags = ProtoField.uint8("ipv45.ka.flags", "Flags", base.HEX),
  flag_req = ProtoField.uint8("ipv45.ka.flags.reply_requested", "Reply requested", base.DEC, nil, 0x80),
  flag_reply = ProtoField.uint8("ipv45.ka.flags.reply", "This is a reply", base.DEC, nil, 0x40),
  reserved = ProtoField.uint8("ipv45.ka.reserved", "Reserved", base.HEX),
  interval = ProtoField.uint16("ipv45.ka.interval", "Keepalive Interval (s)", base.DEC),
  seq = ProtoField.uint32("ipv45.ka.seq", "Sequence", base.DEC),
}
P.ka.fields = { KA.flags, KA.flag_req, KA.flag_reply, KA.reserved, KA.interval, KA.seq }

local DA = {
  session_id = ProtoField.uint16("ipv45.data.session_id", "Session ID", base.DEC),
  reserved = ProtoField.uint16("ipv45.data.reserved", "Reserved", base.HEX),
  seq = ProtoField.uint64("ipv45.data.seq", "Sequence", base.DEC),
  sealed_len = ProtoField.uint16("ipv45.data.sealed_len", "Ciphertext + tag length", base.DEC),
  sealed = ProtoField.bytes("ipv45.data.sealed", "Ciphertext + AEAD tag"),
}
P.data.fields = { DA.session_id, DA.reserved, DA.seq, DA.sealed_len, DA.sealed }

-- One "malformed" expert per sub-layer (an expert belongs to one protocol).
local SE = {}
for key, p in pairs(P) do
  SE[key] = ProtoExpert.new("ipv45." .. key .. ".malformed", "Malformed IPv4.5 " .. key, expert.group.MALFORMED,
    expert.severity.ERROR)
end

local ipv45_handle -- set below
local H = {}       -- handles of the sub-layers

-- Sub-layer dissectors -------------------------------------------------------------------
-- Each is called through its handle with a context: { depth = n, ...what the caller found }.
-- A body that does not fit is malformed at depth 0 and merely cut in a quote.

local function complain(t, key, ctx, text)
  if ctx.depth == 0 then t:add_proto_expert_info(SE[key], text) end
end

local function tlv_walk(tvb, off, stop, t, key, ctx, Ff)
  while off < stop do
    if off + 3 > stop then
      complain(t, key, ctx, string.format("ipv45.%s.tlv at %d: TLV header cut", key, off))
      return false
    end
    local vlen = tvb(off + 1, 2):uint()
    if off + 3 + vlen > stop then
      local tt = t:add(tvb(off, stop - off), "TLV (cut)")
      tt:add(Ff.tlv_type, tvb(off, 1))
      tt:add(Ff.tlv_len, tvb(off + 1, 2))
      complain(t, key, ctx, string.format("ipv45.%s.tlv.len at %d: %d bytes with %d left", key, off + 1, vlen,
        stop - off - 3))
      return false
    end
    local tt = t:add(tvb(off, 3 + vlen), "TLV")
    tt:add(Ff.tlv_type, tvb(off, 1))
    tt:add(Ff.tlv_len, tvb(off + 1, 2))
    if vlen > 0 then tt:add(Ff.tlv_value, tvb(off + 3, vlen)) end
    off = off + 3 + vlen
  end
  return true
end

local D = {}

D.ext = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local t = tree:add(P.ext, tvb())
  t:add(X.nh, tvb(0, 1))
  t:add(X.type, ctx.ext_type or 0):set_generated()
  if tvb:len() >= 2 then t:add(X.len, tvb(1, 1), ctx.hlen or (tvb(1, 1):uint() * 8 + 8)) end
  if tvb:len() >= 3 then
    t:add(X.flags, tvb(2, 1))
    t:add(X.flag_e, tvb(2, 1))
  end
  if tvb:len() > 4 then t:add(X.data, tvb(4)) end
  t:append_text(", " .. (EXT_TYPES[ctx.ext_type or -1] or "unknown"))
  return math.max(tvb:len(), 1)
end

D.frag = function(tvb, pinfo, tree)
  local t = tree:add(P.frag, tvb())
  t:add(FR.nh, tvb(0, 1))
  if tvb:len() < 8 then return math.max(tvb:len(), 1) end
  t:add(FR.reserved, tvb(1, 1))
  local w = tvb(2, 2):uint()
  t:add(FR.offset, tvb(2, 2), floor(w / 8) * 8)
  t:add(FR.m, tvb(3, 1), w % 2)
  t:add(FR.id, tvb(4, 4))
  t:append_text(string.format(", offset %d, %s", floor(w / 8) * 8, w % 2 == 1 and "more" or "last"))
  return 8
end

D.hs = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local len = tvb:len()
  local t = tree:add(P.hs, tvb())
  local subtype = tvb(0, 1):uint()
  t:add(HS.subtype, tvb(0, 1))
  local fixed
  if subtype == 1 then
    fixed = 1252
    if len < fixed then
      complain(t, "hs", ctx, string.format("ipv45.hs at 0: Client Hello of %d bytes, at least %d needed", len, fixed))
      return len
    end
    t:add(HS.identity_type, tvb(1, 1))
    t:add(HS.suite1, tvb(2, 1))
    t:add(HS.suite2, tvb(3, 1))
    t:add(HS.nonce, tvb(4, 32))
    t:add(HS.x25519, tvb(36, 32))
    t:add(HS.mlkem_ek, tvb(68, 1184))
    t:add(HS.mlkem_ek_len, tvb(68, 1184), 1184):set_generated()
    t:append_text(", Client Hello")
  elseif subtype == 2 then
    fixed = 1156
    if len < fixed then
      complain(t, "hs", ctx, string.format("ipv45.hs at 0: Server Hello of %d bytes, at least %d needed", len, fixed))
      return len
    end
    t:add(HS.selected_suite, tvb(1, 1))
    t:add(HS.session_id, tvb(2, 2))
    t:add(HS.nonce, tvb(4, 32))
    t:add(HS.x25519, tvb(36, 32))
    t:add(HS.mlkem_ct, tvb(68, 1088))
    t:add(HS.mlkem_ct_len, tvb(68, 1088), 1088):set_generated()
    t:append_text(", Server Hello")
  else
    if len > 1 then t:add(HS.body, tvb(1)) end
    return len
  end
  local ident = len - fixed
  t:add(HS.identity_len, ident):set_generated()
  tlv_walk(tvb, fixed, len, t, "hs", ctx, HS)
  return len
end

D.ctl = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local len = tvb:len()
  local t = tree:add(P.ctl, tvb())
  if len < 4 then
    if len >= 1 then t:add(CT.subtype, tvb(0, 1)) end
    complain(t, "ctl", ctx, string.format("ipv45.ctl at 0: %d bytes, the CONTROL header needs 4", len))
    return math.max(len, 1)
  end
  t:add(CT.subtype, tvb(0, 1))
  t:add(CT.flags, tvb(1, 1))
  t:add(CT.length, tvb(2, 2))
  local area = tvb(2, 2):uint()
  local stop = 4 + area
  if stop > len then
    complain(t, "ctl", ctx, string.format("ipv45.ctl.length at 2: TLV area of %d bytes, %d present", area, len - 4))
    stop = len
  end
  tlv_walk(tvb, 4, stop, t, "ctl", ctx, CT)
  return len
end

D.echo = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local len = tvb:len()
  local t = tree:add(P.echo, tvb())
  if len < 8 then
    if len >= 1 then t:add(EC.subtype, tvb(0, 1)) end
    complain(t, "echo", ctx, string.format("ipv45.echo at 0: %d bytes, the ECHO header needs 8", len))
    return math.max(len, 1)
  end
  t:add(EC.subtype, tvb(0, 1))
  t:add(EC.reserved, tvb(1, 1))
  t:add(EC.id, tvb(2, 2))
  t:add(EC.seq, tvb(4, 4))
  if len > 8 then t:add(EC.data, tvb(8)) end
  ctx.summary = string.format("ECHO %s id %d seq %d", tvb(0, 1):uint() == 2 and "reply" or "request",
    tvb(2, 2):uint(), tvb(4, 4):uint())
  return len
end

D.err = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local len = tvb:len()
  local t = tree:add(P.err, tvb(0, math.min(len, 8)))
  if len < 8 then
    if len >= 1 then t:add(ER.code, tvb(0, 1)) end
    complain(t, "err", ctx, string.format("ipv45.err at 0: %d bytes, the ERROR header needs 8", len))
    return math.max(len, 1)
  end
  t:add(ER.code, tvb(0, 1))
  t:add(ER.type, tvb(1, 1))
  t:add(ER.info, tvb(2, 2))
  t:add(ER.reserved, tvb(4, 4))
  ctx.summary = string.format("ERROR code %d", tvb(0, 1):uint())
  if len > 8 then C.call_with(ipv45_handle, tvb(8):tvb(), pinfo, t, { depth = ctx.depth + 1 }) end
  return len
end

D.ka = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local len = tvb:len()
  local t = tree:add(P.ka, tvb())
  if len < 8 then
    if len >= 1 then t:add(KA.flags, tvb(0, 1)) end
    complain(t, "ka", ctx, string.format("ipv45.ka at 0: %d bytes, the KEEPALIVE body needs 8", len))
    return math.max(len, 1)
  end
  t:add(KA.flags, tvb(0, 1))
  t:add(KA.flag_req, tvb(0, 1))
  t:add(KA.flag_reply, tvb(0, 1))
  t:add(KA.reserved, tvb(1, 1))
  t:add(KA.interval, tvb(2, 2))
  t:add(KA.seq, tvb(4, 4))
  ctx.summary = string.format("KEEPALIVE seq %d", tvb(4, 4):uint())
  return len
end

D.data = function(tvb, pinfo, tree)
  local ctx = C.ctx_top() or { depth = 0 }
  local len = tvb:len()
  local t = tree:add(P.data, tvb())
  if len < 12 + 16 then
    if len >= 2 then t:add(DA.session_id, tvb(0, 2)) end
    complain(t, "data", ctx, string.format("ipv45.data at 0: %d bytes, the container needs at least 28", len))
    return math.max(len, 1)
  end
  t:add(DA.session_id, tvb(0, 2))
  t:add(DA.reserved, tvb(2, 2))
  t:add(DA.seq, tvb(4, 8))
  t:add(DA.sealed_len, tvb(12), len - 12):set_generated()
  t:add(DA.sealed, tvb(12))
  ctx.summary = string.format("protected DATA session %d seq %s", tvb(0, 2):uint(), tostring(tvb(4, 8):uint64()))
  return len
end

for key, p in pairs(P) do
  local d = D[key]
  local lua_expert = ProtoExpert.new("ipv45." .. key .. ".lua_error", "nextip Lua dissector error",
    expert.group.UNDECODED, expert.severity.ERROR)
  p.experts = { SE[key], lua_expert }
  p.dissector = function(tvb, pinfo, tree) return C.guard(p, lua_expert, d, tvb, pinfo, tree) end
  H[key] = Dissector.get("ipv45." .. key)
end

-- Fixed header and extension chain -------------------------------------------------------

local BODY = { [1] = "hs", [2] = "ctl", [3] = "echo", [4] = "err", [5] = "ka" }

local function dissect_ipv45(tvb, pinfo, root, depth)
  local len = tvb:len()
  local item = root:add(ipv45, tvb(0, math.min(len, HEADER_LEN)))
  if depth > 0 then item:append_text(" (quoted)") end
  local function bad(text, range)
    if range ~= nil then
      item:add_tvb_expert_info(E.malformed, range, text)
    else
      item:add_proto_expert_info(E.malformed, text)
    end
  end
  local layout = { { "ipv45.version", 0, 1 }, { "ipv45.hlim", 1, 1 }, { "ipv45.plen", 2, 2 }, { "ipv45.nh", 4, 1 },
    { "ipv45.flags", 5, 1 }, { "ipv45.flow", 6, 2 }, { "ipv45.src.site", 8, 2 }, { "ipv45.src.eid", 10, 6 },
    { "ipv45.dst.site", 16, 2 }, { "ipv45.dst.eid", 18, 6 } }
  if len < HEADER_LEN then
    if len >= 1 then
      item:add(F.version, tvb(0, 1))
      item:add(F.type, tvb(0, 1))
    end
    if len >= 2 then item:add(F.hlim, tvb(1, 1)) end
    if len >= 4 then item:add(F.plen, tvb(2, 2)) end
    if len >= 5 then item:add(F.nh, tvb(4, 1)) end
    if len >= 6 then item:add(F.flags, tvb(5, 1)) end
    if len >= 8 then item:add(F.flow, tvb(6, 2)) end
    if depth == 0 then
      local missing = "ipv45"
      for _, l in ipairs(layout) do
        if l[2] + l[3] > len then missing = l[1] .. " at " .. l[2] break end
      end
      bad(string.format("%s: truncated (%d of %d header bytes)", missing, len, HEADER_LEN))
    else
      item:add_proto_expert_info(E.cut)
    end
    return len
  end

  local version, mtype = floor(tvb(0, 1):uint() / 16), tvb(0, 1):uint() % 16
  local flags = tvb(5, 1):uint()
  item:add(F.version, tvb(0, 1))
  item:add(F.type, tvb(0, 1))
  item:add(F.hlim, tvb(1, 1))
  item:add(F.plen, tvb(2, 2))
  item:add(F.nh, tvb(4, 1))
  local ft = item:add(F.flags, tvb(5, 1))
  for _, f in ipairs({ F.flag_e, F.flag_f, F.flag_x, F.flag_m, F.flag_c, F.flag_n, F.flag_rsv }) do
    ft:add(f, tvb(5, 1))
  end
  item:add(F.flow, tvb(6, 2))
  item:add(F.src_site, tvb(8, 2))
  item:add(F.src_eid, tvb(10, 6))
  item:add(F.dst_site, tvb(16, 2))
  item:add(F.dst_eid, tvb(18, 6))
  local src_text = string.format("%04X::%s", tvb(8, 2):uint(), C.hex(tvb(10, 6)))
  local dst_text = string.format("%04X::%s", tvb(16, 2):uint(), C.hex(tvb(18, 6)))
  if depth == 0 then
    -- Mode C (UDP 4242) and Mode D (IP protocol 144): the outer IPv4 source and destination
    -- are the locators of the full 96-bit addresses.
    local ip = C.enclosing_ipv4(tvb:offset())
    if ip ~= nil then
      src_text = C.ipv45_text(ip.src, tvb(8, 2):uint(), tvb(10, 6))
      dst_text = C.ipv45_text(ip.dst, tvb(16, 2):uint(), tvb(18, 6))
      item:add(F.src, tvb(8, 8), src_text)
      item:add(F.dst, tvb(16, 8), dst_text)
      if ip.proto == 17 and ip.df == false then item:add_proto_expert_info(E.no_df) end
    end
  end
  item:append_text(string.format(", %s, Src: %s, Dst: %s", TYPES[mtype] or ("type " .. mtype), src_text, dst_text))

  if version ~= 1 then
    bad(string.format("ipv45.version at 0: version %d, not 1", version), tvb(0, 1))
    return HEADER_LEN
  end
  if TYPES[mtype] == nil or mtype == 15 then
    bad(string.format("ipv45.type at 0: %s message type %d", mtype == 15 and "reserved" or "unassigned", mtype),
      tvb(0, 1))
    return HEADER_LEN
  end
  if flags % 4 ~= 0 then
    bad("ipv45.flags at 5: reserved bits are not zero", tvb(5, 1))
    return HEADER_LEN
  end
  local fE, fF, fX = flags >= 0x80, flags % 0x80 >= 0x40, flags % 0x40 >= 0x20
  local fM, fC = flags % 0x20 >= 0x10, flags % 0x10 >= 0x08
  if fC then
    bad("ipv45.flags.c at 5: compression (C) is reserved; such packets are dropped", tvb(5, 1))
    return HEADER_LEN
  end
  if fM and not fF then
    bad("ipv45.flags.m at 5: M without F", tvb(5, 1))
    return HEADER_LEN
  end

  if depth == 0 then
    pinfo.cols.protocol:set("IPv4.5")
    pinfo.cols.info:set(string.format("IPv4.5 %s %s -> %s", TYPES[mtype], src_text, dst_text))
  end

  local plen = tvb(2, 2):uint()
  local avail = len - HEADER_LEN
  if plen > avail then
    if depth == 0 then
      bad(string.format("ipv45.payload at %d: payload length %d, %d bytes present", HEADER_LEN, plen, avail),
        tvb(2, 2))
      return len
    end
    item:add_proto_expert_info(E.cut, string.format("quoted packet cut at %d of %d bytes", len, HEADER_LEN + plen))
    plen = avail
  end
  local ptvb = tvb(0, HEADER_LEN + plen):tvb()

  -- The chain (IPV45-4): with F or X set, Next Header starts in the extension namespace.
  local off = HEADER_LEN
  local nh = tvb(4, 1):uint()
  local ext_ns = fF or fX
  local count, bytes = 0, 0
  local seen_generic, seen_frag = false, false
  local frag_more, frag_offset = false, 0
  while ext_ns do
    local avail_now = ptvb:len() - off
    if nh == 3 then
      if avail_now < 8 then
        if depth == 0 then bad(string.format("ipv45.frag at %d: %d of 8 bytes", off, avail_now)) end
        return HEADER_LEN + plen
      end
      C.call_with(H.frag, ptvb(off, 8):tvb(), pinfo, root, { depth = depth })
      local w = ptvb(off + 2, 2):uint()
      frag_more, frag_offset = (w % 2) == 1, floor(w / 8) * 8
      if frag_more ~= fM then
        bad(string.format("ipv45.frag.m at %d: the Fragmentation header's M (%d) differs from the fixed header's (%d)",
          off + 3, frag_more and 1 or 0, fM and 1 or 0))
        return HEADER_LEN + plen
      end
      seen_frag = true
      count, bytes = count + 1, bytes + 8
      nh = ptvb(off, 1):uint()
      off = off + 8
      ext_ns = false
    elseif EXT_TYPES[nh] ~= nil then
      if seen_frag then
        bad(string.format("ipv45.ext at %d: a generic extension header after the Fragmentation header", off))
        return HEADER_LEN + plen
      end
      local hlen = avail_now >= 2 and (ptvb(off + 1, 1):uint() * 8 + 8) or nil
      if hlen == nil or hlen > avail_now then
        if depth == 0 then
          bad(string.format("ipv45.ext.len at %d: extension header of %s bytes with %d left", off + 1,
            hlen and tostring(hlen) or "?", avail_now))
        end
        return HEADER_LEN + plen
      end
      C.call_with(H.ext, ptvb(off, hlen):tvb(), pinfo, root, { depth = depth, ext_type = nh, hlen = hlen })
      seen_generic = true
      count, bytes = count + 1, bytes + hlen
      local e_bit = ptvb(off + 2, 1):uint() >= 0x80
      nh = ptvb(off, 1):uint()
      off = off + hlen
      ext_ns = e_bit
    else
      bad(string.format("ipv45.nh: %d is not an extension type (0x00-0x06)", nh))
      return HEADER_LEN + plen
    end
    if count > MAX_EXT_HEADERS or bytes > MAX_EXT_BYTES then
      bad(string.format("ipv45.ext at %d: more than %d extension headers or %d bytes", off, MAX_EXT_HEADERS,
        MAX_EXT_BYTES))
      return HEADER_LEN + plen
    end
  end
  if fF ~= seen_frag then
    bad(string.format("ipv45.flags.f at 5: F is %d but a Fragmentation header is %s", fF and 1 or 0,
      seen_frag and "present" or "absent"), tvb(5, 1))
    return HEADER_LEN + plen
  end
  if fX ~= seen_generic then
    bad(string.format("ipv45.flags.x at 5: X is %d but generic extension headers are %s", fX and 1 or 0,
      seen_generic and "present" or "absent"), tvb(5, 1))
    return HEADER_LEN + plen
  end

  -- The body.
  if seen_frag and (frag_more or frag_offset ~= 0) then
    if depth == 0 then pinfo.cols.info:append(string.format(" (fragment at %d)", frag_offset)) end
    C.call_data(ptvb, off, pinfo, root)
    return HEADER_LEN + plen
  end
  if off >= ptvb:len() and not (mtype == 0 and fE) and BODY[mtype] == nil then return HEADER_LEN + plen end
  -- HANDSHAKE, CONTROL, ECHO, ERROR and KEEPALIVE carry their Type's body (Next Header
  -- 0xFF says so; the body is read by Type whatever Next Header holds). DATA carries the
  -- protected container when E is set, else the upper-layer packet Next Header names
  -- (0xFF: nothing).
  local ctx = { depth = depth }
  local key = BODY[mtype]
  if mtype == 0 and fE then
    C.call_with(H.data, ptvb(off):tvb(), pinfo, root, ctx)
  elseif key ~= nil then
    if off < ptvb:len() then
      C.call_with(H[key], ptvb(off):tvb(), pinfo, root, ctx)
    elseif depth == 0 then
      bad(string.format("ipv45.%s at %d: the %s body is missing", key, off, TYPES[mtype]))
    end
  elseif nh == NH_BODY then
    C.call_data(ptvb, off, pinfo, root)
  else
    C.call_upper(nh, ptvb, off, pinfo, root, depth > 0)
  end
  if depth == 0 and ctx.summary then
    pinfo.cols.info:clear_fence()
    pinfo.cols.info:set(string.format("IPv4.5 %s %s -> %s", ctx.summary, src_text, dst_text))
  end
  return HEADER_LEN + plen
end

function ipv45.dissector(tvb, pinfo, tree)
  return C.guard(ipv45, E.lua, function(t, p, r)
    local ctx = C.ctx_top() or { depth = p.in_error_pkt and 1 or 0 }
    return math.max(dissect_ipv45(t, p, r, ctx.depth), 1)
  end, tvb, pinfo, tree)
end
ipv45_handle = Dissector.get("ipv45")

DissectorTable.get("udp.port"):add(UDP_PORT, ipv45)
DissectorTable.get("ip.proto"):add(IP_PROTO, ipv45)
