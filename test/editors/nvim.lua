-- Headless Neovim (0.7+): start kb-hints-language-server with vim.lsp.start_client (what the README's
-- snippet does; vim.lsp.start is 0.8+), open the template given in KB_HINTS_FILE, wait for diagnostics,
-- hover on the first one, print a JSON summary and quit. Run by test/editors/editors.test.js.
local file = os.getenv('KB_HINTS_FILE')
local server = os.getenv('KB_HINTS_SERVER')
local out = os.getenv('KB_HINTS_OUT')
local result = { diagnostics = {}, hover = nil, error = nil }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'kb-hints',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
})
vim.lsp.buf_attach_client(bufnr, client_id)

local deadline = vim.loop.now() + 20000
local timer = vim.loop.new_timer()
timer:start(200, 200, vim.schedule_wrap(function()
  local diags = vim.diagnostic.get(bufnr)
  if #diags > 0 then
    timer:stop()
    for _, d in ipairs(diags) do
      table.insert(result.diagnostics, { line = d.lnum, col = d.col, message = d.message, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
    end
    local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = diags[1].lnum, character = diags[1].col } }
    local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, 10000)
    for _, r in pairs(responses or {}) do
      if r.result and r.result.contents then result.hover = r.result.contents.value or r.result.contents end
    end
    finish()
  elseif vim.loop.now() > deadline then
    timer:stop()
    result.error = 'no diagnostics within 20 s'
    finish()
  end
end))
