-- Drives the language server from Neovim's built-in LSP client (Neovim 0.7+, headless), as a
-- second real client that is not VS Code. Started by scripts/e2e/run-neovim.mjs, which asserts
-- on the JSON written to $CTKL_NVIM_RESULT; this file only observes and records.
--
-- Positions: the test files are ASCII, so Neovim's byte columns equal LSP's UTF-16 characters.
local result = {}
local out = os.getenv('CTKL_NVIM_RESULT')
local WAIT_MS = tonumber(os.getenv('CTKL_NVIM_WAIT_MS') or '30000')
local TITLE = 'Create a KMS key for this trail'

local function env(name)
  return os.getenv(name) or error(name .. ' is not set')
end

local function write_result()
  if not out then return end
  local f = io.open(out, 'w')
  if not f then return end
  f:write(vim.fn.json_encode(result))
  f:close()
end

-- Diagnostics in a JSON-friendly shape (code, 1-based line), for the runner's messages.
local function diagnostics()
  return vim.tbl_map(function(d)
    return { code = d.code, source = d.source, severity = d.severity, line = d.lnum + 1, col = d.col + 1, message = d.message }
  end, vim.diagnostic.get(0))
end

local function trail_diagnostic()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == 'CTK001' then return d end
  end
end

-- Back to the LSP shape the server published, for codeAction's context.
local function to_lsp(d)
  return {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity, message = d.message, source = d.source, code = d.code,
    data = d.user_data and d.user_data.lsp and d.user_data.lsp.data or nil,
  }
end

local function main()
  local file, root = env('CTKL_NVIM_FILE'), env('CTKL_NVIM_ROOT')
  local cmd = vim.fn.json_decode(env('CTKL_LSP_CMD'))
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  -- `*.tf` is ambiguous to Vim (TinyFugue or Terraform); say which.
  vim.bo.filetype = 'terraform'

  local client_id = vim.lsp.start_client({
    name = 'cloudtrail-kms-lint',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    settings = { cloudtrailKmsLint = vim.empty_dict() },
    on_exit = function(code, signal) result.server_exit = { code = code, signal = signal } end,
  })
  if not client_id then error('vim.lsp.start_client returned nil for ' .. table.concat(cmd, ' ')) end
  vim.lsp.buf_attach_client(0, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  result.initialized = vim.wait(WAIT_MS, function() return client.initialized == true or result.server_exit ~= nil end, 50)
  result.initialized = client.initialized == true
  if not result.initialized then error('the server did not finish initialize within ' .. WAIT_MS .. ' ms') end
  result.capabilities = client.server_capabilities

  local found = vim.wait(WAIT_MS, function() return trail_diagnostic() ~= nil end, 50)
  result.diagnostics = diagnostics()
  if not found then return end
  local diagnostic = trail_diagnostic()
  -- Hover on the flagged trail, before anything changes it. A request for a method the server
  -- did not declare is never answered in Neovim 0.7, so ask only when it is declared.
  result.hover_provider = client.server_capabilities.hoverProvider and true or false
  local hover = result.hover_provider and vim.lsp.buf_request_sync(0, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    position = { line = diagnostic.lnum, character = diagnostic.col + 2 },
  }, WAIT_MS) or {}
  for _, response in pairs(hover or {}) do
    if response.result then result.hover = response.result.contents end
  end

  result.code_action_provider = client.server_capabilities.codeActionProvider and true or false
  if not result.code_action_provider then return end
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    range = to_lsp(diagnostic).range,
    context = { diagnostics = { to_lsp(diagnostic) } },
  }, WAIT_MS) or {}
  local actions = {}
  for _, response in pairs(responses) do
    if response.err then result.code_action_error = response.err end
    for _, action in ipairs(response.result or {}) do table.insert(actions, action) end
  end
  result.code_action_titles = vim.tbl_map(function(a) return a.title end, actions)

  local chosen
  for _, action in ipairs(actions) do
    if vim.startswith(action.title, TITLE) then chosen = action break end
  end
  chosen = chosen or actions[1]
  if not chosen then return end
  result.applied_title = chosen.title

  -- Edits may be computed lazily (codeAction/resolve) or come through a command.
  if not chosen.edit and type(chosen.command) ~= 'string' and client.server_capabilities.codeActionProvider
      and type(client.server_capabilities.codeActionProvider) == 'table'
      and client.server_capabilities.codeActionProvider.resolveProvider then
    local resolved = client.request_sync('codeAction/resolve', chosen, WAIT_MS, 0)
    if resolved and resolved.result then chosen = resolved.result end
  end
  if chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  end
  local command = type(chosen.command) == 'table' and chosen.command or (type(chosen.command) == 'string' and chosen or nil)
  if command then
    client.request_sync('workspace/executeCommand', { command = command.command, arguments = command.arguments }, WAIT_MS, 0)
  end
  result.text_after = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')

  result.cleared_after_fix = vim.wait(WAIT_MS, function() return trail_diagnostic() == nil end, 50)
  result.diagnostics_after_fix = diagnostics()
end

-- Whatever happens, write what was seen and quit: a headless Neovim stuck on an error would
-- otherwise wait for input until the runner kills it.
local ok, err = pcall(main)
if not ok then result.error = tostring(err) end
pcall(write_result)
vim.cmd('qall!')
