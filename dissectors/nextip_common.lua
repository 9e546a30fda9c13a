-- nextip_common.lua: helpers shared by the nextip dissectors (address text forms, bounds-
-- checked field adding, checksums, calling Wireshark's transport dissectors).
--
-- Every nextip_*.lua loads this file through nextip_load_common(); Wireshark also runs it
-- as a plugin of its own when it sits in the plugin folder, which is harmless: it defines
-- one global table and registers nothing.

if _G.NEXTIP_COMMON then return _G.NEXTIP_COMMON end

local C = {}

local floor = math.floor

-- Numbers ------------------------------------------------------------------------------

local function byte_of(u, i) -- i = 0 for the most significant of 4 bytes
  return floor(u / 2 ^ (8 * (3 - i))) % 256
end

-- "a.b.c.d" for a 32-bit unsigned value.
function C.dotted(u)
  return string.format("%d.%d.%d.%d", byte_of(u, 0), byte_of(u, 1), byte_of(u, 2), byte_of(u, 3))
end

function C.dec(u)
  return string.format("%d", u)
end

-- Lower-case hex without separators of a TvbRange.
function C.hex(range)
  if range == nil or range:len() == 0 then return "" end
  return string.lower(range:bytes():tohex())
end

-- Addresses ----------------------------------------------------------------------------

-- ASIP (001 §6.3, decision ASIP-1): r is written as an ASN integer when it is 0 or lies in
-- a terrestrial-unicast row of Table 3, dotted otherwise.
local TERRESTRIAL = {
  { 0x00000001, 0x60FFFFFF }, -- 0.0.0.1 - 96.255.255.255
  { 0x65000000, 0x7EFFFFFF }, -- 101.0.0.0 - 126.255.255.255
  { 0x80000000, 0xA9FDFFFF }, -- 128.0.0.0 - 169.253.255.255
  { 0xA9FF0000, 0xEFFFFFFF }, -- 169.255.0.0 - 239.255.255.255
}

function C.asip_r_is_integer(r)
  if r == 0 then return true end
  for _, row in ipairs(TERRESTRIAL) do
    if r >= row[1] and r <= row[2] then return true end
  end
  return false
end

-- The compressed text of the four 32-bit fields: '::' replaces the longest run of zero
-- fields among r, z and s (the leftmost on a tie, a single field allowed); the host field is
-- always written.
function C.asip_text(r, z, s, h)
  local f = { r, z, s, h }
  local t = { C.asip_r_is_integer(r) and C.dec(r) or C.dotted(r), C.dotted(z), C.dotted(s), C.dotted(h) }
  local best, best_len = nil, 0
  local i = 1
  while i <= 3 do
    if f[i] == 0 then
      local j = i
      while j < 3 and f[j + 1] == 0 do j = j + 1 end
      if j - i + 1 > best_len then best, best_len = i, j - i + 1 end
      i = j + 1
    else
      i = i + 1
    end
  end
  if best == nil then return table.concat(t, ":") end
  return table.concat(t, ":", 1, best - 1) .. "::" .. table.concat(t, ":", best + best_len, 4)
end

-- A 16-byte TvbRange as ASIP text.
function C.asip_range_text(range)
  return C.asip_text(range:range(0, 4):uint(), range:range(4, 4):uint(), range:range(8, 4):uint(),
    range:range(12, 4):uint())
end

-- IPv8 (decision IPV8-1): r.r.r.r:h.h.h.h
function C.ipv8_text(r, h)
  return C.dotted(r) .. ":" .. C.dotted(h)
end

-- IPxl (decision IPXL-1): the full eight-number form.
function C.ipxl_text(hi, lo)
  return C.dotted(hi) .. "." .. C.dotted(lo)
end

-- IPv4.5 (decision IPV45-2): LOCATOR::SITE::EID with upper-case four-digit groups.
function C.ipv45_text(locator, site, eid_range)
  return string.format("%s::%04X::%04X:%04X:%04X", C.dotted(locator), site, eid_range:range(0, 2):uint(),
    eid_range:range(2, 2):uint(), eid_range:range(4, 2):uint())
end

-- Checksums ----------------------------------------------------------------------------

-- One's-complement sum (RFC 1071) of a TvbRange, added to `acc`; the range may have an
-- odd length.
function C.sum_range(acc, range)
  local n = range:len()
  local i = 0
  while i + 1 < n do
    acc = acc + range:range(i, 2):uint()
    i = i + 2
  end
  if i < n then acc = acc + range:range(i, 1):uint() * 256 end
  return acc
end

function C.fold(acc)
  while acc > 0xFFFF do acc = (acc % 0x10000) + floor(acc / 0x10000) end
  return acc
end

-- true when the folded sum verifies (all ones).
function C.sum_verifies(acc)
  return C.fold(acc) == 0xFFFF
end

-- Dissection helpers -----------------------------------------------------------------

-- Calls Wireshark's "data" dissector on the bytes from `off` (nothing when none are left).
local data_handle = Dissector.get("data")
function C.call_data(tvb, off, pinfo, tree)
  if off < tvb:len() then
    pcall(function() data_handle:call(tvb(off):tvb(), pinfo, tree) end)
  end
end

-- Calls Wireshark's dissector for an IP protocol number on the bytes from `off`.
-- Wireshark's TCP and UDP dissectors flag a short header or a UDP length beyond the bytes
-- as malformed unless the packet is an ICMP error or a fragment, and a Lua dissector cannot
-- tell them so (pinfo.in_error_pkt is read-only, pinfo.fragmented does not exist in the
-- 4.0 API). When the caller expects the transport to be cut short (`cut_expected`: a
-- quote, a first fragment), a short TCP header or UDP datagram is therefore shown here
-- with its ports as text instead of being handed to them, and any other upper layer is
-- shown as data; otherwise the dissectors get the bytes and report what is wrong. Returns
-- true when a dissector took the bytes.
local ip_proto_table = DissectorTable.get("ip.proto")
function C.call_upper(proto, tvb, off, pinfo, tree, cut_expected)
  local avail = tvb:len() - off
  if avail <= 0 then return false end
  if proto == 6 then
    local doff = avail >= 13 and floor(tvb(off + 12, 1):uint() / 16) * 4 or 0
    if cut_expected and (avail < 20 or avail < doff) then
      local label = "TCP header cut at " .. avail .. " bytes (a quote or a first fragment)"
      if avail >= 4 then
        label = label .. string.format(": port %d -> %d", tvb(off, 2):uint(), tvb(off + 2, 2):uint())
      end
      tree:add(tvb(off), label)
      return true
    end
  elseif proto == 17 then
    local ulen = avail >= 6 and tvb(off + 4, 2):uint() or 0
    if cut_expected and (avail < 8 or ulen > avail) then
      local label = "UDP datagram cut short (a quote or a first fragment)"
      if avail >= 4 then
        label = label .. string.format(": port %d -> %d", tvb(off, 2):uint(), tvb(off + 2, 2):uint())
      end
      if avail >= 6 then label = label .. string.format(", length %d of which %d present", ulen, avail) end
      tree:add(tvb(off), label)
      return true
    end
    -- Only the datagram itself (bytes beyond the UDP length are not UDP's).
    if ulen >= 8 and ulen <= avail then
      pcall(function() ip_proto_table:get_dissector(17):call(tvb(off, ulen):tvb(), pinfo, tree) end)
      C.call_data(tvb, off + ulen, pinfo, tree)
      return true
    end
  end
  local handle = ip_proto_table:get_dissector(proto)
  if cut_expected and proto ~= 6 and proto ~= 17 then
    -- Other upper layers of a quote or a first fragment: their dissectors would read past
    -- the cut and call the packet malformed (they cannot be told it is a fragment).
    handle = nil
  end
  if handle == nil then
    C.call_data(tvb, off, pinfo, tree)
    return false
  end
  pcall(function() handle:call(tvb(off):tvb(), pinfo, tree) end)
  return true
end

-- The IPv4 header that holds `frame_offset` (the last one that starts before it), from
-- Wireshark's own ip.* fields: { start = n, src = uint32, dst = uint32, df = bool,
-- proto = n }.
-- (ip.version cannot be used to find the header: the IPv6 dissector adds it too.)
local f_ip_src = Field.new("ip.src")
local f_ip_dst = Field.new("ip.dst")
local f_ip_df = Field.new("ip.flags.df")
local f_ip_proto = Field.new("ip.proto")
function C.enclosing_ipv4(frame_offset)
  local src = nil
  for _, fi in ipairs({ f_ip_src() }) do
    if fi.offset < frame_offset and (src == nil or fi.offset > src.offset) then src = fi end
  end
  if src == nil then return nil end
  local start = src.offset - 12
  local r = { start = start, src = src.range:uint() }
  for _, fi in ipairs({ f_ip_dst() }) do
    if fi.offset == start + 16 then r.dst = fi.range:uint() end
  end
  for _, fi in ipairs({ f_ip_df() }) do
    if fi.offset == start + 6 then r.df = fi.value and true or false end
  end
  for _, fi in ipairs({ f_ip_proto() }) do
    if fi.offset == start + 9 then r.proto = fi.value end
  end
  if r.dst == nil then return nil end
  return r
end

-- Context for sub-dissectors called through their handles (so that each one is a layer
-- of frame.protocols): the caller pushes a table, the callee reads and fills it.
local ctx_stack = {}
function C.ctx_top()
  return ctx_stack[#ctx_stack]
end
function C.call_with(handle, tvb, pinfo, tree, ctx)
  local n = #ctx_stack
  ctx_stack[n + 1] = ctx
  local ok, err = pcall(function() handle:call(tvb, pinfo, tree) end)
  for i = #ctx_stack, n + 1, -1 do ctx_stack[i] = nil end
  return ok, err
end

-- Runs `fn` and turns a Lua error into an expert item instead of a dissector failure.
function C.guard(proto, expert_field, fn, tvb, pinfo, tree)
  local ok, res = pcall(fn, tvb, pinfo, tree)
  if ok then return res end
  local item = tree:add(proto, tvb())
  item:add_proto_expert_info(expert_field, "nextip Lua dissector error: " .. tostring(res))
  return tvb:len()
end

_G.NEXTIP_COMMON = C
return C
