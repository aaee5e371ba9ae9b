/**
 * What `@terminal` attaches: the output of the last command run in a terminal, read through shell integration as
 * it ran (VS Code offers no way to read a terminal's buffer afterwards). Kept per terminal, the newest last, capped.
 */
import * as vscode from 'vscode';
import { stripAnsi } from '../core/mentions';

const CAP = 20_000;

export interface TerminalRun {
  terminal: string;
  command: string;
  output: string;
  truncated: boolean;
}

export class TerminalOutputs implements vscode.Disposable {
  private latest: TerminalRun | undefined;
  private readonly listener: vscode.Disposable | undefined;

  constructor() {
    this.listener = vscode.window.onDidStartTerminalShellExecution?.((e) => void this.record(e));
  }

  last(): TerminalRun | undefined {
    return this.latest;
  }

  private async record(e: vscode.TerminalShellExecutionStartEvent): Promise<void> {
    const run: TerminalRun = { terminal: e.terminal.name, command: e.execution.commandLine.value, output: '', truncated: false };
    this.latest = run;
    for await (const chunk of e.execution.read()) {
      // the tail is what matters (the error at the end); escape sequences are noise for the model
      run.output = stripAnsi(run.output + chunk);
      if (run.output.length > CAP) {
        run.output = run.output.slice(-CAP);
        run.truncated = true;
      }
    }
  }

  dispose(): void {
    this.listener?.dispose();
  }
}
