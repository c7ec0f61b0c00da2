-- wrk script: each request comes from one of READERS readers, told apart by their browser's
-- user agent (wrk's requests all come from 127.0.0.1), so that the gateway batches as many
-- distinct visitors as a busy site's and the ranking service counts each once a day.
--
--   wrk -t2 -c300 -d30s -s visitors.lua http://host:port/path -- READERS

function init(args)
   readers = tonumber(args[1])
   count = 0
end

function request()
   count = count + 1
   local agent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0." .. (count % readers)
   return wrk.format("GET", nil, {["User-Agent"] = agent})
end
