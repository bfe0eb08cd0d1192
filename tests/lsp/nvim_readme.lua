-- Headless Neovim with one of the README's set-ups (tests/lsp_nvim.rs, readme_neovim_*). The
-- set-up was sourced before this file and starts `ecslint lsp` itself (found on PATH). Opens
-- each file of LSP_FILES ("path=RULE;..."), waits for RULE among that buffer's diagnostics and
-- prints `ok PATH RULE FILETYPE CLIENTS`, then `clients N` (how many clients named ecslint
-- ran). Exit 0 on success, 1 on a timeout. Works on 0.7 and 0.11.
local function fail(msg) io.stderr:write(msg .. "\n"); vim.cmd("cquit 1") end
local timeout = tonumber(os.getenv("LSP_TIMEOUT_MS") or "10000")
local function buffer_clients(buf)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf }) end
  return vim.lsp.buf_get_clients(buf) -- 0.7: a map from id to client
end
local function all_clients()
  if vim.lsp.get_clients then return vim.lsp.get_clients() end
  return vim.lsp.get_active_clients()
end
for item in string.gmatch(os.getenv("LSP_FILES") or "", "[^;]+") do
  local path, rule = item:match("^(.*)=(.*)$")
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  local found = vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = d.user_data and d.user_data.lsp or {}
      if (lsp.code or d.code) == rule then return true end
    end
    return false
  end, 20)
  if not found then
    fail("no " .. rule .. " in " .. path .. " (filetype " .. vim.bo[buf].filetype .. ")")
    return
  end
  local names = {}
  for _, c in pairs(buffer_clients(buf)) do table.insert(names, c.name) end
  print(string.format("ok %s %s %s %s", path, rule, vim.bo[buf].filetype, table.concat(names, ",")))
end
local n = 0
for _, c in pairs(all_clients()) do
  if c.name == "ecslint" then n = n + 1 end
  c.stop()
end
print("clients " .. n)
vim.wait(2000, function() return next(all_clients()) == nil end, 50)
vim.cmd("qall!")
