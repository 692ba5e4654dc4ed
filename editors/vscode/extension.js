// The mapl extension: the language (grammar, comments, brackets) is declared in
// package.json; this starts the language server, `mapl lsp` (LSP over stdio), for
// every .mapl file.

"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

function createClient() {
  const config = vscode.workspace.getConfiguration("mapl");
  const command = config.get("server.path") || "mapl";
  const args = ["lsp", ...(config.get("server.extraArgs") || [])];
  const serverOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "mapl" },
      { scheme: "untitled", language: "mapl" },
    ],
    synchronize: {
      // Plans import other files: tell the server when any .mapl file changes on disk.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.mapl"),
    },
  };
  // The id "mapl" makes the "mapl.trace.server" setting work.
  return new LanguageClient("mapl", "mapl language server", serverOptions, clientOptions);
}

async function startClient() {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    const command = vscode.workspace.getConfiguration("mapl").get("server.path") || "mapl";
    vscode.window.showErrorMessage(
      `Could not start the mapl language server (\`${command} lsp\`): ${error.message ?? error}. ` +
        "Put mapl on PATH or set mapl.server.path."
    );
  }
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("mapl.restartServer", async () => {
      if (client) await client.stop().catch(() => {});
      await startClient();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("mapl.server")) {
        await vscode.commands.executeCommand("mapl.restartServer");
      }
    })
  );
  await startClient();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
