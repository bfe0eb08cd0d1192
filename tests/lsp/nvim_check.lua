-- Headless Neovim driving `ecslint lsp` (tests/lsp_nvim.rs). Works on 0.7 (Debian bookworm:
-- vim.lsp.start_client) and on 0.8+ (vim.lsp.start). Environment:
--   LSP_CMD     JSON array: the server command line
--   LSP_FILE    the file whose diagnostic is checked
--   LSP_OTHER   optional: another file of the same module, opened (and attached) first
--   LSP_RULE    the rule expected in LSP_FILE, e.g. ECS101
--   LSP_MODE    "action": apply the code action whose title starts with LSP_ACTION;
--               "edit":   replace LSP_FROM by LSP_TO in the buffer of LSP_EDIT (default
--                          LSP_FILE), never written
--   then the rule must be gone from LSP_FILE's diagnostics.
-- Prints `open LINE COL` (1-based, byte columns as Neovim shows them) and `gone`; exit 0 on
-- success, 1 on a timeout, 2 on a setup error.
local function env(n, d) local v = os.getenv(n); if v == nil or v == "" then return d end; return v end
local function fail(msg, code) io.stderr:write(msg .. "\n"); vim.cmd("cquit " .. (code or 1)) end
local decode = (vim.json and vim.json.decode) or vim.fn.json_decode
local cmd = decode(env("LSP_CMD", "null"))
local file, rule, mode = env("LSP_FILE"), env("LSP_RULE"), env("LSP_MODE", "edit")
local timeout = tonumber(env("LSP_TIMEOUT_MS", "10000"))
local root = vim.fn.getcwd()
local config = { name = "ecslint", cmd = cmd, root_dir = root }
local client_id

local function attach(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype == "" then
    if path:match("%.tf$") then vim.bo[buf].filetype = "terraform" end
  end
  if vim.lsp.start then
    client_id = vim.lsp.start(config, { bufnr = buf })
  else
    if not client_id then client_id = vim.lsp.start_client(config) end
    vim.lsp.buf_attach_client(buf, client_id)
  end
  if not client_id then fail("could not start the client", 2) end
  return buf
end

local other_buf
if env("LSP_OTHER") then other_buf = attach(env("LSP_OTHER")) end
local buf = attach(file)

local function find()
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if (lsp.code or d.code) == rule then return d, lsp end
  end
end

if not vim.wait(timeout, function() return find() ~= nil end, 20) then
  fail("no " .. rule .. " on open")
end
local d, lsp = find()
print(string.format("open %d %d", d.lnum + 1, d.col + 1))

local client = vim.lsp.get_client_by_id(client_id)
if mode == "action" then
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = lsp.range,
    context = { diagnostics = { lsp } },
  }
  local resp = client.request_sync("textDocument/codeAction", params, timeout, buf)
  if not resp or resp.err then fail("codeAction failed", 2) end
  local chosen
  for _, a in ipairs(resp.result or {}) do
    if a.title:sub(1, #env("LSP_ACTION")) == env("LSP_ACTION") then chosen = a end
  end
  if not chosen then fail("no action " .. env("LSP_ACTION") .. " in " .. vim.inspect(resp), 2) end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or "utf-16")
else
  local target = buf
  if env("LSP_EDIT") then target = other_buf end
  local lines = vim.api.nvim_buf_get_lines(target, 0, -1, false)
  local from, to = env("LSP_FROM"), env("LSP_TO")
  for i, s in ipairs(lines) do
    local a, b = s:find(from, 1, true)
    if a then lines[i] = s:sub(1, a - 1) .. to .. s:sub(b + 1) end
  end
  vim.api.nvim_buf_set_lines(target, 0, -1, false, lines)
end
if not vim.wait(timeout, function() return find() == nil end, 20) then
  fail(rule .. " still there after the " .. mode)
end
print("gone")
if vim.bo[buf].modified == false and mode == "edit" then fail("the buffer was written", 2) end
client.stop()
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
vim.cmd("qall!")
