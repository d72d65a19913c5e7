import { isAlias, isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { formatCount, MAX_ALIAS_COUNT, MAX_SCENARIO_CHARS, MAX_SCENARIO_KEYS } from '../limits';
import { ScenarioError } from './scenario-error';

export type KeyPath = readonly PropertyKey[];

/** A parsed scenario file that can say where any key path stands in the text. */
export class ScenarioSource {
  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    private readonly maxAliasCount: number,
  ) {}

  /**
   * Parses scenario text; bad YAML is a ScenarioError at the spot. srnn's limits (MAX_SCENARIO_CHARS,
   * MAX_SCENARIO_KEYS, MAX_ALIAS_COUNT) apply unless `limits` is false (text srnn wrote itself).
   * Everything here is linear in the size of the text.
   */
  static parse(file: string, text: string, options: { readonly limits?: boolean } = {}): ScenarioSource {
    const limits = options.limits ?? true;
    if (limits && text.length > MAX_SCENARIO_CHARS) {
      throw new ScenarioError(
        file,
        1,
        1,
        `a scenario file of ${formatCount(text.length)} characters, more than srnn's limit of ${formatCount(MAX_SCENARIO_CHARS)} (4 MiB); put large weight lists into an init file`,
      );
    }
    const lines = new LineCounter();
    // yaml's own `uniqueKeys` compares every key of a mapping with every other (quadratic): checked below
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const at = (offset: number, detail: string) => {
      const { line, col } = lines.linePos(offset);
      return new ScenarioError(file, line, col, detail);
    };
    const problem = doc.errors[0];
    if (problem) throw at(problem.pos[0], `invalid YAML: ${problem.message.split('\n')[0]}`);
    checkKeys(doc, at, limits);
    const source = new ScenarioSource(file, text, doc, lines, limits ? MAX_ALIAS_COUNT : -1);
    try {
      source.toJS();
    } catch (error) {
      throw aliasError(doc, at, error);
    }
    return source;
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: this.maxAliasCount }) ?? {};
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

type At = (offset: number, detail: string) => ScenarioError;

/**
 * Keys that are no plain names (a list as a key), duplicate keys (a Set per mapping: linear, where
 * yaml's `uniqueKeys` is quadratic), `__proto__` keys and, with limits, the number of keys.
 */
function checkKeys(doc: Document.Parsed, at: At, limits: boolean): void {
  let keys = 0;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        const offset = key?.range?.[0] ?? map.range?.[0] ?? 0;
        if (key !== null && !isScalar(key)) throw at(offset, 'a key of a scenario is a plain name, not a list, mapping or alias');
        const name = String(key?.value ?? null);
        if (seen.has(name)) throw at(offset, `invalid YAML: Map keys must be unique ("${clip(name)}" appears twice in this mapping)`);
        seen.add(name);
        if (name === '__proto__') throw at(offset, 'a key "__proto__" is not allowed in a scenario');
        if (limits && ++keys > MAX_SCENARIO_KEYS) throw at(offset, `more than ${formatCount(MAX_SCENARIO_KEYS)} keys, srnn's limit for a scenario file`);
      }
    },
  });
}

/** An error of yaml's conversion to JavaScript (it concerns aliases), located at the alias it is about. */
function aliasError(doc: Document.Parsed, at: At, error: unknown): ScenarioError {
  const message = error instanceof Error ? error.message : String(error);
  const anchors = new Set<string>();
  let unresolved: Node | undefined;
  let first: Node | undefined;
  visit(doc, (_, node) => {
    if (isAlias(node)) {
      first ??= node;
      if (!anchors.has(node.source)) {
        unresolved = node;
        return visit.BREAK;
      }
    } else if (node && typeof node === 'object' && 'anchor' in node && typeof node.anchor === 'string') {
      anchors.add(node.anchor);
    }
    return undefined;
  });
  if (unresolved && isAlias(unresolved)) return at(unresolved.range?.[0] ?? 0, `invalid YAML: alias *${clip(unresolved.source)} names no anchor (&${clip(unresolved.source)}) set before it`);
  if (/alias count/i.test(message)) {
    return at(
      first?.range?.[0] ?? 0,
      `invalid YAML: the aliases expand to too many nodes; srnn allows ${MAX_ALIAS_COUNT} alias expansions (yaml's maxAliasCount, a guard against exponential expansion)`,
    );
  }
  return at(first?.range?.[0] ?? 0, `invalid YAML: ${message.split('\n')[0]}`);
}

/** A name as it may appear in a message: at most 40 characters. */
function clip(name: string): string {
  return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}
