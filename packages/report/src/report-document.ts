import { readFileSync } from 'node:fs';

/**
 * A report as a list of blocks, rendered twice: as Markdown (figures linked as files beside it)
 * and as one self-contained HTML page (figures inlined as base64 PNG, styles inline, no external
 * resource), so that the two always say the same.
 */
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly text: string; readonly id?: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly muted?: boolean }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  /** Term → value pairs, e.g. seed, workers, wall time. */
  | { readonly kind: 'facts'; readonly items: readonly (readonly [string, string])[] }
  | { readonly kind: 'table'; readonly caption?: string; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly numeric?: readonly boolean[] }
  /** `file`: absolute path of the PNG (inlined in HTML); `link`: its path relative to the report (Markdown). */
  | { readonly kind: 'figure'; readonly file: string; readonly link: string; readonly caption: string; readonly width?: number }
  /** Collapsed preformatted text (e.g. a resolved scenario). */
  | { readonly kind: 'details'; readonly summary: string; readonly text: string }
  /** Blocks side by side in HTML (one after another in Markdown). */
  | { readonly kind: 'columns'; readonly columns: readonly (readonly Block[])[] };

export function renderMarkdown(blocks: readonly Block[]): string {
  return blocks.map(markdownBlock).join('\n\n') + '\n';
}

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${inlineMd(block.text)}`;
    case 'paragraph':
      return block.muted ? `*${inlineMd(block.text)}*` : inlineMd(block.text);
    case 'list':
      return block.items.map((item) => `- ${inlineMd(item)}`).join('\n');
    case 'facts':
      return block.items.map(([term, value]) => `- **${inlineMd(term)}:** ${inlineMd(value)}`).join('\n');
    case 'table': {
      const cell = (text: string) => inlineMd(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
      const align = block.header.map((_, i) => (block.numeric?.[i] ? '---:' : ':---'));
      const lines = [`| ${block.header.map(cell).join(' | ')} |`, `| ${align.join(' | ')} |`, ...block.rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
      return block.caption ? `${inlineMd(block.caption)}\n\n${lines.join('\n')}` : lines.join('\n');
    }
    case 'figure':
      return `![${inlineMd(block.caption)}](${encodeURI(block.link)})`;
    case 'details':
      return `<details><summary>${escapeHtml(block.summary)}</summary>\n\n\`\`\`yaml\n${block.text.trimEnd()}\n\`\`\`\n\n</details>`;
    case 'columns':
      return block.columns.map((column) => column.map(markdownBlock).join('\n\n')).join('\n\n');
  }
}

/** Text with `code` spans kept; characters Markdown would read as markup at a line start escaped. */
function inlineMd(text: string): string {
  return text.replace(/^([#>+-])/, '\\$1').replace(/([*_])/g, (match, char, offset: number) => (insideCode(text, offset) ? match : `\\${char}`));
}

function insideCode(text: string, offset: number): boolean {
  return (text.slice(0, offset).match(/`/g) ?? []).length % 2 === 1;
}

export function renderHtml(title: string, blocks: readonly Block[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...blocks.map(htmlBlock),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      const id = block.id ? ` id="${escapeHtml(block.id)}"` : '';
      return `<h${block.level}${id}>${inlineHtml(block.text)}</h${block.level}>`;
    }
    case 'paragraph':
      return `<p${block.muted ? ' class="muted"' : ''}>${inlineHtml(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('')}</ul>`;
    case 'facts':
      return `<dl class="facts">${block.items.map(([term, value]) => `<dt>${inlineHtml(term)}</dt><dd>${inlineHtml(value)}</dd>`).join('')}</dl>`;
    case 'table': {
      const cls = (i: number) => (block.numeric?.[i] ? ' class="num"' : '');
      const head = `<thead><tr>${block.header.map((h, i) => `<th${cls(i)}>${inlineHtml(h)}</th>`).join('')}</tr></thead>`;
      const body = `<tbody>${block.rows.map((row) => `<tr>${row.map((c, i) => `<td${cls(i)}>${inlineHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
      const caption = block.caption ? `<caption>${inlineHtml(block.caption)}</caption>` : '';
      return `<div class="table"><table>${caption}${head}${body}</table></div>`;
    }
    case 'figure': {
      const data = readFileSync(block.file).toString('base64');
      const width = block.width ? ` width="${Math.round(block.width)}"` : '';
      return `<figure><img alt="${escapeHtml(block.caption)}"${width} src="data:image/png;base64,${data}"><figcaption>${inlineHtml(block.caption)}</figcaption></figure>`;
    }
    case 'details':
      return `<details><summary>${inlineHtml(block.summary)}</summary><pre>${escapeHtml(block.text.trimEnd())}</pre></details>`;
    case 'columns':
      return `<div class="columns">${block.columns.map((column) => `<div>${column.map(htmlBlock).join('\n')}</div>`).join('')}</div>`;
  }
}

/** Escaped text with `code` spans. */
function inlineHtml(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body { margin: 0; font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: #1f2328; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.8em; border-bottom: 2px solid #d0d7de; padding-bottom: .3em; }
h2 { font-size: 1.4em; margin-top: 2.2em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
h3 { font-size: 1.1em; margin-top: 1.4em; }
h4 { font-size: 1em; margin: 1em 0 .4em; }
.muted { color: #59636e; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; background: #f3f4f6; padding: 0 .25em; border-radius: 3px; }
pre { font: 12.5px/1.45 "DejaVu Sans Mono", monospace; background: #f6f8fa; padding: 12px; overflow-x: auto; border-radius: 6px; }
.table { overflow-x: auto; margin: .6em 0 1em; }
table { border-collapse: collapse; font-size: .88em; }
caption { text-align: left; font-weight: bold; padding: 0 0 .3em; }
th, td { border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; white-space: nowrap; }
th { background: #f6f8fa; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eaeef2; }
figcaption { color: #59636e; font-size: .85em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: .6em 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.columns { display: flex; flex-wrap: wrap; gap: 4px 40px; align-items: flex-start; }
.columns > div { flex: 0 1 auto; min-width: 0; max-width: 100%; }
.columns > div:last-child { flex: 1 1 320px; }
details { margin: .8em 0; }
summary { cursor: pointer; font-weight: bold; }
`;
