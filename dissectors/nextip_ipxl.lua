-- nextip_ipxl.lua: Wireshark 4.0 dissector for IPxl, "IPv4 with a larger address space"
-- (IPv4 option 29 carrying 64-bit addresses; nextip project).
--
--   ipxl   the option 0x9d (copy 1, class 0, number 29; decision IPXL-10: "0x9e" is a typo)
--          with length 12 at bit 160 of an IPv4 header whose IHL is at least 8. Such a
--          header keeps the 64-bit destination in bytes 12-19 (where IPv4 keeps its source
--          and destination) and the 64-bit source in the option (bytes 24-31).
--          Fields: ipxl.dst, ipxl.src (full eight-number form, decision IPXL-1),
--          ipxl.option.type (157), ipxl.option.len (12), ipxl.option.unused.
--
-- Wireshark's IPv4 dissector hands every option of type 0x9d to this dissector (the
-- "ip.option" table), so the ipxl layer sits between ip and the transport in
-- frame.protocols. The option alone does not make a packet IPxl: the detection rule needs
-- it at byte 20 with length 12, so an option 0x9d anywhere else is only shown as such.
-- The destination comes from Wireshark's own ip.src/ip.dst of the same header.

local C = (function()
  if _G.NEXTIP_COMMON then return _G.NEXTIP_COMMON end
  local dir = debug.getinfo(1, "S").source:match("^@(.*)[/\\]") or "."
  return dofile(dir .. "/nextip_common.lua")
end)()

local OPTION_TYPE = 0x9d
local OPTION_LEN = 12
local OPTION_OFFSET = 20

local ipxl = Proto.new("ipxl", "IPxl (IPv4 option 29, 64-bit addresses)")
local F = {
  dst = ProtoField.string("ipxl.dst", "Destination Address"),
  src = ProtoField.string("ipxl.src", "Source Address"),
  type = ProtoField.uint8("ipxl.option.type", "Option Type", base.DEC),
  len = ProtoField.uint8("ipxl.option.len", "Option Length", base.DEC),
  unused = ProtoField.uint16("ipxl.option.unused", "Unused", base.HEX),
}
ipxl.fields = { F.dst, F.src, F.type, F.len, F.unused }
local E = {
  not_ipxl = ProtoExpert.new("ipxl.not_at_bit_160", "Option 29 not at bit 160 with length 12: not an IPxl header",
    expert.group.PROTOCOL, expert.severity.NOTE),
  malformed = ProtoExpert.new("ipxl.malformed", "Malformed IPxl option", expert.group.MALFORMED,
    expert.severity.ERROR),
  lua = ProtoExpert.new("ipxl.lua_error", "nextip Lua dissector error", expert.group.UNDECODED,
    expert.severity.ERROR),
}
ipxl.experts = { E.not_ipxl, E.malformed, E.lua }

local function dissect_ipxl(tvb, pinfo, tree)
  local len = tvb:len()
  local t = tree:add(ipxl, tvb())
  if len < 2 then
    t:add_proto_expert_info(E.malformed, "option 29 cut")
    return len
  end
  t:add(F.type, tvb(0, 1))
  t:add(F.len, tvb(1, 1))
  local ip = C.enclosing_ipv4(tvb:offset())
  if tvb(1, 1):uint() ~= OPTION_LEN or len < OPTION_LEN or ip == nil or tvb:offset() ~= ip.start + OPTION_OFFSET then
    t:add_proto_expert_info(E.not_ipxl)
    return len
  end
  t:add(F.unused, tvb(2, 2))
  local dst = C.ipxl_text(ip.src, ip.dst)
  local src = C.ipxl_text(tvb(4, 4):uint(), tvb(8, 4):uint())
  -- The destination is in the IPv4 header (bytes 12-19), outside the option.
  t:add(F.dst, dst):set_generated()
  t:add(F.src, tvb(4, 8), src)
  t:append_text(", Src: " .. src .. ", Dst: " .. dst)
  pinfo.cols.src:set(src)
  pinfo.cols.dst:set(dst)
  return len
end

function ipxl.dissector(tvb, pinfo, tree)
  return C.guard(ipxl, E.lua, function(t, p, r) return math.max(dissect_ipxl(t, p, r), 1) end, tvb, pinfo, tree)
end

DissectorTable.get("ip.option"):add(OPTION_TYPE, ipxl)
