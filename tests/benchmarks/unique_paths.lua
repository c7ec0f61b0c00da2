-- wrk script: every request asks for a path no other request of the run asks for, so each one
-- misses the gateway's page cache and kept search answers.
--
--   wrk -t2 -c500 -d60s -s unique_paths.lua http://host:port -- PATHS_FILE THREADS
--
-- PATHS_FILE holds the paths, one a line; of THREADS wrk threads, thread i takes lines
-- i, i + THREADS, i + 2 * THREADS … (a file longer than the run never repeats a path).

local threads = 0

function setup(thread)
   thread:set("id", threads)
   threads = threads + 1
end

function init(args)
   paths = {}
   for line in io.lines(args[1]) do
      paths[#paths + 1] = line
   end
   step = tonumber(args[2])
   index = id + 1
end

function request()
   local path = paths[index]
   index = index + step
   if index > #paths then
      index = id + 1
   end
   return wrk.format("GET", path)
end
