import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ScenarioError } from './scenario-error';

export type KeyPath = readonly PropertyKey[];

/** A parsed scenario file that can say where any key path stands in the text. */
export class ScenarioSource {
  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): ScenarioSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const problem = doc.errors[0];
    if (problem) {
      const { line, col } = lines.linePos(problem.pos[0]);
      throw new ScenarioError(file, line, col, `invalid YAML: ${problem.message.split('\n')[0]}`);
    }
    return new ScenarioSource(file, text, doc, lines);
  }

  toJS(): unknown {
    return this.doc.toJS() ?? {};
  }

  /** An error at the value of `path` (or, if it is absent, at its nearest present ancestor). */
  errorAt(path: KeyPath, detail: string): ScenarioError {
    const { line, col } = this.position(this.nodeAt(path)?.range?.[0] ?? 0);
    return new ScenarioError(this.file, line, col, detail);
  }

  /** An error at the key `key` of the mapping at `path` (for keys that should not be there). */
  errorAtKey(path: KeyPath, key: string, detail: string): ScenarioError {
    const map = this.nodeAt(path);
    if (isMap(map)) {
      const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      const range = (pair?.key as Node | undefined)?.range;
      if (range) {
        const { line, col } = this.position(range[0]);
        return new ScenarioError(this.file, line, col, detail);
      }
    }
    return this.errorAt(path, detail);
  }

  private nodeAt(path: KeyPath): Node | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n) as unknown[], true);
      if (node && typeof node === 'object' && 'range' in node) return node as Node;
    }
    return undefined;
  }

  private position(offset: number): { line: number; col: number } {
    return this.lines.linePos(offset);
  }
}
