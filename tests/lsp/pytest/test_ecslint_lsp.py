"""pytest-lsp drives the built `ecslint lsp` as VS Code and Neovim would initialize it
(their recorded client capabilities). Run by tests/lsp_nvim.rs with ECSLINT_BIN set."""
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

TASKDEF = '{"containerDefinitions":[{"name":"web","image":"nginx:latest"}]}'


@pytest_lsp.fixture(
    params=["visual-studio-code", "neovim"],
    config=ClientServerConfig(server_command=[os.environ["ECSLINT_BIN"], "lsp"]),
)
async def client(request, lsp_client: LanguageClient):
    # VS Code registers file watchers dynamically when the server asks; accept the request.
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        return None

    params = types.InitializeParams(capabilities=client_capabilities(request.param))
    result = await lsp_client.initialize_session(params)
    assert result.server_info.name == "ecslint"
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_diagnostics_on_open_and_cleared_after_edit(client: LanguageClient, tmp_path):
    path = tmp_path / "task.json"
    path.write_text(TASKDEF)
    uri = path.resolve().as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="json", version=1, text=TASKDEF
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = [d.code for d in client.diagnostics[uri]]
    assert "ECS401" in codes
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(
                    text=TASKDEF.replace("latest", "1.27.3")
                )
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert "ECS401" not in [d.code for d in client.diagnostics[uri]]
    assert path.read_text() == TASKDEF
