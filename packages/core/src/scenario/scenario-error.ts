/** Bad input, located: `file:line:col: message`. The CLI exits 2 on it. */
export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = 'ScenarioError';
  }
}
