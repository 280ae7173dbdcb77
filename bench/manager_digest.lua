-- wrk script: GET /arawman?action=Ping with a valid HTTP Digest Authorization on every request.
--
-- wrk's Lua (LuaJIT) has no MD5, so bench/manager_digest.py precomputes, per slot, a nonce and the response
-- hashes for nc = 1, 2, ... (see that file). A slot is one digest session; the server rejects an nc that is
-- not larger than the last one it saw on that nonce (spec 02 §3.3), so a slot must never be used by two
-- connections at once. wrk's request() does not say which connection asks, hence: request() takes a slot from
-- a FIFO of free slots, the request carries ActionID=<slot>, and response() puts the slot back when the body
-- echoes `ActionID: <slot>`. Each connection has one request in flight, so with at least as many slots as
-- connections the FIFO never runs dry; a failed response (no ActionID) loses its slot, which the spare slots
-- (the Python side prepares twice the connection count) absorb. Every slot lives on one wrk thread.
--
-- Usage: wrk -s bench/manager_digest.lua URL -- DATA_FILE USER THREADS

local thread_index = 0

function setup(thread)
   thread:set("tid", thread_index)
   thread_index = thread_index + 1
end

local slots = {}      -- slot number -> { uri, prefix, hashes, nc }
local free = {}       -- FIFO of free slot numbers
local head, tail = 1, 0
local cnonce = "b3nch" -- must match manager_digest.py

local function push(slot)
   tail = tail + 1
   free[tail] = slot
end

function init(args)
   local file, user, nthreads = args[1], args[2], tonumber(args[3])
   for line in io.lines(file) do
      local slot, nonce, uri, realm, hashes = line:match("^(%d+) (%x+) (%S+) (%S+) (%x*)$")
      slot = tonumber(slot)
      if slot and slot % nthreads == tid then
         slots[slot] = {
            uri = uri,
            prefix = 'Digest username="' .. user .. '", realm="' .. realm .. '", nonce="' .. nonce ..
               '", uri="' .. uri .. '", qop=auth, cnonce="' .. cnonce .. '", nc=',
            hashes = hashes,
            nc = 0,
         }
         push(slot)
      end
   end
end

function request()
   local slot
   if head <= tail then
      slot = free[head]
      free[head] = nil
      head = head + 1
   else
      -- Out of slots (responses without ActionID lost them): reuse the first one; the server will answer
      -- some requests 401 stale, which wrk reports as non-2xx.
      slot = next(slots)
   end
   local s = slots[slot]
   s.nc = s.nc + 1
   local hash = s.hashes:sub(s.nc * 32 - 31, s.nc * 32)
   if #hash < 32 then
      -- precomputed hashes used up: keep going with a wrong one (answered 401, counted as non-2xx)
      hash = string.rep("0", 32)
   end
   return wrk.format("GET", s.uri, { Authorization = s.prefix .. string.format("%08x", s.nc) ..
                                        ', response="' .. hash .. '"' })
end

function response(status, headers, body)
   local id = body:match("ActionID: (%d+)")
   if id then
      push(tonumber(id))
   end
end
